//! The invoice client: a person, or a company identified by its Romanian CUI (CIF). The CUI's
//! control digit is checked here so a typo is caught before the billing service or e-Factura
//! rejects the invoice.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::order::Customer;

/// A validated Romanian company code: digits only, plus whether it was given as "RO…"
/// (registered for VAT).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cui {
    pub digits: String,
    pub vat_payer: bool,
}

/// Why a CUI is not valid.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
pub enum CuiError {
    #[error("CUI \"{0}\" must be 2 to 10 digits, optionally after RO")]
    Malformed(String),
    #[error("CUI \"{0}\" has a wrong control digit")]
    WrongControlDigit(String),
}

impl Cui {
    /// Parses "RO 37311090", "ro37311090" or "37311090", checking the control digit
    /// (key 753217532, sum × 10 mod 11, 10 counts as 0).
    pub fn parse(text: &str) -> Result<Self, CuiError> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let upper = compact.to_ascii_uppercase();
        let (vat_payer, digits) = match upper.strip_prefix("RO") {
            Some(rest) => (true, rest),
            None => (false, upper.as_str()),
        };
        let valid_shape = (2..=10).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        if !valid_shape {
            return Err(CuiError::Malformed(text.to_owned()));
        }
        let values: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let (body, control) = values.split_at(values.len() - 1);
        const KEY: [u32; 9] = [7, 5, 3, 2, 1, 7, 5, 3, 2];
        // The body is right-aligned against the key.
        let sum: u32 = body
            .iter()
            .rev()
            .zip(KEY.iter().rev())
            .map(|(d, k)| d * k)
            .sum();
        let expected = (sum * 10 % 11) % 10;
        if control[0] != expected {
            return Err(CuiError::WrongControlDigit(text.to_owned()));
        }
        Ok(Self {
            digits: digits.to_owned(),
            vat_payer,
        })
    }

    /// The code as invoices show it: "RO" + digits for VAT payers, digits otherwise.
    #[must_use]
    pub fn display(&self) -> String {
        if self.vat_payer {
            format!("RO{}", self.digits)
        } else {
            self.digits.clone()
        }
    }
}

/// Where the client is, as billing services want it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub county: String,
    pub country: String,
}

/// Who the invoice is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Client {
    Person {
        name: String,
        email: Option<String>,
        address: Address,
    },
    Company {
        name: String,
        cui: Cui,
        reg_com: Option<String>,
        email: Option<String>,
        address: Address,
    },
}

impl Client {
    /// A company when the customer gave a CUI, a person otherwise.
    pub fn from_customer(customer: &Customer) -> Result<Self, CuiError> {
        let address = Address {
            street: customer.address.clone(),
            city: customer.city.clone(),
            county: customer.county.clone(),
            country: customer.country.clone(),
        };
        let cui = customer.cui.as_deref().filter(|c| !c.trim().is_empty());
        Ok(match cui {
            None => Client::Person {
                name: customer.name.clone(),
                email: customer.email.clone(),
                address,
            },
            Some(cui) => Client::Company {
                name: customer
                    .company
                    .clone()
                    .filter(|c| !c.trim().is_empty())
                    .unwrap_or_else(|| customer.name.clone()),
                cui: Cui::parse(cui)?,
                reg_com: customer.reg_com.clone(),
                email: customer.email.clone(),
                address,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::vat_payer("RO37311090", Ok(("37311090", true)))]
    #[case::lower_case_and_space("ro 37311090", Ok(("37311090", true)))]
    #[case::not_vat_payer("18547290", Ok(("18547290", false)))]
    #[case::short_cui("19", Ok(("19", false)))]
    #[case::wrong_control("RO37311091", Err(CuiError::WrongControlDigit("RO37311091".into())))]
    #[case::letters("RO3731A090", Err(CuiError::Malformed("RO3731A090".into())))]
    #[case::too_long("12345678901", Err(CuiError::Malformed("12345678901".into())))]
    #[case::empty("RO", Err(CuiError::Malformed("RO".into())))]
    fn parses_and_checks_cui(#[case] text: &str, #[case] expected: Result<(&str, bool), CuiError>) {
        let got = Cui::parse(text).map(|c| (c.digits, c.vat_payer));
        assert_eq!(got, expected.map(|(digits, vat)| (digits.to_owned(), vat)));
    }

    #[rstest]
    #[case::person(None, None, "Person")]
    #[case::blank_cui_is_person(Some(" "), Some("SC Exemplu SRL"), "Person")]
    #[case::company(Some("RO37311090"), Some("SC Exemplu SRL"), "SC Exemplu SRL")]
    #[case::company_without_name_uses_person(Some("18547290"), None, "Ion Popescu")]
    fn client_from_customer(
        #[case] cui: Option<&str>,
        #[case] company: Option<&str>,
        #[case] expected_name: &str,
    ) {
        let customer = Customer {
            name: "Ion Popescu".into(),
            cui: cui.map(Into::into),
            company: company.map(Into::into),
            ..Customer::default()
        };
        let client = Client::from_customer(&customer).expect("valid customer");
        match client {
            Client::Person { .. } => assert_eq!(expected_name, "Person"),
            Client::Company { name, cui, .. } => {
                assert_eq!(name, expected_name);
                assert_eq!(cui.display().trim_start_matches("RO"), cui.digits);
            }
        }
    }
}
