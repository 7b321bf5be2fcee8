//! `spoc bench`: bulk-loads tickets into a benchmark database, starts the real server as a
//! separate process, drives its HTTP API from this process and reports throughput, latency
//! percentiles and the server's memory, with the machine it ran on.
#![allow(clippy::print_stdout)]

mod calendar;
mod creation;
mod load;
mod mail;
mod queues;
mod report;
mod server;
mod timers;

use std::path::PathBuf;

use clap::Args;
use spoc_store::Backend;

use calendar::bench_calendar;
use creation::creations;
use load::prepare;
use mail::bench_mail;
use queues::latencies;
use report::{machine, rss_kib};
use server::start_server;
use timers::bench_timers;

/// Options of `spoc bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// How many tickets the database holds before measuring (bulk-loaded once; reused later).
    #[arg(long, default_value_t = 100_000)]
    tickets: u64,
    /// Spread the tickets over this many tenants (the first and more made for the benchmark)
    /// and measure one tenant's agent; 1 is a single-company desk.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    tenants: u32,
    /// The benchmark's own data directory (SQLite).
    #[arg(long, default_value = "spoc-bench-data", value_name = "DIR")]
    bench_dir: PathBuf,
    /// Benchmark PostgreSQL instead: a database URL that the benchmark may fill.
    #[arg(long, value_name = "URL")]
    bench_database: Option<String>,
    /// Seconds each ticket-creation run lasts.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Requests per latency measurement (fetch, queue, search).
    #[arg(long, default_value_t = 2000)]
    requests: usize,
    /// Ticket texts to load (CSV with the text in the first column); default: the Endava
    /// dataset in ../shared/datasets if present, else generated text.
    #[arg(long, value_name = "CSV")]
    texts: Option<PathBuf>,
    /// Only measure business-calendar arithmetic (SLA due times), without a server or database.
    #[arg(long)]
    calendar_only: bool,
    /// Only measure the SLA timer scan: load this many open tickets with clocks into a fresh
    /// database in the bench directory (about 1 % with a timer due) and time the worker's claims.
    #[arg(long, value_name = "TICKETS")]
    timers_only: Option<i64>,
    /// Only measure mail intake: write a local Maildir of this many messages (new requests,
    /// replies to them, HTML and attachments) once, then time parsing alone and turning each
    /// into a ticket or a reply on a fresh database.
    #[arg(long, value_name = "MESSAGES")]
    mail_only: Option<usize>,
}

/// Runs the benchmark and prints a Markdown report.
pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    if args.calendar_only {
        return bench_calendar();
    }
    if let Some(n) = args.timers_only {
        return bench_timers(&args, n.max(100)).await;
    }
    if let Some(n) = args.mail_only {
        return bench_mail(&args, n.max(10)).await;
    }
    let url = match &args.bench_database {
        Some(url) => url.clone(),
        None => {
            std::fs::create_dir_all(&args.bench_dir)?;
            format!("sqlite://{}", args.bench_dir.join("bench.db").display())
        }
    };
    let backend = Backend::from_url(&url)?;
    let fixture = prepare(&args, &url).await?;
    let server = start_server(&url).await?;
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let list = |q: &str| format!("{base}/api/v1/tickets?{q}");

    // Warm up connections and caches.
    let _ = latencies(
        &client,
        &fixture.agent_token,
        (0..50).map(|_| list("limit=20")).collect(),
    )
    .await?;
    let (rss_idle, _) = rss_kib(server.child.id());

    let n_tickets = u64::try_from(fixture.n_tickets.max(1)).unwrap_or(1);
    let first_ticket = u64::try_from(fixture.first_ticket.max(1)).unwrap_or(1);
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let fetch_urls = (0..args.requests)
        .map(|_| {
            format!(
                "{base}/api/v1/tickets/{}",
                first_ticket + next() % n_tickets
            )
        })
        .collect();
    let (fetch_p50, fetch_p99, fetch_failed) =
        latencies(&client, &fixture.agent_token, fetch_urls).await?;
    let queue_urls = (0..args.requests)
        .map(|i| match i % 3 {
            0 => list(&format!(
                "status=new&group_id={}&limit=20",
                fixture.group_id
            )),
            1 => list("status=open&sort=priority&limit=20"),
            _ => list("assignee_id=none&status=new,assigned&limit=20"),
        })
        .collect();
    let (queue_p50, queue_p99, queue_failed) =
        latencies(&client, &fixture.agent_token, queue_urls).await?;
    let search_urls = (0..args.requests)
        .map(|_| {
            let word = &fixture.words[usize::try_from(next()).unwrap_or(0) % fixture.words.len()];
            list(&format!("q={word}&limit=20"))
        })
        .collect();
    let (search_p50, search_p99, search_failed) =
        latencies(&client, &fixture.agent_token, search_urls).await?;
    let (rate_1, failed_1) = creations(&base, &fixture.customer_token, 1, args.seconds).await?;
    let (rate_16, failed_16) = creations(&base, &fixture.customer_token, 16, args.seconds).await?;
    let (rss_now, rss_peak) = rss_kib(server.child.id());
    drop(server);

    println!();
    if args.tenants > 1 {
        println!(
            "## spoc bench — {} tickets in {} tenants, measured as tenant {}'s people, {:?}",
            args.tickets, args.tenants, fixture.tenant, backend
        );
    } else {
        println!("## spoc bench — {} tickets, {:?}", args.tickets, backend);
    }
    println!();
    println!("Machine: {}", machine());
    if backend == Backend::Sqlite {
        println!(
            "SQLite: WAL, synchronous=NORMAL (commits survive a crash of the process; see docs/benchmarks.md)"
        );
    }
    println!();
    println!("| measure | result |");
    println!("|---|---|");
    println!("| ticket creations/s, concurrency 1 | {rate_1:.0} (failed: {failed_1}) |");
    println!("| ticket creations/s, concurrency 16 | {rate_16:.0} (failed: {failed_16}) |");
    println!(
        "| fetch one ticket p50 / p99 | {fetch_p50:.2} ms / {fetch_p99:.2} ms (non-2xx: {fetch_failed}) |"
    );
    println!(
        "| queue listing (20 rows + total) p50 / p99 | {queue_p50:.2} ms / {queue_p99:.2} ms (non-2xx: {queue_failed}) |"
    );
    println!(
        "| text search (20 rows + total) p50 / p99 | {search_p50:.2} ms / {search_p99:.2} ms (non-2xx: {search_failed}) |"
    );
    println!(
        "| server resident memory: after warm-up / end / peak | {:.1} / {:.1} / {:.1} MiB |",
        rss_idle as f64 / 1024.0,
        rss_now as f64 / 1024.0,
        rss_peak as f64 / 1024.0
    );
    Ok(())
}
