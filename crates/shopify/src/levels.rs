//! Inventory levels at one location: all of them (step 1 of a sync cycle reads A₀), or only some
//! items (the re-read after a stale compare-and-set write).

use punte_core::product::InventoryItemId;
use serde::Deserialize;
use serde_json::json;

use crate::documents::{ITEM_LEVELS, ITEMS_PAGE, LEVELS_PAGE, LOCATION_LEVELS};
use crate::ids::{gid, require_gid};
use crate::page::Connection;
use crate::{ShopifyClient, ShopifyError};

/// The quantities of one inventory item at one location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub inventory_item_id: InventoryItemId,
    pub sku: Option<String>,
    /// Shopify's `available`: A(p) in the stock model; may be negative when overselling.
    pub available: i64,
    pub committed: i64,
    pub on_hand: i64,
}

#[derive(Deserialize)]
pub(crate) struct Quantity {
    name: String,
    quantity: i64,
}

#[derive(Deserialize)]
pub(crate) struct ItemRef {
    id: String,
    sku: Option<String>,
}

#[derive(Deserialize)]
struct LevelWire {
    item: ItemRef,
    quantities: Vec<Quantity>,
}

pub(crate) fn level(item: ItemRef, quantities: &[Quantity]) -> Result<Level, ShopifyError> {
    let get = |name: &str| {
        quantities
            .iter()
            .find(|q| q.name == name)
            .map(|q| q.quantity)
            .ok_or_else(|| ShopifyError::BadResponse(format!("level without {name}")))
    };
    Ok(Level {
        inventory_item_id: InventoryItemId(require_gid(&item.id, "InventoryItem")?),
        sku: item.sku,
        available: get("available")?,
        committed: get("committed")?,
        on_hand: get("on_hand")?,
    })
}

impl ShopifyClient {
    /// Every inventory level at the location `location_id`.
    pub async fn levels_at(&self, location_id: u64) -> Result<Vec<Level>, ShopifyError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Loc {
            inventory_levels: Connection<LevelWire>,
        }
        #[derive(Deserialize)]
        struct Data {
            location: Option<Loc>,
        }
        let location = gid("Location", location_id);
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        let mut first = LEVELS_PAGE;
        loop {
            let vars = |n| json!({"location": location, "first": n, "after": after});
            let d: Data = self.page(&LOCATION_LEVELS, &mut first, vars).await?;
            let Some(loc) = d.location else {
                return Err(ShopifyError::GraphQl {
                    code: Some("NOT_FOUND".into()),
                    message: format!("location {location_id} does not exist"),
                });
            };
            for l in loc.inventory_levels.nodes {
                out.push(level(l.item, &l.quantities)?);
            }
            match loc.inventory_levels.page_info.next() {
                Some(c) => after = Some(c),
                None => return Ok(out),
            }
        }
    }

    /// The levels of `items` at `location_id`; an item not stocked there is left out.
    pub async fn levels_of(
        &self,
        location_id: u64,
        items: &[InventoryItemId],
    ) -> Result<Vec<Level>, ShopifyError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Node {
            id: String,
            sku: Option<String>,
            inventory_level: Option<QuantitiesOnly>,
        }
        #[derive(Deserialize)]
        struct QuantitiesOnly {
            quantities: Vec<Quantity>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Data {
            inventory_items: Connection<Node>,
        }
        let location = gid("Location", location_id);
        let mut out = Vec::new();
        for chunk in items.chunks(ITEMS_PAGE as usize) {
            let query: Vec<String> = chunk.iter().map(|i| format!("id:{}", i.0)).collect();
            let vars =
                json!({"location": location, "first": ITEMS_PAGE, "query": query.join(" OR ")});
            let d: Data = self.transport.execute(&ITEM_LEVELS, vars).await?;
            for n in d.inventory_items.nodes {
                if let Some(l) = n.inventory_level {
                    let item = ItemRef {
                        id: n.id,
                        sku: n.sku,
                    };
                    out.push(level(item, &l.quantities)?);
                }
            }
        }
        Ok(out)
    }
}
