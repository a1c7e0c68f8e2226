//! The archive stores every instant as Unix milliseconds (see the first migration); these convert.

use chrono::{DateTime, TimeZone, Utc};

pub fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or(DateTime::<Utc>::MIN_UTC)
}

pub fn opt_from_ms(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.map(from_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_to_the_millisecond() {
        let t = Utc.with_ymd_and_hms(2026, 2, 26, 14, 0, 0).unwrap() + chrono::Duration::milliseconds(123);
        assert_eq!(to_ms(t), 1_772_114_400_123);
        assert_eq!(from_ms(to_ms(t)), t);
        assert_eq!(opt_from_ms(None), None);
    }
}
