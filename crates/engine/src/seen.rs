//! What Punte last knew of Shopify's `available` per code (read at step 1, re-read after a stale
//! write, or written by Punte), widened by the order changes imported since then. Three uses:
//! the compare base of a code whose billing stock moved but whose level was not read this cycle,
//! Shopify's A for the InStock walk between reads, and drift: a level outside what the imported
//! orders can explain was changed by hand in Shopify.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use punte_core::order::{Order, OrderState};
use punte_core::product::ProductCode;
use punte_store::{Finding, Store, StoreError};
use serde::{Deserialize, Serialize};

use crate::kv;

/// One code's last known level and the order movements imported since it was known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Seen {
    pub available: i64,
    /// Units imported orders may have taken since (new orders, larger quantities).
    pub down: i64,
    /// Units imported orders may have given back since (cancellations, refunds, smaller edits).
    pub up: i64,
}

impl Seen {
    fn known(available: i64) -> Self {
        Self {
            available,
            down: 0,
            up: 0,
        }
    }

    /// Best estimate of Shopify's A now: every imported change assumed to be after the read.
    pub fn estimate(self) -> i64 {
        self.available - self.down + self.up
    }

    /// Whether `read` is within what the imported orders explain.
    fn explains(self, read: i64) -> bool {
        (self.available - self.down..=self.available + self.up).contains(&read)
    }
}

/// Keyed by code text (JSON object keys).
pub(crate) type SeenLevels = BTreeMap<String, Seen>;

pub(crate) fn load(s: &Store) -> Result<SeenLevels, StoreError> {
    Ok(kv::read(s, kv::SEEN_LEVELS)?.unwrap_or_default())
}

/// A level that moved with no order to explain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Drift {
    pub code: ProductCode,
    pub expected: Seen,
    pub read: i64,
}

impl Drift {
    pub fn finding(&self) -> Finding {
        let e = self.expected;
        let range = if e.down == 0 && e.up == 0 {
            e.available.to_string()
        } else {
            format!("{}..{}", e.available - e.down, e.available + e.up)
        };
        Finding {
            key: format!("shopify_drift:{}", self.code.0),
            kind: "shopify_drift".into(),
            code: Some(self.code.clone()),
            message: format!(
                "Shopify shows {} available for {}, Punte expected {range} and no imported order explains the difference / Shopify arată {} disponibile pentru {}, Punte aștepta {range} și nicio comandă importată nu explică diferența",
                self.read, self.code.0, self.read, self.code.0
            ),
            what_to_fix: format!(
                "Do not edit {} by hand in Shopify: record receipts and adjustments in the billing service; Punte overwrites Shopify with billing − reserved / Nu modificați {} manual în Shopify: înregistrați recepțiile și ajustările în programul de facturare",
                self.code.0, self.code.0
            ),
            detail: serde_json::to_string(&serde_json::json!({
                "read": self.read, "expected": e.available, "down": e.down, "up": e.up
            }))
            .ok(),
        }
    }
}

/// Levels read from Shopify before an import, checked after it: `before` is what Punte knew
/// when it read them. A level outside what the orders imported up to now explain is drift. The
/// read becomes the known level; the movements imported after the read stay as its band, since
/// each of those orders may or may not be in the read.
pub(crate) fn observe(
    s: &Store,
    read: &[(ProductCode, i64)],
    before: &SeenLevels,
    at: DateTime<Utc>,
) -> Result<Vec<Drift>, StoreError> {
    let mut seen = load(s)?;
    let mut drifts = Vec::new();
    for (code, a) in read {
        let mut next = Seen::known(*a);
        if let Some(now) = seen.get(code.as_str()).copied() {
            if !now.explains(*a) {
                drifts.push(Drift {
                    code: code.clone(),
                    expected: now,
                    read: *a,
                });
            }
            let old = before.get(code.as_str()).copied().unwrap_or(now);
            next.down = (now.down - old.down).max(0);
            next.up = (now.up - old.up).max(0);
        }
        seen.insert(code.0.clone(), next);
    }
    kv::write(s, kv::SEEN_LEVELS, &seen, at)?;
    Ok(drifts)
}

/// Levels Punte wrote (compare-and-set passed, so no order moved them in between).
pub(crate) fn wrote(
    s: &Store,
    written: &[(ProductCode, i64)],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if written.is_empty() {
        return Ok(());
    }
    let mut seen = load(s)?;
    for (code, a) in written {
        seen.insert(code.0.clone(), Seen::known(*a));
    }
    kv::write(s, kv::SEEN_LEVELS, &seen, at)
}

/// Quantity per code that an order holds in Shopify's eyes (a cancelled order holds none).
fn held(order: Option<&Order>) -> HashMap<&str, i64> {
    let mut out = HashMap::new();
    if let Some(o) = order.filter(|o| o.state != OrderState::Cancelled) {
        for l in &o.lines {
            if let Some(c) = &l.code {
                *out.entry(c.as_str()).or_default() += l.quantity.max(0);
            }
        }
    }
    out
}

/// Widens the known levels by what an import changed: `pairs` are (before, after) per order.
pub(crate) fn orders_moved(
    s: &Store,
    pairs: &[(Option<Order>, Order)],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut seen = load(s)?;
    let mut changed = false;
    for (old, new) in pairs {
        let (before, after) = (held(old.as_ref()), held(Some(new)));
        let codes: std::collections::BTreeSet<&str> =
            before.keys().chain(after.keys()).copied().collect();
        for code in codes {
            let delta =
                after.get(code).copied().unwrap_or(0) - before.get(code).copied().unwrap_or(0);
            let Some(entry) = seen.get_mut(code) else {
                continue;
            };
            if delta > 0 {
                entry.down += delta;
            } else if delta < 0 {
                entry.up -= delta;
            }
            changed |= delta != 0;
        }
    }
    if changed {
        kv::write(s, kv::SEEN_LEVELS, &seen, at)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_covers_imported_movements_only() {
        let s = Seen {
            available: 10,
            down: 2,
            up: 1,
        };
        assert!(s.explains(8) && s.explains(11) && s.explains(10));
        assert!(!s.explains(7) && !s.explains(12));
        assert_eq!(s.estimate(), 9);
        assert!(Seen::known(5).explains(5) && !Seen::known(5).explains(4));
    }
}
