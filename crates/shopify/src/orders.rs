//! Orders changed since a cursor, with everything an invoice draft needs (refunds read only for
//! orders that lost units), and their mapping to the core's `Order`. The query reaches back an
//! overlap window before the cursor (see `cursor.rs` for the de-duplication); wire → domain
//! mapping lives in `order_map.rs`.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use punte_core::credit_note::RefundFacts;
use punte_core::money::{Currency, VatRate};
use punte_core::order::{Customer, LineId, Order, OrderId, OrderLine, OrderState, ShippingLine};
use punte_core::product::{CodeSource, InventoryItemId, ProductCode, VariantId};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;

use crate::answer::Withheld;
use crate::cursor::{OrderCursor, OrderPage, advance, delivered};
use crate::documents::{LINES_PAGE, ORDER_LINES, ORDER_REFUNDS, ORDERS_CHANGED, ORDERS_PAGE};
use crate::ids::{gid, require_gid};
use crate::order_map::map_order;
use crate::order_wire::{LineWire, OrderWire, RefundWire};
use crate::page::{Connection, quote};
use crate::{ShopifyClient, ShopifyError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub name: String,
    pub company: Option<String>,
    pub address1: String,
    pub address2: Option<String>,
    pub zip: String,
    pub city: String,
    /// Județ.
    pub province: String,
    pub country: String,
    pub country_code: Option<String>,
    pub phone: Option<String>,
}

/// An order line as Shopify has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopifyLine {
    pub id: LineId,
    pub title: String,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    /// None for custom items and deleted variants.
    pub variant_id: Option<VariantId>,
    pub inventory_item_id: Option<InventoryItemId>,
    /// As ordered.
    pub quantity: i64,
    /// After refunds and edits: what is invoiced and reserved.
    pub current_quantity: i64,
    pub unfulfilled_quantity: i64,
    /// Original unit price (tax included when the order's prices include tax).
    pub unit_price: Decimal,
    /// All discounts on the line's current units: Shopify's allocations less what refunds and
    /// edits took back.
    pub discount: Decimal,
    pub vat_rate: Option<VatRate>,
    /// Tax of the line's current units.
    pub tax: Decimal,
    pub taxable: bool,
    pub requires_shipping: bool,
    /// The Shopify bundle this line is a component of (`lineItemGroup`), if any.
    pub group: Option<crate::LineGroup>,
}

/// A shipping line at its current price after discounts and refunds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopifyShipping {
    /// The carrier's rate name ("Fan Courier"); empty when Shopify listed none.
    pub title: String,
    pub price: Decimal,
    pub vat_rate: Option<VatRate>,
    /// Its current tax (added on top only when prices exclude tax).
    pub tax: Decimal,
}

/// An order as Shopify has it, with the fields Punte uses to reserve, invoice and reconcile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopifyOrder {
    pub id: OrderId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub test: bool,
    /// `displayFinancialStatus`: PENDING (cash on delivery until paid), AUTHORIZED,
    /// PARTIALLY_PAID, PAID, PARTIALLY_REFUNDED, REFUNDED, VOIDED, EXPIRED.
    pub financial_status: Option<String>,
    /// `displayFulfillmentStatus`: UNFULFILLED, ON_HOLD, SCHEDULED, IN_PROGRESS,
    /// PARTIALLY_FULFILLED, FULFILLED, RESTOCKED, …
    pub fulfillment_status: String,
    /// `paymentGatewayNames`, e.g. "Cash on Delivery (COD)".
    pub payment_gateways: Vec<String>,
    pub currency: Currency,
    pub taxes_included: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub note: Option<String>,
    pub customer_first_name: Option<String>,
    pub customer_last_name: Option<String>,
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
    pub lines: Vec<ShopifyLine>,
    pub shipping: Vec<ShopifyShipping>,
    /// Fields Shopify withheld from this order (protected customer data the app may not read,
    /// e.g. `email`, `billingAddress`, `firstName`); empty when it sent everything.
    pub withheld: Vec<String>,
    /// Shopify's `current*` totals: after discounts, refunds and edits.
    pub subtotal: Decimal,
    pub total: Decimal,
    pub total_tax: Decimal,
    pub total_discounts: Decimal,
    /// Current shipping after discounts and refunds (tax included when prices include it).
    pub total_shipping: Decimal,
    pub total_refunded: Decimal,
    /// The order-level tax rate, when all its tax lines share one.
    pub vat_rate: Option<VatRate>,
    /// Shopify's refunds of the order (read when it lost units or money was given back).
    pub refunds: Vec<RefundFacts>,
}

impl ShopifyOrder {
    /// The core's view of this order, with product codes taken from `source`. A cancelled order
    /// maps to `Cancelled`, any other to `Open`; the engine keeps its own later states.
    #[must_use]
    pub fn to_core(&self, source: CodeSource) -> Order {
        let lines = self.lines.iter().map(|l| {
            let code = match source {
                CodeSource::Sku => l.sku.as_deref(),
                CodeSource::Barcode => l.barcode.as_deref(),
            };
            OrderLine {
                id: l.id,
                code: code.filter(|c| !c.trim().is_empty()).map(ProductCode::from),
                variant_id: l.variant_id,
                title: l.title.clone(),
                quantity: l.current_quantity,
                refunded: (l.quantity - l.current_quantity).max(0),
                fulfilled: (l.current_quantity - l.unfulfilled_quantity).max(0),
                unit_price: l.unit_price,
                discount: l.discount,
                vat_rate: l.vat_rate,
                tax: l.tax,
                taxable: l.taxable,
            }
        });
        let shipping = self.shipping.iter().map(|s| ShippingLine {
            title: s.title.clone(),
            price: s.price,
            discount: Decimal::ZERO,
            vat_rate: s.vat_rate.or(self.vat_rate),
            tax: s.tax,
        });
        let billing = self
            .billing_address
            .as_ref()
            .or(self.shipping_address.as_ref());
        let full_name = [&self.customer_first_name, &self.customer_last_name]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        let customer = Customer {
            name: billing
                .map(|a| a.name.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or(full_name),
            email: self.email.clone(),
            company: billing.and_then(|a| a.company.clone()),
            cui: crate::cui::find_cui(
                billing
                    .and_then(|a| a.company.as_deref())
                    .into_iter()
                    .chain(self.note.as_deref()),
            ),
            reg_com: None,
            address: billing.map_or_else(String::new, |a| {
                [Some(a.address1.as_str()), a.address2.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
            city: billing.map(|a| a.city.clone()).unwrap_or_default(),
            county: billing.map(|a| a.province.clone()).unwrap_or_default(),
            country: billing.map(|a| a.country.clone()).unwrap_or_default(),
        };
        Order {
            id: self.id,
            name: self.name.clone(),
            created_at: self.created_at,
            state: if self.cancelled_at.is_some() {
                OrderState::Cancelled
            } else {
                OrderState::Open
            },
            lines: lines.collect(),
            shipping: shipping.collect(),
            customer,
            currency: self.currency.clone(),
            taxes_included: self.taxes_included,
            total: self.total,
        }
    }
}

impl ShopifyClient {
    /// Orders created or updated since `cursor`, reaching `overlap` further back and skipping
    /// what the cursor says was already delivered.
    pub async fn orders_changed(
        &self,
        cursor: &OrderCursor,
        overlap: Duration,
    ) -> Result<OrderPage, ShopifyError> {
        #[derive(Deserialize)]
        struct Data {
            orders: Connection<OrderWire>,
        }
        let overlap = TimeDelta::from_std(overlap).unwrap_or(TimeDelta::MAX);
        let query = cursor.updated_at.map_or_else(String::new, |t| {
            let from = (t - overlap).to_rfc3339_opts(SecondsFormat::Secs, true);
            format!("updated_at:>={}", quote(&from))
        });
        let mut fetched: Vec<ShopifyOrder> = Vec::new();
        let mut withheld: Vec<Withheld> = Vec::new();
        let mut after: Option<String> = None;
        let mut first = ORDERS_PAGE;
        loop {
            let vars = |n| json!({"first": n, "after": after, "query": query});
            let (d, denied): (Data, _) =
                self.page_partial(&ORDERS_CHANGED, &mut first, vars).await?;
            for (index, mut w) in d.orders.nodes.into_iter().enumerate() {
                let at = index.to_string();
                let mut fields: Vec<String> = denied
                    .iter()
                    .filter(|x| x.path.get(2) == Some(&at))
                    .map(|x| x.field().to_owned())
                    .collect();
                fields.sort();
                fields.dedup();
                let mut lines = std::mem::take(&mut w.line_items.nodes);
                if let Some(next) = w.line_items.page_info.next() {
                    lines.extend(self.remaining_lines(&w.id, next).await?);
                }
                // Refunds only change amounts, which the cursor's fingerprint leaves out: an
                // order re-read unchanged inside the overlap window needs no refund read.
                // Money given back with no unit gone (shipping only) needs the refunds too.
                let lost = lines.iter().any(LineWire::lost_units)
                    || w.total_refunded_set.amount() > Decimal::ZERO;
                let refunds =
                    if lost && !delivered(cursor, &map_order(w.clone(), lines.clone(), &[])?) {
                        self.refunds(&w.id).await?
                    } else {
                        Vec::new()
                    };
                let mut order = map_order(w, lines, &refunds)?;
                order.withheld = fields;
                fetched.push(order);
            }
            for x in denied {
                if !withheld.iter().any(|y| y.field() == x.field()) {
                    withheld.push(x);
                }
            }
            match d.orders.page_info.next() {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        let mut page = advance(cursor, fetched, overlap);
        page.withheld = withheld;
        Ok(page)
    }

    async fn remaining_lines(
        &self,
        order_gid: &str,
        mut after: String,
    ) -> Result<Vec<LineWire>, ShopifyError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Lines {
            line_items: Connection<LineWire>,
        }
        #[derive(Deserialize)]
        struct Data {
            order: Option<Lines>,
        }
        let id = require_gid(order_gid, "Order").map(|n| gid("Order", n))?;
        let mut out = Vec::new();
        let mut first = LINES_PAGE;
        loop {
            let vars = |n| json!({"id": id, "first": n, "after": after});
            let d: Data = self.page(&ORDER_LINES, &mut first, vars).await?;
            let Some(order) = d.order else {
                return Ok(out);
            };
            out.extend(order.line_items.nodes);
            match order.line_items.page_info.next() {
                Some(c) => after = c,
                None => return Ok(out),
            }
        }
    }

    /// An order's refunds, with the refund line items that price refunded and edit-removed units.
    async fn refunds(&self, order_gid: &str) -> Result<Vec<RefundWire>, ShopifyError> {
        #[derive(Deserialize)]
        struct Refunds {
            refunds: Vec<RefundWire>,
        }
        #[derive(Deserialize)]
        struct Data {
            order: Option<Refunds>,
        }
        let id = require_gid(order_gid, "Order").map(|n| gid("Order", n))?;
        let d: Data = self
            .transport
            .execute(&ORDER_REFUNDS, json!({"id": id}))
            .await?;
        Ok(d.order.map(|o| o.refunds).unwrap_or_default())
    }
}
