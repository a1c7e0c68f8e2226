//! The HTTP client. Every call goes through [`Client::call`]: the rate-limit budget, the
//! `Authorization`/`X-TENANT-ID` headers, a bounded body read, the clock offset from `Date`, the
//! envelope, and (for reads only) retries with exponential back-off and jitter.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rand::Rng;
use reqwest::{header, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::error::{ApiError, ServiceCode, ServiceError};
use super::rate::{RateBudget, RateSnapshot};
use super::send::{send_body, SendRequest};
use super::wire::*;
use crate::domain::clock::ClockOffset;
use crate::domain::phone::Phone;

/// Path segments keep only unreserved characters, so `+966...` travels as `%2B966...`.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

pub const DEFAULT_BASE_URL: &str = "https://cubeconnect.io";

#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub base_url: String,
    pub api_key: String,
    pub tenant_id: Option<String>,
    /// For the whole exchange, body included (a slow-loris answer ends here).
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// No documented answer comes near this; a larger one is refused, not buffered.
    pub max_body_bytes: usize,
    /// How many times a read is tried again after a transient failure.
    pub read_retries: u32,
    /// The first back-off; it doubles each time, with jitter, up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
}

impl ClientConfig {
    pub fn new(base_url: impl Into<String>, api_key: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            api_key: api_key.into(),
            tenant_id: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 2 * 1024 * 1024,
            read_retries: 3,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(15),
        }
    }
}

/// Cheap to clone; clones share the rate budget and the clock offset.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    cfg: Arc<ClientConfig>,
    base: reqwest::Url,
    rate: Arc<Mutex<RateBudget>>,
    offset: Arc<Mutex<ClockOffset>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Retry {
    /// Reads: try again after transient failures and timeouts.
    Read,
    /// Sends: only when the request certainly never arrived (decision 6).
    Send,
}

impl Client {
    pub fn new(cfg: ClientConfig) -> Result<Client, ApiError> {
        let trimmed = cfg.base_url.trim().trim_end_matches('/');
        let base = reqwest::Url::parse(trimmed)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| ApiError::InvalidRequest(format!("\"{}\" is not a web address (https://...)", cfg.base_url)))?;
        let http = reqwest::Client::builder()
            .timeout(cfg.timeout)
            .connect_timeout(cfg.connect_timeout)
            .user_agent(concat!("CubeDesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::InvalidRequest(e.to_string()))?;
        Ok(Client { http, cfg: Arc::new(cfg), base, rate: Default::default(), offset: Default::default() })
    }

    /// Shares another client's rate budget: one budget per account, whatever the task.
    pub fn sharing_budget_with(mut self, other: &Client) -> Client {
        self.rate = other.rate.clone();
        self.offset = other.offset.clone();
        self
    }

    /// How far the service's clock is from ours, as its last `Date` header showed.
    pub fn clock_offset(&self) -> ClockOffset {
        *self.offset.lock().expect("offset lock")
    }

    pub fn rate_budget(&self) -> RateSnapshot {
        self.rate.lock().expect("rate lock").snapshot()
    }

    pub async fn send(&self, req: &SendRequest) -> Result<SendResult, ApiError> {
        let body = send_body(req);
        let key = req.idempotency_key.to_string();
        self.call(Method::POST, &["api", "v1", "messages", "send"], &[], Some(body), Some(&key), true, Retry::Send).await
    }

    pub async fn message_status(&self, message_log_id: &str) -> Result<MessageStatusInfo, ApiError> {
        self.call(Method::GET, &["api", "v1", "messages", message_log_id], &[], None, None, true, Retry::Read).await
    }

    /// All templates of a number; filter with `domain::template::is_approved`.
    pub async fn templates(&self, number_api_id: &str) -> Result<Vec<Template>, ApiError> {
        let query = [("whatsapp_account_id", number_api_id)];
        self.call(Method::GET, &["api", "v1", "templates"], &query, None, None, true, Retry::Read).await
    }

    /// The window as the service sees it; `{customer}` is the canonical digits (decision 9).
    pub async fn session_status(&self, phone: &Phone) -> Result<SessionStatus, ApiError> {
        self.call(Method::GET, &["api", "crm", phone.digits(), "session-status"], &[], None, None, true, Retry::Read).await
    }

    /// Needs no key.
    pub async fn health(&self) -> Result<Health, ApiError> {
        self.call(Method::GET, &["api", "health"], &[], None, None, false, Retry::Read).await
    }

    pub async fn opt_out_status(&self, phone: &Phone) -> Result<OptOutStatus, ApiError> {
        self.call(Method::GET, &["api", "v1", "opt-outs", &phone.e164()], &[], None, None, true, Retry::Read).await
    }

    pub async fn add_opt_out(&self, phone: &Phone, scope: OptOutScope) -> Result<OptOutAdded, ApiError> {
        let body = json!({ "phone": phone.e164(), "scope": scope });
        // Adding the same opt-out twice changes nothing, so it may be retried like a read.
        self.call(Method::POST, &["api", "v1", "opt-outs"], &[], Some(body), None, true, Retry::Read).await
    }

    pub async fn remove_opt_out(&self, phone: &Phone) -> Result<OptOutRemoved, ApiError> {
        self.call(Method::DELETE, &["api", "v1", "opt-outs", &phone.e164()], &[], None, None, true, Retry::Read).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &[&str],
        query: &[(&str, &str)],
        body: Option<Value>,
        idempotency_key: Option<&str>,
        auth: bool,
        retry: Retry,
    ) -> Result<T, ApiError> {
        let url = self.url(path, query)?;
        let mut attempt = 0u32;
        loop {
            let outcome = self.once(method.clone(), url.clone(), body.as_ref(), idempotency_key, auth).await;
            let retriable = match &outcome {
                Ok(_) => false,
                Err(e) => match retry {
                    Retry::Read => e.is_transient() || matches!(e, ApiError::Timeout | ApiError::Interrupted(_)),
                    Retry::Send => matches!(e, ApiError::Connection(_)),
                },
            };
            if !retriable || attempt >= self.cfg.read_retries {
                return outcome.and_then(|v| {
                    serde_json::from_value(v).map_err(|e| ApiError::BadResponse { status: 200, reason: e.to_string() })
                });
            }
            let pause = self.backoff(attempt);
            if let Err(ApiError::Service(e)) = &outcome {
                if e.status == 429 {
                    self.rate.lock().expect("rate lock").refused(pause, Instant::now());
                }
            }
            tracing::debug!(attempt, ?pause, "retrying {method} {}", url.path());
            tokio::time::sleep(pause).await;
            attempt += 1;
        }
    }

    /// One exchange: the answer's `data` (or the bare object), or the typed error.
    async fn once(
        &self,
        method: Method,
        url: reqwest::Url,
        body: Option<&Value>,
        idempotency_key: Option<&str>,
        auth: bool,
    ) -> Result<Value, ApiError> {
        let wait = self.rate.lock().expect("rate lock").acquire(Instant::now());
        if !wait.is_zero() {
            tracing::info!(?wait, "waiting for the CubeConnect rate limit");
            tokio::time::sleep(wait).await;
        }
        let mut req = self.http.request(method, url).header(header::ACCEPT, "application/json");
        if auth {
            req = req.bearer_auth(&self.cfg.api_key);
            if let Some(t) = self.cfg.tenant_id.as_deref().filter(|t| !t.is_empty()) {
                req = req.header("X-TENANT-ID", t);
            }
        }
        if let Some(k) = idempotency_key {
            req = req.header("Idempotency-Key", k);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let sent_at = Utc::now();
        let mut resp = req.send().await.map_err(transport_error)?;
        let status = resp.status();
        self.observe_headers(resp.headers(), sent_at);

        let bytes = self.read_bounded(&mut resp).await?;
        parse_answer(status, &bytes)
    }

    async fn read_bounded(&self, resp: &mut reqwest::Response) -> Result<Vec<u8>, ApiError> {
        let limit = self.cfg.max_body_bytes;
        if resp.content_length().is_some_and(|n| n as usize > limit) {
            return Err(ApiError::BodyTooLarge { limit });
        }
        let mut buf = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(transport_error)? {
            if buf.len() + chunk.len() > limit {
                return Err(ApiError::BodyTooLarge { limit });
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(buf)
    }

    fn observe_headers(&self, headers: &header::HeaderMap, sent_at: DateTime<Utc>) {
        let number = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u32>().ok());
        self.rate.lock().expect("rate lock").observe(
            number("x-ratelimit-limit"),
            number("x-ratelimit-remaining"),
            Instant::now(),
        );
        if let Some(date) = headers.get(header::DATE).and_then(|v| v.to_str().ok()).and_then(|v| httpdate::parse_http_date(v).ok())
        {
            // Halfway through the exchange is our best guess of when the service stamped it.
            let local = sent_at + (Utc::now() - sent_at) / 2;
            *self.offset.lock().expect("offset lock") = ClockOffset::from_date_header(DateTime::<Utc>::from(date), local);
        }
    }

    fn url(&self, path: &[&str], query: &[(&str, &str)]) -> Result<reqwest::Url, ApiError> {
        let mut s = self.base.as_str().trim_end_matches('/').to_string();
        for seg in path {
            s.push('/');
            s.extend(utf8_percent_encode(seg, PATH_SEGMENT));
        }
        let mut url = reqwest::Url::parse(&s).map_err(|e| ApiError::InvalidRequest(e.to_string()))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.cfg.backoff.saturating_mul(1u32 << attempt.min(16)).min(self.cfg.max_backoff);
        // Full jitter between half and all of it, so many clients do not retry in step.
        let ms = base.as_millis() as u64;
        Duration::from_millis(rand::thread_rng().gen_range(ms / 2..=ms.max(1)))
    }
}

fn transport_error(e: reqwest::Error) -> ApiError {
    if e.is_timeout() {
        ApiError::Timeout
    } else if e.is_connect() || e.is_builder() {
        ApiError::Connection(root_cause(&e))
    } else {
        ApiError::Interrupted(root_cause(&e))
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// Reads an answer: the envelope's `data`, a bare object (session-status), or the typed error.
fn parse_answer(status: StatusCode, bytes: &[u8]) -> Result<Value, ApiError> {
    let code = status.as_u16();
    let bad = |reason: &str| ApiError::BadResponse { status: code, reason: reason.to_string() };
    let parsed = std::str::from_utf8(bytes)
        .map_err(|_| "the answer is not UTF-8 text")
        .and_then(|text| if text.trim().is_empty() { Err("the answer is empty") } else { Ok(text) })
        .and_then(|text| serde_json::from_str::<Value>(text).map_err(|_| "the answer is not JSON"));

    if !status.is_success() {
        // An error answer we cannot read still says something through its status.
        let (service_code, message, details) = match &parsed {
            Ok(v) => {
                let err = v.get("error").unwrap_or(v);
                let code_text = err.get("code").and_then(Value::as_str).unwrap_or("");
                let message = err
                    .get("message")
                    .and_then(Value::as_str)
                    .or_else(|| v.get("message").and_then(Value::as_str))
                    .unwrap_or("")
                    .to_string();
                let details = err.get("details").filter(|d| !d.is_null()).cloned();
                (ServiceCode::parse(code_text), message, details)
            }
            Err(_) => (ServiceCode::Unrecognized(String::new()), String::new(), None),
        };
        let message = if message.is_empty() { format!("CubeConnect answered HTTP {code}") } else { message };
        return Err(ApiError::Service(ServiceError { code: service_code, status: code, message, details }));
    }

    let v = parsed.map_err(bad)?;
    match v.get("success").and_then(Value::as_bool) {
        Some(true) => v.get("data").cloned().ok_or_else(|| bad("the answer has no data")),
        Some(false) => {
            let err = v.get("error").cloned().unwrap_or(Value::Null);
            Err(ApiError::Service(ServiceError {
                code: ServiceCode::parse(err.get("code").and_then(Value::as_str).unwrap_or("")),
                status: code,
                message: err.get("message").and_then(Value::as_str).unwrap_or("CubeConnect refused the request").to_string(),
                details: err.get("details").filter(|d| !d.is_null()).cloned(),
            }))
        }
        // A bare object, as the session-status example shows.
        None => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_and_bare_objects() {
        let ok = parse_answer(StatusCode::OK, br#"{"success":true,"data":{"a":1}}"#).unwrap();
        assert_eq!(ok, json!({"a": 1}));
        let bare = parse_answer(StatusCode::OK, br#"{"window_active":true}"#).unwrap();
        assert_eq!(bare, json!({"window_active": true}));
    }

    #[test]
    fn error_envelopes_keep_code_message_and_details() {
        let e = parse_answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            br#"{"success":false,"error":{"code":"VALIDATION_ERROR","message":"The given data was invalid.","details":{"phone":["The phone field is required."]}}}"#,
        )
        .unwrap_err();
        let s = e.service().unwrap();
        assert_eq!(s.code, ServiceCode::ValidationError);
        assert_eq!(s.message, "The given data was invalid.");
        assert_eq!(s.details, Some(json!({"phone": ["The phone field is required."]})));
    }

    #[test]
    fn unreadable_answers_are_typed() {
        assert!(matches!(parse_answer(StatusCode::OK, b"<html>hi</html>"), Err(ApiError::BadResponse { status: 200, .. })));
        assert!(matches!(parse_answer(StatusCode::OK, b""), Err(ApiError::BadResponse { .. })));
        assert!(matches!(parse_answer(StatusCode::OK, b"\xff\xfe{}"), Err(ApiError::BadResponse { .. })));
        assert!(matches!(parse_answer(StatusCode::OK, br#"{"success":true,"da"#), Err(ApiError::BadResponse { .. })));
        // An HTML error page from a proxy still counts as the service's 502.
        let e = parse_answer(StatusCode::BAD_GATEWAY, b"<html>Bad gateway</html>").unwrap_err();
        assert_eq!(e.service().unwrap().status, 502);
        assert!(e.is_transient());
    }

    #[test]
    fn success_false_with_200_is_an_error() {
        let e = parse_answer(StatusCode::OK, br#"{"success":false,"error":{"code":"TENANT_NOT_FOUND","message":"no"}}"#).unwrap_err();
        assert_eq!(e.service().unwrap().code, ServiceCode::TenantNotFound);
    }

    #[test]
    fn path_ids_are_encoded_and_base_urls_checked() {
        let c = Client::new(ClientConfig::new("https://cubeconnect.io/", "k")).unwrap();
        let url = c.url(&["api", "v1", "opt-outs", "+966 50/1"], &[]).unwrap();
        assert_eq!(url.as_str(), "https://cubeconnect.io/api/v1/opt-outs/%2B966%2050%2F1");
        let url = c.url(&["api", "v1", "templates"], &[("whatsapp_account_id", "01J X&y")]).unwrap();
        assert_eq!(url.query(), Some("whatsapp_account_id=01J+X%26y"));
        assert!(matches!(Client::new(ClientConfig::new("cubeconnect", "k")), Err(ApiError::InvalidRequest(_))));
        assert!(matches!(Client::new(ClientConfig::new("ftp://x", "k")), Err(ApiError::InvalidRequest(_))));
    }

    #[test]
    fn backoff_doubles_with_jitter_and_a_ceiling() {
        let c = Client::new(ClientConfig::new("http://127.0.0.1:1", "k")).unwrap();
        for attempt in 0..8 {
            let b = c.backoff(attempt);
            let full = (Duration::from_millis(500) * 2u32.pow(attempt)).min(Duration::from_secs(15));
            assert!(b >= full / 2 && b <= full, "attempt {attempt}: {b:?}");
        }
    }
}
