//! The simulator's own clock: the real clock plus an offset that `/_sim/clock` only moves forward.
//! Every time the simulator shows (bodies, `Date` header, webhook payloads) comes from here, so a
//! client that corrects its clock by the `Date` header sees simulated time.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::SystemTime;

use chrono::{DateTime, Duration, SecondsFormat, Utc};

#[derive(Debug, Default)]
pub(crate) struct SimClock {
    offset_ms: AtomicI64,
}

impl SimClock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset()
    }

    pub fn offset(&self) -> Duration {
        Duration::milliseconds(self.offset_ms.load(Ordering::SeqCst))
    }

    /// Moves the clock forward by `ms` milliseconds.
    pub fn advance_ms(&self, ms: i64) {
        self.offset_ms.fetch_add(ms.max(0), Ordering::SeqCst);
    }
}

/// Timestamps in API bodies: `2026-02-26T14:00:00Z`.
pub(crate) fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Timestamps in webhook payloads carry a numeric offset (`+00:00`), as the documented examples
/// do; clients must read both spellings.
pub(crate) fn iso_offset(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// The RFC 7231 `Date` header value for `t`.
pub(crate) fn http_date(t: DateTime<Utc>) -> String {
    httpdate::fmt_http_date(SystemTime::from(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn formats() {
        let t = Utc.with_ymd_and_hms(2026, 2, 26, 14, 0, 0).unwrap();
        assert_eq!(iso(t), "2026-02-26T14:00:00Z");
        assert_eq!(iso_offset(t), "2026-02-26T14:00:00+00:00");
        assert_eq!(http_date(t), "Thu, 26 Feb 2026 14:00:00 GMT");
    }

    #[test]
    fn advancing_moves_now_and_never_backwards() {
        let c = SimClock::default();
        c.advance_ms(3_600_000);
        assert_eq!(c.offset(), Duration::hours(1));
        c.advance_ms(-5);
        assert_eq!(c.offset(), Duration::hours(1));
        assert!(c.now() > Utc::now() + Duration::minutes(59));
    }
}
