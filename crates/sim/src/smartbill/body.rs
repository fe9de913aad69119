//! Validation of SmartBill request bodies against the schemas of the vendored OpenAPI document:
//! unknown properties and wrong JSON types are refused with 400 `json_mapping_error`, as the
//! real service's Jackson mapping does.

use std::io::Read;
use std::sync::OnceLock;

use flate2::read::GzDecoder;
use serde_json::Value;

static SPEC_GZ: &[u8] = include_bytes!("../../spec/smartbill-openapi-spec.json.gz");
static SPEC: OnceLock<Value> = OnceLock::new();

fn spec() -> &'static Value {
    SPEC.get_or_init(|| {
        let mut text = String::new();
        let ok = GzDecoder::new(SPEC_GZ).read_to_string(&mut text).is_ok();
        if ok {
            serde_json::from_str(&text).unwrap_or(Value::Null)
        } else {
            Value::Null
        }
    })
}

/// A body that does not map onto the schema.
#[derive(Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct MappingError {
    pub message: String,
    pub param: String,
}

/// The request schema of `method path` (path as in the spec, e.g. `/invoice/v2`).
pub fn request_schema(path: &str, method: &str) -> Option<&'static Value> {
    spec()
        .get("paths")?
        .get(path)?
        .get(method)?
        .get("requestBody")?
        .get("content")?
        .get("application/json")?
        .get("schema")
}

fn resolve(schema: &'static Value) -> &'static Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            spec()
                .pointer(&format!("/components/schemas/{name}"))
                .unwrap_or(&Value::Null)
        }
        None => schema,
    }
}

/// Checks `value` against `schema`; `at` is the dotted path for messages.
pub fn validate(schema: &'static Value, value: &Value, at: &str) -> Result<(), MappingError> {
    let schema = resolve(schema);
    let kind = schema.get("type").and_then(Value::as_str);
    let type_ok = match (kind, value) {
        (_, Value::Null) | (None, _) => true,
        (Some("object"), Value::Object(_)) | (Some("array"), Value::Array(_)) => true,
        (Some("string"), Value::String(_)) | (Some("boolean"), Value::Bool(_)) => true,
        // The spec's format rules: "campurile de tip boolean accepta si `1` / `0`".
        (Some("boolean"), Value::Number(n)) => n.as_u64().is_some_and(|v| v <= 1),
        (Some("number"), Value::Number(_)) => true,
        (Some("integer"), Value::Number(n)) => n.is_i64() || n.is_u64(),
        _ => false,
    };
    if !type_ok {
        return Err(MappingError {
            message: format!(
                "Cannot deserialize value of type `{}` from {} at {at}.",
                kind.unwrap_or("?"),
                json_kind(value)
            ),
            param: at.to_owned(),
        });
    }
    if let (Some(allowed), Some(s)) = (schema.get("enum").and_then(Value::as_array), value.as_str())
        && !allowed.iter().any(|a| a.as_str() == Some(s))
    {
        return Err(MappingError {
            message: format!("Cannot deserialize value \"{s}\": not one of the values accepted."),
            param: at.to_owned(),
        });
    }
    match value {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            for (key, v) in map {
                let Some(sub) = props.and_then(|p| p.get(key)) else {
                    return Err(MappingError {
                        message: format!("Unrecognized property: {key}."),
                        param: key.clone(),
                    });
                };
                let path = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                validate(sub, v, &path)?;
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    validate(sub, v, &format!("{at}[{i}]"))?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_nested_property_and_wrong_type_are_refused() {
        let schema = request_schema("/invoice/v2", "post").expect("spec has /invoice/v2");
        let ok = json!({"companyVatCode": "RO1", "seriesName": "FCT", "client": {"name": "A",
            "country": "Romania"}, "products": [{"name": "x", "quantity": 1, "price": 1,
            "measuringUnitName": "buc", "taxPercentage": 21, "warehouseName": "D"}]});
        assert_eq!(validate(schema, &ok, ""), Ok(()));
        let mut bad = ok.clone();
        bad["products"][0]["zzz"] = json!(1);
        assert_eq!(validate(schema, &bad, "").unwrap_err().param, "zzz");
        let mut bad = ok;
        bad["useStock"] = json!("yes");
        assert!(
            validate(schema, &bad, "").is_err(),
            "a string is not a boolean"
        );
        let mut ones = json!({"companyVatCode": "RO1", "seriesName": "FCT", "useStock": 1,
            "isDraft": 0, "client": {"name": "A", "country": "Romania", "isTaxPayer": 0},
            "products": [{"name": "x", "quantity": 1, "price": 1, "measuringUnitName": "buc",
            "taxPercentage": 21, "isTaxIncluded": 1}]});
        assert_eq!(validate(schema, &ones, ""), Ok(()), "booleans as 1/0");
        ones["useStock"] = json!(2);
        assert!(validate(schema, &ones, "").is_err(), "2 is not a boolean");
    }
}
