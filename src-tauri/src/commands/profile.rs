//! Profile commands (ui/BACKEND-CONTRACT.md "Profile"): `connections`, `test_connection`,
//! `save_connection`, `preferences`, `save_preferences`. They work in every mode (the profile is
//! in `punte.db`, not in the demo's store). A secret goes UI → keychain only: views name the
//! secrets that are saved, never their value. Saving both connections leaves the demo shop.
//! Saving the billing connection keeps the company's VAT rates its test read (issue 16).

use chrono::Utc;
use punte_engine::SecretStore;
use punte_engine::secrets::{BILLING_SECRET, SHOPIFY_SECRET};
use serde_json::Value;
use tauri::State;

use super::check_billing::chosen_warehouse;
use super::check_shopify::{self, missing_scope_error};
use super::profile_check::{self, ServiceConfig, TestResult};
use super::profile_error::keychain;
use super::profile_form::{
    self, BillingForm, Checked, ProfileError, ShopifyForm, bad, billing_secret_name,
};
use super::profile_prefs::{self, Preferences};
use super::profile_store::{
    self as saved, CLIENT_ID_ENTRY, OffRuntime, Profile, SavedBilling, SavedShopify,
};
use super::profile_view::{ConnectionsView, views};
use crate::Arg;
use crate::backend::Backend;

#[tauri::command]
pub async fn connections(backend: State<'_, Backend>) -> Result<ConnectionsView, ProfileError> {
    let store = backend.profile().await?;
    let profile = saved::load(&store).await?;
    Ok(views(&profile, &OffRuntime(backend.secrets())))
}

#[tauri::command]
pub async fn test_connection(
    backend: State<'_, Backend>,
    form: Arg<Value>,
) -> Result<TestResult, ProfileError> {
    let form = form.get("form")?;
    let store = backend.profile().await?;
    let profile = saved::load(&store).await?;
    let checked = profile_form::check(&form)?;
    let result = tested(&checked, &profile, &OffRuntime(backend.secrets())).await?;
    saved::save_available(&store, result.lists.clone()).await?;
    Ok(result)
}

#[tauri::command]
pub async fn save_connection(
    backend: State<'_, Backend>,
    form: Arg<Value>,
) -> Result<ConnectionsView, ProfileError> {
    let form = form.get("form")?;
    let store = backend.profile().await?;
    let profile = saved::load(&store).await?;
    let checked = profile_form::check(&form)?;
    let secrets = OffRuntime(backend.secrets());
    let result = tested(&checked, &profile, &secrets).await?;
    let available = result.lists.clone();
    let now = Some(Utc::now());
    let mut vat_warning = None;
    match checked {
        Checked::Shopify(f) => {
            if !result.missing_scopes.is_empty() {
                return Err(missing_scope_error(&result.missing_scopes));
            }
            let location_id = match f.location_id {
                Some(id) if !available.locations.iter().any(|l| l.id == id) => {
                    return Err(bad(
                        "location_id",
                        "Locația nu există în magazin; alegeți una din listă",
                        "The location does not exist in the shop; choose one from the list",
                    ));
                }
                Some(id) => id,
                None => available.locations.first().map(|l| l.id).ok_or_else(|| {
                    bad(
                        "location_id",
                        "Magazinul nu are nicio locație activă; adăugați una în Shopify",
                        "The shop has no active location; add one in Shopify",
                    )
                })?,
            };
            keep(&secrets, SHOPIFY_SECRET, f.secret.as_deref())?;
            match &f.client_id {
                Some(id) => keep(&secrets, CLIENT_ID_ENTRY, Some(id))?,
                None => secrets.delete(CLIENT_ID_ENTRY).map_err(keychain)?,
            }
            let c = SavedShopify {
                domain: f.domain,
                location_id: Some(location_id),
                auth: f.auth,
                tested_at: now,
            };
            saved::save_shopify(&store, c).await?;
        }
        Checked::Billing(f) => {
            // A warehouse chosen on the form must be listed and hold products; otherwise the
            // saved one stays while the service is the same and still has it.
            let warehouse = match &f.warehouse {
                Some(w) => {
                    chosen_warehouse(&result.warehouse_details, w)?;
                    Some(w.clone())
                }
                None => profile
                    .billing
                    .as_ref()
                    .filter(|b| b.kind == f.kind)
                    .and_then(|b| b.warehouse.clone())
                    .filter(|w| available.warehouses.contains(w))
                    .or_else(|| available.warehouses.first().cloned()),
            };
            keep(&secrets, BILLING_SECRET, f.secret.as_deref())?;
            let c = SavedBilling {
                kind: f.kind,
                cif: f.cif,
                email: f.email,
                cod_unic: f.cod_unic,
                warehouse,
                tested_at: now,
            };
            saved::save_billing(&store, c).await?;
            keep_vat(&store, result.company_vat.clone()).await?;
            vat_warning = result.vat_error.clone();
        }
    }
    saved::save_available(&store, available).await?;
    let profile = saved::load(&store).await?;
    if profile.shopify.is_some() && profile.billing.is_some() && !demo_forced() {
        tracing::info!("both connections saved: restarting on the real shop");
        backend.restart();
    }
    Ok(ConnectionsView {
        vat_warning,
        ..views(&profile, &secrets)
    })
}

/// Keeps the company's VAT rates read by the save's test for the engine (issue 16: read at
/// connection); after a failed read, rates of an earlier connection are forgotten so the engine
/// reads them before the first invoice.
async fn keep_vat(
    store: &punte_store::StoreHandle,
    read: Option<punte_billing::CompanyVatInfo>,
) -> Result<(), ProfileError> {
    let now = Utc::now();
    let known = punte_engine::vat_at_connection(read, now);
    let value = serde_json::to_value(known)
        .map_err(|e| ProfileError::new("store.bad_value", e.to_string()))?;
    store
        .call(move |s| s.set_setting(punte_engine::COMPANY_VAT, &value, now))
        .await
        .map_err(saved::store_error)
}

#[tauri::command]
pub async fn preferences(backend: State<'_, Backend>) -> Result<Preferences, ProfileError> {
    let store = backend.profile().await?;
    Ok(profile_prefs::view(&saved::load(&store).await?))
}

#[tauri::command]
pub async fn save_preferences(
    backend: State<'_, Backend>,
    patch: Arg<Value>,
) -> Result<Preferences, ProfileError> {
    let patch = patch.get("patch")?;
    let store = backend.profile().await?;
    let profile = saved::load(&store).await?;
    let p = profile_prefs::apply(&profile, &patch)?;
    let warehouse = p
        .warehouse
        .and_then(|w| profile.billing.as_ref().map(|b| (b.kind, w)));
    saved::save_preferences(&store, p.flags, p.settings, warehouse).await?;
    // The real engine takes settings at start; the demo keeps its own.
    if backend.is_demo() != Some(true) && !demo_forced() && profile.billing.is_some() {
        backend.restart();
    }
    Ok(profile_prefs::view(&saved::load(&store).await?))
}

pub(crate) fn demo_forced() -> bool {
    std::env::var(crate::DEMO_ENV).is_ok_and(|v| v == "1")
}

/// Writes a newly typed secret; `None` keeps the saved one.
fn keep(secrets: &dyn SecretStore, key: &str, value: Option<&str>) -> Result<(), ProfileError> {
    match value {
        Some(v) => secrets.set(key, v).map_err(keychain),
        None => Ok(()),
    }
}

/// The secret to test with: the typed one, else the saved one if it belongs to the same kind of
/// credential, else a clear "enter it" on its field.
fn secret_for(
    typed: Option<&str>,
    secrets: &dyn SecretStore,
    key: &str,
    same_kind: bool,
    field: &str,
) -> Result<String, ProfileError> {
    if let Some(v) = typed {
        return Ok(v.to_owned());
    }
    let saved = if same_kind {
        secrets.get(key).map_err(keychain)?
    } else {
        None
    };
    saved.ok_or_else(|| bad(field, "Introduceți secretul", "Enter the secret"))
}

/// Tests the checked form: the downloaded lists merged into the saved ones, and what the
/// test learned (shop and scopes, or company and warehouses with their product counts).
async fn tested(
    checked: &Checked,
    profile: &Profile,
    secrets: &dyn SecretStore,
) -> Result<TestResult, ProfileError> {
    let available = profile.available.clone();
    match checked {
        Checked::Shopify(f) => {
            let same = profile.shopify.as_ref().is_some_and(|s| s.auth == f.auth);
            let secret = shopify_secret(f, secrets, same)?;
            let check = check_shopify::check(f, &secret).await?;
            let lists = ServiceConfig {
                locations: check.locations.clone(),
                ..available
            };
            Ok(TestResult::shopify(lists, check))
        }
        Checked::Billing(f) => {
            let same = profile.billing.as_ref().is_some_and(|b| b.kind == f.kind);
            let secret = billing_secret(f, secrets, same)?;
            // FGO's series come from the account (`/nomenclator/serii`); when it lists none, the
            // list stays empty and the merchant types the series (never the app's default only).
            let series = Vec::new();
            let domain = profile.shopify.as_ref().map(|s| s.domain.as_str());
            let (got, check) = profile_check::billing(f, &secret, series, domain).await?;
            let lists = ServiceConfig {
                locations: available.locations,
                ..got
            };
            Ok(TestResult::billing(lists, check))
        }
    }
}

fn shopify_secret(
    f: &ShopifyForm,
    s: &dyn SecretStore,
    same: bool,
) -> Result<String, ProfileError> {
    secret_for(
        f.secret.as_deref(),
        s,
        SHOPIFY_SECRET,
        same,
        f.auth.secret_name(),
    )
}

fn billing_secret(
    f: &BillingForm,
    s: &dyn SecretStore,
    same: bool,
) -> Result<String, ProfileError> {
    secret_for(
        f.secret.as_deref(),
        s,
        BILLING_SECRET,
        same,
        billing_secret_name(f.kind),
    )
}
