//! Shopify refunds as the credit planner needs them (issue 16): per refund its id, time, units
//! of each line with whether Shopify restocked them (CANCEL, RETURN and the read-only
//! LEGACY_RESTOCK put units back; NO_RESTOCK does not), the shipping it gave back VAT included,
//! and the money it returned. Order-edit removals come as refunds too (no money, CANCEL).

use punte_core::credit_note::{RefundFacts, RefundedUnits};
use punte_core::order::LineId;
use rust_decimal::Decimal;

use crate::ShopifyError;
use crate::ids::require_gid;
use crate::order_wire::RefundWire;

/// Whether a refund line's restock type put its units back in stock.
fn restocked(kind: Option<&str>) -> bool {
    matches!(kind, Some("CANCEL" | "RETURN" | "LEGACY_RESTOCK"))
}

/// The refunds that carry an id (all of them in what the client reads), oldest first.
pub(crate) fn refund_facts(
    refunds: &[RefundWire],
    taxes_included: bool,
) -> Result<Vec<RefundFacts>, ShopifyError> {
    let mut out = Vec::with_capacity(refunds.len());
    for r in refunds {
        let (Some(id), Some(created_at)) = (&r.id, r.created_at) else {
            continue;
        };
        let lines = r
            .refund_line_items
            .nodes
            .iter()
            .map(|l| {
                Ok(RefundedUnits {
                    line: LineId(require_gid(&l.line_item.id, "LineItem")?),
                    quantity: l.quantity,
                    restocked: restocked(l.restock_type.as_deref()),
                })
            })
            .collect::<Result<Vec<_>, ShopifyError>>()?;
        // The amount is on the order's price basis, like a shipping line's price: tax is added
        // on top only when prices exclude it.
        let shipping = r.refund_shipping_lines.as_ref().map_or(Decimal::ZERO, |s| {
            s.nodes
                .iter()
                .map(|x| {
                    let tax = if taxes_included {
                        Decimal::ZERO
                    } else {
                        x.tax_amount_set.amount()
                    };
                    x.subtotal_amount_set.amount() + tax
                })
                .sum()
        });
        out.push(RefundFacts {
            id: require_gid(id, "Refund")?,
            created_at,
            lines,
            shipping,
            amount: r
                .total_refunded_set
                .as_ref()
                .map_or(Decimal::ZERO, |m| m.amount()),
        });
    }
    out.sort_by_key(|r| (r.created_at, r.id));
    Ok(out)
}
