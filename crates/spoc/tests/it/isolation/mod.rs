//! The tenant isolation matrix (issue 13): two tenants on one desk, each with the full set of
//! objects, and every route of the API and the UI asked by tenant A's people for tenant B's
//! objects — 404, nothing of B changed. The API cases come from the OpenAPI document and the UI
//! cases from the UI's route table, so a new route without an isolation case fails the tests.
//! Writes naming B's objects in their body, and search, suggestions, counts, live updates and
//! mail threading across tenants, are tested beside them.

mod api;
mod cross;
mod dump;
mod ui;
mod writes;

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::json;
use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp, UserId};

use crate::harness::{Answer, Desk, Person, unique};

/// The password of every person the fixture makes.
const PASSWORD: &str = "an isolation matrix password";

/// A person of one tenant: an API token and a signed-in browser session (cookie, CSRF token).
pub struct Member {
    pub person: Person,
    pub email: String,
    pub session: (String, String),
}

/// One tenant with one of everything: its people and the ids of its objects by name (the names
/// the case tables use: `ticket`, `group`, `article`, …).
pub struct Side {
    pub tenant: TenantId,
    pub admin: Member,
    pub lead: Member,
    pub agent: Member,
    pub customer: Member,
    pub super_user: Member,
    pub ids: BTreeMap<&'static str, String>,
}

impl Side {
    /// The id of the object called `name` (panics naming it when the fixture has none).
    pub fn id(&self, name: &str) -> &str {
        self.ids
            .get(name)
            .unwrap_or_else(|| panic!("the fixture has no object called {name:?}"))
    }

    /// The id called `name` as a number.
    pub fn num(&self, name: &str) -> i64 {
        self.id(name).parse().unwrap()
    }

    /// The people who act in the matrix, by role: customer, agent, admin (and lead).
    pub fn actors(&self) -> [(&'static str, &Member); 4] {
        [
            ("customer", &self.customer),
            ("agent", &self.agent),
            ("lead", &self.lead),
            ("admin", &self.admin),
        ]
    }
}

fn id_of(answer: Answer) -> String {
    answer.body["id"].to_string().trim_matches('"').to_owned()
}

/// A person of the side's tenant made by its admin, with a token and a session.
async fn member(
    desk: &Desk,
    admin: &Person,
    role: &str,
    org: Option<i64>,
    super_user: bool,
) -> Member {
    let email = format!("{}@example.test", unique(role));
    let id = desk
        .post(
            admin,
            "/users",
            json!({
                "email": email, "name": format!("Isolated {role}"), "role": role,
                "organization_id": org, "super_user": super_user, "password": PASSWORD,
            }),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let token = desk
        .app
        .issue_token(UserId::new(id), "tests")
        .await
        .unwrap();
    let session = desk.sign_in(&email, PASSWORD).await;
    Member {
        person: Person {
            id,
            token: token.secret,
        },
        email,
        session,
    }
}

/// Tenant A: the desk's first tenant.
pub async fn first(desk: &Desk) -> Side {
    let admin = member(desk, &desk.admin, "admin", None, false).await;
    furnish(desk, TenantId::FIRST, admin).await
}

/// Tenant B: a second tenant made directly through the store and the app, as an operator would.
pub async fn second(desk: &Desk) -> Side {
    let store = desk.app.store();
    let now = Timestamp::from_micros(1_800_000_000_000_000);
    let tenant = store.create_tenant(&unique("Tenant B"), now).await.unwrap();
    desk.app.prepare_desk(tenant).await.unwrap();
    let email = format!("{}@example.test", unique("admin-b"));
    let user = desk
        .app
        .system_create_user(
            tenant,
            UserInput {
                email: Email::parse(&email).unwrap(),
                name: Name::parse("Tenant B admin").unwrap(),
                role: Role::Admin,
                organization_id: None,
                super_user: false,
                password: Some(PASSWORD.to_owned()),
            },
        )
        .await
        .unwrap();
    let token = desk.app.issue_token(user.id, "tests").await.unwrap();
    let session = desk.sign_in(&email, PASSWORD).await;
    let admin = Member {
        person: Person {
            id: user.id.get(),
            token: token.secret,
        },
        email,
        session,
    };
    furnish(desk, tenant, admin).await
}

/// Gives the tenant of `admin` one of every object, through the API as its own people.
async fn furnish(desk: &Desk, tenant: TenantId, admin: Member) -> Side {
    let a = &admin.person;
    let mut ids = BTreeMap::new();
    let org = desk.organization_as(a, &unique("Org")).await;
    ids.insert("organization", org.to_string());
    let lead = member(desk, a, "lead", None, false).await;
    let agent = member(desk, a, "agent", None, false).await;
    let customer = member(desk, a, "customer", Some(org), false).await;
    let super_user = member(desk, a, "customer", Some(org), true).await;
    ids.insert("admin", a.id.to_string());
    ids.insert("lead", lead.person.id.to_string());
    ids.insert("agent", agent.person.id.to_string());
    ids.insert("customer", customer.person.id.to_string());
    ids.insert("super_user", super_user.person.id.to_string());
    let group = id_of(
        desk.post(a, "/groups", json!({"name": unique("Group"), "tier": 2}))
            .await
            .expect(201),
    );
    for who in [&agent, &lead] {
        desk.send(
            Method::PUT,
            &format!("/groups/{group}/members/{}", who.person.id),
            Some(&a.token),
            &[],
            None,
        )
        .await
        .expect(204);
    }
    ids.insert("group", group.clone());
    let category = id_of(
        desk.post(a, "/categories", json!({"name": unique("Category")}))
            .await
            .expect(201),
    );
    ids.insert("category", category.clone());
    let service = id_of(
        desk.post(a, "/services", json!({"name": unique("Service")}))
            .await
            .expect(201),
    );
    ids.insert("service", service.clone());
    let calendar = id_of(
        desk.post(
            a,
            "/calendars",
            json!({"name": unique("Calendar"), "time_zone": "Europe/Berlin", "always_open": true}),
        )
        .await
        .expect(201),
    );
    ids.insert("calendar", calendar);
    let policies = desk.get(a, "/sla-policies").await.expect(200).body;
    ids.insert("sla_policy", policies[0]["id"].to_string());

    // Tickets: one with a category, a service, a group, an assignee, a reply with a file and a
    // link to a second one.
    let ticket = id_of(
        desk.post(
            &customer.person,
            "/tickets",
            json!({
                "kind": "incident", "title": "Isolated printer jam", "description": "Paper everywhere",
                "impact": "medium", "urgency": "medium",
                "category_id": category.parse::<i64>().unwrap(), "service_id": service.parse::<i64>().unwrap(),
            }),
        )
        .await
        .expect(201),
    );
    desk.post(
        a,
        &format!("/tickets/{ticket}/actions/assign"),
        json!({"group_id": group.parse::<i64>().unwrap(), "assignee_id": agent.person.id}),
    )
    .await
    .expect(200);
    desk.post(
        &agent.person,
        &format!("/tickets/{ticket}/comments"),
        json!({"body": "Here is the log.", "attachments": [{"filename": "log.txt", "content_base64": "aXNvbGF0ZWQ="}]}),
    )
    .await
    .expect(201);
    desk.post(
        &lead.person,
        &format!("/tickets/{ticket}/comments"),
        json!({"body": "@Isolated agent: check the tray.", "internal": true}),
    )
    .await
    .expect(201);
    let attachments = desk
        .get(a, &format!("/tickets/{ticket}/attachments"))
        .await
        .expect(200)
        .body;
    ids.insert("attachment", attachments[0]["id"].to_string());
    let other = id_of(
        desk.post(
            &customer.person,
            "/tickets",
            json!({
                "kind": "service_request", "title": "Isolated toner", "description": "Need toner",
                "impact": "low", "urgency": "low",
            }),
        )
        .await
        .expect(201),
    );
    desk.post(
        a,
        &format!("/tickets/{ticket}/links"),
        json!({"ticket": other}),
    )
    .await
    .expect(201);
    ids.insert("ticket", ticket.clone());
    ids.insert("other_ticket", other);

    // Knowledge: a published article used on the ticket, and a draft.
    let article = crate::knowledge::article(
        desk,
        &lead.person,
        "customers",
        "Isolated jams",
        "Open the tray.",
    )
    .await;
    crate::knowledge::publish(desk, &lead.person, article).await;
    desk.post(
        &agent.person,
        &format!("/tickets/{ticket}/articles"),
        json!({"article_id": article}),
    )
    .await
    .expect(200);
    let draft =
        crate::knowledge::article(desk, &lead.person, "agents", "Isolated draft", "Not yet.").await;
    ids.insert("article", article.to_string());
    ids.insert("draft", draft.to_string());

    // An SOP.
    let sop = id_of(
        desk.post(
            &lead.person,
            "/sops",
            json!({
                "key": "isolated-reset", "content": crate::sops::reset_content("Isolated reset"),
                "change_summary": "First version", "owner_id": agent.person.id,
                "reviewer_id": lead.person.id, "approver_id": a.id, "reopen_threshold": 2,
                "window_days": 30, "links": [],
            }),
        )
        .await
        .expect(201),
    );
    ids.insert("sop", sop);

    // The agent's own things: a canned response and a saved view.
    let canned = id_of(
        desk.post(
            &agent.person,
            "/canned-responses",
            json!({"title": unique("Canned"), "body": "Hello there."}),
        )
        .await
        .expect(201),
    );
    ids.insert("canned", canned);
    let view = id_of(
        desk.post(
            &agent.person,
            "/views",
            json!({"name": unique("View"), "query": "queue=mine"}),
        )
        .await
        .expect(201),
    );
    ids.insert("view", view);

    // Mail: a mailbox, a message that came in, and what went out.
    let mailbox = id_of(
        desk.post(a, "/mailboxes", json!({
            "name": unique("box"), "address": format!("{}@spoc.test", unique("box")), "enabled": false,
        }))
        .await
        .expect(201),
    );
    ids.insert("mailbox", mailbox);
    // Sign-in: an identity provider, an LDAP directory and a SCIM token.
    let oidc = id_of(
        desk.post(a, "/oidc-providers", json!({
            "slug": "corp", "display_name": "Corp SSO", "issuer": "https://idp.example.org",
            "client_id": "spoc", "client_secret": "a client secret", "scopes": ["openid", "email"],
        }))
        .await
        .expect(201),
    );
    ids.insert("oidc", oidc);
    let directory = id_of(
        desk.post(a, "/directories", json!({
            "name": unique("Directory"), "url": "ldaps://ldap.example.org",
            "bind_dn": "cn=reader,dc=example,dc=org", "bind_password": "a reader password",
            "user_base": "ou=people,dc=example,dc=org", "user_filter": "(objectClass=inetOrgPerson)",
            "group_base": "ou=groups,dc=example,dc=org", "mappings": [],
        }))
        .await
        .expect(201),
    );
    ids.insert("directory", directory);
    let scim_token = id_of(
        desk.post(a, "/scim-tokens", json!({ "label": "Identity provider" }))
            .await
            .expect(201),
    );
    ids.insert("scim_token", scim_token);
    let raw = crate::mail::mail(
        &customer.email,
        "Isolated mail",
        &format!("<{}@example.test>", unique("m")),
        &[],
        "By mail.",
    );
    let ingested = desk
        .send(
            Method::POST,
            "/mail/inbound",
            Some(&a.token),
            &[],
            Some(("message/rfc822", raw)),
        )
        .await
        .expect(201)
        .body;
    assert!(ingested["inbound_id"].is_i64(), "{ingested}");
    ids.insert("inbound", ingested["inbound_id"].to_string());
    ids.insert("mail_ticket", ingested["ticket_id"].to_string());
    let outbox = desk.get(a, "/outbox?limit=200").await.expect(200).body;
    assert!(
        outbox[0]["id"].is_i64(),
        "mail went out for the tenant: {outbox}"
    );
    ids.insert("outbox", outbox[0]["id"].to_string());

    // The agent's notification, the customer's session and token.
    let notes = desk
        .get(&agent.person, "/me/notifications")
        .await
        .expect(200)
        .body;
    let note = notes.get("items").unwrap_or(&notes)[0]["id"].clone();
    assert!(note.is_i64(), "the agent was notified: {notes}");
    ids.insert("notification", note.to_string());
    let sessions = desk
        .send_as_session(Method::GET, "/me/sessions", &customer.session, None)
        .await
        .expect(200)
        .body;
    let session = sessions.get("items").unwrap_or(&sessions)[0]["id"].clone();
    ids.insert("session", session.to_string().trim_matches('"').to_owned());
    let tokens = desk
        .get(&customer.person, "/me/tokens")
        .await
        .expect(200)
        .body;
    let token = tokens.get("items").unwrap_or(&tokens)[0]["id"].clone();
    ids.insert("token", token.to_string().trim_matches('"').to_owned());

    Side {
        tenant,
        admin,
        lead,
        agent,
        customer,
        super_user,
        ids,
    }
}

impl Desk {
    /// A new organisation of `admin`'s tenant.
    pub async fn organization_as(&self, admin: &Person, name: &str) -> i64 {
        self.post(admin, "/organizations", json!({ "name": name }))
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap()
    }
}

/// `template` with each `@a.name` / `@b.name` replaced by the id `pick` gives for that side
/// and name, and `"$terms"` / `"$sop"` by a whole SLA policy's terms / an SOP's content.
pub fn fill_with(template: &str, pick: &dyn Fn(char, &str) -> String) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let side = match tail.get(..2) {
            Some("a.") => 'a',
            Some("b.") => 'b',
            _ => {
                out.push('@');
                rest = tail;
                continue;
            }
        };
        let tail = &tail[2..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        out.push_str(&pick(side, &tail[..end]));
        rest = &tail[end..];
    }
    out.push_str(rest);
    let terms = serde_json::to_string(&spoc_domain::sla::PolicyTerms::standard()).unwrap();
    out.replace("\"$terms\"", &terms).replace(
        "\"$sop\"",
        &crate::sops::reset_content("Taken over").to_string(),
    )
}

/// `template` with the ids of sides `a` and `b`.
pub fn fill(template: &str, a: &Side, b: &Side) -> String {
    fill_with(template, &|side, name| {
        if side == 'a' { a.id(name) } else { b.id(name) }.to_owned()
    })
}
