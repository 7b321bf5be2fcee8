//! Writes on tenant A's own objects that name tenant B's objects in their body: each is refused
//! (4xx) by tenant A's person who may otherwise make it, and nothing of either tenant changes.

use reqwest::Method;

use super::dump::{differences, dump};
use super::{Side, fill, first, second};
use crate::both_backends;
use crate::harness::Desk;

/// `(who of tenant A, METHOD address, body)`: the address names A's objects (`@a.name`), the
/// body at least one of B's (`@b.name`).
pub const WRITES: &[(&str, &str, &str)] = &[
    (
        "customer",
        "POST /api/v1/tickets",
        r#"{"kind": "incident", "title": "Foreign category", "description": "x", "impact": "low", "urgency": "low", "category_id": @b.category}"#,
    ),
    (
        "customer",
        "POST /api/v1/tickets",
        r#"{"kind": "incident", "title": "Foreign service", "description": "x", "impact": "low", "urgency": "low", "service_id": @b.service}"#,
    ),
    (
        "agent",
        "POST /api/v1/tickets",
        r#"{"kind": "incident", "title": "Foreign requester", "description": "x", "impact": "low", "urgency": "low", "requester_id": @b.customer}"#,
    ),
    (
        "admin",
        "PATCH /api/v1/tickets/@a.ticket",
        r#"{"category_id": @b.category}"#,
    ),
    (
        "admin",
        "PATCH /api/v1/tickets/@a.ticket",
        r#"{"service_id": @b.service}"#,
    ),
    (
        "admin",
        "POST /api/v1/tickets/@a.ticket/actions/assign",
        r#"{"group_id": @b.group}"#,
    ),
    (
        "admin",
        "POST /api/v1/tickets/@a.ticket/actions/assign",
        r#"{"group_id": @a.group, "assignee_id": @b.agent}"#,
    ),
    (
        "admin",
        "POST /api/v1/tickets/@a.ticket/actions/escalate",
        r#"{"type": "functional", "group_id": @b.group, "reason": "Foreign group"}"#,
    ),
    (
        "agent",
        "POST /api/v1/tickets/@a.ticket/links",
        r#"{"ticket": "@b.ticket"}"#,
    ),
    (
        "agent",
        "POST /api/v1/tickets/@a.ticket/merge",
        r#"{"into": "@b.ticket"}"#,
    ),
    (
        "agent",
        "POST /api/v1/tickets/@a.ticket/articles",
        r#"{"article_id": @b.article}"#,
    ),
    (
        "lead",
        "POST /api/v1/articles",
        r#"{"kind": "how_to", "audience": "agents", "title": "Foreign category", "body": "x", "category_id": @b.category}"#,
    ),
    (
        "lead",
        "POST /api/v1/articles",
        r#"{"kind": "known_error", "audience": "agents", "title": "Foreign problem", "symptom": "x", "cause": "y", "workaround": "z", "problem_id": @b.ticket}"#,
    ),
    (
        "admin",
        "POST /api/v1/categories",
        r#"{"name": "Foreign parent", "parent_id": @b.category}"#,
    ),
    (
        "admin",
        "POST /api/v1/users",
        r#"{"email": "foreign-org@example.test", "name": "Foreign org", "role": "customer", "organization_id": @b.organization}"#,
    ),
    (
        "admin",
        "PATCH /api/v1/users/@a.customer",
        r#"{"organization_id": @b.organization}"#,
    ),
    ("admin", "PUT /api/v1/groups/@a.group/members/@b.agent", ""),
    (
        "admin",
        "PUT /api/v1/settings/default-group",
        r#"{"group_id": @b.group}"#,
    ),
    (
        "admin",
        "POST /api/v1/sla-policies",
        r#"{"name": "Foreign calendar", "position": 9, "calendar_id": @b.calendar, "terms": "$terms"}"#,
    ),
    (
        "admin",
        "PUT /api/v1/sla-policies/@a.sla_policy",
        r#"{"name": "Foreign calendar", "position": 9, "calendar_id": @b.calendar, "terms": "$terms"}"#,
    ),
    (
        "lead",
        "POST /api/v1/sops",
        r#"{"key": "foreign-owner", "content": "$sop", "change_summary": "x", "owner_id": @b.agent, "reviewer_id": @a.lead, "approver_id": @a.admin}"#,
    ),
    (
        "admin",
        "PUT /api/v1/sops/@a.sop/settings",
        r#"{"owner_id": @b.agent, "reviewer_id": @a.lead, "approver_id": @a.admin}"#,
    ),
    (
        "customer",
        "POST /api/v1/portal/deflections",
        r#"{"article_id": @b.article, "query": "jam"}"#,
    ),
    (
        "admin",
        "POST /api/v1/inbound-messages/@a.inbound/actions/into_ticket",
        r#"{"ticket_id": @b.ticket}"#,
    ),
];

/// Tables that change by the request itself, not by what it asks: the caller's token's last
/// use and session's last sight.
fn calm(mut d: super::dump::Dump) -> super::dump::Dump {
    d.remove("api_tokens");
    d.remove("sessions");
    d
}

fn member<'s>(side: &'s Side, role: &str) -> &'s super::Member {
    side.actors()
        .into_iter()
        .find(|(r, _)| *r == role)
        .map(|(_, m)| m)
        .unwrap()
}

both_backends! {
    /// Every write of [`WRITES`] is refused with a problem, and neither tenant's rows change.
    async fn writes_naming_another_tenants_objects_are_refused(desk: Desk) {
        let a = first(&desk).await;
        let b = second(&desk).await;
        let mut failures = Vec::new();
        for (role, op, body) in WRITES {
            let (method, template) = op.split_once(' ').unwrap();
            let path = fill(template, &a, &b);
            let body = fill(body, &a, &b);
            let before = (calm(dump(&desk, a.tenant.get()).await), calm(dump(&desk, b.tenant.get()).await));
            let answer = desk
                .send(
                    Method::from_bytes(method.as_bytes()).unwrap(),
                    &path,
                    Some(&member(&a, role).person.token),
                    &[],
                    (!body.is_empty()).then(|| ("application/json", body.as_bytes().to_vec())),
                )
                .await;
            if !(400..500).contains(&answer.status) || !answer.content_type().starts_with("application/problem+json") {
                failures.push(format!("{op} {body} as tenant A's {role}: {} {}", answer.status, answer.text));
            }
            let after = (calm(dump(&desk, a.tenant.get()).await), calm(dump(&desk, b.tenant.get()).await));
            for change in differences(&before.0, &after.0).into_iter().chain(differences(&before.1, &after.1)) {
                failures.push(format!("{op} {body} as tenant A's {role} wrote: {change}"));
            }
        }
        assert!(failures.is_empty(), "{} writes across tenants:\n{}", failures.len(), failures.join("\n"));
    }
}
