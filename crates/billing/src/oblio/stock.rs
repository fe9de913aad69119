//! Oblio's warehouses and stock: one warehouse per (work point, management) pair, and a
//! warehouse's stock from `nomenclature/products` filtered by both (a few codes one by one,
//! otherwise pages of 250 by offset, all of them or one at a time for the engine's paced
//! sweep), either product shape accepted.

use std::collections::HashSet;

use punte_core::money::VatRate;
use punte_core::product::{BillingProduct, ProductCode};

use super::reply::{Management, Product};
use super::{DEFAULT_WORK_STATION, Oblio, warehouse_id, warehouse_parts};
use crate::error::BillingError;
use crate::model::{StockPage, Warehouse};

/// Products per `nomenclature/products` page.
const PAGE: usize = 250;

impl Oblio {
    pub(super) async fn read_warehouses(&self) -> Result<Vec<Warehouse>, BillingError> {
        let list: Vec<Management> = self.nomenclature("management", &[]).await?;
        Ok(list
            .into_iter()
            .map(|m| {
                let ws = m.work_station.unwrap_or_default();
                let name = if ws.is_empty() || ws == DEFAULT_WORK_STATION {
                    m.management.clone()
                } else {
                    format!("{} ({ws})", m.management)
                };
                Warehouse {
                    id: warehouse_id(&ws, &m.management),
                    name,
                }
            })
            .collect())
    }

    pub(super) async fn stock_of(
        &self,
        warehouse: &str,
        codes: Option<&[ProductCode]>,
    ) -> Result<Vec<BillingProduct>, BillingError> {
        let mut found: Vec<Product> = Vec::new();
        match codes {
            Some(codes) if codes.len() <= 3 => {
                for c in codes {
                    let q = ("code", c.as_str().to_owned());
                    found.extend(self.products(warehouse, q).await?);
                }
            }
            _ => loop {
                let page = self
                    .products(warehouse, ("offset", found.len().to_string()))
                    .await?;
                let full = page.len() == PAGE;
                found.extend(page);
                if !full {
                    break;
                }
            },
        }
        Ok(in_warehouse(warehouse, found, codes))
    }

    /// Page `page` of the warehouse's products (250 a page, by offset).
    pub(super) async fn stock_page_of(
        &self,
        warehouse: &str,
        page: u64,
    ) -> Result<StockPage, BillingError> {
        let offset = ("offset", (page as usize * PAGE).to_string());
        let found = self.products(warehouse, offset).await?;
        let last = found.len() < PAGE;
        Ok(StockPage {
            products: in_warehouse(warehouse, found, None),
            last,
        })
    }

    /// `nomenclature/products` filtered by the warehouse's work point and management, and `by`.
    async fn products(
        &self,
        warehouse: &str,
        by: (&'static str, String),
    ) -> Result<Vec<Product>, BillingError> {
        let (ws, management) = warehouse_parts(warehouse);
        let q = vec![
            ("management", management.to_owned()),
            ("workStation", ws.to_owned()),
            by,
        ];
        self.nomenclature("products", &q).await
    }
}

/// Each product's stock in the warehouse (either product shape), once per code, only `codes`
/// when given.
fn in_warehouse(
    warehouse: &str,
    found: Vec<Product>,
    codes: Option<&[ProductCode]>,
) -> Vec<BillingProduct> {
    let (ws, management) = warehouse_parts(warehouse);
    let here = |m: &str, w: Option<&str>| m == management && w.is_none_or(|w| w == ws);
    let mut out: Vec<BillingProduct> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for p in found.into_iter().filter(|p| !p.code.is_empty()) {
        if codes.is_some_and(|cs| !cs.iter().any(|c| c.as_str() == p.code)) {
            continue;
        }
        let flat = p
            .quantity
            .filter(|_| {
                p.management
                    .as_deref()
                    .is_none_or(|m| here(m, p.work_station.as_deref()))
            })
            .map(|q| q.0);
        let listed = p
            .stock
            .iter()
            .filter(|s| here(&s.management, s.work_station.as_deref()))
            .map(|s| s.quantity.0);
        let stock = flat.into_iter().chain(listed).sum();
        let vat = p.vat_percentage.or_else(|| {
            p.stock
                .iter()
                .find(|s| here(&s.management, s.work_station.as_deref()))
                .and_then(|s| s.vat_percentage)
        });
        if !seen.insert(p.code.clone()) {
            continue;
        }
        out.push(BillingProduct {
            code: ProductCode(p.code),
            name: p.name,
            stock,
            vat_rate: vat.map(|v| VatRate(v.0)),
        });
    }
    out
}
