//! Lenient field readers for the service's known inconsistencies: ids that come as a number or
//! a string, numbers sent as strings, and dates with or without an offset.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// An id as an opaque string, whether it came as `4521` or `"01JX..."`.
pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!("expected an id, found {other}"))),
    }
}

pub fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(serde::de::Error::custom(format!("expected an id, found {other}"))),
    }
}

/// A number, also when sent as a numeric string (`"0.0456"`).
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(serde::de::Error::custom),
        Some(other) => Err(serde::de::Error::custom(format!("expected a number, found {other}"))),
    }
}

/// A count, also when sent as a numeric string; absent means 0.
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    Ok(opt_f64(d)?.map(|v| v.max(0.0) as u32).unwrap_or(0))
}

/// A text field that is sometimes a number (`"sender_name": 123`).
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(serde::de::Error::custom(format!("expected text, found {other}"))),
    }
}

/// ISO 8601 with `Z` or an offset, or Laravel's `2026-02-26 14:00:00` (taken as UTC).
pub fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").ok().map(|n| n.and_utc()))
        .or_else(|| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok().map(|n| n.and_utc()))
}

pub fn opt_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => parse_datetime(&s)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("not a date: {s}"))),
        Some(other) => Err(serde::de::Error::custom(format!("expected a date, found {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    #[derive(Deserialize, Debug)]
    struct T {
        #[serde(deserialize_with = "id")]
        id: String,
        #[serde(default, deserialize_with = "opt_f64")]
        cost: Option<f64>,
        #[serde(default, deserialize_with = "opt_datetime")]
        at: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "count")]
        n: u32,
    }

    fn t(v: serde_json::Value) -> Result<T, serde_json::Error> {
        serde_json::from_value(v)
    }

    #[test]
    fn ids_as_numbers_or_strings() {
        assert_eq!(t(json!({"id": 4521})).unwrap().id, "4521");
        assert_eq!(t(json!({"id": "01JXABC"})).unwrap().id, "01JXABC");
        assert!(t(json!({"id": [1]})).is_err());
    }

    #[test]
    fn numbers_as_numbers_or_strings() {
        assert_eq!(t(json!({"id": 1, "cost": "0.0456"})).unwrap().cost, Some(0.0456));
        assert_eq!(t(json!({"id": 1, "cost": 0.5})).unwrap().cost, Some(0.5));
        assert_eq!(t(json!({"id": 1, "cost": null})).unwrap().cost, None);
        assert!(t(json!({"id": 1, "cost": "cheap"})).is_err());
        assert_eq!(t(json!({"id": 1, "n": "3"})).unwrap().n, 3);
        assert_eq!(t(json!({"id": 1})).unwrap().n, 0);
    }

    #[test]
    fn dates_in_every_shape_the_service_uses() {
        let want = Utc.with_ymd_and_hms(2026, 2, 26, 14, 0, 0).unwrap();
        for s in ["2026-02-26T14:00:00Z", "2026-02-26T17:00:00+03:00", "2026-02-26 14:00:00", "2026-02-26T14:00:00.000000Z"] {
            assert_eq!(t(json!({"id": 1, "at": s})).unwrap().at, Some(want), "{s}");
        }
        assert!(t(json!({"id": 1, "at": "yesterday"})).is_err());
        assert_eq!(t(json!({"id": 1, "at": ""})).unwrap().at, None);
    }
}
