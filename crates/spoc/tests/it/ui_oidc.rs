//! The identity providers page (`/admin/sign-in`) in headless Chromium on both backends: an
//! admin adds a provider with a role rule (a badly written rule is shown beside its field), the
//! sign-in page then offers "Sign in with …", and the admin removes it. Both pages pass axe-core
//! at desktop and phone width.

use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::Desk;
use crate::ui::{WAIT, click_and_wait_for_new_page, sign_in, user};
use crate::ui_pages::accessible_and_fits;

both_backends! {
    async fn admins_add_and_remove_identity_providers(desk: Desk) {
        let admin = user(&desk, Role::Admin, "Ida Admin", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        browser.goto(&format!("{}/admin/sign-in", desk.base)).await;
        browser.wait_for_text("main", "No identity provider yet", WAIT).await;
        accessible_and_fits(&browser, "/admin/sign-in").await;

        let fill = |css: &'static str, text: &'static str| {
            let browser = &browser;
            async move {
                let field = browser.find(css).await;
                field.clear().await;
                field.send_keys(text).await;
            }
        };
        fill("#p-name", "Contoso account").await;
        fill("#p-slug", "contoso").await;
        fill("#p-issuer", "http://127.0.0.1:9").await;
        fill("#p-client", "spoc").await;
        fill("#p-secret", "a secret that is never shown").await;
        fill("#p-claim", "groups").await;
        fill("#p-roles", "helpdesk agent").await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/sign-in'] button[type=submit]").await;
        browser.wait_for_text("#p-roles-error", "one rule per line", WAIT).await;
        accessible_and_fits(&browser, "/admin/sign-in (refused)").await;

        fill("#p-secret", "a secret that is never shown").await;
        fill("#p-roles", "helpdesk = agent").await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/sign-in'] button[type=submit]").await;
        browser.wait_for_text("table", "Contoso account", WAIT).await;
        assert!(!browser.page_source().await.contains("a secret that is never shown"));
        let listed = desk.get(&desk.admin, "/oidc-providers").await.expect(200).body;
        assert_eq!(listed[0]["role_rules"][0]["role"], "agent");
        accessible_and_fits(&browser, "/admin/sign-in (one provider)").await;

        // The sign-in page offers it.
        browser.delete_cookies().await;
        browser.goto(&format!("{}/login", desk.base)).await;
        browser.wait_for_text("main", "Sign in with Contoso account", WAIT).await;
        accessible_and_fits(&browser, "/login (with a provider)").await;

        sign_in(&browser, &desk, &admin).await;
        browser.goto(&format!("{}/admin/sign-in", desk.base)).await;
        click_and_wait_for_new_page(&browser, "form[action$='/delete'] button").await;
        browser.wait_for_text("main", "No identity provider yet", WAIT).await;
        assert_eq!(desk.get(&desk.admin, "/oidc-providers").await.expect(200).body, serde_json::json!([]));
    }
}
