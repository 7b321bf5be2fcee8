//! One person cannot flood the desk: over the limit of tickets or replies in the window, the API
//! answers `429 rate_limited` with `Retry-After`, nothing is written, other people are not
//! affected, staff have a larger allowance, and mail over the limit is held, not lost.

use serde_json::json;

use crate::both_backends;
use crate::harness::Desk;

fn limit(desk: &Desk, tickets: usize, replies: usize) {
    desk.app.set_rate_limits(spoc_app::RateLimits {
        window_secs: 600,
        tickets,
        replies,
        staff_factor: 2,
    });
}

fn ticket_body(title: &str) -> serde_json::Value {
    json!({
        "kind": "incident", "title": title, "description": "Something is broken again.",
        "impact": "low", "urgency": "low",
    })
}

both_backends! {
    async fn tickets_and_replies_are_rate_limited_per_person(desk: Desk) {
        limit(&desk, 2, 2);
        let flooder = desk.person("customer", None, false).await;
        let bystander = desk.person("customer", None, false).await;
        let first = desk.ticket(&flooder, "incident", "First").await["id"].as_i64().unwrap();
        desk.ticket(&flooder, "incident", "Second").await;
        let refused = desk.post(&flooder, "/tickets", ticket_body("Third")).await.problem(429, "rate_limited");
        let retry: i64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(retry > 0 && retry <= 600, "{retry}");
        let mine = desk.get(&flooder, "/tickets").await.expect(200);
        assert_eq!(mine.body["items"].as_array().unwrap().len(), 2, "nothing written: {}", mine.text);
        // Someone else is not affected.
        desk.ticket(&bystander, "incident", "Unrelated").await;

        // Replies have their own count.
        for n in 0..2 {
            desk.post(&flooder, &format!("/tickets/{first}/comments"), json!({ "body": format!("Reply {n}") }))
                .await.expect(201);
        }
        desk.post(&flooder, &format!("/tickets/{first}/comments"), json!({ "body": "One too many" }))
            .await.problem(429, "rate_limited");

        // Staff get a multiple of the customers' allowance.
        let agent = desk.person("agent", None, false).await;
        for n in 0..4 {
            desk.post(&agent, "/tickets", ticket_body(&format!("Phone call {n}"))).await.expect(201);
        }
        desk.post(&agent, "/tickets", ticket_body("Phone call 5")).await.problem(429, "rate_limited");
    }

    async fn mail_over_the_limit_is_held_not_lost(desk: Desk) {
        limit(&desk, 1, 1);
        let mut answers = Vec::new();
        for n in 0..2 {
            let raw = format!(
                "From: Flo Flood <flo@example.test>\r\nTo: desk@spoc.test\r\nSubject: Outage {n}\r\n\
                 Message-ID: <flood-{n}@example.test>\r\nDate: Sun, 06 Dec 2026 10:00:00 +0000\r\n\r\nIt is down ({n}).\r\n"
            );
            let answer = desk
                .send(reqwest::Method::POST, "/mail/inbound", Some(&desk.admin.token), &[], Some(("message/rfc822", raw.into_bytes())))
                .await;
            assert!(answer.status < 300, "accepted, never refused: {}", answer.text);
            answers.push(answer.body);
        }
        assert_eq!(answers[0]["outcome"], "ticket_created", "{}", answers[0]);
        assert_eq!(answers[1]["outcome"], "quarantined", "{}", answers[1]);
        let held = desk.get(&desk.admin, "/inbound-messages?limit=50").await.expect(200).body;
        let held: Vec<_> = held.as_array().unwrap().iter()
            .filter(|m| m["subject"] == "Outage 1")
            .collect();
        assert_eq!(held.len(), 1, "the second message is kept: {held:?}");
        assert!(held[0]["reason"].as_str().unwrap_or("").contains("too many"), "{}", held[0]);
    }
}
