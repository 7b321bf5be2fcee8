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
        assert!(view.contains(r#"<div class="entry-body entry-markdown" dir="auto"><p>quoting the error"#), "{view}");
    }
}

both_backends! {
    /// Text is stored NFC whatever form it was typed in, and queries are normalised the same
    /// way: an NFD query finds NFC text and the other way round.
    async fn nfd_and_nfc_text_find_each_other(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let nfc_ticket = desk.ticket(&agent, "incident", "Caf\u{e9} printer jammed").await;
        let nfd_ticket = desk.ticket(&agent, "incident", "Cre\u{300}me scanner offline").await;
        assert_eq!(nfd_ticket["title"], "Cr\u{e8}me scanner offline", "stored as NFC");
        let found = |q: &'static str| {
            let desk = &desk;
            let agent = agent.clone();
            async move {
                let body = desk.get(&agent, &format!("/tickets?q={q}")).await.expect(200).body;
                body["items"].as_array().unwrap().iter().map(|t| t["id"].clone()).collect::<Vec<_>>()
            }
        };
        // "cafe" + U+0301 (NFD, percent-encoded) finds the NFC "Café"; the NFC "crème" finds
        // the one typed as NFD.
        assert_eq!(found("cafe%CC%81").await, vec![nfc_ticket["id"].clone()]);
        assert_eq!(found("cr%C3%A8me").await, vec![nfd_ticket["id"].clone()]);
        // People are found by name the same way.
        desk.post(&desk.admin, "/users", json!({ "email": "zoe@example.test", "name": "Zoe\u{308} Zed", "role": "customer" }))
            .await
            .expect(201);
        let people = desk.get(&agent, "/users?q=zo%C3%AB").await.expect(200).body;
        assert_eq!(people.as_array().unwrap().len(), 1, "{people}");
    }

    /// Two accounts whose addresses differ only by Unicode normalisation (or case) are one
    /// address: the second is refused as a duplicate. Colliding accounts from before the
    /// canonical key existed do not stop the migration: the older one keeps the address.
    async fn accounts_differing_only_by_normalisation_are_refused(desk: Desk) {
        desk.post(&desk.admin, "/users", json!({ "email": "jos\u{e9}@example.test", "name": "José", "role": "customer" }))
            .await
            .expect(201);
        for twin in ["jose\u{301}@example.test", "JOS\u{c9}@example.test", "JOSE\u{301}@Example.TEST"] {
            desk.post(&desk.admin, "/users", json!({ "email": twin, "name": "Twin", "role": "customer" }))
                .await
                .problem(409, "duplicate");
        }

        // Old data: two rows that collide canonically, written before the key existed.
        desk.sql("INSERT INTO users (email, name, role, super_user, active, created_at) VALUES ('ren\u{e9}@example.test', 'Old René', 'customer', FALSE, TRUE, 1)")
            .await
            .unwrap();
        desk.sql("INSERT INTO users (email, name, role, super_user, active, created_at) VALUES ('rene\u{301}@example.test', 'Newer René', 'customer', FALSE, TRUE, 2)")
            .await
            .unwrap();
        desk.app.store().migrate().await.expect("the migration step does not fail on collisions");
        let found = desk.app.store().find_user_by_email(spoc_domain::TenantId::FIRST, "RENE\u{301}@example.test").await.unwrap().unwrap();
        assert_eq!(found.name, "Old René", "the older account keeps the address");
        let keys = desk.app.store().fill_canonical_emails().await.unwrap();
        assert_eq!(keys.len(), 1, "the newer one is still reported: {keys:?}");
    }
}
