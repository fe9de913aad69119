//! End-to-end tests of the real Punte binary: each scenario starts the app under its own Xvfb
//! display through `tauri-driver` + `WebKitWebDriver`, with a fresh data folder, and drives the
//! window like a person would. Adding a scenario: a new `#[test]` that calls `App::launch`.

mod harness;
mod smoke;
