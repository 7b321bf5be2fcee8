//! The UI matrix, generated from the UI's route table: every `.route("…", …)` of
//! `crates/spoc-ui/src` (under `/admin` for the admin pages) whose address has a `{parameter}`
//! has an entry in [`CASES`]. Tenant A's customer, agent, lead and admin, signed in, ask for
//! each address with tenant B's ids — pages by GET, forms by POST with a valid CSRF token — and
//! get what a missing id gets (the admin: the 404 page), and nothing of tenant B changes.

use std::path::{Path, PathBuf};

use reqwest::Method;

use super::dump::{differences, dump};
use super::{Member, fill, fill_with, first, second};
use crate::both_backends;
use crate::harness::Desk;

/// `(METHOD route, address with @b.name, extra form fields)`. A new UI route with a parameter
/// needs one line here.
pub const CASES: &[(&str, &str, &str)] = &[
    (
        "GET /admin/mail/inbound/{id}",
        "/admin/mail/inbound/@b.inbound",
        "",
    ),
    (
        "GET /admin/mail/inbound/{id}/raw",
        "/admin/mail/inbound/@b.inbound/raw",
        "",
    ),
    (
        "POST /admin/mail/inbound/{id}/release",
        "/admin/mail/inbound/@b.inbound/release",
        "action=dismiss",
    ),
    (
        "POST /admin/mail/outbox/{id}/retry",
        "/admin/mail/outbox/@b.outbox/retry",
        "",
    ),
    (
        "GET /admin/mail/mailboxes/{id}",
        "/admin/mail/mailboxes/@b.mailbox",
        "",
    ),
    (
        "POST /admin/mail/mailboxes/{id}",
        "/admin/mail/mailboxes/@b.mailbox",
        "name=taken&address=taken%40spoc.test",
    ),
    (
        "POST /admin/organizations/{id}/domains",
        "/admin/organizations/@b.organization/domains",
        "domains=taken.example",
    ),
    ("GET /admin/groups/{id}", "/admin/groups/@b.group", ""),
    (
        "POST /admin/groups/{id}",
        "/admin/groups/@b.group",
        "name=Taken&tier=2",
    ),
    (
        "POST /admin/groups/{id}/members",
        "/admin/groups/@b.group/members",
        "user_id=@a.agent",
    ),
    (
        "POST /admin/groups/{id}/members/{user_id}/remove",
        "/admin/groups/@b.group/members/@b.agent/remove",
        "",
    ),
    ("GET /admin/users/{id}", "/admin/users/@b.customer", ""),
    (
        "POST /admin/users/{id}",
        "/admin/users/@b.customer",
        "name=Taken&role=customer",
    ),
    (
        "GET /admin/sla/calendars/{id}",
        "/admin/sla/calendars/@b.calendar",
        "",
    ),
    (
        "POST /admin/sla/calendars/{id}",
        "/admin/sla/calendars/@b.calendar",
        "name=Taken&time_zone=UTC&always_open=on",
    ),
    (
        "GET /admin/sla/policies/{id}",
        "/admin/sla/policies/@b.sla_policy",
        "",
    ),
    (
        "POST /admin/sla/policies/{id}",
        "/admin/sla/policies/@b.sla_policy",
        "name=Taken&position=7&calendar_id=@a.calendar&warning_percent=80&first_response_1=10&first_response_2=20&first_response_3=30&first_response_4=40&first_response_5=50&resolution_1=100&resolution_2=200&resolution_3=300&resolution_4=400&resolution_5=500",
    ),
    (
        "POST /admin/sla/policies/{id}/reapply",
        "/admin/sla/policies/@b.sla_policy/reapply",
        "",
    ),
    ("GET /desk/sops/{id}", "/desk/sops/@b.sop", ""),
    ("GET /desk/sops/{id}/edit", "/desk/sops/@b.sop/edit", ""),
    (
        "POST /desk/sops/{id}/edit",
        "/desk/sops/@b.sop/edit",
        "title=Taken&purpose=Taken&scope=Taken&trigger=Taken&roles=Analyst%3A%20does%20it&inputs=An%20id&steps=verify%3A%20Verify%20it.&change_summary=Taken",
    ),
    (
        "GET /desk/sops/{id}/diff",
        "/desk/sops/@b.sop/diff?from=1&to=1",
        "",
    ),
    (
        "POST /desk/sops/{id}/settings",
        "/desk/sops/@b.sop/settings",
        "owner_id=@a.agent",
    ),
    (
        "POST /desk/sops/{id}/restore/{version}",
        "/desk/sops/@b.sop/restore/1",
        "",
    ),
    (
        "POST /desk/sops/{id}/act/{action}",
        "/desk/sops/@b.sop/act/submit",
        "",
    ),
    (
        "POST /desk/sops/{id}/review",
        "/desk/sops/@b.sop/review",
        "note=Taken",
    ),
    (
        "GET /login/reset/{secret}",
        "",
        "a random secret, not an id: it names its person and tenant itself",
    ),
    (
        "POST /login/reset/{secret}",
        "",
        "a random secret, not an id: it names its person and tenant itself",
    ),
    (
        "POST /admin/directories/{id}/sync",
        "/admin/directories/@b.directory/sync",
        "",
    ),
    (
        "POST /admin/scim/{id}/revoke",
        "/admin/scim/@b.scim_token/revoke",
        "",
    ),
    (
        "POST /admin/sign-in/{id}/delete",
        "/admin/sign-in/@b.oidc/delete",
        "",
    ),
    (
        "GET /admin/users/{id}/data",
        "/admin/users/@b.customer/data",
        "",
    ),
    (
        "POST /admin/users/{id}/erase",
        "/admin/users/@b.customer/erase",
        "confirm=on&erase_texts=on",
    ),
    (
        "GET /admin/tenants/{id}",
        "",
        "tenant A is the provider, whose admins manage every tenant by design; a tenant's own admin reaching another: tenant_admin::",
    ),
    (
        "POST /admin/tenants/{id}",
        "",
        "tenant A is the provider, whose admins manage every tenant by design; a tenant's own admin reaching another: tenant_admin::",
    ),
    (
        "POST /admin/tenants/{id}/logo",
        "",
        "tenant A is the provider, whose admins manage every tenant by design; a tenant's own admin reaching another: tenant_admin::",
    ),
    (
        "GET /t/{slug}",
        "",
        "a tenant's public portal address: its sign-in page and brand, shown to anyone by design",
    ),
    (
        "GET /t/{slug}/logo",
        "",
        "a tenant's public portal address: its sign-in page and brand, shown to anyone by design",
    ),
    (
        "GET /t/{slug}/brand.css",
        "",
        "a tenant's public portal address: its sign-in page and brand, shown to anyone by design",
    ),
    (
        "GET /auth/oidc/{provider}/login",
        "",
        "a provider's slug within the tenant the visit names; another tenant's slug is 404: oidc::",
    ),
    (
        "GET /auth/oidc/{provider}/callback",
        "",
        "a provider's slug within the tenant the visit names; the sign-in it finishes is bound to this browser: oidc::",
    ),
    (
        "POST /account/tokens/{id}/revoke",
        "/account/tokens/@b.token/revoke",
        "",
    ),
    (
        "POST /account/sessions/{id}/end",
        "/account/sessions/@b.session/end",
        "",
    ),
    (
        "POST /desk/notifications/{id}/read",
        "/desk/notifications/@b.notification/read",
        "",
    ),
    (
        "POST /desk/views/{id}/rename",
        "/desk/views/@b.view/rename",
        "name=Taken",
    ),
    (
        "POST /desk/views/{id}/delete",
        "/desk/views/@b.view/delete",
        "",
    ),
    ("GET /desk/tickets/{id}", "/desk/tickets/@b.ticket", ""),
    (
        "POST /desk/tickets/{id}/act/{action}",
        "/desk/tickets/@b.ticket/act/start",
        "version=1",
    ),
    (
        "GET /desk/tickets/{id}/emails/{mail}",
        "/desk/tickets/@b.mail_ticket/emails/@b.inbound",
        "",
    ),
    (
        "POST /desk/tickets/{id}/sop/step",
        "/desk/tickets/@b.ticket/sop/step",
        "step=verify&done=on",
    ),
    (
        "POST /desk/tickets/{id}/sop/answer",
        "/desk/tickets/@b.ticket/sop/answer",
        "step=verify&answer=Call-back",
    ),
    (
        "POST /desk/tickets/{id}/articles",
        "/desk/tickets/@b.ticket/articles",
        "article_id=@a.article",
    ),
    (
        "POST /desk/canned/{id}",
        "/desk/canned/@b.canned",
        "title=Taken&body=Taken",
    ),
    (
        "POST /desk/canned/{id}/delete",
        "/desk/canned/@b.canned/delete",
        "",
    ),
    (
        "POST /desk/tickets/{id}/comment",
        "/desk/tickets/@b.ticket/comment",
        "body=Taken",
    ),
    (
        "POST /desk/tickets/{id}/edit",
        "/desk/tickets/@b.ticket/edit",
        "title=Taken&version=1",
    ),
    (
        "POST /desk/tickets/{id}/links",
        "/desk/tickets/@b.ticket/links",
        "ticket=@a.ticket",
    ),
    ("GET /attachments/{id}", "/attachments/@b.attachment", ""),
    (
        "GET /static/{file}",
        "",
        "the desk's own style sheets and scripts, the same for everyone",
    ),
    ("GET /desk/kb/{id}", "/desk/kb/@b.article", ""),
    ("GET /desk/kb/{id}/edit", "/desk/kb/@b.article/edit", ""),
    (
        "POST /desk/kb/{id}/edit",
        "/desk/kb/@b.article/edit",
        "kind=how_to&audience=agents&title=Taken&body=Taken&change_summary=Taken",
    ),
    (
        "GET /desk/kb/{id}/diff",
        "/desk/kb/@b.article/diff?from=1&to=1",
        "",
    ),
    (
        "POST /desk/kb/{id}/act/{action}",
        "/desk/kb/@b.draft/act/publish",
        "",
    ),
    (
        "POST /desk/kb/{id}/restore/{version}",
        "/desk/kb/@b.article/restore/1",
        "",
    ),
    ("GET /portal/tickets/{id}", "/portal/tickets/@b.ticket", ""),
    (
        "POST /portal/tickets/{id}/reply",
        "/portal/tickets/@b.ticket/reply",
        "body=Taken",
    ),
    (
        "POST /portal/tickets/{id}/confirm",
        "/portal/tickets/@b.ticket/confirm",
        "",
    ),
    (
        "POST /portal/tickets/{id}/reopen",
        "/portal/tickets/@b.ticket/reopen",
        "reason=Taken",
    ),
    (
        "POST /portal/tickets/{id}/cancel",
        "/portal/tickets/@b.ticket/cancel",
        "reason=Taken",
    ),
    ("GET /portal/kb/{id}", "/portal/kb/@b.article", ""),
    (
        "POST /portal/kb/{id}/solved",
        "/portal/kb/@b.article/solved",
        "",
    ),
    (
        "POST /portal/kb/{id}/feedback",
        "/portal/kb/@b.article/feedback",
        "helpful=no",
    ),
    (
        "GET /mail-actions/{secret}",
        "",
        "a signed secret, not an id: it names its ticket and tenant itself",
    ),
    (
        "POST /mail-actions/{secret}",
        "",
        "a signed secret, not an id: it names its ticket and tenant itself",
    ),
    (
        "POST /admin/tenants/{id}/mail-addresses",
        "",
        "tenant A is the provider, whose admins manage every tenant's addresses by design; a tenant's own admin reaching another: mail_tenants::",
    ),
    (
        "POST /desk/kb/{id}/share",
        "/desk/kb/@b.article/share",
        "shared=yes",
    ),
    (
        "POST /admin/tenants/{id}/grants",
        "",
        "tenant A is the provider, whose admins grant its agents work in other tenants by design; anyone else is refused: grants::",
    ),
    (
        "POST /admin/tenants/{id}/grants/{grant}/delete",
        "",
        "tenant A is the provider, whose admins grant its agents work in other tenants by design; anyone else is refused: grants::",
    ),
    (
        "POST /admin/tenants/{id}/logo/remove",
        "",
        "tenant A is the provider, whose admins manage every tenant by design; a tenant's own admin reaching another: tenant_admin::",
    ),
    (
        "POST /desk/sops/{id}/provider-wide",
        "/desk/sops/@b.sop/provider-wide",
        "provider_wide=yes",
    ),
];

fn ui_source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spoc-ui/src")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of a call from just after its opening parenthesis to its matching close.
fn call_text(text: &str) -> &str {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[..i];
                }
            }
            _ => {}
        }
    }
    text
}

/// `(METHOD, address)` of every route of the UI whose address has a parameter.
pub fn routes_with_parameters() -> Vec<String> {
    let root = ui_source();
    let mut all = Vec::new();
    files(&root, &mut all);
    let mut out = Vec::new();
    for file in all {
        let text = std::fs::read_to_string(&file).unwrap();
        let prefix = if file.strip_prefix(&root).unwrap().starts_with("admin") {
            "/admin"
        } else {
            ""
        };
        for (at, _) in text.match_indices(".route(") {
            let call = call_text(&text[at + ".route(".len()..]);
            let Some(path) = call
                .trim_start()
                .strip_prefix('"')
                .and_then(|p| p.split('"').next())
            else {
                // A constant address (`PATH`): those pages take no parameter.
                continue;
            };
            if !path.contains('{') {
                continue;
            }
            for method in ["get", "post", "put", "patch", "delete"] {
                let called = call.match_indices(&format!("{method}(")).any(|(i, _)| {
                    i == 0 || !call[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                });
                if called {
                    out.push(format!("{} {prefix}{path}", method.to_uppercase()));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Sends a form (or a GET) as `who`'s browser session, following no redirect.
async fn send(
    desk: &Desk,
    method: &Method,
    path: &str,
    who: &Member,
    fields: &str,
) -> (u16, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = client
        .request(method.clone(), format!("{}{path}", desk.base))
        .header("cookie", &who.session.0);
    if *method == Method::POST {
        let mut body = format!("csrf={}", who.session.1);
        if !fields.is_empty() {
            body.push('&');
            body.push_str(fields);
        }
        request = request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

both_backends! {
    /// Every UI route with a parameter has a case; tenant A's people asking for tenant B's
    /// objects get what a missing id gets (the admin: 404), and no form changes tenant B.
    async fn ui_routes_never_reach_another_tenant(desk: Desk) {
        let routes = routes_with_parameters();
        assert!(routes.len() > 40, "the UI's routes were found: {routes:?}");
        let missing: Vec<&String> = routes.iter().filter(|r| !CASES.iter().any(|(name, _, _)| name == r)).collect();
        assert!(missing.is_empty(), "UI routes without an isolation case in isolation::ui::CASES: {missing:?}");
        let stale: Vec<&str> = CASES.iter().map(|(name, _, _)| *name).filter(|n| !routes.iter().any(|r| r == n)).collect();
        assert!(stale.is_empty(), "cases for UI routes that are gone: {stale:?}");

        let a = first(&desk).await;
        let b = second(&desk).await;
        let before = dump(&desk, b.tenant.get()).await;
        let mut failures = Vec::new();
        for (route, template, fields) in CASES {
            if template.is_empty() {
                continue;
            }
            let method = Method::from_bytes(route.split(' ').next().unwrap().as_bytes()).unwrap();
            let path = fill(template, &a, &b);
            let fields = fill(fields, &a, &b);
            let nowhere = fill_with(template, &|side, name| if side == 'a' { a.id(name).to_owned() } else { "987654321".to_owned() });
            for (role, member) in a.actors() {
                let theirs = send(&desk, &method, &path, member, &fields).await;
                let none = send(&desk, &method, &nowhere, member, &fields).await;
                let refused = matches!(theirs.0, 303 | 403 | 404);
                if theirs.0 != none.0 || !refused || (role == "admin" && theirs.0 != 404 && !template.starts_with("/portal")) {
                    failures.push(format!("{route} as tenant A's {role} → {path}: {} (a missing id: {})", theirs.0, none.0));
                }
            }
            if method == Method::POST {
                for change in differences(&before, &dump(&desk, b.tenant.get()).await) {
                    failures.push(format!("{route} changed tenant B's rows: {change}"));
                }
            }
        }
        assert!(failures.is_empty(), "{} leaks:\n{}", failures.len(), failures.join("\n"));
        // The pages are really there for their own tenant: one of B's people sees each.
        for (route, template, _) in CASES {
            if template.is_empty() || !route.starts_with("GET ") {
                continue;
            }
            let path = fill(template, &b, &b);
            let mut statuses = Vec::new();
            for (_, member) in b.actors() {
                statuses.push(send(&desk, &Method::GET, &path, member, "").await.0);
            }
            assert!(statuses.contains(&200), "{route} → {path}: none of tenant B sees it: {statuses:?}");
        }
    }
}
