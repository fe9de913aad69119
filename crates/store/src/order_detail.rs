//! One order, whole: the domain `Order` rebuilt from its rows (enough to draft an invoice
//! offline), its state history, its latest InStock verdict and the Shopify bundles its lines
//! were sold in.

use chrono::{DateTime, Utc};
use punte_core::money::{Currency, VatRate};
use punte_core::order::{Customer, LineId, Order, OrderId, OrderLine, OrderState, ShippingLine};
use punte_core::product::{ProductCode, VariantId};
use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::kits::{LineGroup, read_line_groups};
use crate::open::Store;
use crate::runs::RunId;
use crate::sqlval::{get_dec, get_opt_dec, get_opt_state, get_state, get_ts};

/// One state change of an order; `from` is `None` for the import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub from: Option<OrderState>,
    pub to: OrderState,
    pub reason: String,
    pub source: String,
    pub run: Option<RunId>,
}

/// An order with everything the detail view shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub order: Order,
    pub history: Vec<HistoryEntry>,
    pub in_stock: Option<bool>,
    /// JSON list of shortfalls when the order is NotInStock.
    pub in_stock_detail: Option<String>,
    pub imported_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The Shopify bundle (`lineItemGroup`) each component line was sold in, in the lines'
    /// order; a line not listed was sold on its own.
    #[serde(default)]
    pub groups: Vec<LineGroup>,
}

impl Store {
    /// The order `id` with its lines, shipping and history; `None` if never imported.
    ///
    /// # Errors
    /// SQLite failure or an unreadable stored value.
    pub fn order(&self, id: OrderId) -> Result<Option<OrderDetail>> {
        let head = self
            .conn
            .prepare_cached(
                "SELECT id, name, created_at, state, customer_name, customer_email, company, cui,
                    reg_com, address, city, county, country, currency, taxes_included, total,
                    in_stock, in_stock_detail, imported_at, updated_at
                 FROM orders WHERE id = ?1",
            )?
            .query_row([id.0], head)
            .optional()?;
        let Some(mut detail) = head else {
            return Ok(None);
        };
        detail.order.lines = self
            .conn
            .prepare_cached(
                "SELECT id, code, variant_id, title, quantity, refunded, fulfilled, unit_price,
                    discount, vat_rate, taxable, tax
                 FROM order_lines WHERE order_id = ?1 ORDER BY position",
            )?
            .query_map([id.0], line)?
            .collect::<rusqlite::Result<_>>()?;
        detail.order.shipping = self
            .conn
            .prepare_cached(
                "SELECT title, price, discount, vat_rate, tax FROM order_shipping
                 WHERE order_id = ?1 ORDER BY position",
            )?
            .query_map([id.0], |r| {
                Ok(ShippingLine {
                    title: r.get(0)?,
                    price: get_dec(r, 1)?,
                    discount: get_dec(r, 2)?,
                    vat_rate: get_opt_dec(r, 3)?.map(VatRate),
                    tax: get_dec(r, 4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        detail.groups = read_line_groups(&self.conn, id)?;
        detail.history = self
            .conn
            .prepare_cached(
                "SELECT at, from_state, to_state, reason, source, run_id FROM order_history
                 WHERE order_id = ?1 ORDER BY id",
            )?
            .query_map([id.0], history_entry)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(detail))
    }
}

fn head(r: &Row<'_>) -> rusqlite::Result<OrderDetail> {
    let order = Order {
        id: OrderId(r.get(0)?),
        name: r.get(1)?,
        created_at: get_ts(r, 2)?,
        state: get_state(r, 3)?,
        lines: Vec::new(),
        shipping: Vec::new(),
        customer: Customer {
            name: r.get(4)?,
            email: r.get(5)?,
            company: r.get(6)?,
            cui: r.get(7)?,
            reg_com: r.get(8)?,
            address: r.get(9)?,
            city: r.get(10)?,
            county: r.get(11)?,
            country: r.get(12)?,
        },
        currency: Currency(r.get(13)?),
        taxes_included: r.get(14)?,
        total: get_dec(r, 15)?,
    };
    Ok(OrderDetail {
        order,
        history: Vec::new(),
        in_stock: r.get(16)?,
        in_stock_detail: r.get(17)?,
        imported_at: get_ts(r, 18)?,
        updated_at: get_ts(r, 19)?,
        groups: Vec::new(),
    })
}

pub(crate) fn line(r: &Row<'_>) -> rusqlite::Result<OrderLine> {
    Ok(OrderLine {
        id: LineId(r.get(0)?),
        code: r.get::<_, Option<String>>(1)?.map(ProductCode),
        variant_id: r.get::<_, Option<u64>>(2)?.map(VariantId),
        title: r.get(3)?,
        quantity: r.get(4)?,
        refunded: r.get(5)?,
        fulfilled: r.get(6)?,
        unit_price: get_dec(r, 7)?,
        discount: get_dec(r, 8)?,
        vat_rate: get_opt_dec(r, 9)?.map(VatRate),
        taxable: r.get(10)?,
        tax: get_dec(r, 11)?,
    })
}

fn history_entry(r: &Row<'_>) -> rusqlite::Result<HistoryEntry> {
    Ok(HistoryEntry {
        at: get_ts(r, 0)?,
        from: get_opt_state(r, 1)?,
        to: get_state(r, 2)?,
        reason: r.get(3)?,
        source: r.get(4)?,
        run: r.get::<_, Option<i64>>(5)?.map(RunId),
    })
}
