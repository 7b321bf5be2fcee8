//! Two-factor sign-in in headless Chromium, on both backends: an agent sets up an authenticator
//! on the account page (the code computed here from the key the page shows, as an app would),
//! sees the recovery codes once, signs out, and signs in with password and code; a wrong code
//! says so. An agent of a role the admin requires it for is taken from the password straight to
//! setting it up. Every page passes axe-core and fits a phone.

use spoc_app::totp::{base32_decode, code_at, step_of};
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::Desk;
use crate::ui::{PASSWORD, WAIT, click_and_wait_for_new_page, desk_agent, user};
use crate::ui_pages::accessible_and_fits;

fn code(desk: &Desk, secret: &str, offset: i64) -> String {
    let step = step_of(desk.app.now().as_micros() / 1_000_000) + offset;
    code_at(&base32_decode(secret).unwrap(), step)
}

async fn password_step(browser: &Browser, desk: &Desk, email: &str) {
    browser.delete_cookies().await;
    browser.goto(&format!("{}/login", desk.base)).await;
    browser.find("#email").await.send_keys(email).await;
    browser.find("#password").await.send_keys(PASSWORD).await;
    click_and_wait_for_new_page(browser, "form[action='/login'] button[type=submit]").await;
}

both_backends! {
    async fn set_up_and_sign_in_with_a_code_in_the_browser(desk: Desk) {
        let agent = desk_agent(&desk, "Tess Totp").await;
        let browser = Browser::start().await;
        password_step(&browser, &desk, &agent.email).await;
        browser.wait_for_url(|u| u.contains("/desk"), WAIT).await;

        browser.goto(&format!("{}/account/two-factor", desk.base)).await;
        accessible_and_fits(&browser, "/account/two-factor").await;
        click_and_wait_for_new_page(&browser, "form[action='/account/two-factor/start'] button").await;
        let secret = browser.wait_for("#totp-secret", WAIT).await.text().await;
        // Beside the key and its link: the link as a QR code, an SVG named for screen readers.
        let qr = browser.find(".qr-code[role=img]").await;
        assert_eq!(qr.attr("aria-label").await.as_deref(), Some("QR code of the key, to scan with the app"));
        assert!(browser.try_find(".qr-code svg[aria-hidden=true] path").await.is_some());
        let width = browser
            .execute("return document.querySelector('.qr-code svg').getBoundingClientRect().width;", vec![])
            .await;
        assert!(width.as_f64().unwrap_or(0.0) >= 100.0, "the QR code is drawn large enough to scan: {width}");
        accessible_and_fits(&browser, "/account/two-factor/start").await;
        browser.find("#code").await.send_keys(&code(&desk, &secret, 0)).await;
        click_and_wait_for_new_page(&browser, "form[action='/account/two-factor/confirm'] button").await;
        let codes = browser.wait_for("#recovery-codes", WAIT).await.text().await;
        assert_eq!(codes.lines().filter(|l| !l.trim().is_empty()).count(), 10, "{codes}");
        browser.wait_for_text("#codes-left", "10", WAIT).await;

        // Signing in again: the password leads to the code.
        password_step(&browser, &desk, &agent.email).await;
        browser.wait_for("form[action='/login/second-factor']", WAIT).await;
        accessible_and_fits(&browser, "/login/second-factor").await;
        browser.find("#code").await.send_keys("000000").await;
        click_and_wait_for_new_page(&browser, "form[action='/login/second-factor'] button").await;
        browser.wait_for(".flash-error, .error-box, [role=alert]", WAIT).await;
        browser.find("#code").await.send_keys(&code(&desk, &secret, 1)).await;
        click_and_wait_for_new_page(&browser, "form[action='/login/second-factor'] button").await;
        browser.wait_for_url(|u| u.contains("/desk"), WAIT).await;
    }

    async fn a_required_role_sets_it_up_at_sign_in(desk: Desk) {
        desk.send(reqwest::Method::PUT, "/settings/two-factor", Some(&desk.admin.token), &[],
            Some(("application/json", serde_json::json!({ "required_for": ["customer"] }).to_string().into_bytes())))
            .await
            .expect(200);
        let customer = user(&desk, Role::Customer, "Cora Customer", None).await;
        let browser = Browser::start().await;
        password_step(&browser, &desk, &customer.email).await;
        let secret = browser.wait_for("#totp-secret", WAIT).await.text().await;
        assert!(browser.cookies().await.iter().all(|c| !c["name"].as_str().unwrap_or("").contains("session")));
        accessible_and_fits(&browser, "/login").await;
        browser.find("#code").await.send_keys(&code(&desk, &secret, 0)).await;
        click_and_wait_for_new_page(&browser, "form[action='/login/enrol'] button").await;
        browser.wait_for("#recovery-codes", WAIT).await;
        accessible_and_fits(&browser, "/login/enrol").await;
        click_and_wait_for_new_page(&browser, "a.button-primary").await;
        browser.wait_for_url(|u| u.contains("/portal"), WAIT).await;
    }
}
