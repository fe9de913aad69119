//! The billing side of one invoice outbox item, through the shared exactly-once sender
//! (`outbox_send`): what identifies the order's invoice for a lookup by reads ([`lookup_for`]:
//! its `punte:<id>`, its total, the invoices of the series already tied to other orders), and
//! confirming it (order Invoiced in the same transaction). See `invoicing` for the outbox.

use chrono::{DateTime, Utc};
use punte_billing::{
    BillingService, BoxFuture, Existing, InvoiceLookup, InvoiceRef, IssuedInvoice as Issued,
    SeriesMark,
};
use punte_core::invoice::InvoiceDraft;
use punte_core::order::OrderState;
use punte_store::{Change, IssuedInvoice, OutboxItem, OutboxState, Store, StoreError};

use crate::context::Ctx;
use crate::error::EngineError;
use crate::events::EngineEvent;
use crate::invoicing::InvoiceOutcome;
use crate::kv;
use crate::outbox_send::{self, Item, Move, Outgoing, candidate_list, refs};

/// An invoice item with its draft and series, as the sender sees it.
struct InvoiceDoc<'a> {
    item: &'a OutboxItem,
    draft: &'a InvoiceDraft,
    series: &'a str,
}

impl Outgoing for InvoiceDoc<'_> {
    type Lookup = InvoiceLookup;
    const UNMARKED: &'static str = "Trimisă fără reperul seriei; verificați în programul de \
         facturare. / Sent without a series mark; check in the billing service.";
    const REVIEW_NOT_SUPPORTED: bool = false;

    fn item(&self) -> Item {
        Item {
            id: self.item.id,
            order: self.item.intent.order_id,
            intent: self.item.state == OutboxState::Intent,
            series: self.series.to_owned(),
            mark_key: kv::mark_key(self.item.id),
            record,
        }
    }
    fn issue<'a>(&'a self, billing: &'a dyn BillingService) -> BoxFuture<'a, Issued> {
        billing.issue_invoice(self.draft, self.series)
    }
    fn find<'a>(
        &'a self,
        billing: &'a dyn BillingService,
        lookup: &'a InvoiceLookup,
    ) -> BoxFuture<'a, Existing> {
        billing.find_invoice(lookup)
    }
    async fn lookup(&self, ctx: &Ctx, mark: SeriesMark) -> Result<InvoiceLookup, EngineError> {
        lookup_for(ctx, self.item, self.draft, self.series, mark).await
    }
    async fn confirm(
        &self,
        ctx: &Ctx,
        invoice: InvoiceRef,
        fresh: bool,
    ) -> Result<InvoiceOutcome, EngineError> {
        let label = invoice.label();
        // A reason with parameters is a JSON object with its code (the window words it).
        let reason = serde_json::json!({"code": "invoice_issued", "invoice": label}).to_string();
        let change = Change::new(ctx.now(), &reason, "outbox");
        confirm_as(ctx, self.item, invoice, fresh, change).await
    }
    fn unsure(&self, candidates: &[InvoiceRef], reason: &str) -> String {
        let list = candidate_list(candidates);
        format!(
            "Răspunsul la emitere s-a pierdut și nu se poate ști dacă factura există (facturi \
             de verificat: {list}). Alegeți: „Factura există: leag-o” sau „Nu există: emite-o”. \
             / The answer to the invoice was lost and no read can tell whether it exists \
             ({reason}; invoices to check: {list}). Choose \"The invoice exists: link it\" or \
             \"It does not: issue it\"."
        )
    }
}

/// An invoice item's moves; a retry passes through failed (the lifecycle has no sent → intent).
fn record(
    s: &mut Store,
    id: i64,
    to: Move,
    text: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    match to {
        Move::Sent => s.set_outbox_state(id, OutboxState::Sent, None, at),
        Move::Failed => s.set_outbox_state(id, OutboxState::Failed, text, at),
        Move::NeedsReview => s.set_outbox_state(id, OutboxState::NeedsReview, text, at),
        Move::Retry => {
            s.set_outbox_state(id, OutboxState::Failed, text, at)?;
            s.set_outbox_state(id, OutboxState::Intent, None, at)
        }
    }
}

/// Takes a series mark, saves it, marks the item sent (first time), then issues.
pub(crate) async fn send(
    ctx: &Ctx,
    billing: &dyn BillingService,
    item: &OutboxItem,
    draft: &InvoiceDraft,
    series: &str,
) -> Result<InvoiceOutcome, EngineError> {
    let doc = InvoiceDoc {
        item,
        draft,
        series,
    };
    outbox_send::send(ctx, billing, &doc).await
}

/// Settles a `sent` item by asking the service whether the invoice exists.
pub(crate) async fn resolve(
    ctx: &Ctx,
    billing: &dyn BillingService,
    item: &OutboxItem,
    draft: &InvoiceDraft,
    series: &str,
) -> Result<InvoiceOutcome, EngineError> {
    let doc = InvoiceDoc {
        item,
        draft,
        series,
    };
    outbox_send::resolve(ctx, billing, &doc).await
}

/// What identifies `item`'s invoice in `series`: its order, its total, when it was intended,
/// the mark taken before sending, and the invoices of the series Punte holds for other orders.
pub(crate) async fn lookup_for(
    ctx: &Ctx,
    item: &OutboxItem,
    draft: &InvoiceDraft,
    series: &str,
    mark: SeriesMark,
) -> Result<InvoiceLookup, EngineError> {
    let (order, wanted) = (item.intent.order_id, series.to_owned());
    let known = ctx
        .store()
        .call(move |s| s.invoices_in_series(&wanted, order))
        .await?;
    Ok(InvoiceLookup {
        order_id: order.0,
        series: series.to_owned(),
        mark,
        total: draft.total(),
        since: item.created_at,
        known: refs(known),
    })
}

/// Confirms `invoice` for `item` (order Invoiced in the same transaction), recorded as `change`.
pub(crate) async fn confirm_as(
    ctx: &Ctx,
    item: &OutboxItem,
    invoice: InvoiceRef,
    fresh: bool,
    change: Change,
) -> Result<InvoiceOutcome, EngineError> {
    let (id, order) = (item.id, item.intent.order_id);
    let issued = IssuedInvoice {
        series: invoice.series.clone(),
        number: invoice.number.clone(),
        link: invoice.link.clone(),
    };
    ctx.store()
        .call(move |s| s.confirm_invoice(id, &issued, &change))
        .await?;
    let to = OrderState::Invoiced {
        stock_discharged: item.intent.stock_discharge,
    };
    ctx.emit(EngineEvent::OrderStateChanged {
        order,
        from: Some(OrderState::Open),
        to,
    });
    Ok(outbox_send::outcome(invoice, fresh))
}

/// Sends `item` to needs-review with `detail`, and tells the merchant.
pub(crate) async fn review(
    ctx: &Ctx,
    item: &OutboxItem,
    detail: String,
) -> Result<InvoiceOutcome, EngineError> {
    outbox_send::review(ctx, record, item.id, item.intent.order_id, detail).await
}
