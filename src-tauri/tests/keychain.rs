//! The keychain against a real Secret Service: a private D-Bus session with an unlocked
//! gnome-keyring-daemon and a throw-away HOME. One process stores a secret, a second process (the
//! app "restarted") reads it back, then removes it. keyring's in-memory mock would fail the second
//! step, so this also proves a real back-end is compiled in.

use std::process::Command;

use punte_app::Keychain;

const STEP_ENV: &str = "PUNTE_KEYCHAIN_STEP";
const NAMESPACE: &str = "ro.punte.desktop.keychain-test";
const KEY: &str = "shopify/client_secret";
const SECRET: &str = "shpss_test_9f8e7d6c5b4a";

/// The parent: runs `keychain_step` twice in one private session, as two separate processes.
#[test]
#[cfg(target_os = "linux")]
fn secret_survives_a_restart_in_a_real_secret_service() {
    let home = tempfile::tempdir().expect("temp HOME");
    let me = std::env::current_exe().expect("test binary path");
    let script = r#"
        set -e
        printf 'punte-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        PUNTE_KEYCHAIN_STEP=store "$0" --exact keychain_step --nocapture
        PUNTE_KEYCHAIN_STEP=read-back "$0" --exact keychain_step --nocapture
    "#;
    let output = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", script])
        .arg(&me)
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_RUNTIME_DIR", home.path())
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .output()
        .expect("dbus-run-session must be installed (cargo xtask test installs it)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "keychain steps failed:\n{stdout}\n{stderr}"
    );
    assert_eq!(
        stdout.matches("keychain step ok").count(),
        2,
        "both steps must have run in their own process:\n{stdout}"
    );
}

/// One step, run only when the parent asks for it.
#[test]
fn keychain_step() {
    let Ok(step) = std::env::var(STEP_ENV) else {
        return;
    };
    let keychain = Keychain::new(NAMESPACE);
    match step.as_str() {
        "store" => {
            assert_eq!(
                keychain.get(KEY).expect("read before store"),
                None,
                "fresh keyring"
            );
            keychain.set(KEY, SECRET).expect("store the secret");
            let again = Keychain::new(NAMESPACE);
            assert_eq!(again.get(KEY).expect("read"), Some(SECRET.to_owned()));
        }
        "read-back" => {
            assert_eq!(
                keychain.get(KEY).expect("read after restart"),
                Some(SECRET.to_owned()),
                "a new process must find the secret in the keychain"
            );
            keychain.delete(KEY).expect("delete");
            keychain
                .delete(KEY)
                .expect("deleting a missing secret is not an error");
            assert_eq!(keychain.get(KEY).expect("read after delete"), None);
            let other = Keychain::new("ro.punte.desktop.other-instance");
            assert_eq!(other.get(KEY).expect("read other namespace"), None);
        }
        other => panic!("unknown step {other}"),
    }
    println!("keychain step ok: {step}");
}
