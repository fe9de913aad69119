//! The one exactly-once sender behind invoices and credit notes: the series mark is saved and
//! the item marked sent before the billing call, and the answer is recorded after it. A lost
//! answer, a timeout or a crash leaves the item sent, and it is settled by reads only (`find`):
//! found → confirmed, certainly absent → sent, unknowable → needs-review. What differs between
//! documents (their calls, their store moves, their lookup, their words) is an [`Outgoing`].

use std::future::Future;

use chrono::{DateTime, Utc};
use punte_billing::{
    BillingError, BillingService, BoxFuture, Existing, InvoiceRef, IssuedInvoice, SeriesMark,
};
use punte_core::order::OrderId;
use punte_store::{Store, StoreError};

use crate::context::Ctx;
use crate::error::EngineError;
use crate::invoicing::InvoiceOutcome;
use crate::kv;
use crate::notify::NotificationEvent;

/// A move of an outbox item the sender writes (with its error or review text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Move {
    Sent,
    Failed,
    NeedsReview,
    /// Back to an intent: the client proved the unsafe write never ran.
    Retry,
}

/// Writes a move of item `id` in the store worker.
pub(crate) type Recorder =
    fn(&mut Store, i64, Move, Option<&str>, DateTime<Utc>) -> Result<(), StoreError>;

/// What the sender keeps of an item.
pub(crate) struct Item {
    pub id: i64,
    pub order: OrderId,
    /// Not marked sent yet.
    pub intent: bool,
    pub series: String,
    /// Where the series mark taken before sending is kept.
    pub mark_key: String,
    pub record: Recorder,
}

/// One outbox item of one kind of document, with what its sending needs.
pub(crate) trait Outgoing: Sync {
    /// What identifies the document after a lost answer.
    type Lookup: Send + Sync;
    /// The review text for an item sent without a saved series mark (Romanian / English).
    const UNMARKED: &'static str;
    /// A call the service's API cannot express waits for the merchant instead of failing.
    const REVIEW_NOT_SUPPORTED: bool;

    fn item(&self) -> Item;
    fn issue<'a>(&'a self, billing: &'a dyn BillingService) -> BoxFuture<'a, IssuedInvoice>;
    fn find<'a>(
        &'a self,
        billing: &'a dyn BillingService,
        lookup: &'a Self::Lookup,
    ) -> BoxFuture<'a, Existing>;
    fn lookup(
        &self,
        ctx: &Ctx,
        mark: SeriesMark,
    ) -> impl Future<Output = Result<Self::Lookup, EngineError>> + Send;
    /// Records the document the service issued (`fresh`) or that reads found.
    fn confirm(
        &self,
        ctx: &Ctx,
        doc: InvoiceRef,
        fresh: bool,
    ) -> impl Future<Output = Result<InvoiceOutcome, EngineError>> + Send;
    /// The review text after a lost answer no read could settle (Romanian / English).
    fn unsure(&self, candidates: &[InvoiceRef], reason: &str) -> String;
}

/// Takes a series mark, saves it, marks the item sent (first time), then issues.
pub(crate) async fn send<D: Outgoing>(
    ctx: &Ctx,
    billing: &dyn BillingService,
    doc: &D,
) -> Result<InvoiceOutcome, EngineError> {
    let Item {
        id,
        order,
        intent: first,
        series,
        mark_key: key,
        record,
    } = doc.item();
    ctx.billing_call();
    let mark = match billing.series_mark(&series).await {
        Ok(m) => m,
        Err(e) if passing(&e) => return Ok(waiting(e)),
        Err(e) => return fail(ctx, record, id, order, e).await,
    };
    let (at, saved) = (ctx.now(), mark.clone());
    ctx.store()
        .call(move |s| {
            kv::write(s, &key, &saved, at)?;
            if first {
                record(s, id, Move::Sent, None, at)?;
            }
            Ok(())
        })
        .await?;
    ctx.billing_call();
    match doc.issue(billing).await {
        Ok(issued) => {
            doc.confirm(ctx, issued.invoice, !issued.already_existed)
                .await
        }
        Err(e @ BillingError::UnknownOutcome { .. }) => {
            // Ask at once, by reads; an answer that cannot be had now is asked again on the
            // next pass (the item stays sent).
            let lookup = doc.lookup(ctx, mark).await?;
            ctx.billing_call();
            match doc.find(billing, &lookup).await {
                Ok(Existing::Found { invoice }) => doc.confirm(ctx, invoice, false).await,
                Ok(Existing::Unsure { candidates, reason }) => {
                    let text = doc.unsure(&candidates, &reason);
                    review(ctx, record, id, order, text).await
                }
                Ok(Existing::Absent) | Err(_) => Ok(waiting(e)),
            }
        }
        Err(e) if passing(&e) => {
            // The client proves an unsafe write never ran before reporting this: send later.
            let (at, msg) = (ctx.now(), e.to_string());
            ctx.store()
                .call(move |s| record(s, id, Move::Retry, Some(&msg), at))
                .await?;
            Ok(waiting(e))
        }
        Err(e @ BillingError::NotSupported { .. }) if D::REVIEW_NOT_SUPPORTED => {
            let info = EngineError::from(e).info();
            review(ctx, record, id, order, info.message).await
        }
        Err(e) => fail(ctx, record, id, order, e).await,
    }
}

/// Settles a `sent` item by asking the service, by reads only, whether its document exists.
pub(crate) async fn resolve<D: Outgoing>(
    ctx: &Ctx,
    billing: &dyn BillingService,
    doc: &D,
) -> Result<InvoiceOutcome, EngineError> {
    let Item {
        id,
        order,
        mark_key: key,
        record,
        ..
    } = doc.item();
    let mark: Option<SeriesMark> = ctx.store().call(move |s| kv::read(s, &key)).await?;
    let Some(mark) = mark else {
        return review(ctx, record, id, order, D::UNMARKED.into()).await;
    };
    let lookup = doc.lookup(ctx, mark).await?;
    ctx.billing_call();
    match doc.find(billing, &lookup).await {
        Ok(Existing::Found { invoice }) => doc.confirm(ctx, invoice, false).await,
        Ok(Existing::Absent) => send(ctx, billing, doc).await,
        Ok(Existing::Unsure { candidates, reason }) => {
            review(ctx, record, id, order, doc.unsure(&candidates, &reason)).await
        }
        Err(e) => Ok(waiting(e)),
    }
}

/// Sends item `id` of `order` to needs-review with `detail`, and tells the merchant.
pub(crate) async fn review(
    ctx: &Ctx,
    record: Recorder,
    id: i64,
    order: OrderId,
    detail: String,
) -> Result<InvoiceOutcome, EngineError> {
    let (at, text) = (ctx.now(), detail.clone());
    ctx.store()
        .call(move |s| record(s, id, Move::NeedsReview, Some(&text), at))
        .await?;
    ctx.notify(NotificationEvent::InvoiceNeedsReview {
        order,
        detail: detail.clone(),
    });
    Ok(InvoiceOutcome::NeedsReview { detail })
}

async fn fail(
    ctx: &Ctx,
    record: Recorder,
    id: i64,
    order: OrderId,
    e: BillingError,
) -> Result<InvoiceOutcome, EngineError> {
    let (at, msg) = (ctx.now(), e.to_string());
    ctx.store()
        .call(move |s| record(s, id, Move::Failed, Some(&msg), at))
        .await?;
    let error = EngineError::from(e).info();
    ctx.notify(NotificationEvent::InvoiceFailed {
        order,
        code: error.code.clone(),
        message: error.message.clone(),
    });
    Ok(InvoiceOutcome::Failed { error })
}

/// The service cannot be reached or refused for now, without having written anything.
fn passing(e: &BillingError) -> bool {
    e.is_transient() || matches!(e, BillingError::Unavailable { .. })
}

fn waiting(e: BillingError) -> InvoiceOutcome {
    InvoiceOutcome::Waiting {
        error: EngineError::from(e).info(),
    }
}

/// A confirmed document: issued now (`fresh`) or found already there.
pub(crate) fn outcome(doc: InvoiceRef, fresh: bool) -> InvoiceOutcome {
    let (series, number) = (doc.series, doc.number);
    if fresh {
        InvoiceOutcome::Issued { series, number }
    } else {
        InvoiceOutcome::AlreadyIssued { series, number }
    }
}

/// The list of documents to check in an unsure lookup's review text (`-` when none).
pub(crate) fn candidate_list(candidates: &[InvoiceRef]) -> String {
    let list: Vec<String> = candidates.iter().map(InvoiceRef::label).collect();
    if list.is_empty() {
        "-".to_owned()
    } else {
        list.join(", ")
    }
}

/// Documents Punte holds, as the billing crate names them (for a lookup's known list).
pub(crate) fn refs(known: Vec<punte_store::IssuedInvoice>) -> Vec<InvoiceRef> {
    known
        .into_iter()
        .map(|i| InvoiceRef {
            series: i.series,
            number: i.number,
            link: i.link,
        })
        .collect()
}
