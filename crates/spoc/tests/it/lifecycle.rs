//! The lifecycle happy paths for an incident and a service request, and the history they leave.

use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{Desk, Person};

fn event_types(events: &Value) -> Vec<String> {
    events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect()
}

fn actions(ticket: &Value) -> Vec<&str> {
    ticket["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect()
}

/// Walks a ticket from new to closed through every state of the lifecycle.
async fn walk(desk: &Desk, kind: &str, prefix: &str) {
    let org = desk.organization(&format!("Acme {kind}")).await;
    let customer = desk.person("customer", Some(org), false).await;
    let desk_group = desk.default_group().await;
    let first_line = desk.agent_in(&[desk_group]).await;
    let second = desk.group(&format!("Network {kind}"), 2, false).await;
    let network = desk.agent_in(&[second]).await;

    // Logged by the customer: numbered, prioritised, in the default first-line group.
    let ticket = desk
        .ticket(&customer, kind, "VPN drops every ten minutes")
        .await;
    let id = ticket["id"].as_i64().unwrap();
    assert_eq!(ticket["number"], format!("{prefix}-{id:06}"));
    assert_eq!(ticket["kind"], kind);
    assert_eq!(ticket["status"], "new");
    assert_eq!(
        ticket["priority"], "P3",
        "medium × medium is P3 in the default matrix"
    );
    assert_eq!(ticket["group_id"], desk_group, "nothing is ever unowned");
    assert_eq!(ticket["tier"], 1);
    assert_eq!(ticket["requester_id"], customer.id);
    assert_eq!(ticket["organization_id"], org);
    assert_eq!(ticket["version"], 1);
    // What each person may do next: the requester may only withdraw it, an agent may work it.
    assert_eq!(actions(&ticket), ["cancel"]);

    // The number works as a reference too.
    let by_number = desk
        .get(
            &first_line,
            &format!("/tickets/{}", ticket["number"].as_str().unwrap()),
        )
        .await
        .expect(200);
    assert_eq!(by_number.body["id"], id);
    assert_eq!(
        actions(&by_number.body),
        ["assign", "start", "escalate", "resolve", "cancel"]
    );

    // Assign to the first-line agent, start, wait for the user, resume.
    let t = desk
        .act(
            &first_line,
            id,
            "assign",
            json!({ "group_id": desk_group, "assignee_id": first_line.id }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(t["status"], "assigned");
    assert_eq!(t["assignee_id"], first_line.id);
    assert_eq!(
        t["reassignment_count"], 0,
        "assigning within the same group is no reassignment"
    );
    let t = desk
        .act(&first_line, id, "start", json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(t["status"], "in_progress");
    for reason in ["awaiting_user", "awaiting_third_party", "awaiting_change"] {
        let t = desk
            .act(&first_line, id, "pend", json!({ "reason": reason }))
            .await
            .expect(200)
            .body;
        assert_eq!(t["status"], "pending");
        assert_eq!(t["pending_reason"], reason);
        let t = desk
            .act(&first_line, id, "resume", json!({}))
            .await
            .expect(200)
            .body;
        assert_eq!(t["status"], "in_progress");
        assert_eq!(t["pending_reason"], Value::Null);
    }

    // The customer replies; the first line leaves an internal note and escalates to tier 2.
    desk.post(
        &customer,
        &format!("/tickets/{id}/comments"),
        json!({ "body": "Still dropping." }),
    )
    .await
    .expect(201);
    desk.post(
        &first_line,
        &format!("/tickets/{id}/comments"),
        json!({ "body": "Checked the client logs, suspect the zorblax driver.", "internal": true }),
    )
    .await
    .expect(201);
    let t = desk
        .act(
            &first_line,
            id,
            "escalate",
            json!({ "type": "functional", "group_id": second, "reason": "needs the network team" }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(t["group_id"], second);
    assert_eq!(t["tier"], 2);
    assert_eq!(t["reassignment_count"], 1);
    assert_eq!(t["escalation_count"], 1);

    // The network agent picks it up and resolves it.
    let t = desk
        .act(&network, id, "start", json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(t["status"], "in_progress");
    assert_eq!(
        t["assignee_id"], network.id,
        "starting an unassigned ticket takes it"
    );
    let t = desk
        .act(
            &network,
            id,
            "resolve",
            json!({ "code": "solved", "notes": "Lowered the MTU." }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(t["status"], "resolved");
    assert_eq!(t["resolution_code"], "solved");
    assert_eq!(t["resolution_notes"], "Lowered the MTU.");
    assert!(t["resolved_at"].is_string());
    assert_eq!(actions(&t), ["close", "reopen"]);

    // The customer says it is not fixed: reopened (counted), resolved again, then confirmed.
    let t = desk
        .act(
            &customer,
            id,
            "reopen",
            json!({ "reason": "It dropped again this morning." }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(t["reopen_count"], 1);
    assert_ne!(t["status"], "resolved");
    assert_eq!(t["resolved_at"], Value::Null);
    desk.act(&network, id, "start", json!({})).await;
    let t = desk
        .act(
            &network,
            id,
            "resolve",
            json!({ "code": "workaround", "notes": "Wired fallback." }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(t["status"], "resolved");
    let t = desk
        .act(&customer, id, "close", json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(t["status"], "closed");
    assert!(t["closed_at"].is_string());
    assert_eq!(actions(&t), Vec::<&str>::new());
    assert_eq!(t["reopen_count"], 1);

    // The timeline, as staff see it, holds every change in order with old and new values.
    let events = desk
        .get(&network, &format!("/tickets/{id}/events"))
        .await
        .expect(200)
        .body;
    let types = event_types(&events);
    assert_eq!(types.first().map(String::as_str), Some("created"));
    for expected in [
        "status_changed",
        "assignee_changed",
        "commented",
        "group_changed",
        "escalated",
        "resolved",
    ] {
        assert!(
            types.iter().any(|t| t == expected),
            "{expected} in {types:?}"
        );
    }
    let group_change = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "group_changed")
        .unwrap();
    assert_eq!(group_change["data"]["from"], desk_group);
    assert_eq!(group_change["data"]["to"], second);
    let statuses: Vec<(String, String)> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "status_changed")
        .map(|e| {
            (
                e["data"]["from"].as_str().unwrap().to_owned(),
                e["data"]["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        statuses.first().unwrap(),
        &("new".to_owned(), "assigned".to_owned())
    );
    assert_eq!(
        statuses.last().unwrap(),
        &("resolved".to_owned(), "closed".to_owned())
    );
    for pair in statuses.windows(2) {
        assert_eq!(
            pair[0].1, pair[1].0,
            "each change starts where the last ended: {statuses:?}"
        );
    }
    let mut ids: Vec<i64> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    let in_order = ids.clone();
    ids.sort_unstable();
    assert_eq!(ids, in_order, "the timeline is in order");
    assert!(
        events
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor_id"].is_i64() && e["at"].is_string()),
        "every event names its actor and time"
    );

    // The customer's own timeline has the public part only.
    let theirs = desk
        .get(&customer, &format!("/tickets/{id}/events"))
        .await
        .expect(200)
        .body;
    assert!(
        theirs
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["public"] == true)
    );
    assert!(
        !theirs.to_string().contains("zorblax"),
        "no internal note: {theirs}"
    );
}

async fn cancel_from(desk: &Desk, requester: &Person, agent: &Person, kind: &str, steps: &[&str]) {
    let id = desk.ticket(requester, kind, "Please cancel me later").await["id"]
        .as_i64()
        .unwrap();
    for step in steps {
        let params = match *step {
            "pend" => json!({ "reason": "awaiting_user" }),
            _ => json!({}),
        };
        desk.act(agent, id, step, params).await.expect(200);
    }
    let t = desk
        .act(
            requester,
            id,
            "cancel",
            json!({ "reason": "No longer needed." }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(t["status"], "cancelled");
    assert_eq!(actions(&t), Vec::<&str>::new());
    desk.act(agent, id, "start", json!({}))
        .await
        .problem(409, "invalid_transition");
}

both_backends! {
    async fn incident_happy_path(desk: Desk) {
        walk(&desk, "incident", "INC").await;
    }

    async fn service_request_happy_path(desk: Desk) {
        walk(&desk, "service_request", "REQ").await;
    }

    async fn cancel_from_every_open_state(desk: Desk) {
        let customer = desk.person("customer", None, false).await;
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        for steps in [&[][..], &["start"], &["start", "pend"]] {
            cancel_from(&desk, &customer, &agent, "service_request", steps).await;
        }
    }

    async fn hierarchical_escalation_flags_and_notifies(desk: Desk) {
        let customer = desk.person("customer", None, false).await;
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        // The group's lead is told; a lead of another group is not (the group has its own).
        let lead = desk.person("lead", None, false).await;
        desk.add_member(desk.default_group().await, lead.id).await;
        let other_lead = desk.person("lead", None, false).await;
        let other_group = desk.group("Field services", 1, false).await;
        desk.add_member(other_group, other_lead.id).await;
        let id = desk.ticket(&customer, "incident", "Payroll run failed").await["id"]
            .as_i64()
            .unwrap();
        desk.act(&agent, id, "escalate", json!({ "type": "hierarchical" }))
            .await
            .problem(422, "validation_failed");
        let t = desk
            .act(&agent, id, "escalate", json!({ "type": "hierarchical", "reason": "VIP is furious" }))
            .await
            .expect(200)
            .body;
        assert_eq!(t["escalated"], true);
        assert_eq!(t["group_id"], desk.default_group().await, "hierarchical keeps the group");
        let events = desk.get(&agent, &format!("/tickets/{id}/events")).await.expect(200).body;
        let escalated = events
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["type"] == "escalated")
            .unwrap();
        assert_eq!(escalated["data"]["level"], "hierarchical");
        assert_eq!(escalated["data"]["reason"], "VIP is furious");
        assert_eq!(escalated["public"], false);

        let inbox = desk.get(&lead, "/me/notifications?unread=true").await.expect(200).body;
        let inbox = inbox.as_array().unwrap();
        assert_eq!(inbox.len(), 1, "{inbox:?}");
        assert_eq!(inbox[0]["ticket_id"], id);
        assert_eq!(inbox[0]["topic"], "escalation.hierarchical");
        assert!(inbox[0]["message"].as_str().unwrap().contains("VIP is furious"));
        for nobody in [&other_lead, &agent, &customer] {
            let theirs = desk.get(nobody, "/me/notifications").await.expect(200).body;
            assert_eq!(theirs, json!([]));
        }
        // Only the recipient can mark it read; then it leaves the unread list but stays listed.
        let note = inbox[0]["id"].as_i64().unwrap();
        desk.post(&other_lead, &format!("/me/notifications/{note}/read"), json!({}))
            .await
            .problem(404, "not_found");
        desk.post(&lead, &format!("/me/notifications/{note}/read"), json!({})).await.expect(204);
        let unread = desk.get(&lead, "/me/notifications?unread=true").await.expect(200).body;
        assert_eq!(unread, json!([]));
        let all = desk.get(&lead, "/me/notifications").await.expect(200).body;
        assert!(all[0]["read_at"].is_string());
        desk.get(&lead, "/me/notifications?unread=maybe").await.problem(400, "invalid_query");
    }

    async fn functional_escalation_must_go_up_a_tier(desk: Desk) {
        let customer = desk.person("customer", None, false).await;
        let desk_group = desk.default_group().await;
        let agent = desk.agent_in(&[desk_group]).await;
        let other_first_line = desk.group("Field services", 1, false).await;
        let id = desk.ticket(&customer, "incident", "Printer jammed").await["id"].as_i64().unwrap();
        desk.act(
            &agent,
            id,
            "escalate",
            json!({ "type": "functional", "group_id": other_first_line, "reason": "sideways" }),
        )
        .await
        .problem(422, "validation_failed");
        let t = desk.get(&agent, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(t["version"], 1, "a refused escalation changes nothing");
        assert_eq!(t["group_id"], desk_group);
    }

    async fn supplier_reference_kept_for_tier_three_supplier(desk: Desk) {
        let customer = desk.person("customer", None, false).await;
        let desk_group = desk.default_group().await;
        let supplier = desk.group("Hardware vendor", 3, true).await;
        let lead = desk.person("lead", None, false).await;
        let id = desk.ticket(&customer, "incident", "Disk failure in SAN").await["id"]
            .as_i64()
            .unwrap();
        // Only a ticket with a tier-3 external supplier keeps a supplier reference.
        desk.patch(&lead, &format!("/tickets/{id}"), json!({ "version": 1, "supplier_reference": "CASE-77" }))
            .await
            .problem(422, "validation_failed");
        let t = desk
            .act(&lead, id, "escalate", json!({ "type": "functional", "group_id": supplier, "reason": "hardware fault" }))
            .await
            .expect(200)
            .body;
        assert_eq!(t["tier"], 3);
        let t = desk
            .patch(&lead, &format!("/tickets/{id}"), json!({ "version": t["version"], "supplier_reference": "CASE-77" }))
            .await
            .expect(200)
            .body;
        assert_eq!(t["supplier_reference"], "CASE-77");
        assert_ne!(t["group_id"], desk_group);
    }

    async fn priority_from_matrix_and_override_with_rationale(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let t = desk
            .post(&agent, "/tickets", json!({
                "kind": "incident", "title": "Core switch down", "description": "All floors offline",
                "impact": "high", "urgency": "high",
            }))
            .await
            .expect(201)
            .body;
        assert_eq!(t["priority"], "P1");
        let id = t["id"].as_i64().unwrap();
        desk.patch(&agent, &format!("/tickets/{id}"), json!({ "version": 1, "priority": "P2" }))
            .await
            .problem(422, "validation_failed");
        let t = desk
            .patch(&agent, &format!("/tickets/{id}"), json!({
                "version": 1, "priority": "P2", "priority_rationale": "Redundant link carries the load",
            }))
            .await
            .expect(200)
            .body;
        assert_eq!(t["priority"], "P2");
        assert_eq!(t["priority_overridden"], true);
        let events = desk.get(&agent, &format!("/tickets/{id}/events")).await.expect(200).body;
        let change = events
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["type"] == "priority_changed")
            .unwrap();
        assert_eq!(change["data"]["from"], "P1");
        assert_eq!(change["data"]["to"], "P2");
        assert_eq!(change["data"]["rationale"], "Redundant link carries the load");

        // A configured matrix applies to new tickets.
        let mut cells = desk.get(&desk.admin, "/settings/priority-matrix").await.expect(200).body;
        assert_eq!(cells["cells"][2][2], "P5");
        cells["cells"][2][2] = json!("P4");
        desk.send(
            reqwest::Method::PUT,
            "/settings/priority-matrix",
            Some(&desk.admin.token),
            &[],
            Some(("application/json", cells.to_string().into_bytes())),
        )
        .await
        .expect(200);
        let t = desk
            .post(&agent, "/tickets", json!({
                "kind": "service_request", "title": "New mouse", "description": "Scroll wheel broke",
                "impact": "low", "urgency": "low",
            }))
            .await
            .expect(201)
            .body;
        assert_eq!(t["priority"], "P4");
    }
}
