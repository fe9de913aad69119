//! Connection forms refused before anything leaves the machine: each refusal names its field,
//! speaks Romanian and English, and nothing is saved (no simulator is needed: no request is sent).

use serde_json::json;

use crate::support::{TURN, launch};

#[test]
fn bad_connection_forms_are_refused_on_their_field_and_save_nothing() {
    let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    let app = launch();
    let shop = |fields: serde_json::Value| {
        json!({"form": {"kind": "shopify", "fields": fields,
        "secrets": {"admin_token": "shpat_x"}}})
    };
    let cases = [
        (
            shop(json!({"shop_domain": "https://evil.example", "auth": "legacy"})),
            "shop_domain",
        ),
        (
            shop(json!({"shop_domain": "-x.myshopify.com", "auth": "legacy"})),
            "shop_domain",
        ),
        (
            shop(json!({"shop_domain": "a.myshopify.com", "auth": "sideways"})),
            "auth",
        ),
        (
            shop(
                json!({"shop_domain": "a.myshopify.com", "auth": "legacy", "location_id": "main"}),
            ),
            "location_id",
        ),
        // A Dev Dashboard app needs its client id, and its secret is the client secret.
        (
            shop(json!({"shop_domain": "a.myshopify.com", "auth": "dev", "client_id": "id"})),
            "admin_token",
        ),
        (
            json!({"form": {"kind": "shopify", "fields": {"shop_domain": "a.myshopify.com"},
            "secrets": {"client_secret": "s"}}}),
            "client_id",
        ),
        (
            json!({"form": {"kind": "smart_bill", "fields": {"email": "not-an-email", "cif": "RO123"},
            "secrets": {"api_token": "t"}}}),
            "email",
        ),
        (
            json!({"form": {"kind": "smart_bill", "fields": {"email": "a@b.ro", "cif": "RO12X"},
            "secrets": {"api_token": "t"}}}),
            "cif",
        ),
        (
            json!({"form": {"kind": "oblio", "fields": {"email": "a@b.ro", "cif": "RO12"},
            "secrets": {"api_secret": "has space"}}}),
            "api_secret",
        ),
        (
            json!({"form": {"kind": "fgo", "fields": {"cod_unic": "RO123"},
            "secrets": {"private_key": "k"}}}),
            "cod_unic",
        ),
        (
            json!({"form": {"kind": "fgo", "fields": {"cod_unic": "123"}, "secrets": {"api_token": "k"}}}),
            "api_token",
        ),
        (
            json!({"form": {"kind": "smart_bill", "fields": ["email"]}}),
            "fields",
        ),
        (json!({"form": {"kind": "paypal"}}), "kind"),
    ];
    for (form, field) in cases {
        app.refused(
            "test_connection",
            form.clone(),
            "input.invalid",
            Some(field),
        );
        app.refused("save_connection", form, "input.invalid", Some(field));
    }
    assert_eq!(
        app.ok("connections", json!({})),
        json!({"shopify": null, "billing": null})
    );
    assert_eq!(
        app.ok("preferences", json!({}))["available"]["warehouses"],
        json!([])
    );
}
