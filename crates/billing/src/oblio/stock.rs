//! Oblio's warehouses and stock: one warehouse per (work point, management) pair, and a
//! warehouse's stock from `nomenclature/products` filtered by both (a few codes one by one,
//! otherwise pages of 250 by offset), either product shape accepted.

use punte_core::product::{BillingProduct, ProductCode};

use super::reply::{Management, Product};
use super::{DEFAULT_WORK_STATION, Oblio, warehouse_id, warehouse_parts};
use crate::error::BillingError;
use crate::model::Warehouse;

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
        let (ws, management) = warehouse_parts(warehouse);
        let mut found: Vec<Product> = Vec::new();
        let base = vec![
            ("management", management.to_owned()),
            ("workStation", ws.to_owned()),
        ];
        match codes {
            Some(codes) if codes.len() <= 3 => {
                for c in codes {
                    let mut q = base.clone();
                    q.push(("code", c.as_str().to_owned()));
                    found.extend(self.nomenclature::<Vec<Product>>("products", &q).await?);
                }
            }
            _ => loop {
                let mut q = base.clone();
                q.push(("offset", found.len().to_string()));
                let page: Vec<Product> = self.nomenclature("products", &q).await?;
                let full = page.len() == PAGE;
                found.extend(page);
                if !full {
                    break;
                }
            },
        }
        let here = |m: &str, w: Option<&str>| m == management && w.is_none_or(|w| w == ws);
        let mut out: Vec<BillingProduct> = Vec::new();
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
            if out.iter().any(|o| o.code.as_str() == p.code) {
                continue;
            }
            out.push(BillingProduct {
                code: ProductCode(p.code),
                name: p.name,
                stock,
            });
        }
        Ok(out)
    }
}
