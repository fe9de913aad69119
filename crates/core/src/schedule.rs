//! Schedules on Bucharest time, DST-correct: stock sync for existing products every N minutes,
//! new products at the next cycle or "the next day after 07:00" (the xConnector rule), order
//! import every M minutes and a daily full reconciliation. Pure functions of `now` and the last
//! runs: "what is due now" and "when is the next run".

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The shop's and the billing service's time zone.
pub const BUCHAREST: Tz = chrono_tz::Europe::Bucharest;

/// When a product seen for the first time joins the stock sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "policy", rename_all = "snake_case")]
pub enum NewProductPolicy {
    /// At the next stock-sync cycle.
    #[default]
    NextCycle,
    /// On the Bucharest day after it was first seen, from this local time (xConnector: 07:00).
    NextDayAfter { local_time: NaiveTime },
}

/// The merchant's schedule settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleSettings {
    pub stock_sync_every_minutes: u32,
    pub new_products: NewProductPolicy,
    pub order_import_every_minutes: u32,
    /// Bucharest wall-clock time of the daily full reconciliation.
    pub reconciliation_at: NaiveTime,
}

impl Default for ScheduleSettings {
    fn default() -> Self {
        Self {
            stock_sync_every_minutes: 15,
            new_products: NewProductPolicy::NextCycle,
            order_import_every_minutes: 5,
            reconciliation_at: NaiveTime::from_hms_opt(3, 0, 0).expect("03:00 is a valid time"),
        }
    }
}

/// A setting the scheduler cannot work with.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
pub enum ScheduleError {
    #[error("{field} must be at least 1 minute (got {minutes})")]
    IntervalTooShort { field: &'static str, minutes: u32 },
}

impl ScheduleSettings {
    /// Checks the intervals (minimum 1 minute each).
    pub fn validate(&self) -> Result<(), ScheduleError> {
        for (field, minutes) in [
            ("stock_sync_every_minutes", self.stock_sync_every_minutes),
            (
                "order_import_every_minutes",
                self.order_import_every_minutes,
            ),
        ] {
            if minutes < 1 {
                return Err(ScheduleError::IntervalTooShort { field, minutes });
            }
        }
        Ok(())
    }
}

/// A recurring job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Job {
    StockSync,
    OrderImport,
    Reconciliation,
}

/// When each job last ran (started); `None` if never.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastRuns {
    pub stock_sync: Option<DateTime<Utc>>,
    pub order_import: Option<DateTime<Utc>>,
    pub reconciliation: Option<DateTime<Utc>>,
}

/// When `job` should next run. A job that never ran is due at once; an interval counts real
/// minutes, so DST changes neither shorten nor lengthen it.
#[must_use]
pub fn next_run(
    job: Job,
    settings: &ScheduleSettings,
    last: &LastRuns,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let every = |minutes: u32| TimeDelta::minutes(i64::from(minutes.max(1)));
    match job {
        Job::StockSync => last
            .stock_sync
            .map_or(now, |t| t + every(settings.stock_sync_every_minutes)),
        Job::OrderImport => last
            .order_import
            .map_or(now, |t| t + every(settings.order_import_every_minutes)),
        Job::Reconciliation => last.reconciliation.map_or(now, |t| {
            next_local_time_after(t, settings.reconciliation_at)
        }),
    }
}

/// The jobs due at `now`, in `Job` order.
#[must_use]
pub fn due(settings: &ScheduleSettings, last: &LastRuns, now: DateTime<Utc>) -> Vec<Job> {
    [Job::StockSync, Job::OrderImport, Job::Reconciliation]
        .into_iter()
        .filter(|&job| next_run(job, settings, last, now) <= now)
        .collect()
}

/// The earliest next run of any job: how long the engine may sleep.
#[must_use]
pub fn next_wakeup(
    settings: &ScheduleSettings,
    last: &LastRuns,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    [Job::StockSync, Job::OrderImport, Job::Reconciliation]
        .into_iter()
        .map(|job| next_run(job, settings, last, now))
        .min()
        .unwrap_or(now)
}

/// From when a product first seen at `first_seen` may be synced.
#[must_use]
pub fn new_product_eligible_at(
    first_seen: DateTime<Utc>,
    policy: NewProductPolicy,
) -> DateTime<Utc> {
    match policy {
        NewProductPolicy::NextCycle => first_seen,
        NewProductPolicy::NextDayAfter { local_time } => {
            let today = first_seen.with_timezone(&BUCHAREST).date_naive();
            let tomorrow = today.checked_add_days(Days::new(1)).unwrap_or(today);
            bucharest_instant(tomorrow, local_time)
        }
    }
}

/// Whether a product first seen at `first_seen` is in the stock sync that runs at `now`.
#[must_use]
pub fn new_product_in_scope(
    first_seen: DateTime<Utc>,
    policy: NewProductPolicy,
    now: DateTime<Utc>,
) -> bool {
    new_product_eligible_at(first_seen, policy) <= now
}

/// The first instant strictly after `after` at which Bucharest clocks show `time`.
#[must_use]
pub fn next_local_time_after(after: DateTime<Utc>, time: NaiveTime) -> DateTime<Utc> {
    let mut day = after.with_timezone(&BUCHAREST).date_naive();
    loop {
        let candidate = bucharest_instant(day, time);
        if candidate > after {
            return candidate;
        }
        day = day.checked_add_days(Days::new(1)).unwrap_or(day);
    }
}

/// The instant Bucharest clocks show `time` on `date`. In the spring gap (03:00–03:59 does not
/// exist) the time is read with the offset before the gap, so 03:00 becomes 04:00 EEST; in the
/// autumn overlap (03:00–03:59 happens twice) the earlier one is taken, so a daily job runs once.
#[must_use]
pub fn bucharest_instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = date.and_time(time);
    if let Some(t) = BUCHAREST.from_local_datetime(&local).earliest() {
        return t.with_timezone(&Utc);
    }
    // Bucharest's gap is one hour: an hour earlier is a valid time with the pre-gap offset.
    let before = BUCHAREST
        .from_local_datetime(&(local - TimeDelta::hours(1)))
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc));
    before + TimeDelta::hours(1)
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
