//! Scenario (issue 18) through the real window on a connected shop (the simulators stand in for
//! Shopify, with two locations, and SmartBill, with two warehouses):
//! 1. Profile → Locations lists both Shopify locations, says the second is not synced, maps it
//!    to the second warehouse and saves; after the engine's restart and a Sync now, the Stock
//!    screen shows a level and a reserved column for each location;
//! 2. Profile → Kits refuses a kit inside a kit before sending, and saves a recipe of billing
//!    codes.

use serde_json::json;

use crate::demo::tid;
use crate::profile_steps::{Services, open_profile};
use crate::real_shop::{self, sync_now};

const SECOND_WAREHOUSE: &str = "Magazin";

#[test]
#[cfg(target_os = "linux")]
fn locations_mapped_in_profile_show_per_location_columns_and_kits_are_edited() {
    let services = Services::start();
    let root = tempfile::Builder::new()
        .prefix("punte-e2e-locations-")
        .tempdir()
        .expect("temp");
    // The second warehouse holds one article, so SmartBill lists it (an empty one is not).
    real_shop::control(
        &services.bill,
        "/billing/seed",
        json!({"warehouse": SECOND_WAREHOUSE, "articles": [{"code": "PT-MAGAZIN",
            "name": "Produs de magazin", "unit": "buc", "price": "10.00", "vat_percent": 21,
            "stock": "3"}]}),
    );
    let app = real_shop::connect("locations", &services, root.path(), &[], true);

    // Billing codes the kit may use: rows whose billing stock is known.
    app.click(&tid("nav-stock"));
    app.find(&tid("stock-table"));
    let codes = app.wait_for("products with a billing stock", || {
        let v = app.execute(
            "return [...document.querySelectorAll('[data-testid=\"stock-row\"]')]
               .map(r => r.dataset.code)
               .filter(c => c && /\\d/.test(document.querySelector(
                 `[data-testid=\"stock-billing-${c}\"]`)?.textContent ?? ''));",
        );
        let list: Vec<String> = v
            .as_array()?
            .iter()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect();
        (list.len() >= 2).then_some(list)
    });

    // 1. The mapping.
    open_profile(&app);
    app.click(&tid("profile-tab-locations"));
    app.find(&tid("locations-table"));
    let rows = app.wait_for("both Shopify locations listed", || {
        let v = app.execute(
            "return [...document.querySelectorAll('[data-testid=\"location-row\"]')]
               .map(r => r.dataset.location);",
        );
        let ids: Vec<String> = v
            .as_array()?
            .iter()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect();
        (ids.len() == 2).then_some(ids)
    });
    assert!(
        app.text(&tid("locations-unmapped")).contains("not synced")
            || app.text(&tid("locations-unmapped")).contains("sincroniz")
    );
    let select = format!("location-warehouse-{}", rows[1]);
    let chosen = app.execute(&format!(
        "const s = document.querySelector('[data-testid=\"{select}\"]');
         s.value = '{SECOND_WAREHOUSE}';
         s.dispatchEvent(new Event('change', {{bubbles: true}}));
         return s.value;"
    ));
    assert_eq!(chosen, SECOND_WAREHOUSE, "the second warehouse is offered");
    app.click(&tid("locations-save"));
    app.find(&tid("locations-saved"));
    assert!(
        app.text_now(&tid("locations-unmapped")).is_none(),
        "every location is synced now"
    );

    sync_now(&app);
    app.click(&tid("nav-stock"));
    app.find(&tid("stock-table"));
    app.wait_for("a column per location", || {
        let n = app
            .execute("return document.querySelectorAll('[data-testid=\"stock-loc-col\"]').length;");
        (n.as_u64() == Some(2)).then_some(())
    });
    let cell = format!("stock-locres-{}-{}", rows[1], codes[0]);
    app.find(&tid(&cell));

    // 2. Kits.
    open_profile(&app);
    app.click(&tid("profile-tab-kits"));
    app.click(&tid("kit-new"));
    app.fill(&tid("kit-code"), "SET-CADOU");
    app.fill(&tid("kit-name"), "Set cadou");
    app.fill(&tid("kit-component-code-0"), &codes[0]);
    app.fill(&tid("kit-component-qty-0"), "2");
    app.click(&tid("kit-add"));
    app.fill(&tid("kit-component-code-1"), &codes[1]);
    app.click(&tid("kit-save"));
    app.find(&tid("kit-done"));
    app.find("[data-testid=\"kit\"][data-code=\"SET-CADOU\"]");
    app.click(&tid("kit-new"));
    app.fill(&tid("kit-code"), "SET-MARE");
    app.fill(&tid("kit-component-code-0"), "SET-CADOU");
    app.click(&tid("kit-save"));
    let problems = app.text(&tid("kit-problems"));
    assert!(problems.contains("SET-CADOU"), "{problems}");
    assert!(
        app.text_now("[data-testid=\"kit\"][data-code=\"SET-MARE\"]")
            .is_none()
    );
}
