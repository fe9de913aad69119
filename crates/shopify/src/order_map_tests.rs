//! Wire → domain on hand-written Shopify answers: discounts come from allocations less what
//! refund line items gave back, never from the rounded per-unit price; units gone without a
//! refund line item take a pro-rata share; shipping tax is what the current tax leaves.

use std::collections::HashMap;

use punte_core::invoice::{InvoiceSettings, draft_invoice};
use punte_core::product::CodeSource;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::map_order;
use crate::order_wire::{LineWire, OrderWire, RefundWire};

fn d(s: &str) -> Decimal {
    s.parse().expect("test decimal")
}

fn money(a: &str) -> Value {
    json!({"shopMoney": {"amount": a}})
}

fn line(id: u64, qty: i64, current: i64, price: &str, allocated: &[&str], tax: &str) -> Value {
    let allocs: Vec<Value> = allocated
        .iter()
        .map(|a| json!({"allocatedAmountSet": money(a)}))
        .collect();
    json!({"id": format!("gid://shopify/LineItem/{id}"), "name": format!("Produs {id}"),
        "sku": format!("SKU-{id}"), "quantity": qty, "currentQuantity": current,
        "unfulfilledQuantity": current, "taxable": true, "requiresShipping": true, "variant": null,
        "originalUnitPriceSet": money(price), "discountAllocations": allocs,
        "taxLines": [{"rate": 0.21, "ratePercentage": 21.0, "priceSet": money(tax)}]})
}

fn order(included: bool, total: &str, tax: &str, ship: &str, ship_lines: Value) -> Value {
    json!({"id": "gid://shopify/Order/77", "name": "#1077", "createdAt": "2026-11-20T10:00:00Z",
        "updatedAt": "2026-11-21T10:00:00Z", "cancelledAt": null, "cancelReason": null,
        "closedAt": null, "test": false, "displayFinancialStatus": "PAID",
        "displayFulfillmentStatus": "UNFULFILLED", "currencyCode": "RON", "taxesIncluded": included,
        "email": "ana@example.ro", "phone": null, "note": null, "customer": null,
        "billingAddress": {"name": "Ana Pop", "company": null, "address1": "Str. Lunga 1",
            "address2": null, "zip": "400001", "city": "Cluj-Napoca", "province": "Cluj",
            "country": "Romania", "countryCodeV2": "RO", "phone": null},
        "shippingAddress": null, "currentSubtotalPriceSet": money("0"),
        "currentTotalPriceSet": money(total), "currentTotalTaxSet": money(tax),
        "currentTotalDiscountsSet": money("0"), "currentShippingPriceSet": money(ship),
        "totalRefundedSet": money("0"), "currentTaxLines": [],
        "shippingLines": {"nodes": ship_lines, "pageInfo": {"hasNextPage": false}},
        "lineItems": {"nodes": [], "pageInfo": {"hasNextPage": false}}})
}

fn courier(price: &str, tax: &str) -> Value {
    json!([{"title": "Fan Courier", "currentDiscountedPriceSet": money(price),
        "taxLines": [{"rate": 0.21, "ratePercentage": 21.0, "priceSet": money(tax)}]}])
}

fn refund(line_id: u64, qty: i64, price: &str, subtotal: &str, tax: &str) -> Value {
    json!({"refundLineItems": {"nodes": [{"quantity": qty,
        "lineItem": {"id": format!("gid://shopify/LineItem/{line_id}")},
        "priceSet": money(price), "subtotalSet": money(subtotal), "totalTaxSet": money(tax)}],
        "pageInfo": {"hasNextPage": false}}})
}

/// Maps the wire order and drafts its invoice; returns (line discounts, draft total).
fn draft(o: Value, lines: Vec<Value>, refunds: Vec<Value>) -> (Vec<Decimal>, Decimal, Decimal) {
    let w: OrderWire = serde_json::from_value(o).expect("order wire");
    let lines: Vec<LineWire> = lines
        .into_iter()
        .map(|l| serde_json::from_value(l).expect("line wire"))
        .collect();
    let refunds: Vec<RefundWire> = refunds
        .into_iter()
        .map(|r| serde_json::from_value(r).expect("refund wire"))
        .collect();
    let o = map_order(w, lines, &refunds).expect("maps");
    let discounts = o.lines.iter().map(|l| l.discount).collect();
    let core = o.to_core(CodeSource::Sku);
    let draft = draft_invoice(&core, &InvoiceSettings::default(), &HashMap::new())
        .expect("the draft matches Shopify's total");
    (discounts, draft.total(), o.total)
}

#[test]
fn allocations_not_the_rounded_unit_price() {
    // 3 × 33.33 with a 10.00 code: Shopify's approximate unit price after discounts is 30.00,
    // so (33.33 − 30.00) × 3 = 9.99, a ban short of the 10.00 allocated.
    let old_per_unit = (d("33.33") - d("30.00")) * Decimal::from(3);
    assert_eq!(old_per_unit, d("9.99"));
    let o = order(true, "109.98", "19.09", "19.99", courier("19.99", "3.47"));
    let l = line(1, 3, 3, "33.33", &["10.00"], "15.62");
    let (discounts, total, shopify) = draft(o, vec![l], vec![]);
    assert_eq!(discounts, vec![d("10.00")]);
    assert_eq!((total, shopify), (d("109.98"), d("109.98")));
}

#[test]
fn a_refunded_unit_gives_back_its_share_of_the_discount() {
    // 3 × 33.33 − 10.00 = 89.99; one unit refunded at 30.00 (its 3.33 of discount goes back).
    let o = order(true, "59.99", "10.41", "0.00", json!([]));
    let l = line(1, 3, 2, "33.33", &["10.00"], "15.62");
    let r = refund(1, 1, "33.33", "30.00", "5.21");
    let (discounts, total, shopify) = draft(o, vec![l], vec![r]);
    assert_eq!(discounts, vec![d("6.67")]);
    assert_eq!((total, shopify), (d("59.99"), d("59.99")));
}

#[test]
fn units_gone_without_a_refund_line_take_a_pro_rata_share() {
    // 4 × 25.00 − 10.00; one unit gone but no refund line item was read: 3/4 of 10.00 stays.
    let o = order(true, "67.50", "11.71", "0.00", json!([]));
    let l = line(1, 4, 3, "25.00", &["6.00", "4.00"], "15.62");
    let (discounts, total, _) = draft(o, vec![l], vec![]);
    assert_eq!(discounts, vec![d("7.50")]);
    assert_eq!(total, d("67.50"));
}

#[test]
fn tax_excluded_order_adds_line_and_shipping_tax() {
    // Net: 2 × 10.00 − 1.00 = 19.00, tax 3.99; shipping 15.00 net, whose tax is what the current
    // total tax leaves after the line's: 7.14 − 3.99 = 3.15. 19.00 + 3.99 + 15.00 + 3.15 = 41.14.
    let o = order(false, "41.14", "7.14", "15.00", courier("15.00", "3.15"));
    let l = line(1, 2, 2, "10.00", &["1.00"], "3.99");
    let (discounts, total, shopify) = draft(o, vec![l], vec![]);
    assert_eq!(discounts, vec![d("1.00")]);
    assert_eq!((total, shopify), (d("41.14"), d("41.14")));
}

#[test]
fn shipping_without_a_listed_line_still_counts() {
    let o = order(true, "69.89", "12.13", "19.99", json!([]));
    let l = line(1, 1, 1, "49.90", &[], "8.66");
    let (_, total, shopify) = draft(o, vec![l], vec![]);
    assert_eq!(total, shopify);
}
