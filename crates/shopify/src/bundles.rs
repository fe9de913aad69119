//! Shopify's bundle parents read from the catalogue: each variant that `requiresComponents`
//! (a fixed bundle), with its `productVariantComponents` (component variant, units per bundle).
//! Punte never writes a parent's stock (Shopify derives it from the components) and shows its
//! availability from its components'. Read in pages of 250 parents, each with its (at most 30)
//! components in one nested page: every parent (a full cycle), or those Shopify changed since a
//! time (a look, `updated_at`, the search `changed` uses for variants).
//! An order's component lines name the bundle they were sold in (`LineItem.lineItemGroup`),
//! read with the order's lines: [`LineGroup`].

use chrono::{DateTime, Utc};
use punte_core::product::VariantId;
use serde::Deserialize;
use serde_json::json;

use crate::changed::changed_since_query;
use crate::documents::{BUNDLE_PARENTS, BUNDLE_PARENTS_PAGE};
use crate::ids::{parse_gid, require_gid};
use crate::page::{Connection, PageInfo};
use crate::{ShopifyClient, ShopifyError};

/// A bundle parent variant and its components, in Shopify's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleParent {
    pub variant_id: VariantId,
    /// (component variant, units per bundle).
    pub components: Vec<(VariantId, i64)>,
    /// False when Shopify listed more components than one page holds (more than 30, which
    /// Shopify does not allow today): the list is then incomplete and must not be trusted.
    pub complete: bool,
}

/// The bundle an order line was sold in (Shopify's `LineItemGroup`): lines with the same
/// `id` are the components of one ordered bundle line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineGroup {
    pub id: u64,
    /// The bundle's title as sold.
    pub title: String,
    /// Bundles ordered.
    pub quantity: i64,
    pub product_id: Option<u64>,
    pub variant_id: Option<VariantId>,
    pub variant_sku: Option<String>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LineGroupWire {
    id: String,
    title: String,
    quantity: i64,
    product_id: Option<String>,
    variant_id: Option<String>,
    variant_sku: Option<String>,
}

impl LineGroupWire {
    /// The group, or None when its id is not a LineItemGroup id: the line is then shown on
    /// its own (it still reserves and is invoiced as any line), rather than the order refused.
    pub(crate) fn into_group(self) -> Option<LineGroup> {
        Some(LineGroup {
            id: parse_gid(&self.id, "LineItemGroup")?,
            title: self.title,
            quantity: self.quantity,
            product_id: self.product_id.and_then(|p| parse_gid(&p, "Product")),
            variant_id: self
                .variant_id
                .and_then(|v| parse_gid(&v, "ProductVariant"))
                .map(VariantId),
            variant_sku: self.variant_sku.filter(|s| !s.trim().is_empty()),
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ParentWire {
    id: String,
    requires_components: bool,
    product_variant_components: ComponentsWire,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ComponentsWire {
    nodes: Vec<ComponentWire>,
    page_info: PageInfo,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ComponentWire {
    quantity: i64,
    product_variant: IdWire,
}

#[derive(Deserialize)]
struct IdWire {
    id: String,
}

/// The search for bundle parents (the variant flag is checked again on each answer).
const PARENTS: &str = "requires_components:true";

impl ShopifyClient {
    /// Every bundle parent of the shop with its components.
    pub async fn bundle_parents(&self) -> Result<Vec<BundleParent>, ShopifyError> {
        self.bundle_parents_matching(PARENTS.to_owned()).await
    }

    /// The bundle parents Shopify changed (or created) at or after `since`, with their
    /// components. A variant that stopped being a parent is not among them.
    pub async fn bundle_parents_changed_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<BundleParent>, ShopifyError> {
        let query = format!("{PARENTS} AND {}", changed_since_query(since));
        self.bundle_parents_matching(query).await
    }

    async fn bundle_parents_matching(
        &self,
        query: String,
    ) -> Result<Vec<BundleParent>, ShopifyError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Data {
            product_variants: Connection<ParentWire>,
        }
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        let mut first = BUNDLE_PARENTS_PAGE;
        loop {
            let vars = |n| json!({"first": n, "after": after, "query": query});
            let d: Data = self.page(&BUNDLE_PARENTS, &mut first, vars).await?;
            for p in d.product_variants.nodes {
                // The search is Shopify's; the flag on the variant is the fact.
                if !p.requires_components {
                    continue;
                }
                let components = p
                    .product_variant_components
                    .nodes
                    .iter()
                    .map(|c| {
                        let id = require_gid(&c.product_variant.id, "ProductVariant")?;
                        Ok((VariantId(id), c.quantity))
                    })
                    .collect::<Result<Vec<_>, ShopifyError>>()?;
                out.push(BundleParent {
                    variant_id: VariantId(require_gid(&p.id, "ProductVariant")?),
                    components,
                    complete: !p.product_variant_components.page_info.has_next_page,
                });
            }
            match d.product_variants.page_info.next() {
                Some(c) => after = Some(c),
                None => return Ok(out),
            }
        }
    }
}
