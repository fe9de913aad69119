//! The gift box the kit tests share: `KIT` = 2 × one code + 1 × another, a plain product in
//! Shopify (seeded with no stock) and a recipe saved in Punte, as a merchant would set it up.

use punte_core::bundles::{Component, Kit};
use punte_core::product::ProductCode;
use serde_json::json;

use super::{Running, World, post};

/// The kit's SKU in Shopify.
pub const KIT: &str = "KIT-CADOU";

/// Seeds the kit in Shopify as a plain product with no stock.
pub async fn seed_gift_box(w: &World) {
    let kit = json!({"title": "Cutie cadou", "variants": [{"title": "Default Title",
        "sku": KIT, "price": "300.00", "stock": 0}]});
    post(&w.shop, "/shopify/seed", json!({"products": [kit]})).await;
}

/// Saves the kit's recipe in Punte: 2 × `two` + 1 × `one`.
pub async fn save_gift_box(r: &Running, two: &str, one: &str) {
    let recipe = Kit {
        code: ProductCode::from(KIT),
        title: "Cutie cadou".into(),
        components: vec![
            Component {
                code: ProductCode::from(two),
                quantity: 2,
            },
            Component {
                code: ProductCode::from(one),
                quantity: 1,
            },
        ],
    };
    r.store
        .call(move |s| s.save_kit(&recipe, chrono::Utc::now()))
        .await
        .expect("kit saved");
}
