//! GraphQL objects of orders, with the fields an invoice needs: money bags, VAT tax lines
//! (prices include 21% VAT, as in a Romanian shop), line quantities, addresses and fulfilment
//! orders telling which location's `committed` the order holds.

use apollo_compiler::resolvers::{ObjectValue, ResolveInfo, ResolvedValue};
use rust_decimal::{Decimal, RoundingStrategy};

use super::catalog::{R, VariantObj, gid, opt_str, time};
use super::model::{LineItem, Order, ShopState};
use super::order_parts::{AddressObj, CustomerObj, MoneyBag, TaxLine};
use super::page::{not_simulated, paginate};
use super::search::Value;
use super::shop::LocationObj;

/// Romanian standard VAT rate, in percent.
pub const VAT_PERCENT: Decimal = Decimal::from_parts(21, 0, 0, false, 0);

/// The VAT contained in a VAT-inclusive amount, rounded to bani.
pub fn vat_in(gross: Decimal) -> Decimal {
    (gross * VAT_PERCENT / (Decimal::ONE_HUNDRED + VAT_PERCENT))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

pub fn fulfillment_status(o: &Order) -> &'static str {
    let current: i64 = o.lines.iter().map(LineItem::current_quantity).sum();
    let fulfilled: i64 = o.lines.iter().map(|l| l.fulfilled).sum();
    match (fulfilled, current) {
        (0, _) => "UNFULFILLED",
        (f, c) if f >= c => "FULFILLED",
        _ => "PARTIALLY_FULFILLED",
    }
}

pub fn subtotal(o: &Order) -> Decimal {
    o.lines
        .iter()
        .map(|l| l.unit_price * Decimal::from(l.current_quantity()))
        .sum()
}

/// A record's searchable fields (`orders(query:)`).
pub fn order_field(o: &Order, field: Option<&str>) -> Value {
    let text = |s: &str| Value::Text(Some(s.to_owned()));
    match field {
        Some("updated_at") => Value::Time(o.updated_at),
        Some("created_at") | Some("processed_at") => Value::Time(o.created_at),
        Some("name") | None => text(&format!("#{}", o.number)),
        Some("id") => Value::Int(o.id as i64),
        Some("email") => text(&o.email),
        Some("financial_status") => text(&o.financial_status.to_lowercase()),
        Some("fulfillment_status") => text(match fulfillment_status(o) {
            "FULFILLED" => "shipped",
            "PARTIALLY_FULFILLED" => "partial",
            _ => "unshipped",
        }),
        Some("status") => text(match (o.cancelled_at, o.closed_at) {
            (Some(_), _) => "cancelled",
            (None, Some(_)) => "closed",
            _ => "open",
        }),
        _ => Value::Unknown,
    }
}

#[derive(Clone, Copy)]
pub struct OrderObj<'s> {
    pub st: &'s ShopState,
    pub o: &'s Order,
}

impl ObjectValue for OrderObj<'_> {
    fn type_name(&self) -> &str {
        "Order"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let o = self.o;
        let sub = subtotal(o);
        let line_tax: Decimal = o
            .lines
            .iter()
            .map(|l| vat_in(l.unit_price * Decimal::from(l.current_quantity())))
            .sum();
        let tax = line_tax + vat_in(o.shipping);
        let money = |amount: Decimal| ResolvedValue::object(MoneyBag(amount));
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("Order", o.id)),
            "legacyResourceId" => ResolvedValue::leaf(o.id.to_string()),
            "name" => ResolvedValue::leaf(format!("#{}", o.number)),
            "createdAt" | "processedAt" => time(o.created_at),
            "updatedAt" => time(o.updated_at),
            "cancelledAt" => o.cancelled_at.map_or(ResolvedValue::null(), time),
            "cancelReason" => opt_str(o.cancel_reason.as_deref()),
            "closedAt" => o.closed_at.map_or(ResolvedValue::null(), time),
            "closed" => ResolvedValue::leaf(o.closed_at.is_some()),
            "test" => ResolvedValue::leaf(false),
            "displayFinancialStatus" => ResolvedValue::leaf(o.financial_status.clone()),
            "displayFulfillmentStatus" => ResolvedValue::leaf(fulfillment_status(o)),
            "currencyCode" | "presentmentCurrencyCode" => ResolvedValue::leaf("RON"),
            "taxesIncluded" => ResolvedValue::leaf(true),
            "email" => ResolvedValue::leaf(o.email.clone()),
            "phone" => opt_str(o.address.phone.as_deref()),
            "poNumber" => ResolvedValue::null(),
            "note" => opt_str(o.note.as_deref()),
            "customer" => ResolvedValue::object(CustomerObj { o }),
            "billingAddress" | "shippingAddress" => ResolvedValue::object(AddressObj(&o.address)),
            "subtotalPriceSet" | "currentSubtotalPriceSet" => money(sub),
            "totalPriceSet" | "currentTotalPriceSet" => money(sub + o.shipping),
            "totalTaxSet" | "currentTotalTaxSet" => money(tax),
            "totalShippingPriceSet" => money(o.shipping),
            "totalDiscountsSet" | "currentTotalDiscountsSet" => money(Decimal::ZERO),
            "totalRefundedSet" => money(o.refunded_amount),
            "taxLines" => ResolvedValue::list([ResolvedValue::object(TaxLine(tax))]),
            "lineItems" => {
                let nodes = o
                    .lines
                    .iter()
                    .map(|l| (l.id, LineObj { st: self.st, l }))
                    .collect();
                ResolvedValue::object(paginate(info, nodes, "LineItemConnection", "LineItemEdge")?)
            }
            "fulfillmentOrders" => {
                let nodes = vec![(o.id, FulfillmentOrderObj { st: self.st, o })];
                let page = paginate(
                    info,
                    nodes,
                    "FulfillmentOrderConnection",
                    "FulfillmentOrderEdge",
                )?;
                ResolvedValue::object(page)
            }
            _ => return Err(not_simulated(info, "Order")),
        })
    }
}

#[derive(Clone, Copy)]
struct LineObj<'s> {
    st: &'s ShopState,
    l: &'s LineItem,
}

impl ObjectValue for LineObj<'_> {
    fn type_name(&self) -> &str {
        "LineItem"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let l = self.l;
        let money = |amount: Decimal| ResolvedValue::object(MoneyBag(amount));
        let current_total = l.unit_price * Decimal::from(l.current_quantity());
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("LineItem", l.id)),
            "name" | "title" => ResolvedValue::leaf(l.title.clone()),
            "sku" => opt_str(l.sku.as_deref()),
            "quantity" => ResolvedValue::leaf(l.quantity),
            "currentQuantity" | "refundableQuantity" => ResolvedValue::leaf(l.current_quantity()),
            "unfulfilledQuantity" => ResolvedValue::leaf(l.unfulfilled()),
            "nonFulfillableQuantity" => ResolvedValue::leaf(l.removed),
            "taxable" | "requiresShipping" => ResolvedValue::leaf(true),
            "vendor" => ResolvedValue::null(),
            "variant" => {
                let v = l.variant_id.and_then(|id| self.st.variants.get(&id));
                ResolvedValue::nullable_object(v.map(|v| VariantObj { st: self.st, v }))
            }
            "originalUnitPriceSet"
            | "discountedUnitPriceSet"
            | "discountedUnitPriceAfterAllDiscountsSet" => money(l.unit_price),
            "originalTotalSet" | "discountedTotalSet" => {
                money(l.unit_price * Decimal::from(l.quantity))
            }
            "totalDiscountSet" => money(Decimal::ZERO),
            "taxLines" => {
                ResolvedValue::list([ResolvedValue::object(TaxLine(vat_in(current_total)))])
            }
            _ => return Err(not_simulated(info, "LineItem")),
        })
    }
}

#[derive(Clone, Copy)]
struct FulfillmentOrderObj<'s> {
    st: &'s ShopState,
    o: &'s Order,
}

impl ObjectValue for FulfillmentOrderObj<'_> {
    fn type_name(&self) -> &str {
        "FulfillmentOrder"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let o = self.o;
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("FulfillmentOrder", o.id + 900_000)),
            "status" => ResolvedValue::leaf(match (o.cancelled_at, fulfillment_status(o)) {
                (Some(_), _) => "CANCELLED",
                (None, "FULFILLED") => "CLOSED",
                (None, "PARTIALLY_FULFILLED") => "IN_PROGRESS",
                _ => "OPEN",
            }),
            "assignedLocation" => ResolvedValue::object(Assigned {
                st: self.st,
                loc: o.location_id,
            }),
            "lineItems" => {
                let nodes = o
                    .lines
                    .iter()
                    .map(|l| (l.id + 900_000, FoLine { st: self.st, l }))
                    .collect();
                let conn = "FulfillmentOrderLineItemConnection";
                ResolvedValue::object(paginate(info, nodes, conn, "FulfillmentOrderLineItemEdge")?)
            }
            _ => return Err(not_simulated(info, "FulfillmentOrder")),
        })
    }
}

struct Assigned<'s> {
    st: &'s ShopState,
    loc: u64,
}

impl ObjectValue for Assigned<'_> {
    fn type_name(&self) -> &str {
        "FulfillmentOrderAssignedLocation"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let loc = self.st.locations.iter().find(|l| l.id == self.loc);
        Ok(match info.field_name() {
            "location" => {
                ResolvedValue::nullable_object(loc.map(|loc| LocationObj { st: self.st, loc }))
            }
            "name" => opt_str(loc.map(|l| l.name.as_str())),
            _ => return Err(not_simulated(info, "FulfillmentOrderAssignedLocation")),
        })
    }
}

#[derive(Clone, Copy)]
struct FoLine<'s> {
    st: &'s ShopState,
    l: &'s LineItem,
}

impl ObjectValue for FoLine<'_> {
    fn type_name(&self) -> &str {
        "FulfillmentOrderLineItem"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("FulfillmentOrderLineItem", self.l.id + 900_000)),
            "remainingQuantity" => ResolvedValue::leaf(self.l.unfulfilled()),
            "totalQuantity" => ResolvedValue::leaf(self.l.current_quantity()),
            "lineItem" => ResolvedValue::object(LineObj {
                st: self.st,
                l: self.l,
            }),
            _ => return Err(not_simulated(info, "FulfillmentOrderLineItem")),
        })
    }
}
