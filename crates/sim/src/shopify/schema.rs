//! The vendored Shopify Admin GraphQL schema (2026-07), decompressed and validated once per
//! process, and the translation of validation diagnostics into Shopify's error shape.

use std::io::Read;
use std::sync::OnceLock;

use apollo_compiler::Schema;
use apollo_compiler::validation::{DiagnosticList, Valid};
use flate2::read::GzDecoder;
use serde_json::{Value, json};

use crate::SimError;

static SDL_GZ: &[u8] = include_bytes!("../../schema/admin_2026-07.graphql.gz");
static SCHEMA: OnceLock<Result<Valid<Schema>, String>> = OnceLock::new();

/// The parsed Admin schema, shared by every Shopify simulator in the process.
pub fn schema() -> Result<&'static Valid<Schema>, SimError> {
    SCHEMA
        .get_or_init(load)
        .as_ref()
        .map_err(|e| SimError::Schema(e.clone()))
}

fn load() -> Result<Valid<Schema>, String> {
    let mut sdl = String::new();
    GzDecoder::new(SDL_GZ)
        .read_to_string(&mut sdl)
        .map_err(|e| e.to_string())?;
    Schema::parse_and_validate(sdl, "admin_2026-07.graphql").map_err(|e| e.errors.to_string())
}

/// Shopify-style `errors` entries for a document (`source`) that failed validation.
pub fn validation_errors(diagnostics: &DiagnosticList, source: &str) -> Vec<Value> {
    diagnostics
        .iter()
        .map(|d| {
            let e = d.to_json();
            let at = e.locations.first().map(|l| (l.line, l.column));
            let literal =
                at.and_then(|(line, col)| literal_mismatch(&e.message, source, line, col));
            let (message, code) = literal.unwrap_or_else(|| shopify_message(&e.message));
            let locations: Vec<Value> = e
                .locations
                .iter()
                .map(|l| json!({"line": l.line, "column": l.column}))
                .collect();
            json!({"message": message, "locations": locations, "extensions": {"code": code}})
        })
        .collect()
}

/// "Argument 'first' on Field 'products' has an invalid value (\"ten\"). Expected type 'Int'.",
/// recovered from the source text around the offending literal.
fn literal_mismatch(
    apollo: &str,
    source: &str,
    line: usize,
    col: usize,
) -> Option<(String, &'static str)> {
    let expected = apollo
        .strip_prefix("expected value of type ")?
        .split(',')
        .next()?;
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let (before, after) = text.split_at(col.checked_sub(1)?.min(text.len()));
    let ident = |s: &str| -> String {
        let t = s.trim_end();
        let start = t
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        t[start..].to_owned()
    };
    let arg = ident(before.trim_end().strip_suffix(':')?);
    let field = ident(&before[..before.rfind('(')?]);
    let value: String = after
        .chars()
        .take_while(|c| *c != ',' && *c != ')')
        .collect();
    Some((
        format!(
            "Argument '{arg}' on Field '{field}' has an invalid value ({}). Expected type '{expected}'.",
            value.trim()
        ),
        "argumentLiteralsIncompatible",
    ))
}

/// "'@idempotent' can't be applied to mutations (allowed: fields)", with the allowed locations
/// read from the schema.
fn misplaced_directive(name: &str, place: &str) -> String {
    let allowed: Vec<String> = schema()
        .ok()
        .and_then(|s| s.directive_definitions.get(name))
        .map(|d| {
            d.locations
                .iter()
                .map(|l| format!("{}s", l.name().to_lowercase()))
                .collect()
        })
        .unwrap_or_default();
    let place = format!("{}s", place.to_lowercase());
    format!(
        "'@{name}' can't be applied to {place} (allowed: {})",
        allowed.join(", ")
    )
}

/// Rewrites apollo-compiler's wording into the GraphQL-Ruby wording Shopify answers with.
fn shopify_message(apollo: &str) -> (String, &'static str) {
    let quoted: Vec<&str> = apollo.split('`').skip(1).step_by(2).collect();
    if apollo.contains("does not have a field") && quoted.len() >= 2 {
        return (
            format!(
                "Field '{}' doesn't exist on type '{}'",
                quoted[1], quoted[0]
            ),
            "undefinedField",
        );
    }
    if (apollo.contains("is not supported by") || apollo.starts_with("the argument"))
        && let [arg, field, ..] = quoted.as_slice()
    {
        return (
            format!("Field '{field}' doesn't accept argument '{arg}'"),
            "argumentNotAccepted",
        );
    }
    if apollo.contains("input object") && apollo.contains("does not have a field") {
        return (apollo.to_owned(), "argumentNotAccepted");
    }
    if let Some(name) = apollo.strip_suffix(" location").and_then(|m| {
        let (name, place) = m.split_once(" directive is not supported for ")?;
        Some((name, place))
    }) {
        return (
            misplaced_directive(name.0, name.1),
            "directiveCannotBeApplied",
        );
    }
    if let Some(var) = apollo
        .strip_prefix("unused variable: `")
        .and_then(|v| v.strip_suffix('`'))
    {
        return (
            format!("Variable {var} is declared but not used"),
            "variableNotUsed",
        );
    }
    if apollo.contains("directive") {
        return (apollo.to_owned(), "directiveCannotBeApplied");
    }
    if apollo.contains("syntax error") || apollo.starts_with("expected") {
        return (apollo.to_owned(), "parseError");
    }
    (apollo.to_owned(), "validationError")
}
