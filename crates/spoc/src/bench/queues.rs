//! Queue listing and search latencies through the HTTP API.

use std::time::Instant;

use super::report::percentile;

pub(super) async fn latencies(
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
