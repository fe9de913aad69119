//! The cadence each service's documented limit allows, table-driven.

use std::time::Duration;

use punte_billing::limit::Rate;
use punte_billing::{ServiceKind, StockPaging};

use super::*;

fn smartbill() -> StockPaging {
    StockPaging {
        page_size: None,
        limit: Rate::new(30, Duration::from_secs(10)),
        paced: Rate::new(27, Duration::from_secs(11)),
    }
}

fn oblio() -> StockPaging {
    StockPaging {
        page_size: Some(250),
        limit: Rate::new(30, Duration::from_secs(10)),
        paced: Rate::new(27, Duration::from_secs(11)),
    }
}

fn fgo() -> StockPaging {
    StockPaging {
        page_size: Some(200),
        limit: Rate::new(1, Duration::from_secs(30)),
        paced: Rate::new(1, Duration::from_secs(32)),
    }
}

/// (service, paging, products, share %) → (pages, sweep s, calls/h, used ‰).
type Case = (
    &'static str,
    StockPaging,
    Option<usize>,
    u8,
    (u64, f64, f64, f64),
);

#[test]
fn cadence_per_service_and_size() {
    // (service, paging, products, share %) → (pages, sweep s, calls/h, used ‰)
    let cases: [Case; 8] = [
        // One call answers the whole warehouse: every 20 s whatever its size, 1.7 % of 30/10 s.
        (
            "smartbill 20k",
            smartbill(),
            Some(20_000),
            50,
            (1, 20.0, 180.0, 16.7),
        ),
        (
            "smartbill 10",
            smartbill(),
            Some(10),
            50,
            (1, 20.0, 180.0, 16.7),
        ),
        // 80 pages at half of 3/s: a sweep in 53 s, 5,400 calls/h.
        (
            "oblio 20k",
            oblio(),
            Some(20_000),
            50,
            (80, 53.3, 5400.0, 500.0),
        ),
        // A small warehouse wants less than its share.
        ("oblio 1k", oblio(), Some(1_000), 50, (4, 20.0, 720.0, 66.7)),
        // All of the share never passes the client's own pacing (27/11 s).
        (
            "oblio 20k all",
            oblio(),
            Some(20_000),
            100,
            (80, 32.6, 8836.4, 818.2),
        ),
        // 100 pages at FGO's 1/30 s (paced 1/32 s): 53 minutes.
        (
            "fgo 20k",
            fgo(),
            Some(20_000),
            100,
            (100, 3200.0, 112.5, 937.5),
        ),
        (
            "fgo 20k half",
            fgo(),
            Some(20_000),
            50,
            (100, 6000.0, 60.0, 500.0),
        ),
        // Before the first read the size is unknown: one page.
        ("fgo unknown", fgo(), None, 100, (1, 32.0, 112.5, 937.5)),
    ];
    for (name, paging, products, share, (pages, sweep, per_hour, permille)) in cases {
        let c = cadence(&paging, products, share);
        assert_eq!(c.pages, pages, "{name}");
        assert!((c.sweep.as_secs_f64() - sweep).abs() < 0.1, "{name}: {c:?}");
        assert!((c.calls_per_hour() - per_hour).abs() < 0.1, "{name}: {c:?}");
        assert!((c.used * 1000.0 - permille).abs() < 0.1, "{name}: {c:?}");
    }
}

#[test]
fn defaults_and_status() {
    assert_eq!(default_share(ServiceKind::SmartBill), 50);
    assert_eq!(default_share(ServiceKind::Oblio), 60);
    assert_eq!(default_share(ServiceKind::Fgo), 100);
    let c = cadence(&oblio(), Some(20_000), 50);
    let s = FreshnessStatus::of(ServiceKind::Oblio, &oblio(), &c, 50, Some(20_000));
    assert_eq!(
        (
            s.service.as_str(),
            s.used_permille,
            s.limit_calls,
            s.limit_seconds
        ),
        ("oblio", 500, 30, 10)
    );
    assert_eq!(
        (s.calls_per_hour, s.look_seconds, s.sweep_seconds),
        (5400, 10, 54)
    );
}
