//! The fixture: bulk-loading tickets into the benchmark database, with the people, group and
//! words the measured phases use.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use spoc_app::{App, SystemClock, UserInput};
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
    app.prepare_desk(TenantId::FIRST)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let group_id = app
        .default_group_id(TenantId::FIRST)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    // The benchmark's customer logs tickets as fast as it can, on its own desk: lift the
    // per-person limits there.
    app.system_set_rate_limits(
        TenantId::FIRST,
        spoc_app::RateLimits {
            tickets_per_person: 1_000_000,
            replies_per_person: 1_000_000,
            window_minutes: 1,
            staff_exempt: true,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let texts = load_texts(args.texts.as_ref());
    let user = |email: &str, role: Role| UserInput {
        email: Email::parse(email).unwrap_or_else(|_| unreachable_email()),
        name: Name::parse("Bench User").unwrap_or_else(|_| unreachable_name()),
        role,
        organization_id: None,
        super_user: false,
        password: None,
    };
    let customer_id = match store
        .find_user_by_email(TenantId::FIRST, "bench-customer@example.org")
        .await?
    {
        Some(u) => u.id,
        None => {
            app.system_create_user(
                TenantId::FIRST,
                user("bench-customer@example.org", Role::Customer),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .id
        }
    };
    let agent_id = match store
        .find_user_by_email(TenantId::FIRST, "bench-agent@example.org")
        .await?
    {
        Some(u) => u.id,
        None => {
            let agent = app
                .system_create_user(
                    TenantId::FIRST,
                    user("bench-agent@example.org", Role::Agent),
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            store.add_group_member(group_id, agent.id).await?;
            agent.id
        }
    };
    let customer_token = app
        .issue_token(customer_id, "bench")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .secret;
    let agent_token = app
        .issue_token(agent_id, "bench")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .secret;
    let existing = {
        let scope = spoc_domain::access::Scope::tenant(TenantId::FIRST);
        let mut query = spoc_store::TicketQuery::new(scope, true);
        query.limit = 1;
        store.list_tickets(&query).await?.total
    };
    let wanted = i64::try_from(args.tickets).unwrap_or(i64::MAX);
    if existing < wanted {
        bulk_load(&store, &texts, customer_id, group_id, existing, wanted).await?;
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
    Ok(Fixture {
        customer_token,
        agent_token,
        group_id,
        words,
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
