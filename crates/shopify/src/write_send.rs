//! One `inventorySetQuantities` call: the input built from a batch's rows, a fresh
//! `@idempotent` key (the transport reuses it when it repeats the request), and the call asked
//! again while Shopify says the same key is still being processed; its answer read as the
//! adjustment group and the user errors, each with the row it names.

use serde::Deserialize;
use serde_json::{Value, json};
use tracing::debug;
use uuid::Uuid;

use crate::documents::SET_QUANTITIES;
use crate::ids::gid;
use crate::write::{QuantityWrite, WriteBatch};
use crate::{ShopifyClient, ShopifyError};

/// `IDEMPOTENCY_CONCURRENT_REQUEST`: the same key is still being processed. Shopify says to try
/// again with the same key; these many tries, waiting 250 ms, 500 ms, 1 s, … in between.
const CONCURRENT_TRIES: u32 = 5;
const CONCURRENT_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    inventory_set_quantities: Payload,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Payload {
    pub(crate) inventory_adjustment_group: Option<Value>,
    pub(crate) user_errors: Vec<UserError>,
}

#[derive(Deserialize)]
pub(crate) struct UserError {
    pub(crate) code: Option<String>,
    field: Option<Vec<String>>,
    pub(crate) message: String,
}

impl UserError {
    /// The row index in `["input", "quantities", "3", …]`.
    pub(crate) fn row(&self) -> Option<usize> {
        match self.field.as_deref() {
            Some([input, quantities, i, ..]) if input == "input" && quantities == "quantities" => {
                i.parse().ok()
            }
            _ => None,
        }
    }
}

impl ShopifyClient {
    /// Sends `rows` once (asking again while the same key is in progress); the flag says the
    /// request went out again after a lost answer.
    pub(crate) async fn send(
        &self,
        batch: &WriteBatch,
        rows: &[QuantityWrite],
    ) -> Result<(Payload, bool), ShopifyError> {
        let quantities: Vec<Value> = rows
            .iter()
            .map(|w| {
                json!({"inventoryItemId": gid("InventoryItem", w.inventory_item_id.0),
                    "locationId": gid("Location", batch.location_id),
                    "quantity": w.quantity, "changeFromQuantity": w.change_from})
            })
            .collect();
        let input = json!({"name": batch.name.as_str(), "reason": batch.reason,
            "referenceDocumentUri": batch.reference_document_uri, "quantities": quantities});
        // A new key per distinct input; the transport reuses it if it has to repeat the call.
        let key = Uuid::new_v4().to_string();
        let vars = json!({"input": input, "key": key});
        let mut wait = CONCURRENT_WAIT;
        let mut tries = 1;
        let mut replayed = false;
        loop {
            let answer = self
                .transport
                .execute_traced::<Data>(&SET_QUANTITIES, vars.clone())
                .await?;
            replayed |= answer.replayed;
            let payload = answer.data.inventory_set_quantities;
            let busy = payload
                .user_errors
                .iter()
                .any(|e| e.code.as_deref() == Some("IDEMPOTENCY_CONCURRENT_REQUEST"));
            if !busy || tries >= CONCURRENT_TRIES {
                return Ok((payload, replayed));
            }
            debug!(tries, ?wait, "same key still in progress; asking again");
            tokio::time::sleep(wait).await;
            wait *= 2;
            tries += 1;
        }
    }
}
