//! `spoc bench`: bulk-loads tickets into a benchmark database, starts the real server as a
//! separate process, drives its HTTP API from this process and reports throughput, latency
//! percentiles and the server's memory, with the machine it ran on.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use spoc_app::{App, SystemClock, UserInput};
use spoc_domain::event::EventData;
use spoc_domain::lifecycle::{self, Opening};
use spoc_domain::org::{GroupRef, Tier};
use spoc_domain::priority::{Impact, PriorityMatrix, Urgency};
use spoc_domain::text::{Body, Email, Name, Title};
use spoc_domain::ticket::{Channel, TicketKind};
use spoc_domain::user::Role;
use spoc_domain::{GroupId, TenantId, Timestamp, UserId};
use spoc_store::{Backend, Store, StoreOptions, TicketDraft};

/// Options of `spoc bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// How many tickets the database holds before measuring (bulk-loaded once; reused later).
    #[arg(long, default_value_t = 100_000)]
    tickets: u64,
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

/// The SLA timer scan at scale: `n` open tickets with clocks (standard policy, 24×7), logged one
/// second apart; at the measuring instant about 1 % of them have a warning or breach due. Times
/// the count of due timers, each claim of 200, and the worker handling claimed tickets.
async fn bench_timers(args: &BenchArgs, n: i64) -> anyhow::Result<()> {
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

/// One message of the benchmark mailbox: a new request, or (`parent`) a reply to an earlier one.
fn bench_message(i: usize, texts: &[String], parent: Option<usize>) -> Vec<u8> {
    let sender = format!("user{}@example.org", i % 500);
    let text = texts
        .get(i % texts.len().max(1))
        .map_or("Help", String::as_str);
    let title: String = text
        .chars()
        .take(60)
        .collect::<String>()
        .replace(['\r', '\n'], " ");
    let mut head = format!(
        "From: Bench User {n} <{sender}>\r\nTo: Support <support@example.com>\r\n\
         Date: Tue, 01 Dec 2026 09:00:00 +0000\r\nMessage-ID: <bench.{i}@example.org>\r\nMIME-Version: 1.0\r\n",
        n = i % 500
    );
    match parent {
        Some(p) => {
            let sender = format!("user{}@example.org", p % 500);
            head = head.replace(
                &format!("<user{}@example.org>", i % 500),
                &format!("<{sender}>"),
            );
            head.push_str(&format!(
                "Subject: Re: request {p}\r\nIn-Reply-To: <bench.{p}@example.org>\r\nReferences: <bench.{p}@example.org>\r\n"
            ));
        }
        None => head.push_str(&format!("Subject: {title}\r\n")),
    }
    let body = format!("{text}\r\n\r\nRegards,\r\nBench User\r\n");
    match i % 10 {
        // Plain text.
        0..=5 => format!("{head}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}").into_bytes(),
        // Text and HTML.
        6..=8 => format!(
            "{head}Content-Type: multipart/alternative; boundary=\"alt{i}\"\r\n\r\n--alt{i}\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n--alt{i}\r\n\
             Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>{text}</p><p>Regards,<br>Bench User</p></body></html>\r\n--alt{i}--\r\n"
        )
        .into_bytes(),
        // With a small attachment.
        _ => {
            let blob: String = (0..2048).map(|k| char::from(b'A' + ((k * 7 + i) % 26) as u8)).collect();
            format!(
                "{head}Content-Type: multipart/mixed; boundary=\"mix{i}\"\r\n\r\n--mix{i}\r\n\
                 Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n--mix{i}\r\n\
                 Content-Type: application/octet-stream; name=\"log-{i}.txt\"\r\nContent-Disposition: attachment; filename=\"log-{i}.txt\"\r\n\
                 Content-Transfer-Encoding: base64\r\n\r\n{blob}\r\n--mix{i}--\r\n"
            )
            .into_bytes()
        }
    }
}

/// Mail intake: a local Maildir of `n` messages (70 % new requests from 500 senders, 30 %
/// replies to earlier ones by In-Reply-To; a third with HTML, a tenth with an attachment),
/// written once into the bench directory. Times `spoc_mail::parse` alone, then the whole intake
/// (parse, dedupe, threading, sender lookup, the ticket or reply with its record, attachments
/// and acknowledgement, one transaction each) on a fresh database, one message at a time as one
/// mailbox's poller does.
async fn bench_mail(args: &BenchArgs, n: usize) -> anyhow::Result<()> {
    let maildir = args.bench_dir.join(format!("maildir-{n}"));
    let cur = maildir.join("cur");
    if !cur.exists() {
        let texts = load_texts(args.texts.as_ref());
        std::fs::create_dir_all(&cur)?;
        std::fs::create_dir_all(maildir.join("new"))?;
        std::fs::create_dir_all(maildir.join("tmp"))?;
        let parents = n * 7 / 10;
        for i in 0..n {
            let parent = (i >= parents).then(|| (i * 31) % parents.max(1));
            std::fs::write(
                cur.join(format!("{i:08}.bench:2,S")),
                bench_message(i, &texts, parent),
            )?;
        }
        println!("Wrote {n} messages to {}", maildir.display());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&cur)?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let messages: Vec<Vec<u8>> = files.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let bytes: usize = messages.iter().map(Vec::len).sum();

    let limits = spoc_mail::Limits::default();
    let started = Instant::now();
    for raw in &messages {
        let _ = spoc_mail::parse(raw, &limits);
    }
    let parse_secs = started.elapsed().as_secs_f64();

    let url = match &args.bench_database {
        Some(url) => url.clone(),
        None => {
            let path = args.bench_dir.join(format!("mail-{n}.db"));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            format!("sqlite://{}", path.display())
        }
    };
    let store = Store::connect(&StoreOptions::new(url.clone())).await?;
    store.migrate().await?;
    let from = spoc_mail::Address::parse("desk@example.com").map_err(|e| anyhow::anyhow!("{e}"))?;
    let app = App::new(store.clone(), Arc::new(SystemClock)).with_mail(spoc_app::MailConfig {
        from,
        public_url: "http://127.0.0.1:8080".to_owned(),
    });
    app.prepare_desk(TenantId::FIRST).await?;
    let mut outcomes = std::collections::BTreeMap::<&'static str, usize>::new();
    let mut latencies = Vec::with_capacity(messages.len());
    let started = Instant::now();
    for raw in &messages {
        let one = Instant::now();
        let result = app.ingest_mail(None, raw).await?;
        latencies.push(one.elapsed());
        *outcomes.entry(result.outcome.as_str()).or_default() += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "Mail intake, {} ({})",
        machine(),
        if url.starts_with("sqlite") {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    );
    println!("| step | result |\n|---|---|");
    println!(
        "| parse only ({n} messages, {:.1} MiB) | {:.0} messages/s |",
        bytes as f64 / 1_048_576.0,
        n as f64 / parse_secs
    );
    println!(
        "| intake (parse, route, write) | {:.0} messages/s; per message p50 {:.2} ms, p99 {:.2} ms |",
        n as f64 / secs,
        ms(latencies[latencies.len() / 2]),
        ms(latencies[(latencies.len() * 99 / 100).min(latencies.len() - 1)])
    );
    println!("| outcomes | {outcomes:?} |");
    store.close().await;
    Ok(())
}

/// Business-calendar arithmetic: nanoseconds per `add` and per `between` on an office calendar
/// (Europe/Stockholm, 08:00–17:00 Monday–Friday, yearly holidays) and on 24×7, over one million
/// random starts in a year.
fn bench_calendar() -> anyhow::Result<()> {
    use spoc_domain::calendar::{BusinessCalendar, CalendarSpec, HolidaySpec, WorkingHours};
    const N: usize = 1_000_000;
    const HOUR: i64 = 3_600_000_000;
    let office = BusinessCalendar::new(&CalendarSpec {
        time_zone: "Europe/Stockholm".to_owned(),
        always_open: false,
        hours: ["mon", "tue", "wed", "thu", "fri"]
            .iter()
            .map(|d| WorkingHours {
                day: (*d).to_owned(),
                start: "08:00".to_owned(),
                end: "17:00".to_owned(),
            })
            .collect(),
        holidays: [
            (1, 1),
            (1, 6),
            (5, 1),
            (6, 6),
            (12, 24),
            (12, 25),
            (12, 26),
            (12, 31),
        ]
        .into_iter()
        .map(|(month, day)| HolidaySpec::Yearly { month, day })
        .collect(),
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let always =
        BusinessCalendar::always_open("Europe/Stockholm").map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let year_start = 1_767_225_600_000_000_i64; // 2026-01-01T00:00Z
    let cases: Vec<(Timestamp, i64)> = (0..N)
        .map(|_| {
            let start = year_start + (next() % (365 * 24 * 3600)) as i64 * 1_000_000;
            // Targets from 15 minutes to a week of business time, like the default policy's.
            let amount = [
                HOUR / 4,
                HOUR,
                4 * HOUR,
                8 * HOUR,
                24 * HOUR,
                72 * HOUR,
                168 * HOUR,
            ][(next() % 7) as usize];
            (Timestamp::from_micros(start), amount)
        })
        .collect();
    println!("Business-calendar arithmetic, {N} calls each:");
    for (name, calendar) in [("office hours + holidays", &office), ("24×7", &always)] {
        let started = Instant::now();
        let mut dues = Vec::with_capacity(N);
        for (start, amount) in &cases {
            dues.push(
                calendar
                    .add(*start, *amount)
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
            );
        }
        let add_ns = started.elapsed().as_nanos() as f64 / N as f64;
        let started = Instant::now();
        let mut total = 0i64;
        for ((start, _), due) in cases.iter().zip(&dues) {
            total = total.wrapping_add(calendar.between(*start, *due));
        }
        let between_ns = started.elapsed().as_nanos() as f64 / N as f64;
        let expected: i64 = cases.iter().map(|(_, a)| *a).fold(0i64, i64::wrapping_add);
        if total != expected {
            bail!("between(start, add(start, n)) != n in the benchmark");
        }
        println!("  {name:<24} add {add_ns:>8.0} ns/call   between {between_ns:>8.0} ns/call");
    }
    Ok(())
}

struct Fixture {
    customer_token: String,
    agent_token: String,
    group_id: GroupId,
    words: Vec<String>,
}

fn load_texts(path: Option<&PathBuf>) -> Vec<String> {
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
struct BenchTicket {
    kind: TicketKind,
    title: String,
    description: String,
    impact: Impact,
    urgency: Urgency,
    requester: UserId,
    group: GroupId,
    at: Timestamp,
}

/// A bulk-loaded ticket, opened by the domain like every other ticket (no clocks: the caller
/// adds them where it wants them).
fn bench_draft(t: BenchTicket, matrix: &PriorityMatrix) -> anyhow::Result<TicketDraft> {
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

fn title_of(text: &str) -> String {
    let title: String = text
        .split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join(" ");
    title.chars().take(200).collect()
}

async fn prepare(args: &BenchArgs, url: &str) -> anyhow::Result<Fixture> {
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

fn unreachable_email() -> Email {
    // The literals above are valid; this keeps the code free of unwrap.
    Email::parse("bench@example.org").unwrap_or_else(|_| std::process::abort())
}

fn unreachable_name() -> Name {
    Name::parse("Bench").unwrap_or_else(|_| std::process::abort())
}

async fn bulk_load(
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

struct Server {
    child: tokio::process::Child,
    base: String,
}

async fn start_server(url: &str) -> anyhow::Result<Server> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let exe = std::env::current_exe()?;
    let child = tokio::process::Command::new(exe)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database",
            url,
        ])
        .env("SPOC_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("starting the server")?;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await
            && r.status().is_success()
        {
            return Ok(Server { child, base });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("the server did not become ready")
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64)).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

async fn creations(
    base: &str,
    token: &str,
    concurrency: usize,
    seconds: u64,
) -> anyhow::Result<(f64, u64)> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let n_done = Arc::new(AtomicU64::new(0));
    let n_failed = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (client, base, token) = (client.clone(), base.to_owned(), token.to_owned());
        let (n_done, n_failed) = (n_done.clone(), n_failed.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = 0u64;
            while Instant::now() < deadline {
                i += 1;
                let body = serde_json::json!({
                    "kind": "incident",
                    "title": format!("Bench worker {worker} ticket {i}: VPN drops every few minutes"),
                    "description": "Since this morning the VPN connection drops every few minutes; colleagues on the same floor see the same.",
                    "impact": "medium",
                    "urgency": "high",
                });
                let ok = client
                    .post(format!("{base}/api/v1/tickets"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                    .is_ok_and(|r| r.status() == reqwest::StatusCode::CREATED);
                if ok { n_done.fetch_add(1, Ordering::Relaxed) } else { n_failed.fetch_add(1, Ordering::Relaxed) };
            }
        }));
    }
    for task in tasks {
        task.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    Ok((
        n_done.load(Ordering::Relaxed) as f64 / elapsed,
        n_failed.load(Ordering::Relaxed),
    ))
}

async fn latencies(
    client: &reqwest::Client,
    token: &str,
    urls: Vec<String>,
) -> anyhow::Result<(f64, f64, usize)> {
    let mut samples = Vec::with_capacity(urls.len());
    let mut n_failed = 0;
    for url in urls {
        let started = Instant::now();
        let response = client.get(&url).bearer_auth(token).send().await?;
        let ok = response.status().is_success();
        let _ = response.bytes().await?;
        samples.push(started.elapsed());
        if !ok {
            n_failed += 1;
        }
    }
    samples.sort();
    Ok((
        percentile(&samples, 50.0),
        percentile(&samples, 99.0),
        n_failed,
    ))
}

fn rss_kib(pid: Option<u32>) -> (u64, u64) {
    let Some(pid) = pid else { return (0, 0) };
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned())
        })
        .and_then(|kib| kib.parse::<u64>().ok())
        .map(|kib| format!("{:.0} GiB", kib as f64 / 1024.0 / 1024.0))
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {memory} RAM")
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

    let n_tickets = args.tickets.max(1);
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let fetch_urls = (0..args.requests)
        .map(|_| format!("{base}/api/v1/tickets/{}", 1 + next() % n_tickets))
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
    println!("## spoc bench — {} tickets, {:?}", args.tickets, backend);
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
