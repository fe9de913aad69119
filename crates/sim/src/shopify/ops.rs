//! State changes the control API drives, following Shopify's inventory model: placing an order
//! lowers available and raises committed; fulfilment lowers committed (and so on_hand); cancelling
//! with restock returns committed to available; refunds restock per restock type.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::bundles;
use super::model::{
    Address, DiscountCode, InventoryItem, LineItem, Order, Product, Quantities, ShopState, Variant,
};
use super::order_money;
use crate::demo::SeedProduct;

pub use super::lifecycle::{RefundLine, cancel, edit, fulfil, refund, refund_with};

/// An error the control API reports as 400/404 with this text.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    #[error("no such {0}: {1}")]
    NotFound(&'static str, String),
    #[error("{0}")]
    Invalid(String),
}

/// Adds the catalogue; every tracked variant gets a level at every location (stock at the primary).
pub fn seed(st: &mut ShopState, products: &[SeedProduct], now: DateTime<Utc>) {
    let primary = st.primary_location();
    let locations: Vec<u64> = st.locations.iter().map(|l| l.id).collect();
    for sp in products {
        let pid = st.id();
        let handle = sp
            .title
            .to_lowercase()
            .replace(|c: char| !c.is_alphanumeric(), "-");
        let mut product = Product {
            id: pid,
            title: sp.title.clone(),
            handle,
            vendor: sp.vendor.clone(),
            product_type: sp.product_type.clone(),
            status: "ACTIVE".into(),
            created_at: now,
            updated_at: now,
            variant_ids: Vec::new(),
        };
        for sv in &sp.variants {
            let components: Vec<(u64, i64)> = sv
                .components
                .iter()
                .filter_map(|c| {
                    let v = st
                        .variants
                        .values()
                        .find(|v| v.sku.as_deref() == Some(c.sku.as_str()))?;
                    Some((v.id, c.quantity))
                })
                .collect();
            let (vid, iid) = (st.id(), st.id());
            product.variant_ids.push(vid);
            let variant = Variant {
                id: vid,
                product_id: pid,
                title: sv.title.clone(),
                sku: sv.sku.clone(),
                barcode: sv.barcode.clone(),
                price: sv.price,
                inventory_item_id: iid,
                created_at: now,
                updated_at: now,
                components,
            };
            st.variants.insert(vid, variant);
            let item = InventoryItem {
                id: iid,
                variant_id: vid,
                tracked: sv.tracked,
                created_at: now,
                updated_at: now,
            };
            st.items.insert(iid, item);
            for &loc in &locations {
                let available = if Some(loc) == primary { sv.stock } else { 0 };
                let q = Quantities {
                    available,
                    updated_at: Some(now),
                    ..Quantities::default()
                };
                st.levels.insert((iid, loc), q);
            }
        }
        st.products.insert(pid, product);
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct OrderLine {
    pub sku: Option<String>,
    pub variant_id: Option<u64>,
    pub quantity: i64,
    /// A price other than the variant's (as a merchant can set on a draft order).
    #[serde(default)]
    pub price: Option<Decimal>,
    /// VAT rate in percent; 21 unless given (11 for books and food).
    #[serde(default)]
    pub vat_percent: Option<Decimal>,
    /// The location this line is assigned to when not the order's (a split fulfilment).
    #[serde(default)]
    pub location_id: Option<u64>,
    /// The bundle this line is a component of (set by `bundles::expand`, never by a caller).
    #[serde(skip)]
    pub group: Option<bundles::LineGroup>,
}

impl OrderLine {
    pub(super) fn item(
        &self,
        st: &mut ShopState,
        title: String,
        loc: u64,
    ) -> Result<LineItem, OpError> {
        let vid = find_variant(st, self)?;
        let v = &st.variants[&vid];
        let (sku, price) = (v.sku.clone(), self.price.unwrap_or(v.price));
        Ok(LineItem {
            id: st.id(),
            variant_id: Some(vid),
            sku,
            title,
            quantity: self.quantity,
            removed: 0,
            fulfilled: 0,
            unit_price: price,
            vat_percent: self.vat_percent.unwrap_or(Decimal::from(21)),
            discount: Decimal::ZERO,
            location_id: self.location_id.unwrap_or(loc),
            group: self.group.clone(),
        })
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct NewOrder {
    pub lines: Vec<OrderLine>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub city: Option<String>,
    /// The billing address's street line and county ("Str. Florilor 12", "Cluj" unless given).
    pub address1: Option<String>,
    pub province: Option<String>,
    pub shipping: Option<Decimal>,
    pub location_id: Option<u64>,
    /// The billing address's company line.
    pub company: Option<String>,
    pub note: Option<String>,
    /// False for a shop whose prices exclude tax; true by default.
    pub taxes_included: Option<bool>,
    /// `{"code": "VARA10", "kind": "fixed_amount" | "percentage", "value": "20.00"}`, allocated
    /// over the lines at checkout as Shopify does.
    pub discount_code: Option<DiscountCode>,
    /// A free-shipping code: the shipping line is discounted to zero.
    #[serde(default)]
    pub free_shipping: bool,
    /// The shipping rate's name; "Fan Courier" unless given.
    pub shipping_title: Option<String>,
    /// "cod" (cash on delivery, PENDING; the default), "card" (PAID), "card_authorized"
    /// (AUTHORIZED) or "bank_transfer" (PENDING).
    pub payment: Option<String>,
    /// An explicit `displayFinancialStatus`, overriding what `payment` implies.
    pub financial_status: Option<String>,
}

pub fn find_variant(st: &ShopState, line: &OrderLine) -> Result<u64, OpError> {
    if let Some(id) = line.variant_id.filter(|id| st.variants.contains_key(id)) {
        return Ok(id);
    }
    let sku = line.sku.as_deref().unwrap_or_default();
    st.variants
        .values()
        .find(|v| v.sku.as_deref() == Some(sku))
        .map(|v| v.id)
        .ok_or_else(|| OpError::NotFound("variant", sku.to_owned()))
}

/// Moves `qty` units of a tracked variant's item between available and committed at `loc`.
pub fn commit(st: &mut ShopState, variant: u64, loc: u64, qty: i64, now: DateTime<Utc>) {
    let Some(item) = st.variants.get(&variant).map(|v| v.inventory_item_id) else {
        return;
    };
    if !st.items.get(&item).is_some_and(|i| i.tracked) {
        return;
    }
    let level = st.levels.entry((item, loc)).or_default();
    level.available -= qty;
    level.committed += qty;
    level.updated_at = Some(now);
}

/// Changes `committed` and `available` of a variant's tracked item at `loc` by the given deltas.
pub fn shift(
    st: &mut ShopState,
    variant: Option<u64>,
    loc: u64,
    d_comm: i64,
    d_avail: i64,
    now: DateTime<Utc>,
) {
    let Some(item) = variant
        .and_then(|v| st.variants.get(&v))
        .map(|v| v.inventory_item_id)
    else {
        return;
    };
    if !st.items.get(&item).is_some_and(|i| i.tracked) {
        return;
    }
    let level = st.levels.entry((item, loc)).or_default();
    level.committed += d_comm;
    level.available += d_avail;
    level.updated_at = Some(now);
}

pub fn place_order(st: &mut ShopState, new: NewOrder, now: DateTime<Utc>) -> Result<u64, OpError> {
    if new.lines.is_empty() {
        return Err(OpError::Invalid("an order needs at least one line".into()));
    }
    let (financial_status, gateway) =
        super::payment::initial(new.payment.as_deref(), new.financial_status.as_deref())?;
    let loc = new
        .location_id
        .or(st.primary_location())
        .ok_or(OpError::Invalid("no location".into()))?;
    let mut lines = Vec::new();
    for l in &bundles::expand(st, &new.lines)? {
        let vid = find_variant(st, l)?;
        let v = &st.variants[&vid];
        let title = match st.products.get(&v.product_id) {
            Some(p) if v.title != "Default Title" => format!("{} - {}", p.title, v.title),
            Some(p) => p.title.clone(),
            None => v.title.clone(),
        };
        let line = l.item(st, title, loc)?;
        if !st.locations.iter().any(|x| x.id == line.location_id) {
            return Err(OpError::NotFound("location", line.location_id.to_string()));
        }
        commit(st, vid, line.location_id, l.quantity, now);
        lines.push(line);
    }
    if let Some(code) = &new.discount_code {
        order_money::allocate(&mut lines, code);
    }
    let id = st.id();
    let number = st.next_order_number;
    st.next_order_number += 1;
    let first = new.first_name.unwrap_or_else(|| "Ana".into());
    let last = new.last_name.unwrap_or_else(|| "Popescu".into());
    let email = new.email.unwrap_or_else(|| {
        format!(
            "{}.{}@example.ro",
            first.to_lowercase(),
            last.to_lowercase()
        )
    });
    let address = Address {
        first_name: first,
        last_name: last,
        company: new.company,
        address1: new.address1.unwrap_or_else(|| "Str. Florilor 12".into()),
        city: new.city.unwrap_or_else(|| "Cluj-Napoca".into()),
        province: new.province.unwrap_or_else(|| "Cluj".into()),
        zip: "400001".into(),
        phone: Some("+40722000000".into()),
    };
    let order = Order {
        id,
        number,
        created_at: now,
        updated_at: now,
        cancelled_at: None,
        cancel_reason: None,
        closed_at: None,
        email,
        address,
        location_id: loc,
        lines,
        shipping: new.shipping.unwrap_or(Decimal::new(1999, 2)),
        financial_status,
        gateway,
        on_hold: false,
        refunded_amount: Decimal::ZERO,
        note: new.note,
        taxes_included: new.taxes_included.unwrap_or(true),
        discount_code: new.discount_code,
        shipping_title: new.shipping_title.unwrap_or_else(|| "Fan Courier".into()),
        free_shipping: new.free_shipping,
        shipping_refunded: false,
        refunds: Vec::new(),
    };
    st.orders.insert(id, order);
    Ok(id)
}

pub fn order_mut(st: &mut ShopState, id: u64) -> Result<&mut Order, OpError> {
    st.orders
        .get_mut(&id)
        .ok_or_else(|| OpError::NotFound("order", id.to_string()))
}
