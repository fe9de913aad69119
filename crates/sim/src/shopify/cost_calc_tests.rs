use apollo_compiler::ExecutableDocument;
use serde_json::{Map, Value, json};

use super::{actual_cost, multiplier, requested_cost};
use crate::shopify::schema::schema;

fn vars(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn requested(query: &str, v: Value) -> u64 {
    let schema = schema().expect("vendored schema");
    let doc = ExecutableDocument::parse_and_validate(schema, query, "q.graphql").expect("valid");
    let op = doc.operations.get(None).expect("one operation");
    requested_cost(&doc, op, &vars(v))
}

fn actual(query: &str, v: Value, data: Value) -> u64 {
    let schema = schema().expect("vendored schema");
    let doc = ExecutableDocument::parse_and_validate(schema, query, "q.graphql").expect("valid");
    let op = doc.operations.get(None).expect("one operation");
    actual_cost(&doc, op, &vars(v), Some(&data))
}

#[test]
fn the_multiplier_grows_with_the_log_of_the_page() {
    let table = [
        (0, 0),
        (1, 1),
        (2, 1),
        (5, 3),
        (10, 4),
        (50, 7),
        (100, 9),
        (250, 11),
    ];
    for (n, m) in table {
        assert_eq!(multiplier(n), m, "first: {n}");
    }
}

/// The public report (community.shopify.dev/t/…/23101): real Shopify charged 25 requested and 1
/// actual (the product did not exist); a linear `first × children` reckoning says 503.
#[test]
fn reproduces_the_publicly_reported_variants_query() {
    let q = "query getVariantsInventoryItem($id: ID!) { product(id: $id) { variants(first: 250) {
        nodes { inventoryItem { id tracked } } } } }";
    let v = json!({"id": "gid://shopify/Product/1"});
    assert_eq!(requested(q, v.clone()), 25);
    assert_eq!(actual(q, v, json!({"product": null})), 1);
}

#[test]
fn page_info_and_cursors_are_free_and_edges_equal_nodes() {
    let nodes = "{ products(first: 10) { nodes { id title } } }";
    let with_page = "{ products(first: 10) { nodes { id } pageInfo { hasNextPage endCursor } } }";
    let edges = "{ products(first: 10) { edges { cursor node { id title } } } }";
    assert_eq!(requested(nodes, json!({})), 2 + 4);
    assert_eq!(
        requested(with_page, json!({})),
        2 + 4,
        "pageInfo is not multiplied"
    );
    assert_eq!(
        requested(edges, json!({})),
        2 + 4,
        "an edge and its node are one object"
    );
}

#[test]
fn nested_connections_multiply_and_plain_objects_add_one() {
    // location 1 + levels connection 2 + 11 × (node 1 + item 1 + quantities list 1).
    let q = "query L($first: Int!) { location { inventoryLevels(first: $first) { nodes {
        item { id sku } quantities(names: [\"available\"]) { name quantity } } } } }";
    assert_eq!(requested(q, json!({"first": 250})), 1 + 2 + 11 * 3);
    assert_eq!(requested(q, json!({"first": 0})), 1 + 2);
}

#[test]
fn mutations_cost_ten_whatever_they_select() {
    let q = r#"mutation { inventorySetQuantities(input: {name: "available", reason: "correction",
        quantities: []}) @idempotent(key: "k") { inventoryAdjustmentGroup { changes { name } }
        userErrors { code } } }"#;
    assert_eq!(requested(q, json!({})), 10);
    assert_eq!(
        actual(q, json!({}), json!({"inventorySetQuantities": null})),
        10
    );
}

#[test]
fn actual_cost_follows_what_came_back() {
    let q = "{ products(first: 250) { nodes { id variants(first: 10) { nodes { sku } } } } }";
    // Requested: 2 + 11 × (1 + 2 + 4 × 1) = 79.
    assert_eq!(requested(q, json!({})), 79);
    let one = json!({"nodes": [{"sku": "A"}]});
    let data = json!({"products": {"nodes": [{"id": "p1", "variants": one}, {"id": "p2",
        "variants": {"nodes": []}}]}});
    // Two products came back: 2 + m(2) × (1 + (2 + m(1) × 1)) = 2 + 1 × 4 = 6.
    assert_eq!(actual(q, json!({}), data), 6);
    assert_eq!(
        actual(q, json!({}), json!({"products": {"nodes": []}})),
        2,
        "an empty page costs the connection only"
    );
}
