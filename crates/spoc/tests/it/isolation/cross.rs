//! Across tenants, beyond single objects: what tenant A's people see in lists, counts, reports,
//! search, suggestions and notifications does not move when tenant B works; desk and portal pages
//! never show B's words or people; bulk actions naming B's tickets change nothing of B; and a
//! reply carrying B's message reference, delivered to A, never joins B's ticket. (Live updates:
//! `live::a_listener_hears_nothing_of_another_tenant`.)

use reqwest::Method;
use serde_json::json;

use super::dump::{differences, dump};
use super::{Side, fill, first, second};
use crate::both_backends;
use crate::harness::Desk;

/// What tenant A's people read that counts, lists, finds or suggests: none of it may change
/// when only tenant B works.
const READS: &[&str] = &[
    "/api/v1/tickets?limit=500",
    "/api/v1/reports/sla",
    "/api/v1/reports/self-service",
    "/api/v1/reports/sop-outcomes",
    "/api/v1/sop-reviews",
    "/api/v1/me/notifications",
    "/api/v1/users?limit=500",
    "/api/v1/groups",
    "/api/v1/articles?limit=200",
    "/api/v1/sops",
    "/api/v1/outbox?limit=200",
    "/api/v1/inbound-messages?limit=200",
    "/api/v1/views",
    "/api/v1/canned-responses",
    "/api/v1/categories",
    "/api/v1/services",
    "/api/v1/calendars",
    "/api/v1/sla-policies",
    "/api/v1/organizations",
    "/api/v1/search?q=Zebracorn",
    "/api/v1/search?q=quux",
    "/api/v1/portal/suggestions?q=Zebracorn",
    "/api/v1/articles?q=Zebracorn",
];

/// Desk and portal pages (lists, counts, search, suggestions, the lead's overview, the
/// notification badge) that must never show tenant B's words or people.
const PAGES: &[&str] = &[
    "/desk",
    "/desk?queue=all",
    "/desk/search?q=Zebracorn",
    "/portal/search?q=Zebracorn",
    "/desk/notifications",
    "/desk/notifications/unread",
    "/desk/lead",
    "/desk/reports",
    "/desk/reports/self-service",
    "/desk/kb?q=Zebracorn",
    "/portal/kb?q=Zebracorn",
    "/desk/new?q=Zebracorn",
    "/desk/sops",
    "/portal",
    "/portal/tickets",
    "/admin/users",
    "/admin/mail/inbound",
    "/admin/mail/outbox",
];

async fn reads(desk: &Desk, a: &Side) -> Vec<String> {
    let mut out = Vec::new();
    for (role, member) in a
        .actors()
        .into_iter()
        .chain([("super user", &a.super_user)])
    {
        for path in READS {
            let answer = desk.get(&member.person, path).await;
            out.push(format!("{role} {path}: {} {}", answer.status, answer.text));
        }
    }
    out
}

async fn page(desk: &Desk, path: &str, session: &(String, String)) -> (u16, String) {
    let response = desk
        .http
        .get(format!("{}{path}", desk.base))
        .header("cookie", &session.0)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

both_backends! {
    /// Tenant B logs, assigns, mentions, writes and publishes; tenant A's lists, counts,
    /// reports, search, suggestions and notifications stay exactly as they were, and no page of
    /// A's shows B's words or people.
    async fn counts_search_and_suggestions_stay_in_their_tenant(desk: Desk) {
        let a = first(&desk).await;
        let b = second(&desk).await;
        let seen = reads(&desk, &a).await;

        // Tenant B works: a ticket with a word of its own, assigned, a note mentioning its agent
        // (whose name A's agent shares), an article with the word, published.
        let ticket = desk.post(&b.customer.person, "/tickets", json!({
            "kind": "incident", "title": "Zebracorn printer quux", "description": "Zebracorn quux everywhere",
            "impact": "high", "urgency": "high",
        })).await.expect(201).body;
        let id = ticket["id"].as_i64().unwrap();
        desk.post(&b.admin.person, &format!("/tickets/{id}/actions/assign"), json!({"group_id": b.num("group"), "assignee_id": b.agent.person.id}))
            .await
            .expect(200);
        desk.post(&b.lead.person, &format!("/tickets/{id}/comments"), json!({"body": "@Isolated agent: Zebracorn quux again", "internal": true}))
            .await
            .expect(201);
        desk.post(&b.agent.person, &format!("/tickets/{id}/comments"), json!({"body": "Zebracorn quux replaced."})).await.expect(201);
        let article = crate::knowledge::article(&desk, &b.lead.person, "customers", "Zebracorn quux fix", "Zebracorn quux: replace it.").await;
        crate::knowledge::publish(&desk, &b.lead.person, article).await;
        let b_email = desk.get(&b.admin.person, &format!("/users/{}", b.customer.person.id)).await.expect(200).body["email"]
            .as_str()
            .unwrap()
            .to_owned();
        // Tenant B's own people do find it.
        let found = desk.get(&b.agent.person, "/api/v1/search?q=Zebracorn").await.expect(200).body;
        assert!(found.to_string().contains("quux"), "{found}");

        let now = reads(&desk, &a).await;
        let moved: Vec<String> = seen
            .iter()
            .zip(&now)
            .filter(|(before, after)| before != after)
            .map(|(before, after)| format!("before: {before}\nafter:  {after}"))
            .collect();
        assert!(moved.is_empty(), "tenant A's reads moved when tenant B worked:\n{}", moved.join("\n"));

        let mut shown = Vec::new();
        for (role, member) in a.actors() {
            for path in PAGES {
                let (status, text) = page(&desk, path, &member.session).await;
                for secret in ["quux", b_email.as_str(), &b.customer.email, &b.agent.email] {
                    if text.contains(secret) {
                        shown.push(format!("{role} {path} ({status}) shows {secret}"));
                    }
                }
            }
        }
        assert!(shown.is_empty(), "tenant B's words on tenant A's pages:\n{}", shown.join("\n"));
    }

    /// A bulk action on the queue naming tenant B's tickets beside A's own changes nothing of B.
    async fn bulk_actions_never_touch_another_tenants_tickets(desk: Desk) {
        let a = first(&desk).await;
        let b = second(&desk).await;
        let before = dump(&desk, b.tenant.get()).await;
        for (role, member) in a.actors() {
            for fields in ["ticket=@b.ticket&action=start", "ticket=@a.other_ticket&ticket=@b.ticket&ticket=@b.other_ticket&action=close"] {
                let body = format!("csrf={}&{}", member.session.1, fill(fields, &a, &b));
                let answer = desk
                    .http
                    .post(format!("{}/desk/bulk", desk.base))
                    .header("cookie", &member.session.0)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                let status = answer.status().as_u16();
                let after = dump(&desk, b.tenant.get()).await;
                assert!(differences(&before, &after).is_empty(), "bulk {fields} as tenant A's {role} ({status}) changed tenant B: {:?}", differences(&before, &after));
            }
        }
    }

    /// A reply naming tenant B's message (In-Reply-To, References) and B's ticket reference,
    /// delivered to tenant A, starts or joins a ticket of A's only; B's ticket hears nothing.
    async fn mail_threading_never_joins_another_tenants_ticket(desk: Desk) {
        let a = first(&desk).await;
        let b = second(&desk).await;
        let inbound = desk.get(&b.admin.person, &format!("/inbound-messages/{}", b.id("inbound"))).await.expect(200).body;
        let message_id = inbound["message_id"].as_str().unwrap().to_owned();
        let number = desk.get(&b.admin.person, &format!("/tickets/{}", b.id("mail_ticket"))).await.expect(200).body["number"]
            .as_str()
            .unwrap()
            .to_owned();
        let events = format!("/tickets/{}/events", b.id("mail_ticket"));
        let before = desk.get(&b.admin.person, &events).await.expect(200).body;
        let raw = crate::mail::mail(
            &b.customer.email,
            &format!("Re: [{number}] Isolated mail"),
            &format!("<{}@example.test>", crate::harness::unique("reply")),
            &[&format!("In-Reply-To: <{message_id}>"), &format!("References: <{message_id}>")],
            "A reply for the other tenant.",
        );
        let result = desk
            .send(Method::POST, "/mail/inbound", Some(&a.admin.person.token), &[], Some(("message/rfc822", raw)))
            .await
            .expect(201)
            .body;
        assert_ne!(result["ticket_id"].to_string(), b.id("mail_ticket"), "{result}");
        assert_eq!(desk.get(&b.admin.person, &events).await.expect(200).body, before, "{result}");
        desk.get(&a.admin.person, &format!("/tickets/{}", result["ticket_id"])).await.expect(200);
        // The message is tenant A's: A's admin reads it, B's does not.
        let id = result["inbound_id"].as_i64().unwrap();
        desk.get(&a.admin.person, &format!("/inbound-messages/{id}")).await.expect(200);
        desk.get(&b.admin.person, &format!("/inbound-messages/{id}")).await.problem(404, "not_found");
    }
}
