//! People's data, on both backends: a person's export holds every kind of record about them and
//! nothing about another customer; an erasure leaves no trace of their name, address or words in
//! any table or search, keeps the reports over their tickets byte for byte, leaves other tenants'
//! people alone, and is refused where it must be.

mod dump;

use std::collections::BTreeMap;
use std::io::Read;

use serde_json::{Value, json};
use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp, UserId};

use crate::both_backends;
use crate::harness::{Desk, Person, unique};
use crate::mail::deliver;

const NAME: &str = "Ottilie Zanderquist";
const PHRASE: &str = "zorblattquix";
const OTHER_NAME: &str = "Bartholomew Quillfeather";
const OTHER_PHRASE: &str = "marmaladeoctopus";

/// The files of a `.tar.gz` archive by path.
fn unpack(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let mut files = BTreeMap::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        files.insert(path, content);
    }
    files
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let haystack = String::from_utf8_lossy(haystack).to_lowercase();
    haystack.contains(&needle.to_lowercase())
}

fn occurrences(haystack: &str, needle: &str) -> usize {
    haystack
        .to_lowercase()
        .matches(&needle.to_lowercase())
        .count()
}

/// A customer named `name` of `organization`, with a password and an API token; and their
/// e-mail address.
async fn named_customer(desk: &Desk, name: &str, organization: i64) -> (Person, String) {
    let email = format!("{}@example.test", unique("privacy"));
    let id = desk
        .post(
            &desk.admin,
            "/users",
            json!({
                "email": email, "name": name, "role": "customer", "organization_id": organization,
            }),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    desk.patch(
        &desk.admin,
        &format!("/users/{id}"),
        json!({ "password": "correct horse battery" }),
    )
    .await
    .expect(200);
    let token = desk
        .app
        .issue_token(UserId::new(id), "laptop")
        .await
        .unwrap();
    (
        Person {
            id,
            token: token.secret,
        },
        email,
    )
}

/// A message from `from` with a small attachment.
fn mail_from(from: &str, name: &str, message_id: &str) -> Vec<u8> {
    format!(
        "From: {name} <{from}>\r\nTo: support@spoc.test\r\nSubject: Scanner {PHRASE}\r\nMessage-ID: {message_id}\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n\
         --m\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe scanner says {PHRASE} again.\r\n-- \r\n{name}\r\n\
         --m\r\nContent-Type: text/plain; name=\"notes.txt\"\r\nContent-Disposition: attachment; filename=\"notes.txt\"\r\n\r\nmy notes: {PHRASE}\r\n\
         --m--\r\n"
    )
    .into_bytes()
}

/// The reports over the desk's tickets, as served.
async fn reports(desk: &Desk) -> Vec<String> {
    let mut out = Vec::new();
    for path in [
        "/reports/sla?from=2000-01-01&to=2100-01-01&by=priority",
        "/reports/sla?from=2000-01-01&to=2100-01-01&by=policy",
        "/reports/self-service?from=2000-01-01&to=2100-01-01",
    ] {
        out.push(desk.get(&desk.admin, path).await.expect(200).text);
    }
    out
}

/// The rich setup: the person and another customer of the same organisation, each with tickets
/// and words of their own, an agent's reply and note naming the person, and mail from the person
/// with a file. Returns the person, their address, the agent, the other customer, their
/// address, and the person's ticket.
async fn setup(desk: &Desk) -> (Person, String, Person, Person, String, i64) {
    let org = desk.organization(&unique("Org")).await;
    let (person, email) = named_customer(desk, NAME, org).await;
    let (other, other_email) = named_customer(desk, OTHER_NAME, org).await;
    let agent = desk.agent_in(&[desk.default_group().await]).await;
    let ticket = desk
        .post(&person, "/tickets", json!({
            "kind": "incident", "title": format!("Printer {PHRASE}"),
            "description": format!("It prints {PHRASE} on every page"), "impact": "medium", "urgency": "high",
        }))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    desk.post(
        &person,
        &format!("/tickets/{ticket}/comments"),
        json!({ "body": format!("Still {PHRASE}."), "internal": false }),
    )
    .await
    .expect(201);
    desk.post(
        &agent,
        &format!("/tickets/{ticket}/comments"),
        json!({ "body": format!("Hello {NAME}, we are on it."), "internal": false }),
    )
    .await
    .expect(201);
    desk.post(
        &agent,
        &format!("/tickets/{ticket}/comments"),
        json!({ "body": format!("Called {NAME} at {email}."), "internal": true }),
    )
    .await
    .expect(201);
    let theirs = desk
        .post(
            &other,
            "/tickets",
            json!({
                "kind": "incident", "title": format!("Monitor {OTHER_PHRASE}"),
                "description": "Flickers", "impact": "low", "urgency": "low",
            }),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    desk.post(
        &other,
        &format!("/tickets/{theirs}/comments"),
        json!({ "body": format!("Also {OTHER_PHRASE}"), "internal": false }),
    )
    .await
    .expect(201);
    deliver(
        desk,
        mail_from(
            &email,
            NAME,
            &format!("<{}@example.test>", unique("privacy")),
        ),
    )
    .await
    .expect(201);
    desk.sign_in(&email, "correct horse battery").await;
    (person, email, agent, other, other_email, ticket)
}

both_backends! {
    /// The person's export (their own, and an admin's) holds every kind of record about them and
    /// their files, and nothing of another customer; nobody else can export them.
    async fn an_export_holds_everything_about_the_person_and_nothing_else(desk: Desk) {
        let (person, email, agent, other, other_email, _) = setup(&desk).await;
        let own = desk.get(&person, "/me/export").await.expect(200);
        assert_eq!(own.content_type(), "application/gzip");
        let disposition = own.headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment") && disposition.contains(".tar.gz"), "{disposition}");
        let bytes = desk
            .send(reqwest::Method::GET, "/me/export", Some(&person.token), &[], None)
            .await;
        let raw = reqwest::Client::new()
            .get(desk.url("/me/export"))
            .bearer_auth(&person.token)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(bytes.status, 200);
        let files = unpack(&raw);
        let document: Value = serde_json::from_slice(&files["person.json"]).unwrap();
        let sections = document["sections"].as_object().unwrap();
        for section in [
            "profile", "organization", "tickets_requested", "ticket_events", "sessions",
            "api_tokens", "inbound_messages", "attachments",
        ] {
            assert!(
                sections[section].as_array().is_some_and(|rows| !rows.is_empty()),
                "section {section} is empty: {document:#}"
            );
        }
        assert_eq!(sections["profile"][0]["email"], email.as_str());
        assert_eq!(sections["api_tokens"][0]["label"], "laptop");
        assert!(sections["api_tokens"][0].get("token_hash").is_none());
        assert!(sections["sessions"][0]["device"].is_string() || sections["sessions"][0]["device"].is_null());
        let path = sections["attachments"][0]["path"].as_str().unwrap();
        assert!(contains(&files[path], PHRASE), "the file itself is in the archive");
        // The staff reply is there with its author's role-appropriate name; the internal note is
        // not (a customer never saw it).
        let all: Vec<u8> = files.values().flatten().copied().collect();
        assert!(contains(&all, "we are on it"));
        assert!(!contains(&all, "Called"), "an internal note reached the customer's export");
        for foreign in [OTHER_NAME, other_email.as_str(), OTHER_PHRASE] {
            assert!(!contains(&all, foreign), "{foreign} is in the person's export");
        }
        // An admin exports the same person; the other customer and an agent cannot.
        let by_admin = desk.get(&desk.admin, &format!("/people/{}/export", person.id)).await.expect(200);
        assert_eq!(by_admin.content_type(), "application/gzip");
        desk.get(&other, &format!("/people/{}/export", person.id)).await.problem(404, "not_found");
        desk.get(&agent, &format!("/people/{}/export", person.id)).await.problem(404, "not_found");
        desk.get(&desk.admin, "/people/999999999/export").await.problem(404, "not_found");
        // An admin of another tenant does not find the person.
        let second = second_tenant_admin(&desk).await;
        desk.get(&second, &format!("/people/{}/export", person.id)).await.problem(404, "not_found");
        desk.post(&second, &format!("/people/{}/actions/erase", person.id), json!({})).await.problem(404, "not_found");
        desk.get(&person, "/me").await.expect(200);
    }

    /// After an erasure, the person's name, address and words are nowhere in the database (every
    /// text and binary column of every table) nor found by search; the reports are unchanged;
    /// they cannot sign in; a person of another tenant with the same name is untouched.
    async fn an_erasure_leaves_no_trace_and_keeps_the_reports(desk: Desk) {
        let (person, email, agent, other, _, ticket) = setup(&desk).await;
        let (second, twin) = second_tenant_twin(&desk, &email).await;
        let before = reports(&desk).await;
        let events_before = desk.get(&agent, &format!("/tickets/{ticket}/events")).await.expect(200).body;
        let dump_before = dump::everything(&desk).await;
        assert!(occurrences(&dump_before, PHRASE) > 3, "the setup wrote the phrase");

        // Refused: a customer, oneself, a bad body.
        desk.post(&other, &format!("/people/{}/actions/erase", person.id), json!({})).await.problem(404, "not_found");
        desk.post(&desk.admin, &format!("/people/{}/actions/erase", desk.admin.id), json!({})).await.problem(403, "forbidden");
        let bad = desk.post(&desk.admin, &format!("/people/{}/actions/erase", person.id), json!({ "erase_texts": "maybe" })).await;
        assert!((400..500).contains(&bad.status), "{}", bad.text);

        let erased = desk.post(&desk.admin, &format!("/people/{}/actions/erase", person.id), json!({})).await.expect(200).body;
        assert_eq!(erased["irreversible"], true);

        let dump_after = dump::everything(&desk).await;
        assert_eq!(occurrences(&dump_after, PHRASE), 0, "the phrase is still stored");
        // Only the other tenant's twin still has the name (users.name) and address (users.email,
        // users.email_canonical).
        assert_eq!(occurrences(&dump_after, NAME), 1, "the name is still stored");
        assert_eq!(occurrences(&dump_after, &email), 2, "the address is still stored");
        for words in [PHRASE, "Zanderquist"] {
            let found = desk.get(&agent, &format!("/search?q={words}")).await.expect(200);
            assert_eq!(found.body["tickets"], json!([]), "{}", found.text);
            let listed = desk.get(&agent, &format!("/tickets?q={words}")).await.expect(200);
            assert_eq!(listed.body["total"], 0, "{}", listed.text);
        }
        assert_eq!(reports(&desk).await, before, "the reports changed");
        let events_after = desk.get(&agent, &format!("/tickets/{ticket}/events")).await.expect(200).body;
        let shape = |events: &Value| -> Vec<Value> {
            events.as_array().unwrap().iter().map(|e| json!([e["id"], e["at"], e["type"], e["actor_id"], e["actor_system"], e["public"]])).collect()
        };
        assert_eq!(shape(&events_after), shape(&events_before), "the history's structure changed");
        let profile = desk.get(&desk.admin, &format!("/users/{}", person.id)).await.expect(200).body;
        assert_eq!(profile["name"], format!("Erased person {}", person.id));
        assert!(profile["email"].as_str().unwrap().ends_with(".invalid"));
        desk.get(&person, "/me").await.problem(401, "unauthenticated");
        let login = desk
            .send(reqwest::Method::POST, "/auth/login", None, &[], Some(("application/json",
                json!({ "email": email, "password": "correct horse battery" }).to_string().into_bytes())))
            .await;
        assert_eq!(login.status, 401, "{}", login.text);
        // The other tenant's person with the same name and address is as they were.
        let twin_now = desk.app.store().get_user(second, twin).await.unwrap();
        assert_eq!(twin_now.name, NAME);
        assert_eq!(twin_now.email, email);
        assert!(twin_now.active);
        // The ticket is still there, with its status.
        desk.get(&agent, &format!("/tickets/{ticket}")).await.expect(200);
    }

    /// The tenant's settings are configuration, not text: a person whose name is also a trusted
    /// mail server's name is erased without that setting changing.
    async fn an_erasure_leaves_the_settings_as_they_are(desk: Desk) {
        let organization = desk.organization(&unique("Settings org")).await;
        let (person, _) = named_customer(&desk, "mx1", organization).await;
        let servers = json!({ "trusted_authserv_ids": ["mx1", "mx2.example.test"] });
        let put = desk
            .send(reqwest::Method::PUT, "/settings/mail-authentication", Some(&desk.admin.token), &[], Some(("application/json", servers.to_string().into_bytes())))
            .await;
        assert_eq!(put.status, 200, "{}", put.text);
        desk.post(&desk.admin, &format!("/people/{}/actions/erase", person.id), json!({})).await.expect(200);
        let now = desk.get(&desk.admin, "/settings/mail-authentication").await.expect(200).body;
        assert_eq!(now, servers);
    }
}

/// An admin of a second tenant.
async fn second_tenant_admin(desk: &Desk) -> Person {
    let store = desk.app.store();
    let second = store
        .create_tenant(
            &unique("Second"),
            Timestamp::from_micros(1_800_000_000_000_000),
        )
        .await
        .unwrap();
    desk.app.prepare_desk(second).await.unwrap();
    let admin = account(
        desk,
        second,
        &format!("{}@example.test", unique("admin")),
        "Second Admin",
        Role::Admin,
    )
    .await;
    let token = desk.app.issue_token(admin, "tests").await.unwrap();
    Person {
        id: admin.get(),
        token: token.secret,
    }
}

/// A person of a second tenant with the same name and address as the erased one.
async fn second_tenant_twin(desk: &Desk, email: &str) -> (TenantId, UserId) {
    let store = desk.app.store();
    let second = store
        .create_tenant(
            &unique("Twin"),
            Timestamp::from_micros(1_800_000_000_000_000),
        )
        .await
        .unwrap();
    desk.app.prepare_desk(second).await.unwrap();
    (
        second,
        account(desk, second, email, NAME, Role::Customer).await,
    )
}

async fn account(desk: &Desk, tenant: TenantId, email: &str, name: &str, role: Role) -> UserId {
    desk.app
        .system_create_user(
            tenant,
            UserInput {
                email: Email::parse(email).unwrap(),
                name: Name::parse(name).unwrap(),
                role,
                organization_id: None,
                super_user: false,
                password: None,
            },
        )
        .await
        .unwrap()
        .id
}
