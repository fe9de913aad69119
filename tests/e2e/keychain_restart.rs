//! Scenario: the merchant saves a Shopify and a SmartBill connection (loopback simulators standing
//! in for the real hosts) through Profile, with their secrets, in a desktop session whose Secret
//! Service is an unlocked gnome-keyring-daemon. Punte is stopped and started again: it runs on the
//! saved shop (no demo) with the secrets read back from the keychain: the Shopify simulator sees
//! authenticated requests and the orders are imported, and Profile shows both secrets as
//! "saved". Then every byte Punte wrote (database and its -wal, logs, config, web view data) is
//! scanned: neither secret is there.
//!
//! The keyring runs in the harness's own D-Bus session: the session bus starts it on the first
//! Secret Service call, from a service file under the test's `XDG_DATA_HOME`, unlocked with a
//! test password; its keyring file stays in that folder, so the second session opens the same one.

use std::path::{Path, PathBuf};

use crate::demo::{self, tid};
use crate::profile_steps::{self, Services, launch, require_tools, session_env};

#[test]
#[cfg(target_os = "linux")]
fn saved_secrets_come_back_from_the_keychain_after_a_restart_and_never_touch_the_disk() {
    require_tools();
    let services = Services::start();
    let root = tempfile::Builder::new()
        .prefix("punte-e2e-keychain-")
        .tempdir()
        .expect("temp");
    let (shop_token, bill_token) = (services.shop_token(), services.bill_token());

    // First start: no connection yet (demo); the merchant connects the shop and billing.
    let app = launch("keychain", &session_env(&services, root.path(), "run1"));
    profile_steps::open_profile(&app);
    profile_steps::test_shopify(&app, &services.shop_domain(), &shop_token);
    app.find(&tid("conn-shopify-result"));
    app.click(&tid("conn-shopify-save"));
    app.find(&tid("conn-shopify-admin_token-saved"));
    let c = services.bill.credentials();
    profile_steps::test_smartbill(&app, c.get("email"), c.get("cif"), &bill_token);
    app.find(&tid("conn-billing-result"));
    app.click(&tid("conn-billing-save"));
    // Both saved: the backend leaves the demo and the window reloads on Profile.
    app.wait_for("Profile reloaded on the saved shop", || {
        let reloaded = app.text_now(&tid("conn-billing-result")).is_none();
        (reloaded && app.text_now(&tid("conn-billing-api_token-saved")).is_some()).then_some(())
    });
    app.screenshot("saved");
    drop(app);

    // Second start: nothing typed; the secrets can only come from the keychain.
    services.shop.observer().clear();
    let app = launch("keychain", &session_env(&services, root.path(), "run2"));
    app.click(&tid("nav-orders"));
    demo::wait_long(&app, "orders imported from the saved shop", || {
        app.attribute_now(&tid("order-row"), "data-order-id")
    });
    assert!(
        app.text_now(&tid("demo-banner")).is_none(),
        "restarted in demo mode"
    );
    demo::wait_long(&app, "an authenticated request at the saved shop", || {
        let log = services.shop.observer().log();
        log.iter()
            .any(|r| r.graphql.is_some() && r.status == 200)
            .then_some(())
    });
    profile_steps::open_profile(&app);
    app.find(&tid("conn-shopify-admin_token-saved"));
    app.find(&tid("conn-billing-api_token-saved"));
    assert_eq!(
        app.attribute_now(&tid("conn-shopify-admin_token"), "value")
            .unwrap_or_default(),
        "",
        "a secret was sent back to the window"
    );
    app.screenshot("profile");
    // Warehouse preferences: the warehouse chosen at save is one downloaded from billing.
    app.click(&tid("profile-tab-warehouse"));
    app.find(&tid("prefs-warehouse"));
    let warehouse = app
        .attribute_now(&tid("pref-warehouse"), "value")
        .unwrap_or_default();
    assert!(
        !warehouse.is_empty(),
        "no warehouse chosen after saving billing"
    );
    app.screenshot("warehouse");
    drop(app);

    let mut scanned = Vec::new();
    for dir in [root.path().join("data"), root.path().join("home")] {
        scan(&dir, &[&shop_token, &bill_token], &mut scanned);
    }
    let names: Vec<String> = scanned.iter().map(|p| p.display().to_string()).collect();
    assert!(
        names.iter().any(|n| n.ends_with("punte.db")),
        "DB not scanned: {names:?}"
    );
    assert!(
        names.iter().any(|n| n.contains("/logs/")),
        "logs not scanned: {names:?}"
    );
    eprintln!("keychain: {} files scanned, no secret found", scanned.len());
}

/// Fails if any file under `dir` (the keyring's own encrypted file excepted) holds a secret.
fn scan(dir: &Path, secrets: &[&str], scanned: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "keyrings") {
                continue;
            }
            scan(&path, secrets, scanned);
        } else if let Ok(bytes) = std::fs::read(&path) {
            for secret in secrets {
                let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
                assert!(!found, "a secret is written in {}", path.display());
            }
            scanned.push(path);
        }
    }
}
