//! `BillingError`: every way a billing call can fail, each with a stable code the UI and the
//! engine match on, and a message a merchant understands in Romanian and in English. Service
//! texts are carried as plain text only (SmartBill's HTML is reduced to its first sentence).

use chrono::{DateTime, Utc};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// The language of a merchant-facing message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ro,
    En,
}

/// One error for the whole crate. `Display` is the English message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BillingError {
    #[error("{}", self.message(Lang::En))]
    AuthFailed { service: &'static str },
    #[error("{}", self.message(Lang::En))]
    CompanyNotFound {
        service: &'static str,
        company: String,
    },
    #[error("{}", self.message(Lang::En))]
    Blocked {
        service: &'static str,
        until: Option<DateTime<Utc>>,
    },
    #[error("{}", self.message(Lang::En))]
    ProductUnknown { product: String, warehouse: String },
    #[error("{}", self.message(Lang::En))]
    InsufficientStock { product: String, warehouse: String },
    #[error("{}", self.message(Lang::En))]
    WarehouseUnknown { warehouse: String },
    #[error("{}", self.message(Lang::En))]
    SeriesUnknown { series: String },
    #[error("{}", self.message(Lang::En))]
    InvoiceNotFound { invoice: String },
    /// The service refused the request; `text` is its own explanation, as plain text.
    #[error("{}", self.message(Lang::En))]
    Rejected { service: &'static str, text: String },
    /// A write whose answer never arrived: it may or may not have happened.
    #[error("{}", self.message(Lang::En))]
    UnknownOutcome {
        service: &'static str,
        operation: &'static str,
    },
    #[error("{}", self.message(Lang::En))]
    Unavailable {
        service: &'static str,
        detail: String,
    },
    #[error("{}", self.message(Lang::En))]
    InvalidResponse {
        service: &'static str,
        detail: String,
    },
    #[error("{}", self.message(Lang::En))]
    InsecureUrl { url: String },
    #[error("{}", self.message(Lang::En))]
    NotSupported {
        service: &'static str,
        operation: &'static str,
    },
}

impl BillingError {
    /// A stable identifier, never translated and never changed once shipped.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::AuthFailed { .. } => "billing.auth_failed",
            Self::CompanyNotFound { .. } => "billing.company_not_found",
            Self::Blocked { .. } => "billing.blocked",
            Self::ProductUnknown { .. } => "billing.product_unknown",
            Self::InsufficientStock { .. } => "billing.insufficient_stock",
            Self::WarehouseUnknown { .. } => "billing.warehouse_unknown",
            Self::SeriesUnknown { .. } => "billing.series_unknown",
            Self::InvoiceNotFound { .. } => "billing.invoice_not_found",
            Self::Rejected { .. } => "billing.rejected",
            Self::UnknownOutcome { .. } => "billing.unknown_outcome",
            Self::Unavailable { .. } => "billing.unavailable",
            Self::InvalidResponse { .. } => "billing.invalid_response",
            Self::InsecureUrl { .. } => "billing.insecure_url",
            Self::NotSupported { .. } => "billing.not_supported",
        }
    }

    /// True when retrying later may succeed without anyone changing anything.
    #[must_use]
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Blocked { .. } | Self::Unavailable { .. })
    }

    /// The merchant-facing message.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let ro = lang == Lang::Ro;
        match self {
            Self::AuthFailed { service } if ro => format!(
                "{service} nu a acceptat datele de autentificare. Verificați e-mailul, tokenul sau cheia din setări."
            ),
            Self::AuthFailed { service } => format!(
                "{service} did not accept the credentials. Check the e-mail, token or key in the settings."
            ),
            Self::CompanyNotFound { service, company } if ro => {
                format!("Firma {company} nu este disponibilă în contul {service}.")
            }
            Self::CompanyNotFound { service, company } => {
                format!("Company {company} is not available in this {service} account.")
            }
            Self::Blocked { service, until } => blocked(service, *until, ro),
            Self::ProductUnknown { product, warehouse } if ro => format!(
                "Produsul {product} nu există în programul de facturare (gestiunea {warehouse}). Adăugați-l sau corectați codul."
            ),
            Self::ProductUnknown { product, warehouse } => format!(
                "Product {product} is unknown in billing (warehouse {warehouse}). Add it or fix its code."
            ),
            Self::InsufficientStock { product, warehouse } if ro => format!(
                "Stoc insuficient pentru {product} în gestiunea {warehouse}. Faceți o recepție (NIR) sau emiteți fără descărcare."
            ),
            Self::InsufficientStock { product, warehouse } => format!(
                "Insufficient stock for {product} in warehouse {warehouse}. Record a goods receipt or issue without discharge."
            ),
            Self::WarehouseUnknown { warehouse } if ro => {
                format!("Gestiunea {warehouse} nu există în programul de facturare.")
            }
            Self::WarehouseUnknown { warehouse } => {
                format!("Warehouse {warehouse} does not exist in billing.")
            }
            Self::SeriesUnknown { series } if ro => {
                format!("Seria de facturare {series} nu există sau a expirat.")
            }
            Self::SeriesUnknown { series } => {
                format!("Invoice series {series} does not exist or has expired.")
            }
            Self::InvoiceNotFound { invoice } if ro => {
                format!("Factura {invoice} nu a fost găsită.")
            }
            Self::InvoiceNotFound { invoice } => format!("Invoice {invoice} was not found."),
            Self::Rejected { service, text } if ro => {
                format!("{service} a refuzat cererea: {text}")
            }
            Self::Rejected { service, text } => format!("{service} refused the request: {text}"),
            Self::UnknownOutcome { service, operation } if ro => format!(
                "Nu știm dacă {service} a executat „{operation}”: răspunsul nu a sosit. Verificați în {service} înainte de a repeta."
            ),
            Self::UnknownOutcome { service, operation } => format!(
                "We do not know whether {service} carried out \"{operation}\": no answer arrived. Check in {service} before repeating it."
            ),
            Self::Unavailable { service, detail } if ro => {
                format!("{service} nu răspunde acum ({detail}). Reîncercăm automat.")
            }
            Self::Unavailable { service, detail } => {
                format!("{service} is not answering right now ({detail}). We will retry.")
            }
            Self::InvalidResponse { service, detail } if ro => {
                format!("{service} a trimis un răspuns pe care nu îl înțelegem ({detail}).")
            }
            Self::InvalidResponse { service, detail } => {
                format!("{service} sent an answer we cannot read ({detail}).")
            }
            Self::InsecureUrl { url } if ro => format!(
                "Adresa {url} nu este permisă: doar HTTPS (HTTP numai pentru simulatorul local)."
            ),
            Self::InsecureUrl { url } => format!(
                "Address {url} is not allowed: HTTPS only (HTTP only for the local simulator)."
            ),
            Self::NotSupported { service, operation } if ro => {
                format!("{service} nu oferă „{operation}” prin API.")
            }
            Self::NotSupported { service, operation } => {
                format!("{service} does not offer \"{operation}\" through its API.")
            }
        }
    }
}

fn blocked(service: &str, until: Option<DateTime<Utc>>, ro: bool) -> String {
    let when = until.map(|t| {
        t.with_timezone(&chrono_tz::Europe::Bucharest)
            .format("%H:%M:%S")
            .to_string()
    });
    match (when, ro) {
        (Some(t), true) => format!("{service} ne-a blocat temporar accesul, până la {t}."),
        (Some(t), false) => format!("{service} has blocked us for now, until {t}."),
        (None, true) => format!("{service} ne-a limitat temporar accesul. Reîncercăm mai târziu."),
        (None, false) => format!("{service} is limiting our calls for now. We will retry later."),
    }
}

/// Sent to the UI as `{code, message_ro, message_en}` so it never matches on text.
impl Serialize for BillingError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("BillingError", 3)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message_ro", &self.message(Lang::Ro))?;
        st.serialize_field("message_en", &self.message(Lang::En))?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_code_and_both_languages() {
        let e = BillingError::InsufficientStock {
            product: "PNT-1".into(),
            warehouse: "Depozit".into(),
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "billing.insufficient_stock");
        assert!(
            v["message_ro"]
                .as_str()
                .unwrap()
                .contains("Stoc insuficient pentru PNT-1")
        );
        assert!(
            v["message_en"]
                .as_str()
                .unwrap()
                .contains("warehouse Depozit")
        );
        assert_eq!(e.to_string(), e.message(Lang::En));
    }
}
