//! The VAT check before an invoice is issued: every line's rate must be one the billing company
//! has (SmartBill `GET /tax`, Oblio `vat_rates`, FGO's nomenclature), and a product's line must
//! carry the rate the product has in the billing nomenclature, where the service shows it. A
//! company that is not a VAT payer there (scutit) invoices every line at 0 %. A line that
//! passes gets the service's name for its rate (a 0 % line without a name would take the
//! service's default regime); one that does not is a problem showing both rates, and the
//! order waits for the merchant instead of carrying a wrong rate to the accountant and SPV.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::invoice::{DraftLineKind, InvoiceDraft};
use crate::money::VatRate;
use crate::product::ProductCode;

/// A rate as the billing service names it ("Normala", 21).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedRate {
    pub name: String,
    pub rate: VatRate,
}

/// The billing company's VAT, as last read from the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyVat {
    pub rates: Vec<NamedRate>,
    /// Whether the company pays VAT there; `None` when the service does not say.
    pub payer: Option<bool>,
    pub read_at: DateTime<Utc>,
}

/// One line whose rate the billing service would not take as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum VatProblem {
    /// The billing company has no rate of this percent.
    UnknownRate {
        line: String,
        ours: VatRate,
        billing: Vec<VatRate>,
    },
    /// The product has another rate in the billing nomenclature.
    ProductRate {
        line: String,
        code: ProductCode,
        ours: VatRate,
        billing: VatRate,
    },
    /// The company is not a VAT payer in the billing service, yet the line carries VAT.
    NotPayer { line: String, ours: VatRate },
}

/// Checks `draft` against the company's rates and the products' rates in billing, naming each
/// line's rate as the service does. Returns the problems (empty: the draft may be issued).
pub fn check_vat(
    draft: &mut InvoiceDraft,
    company: &CompanyVat,
    products: &HashMap<ProductCode, VatRate>,
) -> Vec<VatProblem> {
    let mut problems = Vec::new();
    let zero = VatRate(Decimal::ZERO);
    for line in &mut draft.lines {
        let ours = line.vat_rate;
        if company.payer == Some(false) {
            if ours != zero {
                problems.push(VatProblem::NotPayer {
                    line: line.name.clone(),
                    ours,
                });
            }
            line.vat_name = None;
            continue;
        }
        if let (DraftLineKind::Product, Some(code)) = (line.kind, &line.code)
            && let Some(&billing) = products.get(code)
            && billing != ours
        {
            problems.push(VatProblem::ProductRate {
                line: line.name.clone(),
                code: code.clone(),
                ours,
                billing,
            });
            continue;
        }
        if company.rates.is_empty() {
            continue;
        }
        match name_for(&company.rates, ours) {
            Some(name) => line.vat_name = Some(name),
            None => problems.push(VatProblem::UnknownRate {
                line: line.name.clone(),
                ours,
                billing: company.rates.iter().map(|r| r.rate).collect(),
            }),
        }
    }
    problems
}

/// The service's name for `rate`: the one rate of that percent, or for 0 % the exemption
/// (SDD, "scutit") rather than reverse charge when the company has several.
fn name_for(rates: &[NamedRate], rate: VatRate) -> Option<String> {
    let same: Vec<&NamedRate> = rates.iter().filter(|r| r.rate == rate).collect();
    let exempt = |r: &&&NamedRate| {
        let n = r.name.to_lowercase();
        n.contains("sdd") || n.contains("scutit")
    };
    same.iter()
        .find(exempt)
        .or_else(|| same.first())
        .map(|r| r.name.clone())
}

/// Whether the company pays VAT, judged from its rates (a list with no positive rate: it does
/// not; an empty list says nothing).
#[must_use]
pub fn payer_from_rates(rates: &[NamedRate]) -> Option<bool> {
    (!rates.is_empty()).then(|| rates.iter().any(|r| r.rate.0 > Decimal::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Client;
    use crate::invoice::DraftLine;
    use crate::money::Currency;
    use crate::order::OrderId;
    use crate::testkit::{at, d};

    fn rate(p: &str) -> VatRate {
        VatRate(d(p))
    }

    fn company(rates: &[(&str, &str)], payer: Option<bool>) -> CompanyVat {
        CompanyVat {
            rates: rates
                .iter()
                .map(|(n, p)| NamedRate {
                    name: (*n).into(),
                    rate: rate(p),
                })
                .collect(),
            payer,
            read_at: at(0),
        }
    }

    fn draft(lines: &[(&str, &str)]) -> InvoiceDraft {
        InvoiceDraft {
            order_id: OrderId(1),
            order_name: "#1001".into(),
            client: Client::Person {
                name: "Ana".into(),
                email: None,
                address: Default::default(),
            },
            currency: Currency::ron(),
            use_stock: true,
            lines: lines
                .iter()
                .map(|(code, r)| DraftLine {
                    kind: if code.is_empty() {
                        DraftLineKind::Shipping
                    } else {
                        DraftLineKind::Product
                    },
                    name: format!("Linia {code}"),
                    code: (!code.is_empty()).then(|| ProductCode::from(*code)),
                    quantity: 1,
                    unit_price: d("100"),
                    vat_rate: rate(r),
                    warehouse: None,
                    line: None,
                    vat_name: None,
                })
                .collect(),
        }
    }

    const RO: &[(&str, &str)] = &[
        ("Normala", "21"),
        ("Redusa", "11"),
        ("Taxare inversa", "0"),
        ("SDD", "0"),
    ];

    #[test]
    fn rates_the_company_has_pass_and_get_the_services_names() {
        let mut d = draft(&[("A", "21"), ("B", "11"), ("C", "0"), ("", "21")]);
        assert!(check_vat(&mut d, &company(RO, Some(true)), &HashMap::new()).is_empty());
        let names: Vec<_> = d.lines.iter().map(|l| l.vat_name.as_deref()).collect();
        assert_eq!(
            names,
            vec![
                Some("Normala"),
                Some("Redusa"),
                Some("SDD"),
                Some("Normala")
            ],
            "0 % is the exemption, not reverse charge"
        );
    }

    #[test]
    fn a_rate_the_company_does_not_have_shows_both() {
        let mut d = draft(&[("A", "19")]);
        let got = check_vat(&mut d, &company(RO, Some(true)), &HashMap::new());
        assert_eq!(
            got,
            vec![VatProblem::UnknownRate {
                line: "Linia A".into(),
                ours: rate("19"),
                billing: vec![rate("21"), rate("11"), rate("0"), rate("0")],
            }]
        );
    }

    #[test]
    fn a_product_with_another_rate_in_billing_is_a_problem_until_they_agree() {
        let products = HashMap::from([(ProductCode::from("A"), rate("21"))]);
        let mut d19 = draft(&[("A", "19")]);
        let got = check_vat(
            &mut d19,
            &company(&[("Normala", "21"), ("Veche", "19")], Some(true)),
            &products,
        );
        assert!(
            matches!(&got[..], [VatProblem::ProductRate { ours, billing, .. }] if *ours == rate("19") && *billing == rate("21")),
            "{got:?}"
        );
        let mut d21 = draft(&[("A", "21")]);
        assert!(check_vat(&mut d21, &company(RO, Some(true)), &products).is_empty());
    }

    #[test]
    fn a_company_that_does_not_pay_vat_invoices_at_zero_without_a_rate_name() {
        let exempt = company(&[], Some(false));
        let mut zero = draft(&[("A", "0"), ("", "0")]);
        assert!(check_vat(&mut zero, &exempt, &HashMap::new()).is_empty());
        assert!(zero.lines.iter().all(|l| l.vat_name.is_none()));
        let mut taxed = draft(&[("A", "21")]);
        assert_eq!(
            check_vat(&mut taxed, &exempt, &HashMap::new()),
            vec![VatProblem::NotPayer {
                line: "Linia A".into(),
                ours: rate("21")
            }]
        );
    }

    #[test]
    fn payer_status_comes_from_the_rates() {
        assert_eq!(payer_from_rates(&company(RO, None).rates), Some(true));
        assert_eq!(
            payer_from_rates(&company(&[("SDD", "0")], None).rates),
            Some(false)
        );
        assert_eq!(payer_from_rates(&[]), None);
    }
}
