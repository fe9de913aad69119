//! Scenario (issue 12, item 6): on a desktop whose locale is Romanian, Punte starts in Romanian
//! and every screen of the demo shop reads in Romanian: the visible text of each screen holds no
//! word that only the English dictionary uses (the list is built from ui/src/lib/i18n, so a new
//! English text is checked too). The status bar keeps its buttons on one line in a 1100 px
//! window, in both languages. Screenshots of each screen land in target/e2e.

use std::collections::BTreeSet;

use crate::demo::{self, tid};
use crate::harness::App;
use crate::real_shop;

const EN: &str = include_str!("../../ui/src/lib/i18n/en.ts");
const RO: &str = include_str!("../../ui/src/lib/i18n/ro.ts");

/// Names that are the same in both languages ("courier" from "Fan Courier", a Romanian
/// courier's name on an order's shipping line).
const NAMES: [&str; 13] = [
    "shopify",
    "smartbill",
    "oblio",
    "fgo",
    "punte",
    "instock",
    "sku",
    "csv",
    "nir",
    "api",
    "nfc",
    "nfd",
    "courier",
];

/// The words of the texts of a dictionary file (keys and comments left out).
fn words(dictionary: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in dictionary.lines() {
        let line = line.trim_start();
        if line.starts_with("//") || line.starts_with("import") || line.starts_with("export") {
            continue;
        }
        // Drop the key ('a.b':) at the start of an entry.
        let text = match line.strip_prefix('\'').and_then(|l| l.split_once("':")) {
            Some((_, rest)) => rest,
            None => line,
        };
        // Plural forms name their form (one:, few:, other:); {placeholders} are never shown.
        let text = text
            .replace("one:", " ")
            .replace("few:", " ")
            .replace("other:", " ");
        let text = strip_placeholders(&text);
        out.extend(split(&text));
    }
    out
}

fn strip_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = (depth - 1).max(0),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn split(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
}

/// Words only the English texts use.
fn english_only() -> BTreeSet<String> {
    let ro = words(RO);
    words(EN)
        .into_iter()
        .filter(|w| !ro.contains(w) && !NAMES.contains(&w.as_str()))
        .collect()
}

/// Fails when the page shows an English-only word; saves a screenshot named `screen` first.
fn check(app: &App, screen: &str, english: &BTreeSet<String>) {
    app.screenshot(&format!("ro-{screen}"));
    let text = app
        .execute("return document.body.innerText;")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // Data is not interface text: e-mail addresses, paths and product codes ("PNT-CAN-0001-U",
    // anything with a digit or in capitals) are left out.
    let code = |t: &str| {
        t.chars().any(|c| c.is_ascii_digit())
            || (t.chars().filter(|c| c.is_alphabetic()).count() > 1
                && t.chars().all(|c| !c.is_lowercase()))
    };
    let shown: Vec<&str> = text
        .split_whitespace()
        .filter(|t| !t.contains('@') && !t.contains('/') && !code(t))
        .collect();
    let shown = shown.join(" ");
    let found: BTreeSet<String> = split(&shown).filter(|w| english.contains(w)).collect();
    assert!(
        found.is_empty(),
        "{screen}: English words on a Romanian screen: {found:?}\n---\n{text}"
    );
}

/// The status bar's buttons sit on one line: Sync now and Pause share their top edge and the
/// row is no taller than one button with its padding.
fn buttons_on_one_line(app: &App) {
    let v = app.execute(
        "const a = document.querySelector('[data-testid=\"sync-now\"]').getBoundingClientRect();
         const b = document.querySelector('[data-testid=\"sync-pause\"], [data-testid=\"sync-resume\"]').getBoundingClientRect();
         const row = document.querySelector('[data-testid=\"sync-now\"]').closest('.line').getBoundingClientRect();
         return [a.top, b.top, a.height, row.height, a.right, window.innerWidth];",
    );
    let n: Vec<f64> = v
        .as_array()
        .expect("numbers")
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect();
    assert!(
        (n[0] - n[1]).abs() < 1.0,
        "the buttons are on two lines: {n:?}"
    );
    assert!(n[3] < n[2] * 1.9, "the status row wraps: {n:?}");
    assert!(n[4] <= n[5], "a button is cut off: {n:?}");
}

#[test]
fn every_screen_reads_in_romanian_on_a_romanian_desktop() {
    let english = english_only();
    assert!(
        english.contains("invoice") && english.contains("stock") && !english.contains("shopify"),
        "the English-only list looks wrong: {english:?}"
    );
    // A home of its own: the web view keeps the language choice in its local storage, and a
    // choice left by another scenario would hide what the OS locale does.
    let home = tempfile::Builder::new()
        .prefix("punte-e2e-ro-home-")
        .tempdir()
        .expect("temp");
    let dir = |sub: &str| home.path().join(sub).display().to_string();
    let (data, config, cache) = (dir(".local/share"), dir(".config"), dir(".cache"));
    let home_dir = home.path().display().to_string();
    let app = App::launch_with_env(
        "romanian",
        &[
            ("PUNTE_DEMO", "1"),
            ("LANG", "ro_RO.UTF-8"),
            ("LC_ALL", "ro_RO.UTF-8"),
            ("HOME", &home_dir),
            ("XDG_DATA_HOME", &data),
            ("XDG_CONFIG_HOME", &config),
            ("XDG_CACHE_HOME", &cache),
        ],
    );
    app.set_window_size(1100, 800);
    app.find(&tid("demo-banner"));
    app.wait_for("Romanian from the OS locale", || {
        (app.text_now(&tid("lang-switch"))? == "English").then_some(())
    });
    app.click(&tid("nav-orders"));
    demo::wait_long(&app, "orders imported", || {
        app.attribute_now(&tid("order-row"), "data-order-id")
    });
    real_shop::wait_idle(&app);
    check(&app, "orders", &english);
    buttons_on_one_line(&app);

    // The merchant acts: a drift in the demo shop, then Sync now (its notice, the findings).
    app.click(&tid("simulate-open"));
    app.find(&tid("simulate-panel"));
    app.click(&tid("sim-drift"));
    app.find(&tid("sim-result"));
    check(&app, "simulate", &english);
    app.click(&tid("simulate-close"));
    real_shop::sync_now(&app);
    check(&app, "sync-notice", &english);
    buttons_on_one_line(&app);

    demo::open_an_open_order(&app);
    app.find(&tid("order-history"));
    check(&app, "order", &english);
    app.click(&tid("order-back"));
    app.click(&tid("orders-filter-not_in_stock"));
    if let Some(id) = app.attribute_now(&tid("order-row"), "data-order-id") {
        app.click(&tid(&format!("order-open-{id}")));
        app.find(&tid("order-shortfall"));
        check(&app, "order-not-in-stock", &english);
        app.click(&tid("order-back"));
    }

    app.click(&tid("nav-stock"));
    app.find(&tid("stock-table"));
    app.find(&tid("finding"));
    app.execute(
        "document.querySelector('[data-testid=\"stock-findings\"]').scrollIntoView(); return null;",
    );
    check(&app, "stock", &english);
    app.click(&tid("stock-preview"));
    app.wait_for("the plan", || {
        app.text_now(&tid("stock-plan-empty"))
            .or_else(|| app.text_now(&tid("stock-plan-table")))
    });
    check(&app, "stock-preview", &english);
    app.click(&tid("findings-closed"));
    app.wait_for("the resolved list", || {
        app.text_now(&tid("findings-empty"))
            .or_else(|| app.text_now(&tid("findings-list")))
    });
    check(&app, "stock-resolved", &english);

    app.click(&tid("nav-activity"));
    app.find(&tid("runs-table"));
    app.wait_for("the audit trail", || {
        app.text_now(&tid("audit-table"))
            .or_else(|| app.text_now(&tid("audit-row")))
    });
    check(&app, "activity", &english);

    app.click(&tid("nav-profile"));
    app.find(&tid("conn-shopify"));
    check(&app, "profile", &english);
    app.click(&tid("profile-tab-warehouse"));
    app.find(&tid("prefs-warehouse"));
    check(&app, "profile-warehouse", &english);
    app.click(&tid("profile-tab-invoice"));
    app.find(&tid("prefs-invoice"));
    check(&app, "profile-invoice", &english);

    // English keeps the buttons on one line too.
    app.click(&tid("lang-switch"));
    app.wait_for("English", || {
        (app.text_now(&tid("lang-switch"))? == "Română").then_some(())
    });
    buttons_on_one_line(&app);
    app.screenshot("en-profile");
}
