//! Ticket creation through the HTTP API at a given concurrency.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub(super) async fn creations(
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
