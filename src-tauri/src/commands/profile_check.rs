//! "Test connection": builds a client from the checked form (with the typed secret, or the saved
//! one), checks the credentials and reads what the merchant chooses from and should see before
//! saving (`check_shopify`: scopes, shop, locations; `check_billing`: company, warehouses with
//! their product counts, series, VAT rates). Connector errors become `{code, message, field}`
//! saying what to fix (`*.unauthorized`, `*.offline`, …).

use std::sync::Arc;
use std::time::Duration;

use punte_billing::{
    BillingError, BillingService, Connection, Options, Secret, connect, fgo, oblio, smartbill,
};
use punte_shopify::ShopifyError;
use punte_store::ServiceKind;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::check_billing::{self, BillingCheck};
use super::check_shopify::{ShopInfo, ShopifyCheck};
use super::profile_form::{BillingForm, ProfileError, billing_secret_name};
use super::profile_urls::billing_url;

/// How long one exchange of a connection test may take: the merchant is waiting.
pub(crate) const TEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Quiet time between two billing tests. Each test builds a new client (new credentials), whose
/// pacing knows nothing of the previous one; Oblio blocks an account for 10 minutes after more
/// than 3 requests in one second, so two quick clicks must not add up to a burst.
const BILLING_TEST_GAP: Duration = Duration::from_millis(1200);

/// When the last billing test ended; held for the whole test, so tests run one at a time.
static LAST_BILLING_TEST: tokio::sync::Mutex<Option<tokio::time::Instant>> =
    tokio::sync::Mutex::const_new(None);

/// What the last Test connection downloaded (`Preferences.available`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceConfig {
    pub warehouses: Vec<String>,
    pub series: Vec<String>,
    pub vat_rates: Vec<Decimal>,
    pub locations: Vec<LocationView>,
}

/// The answer of "Test": the lists the preferences keep, and what the first-run steps show
/// (the shop and its scopes, or the company and its warehouses with their product counts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    #[serde(flatten)]
    pub lists: ServiceConfig,
    pub shop: Option<ShopInfo>,
    pub scopes: Option<Vec<super::check_shopify::ScopeView>>,
    pub missing_scopes: Vec<&'static str>,
    pub company: Option<super::check_billing::CompanyView>,
    pub warehouse_details: Vec<super::check_billing::WarehouseView>,
    pub counts_shared: bool,
    /// The billing company's VAT as read by this test (saved with the connection).
    pub company_vat: Option<punte_billing::CompanyVatInfo>,
    /// The VAT read failed: said plainly; it blocks neither the test nor the save.
    pub vat_error: Option<ProfileError>,
}

impl TestResult {
    pub fn shopify(lists: ServiceConfig, check: ShopifyCheck) -> Self {
        Self {
            lists,
            shop: Some(check.shop),
            scopes: Some(check.scopes),
            missing_scopes: check.missing_scopes,
            company: None,
            warehouse_details: Vec::new(),
            counts_shared: false,
            company_vat: None,
            vat_error: None,
        }
    }

    pub fn billing(lists: ServiceConfig, check: BillingCheck) -> Self {
        Self {
            lists,
            shop: None,
            scopes: None,
            missing_scopes: Vec::new(),
            company: Some(check.company),
            warehouse_details: check.warehouses,
            counts_shared: check.counts_shared,
            company_vat: check.company_vat,
            vat_error: check.vat_error,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationView {
    pub id: u64,
    pub name: String,
}

/// The FGO platform URL Punte registers as (FGO wants the calling app's root URL).
pub fn fgo_platform_url(shop_domain: Option<&str>) -> String {
    format!("https://{}", shop_domain.unwrap_or("punte.ro"))
}

/// A billing client for the typed (or saved) credentials, with the short waits of a test.
pub fn billing_client(
    form: &BillingForm,
    secret: &str,
    fgo_series: Vec<String>,
    shop_domain: Option<&str>,
) -> Result<Arc<dyn BillingService>, ProfileError> {
    let base_url = billing_url(form.kind)?;
    let unit = "buc".to_owned();
    let email = form.email.clone().unwrap_or_default();
    let connection = match form.kind {
        ServiceKind::Oblio => Connection::Oblio(oblio::Config {
            base_url,
            email,
            secret: Secret::new(secret),
            cif: form.cif.clone(),
            unit,
        }),
        ServiceKind::Fgo => Connection::Fgo(fgo::Config {
            base_url,
            cod_unic: form.cod_unic.clone().unwrap_or_default(),
            private_key: Secret::new(secret),
            platform_url: fgo_platform_url(shop_domain),
            unit,
            series: fgo_series,
        }),
        ServiceKind::SmartBill | ServiceKind::Shopify => Connection::SmartBill(smartbill::Config {
            base_url,
            email,
            token: Secret::new(secret),
            cif: form.cif.clone(),
            unit,
        }),
    };
    let options = Options {
        timeout: TEST_TIMEOUT,
        max_attempts: 2,
        max_wait: Duration::from_secs(5),
        backoff: Duration::from_millis(200),
        time_scale: 1.0,
        journal: None,
    };
    let field = billing_secret_name(form.kind);
    connect(connection, options).map_err(|e| billing_error(&e, field))
}

/// Checks the billing credentials and reads what the billing step and the preferences show:
/// company, warehouses with their product counts, series and VAT rates. Tests run one at a
/// time, spaced by [`BILLING_TEST_GAP`].
pub async fn billing(
    form: &BillingForm,
    secret: &str,
    fgo_series: Vec<String>,
    shop_domain: Option<&str>,
) -> Result<(ServiceConfig, BillingCheck), ProfileError> {
    let field = billing_secret_name(form.kind);
    let client = billing_client(form, secret, fgo_series, shop_domain)?;
    let mut last = LAST_BILLING_TEST.lock().await;
    if let Some(at) = *last {
        tokio::time::sleep_until(at + BILLING_TEST_GAP).await;
    }
    let answer = check_billing::check(client, &form.cif, field).await;
    *last = Some(tokio::time::Instant::now());
    answer
}

pub(crate) fn shopify_error(e: &ShopifyError, secret_field: &str) -> ProfileError {
    let message = format!("{} / {}", e.message_ro(), e.message_en());
    match e {
        ShopifyError::AuthFailed(_) | ShopifyError::AccessDenied(_) => {
            ProfileError::new("shopify.unauthorized", message).at(secret_field)
        }
        ShopifyError::Unreachable(_) | ShopifyError::Timeout | ShopifyError::ServerError { .. } => {
            ProfileError::new("shopify.offline", message)
        }
        ShopifyError::InvalidConfig(_) => {
            ProfileError::new("input.invalid", message).at("shop_domain")
        }
        other => ProfileError::new(other.code(), message),
    }
}

pub(crate) fn billing_error(e: &BillingError, secret_field: &str) -> ProfileError {
    let message = format!(
        "{} / {}",
        e.message(punte_billing::Lang::Ro),
        e.message(punte_billing::Lang::En)
    );
    match e {
        BillingError::AuthFailed { .. } => {
            ProfileError::new("billing.unauthorized", message).at(secret_field)
        }
        BillingError::CompanyNotFound { .. } => {
            ProfileError::new("input.invalid", message).at("cif")
        }
        BillingError::Unavailable { .. } => ProfileError::new("billing.offline", message),
        BillingError::Blocked { .. } => ProfileError::new("billing.blocked", message),
        other => ProfileError::new(other.code(), message),
    }
}
