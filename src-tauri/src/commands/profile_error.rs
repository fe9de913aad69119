//! The error shape of the Profile commands: the shell's `{code, message}` plus the `field` the
//! form shows the message under (ui/BACKEND-CONTRACT.md, "Errors").

use std::collections::BTreeMap;

use serde::Serialize;

use crate::CommandError;

/// A command's refusal as the UI reads it: `{code, message, field?, params?}` (`params.ro` and
/// `params.en` hold the two halves of a "ro / en" message, as for every command).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ProfileError {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

impl ProfileError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        let e = CommandError::new(code, message);
        Self {
            code,
            message: e.message,
            field: None,
            params: e.params,
        }
    }

    #[must_use]
    pub fn at(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }

    /// Adds a parameter the wording names (`scopes`, `warehouse`).
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.params.insert(name.to_owned(), value.into());
        self
    }
}

impl From<CommandError> for ProfileError {
    fn from(e: CommandError) -> Self {
        Self {
            code: e.code,
            message: e.message,
            field: e.params.get("arg").cloned(),
            params: e.params,
        }
    }
}

/// `input.invalid` on `field`, in Romanian and English.
pub fn bad(field: &str, ro: &str, en: &str) -> ProfileError {
    ProfileError::new("input.invalid", format!("{ro} / {en}")).at(field)
}

/// The keychain did not answer: nothing was saved.
pub fn keychain(e: punte_engine::SecretError) -> ProfileError {
    ProfileError::new(
        "engine.keychain_unavailable",
        format!(
            "Portofelul de parole al sistemului nu răspunde; deblocați-l și încercați din nou. / \
             The system keychain is not available; unlock it and try again. ({e})"
        ),
    )
}
