//! Knowledge articles over the API, on both backends: versions, diff and restore; the review
//! workflow by role; full-text search; visibility (agent-only and unpublished text never reaches
//! customers through search, suggestions, lists or reads); use on tickets, feedback, and
//! portal deflection counted in the self-service rate.

use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{Desk, Person};

pub async fn article(desk: &Desk, who: &Person, audience: &str, title: &str, body: &str) -> i64 {
    desk.post(
        who,
        "/articles",
        json!({
            "kind": "how_to", "audience": audience, "title": title, "body": body,
        }),
    )
    .await
    .expect(201)
    .body["id"]
        .as_i64()
        .unwrap()
}

pub async fn publish(desk: &Desk, lead: &Person, id: i64) {
    desk.post(lead, &format!("/articles/{id}/actions/publish"), json!({}))
        .await
        .expect(200);
}

fn ids(list: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

both_backends! {
    /// Articles are filed under the desk's categories: a list filtered by a category holds its
    /// articles and its subcategories' (for customers too), a category that does not exist is
    /// refused, and the category travels with each version.
    async fn articles_are_filed_and_browsed_by_category(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let lead = desk.person("lead", None, false).await;
        let customer = desk.person("customer", None, false).await;
        let category = |name: &str, parent: Option<i64>| {
            let desk = &desk;
            let name = name.to_owned();
            async move {
                desk.post(&desk.admin, "/categories", json!({"name": name, "parent_id": parent}))
                    .await.expect(201).body["id"].as_i64().unwrap()
            }
        };
        let access = category("Access", None).await;
        let password = category("Password", Some(access)).await;
        let hardware = category("Hardware", None).await;
        let filed = |title: &str, category: i64| json!({
            "kind": "how_to", "audience": "customers", "title": title, "body": "Steps.", "category_id": category,
        });
        let reset = desk.post(&agent, "/articles", filed("Reset a password", password)).await.expect(201).body;
        assert_eq!(reset["category_id"], password);
        let reset = reset["id"].as_i64().unwrap();
        let printer = desk.post(&agent, "/articles", filed("Clear a paper jam", hardware)).await.expect(201).body["id"].as_i64().unwrap();
        let _loose = article(&desk, &agent, "customers", "Anything else", "Text").await;
        for id in [reset, printer] {
            publish(&desk, &lead, id).await;
        }
        let listed = desk.get(&agent, &format!("/articles?category={access}")).await.expect(200).body;
        assert_eq!(ids(&listed), vec![reset], "a category holds its subcategories' articles: {listed}");
        let listed = desk.get(&customer, &format!("/articles?category={hardware}")).await.expect(200).body;
        assert_eq!(ids(&listed), vec![printer], "{listed}");
        desk.post(&agent, "/articles", filed("Nowhere", 999_999)).await.problem(422, "validation_failed");
        desk.get(&agent, "/articles?category=0").await.problem(400, "invalid_query");
        // A new version can move it; the old version keeps its own category.
        let moved = desk.post(&agent, &format!("/articles/{reset}/versions"), json!({
            "kind": "how_to", "audience": "customers", "title": "Reset a password", "body": "Steps.",
            "category_id": hardware, "change_summary": "Filed under hardware", "version": 1,
        })).await.expect(201).body;
        assert_eq!(moved["category_id"], hardware);
        let first = desk.get(&agent, &format!("/articles/{reset}/versions/1")).await.expect(200).body;
        assert_eq!(first["category_id"], password, "{first}");
    }

    /// Every edit is a new version with its author and summary; two versions can be compared
    /// line by line; restoring copies an old version into a new one.
    async fn versions_diff_and_restore(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let id = article(&desk, &agent, "customers", "Reset your VPN", "Open the client.\nClick Reset.\nSign in again.").await;
        let v2 = desk.post(&agent, &format!("/articles/{id}/versions"), json!({
            "kind": "how_to", "audience": "customers", "title": "Reset your VPN client",
            "body": "Open the client.\nChoose Settings › Reset.\nSign in again.",
            "change_summary": "The menu moved in version 5", "version": 1,
        })).await.expect(201).body;
        assert_eq!((v2["version"].as_i64(), v2["status"].as_str()), (Some(2), Some("draft")));
        // A save from a stale version is a conflict, and a second version needs a summary.
        desk.post(&agent, &format!("/articles/{id}/versions"), json!({
            "kind": "how_to", "audience": "customers", "title": "Stale", "body": "x", "change_summary": "x", "version": 1,
        })).await.problem(409, "conflict");
        desk.post(&agent, &format!("/articles/{id}/versions"), json!({
            "kind": "how_to", "audience": "customers", "title": "No summary", "body": "x", "version": 2,
        })).await.problem(422, "validation_failed");
        let diff = desk.get(&agent, &format!("/articles/{id}/diff?from=1&to=2")).await.expect(200).body;
        let body = diff.as_array().unwrap().iter().find(|s| s["section"] == "body").unwrap();
        let lines: Vec<(String, String)> = body["lines"].as_array().unwrap().iter()
            .map(|l| (l["op"].as_str().unwrap().to_owned(), l["text"].as_str().unwrap().to_owned())).collect();
        assert!(lines.contains(&("removed".to_owned(), "Click Reset.".to_owned())), "{lines:?}");
        assert!(lines.contains(&("added".to_owned(), "Choose Settings › Reset.".to_owned())), "{lines:?}");
        assert!(lines.contains(&("same".to_owned(), "Open the client.".to_owned())));
        assert!(diff.as_array().unwrap().iter().any(|s| s["section"] == "title"));
        assert!(!diff.as_array().unwrap().iter().any(|s| s["section"] == "audience"), "unchanged parts are left out");

        let restored = desk.post(&agent, &format!("/articles/{id}/versions/1/restore"), json!({})).await.expect(201).body;
        assert_eq!(restored["version"], 3);
        assert_eq!(restored["title"], "Reset your VPN");
        assert_eq!(restored["body"], "Open the client.\nClick Reset.\nSign in again.");
        assert_eq!(restored["change_summary"], "Restored version 1");
        let history = desk.get(&agent, &format!("/articles/{id}/versions")).await.expect(200).body;
        let versions = history["versions"].as_array().unwrap();
        assert_eq!(versions.len(), 3);
        assert!(versions.iter().all(|v| v["author_id"] == agent.id && v["created_at"].is_string()));
        let actions: Vec<&str> = history["log"].as_array().unwrap().iter().map(|l| l["action"].as_str().unwrap()).collect();
        assert_eq!(actions, vec!["created", "edited", "restored"]);
        desk.post(&agent, &format!("/articles/{id}/versions/9/restore"), json!({})).await.problem(422, "validation_failed");
    }

    /// Agents write and submit; only leads publish, return and retire; a retired article is
    /// read-only. Markdown is rendered and sanitised.
    async fn the_review_workflow_by_role(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let lead = desk.person("lead", None, false).await;
        let customer = desk.person("customer", None, false).await;
        desk.post(&customer, "/articles", json!({"kind": "faq", "audience": "customers", "title": "x", "body": "y"})).await.problem(403, "forbidden");
        let id = article(&desk, &agent, "customers", "Printer jams", "# Clear a jam\n\n<script>alert(1)</script>\n\n[help](javascript:alert(1))").await;
        let shown = desk.get(&agent, &format!("/articles/{id}")).await.expect(200).body;
        let html = shown["body_html"].as_str().unwrap();
        assert!(html.contains("<h1>Clear a jam</h1>") && !html.contains("<script") && !html.contains("javascript:"), "{html}");
        desk.post(&agent, &format!("/articles/{id}/actions/submit"), json!({})).await.expect(200);
        desk.post(&agent, &format!("/articles/{id}/actions/publish"), json!({})).await.problem(403, "forbidden");
        desk.post(&lead, &format!("/articles/{id}/actions/return"), json!({})).await.problem(422, "validation_failed");
        let back = desk.post(&lead, &format!("/articles/{id}/actions/return"), json!({"comment": "Add a picture of the tray."})).await.expect(200).body;
        assert_eq!(back["status"], "draft");
        desk.post(&agent, &format!("/articles/{id}/actions/submit"), json!({})).await.expect(200);
        let published = desk.post(&lead, &format!("/articles/{id}/actions/publish"), json!({})).await.expect(200).body;
        assert_eq!((published["status"].as_str(), published["published_version"].as_i64()), (Some("published"), Some(1)));
        desk.post(&lead, &format!("/articles/{id}/actions/publish"), json!({})).await.problem(409, "conflict");
        desk.post(&agent, &format!("/articles/{id}/actions/retire"), json!({})).await.problem(403, "forbidden");
        desk.post(&lead, &format!("/articles/{id}/actions/retire"), json!({})).await.expect(200);
        desk.post(&agent, &format!("/articles/{id}/versions"), json!({
            "kind": "faq", "audience": "customers", "title": "Again", "body": "y", "change_summary": "x",
        })).await.problem(422, "validation_failed");
        desk.post(&lead, &format!("/articles/{id}/actions/nonsense"), json!({})).await.problem(404, "not_found");
        // A known error needs its symptom and workaround.
        let bad = desk.post(&agent, "/articles", json!({"kind": "known_error", "audience": "agents", "title": "VPN error 809"})).await.problem(422, "validation_failed");
        assert_eq!(bad.body["errors"][0]["field"], "symptom");
        desk.post(&agent, "/articles", json!({
            "kind": "known_error", "audience": "agents", "title": "VPN error 809",
            "symptom": "Error 809 on connect", "cause": "NAT-T blocked", "workaround": "Use the SSL profile",
        })).await.expect(201);
    }

    /// What customers can reach: only published, customer-facing articles, in their published
    /// text — never agent-only articles, drafts, retired articles or unpublished edits, whether
    /// through the list, search, suggestions, a read or the versions. Staff see everything.
    async fn agent_only_and_unpublished_text_never_reaches_customers(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let lead = desk.person("lead", None, false).await;
        let customer = desk.person("customer", None, false).await;
        let public = article(&desk, &agent, "customers", "Zebracorn printer reset", "Hold the zebracorn button for ten seconds.").await;
        let internal = article(&desk, &agent, "agents", "Zebracorn admin override", "Use the zebracorn service password.").await;
        let draft = article(&desk, &agent, "customers", "Zebracorn draft tips", "Not reviewed yet: zebracorn.").await;
        let narrowed = article(&desk, &agent, "customers", "Zebracorn scanner", "Scan with the zebracorn app.").await;
        let retired = article(&desk, &agent, "customers", "Zebracorn old fax", "Fax via zebracorn.").await;
        for id in [public, internal, narrowed, retired] {
            publish(&desk, &lead, id).await;
        }
        desk.post(&lead, &format!("/articles/{retired}/actions/retire"), json!({})).await.expect(200);
        // A draft edit that narrows the audience hides the article at once.
        desk.post(&agent, &format!("/articles/{narrowed}/versions"), json!({
            "kind": "how_to", "audience": "agents", "title": "Zebracorn scanner (internal)", "body": "Internal zebracorn notes.",
            "change_summary": "Internal only from now on",
        })).await.expect(201);
        // A draft edit of the public article: customers keep the published text.
        desk.post(&agent, &format!("/articles/{public}/versions"), json!({
            "kind": "how_to", "audience": "customers", "title": "Zebracorn secret draft title", "body": "Draft: zebracorn quux.",
            "change_summary": "Rewrite in progress",
        })).await.expect(201);

        // Positive control: staff find every one of them.
        let staff = desk.get(&agent, "/articles?q=zebracorn").await.expect(200).body;
        assert_eq!(ids(&staff), {
            let mut all = vec![public, internal, draft, narrowed, retired];
            all.sort_unstable();
            all
        });
        // Customers: only the published customer-facing one, with its published title.
        let theirs = desk.get(&customer, "/articles?q=zebracorn").await.expect(200).body;
        assert_eq!(ids(&theirs), vec![public]);
        assert_eq!(theirs["items"][0]["title"], "Zebracorn printer reset");
        assert_eq!(theirs["items"][0]["status"], "published");
        assert_eq!(ids(&desk.get(&customer, "/articles").await.expect(200).body), vec![public]);
        // Words only in unpublished text find nothing for customers.
        assert_eq!(ids(&desk.get(&customer, "/articles?q=quux").await.expect(200).body), Vec::<i64>::new());
        assert_eq!(ids(&desk.get(&agent, "/articles?q=quux").await.expect(200).body), vec![public]);
        // Filters cannot widen what customers see.
        assert_eq!(ids(&desk.get(&customer, "/articles?audience=agents&status=draft").await.expect(200).body), vec![public]);
        // Reads.
        let read = desk.get(&customer, &format!("/articles/{public}")).await.expect(200).body;
        assert_eq!((read["version"].as_i64(), read["title"].as_str()), (Some(1), Some("Zebracorn printer reset")));
        assert!(!read.to_string().contains("quux") && !read.to_string().contains("secret draft"));
        assert_eq!(read["author_id"], Value::Null);
        for hidden in [internal, draft, narrowed, retired, 999_999] {
            desk.get(&customer, &format!("/articles/{hidden}")).await.problem(404, "not_found");
            desk.get(&customer, &format!("/articles/{hidden}/versions")).await.problem(404, "not_found");
            desk.post(&customer, &format!("/articles/{hidden}/feedback"), json!({"helpful": true})).await.problem(404, "not_found");
            desk.post(&customer, "/portal/deflections", json!({"article_id": hidden, "query": "zebracorn"})).await.problem(404, "not_found");
        }
        desk.get(&customer, &format!("/articles/{public}/versions")).await.problem(403, "forbidden");
        desk.get(&customer, &format!("/articles/{public}/diff?from=1&to=2")).await.problem(403, "forbidden");
        // Suggestions: the same for staff and customers, published customer-facing text only.
        for who in [&customer, &agent] {
            let found = desk.get(who, "/portal/suggestions?q=zebracorn%20button").await.expect(200).body;
            assert_eq!(ids(&found), vec![public], "{found}");
            assert_eq!(found["items"][0]["title"], "Zebracorn printer reset");
            assert_eq!(found["items"][0]["url"], format!("/portal/kb/{public}"));
        }
        let none = desk.get(&customer, "/portal/suggestions?q=quux").await.expect(200).body;
        assert_eq!(none["items"].as_array().unwrap().len(), 0);
        // Hostile search text is only words.
        desk.get(&customer, "/portal/suggestions?q=%22%29%20OR%20*%3A%28").await.expect(200);
        desk.get(&customer, "/articles?q=%22%29%20OR%20*%3A%28").await.expect(200);
        // Without a session or token there is nothing.
        desk.send(reqwest::Method::GET, "/portal/suggestions?q=zebracorn", None, &[], None).await.problem(401, "unauthenticated");
    }

    /// Articles used to resolve tickets are counted once per ticket and recorded in the
    /// ticket's history; feedback is one vote per person.
    async fn use_on_tickets_and_feedback(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let lead = desk.person("lead", None, false).await;
        let customer = desk.person("customer", None, false).await;
        let id = article(&desk, &agent, "customers", "Outlook keeps asking for a password", "Remove the cached credential.").await;
        let ticket = desk.ticket(&customer, "incident", "Outlook password prompt").await["id"].as_i64().unwrap();
        desk.post(&agent, &format!("/tickets/{ticket}/articles"), json!({"article_id": id})).await.problem(422, "validation_failed");
        publish(&desk, &lead, id).await;
        let linked = desk.post(&agent, &format!("/tickets/{ticket}/articles"), json!({"article_id": id})).await.expect(200).body;
        assert_eq!(linked["use_count"], 1);
        let again = desk.post(&agent, &format!("/tickets/{ticket}/articles"), json!({"article_id": id})).await.expect(200).body;
        assert_eq!(again["use_count"], 1, "once per ticket");
        desk.post(&customer, &format!("/tickets/{ticket}/articles"), json!({"article_id": id})).await.problem(403, "forbidden");
        let used = desk.get(&agent, &format!("/tickets/{ticket}/articles")).await.expect(200).body;
        assert_eq!(used.as_array().unwrap().len(), 1);
        let events = desk.get(&agent, &format!("/tickets/{ticket}/events")).await.expect(200).body.to_string();
        assert!(events.contains("article_linked"), "{events}");
        desk.post(&customer, &format!("/articles/{id}/feedback"), json!({"helpful": true})).await.expect(200);
        desk.post(&agent, &format!("/articles/{id}/feedback"), json!({"helpful": false})).await.expect(200);
        let counted = desk.post(&customer, &format!("/articles/{id}/feedback"), json!({"helpful": false})).await.expect(200).body;
        assert_eq!((counted["helpful_count"].as_i64(), counted["not_helpful_count"].as_i64()), (Some(0), Some(2)));
    }

    /// "This solved my problem" is counted; the self-service rate is deflections over
    /// deflections plus portal tickets.
    async fn deflections_make_the_self_service_rate(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let lead = desk.person("lead", None, false).await;
        let customer = desk.person("customer", None, false).await;
        let id = article(&desk, &agent, "customers", "Unlock your account", "Use the self-service unlock page.").await;
        publish(&desk, &lead, id).await;
        // Three people helped; the first clicks twice, which is still one session.
        desk.post(&customer, "/portal/deflections", json!({"article_id": id, "query": "account locked"})).await.expect(204);
        desk.post(&customer, "/portal/deflections", json!({"article_id": id, "query": "account locked"})).await.expect(204);
        for _ in 0..2 {
            let other = desk.person("customer", None, false).await;
            desk.post(&other, "/portal/deflections", json!({"article_id": id, "query": "locked out"})).await.expect(204);
        }
        desk.post(&customer, "/tickets", json!({
            "kind": "incident", "title": "Still locked", "description": "The page did not help.", "impact": "low",
            "urgency": "medium", "channel": "portal",
        })).await.expect(201);
        desk.ticket(&customer, "incident", "Logged through the API, not a portal session").await;
        let report = desk.get(&agent, "/reports/self-service?from=2000-01-01&to=2100-01-01").await.expect(200).body;
        assert_eq!((report["deflected"].as_i64(), report["sessions"].as_i64()), (Some(3), Some(4)));
        assert_eq!(report["rate_percent"].as_f64(), Some(75.0));
        assert_eq!(report["by_article"][0]["article_id"], id);
        desk.get(&customer, "/reports/self-service?from=2000-01-01&to=2100-01-01").await.problem(403, "forbidden");
        desk.get(&agent, "/reports/self-service?from=soon&to=later").await.problem(400, "invalid_query");
    }
}
