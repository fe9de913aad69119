//! GraphQL objects of orders, with the fields an invoice needs: totals before and after returns,
//! VAT tax lines per rate, discounts, shipping and refunds (computed in `order_money`), addresses
//! and fulfilment orders telling which location's `committed` the order holds.

use apollo_compiler::resolvers::{ObjectValue, ResolveInfo, ResolvedValue};
use rust_decimal::Decimal;

use super::catalog::{R, gid, opt_str, time};
use super::model::{LineItem, Order, ShopState};
use super::order_lines::{LineObj, RefundObj, shipping_lines};
use super::order_money as m;
use super::order_parts::{AddressObj, CustomerObj, MoneyBag, TaxLine, withheld};
use super::page::{not_simulated, paginate};
use super::search::Value;
use super::shop::LocationObj;

/// `displayFulfillmentStatus`: RESTOCKED when every item went back to stock before any was
/// fulfilled, ON_HOLD while held, then by what was fulfilled.
pub fn fulfillment_status(o: &Order) -> &'static str {
    let current: i64 = o.lines.iter().map(LineItem::current_quantity).sum();
    let fulfilled: i64 = o.lines.iter().map(|l| l.fulfilled).sum();
    let restocked = o
        .refunds
        .iter()
        .flat_map(|r| &r.lines)
        .any(|l| l.restock_type != "NO_RESTOCK");
    match (fulfilled, current) {
        (0, 0) if restocked => "RESTOCKED",
        (0, _) if o.on_hold && o.cancelled_at.is_none() => "ON_HOLD",
        (0, _) => "UNFULFILLED",
        (f, c) if f >= c => "FULFILLED",
        _ => "PARTIALLY_FULFILLED",
    }
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
            "ON_HOLD" => "on_hold",
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
        let (before, now) = (m::totals(o, false), m::totals(o, true));
        let cart = |current: bool| -> Decimal {
            o.lines
                .iter()
                .map(|l| {
                    if current {
                        m::current_discount(o, l)
                    } else {
                        l.discount
                    }
                })
                .sum()
        };
        let money = |amount: Decimal| ResolvedValue::object(MoneyBag(amount));
        let allowed = self.st.protected_customer_data;
        let protected = ["email", "phone", "billingAddress", "shippingAddress"];
        if !allowed && protected.contains(&info.field_name()) {
            return Err(withheld());
        }
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
            "paymentGatewayNames" => ResolvedValue::list([ResolvedValue::leaf(o.gateway.clone())]),
            "displayFulfillmentStatus" => ResolvedValue::leaf(fulfillment_status(o)),
            "currencyCode" | "presentmentCurrencyCode" => ResolvedValue::leaf("RON"),
            "taxesIncluded" => ResolvedValue::leaf(o.taxes_included),
            "email" => ResolvedValue::leaf(o.email.clone()),
            "phone" => opt_str(o.address.phone.as_deref()),
            "poNumber" => ResolvedValue::null(),
            "note" => opt_str(o.note.as_deref()),
            "customer" => ResolvedValue::object(CustomerObj { o, allowed }),
            "billingAddress" | "shippingAddress" => ResolvedValue::object(AddressObj(&o.address)),
            "subtotalPriceSet" => money(before.subtotal),
            "currentSubtotalPriceSet" => money(now.subtotal),
            "totalPriceSet" => money(before.total),
            "currentTotalPriceSet" => money(now.total),
            "totalTaxSet" => money(before.tax),
            "currentTotalTaxSet" => money(now.tax),
            "totalShippingPriceSet" => money(o.shipping),
            "currentShippingPriceSet" => money(now.shipping),
            "totalDiscountsSet" => money(before.discounts),
            "currentTotalDiscountsSet" => money(now.discounts),
            "cartDiscountAmountSet" => money(cart(false)),
            "currentCartDiscountAmountSet" => money(cart(true)),
            "totalRefundedSet" => money(o.refunded_amount),
            "taxLines" => TaxLine::list(m::tax_lines(o, false)),
            "currentTaxLines" => TaxLine::list(m::tax_lines(o, true)),
            "discountCode" => opt_str(o.discount_code.as_ref().map(|c| c.code.as_str())),
            "discountCodes" => ResolvedValue::list(
                o.discount_code
                    .iter()
                    .map(|c| ResolvedValue::leaf(c.code.clone())),
            ),
            "shippingLines" => {
                let nodes = shipping_lines(o);
                ResolvedValue::object(paginate(
                    info,
                    nodes,
                    "ShippingLineConnection",
                    "ShippingLineEdge",
                )?)
            }
            "shippingLine" => {
                ResolvedValue::nullable_object(shipping_lines(o).into_iter().next().map(|(_, s)| s))
            }
            "refunds" => {
                let first = info.arguments().get("first").and_then(|v| v.as_i64());
                let take = first.map_or(usize::MAX, |n| usize::try_from(n.max(0)).unwrap_or(0));
                ResolvedValue::list(
                    o.refunds
                        .iter()
                        .take(take)
                        .map(|r| ResolvedValue::object(RefundObj { st: self.st, o, r })),
                )
            }
            "lineItems" => {
                let nodes = o
                    .lines
                    .iter()
                    .map(|l| (l.id, LineObj { st: self.st, o, l }))
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
                    .map(|l| (l.id + 900_000, FoLine { st: self.st, o, l }))
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
    o: &'s Order,
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
                o: self.o,
                l: self.l,
            }),
            _ => return Err(not_simulated(info, "FulfillmentOrderLineItem")),
        })
    }
}
