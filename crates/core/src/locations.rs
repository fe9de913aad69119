//! Several Shopify locations, each mapped to one billing warehouse (gestiune; with Oblio a work
//! point and a management). Several locations may share one warehouse: its stock is split by a
//! rule the merchant picks (all to the first location, or a fixed share each). Every location
//! then gets its share minus the reservations of the orders Shopify assigned to it (read from
//! each order's fulfillment orders), and a location whose orders hold more than its share takes
//! the difference from the other locations of the same warehouse, first ones first, so that
//! the levels written never add up to more than the warehouse's B − R − buffer. One location
//! mapped is today's case: target = max(0, B − R − buffer).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One Shopify location and the billing warehouse it sells from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationLink {
    /// The number in `gid://shopify/Location/N`.
    pub location_id: u64,
    /// Shopify's name for it, shown in the window.
    pub name: String,
    /// The billing warehouse id (SmartBill/Oblio: its name, Oblio with a work point
    /// "Punct / Depozit"; FGO: its code).
    pub warehouse: String,
    /// Percent of the warehouse's stock this location gets under [`SplitRule::FixedShares`].
    #[serde(default)]
    pub share_percent: u32,
}

/// How a warehouse's stock is split between the locations that share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitRule {
    /// The first location listed gets it all; the others sell nothing of their own.
    #[default]
    AllToFirst,
    /// Each location gets its `share_percent` (rounded down; what rounding leaves goes to the
    /// first).
    FixedShares,
}

/// The merchant's mapping. Fewer than two links: the one location of the connection settings,
/// exactly as before (see [`LocationSettings::is_multi`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LocationSettings {
    pub links: Vec<LocationLink>,
    #[serde(default)]
    pub split: SplitRule,
}

/// Why a mapping cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum MappingError {
    #[error("location {location} is mapped twice")]
    DuplicateLocation { location: u64 },
    #[error("location {location} has no warehouse")]
    NoWarehouse { location: u64 },
    #[error("the shares of warehouse {warehouse} add up to {total}%, not 100%")]
    SharesNot100 { warehouse: String, total: u32 },
}

impl LocationSettings {
    /// True when more than one location is mapped: stock is then written per location.
    #[must_use]
    pub fn is_multi(&self) -> bool {
        self.links.len() > 1
    }

    /// The distinct warehouses, in the order they are first mapped.
    #[must_use]
    pub fn warehouses(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for l in &self.links {
            if !out.contains(&l.warehouse.as_str()) {
                out.push(&l.warehouse);
            }
        }
        out
    }

    /// The locations sharing `warehouse`, in mapping order.
    #[must_use]
    pub fn sharers(&self, warehouse: &str) -> Vec<&LocationLink> {
        self.links
            .iter()
            .filter(|l| l.warehouse == warehouse)
            .collect()
    }

    /// The warehouse location `location` sells from, if it is mapped.
    #[must_use]
    pub fn warehouse_of(&self, location: u64) -> Option<&str> {
        self.links
            .iter()
            .find(|l| l.location_id == location)
            .map(|l| l.warehouse.as_str())
    }

    /// Where lines without a known location are counted: `fallback` (the connection's location)
    /// when it is mapped, else the first mapped location.
    #[must_use]
    pub fn default_location(&self, fallback: u64) -> u64 {
        if self.warehouse_of(fallback).is_some() {
            return fallback;
        }
        self.links.first().map_or(fallback, |l| l.location_id)
    }

    /// Checks the mapping before it is saved.
    ///
    /// # Errors
    /// The first problem found.
    pub fn validate(&self) -> Result<(), MappingError> {
        let mut seen = Vec::new();
        for l in &self.links {
            if seen.contains(&l.location_id) {
                return Err(MappingError::DuplicateLocation {
                    location: l.location_id,
                });
            }
            seen.push(l.location_id);
            if l.warehouse.trim().is_empty() {
                return Err(MappingError::NoWarehouse {
                    location: l.location_id,
                });
            }
        }
        if self.split == SplitRule::FixedShares {
            for w in self.warehouses() {
                let sharers = self.sharers(w);
                let total: u32 = sharers.iter().map(|l| l.share_percent).sum();
                if sharers.len() > 1 && total != 100 {
                    return Err(MappingError::SharesNot100 {
                        warehouse: w.to_owned(),
                        total,
                    });
                }
            }
        }
        Ok(())
    }
}

/// Splits a warehouse's stock `billing` between its `shares` (percent, in mapping order) by
/// `rule`. Negative stock stays with the first location.
#[must_use]
pub fn split_stock(billing: i64, shares: &[u32], rule: SplitRule) -> Vec<i64> {
    let mut out = vec![0; shares.len()];
    let Some(first) = out.first_mut() else {
        return out;
    };
    if rule == SplitRule::AllToFirst || billing <= 0 || shares.len() == 1 {
        *first = billing;
        return out;
    }
    let mut given = 0i64;
    for (slot, share) in out.iter_mut().zip(shares) {
        let part = i128::from(billing) * i128::from(*share) / 100;
        *slot = i64::try_from(part).unwrap_or(0);
        given = given.saturating_add(*slot);
    }
    out[0] = out[0].saturating_add(billing.saturating_sub(given));
    out
}

/// What the locations of one warehouse get for one product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarehouseTargets {
    /// Per location, in mapping order; never negative.
    pub targets: Vec<i64>,
    /// B − ΣR − buffer for the whole warehouse; below zero it is a finding.
    pub total: i64,
}

/// The levels to write at the locations sharing one warehouse: each location's share of
/// `billing` minus what its orders hold (`reserved`, same order as `shares`), the buffer taken
/// from the first. A location below zero gives its deficit to the others, first ones first,
/// so the targets add up to `max(0, total)`.
#[must_use]
pub fn warehouse_targets(
    billing: i64,
    shares: &[u32],
    rule: SplitRule,
    reserved: &[i64],
    buffer: i64,
) -> WarehouseTargets {
    let mut raw = split_stock(billing, shares, rule);
    for (r, held) in raw.iter_mut().zip(reserved) {
        *r = r.saturating_sub(*held);
    }
    if let Some(first) = raw.first_mut() {
        *first = first.saturating_sub(buffer);
    }
    let total = raw.iter().fold(0i64, |a, b| a.saturating_add(*b));
    let mut deficit: i64 = raw.iter().filter(|r| **r < 0).map(|r| -*r).sum();
    let mut targets: Vec<i64> = raw.iter().map(|r| (*r).max(0)).collect();
    for t in &mut targets {
        let take = (*t).min(deficit);
        *t -= take;
        deficit -= take;
    }
    WarehouseTargets { targets, total }
}

/// Places a line's `quantity` over the (location, units) Shopify assigned it (its fulfillment
/// order line items, in order): each row takes up to its units, what is left goes to the last
/// row. Rows of one location are merged. No rows: nothing placed (the caller's default applies).
#[must_use]
pub fn place_line(quantity: i64, assigned: &[(u64, i64)]) -> Vec<(u64, i64)> {
    let mut out: Vec<(u64, i64)> = Vec::new();
    let mut left = quantity.max(0);
    let add = |out: &mut Vec<(u64, i64)>, loc: u64, n: i64| {
        if n <= 0 {
            return;
        }
        match out.iter_mut().find(|(l, _)| *l == loc) {
            Some((_, q)) => *q += n,
            None => out.push((loc, n)),
        }
    };
    for (loc, units) in assigned {
        let n = left.min((*units).max(0));
        add(&mut out, *loc, n);
        left -= n;
    }
    if let Some((loc, _)) = assigned.last() {
        add(&mut out, *loc, left);
    }
    out
}

/// Units per (location) of one product, e.g. the reservations at each location.
pub type ByLocation = HashMap<u64, i64>;

#[cfg(test)]
#[path = "locations_tests.rs"]
mod tests;
