//! The words of a system notification, in Romanian or English: a title saying what happened, a
//! body naming the product or the order, and the window's route a click opens. Plural forms
//! follow Romanian grammar ("1 produs", "2 produse", "20 de produse"). New findings
//! have their own words in `notify_findings`.

use punte_engine::NotificationEvent;

use crate::language::Lang;
use crate::notify_findings::findings_note;

/// One notification, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub title: String,
    pub body: String,
    /// What a click opens: "stock", "stock/<code>", "orders", "orders/<id>", "activity".
    pub route: Option<String>,
    /// The label of the click action ("Open" / "Deschide").
    pub open: String,
}

/// Romanian plural: one, few (0, 2–19 and numbers ending in 01–19), other ("de").
pub fn ro_count(n: usize, one: &str, few: &str, other: &str) -> String {
    let rest = n % 100;
    if n == 1 {
        format!("1 {one}")
    } else if n == 0 || (1..=19).contains(&rest) {
        format!("{n} {few}")
    } else {
        format!("{n} de {other}")
    }
}

pub(crate) fn en_count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A list of names: "A", "A și B", "A, B și încă 3" / "A, B and 3 more".
pub(crate) fn list(names: &[String], lang: Lang) -> String {
    let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
    let more = names.len().saturating_sub(shown.len());
    let (and, more_words) = match lang {
        Lang::Ro => (" și ", format!("încă {more}")),
        Lang::En => (" and ", format!("{more} more")),
    };
    match (shown.as_slice(), more) {
        ([], _) => String::new(),
        ([one], 0) => (*one).to_owned(),
        (all, 0) => {
            let (last, first) = all.split_last().map_or((&"", &[][..]), |(l, f)| (l, f));
            format!("{}{and}{last}", first.join(", "))
        }
        (all, _) => format!("{}{and}{more_words}", all.join(", ")),
    }
}

/// The notification for `event`; `names` are the names of the orders it is about, in order.
pub fn words(event: &NotificationEvent, lang: Lang, names: &[String]) -> Note {
    use NotificationEvent as E;
    let ro = lang == Lang::Ro;
    let pick = |r: String, e: String| if ro { r } else { e };
    let first = names.first().cloned().unwrap_or_default();
    let (title, body, route) = match event {
        E::SyncFailed { code, .. } => (
            pick("Sincronizarea a eșuat".into(), "Sync failed".into()),
            pick(
                format!("Punte reîncearcă singur; detaliile sunt în Activitate (cod {code})."),
                format!("Punte retries by itself; the details are in Activity (code {code})."),
            ),
            Some("activity".to_owned()),
        ),
        E::ConfirmationNeeded { changing, in_scope } => (
            pick("Confirmare necesară".into(), "Confirmation needed".into()),
            pick(
                format!(
                    "Sincronizarea ar schimba stocul la {} din {in_scope}; confirmați în Stoc.",
                    ro_count(*changing, "produs", "produse", "produse")
                ),
                format!(
                    "The sync would change {} of {in_scope}; confirm it in Stock.",
                    en_count(*changing, "product", "products")
                ),
            ),
            Some("stock".to_owned()),
        ),
        E::SyncHalted { reason } => {
            let why: serde_json::Value = serde_json::from_str(reason).unwrap_or_default();
            let body = match (why["reason"].as_str(), ro) {
                (Some("billing_empty"), true) => {
                    "Facturarea nu a trimis niciun produs, deci Punte nu a scris nimic în Shopify."
                        .to_owned()
                }
                (Some("billing_empty"), false) => {
                    "Billing sent no products, so Punte wrote nothing to Shopify.".to_owned()
                }
                (Some("billing_shrank"), true) => format!(
                    "Facturarea a trimis {} produse în loc de {}, deci Punte nu a scris nimic în Shopify.",
                    why["products"], why["previously"]
                ),
                (Some("billing_shrank"), false) => format!(
                    "Billing sent {} products instead of {}, so Punte wrote nothing to Shopify.",
                    why["products"], why["previously"]
                ),
                (_, true) => "Stocul din facturare nu a putut fi citit; nu s-a scris nimic.".to_owned(),
                (_, false) => "The billing stock could not be read; nothing was written.".to_owned(),
            };
            (
                pick("Sincronizare oprită".into(), "Sync halted".into()),
                body,
                Some("stock".to_owned()),
            )
        }
        E::InvoiceFailed { order, code, .. } => (
            pick(
                format!("Factura pentru comanda {first} nu a fost emisă"),
                format!("The invoice for order {first} was not issued"),
            ),
            pick(
                format!("Serviciul de facturare a refuzat-o (cod {code}); deschideți comanda."),
                format!("The billing service refused it (code {code}); open the order."),
            ),
            Some(format!("orders/{}", order.0)),
        ),
        E::InvoiceNeedsReview { order, .. } => (
            pick(
                format!("Factura comenzii {first} trebuie verificată"),
                format!("The invoice of order {first} needs a check"),
            ),
            pick(
                "Nu se știe dacă factura a fost emisă; verificați în serviciul de facturare înainte de a reîncerca.".into(),
                "It is not known whether the invoice was issued; check the billing service before trying again.".into(),
            ),
            Some(format!("orders/{}", order.0)),
        ),
        E::CollectionNeedsReview { order, .. } => (
            pick(
                format!("Încasarea comenzii {first} trebuie verificată"),
                format!("The collection of order {first} needs a check"),
            ),
            pick(
                "Nu se știe dacă încasarea a ajuns pe factură; verificați în serviciul de facturare.".into(),
                "It is not known whether the collection reached the invoice; check the billing service.".into(),
            ),
            Some(format!("orders/{}", order.0)),
        ),
        E::NewFindings { findings } => findings_note(findings, lang),
        E::Offline { service, .. } => {
            let who = match (service.as_str(), ro) {
                ("shopify", _) => "Shopify",
                (_, true) => "Serviciul de facturare",
                (_, false) => "The billing service",
            };
            (
                pick(format!("{who} nu răspunde"), format!("{who} is not answering")),
                pick(
                    "Punte reîncearcă singur; comenzile și stocul se sincronizează când revine.".into(),
                    "Punte retries by itself; orders and stock sync once it is back.".into(),
                ),
                Some("activity".to_owned()),
            )
        }
        E::BackOnline => (
            pick("Din nou online".into(), "Back online".into()),
            pick(
                "Serviciile răspund; sincronizarea a reluat.".into(),
                "The services answer; syncing has resumed.".into(),
            ),
            None,
        ),
        E::StaleOpenOrders { orders } => (
            pick(
                format!("{} deschise de mult", ro_count(orders.len(), "comandă", "comenzi", "comenzi")),
                format!("{} open for long", en_count(orders.len(), "order", "orders")),
            ),
            pick(
                format!("{} rezervă stoc de mai multe zile: facturați-le sau marcați-le Expediate.", list(names, lang)),
                format!("{} hold stock for days: invoice them or mark them Dispatched.", list(names, lang)),
            ),
            Some("orders".to_owned()),
        ),
        E::EfacturaRejected { order, invoice, reason } => (
            pick(
                format!("e-Factura a respins factura {invoice}"),
                format!("e-Factura rejected invoice {invoice}"),
            ),
            pick(
                format!("ANAF: {reason}. Corectați factura în serviciul de facturare și retrimiteți-o."),
                format!("ANAF: {reason}. Correct the invoice in the billing service and send it again."),
            ),
            Some(format!("orders/{}", order.0)),
        ),
        E::EfacturaDeadline { order, invoice, deadline, working_days_left } => (
            pick(
                format!("Factura {invoice} nu e încă acceptată în SPV"),
                format!("Invoice {invoice} is not yet accepted in SPV"),
            ),
            if *working_days_left < 0 {
                pick(
                    format!("Termenul de 5 zile lucrătoare a trecut ({}).", deadline.format("%d.%m.%Y")),
                    format!("The 5-working-day deadline has passed ({}).", deadline.format("%d.%m.%Y")),
                )
            } else {
                pick(
                    format!("Termenul de transmitere în SPV este {}.", deadline.format("%d.%m.%Y")),
                    format!("The SPV deadline is {}.", deadline.format("%d.%m.%Y")),
                )
            },
            Some(format!("orders/{}", order.0)),
        ),
        E::CodUnpaid { orders, days } => (
            pick(
                format!("Ramburs neîncasat de {}: {}", ro_count(*days as usize, "zi", "zile", "zile"), ro_count(orders.len(), "comandă", "comenzi", "comenzi")),
                format!("Cash on delivery unpaid for {}: {}", en_count(*days as usize, "day", "days"), en_count(orders.len(), "order", "orders")),
            ),
            pick(
                format!("{}: livrate și neîncasate; verificați cu curierul, apoi Marchează încasată.", list(names, lang)),
                format!("{}: delivered and not paid; check with the courier, then Mark as paid.", list(names, lang)),
            ),
            Some(orders.first().filter(|_| orders.len() == 1).map_or_else(|| "orders".to_owned(), |o| format!("orders/{}", o.0))),
        ),
        E::CodUnpaidBeforeConnection { count, days } => (
            pick(
                format!("Ramburs neîncasat de dinainte de Punte: {}", ro_count(*count as usize, "comandă", "comenzi", "comenzi")),
                format!("Cash on delivery unpaid from before Punte: {}", en_count(*count as usize, "order", "orders")),
            ),
            pick(
                format!("Livrate înainte de conectare și încă neplătite în Shopify după {}; nu vă anunțăm pe rând. Vedeți-le în Comenzi → „Ramburs de dinainte de Punte”.", ro_count(*days as usize, "zi", "zile", "zile")),
                format!("Fulfilled before the connection and still unpaid in Shopify after {}; not told one by one. See them in Orders → \"Cash on delivery from before Punte\".", en_count(*days as usize, "day", "days")),
            ),
            Some("orders".to_owned()),
        ),
        #[allow(unreachable_patterns)]
        _ => (
            "Punte".to_owned(),
            pick("Deschideți Punte pentru detalii.".into(), "Open Punte for the details.".into()),
            None,
        ),
    };
    Note {
        title,
        body,
        route,
        open: pick("Deschide".into(), "Open".into()),
    }
}

#[cfg(test)]
#[path = "notify_words_tests.rs"]
mod tests;
