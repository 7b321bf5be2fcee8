//! The outgoing mail relay set through `/api/v1/settings/mail` (admins only), on both backends:
//! the settings round trip, bad input is problem+json, the password is stored encrypted and
//! never returned, another tenant sees nothing of them, and — with no `--smtp-url` on the desk —
//! mail is delivered through the saved relay to a real SMTP sink without a restart.

use reqwest::Method;
use serde_json::{Value, json};
use spoc_domain::TenantId;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;

use crate::both_backends;
use crate::harness::{Answer, Desk, Person, unique};
use crate::mailservers::SmtpSink;

/// A PUT of `body` to the settings as `who`.
async fn put(desk: &Desk, who: &Person, body: &Value) -> Answer {
    desk.send(
        Method::PUT,
        "/settings/mail",
        Some(&who.token),
        &[],
        Some(("application/json", body.to_string().into_bytes())),
    )
    .await
}

/// An admin of a second tenant, with a token.
async fn second_tenant_admin(desk: &Desk) -> Person {
    let store = desk.app.store();
    let now = spoc_domain::Timestamp::from_micros(1_800_000_000_000_000);
    let tenant = store.create_tenant(&unique("Relay"), now).await.unwrap();
    assert_ne!(tenant, TenantId::FIRST);
    desk.app.prepare_desk(tenant).await.unwrap();
    let user = desk
        .app
        .system_create_user(
            tenant,
            spoc_app::UserInput {
                email: Email::parse(&format!("{}@second.test", unique("admin"))).unwrap(),
                name: Name::parse("Second Admin").unwrap(),
                role: Role::Admin,
                organization_id: None,
                super_user: false,
                password: None,
            },
        )
        .await
        .unwrap();
    let token = desk.app.issue_token(user.id, "tests").await.unwrap();
    Person {
        id: user.id.get(),
        token: token.secret,
    }
}

both_backends! {
    async fn mail_settings_round_trip_and_the_password_is_never_returned(desk: Desk) {
        // Only admins: agents and customers are refused, reading and writing.
        let agent = desk.person("agent", None, false).await;
        let customer = desk.person("customer", None, false).await;
        for who in [&agent, &customer] {
            desk.get(who, "/settings/mail").await.problem(403, "forbidden");
            put(&desk, who, &json!({"host": "x", "port": 25, "security": "none", "from": "a@b.test"})).await.problem(403, "forbidden");
        }
        // Nothing saved: the flags' From address, mail on.
        let fresh = desk.get(&desk.admin, "/settings/mail").await.expect(200).body;
        assert_eq!(fresh["saved"], false, "{fresh}");
        assert!(fresh["from"].as_str().unwrap().contains("desk@spoc.test"), "{fresh}");
        assert_eq!(fresh["has_password"], false);

        // Bad input: problem+json naming the field, nothing saved.
        for (body, field) in [
            (json!({"host": "", "port": 25, "security": "none", "from": "a@b.test"}), "host"),
            (json!({"host": "smtp.b.test", "port": 0, "security": "none", "from": "a@b.test"}), "port"),
            (json!({"host": "smtp.b.test", "port": 25, "security": "ssl", "from": "a@b.test"}), "security"),
            (json!({"host": "smtp.b.test", "port": 25, "security": "none", "from": "Help <a@>"}), "from"),
            (json!({"host": "smtp.b.test", "port": 25, "security": "none", "from": "a@b.test", "public_url": "desk.b.test"}), "public_url"),
        ] {
            let refused = put(&desk, &desk.admin, &body).await.problem(422, "validation_failed");
            assert!(refused.text.contains(field), "{field}: {}", refused.text);
        }
        let status = put(&desk, &desk.admin, &json!({"host": "smtp.b.test", "port": 70000, "security": "none", "from": "a@b.test"}))
            .await
            .status;
        assert!(matches!(status, 400 | 422), "a port out of range: {status}");
        assert_eq!(desk.get(&desk.admin, "/settings/mail").await.expect(200).body["saved"], false);

        // Saved with a password: answered with has_password, never the password.
        let secret = "correct horse battery staple";
        let saved = put(&desk, &desk.admin, &json!({
            "host": "smtp.b.test", "port": 587, "security": "starttls", "username": "desk",
            "password": secret, "from": "Help desk <Help@B.test>", "public_url": "https://desk.b.test/"
        })).await.expect(200);
        assert!(!saved.text.contains(secret));
        assert_eq!(saved.body, json!({
            "saved": true, "host": "smtp.b.test", "port": 587, "security": "starttls", "username": "desk",
            "has_password": true, "from": "Help desk <help@b.test>", "public_url": "https://desk.b.test"
        }));
        let read = desk.get(&desk.admin, "/settings/mail").await.expect(200);
        assert!(!read.text.contains(secret));
        assert_eq!(read.body, saved.body);
        // At rest it is encrypted.
        let stored = desk.app.store().get_setting(TenantId::FIRST, "mail_relay").await.unwrap().unwrap();
        assert!(!stored.contains(secret), "{stored}");
        // Saving without a password keeps it; the checkbox removes it.
        let kept = put(&desk, &desk.admin, &json!({"host": "smtp.b.test", "port": 465, "security": "tls", "username": "desk", "from": "help@b.test"}))
            .await.expect(200).body;
        assert_eq!(kept["has_password"], true, "{kept}");
        assert_eq!(kept["security"], "tls");
        let removed = put(&desk, &desk.admin, &json!({"host": "smtp.b.test", "port": 465, "security": "tls", "from": "help@b.test", "remove_password": true}))
            .await.expect(200).body;
        assert_eq!(removed["has_password"], false, "{removed}");

        // Another tenant's admin sees none of it and saves its own.
        let other = second_tenant_admin(&desk).await;
        let theirs = desk.get(&other, "/settings/mail").await.expect(200).body;
        assert_eq!(theirs["saved"], false, "{theirs}");
        assert!(!theirs.to_string().contains("b.test"), "{theirs}");
        put(&desk, &other, &json!({"host": "mx.second.test", "port": 25, "security": "none", "from": "second@second.test"}))
            .await.expect(200);
        let ours = desk.get(&desk.admin, "/settings/mail").await.expect(200).body;
        assert_eq!(ours["host"], "smtp.b.test", "{ours}");
    }

    /// The desk runs without `--smtp-url`: once an admin saves a relay, the delivery job sends
    /// through it (no restart), from the saved From address with the saved link address.
    async fn mail_goes_out_through_the_saved_relay_without_a_restart(desk: Desk) {
        let sink = SmtpSink::started();
        put(&desk, &desk.admin, &json!({
            "host": "127.0.0.1", "port": sink.port, "security": "none",
            "from": "Relay Desk <relay@desk.test>", "public_url": "https://relay.desk.test"
        })).await.expect(200);
        let customer = desk.person("customer", None, false).await;
        desk.post(&customer, "/tickets", json!({
            "kind": "incident", "title": "Printer jammed", "description": "Paper everywhere", "impact": "low", "urgency": "low"
        })).await.expect(201);
        let sent = sink.wait_within(1, std::time::Duration::from_secs(30)).await;
        assert!(!sent.is_empty(), "the delivery job sent nothing through the saved relay");
        let from = sent[0].header("From").unwrap();
        assert!(from.contains("relay@desk.test"), "{from}");
        assert!(sent[0].message.contains("https://relay.desk.test/portal"), "{}", sent[0].message);
    }
}
