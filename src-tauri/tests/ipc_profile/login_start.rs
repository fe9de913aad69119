//! Start at login over IPC: the first connection to a real shop turns the login entry on (the
//! XDG autostart file, in a temporary `XDG_CONFIG_HOME`), once; the merchant's switch writes and
//! removes it, and a later start on the shop never overrides the merchant's "off".

use std::path::PathBuf;
use std::time::{Duration, Instant};

use punte_sim::ServiceKind;
use serde_json::json;

use crate::support::{
    TURN, billing_form, env, in_child_with_sims_env, is_step, launch_with_autostart, shopify_form,
};

const STEP: &str = "login_start::login_start_step";

#[test]
fn the_first_real_connection_turns_start_at_login_on_once_and_the_merchant_decides_after() {
    let home = tempfile::tempdir().expect("temp home");
    // auto-launch writes to $HOME/.config/autostart (it does not read XDG_CONFIG_HOME), so both
    // point at the same temporary folder.
    let config = home.path().join(".config");
    in_child_with_sims_env(
        STEP,
        ServiceKind::SmartBill,
        &[("HOME", home.path()), ("XDG_CONFIG_HOME", &config)],
    );
}

/// The `.desktop` files in the autostart folder, with their text.
fn entries() -> Vec<(PathBuf, String)> {
    let dir = PathBuf::from(env("XDG_CONFIG_HOME")).join("autostart");
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "desktop"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            (p, text)
        })
        .collect()
}

fn wait_entries(want: usize) -> Vec<(PathBuf, String)> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let found = entries();
        if found.len() == want {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "{want} login entries wanted, found {found:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn login_start_step() {
    if !is_step(STEP) {
        return;
    }
    let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    let app = launch_with_autostart();
    assert_eq!(app.ok("login_start", json!({}))["enabled"], false);
    assert!(entries().is_empty(), "the demo shop writes no login entry");

    // The first connection to a real shop turns it on, with the flag that opens the tray only.
    let (token, bill_token) = (env("SIM_SHOPIFY_TOKEN"), env("SIM_BILLING_TOKEN"));
    app.ok("save_connection", shopify_form(Some(&token)));
    app.ok("save_connection", billing_form(Some(&bill_token)));
    let found = wait_entries(1);
    let (path, text) = &found[0];
    let exe = std::env::current_exe().expect("exe").display().to_string();
    assert!(
        text.contains(&format!("Exec={exe} --autostart"))
            || text.contains(&format!("Exec=\"{exe}\" --autostart")),
        "{} starts this binary at login, in the tray:\n{text}",
        path.display()
    );
    let view = app.ok("login_start", json!({}));
    assert_eq!(view, json!({"enabled": true, "chosen_by_merchant": false}));

    // The merchant turns it off: the file goes, and stays gone when the engine restarts on the shop.
    let view = app.ok("set_login_start", json!({"enabled": false}));
    assert_eq!(view, json!({"enabled": false, "chosen_by_merchant": true}));
    assert!(!path.exists(), "{} is still there", path.display());
    app.ok("save_connection", billing_form(None));
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        entries().is_empty(),
        "a later start overrode the merchant's choice"
    );

    // And on again.
    app.ok("set_login_start", json!({"enabled": true}));
    assert_eq!(wait_entries(1)[0].0, *path);
    println!("ipc step ok");
}
