//! The provisioning page (`/admin/scim`) in a browser, on both backends: an admin creates a SCIM
//! token and sees its secret once, the secret opens `/scim/v2`, revoking it shuts it out; the
//! page passes axe-core and fits a phone; an agent is turned away.

use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::Desk;
use crate::ui::{click_and_wait_for_new_page, sign_in, user};
use crate::ui_pages::accessible_and_fits;

async fn users_status(desk: &Desk, secret: &str) -> u16 {
    desk.http
        .get(format!("{}/scim/v2/Users", desk.base))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

both_backends! {
    async fn admins_manage_scim_tokens_in_the_browser(desk: Desk) {
        let admin = user(&desk, Role::Admin, "Alex Admin", None).await;
        let agent = user(&desk, Role::Agent, "Ann Agent", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        browser.goto(&format!("{}/admin/users", desk.base)).await;
        click_and_wait_for_new_page(&browser, ".admin-nav a[href='/admin/scim']").await;
        assert_eq!(browser.find("h1").await.text().await, "Provisioning (SCIM)");
        assert!(browser.page_source().await.contains("http://desk.spoc.test/scim/v2"));
        assert!(browser.try_find("table.scim-tokens").await.is_none(), "no tokens yet");
        accessible_and_fits(&browser, "/admin/scim").await;

        browser.find("#scim-label").await.send_keys("Entra ID").await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/scim'] button[type=submit]").await;
        let secret = browser.find("code.secret").await.text().await;
        assert!(secret.starts_with("scim_"), "{secret}");
        assert_eq!(browser.find("table.scim-tokens tbody td[data-label=Label]").await.text().await, "Entra ID");
        accessible_and_fits(&browser, "/admin/scim (new token)").await;
        assert_eq!(users_status(&desk, &secret).await, 200);

        // Shown once: the page opened again holds no secret.
        browser.goto(&format!("{}/admin/scim", desk.base)).await;
        assert!(browser.try_find("code.secret").await.is_none());
        assert!(!browser.page_source().await.contains(&secret));

        click_and_wait_for_new_page(&browser, "table.scim-tokens form button[type=submit]").await;
        assert!(browser.page_source().await.contains("The SCIM token was revoked."));
        assert_eq!(browser.find("table.scim-tokens .badge").await.text().await, "Revoked");
        assert_eq!(users_status(&desk, &secret).await, 401);

        browser.delete_cookies().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/admin/scim", desk.base)).await;
        assert!(browser.try_find("table.scim-tokens").await.is_none(), "agents are turned away");
        assert!(browser.page_source().await.contains("Admins only"));
    }
}
