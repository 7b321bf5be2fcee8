//! Provider-wide knowledge, on both backends: the provider (tenant 1) shares a published article
//! with every tenant. Another tenant's customers and agents find and read it like their own
//! published articles (published version only, read-only, without the provider's counts); the
//! provider's unshared or unpublished articles, its versions and log stay hidden; one tenant's
//! articles never reach another; deflections and uses recorded from a tenant stay that tenant's,
//! and feedback on a shared article from another tenant is refused, not recorded.

use serde_json::{Value, json};
use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp};

use crate::both_backends;
use crate::harness::{Desk, Person, unique};
use crate::knowledge::{article, publish};

/// A person of `tenant` with an API token, made through the app as the admin CLI would.
pub async fn person_of(desk: &Desk, tenant: TenantId, role: Role) -> Person {
    let email = format!("{}@example.test", unique("shared"));
    let user = desk
        .app
        .system_create_user(
            tenant,
            UserInput {
                email: Email::parse(&email).unwrap(),
                name: Name::parse("Tenant person").unwrap(),
                role,
                organization_id: None,
                super_user: false,
                password: None,
            },
        )
        .await
        .unwrap();
    let token = desk.app.issue_token(user.id, "tests").await.unwrap();
    Person {
        id: user.id.get(),
        token: token.secret,
    }
}

/// A new tenant with its desk prepared.
pub async fn tenant(desk: &Desk, name: &str) -> TenantId {
    let now = Timestamp::from_micros(1_800_000_000_000_000);
    let tenant = desk
        .app
        .store()
        .create_tenant(&unique(name), now)
        .await
        .unwrap();
    desk.app.prepare_desk(tenant).await.unwrap();
    tenant
}

fn ids(list: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

async fn share(desk: &Desk, who: &Person, id: i64, shared: bool) -> crate::harness::Answer {
    desk.send(
        reqwest::Method::PUT,
        &format!("/articles/{id}/shared"),
        Some(&who.token),
        &[],
        Some((
            "application/json",
            json!({ "shared": shared }).to_string().into_bytes(),
        )),
    )
    .await
}

both_backends! {
    /// A shared provider article is found and read by another tenant's customer and agent, in
    /// its published version and read-only; the provider's unshared and unpublished articles,
    /// and one tenant's articles for another, are not found.
    async fn a_shared_provider_article_is_read_in_every_tenant(desk: Desk) {
        let provider_agent = desk.agent_in(&[desk.default_group().await]).await;
        let shared = article(&desk, &desk.admin, "customers", "Quasarlamp reset", "Hold the quasarlamp button.").await;
        publish(&desk, &desk.admin, shared).await;
        let unshared = article(&desk, &desk.admin, "customers", "Quasarlamp internals", "Only for the provider.").await;
        publish(&desk, &desk.admin, unshared).await;
        let draft = article(&desk, &desk.admin, "customers", "Quasarlamp draft", "Not yet.").await;
        let internal = article(&desk, &desk.admin, "agents", "Quasarlamp for agents", "Agents only quasarlamp.").await;
        publish(&desk, &desk.admin, internal).await;
        // Only the provider's leads and admins share.
        share(&desk, &provider_agent, shared, true).await.problem(403, "forbidden");
        let answer = share(&desk, &desk.admin, shared, true).await.expect(200).body;
        assert_eq!((answer["shared"].as_bool(), answer["from_provider"].as_bool()), (Some(true), Some(false)));
        for id in [draft, internal] {
            share(&desk, &desk.admin, id, true).await.expect(200);
        }
        // A later draft of the shared article stays the provider's.
        desk.post(&desk.admin, &format!("/articles/{shared}/versions"), json!({
            "kind": "how_to", "audience": "customers", "title": "Quasarlamp reset (secret draft)",
            "body": "Draft wording.", "change_summary": "Rewording",
        })).await.expect(201);
        let log = desk.get(&desk.admin, &format!("/articles/{shared}/versions")).await.expect(200).body;
        assert!(log.to_string().contains("\"shared\""), "the article's log records the sharing: {log}");

        let a = tenant(&desk, "Tenant A").await;
        let b = tenant(&desk, "Tenant B").await;
        let a_admin = person_of(&desk, a, Role::Admin).await;
        let a_agent = person_of(&desk, a, Role::Agent).await;
        let a_customer = person_of(&desk, a, Role::Customer).await;
        let b_agent = person_of(&desk, b, Role::Agent).await;
        let own = article(&desk, &a_agent, "customers", "Quasarlamp at A", "A's own quasarlamp text.").await;
        publish(&desk, &a_admin, own).await;
        // A tenant cannot share: only the provider's articles are shared.
        share(&desk, &a_admin, own, true).await.problem(403, "forbidden");

        for (who, staff) in [(&a_customer, false), (&a_agent, true)] {
            // A's agents also find the provider's shared article for agents.
            let mut expected = if staff { vec![shared, own, internal] } else { vec![shared, own] };
            expected.sort_unstable();
            let read = desk.get(who, &format!("/articles/{shared}")).await.expect(200).body;
            assert_eq!(read["title"], "Quasarlamp reset", "the published version, not the draft: {read}");
            assert_eq!(read["from_provider"], true);
            assert_eq!(read["status"], "published");
            assert_eq!(read["version"], 1);
            let found = desk.get(who, "/articles?q=quasarlamp").await.expect(200).body;
            assert_eq!(ids(&found), expected, "{found}");
            assert_eq!(found["total"].as_u64(), Some(expected.len() as u64), "{found}");
            let first = desk.get(who, "/articles?limit=1").await.expect(200).body;
            assert_eq!(ids(&first), vec![own], "the tenant's own articles come first: {first}");
            let listed = desk.get(who, "/articles?limit=1&offset=1").await.expect(200).body;
            assert_eq!(listed["items"][0]["from_provider"], true, "then the provider's shared ones: {listed}");
            let suggested = desk.get(who, "/portal/suggestions?q=quasarlamp").await.expect(200).body;
            assert_eq!(ids(&suggested), { let mut v = vec![shared, own]; v.sort_unstable(); v }, "{suggested}");
            for hidden in [unshared, draft] {
                desk.get(who, &format!("/articles/{hidden}")).await.problem(404, "not_found");
            }
            // Nothing of the draft's words is searchable from A.
            let secret = desk.get(who, "/articles?q=secret").await.expect(200).body;
            assert_eq!(ids(&secret), Vec::<i64>::new(), "{secret}");
        }
        // The agent-facing shared article: A's agents read it, A's customers do not.
        desk.get(&a_agent, &format!("/articles/{internal}")).await.expect(200);
        desk.get(&a_customer, &format!("/articles/{internal}")).await.problem(404, "not_found");
        // A cannot edit, review, restore or see the versions of the shared article.
        desk.post(&a_agent, &format!("/articles/{shared}/versions"), json!({
            "kind": "how_to", "audience": "customers", "title": "Hijacked", "body": "Mine now.", "change_summary": "Taking it",
        })).await.problem(404, "not_found");
        desk.post(&a_admin, &format!("/articles/{shared}/actions/retire"), json!({})).await.problem(404, "not_found");
        desk.get(&a_agent, &format!("/articles/{shared}/versions")).await.problem(404, "not_found");
        desk.post(&a_admin, &format!("/articles/{shared}/versions/1/restore"), json!({})).await.problem(404, "not_found");
        share(&desk, &a_admin, shared, false).await.problem(403, "forbidden");
        // One tenant's articles never reach another.
        desk.get(&b_agent, &format!("/articles/{own}")).await.problem(404, "not_found");
        let at_b = desk.get(&b_agent, "/articles?q=quasarlamp").await.expect(200).body;
        assert_eq!(ids(&at_b), { let mut v = vec![shared, internal]; v.sort_unstable(); v }, "{at_b}");
        // Unsharing takes it away from every other tenant at once.
        share(&desk, &desk.admin, shared, false).await.expect(200);
        desk.get(&a_customer, &format!("/articles/{shared}")).await.problem(404, "not_found");
        let gone = desk.get(&a_customer, "/articles?q=quasarlamp").await.expect(200).body;
        assert_eq!(ids(&gone), vec![own], "{gone}");
    }

    /// Deflections and uses recorded from a tenant on a shared article stay that tenant's; its
    /// feedback is refused, and the provider's counts never show in the tenant.
    async fn use_of_a_shared_article_stays_the_tenants(desk: Desk) {
        let shared = article(&desk, &desk.admin, "customers", "Nebulafax jam", "Open the nebulafax tray.").await;
        publish(&desk, &desk.admin, shared).await;
        share(&desk, &desk.admin, shared, true).await.expect(200);
        let provider_customer = desk.person("customer", None, false).await;
        desk.post(&provider_customer, &format!("/articles/{shared}/feedback"), json!({"helpful": true})).await.expect(200);

        let a = tenant(&desk, "Tenant A").await;
        let a_agent = person_of(&desk, a, Role::Admin).await;
        let a_customer = person_of(&desk, a, Role::Customer).await;
        let read = desk.get(&a_customer, &format!("/articles/{shared}")).await.expect(200).body;
        assert_eq!(read["helpful_count"], 0, "the provider's votes stay the provider's: {read}");
        desk.post(&a_customer, &format!("/articles/{shared}/feedback"), json!({"helpful": false})).await.problem(409, "conflict");
        desk.post(&a_customer, "/portal/deflections", json!({"article_id": shared, "query": "nebulafax"})).await.expect(204);
        let ticket = desk.ticket(&a_customer, "incident", "Nebulafax jammed").await["id"].as_i64().unwrap();
        let linked = desk.post(&a_agent, &format!("/tickets/{ticket}/articles"), json!({"article_id": shared})).await.expect(200).body;
        assert_eq!((linked["from_provider"].as_bool(), linked["use_count"].as_i64()), (Some(true), Some(0)));
        let used = desk.get(&a_agent, &format!("/tickets/{ticket}/articles")).await.expect(200).body;
        assert_eq!(used.as_array().map(|a| a.len()), Some(1), "{used}");

        let period = "/reports/self-service?from=2000-01-01&to=2100-01-01";
        let at_a = desk.get(&a_agent, period).await.expect(200).body;
        assert_eq!(at_a["deflected"], 1, "{at_a}");
        assert_eq!(at_a["by_article"][0]["article_id"], shared);
        assert_eq!(at_a["by_article"][0]["title"], "Nebulafax jam");
        let at_provider = desk.get(&desk.admin, period).await.expect(200).body;
        assert_eq!(at_provider["deflected"], 0, "{at_provider}");
        let own = desk.get(&desk.admin, &format!("/articles/{shared}")).await.expect(200).body;
        assert_eq!((own["use_count"].as_i64(), own["helpful_count"].as_i64(), own["not_helpful_count"].as_i64()), (Some(0), Some(1), Some(0)), "{own}");
    }
}
