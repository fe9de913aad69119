//! Warehouse and Invoice preferences: a flat view of `EngineSettings`, the profile's flags and the
//! billing connection's warehouse, and the patch that changes only the fields it names. Every
//! field of a patch is checked before anything is written; one bad value refuses the whole patch
//! (`input.invalid` + `field`) and nothing changes. The value checks are in `profile_values`.

use chrono::NaiveTime;
use punte_core::money::VatRate;
use punte_core::product::CodeSource;
use punte_core::schedule::NewProductPolicy;
use punte_engine::{AutoInvoice, EngineSettings, OnCancel};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::profile_check::ServiceConfig;
use super::profile_form::{ProfileError, bad};
use super::profile_store::{Flags, Profile};
use super::profile_values::{cod_days, listed_warehouse, parse, vat, warehouse_choice, yes_no};

/// When a new product joins the stock sync, with the time as "HH:MM".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "policy", rename_all = "snake_case")]
pub enum NewProducts {
    NextCycle,
    NextDayAfter { local_time: String },
}

/// What the Profile's preference tabs show and edit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preferences {
    pub use_warehouse: bool,
    pub warehouse: Option<String>,
    pub code_source: CodeSource,
    pub use_stock: bool,
    pub sync_stock: bool,
    pub stock_sync_every_minutes: u32,
    pub new_products: NewProducts,
    pub default_buffer: i64,
    pub invoice_series: String,
    pub use_warehouse_name: bool,
    pub vat_payer: bool,
    pub vat_standard: Decimal,
    pub vat_reduced: Decimal,
    pub auto_invoice: AutoInvoice,
    pub on_cancel: OnCancel,
    /// Where a credit note restocks returned units; `None`: the invoice's warehouse (issue 16).
    pub credit_restock_warehouse: Option<String>,
    /// "COD orders unpaid after N days" (issue 17).
    pub cod_unpaid_days: u32,
    pub available: ServiceConfig,
}

/// The view of a saved profile.
pub fn view(p: &Profile) -> Preferences {
    let s = &p.settings;
    Preferences {
        use_warehouse: p.flags.use_warehouse,
        warehouse: p.billing.as_ref().and_then(|b| b.warehouse.clone()),
        code_source: s.code_source,
        use_stock: s.use_stock,
        sync_stock: p.flags.sync_stock,
        stock_sync_every_minutes: s.schedule.stock_sync_every_minutes,
        new_products: match s.schedule.new_products {
            NewProductPolicy::NextCycle => NewProducts::NextCycle,
            NewProductPolicy::NextDayAfter { local_time } => NewProducts::NextDayAfter {
                local_time: local_time.format("%H:%M").to_string(),
            },
        },
        default_buffer: s.plan.default_buffer,
        invoice_series: s.invoice_series.clone(),
        use_warehouse_name: s.invoice.use_warehouse_name,
        vat_payer: s.invoice.vat.vat_payer,
        vat_standard: s.invoice.vat.standard.0,
        vat_reduced: s.invoice.vat.reduced.0,
        auto_invoice: s.auto_invoice,
        on_cancel: s.on_cancel,
        credit_restock_warehouse: s.credit_restock_warehouse.clone(),
        cod_unpaid_days: s.cod_unpaid_days,
        available: p.available.clone(),
    }
}

/// The result of a checked patch: what to write.
pub struct Patched {
    pub flags: Flags,
    pub settings: EngineSettings,
    /// `Some(new)` when the patch names the warehouse.
    pub warehouse: Option<Option<String>>,
}

/// Applies `patch` (an object of changed fields) to the saved profile, checking each field.
pub fn apply(p: &Profile, patch: &Value) -> Result<Patched, ProfileError> {
    let Value::Object(fields) = patch else {
        return Err(bad(
            "patch",
            "Preferințele trimise nu sunt valide",
            "The preferences sent are not valid",
        ));
    };
    let mut flags = p.flags.clone();
    let mut s = p.settings.clone();
    let mut warehouse = None;
    let lists = &p.available;
    for (key, v) in fields {
        let f = key.as_str();
        match f {
            "use_warehouse" => flags.use_warehouse = yes_no(f, v)?,
            "sync_stock" => flags.sync_stock = yes_no(f, v)?,
            "use_stock" => s.use_stock = yes_no(f, v)?,
            "use_warehouse_name" => s.invoice.use_warehouse_name = yes_no(f, v)?,
            "vat_payer" => s.invoice.vat.vat_payer = yes_no(f, v)?,
            "warehouse" => {
                let w = warehouse_choice(f, v)?;
                if p.billing.is_none() {
                    return Err(bad(
                        f,
                        "Salvați întâi conexiunea de facturare",
                        "Save the billing connection first",
                    ));
                }
                listed_warehouse(f, w.as_ref(), &lists.warehouses)?;
                warehouse = Some(w);
            }
            "code_source" => {
                s.code_source = parse(
                    f,
                    v,
                    "Codul produsului este Sku sau Barcode",
                    "The product code is Sku or Barcode",
                )?;
            }
            "stock_sync_every_minutes" => {
                let m: u32 = parse(
                    f,
                    v,
                    "Intervalul este un număr de minute",
                    "The interval is a number of minutes",
                )?;
                if !(5..=1440).contains(&m) {
                    return Err(bad(
                        f,
                        "Intervalul este între 5 și 1440 de minute",
                        "The interval is from 5 to 1440 minutes",
                    ));
                }
                s.schedule.stock_sync_every_minutes = m;
            }
            "new_products" => {
                let (ro, en) = (
                    "Alegeți regula pentru produse noi (ora ca HH:MM)",
                    "Choose the new-products rule (time as HH:MM)",
                );
                s.schedule.new_products = match parse::<NewProducts>(f, v, ro, en)? {
                    NewProducts::NextCycle => NewProductPolicy::NextCycle,
                    NewProducts::NextDayAfter { local_time } => NewProductPolicy::NextDayAfter {
                        local_time: NaiveTime::parse_from_str(&local_time, "%H:%M")
                            .map_err(|_| bad(f, ro, en))?,
                    },
                };
            }
            "default_buffer" => {
                let b: i64 = parse(
                    f,
                    v,
                    "Rezerva este un număr întreg de bucăți",
                    "The buffer is a whole number of units",
                )?;
                if !(0..=100_000).contains(&b) {
                    return Err(bad(
                        f,
                        "Rezerva este între 0 și 100000 de bucăți",
                        "The buffer is from 0 to 100000 units",
                    ));
                }
                s.plan.default_buffer = b;
            }
            "invoice_series" => {
                let series: String = parse(
                    f,
                    v,
                    "Alegeți seria din listă",
                    "Choose the series from the list",
                )?;
                let series = series.trim().to_owned();
                let known = lists.series.is_empty() || lists.series.contains(&series);
                if series.is_empty() || series.len() > 20 || !known {
                    return Err(bad(
                        f,
                        "Alegeți o serie din lista descărcată",
                        "Choose a series from the downloaded list",
                    ));
                }
                s.invoice_series = series;
            }
            "vat_standard" => s.invoice.vat.standard = VatRate(vat(f, v)?),
            "vat_reduced" => s.invoice.vat.reduced = VatRate(vat(f, v)?),
            "auto_invoice" => {
                s.auto_invoice = parse(
                    f,
                    v,
                    "Alegeți când se emite factura",
                    "Choose when the invoice is issued",
                )?;
            }
            "on_cancel" => {
                s.on_cancel = parse(
                    f,
                    v,
                    "Alegeți ce se face la anulare",
                    "Choose what happens on cancellation",
                )?;
            }
            "credit_restock_warehouse" => {
                let w = warehouse_choice(f, v)?;
                listed_warehouse(f, w.as_ref(), &lists.warehouses)?;
                s.credit_restock_warehouse = w;
            }
            "cod_unpaid_days" => s.cod_unpaid_days = cod_days(f, v)?,
            _ => return Err(bad(f, "Preferință necunoscută", "Unknown preference")),
        }
    }
    Ok(Patched {
        flags,
        settings: s,
        warehouse,
    })
}
