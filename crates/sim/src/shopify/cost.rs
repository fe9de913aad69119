//! Shopify's cost-based throttle: a leaky bucket per app+store, the calculated query cost
//! (objects 1, scalars 0, connections sized by `first`/`last`, mutations 10), the single-query
//! maximum of 1000, and the `extensions.cost` block on every answer.

use apollo_compiler::ExecutableDocument;
use apollo_compiler::executable::{Operation, OperationType, Selection, SelectionSet};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};

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

/// The requested cost of `op`: each mutation root field costs 10; otherwise objects cost 1 and a
/// field taking `first`/`last` costs 2 plus that many times its selection.
pub fn requested_cost(doc: &ExecutableDocument, op: &Operation, vars: &Map<String, Value>) -> u64 {
    if op.operation_type == OperationType::Mutation {
        let roots = count_fields(doc, &op.selection_set);
        return 10 * roots.max(1);
    }
    selection_cost(doc, &op.selection_set, vars)
}

fn count_fields(doc: &ExecutableDocument, set: &SelectionSet) -> u64 {
    set.selections
        .iter()
        .map(|s| match s {
            Selection::Field(_) => 1,
            Selection::InlineFragment(f) => count_fields(doc, &f.selection_set),
            Selection::FragmentSpread(s) => doc
                .fragments
                .get(&s.fragment_name)
                .map_or(0, |f| count_fields(doc, &f.selection_set)),
        })
        .sum()
}

fn selection_cost(doc: &ExecutableDocument, set: &SelectionSet, vars: &Map<String, Value>) -> u64 {
    set.selections
        .iter()
        .map(|s| match s {
            Selection::Field(f) => {
                if f.selection_set.selections.is_empty() {
                    return 0;
                }
                let inner = selection_cost(doc, &f.selection_set, vars);
                match page_size(f, vars) {
                    Some(n) => 2 + n * inner.max(1),
                    None => 1 + inner,
                }
            }
            Selection::InlineFragment(f) => selection_cost(doc, &f.selection_set, vars),
            Selection::FragmentSpread(s) => doc
                .fragments
                .get(&s.fragment_name)
                .map_or(0, |f| selection_cost(doc, &f.selection_set, vars)),
        })
        .sum()
}

fn page_size(f: &apollo_compiler::executable::Field, vars: &Map<String, Value>) -> Option<u64> {
    ["first", "last"].into_iter().find_map(|name| {
        let v = f.specified_argument_by_name(name)?;
        if let Some(var) = v.as_variable() {
            return vars.get(var.as_str()).and_then(Value::as_u64);
        }
        v.to_i32().map(|n| n.max(0) as u64)
    })
}
