//! Sending the credit outbox, exactly once, through the sender invoices use (`outbox_send`):
//! the series mark is saved and the item marked sent before `issue_credit`; a lost answer, a timeout or a
//! crash leaves it sent, and the next pass asks the service by reads only (`find_credit`):
//! found → confirmed, certainly absent → sent, unknowable → needs-review. What the service's
//! API cannot express (`billing.not_supported`) waits for the merchant with the reason. A
//! confirmed credit that restocked marks its codes dirty, so Shopify's level follows in the
//! next stock cycle.

use chrono::{DateTime, Utc};
use punte_billing::{
    BillingService, BoxFuture, CreditLookup, Existing, InvoiceRef, IssuedInvoice as Issued,
    SeriesMark,
};
use punte_core::credit_note::CreditDraft;
use punte_core::order::OrderId;
use punte_store::{CreditItem, CreditState, IssuedInvoice, Store, StoreError};

use crate::context::Ctx;
use crate::credits::plan_all;
use crate::error::EngineError;
use crate::invoicing::InvoiceOutcome;
use crate::kv;
use crate::outbox_send::{self, Item, Move, Outgoing, candidate_list, refs};

/// Where the series mark taken before sending credit item `id` is kept.
pub(crate) fn mark_key(id: i64) -> String {
    format!("engine.credit_mark.{id}")
}

/// Plans the refunds not planned yet, then sends every waiting credit and settles every sent
/// one, oldest first. Stops at the first unreachable service (the rest wait).
pub(crate) async fn credit_refunds(
    ctx: &Ctx,
) -> Result<Vec<(OrderId, InvoiceOutcome)>, EngineError> {
    plan_all(ctx).await?;
    let todo = ctx.store().call(|s| s.pending_credits()).await?;
    let mut out = Vec::new();
    for item in todo {
        let order = item.order_id;
        let outcome = process(ctx, item).await?;
        let waiting = matches!(outcome, InvoiceOutcome::Waiting { .. });
        out.push((order, outcome));
        if waiting {
            break;
        }
    }
    Ok(out)
}

/// Moves one credit item forward as far as it safely can, under the engine's one-item lock
/// (shared with invoices), reading it again under the lock.
pub(crate) async fn process(ctx: &Ctx, item: CreditItem) -> Result<InvoiceOutcome, EngineError> {
    let _one_item = ctx.outbox.lock().await;
    let id = item.id;
    let item = ctx
        .store()
        .call(move |s| s.credit(id))
        .await?
        .unwrap_or(item);
    let Some(json) = item.draft.as_deref() else {
        return Ok(InvoiceOutcome::NeedsReview {
            detail: item.error.unwrap_or_default(),
        });
    };
    let draft: CreditDraft = serde_json::from_str(json)
        .map_err(|e| StoreError::BadValue(format!("credit draft: {e}")))?;
    match item.state {
        CreditState::Intent => {
            let billing = ctx.billing().await?;
            let doc = CreditDoc {
                item: &item,
                draft: &draft,
            };
            outbox_send::send(ctx, &*billing, &doc).await
        }
        CreditState::Sent => {
            let billing = ctx.billing().await?;
            let doc = CreditDoc {
                item: &item,
                draft: &draft,
            };
            outbox_send::resolve(ctx, &*billing, &doc).await
        }
        CreditState::Confirmed => Ok(match item.document {
            Some(d) => InvoiceOutcome::AlreadyIssued {
                series: d.series,
                number: d.number,
            },
            None => InvoiceOutcome::NeedsReview {
                detail: "confirmed without a number".into(),
            },
        }),
        _ => Ok(InvoiceOutcome::NeedsReview {
            detail: item.error.unwrap_or_default(),
        }),
    }
}

/// A credit item with its draft, as the sender sees it.
struct CreditDoc<'a> {
    item: &'a CreditItem,
    draft: &'a CreditDraft,
}

impl Outgoing for CreditDoc<'_> {
    type Lookup = CreditLookup;
    const UNMARKED: &'static str = "Nota de credit a fost trimisă fără reperul seriei; \
         verificați în programul de facturare. / The credit note was sent without a series \
         mark; check in the billing service.";
    const REVIEW_NOT_SUPPORTED: bool = true;

    fn item(&self) -> Item {
        Item {
            id: self.item.id,
            order: self.item.order_id,
            intent: self.item.state == CreditState::Intent,
            series: self.draft.invoice_series.clone(),
            mark_key: mark_key(self.item.id),
            record,
        }
    }
    fn issue<'a>(&'a self, billing: &'a dyn BillingService) -> BoxFuture<'a, Issued> {
        billing.issue_credit(self.draft, &self.draft.invoice_series)
    }
    fn find<'a>(
        &'a self,
        billing: &'a dyn BillingService,
        lookup: &'a CreditLookup,
    ) -> BoxFuture<'a, Existing> {
        billing.find_credit(lookup)
    }
    async fn lookup(&self, ctx: &Ctx, mark: SeriesMark) -> Result<CreditLookup, EngineError> {
        lookup_for(ctx, self.item, self.draft, mark).await
    }
    async fn confirm(
        &self,
        ctx: &Ctx,
        doc: InvoiceRef,
        fresh: bool,
    ) -> Result<InvoiceOutcome, EngineError> {
        confirm(ctx, self.item, self.draft, doc, fresh).await
    }
    fn unsure(&self, candidates: &[InvoiceRef], reason: &str) -> String {
        let list = candidate_list(candidates);
        format!(
            "Răspunsul la nota de credit s-a pierdut și nu se poate ști dacă există (documente \
             de verificat: {list}). / The answer to the credit note was lost and no read can \
             tell whether it exists ({reason}; documents to check: {list})."
        )
    }
}

/// A credit item's moves; a retry goes straight back to an intent.
fn record(
    s: &mut Store,
    id: i64,
    to: Move,
    text: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    match to {
        Move::Sent => s.set_credit_state(id, CreditState::Sent, None, at),
        Move::Failed => s.set_credit_state(id, CreditState::Failed, text, at),
        Move::NeedsReview => s.set_credit_state(id, CreditState::NeedsReview, text, at),
        Move::Retry => s.set_credit_state(id, CreditState::Intent, None, at),
    }
}

/// What identifies the credit: its refund, its total, when it was planned, the mark taken
/// before sending, and every document of the series Punte already holds (invoices and credits).
pub(crate) async fn lookup_for(
    ctx: &Ctx,
    item: &CreditItem,
    draft: &CreditDraft,
    mark: SeriesMark,
) -> Result<CreditLookup, EngineError> {
    let series = draft.invoice_series.clone();
    let wanted = series.clone();
    let known = ctx
        .store()
        .call(move |s| {
            // Order 0 is no Shopify order: every invoice of the series counts.
            let mut all = s.invoices_in_series(&wanted, OrderId(0))?;
            all.extend(s.credits_in_series(&wanted)?);
            Ok(all)
        })
        .await?;
    Ok(CreditLookup {
        refund_id: item.refund_id,
        order_id: item.order_id.0,
        series,
        mark,
        total: draft.total(),
        since: item.created_at,
        known: refs(known),
    })
}

/// Records the credit document; a restocking credit marks its codes for the next stock cycle.
pub(crate) async fn confirm(
    ctx: &Ctx,
    item: &CreditItem,
    draft: &CreditDraft,
    doc: InvoiceRef,
    fresh: bool,
) -> Result<InvoiceOutcome, EngineError> {
    let (id, at) = (item.id, ctx.now());
    let issued = IssuedInvoice {
        series: doc.series.clone(),
        number: doc.number.clone(),
        link: doc.link.clone(),
    };
    let codes: Vec<_> = draft
        .lines
        .iter()
        .filter(|l| l.warehouse.is_some())
        .filter_map(|l| l.code.clone())
        .collect();
    ctx.store()
        .call(move |s| {
            s.confirm_credit(id, &issued, at)?;
            kv::add_dirty(s, codes, at)
        })
        .await?;
    Ok(outbox_send::outcome(doc, fresh))
}
