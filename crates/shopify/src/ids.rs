//! Shopify global ids (`gid://shopify/Kind/123`, sometimes with a `?…` suffix) to and from the
//! numeric ids the core types carry.

/// `gid://shopify/{kind}/{id}`.
#[must_use]
pub fn gid(kind: &str, id: u64) -> String {
    format!("gid://shopify/{kind}/{id}")
}

/// The number in `gid://shopify/{kind}/{n}` (ignoring a `?…` suffix), or None for another kind.
#[must_use]
pub fn parse_gid(value: &str, kind: &str) -> Option<u64> {
    let rest = value
        .strip_prefix("gid://shopify/")?
        .strip_prefix(kind)?
        .strip_prefix('/')?;
    rest.split('?').next()?.parse().ok()
}

/// Like [`parse_gid`], but an answer without a usable id is a malformed response.
pub(crate) fn require_gid(value: &str, kind: &str) -> Result<u64, crate::ShopifyError> {
    parse_gid(value, kind)
        .ok_or_else(|| crate::ShopifyError::BadResponse(format!("not a {kind} id: {value}")))
}

#[cfg(test)]
mod tests {
    use super::{gid, parse_gid};

    #[test]
    fn round_trip_and_suffix() {
        assert_eq!(parse_gid(&gid("Order", 42), "Order"), Some(42));
        assert_eq!(
            parse_gid(
                "gid://shopify/InventoryLevel/7?inventory_item_id=9",
                "InventoryLevel"
            ),
            Some(7)
        );
        assert_eq!(parse_gid("gid://shopify/Order/42", "OrderX"), None);
        assert_eq!(parse_gid("gid://shopify/Order/x", "Order"), None);
    }
}
