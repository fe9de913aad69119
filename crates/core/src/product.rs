//! Products and codes: a Shopify variant is the same product as a billing product when its SKU
//! (or barcode, per setting) equals the billing product code exactly. Problems become findings
//! with what to fix, never panics, because a shop always has a few odd products.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The code shared by a Shopify variant and a billing product (SKU or barcode).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProductCode(pub String);

impl ProductCode {
    /// The code as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Lets maps keyed by code be searched with a `&str` (the derived `Hash`/`Eq` of the newtype
/// are those of its text, as `Borrow` requires).
impl std::borrow::Borrow<str> for ProductCode {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for ProductCode {
    fn from(code: &str) -> Self {
        Self(code.to_owned())
    }
}

/// Which Shopify field carries the product code (a merchant setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CodeSource {
    /// The variant's SKU (the usual choice).
    #[default]
    Sku,
    /// The variant's barcode (EAN/UPC).
    Barcode,
}

/// Shopify's numeric variant id (the number in `gid://shopify/ProductVariant/N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VariantId(pub u64);

/// Shopify's numeric inventory item id (the number in `gid://shopify/InventoryItem/N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InventoryItemId(pub u64);

/// A Shopify variant as read from the Admin API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopifyVariant {
    pub variant_id: VariantId,
    pub inventory_item_id: InventoryItemId,
    /// Product title and variant title, for findings and invoices.
    pub title: String,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    /// Shopify's "Track quantity"; an untracked variant is never written.
    pub tracked: bool,
}

impl ShopifyVariant {
    /// The variant's code under `source`; blank text counts as no code.
    #[must_use]
    pub fn code(&self, source: CodeSource) -> Option<ProductCode> {
        self.code_str(source).map(ProductCode::from)
    }

    /// The same as [`Self::code`], borrowed.
    #[must_use]
    pub fn code_str(&self, source: CodeSource) -> Option<&str> {
        let raw = match source {
            CodeSource::Sku => self.sku.as_deref(),
            CodeSource::Barcode => self.barcode.as_deref(),
        };
        raw.filter(|c| !c.trim().is_empty())
    }
}

/// A product in the billing service's warehouse, with its stock there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingProduct {
    pub code: ProductCode,
    /// The name in the billing nomenclature ("Use the warehouse name" puts it on invoices).
    pub name: String,
    /// Billing stock; services report decimals (kg, m), Shopify counts whole units.
    pub stock: Decimal,
    /// The product's VAT rate in the billing nomenclature, where the stock read shows it
    /// (Oblio, FGO); the VAT check compares invoice lines with it.
    #[serde(default)]
    pub vat_rate: Option<crate::money::VatRate>,
}

/// A tracked Shopify variant matched to exactly one billing product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedProduct {
    pub code: ProductCode,
    pub variant_id: VariantId,
    pub inventory_item_id: InventoryItemId,
    pub billing_name: String,
    /// Billing stock in whole units (rounded down), B(p) in the stock model.
    pub billing_stock: i64,
}

/// Something about the catalogue that keeps a product out of sync, with what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProductFinding {
    VariantWithoutCode {
        variant_id: VariantId,
        title: String,
    },
    DuplicateCodeInShopify {
        code: ProductCode,
        variants: Vec<VariantId>,
    },
    DuplicateCodeInBilling {
        code: ProductCode,
    },
    CodeMissingInBilling {
        code: ProductCode,
        variant_id: VariantId,
    },
    TrackingOff {
        code: ProductCode,
        variant_id: VariantId,
    },
    BillingProductWithoutShopifyMatch {
        code: ProductCode,
    },
    NegativeBillingStock {
        code: ProductCode,
        stock: Decimal,
    },
    FractionalBillingStock {
        code: ProductCode,
        stock: Decimal,
        used: i64,
    },
}

impl ProductFinding {
    /// One sentence telling the merchant what to change, shown next to the finding.
    #[must_use]
    pub fn what_to_fix(&self) -> String {
        match self {
            Self::VariantWithoutCode { title, .. } => {
                format!("Give \"{title}\" a SKU (or barcode) equal to its billing product code.")
            }
            Self::DuplicateCodeInShopify { code, .. } => {
                format!(
                    "Code {} is on several Shopify variants; make it unique.",
                    code.0
                )
            }
            Self::DuplicateCodeInBilling { code } => {
                format!(
                    "Code {} appears twice in the billing warehouse; keep one.",
                    code.0
                )
            }
            Self::CodeMissingInBilling { code, .. } => {
                format!(
                    "Add a billing product with code {} (or correct the SKU).",
                    code.0
                )
            }
            Self::TrackingOff { code, .. } => {
                format!(
                    "Turn on \"Track quantity\" for the Shopify variant with code {}.",
                    code.0
                )
            }
            Self::BillingProductWithoutShopifyMatch { code } => {
                format!(
                    "No Shopify variant has code {}; add it or ignore this.",
                    code.0
                )
            }
            Self::NegativeBillingStock { code, .. } => {
                format!(
                    "Billing stock of {} is negative; record the missing receipt.",
                    code.0
                )
            }
            Self::FractionalBillingStock { code, used, .. } => {
                format!(
                    "Billing stock of {} is not whole; Shopify gets {used}.",
                    code.0
                )
            }
        }
    }
}

/// The outcome of matching: products that can be synced, sorted by code, and findings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub matched: Vec<MatchedProduct>,
    pub findings: Vec<ProductFinding>,
}
