//! Cash-on-delivery commands (issue 17): `mark_collected` (the merchant's "Mark as paid
//! (collected)": the engine records it once on the invoice through its collection outbox) and
//! `unpaid_cod_count` (the Orders chip "unpaid after N days"), plus the order detail's cash on
//! delivery block. N is the merchant's setting; the store turns the cut-off into the list.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use punte_core::order::OrderId;
use punte_engine::{CollectionOutcome, EngineError};
use punte_store::{CodEra, CodPayment, CollectionItem, CollectionSource, CollectionState};
use serde::Serialize;
use tauri::State;

use super::{engine_error, invalid, store_error};
use crate::backend::Backend;
use crate::{Arg, CommandError};

/// The cut-off of "unpaid after `days` days" at `now`: fulfilled at or before it.
#[must_use]
pub fn unpaid_cut_off(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    now - Duration::days(i64::from(days))
}

/// An order's collection as the detail view shows it (no draft, no customer data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectionView {
    pub state: CollectionState,
    pub source: CollectionSource,
    pub collected_on: NaiveDate,
    /// "FCT 0007": the invoice it was recorded on.
    pub invoice: Option<String>,
    pub amount: Option<String>,
    /// Why it waits for the merchant (needs-review), or how it was settled.
    pub detail: Option<String>,
}

/// The detail view's cash-on-delivery block: what Shopify said and the collection, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodView {
    #[serde(flatten)]
    pub payment: CodPayment,
    pub collection: Option<CollectionView>,
}

/// The block for one order, when an import recorded its payment facts.
pub fn cod_view(payment: Option<CodPayment>, item: Option<CollectionItem>) -> Option<CodView> {
    let collection = item.map(|c| CollectionView {
        state: c.state,
        source: c.source,
        collected_on: c.collected_on,
        invoice: c
            .sent_for
            .or(c.invoice)
            .map(|i| format!("{} {}", i.series, i.number)),
        amount: c.amount,
        detail: c.error,
    });
    payment.map(|payment| CodView {
        payment,
        collection,
    })
}

#[tauri::command]
pub async fn mark_collected(
    backend: State<'_, Backend>,
    id: Arg<u64>,
) -> Result<CollectionOutcome, CommandError> {
    let id = id.get("id")?;
    if id == 0 {
        return Err(invalid(
            "Numărul comenzii nu este valid / The order id is not valid",
        ));
    }
    let order = OrderId(id);
    let running = backend.running().await?;
    let found = running
        .store
        .call(move |s| Ok((s.order(order)?.is_some(), s.cod_payment(order)?)))
        .await
        .map_err(store_error)?;
    match found {
        (false, _) => return Err(engine_error(EngineError::OrderNotFound(order))),
        (true, Some(p)) if p.cash_on_delivery => {}
        _ => {
            return Err(invalid(
                "Comanda nu este plătită ramburs; încasarea se înregistrează doar pentru plata \
                 la livrare / The order is not cash on delivery; only a cash-on-delivery \
                 order is marked collected",
            ));
        }
    }
    running.acted();
    tracing::info!(order = id, source = "ui", "marked paid (collected)");
    running
        .engine
        .mark_collected(order)
        .await
        .map_err(engine_error)
}

/// The Orders chips: how many cash-on-delivery orders are unpaid after `days` days, Punte's
/// own and those handled before Punte was connected.
#[derive(Debug, Serialize)]
pub struct UnpaidCount {
    pub days: u32,
    pub count: u64,
    pub before_connection: u64,
}

#[tauri::command]
pub async fn unpaid_cod_count(backend: State<'_, Backend>) -> Result<UnpaidCount, CommandError> {
    let running = backend.running().await?;
    let days = running.settings.cod_unpaid_days;
    let before = unpaid_cut_off(Utc::now(), days);
    let (count, before_connection) = running
        .store
        .call(move |s| {
            Ok((
                s.count_unpaid_cod(before, CodEra::SinceConnection)?,
                s.count_unpaid_cod(before, CodEra::BeforeConnection)?,
            ))
        })
        .await
        .map_err(store_error)?;
    Ok(UnpaidCount {
        days,
        count,
        before_connection,
    })
}
