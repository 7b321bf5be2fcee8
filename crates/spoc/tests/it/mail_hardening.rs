//! The e-mail channel under hostile and unlucky conditions: the MTA pipe refusing what it cannot
//! keep whole, automated mail recognised and never treated as a person's, staff mail that must
//! prove where it came from, undeliverable notifications told to the ticket's agents, and mail
//! passwords encrypted at rest. Every test runs on SQLite and PostgreSQL.

use std::process::Stdio;

use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use crate::both_backends;
use crate::harness::Desk;

/// `spoc --database URL mail deliver` with `message` on standard input: its exit status and
/// what it said on standard error.
async fn pipe(database_url: &str, message: Vec<u8>) -> (Option<i32>, String) {
    let dir = std::env::temp_dir().join(crate::harness::unique("spoc-pipe"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(crate::restart::SPOC)
        .env_remove("SPOC_CONFIG")
        .env_remove("SPOC_DATA_DIR")
        .env_remove("SPOC_MAIL_FROM")
        .env_remove("SPOC_FAILPOINT")
        .current_dir(&dir)
        .args(["--database", database_url, "mail", "deliver"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The command may stop reading early (an oversized message): a broken pipe is expected.
    let writer = tokio::spawn(async move {
        let _ = stdin.write_all(&message).await;
        let _ = stdin.shutdown().await;
    });
    let output = tokio::time::timeout(
        std::time::Duration::from_secs(120),
        child.wait_with_output(),
    )
    .await
    .expect("spoc mail deliver finishes")
    .unwrap();
    let _ = writer.await;
    let _ = std::fs::remove_dir_all(&dir);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn inbound_log(desk: &Desk) -> Vec<Value> {
    desk.get(&desk.admin, "/inbound-messages?limit=200")
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .clone()
}

/// Delivers a raw message over HTTP, as an MTA with an admin token would.
async fn deliver(desk: &Desk, raw: Vec<u8>) -> Value {
    desk.send(
        reqwest::Method::POST,
        "/mail/inbound",
        Some(&desk.admin.token),
        &[],
        Some(("message/rfc822", raw)),
    )
    .await
    .expect(201)
    .body
}

async fn list(desk: &Desk, who: &crate::harness::Person, path: &str) -> Vec<Value> {
    desk.get(who, path)
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .clone()
}

fn message(from: &str, subject: &str, message_id: &str, headers: &[&str], body: &str) -> Vec<u8> {
    let mut text = format!(
        "From: {from}\r\nTo: Support <support@spoc.test>\r\nSubject: {subject}\r\n\
         Date: Sun, 06 Dec 2026 09:00:00 +0000\r\nMessage-ID: {message_id}\r\nMIME-Version: 1.0\r\n"
    );
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    if !headers
        .iter()
        .any(|h| h.to_ascii_lowercase().starts_with("content-type:"))
    {
        text.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    }
    text.push_str("\r\n");
    text.push_str(body);
    text.push_str("\r\n");
    text.into_bytes()
}

both_backends! {
    /// The MTA pipe refuses a message over 40 MiB with exit 65 (EX_DATAERR, so the MTA bounces
    /// it to its sender) and stores nothing of it, instead of keeping a cut copy; a message
    /// within the limit is stored (exit 0); a database that cannot be reached is exit 75
    /// (EX_TEMPFAIL, so the MTA keeps the message and retries).
    async fn the_mta_pipe_refuses_an_oversized_message_whole(desk: Desk) {
        let mut big = message("Oz <oz@example.net>", "A huge scan", "<huge.1@example.net>", &[], "");
        big.resize(spoc_http::MAX_MESSAGE_BYTES + 4096, b'x');
        let (code, stderr) = pipe(&desk.database_url, big).await;
        assert_eq!(code, Some(65), "EX_DATAERR; stderr: {stderr}");
        assert!(stderr.contains("40 MiB"), "names the limit: {stderr}");
        assert!(inbound_log(&desk).await.is_empty(), "nothing of it is stored");

        let small = message("Oz <oz@example.net>", "A small scan", "<small.2@example.net>", &[], "Here it is.");
        let (code, stderr) = pipe(&desk.database_url, small).await;
        assert_eq!(code, Some(0), "stored; stderr: {stderr}");
        let log = inbound_log(&desk).await;
        assert_eq!(log.len(), 1, "{log:?}");
        assert_eq!(log[0]["message_id"], "small.2@example.net");
        assert_eq!(log[0]["outcome"], "ticket_created");

        let nowhere = format!("postgres://postgres@127.0.0.1:{}/nothing", crate::restart::free_port());
        let again = message("Oz <oz@example.net>", "Later", "<later.3@example.net>", &[], "Hello.");
        let (code, stderr) = pipe(&nowhere, again).await;
        assert_eq!(code, Some(75), "EX_TEMPFAIL; stderr: {stderr}");
        assert!(stderr.contains("not stored"), "{stderr}");
    }
}

both_backends! {
    /// Auto-replies to a ticket's mail — by any of the usual signs — are recorded on the ticket
    /// for staff only: not a reply, no status change, nothing queued for the assignee or anyone
    /// else, invisible to the requester. The requester's own reply still is a reply and still
    /// reaches the assignee.
    async fn a_threaded_auto_reply_is_a_staff_only_entry(desk: Desk) {
        let logged = deliver(&desk, message("Ana <ana@example.org>", "Printer jams", "<first.1@example.org>", &[], "It jams.")).await;
        assert_eq!(logged["outcome"], "ticket_created", "{logged}");
        let id = logged["ticket_id"].as_i64().unwrap();
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        desk.act(&agent, id, "assign", json!({"assignee_id": agent.id})).await.expect(200);
        let before = desk.get(&desk.admin, &format!("/tickets/{id}")).await.expect(200).body;
        let number = before["number"].as_str().unwrap().to_owned();

        let ooo = deliver(&desk, message("Ana <ana@example.org>", "Automatic reply: Printer jams", "<ooo.2@example.org>",
            &["In-Reply-To: <first.1@example.org>", "Auto-Submitted: auto-replied"], "I am out of the office until Monday.")).await;
        assert_eq!(ooo["outcome"], "ignored", "{ooo}");
        assert_eq!(ooo["ticket_id"], id, "recorded on its ticket");
        assert!(ooo["reason"].as_str().unwrap().starts_with("Automated:"), "{ooo}");
        // The issue's cases: Precedence and X-Auto-Response-Suppress alone, threaded by subject.
        let bulk = deliver(&desk, message("ana@example.org", &format!("Re: [{number}] Printer jams"), "<bulk.3@example.org>",
            &["Precedence: bulk"], "Our newsletter.")).await;
        assert_eq!((bulk["outcome"].as_str(), bulk["ticket_id"].as_i64()), (Some("ignored"), Some(id)), "{bulk}");
        let suppress = deliver(&desk, message("ana@example.org", &format!("Re: [{number}] Printer jams"), "<xars.4@example.org>",
            &["X-Auto-Response-Suppress: All"], "Received.")).await;
        assert_eq!((suppress["outcome"].as_str(), suppress["ticket_id"].as_i64()), (Some("ignored"), Some(id)), "{suppress}");

        let after = desk.get(&desk.admin, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(after["status"], before["status"], "no status change");
        assert!(list(&desk, &desk.admin, &format!("/tickets/{id}/comments")).await.is_empty(), "not a reply");
        let events = list(&desk, &desk.admin, &format!("/tickets/{id}/events")).await;
        let automated: Vec<&Value> = events.iter().filter(|e| e["type"] == "automated_mail").collect();
        assert_eq!(automated.len(), 3, "{events:?}");
        assert!(automated.iter().all(|e| e["public"] == false && e["actor_id"].is_null()), "{automated:?}");
        assert!(automated[0]["data"]["text"].as_str().unwrap().contains("out of the office"), "{:?}", automated[0]);
        assert_eq!(automated[0]["data"]["from"], "ana@example.org");
        let ana = desk.get(&desk.admin, "/users?q=ana@example.org").await.expect(200).body[0]["id"].as_i64().unwrap();
        let ana = crate::harness::Person { id: ana, token: desk.app.issue_token(spoc_domain::UserId::new(ana), "t").await.unwrap().secret };
        let seen = list(&desk, &ana, &format!("/tickets/{id}/events")).await;
        assert!(seen.iter().all(|e| e["type"] != "automated_mail"), "the requester never sees them: {seen:?}");
        let queued = list(&desk, &desk.admin, "/outbox?limit=200").await;
        let topics: Vec<&str> = queued.iter().filter_map(|m| m["topic"].as_str()).collect();
        assert_eq!(topics, ["mail.ticket_logged"], "only the acknowledgement of the real mail: {queued:?}");
        let log = list(&desk, &desk.admin, "/inbound-messages?limit=200").await;
        let ooo_log = log.iter().find(|m| m["message_id"] == "ooo.2@example.org").unwrap();
        assert!(ooo_log["auto_reply"].as_str().unwrap().starts_with("Not answered automatically."), "{ooo_log}");

        // Her own reply is a reply, and it reaches the assignee.
        let reply = deliver(&desk, message("ana@example.org", &format!("Re: [{number}] Printer jams"), "<reply.5@example.org>", &[], "Still jams.")).await;
        assert_eq!(reply["outcome"], "reply_added", "{reply}");
        let queued = list(&desk, &desk.admin, "/outbox?limit=200").await;
        assert!(queued.iter().any(|m| m["topic"] == "mail.customer_reply"), "{queued:?}");

        // A bounce of the desk's own acknowledgement names it only in the returned headers:
        // that is enough to record it on the ticket.
        let relay = Recording::default();
        desk.app.deliver_mail(&relay, "test", 50).await.unwrap();
        let sent = relay.sent.lock().unwrap().clone();
        let ack = sent.iter().find(|m| m.contains("ana@example.org") && m.contains(&number)).expect("the acknowledgement was sent");
        let ack_id = ack.lines().find_map(|l| l.strip_prefix("Message-ID: ")).unwrap().trim().to_owned();
        let dsn = format!("From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\nTo: desk@spoc.test\r\n\
            Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn.6@mx.example.org>\r\nMIME-Version: 1.0\r\n\
            Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n\
            --b1\r\nContent-Type: text/plain\r\n\r\nMailbox full.\r\n\
            --b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n\
            Final-Recipient: rfc822; ana@example.org\r\nAction: failed\r\nStatus: 5.2.2\r\n\r\n\
            --b1\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: desk@spoc.test\r\nMessage-ID: {ack_id}\r\n\r\n--b1--\r\n");
        let bounced = deliver(&desk, dsn.into_bytes()).await;
        assert_eq!((bounced["outcome"].as_str(), bounced["ticket_id"].as_i64()), (Some("ignored"), Some(id)), "{bounced}");
        let events = list(&desk, &desk.admin, &format!("/tickets/{id}/events")).await;
        assert_eq!(events.iter().filter(|e| e["type"] == "automated_mail").count(), 4);
    }

    /// A bounce from MAILER-DAEMON that answers no ticket — even without a null return path or
    /// a delivery report — starts no ticket, registers nobody and is acknowledged to nobody: it
    /// is held with the reason "automated", for an admin to see.
    async fn an_unthreaded_mailer_daemon_bounce_is_held(desk: Desk) {
        let bounce = message("Mail Delivery System <MAILER-DAEMON@mx.example.org>", "Undelivered Mail Returned to Sender",
            "<bounce.1@mx.example.org>", &[], "This is the mail system at host mx.example.org. Your message could not be delivered.");
        let held = deliver(&desk, bounce).await;
        assert_eq!(held["outcome"], "held", "{held}");
        assert!(held["ticket_id"].is_null());
        assert!(held["reason"].as_str().unwrap().starts_with("Automated:"), "{held}");
        assert!(held["reason"].as_str().unwrap().contains("MAILER-DAEMON") || held["reason"].as_str().unwrap().contains("mailer-daemon"), "{held}");
        let postmaster = deliver(&desk, message("postmaster@example.net", "Delivery Status Notification (Failure)",
            "<pm.2@example.net>", &[], "Delivery to the following recipient failed permanently.")).await;
        assert_eq!(postmaster["outcome"], "held", "{postmaster}");

        let waiting = list(&desk, &desk.admin, "/inbound-messages?outcome=held&unsettled=true").await;
        assert_eq!(waiting.len(), 2, "both wait in the held list: {waiting:?}");
        let tickets = desk.get(&desk.admin, "/tickets").await.expect(200).body;
        assert!(tickets["items"].as_array().unwrap().is_empty(), "no ticket: {tickets}");
        let users = desk.get(&desk.admin, "/users?q=mx.example.org").await.expect(200).body;
        assert_eq!(users.as_array().unwrap().len(), 0, "nobody registered: {users}");
        assert!(list(&desk, &desk.admin, "/outbox?limit=200").await.is_empty(), "nothing sent back");
    }
}

both_backends! {
    /// Mail in an agent's name is posted as them only when a mail server the desk trusts
    /// authenticated the sender's domain: spoofed mail, and mail whose Authentication-Results
    /// come from a server nobody trusts, are held for review — never posted as the agent — and
    /// an admin can post a held one after checking, or dismiss it.
    async fn spoofed_staff_mail_is_held_and_authenticated_mail_is_posted(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let email = desk.get(&desk.admin, &format!("/users/{}", agent.id)).await.expect(200).body["email"].as_str().unwrap().to_owned();
        let customer = desk.person("customer", None, false).await;
        let ticket = desk.ticket(&customer, "incident", "VPN drops").await;
        let (id, number) = (ticket["id"].as_i64().unwrap(), ticket["number"].as_str().unwrap().to_owned());
        let note = |message_id: &str, headers: &[&str]| message(&format!("Agent <{email}>"), &format!("Re: [{number}] VPN drops"),
            message_id, headers, "Reset the user's token; it was compromised.");

        // Nobody is trusted yet: even a passing result is not proof.
        let spoofed = deliver(&desk, note("<spoof.1@attacker.test>", &["Authentication-Results: mx.desk.test; dmarc=pass header.from=example.test"])).await;
        assert_eq!(spoofed["outcome"], "held", "{spoofed}");
        assert!(spoofed["reason"].as_str().unwrap().contains("member of staff"), "{spoofed}");
        assert!(spoofed["reason"].as_str().unwrap().contains("not set"), "{spoofed}");

        // The trusted servers, set through the admin API (admins only, checked).
        let agent_try = desk.send(reqwest::Method::PUT, "/settings/mail-authentication", Some(&agent.token), &[],
            Some(("application/json", json!({"trusted_authserv_ids": ["mx.desk.test"]}).to_string().into_bytes()))).await;
        agent_try.problem(403, "forbidden");
        let bad = desk.send(reqwest::Method::PUT, "/settings/mail-authentication", Some(&desk.admin.token), &[],
            Some(("application/json", json!({"trusted_authserv_ids": ["mx desk; test"]}).to_string().into_bytes()))).await;
        bad.problem(422, "validation_failed");
        let set = desk.send(reqwest::Method::PUT, "/settings/mail-authentication", Some(&desk.admin.token), &[],
            Some(("application/json", json!({"trusted_authserv_ids": ["MX.desk.test", "mx.desk.test"]}).to_string().into_bytes()))).await.expect(200);
        assert_eq!(set.body, json!({"trusted_authserv_ids": ["mx.desk.test"]}));
        assert_eq!(desk.get(&desk.admin, "/settings/mail-authentication").await.expect(200).body, set.body);

        let bare = deliver(&desk, note("<spoof.2@attacker.test>", &[])).await;
        assert_eq!(bare["outcome"], "held", "no results at all: {bare}");
        let untrusted = deliver(&desk, note("<spoof.3@attacker.test>", &["Authentication-Results: mx.attacker.test; dmarc=pass header.from=example.test"])).await;
        assert_eq!(untrusted["outcome"], "held", "results from a server nobody trusts: {untrusted}");
        assert!(untrusted["reason"].as_str().unwrap().contains("no Authentication-Results from a trusted server"), "{untrusted}");
        let failed = deliver(&desk, note("<spoof.4@attacker.test>", &[
            "Authentication-Results: mx.desk.test; spf=fail smtp.mailfrom=attacker.test; dkim=none",
            "Received: from attacker.test by mx.desk.test",
            "Authentication-Results: mx.desk.test; dmarc=pass header.from=example.test",
        ])).await;
        assert_eq!(failed["outcome"], "held", "a forged pass below the server's own verdict: {failed}");
        assert!(list(&desk, &desk.admin, &format!("/tickets/{id}/comments")).await.is_empty(), "nothing posted as the agent");

        let genuine = deliver(&desk, note("<real.5@example.test>", &["Authentication-Results: mx.desk.test; spf=pass smtp.mailfrom=example.test; dkim=pass header.d=example.test"])).await;
        assert_eq!(genuine["outcome"], "reply_added", "{genuine}");
        assert_eq!(genuine["ticket_id"], id);
        let said = list(&desk, &desk.admin, &format!("/tickets/{id}/comments")).await;
        assert_eq!(said.len(), 1, "{said:?}");
        assert_eq!((said[0]["author_id"].as_i64(), said[0]["internal"].as_bool()), (Some(agent.id), Some(true)));

        // An admin who checked with the agent posts a held one; another is dismissed.
        let posted = desk.post(&desk.admin, &format!("/inbound-messages/{}/actions/post", bare["inbound_id"]), json!({})).await.expect(200).body;
        assert_eq!(posted["outcome"], "reply_added", "{posted}");
        assert_eq!(list(&desk, &desk.admin, &format!("/tickets/{id}/comments")).await.len(), 2);
        desk.post(&desk.admin, &format!("/inbound-messages/{}/actions/dismiss", untrusted["inbound_id"]), json!({})).await.expect(200);
        desk.post(&desk.admin, &format!("/inbound-messages/{}/actions/retry", failed["inbound_id"]), json!({})).await.problem(403, "forbidden");
        assert_eq!(list(&desk, &desk.admin, &format!("/tickets/{id}/comments")).await.len(), 2, "retrying does not vouch");
    }
}

/// A relay that accepts every message and keeps a copy.
#[derive(Default)]
struct Recording {
    sent: std::sync::Mutex<Vec<String>>,
}

impl spoc_app::MailTransport for Recording {
    async fn send(&self, _: &str, _: &[String], message: &[u8]) -> Result<(), spoc_app::SendError> {
        self.sent
            .lock()
            .unwrap()
            .push(String::from_utf8_lossy(message).into_owned());
        Ok(())
    }
}

/// A relay that refuses every message, for good (5xx) or for now (4xx).
struct Refusing {
    permanent: bool,
}

impl spoc_app::MailTransport for Refusing {
    async fn send(
        &self,
        _: &str,
        recipients: &[String],
        _: &[u8],
    ) -> Result<(), spoc_app::SendError> {
        let to = recipients.join(", ");
        if self.permanent {
            Err(spoc_app::SendError::Permanent(format!(
                "550 5.1.1 <{to}>: Recipient address rejected: User unknown"
            )))
        } else {
            Err(spoc_app::SendError::Transient(
                "451 4.3.0 Mail server temporarily unavailable".to_owned(),
            ))
        }
    }
}

async fn undeliverable_events(desk: &Desk, who: &crate::harness::Person, id: i64) -> Vec<Value> {
    list(desk, who, &format!("/tickets/{id}/events"))
        .await
        .into_iter()
        .filter(|e| e["type"] == "notification_undeliverable")
        .collect()
}

async fn told(desk: &Desk, who: &crate::harness::Person) -> Vec<Value> {
    list(desk, who, "/me/notifications")
        .await
        .into_iter()
        .filter(|n| n["topic"] == "notification_undeliverable")
        .collect()
}

both_backends! {
    /// When the relay refuses a notification for good, or every retry fails, the ticket says so
    /// once, for staff only, and its agents are told in the app: the assignee, or the group's
    /// agents while nobody is assigned. Sending it again and failing again says nothing new.
    async fn an_undeliverable_notification_is_told_to_the_tickets_agents(desk: Desk) {
        let group = desk.default_group().await;
        let (first, second) = (desk.agent_in(&[group]).await, desk.agent_in(&[group]).await);
        let customer = desk.person("customer", None, false).await;
        let email = desk.get(&desk.admin, &format!("/users/{}", customer.id)).await.expect(200).body["email"].as_str().unwrap().to_owned();
        let ticket = desk.ticket(&customer, "incident", "Laptop will not boot").await;
        let (id, number) = (ticket["id"].as_i64().unwrap(), ticket["number"].as_str().unwrap().to_owned());

        // Refused for good: the acknowledgement is a dead letter at once.
        let stats = desk.app.deliver_mail(&Refusing { permanent: true }, "test", 50).await.unwrap();
        assert_eq!(stats.dead, 1, "{stats:?}");
        let events = undeliverable_events(&desk, &desk.admin, id).await;
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0]["public"], false);
        assert_eq!(events[0]["data"]["recipient"], email.as_str());
        assert_eq!(events[0]["data"]["topic"], "ticket_logged");
        assert!(events[0]["data"]["reason"].as_str().unwrap().contains("550 5.1.1"), "{events:?}");
        assert!(undeliverable_events(&desk, &customer, id).await.is_empty(), "the requester never sees it");
        for agent in [&first, &second] {
            let notes = told(&desk, agent).await;
            assert_eq!(notes.len(), 1, "unassigned: the group's agents are told: {notes:?}");
            assert_eq!(notes[0]["ticket_id"], id);
            assert!(notes[0]["message"].as_str().unwrap().contains(&number), "{notes:?}");
        }
        assert!(told(&desk, &customer).await.is_empty());

        // Sent again by an admin and refused again: nothing new on the ticket.
        let dead = list(&desk, &desk.admin, "/outbox?state=dead").await;
        desk.post(&desk.admin, &format!("/outbox/{}/actions/retry", dead[0]["id"]), json!({})).await.expect(200);
        desk.app.deliver_mail(&Refusing { permanent: true }, "test", 50).await.unwrap();
        assert_eq!(list(&desk, &desk.admin, "/outbox?state=dead").await.len(), 1);
        assert_eq!(undeliverable_events(&desk, &desk.admin, id).await.len(), 1, "recorded once");
        assert_eq!(told(&desk, &first).await.len(), 1);

        // Assigned now; a reply that fails at every retry becomes a dead letter too, and only
        // the assignee is told.
        desk.act(&first, id, "assign", json!({"assignee_id": first.id})).await.expect(200);
        desk.post(&first, &format!("/tickets/{id}/comments"), json!({"body": "Hold the power button for ten seconds."})).await.expect(201);
        let store = spoc_store::Store::connect(&spoc_store::StoreOptions::new(desk.database_url.clone())).await.unwrap();
        let clock = std::sync::Arc::new(spoc_app::FakeClock::new(spoc_domain::Timestamp::from_micros(
            i64::try_from(std::time::SystemTime::UNIX_EPOCH.elapsed().unwrap().as_micros()).unwrap())));
        let worker = spoc_app::App::new(store, clock.clone()).with_mail(spoc_app::MailConfig {
            from: spoc_mail::Address::parse(crate::harness::DESK_ADDRESS).unwrap(),
            public_url: "http://desk.spoc.test".to_owned(),
        });
        for attempt in 1..=spoc_app::MAX_MAIL_ATTEMPTS {
            worker.deliver_mail(&Refusing { permanent: false }, "node-b", 50).await.unwrap();
            let told_now = undeliverable_events(&desk, &desk.admin, id).await.len();
            assert_eq!(told_now, if attempt < spoc_app::MAX_MAIL_ATTEMPTS { 1 } else { 2 }, "attempt {attempt}: only a dead letter is told");
            clock.advance(2 * 3600 * 1_000_000);
        }
        let events = undeliverable_events(&desk, &desk.admin, id).await;
        assert_eq!(events[1]["data"]["topic"], "agent_reply");
        assert!(events[1]["data"]["reason"].as_str().unwrap().contains("451"), "{events:?}");
        assert_eq!(told(&desk, &first).await.len(), 2, "the assignee is told");
        assert_eq!(told(&desk, &second).await.len(), 1, "the other agent is not, now");
    }
}

/// The stored IMAP password of mailbox `id`, read from the database directly.
async fn stored_password(desk: &Desk, id: i64) -> String {
    let sql = "SELECT imap_password FROM mailboxes WHERE id = $1";
    match desk.db {
        crate::harness::Db::Sqlite => {
            let mut conn =
                <sqlx::SqliteConnection as sqlx::Connection>::connect(&desk.database_url)
                    .await
                    .unwrap();
            sqlx::query_scalar(sql)
                .bind(id)
                .fetch_one(&mut conn)
                .await
                .unwrap()
        }
        crate::harness::Db::Postgres => {
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&desk.database_url)
                .await
                .unwrap();
            sqlx::query_scalar(sql)
                .bind(id)
                .fetch_one(&mut conn)
                .await
                .unwrap()
        }
    }
}

async fn set_stored_password(desk: &Desk, id: i64, value: &str) {
    let sql = "UPDATE mailboxes SET imap_password = $1 WHERE id = $2";
    match desk.db {
        crate::harness::Db::Sqlite => {
            let mut conn =
                <sqlx::SqliteConnection as sqlx::Connection>::connect(&desk.database_url)
                    .await
                    .unwrap();
            sqlx::query(sql)
                .bind(value)
                .bind(id)
                .execute(&mut conn)
                .await
                .unwrap();
        }
        crate::harness::Db::Postgres => {
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&desk.database_url)
                .await
                .unwrap();
            sqlx::query(sql)
                .bind(value)
                .bind(id)
                .execute(&mut conn)
                .await
                .unwrap();
        }
    }
}

/// Runs `spoc --database … --data-dir … ARGS` with extra environment; (exit code, stdout+stderr).
async fn spoc_command(desk: &Desk, args: &[&str], envs: &[(&str, &str)]) -> (Option<i32>, String) {
    let output = Command::new(crate::restart::SPOC)
        .env_remove("SPOC_CONFIG")
        .env_remove("SPOC_DATA_DIR")
        .env_remove("SPOC_SECRET_KEYS")
        .env_remove("SPOC_MAIL_FROM")
        .envs(envs.iter().copied())
        .current_dir(desk.data_dir())
        .arg("--database")
        .arg(&desk.database_url)
        .arg("--data-dir")
        .arg(desk.data_dir())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.code(), text)
}

fn key_file_mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

both_backends! {
    /// Mailbox passwords are stored encrypted under a key kept outside the database (a 0600 key
    /// file made on first need, or SPOC_SECRET_KEYS), never returned by the API, decrypted only
    /// to sign in; a password stored in clear before is encrypted at the next start;
    /// `spoc secrets rotate` re-encrypts everything with a new key; a key file others can read
    /// is refused with a sentence.
    async fn mailbox_passwords_are_encrypted_at_rest(desk: Desk) {
        let secret = "correct-horse-battery-staple";
        let created = desk.post(&desk.admin, "/mailboxes", json!({
            "name": "support", "address": "support@spoc.test", "imap_host": "imap.example.test",
            "imap_security": "tls", "imap_username": "help", "imap_password": secret,
        })).await.expect(201).body;
        assert_eq!(created["has_password"], true, "{created}");
        assert!(!created.to_string().contains(secret), "{created}");
        let id = created["id"].as_i64().unwrap();
        let listed = desk.get(&desk.admin, "/mailboxes").await.expect(200).text;
        assert!(!listed.contains(secret) && !listed.contains("v1:"), "{listed}");

        let stored = stored_password(&desk, id).await;
        assert!(stored.starts_with("v1:k1:"), "encrypted: {stored}");
        assert!(!stored.contains(secret));
        let key_file = desk.data_dir().join("secret.key");
        assert_eq!(key_file_mode(&key_file), 0o600, "made on first need, for its owner only");
        let mailbox = desk.app.mailbox_named(spoc_domain::TenantId::FIRST, "support").await.unwrap();
        assert_eq!(desk.app.imap_sign_in(&mailbox).await.unwrap().unwrap().password, secret, "round trip");
        // Saved again without a password: the stored one stays as it is.
        desk.send(reqwest::Method::PUT, &format!("/mailboxes/{id}"), Some(&desk.admin.token), &[],
            Some(("application/json", json!({"name": "support", "address": "support@spoc.test", "imap_host": "imap.example.test",
                "imap_security": "tls", "imap_username": "help"}).to_string().into_bytes()))).await.expect(200);
        assert_eq!(stored_password(&desk, id).await, stored);

        // A password from before encryption is encrypted when Spoc next starts.
        set_stored_password(&desk, id, "legacy-clear-password").await;
        let (code, out) = spoc_command(&desk, &["migrate"], &[]).await;
        assert_eq!(code, Some(0), "{out}");
        let sealed = stored_password(&desk, id).await;
        assert!(sealed.starts_with("v1:k1:") && !sealed.contains("legacy"), "{sealed}");

        // Rotation: a new key in the file, everything re-encrypted, the old key gone.
        let (code, out) = spoc_command(&desk, &["secrets", "rotate"], &[]).await;
        assert_eq!(code, Some(0), "{out}");
        assert!(out.contains("Re-encrypted 1"), "{out}");
        let rotated = stored_password(&desk, id).await;
        assert!(rotated.starts_with("v1:k2:"), "{rotated}");
        let file = std::fs::read_to_string(&key_file).unwrap();
        assert!(file.starts_with("k2=") && !file.contains("k1="), "the old key is removed");
        assert_eq!(key_file_mode(&key_file), 0o600);
        let keys = spoc_app::SecretKeys::parse(&file).unwrap();
        assert_eq!(keys.decrypt(&rotated).unwrap(), "legacy-clear-password");
        let mailbox = desk.app.mailbox_named(spoc_domain::TenantId::FIRST, "support").await.unwrap();
        assert_eq!(desk.app.imap_sign_in(&mailbox).await.unwrap().unwrap().password, "legacy-clear-password",
            "a running server reads its key file again for a key it did not know");

        // Keys from the environment: the first is current; the old file key still reads.
        let env_keys = format!("{},{}", spoc_app::SecretKeys::generate("ops1"), file.trim());
        let (code, out) = spoc_command(&desk, &["secrets", "rotate"], &[("SPOC_SECRET_KEYS", &env_keys)]).await;
        assert_eq!(code, Some(0), "{out}");
        let by_env = stored_password(&desk, id).await;
        assert!(by_env.starts_with("v1:ops1:"), "{by_env}");
        assert_eq!(spoc_app::SecretKeys::parse(&env_keys).unwrap().decrypt(&by_env).unwrap(), "legacy-clear-password");

        // A key file others can read is refused, with a sentence.
        set_stored_password(&desk, id, "another-clear-one").await;
        std::fs::set_permissions(&key_file, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
        let (code, out) = spoc_command(&desk, &["migrate"], &[]).await;
        assert_ne!(code, Some(0), "{out}");
        assert!(out.contains("chmod 600"), "{out}");
        assert_eq!(stored_password(&desk, id).await, "another-clear-one", "nothing was done with that key");
    }
}
