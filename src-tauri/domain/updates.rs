//! When CubeDesk looks for a new version: at start, at most once a day.

use chrono::{DateTime, Duration, Utc};

pub fn check_interval() -> Duration {
    Duration::hours(24)
}

/// Whether a start at `now` should look for an update, given when it last looked (`None`: never,
/// or the record could not be read). A record in the future means the clock was moved back:
/// looking again is safer than waiting until the clock catches up.
pub fn check_due(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    match last {
        None => true,
        Some(last) if last > now => true,
        Some(last) => now - last >= check_interval(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn once_a_day_at_most() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        assert!(check_due(None, now), "never looked");
        assert!(!check_due(Some(now), now), "just looked");
        assert!(!check_due(Some(now - Duration::hours(23) - Duration::minutes(59)), now));
        assert!(check_due(Some(now - Duration::hours(24)), now), "exactly a day");
        assert!(check_due(Some(now - Duration::days(30)), now));
        assert!(check_due(Some(now + Duration::minutes(1)), now), "the clock went back");
    }
}
