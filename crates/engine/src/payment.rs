//! What Shopify's payment and fulfilment statuses mean for Punte, in one table each. A merchant's
//! view: a cash-on-delivery order is PENDING until the courier pays out and reserves stock from
//! the moment it is placed, exactly like a paid one; a payment refunded or voided before the
//! invoice means nothing will ship, so the reservation ends (and comes back if Shopify later
//! shows a live payment again); the auto-invoice rules name the statuses they accept.

use punte_core::order::OrderState;
use punte_store::PaymentFacts;

use crate::config::AutoInvoice;

/// Shopify's `displayFinancialStatus`, as Punte acts on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Payment {
    /// PENDING (cash on delivery, bank transfer), AUTHORIZED, PARTIALLY_PAID, EXPIRED (an
    /// authorization not captured in time: the money may still come another way), or none.
    Awaiting,
    /// PAID, PARTIALLY_REFUNDED (paid; some of it given back with the returned lines).
    Paid,
    /// REFUNDED, VOIDED: all money given back, or the payment voided. Shopify notes "an order
    /// can remain open even when its payment is voided"; Punte releases its stock until the
    /// payment is live again.
    Gone,
}

impl Payment {
    #[must_use]
    pub(crate) fn of(status: Option<&str>) -> Self {
        match status {
            Some("PAID" | "PARTIALLY_REFUNDED") => Self::Paid,
            Some("REFUNDED" | "VOIDED") => Self::Gone,
            _ => Self::Awaiting,
        }
    }
}

/// Whether the auto-invoice rule `rule` invoices an order with this payment and Shopify's
/// `displayFulfillmentStatus`:
/// - on import: any order whose payment is not gone (cash on delivery included);
/// - when paid: PAID or PARTIALLY_REFUNDED only (a cash-on-delivery order once the courier paid
///   and the merchant marked it paid in Shopify);
/// - when fulfilled: FULFILLED (every item shipped), whatever the payment, unless it is gone.
#[must_use]
pub(crate) fn auto_invoice(rule: AutoInvoice, payment: Payment, fulfillment: &str) -> bool {
    match rule {
        AutoInvoice::Never => false,
        AutoInvoice::OnImport => payment != Payment::Gone,
        AutoInvoice::WhenPaid => payment == Payment::Paid,
        AutoInvoice::WhenFulfilled => fulfillment == "FULFILLED" && payment != Payment::Gone,
    }
}

/// The state an order not cancelled in Shopify takes from its payment, given the state Punte
/// had (`from`), with the reason for its history; None keeps `from`. Only an order not yet
/// invoiced changes: an invoiced one is the merchant's (and the reversal rules') to handle.
#[must_use]
pub(crate) fn state_for(
    from: OrderState,
    payment: Payment,
    status: Option<&str>,
) -> Option<(OrderState, String)> {
    let status = status.unwrap_or("none");
    match (from, payment) {
        (OrderState::Open, Payment::Gone) => Some((
            OrderState::Cancelled,
            format!(
                "payment {status} in Shopify before an invoice: nothing will ship, the \
                 reservation is released"
            ),
        )),
        // Released for its payment (Shopify never reopens a cancelled order): live again.
        (OrderState::Cancelled, Payment::Awaiting | Payment::Paid) => Some((
            OrderState::Open,
            format!("payment {status} in Shopify again: the order reserves stock again"),
        )),
        _ => None,
    }
}

/// Whether Shopify's `paymentGatewayNames` say cash on delivery ("Cash on Delivery (COD)", a
/// Romanian "Ramburs" manual method).
#[must_use]
pub(crate) fn cash_on_delivery(gateways: &[String]) -> bool {
    gateways.iter().any(|g| {
        let g = g.to_lowercase();
        g.contains("cash on delivery") || g.contains("(cod)") || g == "cod" || g.contains("ramburs")
    })
}

/// What the import records of each (non-test) order's payment and fulfilment.
#[must_use]
pub(crate) fn facts_of(orders: &[punte_shopify::ShopifyOrder]) -> Vec<PaymentFacts> {
    orders
        .iter()
        .filter(|o| !o.test)
        .map(|o| PaymentFacts {
            order_id: o.id,
            cash_on_delivery: cash_on_delivery(&o.payment_gateways),
            financial_status: o.financial_status.clone(),
            fulfillment_status: o.fulfillment_status.clone(),
            paid: Payment::of(o.financial_status.as_deref()) == Payment::Paid,
            seen_at: o.updated_at,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [&str; 8] = [
        "PENDING",
        "AUTHORIZED",
        "PARTIALLY_PAID",
        "EXPIRED",
        "PAID",
        "PARTIALLY_REFUNDED",
        "REFUNDED",
        "VOIDED",
    ];

    #[test]
    fn every_financial_status_has_a_meaning() {
        let table: Vec<(&str, Payment)> = ALL.iter().map(|s| (*s, Payment::of(Some(s)))).collect();
        use Payment::{Awaiting, Gone, Paid};
        assert_eq!(
            table,
            [
                ("PENDING", Awaiting),
                ("AUTHORIZED", Awaiting),
                ("PARTIALLY_PAID", Awaiting),
                ("EXPIRED", Awaiting),
                ("PAID", Paid),
                ("PARTIALLY_REFUNDED", Paid),
                ("REFUNDED", Gone),
                ("VOIDED", Gone),
            ]
        );
        assert_eq!(Payment::of(None), Awaiting);
    }

    #[test]
    fn auto_invoice_rules_name_their_statuses() {
        let when_paid: Vec<&str> = ALL
            .iter()
            .copied()
            .filter(|s| auto_invoice(AutoInvoice::WhenPaid, Payment::of(Some(s)), "UNFULFILLED"))
            .collect();
        assert_eq!(when_paid, ["PAID", "PARTIALLY_REFUNDED"]);
        let on_import: Vec<&str> = ALL
            .iter()
            .copied()
            .filter(|s| auto_invoice(AutoInvoice::OnImport, Payment::of(Some(s)), "UNFULFILLED"))
            .collect();
        assert_eq!(
            on_import.len(),
            6,
            "all but REFUNDED and VOIDED: {on_import:?}"
        );
        let cod = Payment::of(Some("PENDING"));
        assert!(auto_invoice(AutoInvoice::WhenFulfilled, cod, "FULFILLED"));
        for f in [
            "UNFULFILLED",
            "ON_HOLD",
            "PARTIALLY_FULFILLED",
            "RESTOCKED",
            "SCHEDULED",
        ] {
            assert!(!auto_invoice(AutoInvoice::WhenFulfilled, cod, f), "{f}");
        }
        assert!(!auto_invoice(
            AutoInvoice::Never,
            Payment::Paid,
            "FULFILLED"
        ));
    }

    #[test]
    fn a_gone_payment_releases_an_open_order_and_a_live_one_brings_it_back() {
        let (s, why) =
            state_for(OrderState::Open, Payment::Gone, Some("VOIDED")).expect("released");
        assert_eq!(s, OrderState::Cancelled);
        assert!(why.contains("VOIDED"), "{why}");
        let (s, _) = state_for(OrderState::Cancelled, Payment::Paid, Some("PAID")).expect("back");
        assert_eq!(s, OrderState::Open);
        let invoiced = OrderState::Invoiced {
            stock_discharged: true,
        };
        assert_eq!(state_for(invoiced, Payment::Gone, Some("REFUNDED")), None);
        assert_eq!(
            state_for(OrderState::Open, Payment::Awaiting, Some("PENDING")),
            None
        );
    }
}
