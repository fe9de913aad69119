//! The orders that reserve stock, loaded together for the InStock walk (the engine recomputes
//! verdicts after every import and stock sync). An order that stops waiting has its verdict
//! cleared by its state change (see `orders::update_state`).

use std::collections::HashMap;

use punte_core::money::Currency;
use punte_core::order::{Customer, Order, OrderId};
use rust_decimal::Decimal;

use crate::error::Result;
use crate::open::Store;
use crate::order_detail::line;
use crate::sqlval::{get_state, get_ts};

/// The states whose lines count in R(p) (see `sqlval::state_word`).
pub(crate) const RESERVING: &str = "('open', 'invoiced_kept')";

impl Store {
    /// Every order that reserves stock, with its lines (what the InStock walk reads: id,
    /// creation time, state, lines). Customer, shipping and totals are left empty: use
    /// [`Store::order`] for the whole order.
    ///
    /// # Errors
    /// SQLite failure or an unreadable stored value.
    pub fn reserving_orders(&self) -> Result<Vec<Order>> {
        let mut heads = self.conn.prepare_cached(&format!(
            "SELECT id, name, created_at, state, currency, taxes_included FROM orders
             WHERE state IN {RESERVING} ORDER BY id"
        ))?;
        let mut orders: Vec<Order> = heads
            .query_map([], |r| {
                Ok(Order {
                    id: OrderId(r.get(0)?),
                    name: r.get(1)?,
                    created_at: get_ts(r, 2)?,
                    state: get_state(r, 3)?,
                    lines: Vec::new(),
                    shipping: Vec::new(),
                    customer: Customer::default(),
                    currency: Currency(r.get(4)?),
                    taxes_included: r.get(5)?,
                    total: Decimal::ZERO,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let at: HashMap<u64, usize> = orders
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.0, i))
            .collect();
        let mut lines = self.conn.prepare_cached(&format!(
            "SELECT l.id, l.code, l.variant_id, l.title, l.quantity, l.refunded, l.fulfilled,
                l.unit_price, l.discount, l.vat_rate, l.taxable, l.tax, l.order_id
             FROM order_lines l JOIN orders o ON o.id = l.order_id
             WHERE o.state IN {RESERVING} ORDER BY l.order_id, l.position"
        ))?;
        let rows = lines.query_map([], |r| {
            // Columns 0..=11 as `order_detail::line` reads them, then the order id.
            let order: u64 = r.get(12)?;
            Ok((order, line(r)?))
        })?;
        for row in rows {
            let (order, l) = row?;
            if let Some(&i) = at.get(&order) {
                orders[i].lines.push(l);
            }
        }
        Ok(orders)
    }
}
