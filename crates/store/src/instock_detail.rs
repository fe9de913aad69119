//! The stored explanation of a NotInStock verdict: per product that fell short, what the order
//! needs, what was available, what older InStock orders left, and the names of those orders
//! (the first few, with how many in all), so the window can say "needs 1 × PT-CANA; 5 available,
//! orders #1002 and #1003, older, took them" without another query. Stored as
//! `{"verdict": "not_in_stock", "shortfalls": [...]}`.

use std::collections::HashMap;

use punte_core::instock::{InStockReport, Shortfall};
use punte_core::order::OrderId;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Result, StoreError};

/// Names of older takers kept per shortfall; the count says how many there were in all.
pub const TAKER_NAMES: usize = 5;

#[derive(Serialize)]
struct Explained<'a> {
    code: &'a str,
    needed: i64,
    available: i64,
    left: i64,
    short_by: i64,
    /// Names of the first older InStock orders that took this product, oldest first.
    takers: Vec<String>,
    takers_total: usize,
}

#[derive(Serialize)]
struct Detail<'a> {
    verdict: &'static str,
    shortfalls: Vec<Explained<'a>>,
}

/// Order names looked up once per verdict walk.
pub(crate) struct Names<'c> {
    conn: &'c Connection,
    known: HashMap<OrderId, String>,
}

impl<'c> Names<'c> {
    pub fn new(conn: &'c Connection) -> Self {
        Self {
            conn,
            known: HashMap::new(),
        }
    }

    fn name(&mut self, id: OrderId) -> Result<String> {
        if let Some(n) = self.known.get(&id) {
            return Ok(n.clone());
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM orders WHERE id = ?1")?;
        let name: Option<String> = stmt.query_row([id.0], |r| r.get(0)).optional()?;
        let name = name.unwrap_or_else(|| format!("#{}", id.0));
        self.known.insert(id, name.clone());
        Ok(name)
    }

    /// The JSON explanation of `shortfalls` (one NotInStock verdict of `report`).
    pub fn explain(&mut self, report: &InStockReport, shortfalls: &[Shortfall]) -> Result<String> {
        let mut out = Vec::with_capacity(shortfalls.len());
        for s in shortfalls {
            let all = report.earlier_takers(s);
            let mut takers = Vec::with_capacity(all.len().min(TAKER_NAMES));
            for id in all.iter().take(TAKER_NAMES) {
                takers.push(self.name(*id)?);
            }
            out.push(Explained {
                code: s.code.as_str(),
                needed: s.needed,
                available: s.available,
                left: s.left,
                short_by: s.short_by,
                takers,
                takers_total: all.len(),
            });
        }
        let detail = Detail {
            verdict: "not_in_stock",
            shortfalls: out,
        };
        serde_json::to_string(&detail).map_err(|e| StoreError::BadValue(format!("shortfalls: {e}")))
    }
}
