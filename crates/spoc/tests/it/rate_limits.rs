//! One person cannot flood the desk: ticket creations and replies are limited per person (429
//! `rate_limited` with `Retry-After` from the API, a sentence in the UI), staff exempt by
//! default; mail from one sender over its hourly limit is held, never lost.

use serde_json::json;

use crate::both_backends;
use crate::harness::Desk;

fn new_ticket(title: &str) -> serde_json::Value {
    json!({ "kind": "incident", "title": title, "description": "described", "impact": "low", "urgency": "low" })
}

both_backends! {
    async fn creations_and_replies_are_limited_per_person(desk: Desk) {
        // Only admins set the limits, within bounds.
        let customer = desk.person("customer", None, false).await;
        desk.send(reqwest::Method::PUT, "/settings/rate-limits", Some(&customer.token), &[],
            Some(("application/json", json!({ "tickets_per_person": 1, "replies_per_person": 1, "window_minutes": 10, "staff_exempt": true }).to_string().into_bytes())))
            .await
            .problem(403, "forbidden");
        let defaults = desk.get(&desk.admin, "/settings/rate-limits").await.expect(200).body;
        assert_eq!(defaults, json!({ "tickets_per_person": 30, "replies_per_person": 60, "window_minutes": 10, "staff_exempt": true }));
        let put = |body: serde_json::Value| {
            let desk = &desk;
            async move {
                desk.send(reqwest::Method::PUT, "/settings/rate-limits", Some(&desk.admin.token), &[],
                    Some(("application/json", body.to_string().into_bytes()))).await
            }
        };
        put(json!({ "tickets_per_person": 2, "replies_per_person": 2, "window_minutes": 0, "staff_exempt": true }))
            .await
            .problem(422, "validation_failed");
        put(json!({ "tickets_per_person": 2, "replies_per_person": 2, "window_minutes": 10, "staff_exempt": true }))
            .await
            .expect(200);

        // Tickets: two go through, the third is refused with Retry-After; nothing is logged.
        let first = desk.post(&customer, "/tickets", new_ticket("One")).await.expect(201).body["id"].as_i64().unwrap();
        desk.post(&customer, "/tickets", new_ticket("Two")).await.expect(201);
        let refused = desk.post(&customer, "/tickets", new_ticket("Three")).await.problem(429, "rate_limited");
        let retry: i64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=600).contains(&retry), "Retry-After {retry}");
        assert_eq!(desk.get(&desk.admin, "/tickets").await.body["total"], 2);
        // Others are counted on their own; staff are exempt.
        let neighbour = desk.person("customer", None, false).await;
        desk.post(&neighbour, "/tickets", new_ticket("Mine")).await.expect(201);
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        for n in 0..4 {
            desk.post(&agent, "/tickets", new_ticket(&format!("Call {n}"))).await.expect(201);
        }

        // Replies the same way.
        let reply = json!({ "body": "any news?" });
        desk.post(&customer, &format!("/tickets/{first}/comments"), reply.clone()).await.expect(201);
        desk.post(&customer, &format!("/tickets/{first}/comments"), reply.clone()).await.expect(201);
        desk.post(&customer, &format!("/tickets/{first}/comments"), reply.clone()).await.problem(429, "rate_limited");
        for _ in 0..3 {
            desk.post(&agent, &format!("/tickets/{first}/comments"), json!({ "body": "working on it" })).await.expect(201);
        }

        // Staff can be limited too, when the admin says so.
        put(json!({ "tickets_per_person": 2, "replies_per_person": 2, "window_minutes": 10, "staff_exempt": false }))
            .await
            .expect(200);
        desk.post(&agent, "/tickets", new_ticket("Call 5")).await.problem(429, "rate_limited");
    }

    /// The portal says it in a sentence.
    async fn the_portal_explains_the_limit(desk: Desk) {
        desk.send(reqwest::Method::PUT, "/settings/rate-limits", Some(&desk.admin.token), &[],
            Some(("application/json", json!({ "tickets_per_person": 0, "replies_per_person": 0, "window_minutes": 5, "staff_exempt": true }).to_string().into_bytes())))
            .await
            .expect(200);
        desk.post(&desk.admin, "/users", json!({ "email": "lim@example.test", "name": "Lim It", "role": "customer", "password": "a limited password" }))
            .await
            .expect(201);
        let (cookie, csrf) = desk.sign_in("lim@example.test", "a limited password").await;
        let answer = desk
            .http
            .post(format!("{}/portal/new", desk.base))
            .header("cookie", cookie)
            .form(&[("csrf", csrf.as_str()), ("kind", "incident"), ("title", "Too many"), ("description", "x"), ("affected", "me"), ("when", "soon")])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 429);
        let text = answer.text().await.unwrap();
        assert!(text.contains("You have logged 0 tickets within 5 minutes, the most this desk allows; try again later."), "{text}");
        assert!(text.contains(r#"value="Too many""#), "what was typed is kept: {text}");
    }

    /// Mail from one address beyond its hourly limit is held for review, not ticketed — and
    /// kept, so an agent can release it.
    async fn mail_over_the_sender_limit_is_held(desk: Desk) {
        let limit = spoc_domain::mail::MESSAGES_PER_HOUR;
        for n in 0..=limit {
            let raw = format!(
                "From: Flo <flood@example.test>\r\nTo: Support <support@spoc.test>\r\nSubject: Message {n}\r\n\
                 Date: Tue, 01 Dec 2026 09:00:00 +0000\r\nMessage-ID: <flood-{n}@example.test>\r\n\
                 Content-Type: text/plain; charset=utf-8\r\n\r\nHello number {n}\r\n"
            );
            let answer = desk.send(reqwest::Method::POST, "/mail/inbound", Some(&desk.admin.token), &[], Some(("message/rfc822", raw.into_bytes()))).await;
            assert!(answer.status < 300, "{}", answer.text);
        }
        let log = desk.get(&desk.admin, "/inbound-messages?limit=200").await.expect(200).body;
        let outcomes: Vec<&str> = log.as_array().unwrap().iter().map(|m| m["outcome"].as_str().unwrap()).collect();
        assert_eq!(outcomes.iter().filter(|o| **o == "ticket_created").count(), usize::try_from(limit).unwrap());
        assert_eq!(outcomes.iter().filter(|o| **o == "held").count(), 1, "{outcomes:?}");
    }
}
