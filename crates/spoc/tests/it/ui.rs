//! The web UI end to end, in headless Chromium driven over WebDriver, against a real server on a
//! fresh database (SQLite and PostgreSQL): the portal-to-desk round trip with live updates,
//! internal notes kept from requesters, only legal actions offered, CSRF refusals, HTML shown as
//! text, keyboard-only submission, sign-in errors and edit conflicts. Every main page at phone
//! width, the screenshots and the accessibility check are in `ui_pages.rs`.

use std::time::Duration;

use serde_json::{Value, json};
use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::{Browser, ENTER, SPACE, TAB};
use crate::harness::{Desk, unique};

pub(crate) const WAIT: Duration = Duration::from_secs(10);
pub(crate) const PASSWORD: &str = "correct horse battery staple";

/// A person who signs in with [`PASSWORD`].
pub(crate) struct Login {
    pub(crate) id: i64,
    pub(crate) email: String,
}

pub(crate) async fn user(desk: &Desk, role: Role, name: &str, organization: Option<i64>) -> Login {
    let email = format!("{}@example.test", unique(role.as_str()));
    let record = desk
        .app
        .system_create_user(
            spoc_domain::TenantId::FIRST,
            UserInput {
                email: Email::parse(&email).unwrap(),
                name: Name::parse(name).unwrap(),
                role,
                organization_id: organization.map(spoc_domain::OrganizationId::new),
                super_user: false,
                password: Some(PASSWORD.to_owned()),
            },
        )
        .await
        .unwrap();
    Login {
        id: record.id.get(),
        email,
    }
}

/// An agent in the default group.
pub(crate) async fn desk_agent(desk: &Desk, name: &str) -> Login {
    let login = user(desk, Role::Agent, name, None).await;
    desk.add_member(desk.default_group().await, login.id).await;
    login
}

pub(crate) async fn sign_in(browser: &Browser, desk: &Desk, who: &Login) {
    browser.goto(&format!("{}/login", desk.base)).await;
    browser.find("#email").await.send_keys(&who.email).await;
    browser.find("#password").await.send_keys(PASSWORD).await;
    browser
        .find("form[action='/login'] button[type=submit]")
        .await
        .click()
        .await;
    browser
        .wait_for_url(|url| url.contains("/desk") || url.contains("/portal"), WAIT)
        .await;
}

/// Submits the portal form with the mouse and returns the new ticket's number and id.
async fn submit_in_portal(
    browser: &Browser,
    desk: &Desk,
    title: &str,
    description: &str,
) -> (String, i64) {
    browser.goto(&format!("{}/portal/new", desk.base)).await;
    browser
        .find("input[name=kind][value=incident]")
        .await
        .click()
        .await;
    browser.find("#title").await.send_keys(title).await;
    browser
        .find("#description")
        .await
        .send_keys(description)
        .await;
    browser
        .find("input[name=affected][value=some]")
        .await
        .click()
        .await;
    browser
        .find("input[name=when][value=blocking]")
        .await
        .click()
        .await;
    browser
        .find("form[action='/portal/new'] button[type=submit]")
        .await
        .click()
        .await;
    let number = browser.wait_for(".reference", WAIT).await.text().await;
    let url = browser.current_url().await;
    let id = url
        .split("/portal/tickets/")
        .nth(1)
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no ticket id in {url}"));
    (number.trim().to_owned(), id)
}

/// Clicks `css` and waits until the browser shows a new page (the old document is gone).
pub(crate) async fn click_and_wait_for_new_page(browser: &Browser, css: &str) {
    browser.execute("window.__spocOldPage = true", vec![]).await;
    browser.find(css).await.click().await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let old = browser
            .execute("return window.__spocOldPage === true", vec![])
            .await;
        let loaded = browser.execute("return document.readyState", vec![]).await;
        if old == json!(false) && loaded == json!("complete") {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no new page after clicking {css}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn action_buttons(browser: &Browser) -> Vec<String> {
    let mut labels = Vec::new();
    for element in browser
        .find_all("#ticket-actions form.inline button, #ticket-actions summary")
        .await
    {
        labels.push(element.text().await.trim().to_owned());
    }
    labels
}

async fn ticket_json(desk: &Desk, id: i64) -> Value {
    desk.get(&desk.admin, &format!("/tickets/{id}"))
        .await
        .expect(200)
        .body
}

both_backends! {
    /// An end user logs an incident in the portal; the agent's open queue shows it without a
    /// reload; the agent assigns, replies, writes an internal note and resolves; the user sees
    /// the reply arrive live, never the note, and confirms; the ticket is closed.
    async fn portal_to_desk_round_trip(desk: Desk) {
        let customer = user(&desk, Role::Customer, "Una User", None).await;
        let agent = desk_agent(&desk, "Ada Agent").await;
        let agent_browser = Browser::start().await;
        let user_browser = Browser::start().await;

        sign_in(&agent_browser, &desk, &agent).await;
        agent_browser.goto(&format!("{}/desk?queue=unassigned", desk.base)).await;
        agent_browser.find(".empty-state").await;

        sign_in(&user_browser, &desk, &customer).await;
        let (number, id) = submit_in_portal(&user_browser, &desk, "Printer on the 3rd floor jams",
            "Every job since this morning jams at the fuser.").await;
        assert!(number.starts_with("INC-"), "{number}");
        let confirmation = user_browser.find(".confirmation").await.text().await;
        assert!(confirmation.contains("What happens next"), "{confirmation}");

        // Live: the agent's queue shows the new ticket without a reload.
        agent_browser.wait_for_text("#queue-results", &number, WAIT).await;
        agent_browser.find(&format!("#queue-results a[href='/desk/tickets/{id}']")).await.click().await;
        agent_browser.wait_for_text("#ticket-header h1", "Printer on the 3rd floor jams", WAIT).await;

        // The user keeps their ticket open and will see replies arrive.
        user_browser.goto(&format!("{}/portal/tickets/{id}", desk.base)).await;

        let assign = agent_browser.find("#ticket-actions input[name=target][value=me]").await;
        assert_eq!(assign.attr("type").await.as_deref(), Some("hidden"));
        agent_browser.find("#ticket-actions form:has(input[value=me]) button").await.click().await;
        agent_browser.wait_for_text(".flash", "Assigned", WAIT).await;
        agent_browser.find("form[action$='/act/start'] button").await.click().await;
        agent_browser.wait_for_text(".flash", "Work started", WAIT).await;

        agent_browser.find("#body").await.send_keys("We are replacing the fuser unit now.").await;
        agent_browser.find("form.composer button[type=submit]").await.click().await;
        agent_browser.wait_for_text(".flash", "reply was added", WAIT).await;
        agent_browser.find("#body").await.send_keys("Internal: the supplier contract number is 7731.").await;
        agent_browser.find("form.composer button[name=intent][value=note]").await.click().await;
        agent_browser.wait_for_text(".flash", "Internal note added", WAIT).await;
        assert!(agent_browser.find(".entry-note").await.text().await.contains("7731"));

        // Live on the portal: the public reply appears; the note never does.
        user_browser.wait_for_text("#timeline", "replacing the fuser unit", WAIT).await;

        agent_browser.find("#ticket-actions summary").await;
        let resolve = agent_browser.find("details:has(form[action$='/act/resolve']) summary").await;
        resolve.click().await;
        agent_browser.find("#resolve-notes").await.send_keys("Fuser replaced; test pages print cleanly.").await;
        agent_browser.find("form[action$='/act/resolve'] button[type=submit]").await.click().await;
        agent_browser.wait_for_text(".flash", "Resolved", WAIT).await;

        user_browser.refresh().await;
        let page = user_browser.page_source().await;
        assert!(page.contains("replacing the fuser unit"));
        assert!(page.contains("Fuser replaced"));
        assert!(!page.contains("supplier contract number"), "the internal note reached the requester's page");
        assert!(!page.contains("Internal note"), "internal-note markup on the requester's page");
        user_browser.find("form[action$='/confirm'] button").await.click().await;
        user_browser.wait_for_text(".flash", "the ticket is closed", WAIT).await;
        assert_eq!(ticket_json(&desk, id).await["status"], "closed");
        assert!(!user_browser.page_source().await.contains("supplier contract number"));

        agent_browser.refresh().await;
        agent_browser.wait_for_text("#ticket-header", "Closed", WAIT).await;
        assert!(action_buttons(&agent_browser).await.is_empty(), "a closed ticket offers no actions");
    }

    /// The ticket view offers exactly what the state machine allows, for agents and requesters.
    async fn only_legal_actions_are_offered(desk: Desk) {
        let customer = user(&desk, Role::Customer, "Una User", None).await;
        let agent = desk_agent(&desk, "Ada Agent").await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &customer).await;
        let (_, id) = submit_in_portal(&browser, &desk, "VPN drops every hour", "It disconnects at :00.").await;
        assert!(browser.try_find("form[action$='/confirm']").await.is_none(), "confirm offered before resolution");

        let agent_browser = Browser::start().await;
        sign_in(&agent_browser, &desk, &agent).await;
        agent_browser.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
        let offered = action_buttons(&agent_browser).await;
        for expected in ["Assign to me", "Assign…", "Start work", "Escalate…", "Resolve…", "Cancel ticket…"] {
            assert!(offered.iter().any(|o| o == expected), "{expected} not in {offered:?}");
        }
        for illegal in ["Close", "Reopen…", "Resume work", "Set pending…"] {
            assert!(!offered.iter().any(|o| o == illegal), "{illegal} offered on a new ticket: {offered:?}");
        }
        desk.act(&desk.admin, id, "start", json!({})).await.expect(200);
        desk.act(&desk.admin, id, "resolve", json!({"code": "solved", "notes": "Replaced the router."})).await.expect(200);
        agent_browser.refresh().await;
        let offered = action_buttons(&agent_browser).await;
        assert_eq!(offered, vec!["Close".to_owned(), "Reopen…".to_owned()], "after resolving");

        browser.goto(&format!("{}/portal/tickets/{id}", desk.base)).await;
        browser.find("form[action$='/confirm']").await;
        browser.find("form[action$='/reopen']").await;
        assert!(browser.try_find("form[action$='/cancel']").await.is_none(), "cancel offered on a resolved ticket");
    }

    /// Forms posted without the session's token are refused and change nothing (the form comes
    /// back to be sent again); so is a sign-in form that did not come from the sign-in page.
    async fn forms_without_the_csrf_token_are_refused(desk: Desk) {
        let agent = desk_agent(&desk, "Ada Agent").await;
        let ticket = desk.ticket(&desk.admin, "incident", "Mail is slow").await;
        let id = ticket["id"].as_i64().unwrap();
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        for token in [None, Some("0".repeat(64))] {
            browser.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
            browser.find("#ticket-header").await;
            browser.execute(
                "const f = document.createElement('form'); f.method = 'post';
                 f.action = '/desk/tickets/' + arguments[0] + '/comment';
                 for (const [k, v] of [['body', 'forged reply'], ['visibility', 'public']].concat(arguments[1] ? [['csrf', arguments[1]]] : [])) {
                   const i = document.createElement('input'); i.name = k; i.value = v; f.appendChild(i);
                 }
                 document.body.appendChild(f); f.submit();",
                vec![json!(id), json!(token)],
            ).await;
            // The form comes back with what was typed, a sentence and the session's token.
            browser.wait_for_text("#body-error", "This form had expired; check and send it again.", WAIT).await;
            assert_eq!(browser.find("#body").await.prop("value").await, json!("forged reply"));
        }
        let comments = desk.get(&desk.admin, &format!("/tickets/{id}/comments")).await.expect(200).body;
        assert_eq!(comments.as_array().unwrap().len(), 0, "a forged form changed the ticket: {comments}");

        // The same with plain HTTP: a signed-in session without the token is refused with 403.
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let cookie = browser.cookies().await.into_iter()
            .find(|c| c["name"] == "spoc_session").map(|c| c["value"].as_str().unwrap().to_owned()).unwrap();
        let refused = http.post(format!("{}/desk/tickets/{id}/act/start", desk.base))
            .header("cookie", format!("spoc_session={cookie}"))
            .form(&[("csrf", "nope")]).send().await.unwrap();
        assert_eq!(refused.status(), 403);
        assert_eq!(ticket_json(&desk, id).await["status"], "new");

        // Sign-in without the form's own token (login CSRF) is refused too.
        let forged = http.post(format!("{}/login", desk.base))
            .form(&[("email", agent.email.as_str()), ("password", PASSWORD), ("csrf", "x")]).send().await.unwrap();
        assert_eq!(forged.status(), 403);
        assert!(forged.headers().get_all("set-cookie").iter().all(|c| !c.to_str().unwrap().starts_with("spoc_session=")));
    }

    /// Markup typed into a title or a comment is shown as text and never runs.
    async fn html_in_titles_and_comments_is_shown_as_text(desk: Desk) {
        let customer = user(&desk, Role::Customer, "Una <b>User</b>", None).await;
        let agent = desk_agent(&desk, "Ada Agent").await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &customer).await;
        let title = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">";
        let (_, id) = submit_in_portal(&browser, &desk, title, "<svg onload=\"window.pwned = 3\"></svg> details").await;
        browser.find("#body").await.send_keys("<iframe src=\"javascript:window.top.pwned = 4\"></iframe>").await;
        browser.find("form.composer button[type=submit]").await.click().await;
        browser.wait_for_text(".flash", "reply was added", WAIT).await;

        let agent_browser = Browser::start().await;
        sign_in(&agent_browser, &desk, &agent).await;
        for (b, path) in [(&agent_browser, format!("/desk/tickets/{id}")), (&agent_browser, "/desk?queue=groups".to_owned()),
                          (&browser, format!("/portal/tickets/{id}")), (&browser, "/portal/tickets".to_owned())] {
            b.goto(&format!("{}{path}", desk.base)).await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert_eq!(b.execute("return window.pwned === undefined", vec![]).await, json!(true), "script ran on {path}");
            assert!(b.find_all("main script, main img, main svg, main iframe").await.is_empty(), "markup became elements on {path}");
        }
        agent_browser.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
        assert_eq!(agent_browser.find("#ticket-header h1").await.text().await, title);
        assert!(agent_browser.find("#timeline").await.text().await.contains("<iframe src="));
        assert!(agent_browser.find("#ticket-header").await.text().await.contains("Una <b>User</b>"));
    }

    /// A ticket can be logged with the keyboard alone: Tab, typing, arrow keys in the choice
    /// groups, Enter to send.
    async fn keyboard_only_submission(desk: Desk) {
        let customer = user(&desk, Role::Customer, "Kim Keys", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &customer).await;
        browser.goto(&format!("{}/portal/new", desk.base)).await;
        browser.keys(TAB).await;
        assert_eq!(browser.active_element().await.attr("class").await.as_deref(), Some("skip-link"),
            "the first Tab reaches the skip link");
        browser.keys(ENTER).await;
        let mut reached = false;
        for _ in 0..30 {
            browser.keys(TAB).await;
            if browser.active_element().await.attr("id").await.as_deref() == Some("title") {
                reached = true;
                break;
            }
        }
        assert!(reached, "Tab never reached the title field");
        browser.keys("Keyboard cannot type umlauts").await;
        browser.keys(TAB).await;
        assert_eq!(browser.active_element().await.attr("id").await.as_deref(), Some("description"));
        browser.keys("Since the update the ä key types nothing.").await;
        browser.keys(TAB).await;
        assert_eq!(browser.active_element().await.attr("id").await.as_deref(), Some("files"), "the file field");
        browser.keys(TAB).await; // the "affected" choices: focus on the checked one
        browser.keys("\u{E015}").await; // ArrowDown: "Several people"
        browser.keys(TAB).await; // the "when" choices
        browser.keys("\u{E015}").await; // ArrowDown: "No rush"
        browser.keys(TAB).await;
        let button = browser.active_element().await;
        assert_eq!(button.attr("type").await.as_deref(), Some("submit"));
        browser.keys(SPACE).await;
        let number = browser.wait_for(".reference", WAIT).await.text().await;
        let id: i64 = number.trim().trim_start_matches("INC-").parse().unwrap();
        let ticket = ticket_json(&desk, id).await;
        assert_eq!(ticket["title"], "Keyboard cannot type umlauts");
        assert_eq!(ticket["impact"], "medium", "“just me” → ArrowDown → “several people”");
        assert_eq!(ticket["urgency"], "low", "“today or tomorrow” → ArrowDown → “no rush”");
    }

    /// Wrong credentials get one message whether or not the account exists; repeated failures
    /// lock sign-in for a while; a signed-out person is sent to sign in and back.
    async fn sign_in_errors_rate_limit_and_return(desk: Desk) {
        let agent = desk_agent(&desk, "Ada Agent").await;
        let browser = Browser::start().await;
        browser.goto(&format!("{}/desk/tickets/1", desk.base)).await;
        let url = browser.wait_for_url(|u| u.contains("/login"), WAIT).await;
        assert!(url.contains("next=/desk/tickets/1"), "{url}");
        let mut messages = Vec::new();
        for email in [agent.email.as_str(), "nobody@example.test"] {
            browser.find("#email").await.clear().await;
            browser.find("#email").await.send_keys(email).await;
            browser.find("#password").await.send_keys("not the password").await;
            click_and_wait_for_new_page(&browser, "form[action='/login'] button").await;
            messages.push(browser.find(".flash-error").await.text().await);
        }
        assert_eq!(messages[0], messages[1], "the message must not reveal whether the account exists");
        for _ in 0..4 {
            browser.find("#email").await.clear().await;
            browser.find("#email").await.send_keys(&agent.email).await;
            browser.find("#password").await.send_keys("still not it").await;
            click_and_wait_for_new_page(&browser, "form[action='/login'] button").await;
            browser.find(".flash-error").await;
        }
        browser.find("#email").await.clear().await;
        browser.find("#email").await.send_keys(&agent.email).await;
        browser.find("#password").await.send_keys(PASSWORD).await;
        browser.find("form[action='/login'] button").await.click().await;
        browser.wait_for_text(".flash-error", "Too many failed sign-in attempts", WAIT).await;
        assert!(browser.current_url().await.contains("/login"));

        let other = desk_agent(&desk, "Bo Back").await;
        let ticket = desk.ticket(&desk.admin, "incident", "Return after sign-in").await;
        let id = ticket["id"].as_i64().unwrap();
        let fresh = Browser::start().await;
        fresh.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
        fresh.find("#email").await.send_keys(&other.email).await;
        fresh.find("#password").await.send_keys(PASSWORD).await;
        fresh.find("form[action='/login'] button").await.click().await;
        fresh.wait_for_text("#ticket-header h1", "Return after sign-in", WAIT).await;
        fresh.find("form[action='/logout'] button").await.click().await;
        fresh.wait_for_text(".flash-info", "signed out", WAIT).await;
        fresh.goto(&format!("{}/desk", desk.base)).await;
        fresh.wait_for_url(|u| u.contains("/login"), WAIT).await;
    }

    /// Input the server refuses comes back with a sentence next to the field, the rest of what
    /// was typed intact, and focus on the field to fix.
    async fn invalid_input_is_explained_next_to_the_field(desk: Desk) {
        let customer = user(&desk, Role::Customer, "Una User", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &customer).await;
        browser.goto(&format!("{}/portal/new", desk.base)).await;
        // Skip the browser's own checks, as an old browser or a script would.
        browser.execute("document.querySelectorAll('[required], [maxlength]').forEach(e => { e.removeAttribute('required'); e.removeAttribute('maxlength'); })", vec![]).await;
        browser.find("#title").await.send_keys(&"x".repeat(201)).await;
        browser.find("#description").await.send_keys("   ").await;
        browser.find("input[name=when][value=blocking]").await.click().await;
        click_and_wait_for_new_page(&browser, "form[action='/portal/new'] button[type=submit]").await;
        let title_error = browser.find("#title-error").await.text().await;
        assert!(title_error.contains("at most 200 characters"), "{title_error}");
        assert_eq!(browser.find("#description-error").await.text().await, "Describe what happened or what you need.");
        assert_eq!(browser.find("#title").await.prop("value").await, json!("x".repeat(201)), "typed text kept");
        assert_eq!(browser.find("input[name=when][value=blocking]").await.prop("checked").await, json!(true));
        assert_eq!(browser.active_element().await.attr("id").await.as_deref(), Some("title"), "focus on the first error");
        assert!(browser.find(".error-summary").await.text().await.contains("Please check the form"));
        let listed = desk.get(&desk.admin, "/tickets").await.expect(200).body;
        assert_eq!(listed["total"], 0, "nothing was logged");
    }

    /// The search box: a ticket number opens the ticket, a bare number too, words search, and a
    /// number the agent may not see says so without revealing anything.
    async fn global_search_jumps_to_numbers_and_searches_words(desk: Desk) {
        let agent = desk_agent(&desk, "Ada Agent").await;
        let vpn = desk.ticket(&desk.admin, "incident", "VPN certificate expired").await;
        desk.ticket(&desk.admin, "service_request", "Second monitor for the desk").await;
        let elsewhere = desk.group("Payroll", 2, false).await;
        let hidden = desk.ticket(&desk.admin, "incident", "Payroll export fails").await;
        let hidden_id = hidden["id"].as_i64().unwrap();
        desk.act(&desk.admin, hidden_id, "assign", json!({"group_id": elsewhere})).await.expect(200);
        let vpn_id = vpn["id"].as_i64().unwrap();
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        for query in [vpn["number"].as_str().unwrap().to_lowercase(), vpn_id.to_string()] {
            browser.find("#q").await.send_keys(&format!("{query}{ENTER}")).await;
            browser.wait_for_url(|u| u.ends_with(&format!("/desk/tickets/{vpn_id}")), WAIT).await;
            browser.goto(&format!("{}/desk", desk.base)).await;
        }
        browser.find("#q").await.send_keys(&format!("monitor{ENTER}")).await;
        browser.wait_for_text("#search-results", "Second monitor for the desk", WAIT).await;
        assert!(!browser.find("#search-results").await.text().await.contains("VPN certificate"));
        browser.find("#q").await.send_keys(&format!("{hidden_id}{ENTER}")).await;
        browser.wait_for_text(".flash-info", "no ticket with that number that you can see", WAIT).await;
        assert!(!browser.page_source().await.contains("Payroll export"));
    }

    /// Pages allow only Spoc's own assets; an unknown address is a page for a browser and a
    /// problem for an API client; `/` sends strangers to sign in; assets are cacheable.
    async fn pages_are_locked_down_and_unknown_addresses_explained(desk: Desk) {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let root = http.get(format!("{}/", desk.base)).send().await.unwrap();
        assert_eq!(root.status(), 303);
        assert_eq!(root.headers()["location"], "/login");
        let login = http.get(format!("{}/login", desk.base)).send().await.unwrap();
        assert_eq!(login.status(), 200);
        let csp = login.headers()["content-security-policy"].to_str().unwrap().to_owned();
        for part in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "form-action 'self'", "frame-ancestors 'none'"] {
            assert!(csp.contains(part), "{part} in {csp}");
        }
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(login.headers()["x-frame-options"], "DENY");
        let html = login.text().await.unwrap();
        assert!(!html.contains("<script>") && !html.contains("style="), "no inline script or style");
        let css_href = html.split("href=\"").find(|p| p.starts_with("/static/spoc.css")).unwrap().split('"').next().unwrap().to_owned();
        let css = http.get(format!("{}{css_href}", desk.base)).send().await.unwrap();
        assert_eq!(css.status(), 200);
        assert!(css.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));

        let page = http.get(format!("{}/desk/nowhere", desk.base)).header("accept", "text/html,*/*").send().await.unwrap();
        assert_eq!(page.status(), 404);
        assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(page.text().await.unwrap().contains("There is nothing here"));
        let problem = http.get(format!("{}/api/v1/nowhere", desk.base)).header("accept", "text/html").send().await.unwrap();
        assert_eq!(problem.status(), 404);
        assert_eq!(problem.headers()["content-type"], "application/problem+json");
        let signed_out = http.get(format!("{}/desk", desk.base)).send().await.unwrap();
        assert_eq!(signed_out.status(), 303);
        assert_eq!(signed_out.headers()["location"], "/login?next=/desk");
    }

    /// A phone call: the agent finds the caller, sees their open tickets first, logs a new one
    /// for them; an unknown caller is registered on the spot.
    async fn logging_a_call_checks_open_tickets_first(desk: Desk) {
        let caller = user(&desk, Role::Customer, "Carla Caller", None).await;
        let token = desk.app.issue_token(spoc_domain::UserId::new(caller.id), "t").await.unwrap().secret;
        let as_caller = crate::harness::Person { id: caller.id, token };
        desk.ticket(&as_caller, "incident", "Headset crackles").await;
        let agent = desk_agent(&desk, "Ada Agent").await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/desk/new", desk.base)).await;
        browser.find("#caller").await.send_keys(&format!("carla{ENTER}")).await;
        browser.wait_for_text(".pick-list", "Carla Caller", WAIT).await;
        browser.find(".pick-list a").await.click().await;
        browser.wait_for_text("#open-title", "Carla Caller", WAIT).await;
        assert!(browser.find("table.tickets").await.text().await.contains("Headset crackles"), "open tickets shown first");
        browser.find("#n-title").await.send_keys("Cannot open the payroll app").await;
        browser.find("#n-description").await.send_keys("Says licence expired since this morning.").await;
        browser.find("#n-urgency").await.select_by_value("high").await;
        click_and_wait_for_new_page(&browser, "form[method=post][action='/desk/new'] button[type=submit]").await;
        let main = browser.find("main").await.text().await;
        assert!(main.contains("Created."), "{main}");
        let id: i64 = browser.current_url().await.split("/desk/tickets/").nth(1).unwrap().split('?').next().unwrap().parse().unwrap();
        let ticket = ticket_json(&desk, id).await;
        assert_eq!(ticket["requester_id"], caller.id);
        assert_eq!(ticket["channel"], "phone");
        assert_eq!(ticket["urgency"], "high");

        // A caller nobody knows yet.
        browser.goto(&format!("{}/desk/new?caller=newcomer", desk.base)).await;
        browser.find("details:has(form[action='/desk/callers']) summary").await.click().await;
        browser.find("#c-name").await.send_keys("Nico Newcomer").await;
        browser.find("#c-email").await.send_keys("nico@example.test").await;
        browser.find("form[action='/desk/callers'] button").await.click().await;
        browser.wait_for_text(".flash", "Caller registered", WAIT).await;
        browser.wait_for_text("#open-title", "Nico Newcomer", WAIT).await;
        // Registering the same address again is explained, not an error page.
        browser.goto(&format!("{}/desk/new", desk.base)).await;
        browser.find("details:has(form[action='/desk/callers']) summary").await.click().await;
        browser.find("#c-name").await.send_keys("Nico Again").await;
        browser.find("#c-email").await.send_keys("nico@example.test").await;
        click_and_wait_for_new_page(&browser, "form[action='/desk/callers'] button").await;
        assert!(browser.find("#c-email-error").await.text().await.contains("already registered"));
        assert_eq!(browser.find("#c-name").await.prop("value").await, json!("Nico Again"));
    }

    /// Agents see each ticket's service level at a glance in the queue and explained on the
    /// ticket; requesters do not see it.
    async fn service_levels_show_in_queue_and_ticket(desk: Desk) {
        let customer = user(&desk, Role::Customer, "Una User", None).await;
        let agent = desk_agent(&desk, "Ada Agent").await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &customer).await;
        let (_, id) = submit_in_portal(&browser, &desk, "Payroll run fails", "Error 500 on submit.").await;
        assert!(browser.try_find(".sla-clocks").await.is_none(), "requesters do not see SLA clocks");
        assert!(!browser.page_source().await.contains("badge-sla-"));

        let agent_browser = Browser::start().await;
        sign_in(&agent_browser, &desk, &agent).await;
        agent_browser.goto(&format!("{}/desk?queue=groups", desk.base)).await;
        let badge = agent_browser.find(&format!("tr:has(a[href='/desk/tickets/{id}']) .badge-sla-on-track")).await;
        assert!(badge.text().await.ends_with("left"), "{}", badge.text().await);
        agent_browser.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
        let clocks = agent_browser.find(".sla-clocks").await.text().await;
        // Several people, blocking → P2: first response 30 min, resolution 8 h on the standard policy.
        assert!(clocks.contains("First response: target 30 min (Standard; UTC, around the clock)"), "{clocks}");
        assert!(clocks.contains("Resolution: target 8 h"), "{clocks}");
        assert!(clocks.contains("% used"), "{clocks}");
        // Pending on the user pauses it.
        desk.act(&desk.admin, id, "start", json!({})).await.expect(200);
        desk.act(&desk.admin, id, "pend", json!({"reason": "awaiting_user"})).await.expect(200);
        agent_browser.refresh().await;
        let clocks = agent_browser.find(".sla-clocks").await.text().await;
        assert!(clocks.contains("Paused"), "{clocks}");
        assert!(agent_browser.find("#timeline").await.text().await.contains("paused the resolution clock (waiting for the user)"));
    }

    /// An admin writes a calendar and a policy in the admin pages; a mistake is explained next
    /// to the field; new requests then run on the new policy.
    async fn admins_manage_service_levels_in_the_browser(desk: Desk) {
        let admin = user(&desk, Role::Admin, "Alex Admin", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        browser.goto(&format!("{}/admin/sla", desk.base)).await;
        assert!(browser.find("main").await.text().await.contains("Standard"));
        browser.find("a[href='/admin/sla/calendars/new']").await.click().await;
        browser.find("#c-name").await.send_keys("Stockholm office").await;
        browser.find("#c-tz").await.clear().await;
        browser.find("#c-tz").await.send_keys("Europe/Stockholm").await;
        browser.find("#c-hours").await.clear().await;
        browser.find("#c-hours").await.send_keys("mon-fri 08:00-12:00, 13:00-17:00\nsat 25:00-26:00").await;
        browser.find("#c-holidays").await.send_keys("12-25\n2026-12-24..2026-12-31").await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/sla/calendars/new'] button[type=submit]").await;
        let error = browser.find("#c-hours-error").await.text().await;
        assert!(error.contains("25:00"), "{error}");
        assert_eq!(browser.find("#c-name").await.prop("value").await, json!("Stockholm office"), "what was typed is kept");
        let hours = browser.find("#c-hours").await;
        hours.clear().await;
        hours.send_keys("mon-fri 08:00-12:00, 13:00-17:00").await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/sla/calendars/new'] button[type=submit]").await;
        browser.wait_for_text(".flash", "Saved", WAIT).await;

        browser.find("a[href='/admin/sla/policies/new']").await.click().await;
        browser.find("#p-name").await.send_keys("Requests in office hours").await;
        browser.find("#p-position").await.clear().await;
        browser.find("#p-position").await.send_keys("10").await;
        let calendar = browser.find("#p-calendar option:nth-child(2)").await.attr("value").await.unwrap();
        browser.find("#p-calendar").await.select_by_value(&calendar).await;
        browser.find("input[name=kind][value=service_request]").await.click().await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/sla/policies/new'] button[type=submit]").await;
        browser.wait_for_text(".flash", "Saved", WAIT).await;
        assert!(browser.find("main").await.text().await.contains("Requests in office hours"));

        let request = desk.ticket(&desk.admin, "service_request", "Monitor arm").await;
        let request = desk.get(&desk.admin, &format!("/tickets/{}", request["id"])).await.expect(200).body;
        let policies: Vec<&str> = request["sla"].as_array().unwrap().iter().map(|c| c["policy"].as_str().unwrap()).collect();
        assert_eq!(policies, ["Requests in office hours", "Requests in office hours"]);
    }

    /// Two agents edit the same ticket: the second save shows what the first changed and keeps
    /// what the second typed; saving again applies both.
    async fn edit_conflicts_keep_what_was_typed(desk: Desk) {
        let agent = desk_agent(&desk, "Ada Agent").await;
        let ticket = desk.ticket(&desk.admin, "incident", "Laptop fan is loud").await;
        let id = ticket["id"].as_i64().unwrap();
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
        let title = browser.find("#e-title").await;
        title.clear().await;
        title.send_keys("Laptop fan is loud under load").await;
        // Meanwhile someone else raises the impact.
        desk.patch(&desk.admin, &format!("/tickets/{id}"), json!({"impact": "high", "version": ticket["version"]}))
            .await.expect(200);
        browser.find("form[action$='/edit'] button[type=submit]").await.click().await;
        let conflict = browser.wait_for(".conflict", WAIT).await.text().await;
        assert!(conflict.contains("Impact: medium → high"), "{conflict}");
        assert_eq!(browser.find("#e-title").await.prop("value").await, json!("Laptop fan is loud under load"));
        assert_eq!(browser.find("#e-impact").await.prop("value").await, json!("high"), "their change is shown");
        browser.find("form[action$='/edit'] button[type=submit]").await.click().await;
        browser.wait_for_text(".flash", "Saved", WAIT).await;
        let stored = ticket_json(&desk, id).await;
        assert_eq!(stored["title"], "Laptop fan is loud under load");
        assert_eq!(stored["impact"], "high");

        // Choosing a subcategory files the ticket under it and its parent.
        let hardware = desk.post(&desk.admin, "/categories", json!({"name": "Hardware"})).await.expect(201).body["id"].as_i64().unwrap();
        let laptop = desk.post(&desk.admin, "/categories", json!({"name": "Laptop", "parent_id": hardware})).await.expect(201).body["id"].as_i64().unwrap();
        browser.refresh().await;
        browser.find("#e-category").await.select_by_value(&laptop.to_string()).await;
        click_and_wait_for_new_page(&browser, "form[action$='/edit'] button[type=submit]").await;
        browser.wait_for_text(".flash", "Saved", WAIT).await;
        let stored = ticket_json(&desk, id).await;
        assert_eq!((stored["category_id"].as_i64(), stored["subcategory_id"].as_i64()), (Some(hardware), Some(laptop)));
        assert!(browser.find("#ticket-header").await.text().await.contains("Laptop"));
    }
}
