//! Optimistic concurrency: a stale write is refused (409 with `version`, 412 with `If-Match`,
//! 428 without either), never silently applied; racing writers get exactly one winner.

use reqwest::Method;
use serde_json::json;

use spoc_domain::org::Tier;
use spoc_domain::priority::{Impact, Urgency};
use spoc_domain::ticket::{Channel, TicketKind};
use spoc_domain::{GroupId, Timestamp, UserId};
use spoc_store::{StoreError, TicketDraft};

use crate::both_backends;
use crate::harness::Desk;

both_backends! {
    async fn stale_writes_are_refused(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let other = desk.agent_in(&[desk.default_group().await]).await;
        let created = desk.ticket(&agent, "incident", "Original title").await;
        let id = created["id"].as_i64().unwrap();

        let fetched = desk.get(&agent, &format!("/tickets/{id}")).await.expect(200);
        let etag = fetched.headers.get("etag").unwrap().to_str().unwrap().to_owned();
        assert_eq!(etag, "\"1\"");

        // Another agent edits first.
        let t = desk
            .patch(&other, &format!("/tickets/{id}"), json!({ "version": 1, "title": "Their title" }))
            .await
            .expect(200)
            .body;
        assert_eq!(t["version"], 2);

        // With the stale version in the body: 409 naming the current version.
        let conflict = desk
            .patch(&agent, &format!("/tickets/{id}"), json!({ "version": 1, "title": "My title" }))
            .await
            .problem(409, "version_conflict");
        assert_eq!(conflict.body["current_version"], 2);
        // With the stale ETag in If-Match: 412.
        desk.send(
            Method::PATCH,
            &format!("/tickets/{id}"),
            Some(&agent.token),
            &[("If-Match", etag.as_str())],
            Some(("application/json", br#"{"title":"My title"}"#.to_vec())),
        )
        .await
        .problem(412, "precondition_failed");
        // Without any version: 428.
        desk.patch(&agent, &format!("/tickets/{id}"), json!({ "title": "My title" }))
            .await
            .problem(428, "version_required");
        // Actions check a given version the same way.
        desk.act(&agent, id, "start", json!({ "version": 1 })).await.problem(409, "version_conflict");

        let t = desk.get(&agent, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(t["title"], "Their title", "no silent overwrite");
        assert_eq!(t["version"], 2);

        // With the current ETag it goes through.
        let ok = desk
            .send(
                Method::PATCH,
                &format!("/tickets/{id}"),
                Some(&agent.token),
                &[("If-Match", "\"2\"")],
                Some(("application/json", br#"{"title":"My title"}"#.to_vec())),
            )
            .await
            .expect(200);
        assert_eq!(ok.body["title"], "My title");
        assert_eq!(ok.headers.get("etag").unwrap(), "\"3\"");
        let events = desk.get(&agent, &format!("/tickets/{id}/events")).await.expect(200).body;
        let titles: Vec<_> = events
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == "field_changed")
            .map(|e| (e["data"]["from"].clone(), e["data"]["to"].clone()))
            .collect();
        assert_eq!(
            titles,
            vec![
                (json!("Original title"), json!("Their title")),
                (json!("Their title"), json!("My title")),
            ]
        );
    }

    async fn racing_writers_get_exactly_one_winner(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let id = desk.ticket(&agent, "incident", "Race").await["id"].as_i64().unwrap();
        let writers = (0..12).map(|n| {
            let desk = &desk;
            let agent = &agent;
            async move {
                desk.patch(agent, &format!("/tickets/{id}"), json!({ "version": 1, "title": format!("Writer {n}") }))
                    .await
            }
        });
        let answers = futures_util::future::join_all(writers).await;
        let winners: Vec<_> = answers.iter().filter(|a| a.status == 200).collect();
        assert_eq!(winners.len(), 1, "{:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
        for answer in answers.iter().filter(|a| a.status != 200) {
            assert_eq!(answer.status, 409, "{}", answer.text);
            assert_eq!(answer.body["code"], "version_conflict");
        }
        let t = desk.get(&agent, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(t["version"], 2);
        assert_eq!(t["title"], winners[0].body["title"]);
        let events = desk.get(&agent, &format!("/tickets/{id}/events")).await.expect(200).body;
        assert_eq!(events.as_array().unwrap().iter().filter(|e| e["type"] == "field_changed").count(), 1);
    }

    async fn concurrent_creations_all_land_with_unique_numbers(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let creations = (0..40).map(|n| {
            let desk = &desk;
            let agent = &agent;
            async move { desk.ticket(agent, if n % 2 == 0 { "incident" } else { "service_request" }, &format!("Parallel {n}")).await }
        });
        let tickets = futures_util::future::join_all(creations).await;
        let mut numbers: Vec<String> = tickets.iter().map(|t| t["number"].as_str().unwrap().to_owned()).collect();
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), 40);
        let list = desk.get(&agent, "/tickets?limit=1").await.expect(200).body;
        assert_eq!(list["total"], 40);
    }

    /// Creations that arrive together are committed together on SQLite (group commit); a
    /// creation that breaks a database rule fails alone and the others land, each exactly once.
    async fn a_bad_creation_among_concurrent_ones_fails_alone(desk: Desk) {
        let store = desk.app.store().clone();
        let group = GroupId::new(desk.default_group().await);
        let requester = UserId::new(desk.admin.id);
        let draft = |n: i64, requester: UserId| {
            let opened = spoc_domain::lifecycle::open(
                spoc_domain::lifecycle::Opening {
                    kind: TicketKind::Incident,
                    title: spoc_domain::text::Title::parse(&format!("Grouped {n}")).unwrap(),
                    description: spoc_domain::text::Body::parse("Arrived together with others.").unwrap(),
                    impact: Impact::Low,
                    urgency: Urgency::Low,
                    requester_id: requester,
                    organization_id: None,
                    group: spoc_domain::org::GroupRef { id: group, tier: Tier::One, external_supplier: false },
                    category_id: None,
                    subcategory_id: None,
                    service_id: None,
                    channel: Channel::Api,
                },
                &spoc_domain::priority::PriorityMatrix::default(),
                Timestamp::from_micros(1_790_000_000_000_000 + n),
                |_| None,
            );
            TicketDraft {
                ticket: opened.ticket,
                events: opened.events,
                actor: Some(requester.into()),
                sla: None,
                outbox: Vec::new(),
                mail: None,
            }
        };
        let creations = (0..60).map(|n| {
            let store = store.clone();
            // Every tenth names a requester that does not exist: a foreign-key violation.
            let who = if n % 10 == 7 { UserId::new(987_654_321) } else { requester };
            let draft = draft(n, who);
            tokio::spawn(async move { store.create_ticket(draft).await })
        });
        let results = futures_util::future::join_all(creations).await;
        let mut ids = Vec::new();
        for (n, result) in results.into_iter().enumerate() {
            match result.unwrap() {
                Ok(created) if n % 10 != 7 => ids.push(created.ticket.id.get()),
                Ok(created) => panic!("creation {n} with a missing requester landed: {created:?}"),
                Err(StoreError::Conflict { unique: false, .. }) if n % 10 == 7 => {}
                Err(e) => panic!("creation {n} failed: {e}"),
            }
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 54);
        let list = desk.get(&desk.admin, "/tickets?limit=1").await.expect(200).body;
        assert_eq!(list["total"], 54, "exactly the good ones, once each");
        for id in ids {
            let events = desk.get(&desk.admin, &format!("/tickets/{id}/events")).await.expect(200).body;
            assert_eq!(events.as_array().unwrap().len(), 1, "one created event each");
        }
    }
}
