//! The buyer's CUI (Romanian fiscal code), which Shopify has no field for: the 2026-07 schema's
//! `MailingAddress` has no VAT number and `LocalizedFieldKey` no Romanian tax credential. Shops
//! collect it in the billing company line ("Firma SRL, CUI RO12345678") or in the order note
//! ("CIF: 12345678"); a valid candidate wins, and failing one a labelled code of a CUI's shape
//! with a wrong control digit is kept as typed, so the invoice is held for the merchant to fix
//! (the engine's pre-issue SPV check) rather than silently issued to a private person.

use punte_core::client::Cui;

/// Labels that announce a fiscal code, lower case.
const LABELS: [&str; 4] = ["cod fiscal", "cui", "cif", "vat"];

/// The first valid CUI announced by a label in `texts`, as invoices show it ("RO…" for VAT
/// payers, digits otherwise); failing one, the first labelled code of a CUI's shape whose
/// control digit is wrong, as typed (compact, upper case).
pub(crate) fn find_cui<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let texts: Vec<&str> = texts.into_iter().collect();
    texts
        .iter()
        .find_map(|t| in_text(t, true))
        .or_else(|| texts.iter().find_map(|t| in_text(t, false)))
}

/// A CUI's shape: optional "RO", then 2 to 10 digits not starting with 0.
fn cui_shaped(compact: &str) -> bool {
    let digits = compact.strip_prefix("RO").unwrap_or(compact);
    (2..=10).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

fn in_text(text: &str, valid_only: bool) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    for label in LABELS {
        let mut from = 0;
        while let Some(at) = lower[from..].find(label) {
            let start = from + at + label.len();
            from = start;
            // A label inside a word ("Cuib", "specific") is not one.
            let before = lower[..start - label.len()].chars().next_back();
            if before.is_some_and(char::is_alphanumeric) {
                continue;
            }
            let rest = text[start..].trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, ':' | '=' | '#' | '-' | '.')
            });
            let candidate: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == ' ')
                .collect();
            if let Ok(cui) = Cui::parse(candidate.trim()) {
                return Some(cui.display());
            }
            let compact: String = candidate
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_uppercase();
            if !valid_only && cui_shaped(&compact) {
                return Some(compact);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find_cui;

    #[test]
    fn a_labelled_valid_cui_is_found() {
        for (texts, want) in [
            (
                vec!["Oblio Software SRL, CUI RO37311090"],
                Some("RO37311090"),
            ),
            (vec!["", "CIF: 37311090"], Some("37311090")),
            (
                vec!["cod fiscal = ro 37311090, J12/1/2020"],
                Some("RO37311090"),
            ),
            (vec!["Firma SRL", "Va rog factura pe CUI-ul 37311090"], None),
            (vec!["CUI RO37311091"], Some("RO37311091")),
            (vec!["CUI RO37311091", "CIF: 37311090"], Some("37311090")),
            (vec!["Cuib de cuci SRL"], None),
            (vec!["Livrare dupa ora 17"], None),
        ] {
            assert_eq!(
                find_cui(texts.iter().copied()).as_deref(),
                want,
                "{texts:?}"
            );
        }
    }
}
