//! Serving-rate bench: paces GraphQL requests at a target rate against an in-process Shopify
//! simulator (demo shop, schema validation on every request) and reports achieved rate, errors
//! and latency; then measures the unpaced ceiling. Throttling is lifted so the server, not the
//! simulated leaky bucket, is measured.
//!
//! `cargo bench -p punte-sim --bench serve_rate -- [rate] [seconds]` (defaults 200 and 10).

use std::time::{Duration, Instant};

use punte_sim::{ServiceKind, SimOptions, SimServer};
use serde_json::{Value, json};

const QUERIES: [&str; 3] = [
    "{ shop { name currencyCode } }",
    "query V($q: String!) { productVariants(first: 5, query: $q) { nodes { id sku barcode inventoryItem { id tracked } } } }",
    "{ orders(first: 10, sortKey: UPDATED_AT) { nodes { id name updatedAt currentTotalPriceSet { shopMoney { amount } } } } }",
];

async fn one(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    i: usize,
) -> Result<Duration, String> {
    let start = Instant::now();
    let body = json!({"query": QUERIES[i % QUERIES.len()], "variables": {"q": format!("sku:PNT-TRI-{:04}-M", i % 30 + 1)}});
    let resp = client
        .post(url)
        .header("X-Shopify-Access-Token", token)
        .json(&body)
        .send()
        .await;
    let resp = resp.map_err(|e| e.to_string())?;
    let status = resp.status();
    let value: Value = resp.json().await.map_err(|e| e.to_string())?;
    if !status.is_success() || value.get("errors").is_some() {
        return Err(format!("{status}: {value}"));
    }
    Ok(start.elapsed())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted
        .get(((sorted.len() as f64 - 1.0) * p) as usize)
        .copied()
        .unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let rate: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(200);
    let secs: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let options = SimOptions {
        demo: true,
        shopify_bucket: (1e12, 1e12),
        ..SimOptions::default()
    };
    let sim = SimServer::start(ServiceKind::Shopify, options)
        .await
        .expect("simulator starts");
    let url = format!("{}/admin/api/2026-07/graphql.json", sim.base_url());
    let token = sim.credentials().get("static_token").to_owned();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();

    let total = (rate * secs) as usize;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(total);
    for i in 0..total {
        let due = started + interval * i as u32;
        tokio::time::sleep_until(due.into()).await;
        let (c, u, t) = (client.clone(), url.clone(), token.clone());
        tasks.push(tokio::spawn(async move { one(&c, &u, &t, i).await }));
    }
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(d) => latencies.push(d),
            Err(e) => errors.push(e),
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    println!(
        "paced: target {rate}/s for {secs}s: {} ok, {} errors, achieved {:.1}/s, p50 {:?}, p99 {:?}, max {:?}",
        latencies.len(),
        errors.len(),
        latencies.len() as f64 / elapsed,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or_default()
    );
    if let Some(e) = errors.first() {
        println!("first error: {e}");
    }

    let ceiling_started = Instant::now();
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let (c, u, t) = (client.clone(), url.clone(), token.clone());
            tokio::spawn(async move {
                let mut n = 0usize;
                while ceiling_started.elapsed() < Duration::from_secs(3) {
                    if one(&c, &u, &t, w + n).await.is_ok() {
                        n += 1;
                    }
                }
                n
            })
        })
        .collect();
    let mut done = 0;
    for w in workers {
        done += w.await.expect("worker");
    }
    println!(
        "ceiling: 8 concurrent clients, 3 s: {:.0} req/s",
        done as f64 / ceiling_started.elapsed().as_secs_f64()
    );
    std::process::exit(i32::from(!errors.is_empty()));
}
