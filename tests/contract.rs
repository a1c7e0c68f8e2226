//! The client against the simulator over real loopback HTTP: every endpoint, every documented
//! error code, the retry and idempotency rules, the clock offset, and the simulator's faults.
//! (tests/sim.rs tests the simulator on its own; tests/api_examples.rs the client on raw bytes.)

use std::time::Duration;

use cubedesk::api::client::{Client, ClientConfig};
use cubedesk::api::send::{HeaderMedia, Outgoing, SendRequest};
use cubedesk::api::wire::OptOutScope;
use cubedesk::api::{ApiError, ServiceCode};
use cubedesk::domain::phone::Phone;
use cubedesk::domain::template::is_approved;
use cubedesk::sim::{SimConfig, SimHandle};
use serde_json::{json, Value};
use uuid::Uuid;

const NUMBER: &str = "sim-number-1";

async fn sim() -> SimHandle {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    cubedesk::sim::start(SimConfig { seed_data: true, ..SimConfig::default() }, listener).await.unwrap()
}

fn client(sim: &SimHandle) -> Client {
    let mut cfg = ClientConfig::new(sim.base_url(), "sim-key");
    cfg.timeout = Duration::from_secs(3);
    cfg.backoff = Duration::from_millis(20);
    cfg.max_backoff = Duration::from_millis(100);
    Client::new(cfg).unwrap()
}

async fn control(sim: &SimHandle, method: reqwest::Method, path: &str, body: Value) -> Value {
    let r = reqwest::Client::new().request(method, format!("{}{path}", sim.base_url())).json(&body).send().await.unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap_or(Value::Null)
}

async fn inbound(sim: &SimHandle, phone: &str, text: &str) {
    control(sim, reqwest::Method::POST, "/_sim/inbound", json!({"phone": phone, "name": "Sara", "type": "text", "text": text})).await;
}

async fn advance(sim: &SimHandle, seconds: i64) {
    control(sim, reqwest::Method::POST, "/_sim/clock", json!({"advance_seconds": seconds})).await;
}

async fn faults(sim: &SimHandle, body: Value) {
    control(sim, reqwest::Method::POST, "/_sim/faults", body).await;
}

async fn sends(sim: &SimHandle) -> Vec<Value> {
    let v = reqwest::get(format!("{}/_sim/sends", sim.base_url())).await.unwrap().json::<Value>().await.unwrap();
    v.as_array().cloned().or_else(|| v["sends"].as_array().cloned()).unwrap_or_default()
}

fn text(phone: &str, body: &str) -> SendRequest {
    SendRequest {
        number_api_id: NUMBER.into(),
        phone: Phone::parse(phone).unwrap(),
        message: Outgoing::Text { text: body.into() },
        schedule: None,
        idempotency_key: Uuid::new_v4(),
    }
}

fn template(phone: &str, name: &str, language: &str, params: &[&str], header: Option<HeaderMedia>) -> SendRequest {
    SendRequest {
        number_api_id: NUMBER.into(),
        phone: Phone::parse(phone).unwrap(),
        message: Outgoing::Template {
            name: name.into(),
            language: language.into(),
            params: params.iter().map(|p| p.to_string()).collect(),
            header,
        },
        schedule: None,
        idempotency_key: Uuid::new_v4(),
    }
}

fn code(e: &ApiError) -> ServiceCode {
    e.service().unwrap_or_else(|| panic!("not a service error: {e:?}")).code.clone()
}

#[tokio::test]
async fn a_text_reply_inside_the_window_goes_from_queued_to_read() {
    let sim = sim().await;
    let c = client(&sim);
    assert!(c.health().await.unwrap().is_healthy());
    inbound(&sim, "+966 55 000 1111", "هل الدواء متوفر؟").await;

    let window = c.session_status(&Phone::parse("966550001111").unwrap()).await.unwrap();
    assert!(window.window_active);
    assert!(window.remaining_minutes > 24 * 60 - 5);
    assert!(window.templates.is_empty());

    let accepted = c.send(&text("966550001111", "نعم، متوفر")).await.unwrap();
    assert_eq!(accepted.status, "queued");
    assert_eq!(accepted.conversation_category.as_deref(), Some("SERVICE"));
    assert!(!accepted.message_log_id.is_empty());
    advance(&sim, 10).await;
    let status = c.message_status(&accepted.message_log_id).await.unwrap();
    assert_eq!(status.status, "read");
    assert_eq!(status.to_phone.as_deref(), Some("966550001111"));
    assert!(status.meta_message_id.as_deref().is_some_and(|w| w.starts_with("wamid.")));
    sim.shutdown().await;
}

#[tokio::test]
async fn outside_the_window_text_fails_with_131047_and_a_template_still_goes() {
    let sim = sim().await;
    let c = client(&sim);
    inbound(&sim, "966550002222", "hello").await;
    advance(&sim, 25 * 3600).await;
    let window = c.session_status(&Phone::parse("966550002222").unwrap()).await.unwrap();
    assert!(!window.window_active);
    assert_eq!(window.remaining_minutes, 0);
    assert!(!window.templates.is_empty(), "a closed window lists templates that reopen it");

    let free = c.send(&text("966550002222", "are you there?")).await.unwrap();
    let tpl = c.send(&template("966550002222", "order_confirmation", "ar", &["1042", "250 ر.س"], None)).await.unwrap();
    assert_eq!(tpl.conversation_category.as_deref(), Some("UTILITY"));
    advance(&sim, 10).await;
    let free = c.message_status(&free.message_log_id).await.unwrap();
    assert_eq!(free.status, "failed");
    assert!(free.error_message.unwrap_or_default().contains("131047"));
    assert_eq!(c.message_status(&tpl.message_log_id).await.unwrap().status, "read");
    sim.shutdown().await;
}

#[tokio::test]
async fn templates_list_with_their_counts_and_a_media_header_needs_its_link() {
    let sim = sim().await;
    let c = client(&sim);
    let all = c.templates(NUMBER).await.unwrap();
    let approved: Vec<_> = all.iter().filter(|t| is_approved(&t.status)).collect();
    assert!(approved.len() < all.len(), "pending or rejected templates are listed but not approved");
    assert!(approved.iter().any(|t| t.language == "ar") && approved.iter().any(|t| t.language == "en_US"));
    for n in 0..=3 {
        assert!(approved.iter().any(|t| t.params_count == n), "no template with {n} parameters");
    }
    let media = approved.iter().find(|t| t.needs_header_media()).expect("a media-header template");
    let params: Vec<String> = (1..=media.params_count).map(|i| format!("v{i}")).collect();
    let params: Vec<&str> = params.iter().map(String::as_str).collect();

    let without = c.send(&template("966550003333", &media.name, &media.language, &params, None)).await.unwrap_err();
    assert_eq!(code(&without), ServiceCode::TemplateHeaderMediaRequired);
    let header = HeaderMedia { kind: media.header_type.clone(), link: "https://shop.example/offer.jpg".into() };
    let ok = c.send(&template("966550003333", &media.name, &media.language, &params, Some(header))).await.unwrap();
    assert_eq!(ok.conversation_category.as_deref(), media.category.as_deref());
    sim.shutdown().await;
}

#[tokio::test]
async fn template_refusals_name_the_problem() {
    let sim = sim().await;
    let c = client(&sim);
    let e = c.send(&template("966550004444", "no_such_template", "ar", &[], None)).await.unwrap_err();
    assert_eq!(code(&e), ServiceCode::TemplateNotFound);
    let e = c.send(&template("966550004444", "order_confirmation", "fr", &["1", "2"], None)).await.unwrap_err();
    assert_eq!(code(&e), ServiceCode::TemplateLanguageMismatch);
    let langs = e.service().unwrap().details.as_ref().unwrap()["available_languages"].clone();
    assert!(langs.as_array().unwrap().iter().any(|l| l == "ar"), "{langs}");
    let e = c.send(&template("966550004444", "order_confirmation", "ar", &["only one"], None)).await.unwrap_err();
    assert_eq!(code(&e), ServiceCode::TemplateParamsMismatch);
    let mut wrong_number = text("966550004444", "hi");
    wrong_number.number_api_id = "01JXNOTOURS".into();
    assert_eq!(code(&c.send(&wrong_number).await.unwrap_err()), ServiceCode::NoActiveAccount);
    let e = c.send(&text("966550004444", &"x".repeat(4097))).await.unwrap_err();
    assert_eq!(code(&e), ServiceCode::ValidationError);
    assert!(e.service().unwrap().details.is_some());
    sim.shutdown().await;
}

#[tokio::test]
async fn opt_outs_round_trip_and_block_marketing() {
    let sim = sim().await;
    let c = client(&sim);
    let p = Phone::parse("+966550005555").unwrap();
    assert!(!c.opt_out_status(&p).await.unwrap().opted_out);
    let added = c.add_opt_out(&p, OptOutScope::All).await.unwrap();
    assert_eq!(added.scope.as_deref(), Some("all"));
    assert!(c.opt_out_status(&p).await.unwrap().opted_out);
    let e = c.send(&template("966550005555", "order_confirmation", "ar", &["1", "2"], None)).await.unwrap_err();
    assert_eq!(code(&e), ServiceCode::RecipientOptedOut);
    assert!(c.remove_opt_out(&p).await.unwrap().removed);
    assert!(!c.opt_out_status(&p).await.unwrap().opted_out);
    sim.shutdown().await;
}

#[tokio::test]
async fn auth_and_lookup_errors() {
    let sim = sim().await;
    let mut wrong = ClientConfig::new(sim.base_url(), "not-the-key");
    wrong.read_retries = 0;
    let e = Client::new(wrong).unwrap().templates(NUMBER).await.unwrap_err();
    assert_eq!((code(&e), e.service().unwrap().status), (ServiceCode::InvalidApiKey, 401));
    let mut tenant = ClientConfig::new(sim.base_url(), "sim-key");
    tenant.tenant_id = Some("999".into());
    let e = Client::new(tenant).unwrap().templates(NUMBER).await.unwrap_err();
    assert_eq!((code(&e), e.service().unwrap().status), (ServiceCode::TenantNotFound, 403));
    let e = client(&sim).message_status("no-such-message").await.unwrap_err();
    assert_eq!(code(&e), ServiceCode::NotFound);
    sim.shutdown().await;
}

#[tokio::test]
async fn every_documented_error_code_arrives_typed_with_its_status_and_message() {
    let sim = sim().await;
    let c = client(&sim);
    for want in ServiceCode::all_documented() {
        faults(&sim, json!({"error": {"code": want.as_str(), "count": 1, "message": format!("said {}", want.as_str())}})).await;
        let e = c.send(&text("966550006666", "hi")).await.unwrap_err();
        let s = e.service().unwrap_or_else(|| panic!("{want:?}: {e:?}"));
        assert_eq!(s.code, want);
        assert_eq!(s.message, format!("said {}", want.as_str()));
        let expected_status = match want {
            ServiceCode::AuthenticationRequired | ServiceCode::InvalidApiKey => 401,
            ServiceCode::ApiKeyNoTenant | ServiceCode::TenantNotFound | ServiceCode::Forbidden => 403,
            ServiceCode::NotFound | ServiceCode::TemplateNotFound => 404,
            ServiceCode::RateLimitExceeded
            | ServiceCode::PlanLimitReached
            | ServiceCode::SubscriptionExpired
            | ServiceCode::MessagingTierLimitExceeded => 429,
            ServiceCode::MessageSendFailed | ServiceCode::InternalError => 500,
            ServiceCode::ServiceDegraded => 503,
            _ => 422,
        };
        assert_eq!(s.status, expected_status, "{want:?}");
    }
    assert!(sends(&sim).await.is_empty(), "no refused send was accepted");
    sim.shutdown().await;
}

#[tokio::test]
async fn reads_ride_out_bursts_of_5xx_and_429_but_sends_report_them() {
    let sim = sim().await;
    let c = client(&sim);
    faults(&sim, json!({"http": {"status": 503, "count": 2}})).await;
    assert!(c.templates(NUMBER).await.is_ok(), "two 503s then success");
    faults(&sim, json!({"rate_limit": {"count": 2, "headers": false}})).await;
    assert!(c.health().await.is_ok(), "429s without headers are backed off");
    faults(&sim, json!({"http": {"status": 502, "count": 1, "html": true}})).await;
    let e = c.send(&text("966550007777", "hi")).await.unwrap_err();
    assert_eq!(e.service().unwrap().status, 502);
    assert!(e.is_transient() && !e.send_outcome_unknown());
    assert!(sends(&sim).await.is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn a_send_with_an_unknown_outcome_is_never_repeated_silently_and_its_key_dedupes() {
    let sim = sim().await;
    let mut cfg = ClientConfig::new(sim.base_url(), "sim-key");
    cfg.timeout = Duration::from_millis(700);
    let c = Client::new(cfg).unwrap();
    inbound(&sim, "966550008888", "hi").await;

    // The service accepts the send but the answer never comes back in time.
    faults(&sim, json!({"timeout": {"count": 1, "hold_ms": 3000, "process": true}})).await;
    let req = text("966550008888", "Your order is ready");
    let e = c.send(&req).await.unwrap_err();
    assert_eq!(e, ApiError::Timeout);
    assert!(e.send_outcome_unknown());
    let after_timeout = sends(&sim).await;
    assert_eq!(after_timeout.len(), 1, "accepted once, not retried: {after_timeout:?}");

    // "Send again" with the same key: the simulator returns the original, no second message.
    let again = c.send(&req).await.unwrap();
    let listed = sends(&sim).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["idempotency_key"], req.idempotency_key.to_string());
    assert_eq!(listed[0]["attempts"], 2);
    assert_eq!(listed[0]["message_log_id"].as_str().map(str::to_string).unwrap_or_else(|| listed[0]["message_log_id"].to_string()), again.message_log_id);

    // A truncated 200: also an unknown outcome.
    faults(&sim, json!({"malformed": {"count": 1}})).await;
    let e = c.send(&text("966550008888", "second")).await.unwrap_err();
    assert!(matches!(e, ApiError::BadResponse { status: 200, .. }), "{e:?}");
    assert!(e.send_outcome_unknown());
    sim.shutdown().await;
}

#[tokio::test]
async fn the_clock_offset_follows_the_simulators_date_header() {
    let sim = sim().await;
    let c = client(&sim);
    c.health().await.unwrap();
    assert!(c.clock_offset().0.num_seconds().abs() <= 1);
    advance(&sim, 2 * 3600).await;
    c.health().await.unwrap();
    let off = c.clock_offset().0.num_seconds();
    assert!((7199..=7201).contains(&off), "offset {off}");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_rate_limit_headers_fill_the_budget() {
    let sim = sim().await;
    let c = client(&sim);
    faults(&sim, json!({"limit_per_minute": 20})).await;
    for _ in 0..3 {
        c.templates(NUMBER).await.unwrap();
    }
    let b = c.rate_budget();
    assert_eq!(b.limit, Some(20));
    assert!(b.remaining.is_some_and(|r| r <= 17), "{b:?}");
    sim.shutdown().await;
}
