//! The GraphQL documents, kept as `.graphql` files so they can be read, diffed and validated
//! against the vendored Admin schema as written (see the test below).

use crate::retry::Replay;
use crate::transport::Operation;

pub(crate) const SHOP: Operation = read("Shop", include_str!("graphql/shop.graphql"), 2.0);
pub(crate) const LOCATIONS: Operation = read(
    "Locations",
    include_str!("graphql/locations.graphql"),
    200.0,
);
pub(crate) const VARIANTS: Operation =
    read("Variants", include_str!("graphql/variants.graphql"), 752.0);
pub(crate) const PRODUCTS_CHANGED: Operation = read(
    "ProductsChanged",
    include_str!("graphql/products_changed.graphql"),
    850.0,
);
pub(crate) const LOCATION_LEVELS: Operation = read(
    "LocationLevels",
    include_str!("graphql/location_levels.graphql"),
    1000.0,
);
/// As LOCATION_LEVELS, with each level's `updatedAt` and an optional `updated_at` filter.
pub(crate) const LOCATION_LEVELS_SINCE: Operation = read(
    "LocationLevelsSince",
    include_str!("graphql/location_levels_since.graphql"),
    1000.0,
);
pub(crate) const ITEM_LEVELS: Operation = read(
    "ItemLevels",
    include_str!("graphql/item_levels.graphql"),
    500.0,
);
/// 5 orders × (10 lines with allocations and tax lines, 3 shipping lines): 832 points by
/// Shopify's formula (2 + first × children per connection).
pub(crate) const ORDERS_CHANGED: Operation = read(
    "OrdersChanged",
    concat!(
        include_str!("graphql/orders_changed.graphql"),
        include_str!("graphql/line_fields.graphql")
    ),
    840.0,
);
pub(crate) const ORDER_LINES: Operation = read(
    "OrderLines",
    concat!(
        include_str!("graphql/order_lines.graphql"),
        include_str!("graphql/line_fields.graphql")
    ),
    700.0,
);
/// Only for orders that lost units: 5 refunds of up to 15 lines each keeps it near 700 points.
pub(crate) const ORDER_REFUNDS: Operation = read(
    "OrderRefunds",
    include_str!("graphql/order_refunds.graphql"),
    700.0,
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
pub(crate) const ALL: [&Operation; 11] = [
    &SHOP,
    &LOCATIONS,
    &VARIANTS,
    &PRODUCTS_CHANGED,
    &LOCATION_LEVELS,
    &LOCATION_LEVELS_SINCE,
    &ITEM_LEVELS,
    &ORDERS_CHANGED,
    &ORDER_LINES,
    &ORDER_REFUNDS,
    &SET_QUANTITIES,
];

#[cfg(test)]
mod tests {
    use std::io::Read;

    use apollo_compiler::{ExecutableDocument, Schema};

    use super::ALL;

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
