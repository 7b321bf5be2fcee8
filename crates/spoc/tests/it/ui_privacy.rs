//! People's data in the browser, on both backends: a person downloads their data from their
//! account page, and an admin erases a person from the admin person page after ticking the
//! confirmation. The panels pass axe-core and fit a phone.

use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::Desk;
use crate::ui::{PASSWORD, WAIT, click_and_wait_for_new_page, sign_in, user};
use crate::ui_pages::accessible_and_fits;

both_backends! {
    /// "Download my data" serves the person's archive; the admin's erase form needs its
    /// confirmation ticked, and then the person is anonymised.
    async fn a_person_downloads_their_data_and_an_admin_erases_them(desk: Desk) {
        let admin = user(&desk, Role::Admin, "Alex Admin", None).await;
        let customer = user(&desk, Role::Customer, "Carla Erasable", None).await;
        let session = desk.sign_in(&customer.email, PASSWORD).await;
        let page_of = |path: &str| {
            let request = desk.http.get(format!("{}{path}", desk.base)).header("Cookie", session.0.as_str());
            async move { request.send().await.unwrap() }
        };
        let page = page_of("/account/security").await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("Download my data"), "{html}");
        let archive = page_of("/account/my-data").await;
        assert_eq!(archive.status(), 200);
        assert_eq!(archive.headers()["content-type"], "application/gzip");
        assert!(!archive.bytes().await.unwrap().is_empty());

        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        browser.goto(&format!("{}/admin/users/{}", desk.base, customer.id)).await;
        browser.wait_for("#person-data", WAIT).await;
        let link = browser.find(&format!("#person-data a[href='/admin/users/{}/data']", customer.id)).await.text().await;
        assert_eq!(link, "Download this person's data");
        accessible_and_fits(&browser, "/admin/users/{id} (person data)").await;

        browser.find("#person-data input[name=confirm]").await.click().await;
        click_and_wait_for_new_page(&browser, "#person-data button[type=submit]").await;
        browser.wait_for_text("h1", &format!("Erased person {}", customer.id), WAIT).await;
        let me = desk.send(reqwest::Method::GET, "/me", None, &[("Cookie", session.0.as_str())], None).await;
        assert_eq!(me.status, 401, "the erased person's session ended: {}", me.text);
    }
}
