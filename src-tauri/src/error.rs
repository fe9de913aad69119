//! The one error shape the UI receives: a stable `code` to branch on, a plain `message` in
//! Romanian and English ("ro / en"), and the `params` the sentence names (an order, a product,
//! a service's own words). The window words each code in its language from `code` and
//! `params` (ui/src/lib/i18n, `error.*`); `message` is the fallback and what logs show. The UI
//! never matches on message text.

use std::collections::BTreeMap;

use serde::Serialize;

/// An error returned by a command, serialised as `{ "code", "message", "params"? }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

impl CommandError {
    /// An error whose message is "ro / en" (the shell's convention): the two halves also go to
    /// `params.ro` and `params.en`, so the window shows only its language.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut params = BTreeMap::new();
        if message.matches(" / ").count() == 1
            && let Some((ro, en)) = message.split_once(" / ")
        {
            params.insert("ro".to_owned(), ro.trim().to_owned());
            params.insert("en".to_owned(), en.trim().to_owned());
        }
        Self {
            code,
            message,
            params,
        }
    }

    /// An error worded in both languages.
    pub fn bilingual(code: &'static str, ro: impl Into<String>, en: impl Into<String>) -> Self {
        let (ro, en) = (ro.into(), en.into());
        Self::new(code, String::new())
            .with("ro", ro.clone())
            .with("en", en.clone())
            .message(format!("{ro} / {en}"))
    }

    fn message(mut self, message: String) -> Self {
        self.message = message;
        self
    }

    /// Adds a parameter the wording names.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.params.insert(name.to_owned(), value.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_code_message_and_params() {
        let json =
            serde_json::to_value(CommandError::new("store.locked", "Baza de date e ocupată"))
                .expect("a plain struct always serialises");
        assert_eq!(
            json,
            serde_json::json!({"code": "store.locked", "message": "Baza de date e ocupată"})
        );
        let json =
            serde_json::to_value(CommandError::new("input.invalid", "x / y").with("arg", "id"))
                .expect("serialises");
        assert_eq!(json["params"]["arg"], "id");
        assert_eq!(json["params"]["ro"], "x");
        assert_eq!(json["params"]["en"], "y");
        let e = CommandError::bilingual("engine.stopped", "Oprit", "Stopped");
        assert_eq!(e.message, "Oprit / Stopped");
        assert_eq!(e.params["ro"], "Oprit");
    }
}
