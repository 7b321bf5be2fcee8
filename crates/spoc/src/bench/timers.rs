//! The SLA timer scan at scale.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use spoc_app::{App, SystemClock, UserInput};
use spoc_domain::event::EventData;
use spoc_domain::priority::{Impact, PriorityMatrix, Urgency};
use spoc_domain::ticket::TicketKind;
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp};
use spoc_store::{Store, StoreOptions, TicketDraft};

use super::BenchArgs;
use super::load::{BenchTicket, bench_draft, unreachable_email, unreachable_name};

/// The SLA timer scan at scale: `n` open tickets with clocks (standard policy, 24×7), logged one
/// second apart; at the measuring instant about 1 % of them have a warning or breach due. Times
/// the count of due timers, each claim of 200, and the worker handling claimed tickets.
pub(super) async fn bench_timers(args: &BenchArgs, n: i64) -> anyhow::Result<()> {
    use spoc_domain::calendar::BusinessCalendar;
    use spoc_domain::sla::{PolicyTerms, next_due, start_clocks};
    std::fs::create_dir_all(&args.bench_dir)?;
    let path = args.bench_dir.join(format!("timers-{n}.db"));
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    let store = Store::connect(&StoreOptions::new(url.clone())).await?;
    store.migrate().await?;
    let app = App::new(store.clone(), Arc::new(SystemClock));
    app.prepare_desk(TenantId::FIRST).await?;
    let requester = app
        .system_create_user(
            TenantId::FIRST,
            UserInput {
                email: unreachable_email(),
                name: unreachable_name(),
                role: Role::Customer,
                organization_id: None,
                super_user: false,
                password: None,
            },
        )
        .await?
        .id;
    let policy = store
        .list_policies(TenantId::FIRST)
        .await?
        .into_iter()
        .find(|p| p.is_default)
        .context("no default SLA policy")?;
    let group = store
        .list_groups(TenantId::FIRST)
        .await?
        .first()
        .map(|g| g.id)
        .context("no group")?;
    let calendar = BusinessCalendar::always_open("UTC").map_err(|e| anyhow::anyhow!("{e}"))?;
    let terms = PolicyTerms::standard();
    let matrix = PriorityMatrix::default();
    let t0 = 1_800_000_000_000_000_i64;
    let started = Instant::now();
    let mut loaded = 0;
    while loaded < n {
        let end = (loaded + 10_000).min(n);
        let drafts: Vec<TicketDraft> = (loaded..end)
            .map(|i| {
                let impact = Impact::ALL[usize::try_from(i % 3).unwrap_or(0)];
                let urgency = Urgency::ALL[usize::try_from((i / 3) % 3).unwrap_or(0)];
                let mut draft = bench_draft(
                    BenchTicket {
                        kind: TicketKind::Incident,
                        title: format!("Timer bench ticket {i}"),
                        description: "Loaded by spoc bench --timers-only.".to_owned(),
                        impact,
                        urgency,
                        requester,
                        group,
                        at: Timestamp::from_micros(t0 + i * 1_000_000),
                    },
                    &matrix,
                )?;
                let (clocks, started) =
                    start_clocks(&terms, &draft.ticket, draft.ticket.created_at);
                draft
                    .events
                    .extend(started.into_iter().map(|clock| EventData::Sla { clock }));
                let due = next_due(&clocks, &calendar, terms.warning_percent);
                let resolution_due_at = clocks
                    .get(1)
                    .and_then(|c| c.due_at(&calendar).ok().flatten());
                draft.sla = Some(spoc_store::TicketSla {
                    policy_id: policy.id,
                    clocks,
                    next_due_at: due,
                    resolution_due_at,
                });
                Ok(draft)
            })
            .collect::<anyhow::Result<_>>()?;
        store.create_tickets_bulk(drafts).await?;
        loaded = end;
    }
    println!(
        "Loaded {n} tickets with clocks in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    store.optimize().await?;
    // Measure at the moment 1 % of the tickets have been logged: their warnings are due.
    let now = Timestamp::from_micros(t0 + n / 100 * 1_000_000);
    let started = Instant::now();
    let due = store.count_due_timers(now).await?;
    println!(
        "Tickets with a timer due: {due} of {n} (count in {:.1} ms)",
        started.elapsed().as_secs_f64() * 1e3
    );
    let mut claims = Vec::new();
    let mut claimed = 0;
    loop {
        let started = Instant::now();
        let batch = store
            .claim_due_timers(now, "bench", now.plus_micros(60_000_000), 200)
            .await?;
        claims.push(started.elapsed());
        claimed += batch.len();
        if batch.len() < 200 {
            break;
        }
    }
    claims.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "Claims of 200: {} claims, {claimed} tickets; p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        claims.len(),
        ms(claims[claims.len() / 2]),
        ms(claims[(claims.len() * 99 / 100).min(claims.len() - 1)]),
        ms(claims[claims.len() - 1]),
    );
    // Firing: a worker over the same data with its clock at `now` (leases expired by then).
    let worker = App::new(
        store.clone(),
        Arc::new(spoc_app::FakeClock::new(now.plus_micros(120_000_000))),
    );
    let started = Instant::now();
    let mut fired = 0;
    loop {
        let handled = worker.run_due_timers("bench-worker", 200).await?;
        fired += handled;
        if handled == 0 || started.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "Worker fired timers of {fired} tickets in {secs:.1} s ({:.0} tickets/s)",
        fired as f64 / secs
    );
    store.close().await;
    Ok(())
}
