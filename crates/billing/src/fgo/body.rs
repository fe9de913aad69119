//! FGO v7 request bodies (JSON, PascalCase Romanian field names) and the request hash: uppercase
//! hex SHA-1 of `CodUnic + private key + X`, where X is the client name for issuing, the invoice
//! number for invoice operations, and nothing for article calls.

use punte_core::client::Client;
use punte_core::invoice::{DraftLine, DraftLineKind, InvoiceDraft};
use punte_core::spv_check::person_code;
use rust_decimal::Decimal;
use serde::Serialize;
use sha1::{Digest, Sha1};

use super::county::fgo_county;
use crate::model::{credit_mention, order_key, order_mention};
use crate::wire::Num;

/// FGO's request hash over the UTF-8 concatenation of `parts`.
#[must_use]
pub fn hash(parts: &[&str]) -> String {
    let digest = Sha1::digest(parts.concat().as_bytes());
    digest.iter().map(|b| format!("{b:02X}")).collect()
}

/// The authentication fields every body starts with.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Auth<'a> {
    pub cod_unic: &'a str,
    pub hash: String,
    pub platforma_url: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InvoiceBody<'a> {
    #[serde(flatten)]
    pub auth: Auth<'a>,
    valuta: &'a str,
    tip_factura: &'static str,
    serie: &'a str,
    verificare_duplicat: bool,
    id_extern: String,
    explicatii: String,
    client: ClientBody<'a>,
    continut: Vec<LineBody<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct ClientBody<'a> {
    denumire: &'a str,
    tip: &'static str,
    tara: &'a str,
    judet: String,
    localitate: &'a str,
    adresa: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cod_unic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nr_reg_com: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none", rename = "PlatitorTVA")]
    platitor_tva: Option<bool>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct LineBody<'a> {
    denumire: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    cod_articol: Option<&'a str>,
    #[serde(rename = "UM")]
    um: &'a str,
    nr_produse: Num,
    #[serde(rename = "CotaTVA")]
    cota_tva: Num,
    /// Line total, VAT included ("calcul invers"): exact whatever FGO's rounding of unit prices.
    pret_total: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    cod_gestiune: Option<&'a str>,
}

/// The client's name as it goes into the body and the hash.
#[must_use]
pub fn client_name(client: &Client) -> &str {
    match client {
        Client::Person { name, .. } | Client::Company { name, .. } => name,
    }
}

/// Whether `country` (as a shop writes it; empty means the shop's own) is Romania.
fn in_romania(country: &str) -> bool {
    let c = super::county::ascii_fold(country.trim()).to_ascii_lowercase();
    matches!(c.as_str(), "" | "ro" | "rou" | "romania")
}

/// FGO's `Client.Tara` for a shop's country: the `Valoare` (ISO code) of the `/nomenclator/tara`
/// row whose name or value it matches (case and diacritics ignored); Romania is "RO" without
/// the list; an unknown country is sent as the shop wrote it, for FGO to refuse in its words.
#[must_use]
pub fn fgo_country(country: &str, nomenclature: &[(String, String)]) -> String {
    if in_romania(country) {
        return "RO".to_owned();
    }
    let key = |t: &str| super::county::ascii_fold(t.trim()).to_lowercase();
    let wanted = key(country);
    nomenclature
        .iter()
        .find(|(name, code)| key(name) == wanted || key(code) == wanted)
        .map_or_else(|| country.trim().to_owned(), |(_, code)| code.clone())
}

fn client_body<'a>(client: &'a Client, tara: &'a str) -> ClientBody<'a> {
    let (tip, email, address, cui, reg) = match client {
        Client::Person { email, address, .. } => ("PF", email, address, None, None),
        Client::Company {
            email,
            address,
            cui,
            reg_com,
            ..
        } => ("PJ", email, address, Some(cui), reg_com.as_deref()),
    };
    ClientBody {
        denumire: client_name(client),
        tip,
        tara,
        judet: if in_romania(&address.country) {
            fgo_county(&address.county)
        } else {
            address.county.clone()
        },
        localitate: &address.city,
        adresa: &address.street,
        email: email.as_deref(),
        // `CodUnic` is "CUI/CNP": a person without CNP gets e-Factura's default (13 zeros).
        cod_unic: Some(cui.map_or_else(|| person_code(None), |c| c.display())),
        nr_reg_com: reg,
        platitor_tva: cui.map(|c| c.vat_payer),
    }
}

fn line_body<'a>(line: &'a DraftLine, stock: bool, unit: &'a str) -> LineBody<'a> {
    let (quantity, total) = match line.kind {
        // FGO's discount line: one negative unit whose (positive) total is taken off.
        DraftLineKind::Discount => (Decimal::NEGATIVE_ONE, line.total().abs()),
        // A credited line: negative units, the (positive) total they take off, as a discount.
        _ => (Decimal::from(line.quantity), line.total().abs()),
    };
    LineBody {
        denumire: &line.name,
        cod_articol: line.code.as_ref().map(|c| c.as_str()),
        um: unit,
        nr_produse: Num(quantity),
        cota_tva: Num(line.vat_rate.0),
        pret_total: Num(total),
        cod_gestiune: line
            .warehouse
            .as_deref()
            .filter(|_| stock && line.kind == DraftLineKind::Product),
    }
}

/// The `/factura/emitere` body: duplicate check on, keyed by the order.
pub fn invoice<'a>(
    auth: Auth<'a>,
    draft: &'a InvoiceDraft,
    series: &'a str,
    unit: &'a str,
    tara: &'a str,
) -> InvoiceBody<'a> {
    InvoiceBody {
        auth,
        valuta: &draft.currency.0,
        tip_factura: "Factura",
        serie: series,
        verificare_duplicat: true,
        id_extern: order_key(draft.order_id.0),
        explicatii: order_mention(&draft.order_name, draft.order_id.0),
        client: client_body(&draft.client, tara),
        continut: draft
            .lines
            .iter()
            .map(|l| line_body(l, draft.use_stock, unit))
            .collect(),
    }
}

/// The credit document of a refund that is not the whole invoice: an invoice (`/factura/
/// emitere`) of the credited lines at negative `NrProduse` (FGO's storno takes only whole
/// invoices); `Explicatii` names the invoice it corrects, `IdExtern` the refund (duplicate
/// check on); a line with `CodGestiune` re-enters stock there.
pub fn credit<'a>(
    auth: Auth<'a>,
    draft: &'a InvoiceDraft,
    credit: &punte_core::credit_note::CreditDraft,
    series: &'a str,
    unit: &'a str,
    tara: &'a str,
) -> InvoiceBody<'a> {
    let mut body = invoice(auth, draft, series, unit, tara);
    body.id_extern = credit.key();
    body.explicatii = credit_mention(
        &credit.invoice_label(),
        &credit.order_name,
        credit.refund_id,
    );
    body
}

/// Storno, cancel and other invoice operations: `Numar` + `Serie`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DocBody<'a> {
    #[serde(flatten)]
    pub auth: Auth<'a>,
    pub numar: &'a str,
    pub serie: &'a str,
}

#[cfg(test)]
mod tests {
    #[test]
    fn countries_become_fgo_codes() {
        let list = vec![
            ("Romania".to_owned(), "RO".to_owned()),
            ("Republica Moldova".to_owned(), "MD".to_owned()),
            ("Germania".to_owned(), "DE".to_owned()),
        ];
        assert_eq!(super::fgo_country("România", &[]), "RO");
        assert_eq!(super::fgo_country("", &[]), "RO");
        assert_eq!(super::fgo_country("republica moldova", &list), "MD");
        assert_eq!(super::fgo_country("DE", &list), "DE");
        assert_eq!(super::fgo_country("Atlantida", &list), "Atlantida");
    }

    #[test]
    fn docs_test_vector() {
        assert_eq!(
            super::hash(&["2864518", "1234567890", "Ionescu Popescu"]),
            "8C3A7726804C121C6933F7D68494B439463996E2"
        );
    }
}
