//! The composer end to end in headless Chromium, on both backends: files attached in the portal
//! (new ticket and reply) and on the desk (reply and internal note), the note's file kept from
//! the customer; refused files explained next to the field with the text kept; a note that
//! stays a note; "Reply and resolve"; Markdown shown safely, with a preview; and the composer
//! pages accessible (axe-core, WCAG 2.1 AA) and without sideways scroll at 1280 and 390 px.

use std::path::PathBuf;

use serde_json::{Value, json};
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::{Desk, unique};
use crate::ui::{WAIT, desk_agent, sign_in, user};
use crate::ui_pages::assert_accessible;

/// A folder of files to upload: `name` with `bytes`, its path returned.
fn upload_file(name: &str, bytes: &[u8]) -> String {
    let dir: PathBuf = std::env::temp_dir().join(unique("spoc-upload"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

/// A 1×1 PNG.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";

async fn comments(desk: &Desk, id: i64) -> Vec<Value> {
    desk.get(&desk.admin, &format!("/tickets/{id}/comments"))
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .clone()
}

async fn attachment_names(desk: &Desk, who: &crate::harness::Person, id: i64) -> Vec<String> {
    desk.get(who, &format!("/tickets/{id}/attachments"))
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["filename"].as_str().unwrap().to_owned())
        .collect()
}

/// Submits the portal's "Get help" form with `file` attached; returns the ticket's id.
async fn portal_ticket_with_file(browser: &Browser, desk: &Desk, title: &str, file: &str) -> i64 {
    browser.goto(&format!("{}/portal/new", desk.base)).await;
    browser.find("#title").await.send_keys(title).await;
    browser
        .find("#description")
        .await
        .send_keys("The screen goes black; a photo is attached.")
        .await;
    browser.find("#files").await.send_keys(file).await;
    browser
        .find("form[action='/portal/new'] button[type=submit]:not([name])")
        .await
        .click()
        .await;
    browser.wait_for(".reference", WAIT).await;
    let url = browser.current_url().await;
    url.split("/portal/tickets/")
        .nth(1)
        .and_then(|r| r.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no ticket id in {url}"))
}

both_backends! {
    /// A customer attaches a screenshot to a new ticket and a file to a reply; the agent sees
    /// both and adds a public reply and an internal note, each with a file. The customer's
    /// page lists the reply's file and never the note's, whose address is "not found" for them.
    async fn files_attach_in_portal_and_desk(desk: Desk) {
        let customer = user(&desk, Role::Customer, "Una User", None).await;
        let agent = desk_agent(&desk, "Ada Agent").await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &customer).await;
        let id = portal_ticket_with_file(&browser, &desk, "Black screen", &upload_file("black-screen.png", PNG)).await;
        browser.wait_for_text("#timeline", "black-screen.png", WAIT).await;

        browser.find("#body").await.send_keys("The log, as asked.").await;
        browser.find("#files").await.send_keys(&upload_file("event log.txt", b"error 42")).await;
        browser.find("form.composer button[type=submit]").await.click().await;
        browser.wait_for_text(".flash", "reply was added", WAIT).await;
        browser.wait_for_text("#timeline", "event log.txt", WAIT).await;

        let agent_browser = Browser::start().await;
        sign_in(&agent_browser, &desk, &agent).await;
        agent_browser.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
        agent_browser.wait_for_text("#timeline", "black-screen.png", WAIT).await;
        agent_browser.find("#body").await.send_keys("Internal: warranty case opened.").await;
        agent_browser.find("#files").await.send_keys(&upload_file("warranty-secret.pdf", b"%PDF-1.4")).await;
        agent_browser.find("button[name=intent][value=note]").await.click().await;
        agent_browser.wait_for_text(".flash", "Internal note added", WAIT).await;
        agent_browser.find("#body").await.send_keys("Please try this cable.").await;
        agent_browser.find("#files").await.send_keys(&upload_file("cable.png", PNG)).await;
        agent_browser.find("button[name=intent][value=reply]").await.click().await;
        agent_browser.wait_for_text(".flash", "reply was added", WAIT).await;
        let note = agent_browser.find(".entry-note").await.text().await;
        assert!(note.contains("warranty-secret.pdf"), "the note lists its file: {note}");

        let staff_names = attachment_names(&desk, &desk.admin, id).await;
        assert_eq!(staff_names, ["black-screen.png", "event log.txt", "warranty-secret.pdf", "cable.png"]);

        browser.refresh().await;
        browser.wait_for_text("#timeline", "cable.png", WAIT).await;
        let page = browser.page_source().await;
        assert!(!page.contains("warranty-secret.pdf") && !page.contains("warranty case"), "the note reached the portal");
        let all = desk.get(&desk.admin, &format!("/tickets/{id}/attachments")).await.expect(200).body;
        let secret = all.as_array().unwrap().iter().find(|f| f["filename"] == "warranty-secret.pdf").unwrap();
        browser.goto(&format!("{}/attachments/{}", desk.base, secret["id"])).await;
        let answer = browser.page_source().await;
        assert!(!answer.contains("%PDF"), "a customer reached the note's file: {answer}");
        assert!(browser.title().await.contains("Not found"), "{answer}");
    }

    /// A program and a file over the limit are refused with a sentence next to the file field;
    /// what was typed stays, and nothing is posted.
    async fn refused_files_are_explained_next_to_the_field(desk: Desk) {
        let customer = user(&desk, Role::Customer, "Una User", None).await;
        let agent = desk_agent(&desk, "Ada Agent").await;
        let ticket = desk.ticket(&desk.admin, "incident", "Printer offline").await;
        let id = ticket["id"].as_i64().unwrap();
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
        browser.find("#body").await.send_keys("Run the attached fixer.").await;
        browser.find("#files").await.send_keys(&upload_file("fixer.exe", b"MZ\x90\0program")).await;
        browser.find("button[name=intent][value=reply]").await.click().await;
        let error = browser.wait_for("#files-error", WAIT).await.text().await;
        assert!(error.contains("fixer.exe") && error.contains("program or script"), "{error}");
        assert_eq!(browser.find("#body").await.prop("value").await, json!("Run the attached fixer."));
        assert!(comments(&desk, id).await.is_empty());

        // A file over the limit in the portal's "Get help" form: the sentence, the text kept.
        let big = vec![b'x'; spoc_mail::Limits::default().max_attachment_bytes + 1];
        let big = upload_file("huge.log", &big);
        let customer_browser = Browser::start().await;
        sign_in(&customer_browser, &desk, &customer).await;
        customer_browser.goto(&format!("{}/portal/new", desk.base)).await;
        customer_browser.find("#title").await.send_keys("Big log").await;
        customer_browser.find("#description").await.send_keys("The log is big.").await;
        customer_browser.find("#files").await.send_keys(&big).await;
        // The page says so at once (JavaScript), and the server refuses it too.
        customer_browser.wait_for_text("#files-client-error", "larger than the limit", WAIT).await;
        customer_browser.find("form[action='/portal/new'] button[type=submit]:not([name])").await.click().await;
        let error = customer_browser.wait_for("#files-error", WAIT).await.text().await;
        assert!(error.contains("huge.log was not attached") && error.contains("limit for one file"), "{error}");
        assert_eq!(customer_browser.find("#title").await.prop("value").await, json!("Big log"));
        assert_eq!(customer_browser.find("#description").await.prop("value").await, json!("The log is big."));
        let mine = desk.get(&desk.admin, "/tickets").await.expect(200).body;
        assert_eq!(mine["total"], 1, "only the admin's ticket exists: {mine}");
    }

    /// After an internal note the composer stays on note: Ctrl+Enter and the first button add
    /// another note, never a public reply. "Reply and resolve" posts the reply and resolves, or
    /// says why the ticket was not resolved. Markdown is previewed and shown as formatting.
    async fn a_note_stays_a_note(desk: Desk) {
        let agent = desk_agent(&desk, "Ada Agent").await;
        let colleague = crate::composer::named(&desk, Role::Agent, "Cleo Colleague").await;
        desk.add_member(desk.default_group().await, colleague.id).await;
        let ticket = desk.ticket(&desk.admin, "incident", "VPN drops").await;
        let id = ticket["id"].as_i64().unwrap();
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
        browser.find("#body").await.send_keys("First note: checked the **tunnel** logs.").await;
        browser.find("button[name=intent][value=note]").await.click().await;
        browser.wait_for_text(".flash", "Internal note added", WAIT).await;
        let first = browser.find("form.composer .form-actions button[type=submit]").await;
        assert_eq!(first.attr("value").await.as_deref(), Some("note"), "the first button is the note's");
        assert!(browser.find(".composer-mode").await.text().await.contains("Only agents will see this"));
        // "@" offers the colleagues; Enter picks one. Then Ctrl+Enter in the message (the
        // modifier stays down until the end of the keys).
        browser.find("#body").await.send_keys("Second note for @Cle").await;
        browser.wait_for_text("#mention-options", "Cleo Colleague", WAIT).await;
        browser.find("#body").await.send_keys("\u{E007}").await;
        assert_eq!(browser.find("#body").await.prop("value").await, json!("Second note for @Cleo Colleague "));
        browser.find("#body").await.send_keys("sent with the keyboard.\u{E009}\u{E007}").await;
        browser.wait_for_text("#timeline", "Second note for @Cleo Colleague sent with the keyboard.", WAIT).await;
        let told = crate::composer::mentions_of(&desk, &colleague).await;
        assert_eq!(told.len(), 1, "the mentioned colleague is notified: {told:?}");
        assert_eq!(told[0]["ticket_id"], id);
        let all = comments(&desk, id).await;
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(all.iter().all(|c| c["internal"] == true), "a note became a public reply: {all:?}");
        // The note's Markdown is formatting, not text.
        let strong = browser.find(".entry-note .entry-markdown strong").await.text().await;
        assert_eq!(strong, "tunnel");

        // The preview renders through the server, safely.
        browser.find("#body").await.send_keys("*fixed* <img src=x onerror=alert(1)>").await;
        browser.find(".md-preview button").await.click().await;
        let preview = browser.wait_for("#body-preview em", WAIT).await.text().await;
        assert_eq!(preview, "fixed");
        assert!(browser.find_all("#body-preview img").await.is_empty());
        browser.find("#body").await.clear().await;

        // Reply and resolve: from a new ticket the lifecycle may refuse; the reply still lands.
        browser.find("#body").await.send_keys("Reconnected you; it should hold now.").await;
        browser.find("button[name=intent][value=reply_resolve]").await.click().await;
        browser.wait_for_text("#timeline", "Reconnected you", WAIT).await;
        let status = desk.get(&desk.admin, &format!("/tickets/{id}")).await.expect(200).body["status"].clone();
        let refused = browser.try_find(".flash-error").await;
        match refused {
            Some(error) => {
                assert!(error.text().await.contains("The ticket was not resolved"));
                assert_ne!(status, "resolved");
                // Once work has started, the same button resolves.
                desk.act(&desk.admin, id, "start", json!({})).await.expect(200);
                browser.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
                browser.find("#body").await.send_keys("Fixed for good.").await;
                browser.find("button[name=intent][value=reply_resolve]").await.click().await;
                browser.wait_for_text(".flash", "ticket is resolved", WAIT).await;
            }
            None => {
                browser.wait_for_text(".flash", "ticket is resolved", WAIT).await;
            }
        }
        let ticket = desk.get(&desk.admin, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(ticket["status"], "resolved", "{ticket}");
        let public: Vec<Value> = comments(&desk, id).await.into_iter().filter(|c| c["internal"] == false).collect();
        assert!(!public.is_empty(), "the reply was posted");
    }

    /// An agent keeps a canned response on its page (an unknown placeholder is explained next
    /// to the text, which stays) and inserts it into a ticket's composer with the keyboard: the
    /// placeholders are filled from the ticket.
    async fn a_canned_response_is_inserted_with_placeholders_filled(desk: Desk) {
        let agent = desk_agent(&desk, "Ada Agent").await;
        let una = crate::composer::named(&desk, Role::Customer, "Una User").await;
        let ticket = desk.ticket(&una, "incident", "Printer jams").await;
        let id = ticket["id"].as_i64().unwrap();
        let number = ticket["number"].as_str().unwrap().to_owned();
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/desk/canned", desk.base)).await;
        browser.find("#new-title").await.send_keys("Greeting").await;
        browser.find("#new-body").await.send_keys("Dear {{customer.name}}").await;
        browser.find("form[action='/desk/canned'] button[type=submit]").await.click().await;
        let error = browser.wait_for("#new-body-error", WAIT).await.text().await;
        assert!(error.contains("{{customer.name}} is not a known placeholder"), "{error}");
        assert_eq!(browser.find("#new-body").await.prop("value").await, json!("Dear {{customer.name}}"));
        browser.find("#new-body").await.clear().await;
        browser.find("#new-body").await
            .send_keys("Hello {{requester.first_name}}, {{ticket.number}} ({{ticket.subject}}) is with me. {{agent.name}}").await;
        browser.find("form[action='/desk/canned'] button[type=submit]").await.click().await;
        browser.wait_for_text(".flash", "Saved", WAIT).await;
        browser.find(".canned-item").await;

        browser.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
        browser.find("#body").await.send_keys("Hi! ").await;
        // Keyboard: focus the list, choose, Tab to Insert, Enter.
        browser.execute("document.getElementById('canned-pick').focus()", vec![]).await;
        browser.keys("\u{E015}").await;
        browser.keys(crate::browser::TAB).await;
        assert_eq!(browser.active_element().await.attr("id").await.as_deref(), Some("canned-insert"));
        browser.keys(crate::browser::ENTER).await;
        let expected = format!("Hi! Hello Una, {number} (Printer jams) is with me. Ada Agent");
        assert_eq!(browser.find("#body").await.prop("value").await, json!(expected));
        browser.find("button[name=intent][value=reply]").await.click().await;
        browser.wait_for_text("#timeline", "(Printer jams) is with me", WAIT).await;
    }

    /// The ticket page's composer (with a note and files), the portal's "Get help" form and its
    /// ticket page pass axe-core with zero violations and fit at 1280 and 390 px.
    async fn composer_pages_are_accessible(desk: Desk) {
        let customer = user(&desk, Role::Customer, "Una User", None).await;
        let agent = desk_agent(&desk, "Ada Agent").await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &customer).await;
        let id = portal_ticket_with_file(&browser, &desk, "Keyboard sticks", &upload_file("keys.png", PNG)).await;
        let pages_as_customer = [format!("/portal/tickets/{id}"), "/portal/new".to_owned()];
        let agent_browser = Browser::start().await;
        sign_in(&agent_browser, &desk, &agent).await;
        agent_browser.goto(&format!("{}/desk/tickets/{id}", desk.base)).await;
        agent_browser.find("#body").await.send_keys("Note with a **list**:\n\n- one\n- two").await;
        agent_browser.find("button[name=intent][value=note]").await.click().await;
        agent_browser.wait_for_text(".flash", "Internal note added", WAIT).await;
        for (b, paths) in [(&browser, pages_as_customer.to_vec()), (&agent_browser, vec![format!("/desk/tickets/{id}?ok=noted"), "/desk/canned".to_owned()])] {
            for path in paths {
                for width in [1280, 390] {
                    b.set_window_size(width, 900).await;
                    b.goto(&format!("{}{path}", desk.base)).await;
                    b.find("main form").await;
                    assert_accessible(b, &format!("{path} at {width} px")).await;
                    let fits = b.execute(
                        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth", vec![]).await;
                    assert_eq!(fits, json!(true), "{path} scrolls sideways at {width} px");
                }
            }
        }
    }
}
