//! Bad input of every kind gets a clear 4xx `application/problem+json`, never a 500, and changes
//! nothing.

use reqwest::Method;
use serde_json::json;

use crate::both_backends;
use crate::harness::{Answer, Desk};

fn valid_ticket() -> serde_json::Value {
    json!({
        "kind": "incident", "title": "Valid title", "description": "Valid description",
        "impact": "low", "urgency": "low",
    })
}

async fn raw(desk: &Desk, method: Method, path: &str, content_type: &str, body: &[u8]) -> Answer {
    desk.send(
        method,
        path,
        Some(&desk.admin.token),
        &[],
        Some((content_type, body.to_vec())),
    )
    .await
}

both_backends! {
    /// A NUL character is text no database stores: wherever it comes (query, path, JSON string
    /// or key, form), the answer is `422 invalid_text` and nothing is written.
    async fn nul_characters_are_invalid_text(desk: Desk) {
        for path in ["/users?q=%00", "/tickets?q=a%00b", "/articles?q=%00", "/tickets/1%00"] {
            desk.get(&desk.admin, path).await.problem(422, "invalid_text");
        }
        let mut ticket = valid_ticket();
        ticket["title"] = json!("Printer\u{0}on fire");
        desk.post(&desk.admin, "/tickets", ticket).await.problem(422, "invalid_text");
        raw(&desk, Method::POST, "/tickets", "application/json",
            br#"{"kind":"incident","title":"x","description":"y","impact":"low","urgency":"low","\u0000":1}"#)
            .await
            .problem(422, "invalid_text");
        desk.post(&desk.admin, "/users", json!({
            "email": "nul@example.test", "name": "Nul\u{0}Name", "role": "customer"
        })).await.problem(422, "invalid_text");
        // The literal text `\u0000` (an escaped backslash) is fine.
        let mut literal = valid_ticket();
        literal["title"] = json!("Path C:\\u0000 is odd");
        desk.post(&desk.admin, "/tickets", literal).await.expect(201);
        let listed = desk.get(&desk.admin, "/tickets").await.expect(200);
        assert_eq!(listed.body["items"].as_array().unwrap().len(), 1, "{}", listed.text);
        // A form (the web UI's sign-in) is refused with a page.
        let answer = desk
            .http
            .post(format!("{}/login", desk.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("email=a%00b&password=x")
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 422);
        assert!(answer.text().await.unwrap().contains("NUL character"));
    }

    async fn malformed_json_and_wrong_content_type(desk: Desk) {
        for body in [&b"{"[..], b"{\"kind\": }", b"not json", b"{\"kind\":\"incident\"} trailing", b"\xff\xfe"] {
            raw(&desk, Method::POST, "/tickets", "application/json", body).await.problem(400, "malformed_json");
        }
        raw(&desk, Method::POST, "/tickets", "text/plain", valid_ticket().to_string().as_bytes())
            .await
            .problem(415, "unsupported_media_type");
        desk.send(Method::POST, "/tickets", Some(&desk.admin.token), &[], None)
            .await
            .problem(415, "unsupported_media_type");
        let id = desk.ticket(&desk.admin, "incident", "Target").await["id"].as_i64().unwrap();
        raw(&desk, Method::POST, &format!("/tickets/{id}/actions/start"), "text/plain", b"{}")
            .await
            .problem(415, "unsupported_media_type");
        raw(&desk, Method::POST, &format!("/tickets/{id}/actions/start"), "application/json", b"{")
            .await
            .problem(400, "malformed_json");
        raw(&desk, Method::PATCH, &format!("/tickets/{id}"), "application/json", b"[1,2")
            .await
            .problem(400, "malformed_json");
    }

    async fn unknown_fields_and_wrong_types(desk: Desk) {
        let mut unknown = valid_ticket();
        unknown["colour"] = json!("red");
        desk.post(&desk.admin, "/tickets", unknown).await.problem(422, "invalid_body");
        for (field, value) in [
            ("title", json!(42)),
            ("impact", json!(["high"])),
            ("category_id", json!("seven")),
            ("requester_id", json!(1.5)),
            ("kind", json!(null)),
        ] {
            let mut body = valid_ticket();
            body[field] = value;
            desk.post(&desk.admin, "/tickets", body).await.problem(422, "invalid_body");
        }
        let missing = json!({ "kind": "incident", "title": "No impact" });
        desk.post(&desk.admin, "/tickets", missing).await.problem(422, "invalid_body");
        desk.post(&desk.admin, "/tickets", json!([1, 2, 3])).await.problem(422, "invalid_body");
        let id = desk.ticket(&desk.admin, "incident", "Target").await["id"].as_i64().unwrap();
        desk.patch(&desk.admin, &format!("/tickets/{id}"), json!({ "version": 1, "status": "closed" }))
            .await
            .problem(422, "invalid_body");
        desk.patch(&desk.admin, &format!("/tickets/{id}"), json!({ "version": "one" }))
            .await
            .problem(422, "invalid_body");
        desk.act(&desk.admin, id, "start", json!({ "force": true })).await.problem(422, "invalid_body");
        desk.post(&desk.admin, &format!("/tickets/{id}/comments"), json!({ "body": "x", "internal": "yes" }))
            .await
            .problem(422, "invalid_body");
    }

    async fn invalid_values_name_the_field(desk: Desk) {
        let cases = [
            ("kind", json!("complaint")),
            ("impact", json!("extreme")),
            ("urgency", json!("")),
            ("title", json!("")),
            ("title", json!("   ")),
            ("title", json!("x".repeat(201))),
            ("description", json!("y".repeat(100_001))),
            ("category_id", json!(987654)),
            ("service_id", json!(987654)),
            ("requester_id", json!(987654)),
            ("channel", json!("carrier pigeon")),
        ];
        for (field, value) in cases {
            let mut body = valid_ticket();
            body[field] = value;
            let answer = desk.post(&desk.admin, "/tickets", body).await.problem(422, "validation_failed");
            let errors = answer.body["errors"].as_array().unwrap();
            assert_eq!(errors[0]["field"], field, "{}", answer.text);
            assert!(errors[0]["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
        // The boundary itself is fine.
        let mut body = valid_ticket();
        body["title"] = json!("x".repeat(200));
        desk.post(&desk.admin, "/tickets", body).await.expect(201);
        // Admin input too.
        desk.post(&desk.admin, "/users", json!({ "email": "not an email", "name": "X", "role": "agent" }))
            .await
            .problem(422, "validation_failed");
        desk.post(&desk.admin, "/users", json!({ "email": "x@example.test", "name": "X", "role": "wizard" }))
            .await
            .problem(422, "validation_failed");
        desk.post(&desk.admin, "/groups", json!({ "name": "Vendor", "tier": 2, "external_supplier": true }))
            .await
            .problem(422, "validation_failed");
        desk.post(&desk.admin, "/groups", json!({ "name": "Tier four", "tier": 4 }))
            .await
            .problem(422, "validation_failed");
        // Nothing of it was stored.
        let list = desk.get(&desk.admin, "/tickets").await.expect(200).body;
        assert_eq!(list["total"], 1);
    }

    async fn oversize_bodies_are_413(desk: Desk) {
        let mut body = valid_ticket();
        body["description"] = json!("z".repeat(1_100_000));
        desk.post(&desk.admin, "/tickets", body).await.problem(413, "payload_too_large");
        let id = desk.ticket(&desk.admin, "incident", "Target").await["id"].as_i64().unwrap();
        let comment = json!({ "body": "z".repeat(1_100_000) });
        desk.post(&desk.admin, &format!("/tickets/{id}/comments"), comment).await.problem(413, "payload_too_large");
        let action = json!({ "reason": "z".repeat(1_100_000) });
        desk.act(&desk.admin, id, "cancel", action).await.problem(413, "payload_too_large");
    }

    async fn unknown_ids_and_paths_are_404(desk: Desk) {
        let id = desk.ticket(&desk.admin, "incident", "Exists").await["id"].as_i64().unwrap();
        for path in [
            "/tickets/999999".to_owned(),
            "/tickets/abc".to_owned(),
            "/tickets/-1".to_owned(),
            "/tickets/99999999999999999999999".to_owned(),
            format!("/tickets/REQ-{id:06}"),
            "/tickets/999999/events".to_owned(),
            "/tickets/999999/comments".to_owned(),
            "/users/424242".to_owned(),
            "/groups/424242".to_owned(),
            "/no/such/thing".to_owned(),
            "/api/v2/tickets".to_owned(),
        ] {
            desk.get(&desk.admin, &path).await.problem(404, "not_found");
        }
        desk.get(&desk.admin, &format!("/tickets/INC-{id:06}")).await.expect(200);
        desk.act(&desk.admin, 999_999, "start", json!({})).await.problem(404, "not_found");
        desk.patch(&desk.admin, "/tickets/999999", json!({ "version": 1, "title": "x" }))
            .await
            .problem(404, "not_found");
        // A reference to something missing inside a valid request is a field error.
        desk.act(&desk.admin, id, "assign", json!({ "group_id": 424242 })).await.problem(422, "validation_failed");
        desk.act(&desk.admin, id, "assign", json!({ "assignee_id": 424242 })).await.problem(422, "validation_failed");
        desk.send(Method::PUT, "/groups/424242/members/1", Some(&desk.admin.token), &[], None)
            .await
            .problem(404, "not_found");
        // Wrong method.
        desk.send(Method::DELETE, "/tickets", Some(&desk.admin.token), &[], None)
            .await
            .problem(405, "method_not_allowed");
    }

    async fn bad_query_strings_are_400(desk: Desk) {
        for query in [
            "limit=0", "limit=-3", "limit=many", "limit=201", "sort=sideways", "cursor=garbage",
            "cursor=%FF%FE", "status=sleeping", "kind=complaint", "priority=P9", "group_id=abc",
            "assignee_id=someone", "unknown=1",
        ] {
            let answer = desk.get(&desk.admin, &format!("/tickets?{query}")).await;
            assert!(
                answer.status == 400 || answer.status == 422,
                "{query}: {} {}",
                answer.status,
                answer.text
            );
            assert!(answer.content_type().starts_with("application/problem+json"), "{query}");
        }
    }

    async fn health_endpoints_answer(desk: Desk) {
        let health = desk.send(Method::GET, "/healthz", None, &[], None).await.expect(200);
        assert_eq!(health.body["status"], "ok");
        let ready = desk.send(Method::GET, "/readyz", None, &[], None).await.expect(200);
        assert_eq!(ready.body["status"], "ok");
        let doc = desk.send(Method::GET, "/api/v1/openapi.json", None, &[], None).await.expect(200);
        assert_eq!(doc.body["openapi"], "3.1.0");
        for path in ["/api/v1/tickets", "/api/v1/tickets/{id}/actions/{action}", "/api/v1/groups/{id}/members/{user_id}"] {
            assert!(doc.body["paths"][path].is_object(), "{path} documented");
        }
    }
}
