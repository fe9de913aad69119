//! Shopify's own clock as its answers tell it: the HTTP `Date` header, which every origin server
//! with a clock sends (RFC 9110 §6.6.1, IMF-fixdate, whole seconds). The newest one seen is a
//! lower bound of Shopify's time for any request sent after it, so a changed-since read can
//! tell how old a second is on Shopify's clock, never the PC's (see `changed`).

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDateTime, Utc};
use reqwest::header::{DATE, HeaderMap};

/// No `Date` seen yet.
const NONE: i64 = i64::MIN;

/// The newest `Date` among the answers received, in Unix seconds.
#[derive(Debug)]
pub(crate) struct ServerClock(AtomicI64);

impl Default for ServerClock {
    fn default() -> Self {
        Self(AtomicI64::new(NONE))
    }
}

impl ServerClock {
    /// Takes the answer's `Date` into account (an absent or malformed one is ignored).
    pub fn observe(&self, headers: &HeaderMap) {
        if let Some(t) = headers
            .get(DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(http_date)
        {
            self.0.fetch_max(t.timestamp(), Ordering::Relaxed);
        }
    }

    /// The newest `Date` seen, or `None` before any answer carried one.
    pub fn newest(&self) -> Option<DateTime<Utc>> {
        match self.0.load(Ordering::Relaxed) {
            NONE => None,
            secs => DateTime::from_timestamp(secs, 0),
        }
    }
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form senders must use.
fn http_date(s: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(s.trim(), "%a, %d %b %Y %H:%M:%S GMT")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn with_date(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(DATE, HeaderValue::from_str(v).expect("header"));
        h
    }

    #[test]
    fn keeps_the_newest_date_and_ignores_what_it_cannot_read() {
        let c = ServerClock::default();
        assert_eq!(c.newest(), None);
        c.observe(&HeaderMap::new());
        c.observe(&with_date("yesterday"));
        assert_eq!(c.newest(), None);
        c.observe(&with_date("Fri, 04 Dec 2026 10:00:05 GMT"));
        // An older answer (another server, a reordered reply) never moves it back.
        c.observe(&with_date("Fri, 04 Dec 2026 09:59:00 GMT"));
        let want = DateTime::parse_from_rfc3339("2026-12-04T10:00:05Z").expect("time");
        assert_eq!(c.newest(), Some(want.to_utc()));
    }
}
