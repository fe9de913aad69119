//! The `punte-sim` binary starts all four simulators, prints their URLs and credentials, and
//! the printed Shopify URL and static token work.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn binary_prints_working_urls_and_credentials() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_punte-sim"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("punte-sim starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("utf-8 line");
        let done = line.starts_with("Serving");
        lines.push(line);
        if done {
            break;
        }
    }
    let value = |section: &str, key: &str| -> String {
        let start = lines
            .iter()
            .position(|l| l == section)
            .expect("section printed");
        let line = lines[start..]
            .iter()
            .find(|l| l.trim_start().starts_with(key))
            .expect("key");
        line.split_whitespace().nth(1).expect("value").to_owned()
    };
    for section in ["Shopify", "SmartBill", "Oblio", "Fgo"] {
        assert!(
            value(section, "base_url").starts_with("http://127.0.0.1:"),
            "{lines:?}"
        );
    }
    let url = format!(
        "{}/admin/api/2026-07/graphql.json",
        value("Shopify", "base_url")
    );
    // Needed when the workspace unifies reqwest with `rustls-no-provider` (see Cargo.toml).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let resp = reqwest::Client::new()
        .post(url)
        .header("X-Shopify-Access-Token", value("Shopify", "static_token"))
        .json(&serde_json::json!({"query": "{ shop { name } }"}))
        .send()
        .await;
    child.kill().expect("stop the child we started");
    let _ = child.wait();
    let body: serde_json::Value = resp.expect("reachable").json().await.expect("JSON");
    assert_eq!(body["data"]["shop"]["name"], "Punte Demo");
}
