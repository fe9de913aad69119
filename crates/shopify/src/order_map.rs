//! Shopify order answers (wire shape) and their mapping into `punte-core` orders. Amounts are
//! decimal strings and tax rates floats on the wire; both become exact `Decimal`s through their
//! text, never through f64 arithmetic.

use chrono::{DateTime, Utc};
use punte_core::money::VatRate;
use punte_core::order::LineId;
use punte_core::product::{InventoryItemId, VariantId};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

use crate::ShopifyError;
use crate::ids::{parse_gid, require_gid};
use crate::orders::{Address, ShopifyLine};
use crate::page::Connection;

/// Reads a decimal from a JSON string ("12.50") or number (0.21) via its text.
pub(crate) fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    let text = match &v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        other => return Err(serde::de::Error::custom(format!("not a decimal: {other}"))),
    };
    text.parse::<Decimal>()
        .or_else(|_| Decimal::from_scientific(&text))
        .map(|d| d.normalize())
        .map_err(serde::de::Error::custom)
}

fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    v.map(|v| decimal(v).map_err(serde::de::Error::custom))
        .transpose()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MoneyBag {
    shop_money: Money,
}

#[derive(Deserialize)]
struct Money {
    #[serde(deserialize_with = "decimal")]
    amount: Decimal,
}

impl MoneyBag {
    pub(crate) fn amount(&self) -> Decimal {
        self.shop_money.amount
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TaxLineWire {
    #[serde(default, deserialize_with = "opt_decimal")]
    rate: Option<Decimal>,
    #[serde(default, deserialize_with = "opt_decimal")]
    rate_percentage: Option<Decimal>,
    price_set: MoneyBag,
}

/// The tax rate in percent and the tax amount of a list of tax lines. A line normally has one
/// (TVA); with several, the amounts add up and the rate is kept only when they all agree.
pub(crate) fn tax_of(lines: &[TaxLineWire]) -> (Option<VatRate>, Decimal) {
    let amount = lines.iter().map(|t| t.price_set.amount()).sum();
    let rates: Vec<Decimal> = lines
        .iter()
        .filter_map(|t| {
            t.rate_percentage
                .or(t.rate.map(|r| r * Decimal::ONE_HUNDRED))
                .map(|r| r.normalize())
        })
        .collect();
    let rate = match rates.split_first() {
        Some((first, rest)) if rest.iter().all(|r| r == first) => Some(VatRate(*first)),
        _ => None,
    };
    (rate, amount)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AddressWire {
    name: Option<String>,
    company: Option<String>,
    address1: Option<String>,
    address2: Option<String>,
    zip: Option<String>,
    city: Option<String>,
    province: Option<String>,
    country: Option<String>,
    country_code_v2: Option<String>,
    phone: Option<String>,
}

impl From<AddressWire> for Address {
    fn from(a: AddressWire) -> Self {
        Self {
            name: a.name.unwrap_or_default(),
            company: a.company.filter(|c| !c.trim().is_empty()),
            address1: a.address1.unwrap_or_default(),
            address2: a.address2.filter(|c| !c.trim().is_empty()),
            zip: a.zip.unwrap_or_default(),
            city: a.city.unwrap_or_default(),
            province: a.province.unwrap_or_default(),
            country: a.country.unwrap_or_default(),
            country_code: a.country_code_v2,
            phone: a.phone,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CustomerWire {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub default_email_address: Option<EmailWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EmailWire {
    pub email_address: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrderWire {
    pub id: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub test: bool,
    pub display_financial_status: Option<String>,
    pub display_fulfillment_status: String,
    pub currency_code: String,
    pub taxes_included: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub note: Option<String>,
    pub customer: Option<CustomerWire>,
    pub billing_address: Option<AddressWire>,
    pub shipping_address: Option<AddressWire>,
    pub current_subtotal_price_set: MoneyBag,
    pub current_total_price_set: MoneyBag,
    pub current_total_tax_set: MoneyBag,
    pub current_total_discounts_set: MoneyBag,
    pub total_shipping_price_set: MoneyBag,
    pub total_refunded_set: MoneyBag,
    pub tax_lines: Vec<TaxLineWire>,
    pub line_items: Connection<LineWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LineWire {
    id: String,
    name: String,
    sku: Option<String>,
    quantity: i64,
    current_quantity: i64,
    unfulfilled_quantity: i64,
    taxable: bool,
    requires_shipping: bool,
    variant: Option<LineVariant>,
    original_unit_price_set: MoneyBag,
    discounted_unit_price_after_all_discounts_set: MoneyBag,
    tax_lines: Vec<TaxLineWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LineVariant {
    id: String,
    barcode: Option<String>,
    inventory_item: Option<IdOnly>,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

impl LineWire {
    pub(crate) fn into_line(self) -> Result<ShopifyLine, ShopifyError> {
        let (vat_rate, tax) = tax_of(&self.tax_lines);
        let unit_price = self.original_unit_price_set.amount();
        let discounted = self.discounted_unit_price_after_all_discounts_set.amount();
        let variant = self.variant.as_ref();
        Ok(ShopifyLine {
            id: LineId(require_gid(&self.id, "LineItem")?),
            title: self.name,
            sku: self.sku.filter(|s| !s.trim().is_empty()),
            barcode: variant.and_then(|v| v.barcode.clone()),
            variant_id: variant
                .and_then(|v| parse_gid(&v.id, "ProductVariant"))
                .map(VariantId),
            inventory_item_id: variant
                .and_then(|v| v.inventory_item.as_ref())
                .and_then(|i| parse_gid(&i.id, "InventoryItem"))
                .map(InventoryItemId),
            quantity: self.quantity,
            current_quantity: self.current_quantity,
            unfulfilled_quantity: self.unfulfilled_quantity,
            unit_price,
            discount: (unit_price - discounted).max(Decimal::ZERO)
                * Decimal::from(self.current_quantity),
            vat_rate,
            tax,
            taxable: self.taxable,
            requires_shipping: self.requires_shipping,
        })
    }
}
