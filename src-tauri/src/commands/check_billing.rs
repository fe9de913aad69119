//! "Test" of the billing connection: the credentials and company (one cheap read), the company's
//! name where the API tells it, the warehouses (Oblio: one per work point and management) with
//! how many products each holds, the invoice series and the VAT rates. The product counts are
//! the reads the sync makes (`stock`), so "0 products" means the sync would find nothing there;
//! a warehouse whose listed products all stand at 0 (emptied, or the wrong one) is as empty: the
//! first sync would set every matched product to 0 in Shopify.
//! FGO is not counted: it keeps one stock per article, not per warehouse, and its article list
//! answers once every 30 seconds (billing-apis.md §3.6), which the first sync needs.

use std::sync::Arc;

use punte_billing::{
    BillingError, BillingService, CompanyVatInfo, ServiceKind as BillingKind, oblio,
};
use rust_decimal::Decimal;
use serde::Serialize;

use super::profile_check::{ServiceConfig, billing_error};
use super::profile_form::ProfileError;

/// The company the credentials open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompanyView {
    /// `None` when the service's API has no read for it (SmartBill v1, FGO).
    pub name: Option<String>,
    pub cif: String,
}

/// One warehouse with its product count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WarehouseView {
    /// What invoices and the sync name (Oblio: "Punct de lucru Cluj / Depozit central").
    pub id: String,
    pub name: String,
    /// Oblio's work point ("Sediu" by default); `None` for the other services.
    pub work_point: Option<String>,
    /// Products the stock read lists there; `None` when that read failed.
    pub products: Option<usize>,
    /// Of those, the ones with stock above 0; `None` when the read failed.
    pub in_stock: Option<usize>,
}

/// What "Test" learned about the billing account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BillingCheck {
    pub company: CompanyView,
    pub warehouses: Vec<WarehouseView>,
    /// FGO: no count (one stock per article for the whole company, read at most every 30 s).
    pub counts_shared: bool,
    /// The company's VAT rates and regime as read now (`None` when the read failed).
    pub company_vat: Option<CompanyVatInfo>,
    /// Why the VAT rates could not be read (the test and the save go on).
    pub vat_error: Option<ProfileError>,
}

/// Reads everything the billing step shows; `lists` are the series and VAT rates as
/// `ServiceConfig` keeps them for the preferences.
pub async fn check(
    client: Arc<dyn BillingService>,
    cif: &str,
    field: &'static str,
) -> Result<(ServiceConfig, BillingCheck), ProfileError> {
    let fail = |e: BillingError| billing_error(&e, field);
    client.test_connection().await.map_err(fail)?;
    let name = client.company_name().await.map_err(fail)?;
    let warehouses = client.warehouses().await.map_err(fail)?;
    let series = optional(client.series().await).map_err(fail)?;
    // The company's VAT (issue 16: read at connection): a failed read does not block the test
    // or the save; it is said plainly, and the engine reads them before the first invoice.
    let (company_vat, vat_error) = match client.company_vat().await {
        Ok(info) => (Some(info), None),
        Err(BillingError::NotSupported { .. }) => (None, None),
        Err(e) => {
            tracing::warn!(code = e.code(), "VAT rates not read at connection: {e}");
            (None, Some(vat_unread(&e)))
        }
    };
    let vat_rates: Vec<_> = company_vat.iter().flat_map(|v| v.rates.clone()).collect();
    let kind = client.kind();
    // FGO keeps one stock per article, not per warehouse, and its article list answers once
    // every 30 seconds: counting here would block the save's test and the first sync.
    let counted = kind != BillingKind::Fgo;
    let mut views = Vec::with_capacity(warehouses.len());
    for w in &warehouses {
        let (products, in_stock) = if counted {
            count(client.as_ref(), &w.id).await.map_err(fail)?
        } else {
            (None, None)
        };
        views.push(WarehouseView {
            id: w.id.clone(),
            name: w.name.clone(),
            work_point: (kind == BillingKind::Oblio)
                .then(|| oblio::warehouse_parts(&w.id).0.to_owned()),
            products,
            in_stock,
        });
    }
    let config = ServiceConfig {
        warehouses: warehouses.into_iter().map(|w| w.id).collect(),
        series: series.into_iter().map(|s| s.name).collect(),
        vat_rates: vat_rates.into_iter().map(|v| v.percent).collect(),
        locations: Vec::new(),
    };
    let check = BillingCheck {
        company: CompanyView {
            name,
            cif: cif.to_owned(),
        },
        warehouses: views,
        counts_shared: !counted,
        company_vat,
        vat_error,
    };
    Ok((config, check))
}

/// The failed VAT read, in plain words: saving goes on without the rates.
fn vat_unread(e: &BillingError) -> ProfileError {
    let message = format!(
        "Cotele TVA ale firmei nu au putut fi citite ({}); conexiunea se salvează, iar Punte le \
         citește din nou înainte de prima factură. / The company's VAT rates could not be read \
         ({}); the connection is saved and Punte reads them again before the first invoice.",
        e.message(punte_billing::Lang::Ro),
        e.message(punte_billing::Lang::En)
    );
    ProfileError::new("billing.vat_unread", message)
}

/// Products listed in `warehouse`, and how many of them have stock; a refusal that is not
/// about the account (a warehouse the service cannot read) leaves the counts unknown rather
/// than failing the test.
async fn count(
    client: &dyn BillingService,
    warehouse: &str,
) -> Result<(Option<usize>, Option<usize>), BillingError> {
    match client.stock(warehouse, None).await {
        Ok(products) => {
            let in_stock = products.iter().filter(|p| p.stock > Decimal::ZERO).count();
            Ok((Some(products.len()), Some(in_stock)))
        }
        Err(e @ (BillingError::AuthFailed { .. } | BillingError::Blocked { .. })) => Err(e),
        Err(e @ BillingError::Unavailable { .. }) => Err(e),
        Err(e) => {
            tracing::warn!(warehouse, error = %e, "warehouse stock not counted");
            Ok((None, None))
        }
    }
}

/// A list the service may not offer through its API is simply empty.
fn optional<T>(r: Result<Vec<T>, BillingError>) -> Result<Vec<T>, BillingError> {
    match r {
        Err(BillingError::NotSupported { .. }) => Ok(Vec::new()),
        other => other,
    }
}

/// The warehouse the merchant chose, checked against what "Test" found: it must be listed and
/// hold products in stock (an empty one would give the sync nothing to write, and one whose
/// products all stand at 0 would empty the shop).
pub fn chosen_warehouse(warehouses: &[WarehouseView], id: &str) -> Result<(), ProfileError> {
    let Some(w) = warehouses.iter().find(|w| w.id == id) else {
        return Err(super::profile_form::bad(
            "warehouse",
            "Gestiunea nu există în contul de facturare; alegeți una din listă",
            "The warehouse does not exist in the billing account; choose one from the list",
        ));
    };
    if w.in_stock == Some(0) || w.products == Some(0) {
        let shown = &w.name;
        return Err(ProfileError::new(
            "billing.warehouse_empty",
            format!(
                "Gestiunea „{shown}” nu are niciun produs în stoc, deci prima sincronizare ar \
                 pune stocul 0 în Shopify. Alegeți gestiunea în care țineți marfa magazinului, \
                 sau adăugați produsele (cu stocul lor, printr-un NIR) în această gestiune și \
                 apăsați din nou „Testează”. / The warehouse \"{shown}\" has no product in \
                 stock, so the first sync would set Shopify's stock to 0. Choose the warehouse \
                 that holds the shop's goods, or add the products (with their stock, through a \
                 goods receipt) to this warehouse and press \"Test\" again."
            ),
        )
        .at("warehouse")
        .with("warehouse", shown));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(products: Option<usize>) -> Vec<WarehouseView> {
        counted(products, products)
    }

    fn counted(products: Option<usize>, in_stock: Option<usize>) -> Vec<WarehouseView> {
        vec![WarehouseView {
            id: "Gol".into(),
            name: "Gol".into(),
            work_point: None,
            products,
            in_stock,
        }]
    }

    #[test]
    fn an_empty_or_unknown_warehouse_is_refused_at_its_field() {
        let empty = chosen_warehouse(&check(Some(0)), "Gol").expect_err("empty");
        assert_eq!(
            (empty.code, empty.field.as_deref()),
            ("billing.warehouse_empty", Some("warehouse"))
        );
        assert!(empty.params["ro"].contains("„Gol”") && empty.params["en"].contains("receipt"));
        assert_eq!(empty.params["warehouse"], "Gol");
        let unknown = chosen_warehouse(&check(Some(3)), "Altul").expect_err("unknown");
        assert_eq!(unknown.field.as_deref(), Some("warehouse"));
        assert!(chosen_warehouse(&check(Some(3)), "Gol").is_ok());
        // A count that could not be read does not stop the merchant.
        assert!(chosen_warehouse(&check(None), "Gol").is_ok());
        // Products listed, none in stock (an emptied warehouse): the first sync would set the
        // shop to 0, so it is refused as empty.
        let emptied = chosen_warehouse(&counted(Some(4), Some(0)), "Gol").expect_err("emptied");
        assert_eq!(emptied.code, "billing.warehouse_empty");
        assert!(emptied.params["en"].contains("no product in stock"));
        assert!(chosen_warehouse(&counted(Some(4), Some(1)), "Gol").is_ok());
    }
}
