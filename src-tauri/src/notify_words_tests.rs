//! Wording of notifications: plurals, names, routes, no internal codes.

use super::*;
use punte_core::order::OrderId;
use punte_engine::FindingNote;

fn note(kind: &str, code: &str) -> FindingNote {
    FindingNote {
        kind: kind.into(),
        code: Some(code.into()),
    }
}

#[test]
fn romanian_plurals() {
    assert_eq!(ro_count(1, "produs", "produse", "produse"), "1 produs");
    assert_eq!(ro_count(2, "produs", "produse", "produse"), "2 produse");
    assert_eq!(ro_count(19, "produs", "produse", "produse"), "19 produse");
    assert_eq!(
        ro_count(20, "produs", "produse", "produse"),
        "20 de produse"
    );
    assert_eq!(ro_count(101, "produs", "produse", "produse"), "101 produse");
    assert_eq!(ro_count(0, "produs", "produse", "produse"), "0 produse");
}

#[test]
fn a_drift_names_its_product_and_opens_it() {
    let e = NotificationEvent::NewFindings {
        findings: vec![note("shopify_drift", "PT-CANA")],
    };
    let ro = words(&e, Lang::Ro, &[]);
    assert_eq!(ro.title, "Stoc modificat manual în Shopify");
    assert!(ro.body.starts_with("PT-CANA:"), "{}", ro.body);
    assert_eq!(ro.route.as_deref(), Some("stock/PT-CANA"));
    let en = words(&e, Lang::En, &[]);
    assert_eq!(en.title, "Stock changed by hand in Shopify");
    assert_eq!(en.open, "Open");
}

#[test]
fn several_findings_are_listed_and_counted() {
    let e = NotificationEvent::NewFindings {
        findings: (0..5)
            .map(|i| note("code_missing_in_billing", &format!("C{i}")))
            .collect(),
    };
    let ro = words(&e, Lang::Ro, &[]);
    assert_eq!(ro.title, "5 probleme noi");
    assert!(
        ro.body.contains("C0: codul lipsește din facturare") && ro.body.contains("încă 2"),
        "{}",
        ro.body
    );
    assert_eq!(words(&e, Lang::En, &[]).title, "5 new problems");
}

#[test]
fn offline_names_the_service_not_a_code() {
    let e = NotificationEvent::Offline {
        service: "shopify".into(),
        code: "shopify.unreachable".into(),
    };
    let ro = words(&e, Lang::Ro, &[]);
    assert_eq!(ro.title, "Shopify nu răspunde");
    assert!(!ro.body.contains("shopify.unreachable"));
}

#[test]
fn an_invoice_notification_names_the_order_and_opens_it() {
    let e = NotificationEvent::InvoiceNeedsReview {
        order: OrderId(42),
        detail: "lost".into(),
    };
    let ro = words(&e, Lang::Ro, &["#1002".into()]);
    assert_eq!(ro.title, "Factura comenzii #1002 trebuie verificată");
    assert_eq!(ro.route.as_deref(), Some("orders/42"));
    let stale = NotificationEvent::StaleOpenOrders {
        orders: vec![OrderId(1), OrderId(2)],
    };
    let ro = words(&stale, Lang::Ro, &["#1".into(), "#2".into()]);
    assert_eq!(ro.title, "2 comenzi deschise de mult");
    assert!(ro.body.starts_with("#1 și #2 rezervă"), "{}", ro.body);
}

#[test]
fn unpaid_cash_on_delivery_names_the_orders_and_the_days() {
    let one = NotificationEvent::CodUnpaid {
        orders: vec![OrderId(7)],
        days: 10,
    };
    let ro = words(&one, Lang::Ro, &["#1007".into()]);
    assert_eq!(ro.title, "Ramburs neîncasat de 10 zile: 1 comandă");
    assert!(ro.body.starts_with("#1007: livrate"), "{}", ro.body);
    assert_eq!(ro.route.as_deref(), Some("orders/7"), "one order opens it");
    let two = NotificationEvent::CodUnpaid {
        orders: vec![OrderId(7), OrderId(8)],
        days: 20,
    };
    let en = words(&two, Lang::En, &["#1007".into(), "#1008".into()]);
    assert_eq!(en.title, "Cash on delivery unpaid for 20 days: 2 orders");
    assert_eq!(en.route.as_deref(), Some("orders"));
    let ro = words(&two, Lang::Ro, &[]);
    assert!(
        ro.title.starts_with("Ramburs neîncasat de 20 de zile"),
        "{}",
        ro.title
    );
}

#[test]
fn unpaid_cash_on_delivery_from_before_punte_is_one_count() {
    let e = NotificationEvent::CodUnpaidBeforeConnection {
        count: 30,
        days: 10,
    };
    let ro = words(&e, Lang::Ro, &[]);
    assert_eq!(
        ro.title,
        "Ramburs neîncasat de dinainte de Punte: 30 de comenzi"
    );
    assert!(ro.body.contains("după 10 zile"), "{}", ro.body);
    let en = words(&e, Lang::En, &[]);
    assert_eq!(
        en.title,
        "Cash on delivery unpaid from before Punte: 30 orders"
    );
    assert_eq!(en.route.as_deref(), Some("orders"));
}
