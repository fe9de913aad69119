//! The `Mutation` root: routes `inventorySetQuantities` through the `@idempotent(key:)` store
//! (replay answers from the cache, a different payload under the same key is a mismatch).

use std::cell::RefCell;

use apollo_compiler::resolvers::{FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use chrono::{DateTime, Utc};
use serde_json_bytes::Value as JValue;

use super::catalog::R;
use super::inventory::{SetResult, set_quantities, user_error};
use super::model::{IdempotencyEntry, ShopState};
use super::page::not_simulated;

pub struct MutationRoot<'s, 'g> {
    pub st: RefCell<&'g mut ShopState>,
    pub now: DateTime<Utc>,
    pub vars: &'s serde_json::Map<String, serde_json::Value>,
}

impl ObjectValue for MutationRoot<'_, '_> {
    fn type_name(&self) -> &str {
        "Mutation"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        super::scopes::check_root(&self.st.borrow(), info.field_name(), true)?;
        match info.field_name() {
            "inventorySetQuantities" => {
                let key = self.idempotency_key(info)?;
                let input = info
                    .arguments()
                    .get("input")
                    .cloned()
                    .unwrap_or(JValue::Null);
                let fingerprint = serde_json::to_string(&input).unwrap_or_default();
                let mut st = self.st.borrow_mut();
                if st.in_progress > 0 {
                    st.in_progress -= 1;
                    let r = user_error(
                        "IDEMPOTENCY_CONCURRENT_REQUEST",
                        &[],
                        "This request is currently in progress, please try again.",
                    );
                    return Ok(ResolvedValue::object(r));
                }
                let scoped = format!("inventorySetQuantities:{key}");
                // Keys are remembered for 24 hours of simulated time.
                let horizon = self.now - chrono::TimeDelta::hours(24);
                st.idempotency.retain(|_, e| e.at > horizon);
                if let Some(prev) = st.idempotency.get(&scoped) {
                    if prev.fingerprint != fingerprint {
                        let r = user_error(
                            "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
                            &["input"],
                            "The same idempotency key cannot be used with different operation parameters.",
                        );
                        return Ok(ResolvedValue::object(r));
                    }
                    if !st.replay_reexecutes {
                        let cached = serde_json::from_value::<SetResult>(prev.result.clone());
                        return cached.map(ResolvedValue::object).map_err(|e| FieldError {
                            message: e.to_string(),
                        });
                    }
                }
                let result = set_quantities(&mut st, &input, self.now)?;
                let entry = IdempotencyEntry {
                    fingerprint,
                    result: serde_json::to_value(&result).unwrap_or_default(),
                    at: self.now,
                };
                st.idempotency.insert(scoped, entry);
                Ok(ResolvedValue::object(result))
            }
            _ => Err(not_simulated(info, "Mutation")),
        }
    }
}

impl MutationRoot<'_, '_> {
    fn idempotency_key(&self, info: &ResolveInfo<'_>) -> Result<String, FieldError> {
        let field = info.field_selections()[0];
        let value = field
            .directives
            .get("idempotent")
            .and_then(|d| d.specified_argument_by_name("key"));
        let key = match value {
            Some(v) => match v.as_variable() {
                Some(var) => self
                    .vars
                    .get(var.as_str())
                    .and_then(|v| v.as_str())
                    .map(str::to_owned),
                None => v.as_str().map(str::to_owned),
            },
            None => None,
        };
        match key {
            Some(k) if !k.is_empty() => Ok(k),
            _ => Err(FieldError {
                message: "Idempotency key cannot be an empty string.".into(),
            }),
        }
    }
}
