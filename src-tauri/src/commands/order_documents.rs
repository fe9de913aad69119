//! Every billing document of one order for the detail view (issue 16): its invoice attempts
//! and the credit document of each Shopify refund, each with its state and link, oldest first.

use punte_store::{CreditItem, OutboxItem};
use serde::Serialize;

/// One document row: an invoice or a refund's credit note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderDocument {
    /// "invoice" or "credit_note".
    pub kind: &'static str,
    /// The outbox state word: intent, sent, confirmed, failed, needs_review, not_needed.
    pub state: &'static str,
    pub series: Option<String>,
    pub number: Option<String>,
    pub link: Option<String>,
    /// The Shopify refund a credit note is for.
    pub refund_id: Option<u64>,
    /// Why it waits or failed, when it does.
    pub detail: Option<String>,
}

/// The order's documents: invoice items (a failed attempt retried under the same key is one
/// row), then the credit items, each in the order they were planned.
pub fn documents(invoices: &[OutboxItem], credits: &[CreditItem]) -> Vec<OrderDocument> {
    let invoice_rows = invoices.iter().map(|i| OrderDocument {
        kind: "invoice",
        state: i.state.word(),
        series: i.invoice.as_ref().map(|d| d.series.clone()),
        number: i.invoice.as_ref().map(|d| d.number.clone()),
        link: i.invoice.as_ref().and_then(|d| d.link.clone()),
        refund_id: None,
        detail: i.error.clone(),
    });
    let credit_rows = credits.iter().map(|c| OrderDocument {
        kind: "credit_note",
        state: c.state.word(),
        series: c.document.as_ref().map(|d| d.series.clone()),
        number: c.document.as_ref().map(|d| d.number.clone()),
        link: c.document.as_ref().and_then(|d| d.link.clone()),
        refund_id: Some(c.refund_id),
        detail: c.error.clone(),
    });
    invoice_rows.chain(credit_rows).collect()
}
