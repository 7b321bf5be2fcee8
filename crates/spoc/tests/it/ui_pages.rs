//! Every main page in headless Chromium at phone and desktop width (and, with
//! `SPOC_SCREENSHOTS`, the screenshots in `docs/screenshots/`), and the accessibility check that
//! every page test runs: axe-core's WCAG 2.1 AA rules, with a self-test that it finds what is
//! wrong.

use serde_json::json;
use spoc_domain::user::Role;

use crate::browser::Browser;
use crate::harness::Desk;
use crate::ui::{Login, desk_agent, sign_in, user};

/// Every main page fits a 375 px phone without sideways scrolling, and renders at desktop width;
/// with `SPOC_SCREENSHOTS=dir` the desktop renderings are saved there (how `docs/screenshots/`
/// is made).
#[tokio::test]
async fn main_pages_fit_a_phone_and_can_be_photographed() {
    let desk = Desk::start(crate::harness::Db::Sqlite).await;
    let org = desk.organization("Northwind Traders").await;
    let customer = user(&desk, Role::Customer, "Una User", Some(org)).await;
    let agent = desk_agent(&desk, "Ada Agent").await;
    let admin = user(&desk, Role::Admin, "Alex Admin", None).await;
    for (name, parent) in [("Hardware", None::<i64>), ("Access", None)] {
        let id = desk
            .post(
                &desk.admin,
                "/categories",
                json!({"name": name, "parent_id": parent}),
            )
            .await
            .expect(201)
            .body["id"]
            .clone();
        let child = if name == "Access" {
            "Password"
        } else {
            "Printer"
        };
        desk.post(
            &desk.admin,
            "/categories",
            json!({"name": child, "parent_id": id}),
        )
        .await
        .expect(201);
    }
    desk.post(
        &desk.admin,
        "/services",
        json!({"name": "E-mail", "description": "Exchange Online"}),
    )
    .await
    .expect(201);
    desk.group("Network Operations", 2, false).await;
    let customer_token = desk
        .app
        .issue_token(spoc_domain::UserId::new(customer.id), "shots")
        .await
        .unwrap()
        .secret;
    let as_customer = crate::harness::Person {
        id: customer.id,
        token: customer_token,
    };
    let mut ids = Vec::new();
    for (title, impact, urgency) in [
        ("Cannot connect to VPN from home", "high", "high"),
        (
            "Outlook asks for the password again and again",
            "medium",
            "high",
        ),
        ("New starter needs a laptop on Monday", "low", "medium"),
        ("Printer on the 3rd floor jams", "medium", "medium"),
        ("Request access to the finance share", "low", "low"),
    ] {
        let kind = if title.starts_with("New") || title.starts_with("Request") {
            "service_request"
        } else {
            "incident"
        };
        let t = desk.post(&as_customer, "/tickets", json!({"kind": kind, "title": title,
            "description": format!("{title}. It started this morning after the update."), "impact": impact, "urgency": urgency}))
            .await.expect(201).body;
        ids.push(t["id"].as_i64().unwrap());
    }
    let agent_token = desk
        .app
        .issue_token(spoc_domain::UserId::new(agent.id), "shots")
        .await
        .unwrap()
        .secret;
    let as_agent = crate::harness::Person {
        id: agent.id,
        token: agent_token,
    };
    desk.act(
        &as_agent,
        ids[0],
        "assign",
        json!({"assignee_id": agent.id}),
    )
    .await
    .expect(200);
    desk.act(&as_agent, ids[0], "start", json!({}))
        .await
        .expect(200);
    desk.post(&as_agent, &format!("/tickets/{}/comments", ids[0]), json!({"body": "Could you tell me which VPN client version you have? It is under Help › About.", "internal": false})).await.expect(201);
    desk.post(
        &as_customer,
        &format!("/tickets/{}/comments", ids[0]),
        json!({"body": "Version 5.2.1, on Windows 11.", "internal": false}),
    )
    .await
    .expect(201);
    desk.post(&as_agent, &format!("/tickets/{}/comments", ids[0]), json!({"body": "Known issue with 5.2.1 — the gateway certificate was renewed yesterday. Checking with Network Operations.", "internal": true})).await.expect(201);
    desk.act(
        &as_agent,
        ids[3],
        "assign",
        json!({"assignee_id": agent.id}),
    )
    .await
    .expect(200);
    desk.act(&as_agent, ids[3], "start", json!({}))
        .await
        .expect(200);
    desk.act(
        &as_agent,
        ids[3],
        "resolve",
        json!({"code": "solved", "notes": "Replaced the fuser unit."}),
    )
    .await
    .expect(200);

    let lead = user(&desk, Role::Lead, "Lee Lead", None).await;
    let shots = std::env::var("SPOC_SCREENSHOTS").ok();
    let browser = Browser::start().await;
    let pages: Vec<(&Login, String, &str)> = vec![
        (&agent, "/desk?queue=open".to_owned(), "agent-queue-all"),
        (&agent, "/desk/search?q=printer".to_owned(), "search"),
        (&agent, "/desk/canned".to_owned(), "canned-responses"),
        (
            &agent,
            "/account/notifications".to_owned(),
            "account-settings",
        ),
        (&lead, "/desk/lead".to_owned(), "lead-home"),
        (&admin, "/admin".to_owned(), "admin-checklist"),
        (&agent, "/desk?queue=groups".to_owned(), "agent-queue"),
        (&agent, format!("/desk/tickets/{}", ids[0]), "ticket-view"),
        (
            &agent,
            format!("/desk/new?caller_id={}", customer.id),
            "log-a-call",
        ),
        (&customer, "/portal/new".to_owned(), "portal-submit"),
        (&customer, "/portal/tickets".to_owned(), "portal-my-tickets"),
        (
            &customer,
            format!("/portal/tickets/{}", ids[3]),
            "portal-ticket",
        ),
        (&admin, "/admin/users".to_owned(), "admin-users"),
        (
            &admin,
            "/admin/settings".to_owned(),
            "admin-priority-matrix",
        ),
    ];
    browser.goto(&format!("{}/login", desk.base)).await;
    let login_overflow = browser
        .execute("return document.documentElement.scrollWidth", vec![])
        .await;
    assert!(login_overflow.as_i64().unwrap() <= 1280);
    if let Some(dir) = &shots {
        browser
            .screenshot_full(format!("{dir}/login.png"), 1280)
            .await;
    }
    check_pages(
        &browser,
        &desk,
        pages,
        shots.as_deref(),
        &[
            "agent-queue",
            "portal-submit",
            "ticket-view",
            "portal-ticket",
        ],
        |_, _| {},
    )
    .await;
}

/// The axe-core version `.ci/run` installs (the accessibility rules the pages are checked with).
const AXE_CORE_VERSION: &str = "4.11.1";

/// axe-core's script: from `SPOC_AXE_CORE`, or where `.ci/run` installs it
/// (`~/.cache/spoc-axe/<version>/node_modules/axe-core/axe.min.js`).
fn axe_core() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = std::env::var("SPOC_AXE_CORE")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| {
                let home = std::env::var("HOME").unwrap_or_else(|_| "/root".to_owned());
                std::path::Path::new(&home)
                    .join(".cache/spoc-axe")
                    .join(AXE_CORE_VERSION)
                    .join("node_modules/axe-core/axe.min.js")
            });
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "axe-core is needed to check the pages' accessibility: {}: {e}; `bash .ci/run` \
                 installs it (npm install axe-core@{AXE_CORE_VERSION}), or set SPOC_AXE_CORE",
                path.display()
            )
        })
    })
}

/// axe-core's WCAG 2.1 A and AA violations on the page in `browser`: the rule, its impact, what
/// it asks for and where.
pub(crate) async fn axe_violations(browser: &Browser) -> Vec<String> {
    let loaded = browser
        .execute(&format!("{}\nreturn typeof axe;", axe_core()), vec![])
        .await;
    assert_eq!(loaded, "object", "axe-core did not load");
    let violations = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => done(r.violations.map(v => `${v.id} (${v.impact}): ${v.help}; at ${v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | ')}`)))
               .catch(e => done([`axe-core failed: ${e}`]));",
            vec![],
        )
        .await;
    violations
        .as_array()
        .map(|all| {
            all.iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_else(|| vec![format!("axe-core answered {violations}")])
}

/// Panics naming every WCAG 2.1 A/AA violation axe-core finds on the page at `path`.
pub(crate) async fn assert_accessible(browser: &Browser, path: &str) {
    let violations = axe_violations(browser).await;
    assert!(
        violations.is_empty(),
        "{path} is not accessible (axe-core {AXE_CORE_VERSION}, WCAG 2.1 AA):\n{}",
        violations.join("\n")
    );
}

/// The accessibility check sees what is wrong: a page without a language, an image without a
/// text alternative and an unlabelled field fail it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accessibility_check_finds_what_is_wrong() {
    let browser = Browser::start().await;
    browser
        .goto("data:text/html,<!doctype html><title>Bad</title><main><img src='x.png'><input type='text'></main>")
        .await;
    let violations = axe_violations(&browser).await.join("\n");
    for rule in ["html-has-lang", "image-alt", "label"] {
        assert!(violations.contains(rule), "{rule} in:\n{violations}");
    }
    browser
        .goto("data:text/html,<!doctype html><html lang='en'><title>Good</title><main><h1>Fine</h1><img src='x.png' alt='A printer'><label>Name <input type='text'></label></main></html>")
        .await;
    assert_eq!(axe_violations(&browser).await, Vec::<String>::new());
}

/// Opens each page as its person (signing in when the person changes), checks that it renders,
/// photographs it at desktop width into `shots` when given (and at phone width as
/// `NAME-phone.png` for the names in `phone_shots`), and fails if it scrolls sideways on a
/// 375 px phone, naming the widest elements. `check` sees each page's name and source.
pub(crate) async fn check_pages(
    browser: &Browser,
    desk: &Desk,
    pages: Vec<(&Login, String, &str)>,
    shots: Option<&str>,
    phone_shots: &[&str],
    mut check: impl FnMut(&str, &str),
) {
    let mut signed_in: Option<i64> = None;
    for (who, path, name) in pages {
        if signed_in != Some(who.id) {
            browser.delete_cookies().await;
            sign_in(browser, desk, who).await;
            signed_in = Some(who.id);
        }
        browser.set_window_size(1280, 900).await;
        browser.goto(&format!("{}{path}", desk.base)).await;
        browser.find("main#main").await;
        let source = browser.page_source().await;
        assert!(
            !source.contains("Something went wrong"),
            "{path} failed to render"
        );
        check(name, &source);
        assert_accessible(browser, &path).await;
        if let Some(dir) = shots {
            browser
                .screenshot_full(format!("{dir}/{name}.png"), 1280)
                .await;
        }
        browser.set_window_size(375, 800).await;
        browser.refresh().await;
        let fits = browser.execute(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]", vec![]).await;
        let (scroll, client) = (fits[0].as_i64().unwrap(), fits[1].as_i64().unwrap());
        if let Ok(dir) = std::env::var("SPOC_PHONE_SHOTS") {
            browser.screenshot(format!("{dir}/{name}.png")).await;
        }
        if scroll > client {
            let culprits = browser.execute(
                "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')]
                   .filter(e => e.getBoundingClientRect().right > w + 1 && !e.parentElement.closest('.table-wrap, .admin-nav ul, .queue-nav ul, .tabs ul, .segmented, .mail-html, .diff'))
                   .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right));",
                vec![]).await;
            panic!("{path} scrolls sideways on a phone: {scroll} > {client}; widest: {culprits}");
        }
        if let Some(dir) = shots
            && phone_shots.contains(&name)
        {
            browser.screenshot(format!("{dir}/{name}-phone.png")).await;
        }
    }
}

/// The page at `path` (already open) passes axe-core at 1280 px and fits a 390 px phone.
pub(crate) async fn accessible_and_fits(browser: &Browser, path: &str) {
    // Resized, not reloaded: a page that answered a form must not send it again.
    browser.set_window_size(1280, 900).await;
    browser.find("main#main").await;
    assert_accessible(browser, path).await;
    browser.set_window_size(390, 844).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    browser.find("main#main").await;
    assert_accessible(browser, &format!("{path} (phone)")).await;
    fits(browser, &format!("{path} on a phone")).await;
    browser.set_window_size(1280, 900).await;
}

/// The open page does not scroll sideways at the window's width.
pub(crate) async fn fits(browser: &Browser, what: &str) {
    let widths = browser
        .execute(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]",
            vec![],
        )
        .await;
    assert!(
        widths[0].as_i64() <= widths[1].as_i64(),
        "{what} scrolls sideways: {widths}"
    );
}
