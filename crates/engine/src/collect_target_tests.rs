//! The amount a collection is sent for, table-driven: the invoice's total less its confirmed
//! credit notes, nothing while a credit note of the order is in flight, in review or failed,
//! credits that will never be a document (not needed) or that correct another invoice left out.

use chrono::{TimeZone, Utc};
use punte_core::client::{Address, Client};
use punte_core::credit_note::CreditDraft;
use punte_core::invoice::{DraftLine, DraftLineKind, InvoiceDraft};
use punte_core::money::{Currency, VatRate};
use punte_core::order::OrderId;
use punte_store::{
    CollectionItem, CollectionSource, CollectionState, CreditItem, CreditState, IssuedInvoice,
};
use rust_decimal::Decimal;

use super::{Target, target};

fn line(price: i64) -> DraftLine {
    DraftLine {
        kind: DraftLineKind::Product,
        name: "Tricou".into(),
        code: None,
        quantity: 1,
        unit_price: Decimal::from(price),
        vat_rate: VatRate(Decimal::from(21)),
        warehouse: None,
        line: None,
        vat_name: None,
    }
}

fn client() -> Client {
    Client::Person {
        name: "Ana Pop".into(),
        email: None,
        address: Address {
            street: "Str. Lungă 1".into(),
            city: "Cluj-Napoca".into(),
            county: "Cluj".into(),
            country: "RO".into(),
        },
    }
}

fn item() -> CollectionItem {
    let invoice = InvoiceDraft {
        order_id: OrderId(1),
        order_name: "#1001".into(),
        client: client(),
        currency: Currency::ron(),
        use_stock: false,
        lines: vec![line(121), line(121)],
    };
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
    CollectionItem {
        order_id: OrderId(1),
        source: CollectionSource::Shopify,
        state: CollectionState::Intent,
        collected_on: at.date_naive(),
        sent_for: None,
        amount: None,
        error: None,
        attempts: 0,
        invoice: Some(IssuedInvoice {
            series: "FCT".into(),
            number: "7".into(),
            link: None,
        }),
        draft: Some(serde_json::to_string(&invoice).unwrap()),
        created_at: at,
        updated_at: at,
    }
}

/// A credit of `amount` (negative line total) on invoice FCT `number`, in `state`.
fn credit(state: CreditState, number: &str, amount: i64) -> CreditItem {
    let draft = CreditDraft {
        order_id: OrderId(1),
        order_name: "#1001".into(),
        refund_id: 9,
        invoice_series: "FCT".into(),
        invoice_number: number.into(),
        client: client(),
        currency: Currency::ron(),
        whole: false,
        use_stock: false,
        lines: vec![DraftLine {
            quantity: -1,
            ..line(amount)
        }],
    };
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 11, 0, 0).unwrap();
    CreditItem {
        id: 1,
        refund_id: 9,
        order_id: OrderId(1),
        idempotency_key: "k".into(),
        state,
        draft: Some(serde_json::to_string(&draft).unwrap()),
        document: None,
        error: None,
        attempts: 0,
        created_at: at,
        updated_at: at,
    }
}

#[test]
fn the_amount_is_the_invoice_less_its_confirmed_credit_notes() {
    use CreditState::{Confirmed, Failed, Intent, NeedsReview, NotNeeded, Sent};
    // (credits of the order, the amount to collect; None: wait for the credit)
    let table: Vec<(Vec<CreditItem>, Option<i64>)> = vec![
        (vec![], Some(242)),
        (vec![credit(Confirmed, "7", 121)], Some(121)),
        (
            vec![credit(Confirmed, "7", 121), credit(Confirmed, "7", 100)],
            Some(21),
        ),
        (vec![credit(Confirmed, "8", 121)], Some(242)),
        (vec![credit(Failed, "7", 121)], None),
        (vec![credit(NotNeeded, "7", 121)], Some(242)),
        (vec![credit(Intent, "7", 121)], None),
        (vec![credit(Sent, "7", 121)], None),
        (vec![credit(NeedsReview, "7", 121)], None),
        (
            vec![credit(Confirmed, "7", 121), credit(Sent, "7", 121)],
            None,
        ),
    ];
    for (credits, want) in table {
        let got = match target(&item(), &credits).unwrap() {
            Target::Collect(invoice, amount) => {
                assert_eq!(invoice.label(), "FCT 7");
                Some(amount)
            }
            Target::CreditPending => None,
            Target::NoInvoice => panic!("the invoice is confirmed"),
        };
        assert_eq!(got, want.map(Decimal::from), "{credits:?}");
    }
}

#[test]
fn no_confirmed_invoice_waits_for_it() {
    let mut waiting = item();
    waiting.invoice = None;
    assert!(matches!(target(&waiting, &[]).unwrap(), Target::NoInvoice));
}
