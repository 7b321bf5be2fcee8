//! The access matrix, end to end: who sees which tickets, and that an internal note never reaches
//! a customer — not through the ticket, the list, search, comments or the timeline.

use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{Desk, Person};

fn ids(list: &Value) -> Vec<i64> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

async fn visible_ids(desk: &Desk, who: &Person, query: &str) -> Vec<i64> {
    let list = desk
        .get(who, &format!("/tickets?limit=200{query}"))
        .await
        .expect(200)
        .body;
    let found = ids(&list);
    assert_eq!(
        list["total"].as_i64().unwrap(),
        found.len() as i64,
        "total counts only what is visible"
    );
    found
}

/// A ticket `who` may not see answers exactly like one that does not exist.
async fn assert_hidden(desk: &Desk, who: &Person, id: i64) {
    let missing = desk
        .get(who, "/tickets/999999999")
        .await
        .problem(404, "not_found");
    let hidden = desk
        .get(who, &format!("/tickets/{id}"))
        .await
        .problem(404, "not_found");
    assert_eq!(missing.body["detail"], hidden.body["detail"]);
    for path in ["comments", "events", "links"] {
        desk.get(who, &format!("/tickets/{id}/{path}"))
            .await
            .problem(404, "not_found");
    }
    desk.post(
        who,
        &format!("/tickets/{id}/comments"),
        json!({ "body": "let me in" }),
    )
    .await
    .problem(404, "not_found");
    desk.patch(
        who,
        &format!("/tickets/{id}"),
        json!({ "version": 1, "title": "mine now" }),
    )
    .await
    .expect_any(&[403, 404]);
    // Merging or linking a ticket one cannot see (issue #12) is refused the same way.
    desk.post(who, &format!("/tickets/{id}/merge"), json!({ "into": 1 }))
        .await
        .expect_any(&[403, 404]);
    desk.post(who, &format!("/tickets/{id}/links"), json!({ "ticket": 1 }))
        .await
        .expect_any(&[403, 404]);
}

trait ExpectAny {
    fn expect_any(self, statuses: &[u16]) -> Self;
}

impl ExpectAny for crate::harness::Answer {
    #[track_caller]
    fn expect_any(self, statuses: &[u16]) -> Self {
        assert!(
            statuses.contains(&self.status),
            "expected one of {statuses:?}: {}",
            self.text
        );
        self
    }
}

both_backends! {
    async fn customers_see_their_own_and_super_users_their_organization(desk: Desk) {
        let acme = desk.organization("Acme").await;
        let globex = desk.organization("Globex").await;
        let alice = desk.person("customer", Some(acme), false).await;
        let andy = desk.person("customer", Some(acme), false).await;
        let boss = desk.person("customer", Some(acme), true).await;
        let bob = desk.person("customer", Some(globex), false).await;

        let a1 = desk.ticket(&alice, "incident", "Alice cannot print").await["id"].as_i64().unwrap();
        let a2 = desk.ticket(&andy, "service_request", "Andy needs a monitor").await["id"].as_i64().unwrap();
        let b1 = desk.ticket(&bob, "incident", "Bob lost his files").await["id"].as_i64().unwrap();

        // Customer A cannot see customer B's ticket.
        assert_hidden(&desk, &alice, b1).await;
        assert_hidden(&desk, &bob, a1).await;
        // A non-super-user cannot see a colleague's.
        assert_hidden(&desk, &alice, a2).await;
        desk.get(&alice, &format!("/tickets/{a1}")).await.expect(200);

        assert_eq!(visible_ids(&desk, &alice, "").await, vec![a1]);
        assert_eq!(visible_ids(&desk, &bob, "").await, vec![b1]);
        // The super user sees the whole organisation, and nothing of another.
        let mut theirs = visible_ids(&desk, &boss, "").await;
        theirs.sort_unstable();
        assert_eq!(theirs, vec![a1, a2]);
        assert_hidden(&desk, &boss, b1).await;
        // Filters cannot widen the scope.
        assert!(visible_ids(&desk, &alice, &format!("&requester_id={}", bob.id)).await.is_empty());
        assert!(visible_ids(&desk, &alice, &format!("&organization_id={globex}")).await.is_empty());
        // Searching for another's words finds nothing; neither does their number.
        assert!(visible_ids(&desk, &alice, "&q=files").await.is_empty());
        let number = format!("INC-{b1:06}");
        assert!(visible_ids(&desk, &alice, &format!("&q={number}")).await.is_empty());
        // Customers log for themselves only.
        desk.post(&alice, "/tickets", json!({
            "kind": "incident", "title": "On behalf", "description": "x",
            "impact": "low", "urgency": "low", "requester_id": bob.id,
        }))
        .await
        .problem(403, "forbidden");
        // And customers act only as customers.
        desk.act(&alice, a1, "start", json!({})).await.problem(403, "forbidden");
        desk.patch(&alice, &format!("/tickets/{a1}"), json!({ "version": 1, "title": "Renamed" }))
            .await
            .problem(403, "forbidden");
    }

    async fn agents_see_their_groups_leads_and_admins_see_all(desk: Desk) {
        let desk_group = desk.default_group().await;
        let network = desk.group("Network", 2, false).await;
        let first = desk.agent_in(&[desk_group]).await;
        let outsider = desk.agent_in(&[network]).await;
        let lead = desk.person("lead", None, false).await;
        let customer = desk.person("customer", None, false).await;
        let id = desk.ticket(&customer, "incident", "Mail is slow").await["id"].as_i64().unwrap();

        desk.get(&first, &format!("/tickets/{id}")).await.expect(200);
        desk.get(&lead, &format!("/tickets/{id}")).await.expect(200);
        desk.get(&desk.admin, &format!("/tickets/{id}")).await.expect(200);
        // An agent outside the group can neither see nor act.
        assert_hidden(&desk, &outsider, id).await;
        for action in ["assign", "start", "escalate", "resolve", "cancel"] {
            let params = match action {
                "assign" => json!({ "group_id": network, "assignee_id": outsider.id }),
                "resolve" => json!({ "code": "solved", "notes": "mine" }),
                "escalate" => json!({ "type": "hierarchical", "reason": "mine" }),
                _ => json!({}),
            };
            desk.act(&outsider, id, action, params).await.problem(404, "not_found");
        }
        assert!(visible_ids(&desk, &outsider, "").await.is_empty());
        // No queue filter widens an agent's scope.
        for filter in [
            format!("&group_id={desk_group}"),
            format!("&requester_id={}", customer.id),
            "&assignee_id=none,me".to_owned(),
            "&sla=breached,at_risk,ok".to_owned(),
            "&status=open&priority=P1,P2,P3,P4,P5".to_owned(),
        ] {
            assert!(visible_ids(&desk, &outsider, &filter).await.is_empty(), "{filter}");
        }
        assert_eq!(visible_ids(&desk, &first, "").await, vec![id]);

        // Once routed to Network, the outsider sees it and the first line no longer does.
        desk.act(&first, id, "assign", json!({ "group_id": network })).await.expect(200);
        desk.get(&outsider, &format!("/tickets/{id}")).await.expect(200);
        assert_hidden(&desk, &first, id).await;
        // Assigning to someone outside the target group is refused.
        desk.act(&lead, id, "assign", json!({ "group_id": network, "assignee_id": first.id }))
            .await
            .problem(422, "validation_failed");
        // Admin endpoints are for admins.
        // Staff look people up (to log on behalf of a caller); only admins change them.
        desk.get(&lead, "/users").await.expect(200);
        desk.get(&customer, "/users").await.problem(403, "forbidden");
        desk.post(&lead, "/users", json!({ "email": "x@example.org", "name": "X", "role": "agent" }))
            .await
            .problem(403, "forbidden");
        desk.post(&first, "/groups", json!({ "name": "Rogue", "tier": 1 })).await.problem(403, "forbidden");
        desk.get(&customer, "/groups").await.expect_any(&[403, 404]);
        // The outgoing mail relay is the admins' alone, even to read (leads included).
        for who in [&lead, &customer, &first] {
            desk.get(who, "/settings/mail").await.problem(403, "forbidden");
        }
        // Saved queue views are for staff.
        desk.get(&customer, "/views").await.problem(403, "forbidden");
    }

    async fn internal_notes_never_reach_customers(desk: Desk) {
        let acme = desk.organization("Acme").await;
        let customer = desk.person("customer", Some(acme), false).await;
        let boss = desk.person("customer", Some(acme), true).await;
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let id = desk.ticket(&customer, "incident", "Laptop overheats").await["id"].as_i64().unwrap();
        desk.post(&agent, &format!("/tickets/{id}/comments"), json!({
            "body": "Suspect the zanzibarite thermal paste, do not tell the user yet.", "internal": true,
            // "zanzibarite" in base64: the note's file, which customers never see either.
            "attachments": [{ "filename": "paste.txt", "content_type": "text/plain", "content_base64": "emFuemliYXJpdGU=" }],
        }))
        .await
        .expect(201);
        desk.post(&agent, &format!("/tickets/{id}/comments"), json!({
            "body": "We are looking at your laptop today.",
        }))
        .await
        .expect(201);
        // A customer cannot write an internal note.
        desk.post(&customer, &format!("/tickets/{id}/comments"), json!({ "body": "sneaky", "internal": true }))
            .await
            .problem(403, "forbidden");

        for who in [&customer, &boss] {
            let comments = desk.get(who, &format!("/tickets/{id}/comments")).await.expect(200);
            assert_eq!(comments.body.as_array().unwrap().len(), 1, "{}", comments.text);
            assert!(!comments.text.contains("zanzibarite"));
            let events = desk.get(who, &format!("/tickets/{id}/events")).await.expect(200);
            assert!(!events.text.contains("zanzibarite"), "{}", events.text);
            assert!(events.body.as_array().unwrap().iter().all(|e| e["public"] == true));
            let ticket = desk.get(who, &format!("/tickets/{id}")).await.expect(200);
            assert!(!ticket.text.contains("zanzibarite"));
            let files = desk.get(who, &format!("/tickets/{id}/attachments")).await.expect(200);
            assert_eq!(files.body, json!([]), "the note's file reached a customer");
            // Search does not find the ticket by the note's words, and shows nothing of it.
            let found = desk.get(who, "/tickets?q=zanzibarite").await.expect(200);
            assert_eq!(found.body["total"], 0, "{}", found.text);
            assert!(!found.text.contains("zanzibarite"));
            let list = desk.get(who, "/tickets").await.expect(200);
            assert!(!list.text.contains("zanzibarite"));
            // Nor does the one search over everything.
            let everything = desk.get(who, "/search?q=zanzibarite").await.expect(200);
            assert_eq!(everything.body["tickets"], json!([]), "{}", everything.text);
            assert!(!everything.text.contains("zanzibarite"));
            // The public reply is searchable.
            let found = desk.get(who, "/tickets?q=laptop").await.expect(200);
            assert_eq!(ids(&found.body), vec![id]);
        }
        // Staff see both, and find the ticket by the note.
        let comments = desk.get(&agent, &format!("/tickets/{id}/comments")).await.expect(200);
        assert_eq!(comments.body.as_array().unwrap().len(), 2);
        let found = desk.get(&agent, "/tickets?q=zanzibarite").await.expect(200);
        assert_eq!(ids(&found.body), vec![id]);
    }

    async fn unauthenticated_requests_are_refused(desk: Desk) {
        for path in ["/tickets", "/tickets/1", "/users", "/me", "/search?q=x", "/views", "/views/1"] {
            desk.send(reqwest::Method::GET, path, None, &[], None).await.problem(401, "unauthenticated");
            desk.send(reqwest::Method::GET, path, Some("spoc_0000"), &[], None)
                .await
                .problem(401, "unauthenticated");
        }
        // A revoked token stops working at once.
        let agent = desk.person("agent", None, false).await;
        desk.get(&agent, "/me").await.expect(200);
        let tokens = desk.get(&agent, "/me/tokens").await.expect(200).body;
        let token_id = tokens.as_array().unwrap()[0]["id"].as_i64().unwrap();
        assert!(tokens.as_array().unwrap()[0]["last_used_at"].is_string(), "{tokens}");
        assert!(!tokens.to_string().contains(&agent.token), "a token is never shown again");
        desk.delete(&agent, &format!("/me/tokens/{token_id}")).await.expect(204);
        desk.get(&agent, "/me").await.problem(401, "unauthenticated");
    }
}
