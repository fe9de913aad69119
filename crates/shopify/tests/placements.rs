//! Where Shopify assigned each order line, read from the order's fulfillment orders against the
//! simulator: one location, a split between two, a cancelled order (nothing held), and the
//! `committed` quantity Shopify moved at each location agrees with what the client reads.

mod common;

use common::{client, control, control_get, primary_location, seed, sim};
use punte_core::order::{LineId, OrderId};
use punte_shopify::LinePlacement;
use serde_json::json;

#[tokio::test]
async fn placements_follow_each_lines_assigned_location() {
    let sim = sim(false).await;
    seed(&sim, 2, 10).await;
    let c = client(&sim);
    let main = primary_location(&c).await;
    let second = control(&sim, "/shopify/locations", json!({"name": "Magazin Cluj"})).await["id"]
        .as_u64()
        .expect("location id");
    let names: Vec<String> = c
        .locations()
        .await
        .expect("locations")
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert!(names.contains(&"Magazin Cluj".to_owned()), "{names:?}");

    // Everything at the second location.
    let one = control(
        &sim,
        "/shopify/orders",
        json!({"location_id": second, "lines": [{"sku": "P-00000", "quantity": 2}]}),
    )
    .await;
    let id = OrderId(one["numericId"].as_u64().expect("id"));
    let line = LineId(one["lineItems"][0]["numericId"].as_u64().expect("line"));
    let got = c.line_placements(id).await.expect("placements");
    assert_eq!(
        got,
        vec![LinePlacement {
            line,
            location_id: second,
            units: 2
        }]
    );

    // A split: line 1 at the primary, line 2 at the second location.
    let split = control(
        &sim,
        "/shopify/orders",
        json!({"lines": [{"sku": "P-00000", "quantity": 1},
                         {"sku": "P-00001", "quantity": 3, "location_id": second}]}),
    )
    .await;
    let id = OrderId(split["numericId"].as_u64().expect("id"));
    let l1 = LineId(split["lineItems"][0]["numericId"].as_u64().expect("line"));
    let l2 = LineId(split["lineItems"][1]["numericId"].as_u64().expect("line"));
    let mut got = c.line_placements(id).await.expect("placements");
    got.sort_by_key(|p| p.line.0);
    assert_eq!(
        got,
        vec![
            LinePlacement {
                line: l1,
                location_id: main,
                units: 1
            },
            LinePlacement {
                line: l2,
                location_id: second,
                units: 3
            },
        ]
    );
    // Shopify committed each line's units at its own location.
    let state = control_get(&sim, "/state").await;
    let committed_at = |loc: u64| -> i64 {
        state["levels"]
            .as_array()
            .expect("levels")
            .iter()
            .filter(|r| r["locationId"].as_u64() == Some(loc))
            .map(|r| r["quantities"]["committed"].as_i64().unwrap_or_default())
            .sum()
    };
    assert_eq!(committed_at(main), 1);
    assert_eq!(committed_at(second), 2 + 3);

    // Cancelled: its fulfillment orders hold nothing.
    control(
        &sim,
        &format!("/shopify/orders/{}/cancel", id.0),
        json!({"restock": true, "reason": "customer"}),
    )
    .await;
    assert!(c.line_placements(id).await.expect("placements").is_empty());
    // An order Shopify does not have.
    assert!(
        c.line_placements(OrderId(999_999))
            .await
            .expect("none")
            .is_empty()
    );
}
