//! Small JSON helpers shared by the billing simulators, so quantities and prices keep exact
//! decimal values on the wire without passing through floating point.

use rust_decimal::Decimal;
use serde_json::Value;

/// A decimal as a JSON number, integral values without a fraction (`8`, `12.5`).
pub fn number(d: Decimal) -> Value {
    let text = d.normalize().to_string();
    match text.parse::<i64>() {
        Ok(n) => Value::from(n),
        Err(_) => {
            serde_json::from_str::<serde_json::Number>(&text).map_or(Value::Null, Value::Number)
        }
    }
}

/// A JSON number as a decimal (parsed from its text, not through f64).
pub fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Unpredictable-enough hex for tokens (the simulators need uniqueness, not secrecy).
pub fn fresh_hex(seed: &str) -> String {
    use sha1::{Digest, Sha1};
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let digest = Sha1::digest(format!("{seed}:{nanos}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
