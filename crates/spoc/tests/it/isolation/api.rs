//! The API matrix, generated from the OpenAPI document the server serves: every operation has an
//! entry in [`CASES`] — either the address to call with tenant B's ids (and the body to send,
//! naming only tenant A's own objects) or the reason it names no object by its path. Tenant A's
//! customer, agent, lead and admin each call every address: the answer is the one a missing id
//! gets (404 for the admin, who may do everything), and no write changes a row of tenant B.

use reqwest::Method;

use super::dump::{differences, dump};
use super::{fill, fill_with, first, second};
use crate::both_backends;
use crate::harness::{Answer, Desk};

/// How an operation is checked.
pub enum Case {
    /// The address with `@b.name` for tenant B's object called `name`, and the JSON body (`""`
    /// for none), where `@a.name` names tenant A's own objects.
    Ids(&'static str, &'static str),
    /// No object in the path; why that is safe, or where its body's ids are checked.
    Neutral(&'static str),
}

use Case::{Ids, Neutral};

const LIST: &str = "lists only the caller's tenant: isolation::cross";
const CREATE: &str = "creates in the caller's tenant and names no other object";
const BODY: &str = "names objects in its body: isolation::writes";
const OWN: &str = "the caller's own account or session";
const SETTING: &str = "the caller's tenant's own setting";
const PROVIDER: &str = "tenant A is the provider, whose admins manage every tenant by design; a \
    tenant's own admin reaching another tenant: tenant_admin::";

const GRANTS: &str = "tenant A is the provider, whose admins grant its agents work in other tenants \
    by design; anyone else, a tenant's own admin included, is refused and a group of another \
    tenant in the body writes nothing: grants::";

/// One entry per operation of the OpenAPI document, by `METHOD path`. A new operation needs one
/// line here.
pub const CASES: &[(&str, Case)] = &[
    ("GET /api/v1/articles", Neutral(LIST)),
    ("POST /api/v1/articles", Neutral(BODY)),
    (
        "GET /api/v1/articles/{id}",
        Ids("/api/v1/articles/@b.article", ""),
    ),
    (
        "POST /api/v1/articles/{id}/actions/{action}",
        Ids("/api/v1/articles/@b.draft/actions/publish", "{}"),
    ),
    (
        "GET /api/v1/articles/{id}/diff",
        Ids("/api/v1/articles/@b.article/diff?from=1&to=1", ""),
    ),
    (
        "POST /api/v1/articles/{id}/feedback",
        Ids(
            "/api/v1/articles/@b.article/feedback",
            r#"{"helpful": false}"#,
        ),
    ),
    (
        "GET /api/v1/articles/{id}/versions",
        Ids("/api/v1/articles/@b.article/versions", ""),
    ),
    (
        "POST /api/v1/articles/{id}/versions",
        Ids(
            "/api/v1/articles/@b.article/versions",
            r#"{"kind": "how_to", "audience": "customers", "title": "Taken over", "body": "Taken over", "change_summary": "Taken over", "version": 1}"#,
        ),
    ),
    (
        "GET /api/v1/articles/{id}/versions/{version}",
        Ids("/api/v1/articles/@b.article/versions/1", ""),
    ),
    (
        "POST /api/v1/articles/{id}/versions/{version}/restore",
        Ids("/api/v1/articles/@b.article/versions/1/restore", "{}"),
    ),
    (
        "GET /api/v1/attachments/{id}",
        Ids("/api/v1/attachments/@b.attachment", ""),
    ),
    (
        "POST /api/v1/auth/login",
        Neutral(
            "signs in by address and password; tenants::one_address_signs_in_to_the_tenant_its_password_opens",
        ),
    ),
    ("POST /api/v1/auth/logout", Neutral(OWN)),
    ("POST /api/v1/auth/logout-everywhere", Neutral(OWN)),
    ("GET /api/v1/calendars", Neutral(LIST)),
    ("POST /api/v1/calendars", Neutral(CREATE)),
    (
        "GET /api/v1/calendars/{id}",
        Ids("/api/v1/calendars/@b.calendar", ""),
    ),
    (
        "PUT /api/v1/calendars/{id}",
        Ids(
            "/api/v1/calendars/@b.calendar",
            r#"{"name": "Taken over", "time_zone": "UTC", "always_open": true}"#,
        ),
    ),
    ("GET /api/v1/canned-responses", Neutral(LIST)),
    ("POST /api/v1/canned-responses", Neutral(CREATE)),
    (
        "GET /api/v1/canned-responses/{id}",
        Ids("/api/v1/canned-responses/@b.canned", ""),
    ),
    (
        "PUT /api/v1/canned-responses/{id}",
        Ids(
            "/api/v1/canned-responses/@b.canned",
            r#"{"title": "Taken over", "body": "Taken over"}"#,
        ),
    ),
    (
        "DELETE /api/v1/canned-responses/{id}",
        Ids("/api/v1/canned-responses/@b.canned", ""),
    ),
    ("GET /api/v1/categories", Neutral(LIST)),
    ("POST /api/v1/categories", Neutral(BODY)),
    ("GET /api/v1/groups", Neutral(LIST)),
    ("POST /api/v1/groups", Neutral(CREATE)),
    (
        "GET /api/v1/groups/{id}",
        Ids("/api/v1/groups/@b.group", ""),
    ),
    (
        "PUT /api/v1/groups/{id}",
        Ids(
            "/api/v1/groups/@b.group",
            r#"{"name": "Taken over", "tier": 2}"#,
        ),
    ),
    (
        "GET /api/v1/groups/{id}/members",
        Ids("/api/v1/groups/@b.group/members", ""),
    ),
    (
        "PUT /api/v1/groups/{id}/members/{user_id}",
        Ids("/api/v1/groups/@b.group/members/@a.agent", ""),
    ),
    (
        "DELETE /api/v1/groups/{id}/members/{user_id}",
        Ids("/api/v1/groups/@b.group/members/@b.agent", ""),
    ),
    ("GET /api/v1/inbound-messages", Neutral(LIST)),
    (
        "GET /api/v1/inbound-messages/{id}",
        Ids("/api/v1/inbound-messages/@b.inbound", ""),
    ),
    (
        "POST /api/v1/inbound-messages/{id}/actions/{action}",
        Ids("/api/v1/inbound-messages/@b.inbound/actions/dismiss", "{}"),
    ),
    (
        "GET /api/v1/inbound-messages/{id}/raw",
        Ids("/api/v1/inbound-messages/@b.inbound/raw", ""),
    ),
    (
        "POST /api/v1/mail/inbound",
        Neutral("delivers into the caller's tenant; threading across tenants: isolation::cross"),
    ),
    ("GET /api/v1/mailboxes", Neutral(LIST)),
    ("POST /api/v1/mailboxes", Neutral(CREATE)),
    (
        "GET /api/v1/mailboxes/{id}",
        Ids("/api/v1/mailboxes/@b.mailbox", ""),
    ),
    (
        "PUT /api/v1/mailboxes/{id}",
        Ids(
            "/api/v1/mailboxes/@b.mailbox",
            r#"{"name": "taken", "address": "taken@spoc.test", "enabled": false}"#,
        ),
    ),
    ("GET /api/v1/me", Neutral(OWN)),
    ("GET /api/v1/me/notification-preferences", Neutral(OWN)),
    ("PUT /api/v1/me/notification-preferences", Neutral(OWN)),
    ("GET /api/v1/me/notifications", Neutral(LIST)),
    (
        "POST /api/v1/me/notifications/{id}/read",
        Ids("/api/v1/me/notifications/@b.notification/read", ""),
    ),
    ("POST /api/v1/me/password", Neutral(OWN)),
    ("GET /api/v1/me/sessions", Neutral(OWN)),
    (
        "DELETE /api/v1/me/sessions/{id}",
        Ids("/api/v1/me/sessions/@b.session", ""),
    ),
    ("GET /api/v1/me/tokens", Neutral(OWN)),
    ("POST /api/v1/me/tokens", Neutral(OWN)),
    (
        "DELETE /api/v1/me/tokens/{id}",
        Ids("/api/v1/me/tokens/@b.token", ""),
    ),
    (
        "GET /api/v1/openapi.json",
        Neutral("the same document for everyone"),
    ),
    ("GET /api/v1/organizations", Neutral(LIST)),
    ("POST /api/v1/organizations", Neutral(CREATE)),
    (
        "GET /api/v1/organizations/{id}/email-domains",
        Ids("/api/v1/organizations/@b.organization/email-domains", ""),
    ),
    (
        "PUT /api/v1/organizations/{id}/email-domains",
        Ids(
            "/api/v1/organizations/@b.organization/email-domains",
            r#"{"domains": ["taken-over.example"]}"#,
        ),
    ),
    ("GET /api/v1/outbox", Neutral(LIST)),
    (
        "POST /api/v1/outbox/{id}/actions/retry",
        Ids("/api/v1/outbox/@b.outbox/actions/retry", ""),
    ),
    ("POST /api/v1/portal/deflections", Neutral(BODY)),
    (
        "GET /api/v1/portal/suggestions",
        Neutral("suggestions: isolation::cross"),
    ),
    (
        "GET /api/v1/reports/self-service",
        Neutral("counts: isolation::cross"),
    ),
    (
        "GET /api/v1/reports/sla",
        Neutral("counts: isolation::cross"),
    ),
    (
        "GET /api/v1/reports/sop-outcomes",
        Neutral("counts: isolation::cross"),
    ),
    ("GET /api/v1/search", Neutral("search: isolation::cross")),
    ("GET /api/v1/services", Neutral(LIST)),
    ("POST /api/v1/services", Neutral(CREATE)),
    ("GET /api/v1/settings/auto-close", Neutral(SETTING)),
    ("PUT /api/v1/settings/auto-close", Neutral(SETTING)),
    ("GET /api/v1/settings/default-group", Neutral(SETTING)),
    ("PUT /api/v1/settings/default-group", Neutral(BODY)),
    ("GET /api/v1/settings/mail", Neutral(SETTING)),
    ("PUT /api/v1/settings/mail", Neutral(SETTING)),
    ("GET /api/v1/settings/mail-authentication", Neutral(SETTING)),
    ("PUT /api/v1/settings/mail-authentication", Neutral(SETTING)),
    ("GET /api/v1/settings/priority-matrix", Neutral(SETTING)),
    ("PUT /api/v1/settings/priority-matrix", Neutral(SETTING)),
    ("GET /api/v1/settings/rate-limits", Neutral(SETTING)),
    ("PUT /api/v1/settings/rate-limits", Neutral(SETTING)),
    ("GET /api/v1/sla-policies", Neutral(LIST)),
    ("POST /api/v1/sla-policies", Neutral(BODY)),
    (
        "GET /api/v1/sla-policies/{id}",
        Ids("/api/v1/sla-policies/@b.sla_policy", ""),
    ),
    (
        "PUT /api/v1/sla-policies/{id}",
        Ids(
            "/api/v1/sla-policies/@b.sla_policy",
            r#"{"name": "Taken over", "position": 7, "calendar_id": @a.calendar, "terms": "$terms"}"#,
        ),
    ),
    (
        "POST /api/v1/sla-policies/{id}/actions/reapply",
        Ids("/api/v1/sla-policies/@b.sla_policy/actions/reapply", ""),
    ),
    ("GET /api/v1/sop-reviews", Neutral(LIST)),
    ("GET /api/v1/sops", Neutral(LIST)),
    ("POST /api/v1/sops", Neutral(BODY)),
    (
        "POST /api/v1/sops/import",
        Neutral("imports the seed procedures into the caller's tenant"),
    ),
    ("GET /api/v1/sops/{id}", Ids("/api/v1/sops/@b.sop", "")),
    (
        "POST /api/v1/sops/{id}/actions/{action}",
        Ids("/api/v1/sops/@b.sop/actions/submit", "{}"),
    ),
    (
        "POST /api/v1/sops/{id}/reviews",
        Ids("/api/v1/sops/@b.sop/reviews", r#"{"note": "Taken over"}"#),
    ),
    (
        "PUT /api/v1/sops/{id}/settings",
        Ids(
            "/api/v1/sops/@b.sop/settings",
            r#"{"owner_id": @a.agent, "reviewer_id": @a.lead, "approver_id": @a.admin}"#,
        ),
    ),
    (
        "GET /api/v1/sops/{id}/versions",
        Ids("/api/v1/sops/@b.sop/versions", ""),
    ),
    (
        "POST /api/v1/sops/{id}/versions",
        Ids(
            "/api/v1/sops/@b.sop/versions",
            r#"{"content": "$sop", "change_summary": "Taken over"}"#,
        ),
    ),
    (
        "GET /api/v1/sops/{id}/versions/{version}",
        Ids("/api/v1/sops/@b.sop/versions/1", ""),
    ),
    (
        "POST /api/v1/sops/{id}/versions/{version}/restore",
        Ids("/api/v1/sops/@b.sop/versions/1/restore", "{}"),
    ),
    ("GET /api/v1/tickets", Neutral(LIST)),
    ("POST /api/v1/tickets", Neutral(BODY)),
    (
        "GET /api/v1/tickets/{id}",
        Ids("/api/v1/tickets/@b.ticket", ""),
    ),
    (
        "PATCH /api/v1/tickets/{id}",
        Ids(
            "/api/v1/tickets/@b.ticket",
            r#"{"title": "Taken over", "version": 1}"#,
        ),
    ),
    (
        "POST /api/v1/tickets/{id}/actions/{action}",
        Ids("/api/v1/tickets/@b.ticket/actions/start", "{}"),
    ),
    (
        "GET /api/v1/tickets/{id}/articles",
        Ids("/api/v1/tickets/@b.ticket/articles", ""),
    ),
    (
        "POST /api/v1/tickets/{id}/articles",
        Ids(
            "/api/v1/tickets/@b.ticket/articles",
            r#"{"article_id": @a.article}"#,
        ),
    ),
    (
        "GET /api/v1/tickets/{id}/attachments",
        Ids("/api/v1/tickets/@b.ticket/attachments", ""),
    ),
    (
        "POST /api/v1/tickets/{id}/checklist",
        Ids(
            "/api/v1/tickets/@b.ticket/checklist",
            r#"{"step": "verify", "done": true}"#,
        ),
    ),
    (
        "GET /api/v1/tickets/{id}/comments",
        Ids("/api/v1/tickets/@b.ticket/comments", ""),
    ),
    (
        "POST /api/v1/tickets/{id}/comments",
        Ids(
            "/api/v1/tickets/@b.ticket/comments",
            r#"{"body": "Taken over"}"#,
        ),
    ),
    (
        "GET /api/v1/tickets/{id}/events",
        Ids("/api/v1/tickets/@b.ticket/events", ""),
    ),
    (
        "GET /api/v1/tickets/{id}/links",
        Ids("/api/v1/tickets/@b.ticket/links", ""),
    ),
    (
        "POST /api/v1/tickets/{id}/links",
        Ids(
            "/api/v1/tickets/@b.ticket/links",
            r#"{"ticket": "@a.ticket"}"#,
        ),
    ),
    (
        "DELETE /api/v1/tickets/{id}/links/{other}",
        Ids("/api/v1/tickets/@b.ticket/links/@b.other_ticket", ""),
    ),
    (
        "POST /api/v1/tickets/{id}/merge",
        Ids(
            "/api/v1/tickets/@b.ticket/merge",
            r#"{"into": "@a.ticket"}"#,
        ),
    ),
    ("GET /api/v1/users", Neutral(LIST)),
    ("POST /api/v1/users", Neutral(BODY)),
    (
        "GET /api/v1/users/{id}",
        Ids("/api/v1/users/@b.customer", ""),
    ),
    (
        "PATCH /api/v1/users/{id}",
        Ids("/api/v1/users/@b.customer", r#"{"name": "Taken over"}"#),
    ),
    ("GET /api/v1/views", Neutral(LIST)),
    ("POST /api/v1/views", Neutral(CREATE)),
    ("GET /api/v1/views/{id}", Ids("/api/v1/views/@b.view", "")),
    (
        "DELETE /api/v1/views/{id}",
        Ids("/api/v1/views/@b.view", ""),
    ),
    (
        "PATCH /api/v1/views/{id}",
        Ids("/api/v1/views/@b.view", r#"{"name": "Taken over"}"#),
    ),
    (
        "GET /api/v1/workers",
        Neutral("the desk's background workers, for the provider's admins"),
    ),
    ("GET /api/v1/audit-log", Neutral(LIST)),
    ("GET /api/v1/settings/retention", Neutral(SETTING)),
    ("PUT /api/v1/settings/retention", Neutral(SETTING)),
    ("GET /api/v1/settings/retention/dry-run", Neutral(SETTING)),
    ("GET /api/v1/settings/two-factor", Neutral(SETTING)),
    ("PUT /api/v1/settings/two-factor", Neutral(SETTING)),
    ("GET /api/v1/me/totp", Neutral(OWN)),
    ("POST /api/v1/me/totp", Neutral(OWN)),
    ("PUT /api/v1/me/totp", Neutral(OWN)),
    ("DELETE /api/v1/me/totp", Neutral(OWN)),
    ("POST /api/v1/me/totp/recovery-codes", Neutral(OWN)),
    ("GET /api/v1/me/export", Neutral(OWN)),
    (
        "POST /api/v1/auth/login/second-factor",
        Neutral("finishes the caller's own sign-in, named by its single-use challenge"),
    ),
    (
        "GET /api/v1/people/{id}/export",
        Ids("/api/v1/people/@b.customer/export", ""),
    ),
    (
        "POST /api/v1/people/{id}/actions/erase",
        Ids("/api/v1/people/@b.customer/actions/erase", "{}"),
    ),
    ("GET /api/v1/oidc-providers", Neutral(LIST)),
    (
        "POST /api/v1/oidc-providers",
        Neutral(
            "creates in the caller's tenant; group rules naming another tenant's group: oidc::",
        ),
    ),
    (
        "GET /api/v1/oidc-providers/{id}",
        Ids("/api/v1/oidc-providers/@b.oidc", ""),
    ),
    (
        "PATCH /api/v1/oidc-providers/{id}",
        Ids(
            "/api/v1/oidc-providers/@b.oidc",
            r#"{"display_name": "Taken over"}"#,
        ),
    ),
    (
        "DELETE /api/v1/oidc-providers/{id}",
        Ids("/api/v1/oidc-providers/@b.oidc", ""),
    ),
    ("GET /api/v1/directories", Neutral(LIST)),
    (
        "POST /api/v1/directories",
        Neutral("creates in the caller's tenant; mappings naming another tenant's group: ldap::"),
    ),
    (
        "GET /api/v1/directories/{id}",
        Ids("/api/v1/directories/@b.directory", ""),
    ),
    (
        "PATCH /api/v1/directories/{id}",
        Ids(
            "/api/v1/directories/@b.directory",
            r#"{"name": "Taken over"}"#,
        ),
    ),
    (
        "DELETE /api/v1/directories/{id}",
        Ids("/api/v1/directories/@b.directory", ""),
    ),
    (
        "POST /api/v1/directories/{id}/actions/sync",
        Ids("/api/v1/directories/@b.directory/actions/sync", "{}"),
    ),
    (
        "POST /api/v1/directories/{id}/actions/test",
        Ids("/api/v1/directories/@b.directory/actions/test", "{}"),
    ),
    ("GET /api/v1/scim-tokens", Neutral(LIST)),
    ("POST /api/v1/scim-tokens", Neutral(CREATE)),
    (
        "DELETE /api/v1/scim-tokens/{id}",
        Ids("/api/v1/scim-tokens/@b.scim_token", ""),
    ),
    ("GET /api/v1/tenants", Neutral(PROVIDER)),
    ("POST /api/v1/tenants", Neutral(PROVIDER)),
    ("GET /api/v1/tenants/{id}", Neutral(PROVIDER)),
    ("PATCH /api/v1/tenants/{id}", Neutral(PROVIDER)),
    ("GET /api/v1/tenants/{id}/logo", Neutral(PROVIDER)),
    ("PUT /api/v1/tenants/{id}/logo", Neutral(PROVIDER)),
    ("GET /healthz", Neutral("health, no data")),
    ("GET /readyz", Neutral("readiness, no data")),
    (
        "GET /api/v1/tenants/{id}/mail-addresses",
        Neutral(PROVIDER_MAIL),
    ),
    (
        "PUT /api/v1/tenants/{id}/mail-addresses",
        Neutral(PROVIDER_MAIL),
    ),
    (
        "PUT /api/v1/articles/{id}/shared",
        Ids("/api/v1/articles/@b.article/shared", r#"{"shared": true}"#),
    ),
    ("GET /api/v1/tenants/{id}/grants", Neutral(GRANTS)),
    ("POST /api/v1/tenants/{id}/grants", Neutral(GRANTS)),
    (
        "DELETE /api/v1/tenants/{id}/grants/{grant_id}",
        Neutral(GRANTS),
    ),
    ("DELETE /api/v1/tenants/{id}/logo", Neutral(PROVIDER)),
    (
        "PUT /api/v1/sops/{id}/provider-wide",
        Ids(
            "/api/v1/sops/@b.sop/provider-wide",
            r#"{"provider_wide": true}"#,
        ),
    ),
];

const PROVIDER_MAIL: &str = "tenant A is the provider, whose admins manage every tenant's \
    addresses by design; a tenant's own admin reaching another tenant: mail_tenants::";

/// The address `path` stands for an operation's path template `template` (the same segments,
/// a `{parameter}` standing for any one).
fn fits(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t.starts_with('{') || t == p)
}

/// Every `METHOD path` of the document the server serves.
pub async fn operations(desk: &Desk) -> Vec<String> {
    let doc = desk
        .send(Method::GET, "/api/v1/openapi.json", None, &[], None)
        .await
        .expect(200)
        .body;
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            if ["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                out.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    out
}

async fn call(desk: &Desk, method: &Method, path: &str, body: &str, token: &str) -> Answer {
    let body = (!body.is_empty()).then(|| ("application/json", body.as_bytes().to_vec()));
    desk.send(method.clone(), path, Some(token), &[], body)
        .await
}

both_backends! {
    /// Every operation of the document has a case; every one naming an object answers tenant
    /// A's customer, agent, lead and admin for tenant B's object as for a missing one (the admin:
    /// 404 problem), and no write changes anything of tenant B.
    async fn api_routes_never_reach_another_tenant(desk: Desk) {
        let ops = operations(&desk).await;
        let missing: Vec<&String> =
            ops.iter().filter(|op| !CASES.iter().any(|(name, _)| name == op)).collect();
        assert!(missing.is_empty(), "operations without an isolation case in isolation::api::CASES: {missing:?}");
        let stale: Vec<&str> =
            CASES.iter().map(|(name, _)| *name).filter(|name| !ops.iter().any(|op| op == name)).collect();
        assert!(stale.is_empty(), "cases for operations the document no longer has: {stale:?}");

        for (op, case) in CASES {
            if let Neutral(why) = case {
                assert!(!why.trim().is_empty(), "{op}: say why it names no object");
            }
        }
        let a = first(&desk).await;
        let b = second(&desk).await;
        let before = dump(&desk, b.tenant.get()).await;
        let mut failures = Vec::new();
        for (op, case) in CASES {
            let Ids(template, body) = case else { continue };
            let (method, path_template) = op.split_once(' ').unwrap();
            assert!(fits(path_template, template), "{op}: the case's address {template} is not of this operation");
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let path = fill(template, &a, &b);
            let body = fill(body, &a, &b);
            let nowhere = fill_with(template, &|side, name| {
                if side == 'a' { a.id(name).to_owned() } else { "987654321".to_owned() }
            });
            for (role, member) in a.actors() {
                let theirs = call(&desk, &method, &path, &body, &member.person.token).await;
                let none = call(&desk, &method, &nowhere, &body, &member.person.token).await;
                let same = theirs.status == none.status && theirs.body["code"] == none.body["code"];
                let problem = theirs.content_type().starts_with("application/problem+json");
                let refused = matches!(theirs.status, 403 | 404);
                if !same || !problem || !refused || (role == "admin" && theirs.status != 404) {
                    failures.push(format!(
                        "{op} as tenant A's {role} → {path}: {} {} (a missing id: {} {})",
                        theirs.status, theirs.text, none.status, none.text
                    ));
                }
            }
            if method != Method::GET {
                let after = dump(&desk, b.tenant.get()).await;
                for change in differences(&before, &after) {
                    failures.push(format!("{op} changed tenant B's rows: {change}"));
                }
            }
        }
        assert!(failures.is_empty(), "{} leaks:\n{}", failures.len(), failures.join("\n"));
        // The fixture's objects are really there for their own tenant: one of B's people reads
        // each of them.
        for (op, case) in CASES {
            let Ids(template, _) = case else { continue };
            if op.starts_with("GET ") {
                let path = fill(template, &b, &b);
                let mut seen = Vec::new();
                for (role, member) in b.actors() {
                    let answer = call(&desk, &Method::GET, &path, "", &member.person.token).await;
                    seen.push(format!("{role}: {}", answer.status));
                    if answer.status == 200 {
                        break;
                    }
                }
                assert!(seen.last().is_some_and(|s| s.ends_with("200")), "{op} → {path}: none of tenant B reads it: {seen:?}");
            }
        }
    }
}
