//! The held order's review text: the time of the last good VAT read is shown in Bucharest's
//! wall-clock time (summer and winter), never in UTC.

use chrono::{TimeZone, Utc};
use punte_core::vat_check::CompanyVat;

use super::words;
use crate::vat_cache::{FailedRead, KnownVat};

fn known(read_at: chrono::DateTime<Utc>) -> KnownVat {
    KnownVat {
        vat: Some(CompanyVat {
            rates: Vec::new(),
            payer: None,
            read_at,
        }),
        failed: Some(FailedRead {
            at: read_at,
            code: "billing.unavailable".into(),
            message: "down".into(),
        }),
    }
}

#[test]
fn the_last_read_is_shown_in_bucharest_time() {
    // (UTC instant, what the merchant reads)
    let table = [
        // Winter: UTC+2.
        (
            Utc.with_ymd_and_hms(2026, 1, 15, 22, 30, 0),
            "2026-01-16 00:30",
        ),
        // Summer: UTC+3.
        (
            Utc.with_ymd_and_hms(2026, 7, 1, 9, 5, 0),
            "2026-07-01 12:05",
        ),
        // The night the clocks go forward (29 March 2026, 03:00 → 04:00 local).
        (
            Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0),
            "2026-03-29 04:00",
        ),
    ];
    for (at, shown) in table {
        let text = words(&[], &[], "FGO", &known(at.unwrap()));
        assert!(text.contains(shown), "{shown} not in {text}");
        assert!(!text.contains("UTC"), "{text}");
        let (ro, en) = text.split_once(" / ").unwrap();
        assert!(
            ro.contains("ora României") && en.contains("Romania time"),
            "{text}"
        );
    }
}
