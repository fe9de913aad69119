//! What SmartBill's and FGO's recovery share: their APIs show no order reference on an invoice,
//! so after reading the invoices issued since the one that was lost, an invoice is the order's
//! only when it is the single one Punte cannot tie to another order and its total is the
//! draft's; every one tied elsewhere means there is none; anything else is for a person.

use crate::model::{Existing, InvoiceFacts, InvoiceLookup};

/// The verdict on the invoices read since the mark that Punte cannot tie to another order.
pub(crate) fn judge(
    service: &str,
    lookup: &InvoiceLookup,
    unexplained: Vec<InvoiceFacts>,
) -> Existing {
    let matching = unexplained
        .iter()
        .filter(|f| f.total == Some(lookup.total))
        .count();
    match unexplained.as_slice() {
        [] => Existing::Absent,
        [one] if matching == 1 && !one.cancelled => Existing::Found {
            invoice: one.invoice.clone(),
        },
        _ => Existing::Unsure {
            reason: format!(
                "{service} shows no order on an invoice; {} invoice(s) issued since could be \
                 this order's ({matching} with its total {})",
                unexplained.len(),
                lookup.total
            ),
            candidates: unexplained.into_iter().map(|f| f.invoice).collect(),
        },
    }
}
