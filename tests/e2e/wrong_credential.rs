//! Scenario: a merchant types a wrong Shopify token and a wrong SmartBill token for services that
//! answer (loopback simulators standing in for the real hosts). "Test connection" shows, under the
//! secret's own field, a clear message saying what to fix, and nothing is saved.

use crate::demo::tid;
use crate::harness::App;
use crate::profile_steps::{self, Services};

#[test]
fn a_wrong_credential_shows_a_clear_error_under_its_field() {
    let services = Services::start();
    let env = services.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = App::launch_with_env("wrong-credential", &env);
    profile_steps::open_profile(&app);

    profile_steps::test_shopify(
        &app,
        &services.shop_domain(),
        "shpat_not_the_right_token_42",
    );
    let error = app.text(&tid("conn-shopify-admin_token-error"));
    assert!(
        error.contains("Shopify") && (error.contains("token") || error.contains("acces")),
        "the error must name Shopify and the token to fix: {error}"
    );
    assert!(
        !error.contains("shpat_not_the_right_token_42"),
        "the error repeats the secret: {error}"
    );
    let c = services.bill.credentials();
    profile_steps::test_smartbill(&app, c.get("email"), c.get("cif"), "0123456789abcdef-wrong");
    let error = app.text(&tid("conn-billing-api_token-error"));
    assert!(
        error.contains("SmartBill") && error.contains("token"),
        "the error must name SmartBill and the token: {error}"
    );
    app.screenshot("profile");

    // Nothing was saved: no "saved" badge, Save still waits for a successful test.
    assert!(
        app.text_now(&tid("conn-shopify-admin_token-saved"))
            .is_none()
    );
    assert_eq!(
        app.attribute_now(&tid("conn-shopify-save"), "disabled")
            .as_deref(),
        Some("true"),
        "Save must stay disabled after a failed test"
    );
}
