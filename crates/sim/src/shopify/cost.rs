//! Shopify's cost-based throttle: a leaky bucket per app+store charged the requested cost up
//! front and refunded down to the actual cost after execution (`cost_calc` computes both), the
//! single-query maximum of 1000, and the `extensions.cost` block on every answer.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use crate::clock::seconds_between;

/// The largest cost a single query may have, whatever the plan.
pub const MAX_QUERY_COST: u64 = 1000;

#[derive(Clone, Debug, Serialize)]
pub struct Bucket {
    pub maximum: f64,
    pub restore_rate: f64,
    pub available: f64,
    pub updated: DateTime<Utc>,
}

impl Bucket {
    pub fn new(maximum: f64, restore_rate: f64, now: DateTime<Utc>) -> Self {
        Self {
            maximum,
            restore_rate,
            available: maximum,
            updated: now,
        }
    }

    fn refill(&mut self, now: DateTime<Utc>) {
        let secs = seconds_between(self.updated, now).max(0.0);
        self.available = (self.available + secs * self.restore_rate).min(self.maximum);
        self.updated = now;
    }

    /// Charges `cost` points, or returns false (charging nothing) when the bucket lacks them.
    pub fn charge(&mut self, cost: u64, now: DateTime<Utc>) -> bool {
        self.refill(now);
        if cost as f64 > self.available {
            return false;
        }
        self.available -= cost as f64;
        true
    }

    /// Gives back `points` after execution (requested − actual), never above the maximum.
    pub fn refund(&mut self, points: u64) {
        self.available = (self.available + points as f64).min(self.maximum);
    }

    /// `extensions.cost`, with `actual` null when the query did not run.
    pub fn extensions(&self, requested: u64, actual: Option<u64>) -> Value {
        json!({"cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": {
                "maximumAvailable": self.maximum,
                "currentlyAvailable": self.available.floor() as u64,
                "restoreRate": self.restore_rate,
            }
        }})
    }
}
