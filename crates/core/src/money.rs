//! Money and VAT: exact decimal amounts rounded to the ban (0.01 RON) the way Romanian billing
//! services round, and the configurable VAT rates (21 % standard, 11 % reduced since August 2025).

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Rounds an amount to 2 decimals, half away from zero, as invoices are totalled per line.
#[must_use]
pub fn round_to_ban(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// An ISO 4217 currency code as Shopify reports it ("RON", "EUR").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Currency(pub String);

impl Currency {
    /// The Romanian leu, the currency of almost every order Punte invoices.
    #[must_use]
    pub fn ron() -> Self {
        Self("RON".to_owned())
    }
}

/// A VAT rate in percent, for example 21 for 21 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VatRate(pub Decimal);

impl VatRate {
    /// The VAT included in a tax-included amount: `gross * rate / (100 + rate)`, rounded to the ban.
    #[must_use]
    pub fn vat_in_gross(self, gross: Decimal) -> Decimal {
        round_to_ban(gross * self.0 / (Decimal::ONE_HUNDRED + self.0))
    }

    /// The VAT on a tax-excluded amount, rounded to the ban.
    #[must_use]
    pub fn vat_on_net(self, net: Decimal) -> Decimal {
        round_to_ban(net * self.0 / Decimal::ONE_HUNDRED)
    }
}

/// Which VAT rates the merchant uses; the defaults are Romania's rates from 1 August 2025.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatRates {
    /// Cota normală ("Normala").
    pub standard: VatRate,
    /// Cota redusă ("Redusa"): food, books, some services.
    pub reduced: VatRate,
    /// False for a merchant who is not registered for VAT: every line then carries 0 %.
    pub vat_payer: bool,
}

impl Default for VatRates {
    fn default() -> Self {
        Self {
            standard: VatRate(Decimal::from(21)),
            reduced: VatRate(Decimal::from(11)),
            vat_payer: true,
        }
    }
}

impl VatRates {
    /// The rate a line should carry given what Shopify says (if anything) about it.
    #[must_use]
    pub fn rate_for(&self, shopify_rate: Option<VatRate>, taxable: bool) -> VatRate {
        if !self.vat_payer || !taxable {
            return VatRate(Decimal::ZERO);
        }
        shopify_rate.unwrap_or(self.standard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(s: &str) -> Decimal {
        s.parse().expect("test decimals are valid literals")
    }

    #[rstest]
    #[case::half_up("1.005", "1.01")]
    #[case::half_away_negative("-1.005", "-1.01")]
    #[case::below_half("2.344", "2.34")]
    #[case::exact("7.10", "7.10")]
    fn rounds_half_away_from_zero(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(round_to_ban(d(input)), d(expected));
    }

    #[rstest]
    #[case::standard_121("21", "121.00", "21.00")]
    #[case::reduced_111("11", "111.00", "11.00")]
    #[case::standard_rounds("21", "99.99", "17.35")]
    #[case::zero_rate("0", "50.00", "0.00")]
    fn vat_inside_gross(#[case] rate: &str, #[case] gross: &str, #[case] vat: &str) {
        assert_eq!(VatRate(d(rate)).vat_in_gross(d(gross)), d(vat));
    }

    #[rstest]
    #[case::standard("21", "100.00", "21.00")]
    #[case::rounds("21", "33.33", "7.00")]
    #[case::reduced("11", "9.99", "1.10")]
    fn vat_on_net_amount(#[case] rate: &str, #[case] net: &str, #[case] vat: &str) {
        assert_eq!(VatRate(d(rate)).vat_on_net(d(net)), d(vat));
    }

    #[test]
    fn amounts_serialize_as_exact_strings() {
        let rates = VatRates::default();
        let json = serde_json::to_value(&rates).unwrap();
        assert_eq!(
            json["reduced"],
            serde_json::json!("11"),
            "no float rounding on the wire"
        );
        assert_eq!(serde_json::from_value::<VatRates>(json).unwrap(), rates);
    }

    #[rstest]
    #[case::shopify_rate_wins(true, Some("11"), true, "11")]
    #[case::default_standard(true, None, true, "21")]
    #[case::untaxed_line(true, Some("21"), false, "0")]
    #[case::not_vat_payer(false, Some("21"), true, "0")]
    fn picks_line_rate(
        #[case] vat_payer: bool,
        #[case] shopify: Option<&str>,
        #[case] taxable: bool,
        #[case] expected: &str,
    ) {
        let rates = VatRates {
            vat_payer,
            ..VatRates::default()
        };
        let got = rates.rate_for(shopify.map(|r| VatRate(d(r))), taxable);
        assert_eq!(got, VatRate(d(expected)));
    }
}
