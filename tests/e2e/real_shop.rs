//! Steps for scenarios on a "real" shop: the Shopify and SmartBill simulators on loopback stand
//! in for the merchant's services (`Services`), Profile connects them with their secrets in an
//! unlocked desktop keyring (as in `keychain_restart`), and Punte leaves the demo for them. The
//! test then changes the services directly, as the merchant would in Shopify's admin or in
//! SmartBill, and reads what the window says.

use std::path::Path;

use serde_json::{Value, json};

use crate::demo::{self, tid};
use crate::harness::App;
use crate::profile_steps::{self, Services};
use crate::profile_steps::{launch, require_tools, session_env};

/// Starts Punte with `extra` environment, connects both services through Profile and waits
/// until it runs on them: orders listed (when the shop has some) and the first sync run over.
pub fn connect(
    name: &str,
    services: &Services,
    root: &Path,
    extra: &[(&'static str, &str)],
    has_orders: bool,
) -> App {
    require_tools();
    let mut env = session_env(services, root, "run1");
    env.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let app = launch(name, &env);
    profile_steps::open_profile(&app);
    profile_steps::test_shopify(&app, &services.shop_domain(), &services.shop_token());
    app.find(&tid("conn-shopify-result"));
    app.click(&tid("conn-shopify-save"));
    app.find(&tid("conn-shopify-admin_token-saved"));
    let c = services.bill.credentials();
    profile_steps::test_smartbill(&app, c.get("email"), c.get("cif"), &services.bill_token());
    app.find(&tid("conn-billing-result"));
    app.click(&tid("conn-billing-save"));
    app.wait_for("Profile reloaded on the saved shop", || {
        let reloaded = app.text_now(&tid("conn-billing-result")).is_none();
        (reloaded && app.text_now(&tid("conn-billing-api_token-saved")).is_some()).then_some(())
    });
    app.click(&tid("nav-orders"));
    if has_orders {
        demo::wait_long(&app, "orders imported from the connected shop", || {
            app.attribute_now(&tid("order-row"), "data-order-id")
        });
    }
    wait_idle(&app);
    app
}

/// Waits until no run is in progress (Sync now enabled, no progress bar) and the last sync time
/// is shown.
pub fn wait_idle(app: &App) {
    let mut last_state = String::new();
    let started = std::time::Instant::now();
    demo::wait_long(app, "the sync run to finish", || {
        let v = app.execute(
            "const b = document.querySelector('[data-testid=\"sync-now\"]');
             const last = document.querySelector('[data-testid=\"status-last-sync\"]');
             const bar = document.querySelector('[data-testid=\"sync-progress\"]');
             return [b ? b.disabled : true, !!bar, last ? last.textContent : ''];",
        );
        let state = v.to_string();
        if state != last_state {
            eprintln!("e2e: idle? {state} after {:?}", started.elapsed());
            last_state = state;
        }
        let busy = v[0].as_bool().unwrap_or(true) || v[1].as_bool().unwrap_or(true);
        let done = v[2]
            .as_str()
            .is_some_and(|t| t.chars().any(|c| c.is_ascii_digit()));
        (done && !busy).then_some(())
    });
}

/// Clicks Sync now and waits for the notice of that run (a new `data-finished`); returns the
/// notice text and the time from the click to the notice.
pub fn sync_now(app: &App) -> (String, std::time::Duration) {
    wait_idle(app);
    let before = app.attribute_now(&tid("sync-notice"), "data-finished");
    let clicked = std::time::Instant::now();
    app.click(&tid("sync-now"));
    demo::wait_long(app, "the Sync now notice", || {
        let at = app.attribute_now(&tid("sync-notice"), "data-finished")?;
        (Some(&at) != before.as_ref()).then_some(())
    });
    let took = clicked.elapsed();
    (app.text(&tid("sync-notice")), took)
}

/// A control request to a simulator (`/shopify/orders`, `/billing/seed`, …).
pub fn control(sim: &punte_sim::SimServer, path: &str, body: Value) -> Value {
    let url = format!("{}{path}", sim.control_url());
    let answer = ureq::post(&url).send_json(&body).expect("control request");
    answer.into_body().read_json().expect("JSON answer")
}

/// Places an order in the Shopify simulator; returns its (id, name).
pub fn place_order(services: &Services, lines: &[(&str, i64)]) -> (u64, String) {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(s, q)| json!({"sku": s, "quantity": q}))
        .collect();
    let v = control(
        &services.shop,
        "/shopify/orders",
        json!({"lines": lines, "first_name": "Ana", "last_name": "Pop", "city": "Cluj-Napoca"}),
    );
    let id = v["numericId"].as_u64().expect("order id");
    (id, v["name"].as_str().unwrap_or_default().to_owned())
}

/// The whole number in a stock cell of `code` (`what`: shopify, billing, reserved, target).
pub fn cell(app: &App, what: &str, code: &str) -> Option<i64> {
    demo::number(&app.text_now(&tid(&format!("stock-{what}-{code}")))?)
}

/// Everything the app logged in the data folder `data`.
pub fn log(data: &Path) -> String {
    let mut out = String::new();
    if let Ok(entries) = std::fs::read_dir(data.join("logs")) {
        for e in entries.flatten() {
            out.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
        }
    }
    out
}
