//! Every illegal transition, in every state, for both kinds: refused with `409
//! invalid_transition` naming the allowed actions, and nothing changes.

use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{Desk, Person};

const ACTIONS: [&str; 9] = [
    "assign", "start", "pend", "resume", "escalate", "resolve", "close", "reopen", "cancel",
];

/// What `domain.md` allows from each state.
fn expected_allowed(status: &str) -> &'static [&'static str] {
    match status {
        "new" | "assigned" => &["assign", "start", "escalate", "resolve", "cancel"],
        "in_progress" => &["assign", "pend", "escalate", "resolve", "cancel"],
        "pending" => &["resume", "assign", "escalate", "resolve", "cancel"],
        "resolved" => &["close", "reopen"],
        "closed" | "cancelled" => &[],
        other => panic!("unexpected status {other}"),
    }
}

/// Valid parameters for each action, so that a refusal can only be about the transition.
fn params(action: &str, group: i64, agent: i64) -> Value {
    match action {
        "assign" => json!({ "group_id": group, "assignee_id": agent }),
        "pend" => json!({ "reason": "awaiting_user" }),
        "escalate" => json!({ "type": "hierarchical", "reason": "taking too long" }),
        "resolve" => json!({ "code": "solved", "notes": "fixed" }),
        "reopen" => json!({ "reason": "not fixed" }),
        "cancel" => json!({ "reason": "withdrawn" }),
        _ => json!({}),
    }
}

/// A ticket brought to `status` through the API.
async fn ticket_in(desk: &Desk, agent: &Person, group: i64, kind: &str, status: &str) -> i64 {
    let id = desk
        .ticket(agent, kind, &format!("A ticket that is {status}"))
        .await["id"]
        .as_i64()
        .unwrap();
    let path: &[&str] = match status {
        "new" => &[],
        "assigned" => &["assign"],
        "in_progress" => &["start"],
        "pending" => &["start", "pend"],
        "resolved" => &["start", "resolve"],
        "closed" => &["start", "resolve", "close"],
        "cancelled" => &["cancel"],
        other => panic!("unexpected status {other}"),
    };
    for action in path {
        desk.act(agent, id, action, params(action, group, agent.id))
            .await
            .expect(200);
    }
    let ticket = desk
        .get(agent, &format!("/tickets/{id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(ticket["status"], status);
    id
}

both_backends! {
    async fn every_illegal_transition_is_refused(desk: Desk) {
        let group = desk.default_group().await;
        let agent = desk.agent_in(&[group]).await;
        let mut refused = 0;
        for kind in ["incident", "service_request"] {
            for status in ["new", "assigned", "in_progress", "pending", "resolved", "closed", "cancelled"] {
                let id = ticket_in(&desk, &agent, group, kind, status).await;
                let before = desk.get(&agent, &format!("/tickets/{id}")).await.expect(200).body;
                let allowed: Vec<&str> = before["allowed_actions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap())
                    .collect();
                assert_eq!(allowed, expected_allowed(status), "{kind} {status}");
                for action in ACTIONS.iter().filter(|a| !allowed.contains(a)) {
                    let answer = desk
                        .act(&agent, id, action, params(action, group, agent.id))
                        .await
                        .problem(409, "invalid_transition");
                    let named: Vec<&str> = answer.body["allowed_actions"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|a| a.as_str().unwrap())
                        .collect();
                    assert_eq!(named, allowed, "{action} on a {status} {kind}");
                    let detail = answer.body["detail"].as_str().unwrap();
                    for a in &allowed {
                        assert!(detail.contains(a), "{detail:?} names the allowed action {a}");
                    }
                    refused += 1;
                }
                let after = desk.get(&agent, &format!("/tickets/{id}")).await.expect(200).body;
                // The clocks' elapsed seconds are worked out at each read; the rest is stored.
                assert_eq!(stored(before.clone()), stored(after), "refused actions change nothing on a {status} {kind}");
                let events = desk.get(&agent, &format!("/tickets/{id}/events")).await.expect(200).body;
                let count = events.as_array().unwrap().len();
                let again = desk.get(&agent, &format!("/tickets/{id}/events")).await.expect(200).body;
                assert_eq!(again.as_array().unwrap().len(), count);
            }
        }
        // 9 actions × 7 states minus the 5+5+5+5+2 allowed, for both kinds.
        assert_eq!(refused, 2 * (63 - 22));
    }

    async fn unknown_action_is_404_with_the_list(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let id = desk.ticket(&agent, "incident", "Unknown action").await["id"].as_i64().unwrap();
        let answer = desk.act(&agent, id, "teleport", json!({})).await.problem(404, "unknown_action");
        assert!(answer.body["detail"].as_str().unwrap().contains("assign"));
    }

    async fn parameters_that_do_not_apply_are_refused(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let id = desk.ticket(&agent, "incident", "Stray parameters").await["id"].as_i64().unwrap();
        desk.act(&agent, id, "start", json!({ "code": "solved" }))
            .await
            .problem(422, "validation_failed");
        desk.act(&agent, id, "start", json!({})).await.expect(200);
        desk.act(&agent, id, "pend", json!({ "reason": "awaiting_godot" }))
            .await
            .problem(422, "validation_failed");
        desk.act(&agent, id, "resolve", json!({ "code": "solved" }))
            .await
            .problem(422, "validation_failed");
        desk.act(&agent, id, "resolve", json!({ "code": "magic", "notes": "x" }))
            .await
            .problem(422, "validation_failed");
        let t = desk.get(&agent, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(t["status"], "in_progress");
    }
}

/// A ticket as stored: its JSON without what each read works out from the clock (the SLA
/// clocks' elapsed business seconds), so two reads a second apart compare equal.
fn stored(mut ticket: serde_json::Value) -> serde_json::Value {
    if let Some(clocks) = ticket["sla"].as_array_mut() {
        for clock in clocks {
            if let Some(clock) = clock.as_object_mut() {
                clock.remove("business_seconds_elapsed");
            }
        }
    }
    ticket
}
