//! Tests of the Stock overview's helpers: held new products, refused writes.

use chrono::TimeDelta;
use punte_core::product::ProductCode;
use punte_store::{Finding, StockChange};

use super::*;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("time").to_utc()
}

#[test]
fn a_new_product_held_until_07_00_says_until_when() {
    let seven = NewProductPolicy::NextDayAfter {
        local_time: chrono::NaiveTime::from_hms_opt(7, 0, 0).expect("07:00"),
    };
    let seeded = Some(at("2026-11-01T00:00:00Z"));
    // First seen Friday 12:00 in Bucharest: held until Saturday 07:00 (05:00 UTC).
    let first = at("2026-11-27T10:00:00Z");
    let until = held_until(first, seeded, seven, at("2026-11-27T10:01:00Z"));
    assert_eq!(until, Some(at("2026-11-28T05:00:00Z")));
    assert_eq!(
        held_until(first, seeded, seven, at("2026-11-28T05:00:00Z")),
        None
    );
    // The shop's own products, and "at the next sync", are never held.
    assert_eq!(held_until(first, Some(first), seven, first), None);
    assert_eq!(
        held_until(first, seeded, NewProductPolicy::NextCycle, first),
        None
    );
}

fn failed(code: &str, last_seen: DateTime<Utc>) -> FindingRow {
    FindingRow {
        id: 1,
        finding: Finding {
            key: format!("write_failed:{code}"),
            kind: "write_failed".into(),
            code: Some(ProductCode::from(code)),
            message: "refused".into(),
            what_to_fix: String::new(),
            detail: None,
        },
        first_seen: last_seen,
        last_seen,
        seen_count: 1,
        resolved_at: None,
        run: None,
    }
}

fn wrote(code: &str, at: DateTime<Utc>) -> AuditEntry {
    AuditEntry {
        id: 1,
        change: StockChange {
            at,
            code: ProductCode::from(code),
            inventory_item_id: None,
            before: Some(1),
            after: 2,
            reason: String::new(),
            source: "sync".into(),
            run: None,
        },
    }
}

/// A product whose latest write Shopify refused shows as failed until a write goes through.
#[test]
fn a_refused_write_shows_as_failed_until_a_later_write() {
    let t = Utc::now();
    let findings = [failed("A", t), failed("B", t)];
    let audit = [
        wrote("B", t + TimeDelta::seconds(5)),
        wrote("A", t - TimeDelta::hours(1)),
    ];
    let codes = failed_writes(&findings, &audit);
    assert!(codes.contains("A"));
    assert!(!codes.contains("B"), "written after the refusal");
}
