//! Keeping one bad row from failing a whole `inventorySetQuantities` batch. Quantities beyond
//! what Shopify accepts are clamped before sending: `InventorySetQuantitiesUserErrorCode` says
//! INVALID_QUANTITY_TOO_HIGH above 1,000,000,000 (and TOO_LOW below −1,000,000,000), and a value
//! beyond a GraphQL `Int` (2³¹ − 1) is refused for the whole request before anything runs
//! ("Variable $input … was provided invalid value for quantities.N.quantity (…)", graphql-ruby's
//! wording). A request refused like that is split: rows it names are rejected, the others sent
//! again; when it names none, the batch is halved until the failing row stands alone.

use punte_core::product::InventoryItemId;

use crate::ShopifyError;
use crate::write::QuantityWrite;

/// The largest quantity Shopify accepts (INVALID_QUANTITY_TOO_HIGH above it).
pub const MAX_QUANTITY: i64 = 1_000_000_000;
/// The smallest (INVALID_QUANTITY_TOO_LOW below it).
pub const MIN_QUANTITY: i64 = -1_000_000_000;

/// A quantity outside Shopify's range, written at the nearest bound instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clamped {
    pub inventory_item_id: InventoryItemId,
    /// What the caller asked for.
    pub wanted: i64,
    /// What was sent.
    pub sent: i64,
}

/// `writes` with every quantity inside Shopify's range, and what was clamped.
pub(crate) fn clamp(writes: &[QuantityWrite]) -> (Vec<QuantityWrite>, Vec<Clamped>) {
    let mut clamped = Vec::new();
    let rows = writes
        .iter()
        .map(|w| {
            let sent = w.quantity.clamp(MIN_QUANTITY, MAX_QUANTITY);
            if sent != w.quantity {
                clamped.push(Clamped {
                    inventory_item_id: w.inventory_item_id,
                    wanted: w.quantity,
                    sent,
                });
            }
            QuantityWrite {
                quantity: sent,
                ..*w
            }
        })
        .collect();
    (rows, clamped)
}

/// Whether Shopify refused the request as a whole before running it (a variable it could not
/// accept), so that nothing was written and parts of it may be sent again.
pub(crate) fn refused_before_running(e: &ShopifyError) -> bool {
    match e {
        ShopifyError::GraphQl { code, message } => {
            code.as_deref() == Some("INVALID_VARIABLE") || message.starts_with("Variable $")
        }
        _ => false,
    }
}

/// The rows a refusal names: `… invalid value for quantities.3.quantity (…)`.
pub(crate) fn named_rows(e: &ShopifyError) -> Vec<usize> {
    let ShopifyError::GraphQl { message, .. } = e else {
        return Vec::new();
    };
    let mut rows: Vec<usize> = message
        .match_indices("quantities.")
        .filter_map(|(at, m)| {
            let rest = &message[at + m.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect();
    rows.sort_unstable();
    rows.dedup();
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(q: i64) -> QuantityWrite {
        QuantityWrite {
            inventory_item_id: InventoryItemId(1),
            quantity: q,
            change_from: Some(0),
        }
    }

    #[test]
    fn quantities_beyond_shopifys_range_are_clamped() {
        let (rows, clamped) = clamp(&[
            write(5),
            write(1 << 31),
            write(1_000_000_000_000),
            write(i64::MIN),
        ]);
        let sent: Vec<i64> = rows.iter().map(|w| w.quantity).collect();
        assert_eq!(sent, [5, MAX_QUANTITY, MAX_QUANTITY, MIN_QUANTITY]);
        assert_eq!(clamped.len(), 3);
        assert_eq!(clamped[0].wanted, 1 << 31);
    }

    #[test]
    fn a_refusal_names_its_rows() {
        let e = ShopifyError::GraphQl {
            code: None,
            message: "Variable $input of type InventorySetQuantitiesInput! was provided invalid \
                      value for quantities.12.quantity (Could not coerce value 3000000000 to Int)"
                .into(),
        };
        assert!(refused_before_running(&e));
        assert_eq!(named_rows(&e), [12]);
        let other = ShopifyError::GraphQl {
            code: Some("INVALID_VARIABLE".into()),
            message: "something else".into(),
        };
        assert!(refused_before_running(&other) && named_rows(&other).is_empty());
        assert!(!refused_before_running(&ShopifyError::Timeout));
    }
}
