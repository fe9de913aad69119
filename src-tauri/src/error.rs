//! The one error shape the UI receives: a stable `code` to branch on and a plain `message` to show.
//! The UI never matches on message text.

use serde::Serialize;

/// An error returned by a command, serialised as `{ "code": "...", "message": "..." }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
}

impl CommandError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_code_and_message() {
        let json =
            serde_json::to_value(CommandError::new("store.locked", "Baza de date e ocupată"))
                .expect("a plain struct always serialises");
        assert_eq!(
            json,
            serde_json::json!({"code": "store.locked", "message": "Baza de date e ocupată"})
        );
    }
}
