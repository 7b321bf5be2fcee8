//! The e-mail channel against real mail servers: Dovecot (IMAP over TLS) as the mailbox Spoc
//! reads and Postfix's smtp-sink as the relay it sends to. A mail becomes a ticket and a reply
//! joins it; a non-participant's reply does not; the mailbox keeps what the database refused;
//! the same message twice makes one ticket; automated mail gets no answer; an SMTP outage loses
//! nothing; a crash between commit and send, or between send and record, still delivers with the
//! same Message-ID. Every test runs on SQLite and PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use spoc::mail::smtp::SmtpRelay;
use spoc_app::{App, FakeClock, MailConfig, Mailbox};
use spoc_domain::Timestamp;
use spoc_store::{Store, StoreOptions};

use crate::both_backends;
use crate::harness::{DESK_ADDRESS, Db, Desk, Person};
use crate::mailservers::{Dovecot, IMAP_PASSWORD, IMAP_USER, SmtpSink};

const SECOND: i64 = 1_000_000;

/// A plain-text message.
pub(crate) fn mail(
    from: &str,
    subject: &str,
    message_id: &str,
    headers: &[&str],
    body: &str,
) -> Vec<u8> {
    let mut text = format!(
        "From: {from}\r\nTo: Support <support@spoc.test>\r\nSubject: {subject}\r\n\
         Date: Tue, 01 Dec 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n"
    );
    if !message_id.is_empty() {
        text.push_str(&format!("Message-ID: {message_id}\r\n"));
    }
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    text.push_str(body);
    text.push_str("\r\n");
    text.into_bytes()
}

/// A mailbox on the test Dovecot, created through the API.
pub(crate) async fn imap_mailbox(
    desk: &Desk,
    dovecot: &Dovecot,
    processed: Option<&str>,
) -> Mailbox {
    mailbox_polled(desk, dovecot, processed, true).await
}

/// A mailbox that only the test reads (`poll`): disabled, so that the server's own mail intake
/// does not read it at the same time.
pub(crate) async fn manual_mailbox(
    desk: &Desk,
    dovecot: &Dovecot,
    processed: Option<&str>,
) -> Mailbox {
    mailbox_polled(desk, dovecot, processed, false).await
}

async fn mailbox_polled(
    desk: &Desk,
    dovecot: &Dovecot,
    processed: Option<&str>,
    enabled: bool,
) -> Mailbox {
    let created = desk
        .post(
            &desk.admin,
            "/mailboxes",
            json!({
                "name": "support",
                "address": "support@spoc.test",
                "imap_host": "127.0.0.1",
                "imap_port": dovecot.tls_port,
                "imap_security": "tls",
                "imap_username": IMAP_USER,
                "imap_password": IMAP_PASSWORD,
                "ca_certificate": dovecot.ca_pem,
                "processed_folder": processed,
                "enabled": enabled,
            }),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(created["imap_password_set"], true);
    assert!(
        !created.to_string().contains(IMAP_PASSWORD),
        "the password is never shown: {created}"
    );
    desk.app
        .mailbox_named(spoc_domain::TenantId::FIRST, "support")
        .await
        .unwrap()
}

/// Delivers a raw message over HTTP, as an MTA with an admin token would.
pub(crate) async fn deliver(desk: &Desk, raw: Vec<u8>) -> crate::harness::Answer {
    desk.send(
        reqwest::Method::POST,
        "/mail/inbound",
        Some(&desk.admin.token),
        &[],
        Some(("message/rfc822", raw)),
    )
    .await
}

pub(crate) async fn inbound(desk: &Desk) -> Vec<Value> {
    desk.get(&desk.admin, "/inbound-messages?limit=200")
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .clone()
}

async fn outbox(desk: &Desk, state: &str) -> Vec<Value> {
    desk.get(&desk.admin, &format!("/outbox?state={state}&limit=200"))
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .clone()
}

async fn user_by_email(desk: &Desk, email: &str) -> Value {
    let found = desk
        .get(&desk.admin, &format!("/users?q={email}"))
        .await
        .expect(200)
        .body;
    found
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .unwrap_or_else(|| panic!("no user {email}: {found}"))
        .clone()
}

pub(crate) async fn comments(desk: &Desk, ticket: i64) -> Vec<Value> {
    desk.get(&desk.admin, &format!("/tickets/{ticket}/comments"))
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .clone()
}

pub(crate) async fn poll(desk: &Desk, mailbox: &Mailbox) {
    spoc::mail::imap::poll_once(&desk.app, mailbox)
        .await
        .unwrap_or_else(|e| panic!("polling failed: {e:#}"));
}

pub(crate) fn relay(sink: &SmtpSink) -> SmtpRelay {
    SmtpRelay::from_url(&sink.url()).unwrap()
}

/// An app over the desk's database with mail on and a clock that stands still until moved, as a
/// delivery worker on another node would run.
async fn mail_worker(desk: &Desk, at: Timestamp) -> (App, Arc<FakeClock>) {
    let store = Store::connect(&StoreOptions::new(desk.database_url.clone()))
        .await
        .unwrap();
    let clock = Arc::new(FakeClock::new(at));
    let app = App::new(store, clock.clone()).with_mail(MailConfig {
        from: spoc_mail::Address::parse(DESK_ADDRESS).unwrap(),
        public_url: "http://desk.spoc.test".to_owned(),
    });
    (app, clock)
}

fn now() -> Timestamp {
    let micros = std::time::SystemTime::UNIX_EPOCH
        .elapsed()
        .map(|d| d.as_micros())
        .unwrap_or(0);
    Timestamp::from_micros(i64::try_from(micros).unwrap())
}

/// A customer who has an address people write from.
pub(crate) async fn customer(desk: &Desk) -> (Person, String) {
    let person = desk.person("customer", None, false).await;
    let user = desk
        .get(&desk.admin, &format!("/users/{}", person.id))
        .await
        .expect(200)
        .body;
    let email = user["email"].as_str().unwrap().to_owned();
    (person, email)
}

/// Makes every write of an inbound message fail, as a full disk or a broken database would;
/// `false` removes the fault again.
async fn break_inbound_writes(desk: &Desk, broken: bool) {
    match desk.db {
        Db::Sqlite => {
            let mut conn =
                <sqlx::SqliteConnection as sqlx::Connection>::connect(&desk.database_url)
                    .await
                    .unwrap();
            let sql = if broken {
                "CREATE TRIGGER fail_inbound BEFORE INSERT ON inbound_messages BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            } else {
                "DROP TRIGGER fail_inbound"
            };
            sqlx::query(sql).execute(&mut conn).await.unwrap();
            let _ = sqlx::Connection::close(conn).await;
        }
        Db::Postgres => {
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&desk.database_url)
                .await
                .unwrap();
            let statements: &[&str] = if broken {
                &[
                    "CREATE FUNCTION fail_inbound() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql",
                    "CREATE TRIGGER fail_inbound BEFORE INSERT ON inbound_messages FOR EACH ROW EXECUTE FUNCTION fail_inbound()",
                ]
            } else {
                &[
                    "DROP TRIGGER fail_inbound ON inbound_messages",
                    "DROP FUNCTION fail_inbound()",
                ]
            };
            for sql in statements {
                sqlx::query(sql).execute(&mut conn).await.unwrap();
            }
            let _ = sqlx::Connection::close(conn).await;
        }
    }
}

both_backends! {
    /// Over IMAP: an unknown sender's mail becomes a ticket (the sender a customer of the
    /// organisation their domain belongs to) and leaves the inbox for the processed folder; the
    /// acknowledgement goes out with the reference; the sender's reply to it joins the ticket;
    /// a stranger's reply to the same thread starts a ticket of its own and gains no access.
    async fn mail_becomes_a_ticket_and_replies_join_it(desk: Desk) {
        let dovecot = Dovecot::start();
        let sink = SmtpSink::started();
        let org = desk.post(&desk.admin, "/organizations", json!({"name": "Example Ltd"})).await.expect(201).body;
        let org_id = org["id"].as_i64().unwrap();
        desk.send(reqwest::Method::PUT, &format!("/organizations/{org_id}/email-domains"), Some(&desk.admin.token), &[],
            Some(("application/json", json!({"domains": ["Example.org"]}).to_string().into_bytes()))).await.expect(200);
        let mailbox = manual_mailbox(&desk, &dovecot, Some("Processed")).await;

        dovecot.deliver(&mail("Ana Lima <ana@example.org>", "Printer on floor 3 jams", "<first.1@example.org>", &[], "Every job jams after two pages."));
        poll(&desk, &mailbox).await;
        assert_eq!(dovecot.count("INBOX"), 0, "taken out of the inbox: {}", dovecot.log());
        assert_eq!(dovecot.count("Processed"), 1);
        let log = inbound(&desk).await;
        assert_eq!(log.len(), 1, "{log:?}");
        assert_eq!(log[0]["outcome"], "ticket_created");
        assert!(log[0]["reason"].as_str().unwrap().contains("new ticket"), "{}", log[0]);
        let id = log[0]["ticket_id"].as_i64().unwrap();
        let ticket = desk.get(&desk.admin, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(ticket["channel"], "email");
        assert_eq!(ticket["title"], "Printer on floor 3 jams");
        assert!(ticket["description"].as_str().unwrap().contains("Every job jams"));
        let ana = user_by_email(&desk, "ana@example.org").await;
        assert_eq!(ticket["requester_id"], ana["id"]);
        assert_eq!(ana["name"], "Ana Lima");
        assert_eq!(ana["role"], "customer");
        assert_eq!(ana["organization_id"], org_id, "the domain rule placed her");

        // The acknowledgement, through the real relay.
        let stats = desk.app.deliver_mail(&relay(&sink), "test", 50).await.unwrap();
        assert_eq!(stats.sent, 1, "{stats:?}");
        let sent = sink.wait_for(1).await;
        let ack = &sent[0];
        assert_eq!(ack.recipients, ["ana@example.org"]);
        let number = ticket["number"].as_str().unwrap();
        assert!(ack.header("Subject").unwrap().contains(&format!("[{number}]")), "{}", ack.message);
        assert_eq!(ack.header("Auto-Submitted").as_deref(), Some("auto-generated"));
        assert_eq!(ack.header("In-Reply-To").as_deref(), Some("<first.1@example.org>"), "threaded under her mail");
        let ack_id = ack.header("Message-ID").unwrap();

        // Her reply to the acknowledgement joins the ticket, with German reply prefix and all.
        let reply = mail("Ana Lima <ana@example.org>", &format!("AW: [{number}] Printer on floor 3 jams"), "<reply.2@example.org>",
            &[&format!("In-Reply-To: {ack_id}"), &format!("References: <first.1@example.org> {ack_id}")],
            "It still jams on tray 2.");
        dovecot.deliver(&reply);
        poll(&desk, &mailbox).await;
        let log = inbound(&desk).await;
        assert_eq!(log[0]["outcome"], "reply_added", "{:?}", log[0]);
        assert!(log[0]["reason"].as_str().unwrap().contains("In-Reply-To"), "{}", log[0]);
        assert_eq!(log[0]["ticket_id"], id);
        let said = comments(&desk, id).await;
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0]["body"].as_str().unwrap().contains("still jams on tray 2"));
        assert_eq!(said[0]["author_id"], ana["id"]);
        assert_eq!(said[0]["internal"], false);

        // A reply by subject reference alone joins too.
        dovecot.deliver(&mail("ana@example.org", &format!("Re: [{number}] one more thing"), "<subject.3@example.org>", &[], "Tray 1 is fine."));
        poll(&desk, &mailbox).await;
        assert_eq!(inbound(&desk).await[0]["outcome"], "reply_added");
        assert_eq!(comments(&desk, id).await.len(), 2);

        // A stranger answering the same thread gets a ticket of their own, not hers.
        dovecot.deliver(&mail("Mallory <mallory@attacker.test>", &format!("Re: [{number}] Printer on floor 3 jams"), "<hijack.4@attacker.test>",
            &[&format!("In-Reply-To: {ack_id}")], "Please send me the admin password."));
        poll(&desk, &mailbox).await;
        let log = inbound(&desk).await;
        assert_eq!(log[0]["outcome"], "ticket_created", "{:?}", log[0]);
        assert!(log[0]["reason"].as_str().unwrap().contains("not part of that ticket"), "{}", log[0]);
        assert_ne!(log[0]["ticket_id"], id);
        assert_eq!(comments(&desk, id).await.len(), 2, "nothing was added to her ticket");
        let mallory = user_by_email(&desk, "mallory@attacker.test").await;
        let token = desk.app.issue_token(spoc_domain::UserId::new(mallory["id"].as_i64().unwrap()), "t").await.unwrap();
        let mallory = Person { id: mallory["id"].as_i64().unwrap(), token: token.secret };
        desk.get(&mallory, &format!("/tickets/{id}")).await.problem(404, "not_found");
        assert_eq!(dovecot.count("INBOX"), 0);
        assert_eq!(dovecot.count("Processed"), 4);
    }

    /// When the database refuses the write, the message stays in the mailbox, untouched; once
    /// the database takes writes again the next poll makes the ticket and flags the message,
    /// and further polls take nothing twice.
    async fn the_mailbox_keeps_what_the_database_refused(desk: Desk) {
        let dovecot = Dovecot::start();
        let mailbox = manual_mailbox(&desk, &dovecot, None).await;
        dovecot.deliver(&mail("Bo <bo@example.net>", "VPN drops every hour", "<vpn.1@example.net>", &[], "Since Monday."));
        break_inbound_writes(&desk, true).await;
        let failed = spoc::mail::imap::poll_once(&desk.app, &mailbox).await;
        assert!(failed.is_err(), "the poll reports the failure");
        assert_eq!(dovecot.count("INBOX"), 1, "the message is still there");
        assert!(inbound(&desk).await.is_empty());
        let imap = desk.app.imap_sign_in(&mailbox).await.unwrap().unwrap();
        let mut session = spoc::mail::imap::connect(&imap).await.unwrap();
        session.select("INBOX").await.unwrap();
        assert_eq!(session.uid_search("NOT KEYWORD $SpocProcessed").await.unwrap().len(), 1, "and not marked as taken");

        break_inbound_writes(&desk, false).await;
        poll(&desk, &mailbox).await;
        let log = inbound(&desk).await;
        assert_eq!(log.len(), 1);
        assert_eq!(log[0]["outcome"], "ticket_created");
        session.select("INBOX").await.unwrap();
        assert!(session.uid_search("NOT KEYWORD $SpocProcessed").await.unwrap().is_empty(), "flagged once committed");
        poll(&desk, &mailbox).await;
        assert_eq!(inbound(&desk).await.len(), 1, "nothing is taken twice");
        let _ = session.logout().await;
    }

    /// The same message delivered twice — by the MTA, or twice in the mailbox — is one ticket;
    /// a message without a Message-ID is recognised by its content.
    async fn the_same_message_twice_makes_one_ticket(desk: Desk) {
        let raw = mail("Cy <cy@example.com>", "Laptop will not boot", "<boot.1@example.com>", &[], "Black screen.");
        let first = deliver(&desk, raw.clone()).await.expect(201).body;
        assert_eq!(first["outcome"], "ticket_created");
        assert_eq!(first["duplicate"], false);
        let again = deliver(&desk, raw).await.expect(200).body;
        assert_eq!(again["duplicate"], true);
        assert_eq!(again["ticket_id"], first["ticket_id"]);
        assert!(again["reason"].as_str().unwrap().contains("received before"), "{again}");

        let bare = mail("cy@example.com", "No id at all", "", &[], "Some clients send none.");
        let a = deliver(&desk, bare.clone()).await.expect(201).body;
        let b = deliver(&desk, bare).await.expect(200).body;
        assert_eq!(a["ticket_id"], b["ticket_id"]);

        let dovecot = Dovecot::start();
        let mailbox = manual_mailbox(&desk, &dovecot, Some("Done")).await;
        let twin = mail("cy@example.com", "Monitor flickers", "<flicker.2@example.com>", &[], "Second screen.");
        dovecot.deliver(&twin);
        dovecot.deliver(&twin);
        poll(&desk, &mailbox).await;
        assert_eq!(dovecot.count("INBOX"), 0, "both copies are taken");
        let cy = user_by_email(&desk, "cy@example.com").await;
        let tickets = desk.get(&desk.admin, &format!("/tickets?requester_id={}", cy["id"])).await.expect(200).body;
        assert_eq!(tickets["items"].as_array().unwrap().len(), 3, "three messages, three tickets: {tickets}");
    }

    /// Auto-replies, lists, bulk mail and bounces that answer no ticket are held, never
    /// ticketed or answered; mail from Spoc's own address is recorded and not acted on; past five automatic answers an hour a
    /// sender gets no more. Only the people who should hear back do.
    async fn automated_mail_gets_no_answer(desk: Desk) {
        let sink = SmtpSink::started();
        let (_, known) = customer(&desk).await;
        let ooo = deliver(&desk, mail(&known, "Automatic reply: Printer", "<ooo.1@example.test>",
            &["Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All"], "I am out of the office until Monday.")).await.expect(201).body;
        assert_eq!(ooo["outcome"], "held", "automated mail answering no ticket starts none");
        let list = deliver(&desk, mail("news@lists.example.com", "Weekly digest", "<digest.2@lists.example.com>",
            &["List-Id: <weekly.lists.example.com>", "Precedence: list"], "This week...")).await.expect(201).body;
        assert_eq!(list["outcome"], "held");
        let bounce = "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\nTo: desk@spoc.test\r\n\
            Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <bounce.3@mx.example.org>\r\nReturn-Path: <>\r\n\
            MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n\
            --b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\
            --b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n\
            Final-Recipient: rfc822; nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b1--\r\n";
        let bounced = deliver(&desk, bounce.as_bytes().to_vec()).await.expect(201).body;
        assert_eq!(bounced["outcome"], "held", "{bounced}");
        assert!(bounced["ticket_id"].is_null());
        let own = deliver(&desk, mail(&format!("Spoc <{DESK_ADDRESS}>"), "[INC-000001] loop?", "<own.4@spoc.test>", &[], "x")).await.expect(201).body;
        assert_eq!(own["outcome"], "ignored");
        assert!(own["reason"].as_str().unwrap().contains("own address"), "{own}");
        let person = deliver(&desk, mail("Dee <dee@example.net>", "Need a new mouse", "<mouse.5@example.net>", &[], "Mine broke.")).await.expect(201).body;
        assert_eq!(person["outcome"], "ticket_created");

        let log = inbound(&desk).await;
        let auto = |message_id: &str| log.iter().find(|m| m["message_id"] == message_id).unwrap()["auto_reply"].as_str().unwrap().to_owned();
        assert!(auto("ooo.1@example.test").contains("nothing is sent back"), "{}", auto("ooo.1@example.test"));
        assert!(auto("digest.2@lists.example.com").contains("nothing is sent back"));
        assert!(auto("mouse.5@example.net").contains("acknowledgement"));

        desk.app.deliver_mail(&relay(&sink), "test", 50).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let sent = sink.wait_for(1).await;
        assert_eq!(sent.len(), 1, "only the person hears back: {sent:?}");
        assert_eq!(sent[0].recipients, ["dee@example.net"]);

        // A sender writing again and again is answered five times within the hour, then not.
        for n in 0..7 {
            deliver(&desk, mail("eve@example.net", &format!("Question {n}"), &format!("<q.{n}@example.net>"), &[], "Hello?")).await.expect(201);
        }
        let acks = outbox(&desk, "pending").await.into_iter().filter(|m| m["topic"] == "mail.ticket_logged").count();
        assert_eq!(acks, 5, "five acknowledgements, then silence");
    }

    /// While the relay is down every notification waits and is retried with backoff; once it is
    /// back each is delivered exactly once. One that keeps failing becomes a dead letter that an
    /// admin can send again.
    async fn notifications_survive_an_smtp_outage(desk: Desk) {
        let mut sink = SmtpSink::new();
        let relay = relay(&sink);
        let mut people = Vec::new();
        for n in 0..4 {
            let (person, email) = customer(&desk).await;
            desk.ticket(&person, "incident", &format!("Outage ticket {n}")).await;
            people.push(email);
        }
        let (worker, clock) = mail_worker(&desk, now()).await;
        let stats = worker.deliver_mail(&relay, "node-a", 50).await.unwrap();
        assert_eq!((stats.sent, stats.retrying), (0, 4), "{stats:?}");
        let waiting = outbox(&desk, "pending").await;
        assert_eq!(waiting.len(), 4);
        assert!(waiting.iter().all(|m| m["attempts"] == 1 && m["last_error"].as_str().is_some_and(|e| !e.is_empty())), "{waiting:?}");
        assert_eq!(worker.deliver_mail(&relay, "node-a", 50).await.unwrap().handled(), 0, "not before the backoff");

        sink.start();
        clock.advance(31 * SECOND);
        let stats = worker.deliver_mail(&relay, "node-a", 50).await.unwrap();
        assert_eq!(stats.sent, 4, "{stats:?}");
        let sent = sink.wait_for(4).await;
        let mut to: Vec<String> = sent.iter().flat_map(|m| m.recipients.clone()).collect();
        to.sort();
        people.sort();
        assert_eq!(to, people, "each person got theirs");
        let ids: std::collections::HashSet<String> = sent.iter().map(|m| m.header("Message-ID").unwrap()).collect();
        assert_eq!(ids.len(), 4);
        assert!(outbox(&desk, "pending").await.is_empty());
        assert_eq!(outbox(&desk, "sent").await.len(), 4);
        // Without a state, the outbox lists every message: the sent ones too.
        let all = desk.get(&desk.admin, "/outbox?limit=200").await.expect(200).body;
        assert_eq!(all.as_array().unwrap().len(), 4, "{all}");
        assert!(all.as_array().unwrap().iter().all(|m| !m["done_at"].is_null()), "{all}");
        assert_eq!(worker.deliver_mail(&relay, "node-a", 50).await.unwrap().handled(), 0, "nothing is sent twice");

        // A message that cannot get through for the whole retry schedule is a dead letter.
        sink.stop();
        let (person, _) = customer(&desk).await;
        desk.ticket(&person, "incident", "Dead letter ticket").await;
        for _ in 0..spoc_app::MAX_MAIL_ATTEMPTS {
            clock.advance(2 * 3600 * SECOND);
            worker.deliver_mail(&relay, "node-a", 50).await.unwrap();
        }
        let dead = outbox(&desk, "dead").await;
        assert_eq!(dead.len(), 1, "{dead:?}");
        assert_eq!(dead[0]["attempts"], spoc_app::MAX_MAIL_ATTEMPTS);
        let agent = desk.person("agent", None, false).await;
        desk.post(&agent, &format!("/outbox/{}/actions/retry", dead[0]["id"]), json!({})).await.problem(403, "forbidden");
        desk.post(&desk.admin, &format!("/outbox/{}/actions/retry", dead[0]["id"]), json!({})).await.expect(200);
        sink.start();
        let stats = worker.deliver_mail(&relay, "node-a", 50).await.unwrap();
        assert_eq!(stats.sent, 1, "{stats:?}");
        assert_eq!(sink.wait_for(5).await.len(), 5);
    }

    /// An agent's public reply and the resolution reach the requester by mail; an internal note
    /// never does; someone who switched a notice off does not get it.
    async fn replies_reach_the_requester_and_notes_never_do(desk: Desk) {
        let sink = SmtpSink::started();
        let (person, email) = customer(&desk).await;
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let id = desk.ticket(&person, "incident", "Cannot print payslips").await["id"].as_i64().unwrap();
        desk.post(&agent, &format!("/tickets/{id}/comments"), json!({"body": "SECRET-NOTE: the print server is being replaced", "internal": true})).await.expect(201);
        desk.post(&agent, &format!("/tickets/{id}/comments"), json!({"body": "We are on it; try the printer on floor 2 meanwhile."})).await.expect(201);
        desk.act(&agent, id, "assign", json!({"assignee_id": agent.id})).await.expect(200);
        desk.act(&agent, id, "start", json!({})).await.expect(200);
        desk.act(&agent, id, "resolve", json!({"code": "solved", "notes": "The print queue was cleared."})).await.expect(200);
        desk.app.deliver_mail(&relay(&sink), "test", 50).await.unwrap();
        let sent = sink.wait_for(3).await;
        let to_her: Vec<_> = sent.iter().filter(|m| m.recipients == [email.clone()]).collect();
        assert_eq!(to_her.len(), 3, "logged, reply, resolved: {sent:?}");
        for message in &sent {
            assert!(!message.message.contains("SECRET-NOTE"), "an internal note leaked: {}", message.message);
        }
        assert!(to_her.iter().any(|m| m.message.contains("try the printer on floor 2")));
        assert!(to_her.iter().any(|m| m.header("Subject").unwrap().contains("Resolved")));

        // The agent answers by mail (authenticated by the desk's mail server): that becomes an
        // internal note, which she never sees.
        desk.send(reqwest::Method::PUT, "/settings/mail-authentication", Some(&desk.admin.token), &[],
            Some(("application/json", json!({"trusted_authserv_ids": ["mx.spoc.test"]}).to_string().into_bytes()))).await.expect(200);
        let agent_email = desk.get(&desk.admin, &format!("/users/{}", agent.id)).await.expect(200).body["email"].as_str().unwrap().to_owned();
        let number = desk.get(&desk.admin, &format!("/tickets/{id}")).await.expect(200).body["number"].as_str().unwrap().to_owned();
        let by_mail = deliver(&desk, mail(&agent_email, &format!("Re: [{number}] Cannot print payslips"), "<agent.9@example.test>", &["Authentication-Results: mx.spoc.test; dmarc=pass header.from=example.test"], "MAILED-NOTE: the driver was the culprit")).await.expect(201).body;
        assert_eq!(by_mail["outcome"], "reply_added");
        let said = comments(&desk, id).await;
        let note = said.iter().find(|c| c["body"].as_str().unwrap().contains("MAILED-NOTE")).unwrap();
        assert_eq!(note["internal"], true);
        let hers = desk.get(&person, &format!("/tickets/{id}/comments")).await.expect(200).body;
        assert!(!hers.to_string().contains("MAILED-NOTE"), "{hers}");

        // She switches resolutions off; the next one is recorded as not sent.
        let prefs = desk.get(&person, "/me/notification-preferences").await.expect(200).body;
        assert!(prefs.as_array().unwrap().iter().all(|p| p["email"] == true));
        assert!(!prefs.to_string().contains("sla_breach"), "customers have no staff topics: {prefs}");
        desk.send(reqwest::Method::PUT, "/me/notification-preferences", Some(&person.token), &[],
            Some(("application/json", json!([{"topic": "resolved", "email": false}]).to_string().into_bytes()))).await.expect(200);
        desk.send(reqwest::Method::PUT, "/me/notification-preferences", Some(&person.token), &[],
            Some(("application/json", json!([{"topic": "sla_breach", "email": false}]).to_string().into_bytes()))).await.problem(422, "validation_failed");
        desk.act(&person, id, "reopen", json!({"reason": "It happened again."})).await.expect(200);
        desk.act(&agent, id, "resolve", json!({"code": "solved", "notes": "Replaced the toner."})).await.expect(200);
        desk.app.deliver_mail(&relay(&sink), "test", 50).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let after = sink.messages();
        assert!(after.iter().all(|m| !m.message.contains("Replaced the toner")), "opted out");
        let skipped = outbox(&desk, "sent").await.into_iter().find(|m| m["last_error"].as_str().is_some_and(|e| e.contains("switched this notification off")));
        assert!(skipped.is_some(), "the skip is recorded");
    }
}

both_backends! {
    /// STARTTLS: the plain port is upgraded before the password is sent; and the server's
    /// certificate is checked — without the mailbox's CA the poll fails instead of trusting it.
    async fn starttls_mailboxes_encrypt_and_verify(desk: Desk) {
        let dovecot = Dovecot::start();
        desk.post(&desk.admin, "/mailboxes", json!({
            "name": "plain-port", "address": "help@spoc.test", "imap_host": "localhost",
            "imap_port": dovecot.starttls_port, "imap_security": "starttls",
            "imap_username": IMAP_USER, "imap_password": IMAP_PASSWORD, "ca_certificate": dovecot.ca_pem,
        })).await.expect(201);
        let mailbox = desk.app.mailbox_named(spoc_domain::TenantId::FIRST, "plain-port").await.unwrap();
        dovecot.deliver(&mail("fay@example.com", "Screen is blank", "<blank.1@example.com>", &[], "Since this morning."));
        poll(&desk, &mailbox).await;
        assert_eq!(inbound(&desk).await[0]["outcome"], "ticket_created");

        let untrusted = desk.post(&desk.admin, "/mailboxes", json!({
            "name": "untrusted", "address": "other@spoc.test", "imap_host": "127.0.0.1",
            "imap_port": dovecot.tls_port, "imap_username": IMAP_USER, "imap_password": IMAP_PASSWORD,
        })).await.expect(201).body;
        let mailbox = desk.app.mailbox_named(spoc_domain::TenantId::FIRST, "untrusted").await.unwrap();
        dovecot.deliver(&mail("fay@example.com", "Second", "<second.2@example.com>", &[], "x"));
        let error = spoc::mail::imap::poll_once(&desk.app, &mailbox).await.unwrap_err();
        assert!(format!("{error:#}").contains("TLS"), "{error:#}");
        assert_eq!(dovecot.count("INBOX"), 2, "nothing was taken over an unverified connection");
        assert_eq!(untrusted["imap_security"], "tls");
        // Bad settings are refused with a sentence.
        let bad = desk.post(&desk.admin, "/mailboxes", json!({
            "name": "bad", "address": "not an address", "imap_host": "127.0.0.1",
        })).await.problem(422, "validation_failed");
        assert_eq!(bad.body["errors"][0]["field"], "address");
    }
}

/// The real binary, killed with the mail already committed but not sent (the relay was down),
/// delivers it after the restart; and killed right after the relay accepted a message but before
/// recording it, sends it again after the restart — with the same Message-ID, so the receiver
/// can tell the copies are one.
async fn mail_survives_crashes(db: Db) {
    use crate::restart::{call, run_ok, spoc, start_with};
    let scratch = crate::harness::ScratchDb::new(db).await;
    let mut sink = SmtpSink::new();
    let sink_url = sink.url();
    let env: Vec<(&str, &str)> = vec![
        ("SPOC_SMTP_URL", &sink_url),
        ("SPOC_MAIL_FROM", "Desk <desk@spoc.test>"),
    ];
    let mut server = start_with(db, &scratch, &env).await;
    let admin = run_ok(
        spoc(db, &scratch).args(["token", "create", "--email", "admin@localhost"]),
        None,
    )
    .await;
    let admin = admin.lines().last().unwrap().trim().to_owned();
    run_ok(
        spoc(db, &scratch).args([
            "user",
            "add",
            "--email",
            "gus@example.com",
            "--name",
            "Gus",
            "--role",
            "customer",
        ]),
        None,
    )
    .await;
    let gus = run_ok(
        spoc(db, &scratch).args(["token", "create", "--email", "gus@example.com"]),
        None,
    )
    .await;
    let gus = gus.lines().last().unwrap().trim().to_owned();

    // Committed, the relay down, the worker has tried: then kill -9.
    let (status, _) = call(&server.base, reqwest::Method::POST, "/tickets", &gus, Some(json!({
        "kind": "incident", "title": "Committed before the crash", "description": "x", "impact": "low", "urgency": "low",
    }))).await;
    assert_eq!(status, 201);
    let mut tried = false;
    for _ in 0..100 {
        let (_, pending) = call(
            &server.base,
            reqwest::Method::GET,
            "/outbox?state=pending",
            &admin,
            None,
        )
        .await;
        if pending
            .as_array()
            .is_some_and(|p| p.iter().any(|m| m["attempts"].as_i64() >= Some(1)))
        {
            tried = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(tried, "the worker tried the relay while it was down");
    server.child.kill().await.unwrap();
    sink.start();
    let mut server = start_with(db, &scratch, &env).await;
    // The first retry is due 30 s after the failed attempt.
    let first = sink.wait_within(1, Duration::from_secs(60)).await;
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].recipients, ["gus@example.com"]);
    server.child.kill().await.unwrap();

    // The relay accepts, the process dies before recording it: sent again, same Message-ID.
    let crash: Vec<(&str, &str)> = env
        .iter()
        .copied()
        .chain([("SPOC_FAILPOINT", "outbox.after_send")])
        .collect();
    let mut server = start_with(db, &scratch, &crash).await;
    let (status, _) = call(&server.base, reqwest::Method::POST, "/tickets", &gus, Some(json!({
        "kind": "incident", "title": "Sent before the crash", "description": "x", "impact": "low", "urgency": "low",
    }))).await;
    assert_eq!(status, 201);
    let exit = tokio::time::timeout(Duration::from_secs(30), server.child.wait())
        .await
        .expect("the failpoint aborts")
        .unwrap();
    assert!(!exit.success());
    let copies = sink.wait_for(2).await;
    let mut server = start_with(db, &scratch, &env).await;
    // The dead worker's lease (a minute) is never given back: the message goes out again once
    // it expires — the same message, under the same Message-ID.
    let copies_after = sink.wait_within(3, Duration::from_secs(120)).await;
    let second: Vec<_> = copies_after
        .iter()
        .filter(|m| {
            m.header("Subject")
                .is_some_and(|s| s.contains("Sent before the crash"))
        })
        .collect();
    assert_eq!(
        second.len(),
        2,
        "once before the crash, once after: {copies:?}"
    );
    assert_eq!(
        second[0].header("Message-ID"),
        second[1].header("Message-ID"),
        "the same Message-ID both times"
    );
    let (_, pending) = call(
        &server.base,
        reqwest::Method::GET,
        "/outbox?state=pending",
        &admin,
        None,
    )
    .await;
    assert_eq!(pending, json!([]), "nothing left to send");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(sink.messages().len(), 3, "and nothing more is sent");
    server.child.kill().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_survives_crashes_sqlite() {
    mail_survives_crashes(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_survives_crashes_postgres() {
    mail_survives_crashes(Db::Postgres).await;
}

/// `spoc serve` polls the mailbox by itself and, waiting in IDLE, takes new mail as it arrives.
async fn serve_reads_mailboxes_with_idle(db: Db) {
    use crate::restart::{call, run_ok, spoc, start_with};
    let scratch = crate::harness::ScratchDb::new(db).await;
    let dovecot = Dovecot::start();
    let server = start_with(db, &scratch, &[("SPOC_MAIL_FROM", "desk@spoc.test")]).await;
    let admin = run_ok(
        spoc(db, &scratch).args(["token", "create", "--email", "admin@localhost"]),
        None,
    )
    .await;
    let admin = admin.lines().last().unwrap().trim().to_owned();
    let (status, created) = call(&server.base, reqwest::Method::POST, "/mailboxes", &admin, Some(json!({
        "name": "support", "address": "support@spoc.test", "imap_host": "127.0.0.1", "imap_port": dovecot.tls_port,
        "imap_username": IMAP_USER, "imap_password": IMAP_PASSWORD, "ca_certificate": dovecot.ca_pem,
        "processed_folder": "Processed", "poll_seconds": 600,
    }))).await;
    assert_eq!(status, 201, "{created}");
    let wait_for = |n: usize| {
        let base = server.base.clone();
        let admin = admin.clone();
        async move {
            for _ in 0..600 {
                let (_, log) = call(
                    &base,
                    reqwest::Method::GET,
                    "/inbound-messages",
                    &admin,
                    None,
                )
                .await;
                if log.as_array().is_some_and(|l| l.len() >= n) {
                    return log;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("{n} messages were not taken in 60 s");
        }
    };
    dovecot.deliver(&mail(
        "hal@example.com",
        "First by polling",
        "<p.1@example.com>",
        &[],
        "x",
    ));
    wait_for(1).await;
    // The poll interval is ten minutes: only IDLE can take this one within the wait.
    dovecot.deliver(&mail(
        "hal@example.com",
        "Second by IDLE",
        "<p.2@example.com>",
        &[],
        "y",
    ));
    let log = wait_for(2).await;
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .all(|m| m["outcome"] == "ticket_created"),
        "{log}"
    );
    // The message is moved only after its ticket is committed: give the move a moment.
    for _ in 0..100 {
        if dovecot.count("Processed") == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(dovecot.count("Processed"), 2);
    let (_, boxes) = call(
        &server.base,
        reqwest::Method::GET,
        "/mailboxes",
        &admin,
        None,
    )
    .await;
    assert!(boxes[0]["last_error"].is_null(), "{boxes}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_reads_mailboxes_with_idle_sqlite() {
    serve_reads_mailboxes_with_idle(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_reads_mailboxes_with_idle_postgres() {
    serve_reads_mailboxes_with_idle(Db::Postgres).await;
}
