//! Reading orders for the UI and the engine: keyset pages filtered by status, InStock verdict
//! and a search text, and one whole order with its lines and history. Pages walk the
//! `(state, created_at, id)` index, one range per state, merged here, so a page costs the
//! same on the millionth order as on the first.

use chrono::{DateTime, NaiveDate, Utc};
use punte_core::efactura::{Countdown, SpvState};
use punte_core::money::Currency;
use punte_core::order::{OrderId, OrderState};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::efactura::parse_state;
use crate::error::Result;
use crate::open::Store;
use crate::sqlval::{get_dec, get_state, get_ts, ts};
use crate::unpaid_cod::{CodEra, unpaid_condition};

/// Which orders a page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    /// Open orders: waiting for an invoice or dispatch (the "pending" list).
    Pending,
    /// Every order whose lines count in R(p): open, or invoiced without stock discharge.
    Reserving,
    Invoiced,
    Dispatched,
    Cancelled,
    All,
    /// Orders, in any state, whose latest invoice outbox item waits for the merchant
    /// (`needs_review`: the billing service's answer was ambiguous), or with a credit note in
    /// review or failed.
    NeedsReview,
    /// Invoiced orders with a Shopify refund that has no credit document yet (issue 16): none
    /// planned, or one waiting, failed or in review.
    RefundWithoutCredit,
}

impl StatusFilter {
    fn words(self) -> &'static [&'static str] {
        match self {
            Self::Pending => &["open"],
            Self::Reserving => &["open", "invoiced_kept"],
            Self::Invoiced => &["invoiced", "invoiced_kept"],
            Self::Dispatched => &["dispatched"],
            Self::Cancelled => &["cancelled"],
            Self::All => &[
                "open",
                "invoiced",
                "invoiced_kept",
                "dispatched",
                "cancelled",
            ],
            // The outbox state, not an order state: see `condition`.
            Self::NeedsReview => &["needs_review"],
            Self::RefundWithoutCredit => &["invoiced", "invoiced_kept"],
        }
    }

    /// The `WHERE` clause selecting one range; `?1` is one of [`Self::words`].
    fn condition(self) -> &'static str {
        match self {
            // Few orders need review; the partial outbox index finds them, and the newest item
            // of each order decides (a retried invoice leaves an older needs_review item).
            // A credit note in review or failed waits for the merchant too (nothing sends a
            // failed one again by itself); each refund has one credit item.
            Self::NeedsReview => {
                "(id IN (SELECT x.order_id FROM invoice_outbox x WHERE x.state = ?1 \
                 AND x.id = (SELECT MAX(y.id) FROM invoice_outbox y WHERE y.order_id = x.order_id)) \
                 OR id IN (SELECT c.order_id FROM credit_outbox c \
                 WHERE c.state IN (?1, 'failed')))"
            }
            Self::RefundWithoutCredit => {
                "state = ?1 AND id IN (SELECT r.order_id FROM refunds r WHERE NOT EXISTS \
                 (SELECT 1 FROM credit_outbox c WHERE c.refund_id = r.id \
                 AND c.state IN ('confirmed', 'not_needed')))"
            }
            _ => "state = ?1",
        }
    }
}

/// Where a page starts: just after this (created_at, id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCursor {
    pub created_at: DateTime<Utc>,
    pub id: OrderId,
}

/// A page request. Pages are ordered oldest first (the InStock order) or newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderQuery {
    pub status: StatusFilter,
    /// `Some(true)`: only InStock; `Some(false)`: only NotInStock.
    pub in_stock: Option<bool>,
    /// Matches the order name, customer name or e-mail (case-insensitive substring).
    pub search: Option<String>,
    pub newest_first: bool,
    pub after: Option<OrderCursor>,
    pub limit: usize,
    /// Only orders whose invoice has this e-Factura state code ("rejected", …).
    #[serde(default)]
    pub efactura: Option<String>,
    /// Only cash-on-delivery orders fulfilled at or before this time and still unpaid (issue
    /// 17: "unpaid after N days"; the caller turns N into the cut-off).
    #[serde(default)]
    pub unpaid_before: Option<DateTime<Utc>>,
    /// With `unpaid_before`: Punte's own orders, or those handled before the connection.
    #[serde(default)]
    pub unpaid_era: CodEra,
}

impl OrderQuery {
    /// The first `limit` orders with `status`, oldest first.
    #[must_use]
    pub fn new(status: StatusFilter, limit: usize) -> Self {
        Self {
            status,
            in_stock: None,
            search: None,
            newest_first: false,
            after: None,
            limit,
            efactura: None,
            unpaid_before: None,
            unpaid_era: CodEra::SinceConnection,
        }
    }
}

/// One row of an order list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: OrderId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub state: OrderState,
    pub customer_name: String,
    pub total: Decimal,
    pub currency: Currency,
    pub line_count: usize,
    pub in_stock: Option<bool>,
    /// The invoice's e-Factura state, when Punte tracks it.
    pub efactura: Option<EfacturaCell>,
}

/// An order's e-Factura state in a list row; `countdown` is filled by the caller that knows
/// today's date (the store has no clock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EfacturaCell {
    pub state: SpvState,
    /// "FCT 0007".
    pub invoice: String,
    pub issued_on: NaiveDate,
    pub countdown: Option<Countdown>,
}

/// A page of results and the cursor of the next page (`None` on the last page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T, C> {
    pub items: Vec<T>,
    pub next: Option<C>,
}

const SUMMARY_COLUMNS: &str = "id, name, created_at, state, customer_name, total, currency, line_count, in_stock, \
     (SELECT json_array(e.state, e.reason, e.service, e.link, e.issued_on, \
        e.series || ' ' || e.number) FROM efactura e WHERE e.order_id = orders.id)";

impl Store {
    /// A page of order summaries.
    ///
    /// # Errors
    /// SQLite failure or an unreadable stored value.
    pub fn orders_page(&self, q: &OrderQuery) -> Result<Page<OrderSummary, OrderCursor>> {
        let (cmp, dir) = if q.newest_first {
            ("<", "DESC")
        } else {
            (">", "ASC")
        };
        let pattern = q
            .search
            .as_ref()
            .map(|s| format!("%{}%", escape_like(s.trim())));
        // A search reads every row of the chosen states anyway: one sequential pass over the
        // table beats one index range per state with a table lookup per row (measured: 100,000
        // orders, 168 ms -> see docs/PERFORMANCE.md), and the few matches are sorted after.
        let scan = pattern.is_some()
            && !matches!(
                q.status,
                StatusFilter::NeedsReview | StatusFilter::RefundWithoutCredit
            );
        let mut sql = if scan && q.status == StatusFilter::All {
            // Every state (the table's CHECK allows no other): no per-row state test.
            format!("SELECT {SUMMARY_COLUMNS} FROM orders NOT INDEXED WHERE 1")
        } else if scan {
            let states: Vec<String> = q.status.words().iter().map(|w| format!("'{w}'")).collect();
            format!(
                "SELECT {SUMMARY_COLUMNS} FROM orders NOT INDEXED WHERE state IN ({})",
                states.join(", ")
            )
        } else {
            format!(
                "SELECT {SUMMARY_COLUMNS} FROM orders WHERE {}",
                q.status.condition()
            )
        };
        if q.after.is_some() {
            sql.push_str(&format!(" AND (created_at, id) {cmp} (?2, ?3)"));
        }
        match q.in_stock {
            Some(true) => sql.push_str(" AND in_stock = 1"),
            Some(false) => sql.push_str(" AND in_stock = 0"),
            None => {}
        }
        // Always in the SQL (bound or NULL), so the statement's parameters stay the same.
        sql.push_str(" AND (?6 IS NULL OR id IN (SELECT order_id FROM efactura WHERE state = ?6))");
        sql.push_str(&format!(
            " AND (?7 IS NULL OR {})",
            unpaid_condition("?7", "?8")
        ));
        if pattern.is_some() {
            sql.push_str(
                " AND (name LIKE ?4 ESCAPE '\\' OR customer_name LIKE ?4 ESCAPE '\\' \
                 OR customer_email LIKE ?4 ESCAPE '\\')",
            );
        }
        sql.push_str(&format!(" ORDER BY created_at {dir}, id {dir} LIMIT ?5"));
        let after_at = q.after.as_ref().map(|c| ts(c.created_at));
        let after_id = q.after.as_ref().map(|c| c.id.0);
        let unpaid_before = q.unpaid_before.map(ts);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut items = Vec::new();
        // One ordered range per state, merged: a single IN (...) would force a sort. (`?1` is
        // bound but unused by the search scan, which names its states in the SQL.)
        let ranges: &[&str] = if scan { &["-"] } else { q.status.words() };
        for word in ranges {
            let params = rusqlite::params![
                word,
                after_at,
                after_id,
                pattern,
                q.limit + 1,
                q.efactura,
                unpaid_before,
                q.unpaid_era.flag()
            ];
            let rows = stmt.query_map(params, summary)?;
            for row in rows {
                items.push(row?);
            }
        }
        items.sort_by_key(|o| (o.created_at, o.id));
        if q.newest_first {
            items.reverse();
        }
        let next = if items.len() > q.limit {
            items.truncate(q.limit);
            items.last().map(|o| OrderCursor {
                created_at: o.created_at,
                id: o.id,
            })
        } else {
            None
        };
        Ok(Page { items, next })
    }
}

fn summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<OrderSummary> {
    Ok(OrderSummary {
        id: OrderId(r.get(0)?),
        name: r.get(1)?,
        created_at: get_ts(r, 2)?,
        state: get_state(r, 3)?,
        customer_name: r.get(4)?,
        total: get_dec(r, 5)?,
        currency: Currency(r.get(6)?),
        line_count: r.get(7)?,
        in_stock: r.get(8)?,
        efactura: r
            .get::<_, Option<String>>(9)?
            .map(|j| efactura_cell(&j))
            .transpose()?,
    })
}

/// The `json_array` of [`SUMMARY_COLUMNS`]: state, reason, service, link, issued_on, invoice.
fn efactura_cell(json: &str) -> rusqlite::Result<EfacturaCell> {
    let bad = |e: String| {
        rusqlite::Error::FromSqlConversionFailure(9, rusqlite::types::Type::Text, e.into())
    };
    let v: Vec<Option<String>> = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
    let at = |i: usize| v.get(i).cloned().flatten();
    let state = parse_state(&at(0).unwrap_or_default(), at(1), at(2), at(3))?;
    let issued_on = NaiveDate::parse_from_str(&at(4).unwrap_or_default(), "%Y-%m-%d")
        .map_err(|e| bad(e.to_string()))?;
    Ok(EfacturaCell {
        state,
        invoice: at(5).unwrap_or_default(),
        issued_on,
        countdown: None,
    })
}

pub(crate) fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
