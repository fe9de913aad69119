//! The rows of one order (head, lines, shipping) as written on import. Lines are upserted by
//! Shopify line id and vanished ones deleted, so the reservation triggers see each change as a
//! delta; the caller owns the transaction and the state.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use punte_core::order::{Order, OrderId, OrderLine};
use rusqlite::{Connection, params};

use crate::error::Result;
use crate::sqlval::{state_word, ts};

pub(crate) fn insert_order(conn: &Connection, o: &Order, at: DateTime<Utc>) -> Result<()> {
    let c = &o.customer;
    conn.prepare_cached(
        "INSERT INTO orders (id, name, created_at, state, customer_name, customer_email, company,
            cui, reg_com, address, city, county, country, currency, taxes_included, total,
            line_count, imported_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?18)",
    )?
    .execute(params![
        o.id.0,
        o.name,
        ts(o.created_at),
        state_word(o.state),
        c.name,
        c.email,
        c.company,
        c.cui,
        c.reg_com,
        c.address,
        c.city,
        c.county,
        c.country,
        o.currency.0,
        o.taxes_included,
        o.total.to_string(),
        o.lines.len(),
        ts(at),
    ])?;
    for (pos, line) in o.lines.iter().enumerate() {
        upsert_line(conn, o.id, pos, line)?;
    }
    write_shipping(conn, o)
}

/// Rewrites what Shopify owns (not the state, which the caller compares first).
pub(crate) fn refresh_order(conn: &Connection, o: &Order, at: DateTime<Utc>) -> Result<()> {
    let c = &o.customer;
    conn.prepare_cached(
        "UPDATE orders SET name = ?2, created_at = ?3, customer_name = ?4, customer_email = ?5,
            company = ?6, cui = ?7, reg_com = ?8, address = ?9, city = ?10, county = ?11,
            country = ?12, currency = ?13, taxes_included = ?14, total = ?15, line_count = ?16,
            updated_at = ?17
         WHERE id = ?1",
    )?
    .execute(params![
        o.id.0,
        o.name,
        ts(o.created_at),
        c.name,
        c.email,
        c.company,
        c.cui,
        c.reg_com,
        c.address,
        c.city,
        c.county,
        c.country,
        o.currency.0,
        o.taxes_included,
        o.total.to_string(),
        o.lines.len(),
        ts(at),
    ])?;
    let keep: HashSet<u64> = o.lines.iter().map(|l| l.id.0).collect();
    let old: Vec<u64> = conn
        .prepare_cached("SELECT id FROM order_lines WHERE order_id = ?1")?
        .query_map([o.id.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut delete = conn.prepare_cached("DELETE FROM order_lines WHERE id = ?1")?;
    for gone in old.into_iter().filter(|id| !keep.contains(id)) {
        delete.execute([gone])?;
    }
    for (pos, line) in o.lines.iter().enumerate() {
        upsert_line(conn, o.id, pos, line)?;
    }
    conn.prepare_cached("DELETE FROM order_shipping WHERE order_id = ?1")?
        .execute([o.id.0])?;
    write_shipping(conn, o)
}

fn upsert_line(conn: &Connection, order: OrderId, pos: usize, l: &OrderLine) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO order_lines (id, order_id, position, code, variant_id, title, quantity,
            refunded, fulfilled, unit_price, discount, vat_rate, tax, taxable)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (id) DO UPDATE SET order_id = excluded.order_id,
            position = excluded.position, code = excluded.code, variant_id = excluded.variant_id,
            title = excluded.title, quantity = excluded.quantity, refunded = excluded.refunded,
            fulfilled = excluded.fulfilled, unit_price = excluded.unit_price,
            discount = excluded.discount, vat_rate = excluded.vat_rate, tax = excluded.tax,
            taxable = excluded.taxable",
    )?
    .execute(params![
        l.id.0,
        order.0,
        pos,
        l.code.as_ref().map(|c| c.as_str()),
        l.variant_id.map(|v| v.0),
        l.title,
        l.quantity,
        l.refunded,
        l.fulfilled,
        l.unit_price.to_string(),
        l.discount.to_string(),
        l.vat_rate.map(|v| v.0.to_string()),
        l.tax.to_string(),
        l.taxable,
    ])?;
    Ok(())
}

fn write_shipping(conn: &Connection, o: &Order) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO order_shipping (order_id, position, title, price, discount, vat_rate, tax)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (pos, s) in o.shipping.iter().enumerate() {
        stmt.execute(params![
            o.id.0,
            pos,
            s.title,
            s.price.to_string(),
            s.discount.to_string(),
            s.vat_rate.map(|v| v.0.to_string()),
            s.tax.to_string(),
        ])?;
    }
    Ok(())
}
