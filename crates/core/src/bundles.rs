//! Bundles. Shopify's own (a variant that `requiresComponents`, sold as its component lines,
//! each carrying a `lineItemGroup`) need nothing from the stock rule: the components are the
//! order's lines, so they reserve and discharge as any line, and Shopify derives the parent's
//! availability from its components (Punte never writes the parent). A merchant-defined *kit*
//! is a Shopify SKU that billing does not stock: a recipe of billing codes. Its order lines
//! reserve and discharge the components (the store expands them), and Shopify's level of the
//! kit is written as what the components allow: the least, over the components, of
//! ⌊target(component) / units per kit⌋.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::product::{BillingProduct, ProductCode};
use crate::reservation::Reservations;

/// One billing code in a recipe, and how many units of it one kit or bundle takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    pub code: ProductCode,
    pub quantity: i64,
}

/// A merchant-defined kit: the Shopify SKU `code` made of `components`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kit {
    pub code: ProductCode,
    /// The merchant's name for it (shown in the window and on invoice lines).
    pub title: String,
    pub components: Vec<Component>,
}

/// Why a recipe cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum KitError {
    #[error("the kit needs a code")]
    NoCode,
    #[error("the kit needs at least one component")]
    NoComponents,
    #[error("component {code} needs a quantity of at least 1")]
    BadQuantity { code: String },
    #[error("component {code} is listed twice")]
    DuplicateComponent { code: String },
    #[error("a kit cannot contain itself")]
    ContainsItself,
    #[error("component {code} is itself a kit")]
    NestedKit { code: String },
}

impl Kit {
    /// Checks a recipe against the other kits (`others`, by code) before it is saved.
    ///
    /// # Errors
    /// The first problem found.
    pub fn validate(&self, others: &[ProductCode]) -> Result<(), KitError> {
        if self.code.0.trim().is_empty() {
            return Err(KitError::NoCode);
        }
        if self.components.is_empty() {
            return Err(KitError::NoComponents);
        }
        let mut seen: Vec<&ProductCode> = Vec::new();
        for c in &self.components {
            let code = || c.code.0.clone();
            if c.code.0.trim().is_empty() || c.quantity < 1 {
                return Err(KitError::BadQuantity { code: code() });
            }
            if c.code == self.code {
                return Err(KitError::ContainsItself);
            }
            if others.contains(&c.code) {
                return Err(KitError::NestedKit { code: code() });
            }
            if seen.contains(&&c.code) {
                return Err(KitError::DuplicateComponent { code: code() });
            }
            seen.push(&c.code);
        }
        Ok(())
    }
}

/// How many whole bundles the components allow, given what each component has (`of`); `None`
/// when a component is unknown. Below zero counts as zero.
pub fn bundle_availability(
    components: &[Component],
    of: impl Fn(&ProductCode) -> Option<i64>,
) -> Option<i64> {
    let mut least: Option<i64> = None;
    for c in components {
        let have = of(&c.code)?.max(0);
        let n = have / c.quantity.max(1);
        least = Some(least.map_or(n, |l| l.min(n)));
    }
    least
}

/// A kit that cannot be computed: one of its components is not in billing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingComponent {
    pub kit: ProductCode,
    pub component: ProductCode,
}

/// Adds each kit to the billing products as the product the components make: its stock is how
/// many kits the components allow after their own reservations and buffers, so the plan's
/// B − R − buffer of the kit (whose own reservations the store has moved to the components) is
/// exactly that. A billing product with a kit's code is replaced (the recipe wins).
pub fn with_kits(
    mut products: Vec<BillingProduct>,
    kits: &[Kit],
    reservations: &Reservations,
    buffer_of: impl Fn(&ProductCode) -> i64,
) -> (Vec<BillingProduct>, Vec<MissingComponent>) {
    if kits.is_empty() {
        return (products, Vec::new());
    }
    let stock: HashMap<&ProductCode, i64> =
        products.iter().map(|p| (&p.code, whole(p.stock))).collect();
    let mut missing = Vec::new();
    let mut made = Vec::new();
    for kit in kits {
        if let Some(c) = kit.components.iter().find(|c| !stock.contains_key(&c.code)) {
            missing.push(MissingComponent {
                kit: kit.code.clone(),
                component: c.code.clone(),
            });
            continue;
        }
        let n = bundle_availability(&kit.components, |c| {
            let b = stock.get(c).copied()?;
            Some(b - reservations.of(c) - buffer_of(c))
        })
        .unwrap_or(0);
        made.push(BillingProduct {
            code: kit.code.clone(),
            name: kit.title.clone(),
            stock: Decimal::from(n),
            vat_rate: None,
        });
    }
    products.retain(|p| !kits.iter().any(|k| k.code == p.code));
    products.extend(made);
    (products, missing)
}

/// Whole units of a billing stock (rounded down), as the planner counts them.
fn whole(stock: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    stock.floor().to_i64().unwrap_or(0)
}

#[cfg(test)]
#[path = "bundles_tests.rs"]
mod tests;
