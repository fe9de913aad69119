//! Where Shopify assigned an order's lines. Shopify creates one fulfillment order per location
//! it assigns units to (`FulfillmentOrder.assignedLocation`), so an order split between two
//! locations has two, each listing its line items and their units. Punte reserves and discharges
//! each line's units at (the warehouse of) that location. Cancelled fulfillment orders hold
//! nothing and are skipped; a line absent from every one is left to the caller's default.

use punte_core::order::{LineId, OrderId};
use serde::Deserialize;
use serde_json::json;

use crate::documents::ORDER_PLACEMENTS;
use crate::ids::{gid, require_gid};
use crate::{ShopifyClient, ShopifyError};

/// `units` of line `line` are assigned to `location_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinePlacement {
    pub line: LineId,
    pub location_id: u64,
    pub units: i64,
}

#[derive(Deserialize)]
struct Nodes<T> {
    nodes: Vec<T>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FulfillmentOrderWire {
    status: String,
    assigned_location: AssignedWire,
    line_items: Nodes<FoLineWire>,
}

#[derive(Deserialize)]
struct AssignedWire {
    /// Null when the location was deleted since.
    location: Option<IdWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FoLineWire {
    total_quantity: i64,
    line_item: IdWire,
}

#[derive(Deserialize)]
struct IdWire {
    id: String,
}

impl ShopifyClient {
    /// The (line, location, units) of `order`'s open fulfillment orders, in Shopify's order.
    /// An order Shopify no longer has gives an empty list.
    ///
    /// # Errors
    /// Any [`ShopifyError`] of the request, or a malformed id in the answer.
    pub async fn line_placements(
        &self,
        order: OrderId,
    ) -> Result<Vec<LinePlacement>, ShopifyError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct OrderWire {
            fulfillment_orders: Nodes<FulfillmentOrderWire>,
        }
        #[derive(Deserialize)]
        struct Data {
            order: Option<OrderWire>,
        }
        let id = gid("Order", order.0);
        let d: Data = self
            .transport
            .execute(&ORDER_PLACEMENTS, json!({"id": id}))
            .await?;
        let mut out = Vec::new();
        for fo in d
            .order
            .map(|o| o.fulfillment_orders.nodes)
            .unwrap_or_default()
        {
            let Some(location) = fo.assigned_location.location else {
                continue;
            };
            if fo.status == "CANCELLED" {
                continue;
            }
            let location_id = require_gid(&location.id, "Location")?;
            for l in fo.line_items.nodes {
                out.push(LinePlacement {
                    line: LineId(require_gid(&l.line_item.id, "LineItem")?),
                    location_id,
                    units: l.total_quantity,
                });
            }
        }
        Ok(out)
    }
}
