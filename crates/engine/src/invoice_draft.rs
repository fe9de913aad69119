//! An order's invoice draft as the order stands now, made on the store thread: the first intent
//! and the merchant's retry of a held one both draft from the order, the settings and the
//! warehouse at that moment, so a fix the merchant made is what gets invoiced.

use std::collections::HashMap;

use punte_core::invoice::{InvoiceDraft, InvoiceError, draft_invoice_from};
use punte_core::order::{OrderId, OrderState};
use punte_core::spv_check::unchecked_client;
use punte_store::{Change, OutboxItem, Store, StoreError};

use crate::context::Ctx;
use crate::discharge::discharge_of;
use crate::error::EngineError;

/// The draft of `order` as it stands now. A customer whose CUI has a wrong control digit still
/// gets a draft, with the CUI as typed: the pre-issue check holds it for the merchant.
pub(crate) fn draft_now(
    s: &Store,
    ctx: &DraftCtx,
    order: OrderId,
) -> Result<Result<InvoiceDraft, EngineError>, StoreError> {
    let Some(detail) = s.order(order)? else {
        return Ok(Err(EngineError::OrderNotFound(order)));
    };
    if detail.order.state != OrderState::Open {
        let reason = format!("it is {:?}", detail.order.state);
        return Ok(Err(EngineError::NotInvoiceable { order, reason }));
    }
    let settings = &ctx.settings;
    let (discharge, warehouse) =
        discharge_of(s, order, &settings.locations, ctx.location, &ctx.warehouse)?;
    let mut inv = settings.invoice.clone();
    inv.discharge_from = settings.use_stock.then_some(warehouse);
    let names: HashMap<_, _> = if inv.use_warehouse_name {
        s.billing_stock()?
            .into_iter()
            .map(|r| (r.product.code, r.product.name))
            .collect()
    } else {
        HashMap::new()
    };
    Ok(
        match draft_invoice_from(&detail.order, &inv, &names, &discharge) {
            Ok(d) => Ok(d),
            Err(InvoiceError::Client(_)) => {
                let mut as_person = detail.order.clone();
                as_person.customer.cui = None;
                draft_invoice_from(&as_person, &inv, &names, &discharge)
                    .map(|mut d| {
                        d.client = unchecked_client(&detail.order.customer);
                        d
                    })
                    .map_err(|e| EngineError::NotInvoiceable {
                        order,
                        reason: e.to_string(),
                    })
            }
            Err(e) => Err(EngineError::NotInvoiceable {
                order,
                reason: e.to_string(),
            }),
        },
    )
}

/// What drafting needs from the engine's configuration, to take onto the store thread.
pub(crate) struct DraftCtx {
    settings: crate::config::EngineSettings,
    warehouse: String,
    location: u64,
}

impl DraftCtx {
    pub(crate) fn of(ctx: &Ctx) -> Self {
        Self {
            settings: ctx.config.settings.clone(),
            warehouse: ctx.config.connections.warehouse.clone(),
            location: ctx.config.connections.location_id,
        }
    }
}

/// The merchant retries `item`, held by the pre-issue checks: drafts its order again from what
/// it is now (the merchant fixed it) and, only if that succeeds, moves the item back to an
/// intent with the new draft in one transaction (history: `change`). An order that can no
/// longer be invoiced (cancelled meanwhile) leaves the item in needs-review, untouched.
pub(crate) async fn redraft_held(
    ctx: &Ctx,
    item: &OutboxItem,
    change: Change,
) -> Result<(), EngineError> {
    let dctx = DraftCtx::of(ctx);
    let (id, order) = (item.id, item.intent.order_id);
    ctx.store()
        .call(move |s| {
            let draft = match draft_now(s, &dctx, order)? {
                Ok(d) => d,
                Err(e) => return Ok(Err(e)),
            };
            let json =
                serde_json::to_string(&draft).map_err(|e| StoreError::BadValue(e.to_string()))?;
            s.retry_held_invoice(id, &json, draft.use_stock, &change)?;
            Ok(Ok(()))
        })
        .await?
}
