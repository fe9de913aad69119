//! The shop, its locations and its catalogue: variants by SKU or barcode (exact match checked
//! here, because Shopify's search is case-insensitive and fuzzy), the whole catalogue in pages
//! of 250, and products changed since a time.

use chrono::{DateTime, SecondsFormat, Utc};
use punte_core::money::Currency;
use punte_core::product::{CodeSource, InventoryItemId, ShopifyVariant, VariantId};
use serde::Deserialize;
use serde_json::json;

use crate::documents::{
    LOCATIONS, LOCATIONS_PAGE, PRODUCTS_CHANGED, PRODUCTS_PAGE, SHOP, VARIANTS, VARIANTS_PAGE,
};
use crate::ids::require_gid;
use crate::page::{Connection, quote};
use crate::{ShopifyClient, ShopifyError};

/// Codes per search request; a page of 250 still holds every hit of 50 codes (and duplicates).
const CODES_PER_QUERY: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shop {
    pub name: String,
    pub domain: String,
    pub currency: Currency,
    /// IANA time zone, e.g. "Europe/Bucharest".
    pub timezone: String,
    /// The plan's public name ("Basic", "Grow", "Plus", "Development", …), when Shopify tells.
    pub plan: Option<String>,
    /// A partner development shop (for testing; it cannot take real orders).
    pub development: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The number in `gid://shopify/Location/N`.
    pub id: u64,
    pub name: String,
    pub active: bool,
    /// The shop's primary location (Shopify's `location` without an id), or, when Shopify names
    /// none among these, the first that ships inventory (`Location.isPrimary` is deprecated in
    /// 2026-07 in favour of this fallback).
    pub primary: bool,
    pub city: Option<String>,
}

/// A product updated since the asked time, with its variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedProduct {
    pub product_id: u64,
    pub title: String,
    /// ACTIVE, DRAFT or ARCHIVED.
    pub status: String,
    pub updated_at: DateTime<Utc>,
    pub variants: Vec<ShopifyVariant>,
    /// False when the product has more variants than came back (read them by product then).
    pub variants_complete: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ShopWire {
    name: String,
    myshopify_domain: String,
    currency_code: String,
    iana_timezone: String,
    plan: Option<PlanWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlanWire {
    public_display_name: Option<String>,
    #[serde(default)]
    partner_development: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LocationWire {
    id: String,
    name: String,
    is_active: bool,
    ships_inventory: bool,
    address: Option<AddressWire>,
}

#[derive(Deserialize)]
struct IdWire {
    id: String,
}

#[derive(Deserialize)]
struct AddressWire {
    city: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VariantWire {
    id: String,
    sku: Option<String>,
    barcode: Option<String>,
    display_name: String,
    /// A Shopify bundle parent: its stock is its components', never written by Punte.
    #[serde(default)]
    requires_components: bool,
    inventory_item: ItemWire,
}

#[derive(Deserialize)]
struct ItemWire {
    id: String,
    tracked: bool,
}

impl VariantWire {
    fn into_core(self) -> Result<ShopifyVariant, ShopifyError> {
        Ok(ShopifyVariant {
            variant_id: VariantId(require_gid(&self.id, "ProductVariant")?),
            inventory_item_id: InventoryItemId(require_gid(
                &self.inventory_item.id,
                "InventoryItem",
            )?),
            title: self.display_name,
            sku: self.sku,
            barcode: self.barcode,
            // A bundle parent is never written (Shopify derives its stock from its
            // components, which Punte writes): it is treated as not tracked.
            tracked: self.inventory_item.tracked && !self.requires_components,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProductWire {
    id: String,
    title: String,
    status: String,
    updated_at: DateTime<Utc>,
    variants_count: Option<Count>,
    variants: NodesOnly<VariantWire>,
}

#[derive(Deserialize)]
struct Count {
    count: u64,
}

#[derive(Deserialize)]
struct NodesOnly<T> {
    nodes: Vec<T>,
}

impl ShopifyClient {
    /// The shop's name, domain, plan, currency and time zone.
    pub async fn shop(&self) -> Result<Shop, ShopifyError> {
        #[derive(Deserialize)]
        struct Data {
            shop: ShopWire,
        }
        let d: Data = self.transport.execute(&SHOP, json!({})).await?;
        let plan = d.shop.plan;
        Ok(Shop {
            name: d.shop.name,
            domain: d.shop.myshopify_domain,
            currency: Currency(d.shop.currency_code),
            timezone: d.shop.iana_timezone,
            development: plan.as_ref().is_some_and(|p| p.partner_development),
            plan: plan.and_then(|p| p.public_display_name),
        })
    }

    /// The shop's active locations; exactly one is marked `primary` when any ships inventory.
    pub async fn locations(&self) -> Result<Vec<Location>, ShopifyError> {
        #[derive(Deserialize)]
        struct Data {
            primary: Option<IdWire>,
            locations: Connection<LocationWire>,
        }
        let mut out = Vec::new();
        let mut primary: Option<u64> = None;
        let mut ships = Vec::new();
        let mut after: Option<String> = None;
        let mut first = LOCATIONS_PAGE;
        loop {
            let vars = |n| json!({"first": n, "after": after});
            let d: Data = self.page(&LOCATIONS, &mut first, vars).await?;
            if let Some(p) = d.primary {
                primary = Some(require_gid(&p.id, "Location")?);
            }
            for l in d.locations.nodes {
                let id = require_gid(&l.id, "Location")?;
                if l.ships_inventory {
                    ships.push(id);
                }
                out.push(Location {
                    id,
                    name: l.name,
                    active: l.is_active,
                    primary: false,
                    city: l.address.and_then(|a| a.city),
                });
            }
            match d.locations.page_info.next() {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        let chosen = primary
            .filter(|p| out.iter().any(|l| l.id == *p))
            .or(ships.first().copied());
        for l in &mut out {
            l.primary = Some(l.id) == chosen;
        }
        Ok(out)
    }

    /// The variants whose SKU (or barcode) equals one of `codes` exactly. A code on several
    /// variants returns all of them, so the caller can report the duplicate.
    pub async fn variants_by_code(
        &self,
        source: CodeSource,
        codes: &[&str],
    ) -> Result<Vec<ShopifyVariant>, ShopifyError> {
        let field = match source {
            CodeSource::Sku => "sku",
            CodeSource::Barcode => "barcode",
        };
        let mut out = Vec::new();
        for chunk in codes.chunks(CODES_PER_QUERY) {
            let terms: Vec<String> = chunk
                .iter()
                .map(|c| format!("{field}:{}", quote(c)))
                .collect();
            let found = self.variants_matching(Some(terms.join(" OR "))).await?;
            out.extend(found.into_iter().filter(|v| {
                let code = match source {
                    CodeSource::Sku => v.sku.as_deref(),
                    CodeSource::Barcode => v.barcode.as_deref(),
                };
                code.is_some_and(|c| chunk.contains(&c))
            }));
        }
        Ok(out)
    }

    /// Every variant of the shop, in id order, 250 per request.
    pub async fn catalogue(&self) -> Result<Vec<ShopifyVariant>, ShopifyError> {
        self.variants_matching(None).await
    }

    pub(crate) async fn variants_matching(
        &self,
        query: Option<String>,
    ) -> Result<Vec<ShopifyVariant>, ShopifyError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Data {
            product_variants: Connection<VariantWire>,
        }
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        let mut first = VARIANTS_PAGE;
        loop {
            let vars = |n| json!({"first": n, "after": after, "query": query});
            let d: Data = self.page(&VARIANTS, &mut first, vars).await?;
            for v in d.product_variants.nodes {
                out.push(v.into_core()?);
            }
            match d.product_variants.page_info.next() {
                Some(c) => after = Some(c),
                None => return Ok(out),
            }
        }
    }

    /// Products updated at or after `since`, oldest change first.
    pub async fn products_changed_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<ChangedProduct>, ShopifyError> {
        #[derive(Deserialize)]
        struct Data {
            products: Connection<ProductWire>,
        }
        let query = format!(
            "updated_at:>={}",
            quote(&since.to_rfc3339_opts(SecondsFormat::Secs, true))
        );
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        let mut first = PRODUCTS_PAGE;
        loop {
            let vars = |n| json!({"first": n, "after": after, "query": query});
            let d: Data = self.page(&PRODUCTS_CHANGED, &mut first, vars).await?;
            for p in d.products.nodes {
                let variants = p
                    .variants
                    .nodes
                    .into_iter()
                    .map(VariantWire::into_core)
                    .collect::<Result<Vec<_>, _>>()?;
                let complete = p
                    .variants_count
                    .is_none_or(|c| c.count <= variants.len() as u64);
                out.push(ChangedProduct {
                    product_id: require_gid(&p.id, "Product")?,
                    title: p.title,
                    status: p.status,
                    updated_at: p.updated_at,
                    variants,
                    variants_complete: complete,
                });
            }
            match d.products.page_info.next() {
                Some(c) => after = Some(c),
                None => return Ok(out),
            }
        }
    }
}
