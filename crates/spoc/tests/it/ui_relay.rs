//! "Outgoing mail" end to end in headless Chromium on both backends: an admin sets the relay to
//! a real SMTP sink on a desk started without `--smtp-url`; wrong fields get a sentence each and
//! keep what was typed; the password is never sent back; a test message goes out through the
//! saved relay (the desk's own delivery job, no restart), the page shows the relay's answer, and
//! the first-run checklist ticks. The page passes axe-core at 1280 and 390 px.

use serde_json::json;
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::{Browser, ENTER};
use crate::harness::Desk;
use crate::mailservers::SmtpSink;
use crate::ui::{WAIT, click_and_wait_for_new_page, sign_in, user};
use crate::ui_pages::accessible_and_fits;

/// The page's HTML as the browser has it.
async fn page_source(browser: &Browser) -> String {
    browser
        .execute("return document.documentElement.outerHTML", vec![])
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Replaces the value of the field `css` with `text`.
async fn retype(browser: &Browser, css: &str, text: &str) {
    let field = browser.find(css).await;
    field.clear().await;
    field.send_keys(text).await;
}

both_backends! {
    async fn an_admin_sets_the_relay_and_a_test_message_reaches_it(desk: Desk) {
        let sink = SmtpSink::started();
        let admin = user(&desk, Role::Admin, "Rhea Relay", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        browser.wait_for_url(|u| !u.contains("/login"), WAIT).await;

        // Reached from the admin navigation.
        browser.goto(&format!("{}/admin", desk.base)).await;
        click_and_wait_for_new_page(&browser, "nav.admin-nav a[href='/admin/mail/relay']").await;
        browser.wait_for("#r-host", WAIT).await;
        accessible_and_fits(&browser, "/admin/mail/relay").await;

        // Wrong fields: a sentence next to each, what was typed kept, the password not echoed.
        retype(&browser, "#r-host", "smtp example").await;
        retype(&browser, "#r-port", "twenty-five").await;
        retype(&browser, "#r-from", "Help desk <help@").await;
        retype(&browser, "#r-password", "typed-secret-1").await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/mail/relay'] button[type=submit]").await;
        browser.wait_for_text("#r-host-error", "host name", WAIT).await;
        browser.wait_for_text("#r-port-error", "port number", WAIT).await;
        assert!(!browser.find("#r-from-error").await.text().await.is_empty());
        assert_eq!(browser.find("#r-host").await.prop("value").await, json!("smtp example"));
        assert_eq!(browser.find("#r-from").await.prop("value").await, json!("Help desk <help@"));
        assert_eq!(browser.find("#r-password").await.prop("value").await, json!(""));
        assert!(!page_source(&browser).await.contains("typed-secret-1"), "the password is never sent back");
        accessible_and_fits(&browser, "/admin/mail/relay (refused)").await;

        // Right: the sink, no sign-in needed but a password stored all the same.
        retype(&browser, "#r-host", "127.0.0.1").await;
        retype(&browser, "#r-port", &sink.port.to_string()).await;
        browser.find("#r-security").await.select_by_value("none").await;
        retype(&browser, "#r-from", "Relay Desk <relay@desk.test>").await;
        retype(&browser, "#r-password", "typed-secret-2").await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/mail/relay'] button[type=submit]").await;
        browser.wait_for_text(".flash-success", "Saved", WAIT).await;
        browser.wait_for_text("#r-password-hint", "A password is set", WAIT).await;
        assert!(!page_source(&browser).await.contains("typed-secret-2"));

        // A test message through the saved relay; the page shows the relay's answer.
        browser.find("#test-to").await.send_keys(&format!("{}{ENTER}", admin.email)).await;
        browser.wait_for_text(".flash-success", "test message is queued", WAIT).await;
        let sent = sink.wait_within(1, std::time::Duration::from_secs(30)).await;
        assert_eq!(sent[0].recipients, [admin.email.as_str()]);
        assert!(sent[0].header("From").unwrap().contains("relay@desk.test"));
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            browser.goto(&format!("{}/admin/mail/relay", desk.base)).await;
            let answer = browser.find("#relay-answer").await.text().await;
            if answer.contains("The relay accepted the test message") {
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "no answer shown: {answer}");
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
        accessible_and_fits(&browser, "/admin/mail/relay (answered)").await;

        // The first-run checklist ticks.
        browser.goto(&format!("{}/admin", desk.base)).await;
        assert_eq!(browser.find("#step-test_mail").await.attr("data-done").await.as_deref(), Some("true"));
    }
}
