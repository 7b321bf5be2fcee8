//! The store's own suite, run on both backends: a fresh SQLite file, and a fresh schema in the
//! PostgreSQL at `SPOC_TEST_PG_URL` (skipped, with a note, only when that variable is unset).
//!
//! It checks the ticket write path's promises: a ticket is written exactly as the domain opened
//! it, every ticket change is one commit, a refused change leaves no trace, and every ticket
//! read takes the caller's scope.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicU64, Ordering};

use spoc_domain::access::{Principal, Scope, SystemActor, TicketScope};
use spoc_domain::calendar::CalendarSpec;
use spoc_domain::event::EventData;
use spoc_domain::lifecycle::{self, Command, Opening};
use spoc_domain::org::{GroupRef, Tier};
use spoc_domain::priority::{Impact, Priority, PriorityMatrix, Urgency};
use spoc_domain::sla::{ClockChange, PolicyTerms, SlaTarget, next_due};
use spoc_domain::sop::{Checklist, ReviewPolicy, SopContent};
use spoc_domain::tenant::TenantScope;
use spoc_domain::text::{Body, Title};
use spoc_domain::ticket::{Channel, ResolutionCode, Status, Ticket, TicketKind};
use spoc_domain::user::Role;
use spoc_domain::{GroupId, TenantId, TicketId, Timestamp, UserId};
use spoc_store::{
    Load, MailWrite, NewAttachment, NewSop, NewUser, PolicyInput, Store, StoreError, StoreOptions,
    TicketChange, TicketDraft, TicketSla, TicketSopRecord,
};

mod documents;
mod feed;
mod migration;

static NEXT: AtomicU64 = AtomicU64::new(0);

/// Every record of this suite belongs to the first tenant.
const FIRST: TenantScope = TenantScope::Tenant(TenantId::FIRST);

/// A unique name for this test process and call.
fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A store under test, with what it takes to remove it.
struct Backend {
    name: &'static str,
    store: Store,
    sqlite_file: Option<std::path::PathBuf>,
    pg_schema: Option<(String, String)>,
}

impl Backend {
    async fn remove(self) {
        self.store.close().await;
        if let Some(file) = self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
        if let Some((base, schema)) = self.pg_schema {
            let pool = sqlx::PgPool::connect(&base).await.unwrap();
            sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
    }
}

/// A fresh, migrated store on each backend.
async fn backends() -> Vec<Backend> {
    let mut out = Vec::new();
    let file = std::env::temp_dir().join(format!("{}.db", unique("spoc_store_test")));
    let store = Store::connect(&StoreOptions::new(format!("sqlite://{}", file.display())))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    out.push(Backend {
        name: "sqlite",
        store,
        sqlite_file: Some(file),
        pg_schema: None,
    });
    match std::env::var("SPOC_TEST_PG_URL") {
        Ok(base) => {
            let schema = unique("store");
            let pool = sqlx::PgPool::connect(&base).await.unwrap();
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
            let store = Store::connect(&StoreOptions::new(url)).await.unwrap();
            store.migrate().await.unwrap();
            out.push(Backend {
                name: "postgres",
                store,
                sqlite_file: None,
                pg_schema: Some((base, schema)),
            });
        }
        Err(_) => {
            eprintln!("SPOC_TEST_PG_URL is unset: the PostgreSQL half of this test is skipped")
        }
    }
    out
}

const T0: i64 = 1_800_000_000_000_000;

/// The people and group a ticket needs.
struct Desk {
    group: GroupId,
    requester: UserId,
    other: UserId,
    agent: UserId,
}

async fn desk(store: &Store) -> Desk {
    desk_in(store, TenantId::FIRST).await
}

/// The people and group a ticket needs, in `tenant`.
async fn desk_in(store: &Store, tenant: TenantId) -> Desk {
    let now = Timestamp::from_micros(T0);
    let group = store
        .create_group(tenant, "First line", Tier::One, false, now)
        .await
        .unwrap()
        .id;
    let person = |email: &str, role: Role| NewUser {
        tenant_id: tenant,
        email: email.to_owned(),
        name: email.to_owned(),
        role,
        organization_id: None,
        super_user: false,
        password_hash: None,
        now,
    };
    let requester = store
        .create_user(&person("requester@example.com", Role::Customer))
        .await
        .unwrap()
        .id;
    let other = store
        .create_user(&person("other@example.com", Role::Customer))
        .await
        .unwrap()
        .id;
    let agent = store
        .create_user(&person("agent@example.com", Role::Agent))
        .await
        .unwrap()
        .id;
    Desk {
        group,
        requester,
        other,
        agent,
    }
}

fn opening(desk: &Desk, title: &str) -> Opening {
    Opening {
        kind: TicketKind::Incident,
        title: Title::parse(title).unwrap(),
        description: Body::parse("It stopped working this morning.").unwrap(),
        impact: Impact::High,
        urgency: Urgency::Medium,
        requester_id: desk.requester,
        organization_id: None,
        group: GroupRef {
            id: desk.group,
            tier: Tier::One,
            external_supplier: false,
        },
        category_id: None,
        subcategory_id: None,
        service_id: None,
        channel: Channel::Portal,
    }
}

/// A plain ticket (no clocks), written through the store.
async fn log(store: &Store, desk: &Desk, title: &str, mail: Option<MailWrite>) -> Ticket {
    let opened = lifecycle::open(
        opening(desk, title),
        &PriorityMatrix::default(),
        Timestamp::from_micros(T0),
        |_| None,
    );
    store
        .create_ticket(TicketDraft {
            ticket: opened.ticket,
            events: opened.events,
            actor: Some(desk.requester.into()),
            sla: None,
            outbox: Vec::new(),
            mail,
        })
        .await
        .unwrap()
        .ticket
}

/// A decided start of `ticket` by the agent.
fn start(ticket: &Ticket, agent: UserId, at: i64) -> TicketChange {
    let outcome = lifecycle::decide(
        ticket,
        Command::Start { actor: agent },
        Timestamp::from_micros(at),
    )
    .unwrap();
    TicketChange {
        ticket: outcome.ticket,
        events: outcome.events,
        outbox: Vec::new(),
        notifications: Vec::new(),
        sla: None,
        mail: None,
        sop: None,
        article_use: None,
    }
}

/// A ticket is stored exactly as `lifecycle::open` made it, with the same ticket, events and
/// clocks the store used to derive itself: status new, version 1, priority from the matrix, a
/// `created` event, then one `sla` started event per clock of the chosen policy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_is_stored_as_the_domain_opened_it() {
    for backend in backends().await {
        let store = &backend.store;
        let desk = desk(store).await;
        let now = Timestamp::from_micros(T0);
        let calendar = store
            .create_calendar(
                TenantId::FIRST,
                "Always",
                &CalendarSpec {
                    time_zone: "UTC".to_owned(),
                    always_open: true,
                    hours: Vec::new(),
                    holidays: Vec::new(),
                },
                now,
            )
            .await
            .unwrap();
        let terms = PolicyTerms::standard();
        let policy = store
            .create_policy(
                TenantId::FIRST,
                &PolicyInput {
                    name: "Standard".to_owned(),
                    position: 0,
                    is_default: true,
                    calendar_id: calendar.id,
                    terms: terms.clone(),
                },
                now,
            )
            .await
            .unwrap();
        let matrix = PriorityMatrix::default();
        let opened = lifecycle::open(opening(&desk, "Mail is down"), &matrix, now, |_| {
            Some(&terms)
        });
        assert_eq!(
            opened.clocks.len(),
            2,
            "{}: first response and resolution",
            backend.name
        );
        let always = spoc_domain::calendar::BusinessCalendar::always_open("UTC").unwrap();
        let sla = TicketSla {
            policy_id: policy.id,
            next_due_at: next_due(&opened.clocks, &always, terms.warning_percent),
            resolution_due_at: opened.clocks[1].due_at(&always).unwrap(),
            clocks: opened.clocks.clone(),
        };
        let created = store
            .create_ticket(TicketDraft {
                ticket: opened.ticket.clone(),
                events: opened.events.clone(),
                actor: Some(desk.requester.into()),
                sla: Some(sla.clone()),
                outbox: Vec::new(),
                mail: None,
            })
            .await
            .unwrap();
        let id = created.ticket.id;
        assert!(id.get() > 0, "{}", backend.name);

        // The ticket: what the store derived before, field by field.
        let stored = store
            .get_ticket(id, &Scope::tenant(TenantId::FIRST))
            .await
            .unwrap();
        let expected = Ticket {
            id,
            ..opened.ticket.clone()
        };
        assert_eq!(stored, expected, "{}", backend.name);
        assert_eq!(created.ticket, expected, "{}", backend.name);
        assert_eq!(
            (
                stored.status,
                stored.version,
                stored.priority,
                stored.created_at,
                stored.updated_at
            ),
            (
                Status::New,
                1,
                matrix.priority(Impact::High, Urgency::Medium),
                now,
                now
            ),
            "{}",
            backend.name
        );
        assert_eq!(stored.priority, Priority::P2, "{}", backend.name);

        // The events: `created`, then each clock started, in the policy's order.
        let events: Vec<EventData> = store
            .list_events(id, &Scope::tenant(TenantId::FIRST), true)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.data)
            .collect();
        let started = |target| EventData::Sla {
            clock: ClockChange::Started {
                target,
                target_micros: terms.target(target, stored.priority).unwrap(),
            },
        };
        assert_eq!(
            events,
            vec![
                lifecycle::created_event(&stored),
                started(SlaTarget::FirstResponse),
                started(SlaTarget::Resolution),
            ],
            "{}",
            backend.name
        );

        // The clocks, as given.
        let slas = store.ticket_slas(&[id]).await.unwrap();
        assert_eq!(slas.get(&id), Some(&sla), "{}", backend.name);
        backend.remove().await;
    }
}

/// Every ticket change is exactly one commit: a creation, a lifecycle change, an annex change
/// (a checklist tick or an attached article). A decision that changes nothing or is refused
/// commits nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ticket_change_is_one_commit() {
    for backend in backends().await {
        let store = &backend.store;
        let desk = desk(store).await;

        let before = store.commit_count();
        let ticket = log(store, &desk, "Printer jams", None).await;
        assert_eq!(
            store.commit_count(),
            before + 1,
            "{}: creation",
            backend.name
        );

        let before = store.commit_count();
        let started = store
            .update_ticket(ticket.id, FIRST, Some(desk.agent.into()), |t, _| {
                Ok::<_, StoreError>(Some(start(t, desk.agent, T0 + 1_000_000)))
            })
            .await
            .unwrap();
        assert_eq!(store.commit_count(), before + 1, "{}: start", backend.name);
        assert_eq!(started.ticket.version, 2, "{}", backend.name);

        let before = store.commit_count();
        let noted = store
            .update_ticket_annex(
                ticket.id,
                FIRST,
                Some(desk.agent.into()),
                Timestamp::from_micros(T0 + 2_000_000),
                |_, _| {
                    Ok::<_, StoreError>(Some(spoc_store::AnnexChange {
                        events: vec![EventData::Commented {
                            internal: true,
                            body: "Checked the tray.".to_owned(),
                        }],
                        sop: None,
                        article_use: None,
                    }))
                },
            )
            .await
            .unwrap();
        assert_eq!(store.commit_count(), before + 1, "{}: annex", backend.name);
        assert_eq!(noted.ticket.version, 3, "{}", backend.name);

        // Nothing to do, or refused: no commit, nothing written.
        let before = store.commit_count();
        let events_before = store.count_events().await.unwrap();
        store
            .update_ticket(ticket.id, FIRST, Some(desk.agent.into()), |_, _| {
                Ok::<_, StoreError>(None)
            })
            .await
            .unwrap();
        let refused = store
            .update_ticket(ticket.id, FIRST, Some(desk.agent.into()), |_, _| {
                Err::<Option<TicketChange>, _>(StoreError::Conflict {
                    what: "refused".to_owned(),
                    unique: false,
                })
            })
            .await;
        assert!(refused.is_err(), "{}", backend.name);
        assert_eq!(store.commit_count(), before, "{}: no commit", backend.name);
        assert_eq!(
            store.count_events().await.unwrap(),
            events_before,
            "{}",
            backend.name
        );

        backend.remove().await;
    }
}

/// The history and the change feed record who acted: a person by id, the system by the part
/// that acted (and never both), and a review the scan opens as the SOP review scan.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_and_feed_record_who_acted() {
    for backend in backends().await {
        let store = &backend.store;
        let desk = desk(store).await;
        let head = store.feed_head().await.unwrap();
        let ticket = log(store, &desk, "Who acted", None).await;
        let timer = Principal::System(SystemActor::SlaTimer);
        store
            .update_ticket(ticket.id, FIRST, Some(timer), |t, _| {
                let outcome = lifecycle::record(
                    t,
                    EventData::Commented {
                        internal: true,
                        body: "Checked by the timer.".to_owned(),
                    },
                    Timestamp::from_micros(T0 + 1_000_000),
                )
                .unwrap();
                Ok::<_, StoreError>(Some(TicketChange {
                    ticket: outcome.ticket,
                    events: outcome.events,
                    outbox: Vec::new(),
                    notifications: Vec::new(),
                    sla: None,
                    mail: None,
                    sop: None,
                    article_use: None,
                }))
            })
            .await
            .unwrap();
        let history = store
            .list_events(ticket.id, &Scope::tenant(TenantId::FIRST), true)
            .await
            .unwrap();
        let who: Vec<_> = history
            .iter()
            .map(|e| (e.data.kind(), e.actor_id, e.actor_system))
            .collect();
        assert_eq!(
            who,
            vec![
                ("created", Some(desk.requester), None),
                ("commented", None, Some(SystemActor::SlaTimer)),
            ],
            "{}",
            backend.name
        );
        let sop = sop(store, desk.agent).await;
        let opened = store
            .open_review(
                sop,
                spoc_domain::sop::ReviewTrigger::Scheduled,
                "scheduled:1",
                None,
                None,
                &[],
                &[],
                Timestamp::from_micros(T0 + 2_000_000),
            )
            .await
            .unwrap();
        assert!(opened.is_some());
        let feed: Vec<_> = store
            .changes_after(head, 100)
            .await
            .unwrap()
            .into_iter()
            .map(|c| (c.entity.as_str(), c.kind, c.actor_id, c.actor_system))
            .collect();
        assert_eq!(
            feed,
            vec![
                ("ticket", "created".to_owned(), Some(desk.requester), None),
                (
                    "ticket",
                    "commented".to_owned(),
                    None,
                    Some(SystemActor::SlaTimer)
                ),
                ("sop", "created".to_owned(), None, None),
                (
                    "sop",
                    "review_opened".to_owned(),
                    None,
                    Some(SystemActor::SopReview)
                ),
            ],
            "{}",
            backend.name
        );
        backend.remove().await;
    }
}

/// An SOP to bind tickets to (the store does not judge its content).
async fn sop(store: &Store, owner: UserId) -> i64 {
    let content: SopContent = serde_json::from_value(serde_json::json!({
        "title": "Reconnect",
        "purpose": "Restore the connection.",
        "scope": "Remote staff.",
        "trigger": "The VPN drops.",
        "roles": [{"role": "Analyst", "duty": "Reconnects."}],
        "inputs": [],
        "steps": [{"key": "reconnect", "text": "Reconnect the client."}],
        "decisions": [],
        "exceptions": [],
        "escalations": [],
        "checks": [],
        "references": []
    }))
    .unwrap();
    store
        .create_sop(&NewSop {
            key: "reconnect".to_owned(),
            content,
            change_summary: "First".to_owned(),
            owner_id: owner,
            reviewer_id: None,
            approver_id: None,
            policy: ReviewPolicy::DEFAULT,
            links: Vec::new(),
            author_id: Some(owner),
            now: Timestamp::from_micros(T0),
        })
        .await
        .unwrap()
        .id
        .get()
}

/// Resolves a started ticket under the lock, binding it to `sop` in the same change, or
/// refusing the whole decision after building it (as the SOP gate does when a quality check
/// does not hold).
async fn resolve_binding(
    store: &Store,
    ticket: TicketId,
    sop_id: i64,
    agent: UserId,
    refuse: bool,
) -> Result<spoc_store::Updated, StoreError> {
    store
        .update_ticket_with(
            ticket,
            FIRST,
            Some(agent.into()),
            Load { history: true },
            |state| {
                let at = Timestamp::from_micros(T0 + 2_000_000);
                let outcome = lifecycle::decide(
                    &state.ticket,
                    Command::Resolve {
                        code: ResolutionCode::Solved,
                        notes: Body::parse("Reconnected.").unwrap(),
                    },
                    at,
                )
                .unwrap();
                let mut events = vec![EventData::SopApplied {
                    sop_id,
                    version: 1,
                    title: "Reconnect".to_owned(),
                }];
                events.extend(outcome.events);
                let change = TicketChange {
                    ticket: outcome.ticket,
                    events,
                    outbox: Vec::new(),
                    notifications: Vec::new(),
                    sla: None,
                    mail: None,
                    sop: Some(TicketSopRecord {
                        ticket_id: state.ticket.id,
                        sop_id,
                        version: 1,
                        checklist: Checklist::default(),
                        bound_at: at,
                        bound_by: Some(agent),
                    }),
                    article_use: None,
                };
                if refuse {
                    return Err(StoreError::Conflict {
                        what: "quality checks missing".to_owned(),
                        unique: false,
                    });
                }
                Ok(Some(change))
            },
        )
        .await
}

/// A resolve that binds the ticket to its SOP is one commit with the binding; a resolve the
/// decision refuses leaves no trace: no binding, no event, the version unchanged, no commit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_resolve_leaves_no_trace() {
    for backend in backends().await {
        let store = &backend.store;
        let desk = desk(store).await;
        let sop_id = sop(store, desk.agent).await;
        let mut started = Vec::new();
        for title in ["VPN drops", "VPN drops again"] {
            let ticket = log(store, &desk, title, None).await;
            let ticket = store
                .update_ticket(ticket.id, FIRST, Some(desk.agent.into()), |t, _| {
                    Ok::<_, StoreError>(Some(start(t, desk.agent, T0 + 1_000_000)))
                })
                .await
                .unwrap()
                .ticket;
            started.push(ticket);
        }

        // Accepted: the binding, its event and the resolve land together, in one commit.
        let before = store.commit_count();
        let resolved = resolve_binding(store, started[0].id, sop_id, desk.agent, false)
            .await
            .unwrap();
        assert_eq!(store.commit_count(), before + 1, "{}", backend.name);
        assert_eq!(
            (resolved.ticket.status, resolved.ticket.version),
            (Status::Resolved, started[0].version + 1),
            "{}",
            backend.name
        );
        let bound = store
            .ticket_sop(started[0].id, &Scope::tenant(TenantId::FIRST))
            .await
            .unwrap();
        assert_eq!(
            bound.map(|b| (b.sop_id, b.version)),
            Some((sop_id, 1)),
            "{}",
            backend.name
        );

        // Refused: nothing of it is stored.
        let id = started[1].id;
        let events_before = store
            .list_events(id, &Scope::tenant(TenantId::FIRST), true)
            .await
            .unwrap();
        let before = store.commit_count();
        let refused = resolve_binding(store, id, sop_id, desk.agent, true).await;
        assert!(refused.is_err(), "{}", backend.name);
        assert_eq!(store.commit_count(), before, "{}: no commit", backend.name);
        let now = store
            .get_ticket(id, &Scope::tenant(TenantId::FIRST))
            .await
            .unwrap();
        assert_eq!(
            now, started[1],
            "{}: version and state unchanged",
            backend.name
        );
        assert_eq!(
            store
                .ticket_sop(id, &Scope::tenant(TenantId::FIRST))
                .await
                .unwrap(),
            None,
            "{}: not bound",
            backend.name
        );
        assert_eq!(
            store
                .list_events(id, &Scope::tenant(TenantId::FIRST), true)
                .await
                .unwrap(),
            events_before,
            "{}: no event",
            backend.name
        );
        backend.remove().await;
    }
}

/// Every read of a ticket's parts takes the caller's scope: outside it, the ticket, its
/// events, attachments, inbound messages and SOP annex do not exist; inside it, they do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ticket_read_takes_a_scope() {
    for backend in backends().await {
        let store = &backend.store;
        let desk = desk(store).await;
        let mail = MailWrite {
            inbound: None,
            attachments: vec![NewAttachment {
                filename: "screen.txt".to_owned(),
                content_type: "text/plain".to_owned(),
                content: b"flicker".to_vec(),
                inline: false,
                content_id: None,
                public: true,
            }],
            thread_ids: Vec::new(),
            settle: None,
        };
        let ticket = log(store, &desk, "Screen flickers", Some(mail)).await;
        let id: TicketId = ticket.id;
        let first = |tickets| Scope {
            tenant: FIRST,
            tickets,
            linked: Vec::new(),
        };
        let mine = first(TicketScope::Requester(desk.requester));
        let theirs = first(TicketScope::Requester(desk.other));
        let agents = first(TicketScope::Groups {
            user_id: desk.agent,
            group_ids: vec![desk.group],
        });
        let everything = Scope::tenant(TenantId::FIRST);
        // Another tenant sees none of the first tenant's tickets, whatever its visibility.
        let other_tenant = Scope::tenant(TenantId::new(2));

        for (scope, visible) in [
            (&mine, true),
            (&agents, true),
            (&everything, true),
            (&theirs, false),
            (&other_tenant, false),
        ] {
            let what = format!("{}: {scope:?}", backend.name);
            let got = store.get_ticket(id, scope).await;
            assert_eq!(got.is_ok(), visible, "{what}: ticket");
            if !visible {
                assert!(matches!(got, Err(StoreError::NotFound)), "{what}");
            }
            let events = store.list_events(id, scope, true).await.unwrap();
            assert_eq!(!events.is_empty(), visible, "{what}: events");
            let attachments = store.list_attachments(id, scope, true).await.unwrap();
            assert_eq!(
                attachments.len(),
                usize::from(visible),
                "{what}: attachments"
            );
            assert!(
                store.inbound_of_ticket(id, scope).await.unwrap().is_empty(),
                "{what}: inbound"
            );
            assert_eq!(
                store.ticket_sop(id, scope).await.unwrap(),
                None,
                "{what}: annex"
            );
        }
        backend.remove().await;
    }
}
