//! `Secret`: a client secret or access token that never reaches a log, a span or a panic
//! message, because its `Debug` prints a placeholder and it has no `Display`.

use std::fmt;

/// A secret string. Read it only with [`Secret::expose`], at the point it goes on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret text, for the one header or form field that needs it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("shpat_very_secret");
        let shown = format!("{s:?} {:?}", Some(&s));
        assert!(!shown.contains("very_secret"), "leaked: {shown}");
        assert_eq!(s.expose(), "shpat_very_secret");
    }
}
