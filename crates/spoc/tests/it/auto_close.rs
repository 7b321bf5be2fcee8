//! Auto-close (issue #12, lane "tickets") on both backends, with a controlled clock: the
//! requester is told a day before, the ticket closes after the set days as the system, nothing
//! happens twice (also with two nodes at once), and 0 means never.

use std::sync::Arc;

use serde_json::{Value, json};
use spoc_app::{App, AutoCloseRun, FakeClock, MailConfig};
use spoc_domain::Timestamp;
use spoc_store::{Store, StoreOptions};

use crate::both_backends;
use crate::harness::{DESK_ADDRESS, Desk};

const DAY: i64 = 24 * 3600 * 1_000_000;

/// A node of the desk with its own clock, as the job runs it.
pub(crate) async fn node(desk: &Desk, at: i64) -> (App, Arc<FakeClock>) {
    let store = Store::connect(&StoreOptions::new(desk.database_url.clone()))
        .await
        .unwrap();
    let clock = Arc::new(FakeClock::new(Timestamp::from_micros(at)));
    let app = App::new(store, clock.clone()).with_mail(MailConfig {
        from: spoc_mail::Address::parse(DESK_ADDRESS).unwrap(),
        public_url: "http://desk.spoc.test".to_owned(),
    });
    (app, clock)
}

pub(crate) fn micros(text: &Value) -> i64 {
    let ts: jiff::Timestamp = text.as_str().unwrap().parse().unwrap();
    ts.as_microsecond()
}

fn outcome(noticed: usize, closed: usize) -> AutoCloseRun {
    AutoCloseRun { noticed, closed }
}

async fn notices_queued(desk: &Desk, id: i64) -> usize {
    let outbox = desk
        .get(&desk.admin, "/outbox?limit=200")
        .await
        .expect(200)
        .body;
    outbox
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            m["idempotency_key"]
                .as_str()
                .unwrap_or_default()
                .starts_with(&format!("mail.auto_close:{id}:"))
        })
        .count()
}

both_backends! {
    async fn resolved_tickets_close_after_the_set_days_with_a_notice_first(desk: Desk) {
        let group = desk.default_group().await;
        let agent = desk.agent_in(&[group]).await;
        let customer = desk.person("customer", None, false).await;

        // The setting: staff read it, admins set it, bad values are refused.
        assert_eq!(desk.get(&agent, "/settings/auto-close").await.expect(200).body["days"], 7, "the default");
        desk.get(&customer, "/settings/auto-close").await.problem(403, "forbidden");
        desk.send(reqwest::Method::PUT, "/settings/auto-close", Some(&agent.token), &[],
            Some(("application/json", json!({"days": 3}).to_string().into_bytes()))).await.problem(403, "forbidden");
        for bad in [json!({"days": -1}), json!({"days": 366})] {
            desk.send(reqwest::Method::PUT, "/settings/auto-close", Some(&desk.admin.token), &[],
                Some(("application/json", bad.to_string().into_bytes()))).await.problem(422, "validation_failed");
        }
        desk.send(reqwest::Method::PUT, "/settings/auto-close", Some(&desk.admin.token), &[],
            Some(("application/json", json!({"days": 3}).to_string().into_bytes()))).await.expect(200);
        assert_eq!(desk.get(&agent, "/settings/auto-close").await.expect(200).body["days"], 3);

        let id = desk.ticket(&customer, "incident", "Monitor flickers").await["id"].as_i64().unwrap();
        let resolved = desk.act(&agent, id, "resolve", json!({"code": "solved", "notes": "Replaced the cable."})).await.expect(200).body;
        let resolved_at = micros(&resolved["resolved_at"]);
        let (one, clock) = node(&desk, resolved_at + DAY).await;
        let (two, clock_two) = node(&desk, resolved_at + DAY).await;

        // A day after resolving: nothing is due.
        assert_eq!(one.run_auto_close(100).await.unwrap(), outcome(0, 0));
        // Two days after (one before closing): the requester is told, once, even with two nodes.
        clock.advance(DAY + 60_000_000);
        clock_two.advance(DAY + 60_000_000);
        let (a, b) = tokio::join!(one.run_auto_close(100), two.run_auto_close(100));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!((a.noticed + b.noticed, a.closed + b.closed), (1, 0), "{a:?} {b:?}");
        assert_eq!(one.run_auto_close(100).await.unwrap(), outcome(0, 0), "not twice");
        assert_eq!(notices_queued(&desk, id).await, 1, "one e-mail to the requester");
        let t = desk.get(&agent, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(t["status"], "resolved");
        let events = desk.get(&agent, &format!("/tickets/{id}/events")).await.expect(200).body;
        assert!(events.as_array().unwrap().iter().any(|e| e["type"] == "auto_close_notice" && e["actor_system"] == "automation"), "{events}");

        // Three days after: closed by the system, once.
        clock.advance(DAY);
        clock_two.advance(DAY);
        let (a, b) = tokio::join!(one.run_auto_close(100), two.run_auto_close(100));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!((a.noticed + b.noticed, a.closed + b.closed), (0, 1), "{a:?} {b:?}");
        assert_eq!(one.run_auto_close(100).await.unwrap(), outcome(0, 0), "not twice");
        let t = desk.get(&agent, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(t["status"], "closed");
        assert!(t["closed_at"].is_string());
        assert_eq!(t["resolved_at"], resolved["resolved_at"], "the resolution is kept");
        let events = desk.get(&agent, &format!("/tickets/{id}/events")).await.expect(200).body;
        let closed = events.as_array().unwrap().iter().find(|e| e["type"] == "status_changed" && e["data"]["to"] == "closed");
        assert!(closed.is_some_and(|e| e["actor_system"] == "automation"), "closed by the system: {events}");

        // A ticket reopened after its notice is not closed.
        let again = desk.ticket(&customer, "incident", "Keyboard sticks").await["id"].as_i64().unwrap();
        let resolved = desk.act(&agent, again, "resolve", json!({"code": "solved", "notes": "Cleaned it."})).await.expect(200).body;
        let (three, clock) = node(&desk, micros(&resolved["resolved_at"]) + 2 * DAY + 60_000_000).await;
        assert_eq!(three.run_auto_close(100).await.unwrap(), outcome(1, 0));
        desk.act(&customer, again, "reopen", json!({"reason": "It sticks again."})).await.expect(200);
        clock.advance(2 * DAY);
        assert_eq!(three.run_auto_close(100).await.unwrap(), outcome(0, 0));
        assert_ne!(desk.get(&agent, &format!("/tickets/{again}")).await.expect(200).body["status"], "closed");

        // 0 = never.
        desk.send(reqwest::Method::PUT, "/settings/auto-close", Some(&desk.admin.token), &[],
            Some(("application/json", json!({"days": 0}).to_string().into_bytes()))).await.expect(200);
        let kept = desk.ticket(&customer, "incident", "Mouse double-clicks").await["id"].as_i64().unwrap();
        desk.act(&agent, kept, "resolve", json!({"code": "solved", "notes": "New mouse."})).await.expect(200);
        clock.advance(400 * DAY);
        assert_eq!(three.run_auto_close(100).await.unwrap(), outcome(0, 0));
        assert_eq!(desk.get(&agent, &format!("/tickets/{kept}")).await.expect(200).body["status"], "resolved");
        assert_eq!(notices_queued(&desk, kept).await, 0);
    }
}
