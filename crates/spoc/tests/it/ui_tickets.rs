//! Issue #12, lane "tickets", in headless Chromium on both backends: merging a duplicate in the
//! ticket view (and a later e-mail reply to it landing on the survivor), linking with a refused
//! number explained beside the field, assign to me in one click, resolving straight from new
//! (and refused where the SOP's checks block it), an action panel whose choices read in full,
//! and the ticket page free of WCAG 2.1 AA violations at 1280 and 390 px.

use serde_json::{Value, json};
use spoc_domain::user::Role;

use crate::auto_close::{micros, node};
use crate::both_backends;
use crate::browser::Browser;
use crate::harness::Desk;
use crate::mail::{deliver, mail};
use crate::sops::{cast, create_sop, make_effective, reset_content};
use crate::ui::{WAIT, click_and_wait_for_new_page, desk_agent, sign_in, user};
use crate::ui_pages::assert_accessible;

async fn ticket_json(desk: &Desk, id: i64) -> Value {
    desk.get(&desk.admin, &format!("/tickets/{id}"))
        .await
        .expect(200)
        .body
}

/// A ticket logged by the admin for `requester`, by API.
async fn logged_for(desk: &Desk, requester: i64, kind: &str, title: &str) -> i64 {
    desk.post(
        &desk.admin,
        "/tickets",
        json!({
            "kind": kind, "title": title, "description": "Logged for the browser test.",
            "impact": "low", "urgency": "medium", "requester_id": requester,
        }),
    )
    .await
    .expect(201)
    .body["id"]
        .as_i64()
        .unwrap()
}

/// The ticket page at `width`: no sideways scroll, every routing choice of the action panel
/// readable in full, and no axe-core violation.
async fn check_ticket_page(browser: &Browser, path: &str, width: u32) {
    browser.set_window_size(width, 900).await;
    browser.refresh().await;
    browser.find("#ticket-actions").await;
    let fits = browser
        .execute(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]",
            vec![],
        )
        .await;
    assert!(
        fits[0].as_i64() <= fits[1].as_i64(),
        "{path} scrolls sideways at {width} px: {fits}"
    );
    // Open every action form, then measure each select's longest choice against its box.
    let cut = browser.execute(
        "document.querySelectorAll('#ticket-actions details').forEach(d => d.open = true);
         const ctx = document.createElement('canvas').getContext('2d');
         const cut = [];
         for (const s of document.querySelectorAll('#ticket-actions select')) {
           const st = getComputedStyle(s);
           ctx.font = st.font;
           const room = s.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight);
           for (const o of s.options) {
             const w = ctx.measureText(o.text).width;
             if (w > room + 1) cut.push(`${s.id}: “${o.text}” needs ${Math.round(w)} px, has ${Math.round(room)}`);
           }
         }
         return cut;", vec![]).await;
    assert_eq!(cut, json!([]), "choices cut off at {width} px");
    assert_accessible(browser, &format!("{path} at {width} px")).await;
}

both_backends! {
    async fn merge_two_tickets_and_a_later_mail_reply_lands_on_the_survivor(desk: Desk) {
        let requester = user(&desk, Role::Customer, "Rita Requester", None).await;
        let agent = desk_agent(&desk, "Ada Agent").await;
        let first = deliver(&desk, mail(&requester.email, "Scanner offline", "<scan.1@example.test>", &[], "The scanner on floor 2 is offline.")).await.expect(201).body;
        let second = deliver(&desk, mail(&requester.email, "Scanner still offline", "<scan.2@example.test>", &[], "Still offline this morning.")).await.expect(201).body;
        let (a, b) = (first["ticket_id"].as_i64().unwrap(), second["ticket_id"].as_i64().unwrap());
        let a_number = ticket_json(&desk, a).await["number"].as_str().unwrap().to_owned();
        let b_number = ticket_json(&desk, b).await["number"].as_str().unwrap().to_owned();

        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/desk/tickets/{b}", desk.base)).await;
        // A number that names nothing: a sentence beside the field, what was typed kept.
        browser.find("#ticket-links summary").await.click().await;
        browser.find("#merge_into").await.send_keys("INC-999999").await;
        click_and_wait_for_new_page(&browser, "#ticket-links form:has(#merge_into) button[type=submit]").await;
        let error = browser.wait_for("#merge_into-error", WAIT).await.text().await;
        assert!(error.contains("no ticket"), "{error}");
        assert_eq!(browser.find("#merge_into").await.prop("value").await, json!("INC-999999"));
        assert_eq!(ticket_json(&desk, b).await["status"], "new", "nothing changed");

        // Merge into the first ticket by its number.
        browser.find("#merge_into").await.clear().await;
        browser.find("#merge_into").await.send_keys(&a_number).await;
        click_and_wait_for_new_page(&browser, "#ticket-links form:has(#merge_into) button[type=submit]").await;
        let url = browser.current_url().await;
        assert!(url.contains(&format!("/desk/tickets/{a}")), "the survivor is shown: {url}");
        browser.wait_for_text(".flash", "merged", WAIT).await;
        let merged = browser.find(".merged-history h3").await.text().await;
        assert!(merged.contains(&b_number), "the duplicate's history follows: {merged}");
        assert!(browser.page_source().await.contains("Still offline this morning"), "with its text");
        let related = browser.find("#ticket-links").await.text().await;
        assert!(related.contains("Merged from") && related.contains(&b_number), "{related}");

        // The duplicate points to the survivor.
        browser.goto(&format!("{}/desk/tickets/{b}", desk.base)).await;
        let banner = browser.find(".merged-banner").await;
        assert!(banner.text().await.contains(&a_number));
        assert_eq!(banner.find("a").await.attr("href").await.unwrap(), format!("/desk/tickets/{a}"));
        assert_eq!(ticket_json(&desk, b).await["status"], "closed");

        // A later e-mail reply to the duplicate's thread lands on the survivor.
        let reply = deliver(&desk, mail(&requester.email, "Re: Scanner still offline", "<scan.3@example.test>",
            &["In-Reply-To: <scan.2@example.test>"], "It came back after a restart.")).await.expect(201).body;
        assert_eq!(reply["ticket_id"], a, "{reply}");
        browser.goto(&format!("{}/desk/tickets/{a}", desk.base)).await;
        browser.wait_for_text(".timeline", "It came back after a restart", WAIT).await;

        // Link a related ticket; a bad number is explained beside the field.
        let other = logged_for(&desk, requester.id, "incident", "Printer offline").await;
        browser.find("#link_ticket").await.send_keys("not a ticket").await;
        click_and_wait_for_new_page(&browser, "#ticket-links form:has(#link_ticket) button[type=submit]").await;
        assert!(browser.wait_for("#link_ticket-error", WAIT).await.text().await.contains("ticket number"));
        assert_eq!(browser.find("#link_ticket").await.prop("value").await, json!("not a ticket"));
        browser.find("#link_ticket").await.clear().await;
        browser.find("#link_ticket").await.send_keys(&other.to_string()).await;
        click_and_wait_for_new_page(&browser, "#ticket-links form:has(#link_ticket) button[type=submit]").await;
        browser.wait_for_text("#ticket-links", "Related", WAIT).await;
        browser.goto(&format!("{}/desk/tickets/{other}", desk.base)).await;
        assert!(browser.find("#ticket-links").await.text().await.contains(&a_number), "shown from the other end");
        click_and_wait_for_new_page(&browser, "#ticket-links .link-list form button").await;
        assert!(browser.find("#ticket-links").await.text().await.contains("No linked tickets"));

        let path = format!("/desk/tickets/{a}");
        browser.goto(&format!("{}{path}", desk.base)).await;
        check_ticket_page(&browser, &path, 1280).await;
        check_ticket_page(&browser, &path, 390).await;
    }

    async fn assign_to_me_in_one_click_and_resolve_straight_from_new(desk: Desk) {
        let requester = user(&desk, Role::Customer, "Rui Requester", None).await;
        let agent = desk_agent(&desk, "Ada Agent").await;
        // An SOP for incidents that asks for a category before resolving.
        let cast = cast(&desk).await;
        let mut content = reset_content("Incidents need a category");
        content["checks"] = json!([{"key": "category", "text": "The category is recorded", "requires": {"kind": "field", "field": "category"}}]);
        let sop = create_sop(&desk, &cast, "category", content, json!([{"kind": "incident"}])).await;
        make_effective(&desk, &cast, sop, &cast.author).await;

        let mine = logged_for(&desk, requester.id, "incident", "Headset crackles").await;
        let request = logged_for(&desk, requester.id, "service_request", "A second monitor").await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;

        // Assign to me: one click on the ticket page.
        browser.goto(&format!("{}/desk/tickets/{mine}", desk.base)).await;
        click_and_wait_for_new_page(&browser, "#ticket-actions form.inline:has(input[value=me]) button").await;
        let t = ticket_json(&desk, mine).await;
        assert_eq!((t["assignee_id"].as_i64(), t["status"].as_str()), (Some(agent.id), Some("assigned")));
        assert!(browser.try_find("#ticket-actions form.inline:has(input[value=me])").await.is_none(), "not offered when it is mine");
        check_ticket_page(&browser, &format!("/desk/tickets/{mine}"), 1280).await;

        // Resolve straight from new, where no SOP check blocks it.
        browser.goto(&format!("{}/desk/tickets/{request}", desk.base)).await;
        assert_eq!(ticket_json(&desk, request).await["status"], "new");
        browser.find("#ticket-actions details:has(#resolve-notes) summary").await.click().await;
        browser.find("#resolve-notes").await.send_keys("Delivered and connected.").await;
        click_and_wait_for_new_page(&browser, "#ticket-actions form:has(#resolve-notes) button[type=submit]").await;
        browser.wait_for_text(".flash", "Resolved", WAIT).await;
        assert_eq!(ticket_json(&desk, request).await["status"], "resolved");

        // Refused where the SOP's check does not hold: the missing check is named beside the
        // form, the notes typed are kept, and the ticket stays as it was.
        browser.goto(&format!("{}/desk/tickets/{mine}", desk.base)).await;
        browser.find("#ticket-actions details:has(#resolve-notes) summary").await.click().await;
        browser.find("#resolve-notes").await.send_keys("Replaced the headset.").await;
        click_and_wait_for_new_page(&browser, "#ticket-actions form:has(#resolve-notes) button[type=submit]").await;
        let refused = browser.wait_for("#resolve-checks", WAIT).await.text().await;
        assert!(refused.contains("The category is recorded"), "{refused}");
        assert_eq!(browser.find("#resolve-notes").await.prop("value").await, json!("Replaced the headset."));
        assert_eq!(ticket_json(&desk, mine).await["status"], "assigned");
        let path = format!("/desk/tickets/{mine}");
        check_ticket_page(&browser, &path, 390).await;
    }

    async fn auto_close_is_set_by_the_admin_and_the_requester_is_told_first(desk: Desk) {
        const DAY: i64 = 24 * 3600 * 1_000_000;
        let admin = user(&desk, Role::Admin, "Ann Admin", None).await;
        let requester = user(&desk, Role::Customer, "Rosa Requester", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        browser.goto(&format!("{}/admin/settings", desk.base)).await;
        assert_eq!(browser.find("#auto-close-days").await.prop("value").await, json!("7"));
        browser.find("#auto-close-days").await.clear().await;
        browser.find("#auto-close-days").await.send_keys("400").await;
        // Past the browser's own checks, as a script or an old browser would send it.
        browser.execute("document.querySelector('#auto-close-days').closest('form').noValidate = true", vec![]).await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/settings/auto-close'] button[type=submit]").await;
        let error = browser.wait_for("#auto-close-days-error", WAIT).await.text().await;
        assert!(error.contains("365"), "{error}");
        assert_eq!(browser.find("#auto-close-days").await.prop("value").await, json!("400"), "what was typed is kept");
        browser.find("#auto-close-days").await.clear().await;
        browser.find("#auto-close-days").await.send_keys("2").await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/settings/auto-close'] button[type=submit]").await;
        browser.wait_for_text(".flash", "Saved", WAIT).await;
        assert_eq!(desk.get(&desk.admin, "/settings/auto-close").await.expect(200).body["days"], 2);
        assert_accessible(&browser, "/admin/settings").await;

        let id = logged_for(&desk, requester.id, "incident", "Badge reader beeps").await;
        let resolved = desk.act(&desk.admin, id, "resolve", json!({"code": "solved", "notes": "New battery."})).await.expect(200).body;
        let (job, clock) = node(&desk, micros(&resolved["resolved_at"]) + DAY + 60_000_000).await;
        let run = job.run_auto_close(100).await.unwrap();
        assert_eq!((run.noticed, run.closed), (1, 0));
        browser.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
        browser.wait_for_text(".timeline", "closes by itself", WAIT).await;
        assert!(browser.find("#ticket-header").await.text().await.contains("Resolved"));
        clock.advance(DAY);
        let run = job.run_auto_close(100).await.unwrap();
        assert_eq!((run.noticed, run.closed), (0, 1));
        browser.refresh().await;
        browser.wait_for_text("#ticket-header", "Closed", WAIT).await;
    }
}
