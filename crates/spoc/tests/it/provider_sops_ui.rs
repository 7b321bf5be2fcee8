//! Provider-wide SOPs in Chromium, on both backends: the provider's admin makes an SOP apply in
//! every tenant from its page; a tenant's agent finds it in the SOP list, reads it read-only and
//! is not offered its editor. Each page passes axe-core and fits a phone.

use serde_json::json;
use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::{Desk, unique};
use crate::shared_knowledge::tenant;
use crate::sops::{cast, create_sop, make_effective, reset_content};
use crate::ui::{Login, PASSWORD, click_and_wait_for_new_page, sign_in, user};
use crate::ui_pages::accessible_and_fits;

both_backends! {
    /// The provider makes an SOP provider-wide; the tenant's agent reads it, read-only.
    async fn the_provider_applies_an_sop_in_every_tenant(desk: Desk) {
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
        let hardware = desk.post(&desk.admin, "/categories", json!({"name": "Hardware"})).await.expect(201).body["id"].as_i64().unwrap();
        let people = cast(&desk).await;
        let id = create_sop(&desk, &people, "vpn-restart", reset_content("Restart the VPN gateway"),
            json!([{"category_id": hardware}])).await;
        make_effective(&desk, &people, id, &people.author).await;

        let admin = user(&desk, Role::Admin, "Pia Provider", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        browser.goto(&format!("{}/desk/sops/{id}", desk.base)).await;
        assert!(browser.find("#provider-wide-title").await.text().await.contains("Every tenant"));
        accessible_and_fits(&browser, "/desk/sops/{id} (provider)").await;
        click_and_wait_for_new_page(&browser, &format!("form[action='/desk/sops/{id}/provider-wide'] button[type=submit]")).await;
        let page = browser.page_source().await;
        assert!(page.contains("This SOP applies in every tenant.") && page.contains("applied in every tenant"), "{page}");

        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/desk/sops", desk.base)).await;
        assert!(browser.try_find(".badge-shared").await.is_some());
        accessible_and_fits(&browser, "/desk/sops (tenant)").await;
        browser.goto(&format!("{}/desk/sops/{id}", desk.base)).await;
        let page = browser.page_source().await;
        assert!(page.contains("Restart the VPN gateway") && page.contains("only the provider can change it"), "{page}");
        assert!(browser.try_find(&format!("a[href='/desk/sops/{id}/edit']")).await.is_none());
        assert!(browser.try_find("#provider-wide-title").await.is_none());
        accessible_and_fits(&browser, "/desk/sops/{id} (tenant)").await;
        browser.goto(&format!("{}/desk/sops/{id}/edit", desk.base)).await;
        assert!(browser.try_find("textarea").await.is_none(), "no editor for the provider's SOP");
        assert!(browser.page_source().await.contains("Not found"));
    }
}
