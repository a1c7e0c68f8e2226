//! The signature scheme of contract decision 12: lowercase hex HMAC-SHA256 over
//! `X-Webhook-Timestamp + "." + raw body` with the signing secret, and a timestamp within the
//! tolerance of this machine's own (uncorrected) clock.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    MissingSignature,
    MissingTimestamp,
    BadTimestamp,
    StaleTimestamp,
    FutureTimestamp,
    BadSignature,
}

impl Refusal {
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::MissingSignature => "missing signature",
            Refusal::MissingTimestamp => "missing timestamp",
            Refusal::BadTimestamp => "unreadable timestamp",
            Refusal::StaleTimestamp => "stale timestamp",
            Refusal::FutureTimestamp => "future timestamp",
            Refusal::BadSignature => "bad signature",
        }
    }
}

/// ISO 8601 (with or without offset) or Unix seconds.
pub fn parse_timestamp(value: &str) -> Option<DateTime<Utc>> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<i64>() {
        return Utc.timestamp_opt(secs, 0).single();
    }
    DateTime::parse_from_rfc3339(v).map(|t| t.with_timezone(&Utc)).ok()
}

pub fn verify(
    secret: &str,
    timestamp_header: &str,
    body: &[u8],
    signature_header: &str,
    now: DateTime<Utc>,
    tolerance: Duration,
) -> Result<(), Refusal> {
    if signature_header.trim().is_empty() {
        return Err(Refusal::MissingSignature);
    }
    if timestamp_header.trim().is_empty() {
        return Err(Refusal::MissingTimestamp);
    }
    let at = parse_timestamp(timestamp_header).ok_or(Refusal::BadTimestamp)?;
    let tolerance = chrono::Duration::from_std(tolerance).unwrap_or(chrono::Duration::seconds(300));
    if at < now - tolerance {
        return Err(Refusal::StaleTimestamp);
    }
    if at > now + tolerance {
        return Err(Refusal::FutureTimestamp);
    }
    let expected = hex::decode(signature_header.trim().to_ascii_lowercase()).map_err(|_| Refusal::BadSignature)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|_| Refusal::BadSignature)?;
    mac.update(timestamp_header.as_bytes());
    mac.update(b".");
    mac.update(body);
    // Constant-time comparison.
    mac.verify_slice(&expected).map_err(|_| Refusal::BadSignature)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, ts: &str, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{ts}.").as_bytes());
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }

    const TOL: Duration = Duration::from_secs(300);

    #[test]
    fn a_correct_signature_passes_in_either_case() {
        let now = Utc::now();
        let ts = now.to_rfc3339();
        let body = br#"{"event":"webhook.test"}"#;
        let sig = sign("s3cret", &ts, body);
        assert_eq!(verify("s3cret", &ts, body, &sig, now, TOL), Ok(()));
        assert_eq!(verify("s3cret", &ts, body, &sig.to_uppercase(), now, TOL), Ok(()));
    }

    #[test]
    fn anything_else_is_refused_with_its_reason() {
        let now = Utc::now();
        let ts = now.to_rfc3339();
        let body = br#"{"event":"webhook.test"}"#;
        let sig = sign("s3cret", &ts, body);
        assert_eq!(verify("other", &ts, body, &sig, now, TOL), Err(Refusal::BadSignature));
        assert_eq!(verify("s3cret", &ts, b"{\"event\":\"x\"}", &sig, now, TOL), Err(Refusal::BadSignature));
        assert_eq!(verify("s3cret", &ts, body, "zz-not-hex", now, TOL), Err(Refusal::BadSignature));
        assert_eq!(verify("s3cret", &ts, body, "", now, TOL), Err(Refusal::MissingSignature));
        assert_eq!(verify("s3cret", "", body, &sig, now, TOL), Err(Refusal::MissingTimestamp));
        assert_eq!(verify("s3cret", "yesterday", body, &sig, now, TOL), Err(Refusal::BadTimestamp));
        let old = (now - chrono::Duration::seconds(301)).to_rfc3339();
        assert_eq!(verify("s3cret", &old, body, &sign("s3cret", &old, body), now, TOL), Err(Refusal::StaleTimestamp));
        let future = (now + chrono::Duration::seconds(301)).to_rfc3339();
        assert_eq!(verify("s3cret", &future, body, &sign("s3cret", &future, body), now, TOL), Err(Refusal::FutureTimestamp));
        let edge = (now - chrono::Duration::seconds(299)).to_rfc3339();
        assert_eq!(verify("s3cret", &edge, body, &sign("s3cret", &edge, body), now, TOL), Ok(()));
    }

    #[test]
    fn unix_seconds_are_a_timestamp_too() {
        let now = Utc::now();
        let ts = now.timestamp().to_string();
        let body = b"{}";
        assert_eq!(verify("k", &ts, body, &sign("k", &ts, body), now, TOL), Ok(()));
    }
}
