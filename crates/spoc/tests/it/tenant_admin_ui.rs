//! The tenants' pages in Chromium, on both backends: the provider's admin finds Tenants in the
//! setup once there is a second tenant, adds a tenant with its first admin (whose set-password
//! link is shown once), edits its brand; the tenant's sign-in page shows its brand. Each page
//! passes axe-core and fits a phone.

use serde_json::json;
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::{Desk, unique};
use crate::ui::{click_and_wait_for_new_page, sign_in, user};
use crate::ui_pages::accessible_and_fits;

both_backends! {
    /// The provider's admin manages tenants in the setup pages.
    async fn provider_admins_manage_tenants_in_the_browser(desk: Desk) {
        let admin = user(&desk, Role::Admin, "Pia Provider", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        // One tenant: no tenants' page in the setup.
        browser.goto(&format!("{}/admin/users", desk.base)).await;
        assert!(browser.try_find(".admin-nav a[href='/admin/tenants']").await.is_none());

        let first_slug = unique("one").to_lowercase().replace('_', "-");
        desk.post(&desk.admin, "/tenants", json!({"name": unique("One Ltd"), "slug": first_slug})).await.expect(201);
        browser.goto(&format!("{}/admin/users", desk.base)).await;
        click_and_wait_for_new_page(&browser, ".admin-nav a[href='/admin/tenants']").await;
        assert!(browser.find("h1").await.text().await.contains("Tenants"));
        accessible_and_fits(&browser, "/admin/tenants").await;

        // Add a tenant with its first admin: the set-password link is shown.
        let slug = unique("two").to_lowercase().replace('_', "-");
        let name = unique("Two Ltd");
        browser.find("#new-name").await.send_keys(&name).await;
        browser.find("#new-slug").await.send_keys(&slug).await;
        browser.find("#new-primary_colour").await.send_keys("#0b5394").await;
        browser.find("#new-admin_email").await.send_keys(&format!("{slug}@two.test")).await;
        browser.find("#new-admin_name").await.send_keys("Tom Two").await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/tenants'] button[type=submit]").await;
        let link = browser.find(".flash a[href^='/login/reset/']").await;
        assert!(link.text().await.starts_with("/login/reset/"));
        assert!(browser.page_source().await.contains(&name));
        accessible_and_fits(&browser, "/admin/tenants (created)").await;

        // A bad colour is shown beside its field.
        browser.find("#new-name").await.send_keys(&unique("Three")).await;
        browser.find("#new-slug").await.send_keys("three-three").await;
        browser.find("#new-primary_colour").await.send_keys("blue").await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/tenants'] button[type=submit]").await;
        assert!(browser.page_source().await.contains("six hexadecimal digits"));

        // Edit its brand.
        browser.goto(&format!("{}/admin/tenants", desk.base)).await;
        let edit = browser.find_all("table.tenants a").await;
        let mut target = None;
        for a in edit {
            if a.text().await == name {
                target = a.attr("href").await;
            }
        }
        let target = target.unwrap();
        browser.goto(&format!("{}{target}", desk.base)).await;
        accessible_and_fits(&browser, "tenant edit page").await;
        browser.find("#edit-accent_colour").await.clear().await;
        browser.find("#edit-accent_colour").await.send_keys("#cc0000").await;
        click_and_wait_for_new_page(&browser, &format!("form[action='{target}'] button[type=submit]")).await;
        assert!(browser.find(".flash").await.text().await.contains("Saved"));
        let tenant = desk.get(&desk.admin, &format!("/tenants/{}", target.rsplit('/').next().unwrap())).await.expect(200).body;
        assert_eq!(tenant["accent_colour"], json!("#cc0000"));

        // Its logo is shown with a button that removes it.
        let tenant_id = tenant["id"].as_i64().unwrap();
        crate::tenant_admin::put_logo(&desk, &desk.admin, tenant_id, crate::tenant_admin::PNG.to_vec()).await.expect(200);
        browser.goto(&format!("{}{target}", desk.base)).await;
        assert!(browser.try_find("img.tenant-logo").await.is_some());
        accessible_and_fits(&browser, "tenant edit page with a logo").await;
        click_and_wait_for_new_page(&browser, &format!("form[action='{target}/logo/remove'] button[type=submit]")).await;
        assert!(browser.find(".flash").await.text().await.contains("The logo was removed"));
        assert!(browser.try_find("img.tenant-logo").await.is_none());
        assert!(browser.try_find(&format!("form[action='{target}/logo/remove']")).await.is_none());
        assert_eq!(desk.get(&desk.admin, &format!("/tenants/{tenant_id}")).await.expect(200).body["has_logo"], json!(false));

        // The tenant's sign-in page shows its brand.
        browser.delete_cookies().await;
        browser.goto(&format!("{}/t/{slug}", desk.base)).await;
        browser.wait_for_url(|url| url.contains(&format!("tenant={slug}")), crate::ui::WAIT).await;
        assert!(browser.find(".brand-name").await.text().await.contains(&name));
        accessible_and_fits(&browser, "tenant sign-in").await;
    }
}
