//! The way out for a Shopify cancellation in needs-review (issue 16): the storno of an order
//! cancelled after a credit note for part of its invoice (a whole storno would credit those
//! lines twice), or a storno whose answer was lost, waits for the merchant with no credit row
//! to resolve. Punte cannot settle either by writing: the first needs a document for the rest
//! of the invoice, which the credit outbox (one document per Shopify refund) has no refund to
//! hang on; the second may exist already. So the way out, on the same `resolve_review` path as
//! the other reviews, is "Handled in the billing service": the merchant's note goes to the
//! order's history in the same transaction that takes the cancellation out of review, and
//! nothing is sent, then or later.

use punte_core::order::OrderId;
use punte_store::{Change, CreditState, Store, StoreError};

use crate::context::Ctx;
use crate::error::EngineError;
use crate::invoicing::InvoiceOutcome;
use crate::kv;
use crate::lifecycle::{Reversal, reversal_key};

/// Why the cancellation of `order` waits for the merchant (Romanian / English), if it does.
///
/// # Errors
/// SQLite failure or an unreadable stored value.
pub fn cancellation_review(s: &Store, order: OrderId) -> Result<Option<String>, StoreError> {
    if kv::read::<Reversal>(s, &reversal_key(order))? != Some(Reversal::NeedsReview) {
        return Ok(None);
    }
    let credited = s
        .credits_of(order)?
        .iter()
        .any(|c| !matches!(c.state, CreditState::NotNeeded | CreditState::Failed));
    Ok(Some(
        if credited {
            "Comanda a fost anulată în Shopify după o notă de credit pentru o parte din factură; \
         o stornare completă ar credita acele linii de două ori. Creditați restul în programul \
         de facturare, apoi marcați „Rezolvată în programul de facturare”. / The order was \
         cancelled in Shopify after a credit note for part of its invoice; a whole storno would \
         credit those lines twice. Credit the rest in the billing service, then mark it \
         \"Handled in the billing service\"."
        } else {
            "Stornarea facturii a fost trimisă, dar răspunsul s-a pierdut; verificați în programul \
         de facturare dacă există, stornați manual dacă nu, apoi marcați „Rezolvată în \
         programul de facturare”. / The storno was sent but its answer was lost; check in the \
         billing service whether it exists, reverse the invoice by hand if not, then mark it \
         \"Handled in the billing service\"."
        }
        .to_owned(),
    ))
}

/// The merchant handled the cancellation of `order` in the billing service: out of review, the
/// note in the history, nothing sent.
pub(crate) async fn handled(
    ctx: &Ctx,
    order: OrderId,
    note: String,
) -> Result<InvoiceOutcome, EngineError> {
    let note = note.trim().to_owned();
    let reason = serde_json::json!({"code": "cancel_handled_in_billing", "note": note});
    let change = Change::new(ctx.now(), &reason.to_string(), "merchant");
    let (key, from, to) = (
        reversal_key(order),
        json_of(&Reversal::NeedsReview)?,
        json_of(&Reversal::Handled)?,
    );
    let moved = ctx
        .store()
        .call(move |s| s.replace_setting_noting(order, &key, &from, &to, &change))
        .await?;
    if !moved {
        return Err(EngineError::NotInReview(order));
    }
    Ok(InvoiceOutcome::NotNeeded)
}

fn json_of(r: &Reversal) -> Result<serde_json::Value, EngineError> {
    serde_json::to_value(r).map_err(|e| StoreError::BadValue(e.to_string()).into())
}
