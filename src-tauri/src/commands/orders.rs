//! Orders commands: `orders_page`, `order_detail`, `issue_invoices`, `mark_dispatched`,
//! `resolve_review`. Reads go to the store (they work offline); actions go to the engine, which
//! owns every rule.

use std::collections::HashSet;

use punte_core::order::{Order, OrderId};
use punte_engine::{EngineError, InvoiceOutcome};
use punte_store::{
    CodEra, IssuedInvoice, OrderCursor, OrderDetail, OrderQuery, OrderSummary, OutboxState, Page,
    StatusFilter,
};
use serde::{Deserialize, Serialize};
use tauri::State;

use super::collections::{CodView, cod_view, unpaid_cut_off as cut_off};
use super::order_documents::{OrderDocument, documents};
use super::review_args::ResolutionArgs;
use super::{engine_error, invalid, store_error};
use crate::backend::Backend;
use crate::{Arg, CommandError};

/// Most rows one page may ask for, and most orders one bulk action may name.
const MAX_PAGE: usize = 1000;
const MAX_BULK: usize = 1000;
/// Longest search text: an order number, a name or an e-mail address fits many times over.
const MAX_SEARCH: usize = 200;

/// `store::OrderQuery` as the UI sends it; `status` is checked here so a bad word is a clear
/// error rather than a deserialisation failure.
#[derive(Debug, Deserialize)]
pub struct OrderQueryArgs {
    pub status: String,
    #[serde(default)]
    pub in_stock: Option<bool>,
    #[serde(default)]
    pub search: Option<String>,
    #[serde(default)]
    pub newest_first: bool,
    #[serde(default)]
    pub after: Option<OrderCursor>,
    pub limit: usize,
    /// An e-Factura state code to filter by.
    #[serde(default)]
    pub efactura: Option<String>,
    /// Only cash-on-delivery orders unpaid after the merchant's N days (issue 17).
    #[serde(default)]
    pub unpaid_cod: bool,
    /// With `unpaid_cod`: the orders handled before Punte was connected instead.
    #[serde(default)]
    pub unpaid_cod_before_connection: bool,
}

impl OrderQueryArgs {
    fn validate(self) -> Result<OrderQuery, CommandError> {
        let status = match self.status.as_str() {
            "all" => StatusFilter::All,
            "pending" => StatusFilter::Pending,
            "reserving" => StatusFilter::Reserving,
            "invoiced" => StatusFilter::Invoiced,
            "dispatched" => StatusFilter::Dispatched,
            "cancelled" => StatusFilter::Cancelled,
            "needs_review" => StatusFilter::NeedsReview,
            "refund_without_credit" => StatusFilter::RefundWithoutCredit,
            other => {
                return Err(invalid(format!(
                    "Filtru de comenzi necunoscut {other:?} / Unknown order status filter {other:?}"
                )));
            }
        };
        if self.limit == 0 || self.limit > MAX_PAGE {
            return Err(invalid(format!(
                "Pagina are între 1 și {MAX_PAGE} de comenzi / A page holds 1 to {MAX_PAGE} orders"
            )));
        }
        let search = self
            .search
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if search
            .as_ref()
            .is_some_and(|s| s.chars().count() > MAX_SEARCH)
        {
            return Err(invalid(format!(
                "Căutarea are cel mult {MAX_SEARCH} de caractere / A search is at most {MAX_SEARCH} characters"
            ))
            .with("max", MAX_SEARCH.to_string()));
        }
        let efactura = match self.efactura.as_deref() {
            None | Some("") => None,
            Some(
                w @ ("not_sent" | "in_progress" | "accepted" | "rejected" | "sent_by_service"),
            ) => Some(w.to_owned()),
            Some(other) => {
                return Err(invalid(format!(
                    "Filtru e-Factura necunoscut {other:?} / Unknown e-Factura filter {other:?}"
                )));
            }
        };
        Ok(OrderQuery {
            efactura,
            status,
            in_stock: self.in_stock,
            search,
            newest_first: self.newest_first,
            after: self.after,
            limit: self.limit,
            unpaid_before: None,
            unpaid_era: if self.unpaid_cod_before_connection {
                CodEra::BeforeConnection
            } else {
                CodEra::SinceConnection
            },
        })
    }
}

#[tauri::command]
pub async fn orders_page(
    backend: State<'_, Backend>,
    query: Arg<OrderQueryArgs>,
) -> Result<Page<OrderSummary, OrderCursor>, CommandError> {
    let args = query.get("query")?;
    let unpaid_cod = args.unpaid_cod;
    let mut query = args.validate()?;
    let running = backend.running().await?;
    if unpaid_cod {
        let days = running.settings.cod_unpaid_days;
        query.unpaid_before = Some(cut_off(chrono::Utc::now(), days));
    }
    let mut page = running
        .store
        .call(move |s| s.orders_page(&query))
        .await
        .map_err(store_error)?;
    // The SPV countdown needs today's Bucharest date, which the store does not know.
    let today = chrono::Utc::now()
        .with_timezone(&punte_core::schedule::BUCHAREST)
        .date_naive();
    for cell in page.items.iter_mut().filter_map(|o| o.efactura.as_mut()) {
        if cell.state.awaits_spv() {
            cell.countdown = Some(punte_core::efactura::Countdown::new(cell.issued_on, today));
        }
    }
    Ok(page)
}

/// `store::OrderDetail` plus the latest invoice, outbox state and whether it reserves stock.
#[derive(Debug, Serialize)]
pub struct OrderDetailView {
    #[serde(flatten)]
    pub detail: OrderDetail,
    pub invoice: Option<IssuedInvoice>,
    pub outbox_state: Option<OutboxState>,
    /// Why the invoice waits for the merchant, when it is in needs-review.
    pub review_detail: Option<String>,
    /// The invoice in review was held by the pre-issue checks (VAT, SPV) before any call: the
    /// way out is "fix it, then retry", not "link it / issue it".
    pub review_held: bool,
    pub reserves_stock: bool,
    /// Every document of the order: invoice and credit notes, with state and link.
    pub documents: Vec<OrderDocument>,
    /// Cash on delivery: Shopify's payment facts and the collection (issue 17).
    pub cod: Option<CodView>,
    /// Why the Shopify cancellation waits for the merchant (RO / EN), when it does.
    pub cancel_review: Option<String>,
}

#[tauri::command]
pub async fn order_detail(
    backend: State<'_, Backend>,
    id: Arg<u64>,
) -> Result<OrderDetailView, CommandError> {
    let id = id.get("id")?;
    if id == 0 {
        return Err(invalid(
            "Numărul comenzii nu este valid / The order id is not valid",
        ));
    }
    let running = backend.running().await?;
    let order = OrderId(id);
    let found = running
        .store
        .call(move |s| {
            let outbox = s.outbox_for_order(order)?;
            let held = match outbox.last() {
                Some(i) if i.state == OutboxState::NeedsReview => {
                    s.setting_as::<bool>(&punte_engine::invoice_held_key(i.id))? == Some(true)
                }
                _ => false,
            };
            let cod = cod_view(s.cod_payment(order)?, s.collection(order)?);
            let cancel = punte_engine::cancellation_review(s, order)?;
            Ok((
                s.order(order)?,
                outbox,
                s.credits_of(order)?,
                held,
                (cod, cancel),
            ))
        })
        .await
        .map_err(store_error)?;
    let (Some(detail), outbox, credits, review_held, (cod, cancel_review)) = found else {
        return Err(engine_error(EngineError::OrderNotFound(order)));
    };
    let invoice = outbox
        .iter()
        .rev()
        .find(|i| i.state == OutboxState::Confirmed)
        .and_then(|i| i.invoice.clone());
    let last = outbox.last();
    Ok(OrderDetailView {
        documents: documents(&outbox, &credits),
        reserves_stock: Order::reserves_stock(&detail.order),
        outbox_state: last.map(|i| i.state),
        review_detail: last
            .filter(|i| i.state == OutboxState::NeedsReview)
            .and_then(|i| i.error.clone()),
        review_held,
        invoice,
        detail,
        cod,
        cancel_review,
    })
}

/// One order's result in a bulk action: `ok` or `error`, never both.
#[derive(Debug, Serialize)]
pub struct BulkItem<T> {
    pub order: OrderId,
    pub ok: Option<T>,
    pub error: Option<CommandError>,
}

fn bulk<T>(results: Vec<(OrderId, Result<T, EngineError>)>) -> Vec<BulkItem<T>> {
    results
        .into_iter()
        .map(|(order, r)| match r {
            Ok(v) => BulkItem {
                order,
                ok: Some(v),
                error: None,
            },
            Err(e) => BulkItem {
                order,
                ok: None,
                error: Some(engine_error(e)),
            },
        })
        .collect()
}

/// Checks a list of order ids before anything is done: not empty, not too long, no zero, no
/// repeats.
fn order_ids(ids: &[u64]) -> Result<Vec<OrderId>, CommandError> {
    if ids.is_empty() || ids.len() > MAX_BULK {
        return Err(invalid(format!(
            "Alegeți între 1 și {MAX_BULK} comenzi / Choose between 1 and {MAX_BULK} orders"
        )));
    }
    let mut seen = HashSet::new();
    for id in ids {
        if *id == 0 || !seen.insert(*id) {
            return Err(invalid(format!(
                "Comanda {id} nu este validă sau apare de două ori / Order id {id} is not valid or repeated"
            )));
        }
    }
    Ok(ids.iter().copied().map(OrderId).collect())
}

#[tauri::command]
pub async fn issue_invoices(
    backend: State<'_, Backend>,
    ids: Arg<Vec<u64>>,
) -> Result<Vec<BulkItem<InvoiceOutcome>>, CommandError> {
    let orders = order_ids(&ids.get("ids")?)?;
    let running = backend.running().await?;
    running.acted();
    let results = running
        .engine
        .issue_invoices(orders)
        .await
        .map_err(engine_error)?;
    Ok(bulk(results))
}

#[tauri::command]
pub async fn mark_dispatched(
    backend: State<'_, Backend>,
    ids: Arg<Vec<u64>>,
) -> Result<Vec<BulkItem<()>>, CommandError> {
    let orders = order_ids(&ids.get("ids")?)?;
    let running = backend.running().await?;
    running.acted();
    let results = running
        .engine
        .mark_dispatched_all(orders)
        .await
        .map_err(engine_error)?;
    Ok(bulk(results))
}

#[tauri::command]
pub async fn resolve_review(
    backend: State<'_, Backend>,
    id: Arg<u64>,
    resolution: Arg<ResolutionArgs>,
) -> Result<InvoiceOutcome, CommandError> {
    let (id, resolution) = (id.get("id")?, resolution.get("resolution")?);
    let [order] = order_ids(&[id])?[..] else {
        return Err(invalid("Comandă nevalidă / Invalid order".to_owned()));
    };
    let resolution = resolution.validate()?;
    let running = backend.running().await?;
    tracing::info!(
        order = order.0,
        ?resolution,
        source = "ui",
        "review resolved"
    );
    running
        .engine
        .resolve_review(order, resolution)
        .await
        .map_err(engine_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_ids_are_refused_before_anything_happens() {
        assert_eq!(order_ids(&[]).unwrap_err().code, "input.invalid");
        assert_eq!(order_ids(&[0]).unwrap_err().code, "input.invalid");
        assert_eq!(order_ids(&[5, 5]).unwrap_err().code, "input.invalid");
        assert_eq!(order_ids(&[5, 6]).unwrap(), vec![OrderId(5), OrderId(6)]);
    }

    #[test]
    fn a_bad_page_request_is_refused() {
        let args = |status: &str, limit| OrderQueryArgs {
            status: status.into(),
            in_stock: None,
            search: None,
            newest_first: true,
            after: None,
            limit,
            efactura: None,
            unpaid_cod: false,
            unpaid_cod_before_connection: false,
        };
        assert_eq!(
            args("pending", 0).validate().unwrap_err().code,
            "input.invalid"
        );
        assert_eq!(
            args("bogus", 10).validate().unwrap_err().code,
            "input.invalid"
        );
        assert!(args("pending", 200).validate().is_ok());
        let spv = |word: &str| OrderQueryArgs {
            efactura: Some(word.into()),
            ..args("all", 10)
        };
        assert_eq!(
            spv("rejected").validate().unwrap().efactura.as_deref(),
            Some("rejected")
        );
        assert_eq!(spv("refused").validate().unwrap_err().code, "input.invalid");
    }
}
