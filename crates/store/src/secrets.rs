//! Keeping credentials out of the database file. Settings are checked and refused: a key (at any
//! depth of the JSON) that names a credential, or a value that looks like an access token. Free
//! text that may echo a service's answer (run details, outbox errors, findings, notifications,
//! history and audit reasons) is redacted instead, because refusing it would lose the record.
//!
//! "Looks like a token", deliberately broad but not paranoid: Shopify's `shpat_`/`shpss_`/
//! `shpca_`/`shppa_` prefixes; a JWT (`eyJ…`); a run of 32+ hex digits with letters and digits
//! (API keys such as SmartBill's or Oblio's) or of 32+ letters and digits in mixed case; 40+
//! base64 characters with upper, lower and digits. UUIDs, SKUs (even long upper-case ones),
//! barcodes, shop domains, Shopify GIDs and ordinary text do not match.

use std::borrow::Cow;

use crate::error::{Result, StoreError};

/// Words that mark a key as a credential; such settings go to the keychain instead.
const SECRET_MARKERS: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "apikey",
    "api_key",
    "credential",
    "private",
];

const TOKEN_PREFIXES: &[&str] = &["shpat_", "shpss_", "shpca_", "shppa_"];

/// What replaces a token in free text.
pub const REDACTED: &str = "[redacted]";

/// Whether a setting key names a credential.
pub(crate) fn key_is_secret(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    SECRET_MARKERS.iter().any(|m| lower.contains(m))
}

fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '/' | '=')
}

/// Whether one word (a maximal run of token characters) is a credential.
fn word_is_token(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    if TOKEN_PREFIXES.iter().any(|p| lower.contains(p)) {
        return true;
    }
    if word.starts_with("eyJ") && word.len() >= 30 {
        return true;
    }
    let digit = |s: &str| s.bytes().any(|b| b.is_ascii_digit());
    let hex_key = |s: &str| {
        digit(s)
            && s.bytes().any(|b| b.is_ascii_alphabetic())
            && s.bytes().all(|b| b.is_ascii_hexdigit())
    };
    // Mixed case as well as digits: random-looking, unlike a long upper-case SKU.
    let random = |s: &str| {
        digit(s)
            && s.bytes().any(|b| b.is_ascii_uppercase())
            && s.bytes().any(|b| b.is_ascii_lowercase())
    };
    let long_alnum = word
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|run| run.len() >= 32 && (hex_key(run) || random(run)));
    let base64 = word.len() >= 40
        && word.bytes().any(|b| b.is_ascii_uppercase())
        && word.bytes().any(|b| b.is_ascii_lowercase())
        && word.bytes().any(|b| b.is_ascii_digit());
    long_alnum || base64
}

/// Whether `text` contains something that looks like a token.
pub(crate) fn has_token(text: &str) -> bool {
    text.split(|c: char| !token_char(c)).any(word_is_token)
}

/// `text` with every token-looking word replaced by [`REDACTED`].
pub(crate) fn redact(text: &str) -> Cow<'_, str> {
    if !has_token(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(if word_is_token(word) { REDACTED } else { word });
        word.clear();
    };
    for c in text.chars() {
        if token_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    Cow::Owned(out)
}

/// [`redact`] for optional text.
pub(crate) fn redact_opt(text: Option<&str>) -> Option<Cow<'_, str>> {
    text.map(redact)
}

/// Refuses a setting whose key, any nested key, or any string value looks like a credential.
pub(crate) fn check_setting(key: &str, value: &serde_json::Value) -> Result<()> {
    if key_is_secret(key) {
        return Err(StoreError::SecretRefused(key.to_owned()));
    }
    check_value(key, value)
}

fn check_value(path: &str, value: &serde_json::Value) -> Result<()> {
    use serde_json::Value;
    match value {
        Value::String(s) if has_token(s) => Err(StoreError::SecretValueRefused(path.to_owned())),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check_value(&format!("{path}[{i}]"), v)),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            let nested = format!("{path}.{k}");
            if key_is_secret(k) {
                return Err(StoreError::SecretRefused(nested));
            }
            check_value(&nested, v)
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_recognised_and_ordinary_text_is_not() {
        for t in [
            "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",
            "shpss_abc",
            "0f3c9a1b2d4e5f60718293a4b5c6d7e8",
            "dGhpcyBpcyBhIHNlY3JldCBBUEkga2V5IDEyMzQ1Njc4OTA=",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
        ] {
            assert!(has_token(t), "{t}");
            assert_eq!(
                redact(&format!("HTTP 401: bad key {t}!")),
                "HTTP 401: bad key [redacted]!"
            );
        }
        for t in [
            "123e4567-e89b-12d3-a456-426614174000",
            "magazin-test.myshopify.com",
            "gid://shopify/Location/123456789",
            "SKU-000123",
            "ABC123DEF456GHI789JKL012MNO345PQRS",
            "5941234567890123456789012345678901",
            "Comanda #1001 a fost anulată de client",
            "https://ecommerce.smartbill.ro/api/invoice?cif=RO12345678",
        ] {
            assert!(!has_token(t), "{t}");
        }
    }
}
