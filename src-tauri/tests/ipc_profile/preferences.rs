//! Warehouse and Invoice preferences over IPC: a patch changes only the fields it names, and one
//! bad value refuses the whole patch with its field, changing nothing.

use serde_json::json;

use crate::support::{TURN, launch};

#[test]
fn preferences_change_only_the_fields_named_and_refuse_bad_values_whole() {
    let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    let app = launch();
    let before = app.ok("preferences", json!({}));
    assert_eq!(before["code_source"], "Sku");
    assert_eq!(before["new_products"], json!({"policy": "next_cycle"}));

    let after = app.ok("save_preferences", json!({"patch": {"default_buffer": 3}}));
    let mut expected = before.clone();
    expected["default_buffer"] = json!(3);
    assert_eq!(after, expected, "only the buffer changes");

    for (patch, field) in [
        (
            json!({"stock_sync_every_minutes": 2}),
            "stock_sync_every_minutes",
        ),
        (
            json!({"default_buffer": 9, "vat_standard": "abc"}),
            "vat_standard",
        ),
        (json!({"vat_reduced": "101"}), "vat_reduced"),
        (json!({"auto_invoice": "sometimes"}), "auto_invoice"),
        (
            json!({"new_products": {"policy": "next_day_after", "local_time": "25:00"}}),
            "new_products",
        ),
        (json!({"colour": "blue"}), "colour"),
        (json!({"warehouse": "Depozit"}), "warehouse"),
        (json!({"use_stock": "yes"}), "use_stock"),
    ] {
        app.refused(
            "save_preferences",
            json!({ "patch": patch }),
            "input.invalid",
            Some(field),
        );
        assert_eq!(
            app.ok("preferences", json!({})),
            after,
            "{patch} changed something"
        );
    }

    let patch = json!({"new_products": {"policy": "next_day_after", "local_time": "07:30"},
        "vat_standard": "19.5", "auto_invoice": "when_paid", "sync_stock": false});
    let saved = app.ok("save_preferences", json!({ "patch": patch }));
    assert_eq!(
        saved["new_products"],
        json!({"policy": "next_day_after", "local_time": "07:30"})
    );
    assert_eq!(
        (saved["vat_standard"].clone(), saved["auto_invoice"].clone()),
        (json!("19.5"), json!("when_paid"))
    );
    assert_eq!(
        (saved["sync_stock"].clone(), saved["default_buffer"].clone()),
        (json!(false), json!(3))
    );
    assert_eq!(saved["invoice_series"], before["invoice_series"]);
}
