//! Knowledge and SOPs in headless Chromium, on both backends: an agent follows an SOP checklist
//! on a ticket to resolution (refused first with the missing checks in a sentence, an
//! escalation rule filling the escalate form), and a portal user is deflected by a suggested
//! article, with agent-only articles never shown. The last test photographs the new pages
//! (with `SPOC_SCREENSHOTS=dir`) and checks that they fit a phone.

use serde_json::json;
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::{Desk, Person};
use crate::knowledge::{article, publish};
use crate::sops::{Cast, cast, create_sop, make_effective, reset_content};
use crate::ui::{Login, WAIT, click_and_wait_for_new_page, desk_agent, sign_in, user};
use crate::ui_pages::check_pages;

async fn token_for(desk: &Desk, login: &Login) -> Person {
    let token = desk
        .app
        .issue_token(spoc_domain::UserId::new(login.id), "browser test")
        .await
        .unwrap();
    Person {
        id: login.id,
        token: token.secret,
    }
}

/// An effective password-reset SOP for incidents, a tier-2 "Identity and Access" group its
/// escalation rule names, a service, and a customer's incident. Returns (cast, group, service,
/// ticket id).
async fn sop_and_ticket(desk: &Desk) -> (Cast, i64, i64, i64) {
    let cast = cast(desk).await;
    let group = desk.group("Identity and Access", 2, false).await;
    let service = desk
        .post(
            &desk.admin,
            "/services",
            json!({"name": "Directory", "description": "Sign-in and accounts"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let sop = create_sop(
        desk,
        &cast,
        "reset",
        reset_content("Account unlock with identity verification"),
        json!([{"kind": "incident"}]),
    )
    .await;
    make_effective(desk, &cast, sop, &cast.author).await;
    let customer = desk.person("customer", None, false).await;
    let ticket = desk
        .ticket(&customer, "incident", "Locked out of my account")
        .await["id"]
        .as_i64()
        .unwrap();
    (cast, group, service, ticket)
}

both_backends! {
    /// An agent opens the ticket, sees the SOP as a checklist, is told in a sentence what is
    /// missing when resolving too early, uses an escalation rule (the form fills itself), ticks
    /// the steps and records the answers, sets the service and resolves.
    async fn an_agent_follows_an_sop_checklist_to_resolution(desk: Desk) {
        let (_cast, group, service, ticket) = sop_and_ticket(&desk).await;
        let agent = desk_agent(&desk, "Ada Agent").await;
        let as_agent = token_for(&desk, &agent).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        let page = format!("{}/desk/tickets/{ticket}", desk.base);
        browser.goto(&page).await;
        let panel = browser.wait_for("#sop-checklist", WAIT).await.text().await;
        assert!(panel.contains("Account unlock with identity verification") && panel.contains("Version 1"), "{panel}");
        assert!(panel.contains("0 of 3 steps done"), "{panel}");
        click_and_wait_for_new_page(&browser, "#ticket-actions form[action$='/act/start'] button").await;

        // Resolving now is refused with each missing check named beside the form.
        browser.find("#ticket-actions details.action summary.button-primary").await.click().await;
        browser.find("#resolve-notes").await.send_keys("Password reset after a call-back.").await;
        click_and_wait_for_new_page(&browser, "form[action$='/act/resolve'] button[type=submit]").await;
        let refusal = browser.wait_for("#resolve-checks", WAIT).await.text().await;
        for check in ["The verification method is recorded", "The affected service is recorded", "The user confirmed it works"] {
            assert!(refusal.contains(check), "{check} in {refusal}");
        }
        assert_eq!(desk.get(&as_agent, &format!("/tickets/{ticket}")).await.body["status"], "in_progress");

        // The escalation rule is one click away and fills the escalate form.
        browser.goto(&page).await;
        click_and_wait_for_new_page(&browser, "#sop-escalations a").await;
        assert!(browser.current_url().await.contains("escalate=identity"));
        let reason = browser.find("#escalate-reason").await.prop("value").await;
        assert_eq!(reason, json!("Password reset SOP: identity team to take over."));
        assert_eq!(browser.find("#escalate-escalation").await.prop("value").await, json!(format!("g:{group}")));

        // Follow the steps: answers are recorded with their step, the plain step is ticked.
        browser.goto(&page).await;
        browser.find("#answer-verify").await.select_by_value("Call-back").await;
        click_and_wait_for_new_page(&browser, "#check-verify form.answer-form button").await;
        click_and_wait_for_new_page(&browser, "#check-reset button.tick").await;
        browser.find("#answer-confirm").await.select_by_value("Confirmed working").await;
        click_and_wait_for_new_page(&browser, "#check-confirm form.answer-form button").await;
        let panel = browser.find("#sop-checklist").await.text().await;
        assert!(panel.contains("3 of 3 steps done"), "{panel}");
        assert_eq!(browser.find("#check-reset button.tick").await.attr("aria-pressed").await.as_deref(), Some("true"));
        // Set the service with the editor.
        browser.find("#e-service").await.select_by_value(&service.to_string()).await;
        click_and_wait_for_new_page(&browser, "form[action$='/edit'] button[type=submit]").await;
        browser.wait_for_text(".flash", "Saved", WAIT).await;

        // Now resolve succeeds.
        browser.find("#ticket-actions details.action summary.button-primary").await.click().await;
        browser.find("#resolve-notes").await.send_keys("Password reset after a call-back; the user signed in.").await;
        click_and_wait_for_new_page(&browser, "form[action$='/act/resolve'] button[type=submit]").await;
        browser.wait_for_text(".flash", "Resolved", WAIT).await;
        let stored = desk.get(&as_agent, &format!("/tickets/{ticket}")).await.expect(200).body;
        assert_eq!(stored["status"], "resolved");
        assert_eq!((stored["sop"]["version"].as_i64(), stored["sop"]["bound"].as_bool()), (Some(1), Some(true)));
        let history = browser.find("#timeline").await.text().await;
        assert!(history.contains("began following SOP") && history.contains("ticked SOP step"), "{history}");
    }

    /// A customer describing a problem in the portal is offered the matching customer-facing
    /// article (never the agent-only one), opens it and says it solved the problem: no ticket
    /// is logged and the deflection is counted. Without scripts, "check for answers" does the
    /// same on the server.
    async fn a_portal_user_is_deflected_by_a_suggested_article(desk: Desk) {
        let writer = desk.agent_in(&[desk.default_group().await]).await;
        let lead = desk.person("lead", None, false).await;
        let public = article(&desk, &writer, "customers", "Reset a forgotten password yourself",
            "1. Open **password.example.test**.\n2. Answer your security questions.\n3. Choose a new password.").await;
        let internal = article(&desk, &writer, "agents", "Forgotten password: admin override",
            "Use the directory admin console to set a temporary password.").await;
        publish(&desk, &lead, public).await;
        publish(&desk, &lead, internal).await;
        let customer = user(&desk, Role::Customer, "Una User", None).await;
        let as_customer = token_for(&desk, &customer).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &customer).await;
        browser.goto(&format!("{}/portal/new", desk.base)).await;
        browser.find("#title").await.send_keys("I forgot my password").await;
        let suggestion = browser.wait_for_text("#suggestion-list a", "Reset a forgotten password yourself", WAIT).await;
        let shown = browser.find("#suggestions").await.text().await;
        assert!(!shown.contains("admin override"), "agent-only articles are never suggested: {shown}");
        suggestion.click().await;
        browser.wait_for_text("article h1", "Reset a forgotten password yourself", WAIT).await;
        assert!(browser.find(".article-body strong").await.text().await.contains("password.example.test"));
        assert!(browser.find_all("form.feedback").await.is_empty(), "one question at a time: solved, not also helpful");
        click_and_wait_for_new_page(&browser, "form[action$='/solved'] button").await;
        browser.wait_for_text(".flash", "no ticket was needed", WAIT).await;
        let mine = desk.get(&as_customer, "/tickets").await.expect(200).body;
        assert_eq!(mine["total"], 0, "no ticket: {mine}");
        let report = desk.get(&writer, "/reports/self-service?from=2000-01-01&to=2100-01-01").await.expect(200).body;
        assert_eq!(report["deflected"], 1);
        assert_eq!(report["by_article"][0]["article_id"], public);

        // Without waiting for the script: "check for answers" lists them on the server.
        browser.goto(&format!("{}/portal/new", desk.base)).await;
        browser.find("#description").await.send_keys("password forgotten, cannot sign in").await;
        click_and_wait_for_new_page(&browser, "button[name=check]").await;
        let listed = browser.find("#suggestions").await.text().await;
        assert!(listed.contains("Reset a forgotten password yourself") && !listed.contains("admin override"), "{listed}");
        assert_eq!(browser.find("#description").await.prop("value").await, json!("password forgotten, cannot sign in"));

        // The agent-only article is not in the portal at all; the customer one is.
        browser.goto(&format!("{}/portal/kb/{internal}", desk.base)).await;
        assert!(browser.find("main").await.text().await.contains("Not found"));
        browser.goto(&format!("{}/portal/kb?q=password", desk.base)).await;
        let list = browser.find("main").await.text().await;
        assert!(list.contains("Reset a forgotten password yourself") && !list.contains("admin override"), "{list}");
        // Feedback from the article page.
        browser.goto(&format!("{}/portal/kb/{public}", desk.base)).await;
        assert!(browser.find_all("form[action$='/solved']").await.is_empty(), "browsing asks only whether it helped");
        click_and_wait_for_new_page(&browser, "form.feedback button[value=yes]").await;
        browser.wait_for_text(".flash", "Thank you", WAIT).await;
        assert!(browser.find_all("form.feedback").await.is_empty(), "asked once");
        assert_eq!(desk.get(&writer, &format!("/articles/{public}")).await.body["helpful_count"], 1);
    }

    /// The article editor shows the known-error fields for known errors only, previews the
    /// article as readers will see it (bare addresses linked, nothing saved), then saves it.
    async fn the_article_editor_previews_and_shows_only_the_fields_of_the_kind(desk: Desk) {
        let agent = desk_agent(&desk, "Ada Agent").await;
        let as_agent = token_for(&desk, &agent).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/desk/kb/new", desk.base)).await;
        assert!(!browser.find("#a-symptom").await.is_displayed().await, "a how-to has no symptom");
        browser.find("#a-kind").await.select_by_value("known_error").await;
        assert!(browser.find("#a-symptom").await.is_displayed().await, "a known error has one");
        browser.find("#a-symptom").await.send_keys("The VPN drops every hour").await;
        browser.find("#a-kind").await.select_by_value("how_to").await;
        assert!(!browser.find("#a-symptom").await.is_displayed().await);
        browser.find("#a-title").await.send_keys("Reconnect the VPN").await;
        browser.find("#a-body").await.send_keys("Download the client from https://vpn.example.test/client.").await;
        click_and_wait_for_new_page(&browser, "button[name=preview]").await;
        let preview = browser.wait_for("#preview", WAIT).await;
        assert!(preview.text().await.contains("Preview — not saved yet"));
        let link = browser.find("#preview .article-body a").await;
        assert_eq!(link.attr("href").await.as_deref(), Some("https://vpn.example.test/client"));
        assert!(browser.find_all("#preview .known-error").await.is_empty(), "symptom dropped for a how-to");
        let listed = desk.get(&as_agent, "/articles").await.expect(200).body;
        assert_eq!(listed["items"].as_array().map(Vec::len), Some(0), "a preview saves nothing: {listed}");
        assert_eq!(browser.find("#a-title").await.prop("value").await, json!("Reconnect the VPN"), "nothing typed is lost");
        click_and_wait_for_new_page(&browser, "form.form button.button-primary").await;
        browser.wait_for_text(".flash", "Saved.", WAIT).await;
        crate::ui_pages::assert_accessible(&browser, "/desk/kb/{id}").await;
    }
}

/// The knowledge and SOP pages render, fit a 375 px phone without sideways scrolling, and with
/// `SPOC_SCREENSHOTS=dir` are photographed into it (as `docs/screenshots/` is made).
#[tokio::test]
async fn knowledge_and_sop_pages_fit_a_phone_and_can_be_photographed() {
    let desk = Desk::start(crate::harness::Db::Sqlite).await;
    let (cast, _group, service, ticket) = sop_and_ticket(&desk).await;
    let agent = desk_agent(&desk, "Ada Agent").await;
    let as_agent = token_for(&desk, &agent).await;
    let lead = user(&desk, Role::Lead, "Lee Lead", None).await;
    // Outcomes worth showing: three tickets under version 1 (one reopened), two under version 2.
    let requester = desk.person("customer", None, false).await;
    let handle = |title: &'static str, reopen: bool| {
        let (desk, agent, requester) = (&desk, &as_agent, &requester);
        async move {
            let id = desk.ticket(requester, "incident", title).await["id"]
                .as_i64()
                .unwrap();
            desk.act(agent, id, "start", json!({})).await.expect(200);
            for (step, answer) in [("verify", "Call-back"), ("confirm", "Confirmed working")] {
                desk.post(
                    agent,
                    &format!("/tickets/{id}/checklist"),
                    json!({"step": step, "answer": answer}),
                )
                .await
                .expect(200);
            }
            let version = desk.get(agent, &format!("/tickets/{id}")).await.body["version"]
                .as_i64()
                .unwrap();
            desk.patch(
                agent,
                &format!("/tickets/{id}"),
                json!({"version": version, "service_id": service}),
            )
            .await
            .expect(200);
            desk.act(
                agent,
                id,
                "resolve",
                json!({"code": "solved", "notes": "Reset after a call-back."}),
            )
            .await
            .expect(200);
            if reopen {
                desk.act(requester, id, "reopen", json!({"reason": "Locked again"}))
                    .await
                    .expect(200);
                desk.act(
                    agent,
                    id,
                    "resolve",
                    json!({"code": "solved", "notes": "Cleared the cached password."}),
                )
                .await
                .expect(200);
            }
        }
    };
    handle("Password expired", false).await;
    handle("Cannot sign in after holiday", true).await;
    handle("Account locked", false).await;
    let sop_id = desk
        .get(&as_agent, "/sops")
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "reset")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    desk.post(
        &cast.owner,
        &format!("/sops/{sop_id}/versions"),
        json!({
            "content": reset_content("Account unlock with identity verification"),
            "change_summary": "Clear cached passwords before closing", "version": 1,
        }),
    )
    .await
    .expect(201);
    make_effective(&desk, &cast, sop_id, &cast.owner).await;
    handle("Forgot my password", false).await;
    handle("Password rejected", false).await;
    let customer = user(&desk, Role::Customer, "Una User", None).await;
    let kb = article(&desk, &as_agent, "customers", "Connect to the VPN from home",
        "## Before you start\n\nYou need the **VPN client 5.3** or newer.\n\n1. Open the client.\n2. Choose *Home office*.\n3. Sign in with your usual password.").await;
    desk.post(&as_agent, &format!("/articles/{kb}/versions"), json!({
        "kind": "how_to", "audience": "customers", "title": "Connect to the VPN from home",
        "body": "## Before you start\n\nYou need the **VPN client 5.4** or newer.\n\n1. Open the client.\n2. Choose *Home office*.\n3. Sign in with your usual password and approve the prompt on your phone.",
        "change_summary": "Client 5.4 and the phone prompt",
    })).await.expect(201);
    publish(&desk, &cast.approver, kb).await;
    desk.post(&as_agent, "/articles", json!({"kind": "known_error", "audience": "agents", "title": "VPN error 809 on hotel Wi-Fi",
        "symptom": "Error 809 when connecting", "cause": "The network blocks IPsec", "workaround": "Switch the profile to SSL"})).await.expect(201);
    let sop = desk
        .get(&as_agent, "/sops")
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "reset")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    desk.act(&as_agent, ticket, "start", json!({}))
        .await
        .expect(200);
    desk.post(
        &as_agent,
        &format!("/tickets/{ticket}/checklist"),
        json!({"step": "verify", "answer": "Call-back"}),
    )
    .await
    .expect(200);
    let pages: Vec<(&Login, String, &str)> = vec![
        (
            &agent,
            format!("/desk/tickets/{ticket}"),
            "ticket-sop-checklist",
        ),
        (&agent, "/desk/kb".to_owned(), "kb-list"),
        (&agent, format!("/desk/kb/{kb}"), "kb-article"),
        (&agent, format!("/desk/kb/{kb}/diff?from=1&to=2"), "kb-diff"),
        (&agent, format!("/desk/kb/{kb}/edit"), "kb-edit"),
        (&lead, "/desk/sops".to_owned(), "sop-list"),
        (&lead, format!("/desk/sops/{sop}"), "sop-view"),
        (&lead, format!("/desk/sops/{sop}/edit"), "sop-edit"),
        (&lead, "/desk/sops/reviews".to_owned(), "sop-reviews"),
        (&lead, "/desk/sops/outcomes".to_owned(), "sop-outcomes"),
        (
            &lead,
            "/desk/reports/self-service".to_owned(),
            "self-service-report",
        ),
        (
            &lead,
            "/desk/notifications".to_owned(),
            "desk-notifications",
        ),
        (&customer, "/portal/kb".to_owned(), "portal-kb"),
        (&customer, format!("/portal/kb/{kb}"), "portal-kb-article"),
    ];
    let shots = std::env::var("SPOC_SCREENSHOTS").ok();
    let browser = Browser::start().await;
    check_pages(
        &browser,
        &desk,
        pages,
        shots.as_deref(),
        &[],
        |name, source| {
            assert!(!source.contains("Not found"), "{name} failed to render");
            if name == "desk-notifications" {
                assert!(
                    source.contains("is now effective"),
                    "the desk is told of new SOP versions"
                );
            }
        },
    )
    .await;
    // The portal's suggestions while typing, photographed mid-sentence.
    browser.delete_cookies().await;
    sign_in(&browser, &desk, &customer).await;
    browser.set_window_size(1280, 900).await;
    browser.goto(&format!("{}/portal/new", desk.base)).await;
    browser
        .find("#title")
        .await
        .send_keys("VPN will not connect from home")
        .await;
    browser
        .wait_for_text("#suggestion-list a", "Connect to the VPN from home", WAIT)
        .await;
    if let Some(dir) = &shots {
        browser
            .screenshot_full(format!("{dir}/portal-suggestions.png"), 1280)
            .await;
    }
}
