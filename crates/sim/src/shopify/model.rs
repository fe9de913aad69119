//! The simulated shop's data: catalogue, inventory levels with Shopify's quantity names, orders,
//! tokens and the idempotency store. Mutated only under the server's mutex.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use super::cost::Bucket;

/// The eight quantity names, on_hand being derived.
pub const QUANTITY_NAMES: [&str; 8] = [
    "available",
    "committed",
    "damaged",
    "incoming",
    "on_hand",
    "quality_control",
    "reserved",
    "safety_stock",
];

#[derive(Clone, Debug, Default, Serialize)]
pub struct Quantities {
    pub available: i64,
    pub committed: i64,
    pub reserved: i64,
    pub damaged: i64,
    pub safety_stock: i64,
    pub quality_control: i64,
    pub incoming: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

impl Quantities {
    /// on_hand = available + committed + reserved + damaged + safety_stock + quality_control.
    pub fn on_hand(&self) -> i64 {
        self.available
            + self.committed
            + self.reserved
            + self.damaged
            + self.safety_stock
            + self.quality_control
    }

    pub fn get(&self, name: &str) -> Option<i64> {
        Some(match name {
            "available" => self.available,
            "committed" => self.committed,
            "reserved" => self.reserved,
            "damaged" => self.damaged,
            "safety_stock" => self.safety_stock,
            "quality_control" => self.quality_control,
            "incoming" => self.incoming,
            "on_hand" => self.on_hand(),
            _ => return None,
        })
    }

    /// Sets `name` ("available" or "on_hand"; others directly) so that it reads `quantity`.
    pub fn set(&mut self, name: &str, quantity: i64) {
        match name {
            "on_hand" => self.available += quantity - self.on_hand(),
            "available" => self.available = quantity,
            "committed" => self.committed = quantity,
            "reserved" => self.reserved = quantity,
            "damaged" => self.damaged = quantity,
            "safety_stock" => self.safety_stock = quantity,
            "quality_control" => self.quality_control = quantity,
            "incoming" => self.incoming = quantity,
            _ => {}
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Location {
    pub id: u64,
    pub name: String,
    pub active: bool,
    pub primary: bool,
    pub city: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Product {
    pub id: u64,
    pub title: String,
    pub handle: String,
    pub vendor: String,
    pub product_type: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub variant_ids: Vec<u64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Variant {
    pub id: u64,
    pub product_id: u64,
    pub title: String,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    pub price: Decimal,
    pub inventory_item_id: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// A bundle parent's (component variant, quantity per bundle); empty for a plain variant.
    pub components: Vec<(u64, i64)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct InventoryItem {
    pub id: u64,
    pub variant_id: u64,
    pub tracked: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Address {
    pub first_name: String,
    pub last_name: String,
    pub company: Option<String>,
    pub address1: String,
    pub city: String,
    pub province: String,
    pub zip: String,
    pub phone: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LineItem {
    pub id: u64,
    pub variant_id: Option<u64>,
    pub sku: Option<String>,
    pub title: String,
    pub quantity: i64,
    /// Units removed by refunds or edits.
    pub removed: i64,
    pub fulfilled: i64,
    /// Tax-included or not as the order says.
    pub unit_price: Decimal,
    /// VAT rate in percent (21 standard, 11 reduced).
    pub vat_percent: Decimal,
    /// The order-level discount allocated to this line, over all its ordered units (Shopify keeps
    /// allocations of refunded and removed units too).
    pub discount: Decimal,
    /// The location Shopify assigned the line to (its fulfillment order's); the order's unless
    /// the line was placed elsewhere (a split fulfilment).
    pub location_id: u64,
    /// The bundle this line is a component of (`lineItemGroup`); None for a plain line.
    pub group: Option<super::bundles::LineGroup>,
}

impl LineItem {
    pub fn current_quantity(&self) -> i64 {
        self.quantity - self.removed
    }

    pub fn unfulfilled(&self) -> i64 {
        (self.current_quantity() - self.fulfilled).max(0)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Order {
    pub id: u64,
    pub number: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub email: String,
    pub address: Address,
    pub location_id: u64,
    pub lines: Vec<LineItem>,
    pub shipping: Decimal,
    /// `OrderDisplayFinancialStatus` (see `payment`).
    pub financial_status: String,
    /// `paymentGatewayNames`, e.g. "Cash on Delivery (COD)".
    pub gateway: String,
    /// The unfulfilled items are on hold (fulfilment status ON_HOLD).
    pub on_hold: bool,
    pub refunded_amount: Decimal,
    pub note: Option<String>,
    /// "All prices include tax" (a Romanian shop's usual setting).
    pub taxes_included: bool,
    /// The discount code applied at checkout, allocated over the lines (`LineItem::discount`).
    pub discount_code: Option<DiscountCode>,
    pub shipping_title: String,
    /// A free-shipping code: the whole shipping price is discounted.
    pub free_shipping: bool,
    /// Shipping given back by a cancellation.
    pub shipping_refunded: bool,
    /// Refunds, and order-edit removals, which Shopify also records as refund line items.
    pub refunds: Vec<Refund>,
}

/// An order-level discount code: a fixed amount spread across the lines, or a percentage.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct DiscountCode {
    pub code: String,
    /// `fixed_amount` or `percentage`.
    pub kind: String,
    pub value: Decimal,
}

#[derive(Clone, Debug, Serialize)]
pub struct Refund {
    pub id: u64,
    pub created_at: DateTime<Utc>,
    pub lines: Vec<RefundedLine>,
    /// Money given back; zero for an order-edit removal.
    pub amount: Decimal,
    /// Shipping given back: (amount on the order's price basis, its tax).
    pub shipping: Option<(Decimal, Decimal)>,
}

/// Units of one line given back, with what they had cost after discounts, and their tax.
#[derive(Clone, Debug, Serialize)]
pub struct RefundedLine {
    pub id: u64,
    pub line_id: u64,
    pub quantity: i64,
    pub restock_type: String,
    pub subtotal: Decimal,
    pub tax: Decimal,
}

/// One remembered `@idempotent` mutation.
#[derive(Clone, Debug, Serialize)]
pub struct IdempotencyEntry {
    pub fingerprint: String,
    pub result: serde_json::Value,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ShopCreds {
    pub shop_domain: String,
    pub client_id: String,
    pub client_secret: String,
    pub static_token: String,
    pub scope: String,
}

/// Everything the Shopify simulator knows.
#[derive(Debug, Serialize)]
pub struct ShopState {
    pub name: String,
    /// The plan's public name (`Shop.plan.publicDisplayName`).
    pub plan: String,
    pub creds: ShopCreds,
    pub token_ttl: i64,
    pub tokens: HashMap<String, DateTime<Utc>>,
    pub locations: Vec<Location>,
    pub products: BTreeMap<u64, Product>,
    pub variants: BTreeMap<u64, Variant>,
    pub items: BTreeMap<u64, InventoryItem>,
    #[serde(serialize_with = "levels_as_list")]
    pub levels: BTreeMap<(u64, u64), Quantities>,
    /// Levels whose last change `updated_at` searches do not list yet, until when (control API
    /// `listed_after_seconds`; dropped once due, before each query).
    #[serde(skip)]
    pub listed_late: HashMap<(u64, u64), DateTime<Utc>>,
    pub orders: BTreeMap<u64, Order>,
    pub idempotency: HashMap<String, IdempotencyEntry>,
    /// When true (the default: the stricter behaviour, and the one observed live), replaying an
    /// idempotency key re-executes instead of answering from the cache (as documented).
    pub replay_reexecutes: bool,
    /// The next this many `inventorySetQuantities` calls answer `IDEMPOTENCY_CONCURRENT_REQUEST`,
    /// as if an earlier request under their key were still running (control API).
    pub in_progress: u32,
    /// HTTP status of a THROTTLED answer: Shopify's is undocumented (200 and 429 are reported).
    #[serde(serialize_with = "status_code")]
    pub throttle_status: axum::http::StatusCode,
    pub bucket: Bucket,
    /// False answers as an app without access to protected customer data (level 2): names,
    /// addresses, emails and phone numbers come back null, each with an error, beside the
    /// rest of the data (control API `protected_customer_data`).
    pub protected_customer_data: bool,
    /// A write naming this inventory item is refused as a whole, naming no row (control API
    /// `refuse_inventory_item`): a test knob for a client that must isolate a bad row.
    pub refuse_item: Option<u64>,
    /// The single-query limit: 1000 on every plan; tests lower it to stand in for a Shopify
    /// whose costing is stricter than documented (control API).
    pub max_query_cost: u64,
    pub next_id: u64,
    pub next_order_number: u64,
}

fn status_code<S: serde::Serializer>(
    code: &axum::http::StatusCode,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_u16(code.as_u16())
}

fn levels_as_list<S: serde::Serializer>(
    levels: &BTreeMap<(u64, u64), Quantities>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(levels.len()))?;
    for ((item, location), q) in levels {
        let row = serde_json::json!({"inventoryItemId": item, "locationId": location,
            "quantities": q, "on_hand": q.on_hand()});
        seq.serialize_element(&row)?;
    }
    seq.end()
}

impl ShopState {
    pub fn new(creds: ShopCreds, token_ttl: i64, bucket: Bucket) -> Self {
        Self {
            name: "Punte Demo".into(),
            plan: "Basic".into(),
            creds,
            token_ttl,
            tokens: HashMap::new(),
            locations: Vec::new(),
            products: BTreeMap::new(),
            variants: BTreeMap::new(),
            items: BTreeMap::new(),
            levels: BTreeMap::new(),
            listed_late: HashMap::new(),
            orders: BTreeMap::new(),
            idempotency: HashMap::new(),
            replay_reexecutes: true,
            in_progress: 0,
            throttle_status: axum::http::StatusCode::OK,
            bucket,
            max_query_cost: super::cost::MAX_QUERY_COST,
            protected_customer_data: true,
            refuse_item: None,
            next_id: 1000,
            next_order_number: 1001,
        }
    }

    /// A fresh numeric id (ids are unique across types, like Shopify's).
    pub fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn variant_by_item(&self, item_id: u64) -> Option<&Variant> {
        self.items
            .get(&item_id)
            .and_then(|i| self.variants.get(&i.variant_id))
    }

    pub fn primary_location(&self) -> Option<u64> {
        self.locations
            .iter()
            .find(|l| l.primary)
            .or(self.locations.first())
            .map(|l| l.id)
    }
}
