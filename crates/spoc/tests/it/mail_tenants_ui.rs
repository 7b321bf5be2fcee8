//! A tenant's mail addresses on its admin page, in Chromium on both backends: the provider's
//! admin sets them (a bad address is shown beside the field), the tenant's own admin reads them
//! and cannot change them, nor reach another tenant's. Each page passes axe-core and fits a
//! phone.

use reqwest::Method;
use serde_json::json;
use spoc_app::UserInput;
use spoc_domain::TenantId;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::{Desk, unique};
use crate::ui::{PASSWORD, click_and_wait_for_new_page, sign_in, user};
use crate::ui_pages::accessible_and_fits;

/// A tenant with its own admin (who has a password): its id, slug and the admin's address.
async fn tenant_with_admin(desk: &Desk, name: &str) -> (TenantId, String, String) {
    let slug = unique(name).to_lowercase().replace('_', "-");
    let created = desk
        .post(
            &desk.admin,
            "/tenants",
            json!({"name": unique(name), "slug": slug}),
        )
        .await
        .expect(201)
        .body;
    let tenant = TenantId::new(
        created["id"]
            .as_i64()
            .or(created["tenant"]["id"].as_i64())
            .unwrap(),
    );
    let email = format!("{}@{slug}.test", unique("admin"));
    desk.app
        .system_create_user(
            tenant,
            UserInput {
                email: Email::parse(&email).unwrap(),
                name: Name::parse("Tia Tenant").unwrap(),
                role: Role::Admin,
                organization_id: None,
                super_user: false,
                password: Some(PASSWORD.to_owned()),
            },
        )
        .await
        .unwrap();
    (tenant, slug, email)
}

both_backends! {
    /// The provider's admin sets a tenant's mail addresses on its page; the tenant's admin
    /// reads them there and cannot change them or another tenant's.
    async fn tenant_mail_addresses_on_the_tenant_page(desk: Desk) {
        let (a, a_slug, a_email) = tenant_with_admin(&desk, "client-a").await;
        let (b, _, _) = tenant_with_admin(&desk, "client-b").await;
        let admin = user(&desk, Role::Admin, "Pia Provider", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        let path = format!("/admin/tenants/{}", a.get());
        browser.goto(&format!("{}{path}", desk.base)).await;
        assert!(browser.find("#tenant-mail").await.text().await.contains("Mail addresses"));
        accessible_and_fits(&browser, "tenant page with mail addresses").await;

        // A bad address is shown beside the field, and nothing is saved.
        browser.find("#edit-mail-addresses").await.send_keys("support@client-a.example\nnot an address").await;
        click_and_wait_for_new_page(&browser, &format!("form[action='{path}/mail-addresses'] button[type=submit]")).await;
        let error = browser.find("#edit-mail-addresses-error").await.text().await;
        assert!(error.contains("name@example.org"), "{error}");
        accessible_and_fits(&browser, "tenant page with a bad mail address").await;
        let saved = desk.get(&desk.admin, &format!("/tenants/{}/mail-addresses", a.get())).await.expect(200).body;
        assert_eq!(saved["addresses"], json!([]));

        // Corrected, it is saved.
        browser.find("#edit-mail-addresses").await.clear().await;
        browser.find("#edit-mail-addresses").await.send_keys("Support@Client-A.example\nhelp@client-a.example").await;
        click_and_wait_for_new_page(&browser, &format!("form[action='{path}/mail-addresses'] button[type=submit]")).await;
        assert!(browser.find(".flash").await.text().await.contains("Saved"));
        let saved = desk.get(&desk.admin, &format!("/tenants/{}/mail-addresses", a.get())).await.expect(200).body;
        assert_eq!(saved["addresses"], json!(["support@client-a.example", "help@client-a.example"]));
        assert!(browser.page_source().await.contains("support@client-a.example"));

        // Another tenant's address is taken: said beside the field.
        let b_path = format!("/admin/tenants/{}", b.get());
        browser.goto(&format!("{}{b_path}", desk.base)).await;
        browser.find("#edit-mail-addresses").await.send_keys("help@client-a.example").await;
        click_and_wait_for_new_page(&browser, &format!("form[action='{b_path}/mail-addresses'] button[type=submit]")).await;
        let taken = browser.find("#edit-mail-addresses-error").await.text().await;
        assert!(taken.to_lowercase().contains("another tenant has this mail address"), "{taken}");

        // The tenant's own admin reads the list, without a form.
        browser.delete_cookies().await;
        browser.goto(&format!("{}/t/{a_slug}", desk.base)).await;
        browser.wait_for_url(|url| url.contains(&format!("tenant={a_slug}")), crate::ui::WAIT).await;
        browser.find("#email").await.send_keys(&a_email).await;
        browser.find("#password").await.send_keys(PASSWORD).await;
        click_and_wait_for_new_page(&browser, "form[action^='/login'] button[type=submit]").await;
        browser.goto(&format!("{}{path}", desk.base)).await;
        assert!(browser.try_find("#edit-mail-addresses").await.is_none());
        let section = browser.find("#tenant-mail").await.text().await;
        assert!(browser.page_source().await.contains("help@client-a.example"), "{section}");
        accessible_and_fits(&browser, "tenant page, read by its own admin").await;

        // Over plain HTTP with the tenant admin's session: changing its own addresses is refused,
        // another tenant's page and form answer as a missing one.
        let login = desk
            .send(Method::POST, "/auth/login", None, &[],
                Some(("application/json", json!({"email": a_email, "password": PASSWORD, "tenant": a_slug}).to_string().into_bytes())))
            .await
            .expect(200);
        let cookie = login.headers["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
        let csrf = login.body["csrf_token"].as_str().unwrap().to_owned();
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let post = |target: String| {
            let request = client
                .post(format!("{}{target}/mail-addresses", desk.base))
                .header("Cookie", cookie.clone())
                .form(&[("csrf", csrf.as_str()), ("addresses", "mine@client-a.example")]);
            async move { request.send().await.unwrap().status().as_u16() }
        };
        assert_eq!(post(path.clone()).await, 403);
        assert_eq!(post(b_path.clone()).await, 404);
        let page = client.get(format!("{}{b_path}", desk.base)).header("Cookie", cookie.clone()).send().await.unwrap();
        assert_eq!(page.status().as_u16(), 404);
        let saved = desk.get(&desk.admin, &format!("/tenants/{}/mail-addresses", a.get())).await.expect(200).body;
        assert_eq!(saved["addresses"], json!(["support@client-a.example", "help@client-a.example"]));
    }
}
