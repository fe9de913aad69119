//! IPC tests of the Profile commands through Tauri's mock runtime: the real command handler, a
//! real SQLite profile in a temp folder, real HTTP to loopback simulators (`PUNTE_SHOPIFY_URL`,
//! `PUNTE_BILLING_URL`), and `MemorySecrets` in place of the OS keychain (the keychain itself is
//! tested in tests/keychain.rs and the e2e keychain scenario). Bad input must give a clear error
//! on the right field and change nothing.

#[path = "ipc_profile/billing_services.rs"]
mod billing_services;
#[path = "ipc_profile/bundles.rs"]
mod bundles;
#[path = "ipc_profile/connections.rs"]
mod connections;
#[path = "ipc_profile/first_run.rs"]
mod first_run;
#[path = "ipc_profile/forms.rs"]
mod forms;
#[path = "ipc_profile/locations.rs"]
mod locations;
#[path = "ipc_profile/login_start.rs"]
mod login_start;
#[path = "ipc_profile/preferences.rs"]
mod preferences;
#[path = "ipc_profile/support.rs"]
mod support;
