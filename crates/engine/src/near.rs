//! Codes that look identical and are not: a Shopify SKU "ĂLA-1 " with a trailing space, or
//! "ĂLA-1" typed with a combining breve (Unicode NFD, as macOS keyboards and some exports write
//! it) against billing's precomposed "ĂLA-1" (NFC). Matching is exact, so each side is a
//! finding of its own ("code missing in billing", "billing product without a Shopify match")
//! whose codes read the same on screen. This pairs them into one finding that names the
//! difference (the spaces, the Unicode form of each side) so the merchant can fix the code.

use std::collections::HashMap;

use icu_normalizer::{ComposingNormalizerBorrowed, DecomposingNormalizerBorrowed};
use punte_core::product::{Catalog, ProductFinding};
use punte_store::Finding;
use serde::Serialize;

/// How one side writes its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Spelling {
    pub code: String,
    pub leading_spaces: usize,
    pub trailing_spaces: usize,
    /// "ascii", "NFC", "NFD" or "mixed".
    pub form: &'static str,
}

impl Spelling {
    fn of(code: &str) -> Self {
        let nfc = ComposingNormalizerBorrowed::new_nfc();
        let nfd = DecomposingNormalizerBorrowed::new_nfd();
        let form = match (
            code.is_ascii(),
            nfc.is_normalized(code),
            nfd.is_normalized(code),
        ) {
            (true, _, _) => "ascii",
            (_, true, false) => "NFC",
            (_, false, true) => "NFD",
            // Characters with no composition are both; a mix of the two is neither.
            (_, true, true) => "NFC",
            (_, false, false) => "mixed",
        };
        Self {
            code: code.to_owned(),
            leading_spaces: code.chars().take_while(|c| c.is_whitespace()).count(),
            trailing_spaces: code.chars().rev().take_while(|c| c.is_whitespace()).count(),
            form,
        }
    }
}

/// The parameters the window words the finding from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct NearMatch {
    pub shopify: Spelling,
    pub billing: Spelling,
}

/// The text two codes share once spaces around them are dropped and both are in NFC.
fn key(code: &str) -> String {
    ComposingNormalizerBorrowed::new_nfc()
        .normalize(code.trim())
        .into_owned()
}

/// One finding per Shopify code and billing code that differ only invisibly.
pub(crate) fn near_matches(catalog: &Catalog) -> Vec<Finding> {
    let mut billing: HashMap<String, Vec<&str>> = HashMap::new();
    for f in &catalog.findings {
        if let ProductFinding::BillingProductWithoutShopifyMatch { code } = f {
            billing
                .entry(key(code.as_str()))
                .or_default()
                .push(code.as_str());
        }
    }
    let mut out = Vec::new();
    for f in &catalog.findings {
        let ProductFinding::CodeMissingInBilling { code, .. } = f else {
            continue;
        };
        for b in billing.get(&key(code.as_str())).into_iter().flatten() {
            let near = NearMatch {
                shopify: Spelling::of(code.as_str()),
                billing: Spelling::of(b),
            };
            out.push(finding(&near));
        }
    }
    out
}

fn finding(near: &NearMatch) -> Finding {
    let (s, b) = (&near.shopify, &near.billing);
    let mut what = Vec::new();
    for (side, x) in [("Shopify", s), ("billing", b)] {
        if x.leading_spaces > 0 {
            what.push(format!(
                "the {side} code starts with {} space(s)",
                x.leading_spaces
            ));
        }
        if x.trailing_spaces > 0 {
            what.push(format!(
                "the {side} code ends with {} space(s)",
                x.trailing_spaces
            ));
        }
    }
    if s.form != b.form {
        what.push(format!(
            "the letters are encoded differently (Shopify {}, billing {})",
            s.form, b.form
        ));
    }
    Finding {
        key: format!("code_near_match:{}", b.code),
        kind: "code_near_match".into(),
        code: Some(b.code.as_str().into()),
        message: format!(
            "Shopify {:?} and billing {:?} look the same but differ",
            s.code, b.code
        ),
        what_to_fix: format!(
            "Retype the code so both are identical: {}.",
            what.join("; ")
        ),
        detail: serde_json::to_string(near).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use punte_core::product::{ProductCode, VariantId};

    fn catalog(shopify: &[&str], billing: &[&str]) -> Catalog {
        let mut c = Catalog::default();
        for s in shopify {
            c.findings.push(ProductFinding::CodeMissingInBilling {
                code: ProductCode::from(*s),
                variant_id: VariantId(1),
            });
        }
        for b in billing {
            c.findings
                .push(ProductFinding::BillingProductWithoutShopifyMatch {
                    code: ProductCode::from(*b),
                });
        }
        c
    }

    #[test]
    fn a_trailing_space_and_a_decomposed_letter_are_named() {
        let nfd = "A\u{306}LA-1"; // A + combining breve
        let found = near_matches(&catalog(
            &["PT-1 ", nfd, "OTHER"],
            &["PT-1", "ĂLA-1", "ELSE"],
        ));
        assert_eq!(found.len(), 2, "{found:?}");
        let space = &found[0];
        assert_eq!(space.key, "code_near_match:PT-1");
        assert!(
            space.what_to_fix.contains("ends with 1 space"),
            "{}",
            space.what_to_fix
        );
        let detail: serde_json::Value =
            serde_json::from_str(space.detail.as_deref().expect("detail")).expect("JSON");
        assert_eq!(detail["shopify"]["trailing_spaces"], 1);
        let form = &found[1];
        assert!(
            form.what_to_fix.contains("Shopify NFD, billing NFC"),
            "{}",
            form.what_to_fix
        );
        // Different codes are not paired.
        assert!(near_matches(&catalog(&["A-1"], &["A-2"])).is_empty());
    }
}
