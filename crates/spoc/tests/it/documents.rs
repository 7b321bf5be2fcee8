//! The controlled-document core over HTTP, on both backends: an SOP's old version restored —
//! over the API and in headless Chromium — comes back as the latest draft and goes through
//! governance like any edit (refused while a version is in review; the restorer counts as an
//! author, so cannot validate it), the effective version staying in force meanwhile.

use serde_json::{Value, json};
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::{Desk, Person};
use crate::sops::{Cast, act, cast, create_sop, make_effective, reset_content};
use crate::ui::{WAIT, click_and_wait_for_new_page, sign_in, user};

/// Drafts a new version of `sop` as `who`, titled `title`; answers with its body.
async fn draft(desk: &Desk, who: &Person, sop: i64, title: &str) -> Value {
    desk.post(
        who,
        &format!("/sops/{sop}/versions"),
        json!({"content": reset_content(title), "change_summary": format!("Now “{title}”")}),
    )
    .await
    .expect(201)
    .body
}

fn last_log(sop: &Value) -> Value {
    sop["log"].as_array().unwrap().last().unwrap().clone()
}

both_backends! {
    /// Restoring version 1 of an SOP whose version 2 is in force: refused while a draft is in
    /// review, it revises the returned draft in place, then goes through every governance
    /// step; after that, a restore starts a new draft version and the effective version stays.
    async fn an_sop_version_is_restored_as_a_draft_that_goes_through_governance(desk: Desk) {
        let cast = cast(&desk).await;
        let sop = create_sop(&desk, &cast, "reset", reset_content("Password reset"), json!([{"kind": "incident"}])).await;
        make_effective(&desk, &cast, sop, &cast.author).await;
        draft(&desk, &cast.author, sop, "Password reset, shorter").await;
        act(&desk, &cast.author, sop, "submit", json!({})).await.expect(200);

        // In review: restoring would change what the owner is checking.
        let restore = |who: &Person, version: i64| {
            let path = format!("/sops/{sop}/versions/{version}/restore");
            let who = who.clone();
            let desk = &desk;
            async move { desk.post(&who, &path, json!({})).await }
        };
        restore(&cast.owner, 1).await.problem(409, "conflict");
        act(&desk, &cast.owner, sop, "return", json!({"comment": "Keep the original wording."})).await.expect(200);

        // A draft: revised in place with version 1's content, logged as a restore.
        let restored = restore(&cast.owner, 1).await.expect(201).body;
        assert_eq!(restored["version"], 2);
        assert_eq!(restored["state"], "draft");
        assert_eq!(restored["content"]["title"], "Password reset");
        assert_eq!(restored["change_summary"], "Restored version 1");
        let seen = desk.get(&cast.owner, &format!("/sops/{sop}")).await.expect(200).body;
        assert_eq!(seen["effective_version"], 1, "{seen}");
        let entry = last_log(&seen);
        assert_eq!((entry["action"].as_str(), entry["version"].as_i64(), entry["comment"].as_str()),
            (Some("restored"), Some(2), Some("from version 1")));
        assert_eq!(entry["actor_id"], cast.owner.id);

        // Who may not: someone outside the SOP, a customer; a version that does not exist.
        let outsider = desk.agent_in(&[desk.default_group().await]).await;
        restore(&outsider, 1).await.problem(403, "forbidden");
        let customer = desk.person("customer", None, false).await;
        restore(&customer, 1).await.problem(404, "not_found");
        restore(&cast.owner, 9).await.problem(422, "validation_failed");
        desk.post(&cast.owner, "/sops/999999/versions/1/restore", json!({})).await.problem(404, "not_found");

        // Version 2 takes effect through governance; version 1 is superseded.
        make_effective(&desk, &cast, sop, &cast.owner).await;
        let seen = desk.get(&cast.owner, &format!("/sops/{sop}")).await.expect(200).body;
        assert_eq!(seen["effective_version"], 2);

        // After it took effect, a restore is a new draft version; version 2 stays in force,
        // and the reviewer who restored it cannot validate it.
        let again = restore(&cast.reviewer, 1).await.expect(201).body;
        assert_eq!((again["version"].as_i64(), again["state"].as_str()), (Some(3), Some("draft")));
        let seen = desk.get(&cast.owner, &format!("/sops/{sop}")).await.expect(200).body;
        assert_eq!((seen["effective_version"].as_i64(), seen["latest_version"].as_i64()), (Some(2), Some(3)));
        act(&desk, &cast.owner, sop, "submit", json!({})).await.expect(200);
        act(&desk, &cast.owner, sop, "check", json!({})).await.expect(200);
        act(&desk, &cast.reviewer, sop, "validate", json!({})).await.problem(403, "forbidden");
    }

    /// In the browser, a lead restores version 1 of an SOP from its list of versions: the page
    /// shows the new draft with version 1's content, and the history names the restore.
    async fn a_lead_restores_an_sop_version_in_the_browser(desk: Desk) {
        let lead = user(&desk, Role::Lead, "Lena Lead", None).await;
        let token = desk.app.issue_token(spoc_domain::UserId::new(lead.id), "browser test").await.unwrap();
        let base = cast(&desk).await;
        let cast = Cast { author: Person { id: lead.id, token: token.secret }, ..base };
        let sop = create_sop(&desk, &cast, "reset", reset_content("Password reset"), json!([{"kind": "incident"}])).await;
        make_effective(&desk, &cast, sop, &cast.author).await;
        draft(&desk, &cast.author, sop, "Password reset, shorter").await;
        make_effective(&desk, &cast, sop, &cast.author).await;

        let browser = Browser::start().await;
        sign_in(&browser, &desk, &lead).await;
        browser.goto(&format!("{}/desk/sops/{sop}", desk.base)).await;
        let versions = browser.wait_for(".version-list", WAIT).await.text().await;
        assert!(versions.contains("Version 1") && versions.contains("Version 2"), "{versions}");
        // The version in force offers no restore of itself.
        assert!(browser.find_all("form[action$='/restore/2']").await.is_empty());
        click_and_wait_for_new_page(&browser, "form[action$='/restore/1'] button").await;
        browser.wait_for_text(".flash", "restored as the latest draft", WAIT).await;
        assert_eq!(browser.find(".page-head h1").await.text().await, "Password reset");
        let history = browser.find(".log-list").await.text().await;
        assert!(history.contains("Lena Lead restored an old version as version 3"), "{history}");

        let seen = desk.get(&cast.owner, &format!("/sops/{sop}")).await.expect(200).body;
        assert_eq!((seen["effective_version"].as_i64(), seen["latest_version"].as_i64()), (Some(2), Some(3)));
        let latest = desk.get(&cast.owner, &format!("/sops/{sop}/versions/3")).await.expect(200).body;
        assert_eq!((latest["state"].as_str(), latest["content"]["title"].as_str()), (Some("draft"), Some("Password reset")));
    }
}
