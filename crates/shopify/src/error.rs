//! The one error type of the Shopify client. Each variant has a stable code the UI and the engine
//! match on (never the text), and a message a merchant understands in Romanian and English.

use std::time::Duration;

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// What went wrong talking to Shopify. `Display` is the English merchant message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShopifyError {
    #[error("The Shopify connection settings are not valid: {0}.")]
    InvalidConfig(String),
    #[error(
        "Shopify did not accept the app's credentials (client ID and secret, or access token): \
         {0}. Check them in the Shopify connection settings."
    )]
    AuthFailed(String),
    #[error(
        "The Shopify app lacks a permission (access scope): {0}. Add it to the app and reinstall."
    )]
    AccessDenied(String),
    #[error("Shopify is limiting requests; Punte will try again in {} s.", .retry_after.as_secs().max(1))]
    Throttled { retry_after: Duration },
    #[error("Shopify cannot be reached ({0}). Check the internet connection; Punte will retry.")]
    Unreachable(String),
    #[error("Shopify did not answer in time. Punte will retry.")]
    Timeout,
    #[error("Shopify had an internal error (HTTP {status}). Punte will retry.")]
    ServerError { status: u16 },
    #[error("Shopify refused the request: {message}")]
    GraphQl {
        code: Option<String>,
        message: String,
    },
    #[error("A Shopify query was too large ({cost} points, the limit is 1000).")]
    QueryTooCostly { cost: u64 },
    #[error("Shopify answered in an unexpected way: {0}")]
    BadResponse(String),
    #[error("Shopify refused the stock write ({code}): {message}")]
    Rejected { code: String, message: String },
    #[error(
        "The connection broke after a change was sent to Shopify, so whether it was saved is \
         unknown; Punte re-reads before trying again. ({0})"
    )]
    OutcomeUnknown(String),
}

impl ShopifyError {
    /// The stable code, e.g. `shopify.auth_failed`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidConfig(_) => "shopify.invalid_config",
            Self::AuthFailed(_) => "shopify.auth_failed",
            Self::AccessDenied(_) => "shopify.access_denied",
            Self::Throttled { .. } => "shopify.throttled",
            Self::Unreachable(_) => "shopify.unreachable",
            Self::Timeout => "shopify.timeout",
            Self::ServerError { .. } => "shopify.server_error",
            Self::GraphQl { .. } => "shopify.request_refused",
            Self::QueryTooCostly { .. } => "shopify.query_too_costly",
            Self::BadResponse(_) => "shopify.bad_response",
            Self::Rejected { .. } => "shopify.write_rejected",
            Self::OutcomeUnknown(_) => "shopify.outcome_unknown",
        }
    }

    /// The English message (the same as `Display`).
    #[must_use]
    pub fn message_en(&self) -> String {
        self.to_string()
    }

    /// The Romanian message.
    #[must_use]
    pub fn message_ro(&self) -> String {
        match self {
            Self::InvalidConfig(d) => format!("Setările conexiunii Shopify nu sunt valide: {d}."),
            Self::AuthFailed(d) => format!(
                "Shopify nu a acceptat datele de acces ale aplicației (client ID și secret, sau \
                 token de acces): {d}. Verificați-le în setările conexiunii Shopify."
            ),
            Self::AccessDenied(d) => format!(
                "Aplicației Shopify îi lipsește o permisiune (access scope): {d}. Adăugați-o și \
                 reinstalați aplicația."
            ),
            Self::Throttled { retry_after } => format!(
                "Shopify limitează cererile; Punte reîncearcă în {} s.",
                retry_after.as_secs().max(1)
            ),
            Self::Unreachable(d) => format!(
                "Shopify nu poate fi contactat ({d}). Verificați conexiunea la internet; Punte \
                 reîncearcă."
            ),
            Self::Timeout => "Shopify nu a răspuns la timp. Punte reîncearcă.".to_owned(),
            Self::ServerError { status } => {
                format!("Shopify a avut o eroare internă (HTTP {status}). Punte reîncearcă.")
            }
            Self::GraphQl { message, .. } => format!("Shopify a refuzat cererea: {message}"),
            Self::QueryTooCostly { cost } => {
                format!("O interogare Shopify a fost prea mare ({cost} puncte, limita este 1000).")
            }
            Self::BadResponse(d) => format!("Shopify a răspuns neașteptat: {d}"),
            Self::Rejected { code, message } => {
                format!("Shopify a refuzat scrierea stocului ({code}): {message}")
            }
            Self::OutcomeUnknown(d) => format!(
                "Conexiunea s-a întrerupt după ce o modificare a fost trimisă la Shopify, deci nu \
                 se știe dacă a fost salvată; Punte recitește înainte de a reîncerca. ({d})"
            ),
        }
    }

    /// True for failures that may pass if the same request is sent again later.
    #[must_use]
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Throttled { .. }
                | Self::Unreachable(_)
                | Self::Timeout
                | Self::ServerError { .. }
        )
    }
}

/// `{code, message_en, message_ro}`, so the UI never parses text.
impl Serialize for ShopifyError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("ShopifyError", 3)?;
        out.serialize_field("code", self.code())?;
        out.serialize_field("message_en", &self.message_en())?;
        out.serialize_field("message_ro", &self.message_ro())?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_messages_bilingual() {
        let e = ShopifyError::AuthFailed("invalid_client".into());
        assert_eq!(e.code(), "shopify.auth_failed");
        assert!(e.message_ro().contains("nu a acceptat"));
        assert!(e.message_en().contains("did not accept"));
        let json = serde_json::to_value(&e).expect("serializes");
        assert_eq!(json["code"], "shopify.auth_failed");
        let t = ShopifyError::Throttled {
            retry_after: Duration::from_millis(200),
        };
        assert_eq!(t.code(), "shopify.throttled");
        assert!(t.message_en().contains("in 1 s"), "{}", t.message_en());
        assert!(t.is_transient() && !e.is_transient());
    }
}
