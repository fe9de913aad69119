//! The orders, invoices and refunds the credit planning tests are made of: an order line, an
//! order with shipping, its invoice discharged from "Depozit", Shopify's refunds and the order
//! as it stands after them, and a case that plans its credits.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::credit_note::{
    CreditDraft, CreditInput, CreditPlan, RefundFacts, RefundedUnits, plan_credits,
};
use crate::invoice::{InvoiceDraft, InvoiceSettings, draft_invoice};
use crate::money::{Currency, VatRate};
use crate::order::{Customer, LineId, Order, OrderId, OrderLine, OrderState, ShippingLine};
use crate::product::ProductCode;
use crate::testkit::{at, d};

pub(super) fn line(id: u64, code: &str, qty: i64, price: &str, discount: &str) -> OrderLine {
    OrderLine {
        id: LineId(id),
        code: Some(ProductCode::from(code)),
        variant_id: None,
        title: format!("Produs {code}"),
        quantity: qty,
        refunded: 0,
        fulfilled: qty,
        unit_price: d(price),
        discount: d(discount),
        vat_rate: Some(VatRate(d("21"))),
        tax: Decimal::ZERO,
        taxable: true,
    }
}

pub(super) fn order(lines: Vec<OrderLine>, shipping: &str) -> Order {
    let mut o = Order {
        id: OrderId(5_550_001),
        name: "#1001".into(),
        created_at: at(0),
        state: OrderState::Open,
        lines,
        shipping: vec![ShippingLine {
            title: "Fan Courier".into(),
            price: d(shipping),
            discount: Decimal::ZERO,
            vat_rate: Some(VatRate(d("21"))),
            tax: Decimal::ZERO,
        }],
        customer: Customer {
            name: "Ana Pop".into(),
            ..Customer::default()
        },
        currency: Currency::ron(),
        taxes_included: true,
        total: Decimal::ZERO,
    };
    o.shipping.retain(|s| s.price > Decimal::ZERO);
    let lines: Decimal = o
        .lines
        .iter()
        .map(|l| l.unit_price * Decimal::from(l.quantity) - l.discount)
        .sum();
    o.total = lines + d(shipping);
    o
}

pub(super) fn invoice(o: &Order) -> InvoiceDraft {
    let settings = InvoiceSettings {
        discharge_from: Some("Depozit".into()),
        ..InvoiceSettings::default()
    };
    draft_invoice(o, &settings, &Default::default()).expect("draft")
}

/// Shopify after the refunds: line quantities lowered, refunded counted.
pub(super) fn refunded(mut o: Order, refunds: &[RefundFacts]) -> Order {
    for r in refunds {
        for u in &r.lines {
            let l = o.lines.iter_mut().find(|l| l.id == u.line).expect("line");
            l.quantity -= u.quantity;
            l.refunded += u.quantity;
        }
    }
    o
}

pub(super) fn refund(
    id: u64,
    minute: i64,
    lines: &[(u64, i64, bool)],
    shipping: &str,
) -> RefundFacts {
    RefundFacts {
        id,
        created_at: at(minute),
        lines: lines
            .iter()
            .map(|&(line, quantity, restocked)| RefundedUnits {
                line: LineId(line),
                quantity,
                restocked,
            })
            .collect(),
        shipping: d(shipping),
        amount: Decimal::ONE,
    }
}

/// One invoiced order and its refunds, as Shopify shows them after the refunds.
pub(super) struct Case {
    pub(super) invoice: InvoiceDraft,
    pub(super) order: Order,
    pub(super) shipping_now: Decimal,
    pub(super) refunds: Vec<RefundFacts>,
}

impl Case {
    pub(super) fn new(invoiced: &Order, refunds: Vec<RefundFacts>) -> Self {
        let shipping_given: Decimal = refunds.iter().map(|r| r.shipping).sum();
        let shipping: Decimal = invoiced.shipping.iter().map(|s| s.price).sum();
        Self {
            invoice: invoice(invoiced),
            order: refunded(invoiced.clone(), &refunds),
            shipping_now: shipping - shipping_given,
            refunds,
        }
    }

    pub(super) fn plan(
        &self,
        earlier: &[CreditDraft],
        planned: &[u64],
        to: Option<&str>,
    ) -> Vec<CreditPlan> {
        let planned: BTreeSet<u64> = planned.iter().copied().collect();
        plan_credits(&CreditInput {
            invoice: &self.invoice,
            invoice_series: "FCT",
            invoice_number: "0007",
            order: &self.order,
            current_shipping: self.shipping_now,
            refunds: &self.refunds,
            earlier,
            planned: &planned,
            restock_to: to,
        })
    }
}

pub(super) fn issued(plans: Vec<CreditPlan>) -> Vec<CreditDraft> {
    plans
        .into_iter()
        .map(|p| match p {
            CreditPlan::Issue(c) => *c,
            other => panic!("expected a credit, got {other:?}"),
        })
        .collect()
}

pub(super) fn three_lines() -> Order {
    order(
        vec![
            line(1, "TRC-M", 1, "89.90", "0"),
            line(2, "CAN-1", 2, "45.00", "0"),
            line(3, "SAP-L", 1, "120.00", "0"),
        ],
        "19.99",
    )
}
