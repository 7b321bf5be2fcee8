//! The system acts as a principal: what the SLA timers and mail intake do is recorded in the
//! ticket's history and the change feed as the system's part that did it (never as a person, never
//! as nobody), the API shows it as `actor_system`, and the desk's history reads "System (…)".

use std::sync::Arc;

use serde_json::{Value, json};
use spoc_app::{App, FakeClock};
use spoc_domain::access::SystemActor;
use spoc_domain::{Timestamp, UserId};
use spoc_store::{Entity, Store, StoreOptions};

use crate::both_backends;
use crate::harness::Desk;

const MINUTE: i64 = 60_000_000;

async fn events(desk: &Desk, id: i64) -> Vec<Value> {
    desk.get(&desk.admin, &format!("/tickets/{id}/events"))
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .clone()
}

/// `(type, actor_id, actor_system)` of each event.
fn who(events: &[Value]) -> Vec<(String, Value, Value)> {
    events
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap().to_owned(),
                e["actor_id"].clone(),
                e["actor_system"].clone(),
            )
        })
        .collect()
}

async fn store_of(desk: &Desk) -> Store {
    Store::connect(&StoreOptions::new(desk.database_url.clone()))
        .await
        .unwrap()
}

/// What the change feed says about ticket `id`: `(kind, actor_id, actor_system)`.
async fn feed_of(store: &Store, id: i64) -> Vec<(String, Option<UserId>, Option<SystemActor>)> {
    store
        .changes_after(0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.entity == Entity::Ticket && c.entity_id == id)
        .map(|c| (c.kind, c.actor_id, c.actor_system))
        .collect()
}

both_backends! {
    /// A resolution breach escalates to the leads: the warnings, the breaches and the
    /// escalation are the SLA timer's, in the API, the change feed and the desk's history; the
    /// ticket's creation stays its author's.
    async fn an_sla_escalation_is_the_timers(desk: Desk) {
        let group = desk.default_group().await;
        let lead = desk.person("lead", None, false).await;
        desk.add_member(group, lead.id).await;
        let ticket = desk
            .post(&desk.admin, "/tickets", json!({
                "kind": "incident", "title": "Finance offline", "description": "All of finance is offline.",
                "impact": "high", "urgency": "high",
            }))
            .await
            .expect(201)
            .body;
        let id = ticket["id"].as_i64().unwrap();
        let at: jiff::Timestamp = ticket["created_at"].as_str().unwrap().parse().unwrap();
        let store = store_of(&desk).await;
        let clock = Arc::new(FakeClock::new(Timestamp::from_micros(at.as_microsecond())));
        let worker = App::new(store.clone(), clock.clone());
        // Past every target of a P1 (the 4-hour resolution one last), one firing at a time.
        for (minutes, step) in [(12, 12), (16, 4), (4 * 60 + 1, 4 * 60 - 15)] {
            clock.advance(step * MINUTE);
            assert_eq!(worker.run_due_timers("w1", 100).await.unwrap(), 1, "at {minutes} minutes");
        }
        let t = desk.get(&desk.admin, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(t["escalated"], true, "the standard policy escalates on a resolution breach");

        let history = who(&events(&desk, id).await);
        let admin = json!(desk.admin.id);
        assert_eq!(history[0], ("created".to_owned(), admin.clone(), Value::Null), "{history:?}");
        let by_timer: Vec<&(String, Value, Value)> =
            history.iter().filter(|(_, _, system)| *system == "sla_timer").collect();
        assert!(by_timer.iter().any(|(kind, _, _)| kind == "escalated"), "{history:?}");
        assert!(by_timer.iter().any(|(kind, _, _)| kind == "sla"), "{history:?}");
        for (kind, actor, system) in &history {
            assert!(actor.is_null() != system.is_null(), "a person or the system, never both or neither: {kind}");
        }
        assert!(
            history.iter().filter(|(kind, _, _)| kind == "escalated").all(|(_, actor, _)| actor.is_null()),
            "nobody's name is on the escalation: {history:?}"
        );

        let feed = feed_of(&store, id).await;
        assert_eq!(feed[0], ("created".to_owned(), Some(UserId::new(desk.admin.id)), None), "{feed:?}");
        assert_eq!(
            feed[1..].iter().filter(|(_, _, system)| *system == Some(SystemActor::SlaTimer)).count(),
            3,
            "each firing is one change by the timer: {feed:?}"
        );

        // The desk's history says who: the system, by name.
        desk.post(&desk.admin, "/users", json!({
            "email": "pat.lead@example.test", "name": "Pat Lead", "role": "lead",
            "password": "correct horse battery",
        }))
        .await
        .expect(201);
        let (session, _) = desk.sign_in("pat.lead@example.test", "correct horse battery").await;
        let page = desk
            .http
            .get(format!("{}/desk/tickets/{id}", desk.base))
            .header("Cookie", session)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("System (SLA timer)"), "the desk names the timer");
        store.close().await;
    }

    /// An auto-reply to a ticket's mail is recorded by mail intake, not by its sender, while the
    /// sender's own message that logged the ticket stays theirs.
    async fn an_automated_answer_is_recorded_by_mail_intake(desk: Desk) {
        let deliver = |raw: String| desk.send(
            reqwest::Method::POST,
            "/mail/inbound",
            Some(&desk.admin.token),
            &[],
            Some(("message/rfc822", raw.into_bytes())),
        );
        let message = |id: &str, subject: &str, extra: &str, body: &str| format!(
            "From: Ana <ana@example.org>\r\nTo: Support <support@spoc.test>\r\nSubject: {subject}\r\n\
             Date: Sun, 06 Dec 2026 09:00:00 +0000\r\nMessage-ID: {id}\r\nMIME-Version: 1.0\r\n{extra}\
             Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
        );
        let logged = deliver(message("<first.1@example.org>", "Printer jams", "", "It jams.")).await.expect(201).body;
        assert_eq!(logged["outcome"], "ticket_created", "{logged}");
        let id = logged["ticket_id"].as_i64().unwrap();
        let ooo = deliver(message(
            "<ooo.2@example.org>",
            "Automatic reply: Printer jams",
            "In-Reply-To: <first.1@example.org>\r\nAuto-Submitted: auto-replied\r\n",
            "I am out of the office until Monday.",
        )).await.expect(201).body;
        assert_eq!(ooo["outcome"], "ignored", "{ooo}");

        let ana = desk.get(&desk.admin, "/users?q=ana@example.org").await.expect(200).body[0]["id"].clone();
        let history = who(&events(&desk, id).await);
        assert_eq!(history[0], ("created".to_owned(), ana, Value::Null), "{history:?}");
        let automated: Vec<_> = history.iter().filter(|(kind, _, _)| kind == "automated_mail").collect();
        assert_eq!(
            automated,
            [&("automated_mail".to_owned(), Value::Null, json!("mail_intake"))],
            "{history:?}"
        );
        let store = store_of(&desk).await;
        let feed = feed_of(&store, id).await;
        assert_eq!(feed.last().map(|c| c.2), Some(Some(SystemActor::MailIntake)), "{feed:?}");
        store.close().await;
    }
}
