//! What Shopify changed since a time, for the scheduled cycles that must not read the whole
//! shop: inventory levels at one location with the time each last changed (every level for a
//! full read, or those changed at or after a time: the `updated_at` filter
//! `Location.inventoryLevels` documents), and variants changed since a time (`productVariants`
//! with `updated_at`: new products, edited codes). The newest level change seen is Shopify's own
//! clock, so the next "changed since" asks from there, whatever the local clock says; so is
//! `asked_at`, Shopify's time before the read's first page (the newest HTTP `Date` of an earlier
//! answer), which tells the engine how long ago on Shopify's clock a second was read whole.

use chrono::{DateTime, SecondsFormat, Utc};
use punte_core::product::ShopifyVariant;
use serde::Deserialize;
use serde_json::json;

use crate::documents::LEVELS_PAGE;
use crate::documents::LOCATION_LEVELS_SINCE;
use crate::ids::gid;
use crate::levels::{ItemRef, Level, Quantity, level};
use crate::page::{Connection, quote};
use crate::{ShopifyClient, ShopifyError};

/// The levels read and the newest `updatedAt` among them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelsSince {
    pub levels: Vec<Level>,
    /// `None` when nothing came back.
    pub newest: Option<DateTime<Utc>>,
    /// Shopify's time before the first page was asked (a lower bound, whole seconds): every
    /// change Shopify could search by then is in this read. `None` when no earlier answer
    /// carried a `Date`.
    pub asked_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LevelWire {
    updated_at: Option<DateTime<Utc>>,
    item: ItemRef,
    quantities: Vec<Quantity>,
}

/// The search text for levels changed at or after `since` (whole seconds, rounded down, so the
/// boundary is never skipped).
#[must_use]
pub(crate) fn changed_since_query(since: DateTime<Utc>) -> String {
    format!(
        "updated_at:>={}",
        quote(&since.to_rfc3339_opts(SecondsFormat::Secs, true))
    )
}

impl ShopifyClient {
    /// Every variant Shopify changed (or created) at or after `since`, 250 per request.
    pub async fn variants_changed_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<ShopifyVariant>, ShopifyError> {
        self.variants_matching(Some(changed_since_query(since)))
            .await
    }

    /// Levels at `location_id`: all of them (`since` = `None`), or those Shopify changed at or
    /// after `since`.
    pub async fn levels_since(
        &self,
        location_id: u64,
        since: Option<DateTime<Utc>>,
    ) -> Result<LevelsSince, ShopifyError> {
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
        let query = since.map(changed_since_query);
        let mut out = LevelsSince {
            asked_at: self.shopify_time(),
            ..LevelsSince::default()
        };
        let mut after: Option<String> = None;
        loop {
            let vars = json!({"location": location, "first": LEVELS_PAGE, "after": after,
                "query": query});
            let d: Data = self.transport.execute(&LOCATION_LEVELS_SINCE, vars).await?;
            let Some(loc) = d.location else {
                return Err(ShopifyError::GraphQl {
                    code: Some("NOT_FOUND".into()),
                    message: format!("location {location_id} does not exist"),
                });
            };
            for l in loc.inventory_levels.nodes {
                out.newest = out.newest.max(l.updated_at);
                out.levels.push(level(l.item, &l.quantities)?);
            }
            match loc.inventory_levels.page_info.next() {
                Some(c) => after = Some(c),
                None => return Ok(out),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_rounds_down_to_whole_seconds_and_quotes_the_date() {
        let t = DateTime::parse_from_rfc3339("2026-12-04T10:00:05.900Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(
            changed_since_query(t),
            "updated_at:>='2026-12-04T10:00:05Z'"
        );
    }
}
