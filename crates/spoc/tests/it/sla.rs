//! Service levels through the API and the timer worker: a fresh desk has working clocks, replies
//! and pending states move them, warnings and breaches fire exactly once (with a fake clock, no
//! sleeping), breach actions run, and two workers competing for the same timers never double
//! fire.

use std::sync::Arc;

use serde_json::{Value, json};
use spoc_app::{App, FakeClock};
use spoc_domain::Timestamp;
use spoc_store::{Store, StoreOptions};

use crate::both_backends;
use crate::harness::Desk;

const MINUTE: i64 = 60_000_000;

fn clock<'a>(ticket: &'a Value, target: &str) -> &'a Value {
    ticket["sla"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["target"] == target)
        .unwrap_or_else(|| panic!("no {target} clock in {ticket}"))
}

fn created_at(ticket: &Value) -> Timestamp {
    let at: jiff::Timestamp = ticket["created_at"].as_str().unwrap().parse().unwrap();
    Timestamp::from_micros(at.as_microsecond())
}

/// An app over the desk's database whose clock stands still at `at` until told otherwise.
async fn worker(desk: &Desk, at: Timestamp) -> (App, Arc<FakeClock>) {
    let store = Store::connect(&StoreOptions::new(desk.database_url.clone()))
        .await
        .unwrap();
    let clock = Arc::new(FakeClock::new(at));
    (App::new(store, clock.clone()), clock)
}

async fn sla_events(desk: &Desk, id: i64) -> Vec<Value> {
    let events = desk
        .get(&desk.admin, &format!("/tickets/{id}/events"))
        .await
        .expect(200)
        .body;
    events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "sla")
        .cloned()
        .collect()
}

async fn log_p1(desk: &Desk, who: &crate::harness::Person, title: &str) -> Value {
    desk.post(
        who,
        "/tickets",
        json!({
            "kind": "incident", "title": title, "description": "All of finance is offline.",
            "impact": "high", "urgency": "high",
        }),
    )
    .await
    .expect(201)
    .body
}

both_backends! {
    /// Out of the box: a 24×7 calendar and a default policy, so a new ticket has clocks whose
    /// due times follow from its priority; customers do not see them.
    async fn a_fresh_desk_has_working_clocks(desk: Desk) {
        let policies = desk.get(&desk.admin, "/sla-policies").await.expect(200).body;
        assert_eq!(policies.as_array().unwrap().len(), 1, "{policies}");
        assert_eq!(policies[0]["name"], "Standard");
        assert_eq!(policies[0]["is_default"], true);
        let calendars = desk.get(&desk.admin, "/calendars").await.expect(200).body;
        assert_eq!(calendars[0]["always_open"], true);

        let customer = desk.person("customer", None, false).await;
        let ticket = desk.post(&customer, "/tickets", json!({
            "kind": "incident", "title": "Printer jams", "description": "Every job.",
            "impact": "medium", "urgency": "medium",
        })).await.expect(201).body;
        assert_eq!(ticket["sla"], json!([]), "customers do not see the clocks");
        let id = ticket["id"].as_i64().unwrap();
        let ticket = desk.get(&desk.admin, &format!("/tickets/{id}")).await.expect(200).body;
        let created: jiff::Timestamp = ticket["created_at"].as_str().unwrap().parse().unwrap();
        let first = clock(&ticket, "first_response");
        assert_eq!(first["state"], "running");
        assert_eq!(first["business_seconds_target"], 3600, "P3: one hour");
        assert_eq!(first["policy"], "Standard");
        let due: jiff::Timestamp = first["due_at"].as_str().unwrap().parse().unwrap();
        assert_eq!(due.as_microsecond() - created.as_microsecond(), 3600 * 1_000_000);
        assert_eq!(clock(&ticket, "resolution")["business_seconds_target"], 24 * 3600);
        // Listings carry the clocks too.
        let list = desk.get(&desk.admin, "/tickets").await.expect(200).body;
        assert_eq!(list["items"][0]["sla"].as_array().unwrap().len(), 2);
        // The history says when they started.
        assert_eq!(sla_events(&desk, id).await.len(), 2);
    }

    /// The first public reply meets the first-response target; pending on the user pauses the
    /// resolution clock and resuming restarts it; a priority change re-targets it.
    async fn replies_pending_and_priority_move_the_clocks(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let ticket = desk.ticket(&desk.admin, "incident", "VPN drops").await;
        let id = ticket["id"].as_i64().unwrap();
        desk.post(&agent, &format!("/tickets/{id}/comments"), json!({"body": "Looking into it."})).await.expect(201);
        desk.act(&agent, id, "assign", json!({"assignee_id": agent.id})).await.expect(200);
        desk.act(&agent, id, "start", json!({})).await.expect(200);
        let t = desk.act(&agent, id, "pend", json!({"reason": "awaiting_user"})).await.expect(200).body;
        assert_eq!(clock(&t, "first_response")["state"], "met");
        assert_eq!(clock(&t, "resolution")["state"], "paused");
        assert!(clock(&t, "resolution")["due_at"].is_null(), "no due time while paused");
        let t = desk.act(&agent, id, "resume", json!({})).await.expect(200).body;
        assert_eq!(clock(&t, "resolution")["state"], "running");
        let t = desk.patch(&agent, &format!("/tickets/{id}"), json!({"impact": "high", "urgency": "high", "version": t["version"]})).await.expect(200).body;
        assert_eq!(t["priority"], "P1");
        assert_eq!(clock(&t, "resolution")["business_seconds_target"], 4 * 3600, "re-targeted to P1");
        let t = desk.act(&agent, id, "resolve", json!({"code": "solved", "notes": "Fixed."})).await.expect(200).body;
        assert_eq!(clock(&t, "resolution")["state"], "met");
        let kinds: Vec<String> = sla_events(&desk, id).await.iter().map(|e| e["data"]["clock"]["change"].as_str().unwrap().to_owned()).collect();
        assert_eq!(kinds, ["started", "started", "stopped", "paused", "resumed", "retargeted", "stopped"], "{kinds:?}");
    }

    /// With a fake clock: the first-response warning fires once at 75 %, the breach once past
    /// the target, and a resolution breach alerts the leads (hierarchical escalation).
    async fn warnings_and_breaches_fire_exactly_once(desk: Desk) {
        let group = desk.default_group().await;
        let lead = desk.person("lead", None, false).await;
        desk.add_member(group, lead.id).await;
        let ticket = log_p1(&desk, &desk.admin, "Finance offline").await;
        let id = ticket["id"].as_i64().unwrap();
        let start = created_at(&ticket);
        let (app, clock) = worker(&desk, start.plus_micros(5 * MINUTE)).await;
        assert_eq!(app.run_due_timers("w1", 100).await.unwrap(), 0, "nothing due after 5 of 15 minutes");
        clock.advance(7 * MINUTE); // 12 minutes: past 75 % of 15
        assert_eq!(app.run_due_timers("w1", 100).await.unwrap(), 1);
        assert_eq!(app.run_due_timers("w1", 100).await.unwrap(), 0, "a warning fires once");
        clock.advance(4 * MINUTE); // 16 minutes: breached
        assert_eq!(app.run_due_timers("w1", 100).await.unwrap(), 1);
        assert_eq!(app.run_due_timers("w1", 100).await.unwrap(), 0, "a breach fires once");
        let t = desk.get(&desk.admin, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(clock_state(&t, "first_response"), "breached");
        assert_eq!(t["escalated"], false, "a first-response breach runs no escalation");
        clock.advance(4 * 60 * MINUTE); // past the 4-hour resolution target
        assert_eq!(app.run_due_timers("w1", 100).await.unwrap(), 1);
        let t = desk.get(&desk.admin, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(clock_state(&t, "resolution"), "breached");
        assert_eq!(t["escalated"], true, "the standard policy alerts the leads on a resolution breach");
        let changes: Vec<String> = sla_events(&desk, id).await.iter().map(|e| e["data"]["clock"]["change"].as_str().unwrap().to_owned()).collect();
        assert_eq!(changes.iter().filter(|c| *c == "warned").count(), 2, "{changes:?}");
        assert_eq!(changes.iter().filter(|c| *c == "breached").count(), 2, "{changes:?}");
        let notes = desk.get(&lead, "/me/notifications").await.expect(200).body;
        let topics: Vec<&str> = notes.as_array().unwrap().iter().map(|n| n["topic"].as_str().unwrap()).collect();
        assert_eq!(topics.iter().filter(|t| **t == "sla.warning").count(), 2, "{topics:?}");
        assert_eq!(topics.iter().filter(|t| **t == "sla.breach").count(), 2, "{topics:?}");
    }

    /// Two workers (two connections, as on two nodes) run at the same moment over the same due
    /// timers: every ticket is handled once, and every warning is recorded once.
    async fn competing_workers_never_double_fire(desk: Desk) {
        let mut ids = Vec::new();
        let mut start = None;
        for i in 0..24 {
            let t = log_p1(&desk, &desk.admin, &format!("Outage {i}")).await;
            start.get_or_insert(created_at(&t));
            ids.push(t["id"].as_i64().unwrap());
        }
        let at = start.unwrap().plus_micros(60 * MINUTE);
        let (a, _) = worker(&desk, at).await;
        let (b, _) = worker(&desk, at).await;
        let (ra, rb) = tokio::join!(
            async { let mut n = 0; for _ in 0..6 { n += a.run_due_timers("node-a", 5).await.unwrap(); } n },
            async { let mut n = 0; for _ in 0..6 { n += b.run_due_timers("node-b", 5).await.unwrap(); } n },
        );
        assert_eq!(ra + rb, ids.len(), "node a {ra}, node b {rb}");
        for id in ids {
            let changes: Vec<String> = sla_events(&desk, id).await.iter().map(|e| e["data"]["clock"]["change"].as_str().unwrap().to_owned()).collect();
            assert_eq!(changes.iter().filter(|c| *c == "warned").count(), 1, "ticket {id}: {changes:?}");
            assert_eq!(changes.iter().filter(|c| *c == "breached").count(), 1, "ticket {id}: {changes:?}");
        }
    }

    /// A worker that claims timers and dies before firing them holds them only until its lease
    /// ends; then another worker takes them over and fires each once.
    async fn a_crashed_workers_timers_are_reclaimed(desk: Desk) {
        let ticket = log_p1(&desk, &desk.admin, "Mail server down").await;
        let id = ticket["id"].as_i64().unwrap();
        let at = created_at(&ticket).plus_micros(13 * MINUTE); // past the 75 % warning
        let (app, clock) = worker(&desk, at).await;
        // The "crashed" node: claims the due timer, then never fires it or gives it back.
        let claimed = app.store().claim_due_timers(at, "crashed-node", at.plus_micros(MINUTE), 10).await.unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!(app.run_due_timers("live-node", 10).await.unwrap(), 0, "the lease still holds");
        clock.advance(2 * MINUTE);
        assert_eq!(app.run_due_timers("live-node", 10).await.unwrap(), 1, "the expired lease is reclaimed");
        let changes: Vec<String> = sla_events(&desk, id).await.iter().map(|e| e["data"]["clock"]["change"].as_str().unwrap().to_owned()).collect();
        assert_eq!(changes.iter().filter(|c| *c == "warned").count(), 1, "{changes:?}");
        assert_eq!(changes.iter().filter(|c| *c == "breached").count(), 1, "15 minutes are up by now: {changes:?}");
    }

    /// Editing a policy leaves the open tickets' targets alone until an admin re-applies it;
    /// re-applying keeps the business time already used and records the re-target.
    async fn reapplying_an_edited_policy_retargets_open_tickets(desk: Desk) {
        let open = log_p1(&desk, &desk.admin, "Payroll stuck").await;
        let open_id = open["id"].as_i64().unwrap();
        let done = log_p1(&desk, &desk.admin, "Already fixed").await;
        let done_id = done["id"].as_i64().unwrap();
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        desk.act(&agent, done_id, "assign", json!({"assignee_id": agent.id})).await.expect(200);
        desk.act(&agent, done_id, "start", json!({})).await.expect(200);
        desk.act(&agent, done_id, "resolve", json!({"code": "solved", "notes": "Done."})).await.expect(200);
        desk.act(&desk.admin, done_id, "close", json!({})).await.expect(200);
        let standard = desk.get(&desk.admin, "/sla-policies").await.expect(200).body[0].clone();
        let mut terms = standard["terms"].clone();
        terms["resolution"] = json!([120, 480, 1440, 4320, 10080]);
        desk.send(reqwest::Method::PUT, &format!("/sla-policies/{}", standard["id"]), Some(&desk.admin.token), &[],
            Some(("application/json", json!({"name": "Standard", "position": 1000, "is_default": true, "calendar_id": standard["calendar_id"], "terms": terms}).to_string().into_bytes())))
            .await.expect(200);
        let t = desk.get(&desk.admin, &format!("/tickets/{open_id}")).await.expect(200).body;
        assert_eq!(clock(&t, "resolution")["business_seconds_target"], 4 * 3600, "an edit alone changes nothing");
        let fresh = log_p1(&desk, &desk.admin, "New after the edit").await;
        let fresh = desk.get(&desk.admin, &format!("/tickets/{}", fresh["id"])).await.expect(200).body;
        assert_eq!(clock(&fresh, "resolution")["business_seconds_target"], 2 * 3600, "new tickets get the edit");

        let agent_try = desk.post(&agent, &format!("/sla-policies/{}/actions/reapply", standard["id"]), json!({})).await;
        agent_try.problem(403, "forbidden");
        desk.post(&desk.admin, "/sla-policies/999999/actions/reapply", json!({})).await.problem(404, "not_found");
        let answer = desk.post(&desk.admin, &format!("/sla-policies/{}/actions/reapply", standard["id"]), json!({})).await.expect(200).body;
        assert_eq!(answer["retargeted_tickets"], 1, "only the open ticket with the old target: {answer}");
        let t = desk.get(&desk.admin, &format!("/tickets/{open_id}")).await.expect(200).body;
        let resolution = clock(&t, "resolution");
        assert_eq!(resolution["business_seconds_target"], 2 * 3600);
        let due: jiff::Timestamp = resolution["due_at"].as_str().unwrap().parse().unwrap();
        let created: jiff::Timestamp = t["created_at"].as_str().unwrap().parse().unwrap();
        assert_eq!(due.as_microsecond() - created.as_microsecond(), 2 * 3600 * 1_000_000, "due from the original start");
        let changes: Vec<String> = sla_events(&desk, open_id).await.iter().map(|e| e["data"]["clock"]["change"].as_str().unwrap().to_owned()).collect();
        assert_eq!(changes, ["started", "started", "retargeted"], "{changes:?}");
        let closed = desk.get(&desk.admin, &format!("/tickets/{done_id}")).await.expect(200).body;
        assert_eq!(clock(&closed, "resolution")["business_seconds_target"], 4 * 3600, "closed tickets keep theirs");
        let again = desk.post(&desk.admin, &format!("/sla-policies/{}/actions/reapply", standard["id"]), json!({})).await.expect(200).body;
        assert_eq!(again["retargeted_tickets"], 0, "re-applying twice changes nothing more");
    }

    /// Policies and calendars are managed through the API; bad input gets a field error.
    async fn policies_and_calendars_are_managed_with_clear_errors(desk: Desk) {
        let cal = desk.post(&desk.admin, "/calendars", json!({
            "name": "Stockholm office", "time_zone": "Europe/Stockholm",
            "hours": [{"day": "mon", "start": "08:00", "end": "17:00"}, {"day": "tue", "start": "08:00", "end": "17:00"}],
            "holidays": [{"month": 12, "day": 25}],
        })).await.expect(201).body;
        let bad = desk.post(&desk.admin, "/calendars", json!({"name": "Mars", "time_zone": "Mars/Olympus"})).await.problem(422, "validation_failed");
        assert_eq!(bad.body["errors"][0]["field"], "time_zone");
        let mut terms = serde_json::to_value(spoc_domain::sla::PolicyTerms::standard()).unwrap();
        terms["conditions"]["kinds"] = json!(["service_request"]);
        let policy = desk.post(&desk.admin, "/sla-policies", json!({
            "name": "Requests in office hours", "position": 10, "calendar_id": cal["id"], "terms": terms,
        })).await.expect(201).body;
        assert_eq!(policy["is_default"], false);
        let mut inverted = terms.clone();
        inverted["resolution"] = json!([1000, 10, 100, 100, 100]);
        desk.post(&desk.admin, "/sla-policies", json!({"name": "Bad", "position": 1, "calendar_id": cal["id"], "terms": inverted}))
            .await.problem(422, "validation_failed");
        let customer = desk.person("customer", None, false).await;
        desk.get(&customer, "/sla-policies").await.problem(403, "forbidden");
        let agent = desk.person("agent", None, false).await;
        desk.post(&agent, "/calendars", json!({"name": "x", "time_zone": "UTC", "always_open": true})).await.problem(403, "forbidden");
        // A request now gets the office-hours policy; an incident still the default.
        let request = desk.ticket(&desk.admin, "service_request", "New laptop").await;
        let request = desk.get(&desk.admin, &format!("/tickets/{}", request["id"])).await.expect(200).body;
        assert_eq!(clock(&request, "resolution")["policy"], "Requests in office hours");
        let incident = desk.ticket(&desk.admin, "incident", "Broken screen").await;
        let incident = desk.get(&desk.admin, &format!("/tickets/{}", incident["id"])).await.expect(200).body;
        assert_eq!(clock(&incident, "resolution")["policy"], "Standard");
        // The default cannot be switched off without naming another.
        let standard = desk.get(&desk.admin, "/sla-policies").await.expect(200).body.as_array().unwrap()
            .iter().find(|p| p["name"] == "Standard").unwrap().clone();
        desk.send(reqwest::Method::PUT, &format!("/sla-policies/{}", standard["id"]), Some(&desk.admin.token), &[],
            Some(("application/json", json!({"name": "Standard", "position": 1000, "is_default": false, "calendar_id": standard["calendar_id"], "terms": standard["terms"]}).to_string().into_bytes())))
            .await.problem(422, "validation_failed");
    }
    /// The report counts each target once, in the period it was decided, and time to
    /// resolution for tickets resolved in the period.
    async fn reports_count_targets_and_time_to_resolution(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let a = log_p1(&desk, &desk.admin, "Answered and fixed").await;
        let a_id = a["id"].as_i64().unwrap();
        desk.post(&agent, &format!("/tickets/{a_id}/comments"), json!({"body": "On it."})).await.expect(201);
        desk.act(&agent, a_id, "assign", json!({"assignee_id": agent.id})).await.expect(200);
        desk.act(&agent, a_id, "start", json!({})).await.expect(200);
        desk.act(&agent, a_id, "resolve", json!({"code": "solved", "notes": "Done."})).await.expect(200);
        let b = log_p1(&desk, &desk.admin, "Left alone").await;
        let (app, _) = worker(&desk, created_at(&b).plus_micros(5 * 60 * MINUTE)).await;
        assert_eq!(app.run_due_timers("w", 100).await.unwrap(), 1, "only the neglected ticket has timers due");

        let today = jiff::Timestamp::from_microsecond(created_at(&a).as_micros()).unwrap().to_zoned(jiff::tz::TimeZone::UTC).date();
        let from = today.yesterday().unwrap();
        let to = today.tomorrow().unwrap().tomorrow().unwrap();
        let report = desk.get(&desk.admin, &format!("/reports/sla?from={from}&to={to}&by=priority")).await.expect(200).body;
        assert_eq!(report.as_array().unwrap().len(), 1, "{report}");
        let row = &report[0];
        assert_eq!(row["label"], "P1 critical");
        assert_eq!((row["response"]["met"].as_u64(), row["response"]["decided"].as_u64()), (Some(1), Some(2)), "{row}");
        assert_eq!(row["response"]["percent"], 50.0);
        assert_eq!((row["resolution"]["met"].as_u64(), row["resolution"]["decided"].as_u64()), (Some(1), Some(2)), "{row}");
        assert_eq!(row["mttr_elapsed"]["count"], 1);
        assert_eq!(row["mttr_business"]["count"], 1);
        let by_policy = desk.get(&desk.admin, &format!("/reports/sla?from={from}&to={to}&by=policy")).await.expect(200).body;
        assert_eq!(by_policy[0]["label"], "Standard");
        // A period before anything happened is empty.
        let earlier = desk.get(&desk.admin, "/reports/sla?from=2020-01-01&to=2020-02-01").await.expect(200).body;
        assert_eq!(earlier, json!([]));
        desk.get(&desk.admin, "/reports/sla?from=last%20week&to=2020-02-01").await.problem(400, "invalid_query");
        desk.get(&desk.admin, "/reports/sla?from=2020-02-01&to=2020-01-01").await.problem(422, "validation_failed");
        let customer = desk.person("customer", None, false).await;
        desk.get(&customer, &format!("/reports/sla?from={from}&to={to}")).await.problem(403, "forbidden");
    }

    /// Queues sort by time to breach: the running resolution target due soonest first, tickets
    /// without one (paused) last, across pages.
    async fn queues_sort_by_time_to_breach(desk: Desk) {
        let mut made = Vec::new();
        for (title, impact, urgency) in [("low", "low", "low"), ("p1", "high", "high"), ("p3", "medium", "medium"), ("paused", "high", "high")] {
            let t = desk.post(&desk.admin, "/tickets", json!({"kind": "incident", "title": title, "description": "x", "impact": impact, "urgency": urgency})).await.expect(201).body;
            made.push(t["id"].as_i64().unwrap());
        }
        desk.act(&desk.admin, made[3], "start", json!({})).await.expect(200);
        desk.act(&desk.admin, made[3], "pend", json!({"reason": "awaiting_user"})).await.expect(200);
        let first = desk.get(&desk.admin, "/tickets?sort=due&limit=2").await.expect(200).body;
        let titles = |page: &Value| page["items"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
        assert_eq!(titles(&first), ["p1", "p3"]);
        let cursor = first["next_cursor"].as_str().unwrap();
        let second = desk.get(&desk.admin, &format!("/tickets?sort=due&limit=2&cursor={cursor}")).await.expect(200).body;
        assert_eq!(titles(&second), ["low", "paused"]);
        assert!(second["next_cursor"].is_null());
    }
}

fn clock_state(ticket: &Value, target: &str) -> String {
    clock(ticket, target)["state"].as_str().unwrap().to_owned()
}
