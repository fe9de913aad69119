//! The GraphQL documents, kept as `.graphql` files so they can be read, diffed and validated
//! against the vendored Admin schema as written (see the test below).

use crate::retry::Replay;
use crate::transport::Operation;

/// Page sizes: Shopify charges a connection 2 + ⌊2·ln(first)⌋ × (cost of one item) (the rules
/// and their sources are in crates/sim/src/shopify/cost_calc.rs), so the largest page is the
/// cheapest way through a list. Each size is the largest that keeps the document under the
/// single-query limit of 1000 points (the test below computes every document's cost); a page
/// refused as too costly anyway is asked again at half the size (`page::smaller_page`).
pub(crate) const LOCATIONS_PAGE: u32 = 250;
pub(crate) const VARIANTS_PAGE: u32 = 250;
pub(crate) const PRODUCTS_PAGE: u32 = 250;
pub(crate) const LEVELS_PAGE: u32 = 250;
/// Items per ItemLevels request (an `id:… OR id:…` search string; kept short).
pub(crate) const ITEMS_PAGE: u32 = 100;
/// With 10 lines each (OrderLines reads the rest), each with its `lineItemGroup`: 926 points
/// requested (882 before the group; 74 below the limit, and a page of 149 would still cost 842,
/// so 250 stays the cheapest way through; see docs/PERFORMANCE.md "Orders query cost").
pub(crate) const ORDERS_PAGE: u32 = 250;
pub(crate) const LINES_PAGE: u32 = 250;
/// Bundle parents, each with its (at most 30) components: 167 points requested.
pub(crate) const BUNDLE_PARENTS_PAGE: u32 = 250;

pub(crate) const SHOP: Operation = read("Shop", include_str!("graphql/shop.graphql"), 2.0);
pub(crate) const APP_SCOPES: Operation =
    read("AppScopes", include_str!("graphql/app_scopes.graphql"), 2.0);
pub(crate) const LOCATIONS: Operation =
    read("Locations", include_str!("graphql/locations.graphql"), 25.0);
pub(crate) const VARIANTS: Operation =
    read("Variants", include_str!("graphql/variants.graphql"), 24.0);
/// The shop's bundle parents and their components (`bundles`): all of them in a full cycle,
/// those changed since a time in a look.
pub(crate) const BUNDLE_PARENTS: Operation = read(
    "BundleParents",
    include_str!("graphql/bundle_parents.graphql"),
    167.0,
);
pub(crate) const PRODUCTS_CHANGED: Operation = read(
    "ProductsChanged",
    include_str!("graphql/products_changed.graphql"),
    200.0,
);
pub(crate) const LOCATION_LEVELS: Operation = read(
    "LocationLevels",
    include_str!("graphql/location_levels.graphql"),
    36.0,
);
/// As LOCATION_LEVELS, with each level's `updatedAt` and an optional `updated_at` filter.
pub(crate) const LOCATION_LEVELS_SINCE: Operation = read(
    "LocationLevelsSince",
    include_str!("graphql/location_levels_since.graphql"),
    36.0,
);
pub(crate) const ITEM_LEVELS: Operation = read(
    "ItemLevels",
    include_str!("graphql/item_levels.graphql"),
    29.0,
);
pub(crate) const ORDERS_CHANGED: Operation = read(
    "OrdersChanged",
    concat!(
        include_str!("graphql/orders_changed.graphql"),
        include_str!("graphql/line_fields.graphql")
    ),
    926.0,
);
pub(crate) const ORDER_LINES: Operation = read(
    "OrderLines",
    concat!(
        include_str!("graphql/order_lines.graphql"),
        include_str!("graphql/line_fields.graphql")
    ),
    135.0,
);
/// Only for orders that lost units or money: up to 10 refunds of up to 100 lines and 10
/// shipping lines each.
pub(crate) const ORDER_REFUNDS: Operation = read(
    "OrderRefunds",
    include_str!("graphql/order_refunds.graphql"),
    100.0,
);
/// Per order, only while several locations are mapped: its fulfillment orders' locations.
pub(crate) const ORDER_PLACEMENTS: Operation = read(
    "OrderPlacements",
    include_str!("graphql/order_placements.graphql"),
    95.0,
);
/// Idempotent: every call carries an `@idempotent(key:)` reused on retries.
pub(crate) const SET_QUANTITIES: Operation = Operation {
    name: "SetQuantities",
    document: include_str!("graphql/set_quantities.graphql"),
    replay: Replay::Safe,
    cost_hint: 10.0,
};

const fn read(name: &'static str, document: &'static str, cost_hint: f64) -> Operation {
    Operation {
        name,
        document,
        replay: Replay::Safe,
        cost_hint,
    }
}

#[cfg(test)]
/// Every document the client sends (the LineFields fragment travels inside two of them).
pub(crate) const ALL: [&Operation; 14] = [
    &SHOP,
    &APP_SCOPES,
    &LOCATIONS,
    &VARIANTS,
    &BUNDLE_PARENTS,
    &PRODUCTS_CHANGED,
    &LOCATION_LEVELS,
    &LOCATION_LEVELS_SINCE,
    &ITEM_LEVELS,
    &ORDERS_CHANGED,
    &ORDER_LINES,
    &ORDER_REFUNDS,
    &ORDER_PLACEMENTS,
    &SET_QUANTITIES,
];

#[cfg(test)]
mod tests {
    use std::io::Read;

    use apollo_compiler::executable::{Selection, SelectionSet};
    use apollo_compiler::{ExecutableDocument, Schema};
    use serde_json::json;

    use super::{ALL, Operation};

    /// The simulator's vendored copy of the real 2026-07 Admin schema (same repository).
    static SDL_GZ: &[u8] = include_bytes!("../../sim/schema/admin_2026-07.graphql.gz");

    #[test]
    fn every_document_is_valid_against_the_admin_schema() {
        let mut sdl = String::new();
        flate2::read::GzDecoder::new(SDL_GZ)
            .read_to_string(&mut sdl)
            .expect("vendored schema decompresses");
        let schema = Schema::parse_and_validate(sdl, "admin_2026-07.graphql")
            .expect("vendored schema is valid");
        for op in ALL {
            let doc = ExecutableDocument::parse_and_validate(&schema, op.document, op.name);
            assert!(
                doc.is_ok(),
                "{} is invalid: {}",
                op.name,
                doc.err().map(|e| e.errors.to_string()).unwrap_or_default()
            );
            let doc = doc.expect("checked above");
            assert!(
                doc.operations.get(Some(op.name)).is_ok(),
                "{} must define an operation with the name the client sends",
                op.name
            );
        }
    }

    /// The variables each paged document is sent with, at full page size.
    fn paged() -> Vec<(&'static Operation, serde_json::Value)> {
        use super::*;
        let loc = "gid://shopify/Location/1";
        vec![
            (&SHOP, json!({})),
            (&LOCATIONS, json!({"first": LOCATIONS_PAGE})),
            (&VARIANTS, json!({"first": VARIANTS_PAGE, "query": null})),
            (
                &BUNDLE_PARENTS,
                json!({"first": BUNDLE_PARENTS_PAGE, "query": "requires_components:true"}),
            ),
            // A look's read of the parents changed since its mark costs the same.
            (
                &BUNDLE_PARENTS,
                json!({"first": BUNDLE_PARENTS_PAGE,
                    "query": "requires_components:true AND updated_at:>='2026-12-04T10:00:00Z'"}),
            ),
            (
                &PRODUCTS_CHANGED,
                json!({"first": PRODUCTS_PAGE, "query": "x"}),
            ),
            (
                &LOCATION_LEVELS,
                json!({"location": loc, "first": LEVELS_PAGE}),
            ),
            (
                &ITEM_LEVELS,
                json!({"location": loc, "first": ITEMS_PAGE, "query": "id:1"}),
            ),
            (&ORDERS_CHANGED, json!({"first": ORDERS_PAGE, "query": "x"})),
            (
                &ORDER_LINES,
                json!({"id": "gid://shopify/Order/1", "first": LINES_PAGE}),
            ),
            (&ORDER_REFUNDS, json!({"id": "gid://shopify/Order/1"})),
            (&ORDER_PLACEMENTS, json!({"id": "gid://shopify/Order/1"})),
        ]
    }

    /// Every page the client asks for fits the single-query limit by Shopify's reckoning (as the
    /// simulator computes it), and each cost hint is that cost, so the first request of each
    /// kind is paced right before Shopify has told the real figure.
    #[test]
    fn every_page_fits_the_single_query_limit_and_hints_match() {
        let schema = punte_sim::shopify::schema::schema().expect("vendored schema");
        for (op, vars) in paged() {
            let doc = ExecutableDocument::parse_and_validate(schema, op.document, op.name)
                .expect("valid");
            let operation = doc.operations.get(Some(op.name)).expect("named operation");
            let vars = vars.as_object().cloned().unwrap_or_default();
            let cost = punte_sim::shopify::cost_calc::requested_cost(&doc, operation, &vars);
            eprintln!("{}: {cost} points requested", op.name);
            assert!(cost <= 1000, "{} costs {cost}", op.name);
            assert_eq!(cost as f64, op.cost_hint, "{}: cost hint", op.name);
        }
    }

    /// No document selects a field the 2026-07 schema marks deprecated (e.g. `Location.isPrimary`).
    #[test]
    fn no_document_uses_a_deprecated_field() {
        let schema = punte_sim::shopify::schema::schema().expect("vendored schema");
        fn walk(doc: &ExecutableDocument, set: &SelectionSet, out: &mut Vec<String>) {
            for s in &set.selections {
                match s {
                    Selection::Field(f) => {
                        if f.definition.directives.get("deprecated").is_some() {
                            out.push(format!("{}.{}", set.ty, f.name));
                        }
                        walk(doc, &f.selection_set, out);
                    }
                    Selection::InlineFragment(f) => walk(doc, &f.selection_set, out),
                    Selection::FragmentSpread(s) => {
                        if let Some(f) = doc.fragments.get(&s.fragment_name) {
                            walk(doc, &f.selection_set, out);
                        }
                    }
                }
            }
        }
        let mut used = Vec::new();
        for op in ALL {
            let doc = ExecutableDocument::parse_and_validate(schema, op.document, op.name)
                .expect("valid");
            for operation in doc.operations.iter() {
                walk(&doc, &operation.selection_set, &mut used);
            }
        }
        assert!(used.is_empty(), "deprecated fields selected: {used:?}");
    }

    #[test]
    fn a_wrong_document_is_caught() {
        // Guards the test above: the schema really rejects what 2026-07 removed.
        let mut sdl = String::new();
        flate2::read::GzDecoder::new(SDL_GZ)
            .read_to_string(&mut sdl)
            .expect("vendored schema decompresses");
        let schema = Schema::parse_and_validate(sdl, "s").expect("valid");
        let bad = "mutation { inventorySetQuantities(input: {name: \"available\", reason: \"correction\", \
                   ignoreCompareQuantity: true, quantities: []}) { userErrors { code } } }";
        assert!(ExecutableDocument::parse_and_validate(&schema, bad, "bad").is_err());
    }
}
