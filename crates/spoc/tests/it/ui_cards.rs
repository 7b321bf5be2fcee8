//! Bulk merge from the queue, the portal's notice on a merged ticket, and the data tables of the
//! main pages as labelled cards on a phone (headless Chromium, SQLite and PostgreSQL).

use serde_json::{Value, json};
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::{Desk, Person};
use crate::ui::{Login, WAIT, desk_agent, sign_in, user};
use crate::ui_pages::assert_accessible;

async fn token(desk: &Desk, who: &Login) -> Person {
    Person {
        id: who.id,
        token: desk
            .app
            .issue_token(spoc_domain::UserId::new(who.id), "cards")
            .await
            .unwrap()
            .secret,
    }
}

async fn ticket_json(desk: &Desk, id: i64) -> Value {
    desk.get(&desk.admin, &format!("/tickets/{id}"))
        .await
        .expect(200)
        .body
}

async fn event_types(desk: &Desk, id: i64) -> Vec<String> {
    desk.get(&desk.admin, &format!("/tickets/{id}/events"))
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Fails unless the page fits the window's width, tables included.
async fn fits(browser: &Browser, what: &str) {
    let widths = browser
        .execute(
            "const w = document.documentElement.clientWidth;
             const cut = [...document.querySelectorAll('table.cards-on-phone tbody th, table.cards-on-phone tbody td, .table-wrap')]
               .filter(e => e.getBoundingClientRect().right > w + 1 || e.scrollWidth > e.clientWidth + 1)
               .map(e => e.tagName + '.' + e.className + ' ' + (e.getAttribute('data-label') || ''));
             return [document.documentElement.scrollWidth, w, cut];",
            vec![],
        )
        .await;
    assert!(
        widths[0].as_i64() <= widths[1].as_i64(),
        "{what} scrolls sideways: {widths}"
    );
    assert_eq!(
        widths[2],
        json!([]),
        "{what}: cells cut off or scrolling: {widths}"
    );
}

both_backends! {
    async fn bulk_merge_from_the_queue_and_the_portal_points_to_the_survivor(desk: Desk) {
        let agent = desk_agent(&desk, "Mia Merger").await;
        let ann = user(&desk, Role::Customer, "Ann Example", None).await;
        let bob = user(&desk, Role::Customer, "Bob Other", None).await;
        let (as_ann, as_bob) = (token(&desk, &ann).await, token(&desk, &bob).await);
        let survivor = desk.ticket(&as_ann, "incident", "Badge reader at the door is dead").await;
        let first = desk.ticket(&as_ann, "incident", "Badge reader does not open the door").await;
        let other = desk.ticket(&as_bob, "incident", "Badge reader beeps red").await;
        let cancelled = desk.ticket(&as_ann, "incident", "Badge reader again").await;
        let id = |t: &Value| t["id"].as_i64().unwrap();
        let number = |t: &Value| t["number"].as_str().unwrap().to_owned();
        desk.act(&desk.admin, id(&cancelled), "cancel", json!({})).await.expect(200);

        let browser = Browser::start().await;
        browser.set_window_size(1280, 900).await;
        sign_in(&browser, &desk, &agent).await;
        browser
            .goto(&format!("{}/desk?queue=groups&status=open&status=cancelled&q=Badge", desk.base))
            .await;
        browser.find("#queue-table").await;
        for t in [&first, &other, &cancelled] {
            browser.find(&format!("#queue-table .row-select[value='{}']", id(t))).await.click().await;
        }
        browser.wait_for_text("#bulk-count", "3 tickets selected", WAIT).await;
        browser.find(".bulk-details > summary").await.click().await;
        browser.find("#bulk-action").await.select_by_value("merge").await;
        // Without the ticket to keep: a sentence beside the field, the selection kept.
        browser.find("#bulk-apply").await.click().await;
        browser.wait_for_text(".field-error", "Give the number of the ticket to keep", WAIT).await;
        assert_eq!(browser.find_all("#queue-table .row-select:checked").await.len(), 3);
        browser.find("#bulk-merge-into").await.send_keys(&number(&survivor)).await;
        browser.find("#bulk-apply").await.click().await;
        let report = browser.wait_for_text("#bulk-report", "2 tickets changed", WAIT).await.text().await;
        assert!(report.contains(&format!("Merged into {}", number(&survivor))), "{report}");
        let refused = browser.find("#bulk-report li").await.text().await;
        assert!(refused.contains(&number(&cancelled)) && refused.contains("cancelled"), "{refused}");
        assert_eq!(browser.find_all("#bulk-report li").await.len(), 1, "{report}");
        assert_accessible(&browser, "/desk after a bulk merge").await;

        for t in [&first, &other] {
            let merged = ticket_json(&desk, id(t)).await;
            assert_eq!(merged["status"], "closed", "{merged}");
            assert_eq!(merged["merged_into"]["id"], id(&survivor), "{merged}");
        }
        assert_eq!(ticket_json(&desk, id(&cancelled)).await["status"], "cancelled");
        assert!(ticket_json(&desk, id(&cancelled)).await["merged_into"].is_null());
        let history = event_types(&desk, id(&survivor)).await;
        assert_eq!(history.iter().filter(|t| *t == "merged_from").count(), 2, "{history:?}");
        let kept = ticket_json(&desk, id(&survivor)).await;
        assert!(kept["merged_into"].is_null() && kept["status"] != "closed", "{kept}");

        // The requester of a merged ticket is sent on to the survivor, which is theirs.
        browser.delete_cookies().await;
        sign_in(&browser, &desk, &ann).await;
        browser.goto(&format!("{}/portal/tickets/{}", desk.base, id(&first))).await;
        let notice = browser.find("#merged-notice").await;
        assert!(notice.text().await.contains(&number(&survivor)));
        notice
            .find(&format!("a[href='/portal/tickets/{}']", id(&survivor)))
            .await
            .click()
            .await;
        browser.wait_for_url(|u| u.ends_with(&format!("/portal/tickets/{}", id(&survivor))), WAIT).await;
        assert!(browser.try_find("#merged-notice").await.is_none(), "the survivor is not merged");
        browser.goto(&format!("{}/portal/tickets/{}", desk.base, id(&first))).await;
        assert_accessible(&browser, "the portal's merged ticket (1280 px)").await;
        browser.set_window_size(390, 844).await;
        browser.refresh().await;
        browser.find("#merged-notice").await;
        fits(&browser, "the portal's merged ticket at 390 px").await;
        assert_accessible(&browser, "the portal's merged ticket (390 px)").await;
        // Another customer's ticket was merged into Ann's: Bob is told, without a link.
        browser.delete_cookies().await;
        sign_in(&browser, &desk, &bob).await;
        browser.goto(&format!("{}/portal/tickets/{}", desk.base, id(&other))).await;
        let notice = browser.find("#merged-notice").await;
        assert!(notice.text().await.contains("merged into another ticket"), "{}", notice.text().await);
        assert!(notice.find_all("a").await.is_empty(), "no link to a ticket Bob may not see");
        assert!(!browser.page_source().await.contains("Badge reader at the door is dead"));
    }

    async fn data_tables_become_labelled_cards_on_a_phone(desk: Desk) {
        desk.post(&desk.admin, "/mailboxes", json!({"name": "support", "address": "help@example.test", "non_participants": "hold"}))
            .await.expect(201);
        let agent = desk_agent(&desk, "Ada Agent").await;
        let admin = user(&desk, Role::Admin, "Alex Admin", None).await;
        let org = desk.organization("Northwind Traders with a rather long organisation name").await;
        let customer = user(&desk, Role::Customer, "Una User", Some(org)).await;
        let (as_agent, as_customer) = (token(&desk, &agent).await, token(&desk, &customer).await);
        crate::knowledge::article(&desk, &as_agent, "agents", "Reset a password with the self-service page", "Open the page and follow it.").await;
        desk.post(&desk.admin, "/sops", json!({
            "key": "reset", "content": crate::sops::reset_content("Reset a password"), "change_summary": "First", "owner_id": agent.id,
        })).await.expect(201);
        let t = desk.ticket(&as_customer, "incident", "Printer on the 3rd floor jams").await;
        let t = t["id"].as_i64().unwrap();
        desk.act(&as_agent, t, "assign", json!({"assignee_id": agent.id})).await.expect(200);
        desk.act(&as_agent, t, "start", json!({})).await.expect(200);
        desk.act(&as_agent, t, "resolve", json!({"code": "solved", "notes": "Replaced the fuser unit."})).await.expect(200);
        desk.app.ingest_mail(None, b"this is not an e-mail at all").await.unwrap();

        let browser = Browser::start().await;
        let pages: [(&Login, &str, &str); 9] = [
            (&agent, "/desk/kb", "Kind"),
            (&agent, "/desk/sops", "Owner"),
            (&agent, "/desk/reports", "First response met"),
            (&admin, "/admin/users", "E-mail"),
            (&admin, "/admin/organizations", "E-mail domains"),
            (&admin, "/admin/groups", "Tier"),
            (&admin, "/admin/mail/inbound?view=all", "From"),
            (&admin, "/admin/mail/outbox?state=pending", "To"),
            (&admin, "/admin/mail/outbox?state=sent", "To"),
        ];
        let mut signed_in = None;
        let mut outboxes = 0;
        for (who, path, label) in pages {
            if signed_in != Some(who.id) {
                browser.delete_cookies().await;
                sign_in(&browser, &desk, who).await;
                signed_in = Some(who.id);
            }
            browser.set_window_size(1280, 900).await;
            browser.goto(&format!("{}{path}", desk.base)).await;
            browser.find("main#main").await;
            if path.starts_with("/admin/mail/outbox") {
                // The acknowledgement is pending or already sent, depending on the worker.
                if browser.try_find("table.cards-on-phone tbody tr").await.is_none() {
                    continue;
                }
                outboxes += 1;
            }
            assert!(!browser.find_all("table.cards-on-phone tbody tr").await.is_empty(), "{path} has rows");
            let display = browser
                .execute("return getComputedStyle(document.querySelector('table.cards-on-phone tbody tr')).display", vec![])
                .await;
            assert_eq!(display, json!("table-row"), "{path}: a table on a wide screen");
            fits(&browser, &format!("{path} at 1280 px")).await;
            assert_accessible(&browser, &format!("{path} (1280 px)")).await;

            browser.set_window_size(390, 844).await;
            browser.refresh().await;
            browser.find("main#main").await;
            fits(&browser, &format!("{path} at 390 px")).await;
            let card = browser
                .execute(
                    "const t = document.querySelector('table.cards-on-phone');
                     const row = t.querySelector('tbody tr');
                     const cell = [...row.querySelectorAll('td')].find(c => c.getAttribute('data-label') === arguments[0]);
                     return [getComputedStyle(row).display, getComputedStyle(t.querySelector('thead')).position,
                             cell ? getComputedStyle(cell, '::before').content : null,
                             [...t.querySelectorAll('thead th')].length];",
                    vec![json!(label)],
                )
                .await;
            assert_eq!(card[0], json!("block"), "{path}: rows are cards on a phone: {card}");
            assert_eq!(card[1], json!("absolute"), "{path}: the column heads stay for screen readers: {card}");
            assert_eq!(card[2], json!(format!("\"{label}: \"")), "{path}: cells named by their column: {card}");
            assert!(card[3].as_i64().unwrap() >= 3, "{path}: still a table with its heads: {card}");
            assert_accessible(&browser, &format!("{path} (390 px)")).await;
        }
        assert_eq!(outboxes, 1, "the acknowledgement shows in the outbox, pending or sent");
    }
}
