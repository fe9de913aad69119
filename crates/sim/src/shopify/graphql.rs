//! `POST /admin/api/{version}/graphql.json`: token check, schema validation, the `@idempotent`
//! requirement, cost and throttle, then execution against the shop state.

use std::cell::RefCell;

use apollo_compiler::ExecutableDocument;
use apollo_compiler::executable::{OperationType, Selection};
use apollo_compiler::resolvers::Execution;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::cost_calc::{actual_cost, requested_cost};
use super::mutation::MutationRoot;
use super::query::QueryRoot;
use super::{API_VERSION, Shopify, auth, schema};

/// Mutations that Shopify refuses at run time without `@idempotent(key:)` (from 2026-04).
const IDEMPOTENT_REQUIRED: [&str; 8] = [
    "inventorySetQuantities",
    "inventoryAdjustQuantities",
    "inventoryMoveQuantities",
    "inventorySetOnHandQuantities",
    "inventoryActivate",
    "refundCreate",
    "inventoryDeactivate",
    "inventoryBulkToggleActivation",
];

pub async fn graphql(
    State(sim): State<Shopify>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = auth::check_token(&sim, &headers) {
        return r;
    }
    if version != API_VERSION {
        let msg = format!("punte-sim serves only API version {API_VERSION}, not {version}");
        return (StatusCode::NOT_FOUND, Json(json!({"errors": msg}))).into_response();
    }
    let request: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => return bad_request(),
    };
    let Some(query) = request.get("query").and_then(Value::as_str) else {
        return bad_request();
    };
    let vars = request
        .get("variables")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let vars_json = vars.clone();
    let op_name = request.get("operationName").and_then(Value::as_str);
    let Ok(schema) = schema::schema() else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "schema unavailable").into_response();
    };
    let doc = match ExecutableDocument::parse_and_validate(schema, query, "query.graphql") {
        Ok(d) => d,
        Err(e) => return errors_only(schema::validation_errors(&e.errors, query), None),
    };
    let op = match doc.operations.get(op_name) {
        Ok(op) => op,
        Err(e) => return errors_only(vec![json!({"message": e.message().to_string()})], None),
    };
    if let Some(err) = missing_idempotency(op) {
        return errors_only(vec![err], None);
    }
    if let Some(err) = int_out_of_range(&vars) {
        return errors_only(vec![err], None);
    }
    let cost = requested_cost(&doc, op, &vars);
    let now = sim.clock.now();
    let mut st = sim.lock();
    st.listed_late.retain(|_, until| *until > now);
    if let Some(item) = st.refuse_item
        && op.operation_type == OperationType::Mutation
        && body_names_item(&vars, item)
    {
        let err = json!({"message": "Variable $input of type InventorySetQuantitiesInput! was \
            provided invalid value", "extensions": {"code": "INVALID_VARIABLE", "problems":
            [{"explanation": "Invalid global id"}]}});
        return errors_only(vec![err], None);
    }
    let max = st.max_query_cost;
    if cost > max {
        let msg = format!(
            "Query cost is {cost}, which exceeds the single query max cost limit ({max}).\n\n\
             See https://shopify.dev/api/usage/rate-limits for more information on how the\n\
             cost of a query is calculated.\n\n\
             To query larger amounts of data with fewer limits, bulk operations should be used instead.\n\
             See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n"
        );
        let err = json!({"message": msg, "extensions": {"code": "MAX_COST_EXCEEDED",
            "cost": cost, "maxCost": max,
            "documentation": "https://shopify.dev/api/usage/rate-limits"}});
        return errors_only(vec![err], Some(st.bucket.extensions(cost, None)));
    }
    if !st.bucket.charge(cost, now) {
        let err = json!({"message": "Throttled", "extensions": {"code": "THROTTLED",
            "documentation": "https://shopify.dev/api/usage/rate-limits"}});
        let mut r = errors_only(vec![err], Some(st.bucket.extensions(cost, None)));
        *r.status_mut() = st.throttle_status;
        return r;
    }
    let vars_bytes: serde_json_bytes::Map<_, _> = match serde_json::from_value(Value::Object(vars))
    {
        Ok(m) => m,
        Err(_) => return bad_request(),
    };
    let exec = Execution::new(schema, &doc)
        .operation(op)
        .raw_variable_values(&vars_bytes);
    let result = if op.operation_type == OperationType::Mutation {
        let root = MutationRoot {
            st: RefCell::new(&mut st),
            now,
            vars: &vars_json,
        };
        exec.execute_sync(&root)
    } else {
        exec.execute_sync(&QueryRoot { st: &st })
    };
    match result {
        Ok(resp) => {
            let mut out = serde_json::to_value(&resp).unwrap_or_default();
            strip_resolver_prefix(&mut out);
            // Charged the requested cost up front; refunded down to what the answer cost.
            let actual = actual_cost(&doc, op, &vars_json, out.get("data")).min(cost);
            st.bucket.refund(cost - actual);
            let extensions = st.bucket.extensions(cost, Some(actual));
            drop(st);
            if let Some(obj) = out.as_object_mut() {
                obj.insert("extensions".into(), extensions);
            }
            Json(out).into_response()
        }
        Err(e) => {
            let extensions = st.bucket.extensions(cost, Some(cost));
            drop(st);
            let explanation = e
                .message()
                .to_string()
                .replace("Input object has key", "Field");
            let err = json!({"message": format!("Variable value invalid: {explanation}"),
                "extensions": {"code": "INVALID_VARIABLE", "problems": [{"explanation":
                explanation.replace(" not in type ", " is not defined on ")}]}});
            errors_only(vec![err], Some(extensions))
        }
    }
}

/// Shopify answers a body without `query` with HTTP 400 and this shape.
fn bad_request() -> Response {
    let body = json!({"errors": {"query": "Required parameter missing or invalid"}});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

fn errors_only(errors: Vec<Value>, extensions: Option<Value>) -> Response {
    let mut body = Map::new();
    body.insert("errors".into(), Value::Array(errors));
    if let Some(ext) = extensions {
        body.insert("extensions".into(), ext);
    }
    Json(Value::Object(body)).into_response()
}

/// The runtime error for a mutation that needs `@idempotent(key:)` and lacks it (or its key is empty).
fn missing_idempotency(op: &apollo_compiler::executable::Operation) -> Option<Value> {
    if op.operation_type != OperationType::Mutation {
        return None;
    }
    op.selection_set.selections.iter().find_map(|s| {
        let Selection::Field(f) = s else { return None };
        if !IDEMPOTENT_REQUIRED.contains(&f.name.as_str()) {
            return None;
        }
        let path = json!([f.response_key().as_str()]);
        match f.directives.get("idempotent") {
            None => Some(json!({"message":
                "The @idempotent directive is required for this mutation but was not provided.",
                "extensions": {"code": "BAD_REQUEST"}, "path": path})),
            Some(d) => match d.specified_argument_by_name("key").and_then(|v| v.as_str()) {
                Some("") => Some(
                    json!({"message": "Idempotency key cannot be an empty string.",
                    "extensions": {"code": "BAD_REQUEST"}, "path": path}),
                ),
                _ => None,
            },
        }
    })
}

/// A quantity beyond a GraphQL `Int` (32 bits) in an `inventorySetQuantities` input: Shopify
/// (graphql-ruby) refuses the whole request before running it, naming the row, e.g. "Variable
/// $input of type InventorySetQuantitiesInput! was provided invalid value for
/// quantities.1.quantity (Could not coerce value 3000000000 to Int)".
fn int_out_of_range(vars: &Map<String, Value>) -> Option<Value> {
    for (name, value) in vars {
        let Some(rows) = value.get("quantities").and_then(Value::as_array) else {
            continue;
        };
        for (i, row) in rows.iter().enumerate() {
            for field in ["quantity", "changeFromQuantity"] {
                let Some(n) = row.get(field).filter(|v| v.is_number()) else {
                    continue;
                };
                if n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()) {
                    continue;
                }
                let explanation = format!("Could not coerce value {n} to Int");
                let message = format!(
                    "Variable ${name} of type InventorySetQuantitiesInput! was provided invalid \
                     value for quantities.{i}.{field} ({explanation})"
                );
                return Some(json!({"message": message, "extensions": {"value": value,
                    "problems": [{"path": ["quantities", i, field], "explanation": explanation}]}}));
            }
        }
    }
    None
}

fn body_names_item(vars: &Map<String, Value>, item: u64) -> bool {
    let wanted = format!("gid://shopify/InventoryItem/{item}");
    vars.values()
        .filter_map(|v| v.get("quantities").and_then(Value::as_array))
        .flatten()
        .any(|row| row.get("inventoryItemId").and_then(Value::as_str) == Some(wanted.as_str()))
}

/// apollo-compiler prefixes field errors with "resolver error: "; Shopify's messages have none.
/// A withheld protected field gets `extensions.code: ACCESS_DENIED`; a field the granted scopes do
/// not open gets the same code and the access-scopes page (`scopes.rs`).
fn strip_resolver_prefix(out: &mut Value) {
    let Some(errors) = out.get_mut("errors").and_then(Value::as_array_mut) else {
        return;
    };
    for e in errors {
        if let Some(Value::String(m)) = e.get_mut("message")
            && let Some(rest) = m.strip_prefix("resolver error: ")
        {
            *m = rest.to_owned();
        }
        let message = e.get("message").and_then(Value::as_str).unwrap_or_default();
        let withheld = message == super::order_parts::WITHHELD;
        let scope = message.starts_with(super::scopes::DENIED_PREFIX);
        if let Some(obj) = e.as_object_mut() {
            if withheld {
                obj.insert("extensions".into(), json!({"code": "ACCESS_DENIED"}));
            } else if scope {
                obj.insert(
                    "extensions".into(),
                    json!({"code": "ACCESS_DENIED",
                        "documentation": "https://shopify.dev/api/usage/access-scopes"}),
                );
            }
        }
    }
}
