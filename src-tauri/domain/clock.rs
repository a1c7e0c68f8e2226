//! Time as the rules see it: an injected clock, and the correction of the local clock by the
//! offset CubeConnect's `Date` header reveals (contract decision 9).

use chrono::{DateTime, Duration, Utc};

/// Where "now" comes from. Production uses [`SystemClock`]; tests pin time with [`FixedClock`].
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// How far the service's clock is ahead of ours (negative when behind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClockOffset(pub Duration);

impl ClockOffset {
    /// The offset seen in one response: the service said `server_date` when our clock read
    /// `local_at_response`. The `Date` header has whole-second precision, so offsets under a
    /// second are noise and are dropped rather than applied.
    pub fn from_date_header(server_date: DateTime<Utc>, local_at_response: DateTime<Utc>) -> Self {
        let raw = server_date - local_at_response;
        if raw.num_milliseconds().abs() < 1000 {
            ClockOffset(Duration::zero())
        } else {
            ClockOffset(raw)
        }
    }

    /// The service's idea of `local_now`.
    pub fn correct(self, local_now: DateTime<Utc>) -> DateTime<Utc> {
        local_now + self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, h, m, s).unwrap()
    }

    #[test]
    fn offset_is_server_minus_local() {
        let off = ClockOffset::from_date_header(t(12, 5, 0), t(12, 0, 0));
        assert_eq!(off.0, Duration::minutes(5));
        assert_eq!(off.correct(t(13, 0, 0)), t(13, 5, 0));
    }

    #[test]
    fn a_server_behind_us_gives_a_negative_offset() {
        let off = ClockOffset::from_date_header(t(11, 58, 0), t(12, 0, 0));
        assert_eq!(off.correct(t(12, 0, 0)), t(11, 58, 0));
    }

    #[test]
    fn sub_second_offsets_are_ignored_as_header_rounding() {
        let local = t(12, 0, 0) + Duration::milliseconds(999);
        assert_eq!(ClockOffset::from_date_header(t(12, 0, 0), local).0, Duration::zero());
        let local = t(12, 0, 0) + Duration::milliseconds(1000);
        assert_eq!(
            ClockOffset::from_date_header(t(12, 0, 0), local).0,
            Duration::milliseconds(-1000)
        );
    }

    #[test]
    fn fixed_clock_returns_its_instant() {
        assert_eq!(FixedClock(t(1, 2, 3)).now(), t(1, 2, 3));
    }
}
