//! Order import against the simulator: everything since a cursor, nothing twice, changes
//! (new order, refund, cancel) come back, long orders are read in full, and the mapping into
//! the core's `Order` carries what an invoice draft needs.

mod common;

use std::time::Duration;

use common::{client, control, control_get, requests, seed, sim_with};
use punte_core::order::OrderState;
use punte_core::product::CodeSource;
use punte_shopify::OrderCursor;
use punte_sim::SimOptions;
use rust_decimal::Decimal;
use serde_json::json;

const OVERLAP: Duration = Duration::from_secs(300);

/// Plus limits (bucket 20,000 points, 1,000 a second).
fn plus(demo: bool) -> SimOptions {
    SimOptions {
        demo,
        shopify_bucket: (20_000.0, 1000.0),
        ..SimOptions::default()
    }
}

#[tokio::test]
async fn import_since_cursor_without_duplicates() {
    let sim = sim_with(plus(true)).await;
    let c = client(&sim);
    let first = c
        .orders_changed(&OrderCursor::default(), OVERLAP)
        .await
        .expect("import");
    let in_shop = control_get(&sim, "/state").await["orders"]
        .as_object()
        .map_or(0, |o| o.len());
    assert!(in_shop >= 50, "demo shop has orders");
    assert_eq!(first.orders.len(), in_shop);
    assert!(
        first
            .orders
            .windows(2)
            .all(|w| w[0].updated_at <= w[1].updated_at)
    );
    let again = c
        .orders_changed(&first.cursor, OVERLAP)
        .await
        .expect("import");
    assert!(
        again.orders.is_empty(),
        "nothing changed: {:?}",
        again.orders.len()
    );

    control(&sim, "/clock", json!({"advance_seconds": 5})).await;
    let placed = control(
        &sim,
        "/shopify/orders",
        json!({"lines": [{"sku": "PNT-MIE-0002-500g", "quantity": 3}]}),
    )
    .await;
    let third = c
        .orders_changed(&again.cursor, OVERLAP)
        .await
        .expect("import");
    assert_eq!(third.orders.len(), 1);
    let o = &third.orders[0];
    assert_eq!(o.name, placed["name"].as_str().expect("name"));
    assert_eq!(o.lines[0].sku.as_deref(), Some("PNT-MIE-0002-500g"));
    assert_eq!(o.lines[0].current_quantity, 3);

    // A refund changes the order: it comes back with the new current quantity.
    let line = placed["lineItems"][0]["numericId"]
        .as_u64()
        .expect("line id");
    let id = placed["numericId"].as_u64().expect("order id");
    let refund =
        json!({"lines": [{"line_item_id": line, "quantity": 1, "restock_type": "CANCEL"}]});
    control(&sim, &format!("/shopify/orders/{id}/refund"), refund).await;
    let fourth = c
        .orders_changed(&third.cursor, OVERLAP)
        .await
        .expect("import");
    assert_eq!(fourth.orders.len(), 1, "the refunded order only");
    let core = fourth.orders[0].to_core(CodeSource::Sku);
    assert_eq!((core.lines[0].quantity, core.lines[0].refunded), (2, 1));

    control(
        &sim,
        &format!("/shopify/orders/{id}/cancel"),
        json!({"restock": true}),
    )
    .await;
    let fifth = c
        .orders_changed(&fourth.cursor, OVERLAP)
        .await
        .expect("import");
    assert_eq!(
        fifth.orders[0].to_core(CodeSource::Sku).state,
        OrderState::Cancelled
    );
}

#[tokio::test]
async fn an_order_maps_to_an_invoice_ready_core_order() {
    let sim = sim_with(plus(false)).await;
    seed(&sim, 12, 10).await;
    let lines: Vec<_> = (0..12)
        .map(|i| json!({"sku": format!("P-{i:05}"), "quantity": 1 + i % 2}))
        .collect();
    let body = json!({"lines": lines, "first_name": "Ioana", "last_name": "Stan", "city": "Brașov", "shipping": "15.00"});
    control(&sim, "/shopify/orders", body).await;
    let c = client(&sim);
    let page = c
        .orders_changed(&OrderCursor::default(), OVERLAP)
        .await
        .expect("import");
    let o = &page.orders[0];
    assert_eq!(
        o.lines.len(),
        12,
        "lines beyond the first 10 are read with OrderLines"
    );
    let core = o.to_core(CodeSource::Sku);
    assert_eq!(core.customer.name, "Ioana Stan");
    assert_eq!(core.customer.city, "Brașov");
    assert_eq!(core.currency.0, "RON");
    assert!(core.taxes_included);
    let price: Decimal = "49.90".parse().expect("decimal");
    let line = &core.lines[1];
    assert_eq!((line.quantity, line.unit_price), (2, price));
    assert_eq!(line.vat_rate.map(|r| r.0), Some(Decimal::from(21)));
    assert_eq!(
        line.tax,
        "17.32".parse::<Decimal>().expect("decimal"),
        "VAT in 99.80 gross"
    );
    assert_eq!(
        core.lines[0].code.as_ref().map(|c| c.as_str()),
        Some("P-00000")
    );
    let shipping = &core.shipping[0];
    assert_eq!(shipping.price, Decimal::from(15));
    assert_eq!(
        shipping.tax,
        "2.60".parse::<Decimal>().expect("decimal"),
        "VAT in 15.00 gross"
    );
    let goods: Decimal = core
        .lines
        .iter()
        .map(|l| l.unit_price * Decimal::from(l.quantity))
        .sum();
    assert_eq!(core.total, goods + shipping.price);
    let by_barcode = o.to_core(CodeSource::Barcode);
    assert_eq!(
        by_barcode.lines[0].code.as_ref().map(|c| c.as_str()),
        Some("5940000000000")
    );
}

#[tokio::test]
async fn the_buyers_cui_comes_from_the_company_line_or_the_note() {
    let sim = common::sim(false).await;
    seed(&sim, 1, 10).await;
    let c = client(&sim);
    let line = json!([{"sku": "P-00000", "quantity": 1}]);
    for body in [
        json!({"lines": line, "company": "Oblio Software SRL, CUI RO37311090"}),
        json!({"lines": line, "note": "Factura pe firma, CIF: 37311090"}),
        json!({"lines": line, "note": "Livrare dupa ora 17"}),
    ] {
        control(&sim, "/shopify/orders", body).await;
    }
    let page = c
        .orders_changed(&OrderCursor::default(), OVERLAP)
        .await
        .expect("import");
    let cuis: Vec<_> = page
        .orders
        .iter()
        .map(|o| o.to_core(CodeSource::Sku).customer.cui)
        .collect();
    assert_eq!(
        cuis,
        vec![Some("RO37311090".into()), Some("37311090".into()), None]
    );
}

/// Page sizes follow Shopify's documented costing; a Shopify that prices a page higher and
/// refuses it (MAX_COST_EXCEEDED) gets the same pages again at half the size, and the import
/// still reads every order.
#[tokio::test]
async fn a_page_refused_as_too_costly_is_read_again_smaller() {
    let sim = sim_with(plus(true)).await;
    let c = client(&sim);
    let all = c
        .orders_changed(&OrderCursor::default(), OVERLAP)
        .await
        .expect("import at the documented limit");
    control(&sim, "/shopify/options", json!({"max_query_cost": 300})).await;
    control(&sim, "/reset-log", json!({})).await;
    let strict = client(&sim);
    let again = strict
        .orders_changed(&OrderCursor::default(), OVERLAP)
        .await
        .expect("import under a stricter limit");
    let ids = |p: &punte_shopify::OrderPage| p.orders.iter().map(|o| o.id).collect::<Vec<_>>();
    assert_eq!(ids(&again), ids(&all));
    let pages: Vec<u64> = requests(&sim, "/graphql.json")
        .await
        .iter()
        .filter_map(|(_, body)| {
            let v: serde_json::Value = serde_json::from_str(body).ok()?;
            (v["operationName"] == "OrdersChanged").then(|| v["variables"]["first"].as_u64())?
        })
        .collect();
    // 250 → 125 → 62 → 31 → 15 refused (926, 758, 674, 506, 422 points), then pages of 7 (254).
    assert_eq!(pages[..6], [250, 125, 62, 31, 15, 7], "{pages:?}");
    assert!(pages[6..].iter().all(|&n| n == 7), "{pages:?}");
}

/// An app without access to protected customer data gets `data` and `errors` together: the
/// orders with names, addresses, emails and phones null, and one error per withheld field.
/// The import keeps the orders (lines, totals, states) and says which fields were withheld.
#[tokio::test]
async fn orders_come_through_when_customer_data_is_withheld() {
    let sim = sim_with(plus(true)).await;
    control(
        &sim,
        "/shopify/options",
        json!({"protected_customer_data": false}),
    )
    .await;
    let c = client(&sim);
    let page = c
        .orders_changed(&OrderCursor::default(), OVERLAP)
        .await
        .expect("the import keeps the data beside the errors");
    assert!(page.orders.len() >= 50, "{}", page.orders.len());
    let mut fields: Vec<&str> = page.withheld.iter().map(|w| w.field()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "billingAddress",
            "defaultEmailAddress",
            "email",
            "firstName",
            "lastName",
            "phone",
            "shippingAddress"
        ]
    );
    assert!(
        page.withheld[0]
            .message
            .contains("not approved to access the Customer object"),
        "Shopify's own words are kept: {:?}",
        page.withheld[0]
    );
    for o in &page.orders {
        assert!(o.email.is_none() && o.billing_address.is_none(), "{o:?}");
        assert!(!o.withheld.is_empty(), "{}", o.name);
        assert!(!o.lines.is_empty(), "lines and totals are kept");
        let core = o.to_core(CodeSource::Sku);
        assert!(core.customer.name.is_empty());
    }
}
