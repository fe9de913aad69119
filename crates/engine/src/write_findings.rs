//! What a stock write that did not go as planned tells the merchant: a row Shopify refused
//! (the others were written; this one is retried next cycle and shown as failed), or a
//! quantity beyond Shopify's maximum, written as the maximum.

use std::collections::HashMap;

use punte_core::product::{InventoryItemId, ProductCode};
use punte_shopify::{Clamped, MAX_QUANTITY, Rejected};
use punte_store::Finding;

/// Kind of the finding of a write Shopify refused; its key is `write_failed:<code>`.
pub(crate) const WRITE_FAILED: &str = "write_failed";
/// Kind of the finding of a quantity clamped to Shopify's maximum.
pub(crate) const QUANTITY_TOO_HIGH: &str = "quantity_too_high";

pub(crate) fn write_findings(
    rejected: &[Rejected],
    clamped: &[Clamped],
    code_of: &HashMap<InventoryItemId, ProductCode>,
) -> Vec<Finding> {
    let refused = rejected.iter().filter_map(|r| {
        let code = code_of.get(&r.write.inventory_item_id)?;
        Some(Finding {
            key: format!("{WRITE_FAILED}:{}", code.0),
            kind: WRITE_FAILED.into(),
            code: Some(code.clone()),
            message: format!(
                "Shopify refused the stock write of {} for {} ({}): {}",
                r.write.quantity, code.0, r.code, r.message
            ),
            what_to_fix: format!(
                "The other products were written. Punte tries {} again at every sync; if Shopify \
                 keeps refusing it, check the product in Shopify (tracked, stocked at the synced \
                 location) and its stock in the billing service.",
                code.0
            ),
            // The window words it from these (the message is Shopify's own, shown verbatim).
            detail: Some(
                serde_json::json!({"quantity": r.write.quantity, "error": r.code, "message": r.message})
                    .to_string(),
            ),
        })
    });
    let too_high = clamped.iter().filter_map(|c| {
        let code = code_of.get(&c.inventory_item_id)?;
        Some(Finding {
            key: format!("{QUANTITY_TOO_HIGH}:{}", code.0),
            kind: QUANTITY_TOO_HIGH.into(),
            code: Some(code.clone()),
            message: format!(
                "The stock to write for {} is {}, above Shopify's maximum of {MAX_QUANTITY}: \
                 written as {}",
                code.0, c.wanted, c.sent
            ),
            what_to_fix: format!(
                "Check the stock of {} in the billing service (a unit or decimal-separator \
                 mistake?).",
                code.0
            ),
            detail: Some(
                serde_json::json!({"wanted": c.wanted.to_string(), "sent": c.sent, "max": MAX_QUANTITY})
                    .to_string(),
            ),
        })
    });
    refused.chain(too_high).collect()
}
