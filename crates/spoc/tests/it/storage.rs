//! The storage contract: identical migration trees and equivalent schemas on both backends, and
//! a history the database itself refuses to rewrite.

use serde_json::json;
use spoc_store::{Backend, Store};

use crate::both_backends;
use crate::harness::{Db, Desk};

#[test]
fn migration_versions_are_identical_in_both_trees() {
    let sqlite = Store::migration_versions(Backend::Sqlite);
    let postgres = Store::migration_versions(Backend::Postgres);
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spoc-store/migrations");
    let names = |backend: &str| {
        let mut names: Vec<String> = std::fs::read_dir(dir.join(backend))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("sqlite"), names("postgres"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_have_the_same_schema() {
    let sqlite = Desk::start(Db::Sqlite).await;
    let postgres = Desk::start(Db::Postgres).await;
    let a = sqlite.app.store().describe_schema().await.unwrap();
    let b = postgres.app.store().describe_schema().await.unwrap();
    assert!(
        a.columns
            .iter()
            .any(|(t, c, _)| t == "tickets" && c == "version")
    );
    let only_sqlite: Vec<_> = a
        .columns
        .iter()
        .filter(|c| !b.columns.contains(c))
        .collect();
    let only_pg: Vec<_> = b
        .columns
        .iter()
        .filter(|c| !a.columns.contains(c))
        .collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "SQLite only: {only_sqlite:?}\nPostgreSQL only: {only_pg:?}"
    );
    assert_eq!(a.indexes, b.indexes);
}

both_backends! {
    async fn the_database_refuses_to_rewrite_history(desk: Desk) {
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let id = desk.ticket(&agent, "incident", "Immutable").await["id"].as_i64().unwrap();
        desk.post(&agent, &format!("/tickets/{id}/comments"), json!({ "body": "first words" })).await.expect(201);
        let before = desk.app.store().count_events().await.unwrap();
        // Logged, two SLA clocks started, the reply, and the first-response clock it stopped.
        assert_eq!(before, 5);
        let update = desk.sql(&format!("UPDATE ticket_events SET kind = 'tampered' WHERE ticket_id = {id}")).await;
        assert!(update.is_err(), "UPDATE of history must fail: {update:?}");
        let delete = desk.sql(&format!("DELETE FROM ticket_events WHERE ticket_id = {id}")).await;
        assert!(delete.is_err(), "DELETE of history must fail: {delete:?}");
        assert_eq!(desk.app.store().count_events().await.unwrap(), before);
        let events = desk.get(&agent, &format!("/tickets/{id}/events")).await.expect(200).body;
        assert!(events.as_array().unwrap().iter().all(|e| e["type"] != "tampered"));
    }

    async fn readiness_follows_the_database(desk: Desk) {
        let mut desk = desk;
        desk.send(reqwest::Method::GET, "/readyz", None, &[], None).await.expect(200);
        // With the database closed, the process is up but not ready.
        desk.app.store().close().await;
        desk.send(reqwest::Method::GET, "/healthz", None, &[], None).await.expect(200);
        let answer = desk.send(reqwest::Method::GET, "/readyz", None, &[], None).await;
        assert_eq!(answer.status, 503, "{}", answer.text);
        // And a request that needs the database gets a 503 problem, not a hang or a 500.
        let answer = desk.get(&desk.admin.clone(), "/tickets").await;
        assert_eq!(answer.status, 503, "{}", answer.text);
        assert!(answer.content_type().starts_with("application/problem+json"));
        desk.stop().await;
    }
}

both_backends! {
    /// A writer that read the clock before waiting for a ticket's lock behind another writer
    /// records its change no earlier than the one committed before it: a ticket's events in id
    /// order are in time order too.
    async fn event_times_follow_event_order(desk: Desk) {
        let customer = desk.person("customer", None, false).await;
        let id = desk.ticket(&customer, "incident", "Ordered history").await["id"].as_i64().unwrap();
        let store = desk.app.store().clone();
        let ticket = spoc_domain::TicketId::new(id);
        let late_clock = desk.app.now().plus_micros(-60_000_000);
        let write = |at: spoc_domain::Timestamp| {
            let store = store.clone();
            async move {
                store
                    .update_ticket::<spoc_store::StoreError, _>(ticket, spoc_domain::TenantId::FIRST.into(), None, |current, _| Ok(Some(crate::harness::breach_change(current, at))))
                    .await
                    .unwrap()
            }
        };
        // A change that read the clock a minute ago, committed after the ticket's creation.
        let updated = write(late_clock).await;
        assert!(updated.ticket.updated_at >= updated.events[0].at);
        let events = store.list_events(ticket, &spoc_domain::access::Scope::tenant(spoc_domain::TenantId::FIRST), true).await.unwrap();
        assert!(events.len() >= 2);
        for pair in events.windows(2) {
            assert!(pair[0].id.get() < pair[1].id.get());
            assert!(
                pair[0].at <= pair[1].at,
                "event {} at {:?} after event {} at {:?}",
                pair[0].id.get(), pair[0].at, pair[1].id.get(), pair[1].at
            );
        }
        let fetched = desk.get(&customer, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(fetched["version"], updated.ticket.version);
    }
}
