//! Cash on delivery as the merchant sees it (issue 17): one order's payment facts for the
//! detail view, and the "unpaid after N days" list condition shared by the Orders filter and
//! its count. An order counts as unpaid when it is cash on delivery, seen fulfilled at or before
//! the cut-off, not paid in Shopify, not cancelled, and has no confirmed collection (invoiced
//! or not: a parcel the courier has not paid out for is the merchant's money either way).

use chrono::{DateTime, Utc};
use punte_core::order::OrderId;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::open::Store;
use crate::sqlval::{get_opt_ts, ts};

/// The `orders` rows (aliased as the table itself) that are unpaid cash on delivery fulfilled
/// at or before `?N`; `{at}` is replaced by the parameter's name.
pub(crate) const UNPAID_COD: &str = "(state <> 'cancelled' AND id IN (SELECT p.order_id \
     FROM order_payment p WHERE p.cash_on_delivery = 1 AND p.paid_at IS NULL \
     AND p.fulfilled_at IS NOT NULL AND p.fulfilled_at <= {at} \
     AND NOT EXISTS (SELECT 1 FROM collection_outbox c WHERE c.order_id = p.order_id \
     AND c.state = 'confirmed')))";

/// What Punte last saw of one order's payment and fulfilment in Shopify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodPayment {
    pub cash_on_delivery: bool,
    /// Shopify's `displayFinancialStatus` ("PENDING", "PAID", …).
    pub financial_status: Option<String>,
    pub fulfillment_status: String,
    /// When Punte first saw the order fulfilled (the unpaid clock starts here).
    pub fulfilled_at: Option<DateTime<Utc>>,
    /// When Punte first saw it paid in Shopify.
    pub paid_at: Option<DateTime<Utc>>,
}

impl Store {
    /// The payment facts of `order`, if an import recorded them.
    ///
    /// # Errors
    /// SQLite failure or an unreadable stored time.
    pub fn cod_payment(&self, order: OrderId) -> Result<Option<CodPayment>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT cash_on_delivery, financial_status, fulfillment_status, fulfilled_at,
                    paid_at FROM order_payment WHERE order_id = ?1",
            )?
            .query_row([order.0], |r| {
                Ok(CodPayment {
                    cash_on_delivery: r.get(0)?,
                    financial_status: r.get(1)?,
                    fulfillment_status: r.get(2)?,
                    fulfilled_at: get_opt_ts(r, 3)?,
                    paid_at: get_opt_ts(r, 4)?,
                })
            })
            .optional()?)
    }

    /// How many orders the "cash on delivery unpaid" filter lists for the cut-off `before`.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn count_unpaid_cod(&self, before: DateTime<Utc>) -> Result<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM orders WHERE {}",
            UNPAID_COD.replace("{at}", "?1")
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([ts(before)], |r| r.get(0))?)
    }
}
