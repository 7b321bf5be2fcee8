//! A managed-service provider's shared mailbox, on both backends: mail the provider receives
//! lands in the tenant it is for — by a recipient that is a tenant's address, else by a sender
//! domain exactly one tenant has, else with the provider —; a reply naming another tenant's
//! ticket never joins it; a client tenant's own mailbox never routes elsewhere; the same message
//! lands once; a tenant's ticket is answered from the tenant's own address. A tenant's
//! addresses are unique across the desk, checked, and changed only by the provider's admins.

use reqwest::Method;
use serde_json::{Value, json};
use spoc_domain::TenantId;

use crate::both_backends;
use crate::harness::{Answer, Desk, Person, unique};

/// A client tenant made by the provider's admin, with its first admin's API token.
async fn client(desk: &Desk, name: &str) -> (TenantId, Person) {
    let slug = unique(name).to_lowercase().replace('_', "-");
    let email = format!("{}@{name}.test", unique("admin"));
    let created = desk
        .post(
            &desk.admin,
            "/tenants",
            json!({"name": unique(name), "slug": slug, "admin": {"email": email, "name": "Mia Admin"}}),
        )
        .await
        .expect(201)
        .body;
    let tenant = TenantId::new(created["tenant"]["id"].as_i64().unwrap());
    let user = desk
        .app
        .store()
        .find_user_by_email(tenant, &email)
        .await
        .unwrap()
        .unwrap();
    let token = desk.app.issue_token(user.id, "tests").await.unwrap().secret;
    (
        tenant,
        Person {
            id: user.id.get(),
            token,
        },
    )
}

async fn put_addresses(desk: &Desk, who: &Person, tenant: TenantId, list: &[&str]) -> Answer {
    desk.send(
        Method::PUT,
        &format!("/tenants/{}/mail-addresses", tenant.get()),
        Some(&who.token),
        &[],
        Some((
            "application/json",
            json!({ "addresses": list }).to_string().into_bytes(),
        )),
    )
    .await
}

async fn put_domains(desk: &Desk, who: &Person, domain: &str) -> i64 {
    let org = desk
        .post(who, "/organizations", json!({"name": unique("Org")}))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    desk.send(
        Method::PUT,
        &format!("/organizations/{org}/email-domains"),
        Some(&who.token),
        &[],
        Some((
            "application/json",
            json!({ "domains": [domain] }).to_string().into_bytes(),
        )),
    )
    .await
    .expect(200);
    org
}

/// A plain message from `from` to `to`, with extra header lines.
fn message(from: &str, to: &str, subject: &str, message_id: &str, headers: &[&str]) -> Vec<u8> {
    let mut text = format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: {message_id}\r\n\
         Date: Tue, 01 Dec 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n"
    );
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str("\r\nThe printer is on fire.\r\n");
    text.into_bytes()
}

/// Delivers a message to the relay endpoint as `who` (an admin), optionally with the envelope
/// recipient; the answer's body.
async fn deliver_as(desk: &Desk, who: &Person, query: &str, raw: Vec<u8>) -> Answer {
    desk.send(
        Method::POST,
        &format!("/mail/inbound{query}"),
        Some(&who.token),
        &[],
        Some(("message/rfc822", raw)),
    )
    .await
}

fn ticket_of(answer: &Value) -> i64 {
    answer["ticket_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no ticket: {answer}"))
}

async fn sees(desk: &Desk, who: &Person, ticket: i64) -> bool {
    let answer = desk.get(who, &format!("/tickets/{ticket}")).await;
    match answer.status {
        200 => true,
        404 => false,
        other => panic!("unexpected {other}: {}", answer.text),
    }
}

/// The tenant a ticket is in, from the store.
async fn tenant_of(desk: &Desk, ticket: i64) -> TenantId {
    for tenant in desk.app.system_list_tenants().await.unwrap() {
        let scope = spoc_domain::access::Scope::tenant(tenant.id);
        if desk
            .app
            .store()
            .get_ticket(spoc_domain::TicketId::new(ticket), &scope)
            .await
            .is_ok()
        {
            return tenant.id;
        }
    }
    panic!("ticket {ticket} is in no tenant");
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

/// `spoc mail deliver --recipient ADDRESS`, as an MTA pipe runs it: its exit status.
async fn pipe_to(database_url: &str, recipient: &str, message: Vec<u8>) -> Option<i32> {
    use std::process::Stdio;
    use tokio::io::AsyncWriteExt;
    let dir = std::env::temp_dir().join(unique("spoc-pipe"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = tokio::process::Command::new(crate::restart::SPOC)
        .env_remove("SPOC_CONFIG")
        .env_remove("SPOC_DATA_DIR")
        .env_remove("SPOC_MAIL_FROM")
        .env_remove("SPOC_FAILPOINT")
        .current_dir(&dir)
        .args([
            "--database",
            database_url,
            "mail",
            "deliver",
            "--recipient",
            recipient,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&message).await.unwrap();
    stdin.shutdown().await.unwrap();
    drop(stdin);
    let status = tokio::time::timeout(std::time::Duration::from_secs(120), child.wait())
        .await
        .expect("spoc mail deliver finishes")
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    status.code()
}

both_backends! {
    /// Mail the provider receives lands by recipient address (To, Delivered-To, the envelope),
    /// then by a sender domain exactly one tenant has, else with the provider; only that
    /// tenant's people see it; the same message twice lands once; the acknowledgement of a
    /// client tenant's ticket comes from the tenant's own address.
    async fn provider_mail_lands_in_the_tenant_it_is_for(desk: Desk) {
        let (a, a_admin) = client(&desk, "client-a").await;
        let (b, b_admin) = client(&desk, "client-b").await;
        let saved = put_addresses(&desk, &desk.admin, a, &[" Support@Client-A.example "]).await.expect(200).body;
        assert_eq!(saved["addresses"], json!(["support@client-a.example"]));
        let b_org = put_domains(&desk, &b_admin, "client-b.example").await;
        put_domains(&desk, &a_admin, "shared.example").await;
        put_domains(&desk, &b_admin, "shared.example").await;

        // To a's address, from a stranger: a's.
        let to_a = deliver_as(&desk, &desk.admin, "", message("Sam <sam@elsewhere.example>", "Support <support@client-a.example>", "Printer", "<a.1@elsewhere.example>", &[])).await.expect(201).body;
        assert_eq!(to_a["outcome"], "ticket_created", "{to_a}");
        let in_a = ticket_of(&to_a);
        assert_eq!(tenant_of(&desk, in_a).await, a);
        assert!(sees(&desk, &a_admin, in_a).await);
        assert!(!sees(&desk, &desk.admin, in_a).await, "the provider's desk does not see it");
        assert!(!sees(&desk, &b_admin, in_a).await);
        let a_log = desk.get(&a_admin, "/inbound-messages").await.expect(200).body;
        assert!(a_log.to_string().contains("an address of tenant"), "{a_log}");
        assert!(!desk.get(&desk.admin, "/inbound-messages").await.expect(200).body.to_string().contains("a.1@elsewhere.example"));

        // The same message again lands nowhere else.
        let again = deliver_as(&desk, &desk.admin, "", message("Sam <sam@elsewhere.example>", "Support <support@client-a.example>", "Printer", "<a.1@elsewhere.example>", &[])).await.expect(200).body;
        assert_eq!((again["duplicate"].as_bool(), again["ticket_id"].as_i64()), (Some(true), Some(in_a)), "{again}");
        let a_tickets = desk.get(&a_admin, "/tickets?limit=200").await.expect(200).body;
        assert_eq!(a_tickets["total"], 1, "{a_tickets}");

        // Forwarded: only Delivered-To names a's address; and the envelope recipient.
        let forwarded = deliver_as(&desk, &desk.admin, "", message("sam@elsewhere.example", "help@provider.example", "Scanner", "<a.2@elsewhere.example>", &["Delivered-To: support@client-a.example"])).await.expect(201).body;
        assert_eq!(tenant_of(&desk, ticket_of(&forwarded)).await, a);
        let enveloped = deliver_as(&desk, &desk.admin, "?recipient=SUPPORT%40client-a.example", message("sam@elsewhere.example", "help@provider.example", "Mouse", "<a.3@elsewhere.example>", &[])).await.expect(201).body;
        assert_eq!(tenant_of(&desk, ticket_of(&enveloped)).await, a);
        deliver_as(&desk, &desk.admin, &format!("?recipient={}", "x".repeat(300)), message("sam@elsewhere.example", "help@provider.example", "Long", "<a.4@elsewhere.example>", &[]))
            .await
            .problem(422, "validation_failed");

        // From b's domain: b's, the sender registered in b's organisation.
        let from_b = deliver_as(&desk, &desk.admin, "", message("Bo <bo@client-b.example>", "help@provider.example", "Laptop", "<b.1@client-b.example>", &[])).await.expect(201).body;
        let in_b = ticket_of(&from_b);
        assert_eq!(tenant_of(&desk, in_b).await, b);
        assert!(sees(&desk, &b_admin, in_b).await);
        assert!(!sees(&desk, &a_admin, in_b).await);
        assert!(!sees(&desk, &desk.admin, in_b).await);
        let bo = desk.app.store().find_user_by_email(b, "bo@client-b.example").await.unwrap().unwrap();
        assert_eq!(bo.organization_id.map(|o| o.get()), Some(b_org));
        assert!(desk.app.store().find_user_by_email(TenantId::FIRST, "bo@client-b.example").await.unwrap().is_none());

        // A domain two tenants have, and an unknown one: the provider's.
        for (from, id) in [("al@shared.example", "<p.1@shared.example>"), ("zed@unknown.example", "<p.2@unknown.example>")] {
            let answer = deliver_as(&desk, &desk.admin, "", message(from, "help@provider.example", "Other", id, &[])).await.expect(201).body;
            let ticket = ticket_of(&answer);
            assert_eq!(tenant_of(&desk, ticket).await, TenantId::FIRST, "{from}");
            assert!(sees(&desk, &desk.admin, ticket).await);
            assert!(!sees(&desk, &a_admin, ticket).await && !sees(&desk, &b_admin, ticket).await);
        }

        // The acknowledgement of a's ticket comes from a's address, and answers go back to it;
        // b's (no address of its own) from the desk's.
        let relay = Recording::default();
        desk.app.deliver_mail(&relay, "test", 100).await.unwrap();
        let sent = relay.sent.lock().unwrap().clone();
        let to_sam = sent.iter().find(|m| m.contains("Subject:") && m.contains("Printer") && m.contains("sam@elsewhere.example")).expect("sam was acknowledged");
        assert!(to_sam.lines().any(|l| l.starts_with("From:") && l.contains("support@client-a.example")), "{to_sam}");
        assert!(to_sam.lines().any(|l| l.starts_with("Reply-To:") && l.contains("support@client-a.example")), "{to_sam}");
        let to_bo = sent.iter().find(|m| m.contains("bo@client-b.example")).expect("bo was acknowledged");
        assert!(to_bo.lines().any(|l| l.starts_with("From:") && l.contains(crate::harness::DESK_ADDRESS)), "{to_bo}");
        assert!(!to_bo.lines().any(|l| l.starts_with("Reply-To:")), "{to_bo}");

        // A deactivated tenant's mail stays with the provider, where someone reads it.
        desk.patch(&desk.admin, &format!("/tenants/{}", a.get()), json!({"active": false})).await.expect(200);
        let inactive = deliver_as(&desk, &desk.admin, "", message("sam@elsewhere.example", "support@client-a.example", "Keyboard", "<a.5@elsewhere.example>", &[])).await.expect(201).body;
        assert_eq!(tenant_of(&desk, ticket_of(&inactive)).await, TenantId::FIRST);
        desk.patch(&desk.admin, &format!("/tenants/{}", a.get()), json!({"active": true})).await.expect(200);

        // Mail from a tenant's own address is the desk's own: a loop, never a ticket.
        let looped = deliver_as(&desk, &desk.admin, "", message("support@client-a.example", "support@client-a.example", "Re: Printer", "<loop.1@client-a.example>", &[])).await.expect(201).body;
        assert_ne!(looped["outcome"], "ticket_created", "{looped}");
        assert_ne!(looped["outcome"], "reply_added", "{looped}");
    }

    /// The MTA pipe passes the envelope recipient: mail whose headers name no tenant lands in
    /// the tenant whose address it was delivered to.
    async fn the_mta_pipe_routes_by_its_envelope_recipient(desk: Desk) {
        let (a, a_admin) = client(&desk, "client-a").await;
        put_addresses(&desk, &desk.admin, a, &["support@client-a.example"]).await.expect(200);
        let raw = message("sam@elsewhere.example", "undisclosed-recipients:;", "Piped", "<pipe.1@elsewhere.example>", &[]);
        assert_eq!(pipe_to(&desk.database_url, "Support@client-a.example", raw).await, Some(0));
        let log = desk.get(&a_admin, "/inbound-messages").await.expect(200).body;
        let piped = log.as_array().unwrap().iter().find(|m| m["message_id"] == "pipe.1@elsewhere.example").unwrap_or_else(|| panic!("{log}"));
        let ticket = piped["ticket_id"].as_i64().unwrap();
        assert_eq!(tenant_of(&desk, ticket).await, a);
        assert!(!sees(&desk, &desk.admin, ticket).await);
    }

    /// A reply that names a ticket of one tenant — by its Message-ID or by the number in its
    /// subject — but is routed to another starts a new ticket there and leaves the first alone;
    /// routed to the ticket's own tenant, it joins it.
    async fn a_reply_never_joins_another_tenants_ticket(desk: Desk) {
        let (a, a_admin) = client(&desk, "client-a").await;
        let (b, b_admin) = client(&desk, "client-b").await;
        put_addresses(&desk, &desk.admin, a, &["support@client-a.example"]).await.expect(200);
        put_addresses(&desk, &desk.admin, b, &["support@client-b.example"]).await.expect(200);
        let first = deliver_as(&desk, &desk.admin, "", message("sam@elsewhere.example", "support@client-a.example", "Printer", "<t.1@elsewhere.example>", &[])).await.expect(201).body;
        let in_a = ticket_of(&first);
        let number = desk.get(&a_admin, &format!("/tickets/{in_a}")).await.expect(200).body["number"].as_str().unwrap().to_owned();
        let comments = |who: Person| {
            let desk = &desk;
            async move { desk.get(&who, &format!("/tickets/{in_a}/comments")).await.expect(200).body.as_array().unwrap().len() }
        };
        let before = comments(a_admin.clone()).await;

        for (id, headers, subject) in [
            ("<t.2@elsewhere.example>", vec!["In-Reply-To: <t.1@elsewhere.example>", "References: <t.1@elsewhere.example>"], "Re: Printer".to_owned()),
            ("<t.3@elsewhere.example>", vec![], format!("Re: [{number}] Printer")),
        ] {
            let reply = deliver_as(&desk, &desk.admin, "", message("sam@elsewhere.example", "support@client-b.example", &subject, id, &headers)).await.expect(201).body;
            assert_eq!(reply["outcome"], "ticket_created", "{reply}");
            let other = ticket_of(&reply);
            assert_ne!(other, in_a);
            assert_eq!(tenant_of(&desk, other).await, b);
            assert!(sees(&desk, &b_admin, other).await);
            assert!(!reply.to_string().contains(&format!("\"ticket_id\":{in_a}")), "{reply}");
        }
        assert_eq!(comments(a_admin.clone()).await, before, "a's ticket took no reply");

        // Routed to a, the same reply joins.
        let joined = deliver_as(&desk, &desk.admin, "", message("sam@elsewhere.example", "support@client-a.example", "Re: Printer", "<t.4@elsewhere.example>", &["In-Reply-To: <t.1@elsewhere.example>"])).await.expect(201).body;
        assert_eq!((joined["outcome"].as_str(), joined["ticket_id"].as_i64()), (Some("reply_added"), Some(in_a)), "{joined}");
        assert_eq!(comments(a_admin.clone()).await, before + 1);
    }

    /// Mail a client tenant receives — through its own mailbox, read as the poller reads it, or
    /// delivered by its own admin — stays in that tenant whatever it names.
    async fn a_client_tenants_own_mailbox_never_routes_elsewhere(desk: Desk) {
        let (a, a_admin) = client(&desk, "client-a").await;
        let (b, b_admin) = client(&desk, "client-b").await;
        put_addresses(&desk, &desk.admin, b, &["support@client-b.example"]).await.expect(200);
        put_domains(&desk, &b_admin, "client-b.example").await;
        desk.post(&a_admin, "/mailboxes", json!({"name": "support", "address": "help@client-a.example"})).await.expect(201);
        let mailbox = desk.app.mailbox_named(a, "support").await.unwrap();

        let polled = desk.app.ingest_mail(Some(&mailbox), &message("bo@client-b.example", "support@client-b.example", "Polled", "<own.1@client-b.example>", &["Delivered-To: support@client-b.example"])).await.unwrap();
        let (polled_ticket, _) = polled.ticket.unwrap();
        assert_eq!(tenant_of(&desk, polled_ticket.get()).await, a);
        let delivered = deliver_as(&desk, &a_admin, "?mailbox=support&recipient=support%40client-b.example", message("bo@client-b.example", "support@client-b.example", "Delivered", "<own.2@client-b.example>", &[])).await.expect(201).body;
        let delivered = ticket_of(&delivered);
        assert_eq!(tenant_of(&desk, delivered).await, a);
        for ticket in [polled_ticket.get(), delivered] {
            assert!(sees(&desk, &a_admin, ticket).await);
            assert!(!sees(&desk, &b_admin, ticket).await);
            assert!(!sees(&desk, &desk.admin, ticket).await);
        }
        let b_tickets = desk.get(&b_admin, "/tickets?limit=200").await.expect(200).body;
        assert_eq!(b_tickets["total"], 0, "{b_tickets}");
    }

    /// A tenant's addresses: unique across tenants (and apart from other tenants' mailboxes),
    /// checked, changed by the provider's admins only and audited; a tenant's admin reads their
    /// own and nothing of another tenant's; other roles see none.
    async fn tenant_mail_addresses_are_unique_checked_and_the_providers_to_change(desk: Desk) {
        let (a, a_admin) = client(&desk, "client-a").await;
        let (b, b_admin) = client(&desk, "client-b").await;
        put_addresses(&desk, &desk.admin, a, &["support@client-a.example", "help@client-a.example", "Help@Client-A.example"]).await.expect(200);
        let read = desk.get(&a_admin, &format!("/tenants/{}/mail-addresses", a.get())).await.expect(200).body;
        assert_eq!(read["addresses"], json!(["support@client-a.example", "help@client-a.example"]));

        // Another tenant's address, in any case, is taken; nothing of b changes.
        put_addresses(&desk, &desk.admin, b, &["new@client-b.example", "SUPPORT@client-a.example"]).await.problem(409, "duplicate");
        let b_read = desk.get(&desk.admin, &format!("/tenants/{}/mail-addresses", b.get())).await.expect(200).body;
        assert_eq!(b_read["addresses"], json!([]));
        // So is the address of another tenant's mailbox.
        desk.post(&desk.admin, "/mailboxes", json!({"name": "shared", "address": "help@provider.example"})).await.expect(201);
        put_addresses(&desk, &desk.admin, b, &["Help@Provider.example"]).await.problem(409, "duplicate");

        // Bad input is refused with a problem.
        for bad in [json!({"addresses": ["not an address"]}), json!({"addresses": ["a@b"]}), json!({"addresses": "x@y.example"}), json!({}),
            json!({"addresses": (0..21).map(|n| format!("a{n}@client-b.example")).collect::<Vec<_>>()}), json!({"addresses": [], "extra": 1})] {
            let answer = desk.send(Method::PUT, &format!("/tenants/{}/mail-addresses", b.get()), Some(&desk.admin.token), &[],
                Some(("application/json", bad.to_string().into_bytes()))).await;
            assert!(answer.status == 400 || answer.status == 422, "{bad}: {} {}", answer.status, answer.text);
            assert_eq!(answer.content_type(), "application/problem+json", "{bad}");
        }
        put_addresses(&desk, &desk.admin, TenantId::new(999_999), &["x@y.example"]).await.problem(404, "not_found");

        // A tenant's admin may read theirs but not change it, and sees nothing of b's.
        put_addresses(&desk, &a_admin, a, &["mine@client-a.example"]).await.problem(403, "forbidden");
        desk.get(&a_admin, &format!("/tenants/{}/mail-addresses", b.get())).await.problem(404, "not_found");
        put_addresses(&desk, &a_admin, b, &["mine@client-b.example"]).await.problem(404, "not_found");
        desk.get(&a_admin, "/tenants/1/mail-addresses").await.problem(404, "not_found");
        desk.get(&b_admin, &format!("/tenants/{}/mail-addresses", a.get())).await.problem(404, "not_found");
        let agent = desk.person("agent", None, false).await;
        desk.get(&agent, &format!("/tenants/{}/mail-addresses", a.get())).await.problem(404, "not_found");
        put_addresses(&desk, &agent, a, &["x@client-a.example"]).await.problem(404, "not_found");
        let read = desk.get(&a_admin, &format!("/tenants/{}/mail-addresses", a.get())).await.expect(200).body;
        assert_eq!(read["addresses"], json!(["support@client-a.example", "help@client-a.example"]), "unchanged");

        // The change is in the provider's audit log; emptying the list frees the addresses.
        let log = desk.get(&desk.admin, "/audit-log?action=tenant.changed").await.expect(200).body;
        assert!(log.to_string().contains("mail_addresses"), "{log}");
        put_addresses(&desk, &desk.admin, a, &[]).await.expect(200);
        put_addresses(&desk, &desk.admin, b, &["support@client-a.example"]).await.expect(200);
    }
}
