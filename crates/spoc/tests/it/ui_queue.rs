//! The dense queue in headless Chromium (SQLite and PostgreSQL): at least 15 one-line rows on a
//! 1280×900 screen with nothing cut off, cards without sideways scrolling on a 390 px phone,
//! zero axe-core violations at both widths, bulk assignment of 20 tickets, a saved view that
//! reproduces its filters and columns, unread marks, and a keyboard-only triage of three tickets
//! from the queue to resolution.

use serde_json::{Value, json};
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::{Browser, ENTER, ESCAPE, TAB};
use crate::harness::{Desk, Person};
use crate::ui::{WAIT, desk_agent, sign_in, user};
use crate::ui_pages::{assert_accessible, fits};

/// Logs `n` tickets as a new customer; their ids, oldest first.
async fn tickets(desk: &Desk, customer: &Person, n: usize, title: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        let t = desk
            .ticket(customer, "incident", &format!("{title} {i:02}"))
            .await;
        ids.push(t["id"].as_i64().unwrap());
    }
    ids
}

async fn ticket_json(desk: &Desk, id: i64) -> Value {
    desk.get(&desk.admin, &format!("/tickets/{id}"))
        .await
        .expect(200)
        .body
}

/// Presses Tab until the focused element matches `css` (and, if given, shows `text`).
async fn tab_to(browser: &Browser, css: &str, text: Option<&str>) {
    for _ in 0..150 {
        let here = browser
            .execute(
                "const e = document.activeElement; return e && e.matches(arguments[0]) && (arguments[1] === null || e.textContent.trim() === arguments[1]);",
                vec![json!(css), json!(text)],
            )
            .await;
        if here == json!(true) {
            return;
        }
        browser.keys(TAB).await;
    }
    panic!("Tab never reached {css} {text:?}");
}

async fn wait_for_page(browser: &Browser, part: &str) {
    browser.wait_for_url(|url| url.contains(part), WAIT).await;
    browser.find("main#main").await;
}

both_backends! {
    async fn the_queue_is_dense_accessible_a_card_list_on_a_phone_and_assigns_twenty_at_once(desk: Desk) {
        let group = desk.default_group().await;
        let agent = desk_agent(&desk, "Alex Agent").await;
        let colleague = desk_agent(&desk, "Bea Colleague").await;
        let customer = desk.person("customer", None, false).await;
        let ids = tickets(&desk, &customer, 22, "Cannot reach the file share").await;
        // The requester writes again on the first ticket: "customer replied" in the queue.
        desk.post(&customer, &format!("/tickets/{}/comments", ids[0]), json!({ "body": "Still broken." }))
            .await
            .expect(201);
        let browser = Browser::start().await;
        browser.set_window_size(1280, 900).await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/desk?queue=groups", desk.base)).await;
        browser.find("#queue-table").await;

        // Dense: at least 15 whole one-line rows on the first screen, nothing cut off.
        let layout = browser.execute(
            "const rows = [...document.querySelectorAll('#queue-table tbody tr')];
             const h = window.innerHeight, w = document.documentElement.clientWidth;
             const visible = rows.filter(r => r.getBoundingClientRect().bottom <= h).length;
             const tall = rows.filter(r => r.getBoundingClientRect().height > 34).length;
             const title = document.querySelector('#queue-table tbody td.col-title').getBoundingClientRect().width;
             const cut = [...document.querySelectorAll('#queue-table th, #queue-table td')]
                .filter(c => c.getBoundingClientRect().right > w).length
               + [...document.querySelectorAll('#queue-table thead th, #queue-table td.col-number, #queue-table td.col-age, #queue-table td.col-status, #queue-table td.col-priority')]
                .filter(c => c.scrollWidth > c.clientWidth).length;
             const last = ['col-assignee', 'col-age'].map(c => {
                const cell = document.querySelector('#queue-table tbody td.' + c);
                return cell && cell.getBoundingClientRect().right <= w && cell.getBoundingClientRect().width > 30; });
             const wrapped = [...document.querySelectorAll('.queue-nav .count')]
                .filter(c => c.getBoundingClientRect().height > 24).length;
             const which = [...document.querySelectorAll('#queue-table thead th, #queue-table td.col-number, #queue-table td.col-age, #queue-table td.col-status, #queue-table td.col-priority')]
                .filter(c => c.scrollWidth > c.clientWidth).map(c => c.className + ' ' + c.scrollWidth + '>' + c.clientWidth);
             return [visible, tall, cut, last, wrapped, title, rows[0].getBoundingClientRect().height, which];",
            vec![]).await;
        if let Ok(dir) = std::env::var("SPOC_QUEUE_SHOTS") {
            browser.screenshot(format!("{dir}/queue-1280.png")).await;
        }
        assert!(layout[0].as_i64().unwrap() >= 15, "rows on the first screen: {layout}");
        assert_eq!(layout[1], json!(0), "every row on one line: {layout}");
        assert_eq!(layout[2], json!(0), "no cell cut off at 1280 px: {layout}");
        assert_eq!(layout[3], json!([true, true]), "assignee and age visible: {layout}");
        assert_eq!(layout[4], json!(0), "count badges on one line: {layout}");
        assert!(layout[5].as_f64().unwrap() >= 220.0, "room for the title: {layout}");
        fits(&browser, "the queue at 1280 px").await;
        // Never opened: every row is marked unread, in words.
        let unread = browser.find_all("#queue-table tr.is-unread .unread-mark").await;
        assert_eq!(unread.len(), 22);
        let replied = browser.find_all("#queue-table .badge-replied").await;
        assert_eq!(replied.len(), 1);
        let row = browser.find(&format!("#queue-table tr:has(.row-select[value='{}'])", ids[0])).await;
        assert!(row.text().await.contains("Customer replied"));
        assert_accessible(&browser, "/desk (1280 px)").await;

        // Opening a ticket marks it read (the ticket shows the requester replied); an agent's
        // public reply clears "customer replied".
        browser.goto(&format!("{}/desk/tickets/{}", desk.base, ids[0])).await;
        browser.wait_for_text("#ticket-header", "Customer replied", WAIT).await;
        browser.goto(&format!("{}/desk?queue=groups", desk.base)).await;
        assert_eq!(browser.find_all("#queue-table tr.is-unread").await.len(), 21);
        let first = format!("#queue-table tr:has(.row-select[value='{}'])", ids[0]);
        assert!(!browser.find(&first).await.attr("class").await.unwrap().contains("is-unread"), "opened");
        desk.post(&desk.admin, &format!("/tickets/{}/comments", ids[0]), json!({ "body": "Looking into it." }))
            .await
            .expect(201);
        browser.refresh().await;
        assert!(browser.find_all("#queue-table .badge-replied").await.is_empty());
        assert!(browser.find(&first).await.attr("class").await.unwrap().contains("is-unread"), "changed since opened");

        // Bulk: select 20 of the 22 and assign them to a colleague.
        let boxes = browser.find_all("#queue-table .row-select").await;
        assert_eq!(boxes.len(), 22);
        for b in boxes.iter().take(20) {
            b.click().await;
        }
        browser.wait_for_text("#bulk-count", "20 tickets selected", WAIT).await;
        browser.find(".bulk-details > summary").await.click().await;
        browser.find("#bulk-action").await.select_by_value("assign").await;
        browser
            .find("#bulk-target")
            .await
            .select_by_value(&format!("g:{group}:u:{}", colleague.id))
            .await;
        browser.find("#bulk-apply").await.click().await;
        browser.wait_for_text("#bulk-report", "20 tickets changed", WAIT).await;
        let mut assigned = 0;
        for id in &ids {
            if ticket_json(&desk, *id).await["assignee_id"] == json!(colleague.id) {
                assigned += 1;
            }
        }
        assert_eq!(assigned, 20);
        // Select all on the page, then a bad action is refused with a sentence beside the field.
        browser.find("#select-all").await.click().await;
        browser.wait_for_text("#bulk-count", "22 tickets selected", WAIT).await;
        browser.find(".bulk-details > summary").await.click().await;
        browser.find("#bulk-action").await.select_by_value("note").await;
        browser.find("#bulk-apply").await.click().await;
        browser.wait_for_text(".field-error", "Write the note.", WAIT).await;

        // A phone: the rows become cards and nothing scrolls sideways.
        browser.set_window_size(390, 844).await;
        browser.goto(&format!("{}/desk?queue=groups", desk.base)).await;
        browser.find("#queue-table").await;
        fits(&browser, "the queue at 390 px").await;
        let display = browser
            .execute("return getComputedStyle(document.querySelector('#queue-table tbody tr')).display", vec![])
            .await;
        assert_eq!(display, json!("block"), "rows are cards on a phone");
        if let Ok(dir) = std::env::var("SPOC_QUEUE_SHOTS") {
            browser.screenshot(format!("{dir}/queue-390.png")).await;
        }
        assert_accessible(&browser, "/desk (390 px)").await;
    }

    async fn a_saved_view_reproduces_its_filters_and_columns(desk: Desk) {
        let agent = desk_agent(&desk, "Vera Viewer").await;
        let ann = user(&desk, Role::Customer, "Ann Example", None).await;
        let ann_token = Person {
            id: ann.id,
            token: desk.app.issue_token(spoc_domain::UserId::new(ann.id), "t").await.unwrap().secret,
        };
        let bob = desk.person("customer", None, false).await;
        let anns = tickets(&desk, &ann_token, 3, "Ann's printer").await;
        tickets(&desk, &bob, 4, "Bob's laptop").await;
        let browser = Browser::start().await;
        browser.set_window_size(1280, 900).await;
        sign_in(&browser, &desk, &agent).await;

        // Filter by requester with the form; the filters land in the address.
        browser.goto(&format!("{}/desk?queue=groups", desk.base)).await;
        browser.find("details.filter-panel > summary").await.click().await;
        browser.find("#f-requester").await.select_by_value(&ann.id.to_string()).await;
        browser.find("#filter-form button[type=submit]").await.click().await;
        let url = browser.wait_for_url(|u| u.contains("requester="), WAIT).await;
        assert!(url.contains(&format!("requester={}", ann.id)), "{url}");
        assert_eq!(browser.find_all("#queue-table tbody tr").await.len(), 3);

        // Fewer columns, saved for the person.
        let columns = browser.find_all(".queue-tools details.filter-panel > summary").await;
        columns[2].click().await;
        browser.find("input[name=col][value=group]").await.click().await;
        browser.find("form[action='/desk/columns'] button[type=submit]").await.click().await;
        browser.wait_for_text(".flash", "Columns saved.", WAIT).await;
        assert!(browser.try_find("#queue-table th.col-group").await.is_none());
        assert_eq!(browser.find_all("#queue-table tbody tr").await.len(), 3, "filters kept");

        // Save the page as a view; a bad name first keeps what was typed.
        let views = browser.find_all(".queue-tools details.filter-panel > summary").await;
        views[1].click().await;
        browser.find("#view-name").await.send_keys(&"x".repeat(81)).await;
        browser.find("form[action='/desk/views'] button[type=submit]").await.click().await;
        browser.wait_for_text(".field-error", "80 characters", WAIT).await;
        assert_eq!(browser.find("#view-name").await.prop("value").await, json!("x".repeat(81)));
        browser.find("#view-name").await.clear().await;
        browser.find("#view-name").await.send_keys("Ann's tickets").await;
        browser.find("form[action='/desk/views'] button[type=submit]").await.click().await;
        browser.wait_for_text(".flash", "View saved.", WAIT).await;
        assert_accessible(&browser, "/desk with a view").await;

        // Elsewhere, the view in the sidebar shows its count and brings back the same page.
        browser.goto(&format!("{}/desk?queue=groups", desk.base)).await;
        assert_eq!(browser.find_all("#queue-table tbody tr").await.len(), 7);
        let mut link = None;
        for a in browser.find_all(".queue-nav a").await {
            if a.text().await.contains("Ann's tickets") {
                link = Some(a);
            }
        }
        let link = link.expect("the view is in the sidebar");
        assert_eq!(link.find(".count").await.text().await.trim(), "3");
        link.click().await;
        browser.wait_for_text("h1", "Ann's tickets", WAIT).await;
        let mut shown = Vec::new();
        for row in browser.find_all("#queue-table tbody tr .row-select").await {
            shown.push(row.attr("value").await.unwrap().parse::<i64>().unwrap());
        }
        shown.sort_unstable();
        assert_eq!(shown, anns);
        assert!(browser.try_find("#queue-table th.col-group").await.is_none(), "columns kept");
        assert!(browser.try_find("#queue-table th.col-assignee").await.is_some());
    }

    async fn keyboard_only_triage_takes_three_tickets_from_the_queue_to_resolution(desk: Desk) {
        let agent = desk_agent(&desk, "Kim Keys").await;
        let customer = desk.person("customer", None, false).await;
        let ids = tickets(&desk, &customer, 3, "Screen flickers").await;
        let browser = Browser::start().await;
        browser.set_window_size(1280, 900).await;
        sign_in(&browser, &desk, &agent).await;

        for (n, id) in ids.iter().enumerate() {
            browser.goto(&format!("{}/desk?queue=unassigned&sort=created", desk.base)).await;
            browser.find("#queue-table").await;
            browser.find("body").await;
            if n == 0 {
                // `?` lists the shortcuts; Escape closes the list.
                browser.keys("?").await;
                browser.wait_for("dialog#shortcuts[open]", WAIT).await;
                browser.keys(ESCAPE).await;
                browser.wait_until_gone("dialog#shortcuts[open]", WAIT).await;
                // `/` goes to the search box, where letters are typed, not shortcuts.
                browser.keys("/").await;
                browser.keys("jx").await;
                let search = browser.active_element().await;
                assert_eq!(search.attr("id").await.as_deref(), Some("q"));
                assert_eq!(search.prop("value").await, json!("jx"));
                search.clear().await;
                browser.execute("document.activeElement.blur()", vec![]).await;
                // j, k and x move the cursor and select.
                browser.keys("jjk").await;
                browser.keys("x").await;
                assert_eq!(browser.find_all("#queue-table .row-select:checked").await.len(), 1);
                browser.keys("x").await;
                assert_eq!(browser.find_all("#queue-table .row-select:checked").await.len(), 0);
            } else {
                browser.keys("j").await;
            }
            // The oldest unassigned ticket is first; Enter opens it.
            let row = browser.find("#queue-table tr.is-cursor .row-select").await;
            assert_eq!(row.attr("value").await, Some(id.to_string()));
            browser.keys(ENTER).await;
            wait_for_page(&browser, &format!("/desk/tickets/{id}")).await;
            if n == 0 {
                // r and n go to the composer, public and internal; e and a to their forms.
                browser.keys("n").await;
                assert_eq!(browser.active_element().await.attr("id").await.as_deref(), Some("body"));
                let mode = browser.find("form.composer input[name=mode]").await;
                assert_eq!(mode.prop("value").await, json!("note"), "n: Ctrl+Enter adds a note");
                browser.execute("document.activeElement.blur()", vec![]).await;
                browser.keys("r").await;
                assert_eq!(mode.prop("value").await, json!("reply"), "r: Ctrl+Enter sends a reply");
                browser.execute("document.activeElement.blur()", vec![]).await;
                browser.keys("a").await;
                assert_eq!(browser.active_element().await.attr("id").await.as_deref(), Some("assign-target"));
                // The shortcut checks moved the focus around; start the triage from the top.
                browser.refresh().await;
                browser.find("main#main").await;
            }
            // Assign to me, start work, resolve: each form reached with Tab.
            tab_to(&browser, "#ticket-actions button", Some("Assign to me")).await;
            browser.keys(ENTER).await;
            browser.wait_for_text(".flash", "Assigned", WAIT).await;
            tab_to(&browser, "#ticket-actions button", Some("Start work")).await;
            browser.keys(ENTER).await;
            browser.wait_for_text(".flash", "started", WAIT).await;
            tab_to(&browser, "#ticket-actions summary", Some("Resolve…")).await;
            browser.keys(ENTER).await;
            tab_to(&browser, "#resolve-notes", None).await;
            browser.keys("Restarted the display driver.").await;
            tab_to(&browser, "#ticket-actions button[type=submit]", Some("Resolve")).await;
            browser.keys(ENTER).await;
            browser.wait_for_text(".flash", "esolved", WAIT).await;
            assert_eq!(ticket_json(&desk, *id).await["status"], json!("resolved"));
        }
        // Back in the queue, the three are gone from "unassigned".
        browser.goto(&format!("{}/desk?queue=unassigned", desk.base)).await;
        assert!(browser.try_find("#queue-table").await.is_none());
    }
}
