//! One collection (încasare) recorded on a simulated invoice, the same record in the three
//! billing simulators, so tests read "what was collected on which invoice" from any `/state`.

use rust_decimal::Decimal;
use serde::Serialize;

/// A collection on invoice `series` `number`.
#[derive(Clone, Debug, Serialize)]
pub struct Collect {
    pub series: String,
    pub number: String,
    pub value: Decimal,
    /// The service's own type word ("Ramburs", "Banca").
    pub kind: String,
    /// As sent (yyyy-mm-dd, or FGO's "yyyy-mm-dd hh:mm:ss").
    pub date: String,
    /// The reference sent with it (SmartBill `observation`, Oblio `documentNumber`).
    pub reference: String,
}

/// What is collected on `series` `number` so far.
#[must_use]
pub fn paid(all: &[Collect], series: &str, number: &str) -> Decimal {
    all.iter()
        .filter(|c| c.series == series && c.number == number)
        .map(|c| c.value)
        .sum()
}
