//! GraphQL objects for an order's money parts: line items with their discount allocations and
//! tax lines, the shipping line, and refunds with their refund line items. Amounts come from
//! `order_money`, which computes them as Shopify does.

use apollo_compiler::resolvers::{ObjectValue, ResolveInfo, ResolvedValue};
use rust_decimal::Decimal;

use super::bundles::GroupObj;
use super::catalog::{R, VariantObj, gid, opt_str, time};
use super::model::{LineItem, Order, Refund, RefundedLine, ShopState};
use super::order_money::{self as m, SHIPPING_VAT};
use super::order_parts::{Money, MoneyBag, TaxLine};
use super::page::{not_simulated, paginate};

fn money<'a>(amount: Decimal) -> ResolvedValue<'a> {
    ResolvedValue::object(MoneyBag(amount))
}

#[derive(Clone, Copy)]
pub struct LineObj<'s> {
    pub st: &'s ShopState,
    pub o: &'s Order,
    pub l: &'s LineItem,
}

impl ObjectValue for LineObj<'_> {
    fn type_name(&self) -> &str {
        "LineItem"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let (o, l) = (self.o, self.l);
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
            // Line-level prices: the sim's discounts are all order-level codes, which these
            // fields leave out (as their descriptions say).
            "originalUnitPriceSet" | "discountedUnitPriceSet" => money(l.unit_price),
            "discountedUnitPriceAfterAllDiscountsSet" => money(m::approx_unit_after_discounts(l)),
            "originalTotalSet" => money(m::original_total(l)),
            "discountedTotalSet" => {
                let with_codes = info.arguments().get("withCodeDiscounts");
                match with_codes.and_then(|v| v.as_bool()) {
                    Some(true) => money(m::paid_total(l)),
                    _ => money(m::original_total(l)),
                }
            }
            "totalDiscountSet" => money(Decimal::ZERO),
            "priceAfterAllDiscountsBeforeTaxesSet" => {
                let tax = if o.taxes_included {
                    m::current_tax(o, l)
                } else {
                    Decimal::ZERO
                };
                money(m::current_total(o, l) - tax)
            }
            "discountAllocations" => allocations(o, l.discount, "LINE_ITEM"),
            "taxLines" => TaxLine::list(vec![(l.vat_percent, m::line_tax(o, l))]),
            "lineItemGroup" => ResolvedValue::nullable_object(l.group.as_ref().map(GroupObj)),
            _ => return Err(not_simulated(info, "LineItem")),
        })
    }
}

fn allocations<'a>(o: &'a Order, amount: Decimal, target: &'static str) -> ResolvedValue<'a> {
    let code = o
        .discount_code
        .as_ref()
        .map_or("FREESHIP", |c| c.code.as_str());
    let one = (amount > Decimal::ZERO).then(|| {
        ResolvedValue::object(Allocation {
            amount,
            code,
            target,
            percentage: o
                .discount_code
                .as_ref()
                .filter(|c| c.kind == "percentage" && target == "LINE_ITEM")
                .map(|c| c.value),
        })
    });
    ResolvedValue::list(one)
}

struct Allocation<'s> {
    amount: Decimal,
    code: &'s str,
    target: &'static str,
    percentage: Option<Decimal>,
}

impl ObjectValue for Allocation<'_> {
    fn type_name(&self) -> &str {
        "DiscountAllocation"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        match info.field_name() {
            "allocatedAmountSet" => Ok(money(self.amount)),
            "discountApplication" => Ok(ResolvedValue::object(CodeApplication(self))),
            _ => Err(not_simulated(info, "DiscountAllocation")),
        }
    }
}

struct CodeApplication<'s>(&'s Allocation<'s>);

impl ObjectValue for CodeApplication<'_> {
    fn type_name(&self) -> &str {
        "DiscountCodeApplication"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let a = self.0;
        Ok(match info.field_name() {
            "code" => ResolvedValue::leaf(a.code),
            "allocationMethod" => ResolvedValue::leaf("ACROSS"),
            "targetSelection" => ResolvedValue::leaf("ALL"),
            "targetType" => ResolvedValue::leaf(a.target),
            "index" => ResolvedValue::leaf(0),
            "value" => match a.percentage {
                Some(p) => ResolvedValue::object(Percentage(p)),
                None => ResolvedValue::object(Money(a.amount)),
            },
            _ => return Err(not_simulated(info, "DiscountCodeApplication")),
        })
    }
}

struct Percentage(Decimal);

impl ObjectValue for Percentage {
    fn type_name(&self) -> &str {
        "PricingPercentageValue"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        use rust_decimal::prelude::ToPrimitive;
        match info.field_name() {
            "percentage" => Ok(ResolvedValue::leaf(self.0.to_f64().unwrap_or(0.0))),
            _ => Err(not_simulated(info, "PricingPercentageValue")),
        }
    }
}

/// The order's one shipping line (none for a zero-priced order without a shipping code).
pub fn shipping_lines<'a>(o: &'a Order) -> Vec<(u64, ShippingObj<'a>)> {
    let has = o.shipping > Decimal::ZERO;
    has.then_some((o.id + 700_000, ShippingObj { o }))
        .into_iter()
        .collect()
}

#[derive(Clone, Copy)]
pub struct ShippingObj<'s> {
    pub o: &'s Order,
}

impl ObjectValue for ShippingObj<'_> {
    fn type_name(&self) -> &str {
        "ShippingLine"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let o = self.o;
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("ShippingLine", o.id + 700_000)),
            "title" => ResolvedValue::leaf(o.shipping_title.clone()),
            "code" => ResolvedValue::leaf("Standard"),
            "source" => ResolvedValue::leaf("shopify"),
            "custom" | "isRemoved" => ResolvedValue::leaf(false),
            "originalPriceSet" => money(o.shipping),
            "discountedPriceSet" => money(m::discounted_shipping(o)),
            "currentDiscountedPriceSet" => money(m::current_shipping(o)),
            "discountAllocations" => allocations(o, m::shipping_discount(o), "SHIPPING_LINE"),
            "taxLines" => TaxLine::list(vec![(SHIPPING_VAT, m::shipping_tax(o, false))]),
            _ => return Err(not_simulated(info, "ShippingLine")),
        })
    }
}

pub struct RefundObj<'s> {
    pub st: &'s ShopState,
    pub o: &'s Order,
    pub r: &'s Refund,
}

impl ObjectValue for RefundObj<'_> {
    fn type_name(&self) -> &str {
        "Refund"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let r = self.r;
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("Refund", r.id)),
            "legacyResourceId" => ResolvedValue::leaf(r.id.to_string()),
            "createdAt" | "processedAt" | "updatedAt" => time(r.created_at),
            "note" => ResolvedValue::null(),
            "totalRefundedSet" => money(r.amount),
            "refundShippingLines" => {
                let nodes = r
                    .shipping
                    .iter()
                    .map(|&(amount, tax)| {
                        let node = RefundShippingObj {
                            id: r.id,
                            amount,
                            tax,
                        };
                        (r.id, node)
                    })
                    .collect();
                let conn = "RefundShippingLineConnection";
                ResolvedValue::object(paginate(info, nodes, conn, "RefundShippingLineEdge")?)
            }
            "refundLineItems" => {
                let nodes = r
                    .lines
                    .iter()
                    .map(|x| (x.id, RefundLineObj { p: self, x }))
                    .collect();
                let conn = "RefundLineItemConnection";
                ResolvedValue::object(paginate(info, nodes, conn, "RefundLineItemEdge")?)
            }
            _ => return Err(not_simulated(info, "Refund")),
        })
    }
}

#[derive(Clone, Copy)]
struct RefundLineObj<'s> {
    p: &'s RefundObj<'s>,
    x: &'s RefundedLine,
}

impl ObjectValue for RefundLineObj<'_> {
    fn type_name(&self) -> &str {
        "RefundLineItem"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let (o, x) = (self.p.o, self.x);
        let line = o.lines.iter().find(|l| l.id == x.line_id);
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("RefundLineItem", x.id)),
            "lineItem" => match line {
                Some(l) => ResolvedValue::object(LineObj {
                    st: self.p.st,
                    o,
                    l,
                }),
                None => return Err(not_simulated(info, "RefundLineItem")),
            },
            "quantity" => ResolvedValue::leaf(x.quantity),
            "priceSet" => money(line.map_or(Decimal::ZERO, |l| l.unit_price)),
            "subtotalSet" => money(x.subtotal),
            "totalTaxSet" => money(x.tax),
            "restockType" => ResolvedValue::leaf(x.restock_type.clone()),
            "restocked" => ResolvedValue::leaf(x.restock_type != "NO_RESTOCK"),
            _ => return Err(not_simulated(info, "RefundLineItem")),
        })
    }
}

/// Shipping a refund gave back: its amount on the order's price basis and its tax (the sources
/// do not say whether `subtotalAmountSet` includes tax; see crates/sim/README.md).
#[derive(Clone, Copy)]
struct RefundShippingObj {
    id: u64,
    amount: Decimal,
    tax: Decimal,
}

impl ObjectValue for RefundShippingObj {
    fn type_name(&self) -> &str {
        "RefundShippingLine"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("RefundShippingLine", self.id)),
            "subtotalAmountSet" => money(self.amount),
            "taxAmountSet" => money(self.tax),
            _ => return Err(not_simulated(info, "RefundShippingLine")),
        })
    }
}
