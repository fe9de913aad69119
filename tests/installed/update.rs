//! The signed update, end to end on loopback: the installed version N checks a local feed (a
//! static `latest.json` as the release workflow publishes), offers N+1 with its notes, refuses
//! an artifact that does not match its signature (nothing changes: same package version, same
//! binary, same window), then installs the genuine N+1 (the updater's `dpkg -i`) and restarts;
//! the restarted process and a fresh window both show N+1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::harness::App;
use crate::packages::{self, Package};
use crate::{fixture, shown_version};

const NOTES: &str = "Stoc sincronizat mai repede / Faster stock sync";

/// A one-thread HTTP feed on 127.0.0.1: `/latest.json` and the `.deb`, tampered while asked.
struct Feed {
    port: u16,
    tampered: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

impl Feed {
    fn start(version: &str, deb: Vec<u8>, signature: String) -> Feed {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("addr").port();
        let manifest = serde_json::json!({
            "version": version,
            "notes": NOTES,
            "pub_date": "2026-12-01T08:00:00Z",
            "platforms": {
                "linux-x86_64-deb": {
                    "signature": signature,
                    "url": format!("http://127.0.0.1:{port}/Punte_{version}_amd64.deb"),
                }
            }
        })
        .to_string();
        let tampered = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (t, s) = (Arc::clone(&tampered), Arc::clone(&stop));
        listener.set_nonblocking(true).expect("nonblocking");
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                };
                let _ = stream.set_nonblocking(false);
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let _ = reader.read_line(&mut line);
                // Read the headers to their end; no request here has a body.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let (status, body, kind): (&str, Vec<u8>, &str) = if path == "/latest.json" {
                    ("200 OK", manifest.clone().into_bytes(), "application/json")
                } else if path.ends_with(".deb") {
                    let mut bytes = deb.clone();
                    if t.load(Ordering::Relaxed) {
                        // One byte of the package's data changed after signing.
                        let at = bytes.len() - 100;
                        bytes[at] ^= 0xff;
                    }
                    ("200 OK", bytes, "application/vnd.debian.binary-package")
                } else {
                    ("404 Not Found", Vec::new(), "text/plain")
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
                let _ = stream.flush();
                let _ = reader.read_to_end(&mut Vec::new());
            }
        });
        Feed {
            port,
            tampered,
            stop,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/latest.json", self.port)
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn contents(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).expect("read the installed binary")
}

/// Waits for the update banner to offer `version` and clicks "Install and restart".
fn offer_and_install(app: &App, version: &str) {
    let offered = app.wait_for("the update banner", || {
        app.text_now("[data-testid=update-available]")
    });
    assert!(offered.contains(version), "banner: {offered}");
    assert_eq!(app.text("[data-testid=update-notes]"), NOTES);
    app.click("[data-testid=update-install]");
}

#[test]
#[ignore = "needs root and `cargo xtask bundle --update-fixture`; run by `cargo xtask test`"]
fn the_installed_version_updates_to_a_signed_next_version_and_refuses_a_tampered_one() {
    let f = fixture();
    let package = Package::install(&f.current_deb);
    let binary = package.binary();
    let signature = std::fs::read_to_string(&f.next_sig).expect("the .sig");
    let feed = Feed::start(
        &f.next_version,
        std::fs::read(&f.next_deb).expect(".deb"),
        signature,
    );
    feed.tampered.store(true, Ordering::Relaxed);
    let url = feed.url();
    let env = [
        ("PUNTE_UPDATE_URL", url.as_str()),
        ("PUNTE_UPDATE_PUBKEY", f.pubkey.as_str()),
    ];
    let app = App::launch_binary("update", &binary, &env);
    assert_eq!(shown_version(&app), f.current_version);

    // A tampered artifact: refused in plain words, and nothing changed.
    let before = contents(&binary);
    offer_and_install(&app, &f.next_version);
    let error = app.wait_for("the refusal", || app.text_now("[data-testid=update-error]"));
    assert!(
        error.contains("signature") || error.contains("semnătură"),
        "refusal says why: {error}"
    );
    assert_eq!(
        package.version(),
        Some(f.current_version.clone()),
        "package changed"
    );
    assert!(contents(&binary) == before, "the installed binary changed");
    assert_eq!(shown_version(&app), f.current_version);
    app.screenshot("tampered-refused");

    // The genuine artifact: installed, and the app restarts into it.
    feed.tampered.store(false, Ordering::Relaxed);
    app.click("[data-testid=update-install]");
    let deadline = Instant::now() + Duration::from_secs(120);
    let started_next = format!("version={}", f.next_version);
    loop {
        let log = app.log();
        let restarted = log
            .lines()
            .skip_while(|l| !(l.contains("Punte started") && l.contains(&started_next)))
            .any(|l| l.contains("app_status"));
        if restarted {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no restart into {} whose window called the backend; log:\n{log}",
            f.next_version
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(package.version(), Some(f.next_version.clone()));
    assert!(contents(&binary) != before, "the binary was not replaced");
    // The new window has called the backend; give it a moment to be painted (an unpainted
    // display captures as a black image of a few hundred bytes).
    let painted = Instant::now() + Duration::from_secs(20);
    let shot = loop {
        let shot = app.screenshot("restarted");
        if std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0) > 1000 {
            break shot;
        }
        assert!(
            Instant::now() < painted,
            "the restarted window was never painted"
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    assert!(std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0) > 1000);
    assert!(
        !packages::processes_of(&binary).is_empty(),
        "the restarted app runs from the installed path"
    );
    drop(app);
    packages::wait_no_process(&binary);

    // A new window of the installed app shows N+1.
    let again = App::launch_binary("update-after", &binary, &[]);
    assert_eq!(shown_version(&again), f.next_version);
    drop(again);
    packages::wait_no_process(&binary);
    package.remove();
}
