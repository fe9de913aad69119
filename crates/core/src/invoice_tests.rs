//! Invoice draft tests on real-looking Romanian orders: totals to the ban, discounts, mixed VAT,
//! tax-excluded prices, companies with CUI, warehouse names and stock discharge.

use super::*;
use crate::client::Cui;
use crate::order::{LineId, OrderLine, ShippingLine};
use crate::testkit::d;
use proptest::prelude::*;
use rstest::rstest;

#[path = "invoice_fixtures.rs"]
mod fixtures;
use fixtures::*;

#[rstest]
#[case::two_tshirts_and_courier(
    vec![line(1, "TS-NEG-M", 2, "121.00", "0", None)], vec![shipping("20.00", "0")], "262.00",
    vec![(DraftLineKind::Product, 2, "121.00", "21"), (DraftLineKind::Shipping, 1, "20.00", "21")])]
#[case::ten_percent_code_rounded_by_shopify(
    vec![line(1, "CANA-01", 3, "49.99", "15.00", None)], vec![shipping("15.99", "0")], "150.96",
    vec![(DraftLineKind::Product, 3, "49.99", "21"), (DraftLineKind::Discount, 1, "-15.00", "21"),
         (DraftLineKind::Shipping, 1, "15.99", "21")])]
#[case::book_at_reduced_rate(
    vec![line(1, "CARTE-7", 1, "59.90", "0", Some("11")), line(2, "TS-ALB-S", 1, "89.90", "0", Some("21"))],
    vec![], "149.80",
    vec![(DraftLineKind::Product, 1, "59.90", "11"), (DraftLineKind::Product, 1, "89.90", "21")])]
#[case::free_shipping_code_drops_line(
    vec![line(1, "TS-ALB-S", 1, "89.90", "0", None)], vec![shipping("19.99", "19.99")], "89.90",
    vec![(DraftLineKind::Product, 1, "89.90", "21")])]
#[case::refunded_line_left_out(
    vec![line(1, "A", 1, "10.00", "0", None), line(2, "B", 0, "99.00", "0", None)], vec![], "10.00",
    vec![(DraftLineKind::Product, 1, "10.00", "21")])]
fn tax_included_orders_match_shopify_total(
    #[case] lines: Vec<OrderLine>,
    #[case] ship: Vec<ShippingLine>,
    #[case] total: &str,
    #[case] expected: Vec<(DraftLineKind, i64, &str, &str)>,
) {
    let order = shop_order(lines, ship, total);
    let draft = draft_invoice(&order, &InvoiceSettings::default(), &HashMap::new()).unwrap();
    let expected: Vec<_> = expected
        .into_iter()
        .map(|(k, q, p, r)| (k, q, d(p), d(r)))
        .collect();
    assert_eq!(summary(&draft), expected);
    assert_eq!(draft.total(), d(total), "to the ban");
}

#[rstest]
// 3 × 33.33 net = 99.99; Shopify's 21 % tax on the line is 21.00 → 120.99 = 3 × 40.33.
#[case::divides_evenly("33.33", 3, "0", "21.00", "120.99", vec![(3, "40.33")])]
// 2 × 10.00 net − 1.00 discount = 19.00, tax 3.99 → 22.99 = 11.49 + 11.50.
#[case::needs_a_split("10.00", 2, "1.00", "3.99", "22.99", vec![(1, "11.49"), (1, "11.50")])]
fn tax_excluded_orders_fold_tax_and_discount(
    #[case] net: &str,
    #[case] qty: i64,
    #[case] discount: &str,
    #[case] tax: &str,
    #[case] total: &str,
    #[case] expected: Vec<(i64, &str)>,
) {
    let mut l = line(1, "P", qty, net, discount, Some("21"));
    l.tax = d(tax);
    let mut order = shop_order(vec![l], vec![], total);
    order.taxes_included = false;
    let draft = draft_invoice(&order, &InvoiceSettings::default(), &HashMap::new()).unwrap();
    let got: Vec<(i64, Decimal)> = draft
        .lines
        .iter()
        .map(|l| (l.quantity, l.unit_price))
        .collect();
    assert_eq!(
        got,
        expected
            .into_iter()
            .map(|(q, p)| (q, d(p)))
            .collect::<Vec<_>>()
    );
    assert_eq!(draft.total(), d(total));
}

#[test]
fn company_warehouse_name_and_stock_discharge() {
    let mut order = shop_order(
        vec![
            line(1, "TS-NEG-M", 2, "121.00", "0", None),
            line(2, "", 1, "5.00", "0", None),
        ],
        vec![shipping("20.00", "0")],
        "267.00",
    );
    order.customer.company = Some("Exemplu SRL".into());
    order.customer.cui = Some("RO37311090".into());
    let settings = InvoiceSettings {
        use_warehouse_name: true,
        discharge_from: Some("Depozit".into()),
        ..InvoiceSettings::default()
    };
    let names = HashMap::from([(ProductCode::from("TS-NEG-M"), "Tricou negru M".to_owned())]);
    let draft = draft_invoice(&order, &settings, &names).unwrap();
    assert!(draft.use_stock);
    let Client::Company { cui, name, .. } = &draft.client else {
        panic!("{:?}", draft.client)
    };
    assert_eq!(
        (cui, name.as_str()),
        (&Cui::parse("RO37311090").unwrap(), "Exemplu SRL")
    );
    let got: Vec<(&str, Option<&str>)> = draft
        .lines
        .iter()
        .map(|l| (l.name.as_str(), l.warehouse.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("Tricou negru M", Some("Depozit")),
            ("Shopify ", None),
            ("Transport Fan Courier", None)
        ],
        "billing name on coded lines; custom item and shipping never discharge stock"
    );
}

#[rstest]
#[case::wrong_total(shop_order(vec![line(1, "A", 1, "10.00", "0", None)], vec![], "10.01"),
    InvoiceError::TotalMismatch { draft: d("10.00"), shopify: d("10.01") })]
#[case::all_refunded(shop_order(vec![line(1, "A", 0, "10.00", "0", None)], vec![], "0"),
    InvoiceError::NothingToInvoice)]
#[case::bad_cui({
    let mut o = shop_order(vec![line(1, "A", 1, "10.00", "0", None)], vec![], "10.00");
    o.customer.cui = Some("RO37311091".into());
    o
}, InvoiceError::Client(CuiError::WrongControlDigit("RO37311091".into())))]
fn refuses_drafts_that_would_be_wrong(#[case] order: Order, #[case] expected: InvoiceError) {
    let got = draft_invoice(&order, &InvoiceSettings::default(), &HashMap::new());
    assert_eq!(got, Err(expected));
}

#[rstest]
#[case::per_product_rate(true, "11", "23.98")]
#[case::not_vat_payer(false, "0", "0.00")]
fn vat_follows_registration(#[case] vat_payer: bool, #[case] rate: &str, #[case] vat: &str) {
    let order = shop_order(vec![line(1, "A", 2, "121.00", "0", None)], vec![], "242.00");
    let mut settings = InvoiceSettings::default();
    settings.vat.vat_payer = vat_payer;
    settings
        .vat_by_code
        .insert(ProductCode::from("A"), VatRate(d("11")));
    let draft = draft_invoice(&order, &settings, &HashMap::new()).unwrap();
    let expected_rate = if vat_payer { d("11") } else { d(rate) };
    assert_eq!(
        draft.lines[0].vat_rate.0, expected_rate,
        "per-product rate unless not a payer"
    );
    let expected_vat = if vat_payer { d("23.98") } else { d(vat) };
    assert_eq!(
        draft.vat_by_rate(),
        vec![(VatRate(expected_rate), expected_vat)]
    );
}

proptest! {
    /// Whatever the prices, quantities and discounts, the split keeps the line total exact.
    #[test]
    fn split_preserves_total(bani in 0i64..10_000_000, qty in 1i64..50) {
        let total = Decimal::new(bani, 2);
        let groups = split_evenly(total, qty);
        let sum: Decimal = groups.iter().map(|(n, p)| Decimal::from(*n) * p).sum();
        prop_assert_eq!(sum, total);
        prop_assert_eq!(groups.iter().map(|(n, _)| n).sum::<i64>(), qty);
    }

    /// A tax-included order's draft always totals what Shopify charged.
    #[test]
    fn draft_total_equals_shopify_total(
        lines in prop::collection::vec((1i64..5, 1i64..50_000, 0i64..100), 1..6),
        ship in 0i64..3_000,
    ) {
        let mut total = Decimal::from(ship) / Decimal::ONE_HUNDRED;
        let order_lines: Vec<OrderLine> = lines.iter().enumerate().map(|(i, &(q, cents, pct))| {
            let price = Decimal::new(cents, 2);
            let discount = round_to_ban(price * Decimal::from(q) * Decimal::new(pct, 2));
            total += price * Decimal::from(q) - discount;
            let mut l = line(i as u64, &format!("C{i}"), q, "0", "0", None);
            (l.unit_price, l.discount) = (price, discount);
            l
        }).collect();
        let order = shop_order(order_lines, vec![shipping(&Decimal::new(ship, 2).to_string(), "0")], &total.to_string());
        let draft = draft_invoice(&order, &InvoiceSettings::default(), &HashMap::new());
        prop_assert_eq!(draft.map(|d| d.total()), Ok(total));
    }
}

/// A line fulfilled from two locations is discharged from both warehouses; a kit line becomes
/// its components, each from the warehouse its kit units left; the total does not move.
#[test]
fn split_fulfilment_and_kits_discharge_from_their_warehouses() {
    use crate::bundles::{Component, Kit};
    use crate::invoice_discharge::Discharge;
    let order = shop_order(
        vec![
            line(1, "A", 3, "10", "0", None),
            line(2, "BOX", 2, "50", "10", None),
        ],
        vec![],
        "120",
    );
    let settings = InvoiceSettings {
        discharge_from: Some("W1".into()),
        ..InvoiceSettings::default()
    };
    let kit = Kit {
        code: ProductCode::from("BOX"),
        title: "Cutie".into(),
        components: vec![
            Component {
                code: ProductCode::from("A"),
                quantity: 2,
            },
            Component {
                code: ProductCode::from("B"),
                quantity: 1,
            },
        ],
    };
    let discharge = Discharge {
        by_line: [
            (LineId(1), vec![("W1".into(), 2), ("W2".into(), 1)]),
            (LineId(2), vec![("W2".into(), 2)]),
        ]
        .into_iter()
        .collect(),
        kits: [(kit.code.clone(), kit)].into_iter().collect(),
    };
    let draft = draft_invoice_from(&order, &settings, &HashMap::new(), &discharge).expect("draft");
    assert_eq!(draft.total(), d("120"));
    let units = |code: &str, w: &str| -> i64 {
        draft
            .lines
            .iter()
            .filter(|l| l.code.as_ref().is_some_and(|c| c.as_str() == code))
            .filter(|l| l.warehouse.as_deref() == Some(w))
            .map(|l| l.quantity)
            .sum()
    };
    assert_eq!((units("A", "W1"), units("A", "W2")), (2, 1 + 4));
    assert_eq!((units("B", "W2"), units("BOX", "W2")), (2, 0));
    assert!(draft.lines.iter().any(|l| l.name == "Cutie — B"));
    assert!(
        draft
            .lines
            .iter()
            .any(|l| l.kind == DraftLineKind::Discount)
    );
}
