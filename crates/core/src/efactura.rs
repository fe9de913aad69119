//! e-Factura (ANAF's SPV) as the merchant sees it per invoice: its state where the billing
//! service shows one, and the legal countdown: every invoice, B2C included, must reach SPV within
//! five working days of its issue date (OUG 120/2021 art. 10, as amended by OUG 115/2023), so the
//! countdown skips weekends and Romania's public holidays (Codul muncii art. 139: the fixed
//! days, plus Orthodox Good Friday, Easter and Whit Sunday/Monday computed per year). Pure:
//! the date is passed in.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Working days the law allows between issuing an invoice and its upload to SPV.
pub const SPV_WORKING_DAYS: u64 = 5;
/// At or below this many working days left, a not-accepted invoice is "close to its deadline".
pub const CLOSE_WORKING_DAYS: i64 = 1;

/// An invoice's SPV state, as far as the billing service's API tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SpvState {
    /// The billing service has not sent it to SPV yet.
    NotSent,
    /// Uploaded; ANAF has not answered yet.
    InProgress,
    /// ANAF validated it.
    Accepted,
    /// ANAF refused it; `reason` is the service's text (ANAF's errors).
    Rejected { reason: String },
    /// The service's API shows no SPV state: the service sends it (its own e-Factura setting)
    /// and the merchant checks there; `link` opens the document.
    SentByService {
        service: String,
        link: Option<String>,
    },
}

impl SpvState {
    /// Stable code for storage, filters and the UI ("not_sent", "in_progress", …).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotSent => "not_sent",
            Self::InProgress => "in_progress",
            Self::Accepted => "accepted",
            Self::Rejected { .. } => "rejected",
            Self::SentByService { .. } => "sent_by_service",
        }
    }

    /// Whether reading again can change nothing Punte shows: accepted, or a service that shows
    /// no state. A rejected invoice is read again (the merchant may correct and resend it).
    #[must_use]
    pub fn is_settled(&self) -> bool {
        matches!(self, Self::Accepted | Self::SentByService { .. })
    }

    /// Whether the legal countdown still matters (ANAF has not accepted it, as far as we know).
    #[must_use]
    pub fn awaits_spv(&self) -> bool {
        matches!(
            self,
            Self::NotSent | Self::InProgress | Self::Rejected { .. }
        )
    }
}

/// Orthodox Easter Sunday (Gregorian date) of `year`: Meeus' Julian computus plus the Julian →
/// Gregorian offset.
#[must_use]
pub fn orthodox_easter(year: i32) -> NaiveDate {
    let (a, b, c) = (year % 4, year % 7, year % 19);
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    let julian = NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or(NaiveDate::MIN);
    // Days between the Julian and Gregorian calendars: 13 for 1900–2099.
    let century = i64::from(year / 100);
    julian + Days::new(u64::try_from(century - century / 4 - 2).unwrap_or(13))
}

/// Fixed public holidays (month, day), Codul muncii art. 139 (6 and 7 January since 2024).
const FIXED_HOLIDAYS: [(u32, u32); 11] = [
    (1, 1),
    (1, 2),
    (1, 6),
    (1, 7),
    (1, 24),
    (5, 1),
    (6, 1),
    (8, 15),
    (11, 30),
    (12, 1),
    (12, 25),
];

/// Whether `date` is a Romanian public holiday (non-working by law).
#[must_use]
pub fn is_public_holiday(date: NaiveDate) -> bool {
    let (m, d) = (date.month(), date.day());
    if FIXED_HOLIDAYS.contains(&(m, d)) || (m, d) == (12, 26) {
        return true;
    }
    let easter = orthodox_easter(date.year());
    // Good Friday, Easter Sunday and Monday, Whit (Rusalii) Sunday and Monday.
    [-2_i64, 0, 1, 49, 50]
        .iter()
        .any(|off| easter.checked_add_signed(chrono::TimeDelta::days(*off)) == Some(date))
}

/// Whether `date` is a working day: not a weekend, not a public holiday.
#[must_use]
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(date)
}

/// The last day an invoice issued on `issued` may reach SPV: the fifth working day after it.
#[must_use]
pub fn spv_deadline(issued: NaiveDate) -> NaiveDate {
    let mut day = issued;
    let mut counted = 0;
    while counted < SPV_WORKING_DAYS {
        day = day.succ_opt().unwrap_or(day);
        if is_working_day(day) {
            counted += 1;
        }
    }
    day
}

/// The countdown for one invoice on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Countdown {
    pub deadline: NaiveDate,
    /// Working days after `today` up to the deadline; 0 on the deadline itself, negative once
    /// past it (the working days overdue).
    pub working_days_left: i64,
}

impl Countdown {
    /// The countdown of an invoice issued on `issued`, seen on `today` (both Bucharest dates).
    #[must_use]
    pub fn new(issued: NaiveDate, today: NaiveDate) -> Self {
        let deadline = spv_deadline(issued);
        let left = if today <= deadline {
            working_days_between(today, deadline)
        } else {
            -working_days_between(deadline, today)
        };
        Self {
            deadline,
            working_days_left: left,
        }
    }

    /// At most [`CLOSE_WORKING_DAYS`] left, or past the deadline.
    #[must_use]
    pub fn is_close(&self) -> bool {
        self.working_days_left <= CLOSE_WORKING_DAYS
    }
}

/// Working days in `(from, to]`.
fn working_days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    from.iter_days()
        .skip(1)
        .take_while(|d| *d <= to)
        .filter(|d| is_working_day(*d))
        .count() as i64
}

#[cfg(test)]
#[path = "efactura_tests.rs"]
mod tests;
