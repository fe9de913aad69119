//! Credit planning on real-looking returns: one line of three back, shipping only, no restock,
//! a refund made before invoicing, a discounted line returned in parts, a whole return, money
//! with no line, old drafts without line ids; and a property: however a fully refunded order's
//! units are split over refunds, its credits add up to the invoice exactly.

use super::*;
use crate::invoice::DraftLineKind;
use crate::money::VatRate;
use crate::order::OrderLine;
use crate::product::ProductCode;
use crate::testkit::d;
use proptest::prelude::*;

#[path = "credit_note_fixtures.rs"]
mod fixtures;
use fixtures::*;

#[test]
fn one_line_of_three_returned_and_restocked_is_one_credit_line_at_the_invoice_price() {
    let case = Case::new(&three_lines(), vec![refund(9001, 60, &[(3, 1, true)], "0")]);
    let credits = issued(case.plan(&[], &[], None));
    assert_eq!(credits.len(), 1);
    let c = &credits[0];
    assert_eq!(
        (c.invoice_series.as_str(), c.invoice_number.as_str()),
        ("FCT", "0007")
    );
    assert_eq!(c.lines.len(), 1, "{c:?}");
    let l = &c.lines[0];
    assert_eq!(
        (l.quantity, l.unit_price, l.vat_rate),
        (-1, d("120.00"), VatRate(d("21")))
    );
    assert_eq!(l.code, Some(ProductCode::from("SAP-L")));
    assert_eq!(
        l.warehouse.as_deref(),
        Some("Depozit"),
        "back where it left"
    );
    assert_eq!(c.total(), d("-120.00"));
    assert!(c.use_stock && !c.whole);
    assert_eq!(c.key(), "punte-credit-9001");
}

#[test]
fn the_merchants_warehouse_takes_returns_and_no_restock_takes_none() {
    let case = Case::new(
        &three_lines(),
        vec![refund(9001, 60, &[(2, 1, true), (1, 1, false)], "0")],
    );
    let c = &issued(case.plan(&[], &[], Some("Retururi")))[0];
    let by_code = |code: &str| {
        c.lines
            .iter()
            .find(|l| l.code == Some(ProductCode::from(code)))
            .expect("line")
    };
    assert_eq!(by_code("CAN-1").warehouse.as_deref(), Some("Retururi"));
    assert_eq!(
        by_code("TRC-M").warehouse,
        None,
        "Shopify did not restock it"
    );
    assert_eq!(c.total(), d("-134.90"));
}

#[test]
fn a_refund_of_shipping_only_credits_the_shipping_line() {
    let case = Case::new(&three_lines(), vec![refund(9002, 60, &[], "19.99")]);
    let c = &issued(case.plan(&[], &[], None))[0];
    assert_eq!(c.lines.len(), 1);
    assert_eq!(c.lines[0].kind, DraftLineKind::Shipping);
    assert_eq!(
        (c.lines[0].quantity, c.lines[0].unit_price),
        (-1, d("19.99"))
    );
    assert!(!c.use_stock);
}

#[test]
fn a_refund_made_before_the_invoice_was_drafted_gets_no_credit() {
    // Refunded (one unit, and the shipping) first, then invoiced from Shopify's current order.
    let before = three_lines();
    let early = refund(9003, 5, &[(2, 1, true)], "19.99");
    let mut now = refunded(before.clone(), std::slice::from_ref(&early));
    now.shipping.clear();
    now.total -= d("64.99");
    let case = Case {
        invoice: invoice(&now),
        order: now,
        shipping_now: Decimal::ZERO,
        refunds: vec![early],
    };
    assert!(case.plan(&[], &[], None).is_empty());
    // A later refund of the other unit of that line is credited: the invoice carries it.
    let mut later = case;
    later.refunds.push(refund(9004, 90, &[(2, 1, true)], "0"));
    later.order = refunded(later.order, &later.refunds[1..]);
    let c = &issued(later.plan(&[], &[9003], None))[0];
    assert_eq!((c.refund_id, c.total()), (9004, d("-45.00")));
}

#[test]
fn a_discounted_line_returned_in_parts_adds_up_to_what_was_invoiced() {
    let o = order(vec![line(1, "CAN-1", 3, "100.00", "10.00")], "0");
    let r1 = refund(1, 10, &[(1, 1, true)], "0");
    let r2 = refund(2, 20, &[(1, 2, true)], "0");
    let case = Case::new(&o, vec![r1, r2]);
    let credits = issued(case.plan(&[], &[], None));
    assert_eq!(credits.len(), 2);
    assert_eq!(credits[0].total(), d("-96.67"), "one third of 290.00");
    assert_eq!(credits[1].total(), d("-193.33"), "the rest, exactly");
    assert_eq!(case.invoice.total(), d("290.00"));
    // Planned one at a time, the second sees the first as earlier: same result.
    let first = issued(case.plan(&[], &[2], None));
    let second = issued(case.plan(&first, &[1], None));
    assert_eq!(second[0].total(), d("-193.33"));
}

#[test]
fn a_whole_return_restocked_where_it_left_is_the_services_storno() {
    let o = three_lines();
    let all = refund(7, 60, &[(1, 1, true), (2, 2, true), (3, 1, true)], "19.99");
    let case = Case::new(&o, vec![all]);
    let c = &issued(case.plan(&[], &[], None))[0];
    assert!(c.whole, "{c:?}");
    assert_eq!(c.total(), -case.invoice.total());
    // Into another warehouse, without the shipping, or after an earlier credit: not a storno.
    assert!(!issued(case.plan(&[], &[], Some("Retururi")))[0].whole);
    let no_ship = Case::new(
        &o,
        vec![refund(
            7,
            60,
            &[(1, 1, true), (2, 2, true), (3, 1, true)],
            "0",
        )],
    );
    assert!(!issued(no_ship.plan(&[], &[], None))[0].whole);
}

#[test]
fn money_with_no_line_or_shipping_goes_to_the_merchant() {
    let mut goodwill = refund(11, 60, &[], "0");
    goodwill.amount = d("25.00");
    let case = Case::new(&three_lines(), vec![goodwill]);
    assert_eq!(
        case.plan(&[], &[], None),
        vec![CreditPlan::Review {
            refund_id: 11,
            problem: CreditProblem::MoneyOnly { amount: d("25.00") }
        }]
    );
}

#[test]
fn more_units_than_the_invoice_still_carries_go_to_the_merchant() {
    let case = Case::new(&three_lines(), vec![refund(12, 60, &[(2, 2, true)], "0")]);
    let earlier = issued(
        Case::new(&three_lines(), vec![refund(5, 30, &[(2, 1, true)], "0")]).plan(&[], &[], None),
    );
    let plans = case.plan(&earlier, &[], None);
    assert!(
        matches!(
            &plans[0],
            CreditPlan::Review {
                problem: CreditProblem::MoreThanInvoiced {
                    asked: 2,
                    left: 1,
                    ..
                },
                ..
            }
        ),
        "{plans:?}"
    );
}

#[test]
fn planned_refunds_are_not_planned_again() {
    let case = Case::new(&three_lines(), vec![refund(9001, 60, &[(3, 1, true)], "0")]);
    assert!(case.plan(&[], &[9001], None).is_empty());
}

#[test]
fn drafts_without_line_ids_are_matched_by_code() {
    let o = three_lines();
    let mut case = Case::new(&o, vec![refund(3, 60, &[(2, 1, false)], "0")]);
    for l in &mut case.invoice.lines {
        l.line = None;
    }
    let c = &issued(case.plan(&[], &[], None))[0];
    assert_eq!(c.total(), d("-45.00"));
}

proptest! {
    /// However a fully refunded order's units are spread over refunds (shipping in the last),
    /// every unit is credited once and the credits add up to the invoice to the ban.
    #[test]
    fn credits_of_a_full_refund_add_up_to_the_invoice(
        qty in proptest::collection::vec(1i64..6, 1..4),
        price_bani in proptest::collection::vec(101i64..20_000, 4),
        discount_bani in proptest::collection::vec(0i64..500, 4),
        split in proptest::collection::vec(0usize..3, 24),
    ) {
        let lines: Vec<OrderLine> = qty.iter().enumerate().map(|(i, &q)| {
            let price = Decimal::new(price_bani[i], 2);
            let disc = Decimal::new(discount_bani[i], 2).min(price);
            line(i as u64 + 1, &format!("C{i}"), q, &price.to_string(), &disc.to_string())
        }).collect();
        let o = order(lines, "15.00");
        // Each unit goes to one of three refunds.
        let mut per: Vec<Vec<(u64, i64, bool)>> = vec![Vec::new(); 3];
        let mut k = 0;
        for l in &o.lines {
            for _ in 0..l.quantity {
                per[split[k % split.len()]].push((l.id.0, 1, true));
                k += 1;
            }
        }
        let refunds: Vec<RefundFacts> = per.iter().enumerate().map(|(i, ls)| {
            refund(i as u64 + 1, i as i64, ls, if i == 2 { "15.00" } else { "0" })
        }).filter(|r| !r.lines.is_empty() || r.shipping > Decimal::ZERO).collect();
        let case = Case::new(&o, refunds);
        let credits = issued(case.plan(&[], &[], None));
        let total: Decimal = credits.iter().map(CreditDraft::total).sum();
        prop_assert_eq!(total, -case.invoice.total());
        let units: i64 = credits.iter().flat_map(|c| &c.lines)
            .filter(|l| l.kind == DraftLineKind::Product).map(|l| -l.quantity).sum();
        prop_assert_eq!(units, qty.iter().sum::<i64>());
    }
}
