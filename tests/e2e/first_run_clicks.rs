//! Helpers of the first-run scenario: clicks counted as the merchant's effort, a click that
//! scrolls its target into view first, and the Shopify simulator's stock writes so far.

use serde_json::Value;

use crate::harness::App;
use crate::profile_steps::Services;

/// The simulator's requests that wrote stock levels.
pub fn stock_writes(services: &Services) -> usize {
    let url = format!("{}/log", services.shop.control_url());
    let log: Value = ureq::get(&url)
        .call()
        .expect("log request")
        .into_body()
        .read_json()
        .expect("log JSON");
    log.as_array()
        .expect("log list")
        .iter()
        .filter(|r| {
            r["graphql"]
                .as_str()
                .is_some_and(|q| q.contains("inventorySetQuantities"))
        })
        .count()
}

/// Clicks `css` after scrolling it to the middle (the status bar covers the bottom).
pub fn scroll_click(app: &App, css: &str) {
    app.find(css);
    let quoted = serde_json::to_string(css).expect("css as JSON");
    app.execute(&format!(
        "document.querySelector({quoted}).scrollIntoView({{block: 'center'}}); return true;"
    ));
    app.click(css);
}

/// Clicks, counted: the merchant's effort.
pub struct Clicks<'a> {
    app: &'a App,
    pub n: u32,
}

impl<'a> Clicks<'a> {
    pub fn new(app: &'a App) -> Self {
        Self { app, n: 0 }
    }

    pub fn click(&mut self, css: &str) {
        self.n += 1;
        scroll_click(self.app, css);
    }
}
