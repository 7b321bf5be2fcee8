//! The e-mail channel in the web UI, end to end in headless Chromium on both backends: an admin
//! sets up a mailbox and organisation domains through the forms (mistakes explained next to the
//! field); held and quarantined mail shows in "needs attention" and is released or dismissed;
//! an e-mail's HTML is shown on the desk without running its scripts or loading its remote
//! images, with its attachments downloadable only as attachments; a customer switches a
//! notification off. With `SPOC_SCREENSHOTS` the last test photographs the mail pages.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use spoc_domain::UserId;
use spoc_domain::mail::NoticeTopic;
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::{Desk, Person, unique};
use crate::ui::{Login, WAIT, click_and_wait_for_new_page, desk_agent, sign_in, user};
use crate::ui_pages::check_pages;

/// A 4×1 PNG, three blue pixels and an orange one: a tiny "logo".
const PIXEL_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAABCAIAAAB2XpiaAAAAEUlEQVR4nGNQCb8GQV+XKQMAId0FshNapEgAAAAASUVORK5CYII=";

/// A plain-text message.
fn plain_mail(from: &str, subject: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: help@example.test\r\nSubject: {subject}\r\nMessage-ID: <{}@example.test>\r\n\
         Date: Tue, 1 Dec 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        unique("m")
    )
}

/// A message with an HTML body (a script, a remote image at `tracker`, an inline `cid:` logo), its
/// plain-text twin, the logo, and two files: a PDF and an HTML page.
fn html_mail(from: &str, subject: &str, tracker: &str) -> String {
    let html = format!(
        "<html><head><style>body {{ color: red }}</style><script>alert('xss'); window.pwned = 1;</script></head><body>\
         <h2>Quarterly report</h2><p>Hello desk, the <b>report</b> does not open.</p>\
         <p><img src=\"cid:logo@example.test\" alt=\"Company logo\" width=\"128\" height=\"32\"></p>\
         <p><img src=\"{tracker}/pixel.gif\" alt=\"tracking pixel\"> <img src=x onerror=\"window.pwned = 2\"></p>\
         <p><a href=\"javascript:window.pwned = 3\">Click me</a> or <a href=\"https://example.test/help\">read the help</a>.</p>\
         <table><tr><th>Quarter</th><th>Status</th></tr><tr><td>Q3</td><td>Will not open</td></tr></table>\
         </body></html>"
    );
    format!(
        "From: Rita Reporter <{from}>\r\nTo: help@example.test\r\nSubject: {subject}\r\nMessage-ID: <{id}@example.test>\r\n\
         Date: Tue, 1 Dec 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n\
         --outer\r\nContent-Type: multipart/related; boundary=\"rel\"\r\n\r\n\
         --rel\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n\
         --alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello desk, the report does not open.\r\n\
         --alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--alt--\r\n\
         --rel\r\nContent-Type: image/png\r\nContent-ID: <logo@example.test>\r\nContent-Disposition: inline; filename=\"logo.png\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{PIXEL_PNG}\r\n--rel--\r\n\
         --outer\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"Q3 report.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDw+PgplbmRvYmoKdHJhaWxlcgo8PD4+CiUlRU9GCg==\r\n\
         --outer\r\nContent-Type: text/html; charset=utf-8\r\nContent-Disposition: attachment; filename=\"notes.html\"\r\n\r\n\
         <script>window.pwned = 4</script><p>notes</p>\r\n--outer--\r\n",
        id = unique("html")
    )
}

/// A local HTTP server that only counts the connections made to it: a remote image that is
/// loaded shows up here.
async fn tracker() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    (url, hits)
}

/// The session cookie of a signed-in browser, for plain HTTP requests.
async fn session_cookie(browser: &Browser) -> String {
    let value = browser
        .cookies()
        .await
        .into_iter()
        .find(|c| c["name"] == "spoc_session")
        .and_then(|c| c["value"].as_str().map(str::to_owned))
        .expect("a session cookie");
    format!("spoc_session={value}")
}

async fn get_with_cookie(desk: &Desk, cookie: &str, path: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}{path}", desk.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

/// An API identity for someone created with [`user`].
async fn token_for(desk: &Desk, who: &Login) -> Person {
    let token = desk
        .app
        .issue_token(UserId::new(who.id), "tests")
        .await
        .unwrap();
    Person {
        id: who.id,
        token: token.secret,
    }
}

async fn attachments_of(desk: &Desk, ticket: i64) -> Vec<Value> {
    desk.get(&desk.admin, &format!("/tickets/{ticket}/attachments"))
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .clone()
}

/// Turns off the browser's own checks of a form, as an old browser or a script would.
async fn skip_browser_checks(browser: &Browser) {
    browser
        .execute(
            "document.querySelectorAll('form').forEach(f => f.noValidate = true)",
            vec![],
        )
        .await;
}

both_backends! {
    /// An admin adds a mailbox: a bad address is explained next to the field with everything
    /// else kept (but the password, which must be typed again); saved, it is listed, and its
    /// page says it was not read yet and that a password is stored. Editing keeps the password.
    /// Organisation domains are set on the organisations page, with the same care.
    async fn admins_add_a_mailbox_and_organisation_domains(desk: Desk) {
        let admin = user(&desk, Role::Admin, "Alex Admin", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        browser.goto(&format!("{}/admin/mail", desk.base)).await;
        let empty = browser.find(".empty-state").await.text().await;
        assert!(empty.contains("No mailbox yet"), "{empty}");
        assert!(empty.contains("pipe mail to spoc mail deliver"), "{empty}");
        assert!(browser.find(".admin-nav a[aria-current=page]").await.text().await.contains("Mail"));
        browser.find(".empty-state a[href='/admin/mail/mailboxes/new']").await.click().await;

        browser.find("#m-name").await.send_keys("support").await;
        browser.find("#m-address").await.send_keys("help at example").await;
        browser.find("#m-host").await.send_keys("imap.example.test").await;
        browser.find("#m-username").await.send_keys("help").await;
        browser.find("#m-password").await.send_keys("s3cret-imap").await;
        browser.find("input[name=non_participants][value=hold]").await.click().await;
        skip_browser_checks(&browser).await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/mail/mailboxes/new'] button[type=submit]").await;
        let error = browser.find("#m-address-error").await.text().await;
        assert!(error.contains("exactly one @"), "{error}");
        assert!(error.ends_with('.'), "a sentence: {error}");
        assert_eq!(browser.find("#m-name").await.prop("value").await, json!("support"), "what was typed is kept");
        assert_eq!(browser.find("#m-host").await.prop("value").await, json!("imap.example.test"));
        assert_eq!(browser.find("input[name=non_participants][value=hold]").await.prop("checked").await, json!(true));
        assert_eq!(browser.find("#m-password").await.prop("value").await, json!(""), "the password is never sent back");
        assert!(browser.find("#m-password-hint").await.text().await.contains("Type the password again"));
        assert_eq!(browser.active_element().await.attr("id").await.as_deref(), Some("m-address"), "focus on the field to fix");
        assert!(!browser.page_source().await.contains("s3cret-imap"));

        let address = browser.find("#m-address").await;
        address.clear().await;
        address.send_keys("help@example.test").await;
        browser.find("#m-password").await.send_keys("s3cret-imap").await;
        click_and_wait_for_new_page(&browser, "form[action='/admin/mail/mailboxes/new'] button[type=submit]").await;
        browser.wait_for_text(".flash", "The mailbox was saved.", WAIT).await;
        // The poller may have tried the made-up server already; either way the page says how it stands.
        let status = browser.find("main .notice").await.text().await;
        assert!(status.contains("Not read yet") || status.contains("The last poll failed"), "{status}");
        assert!(browser.find("#m-password-hint").await.text().await.contains("A password is stored"));
        let stored = desk.app.mailbox_named(spoc_domain::TenantId::FIRST, "support").await.unwrap();
        assert_eq!(stored.address, "help@example.test");
        assert_eq!(stored.non_participants, spoc_domain::mail::NonParticipants::Hold);
        let signed_in = desk.app.imap_sign_in(&stored).await.unwrap();
        assert_eq!(signed_in.as_ref().map(|i| (i.port, i.password.as_str())), Some((993, "s3cret-imap")));
        let row = desk.app.store().get_mailbox(spoc_domain::TenantId::FIRST, stored.id).await.unwrap();
        assert!(row.imap.as_ref().is_some_and(|i| i.password.starts_with("v1:")), "stored encrypted");

        // Editing: a poll interval the app refuses is explained; saving without a password keeps it.
        let poll = browser.find("#m-poll").await;
        poll.clear().await;
        poll.send_keys("5").await;
        let form = format!("form[action='/admin/mail/mailboxes/{}'] button[type=submit]", stored.id);
        click_and_wait_for_new_page(&browser, &form).await;
        assert!(browser.find("#m-poll-error").await.text().await.contains("between 10 and 3600"));
        let poll = browser.find("#m-poll").await;
        poll.clear().await;
        poll.send_keys("120").await;
        click_and_wait_for_new_page(&browser, &form).await;
        browser.wait_for_text(".flash", "The mailbox was saved.", WAIT).await;
        let stored = desk.app.mailbox_named(spoc_domain::TenantId::FIRST, "support").await.unwrap();
        assert_eq!(stored.poll_seconds, 120);
        assert_eq!(desk.app.imap_sign_in(&stored).await.unwrap().map(|i| i.password), Some("s3cret-imap".to_owned()), "an empty password keeps the stored one");

        browser.goto(&format!("{}/admin/mail", desk.base)).await;
        let table = browser.find("table.data").await.text().await;
        assert!(table.contains("support") && table.contains("help@example.test") && table.contains("imap.example.test:993"), "{table}");

        // Organisation domains.
        let org = desk.organization("Northwind Traders").await;
        browser.goto(&format!("{}/admin/organizations", desk.base)).await;
        let field = browser.find(&format!("#dom-{org}")).await;
        field.send_keys("northwind.test, not a domain!").await;
        click_and_wait_for_new_page(&browser, &format!("form[action='/admin/organizations/{org}/domains'] button")).await;
        let error = browser.find(&format!("#dom-{org}-error")).await.text().await;
        assert!(error.contains("is not a domain like example.com"), "{error}");
        assert_eq!(browser.find(&format!("#dom-{org}")).await.prop("value").await, json!("northwind.test, not a domain!"));
        let field = browser.find(&format!("#dom-{org}")).await;
        field.clear().await;
        field.send_keys("northwind.test, Northwind.example").await;
        click_and_wait_for_new_page(&browser, &format!("form[action='/admin/organizations/{org}/domains'] button")).await;
        browser.wait_for_text(".flash", "e-mail domains were saved", WAIT).await;
        assert_eq!(browser.find(&format!("#dom-{org}")).await.prop("value").await, json!("northwind.example, northwind.test"));
        // Someone new writing from the domain becomes the organisation's customer.
        let result = desk.app.ingest_mail(None, plain_mail("nina@northwind.test", "Badge reader broken", "The badge reader at the door is dead.").as_bytes()).await.unwrap();
        let (ticket, _) = result.ticket.expect("a ticket");
        let logged = desk.get(&desk.admin, &format!("/tickets/{ticket}")).await.expect(200).body;
        assert_eq!(logged["organization_id"], org);
    }

    /// A reply from someone outside the ticket is held, a message that is not an e-mail is
    /// quarantined; both wait in "needs attention". The held one is logged as a new ticket for
    /// its sender; the quarantined one cannot be processed again (said on the page), a ticket
    /// number nobody has is explained next to the field, and it is dismissed.
    async fn held_and_quarantined_mail_is_dealt_with_in_the_log(desk: Desk) {
        desk.post(&desk.admin, "/mailboxes", json!({"name": "support", "address": "help@example.test", "non_participants": "hold"}))
            .await.expect(201);
        let mailbox = desk.app.mailbox_named(spoc_domain::TenantId::FIRST, "support").await.unwrap();
        let customer = user(&desk, Role::Customer, "Una User", None).await;
        let una = token_for(&desk, &customer).await;
        let ticket = desk.ticket(&una, "incident", "Printer jams").await;
        let number = ticket["number"].as_str().unwrap().to_owned();
        let held = desk.app.ingest_mail(Some(&mailbox), plain_mail("stranger@example.test", &format!("Re: [{number}] Printer jams"),
            "I have the same problem on the 2nd floor.").as_bytes()).await.unwrap();
        assert_eq!(held.outcome, spoc_app::InboundOutcome::Held, "{}", held.reason);
        let quarantined = desk.app.ingest_mail(None, b"this is not an e-mail at all").await.unwrap();
        assert_eq!(quarantined.outcome, spoc_app::InboundOutcome::Quarantined);

        let lead = user(&desk, Role::Lead, "Lee Lead", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &lead).await;
        browser.find("nav.topnav a[href='/admin/mail/inbound']").await.click().await;
        let log = browser.wait_for_text("table.inbound", "Held for review", WAIT).await.text().await;
        assert!(log.contains("Quarantined"), "{log}");
        assert!(log.contains("stranger@example.test"), "{log}");
        assert_eq!(browser.find_all("table.inbound tbody tr").await.len(), 2);
        assert_eq!(browser.find(".tabs a[aria-current=page] .count").await.text().await, "2");

        browser.find(&format!("a[href='/admin/mail/inbound/{}']", held.inbound_id)).await.click().await;
        let facts = browser.wait_for("dl.facts", WAIT).await.text().await;
        assert!(facts.contains("held for an agent to review"), "{facts}");
        assert!(facts.contains("Message-ID"), "{facts}");
        assert!(browser.find(".mail-view, .notice").await.text().await.len() > 10);
        let raw_link = browser.find(&format!("a[href='/admin/mail/inbound/{}/raw']", held.inbound_id)).await;
        assert!(raw_link.text().await.contains(".eml"));
        let cookie = session_cookie(&browser).await;
        let raw = get_with_cookie(&desk, &cookie, &format!("/admin/mail/inbound/{}/raw", held.inbound_id)).await;
        assert_eq!(raw.status(), 200);
        assert!(raw.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"message-"));
        assert!(raw.text().await.unwrap().contains("the same problem on the 2nd floor"));

        click_and_wait_for_new_page(&browser, "form[action$='/release']:has(input[value=new_ticket]) button").await;
        browser.wait_for_text(".flash", "logged as a new ticket", WAIT).await;
        assert!(browser.try_find("#release").await.is_none(), "nothing left to do");
        assert!(browser.find("dl.facts").await.text().await.contains("New ticket"));
        browser.find("dl.facts a[href^='/desk/tickets/']").await.click().await;
        let header = browser.wait_for("#ticket-header", WAIT).await.text().await;
        assert!(header.contains("stranger"), "the sender's own ticket: {header}");
        assert_ne!(browser.current_url().await, format!("{}/desk/tickets/{}", desk.base, ticket["id"]));

        browser.goto(&format!("{}/admin/mail/inbound", desk.base)).await;
        assert_eq!(browser.find_all("table.inbound tbody tr").await.len(), 1);
        browser.find(&format!("a[href='/admin/mail/inbound/{}']", quarantined.inbound_id)).await.click().await;
        assert!(browser.wait_for("dl.facts", WAIT).await.text().await.contains("no mail header fields"));
        assert!(browser.find("#release").await.text().await.contains("Process again"));
        browser.find("#r-ticket").await.send_keys("INC-999999").await;
        click_and_wait_for_new_page(&browser, "form[action$='/release']:has(input[value=into_ticket]) button").await;
        assert_eq!(browser.find("#r-ticket-error").await.text().await, "There is no ticket INC-999999 that you can see.");
        assert_eq!(browser.find("#r-ticket").await.prop("value").await, json!("INC-999999"));
        click_and_wait_for_new_page(&browser, "form[action$='/release']:has(input[value=retry]) button").await;
        let refused = browser.find("#release .flash-error").await.text().await;
        assert!(refused.starts_with("The message still cannot be read"), "{refused}");
        click_and_wait_for_new_page(&browser, "form[action$='/release']:has(input[value=dismiss]) button").await;
        browser.wait_for_text(".flash", "dismissed", WAIT).await;
        assert!(browser.find("dl.facts").await.text().await.contains("Dismissed"));

        browser.goto(&format!("{}/admin/mail/inbound", desk.base)).await;
        assert!(browser.find(".empty-state").await.text().await.contains("Nothing needs attention"));
        browser.find("a[href='/admin/mail/inbound?view=all']").await.click().await;
        assert_eq!(browser.wait_for("table.inbound", WAIT).await.find_all("tbody tr").await.len(), 2);
        // Leads see the log, not the rest of the setup.
        assert!(browser.try_find(".admin-nav a[href='/admin/users']").await.is_none());
        assert!(browser.try_find(".tabs a[href='/admin/mail/outbox']").await.is_none());
    }

    /// An e-mail with HTML becomes a ticket. On the desk its entry lists the files and links to
    /// the e-mail; the e-mail page shows the HTML without running its script or loading its
    /// remote image, with the inline logo from the attachment route. Files download as
    /// attachments (never rendered), the requester sees them in the portal, and nobody else can
    /// fetch them.
    async fn email_html_is_shown_safely_with_its_attachments(desk: Desk) {
        let (tracker_url, hits) = tracker().await;
        let requester = user(&desk, Role::Customer, "Rita Reporter", None).await;
        let result = desk.app.ingest_mail(None, html_mail(&requester.email, "Quarterly report will not open", &tracker_url).as_bytes()).await.unwrap();
        let (ticket, _) = result.ticket.expect("a ticket");
        let files = attachments_of(&desk, ticket.get()).await;
        let file = |name: &str| files.iter().find(|f| f["filename"] == name).unwrap_or_else(|| panic!("{name} in {files:?}"))["id"].as_i64().unwrap();
        let (pdf, notes, logo) = (file("Q3 report.pdf"), file("notes.html"), file("logo.png"));

        let agent = desk_agent(&desk, "Ada Agent").await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/desk/tickets/{ticket}", desk.base)).await;
        let description = browser.find("#timeline .entry-description").await.text().await;
        for name in ["Q3 report.pdf", "notes.html", "logo.png", "application/pdf"] {
            assert!(description.contains(name), "{name} in {description}");
        }
        browser.find(".entry-description a.view-email").await.click().await;
        let shown = browser.wait_for(".mail-html", WAIT).await.text().await;
        assert!(shown.contains("Quarterly report") && shown.contains("does not open"), "{shown}");
        assert!(shown.contains("[image: tracking pixel]"), "the remote image is a placeholder: {shown}");
        assert!(browser.find(".mail-note").await.text().await.contains("Remote images are not loaded"));
        let logo_src = browser.find(".mail-html img").await.attr("src").await;
        assert_eq!(logo_src, Some(format!("/attachments/{logo}")));
        let loaded = browser.execute_async(
            "const done = arguments[arguments.length - 1]; const img = document.querySelector('.mail-html img');
             if (img.complete) done(img.naturalWidth); else { img.onload = () => done(img.naturalWidth); img.onerror = () => done(-1); }", vec![]).await;
        assert_eq!(loaded, json!(4), "the inline logo loads from Spoc");
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(browser.execute("return window.pwned === undefined", vec![]).await, json!(true), "a script of the mail ran");
        assert!(browser.find_all(".mail-html script, .mail-html style, .mail-html [onerror], .mail-html a[href^='javascript']").await.is_empty());
        assert_eq!(browser.find(".mail-html a[href='https://example.test/help']").await.attr("rel").await.as_deref(), Some("noopener noreferrer nofollow"));
        assert_eq!(hits.load(Ordering::SeqCst), 0, "the remote image was requested");

        // Downloads: files are attachments, sandboxed; the logo is a safe inline image.
        let cookie = session_cookie(&browser).await;
        for id in [pdf, notes] {
            let answer = get_with_cookie(&desk, &cookie, &format!("/attachments/{id}")).await;
            assert_eq!(answer.status(), 200);
            let disposition = answer.headers()["content-disposition"].to_str().unwrap().to_owned();
            assert!(disposition.starts_with("attachment;"), "{disposition}");
            assert_eq!(answer.headers()["content-type"], "application/octet-stream");
            assert!(answer.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
            assert_eq!(answer.headers()["x-content-type-options"], "nosniff");
        }
        let pdf_answer = get_with_cookie(&desk, &cookie, &format!("/attachments/{pdf}")).await;
        assert!(pdf_answer.headers()["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''Q3%20report.pdf"));
        assert!(pdf_answer.bytes().await.unwrap().starts_with(b"%PDF"));
        let logo_answer = get_with_cookie(&desk, &cookie, &format!("/attachments/{logo}")).await;
        assert_eq!(logo_answer.headers()["content-type"], "image/png");
        assert!(logo_answer.headers()["content-disposition"].to_str().unwrap().starts_with("inline;"));

        // The requester sees the files in the portal; another customer cannot fetch them.
        let portal = Browser::start().await;
        sign_in(&portal, &desk, &requester).await;
        portal.goto(&format!("{}/portal/tickets/{ticket}", desk.base)).await;
        let entry = portal.find("#timeline .entry-description").await.text().await;
        assert!(entry.contains("Q3 report.pdf"), "{entry}");
        assert!(portal.try_find("a.view-email").await.is_none(), "the e-mail page is for staff");
        let portal_cookie = session_cookie(&portal).await;
        assert_eq!(get_with_cookie(&desk, &portal_cookie, &format!("/attachments/{pdf}")).await.status(), 200);
        let email_page = get_with_cookie(&desk, &portal_cookie, &format!("/desk/tickets/{ticket}/emails/{}", result.inbound_id)).await;
        assert_eq!(email_page.status(), 303, "customers are sent to the portal");
        let other = desk.person("customer", None, false).await;
        desk.get(&other, &format!("/attachments/{pdf}")).await.problem(404, "not_found");
        let stranger = user(&desk, Role::Customer, "Sam Stranger", None).await;
        let stranger_browser = Browser::start().await;
        sign_in(&stranger_browser, &desk, &stranger).await;
        let stranger_cookie = session_cookie(&stranger_browser).await;
        assert_eq!(get_with_cookie(&desk, &stranger_cookie, &format!("/attachments/{pdf}")).await.status(), 404);
        // Without a session, the route sends to sign-in.
        let anonymous = get_with_cookie(&desk, "spoc_session=nothing", &format!("/attachments/{pdf}")).await;
        assert_eq!(anonymous.status(), 303);
    }

    /// A customer opens "Settings" from the top bar, switches one topic off and sees it
    /// off; staff topics are not offered to customers.
    async fn a_customer_turns_a_notification_off(desk: Desk) {
        let customer = user(&desk, Role::Customer, "Una User", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &customer).await;
        browser.find(".account a.account-link").await.click().await;
        browser.wait_for_text("#notifications-heading", "E-mail notifications", WAIT).await;
        let reply = browser.find("#topic-agent_reply").await;
        assert_eq!(reply.prop("checked").await, json!(true), "everything is on at first");
        assert!(browser.find("label[for='topic-agent_reply']").await.text().await.contains("The desk replied on a ticket of yours"));
        assert!(browser.try_find("#topic-sla_breach").await.is_none(), "staff topics are not offered to customers");
        reply.click().await;
        click_and_wait_for_new_page(&browser, "form[action='/account/notifications'] button[type=submit]").await;
        browser.wait_for_text(".flash", "Your notification choices were saved.", WAIT).await;
        assert_eq!(browser.find("#topic-agent_reply").await.prop("checked").await, json!(false));
        browser.refresh().await;
        assert_eq!(browser.find("#topic-agent_reply").await.prop("checked").await, json!(false), "still off after a reload");
        assert_eq!(browser.find("#topic-resolved").await.prop("checked").await, json!(true));
        let actor = desk.app.authenticate_token(&token_for(&desk, &customer).await.token).await.unwrap();
        let preferences = desk.app.notification_preferences(&actor).await.unwrap();
        assert!(preferences.contains(&(NoticeTopic::AgentReply, false)), "{preferences:?}");
        assert!(preferences.contains(&(NoticeTopic::Closed, true)), "{preferences:?}");
    }
}

/// The mail pages fit a 375 px phone without sideways scrolling; with `SPOC_SCREENSHOTS=dir`
/// their desktop renderings are saved there.
#[tokio::test]
async fn mail_pages_fit_a_phone_and_can_be_photographed() {
    let desk = Desk::start(crate::harness::Db::Sqlite).await;
    desk.post(&desk.admin, "/mailboxes", json!({"name": "support", "address": "help@example.test",
        "imap_host": "imap.example.test", "imap_username": "help", "imap_password": "x", "non_participants": "hold"}))
        .await.expect(201);
    let mailbox = desk
        .app
        .mailbox_named(spoc_domain::TenantId::FIRST, "support")
        .await
        .unwrap();
    let org = desk.organization("Northwind Traders").await;
    desk.send(
        reqwest::Method::PUT,
        &format!("/organizations/{org}/email-domains"),
        Some(&desk.admin.token),
        &[],
        Some((
            "application/json",
            json!({"domains": ["northwind.test"]})
                .to_string()
                .into_bytes(),
        )),
    )
    .await
    .expect(200);
    let requester = user(&desk, Role::Customer, "Rita Reporter", Some(org)).await;
    let agent = desk_agent(&desk, "Ada Agent").await;
    let admin = user(&desk, Role::Admin, "Alex Admin", None).await;
    let (tracker_url, _) = tracker().await;
    let first = desk
        .app
        .ingest_mail(
            Some(&mailbox),
            html_mail(
                &requester.email,
                "Quarterly report will not open",
                &tracker_url,
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let (ticket, number) = first.ticket.unwrap();
    let as_agent = token_for(&desk, &agent).await;
    desk.act(
        &as_agent,
        ticket.get(),
        "assign",
        json!({"assignee_id": agent.id}),
    )
    .await
    .expect(200);
    desk.post(&as_agent, &format!("/tickets/{ticket}/comments"), json!({"body": "Thanks Rita — could you send the file again as an .xlsx? The PDF is damaged.", "internal": false})).await.expect(201);
    desk.app
        .ingest_mail(
            Some(&mailbox),
            plain_mail(
                &format!("Rita Reporter <{}>", requester.email),
                &format!("Re: [{number}] Quarterly report will not open"),
                "Here it is again. It was exported from the finance system this morning.",
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    desk.app
        .ingest_mail(
            Some(&mailbox),
            plain_mail(
                "Nina Neighbour <nina@northwind.test>",
                "VPN is down in the Oslo office",
                "Nobody here can connect since 8:00.",
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let held = desk
        .app
        .ingest_mail(
            Some(&mailbox),
            plain_mail(
                "Tom Outsider <tom@elsewhere.test>",
                &format!("Re: [{number}] Quarterly report will not open"),
                "I can open it fine, send it to me.",
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    desk.app
        .ingest_mail(Some(&mailbox), b"garbled data from a broken mail server")
        .await
        .unwrap();
    desk.app
        .ingest_mail(
            Some(&mailbox),
            plain_mail(
                "desk@spoc.test",
                "Your ticket was logged",
                "An echo of our own notice.",
            )
            .as_bytes(),
        )
        .await
        .unwrap();

    let shots = std::env::var("SPOC_SCREENSHOTS").ok();
    let browser = Browser::start().await;
    let pages: Vec<(&Login, String, &str)> = vec![
        (
            &agent,
            format!("/desk/tickets/{ticket}"),
            "ticket-view-email",
        ),
        (
            &agent,
            format!("/desk/tickets/{ticket}/emails/{}", first.inbound_id),
            "email-view",
        ),
        (
            &agent,
            "/account/notifications".to_owned(),
            "notification-preferences",
        ),
        (
            &admin,
            "/admin/mail/inbound?view=all".to_owned(),
            "admin-mail-inbound",
        ),
        (
            &admin,
            format!("/admin/mail/inbound/{}", held.inbound_id),
            "admin-mail-message",
        ),
        (&admin, "/admin/mail".to_owned(), "admin-mail-mailboxes"),
        (
            &admin,
            format!("/admin/mail/mailboxes/{}", mailbox.id),
            "admin-mail-mailbox-form",
        ),
        (&admin, "/admin/mail/outbox".to_owned(), "admin-mail-outbox"),
        (
            &admin,
            "/admin/organizations".to_owned(),
            "admin-organizations",
        ),
        (
            &requester,
            format!("/portal/tickets/{ticket}"),
            "portal-ticket-attachments",
        ),
    ];
    check_pages(&browser, &desk, pages, shots.as_deref(), &[], |_, _| {}).await;
}
