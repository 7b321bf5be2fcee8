//! Provider-wide knowledge and the provider's view of reports in Chromium, on both backends: the
//! provider's admin shares an article from its page and chooses a tenant on the report pages;
//! a tenant's agent reads the shared article read-only and sees no tenant chooser. Each page
//! passes axe-core and fits a phone.

use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::{Desk, unique};
use crate::knowledge::{article, publish};
use crate::shared_knowledge::tenant;
use crate::ui::{Login, PASSWORD, click_and_wait_for_new_page, sign_in, user};
use crate::ui_pages::accessible_and_fits;

both_backends! {
    /// The provider shares an article and reads a tenant's reports; the tenant's agent reads the
    /// shared article, read-only.
    async fn the_provider_shares_knowledge_and_reads_tenants_reports(desk: Desk) {
        let a = tenant(&desk, "Acme").await;
        let email = format!("{}@example.test", unique("acme-agent"));
        let agent = desk.app.system_create_user(a, UserInput {
            email: Email::parse(&email).unwrap(),
            name: Name::parse("Andy Acme").unwrap(),
            role: Role::Agent,
            organization_id: None,
            super_user: false,
            password: Some(PASSWORD.to_owned()),
        }).await.unwrap();
        let agent = Login { id: agent.id.get(), email };
        let id = article(&desk, &desk.admin, "customers", "Restart the VPN client", "Quit it and start it again.").await;
        publish(&desk, &desk.admin, id).await;

        let admin = user(&desk, Role::Admin, "Pia Provider", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        browser.goto(&format!("{}/desk/kb/{id}", desk.base)).await;
        assert!(browser.find("#sharing-title").await.text().await.contains("Sharing"));
        accessible_and_fits(&browser, "/desk/kb/{id} (provider)").await;
        click_and_wait_for_new_page(&browser, &format!("form[action='/desk/kb/{id}/share'] button[type=submit]")).await;
        assert!(browser.page_source().await.contains("Every tenant reads the published version"));
        assert!(browser.try_find(".badge-shared").await.is_some());
        // The report pages offer the tenants to the provider's admin.
        for (path, chooser) in [
            ("/desk/reports", "#r-tenant"),
            ("/desk/reports/self-service", "#ss-tenant"),
            ("/desk/sops/outcomes", "#o-tenant"),
        ] {
            browser.goto(&format!("{}{path}", desk.base)).await;
            assert!(browser.try_find(chooser).await.is_some(), "{path}: no tenant chooser");
            accessible_and_fits(&browser, path).await;
            let theirs = format!("{path}?tenant_id={}", a.get());
            browser.goto(&format!("{}{theirs}", desk.base)).await;
            let chosen = browser.find(&format!("{chooser} option[selected]")).await.text().await;
            assert!(chosen.contains("Acme"), "{theirs}: {chosen}");
            accessible_and_fits(&browser, &theirs).await;
        }

        // The tenant's agent reads the shared article read-only, and chooses no tenant.
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/desk/kb", desk.base)).await;
        assert!(browser.try_find(".badge-shared").await.is_some());
        browser.goto(&format!("{}/desk/kb/{id}", desk.base)).await;
        let page = browser.page_source().await;
        assert!(page.contains("Restart the VPN client") && page.contains("only the provider can change it"), "{page}");
        assert!(browser.try_find(&format!("a[href='/desk/kb/{id}/edit']")).await.is_none());
        accessible_and_fits(&browser, "/desk/kb/{id} (tenant)").await;
        browser.goto(&format!("{}/desk/kb/{id}/edit", desk.base)).await;
        assert!(browser.try_find("form[action$='/edit'] textarea").await.is_none(), "no editor for the provider's article");
        assert!(browser.page_source().await.contains("Not found"));
        browser.goto(&format!("{}/desk/reports", desk.base)).await;
        assert!(browser.try_find("#r-tenant").await.is_none());
        browser.goto(&format!("{}/desk/reports?tenant_id=1", desk.base)).await;
        // Another tenant's reports are, for a tenant's people, reports of a tenant that does not exist.
        assert!(browser.page_source().await.contains("Not found"));
        assert!(browser.try_find("#sla-report").await.is_none());
    }
}
