//! Full-text search over titles, descriptions and comments, on each backend's own engine.

use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::Desk;

fn ids(list: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

both_backends! {
    async fn search_finds_text_only_in_a_comment(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let customer = desk.person("customer", None, false).await;
        let target = desk.ticket(&customer, "incident", "Screen flickers").await["id"].as_i64().unwrap();
        let other = desk.ticket(&customer, "incident", "Keyboard sticky").await["id"].as_i64().unwrap();
        let answer = desk.get(&agent, "/tickets?q=hyperthreading").await.expect(200).body;
        assert_eq!(answer["total"], 0);
        desk.post(&customer, &format!("/tickets/{target}/comments"), json!({
            "body": "It started after I enabled hyperthreading in the BIOS.",
        }))
        .await
        .expect(201);
        for who in [&agent, &customer] {
            let answer = desk.get(who, "/tickets?q=hyperthreading").await.expect(200).body;
            assert_eq!(ids(&answer), vec![target]);
            assert_eq!(answer["total"], 1);
        }
        // Words in title and description, several words together, and case do not matter.
        assert_eq!(ids(&desk.get(&agent, "/tickets?q=KEYBOARD").await.body), vec![other]);
        assert_eq!(ids(&desk.get(&agent, "/tickets?q=screen%20bios").await.body), vec![target]);
        assert!(ids(&desk.get(&agent, "/tickets?q=screen%20keyboard").await.body).is_empty());
        assert_eq!(ids(&desk.get(&agent, "/tickets?q=described").await.body), vec![target, other]);
        // Edits are searchable at once.
        desk.patch(&agent, &format!("/tickets/{other}"), json!({ "version": 1, "title": "Trackpad unresponsive" }))
            .await
            .expect(200);
        assert_eq!(ids(&desk.get(&agent, "/tickets?q=trackpad").await.body), vec![other]);
        // The description, written at logging, still says "Keyboard sticky: described…".
        assert_eq!(ids(&desk.get(&agent, "/tickets?q=keyboard").await.body), vec![other]);
        desk.patch(&agent, &format!("/tickets/{other}"), json!({ "version": 2, "description": "Taps are ignored." }))
            .await
            .expect(200);
        assert!(ids(&desk.get(&agent, "/tickets?q=keyboard").await.body).is_empty(), "old text is gone");
        assert_eq!(ids(&desk.get(&agent, "/tickets?q=taps").await.body), vec![other]);
        // Search combines with filters.
        assert!(ids(&desk.get(&agent, "/tickets?q=hyperthreading&status=resolved").await.body).is_empty());
    }

    async fn a_ticket_number_jumps_to_the_ticket(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let t = desk.ticket(&agent, "service_request", "Access to the finance share").await;
        let id = t["id"].as_i64().unwrap();
        let number = t["number"].as_str().unwrap();
        assert_eq!(ids(&desk.get(&agent, &format!("/tickets?q={number}")).await.expect(200).body), vec![id]);
        assert_eq!(ids(&desk.get(&agent, &format!("/tickets?q={}", number.to_lowercase())).await.expect(200).body), vec![id]);
        // The wrong prefix does not find it.
        assert!(ids(&desk.get(&agent, &format!("/tickets?q=INC-{id:06}")).await.expect(200).body).is_empty());
    }

    async fn query_syntax_characters_are_plain_text(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let id = desk.ticket(&agent, "incident", "Error 0x80070005 in C:\\Program Files").await["id"].as_i64().unwrap();
        for q in [
            "\"", "\"unbalanced", "a AND", "OR", "NOT", "(", ")", "*", "title:foo", "-x", "NEAR(a b)",
            "'; DROP TABLE tickets; --", "%", "_", "\\", "^", "{}", "&&", "||", "!", "<->", ":*",
            "0x80070005", "C:\\Program", "ünïcödé", "日本語", "🙂",
        ] {
            let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
            let answer = desk.get(&agent, &format!("/tickets?q={encoded}")).await;
            if q.chars().any(char::is_alphanumeric) {
                assert_eq!(answer.status, 200, "q={q:?}: {}", answer.text);
            } else {
                // Nothing to search for: a clear error naming the field, never a 500.
                let answer = answer.problem(422, "validation_failed");
                assert_eq!(answer.body["errors"][0]["field"], "q", "q={q:?}");
            }
        }
        assert_eq!(ids(&desk.get(&agent, "/tickets?q=0x80070005").await.body), vec![id]);
        assert_eq!(ids(&desk.get(&agent, "/tickets?q=%22program%20files%22").await.body), vec![id]);
    }
}

/// The ids of one group of a `/search` answer, sorted.
fn group_ids(answer: &Value, group: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = answer[group]
        .as_array()
        .unwrap_or_else(|| panic!("no {group} in {answer}"))
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

both_backends! {
    /// One search over tickets, people, organisations and articles: staff find a person, an
    /// organisation, an article and tickets; a ticket number names the ticket. A customer finds
    /// only their own tickets and published articles for customers — never another customer's
    /// ticket, an agent-only article, people or organisations.
    async fn one_search_finds_everything_the_caller_may_see(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let lead = desk.person("lead", None, false).await;
        let org = desk.organization("Quokkaline Shipping").await;
        let ana = desk.person("customer", Some(org), false).await;
        let ben = desk.person("customer", None, false).await;
        desk.patch(&desk.admin, &format!("/users/{}", ana.id), json!({"name": "Ana Quokkaline"})).await.expect(200);
        let hers = desk.ticket(&ana, "incident", "Quokkaline printer offline").await;
        let his = desk.ticket(&ben, "incident", "Quokkaline badge reader broken").await;
        let public = crate::knowledge::article(&desk, &agent, "customers", "Quokkaline printer guide", "Restart it.").await;
        let internal = crate::knowledge::article(&desk, &agent, "agents", "Quokkaline admin password", "In the vault.").await;
        crate::knowledge::publish(&desk, &lead, public).await;
        crate::knowledge::publish(&desk, &lead, internal).await;

        let staff = desk.get(&agent, "/api/v1/search?q=quokkaline").await.expect(200).body;
        assert_eq!(group_ids(&staff, "tickets"), {
            let mut both = vec![hers["id"].as_i64().unwrap(), his["id"].as_i64().unwrap()];
            both.sort_unstable();
            both
        });
        assert_eq!(group_ids(&staff, "people"), vec![ana.id]);
        assert_eq!(group_ids(&staff, "organizations"), vec![org]);
        assert_eq!(group_ids(&staff, "articles"), { let mut a = vec![public, internal]; a.sort_unstable(); a });
        assert_eq!(staff["ticket"], Value::Null);

        let customer = desk.get(&ana, "/api/v1/search?q=quokkaline").await.expect(200).body;
        assert_eq!(group_ids(&customer, "tickets"), vec![hers["id"].as_i64().unwrap()], "never another customer's ticket");
        assert_eq!(group_ids(&customer, "articles"), vec![public], "never an agent-only article");
        assert!(group_ids(&customer, "people").is_empty());
        assert!(group_ids(&customer, "organizations").is_empty());

        // A number names the ticket, for those who may see it only.
        let number = his["number"].as_str().unwrap();
        let found = desk.get(&agent, &format!("/api/v1/search?q={number}")).await.expect(200).body;
        assert_eq!(found["ticket"]["id"], his["id"]);
        let hash = desk.get(&agent, &format!("/api/v1/search?q=%23{}", his["id"])).await.expect(200).body;
        assert_eq!(hash["ticket"]["id"], his["id"]);
        let refused = desk.get(&ana, &format!("/api/v1/search?q={number}")).await.expect(200).body;
        assert_eq!(refused["ticket"], Value::Null, "a customer cannot reach another's ticket by number");
        assert!(group_ids(&refused, "tickets").is_empty());
        desk.get(&agent, "/api/v1/search?q=%22%3A%2A").await.problem(422, "validation_failed");
        desk.get(&agent, "/api/v1/search?q=x&bogus=1").await.problem(400, "invalid_query");
    }
}
