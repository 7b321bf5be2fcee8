//! Text that cannot disguise itself or split in two: one-line fields refuse bidirectional
//! overrides and isolates, pages isolate what people typed, and all text is NFC-normalised.

use serde_json::json;

use crate::both_backends;
use crate::harness::Desk;

both_backends! {
    /// A right-to-left override (U+202E) makes `invoice<RLO>fdp.exe` read as `invoiceexe.pdf`: one-line
    /// fields refuse it with a sentence; bodies keep it, and pages isolate user text.
    async fn bidi_controls_are_refused_in_one_line_fields(desk: Desk) {
        let customer = desk.person("customer", None, false).await;
        let refused = desk
            .post(&customer, "/tickets", json!({
                "kind": "incident", "title": "invoice\u{202E}fdp.exe", "description": "see attachment",
                "impact": "low", "urgency": "low",
            }))
            .await
            .problem(422, "validation_failed");
        assert_eq!(refused.body["errors"][0]["field"], "title");
        assert!(refused.body["detail"].as_str().unwrap().contains("bidirectional"), "{}", refused.text);
        for (path, body) in [
            ("/users", json!({ "email": "iso@example.test", "name": "Eve \u{2067}nimda\u{2069}", "role": "customer" })),
            ("/organizations", json!({ "name": "Acme\u{202D}" })),
        ] {
            desk.post(&desk.admin, path, body).await.problem(422, "validation_failed");
        }
        // Right-to-left text with its implicit marks is welcome; bodies keep what was written.
        let ticket = desk
            .post(&customer, "/tickets", json!({
                "kind": "incident", "title": "המדפסת לא עובדת\u{200F} (3rd floor)",
                "description": "quoting the error: \u{202E}olleh\u{202C}", "impact": "low", "urgency": "low",
            }))
            .await
            .expect(201)
            .body;
        assert_eq!(ticket["description"], "quoting the error: \u{202E}olleh\u{202C}");

        // In pages, the title is isolated from what surrounds it, in the queue and the heading.
        let agent = desk
            .post(&desk.admin, "/users", json!({ "email": "bidi@example.test", "name": "Bea Bidi", "role": "lead", "password": "a bidi-safe password" }))
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap();
        assert!(agent > 0);
        let (cookie, _) = desk.sign_in("bidi@example.test", "a bidi-safe password").await;
        let page = |path: String| {
            let desk = &desk;
            let cookie = cookie.clone();
            async move {
                desk.http.get(format!("{}{path}", desk.base)).header("cookie", cookie).send().await.unwrap().text().await.unwrap()
            }
        };
        let queue = page("/desk?queue=open".to_owned()).await;
        assert!(queue.contains("<bdi>המדפסת לא עובדת\u{200F} (3rd floor)</bdi>"), "{queue}");
        let view = page(format!("/desk/tickets/{}", ticket["id"])).await;
        assert!(view.contains("<h1><bdi>המדפסת"), "{view}");
        assert!(view.contains(r#"<div class="entry-body" dir="auto">quoting the error"#), "{view}");
    }
}
