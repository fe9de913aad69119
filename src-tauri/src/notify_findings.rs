//! The words of a "new stock problem" notification: what each finding kind is in a few words,
//! and the title, body and route for one finding (named, with its product) or several (counted
//! and listed). Kept apart from `notify_words`, whose other events are one sentence each.

use punte_engine::FindingNote;

use crate::language::Lang;
use crate::notify_words::{en_count, list, ro_count};

/// What a finding kind is, in a few words.
fn finding_words(kind: &str, lang: Lang) -> &'static str {
    let ro = lang == Lang::Ro;
    match kind {
        "shopify_drift" if ro => "stoc modificat manual în Shopify",
        "shopify_drift" => "stock changed by hand in Shopify",
        "target_below_zero" if ro => "mai puțin stoc decât comenzile deschise",
        "target_below_zero" => "less stock than the open orders need",
        "code_missing_in_billing" if ro => "codul lipsește din facturare",
        "code_missing_in_billing" => "code missing in billing",
        "billing_product_without_shopify_match" if ro => {
            "produs din facturare fără pereche în Shopify"
        }
        "billing_product_without_shopify_match" => "billing product without a Shopify match",
        "duplicate_code_in_shopify" if ro => "cod duplicat în Shopify",
        "duplicate_code_in_shopify" => "duplicate code in Shopify",
        "duplicate_code_in_billing" if ro => "cod duplicat în facturare",
        "duplicate_code_in_billing" => "duplicate code in billing",
        "code_near_match" if ro => "coduri care par identice, dar diferă",
        "code_near_match" => "codes that look the same but differ",
        "level_not_read" if ro => "fără stoc la locația Shopify sincronizată",
        "level_not_read" => "not stocked at the synced Shopify location",
        "sync_halted" if ro => "sincronizare oprită",
        "sync_halted" => "sync halted",
        "billing_read_failed" if ro => "stocul din facturare nu a putut fi citit",
        "billing_read_failed" => "the billing stock could not be read",
        _ if ro => "problemă de catalog",
        _ => "catalogue problem",
    }
}

/// Title, body and route of the notification about new findings: one finding is named with its
/// product, several are counted and listed.
pub(crate) fn findings_note(
    findings: &[FindingNote],
    lang: Lang,
) -> (String, String, Option<String>) {
    let ro = lang == Lang::Ro;
    let item = |f: &FindingNote| match &f.code {
        Some(code) => format!("{code}: {}", finding_words(&f.kind, lang)),
        None => finding_words(&f.kind, lang).to_owned(),
    };
    if let [one] = findings {
        let title = match (one.kind.as_str(), ro) {
            ("shopify_drift", true) => "Stoc modificat manual în Shopify".to_owned(),
            ("shopify_drift", false) => "Stock changed by hand in Shopify".to_owned(),
            (_, true) => "Problemă nouă de stoc".to_owned(),
            (_, false) => "New stock problem".to_owned(),
        };
        let body = match (one.kind.as_str(), &one.code, ro) {
            ("shopify_drift", Some(code), true) => format!(
                "{code}: stocul din Shopify nu mai era cel scris de Punte; Punte scrie din nou stocul din facturare minus rezervările."
            ),
            ("shopify_drift", Some(code), false) => format!(
                "{code}: Shopify's stock was no longer what Punte wrote; Punte writes billing stock minus reservations again."
            ),
            _ => item(one),
        };
        let route = one
            .code
            .as_ref()
            .map_or_else(|| "stock".to_owned(), |c| format!("stock/{c}"));
        return (title, body, Some(route));
    }
    let title = if ro {
        format!(
            "{} noi",
            ro_count(findings.len(), "problemă", "probleme", "probleme")
        )
    } else {
        en_count(findings.len(), "new problem", "new problems")
    };
    let items: Vec<String> = findings.iter().map(item).collect();
    (title, list(&items, lang), Some("stock".to_owned()))
}
