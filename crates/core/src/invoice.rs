//! Invoice drafts from Shopify orders: client, product lines (code, name, quantity, VAT-included
//! unit price, VAT rate, warehouse when stock is discharged), discounts and shipping as a
//! service line. Every amount is an exact decimal, and a draft whose total differs from the
//! Shopify order's total by even one ban is refused rather than issued. One order line's
//! product lines are drafted in `invoice_lines`.

use std::collections::HashMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::client::{Client, CuiError};
use crate::invoice_discharge::Discharge;
use crate::invoice_lines::{Lookups, product_lines};
use crate::money::{Currency, VatRate, VatRates, round_to_ban};
use crate::order::{LineId, Order, OrderId};
use crate::product::ProductCode;

/// Merchant settings for invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceSettings {
    pub vat: VatRates,
    /// Per-product VAT rate (e.g. books at the reduced rate), above Shopify's rate.
    pub vat_by_code: HashMap<ProductCode, VatRate>,
    /// "Use the warehouse name": product lines carry the billing nomenclature name.
    pub use_warehouse_name: bool,
    /// The warehouse (gestiune) to discharge stock from; `None` issues without discharge.
    pub discharge_from: Option<String>,
    pub shipping_name: String,
    pub discount_name: String,
}

impl Default for InvoiceSettings {
    fn default() -> Self {
        Self {
            vat: VatRates::default(),
            vat_by_code: HashMap::new(),
            use_warehouse_name: false,
            discharge_from: None,
            shipping_name: "Transport".to_owned(),
            discount_name: "Discount".to_owned(),
        }
    }
}

/// What a draft line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftLineKind {
    Product,
    /// A value discount for the product line just above it (negative amount).
    Discount,
    /// Shipping, a service: it never touches stock.
    Shipping,
}

/// One invoice line. Prices always include VAT, so the total is exact whatever the VAT rounding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftLine {
    pub kind: DraftLineKind,
    pub name: String,
    pub code: Option<ProductCode>,
    pub quantity: i64,
    pub unit_price: Decimal,
    pub vat_rate: VatRate,
    /// Set on product lines with a code when stock is discharged.
    pub warehouse: Option<String>,
    /// The Shopify line a product or discount line comes from (credit notes find the invoiced
    /// price of a returned unit by it). Absent from drafts written before it existed.
    #[serde(default)]
    pub line: Option<LineId>,
    /// The billing service's name for the rate ("Normala", "SDD"), once the VAT check matched
    /// it; a 0 % line without a name on a VAT payer's invoice would take the service's default.
    #[serde(default)]
    pub vat_name: Option<String>,
}

impl DraftLine {
    /// Quantity × unit price, VAT included, rounded to the ban.
    #[must_use]
    pub fn total(&self) -> Decimal {
        round_to_ban(self.unit_price * Decimal::from(self.quantity))
    }
}

/// An invoice ready to be sent to the billing service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDraft {
    pub order_id: OrderId,
    /// "Comanda Shopify #1001" goes in the mentions.
    pub order_name: String,
    pub client: Client,
    pub currency: Currency,
    /// Discharge stock (`useStock`): true when a warehouse is set.
    pub use_stock: bool,
    pub lines: Vec<DraftLine>,
}

impl InvoiceDraft {
    /// The invoice total, VAT included.
    #[must_use]
    pub fn total(&self) -> Decimal {
        self.lines.iter().map(DraftLine::total).sum()
    }

    /// VAT per rate, as the billing service will compute it from VAT-included line totals.
    #[must_use]
    pub fn vat_by_rate(&self) -> Vec<(VatRate, Decimal)> {
        let mut by_rate: Vec<(VatRate, Decimal)> = Vec::new();
        for line in &self.lines {
            let vat = line.vat_rate.vat_in_gross(line.total());
            match by_rate.iter_mut().find(|(r, _)| *r == line.vat_rate) {
                Some((_, sum)) => *sum += vat,
                None => by_rate.push((line.vat_rate, vat)),
            }
        }
        by_rate.sort_unstable_by_key(|(r, _)| *r);
        by_rate
    }
}

/// Why no draft could be made.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
pub enum InvoiceError {
    #[error("the order has nothing left to invoice")]
    NothingToInvoice,
    #[error(transparent)]
    Client(#[from] CuiError),
    #[error("the draft totals {draft} but the Shopify order totals {shopify}")]
    TotalMismatch { draft: Decimal, shopify: Decimal },
}

/// Builds the invoice draft for `order`. `billing_names` maps codes to billing nomenclature
/// names, used when "Use the warehouse name" is on.
pub fn draft_invoice(
    order: &Order,
    settings: &InvoiceSettings,
    billing_names: &HashMap<ProductCode, String>,
) -> Result<InvoiceDraft, InvoiceError> {
    draft_invoice_from(order, settings, billing_names, &Discharge::default())
}

/// As [`draft_invoice`], discharging each line from the warehouses `discharge` names (several
/// locations) and kits as their components.
pub fn draft_invoice_from(
    order: &Order,
    settings: &InvoiceSettings,
    billing_names: &HashMap<ProductCode, String>,
    discharge: &Discharge,
) -> Result<InvoiceDraft, InvoiceError> {
    let client = Client::from_customer(&order.customer)?;
    let mut lines = Vec::new();
    for line in order.lines.iter().filter(|l| l.quantity > 0) {
        let at = Lookups {
            settings,
            billing_names,
            discharge,
        };
        product_lines(order, line, &at, &mut lines);
    }
    if lines.is_empty() {
        return Err(InvoiceError::NothingToInvoice);
    }
    for ship in &order.shipping {
        let tax = if order.taxes_included {
            Decimal::ZERO
        } else {
            ship.tax
        };
        let amount = round_to_ban(ship.price - ship.discount + tax);
        if amount > Decimal::ZERO {
            lines.push(DraftLine {
                kind: DraftLineKind::Shipping,
                name: format!("{} {}", settings.shipping_name, ship.title)
                    .trim()
                    .to_owned(),
                code: None,
                quantity: 1,
                unit_price: amount,
                vat_rate: settings.vat.rate_for(ship.vat_rate, true),
                warehouse: None,
                line: None,
                vat_name: None,
            });
        }
    }
    let draft = InvoiceDraft {
        order_id: order.id,
        order_name: order.name.clone(),
        client,
        currency: order.currency.clone(),
        use_stock: settings.discharge_from.is_some(),
        lines,
    };
    let total = draft.total();
    if total != order.total {
        return Err(InvoiceError::TotalMismatch {
            draft: total,
            shopify: order.total,
        });
    }
    Ok(draft)
}

/// Splits `total` over `quantity` units into at most two (quantity, unit price) groups whose
/// totals add up to `total` rounded to the ban: e.g. 100.00 over 3 is 2 × 33.33 + 1 × 33.34.
#[must_use]
pub fn split_evenly(total: Decimal, quantity: i64) -> Vec<(i64, Decimal)> {
    let bani = (round_to_ban(total) * Decimal::ONE_HUNDRED)
        .to_i128()
        .unwrap_or(0);
    let q = i128::from(quantity.max(1));
    let (base, rest) = (bani.div_euclid(q), bani.rem_euclid(q));
    let price = |b: i128| Decimal::from_i128_with_scale(b, 2);
    let rest = i64::try_from(rest).unwrap_or(0);
    let mut groups = vec![(quantity - rest, price(base)), (rest, price(base + 1))];
    groups.retain(|(n, _)| *n > 0);
    groups
}

#[cfg(test)]
#[path = "invoice_tests.rs"]
mod tests;
