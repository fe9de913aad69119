//! Schedule tests on real Bucharest dates, including both 2026 DST changes
//! (29 March: 03:00 EET → 04:00 EEST; 25 October: 04:00 EEST → 03:00 EET).

use super::*;
use rstest::rstest;

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("test instants are RFC 3339")
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid test time")
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("valid test date")
}

#[rstest]
#[case::summer_eest("2026-07-01", hm(3, 0), "2026-07-01T00:00:00Z")]
#[case::winter_eet("2026-01-15", hm(3, 0), "2026-01-15T01:00:00Z")]
#[case::spring_gap_moves_to_0400_eest("2026-03-29", hm(3, 0), "2026-03-29T01:00:00Z")]
#[case::spring_gap_half_past("2026-03-29", hm(3, 30), "2026-03-29T01:30:00Z")]
#[case::spring_before_gap("2026-03-29", hm(2, 59), "2026-03-29T00:59:00Z")]
#[case::autumn_overlap_takes_first("2026-10-25", hm(3, 0), "2026-10-25T00:00:00Z")]
#[case::autumn_after_overlap("2026-10-25", hm(7, 0), "2026-10-25T05:00:00Z")]
fn bucharest_wall_clock(#[case] day: &str, #[case] time: NaiveTime, #[case] expected: &str) {
    assert_eq!(bucharest_instant(date(day), time), utc(expected));
}

#[rstest]
#[case::never_ran(None, "2026-09-01T10:00:00Z", true, "2026-09-01T10:00:00Z")]
#[case::just_ran(
    Some("2026-09-01T09:50:00Z"),
    "2026-09-01T10:00:00Z",
    false,
    "2026-09-01T10:05:00Z"
)]
#[case::exactly_due(
    Some("2026-09-01T09:45:00Z"),
    "2026-09-01T10:00:00Z",
    true,
    "2026-09-01T10:00:00Z"
)]
#[case::overdue_after_sleep(
    Some("2026-09-01T02:00:00Z"),
    "2026-09-01T10:00:00Z",
    true,
    "2026-09-01T02:15:00Z"
)]
#[case::across_spring_dst(
    Some("2026-03-29T00:50:00Z"),
    "2026-03-29T01:00:00Z",
    false,
    "2026-03-29T01:05:00Z"
)]
fn stock_sync_every_15_minutes(
    #[case] last: Option<&str>,
    #[case] now: &str,
    #[case] is_due: bool,
    #[case] next: &str,
) {
    let settings = ScheduleSettings::default();
    let last = LastRuns {
        stock_sync: last.map(utc),
        ..LastRuns::default()
    };
    assert_eq!(
        next_run(Job::StockSync, &settings, &last, utc(now)),
        utc(next)
    );
    assert_eq!(
        due(&settings, &last, utc(now)).contains(&Job::StockSync),
        is_due
    );
}

#[rstest]
#[case::order_import_interval(Job::OrderImport, 7, "2026-09-01T10:07:00Z")]
#[case::stock_interval(Job::StockSync, 1, "2026-09-01T10:01:00Z")]
fn configurable_intervals(#[case] job: Job, #[case] minutes: u32, #[case] next: &str) {
    let settings = ScheduleSettings {
        stock_sync_every_minutes: minutes,
        order_import_every_minutes: minutes,
        ..ScheduleSettings::default()
    };
    let start = utc("2026-09-01T10:00:00Z");
    let last = LastRuns {
        stock_sync: Some(start),
        order_import: Some(start),
        reconciliation: None,
    };
    assert_eq!(next_run(job, &settings, &last, start), utc(next));
}

#[rstest]
#[case::zero_stock_interval(0, 5, Some("stock_sync_every_minutes"))]
#[case::zero_order_interval(15, 0, Some("order_import_every_minutes"))]
#[case::one_minute_is_fine(1, 1, None)]
fn intervals_are_at_least_a_minute(
    #[case] stock: u32,
    #[case] orders: u32,
    #[case] bad_field: Option<&str>,
) {
    let settings = ScheduleSettings {
        stock_sync_every_minutes: stock,
        order_import_every_minutes: orders,
        ..ScheduleSettings::default()
    };
    let got = settings
        .validate()
        .err()
        .map(|ScheduleError::IntervalTooShort { field, .. }| field);
    assert_eq!(got, bad_field);
}

#[rstest]
#[case::later_same_night("2026-09-01T00:30:00Z", "2026-09-02T00:00:00Z")]
#[case::before_today_run("2026-08-31T12:00:00Z", "2026-09-01T00:00:00Z")]
#[case::into_spring_gap("2026-03-28T01:00:00Z", "2026-03-29T01:00:00Z")]
#[case::into_autumn_overlap_once("2026-10-24T00:00:00Z", "2026-10-25T00:00:00Z")]
#[case::after_autumn_overlap_run("2026-10-25T00:00:00Z", "2026-10-26T01:00:00Z")]
fn daily_reconciliation_at_0300_local(#[case] last: &str, #[case] next: &str) {
    let settings = ScheduleSettings::default();
    let now = utc(last);
    let last = LastRuns {
        reconciliation: Some(now),
        ..LastRuns::default()
    };
    assert_eq!(
        next_run(Job::Reconciliation, &settings, &last, now),
        utc(next)
    );
}

#[test]
fn reconciliation_runs_once_in_the_autumn_overlap() {
    let settings = ScheduleSettings::default();
    let first = utc("2026-10-25T00:00:00Z"); // 03:00 EEST, the first 03:00 that night
    let last = LastRuns {
        reconciliation: Some(first),
        ..LastRuns::default()
    };
    let second_0300 = utc("2026-10-25T01:00:00Z"); // 03:00 EET, clocks show 03:00 again
    assert!(!due(&settings, &last, second_0300).contains(&Job::Reconciliation));
}

#[rstest]
#[case::next_cycle(
    NewProductPolicy::NextCycle,
    "2026-09-01T10:00:00Z",
    "2026-09-01T10:00:00Z"
)]
#[case::next_day_summer(seven(), "2026-09-01T10:00:00Z", "2026-09-02T04:00:00Z")]
#[case::local_date_not_utc_date(seven(), "2026-09-01T22:30:00Z", "2026-09-03T04:00:00Z")]
#[case::next_day_winter(seven(), "2026-12-01T10:00:00Z", "2026-12-02T05:00:00Z")]
#[case::next_day_is_spring_dst(seven(), "2026-03-28T12:00:00Z", "2026-03-29T04:00:00Z")]
#[case::next_day_is_autumn_dst(seven(), "2026-10-24T12:00:00Z", "2026-10-25T05:00:00Z")]
fn new_products_join_per_policy(
    #[case] policy: NewProductPolicy,
    #[case] first_seen: &str,
    #[case] eligible: &str,
) {
    let eligible_at = new_product_eligible_at(utc(first_seen), policy);
    assert_eq!(eligible_at, utc(eligible));
    assert!(new_product_in_scope(utc(first_seen), policy, eligible_at));
    assert!(!new_product_in_scope(
        utc(first_seen),
        policy,
        eligible_at - TimeDelta::seconds(1)
    ));
}

fn seven() -> NewProductPolicy {
    NewProductPolicy::NextDayAfter {
        local_time: hm(7, 0),
    }
}

#[test]
fn due_lists_jobs_and_wakeup_is_the_earliest() {
    let settings = ScheduleSettings::default();
    let now = utc("2026-09-01T10:00:00Z");
    let last = LastRuns {
        stock_sync: Some(utc("2026-09-01T09:44:00Z")),
        order_import: Some(utc("2026-09-01T09:58:00Z")),
        reconciliation: Some(utc("2026-09-01T00:00:00Z")),
    };
    assert_eq!(due(&settings, &last, now), [Job::StockSync]);
    let after = LastRuns {
        stock_sync: Some(now),
        ..last
    };
    assert!(due(&settings, &after, now).is_empty());
    assert_eq!(
        next_wakeup(&settings, &after, now),
        utc("2026-09-01T10:03:00Z")
    );
}

proptest::proptest! {
    /// The next daily run is after `after`, at most one (25-hour) day later, and shows the
    /// wanted wall-clock time in Bucharest, or the time an hour later when it fell in the
    /// spring gap.
    #[test]
    fn next_local_time_is_the_wanted_wall_clock(
        secs in 1_577_836_800i64..2_051_222_400, // 2020-01-01 .. 2035-01-01
        hour in 0u32..24,
        minute in 0u32..60,
    ) {
        use chrono::Timelike;
        let after = DateTime::from_timestamp(secs, 0).unwrap();
        let time = hm(hour, minute);
        let next = next_local_time_after(after, time);
        proptest::prop_assert!(next > after);
        proptest::prop_assert!(next - after <= TimeDelta::hours(25));
        let shown = next.with_timezone(&BUCHAREST).time();
        let in_gap = shown == time + TimeDelta::hours(1);
        proptest::prop_assert!(shown == time || in_gap, "{next} shows {shown}, wanted {time}");
        if in_gap {
            let day = next.with_timezone(&BUCHAREST).date_naive();
            proptest::prop_assert!(BUCHAREST.from_local_datetime(&day.and_time(time)).earliest().is_none());
        }
        proptest::prop_assert_eq!(shown.second(), 0);
    }
}
