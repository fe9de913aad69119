//! The kit editor (issue 18, Profile "Kits"): `kits`, `save_kit`, `delete_kit`. A kit is a
//! Shopify SKU made of billing codes × quantities; its order lines reserve and discharge the
//! components (the store reads reservations through the recipes, so a save counts at once).
//! A recipe is checked before it is saved: codes the last billing read knows, quantities from 1
//! to 10 000, no code twice, no kit inside a kit (neither a component that is a kit, nor a kit
//! that is another kit's component). Kits live in the running shop's store.

use chrono::Utc;
use punte_core::bundles::{Kit, KitError};
use punte_core::product::ProductCode;
use serde_json::Value;
use tauri::State;

use super::profile_form::{ProfileError, bad};
use super::store_error;
use crate::Arg;
use crate::backend::Backend;

/// Most units of one component a kit may take (a typing slip beyond that is refused).
const MAX_UNITS: i64 = 10_000;

#[tauri::command]
pub async fn kits(backend: State<'_, Backend>) -> Result<Vec<Kit>, ProfileError> {
    let running = backend.running().await?;
    running
        .store
        .call(|s| s.kits())
        .await
        .map_err(|e| store_error(e).into())
}

/// Saves `kit`; `previous` is the code it had when opened (a renamed kit replaces it).
#[tauri::command]
pub async fn save_kit(
    backend: State<'_, Backend>,
    kit: Arg<Value>,
    previous: Arg<Option<String>>,
) -> Result<Vec<Kit>, ProfileError> {
    let raw = kit.get("kit")?;
    let previous = previous.get("previous")?.map(ProductCode);
    let mut kit: Kit = serde_json::from_value(raw).map_err(|_| {
        bad(
            "kit",
            "Rețeta trimisă nu este validă",
            "The recipe sent is not valid",
        )
    })?;
    kit.code = ProductCode(kit.code.0.trim().to_owned());
    kit.title = kit.title.trim().to_owned();
    if kit.title.is_empty() {
        kit.title = kit.code.0.clone();
    }
    for c in &mut kit.components {
        c.code = ProductCode(c.code.0.trim().to_owned());
    }
    let running = backend.running().await?;
    let (kits, billing) = running
        .store
        .call(|s| Ok((s.kits()?, s.billing_stock()?)))
        .await
        .map_err(store_error)?;
    let billing: Vec<ProductCode> = billing.into_iter().map(|b| b.product.code).collect();
    let others: Vec<&Kit> = kits
        .iter()
        .filter(|k| Some(&k.code) != previous.as_ref() && k.code != kit.code)
        .collect();
    check(&kit, &others, &billing)?;
    let replaced = previous.filter(|p| *p != kit.code);
    let at = Utc::now();
    running
        .store
        .call(move |s| {
            if let Some(old) = &replaced {
                s.delete_kit(old)?;
            }
            s.save_kit(&kit, at)?;
            s.kits()
        })
        .await
        .map_err(|e| store_error(e).into())
}

#[tauri::command]
pub async fn delete_kit(
    backend: State<'_, Backend>,
    code: Arg<String>,
) -> Result<Vec<Kit>, ProfileError> {
    let code = ProductCode(code.get("code")?);
    let running = backend.running().await?;
    let (gone, kits) = running
        .store
        .call(move |s| Ok((s.delete_kit(&code)?, s.kits()?)))
        .await
        .map_err(store_error)?;
    if !gone {
        return Err(bad(
            "code",
            "Setul nu mai există",
            "The kit no longer exists",
        ));
    }
    Ok(kits)
}

/// Checks a recipe against the other kits and the billing codes; the field names the input.
fn check(kit: &Kit, others: &[&Kit], billing: &[ProductCode]) -> Result<(), ProfileError> {
    let codes: Vec<ProductCode> = others.iter().map(|k| k.code.clone()).collect();
    let at = |code: &str| {
        kit.components
            .iter()
            .position(|c| c.code.0 == code)
            .map_or_else(|| "components".to_owned(), |i| format!("components.{i}"))
    };
    kit.validate(&codes).map_err(|e| match e {
        KitError::NoCode => bad(
            "code",
            "Introduceți codul (SKU) setului",
            "Enter the kit's code (SKU)",
        ),
        KitError::NoComponents => bad(
            "components",
            "Adăugați cel puțin o componentă",
            "Add at least one component",
        ),
        KitError::BadQuantity { code } => bad(
            &at(&code),
            "Fiecare componentă are un cod și o cantitate de cel puțin 1",
            "Each component has a code and a quantity of at least 1",
        ),
        KitError::DuplicateComponent { code } => bad(
            &at(&code),
            &format!("Codul {code} apare de două ori"),
            &format!("Code {code} is listed twice"),
        ),
        KitError::ContainsItself => bad(
            "code",
            "Setul nu se poate conține pe el însuși",
            "A kit cannot contain itself",
        ),
        KitError::NestedKit { code } => bad(
            &at(&code),
            &format!("{code} este el însuși un set; un set nu poate conține alt set"),
            &format!("{code} is itself a kit; a kit cannot contain another kit"),
        ),
    })?;
    if let Some(outer) = others
        .iter()
        .find(|k| k.components.iter().any(|c| c.code == kit.code))
    {
        let outer = &outer.code.0;
        return Err(bad(
            "code",
            &format!("Codul este componentă a setului {outer}; un set nu poate conține alt set"),
            &format!("The code is a component of kit {outer}; a kit cannot contain another kit"),
        ));
    }
    for (i, c) in kit.components.iter().enumerate() {
        let field = format!("components.{i}");
        if c.quantity > MAX_UNITS {
            return Err(bad(
                &field,
                "Cantitatea este cel mult 10000",
                "The quantity is at most 10000",
            ));
        }
        if !billing.contains(&c.code) {
            let code = &c.code.0;
            return Err(bad(
                &field,
                &format!("Codul {code} nu există în facturare (ultima citire a stocului)"),
                &format!("Code {code} is not in billing (the last stock read)"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use punte_core::bundles::Component;

    use super::*;

    fn kit(code: &str, parts: &[(&str, i64)]) -> Kit {
        Kit {
            code: ProductCode::from(code),
            title: code.to_owned(),
            components: parts
                .iter()
                .map(|(c, q)| Component {
                    code: ProductCode::from(*c),
                    quantity: *q,
                })
                .collect(),
        }
    }

    fn field(r: Result<(), ProfileError>) -> Option<String> {
        r.expect_err("refused").field
    }

    #[test]
    fn a_recipe_needs_billing_codes_whole_units_and_no_kit_inside() {
        let billing: Vec<ProductCode> = ["A", "B", "C"].map(ProductCode::from).to_vec();
        let gift = kit("GIFT", &[("A", 2), ("B", 1)]);
        assert!(check(&gift, &[], &billing).is_ok());
        let other = kit("BOX", &[("C", 1)]);
        let cases = [
            (kit("GIFT", &[("A", 0)]), "components.0"),
            (kit("GIFT", &[("A", 1), ("Z", 1)]), "components.1"),
            (kit("GIFT", &[("A", 1), ("A", 2)]), "components.0"),
            (kit("GIFT", &[("BOX", 1)]), "components.0"),
            (kit("GIFT", &[("A", 10_001)]), "components.0"),
            (kit("GIFT", &[]), "components"),
            (kit(" ", &[("A", 1)]), "code"),
        ];
        for (k, want) in cases {
            assert_eq!(
                field(check(&k, &[&other], &billing)).as_deref(),
                Some(want),
                "{k:?}"
            );
        }
        // The other way round: GIFT is a component of an existing kit.
        let outer = kit("BIG", &[("GIFT", 1)]);
        assert_eq!(
            field(check(&gift, &[&outer], &billing)).as_deref(),
            Some("code")
        );
    }
}
