//! Command arguments that never fail in Tauri's own deserialiser. Tauri turns a missing or
//! mistyped argument into raw serde text (``invalid args `id` for command `order_detail`:
//! invalid type: string "1", expected u64``) before the command runs; an [`Arg<T>`] accepts
//! any JSON (or none) and the command itself refuses a bad one with `input.invalid` in
//! Romanian and English, naming the argument. Every command argument the web view sends is
//! an `Arg`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Visitor};

use crate::CommandError;

/// One command argument as sent, checked when the command takes it with [`Arg::get`].
#[derive(Debug)]
pub struct Arg<T>(Result<T, ()>);

impl<T> Arg<T> {
    /// The value, or `input.invalid` naming `name` when it was missing or of the wrong shape.
    pub fn get(self, name: &str) -> Result<T, CommandError> {
        self.0.map_err(|()| {
            CommandError::new(
                "input.invalid",
                format!(
                    "Valoarea „{name}” lipsește sau nu are forma cerută / The value `{name}` is \
                     missing or not in the expected form"
                ),
            )
            .with("arg", name)
        })
    }
}

impl<T> From<T> for Arg<T> {
    fn from(value: T) -> Self {
        Self(Ok(value))
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Arg<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Tauri answers `deserialize_option` with `visit_none` for a missing key, so a missing
        // argument reaches the command too.
        d.deserialize_option(ArgVisitor(PhantomData))
    }
}

struct ArgVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for ArgVisitor<T> {
    type Value = Arg<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        // `null` or absent: fine for an optional argument, refused otherwise.
        Ok(Arg(
            serde_json::from_value(serde_json::Value::Null).map_err(|_| ())
        ))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        Ok(Arg(serde_json::from_value(value).map_err(|_| ())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg<T: DeserializeOwned>(json: &str) -> Result<T, CommandError> {
        let wrapped: Option<Arg<T>> = serde_json::from_str::<serde_json::Value>(json)
            .ok()
            .map(|v| serde_json::from_value(v).expect("Arg takes any JSON"));
        wrapped.expect("valid JSON").get("id")
    }

    #[test]
    fn any_json_is_taken_and_a_bad_one_is_refused_in_both_languages() {
        assert_eq!(arg::<u64>("7").expect("a number"), 7);
        for bad in ["\"1\"", "-1", "1.5", "[]", "{}", "null"] {
            let err = arg::<u64>(bad).expect_err(bad);
            assert_eq!(err.code, "input.invalid");
            assert!(err.message.contains("„id”") && err.message.contains("`id`"));
            assert!(!err.message.contains("invalid type"), "{}", err.message);
        }
        assert_eq!(arg::<Option<bool>>("null").expect("optional"), None);
    }
}
