//! Grants (issue 13, docs/tenants.md), on both backends: the provider's admins let a provider
//! resolver group or agent work in a client tenant on the tickets of chosen groups of it. A
//! granted provider agent sees those tickets in their queue (with `tenant_id`) and works them
//! as their linked account of the tenant; they see nothing else of that tenant nor anything of
//! another tenant; revoking the grant or leaving the provider group ends it at once. The
//! client tenant's own people see only their tenant and cannot manage grants.

use reqwest::Method;
use serde_json::{Value, json};
use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp};

use crate::both_backends;
use crate::harness::{Desk, Person, unique};

/// A client tenant with its admin, an agent of its second group, two groups (the one granted,
/// `granted`, and `other`) and one ticket in each.
struct Client {
    tenant: i64,
    admin: Person,
    agent: Person,
    granted: i64,
    other: i64,
    granted_ticket: i64,
    other_ticket: i64,
}

/// A person of `tenant` with an API token, made as the admin CLI would.
async fn person_of(desk: &Desk, tenant: TenantId, role: Role, name: &str) -> Person {
    let user = desk
        .app
        .system_create_user(
            tenant,
            UserInput {
                email: Email::parse(&format!("{}@example.test", unique("person"))).unwrap(),
                name: Name::parse(name).unwrap(),
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

async fn client(desk: &Desk, name: &str) -> Client {
    let now = Timestamp::from_micros(1_800_000_000_000_000);
    let tenant = desk
        .app
        .store()
        .create_tenant(&unique(name), now)
        .await
        .unwrap();
    desk.app.prepare_desk(tenant).await.unwrap();
    let admin = person_of(desk, tenant, Role::Admin, &format!("{name} Admin")).await;
    let group = |label: &str| {
        let admin = &admin;
        let label = unique(label);
        async move {
            desk.post(
                admin,
                "/groups",
                json!({"name": label, "tier": 2, "external_supplier": false}),
            )
            .await
            .expect(201)
            .body["id"]
                .as_i64()
                .unwrap()
        }
    };
    let granted = group("Granted").await;
    let other = group("Other").await;
    let agent = person_of(desk, tenant, Role::Agent, &format!("{name} Agent")).await;
    desk.send(
        Method::PUT,
        &format!("/groups/{other}/members/{}", agent.id),
        Some(&admin.token),
        &[],
        None,
    )
    .await
    .expect(204);
    let ticket =
        |group: i64, title: String| {
            let admin = &admin;
            async move {
                desk.post(admin, "/tickets", json!({
                "kind": "incident", "title": title, "description": "Described in more words.",
                "impact": "medium", "urgency": "medium",
            }))
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .map(|id| (id, group))
            .unwrap()
            }
        };
    let route = |(id, group): (i64, i64)| {
        let admin = &admin;
        async move {
            desk.act(admin, id, "assign", json!({"group_id": group}))
                .await
                .expect(200);
            id
        }
    };
    let granted_ticket = route(ticket(granted, format!("{name} scanner jammed")).await).await;
    let other_ticket = route(ticket(other, format!("{name} payroll question")).await).await;
    Client {
        tenant: tenant.get(),
        admin,
        agent,
        granted,
        other,
        granted_ticket,
        other_ticket,
    }
}

/// The queue's items as (id, tenant_id), after checking its total counts exactly them.
async fn queue(desk: &Desk, who: &Person) -> Vec<(i64, i64)> {
    let list = desk.get(who, "/tickets?limit=200").await.expect(200).body;
    let items: Vec<(i64, i64)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_i64().unwrap(), t["tenant_id"].as_i64().unwrap()))
        .collect();
    assert_eq!(list["total"], json!(items.len()), "{list}");
    items
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

both_backends! {
    /// A provider agent granted (through their provider group) on tenant A's first group works
    /// exactly those tickets of A, as their linked account of A; revoking the grant or leaving
    /// the provider group ends it at once; A's own people see only A and cannot manage grants.
    async fn a_granted_agent_works_the_granted_groups_tickets_and_nothing_else(desk: Desk) {
        let a = client(&desk, "Acme").await;
        let b = client(&desk, "Bolt").await;
        let provider_group = desk.group(&unique("Provider field team"), 2, false).await;
        let agent = desk.agent_in(&[provider_group, desk.default_group().await]).await;
        let own = desk.ticket(&desk.admin, "incident", "Provider desk printer").await["id"].as_i64().unwrap();

        // Before any grant the provider agent sees nothing of A.
        desk.get(&agent, &format!("/tickets/{}", a.granted_ticket)).await.problem(404, "not_found");

        let grant = desk
            .post(&desk.admin, &format!("/tenants/{}/grants", a.tenant), json!({
                "provider_group_id": provider_group, "group_ids": [a.granted],
            }))
            .await
            .expect(201)
            .body;
        assert_eq!(grant["tenant_id"], a.tenant);
        assert_eq!(grant["group_ids"], json!([a.granted]));
        let listed = desk.get(&desk.admin, &format!("/tenants/{}/grants", a.tenant)).await.expect(200).body;
        assert_eq!(ids(&listed), vec![grant["id"].as_i64().unwrap()]);

        // The queue spans the provider and A's granted group, each item with its tenant.
        let items = queue(&desk, &agent).await;
        assert!(items.contains(&(a.granted_ticket, a.tenant)), "{items:?}");
        assert!(items.contains(&(own, 1)), "{items:?}");
        for hidden in [a.other_ticket, b.granted_ticket, b.other_ticket] {
            assert!(!items.iter().any(|(id, _)| *id == hidden), "{hidden} in {items:?}");
        }
        for hidden in [a.other_ticket, b.granted_ticket, b.other_ticket] {
            desk.get(&agent, &format!("/tickets/{hidden}")).await.problem(404, "not_found");
            desk.get(&agent, &format!("/tickets/{hidden}/events")).await.problem(404, "not_found");
            desk.post(&agent, &format!("/tickets/{hidden}/comments"), json!({"body": "Taken over", "internal": true}))
                .await
                .problem(404, "not_found");
        }
        let found = desk.get(&agent, "/tickets?q=Bolt").await.expect(200).body;
        assert_eq!(found["total"], 0, "{found}");
        let found = desk.get(&agent, "/tickets?q=payroll").await.expect(200).body;
        assert_eq!(found["total"], 0, "{found}");
        let found = desk.get(&agent, &format!("/api/v1/search?q=%23{}", b.granted_ticket)).await.expect(200).body;
        assert_eq!(found["ticket"], Value::Null, "{found}");

        // They work A's ticket: read, start (assigned to them), comment, resolve.
        let ticket = desk.get(&agent, &format!("/tickets/{}", a.granted_ticket)).await.expect(200).body;
        assert_eq!(ticket["tenant_id"], a.tenant);
        desk.get(&agent, &format!("/tickets/{}/attachments", a.granted_ticket)).await.expect(200);
        desk.get(&agent, &format!("/tickets/{}/articles", a.granted_ticket)).await.expect(200);
        desk.get(&agent, &format!("/tickets/{}/attachments", a.other_ticket)).await.problem(404, "not_found");
        desk.get(&agent, &format!("/tickets/{}/articles", b.granted_ticket)).await.problem(404, "not_found");
        let started = desk.act(&agent, a.granted_ticket, "start", json!({})).await.expect(200).body;
        let linked = started["assignee_id"].as_i64().unwrap();
        assert_ne!(linked, agent.id, "they act as their linked account of A");
        desk.post(&agent, &format!("/tickets/{}/comments", a.granted_ticket), json!({"body": "Cleared the paper path.", "internal": false}))
            .await
            .expect(201);
        let resolved = desk
            .act(&agent, a.granted_ticket, "resolve", json!({"code": "solved", "notes": "Cleared the jam."}))
            .await
            .expect(200)
            .body;
        assert_eq!(resolved["status"], "resolved");
        // The history names the linked account, which A's admin sees as an agent with the
        // provider agent's name; A's admin cannot change it.
        let events = desk.get(&a.admin, &format!("/tickets/{}/events", a.granted_ticket)).await.expect(200).body;
        assert!(events.as_array().unwrap().iter().any(|e| e["actor_id"] == linked && e["type"] == "commented"), "{events}");
        let person = desk.get(&a.admin, &format!("/users/{linked}")).await.expect(200).body;
        let provider_person = desk.get(&desk.admin, &format!("/users/{}", agent.id)).await.expect(200).body;
        assert_eq!(person["name"], provider_person["name"]);
        assert_eq!(person["role"], "agent");
        let people = ids(&desk.get(&a.admin, "/users?limit=500").await.expect(200).body);
        assert!(people.contains(&linked), "{people:?}");
        assert!(!people.contains(&agent.id), "{people:?}");
        desk.patch(&a.admin, &format!("/users/{linked}"), json!({"role": "admin"})).await.problem(403, "forbidden");

        // A's own agent sees only A's tickets of their group: nothing of the provider or B.
        let theirs = queue(&desk, &a.agent).await;
        assert_eq!(theirs, vec![(a.other_ticket, a.tenant)]);
        for hidden in [own, b.granted_ticket] {
            desk.get(&a.agent, &format!("/tickets/{hidden}")).await.problem(404, "not_found");
        }
        // A's admin sees no grants and cannot make one; B's grants do not exist for them.
        desk.get(&a.admin, &format!("/tenants/{}/grants", a.tenant)).await.problem(403, "forbidden");
        desk.get(&a.admin, &format!("/tenants/{}/grants", b.tenant)).await.problem(404, "not_found");
        desk.post(&a.admin, &format!("/tenants/{}/grants", a.tenant), json!({"provider_group_id": provider_group, "group_ids": [a.other]}))
            .await
            .problem(403, "forbidden");
        desk.delete(&a.admin, &format!("/tenants/{}/grants/{}", a.tenant, grant["id"])).await.problem(403, "forbidden");
        desk.get(&a.admin, &format!("/users/{}", agent.id)).await.problem(404, "not_found");

        // Revoking the grant ends it at once.
        desk.delete(&desk.admin, &format!("/tenants/{}/grants/{}", a.tenant, grant["id"])).await.expect(204);
        desk.get(&agent, &format!("/tickets/{}", a.granted_ticket)).await.problem(404, "not_found");
        assert!(!queue(&desk, &agent).await.iter().any(|(_, t)| *t == a.tenant));
        let person = desk.get(&a.admin, &format!("/users/{linked}")).await.expect(200).body;
        assert_eq!(person["active"], false, "the linked account is deactivated: {person}");
        let audit = desk.get(&desk.admin, "/audit-log?limit=100").await.expect(200).body;
        let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
        assert!(actions.contains(&"tenant.grant_added") && actions.contains(&"tenant.grant_removed"), "{actions:?}");

        // Granted again, to the person this time, and through the group: leaving the provider
        // group ends the group's grant at once, the personal grant stays.
        let grant = desk
            .post(&desk.admin, &format!("/tenants/{}/grants", a.tenant), json!({"provider_group_id": provider_group, "group_ids": [a.granted]}))
            .await
            .expect(201)
            .body;
        desk.get(&agent, &format!("/tickets/{}", a.granted_ticket)).await.expect(200);
        desk.send(Method::DELETE, &format!("/groups/{provider_group}/members/{}", agent.id), Some(&desk.admin.token), &[], None)
            .await
            .expect(204);
        desk.get(&agent, &format!("/tickets/{}", a.granted_ticket)).await.problem(404, "not_found");
        desk.post(&desk.admin, &format!("/tenants/{}/grants", a.tenant), json!({"provider_user_id": agent.id, "group_ids": [a.granted]}))
            .await
            .expect(201);
        let again = desk.get(&agent, &format!("/tickets/{}", a.granted_ticket)).await.expect(200).body;
        assert_eq!(again["tenant_id"], a.tenant);
        assert_eq!(ids(&desk.get(&desk.admin, &format!("/tenants/{}/grants", a.tenant)).await.expect(200).body).len(), 2);
        assert!(grant["id"].as_i64().is_some());
        // Deactivating the provider agent ends it too (their token stops with them).
        desk.patch(&desk.admin, &format!("/users/{}", agent.id), json!({"active": false})).await.expect(200);
        let person = desk.get(&a.admin, &format!("/users/{linked}")).await.expect(200).body;
        assert_eq!(person["active"], false, "{person}");
    }

    /// A grant naming a group of another tenant, or a grantee who is not of the provider, is
    /// refused with problem+json and writes nothing.
    async fn a_grant_naming_anothers_objects_writes_nothing(desk: Desk) {
        let a = client(&desk, "Acme").await;
        let b = client(&desk, "Bolt").await;
        let provider_group = desk.group(&unique("Provider field team"), 2, false).await;
        let agent = desk.agent_in(&[provider_group]).await;
        let people_before = ids(&desk.get(&a.admin, "/users?limit=500").await.expect(200).body);
        let path = format!("/tenants/{}/grants", a.tenant);
        for (body, field) in [
            (json!({"provider_group_id": provider_group, "group_ids": [b.granted]}), "group_ids"),
            (json!({"provider_group_id": provider_group, "group_ids": [a.granted, b.other]}), "group_ids"),
            (json!({"provider_group_id": provider_group, "group_ids": [provider_group]}), "group_ids"),
            (json!({"provider_group_id": a.other, "group_ids": [a.granted]}), "provider_group_id"),
            (json!({"provider_user_id": a.agent.id, "group_ids": [a.granted]}), "provider_user_id"),
            (json!({"provider_user_id": b.admin.id, "group_ids": [a.granted]}), "provider_user_id"),
            (json!({"provider_group_id": provider_group, "provider_user_id": agent.id, "group_ids": [a.granted]}), "provider_group_id"),
            (json!({"group_ids": [a.granted]}), "provider_group_id"),
            (json!({"provider_group_id": provider_group, "group_ids": []}), "group_ids"),
        ] {
            let answer = desk.post(&desk.admin, &path, body.clone()).await.problem(422, "validation_failed");
            assert!(answer.body.to_string().contains(field), "{body}: {}", answer.body);
        }
        desk.post(&desk.admin, "/tenants/1/grants", json!({"provider_group_id": provider_group, "group_ids": [a.granted]}))
            .await
            .problem(422, "validation_failed");
        desk.post(&desk.admin, "/tenants/999999/grants", json!({"provider_group_id": provider_group, "group_ids": [a.granted]}))
            .await
            .problem(404, "not_found");
        desk.delete(&desk.admin, &format!("/tenants/{}/grants/999999", a.tenant)).await.problem(404, "not_found");
        assert_eq!(desk.get(&desk.admin, &path).await.expect(200).body, json!([]));
        assert_eq!(ids(&desk.get(&a.admin, "/users?limit=500").await.expect(200).body), people_before);
        desk.get(&agent, &format!("/tickets/{}", a.granted_ticket)).await.problem(404, "not_found");
        // A grant on B does not open A.
        desk.post(&desk.admin, &format!("/tenants/{}/grants", b.tenant), json!({"provider_group_id": provider_group, "group_ids": [b.granted]}))
            .await
            .expect(201);
        desk.get(&agent, &format!("/tickets/{}", b.granted_ticket)).await.expect(200);
        desk.get(&agent, &format!("/tickets/{}", a.granted_ticket)).await.problem(404, "not_found");
    }
}

both_backends! {
    /// Erasing a provider agent erases their linked accounts with them: the client tenant keeps
    /// neither their name nor their address, and the account no longer works anything.
    async fn erasing_a_provider_agent_erases_their_linked_accounts(desk: Desk) {
        let a = client(&desk, "Acme").await;
        let agent = desk.person("agent", None, false).await;
        desk.post(&desk.admin, &format!("/tenants/{}/grants", a.tenant), json!({"provider_user_id": agent.id, "group_ids": [a.granted]}))
            .await
            .expect(201);
        let started = desk.act(&agent, a.granted_ticket, "start", json!({})).await.expect(200).body;
        let linked = started["assignee_id"].as_i64().unwrap();
        let before = desk.get(&desk.admin, &format!("/users/{}", agent.id)).await.expect(200).body;
        let linked_before = desk.get(&a.admin, &format!("/users/{linked}")).await.expect(200).body;
        assert_eq!(linked_before["email"], before["email"]);
        desk.post(&desk.admin, &format!("/people/{}/actions/erase", agent.id), json!({})).await.expect(200);
        let after = desk.get(&a.admin, &format!("/users/{linked}")).await.expect(200).body;
        assert_eq!(after["active"], false, "{after}");
        assert_ne!(after["email"], before["email"], "{after}");
        assert_ne!(after["name"], before["name"], "{after}");
        let ticket = desk.get(&a.admin, &format!("/tickets/{}", a.granted_ticket)).await.expect(200).body;
        assert_eq!(ticket["assignee_id"], linked, "the history keeps its structure");
    }
}
