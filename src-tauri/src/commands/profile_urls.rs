//! Where each service lives: the shop's own `https://<name>.myshopify.com`, the billing services'
//! real API hosts (/work/shared/reference/billing-apis.md), or, for tests only, a loopback
//! simulator named by `PUNTE_SHOPIFY_URL` / `PUNTE_BILLING_URL`. Anything but loopback is refused,
//! so an environment variable can never send a secret to another host. From these and the saved
//! profile, the `Connections` the engine starts on for the real shop.

use std::time::Duration;

use punte_engine::{BillingAccount, Connections, EngineSettings, SecretStore};
use punte_store::{ServiceKind, StoreHandle};

use super::profile_check::fgo_platform_url;
use super::profile_form::Auth;
use super::profile_store::{CLIENT_ID_ENTRY, Profile, load};
use crate::CommandError;

/// Test-only: the Shopify base URL (a loopback simulator) instead of `https://<shop domain>`.
pub const SHOPIFY_URL_ENV: &str = "PUNTE_SHOPIFY_URL";
/// Test-only: the billing base URL (a loopback simulator) instead of the service's real host.
pub const BILLING_URL_ENV: &str = "PUNTE_BILLING_URL";

/// Where Shopify is: the shop's own host, or the loopback simulator named by [`SHOPIFY_URL_ENV`].
pub fn shopify_url(domain: &str) -> Result<String, CommandError> {
    Ok(loopback_override(SHOPIFY_URL_ENV)?.unwrap_or_else(|| format!("https://{domain}")))
}

/// Where the billing service is: its real API host, or the loopback simulator named by
/// [`BILLING_URL_ENV`] (see /work/shared/reference/billing-apis.md for the hosts).
pub fn billing_url(kind: ServiceKind) -> Result<String, CommandError> {
    let real = match kind {
        ServiceKind::Oblio => "https://www.oblio.eu/api",
        ServiceKind::Fgo => "https://api.fgo.ro/v1",
        ServiceKind::SmartBill | ServiceKind::Shopify => "https://ws.smartbill.ro/SBORO/api",
    };
    Ok(loopback_override(BILLING_URL_ENV)?.unwrap_or_else(|| real.to_owned()))
}

/// The URL in `var`, only when it points at this machine: a test must never redirect a secret
/// to another host.
fn loopback_override(var: &str) -> Result<Option<String>, CommandError> {
    match std::env::var(var).ok().filter(|v| !v.trim().is_empty()) {
        None => Ok(None),
        Some(raw) => checked_override(var, &raw).map(Some),
    }
}

pub(crate) fn checked_override(var: &str, raw: &str) -> Result<String, CommandError> {
    let url = reqwest::Url::parse(raw.trim()).ok();
    let loopback = url.as_ref().is_some_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && u.username().is_empty()
            && matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
    });
    if loopback {
        return Ok(raw.trim().trim_end_matches('/').to_owned());
    }
    Err(CommandError::new(
        "config.override_refused",
        format!(
            "{var} poate indica doar 127.0.0.1 sau localhost (este doar pentru teste); \
             ștergeți variabila. / {var} may only point at 127.0.0.1 or localhost (it is for \
             tests only); unset it."
        ),
    ))
}

fn not_configured(ro: &str, en: &str) -> CommandError {
    CommandError::new("engine.not_configured", format!("{ro} / {en}"))
}

/// What the engine starts on for the saved shop, or `None` while Shopify or billing is not saved.
pub async fn saved_shop(
    store: &StoreHandle,
    secrets: &dyn SecretStore,
) -> Result<Option<(Connections, EngineSettings)>, CommandError> {
    let profile = load(store)
        .await
        .map_err(|e| CommandError::new(e.code, e.message))?;
    let settings = engine_settings(&profile);
    Ok(real_connections(&profile, secrets)?.map(|c| (c, settings)))
}

/// The engine's settings with the profile's flags applied: "Use warehouse" off means invoices
/// discharge no stock (`use_stock`); "Sync warehouse stock" off means no level is written to
/// Shopify (`sync_stock`).
pub fn engine_settings(profile: &Profile) -> EngineSettings {
    let mut settings = profile.settings.clone();
    settings.use_stock &= profile.flags.use_warehouse;
    settings.sync_stock = profile.flags.sync_stock;
    settings
}

/// The engine's `Connections` for the saved real shop, or `None` while Shopify or billing is
/// not saved yet.
pub fn real_connections(
    p: &Profile,
    secrets: &dyn SecretStore,
) -> Result<Option<Connections>, CommandError> {
    let (Some(shop), Some(bill)) = (&p.shopify, &p.billing) else {
        return Ok(None);
    };
    let client_id = match shop.auth {
        Auth::Dev => Some(
            secrets
                .get(CLIENT_ID_ENTRY)
                .map_err(|e| CommandError::new("engine.keychain_unavailable", e.to_string()))?
                .ok_or_else(|| {
                    not_configured(
                        "Lipsește Client ID-ul Shopify; salvați din nou conexiunea Shopify",
                        "The Shopify client ID is missing; save the Shopify connection again",
                    )
                })?,
        ),
        Auth::Legacy => None,
    };
    let warehouse = bill.warehouse.clone().ok_or_else(|| {
        not_configured(
            "Alegeți gestiunea în Preferințe depozit",
            "Choose the warehouse in Warehouse preferences",
        )
    })?;
    let billing = match bill.kind {
        ServiceKind::Oblio => BillingAccount::Oblio {
            email: bill.email.clone().unwrap_or_default(),
            cif: bill.cif.clone(),
        },
        ServiceKind::Fgo => BillingAccount::Fgo {
            cod_unic: bill.cod_unic.clone().unwrap_or_default(),
            platform_url: fgo_platform_url(Some(&shop.domain)),
            series: vec![p.settings.invoice_series.clone()],
        },
        ServiceKind::SmartBill | ServiceKind::Shopify => BillingAccount::SmartBill {
            email: bill.email.clone().unwrap_or_default(),
            cif: bill.cif.clone(),
        },
    };
    Ok(Some(Connections {
        shopify_url: shopify_url(&shop.domain)?,
        shopify_client_id: client_id,
        billing_url: billing_url(bill.kind)?,
        billing,
        location_id: shop.location_id.unwrap_or(0),
        warehouse,
        time_scale: 1.0,
        request_timeout: Duration::from_secs(30),
    }))
}

#[cfg(test)]
mod tests {
    use super::{checked_override, engine_settings};
    use crate::commands::profile_store::Profile;

    #[test]
    fn the_warehouse_flags_reach_the_engine_settings() {
        let mut p = Profile::default();
        let s = engine_settings(&p);
        assert!(s.sync_stock && s.use_stock);
        p.flags.sync_stock = false;
        assert!(!engine_settings(&p).sync_stock);
        assert!(engine_settings(&p).use_stock);
        p.flags.use_warehouse = false;
        assert!(!engine_settings(&p).use_stock);
    }

    #[test]
    fn only_loopback_overrides_are_accepted() {
        for ok in [
            "http://127.0.0.1:4321",
            "http://localhost:9/SBORO/api/",
            "http://[::1]:80/v1",
        ] {
            assert!(checked_override("X", ok).is_ok(), "{ok} refused");
        }
        assert_eq!(
            checked_override("X", "http://127.0.0.1:1/api/").unwrap(),
            "http://127.0.0.1:1/api"
        );
        for bad in [
            "https://evil.example",
            "http://localhost.evil.example",
            "http://127.0.0.1.evil.example",
            "http://user@127.0.0.1:1",
            "ftp://127.0.0.1",
            "not a url",
        ] {
            let err = checked_override("PUNTE_SHOPIFY_URL", bad).expect_err(bad);
            assert_eq!(err.code, "config.override_refused");
            assert!(err.message.contains("PUNTE_SHOPIFY_URL"));
        }
    }
}
