//! The audit log and retention pages in Chromium, on both backends: an admin filters the log
//! (actions in words, the actor by name), counts what a retention rule would touch before
//! saving it, and the saved rule is itself in the log; each page passes axe and fits a phone;
//! an agent is turned away.

use serde_json::json;
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::{Desk, unique};
use crate::ui::{click_and_wait_for_new_page, sign_in, user};
use crate::ui_pages::accessible_and_fits;

both_backends! {
    async fn admins_search_the_log_and_count_before_setting_retention(desk: Desk) {
        let admin = user(&desk, Role::Admin, "Alex Auditor", None).await;
        let agent = user(&desk, Role::Agent, "Ann Agent", None).await;
        let group = desk.group(&unique("Network"), 2, false).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        browser.goto(&format!("{}/admin/users", desk.base)).await;
        click_and_wait_for_new_page(&browser, ".admin-nav a[href='/admin/audit-log']").await;
        assert_eq!(browser.find("h1").await.text().await, "Audit log");
        let source = browser.page_source().await;
        assert!(source.contains("Group added"), "the action in words");
        assert!(source.contains("API token issued for someone else"), "the set-up's token for the test admin");
        accessible_and_fits(&browser, "/admin/audit-log").await;

        // Filtered to one action: only the group.
        browser.goto(&format!("{}/admin/audit-log?action=group.created", desk.base)).await;
        let rows = browser.find_all("#audit-log tbody tr").await;
        assert_eq!(rows.len(), 1);
        assert!(rows[0].text().await.contains(&group.to_string()));
        // A filter that does not parse is said, not a crash.
        browser.goto(&format!("{}/admin/audit-log?actor_id=someone", desk.base)).await;
        assert!(browser.page_source().await.contains("This filter cannot be used"));

        // Retention: count first, then save.
        browser.goto(&format!("{}/admin/retention", desk.base)).await;
        assert!(browser.find("#rule-now-text").await.text().await.contains("Kept (off)"));
        browser.execute("document.querySelector('#r-mode').value = 'anonymise'", vec![]).await;
        browser.find("#r-months").await.send_keys("12").await;
        click_and_wait_for_new_page(&browser, ".form-actions button[value=count]").await;
        assert!(browser.find("#dry-run").await.text().await.contains("0 closed tickets"));
        accessible_and_fits(&browser, "/admin/retention (counted)").await;
        click_and_wait_for_new_page(&browser, ".form-actions button[value=save]").await;
        assert!(browser.current_url().await.ends_with("/admin/retention?ok=saved"));
        let now = browser.find("#rule-now-text").await.text().await;
        assert!(now.contains("Anonymised") && now.contains("12 months"), "{now}");
        let rule = desk.get(&desk.admin, "/settings/retention").await.expect(200).body;
        assert_eq!((rule["mode"].clone(), rule["months"].clone()), (json!("anonymise"), json!(12)));
        browser.goto(&format!("{}/admin/audit-log?action=retention.changed", desk.base)).await;
        let row = browser.find("#audit-log tbody tr").await.text().await;
        assert!(row.contains("Retention rule changed") && row.contains("Alex Auditor"), "{row}");

        browser.delete_cookies().await;
        sign_in(&browser, &desk, &agent).await;
        for path in ["/admin/audit-log", "/admin/retention"] {
            browser.goto(&format!("{}{path}", desk.base)).await;
            assert!(browser.try_find("#audit-log").await.is_none());
            assert!(browser.page_source().await.contains("Admins only"), "{path}");
        }
    }
}
