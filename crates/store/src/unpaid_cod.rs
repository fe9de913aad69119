//! Cash on delivery as the merchant sees it (issue 17): one order's payment facts for the
//! detail view, and the "unpaid after N days" condition shared by the Orders filter, its count
//! and the engine's notifier. An order counts as unpaid when it is cash on delivery, seen
//! fulfilled at or before the cut-off, not paid in Shopify, not cancelled, and has no confirmed
//! collection (invoiced or not: a parcel the courier has not paid out for is the merchant's
//! money either way). Orders the first import filed as handled before Punte was connected are
//! their own list (`CodEra::BeforeConnection`): a real shop brings hundreds of them, collected
//! the old way, and they must not bury the parcels Punte is following.

use chrono::{DateTime, Utc};
use punte_core::order::OrderId;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::open::Store;
use crate::sqlval::{get_opt_ts, ts};

/// The history reason of an order the first import filed as handled (closed, or fulfilled)
/// before Punte was connected; the engine writes it, the unpaid lists read it (with the
/// English sentence versions before 0.1 stored instead of the code).
pub const HANDLED_BEFORE_CONNECTION: &str = "imported_handled_before";

/// The `orders` rows (aliased as the table itself) that are unpaid cash on delivery fulfilled
/// at or before `{at}`, of the era `{era}` (1: handled before the connection, 0: Punte's own);
/// `{at}` and `{era}` are replaced by the parameters' names.
pub(crate) const UNPAID_COD: &str = "(state <> 'cancelled' AND id IN (SELECT p.order_id \
     FROM order_payment p WHERE p.cash_on_delivery = 1 AND p.paid_at IS NULL \
     AND p.fulfilled_at IS NOT NULL AND p.fulfilled_at <= {at} \
     AND NOT EXISTS (SELECT 1 FROM collection_outbox c WHERE c.order_id = p.order_id \
     AND c.state = 'confirmed') \
     AND EXISTS (SELECT 1 FROM order_history h WHERE h.order_id = p.order_id \
     AND h.reason IN ('imported_handled_before', 'imported from Shopify: closed, or \
     fulfilled and paid, before Punte was connected')) = {era}))";

/// Which unpaid cash-on-delivery orders a list means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodEra {
    /// Orders Punte follows: imported as open work (any order after the connection).
    #[default]
    SinceConnection,
    /// Orders the first import found already handled before Punte was connected.
    BeforeConnection,
}

impl CodEra {
    pub(crate) fn flag(self) -> bool {
        self == Self::BeforeConnection
    }
}

/// The condition with its cut-off and era bound to `at` and `era`.
pub(crate) fn unpaid_condition(at: &str, era: &str) -> String {
    UNPAID_COD.replace("{at}", at).replace("{era}", era)
}

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

    /// How many orders of `era` the "cash on delivery unpaid" filter lists for the cut-off
    /// `before`.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn count_unpaid_cod(&self, before: DateTime<Utc>, era: CodEra) -> Result<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM orders WHERE {}",
            unpaid_condition("?1", "?2")
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![ts(before), era.flag()], |r| r.get(0))?)
    }

    /// The orders of `era` the filter lists for the cut-off `before`, oldest fulfilment first
    /// (the engine's notifier reads this: the same condition as the filter and the count).
    ///
    /// # Errors
    /// SQLite failure.
    pub fn unpaid_cash_on_delivery(
        &self,
        before: DateTime<Utc>,
        era: CodEra,
    ) -> Result<Vec<OrderId>> {
        let sql = format!(
            "SELECT orders.id FROM orders JOIN order_payment f ON f.order_id = orders.id \
             WHERE {} ORDER BY f.fulfilled_at, orders.id",
            unpaid_condition("?1", "?2")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![ts(before), era.flag()], |r| Ok(OrderId(r.get(0)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
