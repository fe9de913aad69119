//! End-to-end tests of the real Punte binary: each scenario starts the app under its own Xvfb
//! display through `tauri-driver` + `WebKitWebDriver`, with a fresh data folder, and drives the
//! window like a person would. Adding a scenario: a new module with a `#[test]` that calls
//! `App::launch` (or `demo::launch` for the demo shop), declared here.

mod demo;
mod demo_start;
mod dispatch;
mod first_run;
mod first_run_clicks;
mod harness;
mod invoice;
mod keychain_restart;
mod locations;
mod login_start;
mod preview_apply;
mod profile_steps;
mod real_shop;
mod receive_goods;
mod review;
mod romanian;
mod smoke;
mod sync_now_timing;
mod truth;
mod wrong_credential;
