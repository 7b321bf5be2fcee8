//! Cursor pagination stays stable while tickets are being added: no duplicates, no gaps.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{Desk, Person};

fn page_ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

/// Pages through `query` with `limit`, logging a new ticket before each page.
async fn page_through(
    desk: &Desk,
    agent: &Person,
    query: &str,
    limit: u32,
) -> (Vec<i64>, Vec<i64>) {
    let mut seen = Vec::new();
    let mut added = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/tickets?limit={limit}{query}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = desk.get(agent, &path).await.expect(200).body;
        seen.extend(page_ids(&page));
        added.push(
            desk.ticket(agent, "incident", "Arrived while paging").await["id"]
                .as_i64()
                .unwrap(),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
        assert!(seen.len() < 1000, "pagination does not end");
    }
    (seen, added)
}

both_backends! {
    async fn pages_are_stable_while_tickets_arrive(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let mut original = Vec::new();
        for n in 0..23 {
            let impact = ["high", "medium", "low"][n % 3];
            let t = desk.post(&agent, "/tickets", json!({
                "kind": "incident", "title": format!("Ticket {n}"), "description": "x",
                "impact": impact, "urgency": "medium",
            }))
            .await
            .expect(201)
            .body;
            original.push(t["id"].as_i64().unwrap());
        }

        for sort in ["-created", "created", "priority", "-priority", "-updated"] {
            let (seen, added) = page_through(&desk, &agent, &format!("&sort={sort}"), 5).await;
            let unique: BTreeSet<i64> = seen.iter().copied().collect();
            assert_eq!(unique.len(), seen.len(), "no ticket twice with sort {sort}: {seen:?}");
            for id in &original {
                assert!(unique.contains(id), "ticket {id} not skipped with sort {sort}");
            }
            if sort == "-created" {
                // Newest first: what arrives after the first page never shows up in later pages.
                assert!(added.iter().all(|id| !unique.contains(id)), "{seen:?} vs {added:?}");
                let mut expected = seen.clone();
                expected.sort_unstable_by(|a, b| b.cmp(a));
                assert_eq!(seen, expected, "newest first");
            }
            original.extend(added);
        }

        // The total counts the whole result, not the page.
        let page = desk.get(&agent, "/tickets?limit=2&status=new").await.expect(200).body;
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        assert_eq!(page["total"].as_i64().unwrap(), original.len() as i64);
    }

    async fn filters_narrow_the_queue(desk: Desk) {
        let desk_group = desk.default_group().await;
        let network = desk.group("Network", 2, false).await;
        let agent = desk.agent_in(&[desk_group, network]).await;
        let acme = desk.organization("Acme").await;
        let customer = desk.person("customer", Some(acme), false).await;
        let inc = desk.ticket(&customer, "incident", "Incident one").await["id"].as_i64().unwrap();
        let req = desk.ticket(&agent, "service_request", "Request one").await["id"].as_i64().unwrap();
        desk.act(&agent, req, "assign", json!({ "group_id": network, "assignee_id": agent.id })).await.expect(200);
        let p1 = desk.post(&agent, "/tickets", json!({
            "kind": "incident", "title": "Everything down", "description": "x", "impact": "high", "urgency": "high",
        })).await.expect(201).body["id"].as_i64().unwrap();

        let q = |query: &'static str| {
            let desk = &desk;
            let agent = &agent;
            async move {
                let mut ids = page_ids(&desk.get(agent, &format!("/tickets?{query}")).await.expect(200).body);
                ids.sort_unstable();
                ids
            }
        };
        assert_eq!(q("kind=service_request").await, vec![req]);
        assert_eq!(q("kind=incident").await, vec![inc, p1]);
        assert_eq!(page_ids(&desk.get(&agent, &format!("/tickets?group_id={network}")).await.body), vec![req]);
        assert_eq!(page_ids(&desk.get(&agent, &format!("/tickets?assignee_id={}", agent.id)).await.body), vec![req]);
        assert_eq!(q("assignee_id=none").await, vec![inc, p1]);
        assert_eq!(page_ids(&desk.get(&agent, &format!("/tickets?requester_id={}", customer.id)).await.body), vec![inc]);
        assert_eq!(page_ids(&desk.get(&agent, &format!("/tickets?organization_id={acme}")).await.body), vec![inc]);
        assert_eq!(q("priority=P1").await, vec![p1]);
        assert_eq!(q("status=assigned").await, vec![req]);
        assert_eq!(q("status=new,assigned").await, vec![inc, req, p1]);
        assert_eq!(q("status=open").await, vec![inc, req, p1]);
        let first = page_ids(&desk.get(&agent, "/tickets?sort=priority&limit=1").await.body);
        assert_eq!(first, vec![p1], "P1 first when sorting by priority");
    }
}
