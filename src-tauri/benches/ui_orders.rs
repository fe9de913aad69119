//! The Orders screen of the real app (release binary under Xvfb, driven through WebDriver by the
//! e2e harness) on a connected shop with 100,000 orders in its store (benches/seed; Shopify and
//! SmartBill saved through Profile against loopback simulators, secrets in a test keyring: see
//! benches/shop), started again after the save: for opening the list and for each filter chip,
//! the time from the UI's request to the rows being in the DOM and to the next painted frame, as
//! the screen itself records them (User Timing `orders-page-dom` / `orders-page-paint`, read back
//! through WebDriver). Medians of 5 clicks per chip. `cargo bench -p punte-app --bench ui_orders`.

#[path = "shop/desktop.rs"]
mod desktop;
#[allow(dead_code)]
#[path = "../../tests/e2e/harness/mod.rs"]
mod harness;
mod seed;
mod shop;

use desktop::{Desktop, tid};
use harness::App;

const CHIPS: [&str; 8] = [
    "all",
    "open",
    "in_stock",
    "not_in_stock",
    "invoiced",
    "dispatched",
    "cancelled",
    "needs_review",
];
const CLICKS: usize = 5;

/// (duration ms, rows) of every entry named `name` so far.
fn entries(app: &App, name: &str) -> Vec<(f64, u64)> {
    let script = format!(
        "return performance.getEntriesByName('{name}')\
         .map((e) => [e.duration, (e.detail && e.detail.rows) || 0]);"
    );
    app.execute(&script)
        .as_array()
        .map(|all| {
            all.iter()
                .map(|e| (e[0].as_f64().unwrap_or(0.0), e[1].as_u64().unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let services = shop::Services::start();
    let desktop = Desktop::new();
    desktop.save_connections(&services, &seed::database());
    let app = desktop.launch(&services, "bench-orders", "run");
    app.find(&tid("order-row"));
    assert!(
        app.text_now(&tid("demo-banner")).is_none(),
        "the app started in demo mode, not on the connected shop"
    );
    // Newest first, the simulator's ≈60 recent orders lead the list: scroll to the end of the
    // first page, where the seeded orders (ids from 10,000,000) must be.
    let seeded = shop::wait("the seeded orders in the list", 60, || {
        let n = app.execute(&format!(
            "const s = document.querySelector('[data-testid=\"orders-scroller\"]');\
             s.scrollTop = s.scrollHeight;\
             return [...document.querySelectorAll('[data-testid=\"order-row\"]')]\
             .filter((r) => Number(r.dataset.orderId) >= {}).length;",
            seed::FIRST_ID
        ));
        n.as_u64().filter(|n| *n > 0)
    });
    app.execute(
        "document.querySelector('[data-testid=\"orders-scroller\"]').scrollTop = 0; return 0;",
    );
    std::thread::sleep(std::time::Duration::from_secs(2));
    eprintln!("connected shop: {seeded} seeded orders on screen, no demo banner");
    app.wait_for("the first page's timing", || {
        (!entries(&app, "orders-page-paint").is_empty()).then_some(())
    });
    let first_dom = entries(&app, "orders-page-dom")[0];
    let first_paint = entries(&app, "orders-page-paint")[0];
    println!(
        "| Orders screen, 100,000 orders | rows | request → rows in DOM | request → painted |"
    );
    println!("|---|---|---|---|");
    println!(
        "| open the list (first page, at start) | {} | {:.0} ms | {:.0} ms |",
        first_dom.1, first_dom.0, first_paint.0
    );
    let mut per_chip: Vec<(Vec<f64>, Vec<f64>, u64)> =
        vec![(Vec::new(), Vec::new(), 0); CHIPS.len()];
    for _ in 0..CLICKS {
        for (i, chip) in CHIPS.iter().enumerate() {
            let seen = entries(&app, "orders-page-paint").len();
            app.click(&tid(&format!("orders-filter-{chip}")));
            app.wait_for(&format!("the {chip} page"), || {
                (entries(&app, "orders-page-paint").len() > seen).then_some(())
            });
            let dom = *entries(&app, "orders-page-dom")
                .last()
                .expect("a dom entry");
            let paint = *entries(&app, "orders-page-paint")
                .last()
                .expect("a paint entry");
            per_chip[i].0.push(dom.0);
            per_chip[i].1.push(paint.0);
            per_chip[i].2 = paint.1;
        }
    }
    for (chip, (dom, paint, rows)) in CHIPS.iter().zip(per_chip) {
        println!(
            "| chip `{chip}` | {rows} | {:.0} ms | {:.0} ms |",
            median(dom),
            median(paint)
        );
    }
    app.screenshot("orders-100k");
}
