//! The client against the contract's own JSON examples and against broken answers, served by a
//! raw HTTP server on loopback that writes exactly the bytes each test gives it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cubedesk::api::client::{Client, ClientConfig};
use cubedesk::api::send::{Outgoing, SendRequest};
use cubedesk::api::wire::OptOutScope;
use cubedesk::api::{ApiError, ServiceCode};
use cubedesk::domain::phone::Phone;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use uuid::Uuid;

/// One canned answer: raw status line and headers, body bytes, and how to deliver them.
#[derive(Clone)]
struct Canned {
    status: &'static str,
    headers: Vec<String>,
    body: Vec<u8>,
    /// Send the body one byte at a time with this pause (a slow-loris server).
    drip: Option<Duration>,
}

fn answer(status: &'static str, body: impl Into<Vec<u8>>) -> Canned {
    Canned { status, headers: vec!["Content-Type: application/json".into()], body: body.into(), drip: None }
}

fn json_answer(status: &'static str, v: Value) -> Canned {
    answer(status, v.to_string())
}

#[derive(Debug, Clone)]
struct Seen {
    head: String,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
    fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or("")
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// Serves the answers in order (the last one repeats) and records every request.
async fn serve(answers: Vec<Canned>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let mut n = 0usize;
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let canned = answers[n.min(answers.len() - 1)].clone();
            n += 1;
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                let head_end = loop {
                    let Ok(k) = sock.read(&mut chunk).await else { return };
                    if k == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..k]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                };
                let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                let len = head
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap()))
                    .unwrap_or(0);
                while buf.len() < head_end + len {
                    let Ok(k) = sock.read(&mut chunk).await else { return };
                    if k == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..k]);
                }
                log.lock().unwrap().push(Seen { head, body: buf[head_end..].to_vec() });
                let mut out = format!("HTTP/1.1 {}\r\nConnection: close\r\nContent-Length: {}\r\n", canned.status, canned.body.len());
                for h in &canned.headers {
                    out.push_str(h);
                    out.push_str("\r\n");
                }
                out.push_str("\r\n");
                let _ = sock.write_all(out.as_bytes()).await;
                match canned.drip {
                    None => {
                        let _ = sock.write_all(&canned.body).await;
                    }
                    Some(pause) => {
                        for b in canned.body {
                            if sock.write_all(&[b]).await.is_err() {
                                return;
                            }
                            tokio::time::sleep(pause).await;
                        }
                    }
                }
                let _ = sock.shutdown().await;
            });
        }
    });
    (url, seen)
}

fn client(url: &str) -> Client {
    let mut cfg = ClientConfig::new(url, "test-key");
    cfg.timeout = Duration::from_secs(2);
    cfg.backoff = Duration::from_millis(20);
    cfg.max_backoff = Duration::from_millis(100);
    Client::new(cfg).unwrap()
}

fn phone() -> Phone {
    Phone::parse("+966501234567").unwrap()
}

fn text_send(key: Uuid) -> SendRequest {
    SendRequest {
        number_api_id: "01JXNUMBER".into(),
        phone: phone(),
        message: Outgoing::Text { text: "Your order is ready".into() },
        schedule: None,
        idempotency_key: key,
    }
}

fn service_code(e: &ApiError) -> ServiceCode {
    e.service().unwrap_or_else(|| panic!("not a service error: {e:?}")).code.clone()
}

#[tokio::test]
async fn send_text_matches_the_documented_example_both_ways() {
    let (url, seen) = serve(vec![json_answer(
        "202 Accepted",
        json!({"success": true, "data": {"status": "queued", "message_log_id": 4521, "conversation_category": "SERVICE", "cost": 0.0, "scheduled_at": null}}),
    )])
    .await;
    let key = Uuid::new_v4();
    let r = client(&url).send(&text_send(key)).await.unwrap();
    assert_eq!((r.status.as_str(), r.message_log_id.as_str()), ("queued", "4521"));
    assert_eq!(r.conversation_category.as_deref(), Some("SERVICE"));
    assert_eq!(r.cost, Some(0.0));

    let req = seen.lock().unwrap()[0].clone();
    assert_eq!(req.request_line(), "POST /api/v1/messages/send HTTP/1.1");
    assert_eq!(req.header("authorization").as_deref(), Some("Bearer test-key"));
    assert_eq!(req.header("accept").as_deref(), Some("application/json"));
    assert_eq!(req.header("idempotency-key"), Some(key.to_string()));
    assert_eq!(req.header("x-tenant-id"), None, "no tenant unless the user set one");
    assert_eq!(
        req.json(),
        json!({"whatsapp_account_id": "01JXNUMBER", "phone": "+966501234567", "message_type": "text", "data": {"text": "Your order is ready"}})
    );
}

#[tokio::test]
async fn a_ulid_message_log_id_and_a_tenant_header() {
    let (url, seen) = serve(vec![json_answer(
        "202 Accepted",
        json!({"success": true, "data": {"status": "scheduled", "message_log_id": "01JXXXA1B2", "conversation_category": "MARKETING", "cost": 0.0456, "scheduled_at": "2026-03-01T06:00:00Z"}}),
    )])
    .await;
    let mut cfg = ClientConfig::new(&url, "test-key");
    cfg.tenant_id = Some("42".into());
    let r = Client::new(cfg).unwrap().send(&text_send(Uuid::new_v4())).await.unwrap();
    assert_eq!(r.message_log_id, "01JXXXA1B2");
    assert_eq!(r.status, "scheduled");
    assert_eq!(seen.lock().unwrap()[0].header("x-tenant-id").as_deref(), Some("42"));
}

#[tokio::test]
async fn session_status_bare_examples_from_the_docs_and_the_envelope() {
    let open = json!({"window_active": true, "last_inbound_at": "2026-02-26T14:00:00Z", "expires_at": "2026-02-27T14:00:00Z", "remaining_minutes": 1380, "templates": []});
    let closed = json!({"window_active": false, "last_inbound_at": "2026-02-24T10:00:00Z", "expires_at": "2026-02-25T10:00:00Z", "remaining_minutes": 0,
        "templates": [{"id": 1, "name": "order_confirmation", "language": "ar", "body": "Your order {{1}} is confirmed. Total: {{2}}", "param_count": 2}]});
    let (url, seen) = serve(vec![
        json_answer("200 OK", open.clone()),
        json_answer("200 OK", closed),
        json_answer("200 OK", json!({"success": true, "data": open})),
    ])
    .await;
    let c = client(&url);
    let a = c.session_status(&phone()).await.unwrap();
    assert!(a.window_active);
    assert_eq!(a.remaining_minutes, 1380);
    assert_eq!(a.expires_at.unwrap().to_rfc3339(), "2026-02-27T14:00:00+00:00");
    let b = c.session_status(&phone()).await.unwrap();
    assert!(!b.window_active);
    assert_eq!(b.templates[0].param_count, 2);
    assert_eq!(b.templates[0].id.as_deref(), Some("1"));
    let e = c.session_status(&phone()).await.unwrap();
    assert_eq!(e, a, "the envelope reads the same as the bare object");
    assert_eq!(seen.lock().unwrap()[0].request_line(), "GET /api/crm/966501234567/session-status HTTP/1.1");
}

#[tokio::test]
async fn templates_message_status_health_and_opt_outs() {
    let (url, seen) = serve(vec![
        json_answer("200 OK", json!({"success": true, "data": [
            {"name": "order_confirmation", "language": "ar", "category": "UTILITY", "status": "APPROVED", "params_count": 2,
             "body": "طلبك {{1}} مؤكد. المجموع: {{2}}", "header": null, "header_type": "none", "header_sample_media_url": null, "footer": "CubeConnect"},
            {"name": "summer_sale", "language": "en_US", "category": "MARKETING", "status": "approved", "param_count": 1,
             "body": "{{1}} off everything!", "header_type": "image", "header_sample_media_url": "https://cdn.example/s.jpg"}
        ]})),
        json_answer("200 OK", json!({"success": true, "data": {"message_log_id": 4521, "status": "delivered", "to_phone": "966501234567", "message_type": "text",
            "meta_message_id": "wamid.HBgM", "sent_at": "2026-02-26T14:00:05Z", "scheduled_at": null, "cost_amount": 0.0, "cost_currency": "SAR", "error_message": null, "created_at": "2026-02-26T14:00:00Z"}})),
        json_answer("200 OK", json!({"success": true, "data": {"status": "healthy", "checks": {"app": true, "database": true, "cache": true}, "timestamp": "2026-02-26T14:00:00Z"}})),
        json_answer("200 OK", json!({"success": true, "data": {"phone": "+966501234567", "opted_out": true, "scope": "marketing", "source": "api", "opted_out_at": "2026-02-26T14:00:00Z"}})),
        json_answer("201 Created", json!({"success": true, "data": {"phone": "+966501234567", "scope": "all", "source": "api", "opted_out_at": "2026-02-26T14:00:00Z"}})),
        json_answer("200 OK", json!({"success": true, "data": {"phone": "+966501234567", "removed": true}})),
    ])
    .await;
    let c = client(&url);
    let t = c.templates("01JX NUM").await.unwrap();
    assert_eq!(t.len(), 2);
    assert_eq!((t[0].params_count, t[1].params_count), (2, 1));
    assert!(t[1].needs_header_media());
    let s = c.message_status("4521").await.unwrap();
    assert_eq!((s.status.as_str(), s.meta_message_id.as_deref(), s.cost_currency.as_deref()), ("delivered", Some("wamid.HBgM"), Some("SAR")));
    assert!(c.health().await.unwrap().is_healthy());
    assert!(c.opt_out_status(&phone()).await.unwrap().opted_out);
    assert_eq!(c.add_opt_out(&phone(), OptOutScope::All).await.unwrap().scope.as_deref(), Some("all"));
    assert!(c.remove_opt_out(&phone()).await.unwrap().removed);

    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].request_line(), "GET /api/v1/templates?whatsapp_account_id=01JX+NUM HTTP/1.1");
    assert_eq!(seen[1].request_line(), "GET /api/v1/messages/4521 HTTP/1.1");
    assert_eq!(seen[2].request_line(), "GET /api/health HTTP/1.1");
    assert_eq!(seen[2].header("authorization"), None, "health is called without the key");
    assert_eq!(seen[3].request_line(), "GET /api/v1/opt-outs/%2B966501234567 HTTP/1.1");
    assert_eq!(seen[4].json(), json!({"phone": "+966501234567", "scope": "all"}));
    assert_eq!(seen[5].request_line(), "DELETE /api/v1/opt-outs/%2B966501234567 HTTP/1.1");
}

#[tokio::test]
async fn every_documented_error_code_becomes_its_typed_error_with_the_service_message() {
    let table = [
        ("401 Unauthorized", "AUTHENTICATION_REQUIRED", ServiceCode::AuthenticationRequired),
        ("401 Unauthorized", "INVALID_API_KEY", ServiceCode::InvalidApiKey),
        ("403 Forbidden", "API_KEY_NO_TENANT", ServiceCode::ApiKeyNoTenant),
        ("403 Forbidden", "TENANT_NOT_FOUND", ServiceCode::TenantNotFound),
        ("403 Forbidden", "FORBIDDEN", ServiceCode::Forbidden),
        ("404 Not Found", "NOT_FOUND", ServiceCode::NotFound),
        ("404 Not Found", "TEMPLATE_NOT_FOUND", ServiceCode::TemplateNotFound),
        ("422 Unprocessable Entity", "VALIDATION_ERROR", ServiceCode::ValidationError),
        ("422 Unprocessable Entity", "INVALID_PHONE_NUMBER", ServiceCode::InvalidPhoneNumber),
        ("422 Unprocessable Entity", "NO_ACTIVE_ACCOUNT", ServiceCode::NoActiveAccount),
        ("422 Unprocessable Entity", "MISSING_ACCESS_TOKEN", ServiceCode::MissingAccessToken),
        ("422 Unprocessable Entity", "TEMPLATE_LANGUAGE_MISMATCH", ServiceCode::TemplateLanguageMismatch),
        ("422 Unprocessable Entity", "TEMPLATE_PARAMS_MISMATCH", ServiceCode::TemplateParamsMismatch),
        ("422 Unprocessable Entity", "TEMPLATE_HEADER_MEDIA_REQUIRED", ServiceCode::TemplateHeaderMediaRequired),
        ("422 Unprocessable Entity", "RECIPIENT_OPTED_OUT", ServiceCode::RecipientOptedOut),
        ("429 Too Many Requests", "RATE_LIMIT_EXCEEDED", ServiceCode::RateLimitExceeded),
        ("429 Too Many Requests", "PLAN_LIMIT_REACHED", ServiceCode::PlanLimitReached),
        ("429 Too Many Requests", "SUBSCRIPTION_EXPIRED", ServiceCode::SubscriptionExpired),
        ("429 Too Many Requests", "MESSAGING_TIER_LIMIT_EXCEEDED", ServiceCode::MessagingTierLimitExceeded),
        ("500 Internal Server Error", "MESSAGE_SEND_FAILED", ServiceCode::MessageSendFailed),
        ("500 Internal Server Error", "INTERNAL_ERROR", ServiceCode::InternalError),
        ("503 Service Unavailable", "SERVICE_DEGRADED", ServiceCode::ServiceDegraded),
    ];
    assert_eq!(table.len(), ServiceCode::all_documented().count());
    for (status, code, want) in table {
        let message = format!("Message for {code}");
        let (url, seen) = serve(vec![json_answer(status, json!({"success": false, "error": {"code": code, "message": message, "details": {"field": ["why"]}}}))]).await;
        let e = client(&url).send(&text_send(Uuid::new_v4())).await.unwrap_err();
        let s = e.service().unwrap();
        assert_eq!(s.code, want, "{code}");
        assert_eq!(s.message, message);
        assert_eq!(s.details, Some(json!({"field": ["why"]})));
        assert_eq!(s.status, status[..3].parse::<u16>().unwrap());
        assert_eq!(seen.lock().unwrap().len(), 1, "{code}: a send is never retried by the client on an answer");
    }
}

#[tokio::test]
async fn validation_details_as_the_sdks_show_them() {
    let (url, _) = serve(vec![json_answer("422 Unprocessable Entity", json!({"success": false, "error": {
        "code": "TEMPLATE_LANGUAGE_MISMATCH", "message": "Template not available in this language",
        "details": {"available_languages": ["ar", "en_US"]}}}))])
    .await;
    let e = client(&url).send(&text_send(Uuid::new_v4())).await.unwrap_err();
    assert_eq!(e.service().unwrap().details.as_ref().unwrap()["available_languages"], json!(["ar", "en_US"]));
}

#[tokio::test]
async fn an_unknown_code_falls_back_on_the_http_status() {
    let (url, seen) = serve(vec![
        json_answer("503 Service Unavailable", json!({"success": false, "error": {"code": "MAINTENANCE_WINDOW", "message": "Back soon"}})),
        json_answer("200 OK", json!({"success": true, "data": {"status": "healthy"}})),
    ])
    .await;
    // A read retries a transient failure and then succeeds.
    assert!(client(&url).health().await.unwrap().is_healthy());
    assert_eq!(seen.lock().unwrap().len(), 2);

    let (url, _) = serve(vec![json_answer("418 I'm a teapot", json!({"success": false, "error": {"code": "TEAPOT", "message": "short and stout"}}))]).await;
    let e = client(&url).health().await.unwrap_err();
    assert_eq!(service_code(&e), ServiceCode::Unrecognized("TEAPOT".into()));
    assert!(!e.is_transient());
}

#[tokio::test]
async fn reads_back_off_on_429_without_headers_and_sends_do_not_retry_5xx() {
    let (url, seen) = serve(vec![
        answer("429 Too Many Requests", ""),
        answer("429 Too Many Requests", ""),
        json_answer("200 OK", json!({"success": true, "data": {"status": "healthy"}})),
    ])
    .await;
    assert!(client(&url).health().await.is_ok());
    assert_eq!(seen.lock().unwrap().len(), 3);

    let (url, seen) = serve(vec![answer("502 Bad Gateway", "<html><body>Bad gateway</body></html>")]).await;
    let e = client(&url).send(&text_send(Uuid::new_v4())).await.unwrap_err();
    assert_eq!(e.service().unwrap().status, 502);
    assert!(e.is_transient(), "the outbox may try again later");
    assert!(!e.send_outcome_unknown());
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn rate_limit_headers_are_read_into_the_budget() {
    let mut a = json_answer("200 OK", json!({"success": true, "data": {"status": "healthy"}}));
    a.headers.push("X-RateLimit-Limit: 30".into());
    a.headers.push("X-RateLimit-Remaining: 17".into());
    let (url, _) = serve(vec![a]).await;
    let c = client(&url);
    c.health().await.unwrap();
    let b = c.rate_budget();
    assert_eq!((b.limit, b.remaining), (Some(30), Some(17)));
}

#[tokio::test]
async fn the_date_header_gives_the_clock_offset() {
    let ahead = std::time::SystemTime::now() + Duration::from_secs(300);
    let mut a = json_answer("200 OK", json!({"success": true, "data": {"status": "healthy"}}));
    a.headers.push(format!("Date: {}", httpdate::fmt_http_date(ahead)));
    let (url, _) = serve(vec![a]).await;
    let c = client(&url);
    c.health().await.unwrap();
    let off = c.clock_offset().0.num_seconds();
    assert!((298..=301).contains(&off), "offset {off}s");
}

#[tokio::test]
async fn broken_answers_are_typed_errors_never_panics() {
    let cases: Vec<(Canned, &str)> = vec![
        (answer("200 OK", "<!doctype html><html><body>Login</body></html>"), "html"),
        (answer("200 OK", ""), "empty"),
        (answer("200 OK", b"{\"success\":true,\"data\":{\"status\":\"\xff\xfe\"}}".to_vec()), "invalid utf-8"),
        (answer("200 OK", "{\"success\":true,\"data\":{\"status\":\"heal"), "truncated"),
        (json_answer("200 OK", json!({"success": true, "data": {"status": 5}})), "number for a string"),
        (json_answer("200 OK", json!({"success": true})), "no data"),
    ];
    for (canned, what) in cases {
        let (url, _) = serve(vec![canned]).await;
        let e = client(&url).health().await.unwrap_err();
        assert!(matches!(e, ApiError::BadResponse { status: 200, .. }), "{what}: {e:?}");
    }
}

#[tokio::test]
async fn a_ten_megabyte_answer_is_refused_at_the_limit() {
    let mut big = b"{\"success\":true,\"data\":{\"status\":\"".to_vec();
    big.extend(std::iter::repeat_n(b'a', 10 * 1024 * 1024));
    big.extend_from_slice(b"\"}}");
    let (url, _) = serve(vec![answer("200 OK", big)]).await;
    let e = client(&url).health().await.unwrap_err();
    assert!(matches!(e, ApiError::BodyTooLarge { limit } if limit == 2 * 1024 * 1024), "{e:?}");
}

#[tokio::test]
async fn a_slow_loris_answer_times_out_and_a_timed_out_send_is_not_retried() {
    let mut slow = json_answer("202 Accepted", json!({"success": true, "data": {"status": "queued", "message_log_id": 1}}));
    slow.drip = Some(Duration::from_millis(400));
    let (url, seen) = serve(vec![slow]).await;
    let started = std::time::Instant::now();
    let e = client(&url).send(&text_send(Uuid::new_v4())).await.unwrap_err();
    assert_eq!(e, ApiError::Timeout);
    assert!(e.send_outcome_unknown());
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(seen.lock().unwrap().len(), 1, "the outcome is unknown: never sent again silently");
}

#[tokio::test]
async fn an_unreachable_service_is_a_connection_error() {
    // Bind then drop: nothing listens on this port any more.
    let port = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let e = client(&format!("http://127.0.0.1:{port}")).send(&text_send(Uuid::new_v4())).await.unwrap_err();
    assert!(matches!(e, ApiError::Connection(_)), "{e:?}");
    assert!(e.is_transient());
    assert!(!e.send_outcome_unknown());
}
