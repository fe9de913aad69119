//! The InStock walk's compact input built straight from SQLite rows: one query over the orders
//! that reserve stock and their lines, each code interned to a `ProductIx` the first time a line
//! names it. No `Order` or `OrderLine` is built, so the engine's walk after every import and
//! sync costs a query and `allocate_input` (see docs/PERFORMANCE.md).

use std::collections::HashMap;

use punte_core::instock::{AllocationInput, ProductIx};
use punte_core::order::{LineId, OrderId};
use punte_core::product::ProductCode;
use rusqlite::Row;
use rusqlite::types::Type;

use crate::error::Result;
use crate::open::Store;
use crate::reserving::RESERVING;
use crate::sqlval::parse_ts;

impl Store {
    /// The InStock input for the orders that reserve stock (those of
    /// [`Store::reserving_orders`], in the same order), with `levels` as Shopify's `available`
    /// per tracked code. A code not in `levels` and a custom line (no code) are unchecked.
    /// Products are numbered in the order lines first name them, as
    /// `AllocationInput::from_orders` numbers them, so
    /// `allocate_input(&input).into_report(&input)` equals
    /// `allocate(levels, &self.reserving_orders()?)`, `takers_start` included.
    ///
    /// # Errors
    /// SQLite failure or an unreadable stored value.
    pub fn instock_input(&self, levels: &HashMap<ProductCode, i64>) -> Result<AllocationInput> {
        let (orders, lines): (i64, i64) = self.conn.query_row(
            &format!(
                "SELECT count(*), coalesce(sum((SELECT count(*) FROM order_lines l
                    WHERE l.order_id = o.id)), 0)
                 FROM orders o WHERE o.state IN {RESERVING}"
            ),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let (orders, lines) = (orders.max(0) as usize, lines.max(0) as usize);
        let mut input = AllocationInput::with_capacity(levels.len().min(lines), orders, lines);
        // Code → product (None: not tracked), filled as lines first name each code.
        let mut products: HashMap<String, Option<ProductIx>> =
            HashMap::with_capacity(levels.len().min(lines));
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT o.id, o.created_at, l.id, l.code, l.quantity
             FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
             WHERE o.state IN {RESERVING} ORDER BY o.id, l.position"
        ))?;
        let mut rows = stmt.query([])?;
        let mut current: Option<(OrderId, chrono::DateTime<chrono::Utc>)> = None;
        let mut order_lines: Vec<(LineId, Option<ProductIx>, i64)> = Vec::with_capacity(8);
        while let Some(r) = rows.next()? {
            let id = OrderId(r.get(0)?);
            if current.is_none_or(|(c, _)| c != id) {
                if let Some((c, at)) = current.take() {
                    input.add_order(c, at, order_lines.drain(..));
                }
                let text = text(r, 1)?.unwrap_or_default();
                let at = parse_ts(text).map_err(|e| bad(1, e.into()))?;
                current = Some((id, at));
            }
            let Some(line) = r.get::<_, Option<u64>>(2)? else {
                continue; // an order without lines
            };
            let product = match text(r, 3)? {
                None => None,
                Some(code) => match products.get(code) {
                    Some(&p) => p,
                    None => {
                        let p = levels
                            .get(code)
                            .map(|&available| input.add_product(code, available));
                        products.insert(code.to_owned(), p);
                        p
                    }
                },
            };
            order_lines.push((LineId(line), product, r.get(4)?));
        }
        if let Some((c, at)) = current {
            input.add_order(c, at, order_lines.drain(..));
        }
        Ok(input)
    }
}

/// A text column read in place (no `String`); NULL is `None`.
fn text<'r>(r: &'r Row<'_>, idx: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(idx)?
        .as_str_or_null()
        .map_err(|e| bad(idx, Box::new(e)))
}

fn bad(idx: usize, e: Box<dyn std::error::Error + Send + Sync>) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, e)
}
