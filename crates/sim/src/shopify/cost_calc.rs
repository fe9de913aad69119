//! Shopify's calculated query cost, requested (static, before execution) and actual (from the
//! answer, after execution), by the documented field costs and the connection sizing Shopify
//! staff describe. Sources, each cited in `crates/sim/README.md`:
//! - shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits: scalar and enum 0, object 1,
//!   interface/union the maximum of the possible selections, connections "sized by `first` and
//!   `last`", mutation 10; requested cost charged up front and refunded down to the actual.
//! - community.shopify.dev/t/how-to-calculate-graphql-cost-estimates/24364 (Shopify staff):
//!   "we do incorporate logarithmic scaling into connection fields"; estimated costs are static;
//!   actual costs follow the response size.
//! - community.shopify.dev/t/…/23101: `product(id:) { variants(first: 250) { nodes {
//!   inventoryItem { id tracked } } } }` is charged 25 requested, 1 actual (product null). The
//!   multiplier ⌊2·ln(max(2, n))⌋ (11 for 250) reproduces it exactly: 1 + 2 + 11 × (1 + 1).
//!
//! So: a connection costs 2 + m(n) × (cost of one item), where an item is one `nodes` element
//! or one `edges` element (its `node` is the same object, not counted again); `pageInfo` and
//! `cursor` cost nothing and are never multiplied.

use apollo_compiler::executable::{Field, Operation, OperationType, Selection, SelectionSet};
use apollo_compiler::{ExecutableDocument, Name};
use serde_json::{Map, Value};

/// Every mutation root field costs this much (shopify.dev rate-limits table).
pub const MUTATION_COST: u64 = 10;
/// Page sizes above this are refused anyway; the multiplier stops growing there.
const MAX_PAGE: u64 = 250;

/// The connection multiplier for a page of `n` items: ⌊2·ln(max(2, n))⌋, 0 for an empty page.
#[must_use]
pub fn multiplier(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let n = n.clamp(2, MAX_PAGE) as f64;
    (2.0 * n.ln()).floor() as u64
}

/// The requested cost of `op` with `vars`.
#[must_use]
pub fn requested_cost(doc: &ExecutableDocument, op: &Operation, vars: &Map<String, Value>) -> u64 {
    let calc = Calc { doc, vars };
    if op.operation_type == OperationType::Mutation {
        return MUTATION_COST * calc.root_fields(&op.selection_set).max(1);
    }
    calc.set(&op.selection_set)
}

/// The actual cost of `op` given the answer's `data`: an object that came back null costs only
/// itself, and connections are sized by the items they returned. Never above the requested cost.
#[must_use]
pub fn actual_cost(
    doc: &ExecutableDocument,
    op: &Operation,
    vars: &Map<String, Value>,
    data: Option<&Value>,
) -> u64 {
    let calc = Calc { doc, vars };
    if op.operation_type == OperationType::Mutation {
        return MUTATION_COST * calc.root_fields(&op.selection_set).max(1);
    }
    data.map_or(0, |d| calc.set_actual(&op.selection_set, d))
}

struct Calc<'d> {
    doc: &'d ExecutableDocument,
    vars: &'d Map<String, Value>,
}

/// The fields of a selection set with fragments flattened: those that apply to the set's own
/// type, and, per other type condition (an interface's or union's possible types), their own.
fn flatten<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    common: &mut Vec<&'a Field>,
    typed: &mut Vec<(Name, Vec<&'a Field>)>,
) {
    for s in &set.selections {
        let (cond, inner) = match s {
            Selection::Field(f) => {
                common.push(f);
                continue;
            }
            Selection::InlineFragment(f) => (f.type_condition.clone(), &f.selection_set),
            Selection::FragmentSpread(s) => match doc.fragments.get(&s.fragment_name) {
                Some(f) => (Some(f.type_condition().clone()), &f.selection_set),
                None => continue,
            },
        };
        match cond.filter(|c| *c != set.ty) {
            None => flatten(doc, inner, common, typed),
            Some(c) => {
                let mut fields = Vec::new();
                let mut nested = Vec::new();
                flatten(doc, inner, &mut fields, &mut nested);
                fields.extend(nested.into_iter().flat_map(|(_, f)| f));
                match typed.iter_mut().find(|(t, _)| *t == c) {
                    Some((_, v)) => v.extend(fields),
                    None => typed.push((c, fields)),
                }
            }
        }
    }
}

fn is_connection(f: &Field) -> bool {
    f.ty().inner_named_type().as_str().ends_with("Connection")
}

impl Calc<'_> {
    fn root_fields(&self, set: &SelectionSet) -> u64 {
        let (mut common, mut typed) = (Vec::new(), Vec::new());
        flatten(self.doc, set, &mut common, &mut typed);
        common.len() as u64
    }

    /// Sum of the fields that always apply, plus the costliest type-specific branch.
    fn set(&self, set: &SelectionSet) -> u64 {
        let (mut common, mut typed) = (Vec::new(), Vec::new());
        flatten(self.doc, set, &mut common, &mut typed);
        let base: u64 = common.iter().map(|f| self.field(f)).sum();
        let branch = typed
            .iter()
            .map(|(_, fields)| fields.iter().map(|f| self.field(f)).sum::<u64>())
            .max()
            .unwrap_or(0);
        base + branch
    }

    fn field(&self, f: &Field) -> u64 {
        if f.selection_set.selections.is_empty() {
            return 0; // scalar or enum
        }
        if is_connection(f) {
            let items = self.items(&f.selection_set, None);
            return 2 + multiplier(self.page_size(f)) * items;
        }
        1 + self.set(&f.selection_set)
    }

    /// The cost of one item of a connection: the costliest of its `nodes` and `edges`
    /// selections (an edge and its node are one object). `pageInfo` and other fields of the
    /// connection itself are free. With `data`, actual costs of the items that came back.
    fn items(&self, set: &SelectionSet, data: Option<&Value>) -> u64 {
        let (mut common, mut typed) = (Vec::new(), Vec::new());
        flatten(self.doc, set, &mut common, &mut typed);
        let mut best = 0;
        for f in common {
            let key = f.response_key().as_str();
            let cost = match (f.name.as_str(), data) {
                ("nodes", None) => 1 + self.set(&f.selection_set),
                ("edges", None) => 1 + self.edge(&f.selection_set, None),
                ("nodes", Some(d)) => max_over(d.get(key), |n| {
                    1 + if n.is_null() {
                        0
                    } else {
                        self.set_actual(&f.selection_set, n)
                    }
                }),
                ("edges", Some(d)) => {
                    max_over(d.get(key), |e| 1 + self.edge(&f.selection_set, Some(e)))
                }
                _ => 0,
            };
            best = best.max(cost);
        }
        best
    }

    /// An edge's children: its `node` costs what the node's fields cost (the edge itself was
    /// counted); `cursor` is a scalar.
    fn edge(&self, set: &SelectionSet, data: Option<&Value>) -> u64 {
        let (mut common, mut typed) = (Vec::new(), Vec::new());
        flatten(self.doc, set, &mut common, &mut typed);
        common
            .iter()
            .filter(|f| f.name == "node")
            .map(|f| match data {
                None => self.set(&f.selection_set),
                Some(d) => match d.get(f.response_key().as_str()) {
                    Some(n) if !n.is_null() => self.set_actual(&f.selection_set, n),
                    _ => 0,
                },
            })
            .sum()
    }

    fn page_size(&self, f: &Field) -> u64 {
        ["first", "last"]
            .into_iter()
            .find_map(|name| {
                let v = f.specified_argument_by_name(name)?;
                if let Some(var) = v.as_variable() {
                    return self.vars.get(var.as_str()).and_then(Value::as_u64);
                }
                v.to_i32().map(|n| n.max(0) as u64)
            })
            .unwrap_or(0)
    }

    /// The actual cost of `set` against the object `data` that came back for it.
    fn set_actual(&self, set: &SelectionSet, data: &Value) -> u64 {
        let (mut common, mut typed) = (Vec::new(), Vec::new());
        flatten(self.doc, set, &mut common, &mut typed);
        let base: u64 = common.iter().map(|f| self.field_actual(f, data)).sum();
        let branch = typed
            .iter()
            .map(|(_, fields)| {
                fields
                    .iter()
                    .map(|f| self.field_actual(f, data))
                    .sum::<u64>()
            })
            .max()
            .unwrap_or(0);
        base + branch
    }

    fn field_actual(&self, f: &Field, parent: &Value) -> u64 {
        if f.selection_set.selections.is_empty() {
            return 0;
        }
        let connection = is_connection(f);
        let value = match parent.get(f.response_key().as_str()) {
            Some(v) if !v.is_null() => v,
            // Looked up and found nothing: its own cost, nothing below (the report above: a
            // missing product is charged 1).
            _ => return if connection { 2 } else { 1 },
        };
        if connection {
            let returned = ["nodes", "edges"]
                .iter()
                .filter_map(|k| value.get(*k).and_then(Value::as_array))
                .map(Vec::len)
                .max()
                .unwrap_or(0) as u64;
            return 2 + multiplier(returned) * self.items(&f.selection_set, Some(value));
        }
        match value {
            // A plain list of objects (tax lines, quantities) costs as one object.
            Value::Array(items) => {
                1 + items
                    .iter()
                    .filter(|i| !i.is_null())
                    .map(|i| self.set_actual(&f.selection_set, i))
                    .max()
                    .unwrap_or(0)
            }
            v => 1 + self.set_actual(&f.selection_set, v),
        }
    }
}

/// The largest `cost` over the elements of a JSON array (0 when absent or empty).
fn max_over(list: Option<&Value>, cost: impl Fn(&Value) -> u64) -> u64 {
    list.and_then(Value::as_array)
        .map_or(0, |a| a.iter().map(cost).max().unwrap_or(0))
}

#[cfg(test)]
#[path = "cost_calc_tests.rs"]
mod tests;
