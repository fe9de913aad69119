//! The access scopes Punte's documents need, each with why, and what the installed app was
//! granted (`currentAppInstallation { accessScopes { handle } }`), so a missing one is named
//! before the first sync instead of failing it. "Any scope that writes a resource also grants
//! read access to it" (shopify.dev, access scopes): a granted write counts for its read.

use serde::Deserialize;
use serde_json::json;

use crate::documents::APP_SCOPES;
use crate::{ShopifyClient, ShopifyError};

/// Why Punte needs a scope (a code the window words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeNeed {
    pub handle: &'static str,
    /// `products`, `levels`, `write_levels`, `locations`, `orders`.
    pub why: &'static str,
}

/// Exactly the scopes Punte's documents use (crates/shopify/src/graphql): nothing more.
pub const REQUIRED_SCOPES: [ScopeNeed; 5] = [
    ScopeNeed {
        handle: "read_products",
        why: "products",
    },
    ScopeNeed {
        handle: "read_inventory",
        why: "levels",
    },
    ScopeNeed {
        handle: "write_inventory",
        why: "write_levels",
    },
    ScopeNeed {
        handle: "read_locations",
        why: "locations",
    },
    ScopeNeed {
        handle: "read_orders",
        why: "orders",
    },
];

/// Whether `handle` is in `granted`, directly or through the write of the same resource.
#[must_use]
pub fn is_granted(granted: &[String], handle: &str) -> bool {
    granted.iter().any(|g| g == handle)
        || handle
            .strip_prefix("read_")
            .is_some_and(|r| granted.iter().any(|g| *g == format!("write_{r}")))
}

/// The required scopes missing from `granted`, in [`REQUIRED_SCOPES`] order.
#[must_use]
pub fn missing_scopes(granted: &[String]) -> Vec<&'static str> {
    REQUIRED_SCOPES
        .iter()
        .filter(|n| !is_granted(granted, n.handle))
        .map(|n| n.handle)
        .collect()
}

impl ShopifyClient {
    /// The handles of the scopes the merchant granted this app ("read_products", …).
    pub async fn access_scopes(&self) -> Result<Vec<String>, ShopifyError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Data {
            current_app_installation: Installation,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Installation {
            access_scopes: Vec<Scope>,
        }
        #[derive(Deserialize)]
        struct Scope {
            handle: String,
        }
        let d: Data = self.transport.execute(&APP_SCOPES, json!({})).await?;
        Ok(d.current_app_installation
            .access_scopes
            .into_iter()
            .map(|s| s.handle)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(handles: &[&str]) -> Vec<String> {
        handles.iter().map(|h| (*h).to_owned()).collect()
    }

    #[test]
    fn a_write_counts_for_its_read_and_the_rest_is_named_in_order() {
        let all = list(&[
            "read_products",
            "write_inventory",
            "read_locations",
            "read_orders",
        ]);
        assert!(missing_scopes(&all).is_empty());
        let few = list(&["read_products", "read_inventory", "read_orders"]);
        assert_eq!(missing_scopes(&few), ["write_inventory", "read_locations"]);
        assert_eq!(missing_scopes(&[]).len(), REQUIRED_SCOPES.len());
        // A read never stands in for the write.
        assert!(!is_granted(&list(&["read_inventory"]), "write_inventory"));
    }
}
