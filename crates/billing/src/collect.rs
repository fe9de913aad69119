//! Collections (încasări) on an issued invoice: the money a cash-on-delivery courier paid out,
//! recorded once against the invoice (SmartBill `POST /payment` with `invoicesList`, Oblio
//! `PUT docs/invoice/collect`, FGO `POST factura/incasare`), and the read that tells what is
//! already paid on it (SmartBill `GET /invoice/paymentstatus`, Oblio `GET docs/invoice`'s
//! `collects`, FGO `factura/getstatus`'s `ValoareAchitata`). The write is never repeated to
//! learn whether it happened: a lost answer is settled by the read.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One collection to record on an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collection {
    /// What was collected, with VAT, in the invoice's currency.
    pub amount: Decimal,
    /// The day the money was collected (Europe/Bucharest).
    pub on: NaiveDate,
    /// A reference the merchant recognises ("Shopify #1001"): Oblio's `documentNumber`, the
    /// SmartBill observation, FGO's `SerieChitanta` is left empty.
    pub reference: String,
}

/// What the service shows paid on an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collected {
    /// The invoice's total with VAT, where the read tells it.
    pub total: Option<Decimal>,
    /// The sum of the collections recorded on it.
    pub paid: Decimal,
}

impl Collected {
    /// Whether `amount` (or the whole invoice) is already collected.
    #[must_use]
    pub fn covers(&self, amount: Decimal) -> bool {
        self.paid >= amount
            || self
                .total
                .is_some_and(|t| t > Decimal::ZERO && self.paid >= t)
    }
}

/// Amounts sent as the services write them: two decimals.
#[must_use]
pub fn money(amount: Decimal) -> String {
    format!("{:.2}", amount.round_dp(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covered_by_the_amount_or_the_whole_invoice() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        let c = Collected {
            total: Some(d("242.00")),
            paid: d("242.00"),
        };
        assert!(c.covers(d("242")));
        assert!(c.covers(d("250")), "the whole invoice is paid");
        let none = Collected {
            total: Some(d("242")),
            paid: Decimal::ZERO,
        };
        assert!(!none.covers(d("242")));
        let part = Collected {
            total: None,
            paid: d("100"),
        };
        assert!(!part.covers(d("242")));
        assert_eq!(money(d("1.5")), "1.50");
    }
}
