//! Account self-service and the admin's first run, end to end in headless Chromium on both
//! backends: a forgotten password reset through a link mailed via a real SMTP sink (single-use,
//! expiring, the old password refused); the admin home's checklist ticking a step once it is
//! done, and the test message reaching the sink; the one search box finding a person, an
//! organisation and an article and jumping on a ticket number. Every new page passes axe-core
//! at desktop and phone width.

use serde_json::json;
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::{Browser, ENTER};
use crate::harness::Desk;
use crate::mail::relay;
use crate::mailservers::SmtpSink;
use crate::ui::{Login, PASSWORD, WAIT, click_and_wait_for_new_page, desk_agent, sign_in, user};
use crate::ui_pages::accessible_and_fits;

/// The reset link in a message the sink received (decoded as a mail client would).
fn reset_link(message: &str) -> String {
    let parsed = spoc_mail::parse(message.as_bytes(), &spoc_mail::Limits::default()).unwrap();
    let text = parsed.text.as_str();
    let at = text
        .find("http://desk.spoc.test/login/reset/")
        .unwrap_or_else(|| panic!("no reset link in {text}"));
    text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "/:.-".contains(*c))
        .collect()
}

/// Signs in with `password`, expecting to land on a desk or portal page (or not).
async fn try_sign_in(browser: &Browser, desk: &Desk, email: &str, password: &str) -> bool {
    browser.delete_cookies().await;
    browser.goto(&format!("{}/login", desk.base)).await;
    browser.find("#email").await.send_keys(email).await;
    browser.find("#password").await.send_keys(password).await;
    browser
        .find("form[action='/login'] button[type=submit]")
        .await
        .click()
        .await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let url = browser.current_url().await;
        if url.contains("/desk") || url.contains("/portal") {
            return true;
        }
        if browser.try_find(".flash-error").await.is_some() {
            return false;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "sign-in gave no answer: {url}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

both_backends! {
    /// "Forgot your password?" end to end: the request answers the same for a known and an
    /// unknown address; the link arrives through the real relay; it sets the new password, signs
    /// the person out of their other sessions, works once; the old password is refused; an
    /// expired link says so in a sentence.
    async fn a_forgotten_password_is_reset_by_a_mailed_link(desk: Desk) {
        let sink = SmtpSink::started();
        let agent = desk_agent(&desk, "Rita Reset").await;
        // A session elsewhere, which the reset must end.
        let (other_session, _) = desk.sign_in(&agent.email, PASSWORD).await;
        let browser = Browser::start().await;
        browser.goto(&format!("{}/login", desk.base)).await;
        browser.find("a[href='/login/forgot']").await.click().await;
        browser.wait_for("form[action='/login/forgot']", WAIT).await;
        accessible_and_fits(&browser, "/login/forgot").await;
        browser.find("#email").await.send_keys(&format!("nobody-{}@example.test{ENTER}", agent.id)).await;
        let unknown = browser.wait_for_text("main", "If an account uses", WAIT).await.text().await;
        browser.goto(&format!("{}/login/forgot", desk.base)).await;
        browser.find("#email").await.send_keys(&format!("{}{ENTER}", agent.email)).await;
        let known = browser.wait_for_text("main", "If an account uses", WAIT).await.text().await;
        assert_eq!(
            unknown.replace(&format!("nobody-{}@example.test", agent.id), "X"),
            known.replace(&agent.email, "X"),
            "the same answer whether or not the address has an account"
        );
        accessible_and_fits(&browser, "/login/forgot (sent)").await;

        let stats = desk.app.deliver_mail(&relay(&sink), "test", 50).await.unwrap();
        assert_eq!(stats.sent, 1, "one link, to the real account only: {stats:?}");
        let sent = sink.wait_for(1).await;
        assert_eq!(sent[0].recipients, [agent.email.as_str()]);
        assert_eq!(sent[0].header("Subject").as_deref(), Some("Set a new password"));
        let link = reset_link(&sent[0].message);
        let path = link.strip_prefix("http://desk.spoc.test").unwrap().to_owned();
        let secret = path.rsplit('/').next().unwrap().to_owned();
        assert_eq!(secret.len(), 64);
        let touch = |hash: &str| format!("UPDATE password_resets SET created_at = created_at WHERE token_hash = '{hash}'");
        assert_eq!(desk.sql(&touch(&secret)).await.unwrap(), 0, "the secret itself is not stored");
        assert_eq!(desk.sql(&touch(&spoc_store::sha256_hex(secret.as_bytes()))).await.unwrap(), 1, "its hash is");

        browser.goto(&format!("{}{path}", desk.base)).await;
        browser.wait_for("#new-password", WAIT).await;
        accessible_and_fits(&browser, "/login/reset/…").await;
        // Two different passwords: a sentence next to the field; nothing is used up.
        browser.find("#new-password").await.send_keys("a brand new passphrase").await;
        browser.find("#confirm-password").await.send_keys("a different passphrase").await;
        browser.find("form[action^='/login/reset/'] button[type=submit]").await.click().await;
        browser.wait_for_text("#confirm-password-error", "The two passwords differ", WAIT).await;
        browser.find("#new-password").await.send_keys("short").await;
        browser.find("#confirm-password").await.send_keys("short").await;
        browser.find("form[action^='/login/reset/'] button[type=submit]").await.click().await;
        browser.wait_for_text("#new-password-error", "10 to 1,000 characters", WAIT).await;
        browser.find("#new-password").await.send_keys("a brand new passphrase").await;
        browser.find("#confirm-password").await.send_keys("a brand new passphrase").await;
        browser.find("form[action^='/login/reset/'] button[type=submit]").await.click().await;
        browser.wait_for_text(".flash-info", "Your new password is set", WAIT).await;

        // The other session ended; the old password is refused, the new one works.
        let status = desk.http.get(format!("{}/desk", desk.base))
            .header("cookie", other_session.clone())
            .send().await.unwrap();
        assert!(status.url().path().starts_with("/login"), "the other session ended: {}", status.url());
        assert!(!try_sign_in(&browser, &desk, &agent.email, PASSWORD).await, "the old password is refused");
        assert!(try_sign_in(&browser, &desk, &agent.email, "a brand new passphrase").await);

        // Used once: the link no longer works, in a plain sentence.
        browser.delete_cookies().await;
        browser.goto(&format!("{}{path}", desk.base)).await;
        browser.wait_for_text("main", "already used or has expired", WAIT).await;
        assert!(browser.try_find("#new-password").await.is_none());
        accessible_and_fits(&browser, "/login/reset/… (used)").await;

        // An expired link: refused the same way, and posting to it changes nothing.
        browser.goto(&format!("{}/login/forgot", desk.base)).await;
        browser.find("#email").await.send_keys(&format!("{}{ENTER}", agent.email)).await;
        browser.wait_for_text("main", "If an account uses", WAIT).await;
        desk.app.deliver_mail(&relay(&sink), "test", 50).await.unwrap();
        let second = sink.wait_for(2).await;
        let expired = reset_link(&second.iter().map(|m| m.message.clone()).find(|m| !m.contains(&secret)).unwrap());
        let expired_path = expired.strip_prefix("http://desk.spoc.test").unwrap().to_owned();
        desk.sql("UPDATE password_resets SET expires_at = 1 WHERE used_at IS NULL").await.unwrap();
        browser.goto(&format!("{}{expired_path}", desk.base)).await;
        browser.wait_for_text("main", "already used or has expired", WAIT).await;
        assert!(try_sign_in(&browser, &desk, &agent.email, "a brand new passphrase").await, "the password stays");
    }

    /// The admin home's first-run checklist: each step links to its page and ticks itself once
    /// the data says it is done — a test message the relay accepted (here: the real sink),
    /// groups and categories, agents, and replacing the generated password, which the desk
    /// asks for (at sign-in, and on every page) until it is replaced.
    async fn the_first_run_checklist_ticks_steps_as_they_are_done(desk: Desk) {
        let sink = SmtpSink::started();
        let admin = user(&desk, Role::Admin, "Alex Admin", None).await;
        // This admin plays the first one: their password is the one generated at first start.
        let hash = desk.app.store().password_hash(spoc_domain::TenantId::FIRST, spoc_domain::UserId::new(admin.id)).await.unwrap().unwrap();
        let fingerprint = format!("{}:{}", admin.id, spoc_store::sha256_hex(hash.as_bytes()));
        assert_eq!(desk.sql(&format!("UPDATE settings SET value = '{fingerprint}' WHERE key = 'generated_password'")).await.unwrap(), 1);
        let browser = Browser::start().await;
        let sign_in_as = |password: &'static str| {
            let (browser, desk, email) = (&browser, &desk, admin.email.clone());
            async move {
                browser.delete_cookies().await;
                browser.goto(&format!("{}/login", desk.base)).await;
                browser.find("#email").await.send_keys(&email).await;
                browser.find("#password").await.send_keys(password).await;
                click_and_wait_for_new_page(browser, "form[action='/login'] button[type=submit]").await;
            }
        };
        sign_in_as(PASSWORD).await;
        browser.wait_for_url(|u| u.ends_with("/account/security"), WAIT).await;
        browser.wait_for_text("#generated-password", "generated at first start", WAIT).await;
        browser.goto(&format!("{}/admin", desk.base)).await;
        let step = |name: &'static str| format!("#step-{name}");
        browser.wait_for(&step("test_mail"), WAIT).await;
        browser.wait_for_text("#generated-password-banner", "generated at first start", WAIT).await;
        accessible_and_fits(&browser, "/admin").await;
        for undone in ["change_password", "test_mail", "invite_agents", "groups_and_categories"] {
            assert_eq!(browser.find(&step(undone)).await.attr("data-done").await.as_deref(), Some("false"), "{undone}");
        }
        assert_eq!(
            browser.find(&format!("{} a", step("test_mail"))).await.attr("href").await.as_deref(),
            Some("/admin/mail/outbox#test-message")
        );

        // The test message: a wrong address is a sentence next to the field; a right one
        // reaches the sink, and the step ticks.
        browser.find(&format!("{} a", step("test_mail"))).await.click().await;
        browser.wait_for("#test-to", WAIT).await;
        let sender = browser.find("#mail-sender").await.text().await;
        assert!(sender.contains("desk@spoc.test") && sender.contains("http://desk.spoc.test"), "{sender}");
        accessible_and_fits(&browser, "/admin/mail/outbox").await;
        browser.find("#test-to").await.send_keys(&format!("not an address{ENTER}")).await;
        browser.wait_for_text(".field-error", "e-mail address", WAIT).await;
        assert_eq!(browser.find("#test-to").await.prop("value").await, json!("not an address"), "what was typed is kept");
        browser.find("#test-to").await.clear().await;
        browser.find("#test-to").await.send_keys(&format!("{}{ENTER}", admin.email)).await;
        browser.wait_for_text(".flash-success", "test message is queued", WAIT).await;
        let stats = desk.app.deliver_mail(&relay(&sink), "test", 50).await.unwrap();
        assert_eq!(stats.sent, 1, "{stats:?}");
        let sent = sink.wait_for(1).await;
        assert_eq!(sent[0].recipients, [admin.email.as_str()]);
        assert_eq!(sent[0].header("Subject").as_deref(), Some("Test message from the service desk"));

        // Groups, categories and an agent.
        desk.group("Network Operations", 2, false).await;
        desk.post(&desk.admin, "/categories", json!({"name": "Hardware"})).await.expect(201);
        let _agent: Login = desk_agent(&desk, "Ada Agent").await;
        // The password, replaced on the page the step links to.
        browser.goto(&format!("{}/admin", desk.base)).await;
        click_and_wait_for_new_page(&browser, &format!("{} a", step("change_password"))).await;
        browser.find("#p-new-password").await.send_keys("the admin's very own passphrase").await;
        click_and_wait_for_new_page(&browser, "form[action='/account/password'] button[type=submit]").await;
        sign_in_as("the admin's very own passphrase").await;
        browser.wait_for_url(|u| u.ends_with("/desk"), WAIT).await;
        browser.goto(&format!("{}/admin", desk.base)).await;
        browser.wait_for(&step("test_mail"), WAIT).await;
        for done in ["test_mail", "groups_and_categories", "invite_agents", "change_password"] {
            assert_eq!(browser.find(&step(done)).await.attr("data-done").await.as_deref(), Some("true"), "{done}");
        }
        assert!(browser.try_find("#generated-password-banner").await.is_none(), "no more prompt");
        assert!(browser.find("#setup-progress").await.text().await.contains("of 5 steps done"));
    }

    /// The header's search box: a person, an organisation and an article are found and grouped;
    /// a ticket number opens the ticket; a customer's search page finds their own ticket and the
    /// published article only. Both search pages pass axe-core.
    async fn the_search_box_finds_people_organisations_articles_and_numbers(desk: Desk) {
        let admin = user(&desk, Role::Admin, "Alex Admin", None).await;
        let org = desk.organization("Wombatware Ltd").await;
        let una = user(&desk, Role::Customer, "Una Wombat", Some(org)).await;
        let other = user(&desk, Role::Customer, "Otto Other", None).await;
        let lead = desk.person("lead", None, false).await;
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let public = crate::knowledge::article(&desk, &agent, "customers", "Wombat printer guide", "Restart it.").await;
        let internal = crate::knowledge::article(&desk, &agent, "agents", "Wombat admin password", "In the vault.").await;
        crate::knowledge::publish(&desk, &lead, public).await;
        crate::knowledge::publish(&desk, &lead, internal).await;
        let una_person = crate::harness::Person {
            id: una.id,
            token: desk.app.issue_token(spoc_domain::UserId::new(una.id), "t").await.unwrap().secret,
        };
        let other_person = crate::harness::Person {
            id: other.id,
            token: desk.app.issue_token(spoc_domain::UserId::new(other.id), "t").await.unwrap().secret,
        };
        let hers = desk.ticket(&una_person, "incident", "Wombat scanner jammed").await;
        let his = desk.ticket(&other_person, "incident", "Wombat keyboard missing").await;

        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        browser.find("#q").await.send_keys(&format!("wombat{ENTER}")).await;
        browser.wait_for("#search-results", WAIT).await;
        let found = browser.find("#search-results").await.text().await;
        for expected in ["Una Wombat", "Wombatware Ltd", "Wombat printer guide", "Wombat admin password", "Wombat scanner jammed"] {
            assert!(found.contains(expected), "{expected} in {found}");
        }
        for group in ["#found-tickets", "#found-people", "#found-orgs", "#found-articles"] {
            browser.find(group).await;
        }
        accessible_and_fits(&browser, "/desk/search?q=wombat").await;
        let id = hers["id"].as_i64().unwrap();
        browser.find("#q").await.send_keys(&format!("#{id}{ENTER}")).await;
        browser.wait_for_url(|u| u.ends_with(&format!("/desk/tickets/{id}")), WAIT).await;

        browser.delete_cookies().await;
        sign_in(&browser, &desk, &una).await;
        browser.find("#q").await.send_keys(&format!("wombat{ENTER}")).await;
        browser.wait_for("#search-results", WAIT).await;
        let mine = browser.find("#search-results").await.text().await;
        assert!(mine.contains("Wombat scanner jammed") && mine.contains("Wombat printer guide"), "{mine}");
        for hidden in ["Wombat keyboard missing", "Wombat admin password", "Una Wombat", "Wombatware"] {
            assert!(!mine.contains(hidden), "{hidden} shown to a customer: {mine}");
        }
        accessible_and_fits(&browser, "/portal/search?q=wombat").await;
        browser.find("#q").await.send_keys(&format!("{}{ENTER}", his["number"].as_str().unwrap())).await;
        browser.wait_for_text(".flash-info", "no ticket with that number that you can see", WAIT).await;
        browser.find("#q").await.send_keys(&format!("{}{ENTER}", hers["number"].as_str().unwrap())).await;
        browser.wait_for_url(|u| u.ends_with(&format!("/portal/tickets/{id}")), WAIT).await;
    }

    /// A lead lands on "Needs you", which lists an escalation waiting; when another ticket is
    /// escalated while the page is open, the header's notification badge counts it without a
    /// reload, and reading the notification clears it.
    async fn a_lead_lands_on_what_needs_them_and_the_badge_updates_live(desk: Desk) {
        let lead = user(&desk, Role::Lead, "Lee Lead", None).await;
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let first = desk.ticket(&agent, "incident", "CEO cannot present").await["id"].as_i64().unwrap();
        desk.act(&agent, first, "escalate", json!({ "type": "hierarchical", "reason": "board meeting" })).await.expect(200);
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &lead).await;
        browser.wait_for_url(|u| u.ends_with("/desk/lead"), WAIT).await;
        let escalated = browser.wait_for("section[aria-labelledby=lead-escalated]", WAIT).await.text().await;
        assert!(escalated.contains("CEO cannot present"), "{escalated}");
        browser.wait_for_text("#unread-count", "1", WAIT).await;
        assert!(browser.find("#unread-badge").await.is_displayed().await);
        accessible_and_fits(&browser, "/desk/lead").await;

        let second = desk.ticket(&agent, "incident", "Payroll run stuck").await["id"].as_i64().unwrap();
        browser.execute("window.__spocSamePage = true", vec![]).await;
        desk.act(&agent, second, "escalate", json!({ "type": "hierarchical", "reason": "salaries due" })).await.expect(200);
        browser.wait_for_text("#unread-count", "2", WAIT).await;
        assert_eq!(browser.execute("return window.__spocSamePage === true", vec![]).await, json!(true), "no reload");

        browser.goto(&format!("{}/desk/notifications", desk.base)).await;
        for _ in 0..2 {
            click_and_wait_for_new_page(&browser, "form[action$='/read'] button").await;
        }
        browser.goto(&format!("{}/desk/lead", desk.base)).await;
        browser.wait_for("#lead-overview", WAIT).await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(!browser.find("#unread-badge").await.is_displayed().await, "nothing unread: no badge");
    }

    /// A person chooses a time zone and Deutsch on their settings page: times on the ticket are
    /// shown in that zone with its abbreviation, and the page frame (navigation, account links,
    /// the page's language) is German; an unknown zone is a sentence next to the field, with
    /// what was chosen kept. Signed out, the sign-in page follows the browser's language.
    async fn a_person_reads_times_in_their_zone_and_the_frame_in_german(desk: Desk) {
        let agent = desk_agent(&desk, "Zoe Zone").await;
        let ticket = desk.ticket(&desk.admin, "incident", "Clock drift on the badge reader").await;
        let id = ticket["id"].as_i64().unwrap();
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/account/notifications", desk.base)).await;
        browser.wait_for("#time-zone", WAIT).await;
        accessible_and_fits(&browser, "/account/notifications").await;
        assert_eq!(browser.find("html").await.attr("lang").await.as_deref(), Some("en"));
        // A zone that is not on the list (a forged form): a sentence next to the field.
        browser.execute(
            "const o = document.createElement('option'); o.value = 'Mars/Olympus'; o.textContent = 'Mars'; \
             const s = document.getElementById('time-zone'); s.appendChild(o); s.value = 'Mars/Olympus';",
            vec![],
        ).await;
        click_and_wait_for_new_page(&browser, "form[action='/account/reading'] button[type=submit]").await;
        browser.wait_for_text("#time-zone-error", "Europe/Berlin", WAIT).await;
        assert_eq!(browser.find("#time-zone").await.prop("value").await, json!("Mars/Olympus"), "the choice is kept");

        browser.find("#time-zone").await.select_by_value("America/New_York").await;
        browser.find("#language").await.select_by_value("de").await;
        click_and_wait_for_new_page(&browser, "form[action='/account/reading'] button[type=submit]").await;
        browser.wait_for_text(".flash-success", "Ihre Zeitzone und Sprache wurden gespeichert.", WAIT).await;
        assert_eq!(browser.find("html").await.attr("lang").await.as_deref(), Some("de"));
        let nav = browser.find("nav.topnav").await.text().await;
        assert!(nav.contains("Warteschlangen") && nav.contains("Anruf erfassen"), "{nav}");
        let account = browser.find(".account").await.text().await;
        assert!(account.contains("Einstellungen") && account.contains("Abmelden"), "{account}");
        assert_eq!(browser.find("#time-zone").await.prop("value").await, json!("America/New_York"));
        accessible_and_fits(&browser, "/account/notifications (de)").await;

        browser.goto(&format!("{}/account/security", desk.base)).await;
        browser.wait_for_text("#password-heading", "Passwort ändern", WAIT).await;
        assert!(browser.find("h1").await.text().await.contains("Anmeldung und API-Tokens"));
        browser.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
        let times: Vec<String> = {
            let mut texts = Vec::new();
            for el in browser.find_all("time").await {
                texts.push(el.text().await);
            }
            texts
        };
        let zoned: Vec<&String> = times.iter().filter(|t| t.ends_with(" EST") || t.ends_with(" EDT")).collect();
        assert!(!zoned.is_empty(), "times in New York time, labelled: {times:?}");
        assert!(!times.iter().any(|t| t.ends_with(" UTC")), "no time in the server's zone: {times:?}");

        // Signed out, the sign-in page speaks the browser's language.
        let german = desk.http.get(format!("{}/login", desk.base))
            .header("accept-language", "de-DE,de;q=0.9,en;q=0.5")
            .send().await.unwrap().text().await.unwrap();
        assert!(german.contains(r#"<html lang="de">"#) && german.contains("Passwort vergessen?"), "{german}");
        let english = desk.http.get(format!("{}/login", desk.base)).send().await.unwrap().text().await.unwrap();
        assert!(english.contains(r#"<html lang="en">"#) && english.contains("Forgot your password?"));
    }

    /// On *Sign-in and tokens*, a person sees where they are signed in — this browser marked —
    /// and ends a session left open elsewhere: its cookie stops working at once. Ending this
    /// browser's session signs it out. The section passes axe-core and fits a phone.
    async fn a_person_ends_a_session_left_open_elsewhere(desk: Desk) {
        let agent = desk_agent(&desk, "Sid Sessions").await;
        let elsewhere = desk.sign_in(&agent.email, PASSWORD).await;
        desk.send(reqwest::Method::GET, "/me", None, &[("Cookie", elsewhere.0.as_str())], None).await.expect(200);
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/account/security", desk.base)).await;
        let rows = browser.find_all("#sessions tbody tr").await;
        assert_eq!(rows.len(), 2, "this browser and the other sign-in");
        let this = browser.find("#sessions tbody tr .badge").await.text().await;
        assert_eq!(this, "This browser");
        let table = browser.find("#sessions").await.text().await;
        assert!(table.contains("A browser that did not say which"), "{table}");
        accessible_and_fits(&browser, "/account/security (sessions)").await;

        // End the other one: the page says so and that cookie no longer works.
        let end_other = browser.execute(
            "return [...document.querySelectorAll('#sessions tbody tr')].findIndex(r => !r.querySelector('.badge'))",
            vec![],
        ).await.as_i64().unwrap();
        click_and_wait_for_new_page(&browser, &format!("#sessions tbody tr:nth-child({}) button[type=submit]", end_other + 1)).await;
        browser.wait_for_text(".flash-success", "The session was ended.", WAIT).await;
        assert_eq!(browser.find_all("#sessions tbody tr").await.len(), 1);
        desk.send(reqwest::Method::GET, "/me", None, &[("Cookie", elsewhere.0.as_str())], None).await.problem(401, "unauthenticated");

        // "Sign out here" ends this browser's own session.
        click_and_wait_for_new_page(&browser, "#sessions tbody tr button[type=submit]").await;
        browser.wait_for_url(|url| url.contains("/login"), WAIT).await;
        browser.goto(&format!("{}/account/security", desk.base)).await;
        browser.wait_for_url(|url| url.contains("/login"), WAIT).await;
    }
}
