//! Fault injection, armed through `POST /_sim/faults` and cleared by `DELETE /_sim/faults`.
//!
//! The body is a JSON object; every key is optional. A key that is present replaces that fault, a
//! key that is absent leaves it as it was, and a count of 0 turns it off. Unknown keys are refused
//! (422) so a typo never silently arms nothing. `GET /_sim/faults` shows what is armed, with the
//! counts still left.
//!
//! ```json
//! {
//!   "http":       {"status": 503, "count": 3, "code": "SERVICE_DEGRADED", "message": "…", "html": false},
//!   "rate_limit": {"count": 2, "headers": true},
//!   "error":      {"code": "PLAN_LIMIT_REACHED", "status": 429, "count": 1, "message": "…", "details": {}},
//!   "timeout":    {"count": 1, "hold_ms": 60000, "process": true},
//!   "malformed":  {"count": 1},
//!   "latency_ms": 2000,
//!   "limit_per_minute": 60,
//!   "webhooks":   {"duplicate": true, "drop_every": 3, "delay_ms": 5000, "reorder": true}
//! }
//! ```
//!
//! - `count` faults hit the next N requests to `/api/*` (never `/_sim/*`); `count` defaults to 1.
//!   One request takes at most one of them, in this order: `timeout`, `http`, `rate_limit`,
//!   `error`, `malformed`. They fire before authentication, like a gateway would.
//! - `http`: answers `status` (400–599) with the error envelope. `code` defaults by status
//!   (500 `INTERNAL_ERROR`, 502 `BAD_GATEWAY`, 503 `SERVICE_DEGRADED`, 504 `GATEWAY_TIMEOUT`,
//!   otherwise the first documented code with that status, else `HTTP_<status>`); `html: true`
//!   sends an HTML page instead, as a proxy in front of the service would.
//! - `rate_limit`: 429 `RATE_LIMIT_EXCEEDED`; with `headers: true` (default) it carries
//!   `X-RateLimit-Limit` and `X-RateLimit-Remaining: 0`, with `false` no rate-limit header at all.
//! - `error`: any error code, documented or not, on the next N requests. `status` defaults to the
//!   code's documented status and is required for an undocumented code; documented codes that
//!   carry `details` (`TEMPLATE_LANGUAGE_MISMATCH`, `TEMPLATE_PARAMS_MISMATCH`,
//!   `MESSAGING_TIER_LIMIT_EXCEEDED`, `VALIDATION_ERROR`) get plausible default details.
//! - `timeout`: the response is held for `hold_ms` (default 60 000) or until the simulator stops.
//!   With `process: true` (default) the request is carried out first, so a timed-out send was
//!   really accepted, which is the case a client cannot tell apart; with `false` it is not, and the
//!   late answer is a 504.
//! - `malformed`: the request is carried out, then answered 200 with the first half of its JSON
//!   body (cut mid-document, `Content-Type: application/json`).
//! - `latency_ms`: every `/api/*` response is delayed this long until changed (0 turns it off).
//! - `limit_per_minute`: the rate limit (default 60) reported in `X-RateLimit-Limit` and enforced.
//! - `webhooks`: `duplicate` delivers every event twice (each delivery freshly signed);
//!   `drop_every: N` never delivers every Nth event (0 = off); `delay_ms` holds each event that
//!   long after it happened; `reorder` delivers events in swapped pairs (an event waits up to
//!   1.5 s for the next one, which goes first).

use std::time::Duration;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::errors::{documented_status, ApiError};

/// Requests allowed per minute when no `limit_per_minute` is armed (the Professional plan).
pub const DEFAULT_LIMIT_PER_MINUTE: u32 = 60;

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

fn default_hold_ms() -> u64 {
    60_000
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faults {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpFault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimitFault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorFault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<TimeoutFault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub malformed: Option<CountFault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_per_minute: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhooks: Option<WebhookFaults>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpFault {
    pub status: u16,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default)]
    pub html: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitFault {
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default = "yes")]
    pub headers: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorFault {
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeoutFault {
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default = "default_hold_ms")]
    pub hold_ms: u64,
    #[serde(default = "yes")]
    pub process: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountFault {
    #[serde(default = "one")]
    pub count: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookFaults {
    #[serde(default)]
    pub duplicate: bool,
    #[serde(default)]
    pub drop_every: u32,
    #[serde(default)]
    pub delay_ms: u64,
    #[serde(default)]
    pub reorder: bool,
}

impl WebhookFaults {
    pub fn is_off(&self) -> bool {
        *self == WebhookFaults::default()
    }
}

/// What one `/api/*` request gets instead of (or on top of) its normal answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RequestFault {
    Timeout { hold: Duration, process: bool },
    Http { error: ApiError, html: bool },
    RateLimited { headers: bool },
    Error(ApiError),
    Malformed,
}

impl Faults {
    /// Checks a `POST /_sim/faults` body before anything is armed.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(h) = &self.http {
            if !(400..=599).contains(&h.status) {
                return Err(format!("http.status must be 400-599, not {}", h.status));
            }
        }
        if let Some(e) = &self.error {
            if e.code.trim().is_empty() {
                return Err("error.code must not be empty".into());
            }
            match e.status {
                Some(s) if !(400..=599).contains(&s) => return Err(format!("error.status must be 400-599, not {s}")),
                None if documented_status(&e.code).is_none() => {
                    return Err(format!("error.code {} is not documented: give error.status too", e.code))
                }
                _ => {}
            }
        }
        if self.limit_per_minute == Some(0) {
            return Err("limit_per_minute must be at least 1".into());
        }
        Ok(())
    }

    /// Arms what `other` names, keeping the rest.
    pub fn merge(&mut self, other: Faults) {
        if let Some(f) = other.http {
            self.http = Some(f).filter(|f| f.count > 0);
        }
        if let Some(f) = other.rate_limit {
            self.rate_limit = Some(f).filter(|f| f.count > 0);
        }
        if let Some(f) = other.error {
            self.error = Some(f).filter(|f| f.count > 0);
        }
        if let Some(f) = other.timeout {
            self.timeout = Some(f).filter(|f| f.count > 0);
        }
        if let Some(f) = other.malformed {
            self.malformed = Some(f).filter(|f| f.count > 0);
        }
        if let Some(ms) = other.latency_ms {
            self.latency_ms = Some(ms).filter(|ms| *ms > 0);
        }
        if let Some(n) = other.limit_per_minute {
            self.limit_per_minute = Some(n);
        }
        if let Some(w) = other.webhooks {
            self.webhooks = Some(w).filter(|w| !w.is_off());
        }
    }

    pub fn limit_per_minute(&self) -> u32 {
        self.limit_per_minute.unwrap_or(DEFAULT_LIMIT_PER_MINUTE)
    }

    pub fn latency(&self) -> Option<Duration> {
        self.latency_ms.map(Duration::from_millis)
    }

    pub fn webhook_faults(&self) -> WebhookFaults {
        self.webhooks.clone().unwrap_or_default()
    }

    /// The fault the next `/api/*` request gets, counting it off.
    pub(crate) fn take_request(&mut self) -> Option<RequestFault> {
        if let Some(t) = take(&mut self.timeout, |f| &mut f.count) {
            return Some(RequestFault::Timeout { hold: Duration::from_millis(t.hold_ms), process: t.process });
        }
        if let Some(h) = take(&mut self.http, |f| &mut f.count) {
            let status = StatusCode::from_u16(h.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let code = h.code.clone().unwrap_or_else(|| default_code_for(h.status));
            let mut error = ApiError::custom(&code, status);
            if let Some(m) = h.message {
                error = error.message(m);
            }
            return Some(RequestFault::Http { error, html: h.html });
        }
        if let Some(r) = take(&mut self.rate_limit, |f| &mut f.count) {
            return Some(RequestFault::RateLimited { headers: r.headers });
        }
        if let Some(e) = take(&mut self.error, |f| &mut f.count) {
            let status = e.status.or_else(|| documented_status(&e.code)).unwrap_or(500);
            let mut error = ApiError::custom(&e.code, StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
            if let Some(m) = e.message {
                error = error.message(m);
            }
            if let Some(d) = e.details.or_else(|| default_details(&e.code)) {
                error = error.details(d);
            }
            return Some(RequestFault::Error(error));
        }
        if take(&mut self.malformed, |f| &mut f.count).is_some() {
            return Some(RequestFault::Malformed);
        }
        None
    }
}

/// Counts one use of an armed fault off, disarming it at zero; returns the fault as it was.
fn take<F: Clone>(slot: &mut Option<F>, count: impl Fn(&mut F) -> &mut u32) -> Option<F> {
    let fault = slot.as_mut()?;
    let used = fault.clone();
    let n = count(fault);
    *n = n.saturating_sub(1);
    if *n == 0 {
        *slot = None;
    }
    Some(used)
}

fn default_code_for(status: u16) -> String {
    match status {
        500 => "INTERNAL_ERROR".into(),
        502 => "BAD_GATEWAY".into(),
        503 => "SERVICE_DEGRADED".into(),
        504 => "GATEWAY_TIMEOUT".into(),
        429 => "RATE_LIMIT_EXCEEDED".into(),
        400 => "BAD_REQUEST".into(),
        _ => super::errors::first_code_with_status(status).map(str::to_string).unwrap_or_else(|| format!("HTTP_{status}")),
    }
}

fn default_details(code: &str) -> Option<Value> {
    match code {
        "TEMPLATE_LANGUAGE_MISMATCH" => Some(json!({"available_languages": ["en_US"], "requested": "ar"})),
        "TEMPLATE_PARAMS_MISMATCH" => Some(json!({"expected": 2, "received": 1})),
        "MESSAGING_TIER_LIMIT_EXCEEDED" => {
            Some(json!({"daily_limit": 1000, "used_today": 990, "remaining": 10, "requested": 50}))
        }
        "VALIDATION_ERROR" => Some(json!({"phone": ["The phone field is required."]})),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: Value) -> Faults {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn counts_run_out_in_order() {
        let mut f = parse(json!({"http": {"status": 503, "count": 2}, "error": {"code": "PLAN_LIMIT_REACHED"}}));
        f.validate().unwrap();
        for _ in 0..2 {
            match f.take_request() {
                Some(RequestFault::Http { error, .. }) => {
                    assert_eq!(error.status.as_u16(), 503);
                    assert_eq!(error.code, "SERVICE_DEGRADED");
                }
                other => panic!("{other:?}"),
            }
        }
        match f.take_request() {
            Some(RequestFault::Error(e)) => assert_eq!((e.status.as_u16(), e.code.as_str()), (429, "PLAN_LIMIT_REACHED")),
            other => panic!("{other:?}"),
        }
        assert_eq!(f.take_request(), None);
        assert_eq!(f, Faults::default());
    }

    #[test]
    fn merge_replaces_named_faults_only_and_zero_disarms() {
        let mut f = parse(json!({"latency_ms": 100, "malformed": {}}));
        f.merge(parse(json!({"latency_ms": 0, "rate_limit": {"headers": false}})));
        assert_eq!(f.latency_ms, None);
        assert_eq!(f.malformed, Some(CountFault { count: 1 }));
        assert_eq!(f.rate_limit, Some(RateLimitFault { count: 1, headers: false }));
        f.merge(parse(json!({"malformed": {"count": 0}})));
        assert_eq!(f.malformed, None);
    }

    #[test]
    fn bad_bodies_are_refused() {
        assert!(serde_json::from_value::<Faults>(json!({"htpp": {}})).is_err());
        assert!(parse(json!({"http": {"status": 200}})).validate().is_err());
        assert!(parse(json!({"error": {"code": "MADE_UP"}})).validate().is_err());
        assert!(parse(json!({"error": {"code": "MADE_UP", "status": 418}})).validate().is_ok());
        assert!(parse(json!({"limit_per_minute": 0})).validate().is_err());
    }

    #[test]
    fn documented_details_are_filled_in() {
        let mut f = parse(json!({"error": {"code": "MESSAGING_TIER_LIMIT_EXCEEDED"}}));
        match f.take_request() {
            Some(RequestFault::Error(e)) => assert_eq!(e.details.unwrap()["daily_limit"], json!(1000)),
            other => panic!("{other:?}"),
        }
    }
}
