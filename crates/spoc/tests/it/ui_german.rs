//! The whole UI in German, checked the way a German-speaking desk would find it: a customer, an
//! agent, a lead and an admin each choose Deutsch on their settings page, and every main page is
//! read in headless Chromium (its visible text, its title and the labels only assistive
//! technology reads) for English left over. The desk's own data is German too, so any English
//! word on a page is the UI's. Each page also passes axe-core and fits a phone in German, whose
//! longer words are the ones that overflow.

use serde_json::{Value, json};
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::{Desk, Person};
use crate::ui::{Login, WAIT, click_and_wait_for_new_page, desk_agent, sign_in, user};
use crate::ui_pages::check_pages;

/// English words that are not also German ones ("was", "will", "in", "an" are left out): one of
/// them on a German page is text that did not go through the catalogue.
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "your",
    "you",
    "with",
    "this",
    "that",
    "which",
    "from",
    "have",
    "has",
    "were",
    "would",
    "should",
    "there",
    "their",
    "what",
    "when",
    "where",
    "who",
    "not",
    "of",
    "to",
    "for",
    "on",
    "at",
    "by",
    "or",
    "is",
    "are",
    "be",
    "it",
    "no",
    "yes",
    "new",
    "open",
    "save",
    "add",
    "edit",
    "delete",
    "cancel",
    "search",
    "show",
    "back",
    "all",
    "none",
    "any",
    "requests",
    "request",
    "reply",
    "note",
    "assign",
    "resolve",
    "close",
    "group",
    "groups",
    "people",
    "settings",
    "queue",
    "queues",
    "views",
    "view",
    "priority",
    "assignee",
    "requester",
    "category",
    "created",
    "updated",
    "ago",
    "just",
    "now",
    "minutes",
    "hours",
    "days",
    "never",
    "once",
    "twice",
    "times",
    "help",
    "article",
    "articles",
    "knowledge",
    "change",
    "changes",
    "draft",
    "published",
    "review",
    "send",
    "sent",
    "message",
    "messages",
    "mail",
    "inbox",
    "outgoing",
    "incoming",
    "sign",
    "out",
    "in progress",
    "pending",
    "resolved",
    "closed",
    "cancelled",
    "escalate",
    "escalated",
    "internal",
    "public",
    "email",
    "password",
    "choose",
];

/// The page's visible text, its title and the names only assistive technology reads.
/// What people wrote (names and titles in `bdi`, choices of records by their number) is
/// content, and commands and keys (`code`, `kbd`) are the same in every language, not the UI: the shipped SOPs and the calendar made at first start are English
/// documents whatever the reader's language, so they are left out.
const READ_PAGE: &str = "
    const names = [...document.querySelectorAll('[aria-label], [title], [placeholder], [data-label]')]
        .flatMap(e => ['aria-label', 'title', 'placeholder', 'data-label'].map(a => e.getAttribute(a)).filter(Boolean));
    const hidden = [...document.querySelectorAll('.visually-hidden')].map(e => e.textContent);
    const body = document.body.cloneNode(true);
    body.querySelectorAll('bdi, code, kbd, option').forEach(e => {
        if (e.tagName !== 'OPTION' || /^[0-9]+$/.test(e.getAttribute('value') || '')) e.remove();
    });
    document.body.appendChild(body);
    body.hidden = false;
    const text = body.innerText;
    body.remove();
    return [document.title, text, ...names, ...hidden].join('\\n');
";

/// The English words in `text`, each with a little of what surrounds it.
fn english_in(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut found = Vec::new();
    for word in ENGLISH {
        let mut from = 0;
        while let Some(at) = lower[from..].find(word).map(|i| i + from) {
            let end = at + word.len();
            from = end;
            let before = lower[..at].chars().next_back();
            let after = lower[end..].chars().next();
            let boundary = |c: Option<char>| {
                c.is_none_or(|c| {
                    !c.is_alphanumeric() && c != '-' && c != '_' && c != '@' && c != '.' && c != '/'
                })
            };
            if !(boundary(before) && boundary(after)) {
                continue;
            }
            let start = text[..at]
                .char_indices()
                .rev()
                .nth(30)
                .map_or(0, |(i, _)| i);
            let stop = text[end..]
                .char_indices()
                .nth(30)
                .map_or(text.len(), |(i, _)| end + i);
            found.push(format!(
                "{word:?} in «{}»",
                text[start..stop].replace('\n', " ⏎ ")
            ));
            break;
        }
    }
    found
}

/// Signs in as `who` and chooses Deutsch (and Berlin time) on the settings page, as a person
/// would.
async fn choose_german(browser: &Browser, desk: &Desk, who: &Login) {
    browser.delete_cookies().await;
    sign_in(browser, desk, who).await;
    browser
        .goto(&format!("{}/account/notifications", desk.base))
        .await;
    browser.wait_for("#language", WAIT).await;
    browser
        .find("#time-zone")
        .await
        .select_by_value("Europe/Berlin")
        .await;
    browser.find("#language").await.select_by_value("de").await;
    click_and_wait_for_new_page(
        browser,
        "form[action='/account/reading'] button[type=submit]",
    )
    .await;
    browser
        .wait_for_text(
            ".flash-success",
            "Ihre Zeitzone und Sprache wurden gespeichert.",
            WAIT,
        )
        .await;
}

fn person(desk: &Desk, login: &Login) -> impl std::future::Future<Output = Person> {
    let app = desk.app.clone();
    let id = login.id;
    async move {
        let token = app
            .issue_token(spoc_domain::UserId::new(id), "german")
            .await
            .unwrap()
            .secret;
        Person { id, token }
    }
}

both_backends! {
    /// Every main page, as a German customer, agent, lead and admin read it, has no English
    /// word left in its text, title or accessible names; passes axe-core; fits a phone.
    async fn every_main_page_reads_in_german(desk: Desk) {
        let org = desk.organization("Nordwind Handel GmbH").await;
        let customer = user(&desk, Role::Customer, "Uta Ulrich", Some(org)).await;
        let agent = desk_agent(&desk, "Anna Arndt").await;
        let lead = user(&desk, Role::Lead, "Lars Lorenz", None).await;
        let admin = user(&desk, Role::Admin, "Alma Adler", None).await;
        desk.group("Netzwerkbetrieb", 2, false).await;
        for name in ["Hardware", "Zugang"] {
            desk.post(&desk.admin, "/categories", json!({"name": name, "parent_id": null})).await.expect(201);
        }
        let as_customer = person(&desk, &customer).await;
        let as_agent = person(&desk, &agent).await;
        let mut ids = Vec::new();
        for (title, kind) in [
            ("VPN-Verbindung von zu Hause bricht ab", "incident"),
            ("Drucker im dritten Stock klemmt", "incident"),
            ("Neuer Laptop für Montag", "service_request"),
        ] {
            let t: Value = desk.post(&as_customer, "/tickets", json!({"kind": kind, "title": title,
                "description": format!("{title}. Seit dem Update heute Morgen."), "impact": "medium", "urgency": "high"}))
                .await.expect(201).body;
            ids.push(t["id"].as_i64().unwrap());
        }
        desk.act(&as_agent, ids[0], "assign", json!({"assignee_id": agent.id})).await.expect(200);
        desk.post(&as_agent, &format!("/tickets/{}/comments", ids[0]),
            json!({"body": "Welche Version des VPN-Clients haben Sie?", "internal": false})).await.expect(201);
        desk.post(&as_customer, &format!("/tickets/{}/comments", ids[0]),
            json!({"body": "Version 5.2.1 unter Windows 11.", "internal": false})).await.expect(201);
        desk.post(&as_agent, &format!("/tickets/{}/comments", ids[0]),
            json!({"body": "Bekanntes Problem mit 5.2.1; Rückfrage beim Netzwerkbetrieb.", "internal": true})).await.expect(201);
        desk.act(&as_agent, ids[1], "resolve", json!({"code": "solved", "notes": "Fixiereinheit getauscht."})).await.expect(200);
        desk.act(&as_agent, ids[2], "escalate", json!({"type": "hierarchical", "reason": "Braucht die Leitung."})).await.expect(200);
        let article = desk.post(&as_agent, "/articles", json!({"kind": "how_to", "audience": "customers",
            "title": "VPN neu verbinden", "body": "Öffnen Sie den Client und melden Sie sich erneut an."})).await.body;

        let browser = Browser::start().await;
        for who in [&customer, &agent, &lead, &admin] {
            choose_german(&browser, &desk, who).await;
        }
        let ticket = format!("/desk/tickets/{}", ids[0]);
        let pages: Vec<(&Login, String, &str)> = vec![
            (&customer, "/portal".to_owned(), "portal"),
            (&customer, "/portal/new".to_owned(), "portal-new"),
            (&customer, "/portal/tickets".to_owned(), "portal-tickets"),
            (&customer, format!("/portal/tickets/{}", ids[0]), "portal-ticket"),
            (&customer, format!("/portal/tickets/{}", ids[1]), "portal-resolved"),
            (&customer, "/portal/kb".to_owned(), "portal-kb"),
            (&customer, format!("/portal/kb/{}", article["id"]), "portal-article"),
            (&customer, "/account/notifications".to_owned(), "customer-settings"),
            (&agent, "/desk".to_owned(), "queue"),
            (&agent, "/desk?queue=open".to_owned(), "queue-open"),
            (&agent, ticket.clone(), "ticket"),
            (&agent, format!("/desk/tickets/{}", ids[1]), "ticket-resolved"),
            (&agent, "/desk/new".to_owned(), "log-a-call"),
            (&agent, "/desk/search?q=Drucker".to_owned(), "search"),
            (&agent, "/desk/canned".to_owned(), "canned"),
            (&agent, "/desk/kb".to_owned(), "kb"),
            (&agent, format!("/desk/kb/{}", article["id"]), "kb-article"),
            (&agent, "/desk/kb/new".to_owned(), "kb-new"),
            (&agent, "/desk/sops".to_owned(), "sops"),
            (&agent, "/desk/reports".to_owned(), "reports"),
            (&agent, "/desk/notifications".to_owned(), "notifications"),
            (&agent, "/account/security".to_owned(), "security"),
            (&lead, "/desk/lead".to_owned(), "lead"),
            (&admin, "/admin".to_owned(), "admin"),
            (&admin, "/admin/users".to_owned(), "admin-users"),
            (&admin, "/admin/groups".to_owned(), "admin-groups"),
            (&admin, "/admin/organizations".to_owned(), "admin-organizations"),
            (&admin, "/admin/categories".to_owned(), "admin-categories"),
            (&admin, "/admin/services".to_owned(), "admin-services"),
            (&admin, "/admin/settings".to_owned(), "admin-settings"),
            (&admin, "/admin/sla".to_owned(), "admin-sla"),
            (&admin, "/admin/sla/policies/new".to_owned(), "admin-sla-policy"),
            (&admin, "/admin/sla/calendars/new".to_owned(), "admin-calendar"),
            (&admin, "/admin/workers".to_owned(), "admin-workers"),
            (&admin, "/admin/mail".to_owned(), "admin-mail"),
            (&admin, "/admin/mail/mailboxes/new".to_owned(), "admin-mailbox"),
            (&admin, "/admin/mail/inbound".to_owned(), "admin-inbound"),
            (&admin, "/admin/mail/outbox".to_owned(), "admin-outbox"),
            (&admin, "/admin/mail/relay".to_owned(), "admin-relay"),
        ];

        let mut english = Vec::new();
        let mut signed_in = None;
        for (who, path, _) in &pages {
            if signed_in != Some(who.id) {
                browser.delete_cookies().await;
                sign_in(&browser, &desk, who).await;
                signed_in = Some(who.id);
            }
            browser.goto(&format!("{}{path}", desk.base)).await;
            browser.find("main#main").await;
            assert_eq!(browser.find("html").await.attr("lang").await.as_deref(), Some("de"), "{path}");
            let text = browser.execute(READ_PAGE, vec![]).await;
            // Commands are the same in every language (in a hint, where no `code` can mark them).
            let text = text.as_str().unwrap_or_default().replace("spoc mail deliver", "");
            for found in english_in(&text) {
                english.push(format!("{path}: {found}"));
            }
        }
        // The script's words: the shortcuts list on the queue.
        browser.goto(&format!("{}/desk", desk.base)).await;
        browser.find("main#main").await;
        browser.keys("?").await;
        let shortcuts = browser.wait_for("#shortcuts", WAIT).await.text().await;
        assert!(shortcuts.contains("Tastenkürzel"), "{shortcuts}");
        for found in english_in(&shortcuts) {
            english.push(format!("shortcuts: {found}"));
        }
        assert!(english.is_empty(), "English on German pages ({}):\n{}", english.len(), english.join("\n"));

        check_pages(&browser, &desk, pages, None, &[], |name, source| {
            assert!(!source.contains("Etwas ist schiefgegangen"), "{name} failed to render");
        })
        .await;
    }
}
