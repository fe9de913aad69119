//! Steps shared by the demo-shop scenarios: start Punte on the demo shop, wait until the first
//! sync has imported the orders, open an order. Each scenario module uses these.

use std::time::{Duration, Instant};

use crate::harness::App;

/// `[data-testid="…"]`.
pub fn tid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

/// Starts the app on the demo shop and waits for the banner and the imported orders.
pub fn launch(name: &str) -> App {
    let app = App::launch_with_env(name, &[("PUNTE_DEMO", "1")]);
    app.find(&tid("demo-banner"));
    app.click(&tid("nav-orders"));
    wait_long(&app, "orders imported from the demo shop", || {
        app.attribute_now(&tid("order-row"), "data-order-id")
    });
    // Orders show up at step 2 of the first run, before it reads billing and writes: a scenario
    // that changes the simulators must wait for that run to end, or the run takes the change in.
    wait_long(&app, "the first sync run to finish", || {
        let last = app.text_now(&tid("status-last-sync"))?;
        let done = last.chars().any(|c| c.is_ascii_digit());
        (done && app.text_now(&tid("sync-progress")).is_none()).then_some(())
    });
    app
}

/// How long a scenario waits for a sync run (the first one reads the whole demo catalogue).
pub const RUN_WAIT: Duration = Duration::from_secs(120);

/// Like `App::wait_for`, for things that wait on a sync run.
pub fn wait_long<T>(_app: &App, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + RUN_WAIT;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {RUN_WAIT:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Opens the first open order's detail and returns its id.
pub fn open_an_open_order(app: &App) -> u64 {
    app.click(&tid("orders-filter-open"));
    app.wait_for("the Open filter to apply", || {
        (app.attribute_now(&tid("orders-filter-open"), "aria-pressed")? == "true").then_some(())
    });
    let id: u64 = app.wait_for("an open order", || {
        let id = app.attribute_now(&tid("order-row"), "data-order-id")?;
        let state = app.text_now(&tid(&format!("order-state-{id}")))?;
        is_open(&state).then(|| id.parse().ok()).flatten()
    });
    app.click(&tid(&format!("order-open-{id}")));
    app.find(&tid("order-detail"));
    app.wait_for("the order's state", || {
        app.text_now(&tid("order-state")).filter(|s| is_open(s))
    });
    id
}

/// State labels in either language (the UI follows the OS language).
pub fn is_open(label: &str) -> bool {
    label == "Open" || label == "Deschisă"
}

pub fn is_invoiced(label: &str) -> bool {
    label == "Invoiced" || label == "Facturată"
}

pub fn is_dispatched(label: &str) -> bool {
    label == "Dispatched" || label == "Expediată"
}

/// A whole number shown in a cell ("12", "-3"); `None` for "—" or while loading.
pub fn number(text: &str) -> Option<i64> {
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-' || *c == '\u{2212}')
        .map(|c| if c == '\u{2212}' { '-' } else { c })
        .collect();
    digits.parse().ok()
}
