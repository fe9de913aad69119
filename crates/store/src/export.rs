//! CSV exports of the audit trail and of orders (one row per order line), streamed straight
//! from SQLite to any writer so a million rows never sit in memory. RFC 4180 quoting and CRLF
//! line ends everywhere, the header included. Spreadsheet formula injection is neutralised: a
//! cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return (a product title, a
//! customer name, an audit reason can come from outside) gets a leading `'`, so Excel and
//! LibreOffice show it as text instead of evaluating it. Numeric columns are written by Punte
//! and are left as they are, so a negative quantity stays a number.

use std::io::Write;

use punte_core::order::OrderId;

use crate::audit_query::AuditFilter;
use crate::error::Result;
use crate::open::Store;
use crate::sqlval::{get_state, state_word};

impl Store {
    /// Writes the whole audit trail, oldest first; returns the number of rows.
    ///
    /// # Errors
    /// SQLite or write failure.
    pub fn export_audit_csv(&self, out: &mut dyn Write) -> Result<usize> {
        self.export_audit_csv_matching(&AuditFilter::default(), out)
    }

    /// Writes every order line with its order's columns, by order creation time; returns the
    /// number of rows. Orders without lines get one row with empty line columns.
    ///
    /// # Errors
    /// SQLite or write failure.
    pub fn export_orders_csv(&self, out: &mut dyn Write) -> Result<usize> {
        out.write_all(
            b"order_id,order_name,created_at,state,customer,email,cui,currency,total,\
              line_id,code,title,quantity,unit_price,discount,vat_rate\r\n",
        )?;
        let mut stmt = self.conn.prepare(
            "SELECT o.id, o.name, o.created_at, o.state, o.customer_name, o.customer_email, o.cui,
                o.currency, o.total, l.id, l.code, l.title, l.quantity, l.unit_price, l.discount,
                l.vat_rate
             FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
             ORDER BY o.created_at, o.id, l.position",
        )?;
        let mut rows = stmt.query([])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let id: u64 = r.get(0)?;
            let text = |i: usize| -> rusqlite::Result<String> {
                Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
            };
            let num = |i: usize| -> rusqlite::Result<String> {
                Ok(r.get::<_, Option<i64>>(i)?
                    .map(|v| v.to_string())
                    .unwrap_or_default())
            };
            let fields = [
                OrderId(id).0.to_string(),
                text(1)?,
                text(2)?,
                state_word(get_state(r, 3)?).to_owned(),
                text(4)?,
                text(5)?,
                text(6)?,
                text(7)?,
                text(8)?,
                num(9)?,
                text(10)?,
                text(11)?,
                num(12)?,
                text(13)?,
                text(14)?,
                text(15)?,
            ];
            write_record(out, &fields, &[1, 4, 5, 6, 10, 11])?;
            n += 1;
        }
        Ok(n)
    }
}

/// Writes one CSV record; the `text` columns (free text that may come from outside) are
/// defused against formula injection first.
pub(crate) fn write_record(
    out: &mut dyn Write,
    fields: &[String],
    text: &[usize],
) -> std::io::Result<()> {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        let defused;
        let f = if text.contains(&i) && f.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            defused = format!("'{f}");
            &defused
        } else {
            f
        };
        if f.contains([',', '"', '\n', '\r']) {
            write!(out, "\"{}\"", f.replace('"', "\"\""))?;
        } else {
            out.write_all(f.as_bytes())?;
        }
    }
    out.write_all(b"\r\n")
}
