//! Location ↔ warehouse mapping (issue 18, Profile "Locations"): `location_mapping` shows Shopify's
//! active locations (read from Shopify when asked, else the list the last Test connection
//! downloaded), the billing warehouses (Oblio: work point + warehouse) and the saved mapping;
//! `save_location_mapping` checks it (known locations and warehouses, shares of a shared
//! warehouse adding up to 100 %) and saves it with the preferences. Unmapped locations are not
//! synced. One location mapped is the connection's own location and warehouse, as before; two
//! or more: stock is written per location. The engine takes the mapping at its next start, as
//! with every preference, so a save restarts the real shop's engine.

use punte_core::locations::{LocationLink, LocationSettings, MappingError, SplitRule};
use punte_engine::secrets::SHOPIFY_SECRET;
use punte_store::ServiceKind;
use serde::Serialize;
use serde_json::Value;
use tauri::State;

use super::check_shopify;
use super::profile_check::LocationView;
use super::profile_error::keychain;
use super::profile_form::{ProfileError, ShopifyForm, bad};
use super::profile_store::{self as saved, CLIENT_ID_ENTRY, OffRuntime, Profile};
use crate::Arg;
use crate::backend::Backend;

/// One billing warehouse the mapping may choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WarehouseChoice {
    /// What the mapping saves (Oblio: "Punct / Depozit").
    pub id: String,
    /// Oblio's work point; `None` for the other services.
    pub work_point: Option<String>,
    /// The warehouse's own name (Oblio: the part after the work point).
    pub name: String,
}

/// What the Locations tab shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MappingView {
    pub locations: Vec<LocationView>,
    pub warehouses: Vec<WarehouseChoice>,
    pub billing: Option<ServiceKind>,
    pub mapping: LocationSettings,
    /// The connection's location (the one synced while fewer than two are mapped).
    pub connection_location: Option<u64>,
    /// The connection's warehouse.
    pub connection_warehouse: Option<String>,
    /// Shopify's locations no link names: Punte leaves their stock alone.
    pub unmapped: Vec<u64>,
}

fn view(p: &Profile) -> MappingView {
    let kind = p.billing.as_ref().map(|b| b.kind);
    let warehouses = p
        .available
        .warehouses
        .iter()
        .map(|id| {
            let (work_point, name) = if kind == Some(ServiceKind::Oblio) {
                let (wp, name) = punte_billing::oblio::warehouse_parts(id);
                (Some(wp.to_owned()), name.to_owned())
            } else {
                (None, id.clone())
            };
            WarehouseChoice {
                id: id.clone(),
                work_point,
                name,
            }
        })
        .collect();
    let mapping = effective(p);
    let unmapped = p
        .available
        .locations
        .iter()
        .filter(|l| !mapping.links.iter().any(|k| k.location_id == l.id))
        .map(|l| l.id)
        .collect();
    MappingView {
        locations: p.available.locations.clone(),
        warehouses,
        billing: kind,
        mapping,
        connection_location: p.shopify.as_ref().and_then(|s| s.location_id),
        connection_warehouse: p.billing.as_ref().and_then(|b| b.warehouse.clone()),
        unmapped,
    }
}

/// The saved mapping; with fewer than two links, the connection's one location and warehouse.
fn effective(p: &Profile) -> LocationSettings {
    let m = &p.settings.locations;
    if m.is_multi() {
        return m.clone();
    }
    let location = p.shopify.as_ref().and_then(|s| s.location_id);
    let warehouse = p.billing.as_ref().and_then(|b| b.warehouse.clone());
    let links = match (location, warehouse) {
        (Some(id), Some(w)) => vec![LocationLink {
            location_id: id,
            name: name_of(p, id),
            warehouse: w,
            share_percent: 100,
        }],
        _ => Vec::new(),
    };
    LocationSettings {
        links,
        split: m.split,
    }
}

fn name_of(p: &Profile, id: u64) -> String {
    p.available
        .locations
        .iter()
        .find(|l| l.id == id)
        .map_or_else(|| id.to_string(), |l| l.name.clone())
}

#[tauri::command]
pub async fn location_mapping(
    backend: State<'_, Backend>,
    refresh: Arg<bool>,
) -> Result<MappingView, ProfileError> {
    let refresh = refresh.get("refresh")?;
    let store = backend.profile().await?;
    let mut profile = saved::load(&store).await?;
    if refresh && let Some(s) = &profile.shopify {
        let secrets = OffRuntime(backend.secrets());
        let form = ShopifyForm {
            domain: s.domain.clone(),
            auth: s.auth,
            client_id: punte_engine::SecretStore::get(&secrets, CLIENT_ID_ENTRY)
                .map_err(keychain)?,
            location_id: s.location_id,
            secret: None,
        };
        let secret = punte_engine::SecretStore::get(&secrets, SHOPIFY_SECRET)
            .map_err(keychain)?
            .ok_or_else(|| {
                bad(
                    "locations",
                    "Salvați întâi conexiunea Shopify",
                    "Save the Shopify connection first",
                )
            })?;
        let check = check_shopify::check(&form, &secret).await?;
        profile.available.locations = check.locations;
        saved::save_available(&store, profile.available.clone()).await?;
    }
    Ok(view(&profile))
}

#[tauri::command]
pub async fn save_location_mapping(
    backend: State<'_, Backend>,
    mapping: Arg<Value>,
) -> Result<MappingView, ProfileError> {
    let raw = mapping.get("mapping")?;
    let store = backend.profile().await?;
    let profile = saved::load(&store).await?;
    let mapping = checked(&profile, &raw)?;
    let mut settings = profile.settings.clone();
    let one = (mapping.links.len() == 1).then(|| mapping.links[0].clone());
    settings.locations = if mapping.is_multi() {
        mapping
    } else {
        LocationSettings {
            links: Vec::new(),
            split: mapping.split,
        }
    };
    saved::save_location_mapping(&store, profile.flags.clone(), settings, one).await?;
    if backend.is_demo() != Some(true) && !super::profile::demo_forced() {
        backend.restart();
    }
    Ok(view(&saved::load(&store).await?))
}

/// The mapping sent, checked against the downloaded lists; names come from Shopify's list.
fn checked(p: &Profile, raw: &Value) -> Result<LocationSettings, ProfileError> {
    let mut m: LocationSettings = serde_json::from_value(raw.clone()).map_err(|_| {
        bad(
            "mapping",
            "Corespondența trimisă nu este validă",
            "The mapping sent is not valid",
        )
    })?;
    if p.shopify.is_none() || p.billing.is_none() {
        return Err(bad(
            "mapping",
            "Salvați întâi ambele conexiuni (Shopify și facturare)",
            "Save both connections first (Shopify and billing)",
        ));
    }
    if m.links.is_empty() {
        return Err(bad(
            "mapping",
            "Alegeți o gestiune pentru cel puțin o locație",
            "Choose a warehouse for at least one location",
        ));
    }
    if m.split == SplitRule::AllToFirst {
        for l in &mut m.links {
            l.share_percent = 0;
        }
    }
    for l in &mut m.links {
        let field = format!("location.{}", l.location_id);
        let Some(known) = p.available.locations.iter().find(|k| k.id == l.location_id) else {
            return Err(bad(
                &field,
                "Locația nu este în lista din Shopify; apăsați Reîncarcă din Shopify",
                "The location is not in Shopify's list; press Reload from Shopify",
            ));
        };
        l.name.clone_from(&known.name);
        l.warehouse = l.warehouse.trim().to_owned();
        if !l.warehouse.is_empty() && !p.available.warehouses.contains(&l.warehouse) {
            return Err(bad(
                &field,
                "Gestiunea nu este în lista descărcată; testați conexiunea de facturare",
                "The warehouse is not in the downloaded list; test the billing connection",
            ));
        }
    }
    m.validate().map_err(mapping_error)?;
    Ok(m)
}

fn mapping_error(e: MappingError) -> ProfileError {
    match e {
        MappingError::DuplicateLocation { location } => bad(
            &format!("location.{location}"),
            "Locația apare de două ori",
            "The location is listed twice",
        ),
        MappingError::NoWarehouse { location } => bad(
            &format!("location.{location}"),
            "Alegeți gestiunea locației sau „Nesincronizată”",
            "Choose the location's warehouse or \"Not synced\"",
        ),
        MappingError::SharesNot100 { warehouse, total } => bad(
            "shares",
            &format!("Cotele gestiunii {warehouse} însumează {total}%, nu 100%"),
            &format!("The shares of warehouse {warehouse} add up to {total}%, not 100%"),
        )
        .with("warehouse", warehouse)
        .with("total", total.to_string()),
    }
}

#[cfg(test)]
#[path = "locations_tests.rs"]
mod tests;
