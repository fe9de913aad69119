//! Where an invoice discharges from (issue 18): with several locations mapped, each order line
//! leaves the warehouse of the location Shopify assigned its units to (a split fulfilment gives
//! two lines, one per warehouse); units with no known placement leave the default location's
//! warehouse. Kits defined in the app are always invoiced as their components.

use std::collections::HashMap;

use punte_core::invoice_discharge::Discharge;
use punte_core::locations::LocationSettings;
use punte_core::order::{LineId, OrderId};
use punte_store::{Store, StoreError};

/// The discharge plan of `order`, and the warehouse everything else leaves from.
pub(crate) fn discharge_of(
    s: &Store,
    order: OrderId,
    mapping: &LocationSettings,
    location: u64,
    warehouse: &str,
) -> Result<(Discharge, String), StoreError> {
    let kits = s.kits()?.into_iter().map(|k| (k.code.clone(), k)).collect();
    if !mapping.is_multi() {
        let by_line = HashMap::new();
        return Ok((Discharge { by_line, kits }, warehouse.to_owned()));
    }
    let default_location = mapping.default_location(location);
    let fallback = mapping
        .warehouse_of(default_location)
        .unwrap_or(warehouse)
        .to_owned();
    let mut by_line: HashMap<LineId, Vec<(String, i64)>> = HashMap::new();
    for (line, loc, units) in s.line_locations(order)? {
        let w = mapping.warehouse_of(loc).unwrap_or(&fallback).to_owned();
        let places = by_line.entry(line).or_default();
        match places.iter_mut().find(|(x, _)| *x == w) {
            Some((_, n)) => *n += units,
            None => places.push((w, units)),
        }
    }
    Ok((Discharge { by_line, kits }, fallback))
}
