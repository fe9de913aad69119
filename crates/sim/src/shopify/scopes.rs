//! Access scopes: what the app was granted at installation (`ShopCreds::scope`, changed with
//! `shopify/options {"scopes": […]}`), `currentAppInstallation { accessScopes }` listing them
//! with the reads each write implies, and the `ACCESS_DENIED` answer of a field the granted
//! scopes do not open. Sources in crates/sim/README.md ("Access scopes").

use std::collections::BTreeSet;

use apollo_compiler::resolvers::{FieldError, ObjectValue, ResolveInfo, ResolvedValue};

use super::catalog::R;
use super::model::ShopState;
use super::page::not_simulated;

/// What a Dev Dashboard app set up for Punte is granted by default: the five scopes Punte's
/// documents need, and one it does not (as a merchant following an older guide might add).
pub const DEFAULT_SCOPES: &str = "read_products,read_inventory,write_inventory,read_locations,\
                                  read_orders,read_merchant_managed_fulfillment_orders";

/// The start of the message of a field the granted scopes do not open; graphql.rs adds its
/// `extensions` (`ACCESS_DENIED` and the access-scopes page).
pub const DENIED_PREFIX: &str = "Access denied for ";

/// The handles granted, as written in the installation (comma-separated, blanks ignored).
pub fn granted(st: &ShopState) -> BTreeSet<String> {
    st.creds
        .scope
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every handle the installation lists: the granted ones and the reads their writes imply
/// ("write_products" also lists "read_products", as `appInstallation.accessScopes` does).
pub fn listed(st: &ShopState) -> Vec<String> {
    let mut all = granted(st);
    let implied: Vec<String> = all
        .iter()
        .filter_map(|h| h.strip_prefix("write_").map(|r| format!("read_{r}")))
        .collect();
    all.extend(implied);
    all.into_iter().collect()
}

/// Whether `handle` is granted, directly or through its write.
pub fn has(st: &ShopState, handle: &str) -> bool {
    let granted = granted(st);
    granted.contains(handle)
        || handle
            .strip_prefix("read_")
            .is_some_and(|r| granted.contains(&format!("write_{r}")))
}

/// The scopes that open a root field (any one of them is enough); `None` needs none.
pub fn root_needs(field: &str, mutation: bool) -> Option<&'static [&'static str]> {
    if mutation {
        return match field {
            "inventorySetQuantities"
            | "inventoryAdjustQuantities"
            | "inventoryMoveQuantities"
            | "inventorySetOnHandQuantities"
            | "inventoryActivate" => Some(&["write_inventory"]),
            _ => None,
        };
    }
    match field {
        "locations" | "location" => Some(&["read_locations", "read_inventory"]),
        "products" | "product" | "productVariants" | "productVariant" => Some(&["read_products"]),
        "inventoryItems" | "inventoryItem" => Some(&["read_inventory", "read_products"]),
        "inventoryLevel" => Some(&["read_inventory"]),
        "orders" | "order" => Some(&["read_orders"]),
        _ => None,
    }
}

/// `Err(ACCESS_DENIED)` when none of `needs` is granted.
pub fn check(st: &ShopState, field: &str, needs: &[&str]) -> Result<(), FieldError> {
    if needs.is_empty() || needs.iter().any(|n| has(st, n)) {
        return Ok(());
    }
    Err(FieldError {
        message: format!(
            "{DENIED_PREFIX}{field} field. Required access: `{}` access scope.",
            needs[0]
        ),
    })
}

/// A root field's check (`None`: the field needs no scope).
pub fn check_root(st: &ShopState, field: &str, mutation: bool) -> Result<(), FieldError> {
    root_needs(field, mutation).map_or(Ok(()), |needs| check(st, field, needs))
}

/// `currentAppInstallation`: the granted scopes (any app may read its own installation).
pub struct InstallationObj<'s> {
    pub st: &'s ShopState,
}

impl ObjectValue for InstallationObj<'_> {
    fn type_name(&self) -> &str {
        "AppInstallation"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf("gid://shopify/AppInstallation/1"),
            "accessScopes" => ResolvedValue::list(
                listed(self.st)
                    .into_iter()
                    .map(|handle| ResolvedValue::object(ScopeObj { handle })),
            ),
            _ => return Err(not_simulated(info, "AppInstallation")),
        })
    }
}

struct ScopeObj {
    handle: String,
}

impl ObjectValue for ScopeObj {
    fn type_name(&self) -> &str {
        "AccessScope"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "handle" => ResolvedValue::leaf(self.handle.clone()),
            "description" => ResolvedValue::leaf(description(&self.handle)),
            _ => return Err(not_simulated(info, "AccessScope")),
        })
    }
}

/// Shopify's descriptions where its docs show them; a plain one otherwise.
fn description(handle: &str) -> String {
    match handle {
        "read_products" => "Read products, variants, and collections".into(),
        "write_products" => "Modify products, variants, and collections".into(),
        "read_orders" => "Read orders, transactions, and fulfillments".into(),
        "write_orders" => "Modify orders, transactions, and fulfillments".into(),
        other => {
            let (action, resource) = other.split_once('_').unwrap_or(("read", other));
            let verb = if action == "write" { "Modify" } else { "Read" };
            format!("{verb} {}", resource.replace('_', " "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shopify::cost::Bucket;
    use crate::shopify::model::ShopCreds;

    fn shop(scope: &str) -> ShopState {
        let creds = ShopCreds {
            shop_domain: "x.myshopify.com".into(),
            client_id: "id".into(),
            client_secret: "secret".into(),
            static_token: "shpat_x".into(),
            scope: scope.into(),
        };
        ShopState::new(creds, 60, Bucket::new(1000.0, 50.0, chrono::Utc::now()))
    }

    #[test]
    fn a_write_lists_and_opens_its_read() {
        let st = shop("write_inventory, read_orders");
        assert_eq!(
            listed(&st),
            ["read_inventory", "read_orders", "write_inventory"]
        );
        assert!(has(&st, "read_inventory"));
        assert!(!has(&st, "read_products"));
        assert!(check_root(&st, "inventoryLevel", false).is_ok());
        let denied = check_root(&st, "productVariants", false).expect_err("no read_products");
        assert_eq!(
            denied.message,
            "Access denied for productVariants field. Required access: `read_products` access scope."
        );
        assert!(check_root(&st, "shop", false).is_ok());
        assert!(check_root(&st, "inventorySetQuantities", true).is_ok());
        assert!(check_root(&shop("read_inventory"), "inventorySetQuantities", true).is_err());
    }
}
