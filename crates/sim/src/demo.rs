//! The demo shop: a believable Romanian catalogue (≈300 products, variants, SKUs, EAN-13
//! barcodes, RON prices including 21% VAT), a company with the warehouse "Depozit central",
//! ≈60 orders across states, and deliberate problems for Punte to find: a duplicate SKU, a
//! variant without SKU, an untracked variant and a product missing in billing.
//! Generated deterministically, so every run and every test sees the same shop. The catalogue's
//! words are in `demo_words`.

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::demo_words::{FAMILIES, STYLES};
use crate::shopify::model::{Location, ShopState};
use crate::shopify::ops::{self, NewOrder, OrderLine, RefundLine};

/// The billing warehouse (gestiune) every demo company has.
pub const WAREHOUSE: &str = "Depozit central";
/// SKU deliberately used by two different variants.
pub const DUPLICATE_SKU: &str = "PNT-TRI-0003-M";
/// SKU sold in Shopify but absent from the billing catalogue.
pub const MISSING_IN_BILLING: &str = "PNT-CAN-0007-U";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeedVariant {
    pub title: String,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    /// Price including VAT, in RON.
    pub price: Decimal,
    #[serde(default = "yes")]
    pub tracked: bool,
    #[serde(default)]
    pub stock: i64,
    /// A bundle parent (Shopify's "requires components"): its components by SKU, seeded
    /// earlier. Ordering it orders the components, as Shopify bundles do.
    #[serde(default)]
    pub components: Vec<SeedComponent>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeedComponent {
    pub sku: String,
    pub quantity: i64,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeedProduct {
    pub title: String,
    #[serde(default)]
    pub vendor: String,
    #[serde(default)]
    pub product_type: String,
    pub variants: Vec<SeedVariant>,
}

/// One article of the billing catalogue (product code, name, stock in the demo warehouse).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Article {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub price: Decimal,
    pub vat_percent: u32,
    pub stock: Decimal,
}

/// Deterministic pseudo-random numbers (no external randomness in the demo).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound.max(1)
    }
}

/// EAN-13 with the Romanian 594 prefix and a correct check digit.
pub fn ean13(n: u64) -> String {
    let body = format!("594{:09}", n % 1_000_000_000);
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap_or(0);
            if i % 2 == 0 { d } else { d * 3 }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// The demo catalogue: 300 products, deliberate problems included.
pub fn catalogue() -> Vec<SeedProduct> {
    let mut rng = Lcg(5);
    let mut out = Vec::new();
    let mut barcode = 1000;
    for n in 0..300usize {
        let (code, kind, names, axis) = FAMILIES[n % FAMILIES.len()];
        let number = n / FAMILIES.len() + 1;
        let name = names[number % names.len()];
        let title = format!("{name} {}", STYLES[(n / 7) % STYLES.len()]);
        let base = Decimal::new(1499 + 500 * rng.next(40) as i64, 2);
        let variants = axis
            .iter()
            .map(|v| {
                barcode += 1;
                SeedVariant {
                    title: if *v == "U" {
                        "Default Title".into()
                    } else {
                        (*v).into()
                    },
                    sku: Some(format!("PNT-{code}-{number:04}-{v}")),
                    barcode: Some(ean13(barcode)),
                    price: base,
                    tracked: true,
                    stock: rng.next(40) as i64,
                    components: Vec::new(),
                }
            })
            .collect();
        out.push(SeedProduct {
            title,
            vendor: "Punte Demo SRL".into(),
            product_type: kind.into(),
            variants,
        });
    }
    // Deliberate problems.
    out[10].variants[1].sku = Some(DUPLICATE_SKU.into());
    out[20].variants[0].sku = None;
    out[30].variants[0].tracked = false;
    out
}

/// The billing catalogue matching [`catalogue`], minus [`MISSING_IN_BILLING`], with stock that
/// differs from the shop for a few articles (so a sync has something to do).
pub fn articles() -> Vec<Article> {
    let mut out = Vec::new();
    for (i, p) in catalogue().iter().enumerate() {
        for v in &p.variants {
            let Some(code) = v.sku.clone() else { continue };
            if code == MISSING_IN_BILLING || out.iter().any(|a: &Article| a.code == code) {
                continue;
            }
            let drift = if i % 9 == 0 { 3 } else { 0 };
            let name = if v.title == "Default Title" {
                p.title.clone()
            } else {
                format!("{} {}", p.title, v.title)
            };
            out.push(Article {
                code,
                name,
                unit: "buc".into(),
                price: v.price,
                vat_percent: 21,
                stock: Decimal::from(v.stock + drift),
            });
        }
    }
    out
}

/// Fills a Shopify state with locations, the catalogue and ≈60 orders in various states.
pub fn seed_shopify(st: &mut ShopState, now: DateTime<Utc>) {
    let start = now - TimeDelta::days(30);
    for (name, city, primary) in [
        (WAREHOUSE, "Chiajna", true),
        ("Magazin Cluj", "Cluj-Napoca", false),
    ] {
        let id = st.id();
        st.locations.push(Location {
            id,
            name: name.into(),
            active: true,
            primary,
            city: city.into(),
        });
    }
    ops::seed(st, &catalogue(), start);
    let skus: Vec<String> = st.variants.values().filter_map(|v| v.sku.clone()).collect();
    let mut rng = Lcg(11);
    let people = [
        ("Andrei", "Ionescu", "București, Sector 3"), // SPV wants a Bucharest sector
        ("Maria", "Popa", "Iași"),
        ("Ioana", "Stan", "Brașov"),
        ("Mihai", "Dumitrescu", "Timișoara"),
        ("Elena", "Georgescu", "Constanța"),
        ("Radu", "Marin", "Cluj-Napoca"),
    ];
    for i in 0..60u64 {
        let at = start + TimeDelta::hours(12 * i as i64);
        let (first, last, city) = people[(i % 6) as usize];
        let lines = (0..1 + rng.next(3))
            .map(|_| OrderLine {
                sku: Some(skus[rng.next(skus.len() as u64) as usize].clone()),
                variant_id: None,
                quantity: 1 + rng.next(3) as i64,
                ..OrderLine::default()
            })
            .collect();
        // Four in five pay cash on delivery (PENDING until the courier pays out), as in most
        // Romanian shops; the rest pay by card at checkout.
        let card = i % 5 == 4;
        let new = NewOrder {
            lines,
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            city: Some(city.into()),
            payment: Some(if card { "card" } else { "cod" }.into()),
            ..NewOrder::default()
        };
        let Ok(id) = ops::place_order(st, new, at) else {
            continue;
        };
        let later = at + TimeDelta::hours(6);
        let _ = match i % 6 {
            // Delivered: a cash-on-delivery order is paid when the courier pays out, about a
            // week later; the last week's deliveries are still PENDING.
            0 | 1 => ops::fulfil(st, id, later).and_then(|()| {
                let paid_out = later + TimeDelta::days(7);
                if card || paid_out > now {
                    Ok(())
                } else {
                    super::shopify::payment::mark_paid(st, id, paid_out)
                }
            }),
            // One waits for the customer's confirmation: its fulfilment is on hold.
            5 if i == 59 => super::shopify::payment::hold(st, id, true, later),
            2 => ops::cancel(st, id, true, "customer", later),
            3 => {
                let line = st.orders[&id].lines[0].id;
                let refund = [RefundLine {
                    line_item_id: line,
                    quantity: 1,
                    restock_type: "CANCEL".into(),
                }];
                ops::refund(st, id, &refund, later)
            }
            _ => Ok(()),
        };
    }
}
