//! Protected customer data Shopify withholds from the app (an app without access to names,
//! addresses, emails and phones gets them as null, beside the rest of each order). Orders are
//! imported and reserve stock as usual; this module remembers which open orders came without
//! their buyer, keeps one finding that says what is missing and how to get it, stops those
//! orders from being invoiced (an invoice without the buyer's name and address is wrong), and
//! notices when access is granted so the orders are read again.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use punte_core::order::OrderId;
use punte_shopify::Withheld;
use punte_store::{Finding, Store, StoreError};
use serde::{Deserialize, Serialize};

use crate::kv;

/// The finding's key and kind.
pub(crate) const FINDING: &str = "shopify_customer_data_withheld";

/// What Shopify last withheld.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Withholding {
    /// Shopify's field names, e.g. `email`, `billingAddress`.
    pub fields: BTreeSet<String>,
    /// Shopify's own message.
    pub message: String,
    pub since: Option<DateTime<Utc>>,
}

/// What one import tells about withheld data.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    /// The finding to (re)publish while data is withheld.
    pub finding: Option<Finding>,
    /// Access came back: read the orders again from the start of the history window.
    pub rewind: bool,
}

/// The merchant's words for Shopify's withheld fields.
fn describe(fields: &BTreeSet<String>) -> String {
    let mut kinds: Vec<&str> = Vec::new();
    for f in fields {
        let kind = match f.as_str() {
            "firstName" | "lastName" | "displayName" | "name" => "names",
            "email" | "defaultEmailAddress" | "emailAddress" => "emails",
            "phone" => "phone numbers",
            "billingAddress" | "shippingAddress" => "addresses",
            _ => continue,
        };
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    if kinds.is_empty() {
        "customer data".to_owned()
    } else {
        kinds.join(", ")
    }
}

/// The same in Romanian.
fn describe_ro(fields: &BTreeSet<String>) -> String {
    let english = describe(fields);
    english
        .split(", ")
        .map(|k| match k {
            "names" => "nume",
            "emails" => "e-mailuri",
            "phone numbers" => "telefoane",
            "addresses" => "adrese",
            _ => "date ale clienților",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn finding(w: &Withholding) -> Finding {
    Finding {
        key: FINDING.into(),
        kind: FINDING.into(),
        code: None,
        message: format!(
            "Shopify withholds buyers' {} from Punte (protected customer data). Orders are \
             imported and reserve stock, but cannot be invoiced without the buyer's name and \
             address. Shopify said: \"{}\"",
            describe(&w.fields),
            w.message
        ),
        what_to_fix: "Give the app access to protected customer data: in the Shopify Dev \
            Dashboard open the app, request access to protected customer data with the fields \
            Name, Email, Phone and Address (reason: invoicing the shop's orders), release the \
            new version and approve it in the shop (an app made in the Shopify admin: Settings \
            → Apps → Develop apps → the app → Configuration; there Shopify offers these fields \
            only on the Shopify, Advanced and Plus plans). Punte then reads the orders again."
            .into(),
        detail: serde_json::to_string(w).ok(),
    }
}

/// Records what an import read (inside its store job): each order read with whether Shopify
/// withheld some of its fields, and the fields withheld.
pub(crate) fn record(
    s: &mut Store,
    read: &[(OrderId, bool)],
    withheld: &[Withheld],
    at: DateTime<Utc>,
) -> Result<Seen, StoreError> {
    let mut orders: BTreeSet<OrderId> = kv::read(s, kv::WITHHELD_ORDERS)?.unwrap_or_default();
    let before = orders.clone();
    for &(id, held) in read {
        if held {
            orders.insert(id);
        } else {
            orders.remove(&id);
        }
    }
    if orders != before {
        kv::write(s, kv::WITHHELD_ORDERS, &orders, at)?;
    }
    let state: Option<Withholding> = kv::read(s, kv::WITHHELD_FIELDS)?;
    if let Some(first) = withheld.first() {
        let mut w = state.unwrap_or_default();
        w.fields
            .extend(withheld.iter().map(|x| x.field().to_owned()));
        w.message.clone_from(&first.message);
        w.since = w.since.or(Some(at));
        kv::write(s, kv::WITHHELD_FIELDS, &w, at)?;
        return Ok(Seen {
            finding: Some(finding(&w)),
            rewind: false,
        });
    }
    match state {
        // An order came with its buyer: access was granted. Orders read without it are read
        // again (the cursor goes back to the start of the history window).
        Some(_) if read.iter().any(|(_, held)| !held) => {
            kv::write(s, kv::WITHHELD_FIELDS, &serde_json::Value::Null, at)?;
            // The finding closes: Shopify sends buyers again.
            s.resolve_findings(&[FINDING.to_owned()], at)?;
            Ok(Seen {
                finding: None,
                rewind: !orders.is_empty(),
            })
        }
        Some(w) => Ok(Seen {
            finding: Some(finding(&w)),
            rewind: false,
        }),
        None => Ok(Seen::default()),
    }
}

/// Why `order` cannot be invoiced yet, if Shopify withheld its buyer.
pub(crate) fn reason(s: &Store, order: OrderId) -> Result<Option<String>, StoreError> {
    let orders: BTreeSet<OrderId> = kv::read(s, kv::WITHHELD_ORDERS)?.unwrap_or_default();
    if !orders.contains(&order) {
        return Ok(None);
    }
    let w: Withholding = kv::read(s, kv::WITHHELD_FIELDS)?.unwrap_or_default();
    // Romanian / English, as the other review texts (the window shows the merchant's language).
    Ok(Some(format!(
        "Shopify a ascuns datele cumpărătorului acestei comenzi ({}; date protejate ale \
         clienților), iar factura are nevoie de numele și adresa lui. Dați acces aplicației \
         (vedeți problema „Shopify ascunde datele cumpărătorilor”); comanda e citită din nou \
         după ce accesul e acordat. / Shopify withheld this order's buyer {} (protected \
         customer data), and the invoice needs the buyer's name and address. Give Punte access \
         (see the finding \"Shopify withholds buyers' data\"); the order is read again once it \
         is granted.",
        describe_ro(&w.fields),
        describe(&w.fields)
    )))
}
