//! The one place Shopify's wire orders become `ShopifyOrder`s. Amounts are Shopify's own, for the
//! *current* quantities: a line's discount is the sum of its discount allocations less what
//! refund line items gave back (Shopify keeps allocations and tax lines of refunded and removed
//! units on the line), and shipping is its current discounted price. So the lines and shipping
//! add up to `currentTotalPriceSet` to the ban, with no per-unit rounding of ours in between.

use std::collections::HashMap;

use punte_core::money::{Currency, VatRate, round_to_ban};
use punte_core::order::{LineId, OrderId};
use punte_core::product::{InventoryItemId, VariantId};
use rust_decimal::Decimal;

use crate::ShopifyError;
use crate::ids::{parse_gid, require_gid};
use crate::order_wire::{LineWire, OrderWire, RefundWire, TaxLineWire};
use crate::orders::{Address, ShopifyLine, ShopifyOrder, ShopifyShipping};

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

/// What refund line items (refunds and order-edit removals) took off one line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Removed {
    pub units: i64,
    /// Their undiscounted price (unit price × units).
    pub gross: Decimal,
    /// What they had cost after discounts.
    pub subtotal: Decimal,
    pub tax: Decimal,
}

/// Refund line items summed per line id.
pub(crate) fn removed_by_line(refunds: &[RefundWire]) -> HashMap<String, Removed> {
    let mut out: HashMap<String, Removed> = HashMap::new();
    for r in refunds.iter().flat_map(|r| &r.refund_line_items.nodes) {
        let e = out.entry(r.line_item.id.clone()).or_default();
        e.units += r.quantity;
        e.gross += r.price_set.amount() * Decimal::from(r.quantity);
        e.subtotal += r.subtotal_set.amount();
        e.tax += r.total_tax_set.amount();
    }
    out
}

/// The share of `amount` carried by `part` of `of` units, rounded to the ban (all of it when
/// `part == of`).
fn share(amount: Decimal, part: i64, of: i64) -> Decimal {
    if part >= of || of <= 0 {
        return amount;
    }
    round_to_ban(amount * Decimal::from(part) / Decimal::from(of))
}

impl LineWire {
    /// Maps one line, given what refund line items removed from it. Units gone without a refund
    /// line item in `removed` (more refunds than one page brings) carry a pro-rata share.
    pub(crate) fn into_line(self, removed: Removed) -> Result<ShopifyLine, ShopifyError> {
        let (vat_rate, tax_all) = tax_of(&self.tax_lines);
        let unit_price = self.original_unit_price_set.amount();
        let allocated: Decimal = self
            .discount_allocations
            .iter()
            .map(|a| a.allocated_amount_set.amount())
            .sum();
        let left_units = self.quantity - removed.units;
        let discount_left = allocated - (removed.gross - removed.subtotal);
        let tax_left = tax_all - removed.tax;
        let unexplained = (left_units - self.current_quantity).max(0);
        let keep = left_units - unexplained;
        let discount = share(discount_left, keep, left_units).max(Decimal::ZERO);
        let tax = share(tax_left, keep, left_units).max(Decimal::ZERO);
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
            discount,
            vat_rate,
            tax,
            taxable: self.taxable,
            requires_shipping: self.requires_shipping,
            group: self
                .line_item_group
                .and_then(crate::bundles::LineGroupWire::into_group),
        })
    }

    /// True when some units are gone (refunded or removed by an edit): only then do the
    /// order's refunds matter for the amounts.
    pub(crate) fn lost_units(&self) -> bool {
        self.current_quantity < self.quantity
    }
}

/// Maps an order with all its lines and its refunds.
pub(crate) fn map_order(
    w: OrderWire,
    lines: Vec<LineWire>,
    refunds: &[RefundWire],
) -> Result<ShopifyOrder, ShopifyError> {
    let removed = removed_by_line(refunds);
    let lines = lines
        .into_iter()
        .map(|l| {
            let r = removed.get(&l.id).copied().unwrap_or_default();
            l.into_line(r)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (vat_rate, _) = tax_of(&w.current_tax_lines);
    let shipping = shipping_of(&w, &lines);
    let customer = w.customer;
    let email = customer
        .as_ref()
        .and_then(|c| c.default_email_address.as_ref())
        .and_then(|e| e.email_address.clone())
        .or(w.email);
    Ok(ShopifyOrder {
        id: OrderId(require_gid(&w.id, "Order")?),
        name: w.name,
        created_at: w.created_at,
        updated_at: w.updated_at,
        cancelled_at: w.cancelled_at,
        cancel_reason: w.cancel_reason,
        closed_at: w.closed_at,
        test: w.test,
        financial_status: w.display_financial_status,
        fulfillment_status: w.display_fulfillment_status,
        payment_gateways: w.payment_gateway_names,
        currency: Currency(w.currency_code),
        taxes_included: w.taxes_included,
        email,
        phone: w.phone,
        note: w.note,
        customer_first_name: customer.as_ref().and_then(|c| c.first_name.clone()),
        customer_last_name: customer.and_then(|c| c.last_name),
        billing_address: w.billing_address.map(Address::from),
        shipping_address: w.shipping_address.map(Address::from),
        lines,
        shipping,
        subtotal: w.current_subtotal_price_set.amount(),
        total: w.current_total_price_set.amount(),
        total_tax: w.current_total_tax_set.amount(),
        total_discounts: w.current_total_discounts_set.amount(),
        total_shipping: w.current_shipping_price_set.amount(),
        total_refunded: w.total_refunded_set.amount(),
        vat_rate,
        withheld: Vec::new(),
        refunds: crate::refund_map::refund_facts(refunds, w.taxes_included)?,
    })
}

/// Shipping lines at their current discounted price. Their tax is what the order's current tax
/// leaves after the lines' (Shopify's shipping tax lines are not reduced by refunds); with no
/// shipping line listed but a shipping price, one line carries it.
fn shipping_of(w: &OrderWire, lines: &[ShopifyLine]) -> Vec<ShopifyShipping> {
    let line_tax: Decimal = lines.iter().map(|l| l.tax).sum();
    let shipping_tax = (w.current_total_tax_set.amount() - line_tax).max(Decimal::ZERO);
    let mut tax_left = shipping_tax;
    let mut out: Vec<ShopifyShipping> = w
        .shipping_lines
        .nodes
        .iter()
        .map(|s| {
            let (vat_rate, _) = tax_of(&s.tax_lines);
            let price = s.current_discounted_price_set.amount();
            ShopifyShipping {
                title: s.title.clone(),
                price,
                vat_rate,
                tax: Decimal::ZERO,
            }
        })
        .collect();
    let current = w.current_shipping_price_set.amount();
    let listed: Decimal = out.iter().map(|s| s.price).sum();
    if listed != current {
        out = vec![ShopifyShipping {
            title: String::new(),
            price: current,
            vat_rate: None,
            tax: Decimal::ZERO,
        }];
    }
    let total_price: Decimal = out.iter().map(|s| s.price).sum();
    let last = out.iter().rposition(|s| s.price > Decimal::ZERO);
    for (i, s) in out.iter_mut().enumerate() {
        if s.price <= Decimal::ZERO || total_price <= Decimal::ZERO {
            continue;
        }
        // Split by price; the last priced line takes what is left, so the taxes add up.
        s.tax = if Some(i) == last {
            tax_left
        } else {
            round_to_ban(shipping_tax * s.price / total_price)
        };
        tax_left -= s.tax;
    }
    out
}

#[cfg(test)]
#[path = "order_map_tests.rs"]
mod tests;
