//! Tests of the location mapping's checks against the downloaded lists.

use super::*;
use crate::commands::profile_check::ServiceConfig;
use serde_json::json;

fn profile() -> Profile {
    let location = |id: u64, name: &str| LocationView {
        id,
        name: name.into(),
    };
    Profile {
        available: ServiceConfig {
            warehouses: vec!["Central".into(), "Magazin".into()],
            locations: vec![
                location(1, "Depozit"),
                location(2, "Showroom"),
                location(3, "Târg"),
            ],
            ..ServiceConfig::default()
        },
        ..Profile::default()
    }
}

#[test]
fn a_mapping_is_checked_against_the_lists_and_the_shares() {
    let mut p = profile();
    let links = json!({"links": [
        {"location_id": 1, "name": "x", "warehouse": "Central", "share_percent": 60},
        {"location_id": 2, "name": "y", "warehouse": "Central", "share_percent": 30}],
        "split": "fixed_shares"});
    let err = checked(&p, &links).expect_err("no connections saved");
    assert_eq!(err.field.as_deref(), Some("mapping"));
    p.shopify = Some(saved::SavedShopify {
        domain: "s.myshopify.com".into(),
        location_id: Some(1),
        auth: super::super::profile_form::Auth::Dev,
        tested_at: None,
    });
    p.billing = Some(saved::SavedBilling {
        kind: ServiceKind::SmartBill,
        cif: "RO1".into(),
        email: None,
        cod_unic: None,
        warehouse: Some("Central".into()),
        tested_at: None,
    });
    let err = checked(&p, &links).expect_err("90 %");
    assert_eq!(err.field.as_deref(), Some("shares"));
    assert_eq!(err.params.get("total").map(String::as_str), Some("90"));
    let mut ok = links.clone();
    ok["links"][1]["share_percent"] = json!(40);
    let m = checked(&p, &ok).expect("100 %");
    assert_eq!(
        m.links[1].name, "Showroom",
        "names come from Shopify's list"
    );
    let mut unknown = ok.clone();
    unknown["links"][1]["warehouse"] = json!("Altul");
    let err = checked(&p, &unknown).expect_err("unknown warehouse");
    assert_eq!(err.field.as_deref(), Some("location.2"));
    let mut gone = ok;
    gone["links"][1]["location_id"] = json!(9);
    assert_eq!(
        checked(&p, &gone).expect_err("unknown").field.as_deref(),
        Some("location.9")
    );
    // Location 3 is left out: not synced, and the view says so.
    let mut after = p.clone();
    after.settings.locations = m;
    assert_eq!(view(&after).unmapped, vec![3]);
}
