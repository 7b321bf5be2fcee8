//! Reports as the provider sees them, on both backends: the provider's leads and admins ask each
//! report for one tenant with `?tenant_id=N` and get what that tenant's admin sees; a tenant's
//! people naming another tenant find none, the provider's agents are refused, and counts never
//! mix tenants.

use serde_json::json;
use spoc_domain::user::Role;

use crate::both_backends;
use crate::harness::Desk;
use crate::knowledge::{article, publish};
use crate::shared_knowledge::{person_of, tenant};

const PERIOD: &str = "from=2000-01-01&to=2100-01-01";

both_backends! {
    /// Every report of tenant A read by the provider's admin equals A's admin's own; A's admin
    /// naming B is told there is no such tenant; the provider's own reports stay its own.
    async fn the_provider_reads_each_tenants_reports(desk: Desk) {
        let a = tenant(&desk, "Tenant A").await;
        let b = tenant(&desk, "Tenant B").await;
        let a_admin = person_of(&desk, a, Role::Admin).await;
        let a_customer = person_of(&desk, a, Role::Customer).await;
        let b_admin = person_of(&desk, b, Role::Admin).await;
        let provider_lead = desk.person("lead", None, false).await;
        let provider_agent = desk.agent_in(&[desk.default_group().await]).await;
        // A's work: an answered portal session and two tickets, one resolved.
        let own = article(&desk, &a_admin, "customers", "Reset the badge reader", "Swipe twice.").await;
        publish(&desk, &a_admin, own).await;
        desk.post(&a_customer, "/portal/deflections", json!({"article_id": own, "query": "badge"})).await.expect(204);
        desk.post(&a_customer, "/tickets", json!({
            "kind": "incident", "title": "Badge reader dead", "description": "No light.",
            "impact": "low", "urgency": "medium", "channel": "portal",
        })).await.expect(201);
        let ticket = desk.ticket(&a_customer, "incident", "Door stuck").await["id"].as_i64().unwrap();
        desk.act(&a_admin, ticket, "resolve", json!({"code": "solved", "notes": "Oiled the hinge."})).await.expect(200);
        // The provider's own work, which must not show in A's reports.
        desk.ticket(&desk.admin, "incident", "Provider's own printer").await;
        let cast = crate::sops::cast(&desk).await;
        let sop = crate::sops::create_sop(&desk, &cast, "provider-reset", crate::sops::reset_content("Provider reset"), json!([])).await;
        crate::sops::make_effective(&desk, &cast, sop, &cast.author).await;

        let a_id = a.get();
        for report in [
            format!("/reports/sla?{PERIOD}"),
            format!("/reports/sla?{PERIOD}&by=priority"),
            format!("/reports/self-service?{PERIOD}"),
            "/reports/sop-outcomes".to_owned(),
        ] {
            let theirs = desk.get(&a_admin, &report).await.expect(200).body;
            let named = desk.get(&a_admin, &format!("{report}{}tenant_id={a_id}", sep(&report))).await.expect(200).body;
            assert_eq!(named, theirs, "{report}: naming one's own tenant changes nothing");
            for provider in [&desk.admin, &provider_lead] {
                let seen = desk.get(provider, &format!("{report}{}tenant_id={a_id}", sep(&report))).await.expect(200).body;
                assert_eq!(seen, theirs, "{report}: the provider sees A's report as A's admin does");
            }
            let own = desk.get(&desk.admin, &report).await.expect(200).body;
            assert_ne!(own, theirs, "{report}: the provider's own report is not A's");
            // Anyone else naming another tenant.
            desk.get(&a_admin, &format!("{report}{}tenant_id={}", sep(&report), b.get())).await.problem(404, "not_found");
            desk.get(&b_admin, &format!("{report}{}tenant_id={a_id}", sep(&report))).await.problem(404, "not_found");
            desk.get(&b_admin, &format!("{report}{}tenant_id=1", sep(&report))).await.problem(404, "not_found");
            desk.get(&provider_agent, &format!("{report}{}tenant_id={a_id}", sep(&report))).await.problem(403, "forbidden");
            desk.get(&desk.admin, &format!("{report}{}tenant_id=987654321", sep(&report))).await.problem(404, "not_found");
            desk.get(&desk.admin, &format!("{report}{}tenant_id=0", sep(&report))).await.problem(400, "invalid_query");
        }
        let at_a = desk.get(&desk.admin, &format!("/reports/self-service?{PERIOD}&tenant_id={a_id}")).await.expect(200).body;
        assert_eq!((at_a["deflected"].as_i64(), at_a["sessions"].as_i64()), (Some(1), Some(2)), "{at_a}");
        let at_provider = desk.get(&desk.admin, &format!("/reports/self-service?{PERIOD}")).await.expect(200).body;
        assert_eq!(at_provider["deflected"], 0, "{at_provider}");
    }
}

fn sep(path: &str) -> char {
    if path.contains('?') { '&' } else { '?' }
}
