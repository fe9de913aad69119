//! Compare-and-set stock writes with `inventorySetQuantities`: batches of at most 250, each with
//! its own `@idempotent` key (reused when the transport repeats the request), and a per-item
//! report. Shopify may fail a whole batch for one stale row; the stale rows are then set aside,
//! the rest re-read, and only rows whose `changeFromQuantity` still holds are sent again. One
//! call and its answer are in `write_send`.

use punte_core::product::InventoryItemId;
use tracing::{Instrument, debug, info_span};

use crate::{ShopifyClient, ShopifyError};

/// Shopify's limit on input arrays.
pub const MAX_BATCH: usize = 250;
/// Rounds of "set stale rows aside and resend the rest" before giving up on a batch.
const MAX_ROUNDS: u32 = 5;

/// Which quantity a write sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityName {
    /// What the stock rule writes (A(p)).
    Available,
    OnHand,
}

impl QuantityName {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Available => "available",
            Self::OnHand => "on_hand",
        }
    }
}

/// One item's new quantity at the batch's location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuantityWrite {
    pub inventory_item_id: InventoryItemId,
    pub quantity: i64,
    /// The quantity read before planning (A₀). None writes without the compare, which only a
    /// merchant's forced overwrite may ask for.
    pub change_from: Option<i64>,
}

pub use crate::write_rows::{Clamped, MAX_QUANTITY, MIN_QUANTITY};
use crate::write_rows::{clamp, named_rows, refused_before_running};

/// Writes for one location.
#[derive(Debug, Clone)]
pub struct WriteBatch {
    pub location_id: u64,
    pub name: QuantityName,
    /// Shopify's adjustment reason; "correction" is always accepted.
    pub reason: String,
    /// Shown in the merchant's inventory history, e.g. `gid://punte/SyncRun/812`.
    pub reference_document_uri: Option<String>,
    pub writes: Vec<QuantityWrite>,
}

/// A write Shopify refused for a reason other than staleness (e.g. INVALID_INVENTORY_ITEM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub write: QuantityWrite,
    pub code: String,
    pub message: String,
}

/// What happened to each write.
#[derive(Debug, Default)]
pub struct WriteReport {
    pub applied: Vec<QuantityWrite>,
    /// CHANGE_FROM_QUANTITY_STALE: the quantity moved since it was read (an order, a manual
    /// edit). Re-read these items, import orders, re-plan, and write again.
    pub stale: Vec<QuantityWrite>,
    pub rejected: Vec<Rejected>,
    /// Not sent (or outcome unknown) because of `error`; re-read before writing them again.
    pub unsent: Vec<QuantityWrite>,
    pub error: Option<ShopifyError>,
    /// inventorySetQuantities calls made (not counting transport retries).
    pub mutations: u32,
    /// Quantities beyond Shopify's range, written at the bound instead (in `applied` with the
    /// quantity sent).
    pub clamped: Vec<Clamped>,
    /// Items among `stale` whose batch was sent again after its answer was lost: the lost
    /// attempt may have been applied (a re-executed replay then fails its compare). A re-read
    /// showing the quantity sent settles it as written.
    pub answer_lost: Vec<InventoryItemId>,
}

impl ShopifyClient {
    /// Writes every quantity of `batch`, 250 per call, and reports per item.
    pub async fn set_quantities(&self, batch: &WriteBatch) -> WriteReport {
        let mut report = WriteReport::default();
        let (writes, clamped) = clamp(&batch.writes);
        report.clamped = clamped;
        let mut chunks = writes.chunks(MAX_BATCH);
        while let Some(chunk) = chunks.next() {
            let span = info_span!("shopify.set_quantities", rows = chunk.len());
            if let Err(e) = self
                .write_chunk(batch, chunk, &mut report)
                .instrument(span)
                .await
            {
                report.error = Some(e);
                report.unsent.extend(chunks.flatten());
                break;
            }
        }
        report
    }

    /// One chunk; on a batch-level error the rows not yet settled go to `unsent`.
    async fn write_chunk(
        &self,
        batch: &WriteBatch,
        chunk: &[QuantityWrite],
        report: &mut WriteReport,
    ) -> Result<(), ShopifyError> {
        let mut pending = chunk.to_vec();
        for _round in 0..MAX_ROUNDS {
            if pending.is_empty() {
                return Ok(());
            }
            report.mutations += 1;
            let (payload, replayed) = match self.send(batch, &pending).await {
                Ok(p) => p,
                // Refused before it ran (a value Shopify cannot take): nothing was written, so
                // the rows it names are rejected and the others sent again, or the batch is
                // halved until the bad row stands alone.
                Err(e) if refused_before_running(&e) => {
                    let named: Vec<usize> = named_rows(&e)
                        .into_iter()
                        .filter(|&i| i < pending.len())
                        .collect();
                    let reject = |w: QuantityWrite| Rejected {
                        write: w,
                        code: e.code().to_owned(),
                        message: e.to_string(),
                    };
                    if !named.is_empty() {
                        let (bad, good): (Vec<_>, Vec<_>) = pending
                            .iter()
                            .enumerate()
                            .partition(|(i, _)| named.contains(i));
                        report
                            .rejected
                            .extend(bad.into_iter().map(|(_, w)| reject(*w)));
                        pending = good.into_iter().map(|(_, w)| *w).collect();
                        continue;
                    }
                    if pending.len() == 1 {
                        report.rejected.push(reject(pending[0]));
                        return Ok(());
                    }
                    let (first, second) = pending.split_at(pending.len() / 2);
                    Box::pin(self.write_chunk(batch, first, report)).await?;
                    return Box::pin(self.write_chunk(batch, second, report)).await;
                }
                Err(e) => {
                    report.unsent.append(&mut pending);
                    return Err(e);
                }
            };
            let (rows, general): (Vec<_>, Vec<_>) = payload
                .user_errors
                .into_iter()
                .partition(|e| e.row().is_some());
            if let Some(g) = general.into_iter().next() {
                report.unsent.append(&mut pending);
                return Err(ShopifyError::Rejected {
                    code: g.code.unwrap_or_default(),
                    message: g.message,
                });
            }
            let mut failed = vec![false; pending.len()];
            for e in rows {
                let Some(write) = e.row().and_then(|i| pending.get(i).copied()) else {
                    continue;
                };
                failed[e.row().unwrap_or_default()] = true;
                match e.code.as_deref() {
                    Some("CHANGE_FROM_QUANTITY_STALE") => {
                        if replayed {
                            report.answer_lost.push(write.inventory_item_id);
                        }
                        report.stale.push(write);
                    }
                    code => report.rejected.push(Rejected {
                        write,
                        code: code.unwrap_or_default().to_owned(),
                        message: e.message,
                    }),
                }
            }
            let rest: Vec<_> = pending
                .iter()
                .zip(&failed)
                .filter(|(_, f)| !**f)
                .map(|(w, _)| *w)
                .collect();
            if payload.inventory_adjustment_group.is_some() || rest.len() == pending.len() {
                // Applied (all rows, or all rows without an error).
                report.applied.extend(rest);
                return Ok(());
            }
            // Nothing was applied: keep the rows whose compare still holds and send them again.
            pending = self.still_current(batch, rest, report).await?;
            debug!(
                resend = pending.len(),
                "batch failed on some rows; resending the rest"
            );
        }
        report.stale.append(&mut pending);
        Ok(())
    }

    /// Re-reads `rows` and moves those whose quantity no longer equals `change_from` to `stale`.
    async fn still_current(
        &self,
        batch: &WriteBatch,
        rows: Vec<QuantityWrite>,
        report: &mut WriteReport,
    ) -> Result<Vec<QuantityWrite>, ShopifyError> {
        let ids: Vec<_> = rows
            .iter()
            .filter(|w| w.change_from.is_some())
            .map(|w| w.inventory_item_id)
            .collect();
        let levels = match self.levels_of(batch.location_id, &ids).await {
            Ok(l) => l,
            Err(e) => {
                report.unsent.extend(rows);
                return Err(e);
            }
        };
        let mut keep = Vec::new();
        for w in rows {
            let now = levels
                .iter()
                .find(|l| l.inventory_item_id == w.inventory_item_id)
                .map(|l| match batch.name {
                    QuantityName::Available => l.available,
                    QuantityName::OnHand => l.on_hand,
                });
            match w.change_from {
                Some(expected) if now != Some(expected) => report.stale.push(w),
                _ => keep.push(w),
            }
        }
        Ok(keep)
    }
}
