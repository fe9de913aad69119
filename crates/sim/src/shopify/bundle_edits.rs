//! Control routes for what a merchant (or a bundles app) changes on a catalogue already seeded
//! (issue 18, a look's bundles): a bundle's components replaced or removed, as Shopify's
//! `productVariantRelationshipBulkUpdate` does, and a variant edited (its title), as the admin's
//! product page does. Sources in crates/sim/README.md ("Bundles in a look"): a variant edit
//! moves the variant's and its product's `updatedAt` ("when the product variant was last
//! modified"); whether a change of components does is not said anywhere, so it does not here
//! (the stricter reading: a client must not count on it).

use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::Shopify;
use super::model::ShopState;
use super::ops::OpError;
use crate::demo::SeedComponent;

#[derive(Deserialize)]
struct Components {
    /// The parent variant's SKU.
    sku: String,
    /// The new components; empty: the variant is no longer a bundle.
    #[serde(default)]
    components: Vec<SeedComponent>,
}

#[derive(Deserialize)]
struct VariantEdit {
    sku: String,
    title: String,
}

pub fn routes() -> Router<Shopify> {
    let p = "/_sim/shopify";
    Router::new()
        .route(&format!("{p}/bundles"), post(set_components))
        .route(&format!("{p}/variants/edit"), post(edit_variant))
}

fn variant_id(st: &ShopState, sku: &str) -> Result<u64, OpError> {
    st.variants
        .values()
        .find(|v| v.sku.as_deref() == Some(sku))
        .map(|v| v.id)
        .ok_or_else(|| OpError::NotFound("variant", sku.to_owned()))
}

/// Replaces a variant's components; `updatedAt` stays (sources silent).
async fn set_components(State(sim): State<Shopify>, Json(b): Json<Components>) -> Response {
    let mut st = sim.lock();
    let result = (|| {
        let parent = variant_id(&st, &b.sku)?;
        let mut parts = Vec::with_capacity(b.components.len());
        for c in &b.components {
            let id = variant_id(&st, &c.sku)?;
            // Shopify's CIRCULAR_REFERENCE: "a parent product variant cannot contain itself".
            if id == parent || c.quantity < 1 {
                return Err(OpError::Invalid(format!("component {} refused", c.sku)));
            }
            parts.push((id, c.quantity));
        }
        if let Some(v) = st.variants.get_mut(&parent) {
            v.components = parts;
        }
        Ok(json!({"requiresComponents": !b.components.is_empty()}))
    })();
    super::control::answer(result)
}

/// Renames a variant: its `updatedAt` and its product's move to now.
async fn edit_variant(State(sim): State<Shopify>, Json(b): Json<VariantEdit>) -> Response {
    let now = sim.clock.now();
    let mut st = sim.lock();
    let result = variant_id(&st, &b.sku).map(|id| {
        let mut product = None;
        if let Some(v) = st.variants.get_mut(&id) {
            v.title = b.title;
            v.updated_at = now;
            product = Some(v.product_id);
        }
        if let Some(p) = product.and_then(|p| st.products.get_mut(&p)) {
            p.updated_at = now;
        }
        json!({"updatedAt": now})
    });
    super::control::answer(result)
}
