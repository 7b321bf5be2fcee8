//! Mail intake at scale: parsing alone, then the whole intake.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use spoc_app::{App, SystemClock};
use spoc_domain::TenantId;
use spoc_store::{Store, StoreOptions};

use super::BenchArgs;
use super::load::load_texts;
use super::report::machine;

/// One message of the benchmark mailbox: a new request, or (`parent`) a reply to an earlier one.
pub(super) fn bench_message(i: usize, texts: &[String], parent: Option<usize>) -> Vec<u8> {
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
pub(super) async fn bench_mail(args: &BenchArgs, n: usize) -> anyhow::Result<()> {
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
