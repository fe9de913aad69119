//! "Test connection": builds a client from the checked form (with the typed secret, or the saved
//! one), checks the credentials with one cheap read and downloads what the preferences choose
//! from: Shopify locations; billing warehouses, series and VAT rates. Connector errors become
//! `{code, message, field}` saying what to fix (`*.unauthorized`, `*.offline`, …).

use std::time::Duration;

use punte_billing::{BillingError, Connection, Options, Secret, connect, fgo, oblio, smartbill};
use punte_shopify::retry::RetryPolicy;
use punte_shopify::{Credentials, ShopifyClient, ShopifyConfig, ShopifyError};
use punte_store::ServiceKind;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::profile_form::{BillingForm, ProfileError, ShopifyForm, billing_secret_name};
use super::profile_urls::{billing_url, shopify_url};

/// How long one exchange of a connection test may take: the merchant is waiting.
const TEST_TIMEOUT: Duration = Duration::from_secs(15);
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationView {
    pub id: u64,
    pub name: String,
}

/// The FGO platform URL Punte registers as (FGO wants the calling app's root URL).
pub fn fgo_platform_url(shop_domain: Option<&str>) -> String {
    format!("https://{}", shop_domain.unwrap_or("punte.ro"))
}

/// Checks the Shopify credentials and lists the shop's active locations.
pub async fn shopify(form: &ShopifyForm, secret: &str) -> Result<Vec<LocationView>, ProfileError> {
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
    let secret_field = form.auth.secret_name();
    let client = ShopifyClient::new(config).map_err(|e| shopify_error(&e, secret_field))?;
    let locations = client
        .locations()
        .await
        .map_err(|e| shopify_error(&e, secret_field))?;
    Ok(locations
        .into_iter()
        .filter(|l| l.active)
        .map(|l| LocationView {
            id: l.id,
            name: l.name,
        })
        .collect())
}

/// Checks the billing credentials and downloads warehouses, series and VAT rates.
pub async fn billing(
    form: &BillingForm,
    secret: &str,
    fgo_series: Vec<String>,
    shop_domain: Option<&str>,
) -> Result<ServiceConfig, ProfileError> {
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
    let fail = |e: BillingError| billing_error(&e, field);
    let mut last = LAST_BILLING_TEST.lock().await;
    if let Some(at) = *last {
        tokio::time::sleep_until(at + BILLING_TEST_GAP).await;
    }
    let answer = download(connect(connection, options).map_err(fail)?, field).await;
    *last = Some(tokio::time::Instant::now());
    answer
}

async fn download(
    client: std::sync::Arc<dyn punte_billing::BillingService>,
    field: &'static str,
) -> Result<ServiceConfig, ProfileError> {
    let fail = |e: BillingError| billing_error(&e, field);
    client.test_connection().await.map_err(fail)?;
    let warehouses = client.warehouses().await.map_err(fail)?;
    let series = optional(client.series().await).map_err(fail)?;
    let vat_rates = optional(client.vat_rates().await).map_err(fail)?;
    Ok(ServiceConfig {
        warehouses: warehouses.into_iter().map(|w| w.id).collect(),
        series: series.into_iter().map(|s| s.name).collect(),
        vat_rates: vat_rates.into_iter().map(|v| v.percent).collect(),
        locations: Vec::new(),
    })
}

/// A list the service may not offer through its API is simply empty.
fn optional<T>(r: Result<Vec<T>, BillingError>) -> Result<Vec<T>, BillingError> {
    match r {
        Err(BillingError::NotSupported { .. }) => Ok(Vec::new()),
        other => other,
    }
}

fn shopify_error(e: &ShopifyError, secret_field: &str) -> ProfileError {
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

fn billing_error(e: &BillingError, secret_field: &str) -> ProfileError {
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
