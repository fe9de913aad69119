//! Shopify order answers as they come over the wire (GraphQL shape, camelCase). Amounts are
//! decimal strings and tax rates floats; both become exact `Decimal`s through their text, never
//! through f64 arithmetic. `order_map` turns these into `ShopifyOrder`s.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

use crate::orders::Address;
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

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MoneyBag {
    shop_money: Money,
}

#[derive(Clone, Deserialize)]
struct Money {
    #[serde(deserialize_with = "decimal")]
    amount: Decimal,
}

impl MoneyBag {
    pub(crate) fn amount(&self) -> Decimal {
        self.shop_money.amount
    }
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TaxLineWire {
    #[serde(default, deserialize_with = "opt_decimal")]
    pub rate: Option<Decimal>,
    #[serde(default, deserialize_with = "opt_decimal")]
    pub rate_percentage: Option<Decimal>,
    pub price_set: MoneyBag,
}

#[derive(Clone, Deserialize)]
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

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CustomerWire {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub default_email_address: Option<EmailWire>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EmailWire {
    pub email_address: Option<String>,
}

#[derive(Clone, Deserialize)]
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
    #[serde(default)]
    pub payment_gateway_names: Vec<String>,
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
    pub current_shipping_price_set: MoneyBag,
    pub total_refunded_set: MoneyBag,
    pub current_tax_lines: Vec<TaxLineWire>,
    pub shipping_lines: Connection<ShippingLineWire>,
    pub line_items: Connection<LineWire>,
}

/// A shipping line: its price after discounts and refunds, and its tax lines.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ShippingLineWire {
    pub title: String,
    pub current_discounted_price_set: MoneyBag,
    pub tax_lines: Vec<TaxLineWire>,
}

/// One discount application's share of a line, over all the line's ordered units.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AllocationWire {
    pub allocated_amount_set: MoneyBag,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RefundWire {
    /// Absent only in documents written before credits were read (tests of the line mapping).
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub total_refunded_set: Option<MoneyBag>,
    #[serde(default)]
    pub refund_shipping_lines: Option<NodesOnly<RefundShippingWire>>,
    pub refund_line_items: Connection<RefundLineWire>,
}

/// A connection read without its page info (a refund has one or two shipping lines).
#[derive(Clone, Deserialize)]
pub(crate) struct NodesOnly<T> {
    pub nodes: Vec<T>,
}

/// Shipping given back by a refund: its amount on the order's price basis (tax included when
/// the order's prices include it, as a shipping line's price) and its tax.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RefundShippingWire {
    pub subtotal_amount_set: MoneyBag,
    pub tax_amount_set: MoneyBag,
}

/// Units of a line given back by a refund or removed by an order edit, with what Shopify priced
/// them at: `price_set` per unit before discounts, `subtotal_set` after, `total_tax_set` their tax.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RefundLineWire {
    pub line_item: IdOnly,
    pub quantity: i64,
    /// CANCEL, RETURN, NO_RESTOCK or LEGACY_RESTOCK (absent in older test documents).
    #[serde(default)]
    pub restock_type: Option<String>,
    pub price_set: MoneyBag,
    pub subtotal_set: MoneyBag,
    pub total_tax_set: MoneyBag,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LineWire {
    pub id: String,
    pub name: String,
    pub sku: Option<String>,
    pub quantity: i64,
    pub current_quantity: i64,
    pub unfulfilled_quantity: i64,
    pub taxable: bool,
    pub requires_shipping: bool,
    pub variant: Option<LineVariant>,
    pub original_unit_price_set: MoneyBag,
    /// Every discount's share of the line, refunded and removed units included.
    pub discount_allocations: Vec<AllocationWire>,
    /// Taxes of every ordered unit, refunded and removed ones included.
    pub tax_lines: Vec<TaxLineWire>,
    /// The Shopify bundle this line is a component of (absent in older test documents).
    #[serde(default)]
    pub line_item_group: Option<crate::bundles::LineGroupWire>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LineVariant {
    pub id: String,
    pub barcode: Option<String>,
    pub inventory_item: Option<IdOnly>,
}

#[derive(Clone, Deserialize)]
pub(crate) struct IdOnly {
    pub id: String,
}
