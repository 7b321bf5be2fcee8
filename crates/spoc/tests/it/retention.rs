//! Retention of closed tickets, on both backends: the admin's rule (off by default), a dry-run
//! count that equals what the worker then does, and a worker that touches only the closed
//! tickets older than the period of the tenant whose rule it is — anonymising (texts, history
//! and attachments gone, the ticket and its metrics kept) or deleting (with every row that
//! belongs to the ticket). Each run is in the audit log with its count.

use reqwest::Method;
use serde_json::{Value, json};
use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp};

use crate::both_backends;
use crate::harness::{Desk, Person, unique};

const MONTH: i64 = 31 * 24 * 3600 * 1_000_000;

/// The desk's time now, from its clock.
fn now_micros(desk: &Desk) -> i64 {
    desk.app.now().as_micros()
}

async fn put_rule(desk: &Desk, who: &Person, body: Value) -> crate::harness::Answer {
    desk.send(
        Method::PUT,
        "/settings/retention",
        Some(&who.token),
        &[],
        Some(("application/json", body.to_string().into_bytes())),
    )
    .await
}

/// A ticket of `customer`, commented on and closed; with `closed_months_ago`, its closing is
/// moved that far back.
async fn closed_ticket(
    desk: &Desk,
    agent: &Person,
    customer: &Person,
    title: &str,
    closed_months_ago: Option<i64>,
) -> i64 {
    let id = desk.ticket(customer, "incident", title).await["id"]
        .as_i64()
        .unwrap();
    desk.post(
        agent,
        &format!("/tickets/{id}/comments"),
        json!({ "body": format!("Secret note about {title}"), "internal": true }),
    )
    .await
    .expect(201);
    desk.act(
        agent,
        id,
        "resolve",
        json!({ "code": "solved", "notes": format!("Fixed {title} for good") }),
    )
    .await
    .expect(200);
    desk.act(customer, id, "close", json!({})).await.expect(200);
    if let Some(months) = closed_months_ago {
        let at = now_micros(desk) - months * MONTH;
        desk.sql(&format!(
            "UPDATE tickets SET closed_at = {at} WHERE id = {id}"
        ))
        .await
        .unwrap();
    }
    id
}

/// A second tenant with a customer and an agent of its own (API tokens).
async fn second_tenant(desk: &Desk) -> (TenantId, Person, Person) {
    let second = desk
        .app
        .store()
        .create_tenant(
            &unique("Second"),
            Timestamp::from_micros(1_800_000_000_000_000),
        )
        .await
        .unwrap();
    desk.app.prepare_desk(second).await.unwrap();
    let mut people = Vec::new();
    for role in [Role::Customer, Role::Lead] {
        let user = desk
            .app
            .system_create_user(
                second,
                UserInput {
                    email: Email::parse(&format!("{}@example.test", unique("t2"))).unwrap(),
                    name: Name::parse("Second Person").unwrap(),
                    role,
                    organization_id: None,
                    super_user: false,
                    password: None,
                },
            )
            .await
            .unwrap();
        let token = desk.app.issue_token(user.id, "tests").await.unwrap();
        people.push(Person {
            id: user.id.get(),
            token: token.secret,
        });
    }
    let lead = people.pop().unwrap();
    let customer = people.pop().unwrap();
    (second, customer, lead)
}

/// The tickets' history as the admin reads it, as text.
async fn history(desk: &Desk, who: &Person, id: i64) -> String {
    desk.get(who, &format!("/tickets/{id}/events"))
        .await
        .expect(200)
        .text
}

both_backends! {
    /// Anonymising: the dry run counts exactly what the worker then anonymises; only old closed
    /// tickets of the rule's tenant are touched; the ticket and its metrics stay.
    async fn anonymise_old_closed_tickets(desk: Desk) {
        let group = desk.default_group().await;
        let agent = desk.agent_in(&[group]).await;
        let customer = desk.person("customer", None, false).await;
        // Off by default, and only admins see or set it.
        let rule = desk.get(&desk.admin, "/settings/retention").await.expect(200).body;
        assert_eq!((rule["mode"].clone(), rule["due"].clone()), (json!("off"), json!(0)));
        desk.get(&agent, "/settings/retention").await.problem(403, "forbidden");
        put_rule(&desk, &agent, json!({ "mode": "delete", "months": 1 })).await.problem(403, "forbidden");
        put_rule(&desk, &desk.admin, json!({ "mode": "delete", "months": 0 })).await.problem(422, "validation_failed");
        put_rule(&desk, &desk.admin, json!({ "mode": "shred", "months": 3 })).await.problem(422, "validation_failed");
        desk.get(&desk.admin, "/settings/retention/dry-run?mode=delete").await.problem(400, "invalid_query");

        let old = closed_ticket(&desk, &agent, &customer, "Ancient printer", Some(13)).await;
        let older = closed_ticket(&desk, &agent, &customer, "Forgotten laptop", Some(24)).await;
        let recent = closed_ticket(&desk, &agent, &customer, "Fresh monitor", Some(2)).await;
        // Old but still open: resolved, never closed.
        let open = desk.ticket(&customer, "incident", "Open keyboard").await["id"].as_i64().unwrap();
        desk.sql(&format!("UPDATE tickets SET created_at = {} WHERE id = {open}", now_micros(&desk) - 30 * MONTH)).await.unwrap();
        // Another tenant's old closed ticket.
        let (_, their_customer, their_lead) = second_tenant(&desk).await;
        let theirs = closed_ticket(&desk, &their_lead, &their_customer, "Their scanner", Some(40)).await;
        let before = desk.get(&desk.admin, &format!("/tickets/{old}")).await.expect(200).body;

        let dry = desk.get(&desk.admin, "/settings/retention/dry-run?mode=anonymise&months=12").await.expect(200).body;
        assert_eq!(dry["due"], 2, "{dry}");
        assert_eq!(desk.get(&desk.admin, "/settings/retention/dry-run?mode=anonymise&months=18").await.expect(200).body["due"], 1);
        assert_eq!(desk.get(&desk.admin, "/settings/retention").await.expect(200).body["mode"], "off", "a dry run saves nothing");
        let set = put_rule(&desk, &desk.admin, json!({ "mode": "anonymise", "months": 12 })).await.expect(200).body;
        assert_eq!((set["mode"].clone(), set["months"].clone(), set["due"].clone()), (json!("anonymise"), json!(12), json!(2)));

        let run = desk.app.run_retention(1, 100).await.unwrap();
        assert_eq!(run, spoc_app::RetentionRun { anonymised: 2, deleted: 0 });
        for id in [old, older] {
            let after = desk.get(&desk.admin, &format!("/tickets/{id}")).await.expect(200).body;
            assert_eq!(after["title"], "[anonymised]");
            assert_eq!(after["description"], "");
            let events = history(&desk, &desk.admin, id).await;
            for gone in ["Secret note", "Fixed", "Ancient printer", "Forgotten laptop"] {
                assert!(!events.contains(gone), "{gone:?} left in the history: {events}");
            }
            assert!(events.contains("[removed]"), "{events}");
        }
        // The metrics' facts stay.
        let after = desk.get(&desk.admin, &format!("/tickets/{old}")).await.expect(200).body;
        for field in ["status", "priority", "group_id", "requester_id", "created_at", "resolved_at", "closed_at", "resolution_code"] {
            assert_eq!(after[field], before[field], "{field}");
        }
        // Not the recent one, nor the open one, nor the other tenant's.
        assert_eq!(desk.get(&desk.admin, &format!("/tickets/{recent}")).await.expect(200).body["title"], "Fresh monitor");
        assert_eq!(desk.get(&desk.admin, &format!("/tickets/{open}")).await.expect(200).body["title"], "Open keyboard");
        assert_eq!(desk.get(&their_lead, &format!("/tickets/{theirs}")).await.expect(200).body["title"], "Their scanner");
        assert!(history(&desk, &their_lead, theirs).await.contains("Secret note"));
        // Search no longer finds their words.
        let found = desk.get(&desk.admin, "/tickets?q=printer").await.expect(200).body;
        assert_eq!(found["total"], 0, "{found}");

        // Nothing is due any more, and a second run does nothing.
        assert_eq!(desk.get(&desk.admin, "/settings/retention").await.expect(200).body["due"], 0);
        assert_eq!(desk.app.run_retention(100, 1000).await.unwrap(), spoc_app::RetentionRun::default());
        let log = desk.get(&desk.admin, "/audit-log?target_kind=tickets").await.expect(200).body;
        assert_eq!(log["items"].as_array().unwrap().len(), 1, "{log}");
        assert_eq!(log["items"][0]["details"], json!({ "mode": "anonymise", "tickets": "2" }));
        assert_eq!(log["items"][0]["actor_system"], "automation");
        let changed = desk.get(&desk.admin, "/audit-log?action=retention.changed").await.expect(200).body;
        assert_eq!(changed["items"][0]["details"], json!({ "mode": "anonymise", "months": "12" }));
    }

    /// Deleting: the old closed tickets go with every row of theirs; the rest stays, the other
    /// tenant's too, and the counts follow.
    async fn delete_old_closed_tickets(desk: Desk) {
        let group = desk.default_group().await;
        let agent = desk.agent_in(&[group]).await;
        let customer = desk.person("customer", None, false).await;
        let old = closed_ticket(&desk, &agent, &customer, "Ancient printer", Some(7)).await;
        let recent = closed_ticket(&desk, &agent, &customer, "Fresh monitor", Some(1)).await;
        // A link between the old and the recent ticket goes with the old one.
        desk.post(&agent, &format!("/tickets/{recent}/links"), json!({ "kind": "relates_to", "ticket_id": old })).await;
        let (_, their_customer, their_lead) = second_tenant(&desk).await;
        let theirs = closed_ticket(&desk, &their_lead, &their_customer, "Their scanner", Some(40)).await;
        // The other tenant keeps its rule off; its own admin could have set one.
        let total = desk.get(&desk.admin, "/tickets").await.expect(200).body["total"].as_i64().unwrap();

        let dry = desk.get(&desk.admin, "/settings/retention/dry-run?mode=delete&months=6").await.expect(200).body;
        assert_eq!(dry["due"], 1);
        put_rule(&desk, &desk.admin, json!({ "mode": "delete", "months": 6 })).await.expect(200);
        let run = desk.app.run_retention(100, 1000).await.unwrap();
        assert_eq!(run.deleted, dry["due"].as_u64().unwrap());

        desk.get(&desk.admin, &format!("/tickets/{old}")).await.problem(404, "not_found");
        desk.get(&desk.admin, &format!("/tickets/{old}/events")).await.problem(404, "not_found");
        assert_eq!(desk.get(&desk.admin, "/tickets").await.expect(200).body["total"], total - 1);
        let links = desk.get(&desk.admin, &format!("/tickets/{recent}/links")).await.expect(200).text;
        assert!(!links.contains(&format!("\"id\":{old}")), "{links}");
        assert_eq!(desk.get(&their_lead, &format!("/tickets/{theirs}")).await.expect(200).body["title"], "Their scanner");
        let log = desk.get(&desk.admin, "/audit-log?action=retention.applied").await.expect(200).body;
        assert_eq!(log["items"][0]["details"], json!({ "mode": "delete", "tickets": "1" }));
        // Setting it off again is recorded too, and then nothing is due.
        let off = put_rule(&desk, &desk.admin, json!({ "mode": "off" })).await.expect(200).body;
        assert_eq!((off["mode"].clone(), off["due"].clone()), (json!("off"), json!(0)));
    }
}
