//! The fixture: bulk-loading tickets into the benchmark database, with the people, group and
//! words the measured phases use.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use spoc_app::{App, SystemClock, UserInput};
use spoc_domain::access::Scope;
use spoc_domain::lifecycle::{self, Opening};
use spoc_domain::org::{GroupRef, Tier};
use spoc_domain::priority::{Impact, PriorityMatrix, Urgency};
use spoc_domain::text::{Body, Email, Name, Title};
use spoc_domain::ticket::{Channel, TicketKind};
use spoc_domain::user::Role;
use spoc_domain::{GroupId, TenantId, Timestamp, UserId};
use spoc_store::{Store, StoreOptions, TicketDraft};

use super::BenchArgs;

pub(super) struct Fixture {
    pub(super) customer_token: String,
    pub(super) agent_token: String,
    pub(super) group_id: GroupId,
    /// The measured tenant.
    pub(super) tenant: TenantId,
    /// The measured tenant's bulk-loaded tickets: ids `first_ticket..first_ticket + n_tickets`.
    pub(super) first_ticket: i64,
    pub(super) n_tickets: i64,
    pub(super) words: Vec<String>,
}

pub(super) fn load_texts(path: Option<&PathBuf>) -> Vec<String> {
    let default = PathBuf::from("../shared/datasets/it_service_tickets_endava/tickets.csv");
    let path = path.cloned().unwrap_or(default);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return (0..1000)
            .map(|i| {
                format!(
                    "printer {i} on floor {} cannot print since the update, toner error code {}",
                    i % 9,
                    i * 7
                )
            })
            .collect();
    };
    text.lines()
        .skip(1)
        .filter_map(|line| line.split(',').next())
        .map(|doc| doc.trim_matches('"').to_owned())
        .filter(|doc| doc.len() > 10)
        .collect()
}

/// What the bulk loader varies between tickets.
pub(super) struct BenchTicket {
    pub(super) kind: TicketKind,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) impact: Impact,
    pub(super) urgency: Urgency,
    pub(super) requester: UserId,
    pub(super) group: GroupId,
    pub(super) at: Timestamp,
}

/// A bulk-loaded ticket, opened by the domain like every other ticket (no clocks: the caller
/// adds them where it wants them).
pub(super) fn bench_draft(t: BenchTicket, matrix: &PriorityMatrix) -> anyhow::Result<TicketDraft> {
    let opened = lifecycle::open(
        Opening {
            kind: t.kind,
            title: Title::parse(&t.title).context("a bench title")?,
            description: Body::parse(&t.description).context("a bench text")?,
            impact: t.impact,
            urgency: t.urgency,
            requester_id: t.requester,
            organization_id: None,
            group: GroupRef {
                id: t.group,
                tier: Tier::One,
                external_supplier: false,
            },
            category_id: None,
            subcategory_id: None,
            service_id: None,
            channel: Channel::Api,
        },
        matrix,
        t.at,
        |_| None,
    );
    Ok(TicketDraft {
        ticket: opened.ticket,
        events: opened.events,
        actor: Some(t.requester.into()),
        sla: None,
        outbox: Vec::new(),
        mail: None,
    })
}

pub(super) fn title_of(text: &str) -> String {
    let title: String = text
        .split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join(" ");
    title.chars().take(200).collect()
}

pub(super) async fn prepare(args: &BenchArgs, url: &str) -> anyhow::Result<Fixture> {
    let store = Store::connect(&StoreOptions::new(url)).await?;
    store.migrate().await?;
    let app = App::new(store.clone(), Arc::new(SystemClock));
    let texts = load_texts(args.texts.as_ref());
    let n_tenants = args.tenants.max(1);
    let per_tenant = i64::try_from(args.tickets / u64::from(n_tenants)).unwrap_or(i64::MAX);
    let mut tenants = store.tenant_ids().await?;
    while tenants.len() < usize::try_from(n_tenants).unwrap_or(usize::MAX) {
        let name = format!("Bench tenant {}", tenants.len() + 1);
        tenants.push(
            store
                .create_tenant(&name, spoc_app::Clock::now(&SystemClock))
                .await?,
        );
    }
    tenants.truncate(usize::try_from(n_tenants).unwrap_or(usize::MAX));
    // Measured: one tenant in the middle of the database (the only one on a single-tenant desk).
    let measured = tenants[tenants.len() / 2];
    let mut fixture = None;
    for &tenant in &tenants {
        let desk = prepare_tenant(&app, &store, tenant, &texts, per_tenant).await?;
        if tenant == measured {
            fixture = Some(desk);
        }
    }
    store.close().await;
    let mut words: Vec<String> = texts
        .iter()
        .take(2000)
        .flat_map(|t| t.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|w| w.len() >= 5 && w.chars().all(char::is_alphanumeric))
        .collect();
    words.sort();
    words.dedup();
    if words.is_empty() {
        words.push("printer".to_owned());
    }
    let desk = fixture.context("the measured tenant")?;
    Ok(Fixture {
        customer_token: desk.customer_token,
        agent_token: desk.agent_token,
        group_id: desk.group_id,
        tenant: measured,
        first_ticket: desk.first_ticket,
        n_tickets: per_tenant,
        words,
    })
}

/// One tenant's desk in the benchmark database: its customer and agent (with tokens), its
/// default group, and its share of the tickets, loaded once.
struct TenantDesk {
    customer_token: String,
    agent_token: String,
    group_id: GroupId,
    first_ticket: i64,
}

async fn prepare_tenant(
    app: &App,
    store: &Store,
    tenant: TenantId,
    texts: &[String],
    wanted: i64,
) -> anyhow::Result<TenantDesk> {
    let fail = |e: spoc_app::AppError| anyhow::anyhow!("{e}");
    app.prepare_desk(tenant).await.map_err(fail)?;
    let group_id = app.default_group_id(tenant).await.map_err(fail)?;
    // The benchmark's customer logs tickets as fast as it can, on its own desk: lift the
    // per-person limits there.
    app.system_set_rate_limits(
        tenant,
        spoc_app::RateLimits {
            tickets_per_person: 1_000_000,
            replies_per_person: 1_000_000,
            window_minutes: 1,
            staff_exempt: true,
        },
    )
    .await
    .map_err(fail)?;
    let user = |email: &str, role: Role| UserInput {
        email: Email::parse(email).unwrap_or_else(|_| unreachable_email()),
        name: Name::parse("Bench User").unwrap_or_else(|_| unreachable_name()),
        role,
        organization_id: None,
        super_user: false,
        password: None,
    };
    let customer_id = match store
        .find_user_by_email(tenant, "bench-customer@example.org")
        .await?
    {
        Some(u) => u.id,
        None => {
            app.system_create_user(tenant, user("bench-customer@example.org", Role::Customer))
                .await
                .map_err(fail)?
                .id
        }
    };
    let agent_id = match store
        .find_user_by_email(tenant, "bench-agent@example.org")
        .await?
    {
        Some(u) => u.id,
        None => {
            let agent = app
                .system_create_user(tenant, user("bench-agent@example.org", Role::Agent))
                .await
                .map_err(fail)?;
            store.add_group_member(group_id, agent.id).await?;
            agent.id
        }
    };
    let customer_token = app
        .issue_token(customer_id, "bench")
        .await
        .map_err(fail)?
        .secret;
    let agent_token = app
        .issue_token(agent_id, "bench")
        .await
        .map_err(fail)?
        .secret;
    let oldest = |limit: u32| {
        let mut query = spoc_store::TicketQuery::new(Scope::tenant(tenant), true);
        query.limit = limit;
        query.sort = spoc_store::TicketSort::CreatedAsc;
        query
    };
    let existing = store.list_tickets(&oldest(1)).await?.total;
    if existing < wanted {
        bulk_load(store, texts, customer_id, group_id, existing, wanted).await?;
    }
    // The bulk-loaded tickets are the tenant's oldest, with consecutive ids.
    let first_ticket = store
        .list_tickets(&oldest(1))
        .await?
        .tickets
        .first()
        .map_or(1, |t| t.id.get());
    Ok(TenantDesk {
        customer_token,
        agent_token,
        group_id,
        first_ticket,
    })
}

pub(super) fn unreachable_email() -> Email {
    // The literals above are valid; this keeps the code free of unwrap.
    Email::parse("bench@example.org").unwrap_or_else(|_| std::process::abort())
}

pub(super) fn unreachable_name() -> Name {
    Name::parse("Bench").unwrap_or_else(|_| std::process::abort())
}

pub(super) async fn bulk_load(
    store: &Store,
    texts: &[String],
    requester: UserId,
    group: GroupId,
    from: i64,
    to: i64,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let matrix = PriorityMatrix::default();
    let mut n_loaded = from;
    println!("Loading tickets {from}..{to} …");
    while n_loaded < to {
        let batch_end = (n_loaded + 10_000).min(to);
        let drafts: Vec<TicketDraft> = (n_loaded..batch_end)
            .map(|i| {
                let text = &texts[usize::try_from(i).unwrap_or(0) % texts.len()];
                let impact = Impact::ALL[usize::try_from(i % 3).unwrap_or(0)];
                let urgency = Urgency::ALL[usize::try_from((i / 3) % 3).unwrap_or(0)];
                bench_draft(
                    BenchTicket {
                        kind: if i % 4 == 0 {
                            TicketKind::ServiceRequest
                        } else {
                            TicketKind::Incident
                        },
                        title: title_of(text),
                        description: text.clone(),
                        impact,
                        urgency,
                        requester,
                        group,
                        at: Timestamp::from_micros(1_700_000_000_000_000 + i * 1_000_000),
                    },
                    &matrix,
                )
            })
            .collect::<anyhow::Result<_>>()?;
        store.create_tickets_bulk(drafts).await?;
        n_loaded = batch_end;
    }
    println!(
        "Loaded {} tickets in {:.1} s",
        to - from,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
