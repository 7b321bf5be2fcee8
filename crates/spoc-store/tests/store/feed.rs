//! The change feed: every committed change once, in commit order, under concurrent writers and
//! in bulk, each with the tenant of the record that changed.

use spoc_domain::lifecycle;
use spoc_domain::priority::PriorityMatrix;
use spoc_domain::tenant::TenantScope;
use spoc_domain::{TenantId, TicketId, Timestamp};
use spoc_store::{Entity, Load, Store, StoreError, TicketChange, TicketDraft};

use crate::{Desk, FIRST, T0, backends, desk, log, opening, start};

/// Logs a ticket and starts it (two changes, two commits) within `scope`.
async fn log_and_start(store: &Store, desk: &Desk, scope: TenantScope, title: &str) -> TicketId {
    let ticket = log(store, desk, title, None).await;
    let at = T0 + 1_000_000;
    store
        .update_ticket_with(
            ticket.id,
            scope,
            Some(desk.agent.into()),
            Load::default(),
            |state| Ok::<_, StoreError>(Some(start(&state.ticket, desk.agent, at))),
        )
        .await
        .unwrap();
    ticket.id
}

/// The change feed under concurrent writers: a consumer following it from the head it read
/// first sees every committed ticket change exactly once, at consecutive positions (never a
/// later position before an earlier one, which on PostgreSQL would mean a skipped change), and
/// each ticket's changes in the order they were committed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_change_feed_delivers_every_commit_once_in_commit_order() {
    const WRITERS: usize = 8;
    const TICKETS_EACH: usize = 6;
    for backend in backends().await {
        let store = backend.store.clone();
        let desk = std::sync::Arc::new(desk(&store).await);
        let from = store.feed_head().await.unwrap();
        let expected = WRITERS * TICKETS_EACH * 2;

        let consumer = {
            let store = store.clone();
            tokio::spawn(async move {
                let mut last = from;
                let mut seen = Vec::new();
                while seen.len() < expected {
                    let batch = store.changes_after(last, 7).await.unwrap();
                    if batch.is_empty() {
                        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                    }
                    for change in batch {
                        assert_eq!(
                            change.position,
                            last + 1,
                            "no position is skipped or repeated"
                        );
                        last = change.position;
                        seen.push(change);
                    }
                }
                seen
            })
        };
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (store, desk) = (store.clone(), desk.clone());
                tokio::spawn(async move {
                    for n in 0..TICKETS_EACH {
                        let title = format!("Writer {w} ticket {n}");
                        log_and_start(&store, &desk, FIRST, &title).await;
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.await.unwrap();
        }
        let seen = tokio::time::timeout(std::time::Duration::from_secs(60), consumer)
            .await
            .expect("the consumer saw every change")
            .unwrap();
        assert_eq!(seen.len(), expected, "{}", backend.name);
        assert_eq!(
            store.feed_head().await.unwrap(),
            from + expected as i64,
            "{}",
            backend.name
        );
        assert!(
            store
                .changes_after(from + expected as i64, 10)
                .await
                .unwrap()
                .is_empty()
        );
        let mut per_ticket: std::collections::HashMap<i64, Vec<&str>> = Default::default();
        for change in &seen {
            assert_eq!(change.entity, spoc_store::Entity::Ticket);
            per_ticket
                .entry(change.entity_id)
                .or_default()
                .push(&change.kind);
        }
        assert_eq!(per_ticket.len(), WRITERS * TICKETS_EACH, "{}", backend.name);
        for (ticket, kinds) in &per_ticket {
            assert_eq!(
                kinds,
                &["created", "updated"],
                "ticket {ticket} on {}",
                backend.name
            );
        }
        // A refused change takes no position.
        let head = store.feed_head().await.unwrap();
        let ticket = log(&store, &desk, "Refused", None).await;
        let refused = store
            .update_ticket_with(
                ticket.id,
                FIRST,
                Some(desk.agent.into()),
                Load::default(),
                |_| Err::<Option<TicketChange>, _>(StoreError::NotFound),
            )
            .await;
        assert!(refused.is_err());
        let after: Vec<i64> = store
            .changes_after(head, 10)
            .await
            .unwrap()
            .iter()
            .map(|c| c.position)
            .collect();
        assert_eq!(after, vec![head + 1], "only the creation: {}", backend.name);
        backend.remove().await;
    }
}

/// A bulk load records a change per ticket in one transaction, more than one statement can
/// bind on SQLite: every one reaches the feed, at consecutive positions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_load_reaches_the_feed_whole() {
    const TICKETS: usize = 6_000;
    for backend in backends().await {
        let store = &backend.store;
        let desk = desk(store).await;
        let from = store.feed_head().await.unwrap();
        let drafts: Vec<TicketDraft> = (0..TICKETS)
            .map(|n| {
                let opened = lifecycle::open(
                    opening(&desk, &format!("Bulk ticket {n}")),
                    &PriorityMatrix::default(),
                    Timestamp::from_micros(T0),
                    |_| None,
                );
                TicketDraft {
                    ticket: opened.ticket,
                    events: opened.events,
                    actor: None,
                    sla: None,
                    outbox: Vec::new(),
                    mail: None,
                }
            })
            .collect();
        assert_eq!(store.create_tickets_bulk(drafts).await.unwrap(), TICKETS);
        assert_eq!(
            store.feed_head().await.unwrap(),
            from + TICKETS as i64,
            "{}",
            backend.name
        );
        let mut last = from;
        loop {
            let batch = store.changes_after(last, 1_000).await.unwrap();
            if batch.is_empty() {
                break;
            }
            for change in batch {
                assert_eq!(
                    (change.position, change.kind.as_str()),
                    (last + 1, "created")
                );
                last = change.position;
            }
        }
        assert_eq!(last, from + TICKETS as i64, "{}", backend.name);
        backend.remove().await;
    }
}

/// Every change carries the tenant of the record that changed, and a consumer that serves one
/// tenant, following `tenant_changes_after` from the head it read first while writers of two
/// tenants commit concurrently, sees each of its tenant's changes once, in commit order (the
/// order of the whole feed), and none of the other tenant's.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_tenant_follows_only_its_own_changes_in_commit_order() {
    const WRITERS_EACH: usize = 3;
    const TICKETS_EACH: usize = 4;
    for backend in backends().await {
        let store = backend.store.clone();
        let now = Timestamp::from_micros(T0);
        let first = std::sync::Arc::new(desk(&store).await);
        let tenant = store.create_tenant("Second", now).await.unwrap();
        let second = std::sync::Arc::new(crate::desk_in(&store, tenant).await);
        let from = store.feed_head().await.unwrap();
        // Each ticket is created and started; the second tenant also adds an organisation.
        let expected = WRITERS_EACH * TICKETS_EACH * 2 + 1;

        let consumer = {
            let store = store.clone();
            tokio::spawn(async move {
                let mut last = from;
                let mut seen = Vec::new();
                while seen.len() < expected {
                    let batch = store.tenant_changes_after(tenant, last, 5).await.unwrap();
                    if batch.is_empty() {
                        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                    }
                    for change in batch {
                        assert!(change.position > last, "positions only increase");
                        assert_eq!(change.tenant, tenant, "only the second tenant's");
                        last = change.position;
                        seen.push(change);
                    }
                }
                seen
            })
        };
        let writers: Vec<_> = (0..WRITERS_EACH * 2)
            .map(|w| {
                let store = store.clone();
                let (desk, scope) = if w % 2 == 0 {
                    (first.clone(), FIRST)
                } else {
                    (second.clone(), tenant.into())
                };
                tokio::spawn(async move {
                    let mut written = Vec::new();
                    for n in 0..TICKETS_EACH {
                        let title = format!("Writer {w} ticket {n}");
                        let ticket = log_and_start(&store, &desk, scope, &title).await;
                        written.push((ticket.get(), scope));
                    }
                    written
                })
            })
            .collect();
        let organization = store
            .create_organization(tenant, "Second's customers", now)
            .await
            .unwrap();
        let mut second_tickets = Vec::new();
        for writer in writers {
            for (ticket, scope) in writer.await.unwrap() {
                if scope != FIRST {
                    second_tickets.push(ticket);
                }
            }
        }
        let seen = tokio::time::timeout(std::time::Duration::from_secs(60), consumer)
            .await
            .expect("the consumer saw every change of its tenant")
            .unwrap();

        // The whole feed, read by the live feed's all-tenants read, says whose each change is.
        let all = store.changes_after(from, 1_000).await.unwrap();
        assert_eq!(
            all.len(),
            WRITERS_EACH * TICKETS_EACH * 4 + 1,
            "{}",
            backend.name
        );
        for change in &all {
            let expected_tenant = match change.entity {
                Entity::Ticket if second_tickets.contains(&change.entity_id) => tenant,
                Entity::Ticket => TenantId::FIRST,
                Entity::Organization => tenant,
                other => panic!("unexpected {other:?} change on {}", backend.name),
            };
            assert_eq!(
                change.tenant, expected_tenant,
                "{change:?} on {}",
                backend.name
            );
        }
        // The tenant's read is exactly the whole feed's changes of that tenant, in its order.
        let of_second: Vec<_> = all.iter().filter(|c| c.tenant == tenant).cloned().collect();
        assert_eq!(seen, of_second, "{}", backend.name);
        assert!(
            seen.iter()
                .any(|c| (c.entity, c.entity_id) == (Entity::Organization, organization.id.get()))
        );
        let mut per_ticket: std::collections::HashMap<i64, Vec<&str>> = Default::default();
        for change in seen.iter().filter(|c| c.entity == Entity::Ticket) {
            per_ticket
                .entry(change.entity_id)
                .or_default()
                .push(&change.kind);
        }
        assert_eq!(
            per_ticket.len(),
            WRITERS_EACH * TICKETS_EACH,
            "{}",
            backend.name
        );
        assert!(
            per_ticket
                .values()
                .all(|kinds| kinds == &["created", "updated"])
        );
        // The first tenant's read holds the rest, and nothing is left after the last.
        let of_first = store
            .tenant_changes_after(TenantId::FIRST, from, 1_000)
            .await
            .unwrap();
        assert_eq!(of_first.len() + seen.len(), all.len(), "{}", backend.name);
        assert!(of_first.iter().all(|c| c.tenant == TenantId::FIRST));
        let last = seen.last().map(|c| c.position).unwrap();
        assert!(
            store
                .tenant_changes_after(tenant, last, 10)
                .await
                .unwrap()
                .is_empty()
        );
        backend.remove().await;
    }
}
