//! The words of a pre-issue hold: each problem the checks found (the buyer's CUI or sector, a
//! line's VAT rate), in Romanian then English, naming the field and the fix; when the last read
//! of the company's rates failed, when the rates in use were read (Bucharest time).

use punte_billing::ServiceKind;
use punte_core::money::VatRate;
use punte_core::schedule::BUCHAREST;
use punte_core::spv_check::SpvProblem;
use punte_core::vat_check::VatProblem;

use crate::vat_cache::KnownVat;

pub(crate) fn service_name(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::SmartBill => "SmartBill",
        ServiceKind::Oblio => "Oblio",
        ServiceKind::Fgo => "FGO",
    }
}

fn pct(r: VatRate) -> String {
    format!("{} %", r.0.normalize())
}

/// The review text: each problem in Romanian, then " / ", then each in English.
pub(crate) fn words(
    spv: &[SpvProblem],
    vat: &[VatProblem],
    service: &str,
    known: &KnownVat,
) -> String {
    let mut ro = Vec::new();
    let mut en = Vec::new();
    for p in spv {
        match p {
            SpvProblem::CuiInvalid { cui } => {
                ro.push(format!(
                    "CUI-ul clientului „{cui}” are cifra de control greșită și SPV ar respinge \
                     factura: corectați CUI-ul (rândul Companie al adresei de facturare sau nota \
                     comenzii) și reîncercați."
                ));
                en.push(format!(
                    "The customer's CUI \"{cui}\" has a wrong control digit and SPV would reject \
                     the invoice: fix the CUI (the billing address's Company line or the order \
                     note) and retry."
                ));
            }
            SpvProblem::BucharestSector { city, street } => {
                ro.push(format!(
                    "Adresa de facturare din București („{street}, {city}”) nu are sectorul, pe \
                     care SPV îl cere: adăugați „Sector 1”…„Sector 6” la oraș sau adresă și \
                     reîncercați."
                ));
                en.push(format!(
                    "The Bucharest billing address (\"{street}, {city}\") has no sector, which \
                     SPV requires: add \"Sector 1\"…\"Sector 6\" to the city or address and retry."
                ));
            }
        }
    }
    for p in vat {
        match p {
            VatProblem::UnknownRate {
                line,
                ours,
                billing,
            } => {
                let list: Vec<String> = billing.iter().map(|r| pct(*r)).collect();
                let list = list.join(", ");
                ro.push(format!(
                    "Linia „{line}” are TVA {}, cotă pe care firma nu o are în {service} (cotele \
                     de acolo: {list}): corectați cota produsului în Shopify sau în {service} și \
                     reîncercați.",
                    pct(*ours)
                ));
                en.push(format!(
                    "Line \"{line}\" carries {} VAT, a rate the company does not have in \
                     {service} (its rates there: {list}): fix the product's rate in Shopify or \
                     in {service} and retry.",
                    pct(*ours)
                ));
            }
            VatProblem::ProductRate {
                line,
                code,
                ours,
                billing,
            } => {
                let code = code.as_str();
                ro.push(format!(
                    "Linia „{line}” ({code}) are TVA {} în comandă, dar produsul are {} în \
                     {service}: aduceți cotele la aceeași valoare (produsul în {service} sau \
                     comanda) și reîncercați.",
                    pct(*ours),
                    pct(*billing)
                ));
                en.push(format!(
                    "Line \"{line}\" ({code}) carries {} VAT in the order, but the product has {} \
                     in {service}: make the rates agree (the product in {service} or the order) \
                     and retry.",
                    pct(*ours),
                    pct(*billing)
                ));
            }
            VatProblem::NotPayer { line, ours } => {
                ro.push(format!(
                    "Firma nu este plătitoare de TVA în {service} (scutită), dar linia „{line}” \
                     are TVA {}: vindeți fără TVA în Shopify sau corectați regimul în {service} \
                     și reîncercați.",
                    pct(*ours)
                ));
                en.push(format!(
                    "The company is not a VAT payer in {service} (exempt), yet line \"{line}\" \
                     carries {} VAT: sell without VAT in Shopify or fix the regime in {service} \
                     and retry.",
                    pct(*ours)
                ));
            }
        }
    }
    if let (Some(f), Some(v)) = (&known.failed, &known.vat) {
        let when = v.read_at.with_timezone(&BUCHAREST).format("%Y-%m-%d %H:%M");
        ro.push(format!(
            "(Cotele TVA sunt cele citite la {when}, ora României; ultima citire a eșuat: {}.)",
            f.code
        ));
        en.push(format!(
            "(The VAT rates are those read at {when}, Romania time; the last read failed: {}.)",
            f.code
        ));
    }
    format!("{} / {}", ro.join(" "), en.join(" "))
}

#[cfg(test)]
#[path = "pre_issue_tests.rs"]
mod tests;
