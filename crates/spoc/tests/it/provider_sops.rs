//! Provider-wide SOPs, on both backends: the provider's leads and admins make one of its SOPs
//! provider-wide; it then applies, in its effective version, to another tenant's tickets whose
//! category has the same name (trimmed, case-insensitive) as one it is linked to, with its steps
//! and checks enforced as for the tenant's own SOPs. The tenant's own SOP wins; another tenant's
//! SOPs and the provider's other SOPs never apply; the tenant reads it but cannot change it.

use serde_json::{Value, json};
use spoc_domain::user::Role;

use crate::both_backends;
use crate::harness::{Desk, Person};
use crate::shared_knowledge::{person_of, tenant};
use crate::sops::{Cast, act, cast, create_sop, make_effective, reset_content};

/// Makes an SOP provider-wide (or not) as `who`.
pub async fn provider_wide(
    desk: &Desk,
    who: &Person,
    sop: i64,
    on: bool,
) -> crate::harness::Answer {
    desk.send(
        reqwest::Method::PUT,
        &format!("/sops/{sop}/provider-wide"),
        Some(&who.token),
        &[],
        Some((
            "application/json",
            json!({ "provider_wide": on }).to_string().into_bytes(),
        )),
    )
    .await
}

/// A category of the desk `who` works at.
async fn category(desk: &Desk, who: &Person, name: &str) -> i64 {
    desk.post(who, "/categories", json!({"name": name}))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap()
}

/// A ticket of `customer` in `category`.
async fn ticket_in(desk: &Desk, customer: &Person, category: i64, title: &str) -> i64 {
    desk.post(
        customer,
        "/tickets",
        json!({
            "kind": "incident", "title": title, "description": format!("{title}: in more words."),
            "impact": "low", "urgency": "medium", "category_id": category,
        }),
    )
    .await
    .expect(201)
    .body["id"]
        .as_i64()
        .unwrap()
}

/// The SOP id a ticket is (or would be) handled under, as `who` sees it.
async fn sop_of(desk: &Desk, who: &Person, ticket: i64) -> Option<i64> {
    desk.get(who, &format!("/tickets/{ticket}"))
        .await
        .expect(200)
        .body["sop"]["id"]
        .as_i64()
}

/// The people of an SOP in another tenant.
async fn cast_of(desk: &Desk, tenant: spoc_domain::TenantId) -> Cast {
    Cast {
        author: person_of(desk, tenant, Role::Lead).await,
        owner: person_of(desk, tenant, Role::Agent).await,
        reviewer: person_of(desk, tenant, Role::Agent).await,
        approver: person_of(desk, tenant, Role::Lead).await,
    }
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

both_backends! {
    /// A provider-wide SOP applies to tenant A's ticket of a category with the same name, and its
    /// checks hold resolve back there as for A's own SOPs; the provider's SOP that is not
    /// provider-wide and tenant B's SOPs never apply to A; A's own SOP wins where both match.
    async fn a_provider_wide_sop_applies_in_another_tenant_by_category_name(desk: Desk) {
        let provider = cast(&desk).await;
        let hardware = category(&desk, &desk.admin, "Hardware").await;
        let network = category(&desk, &desk.admin, "Network").await;
        let wide = create_sop(&desk, &provider, "wide-hardware", reset_content("Provider hardware"),
            json!([{"category_id": hardware}])).await;
        make_effective(&desk, &provider, wide, &provider.author).await;
        let own_only = create_sop(&desk, &provider, "provider-network", reset_content("Provider network"),
            json!([{"category_id": network}])).await;
        make_effective(&desk, &provider, own_only, &provider.author).await;
        // Only the provider's leads and admins make an SOP provider-wide.
        provider_wide(&desk, &provider.owner, wide, true).await.problem(403, "forbidden");
        let marked = provider_wide(&desk, &desk.admin, wide, true).await.expect(200).body;
        assert_eq!((marked["provider_wide"].as_bool(), marked["from_provider"].as_bool()), (Some(true), Some(false)));
        let log = desk.get(&desk.admin, &format!("/sops/{wide}")).await.expect(200).body["log"].to_string();
        assert!(log.contains("\"provider_wide\""), "the governance log records it: {log}");

        let a = tenant(&desk, "Tenant A").await;
        let b = tenant(&desk, "Tenant B").await;
        let a_admin = person_of(&desk, a, Role::Admin).await;
        let a_customer = person_of(&desk, a, Role::Customer).await;
        let b_admin = person_of(&desk, b, Role::Admin).await;
        let a_hardware = category(&desk, &a_admin, "  hardWARE ").await;
        let a_network = category(&desk, &a_admin, "Network").await;
        let a_printer = category(&desk, &a_admin, "Printer").await;
        let b_printer = category(&desk, &b_admin, "Printer").await;
        let b_cast = cast_of(&desk, b).await;
        let b_sop = create_sop(&desk, &b_cast, "b-printer", reset_content("B printer"),
            json!([{"category_id": b_printer}])).await;
        make_effective(&desk, &b_cast, b_sop, &b_cast.author).await;

        // The provider-wide SOP applies to A's hardware ticket, its checks enforced.
        let id = ticket_in(&desk, &a_customer, a_hardware, "Laptop fan loud").await;
        let seen = desk.get(&a_admin, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!((seen["sop"]["id"].as_i64(), seen["sop"]["bound"].as_bool()), (Some(wide), Some(false)), "{seen}");
        let refused = desk.act(&a_admin, id, "resolve", json!({"code": "solved", "notes": "Cleaned."})).await.problem(409, "quality_checks_missing");
        let missing: Vec<&str> = refused.body["missing_checks"].as_array().unwrap().iter().map(|m| m["key"].as_str().unwrap()).collect();
        assert_eq!(missing, vec!["verification", "service", "confirmed"]);
        let ticked = desk.post(&a_admin, &format!("/tickets/{id}/checklist"), json!({"step": "verify", "answer": "Call-back"})).await.expect(200).body;
        assert_eq!((ticked["sop"]["id"].as_i64(), ticked["sop"]["version"].as_i64(), ticked["sop"]["bound"].as_bool()), (Some(wide), Some(1), Some(true)));
        desk.post(&a_admin, &format!("/tickets/{id}/checklist"), json!({"step": "verify", "answer": "Guessed"})).await.problem(422, "validation_failed");
        let refused = desk.act(&a_admin, id, "resolve", json!({"code": "solved", "notes": "Cleaned."})).await.problem(409, "quality_checks_missing");
        let missing: Vec<&str> = refused.body["missing_checks"].as_array().unwrap().iter().map(|m| m["key"].as_str().unwrap()).collect();
        assert_eq!(missing, vec!["service", "confirmed"]);
        // The binding and checklist are A's: the provider's desk never sees A's ticket.
        desk.get(&desk.admin, &format!("/tickets/{id}")).await.problem(404, "not_found");

        // The provider's SOP that is not provider-wide, and B's SOP, never apply to A.
        let net = ticket_in(&desk, &a_customer, a_network, "Wi-Fi drops").await;
        assert_eq!(sop_of(&desk, &a_admin, net).await, None);
        let printer = ticket_in(&desk, &a_customer, a_printer, "Printer jams").await;
        assert_eq!(sop_of(&desk, &a_admin, printer).await, None);
        desk.post(&a_admin, &format!("/tickets/{printer}/checklist"), json!({"step": "verify", "answer": "Call-back"})).await.problem(422, "validation_failed");
        // In the provider's own desk its own SOPs apply as before.
        let provider_customer = desk.person("customer", None, false).await;
        let at_provider = ticket_in(&desk, &provider_customer, network, "Provider's Wi-Fi").await;
        assert_eq!(sop_of(&desk, &desk.admin, at_provider).await, Some(own_only));

        // A's own SOP wins over the provider-wide one for new tickets; the bound one stays.
        let a_cast = cast_of(&desk, a).await;
        let a_sop = create_sop(&desk, &a_cast, "a-hardware", reset_content("A hardware"),
            json!([{"category_id": a_hardware}])).await;
        make_effective(&desk, &a_cast, a_sop, &a_cast.author).await;
        let later = ticket_in(&desk, &a_customer, a_hardware, "Screen flickers").await;
        assert_eq!(sop_of(&desk, &a_admin, later).await, Some(a_sop));
        assert_eq!(sop_of(&desk, &a_admin, id).await, Some(wide));
    }

    /// Another tenant's staff read a provider-wide SOP (effective version only) but cannot edit,
    /// govern, review or mark it (404; marking is the provider's, 403); the provider's other SOPs
    /// and other tenants' SOPs are not found; once it is no longer provider-wide it is gone.
    async fn a_provider_wide_sop_is_read_only_in_another_tenant(desk: Desk) {
        let provider = cast(&desk).await;
        let hardware = category(&desk, &desk.admin, "Hardware").await;
        let wide = create_sop(&desk, &provider, "wide-read", reset_content("Provider read"),
            json!([{"category_id": hardware}])).await;
        make_effective(&desk, &provider, wide, &provider.author).await;
        let hidden = create_sop(&desk, &provider, "provider-hidden", reset_content("Provider hidden"), json!([])).await;
        make_effective(&desk, &provider, hidden, &provider.author).await;
        let a = tenant(&desk, "Tenant A").await;
        let b = tenant(&desk, "Tenant B").await;
        let a_admin = person_of(&desk, a, Role::Admin).await;
        let a_agent = person_of(&desk, a, Role::Agent).await;
        let a_customer = person_of(&desk, a, Role::Customer).await;
        let b_cast = cast_of(&desk, b).await;
        let b_sop = create_sop(&desk, &b_cast, "b-own", reset_content("B own"), json!([])).await;
        // Not yet provider-wide: not found in A.
        desk.get(&a_agent, &format!("/sops/{wide}")).await.problem(404, "not_found");
        provider_wide(&desk, &desk.admin, wide, true).await.expect(200);
        // A new draft at the provider stays the provider's.
        desk.post(&provider.author, &format!("/sops/{wide}/versions"), json!({
            "content": reset_content("Provider read (draft)"), "change_summary": "Rewording", "version": 1,
        })).await.expect(201);

        let a_hardware = category(&desk, &a_admin, "Hardware").await;
        for who in [&a_agent, &a_admin] {
            let list = desk.get(who, "/sops").await.expect(200).body;
            let listed = ids(&list);
            assert!(listed.contains(&wide), "{list}");
            assert!(!listed.contains(&hidden) && !listed.contains(&b_sop), "{list}");
            let read = desk.get(who, &format!("/sops/{wide}")).await.expect(200).body;
            assert_eq!((read["from_provider"].as_bool(), read["title"].as_str()), (Some(true), Some("Provider read")), "{read}");
            assert_eq!(read["versions"].as_array().unwrap().len(), 1, "{read}");
            assert_eq!(read["log"], json!([]));
            assert_eq!(read["links"][0]["category_id"].as_i64(), Some(a_hardware), "links as they apply in A: {read}");
            desk.get(who, &format!("/sops/{wide}/versions/1")).await.expect(200);
            desk.get(who, &format!("/sops/{wide}/versions/2")).await.problem(404, "not_found");
            for other in [hidden, b_sop] {
                desk.get(who, &format!("/sops/{other}")).await.problem(404, "not_found");
            }
            // Editing, governing, reviewing: an SOP that does not exist.
            desk.post(who, &format!("/sops/{wide}/versions"), json!({
                "content": reset_content("Taken over"), "change_summary": "Mine now", "version": 2,
            })).await.problem(404, "not_found");
            for action in ["submit", "retire"] {
                act(&desk, who, wide, action, json!({})).await.problem(404, "not_found");
            }
            desk.post(who, &format!("/sops/{wide}/reviews"), json!({"note": "Looked at it."})).await.problem(404, "not_found");
        }
        // Only the provider marks SOPs provider-wide, its own only.
        provider_wide(&desk, &a_admin, wide, false).await.problem(403, "forbidden");
        provider_wide(&desk, &desk.admin, b_sop, true).await.problem(404, "not_found");
        desk.get(&a_customer, &format!("/sops/{wide}")).await.problem(404, "not_found");

        // No longer provider-wide: gone from A, and from A's ticket that was bound to it.
        let id = ticket_in(&desk, &a_customer, a_hardware, "Dock dead").await;
        desk.post(&a_admin, &format!("/tickets/{id}/checklist"), json!({"step": "reset", "done": true})).await.expect(200);
        provider_wide(&desk, &desk.admin, wide, false).await.expect(200);
        desk.get(&a_agent, &format!("/sops/{wide}")).await.problem(404, "not_found");
        assert!(!ids(&desk.get(&a_agent, "/sops").await.expect(200).body).contains(&wide));
        assert_eq!(sop_of(&desk, &a_admin, id).await, None);
        desk.act(&a_admin, id, "resolve", json!({"code": "solved", "notes": "Replaced."})).await.expect(200);
    }
}
