//! The queue's API: multi-value filters (assignee `me` / `none`, requester, organisation,
//! group, priority, status, SLA standing, changed since) within the caller's scope, and saved
//! views, personal and shared.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{Desk, Person};

fn ids(page: &Value) -> BTreeSet<i64> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page: {page}"))
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

async fn listed(desk: &Desk, who: &Person, query: &str) -> BTreeSet<i64> {
    ids(&desk
        .get(who, &format!("/tickets?limit=200&{query}"))
        .await
        .expect(200)
        .body)
}

fn set(items: &[i64]) -> BTreeSet<i64> {
    items.iter().copied().collect()
}

both_backends! {
    async fn multi_value_filters_match_any_value_inside_the_callers_scope(desk: Desk) {
        let first_line = desk.default_group().await;
        let second_line = desk.group("Second line", 2, false).await;
        let agent = desk.agent_in(&[first_line, second_line]).await;
        let other_agent = desk.agent_in(&[first_line]).await;
        let acme = desk.organization("Acme").await;
        let globex = desk.organization("Globex").await;
        let ann = desk.person("customer", Some(acme), false).await;
        let bob = desk.person("customer", Some(globex), false).await;

        let mine = desk.ticket(&ann, "incident", "Printer jams").await["id"].as_i64().unwrap();
        let routed = desk.ticket(&bob, "incident", "VPN drops").await["id"].as_i64().unwrap();
        let waiting = desk.ticket(&bob, "service_request", "New laptop").await["id"].as_i64().unwrap();
        let theirs = desk.ticket(&ann, "incident", "Mail bounces").await["id"].as_i64().unwrap();
        desk.act(&agent, mine, "assign", json!({ "assignee_id": agent.id })).await.expect(200);
        desk.act(&agent, routed, "assign", json!({ "group_id": second_line })).await.expect(200);
        desk.act(&other_agent, theirs, "assign", json!({ "assignee_id": other_agent.id }))
            .await
            .expect(200);

        // Assignee: me, none, both, and a person by id.
        assert_eq!(listed(&desk, &agent, "assignee_id=me").await, set(&[mine]));
        assert_eq!(listed(&desk, &agent, "assignee_id=none").await, set(&[routed, waiting]));
        assert_eq!(
            listed(&desk, &agent, "assignee_id=me,none").await,
            set(&[mine, routed, waiting])
        );
        assert_eq!(
            listed(&desk, &agent, &format!("assignee_id={},{}", agent.id, other_agent.id)).await,
            set(&[mine, theirs])
        );
        // Requester, organisation, group, kind.
        assert_eq!(
            listed(&desk, &agent, &format!("requester_id={}", bob.id)).await,
            set(&[routed, waiting])
        );
        assert_eq!(
            listed(&desk, &agent, &format!("organization_id={acme},{globex}")).await,
            set(&[mine, routed, waiting, theirs])
        );
        assert_eq!(
            listed(&desk, &agent, &format!("organization_id={acme}")).await,
            set(&[mine, theirs])
        );
        assert_eq!(listed(&desk, &agent, &format!("group_id={second_line}")).await, set(&[routed]));
        assert_eq!(
            listed(&desk, &agent, &format!("group_id={second_line}&assignee_id=none&requester_id={}", bob.id)).await,
            set(&[routed])
        );
        // Status and priority lists.
        assert_eq!(listed(&desk, &agent, "status=new").await, set(&[routed, waiting]));
        assert_eq!(listed(&desk, &agent, "status=assigned").await, set(&[mine, theirs]));
        assert_eq!(
            listed(&desk, &agent, "status=new,assigned").await,
            set(&[mine, routed, waiting, theirs])
        );
        let all = listed(&desk, &agent, "").await;
        let by_priority = listed(&desk, &agent, "priority=P1,P2,P3,P4,P5").await;
        assert_eq!(all, by_priority);
        // Changed since.
        assert_eq!(listed(&desk, &agent, "updated_since=2999-01-01").await, set(&[]));
        assert_eq!(listed(&desk, &agent, "updated_since=2000-01-01T00:00:00Z").await, all);

        // SLA standing: record a breach on one ticket's clocks, as the SLA timer would.
        let clocks = desk
            .sql(&format!(
                "UPDATE ticket_sla SET clocks = REPLACE(clocks, '\"breached_at\":null', '\"breached_at\":1') WHERE ticket_id = {waiting}"
            ))
            .await
            .unwrap();
        assert_eq!(clocks, 1, "the new ticket has clocks");
        assert_eq!(listed(&desk, &agent, "sla=breached").await, set(&[waiting]));
        assert_eq!(
            listed(&desk, &agent, "sla=ok").await,
            set(&[mine, routed, theirs])
        );
        assert_eq!(listed(&desk, &agent, "sla=breached,ok").await, all);

        // Bad values are problems naming the parameter, never a 500.
        for query in [
            "group_id=x",
            "assignee_id=nobody",
            "sla=late",
            "updated_since=yesterday",
            "priority=P9",
            "requester_id=-3",
            "status=new,sleeping",
        ] {
            let answer = desk
                .get(&agent, &format!("/tickets?{query}"))
                .await
                .problem(400, "invalid_query");
            let name = query.split('=').next().unwrap();
            assert!(
                answer.body["detail"].as_str().unwrap().contains(name),
                "{query}: {}",
                answer.body
            );
        }

        // A customer sees only their own tickets through any filter.
        assert_eq!(listed(&desk, &ann, "").await, set(&[mine, theirs]));
        assert_eq!(listed(&desk, &ann, &format!("requester_id={}", bob.id)).await, set(&[]));
        assert_eq!(listed(&desk, &ann, &format!("organization_id={globex}")).await, set(&[]));
        assert_eq!(listed(&desk, &ann, "assignee_id=none").await, set(&[]));
        assert_eq!(
            listed(&desk, &ann, &format!("assignee_id=none,{},{}", agent.id, other_agent.id)).await,
            set(&[mine, theirs])
        );
        assert_eq!(listed(&desk, &ann, "sla=breached,ok").await, set(&[mine, theirs]));
        assert_eq!(listed(&desk, &ann, &format!("group_id={first_line},{second_line}")).await, set(&[mine, theirs]));
        assert_eq!(listed(&desk, &bob, "sla=breached").await, set(&[waiting]));
        assert_eq!(listed(&desk, &bob, "assignee_id=me").await, set(&[]));
    }

    async fn saved_views_are_personal_unless_a_lead_shares_them(desk: Desk) {
        let group = desk.default_group().await;
        let agent = desk.agent_in(&[group]).await;
        let colleague = desk.agent_in(&[group]).await;
        let lead = desk.person("lead", None, false).await;
        let customer = desk.person("customer", None, false).await;

        let mine = desk
            .post(&agent, "/views", json!({ "name": "My P1s", "query": "queue=mine&priority=P1" }))
            .await
            .expect(201)
            .body;
        let id = mine["id"].as_i64().unwrap();
        assert_eq!(mine["shared"], false);
        assert_eq!(mine["query"], "queue=mine&priority=P1");

        // Another person's personal view is neither listed, readable nor changeable.
        let theirs = desk.get(&colleague, "/views").await.expect(200).body;
        assert!(theirs.as_array().unwrap().iter().all(|v| v["id"] != id), "{theirs}");
        desk.get(&colleague, &format!("/views/{id}")).await.problem(404, "not_found");
        desk.patch(&colleague, &format!("/views/{id}"), json!({ "name": "Mine now" }))
            .await
            .problem(404, "not_found");
        desk.delete(&colleague, &format!("/views/{id}")).await.problem(404, "not_found");
        desk.get(&lead, &format!("/views/{id}")).await.problem(404, "not_found");

        // Only leads and admins share; everybody sees a shared view, only they change it.
        desk.post(&agent, "/views", json!({ "name": "Team", "query": "queue=open", "shared": true }))
            .await
            .problem(403, "forbidden");
        let shared = desk
            .post(&lead, "/views", json!({ "name": "Breached", "query": "queue=open&sla=breached", "shared": true }))
            .await
            .expect(201)
            .body;
        let shared_id = shared["id"].as_i64().unwrap();
        let seen = desk.get(&colleague, "/views").await.expect(200).body;
        assert!(seen.as_array().unwrap().iter().any(|v| v["id"] == shared_id), "{seen}");
        desk.get(&agent, &format!("/views/{shared_id}")).await.expect(200);
        desk.patch(&agent, &format!("/views/{shared_id}"), json!({ "name": "Mine" }))
            .await
            .problem(403, "forbidden");
        desk.delete(&colleague, &format!("/views/{shared_id}")).await.problem(403, "forbidden");
        let renamed = desk
            .patch(&lead, &format!("/views/{shared_id}"), json!({ "name": "Breached now" }))
            .await
            .expect(200)
            .body;
        assert_eq!(renamed["name"], "Breached now");

        // The owner renames and deletes their own; bad names are refused with a problem.
        desk.patch(&agent, &format!("/views/{id}"), json!({ "name": "  " }))
            .await
            .problem(422, "validation_failed");
        desk.post(&agent, "/views", json!({ "name": "x".repeat(81), "query": "" }))
            .await
            .problem(422, "validation_failed");
        let renamed = desk
            .patch(&agent, &format!("/views/{id}"), json!({ "name": "Urgent", "query": "queue=mine&priority=P1,P2" }))
            .await
            .expect(200)
            .body;
        assert_eq!(renamed["query"], "queue=mine&priority=P1,P2");
        let listed = desk.get(&agent, "/views").await.expect(200).body;
        let names: Vec<&str> = listed.as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Breached now", "Urgent"], "shared first");
        let answer = desk.delete(&agent, &format!("/views/{id}")).await;
        assert_eq!(answer.status, 204);
        desk.get(&agent, &format!("/views/{id}")).await.problem(404, "not_found");

        // Customers have no queue views.
        desk.get(&customer, "/views").await.problem(403, "forbidden");
        desk.post(&customer, "/views", json!({ "name": "Mine", "query": "" }))
            .await
            .problem(403, "forbidden");
    }
}
