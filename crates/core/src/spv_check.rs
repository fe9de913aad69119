//! What SPV (RO e-Factura) would refuse about an invoice's buyer, checked before the invoice is
//! issued, so the order waits in needs-review with the field to fix instead of producing a
//! document that ANAF rejects days later:
//! - a company's CUI/CIF must carry the right control digit (key 753217532, "RO" prefix or not;
//!   CIUS-RO rule BR-RO-01 asks for a valid Romanian fiscal code,
//!   <https://www.invoicenavigator.eu/errors/br-ro-01-efactura-cif/romania>);
//! - a Bucharest address (county RO-B) must name its sector: CIUS-RO takes `SECTOR1`…`SECTOR6`
//!   as the city of a Bucharest address
//!   (<https://developer.vertexinc.com/einvoicing/docs/romania-city-sector-copy>);
//! - a private person who gave no CNP is identified by the default of thirteen zeros
//!   (OUG 138/2024, in force since 1 January 2025: <https://www.dianex.ro/cnp-pe-factura/>,
//!   <https://pfassist.ro/blog/efactura-b2c-pfa.php>), never refused for lacking one.

use serde::{Deserialize, Serialize};

use crate::client::{Address, Client, Cui, CuiError};
use crate::order::Customer;

/// The identifier e-Factura accepts for a private person who gave no CNP.
pub const NO_CNP: &str = "0000000000000";

/// One thing SPV would refuse about the buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum SpvProblem {
    /// The company's CUI has a wrong control digit (or is not a CUI at all).
    CuiInvalid { cui: String },
    /// A Bucharest address without its sector.
    BucharestSector { city: String, street: String },
}

/// The buyer's checks: the CUI of a company, the sector of a Bucharest address.
#[must_use]
pub fn check_client(client: &Client) -> Vec<SpvProblem> {
    let mut problems = Vec::new();
    let address = match client {
        Client::Person { address, .. } => address,
        Client::Company { cui, address, .. } => {
            if let Err(e) = check_cui(&cui.display()) {
                let (CuiError::Malformed(cui) | CuiError::WrongControlDigit(cui)) = e;
                problems.push(SpvProblem::CuiInvalid { cui });
            }
            address
        }
    };
    if is_bucharest(address) && sector(address).is_none() {
        problems.push(SpvProblem::BucharestSector {
            city: address.city.clone(),
            street: address.street.clone(),
        });
    }
    problems
}

/// A CUI as typed ("RO 37311090", "37311090"), checked by its control digit.
///
/// # Errors
/// [`CuiError`] naming the text when it is not a CUI or its control digit is wrong.
pub fn check_cui(text: &str) -> Result<Cui, CuiError> {
    Cui::parse(text)
}

/// Lower case, Romanian diacritics (both comma and cedilla forms) as plain letters.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'ă' | 'â' | 'Ă' | 'Â' => 'a',
            'î' | 'Î' => 'i',
            'ș' | 'ş' | 'Ș' | 'Ş' => 's',
            'ț' | 'ţ' | 'Ț' | 'Ţ' => 't',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Whether the address is in Bucharest: its county or city names the municipality ("București",
/// "Bucuresti", "Bucharest", "Municipiul București", the county code "B", or "Sector N").
#[must_use]
pub fn is_bucharest(address: &Address) -> bool {
    let names = |t: &str| {
        let t = fold(t.trim());
        let t = t
            .strip_prefix("municipiul ")
            .unwrap_or(&t)
            .trim()
            .to_owned();
        t == "b"
            || t == "ro-b"
            || t.starts_with("bucuresti")
            || t.starts_with("bucharest")
            || t.starts_with("sector")
    };
    names(&address.county) || names(&address.city)
}

/// The Bucharest sector (1–6) the address names in its city, street or county: "Sector 3",
/// "Sectorul 3", "sector3", "Sect. 3", "S3" as a word of its own.
#[must_use]
pub fn sector(address: &Address) -> Option<u8> {
    [&address.city, &address.street, &address.county]
        .into_iter()
        .find_map(|t| sector_in(&fold(t)))
}

fn sector_in(text: &str) -> Option<u8> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for (i, word) in words.iter().enumerate() {
        let rest = ["sectorul", "sector", "sect", "s"]
            .iter()
            .find_map(|p| word.strip_prefix(p));
        let Some(rest) = rest else { continue };
        let digits = if rest.is_empty() && *word != "s" {
            words.get(i + 1).copied().unwrap_or_default()
        } else {
            rest
        };
        if let Ok(n @ 1..=6) = digits.parse::<u8>() {
            return Some(n);
        }
    }
    None
}

/// Whether `cnp` is a Romanian personal numeric code: 13 digits, the last the control digit
/// (key 279146358279, sum mod 11, 10 counts as 1).
#[must_use]
pub fn cnp_valid(cnp: &str) -> bool {
    const KEY: [u32; 12] = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];
    let digits: Vec<u32> = cnp.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 13 || cnp.chars().count() != 13 || digits[0] == 0 {
        return false;
    }
    let sum: u32 = digits.iter().zip(KEY).map(|(d, k)| d * k).sum();
    let control = match sum % 11 {
        10 => 1,
        r => r,
    };
    digits[12] == control
}

/// The identifier a private person's invoice carries: their CNP when they gave a valid one,
/// otherwise the default e-Factura accepts ([`NO_CNP`]).
#[must_use]
pub fn person_code(cnp: Option<&str>) -> String {
    cnp.map(str::trim)
        .filter(|c| cnp_valid(c))
        .map_or_else(|| NO_CNP.to_owned(), str::to_owned)
}

/// The buyer's identifier as the invoice carries it: a company's CUI ("RO…" for VAT payers),
/// a person's default [`NO_CNP`] (Shopify has no CNP field).
#[must_use]
pub fn buyer_code(client: &Client) -> String {
    match client {
        Client::Person { .. } => person_code(None),
        Client::Company { cui, .. } => cui.display(),
    }
}

/// The buyer as the customer gave it, the CUI taken as typed even when its control digit is
/// wrong: the client of an invoice held for review (never issued as it is), so the review can
/// show what was typed.
#[must_use]
pub fn unchecked_client(customer: &Customer) -> Client {
    let typed = customer.cui.as_deref().unwrap_or_default().trim();
    let upper = typed.to_ascii_uppercase();
    let address = Address {
        street: customer.address.clone(),
        city: customer.city.clone(),
        county: customer.county.clone(),
        country: customer.country.clone(),
    };
    Client::Company {
        name: customer
            .company
            .clone()
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| customer.name.clone()),
        cui: Cui {
            digits: upper
                .trim_start_matches("RO")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect(),
            vat_payer: upper.starts_with("RO"),
        },
        reg_com: customer.reg_com.clone(),
        email: customer.email.clone(),
        address,
    }
}

#[cfg(test)]
#[path = "spv_check_tests.rs"]
mod tests;
