//! "Test" of the Shopify connection: the granted access scopes first (any app may read its own
//! installation, so a wrong secret fails here, at the secret field), then the shop's name,
//! plan and currency, then the active locations to choose from. A location list the granted
//! scopes do not open is empty, and the missing scope is named: the merchant sees what to fix
//! instead of a bare refusal.

use std::time::Duration;

use punte_shopify::retry::RetryPolicy;
use punte_shopify::{
    Credentials, REQUIRED_SCOPES, ShopifyClient, ShopifyConfig, ShopifyError, is_granted,
};
use serde::Serialize;

use super::profile_check::{LocationView, TEST_TIMEOUT, shopify_error};
use super::profile_form::{ProfileError, ShopifyForm};
use super::profile_urls::shopify_url;

/// The shop as Shopify describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShopInfo {
    pub name: String,
    pub domain: String,
    /// The plan's public name ("Basic", "Grow", "Plus", …), when Shopify tells.
    pub plan: Option<String>,
    /// A partner development shop (for testing; it takes no real orders).
    pub development: bool,
    pub currency: String,
}

/// One scope Punte needs: why (a code the window words) and whether the app has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeView {
    pub handle: &'static str,
    pub why: &'static str,
    pub granted: bool,
}

/// What "Test" learned about the shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShopifyCheck {
    pub shop: ShopInfo,
    pub locations: Vec<LocationView>,
    /// Every scope Punte needs, granted or not, in the guide's order.
    pub scopes: Vec<ScopeView>,
    /// The handles of the needed scopes the app lacks (empty: all there).
    pub missing_scopes: Vec<&'static str>,
}

/// A client for the typed (or saved) credentials, with the short waits of a connection test.
pub fn client(form: &ShopifyForm, secret: &str) -> Result<ShopifyClient, ProfileError> {
    let credentials = match &form.client_id {
        Some(id) => Credentials::ClientCredentials {
            client_id: id.clone(),
            client_secret: secret.into(),
        },
        None => Credentials::StaticToken(secret.into()),
    };
    let mut config = ShopifyConfig::new(shopify_url(&form.domain)?, credentials);
    config.request_timeout = TEST_TIMEOUT;
    config.connect_timeout = Duration::from_secs(5);
    config.retry = RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(200),
        max_delay: Duration::from_secs(1),
        max_throttle_waits: 3,
    };
    ShopifyClient::new(config).map_err(|e| shopify_error(&e, form.auth.secret_name()))
}

/// Checks the credentials and reads scopes, shop and locations.
pub async fn check(form: &ShopifyForm, secret: &str) -> Result<ShopifyCheck, ProfileError> {
    let field = form.auth.secret_name();
    let fail = |e: ShopifyError| shopify_error(&e, field);
    let client = client(form, secret)?;
    let granted = client.access_scopes().await.map_err(fail)?;
    let shop = client.shop().await.map_err(fail)?;
    let locations = match client.locations().await {
        Ok(list) => list
            .into_iter()
            .filter(|l| l.active)
            .map(|l| LocationView {
                id: l.id,
                name: l.name,
            })
            .collect(),
        // The missing scope is named below; the list waits for it.
        Err(ShopifyError::AccessDenied(_)) => Vec::new(),
        Err(e) => return Err(fail(e)),
    };
    Ok(view(&granted, shop, locations))
}

fn view(
    granted: &[String],
    shop: punte_shopify::Shop,
    locations: Vec<LocationView>,
) -> ShopifyCheck {
    let scopes: Vec<ScopeView> = REQUIRED_SCOPES
        .iter()
        .map(|n| ScopeView {
            handle: n.handle,
            why: n.why,
            granted: is_granted(granted, n.handle),
        })
        .collect();
    let missing_scopes = scopes
        .iter()
        .filter(|s| !s.granted)
        .map(|s| s.handle)
        .collect();
    ShopifyCheck {
        shop: ShopInfo {
            name: shop.name,
            domain: shop.domain,
            plan: shop.plan,
            development: shop.development,
            currency: shop.currency.0,
        },
        locations,
        scopes,
        missing_scopes,
    }
}

/// The refusal of a save whose app lacks scopes: names each one and says how to add it.
pub fn missing_scope_error(missing: &[&str]) -> ProfileError {
    let list = missing.join(", ");
    ProfileError::new(
        "shopify.missing_scope",
        format!(
            "Aplicației Shopify îi lipsește accesul {list}. În Dev Dashboard deschideți aplicația, \
             bifați-l la „Access scopes” într-o versiune nouă, publicați versiunea și instalați \
             din nou aplicația în magazin; apoi apăsați din nou „Testează”. / The Shopify app \
             lacks the access {list}. In the Dev Dashboard open the app, tick it under \"Access \
             scopes\" in a new version, release that version and install the app on the shop \
             again; then press \"Test\" again."
        ),
    )
    .with("scopes", &list)
}

#[cfg(test)]
mod tests {
    use punte_core::money::Currency;

    use super::*;

    fn shop() -> punte_shopify::Shop {
        punte_shopify::Shop {
            name: "Ceramica Dana".into(),
            domain: "ceramica-dana.myshopify.com".into(),
            currency: Currency("RON".into()),
            timezone: "Europe/Bucharest".into(),
            plan: Some("Basic".into()),
            development: false,
        }
    }

    #[test]
    fn every_needed_scope_is_listed_and_the_missing_ones_named() {
        let granted: Vec<String> = ["read_products", "read_inventory", "read_orders"]
            .map(String::from)
            .to_vec();
        let v = view(&granted, shop(), Vec::new());
        assert_eq!(v.scopes.len(), REQUIRED_SCOPES.len());
        assert_eq!(v.missing_scopes, ["write_inventory", "read_locations"]);
        assert!(
            v.scopes
                .iter()
                .any(|s| s.handle == "read_orders" && s.granted)
        );
        let e = missing_scope_error(&v.missing_scopes);
        assert_eq!(e.code, "shopify.missing_scope");
        assert_eq!(e.params["scopes"], "write_inventory, read_locations");
        assert!(e.params["ro"].contains("write_inventory") && e.params["en"].contains("install"));
    }
}
