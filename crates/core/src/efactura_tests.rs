//! The SPV countdown across weekends and Romanian public holidays, as a table.

use chrono::NaiveDate;
use rstest::rstest;

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

#[rstest]
#[case(2024, "2024-05-05")]
#[case(2025, "2025-04-20")]
#[case(2026, "2026-04-12")]
#[case(2027, "2027-05-02")]
#[case(2030, "2030-04-28")]
fn orthodox_easter_matches_the_calendar(#[case] year: i32, #[case] easter: &str) {
    assert_eq!(orthodox_easter(year), d(easter));
}

#[rstest]
#[case("2026-01-06", true)] // Boboteaza (since 2024)
#[case("2026-01-07", true)] // Sf. Ioan (since 2024)
#[case("2026-01-24", true)]
#[case("2026-04-10", true)] // Orthodox Good Friday
#[case("2026-04-13", true)] // Easter Monday
#[case("2026-05-31", true)] // Rusalii
#[case("2026-06-01", true)] // Whit Monday and Children's Day
#[case("2026-11-30", true)]
#[case("2026-12-26", true)]
#[case("2026-04-14", false)]
#[case("2026-12-04", false)]
fn public_holidays(#[case] date: &str, #[case] holiday: bool) {
    assert_eq!(is_public_holiday(d(date)), holiday, "{date}");
}

#[rstest]
// Monday: the fifth working day is the next Monday (one weekend).
#[case("2026-03-02", "2026-03-09")]
// Friday: weekend, then five plain days.
#[case("2026-03-06", "2026-03-13")]
// Wednesday before Orthodox Easter: Good Friday, the weekend and Easter Monday skipped.
#[case("2026-04-08", "2026-04-17")]
// Friday before 30 November and 1 December.
#[case("2026-11-27", "2026-12-08")]
// Christmas Eve: 25–26 December, the weekend, 1–2 January.
#[case("2026-12-24", "2027-01-04")]
// Thursday before Rusalii (Sunday 31 May) and Whit Monday 1 June.
#[case("2026-05-28", "2026-06-05")]
// Issued on a Saturday: counting starts on Monday.
#[case("2026-03-07", "2026-03-13")]
fn deadline_is_the_fifth_working_day(#[case] issued: &str, #[case] deadline: &str) {
    assert_eq!(spv_deadline(d(issued)), d(deadline), "issued {issued}");
}

#[rstest]
#[case("2026-11-27", "2026-11-27", 5, false)]
#[case("2026-11-27", "2026-11-30", 5, false)] // a holiday does not count down
#[case("2026-11-27", "2026-12-04", 2, false)]
#[case("2026-11-27", "2026-12-05", 2, false)] // Saturday
#[case("2026-11-27", "2026-12-07", 1, true)]
#[case("2026-11-27", "2026-12-08", 0, true)]
#[case("2026-11-27", "2026-12-09", -1, true)]
#[case("2026-11-27", "2026-12-14", -4, true)]
fn countdown(#[case] issued: &str, #[case] today: &str, #[case] left: i64, #[case] close: bool) {
    let c = Countdown::new(d(issued), d(today));
    assert_eq!(c.deadline, d("2026-12-08"));
    assert_eq!(c.working_days_left, left, "today {today}");
    assert_eq!(c.is_close(), close, "today {today}");
}

#[test]
fn states_have_stable_codes_and_only_final_ones_settle() {
    let rejected = SpvState::Rejected {
        reason: "BR-RO-100".into(),
    };
    let by = SpvState::SentByService {
        service: "SmartBill".into(),
        link: None,
    };
    let codes: Vec<_> = [
        SpvState::NotSent,
        SpvState::InProgress,
        SpvState::Accepted,
        rejected.clone(),
        by.clone(),
    ]
    .iter()
    .map(SpvState::code)
    .collect();
    assert_eq!(
        codes,
        [
            "not_sent",
            "in_progress",
            "accepted",
            "rejected",
            "sent_by_service"
        ]
    );
    assert!(SpvState::Accepted.is_settled() && by.is_settled());
    assert!(!rejected.is_settled() && rejected.awaits_spv());
    assert!(!SpvState::InProgress.is_settled());
}
