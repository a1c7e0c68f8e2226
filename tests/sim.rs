//! The CubeConnect simulator over real loopback HTTP: every endpoint's shape, auth, validation,
//! idempotency, the 24-hour window on the simulator's clock, faults, signed webhooks, and the seed.

#[path = "common/sim_harness.rs"]
mod harness;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration as StdDuration, Instant, SystemTime};

use chrono::{DateTime, Duration, TimeZone, Utc};
use cubedesk::domain::clock::ClockOffset;
use cubedesk::domain::message_type::{Direction, MessageType};
use cubedesk::domain::status::Status;
use cubedesk::domain::template::placeholders;
use cubedesk::domain::window::{window_state, WindowPhase};
use cubedesk::sim::seed::{self, HeaderType, SeedContent};
use cubedesk::sim::SimConfig;
use harness::{id_of, read, template_send, text_send, Receiver, Sim, KEY, NUMBER};
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Sha256;

const SARA: &str = "+966501234567";
const SARA_DIGITS: &str = "966501234567";

fn parse_time(v: &Value) -> DateTime<Utc> {
    let s = v.as_str().unwrap_or_else(|| panic!("not a time: {v}"));
    DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s}: {e}")).with_timezone(&Utc)
}

fn date_header(r: &harness::Reply) -> DateTime<Utc> {
    let raw = r.header("date").expect("Date header");
    let t: SystemTime = httpdate::parse_http_date(raw).expect("RFC 7231 date");
    DateTime::<Utc>::from(t)
}

fn close_to(a: DateTime<Utc>, b: DateTime<Utc>, tolerance_secs: i64) -> bool {
    (a - b).num_seconds().abs() <= tolerance_secs
}

// ---------------------------------------------------------------------------------------------
// Health, auth, envelope
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn health_needs_no_key() {
    let sim = Sim::start().await;
    let r = read(sim.http.get(sim.url("/api/health")).send().await.unwrap()).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["success"], true);
    assert_eq!(r.data()["status"], "healthy");
    assert_eq!(r.data()["checks"], json!({"app": true, "database": true, "cache": true}));
    assert!(close_to(parse_time(&r.data()["timestamp"]), Utc::now(), 5));
    assert_eq!(r.header("x-ratelimit-limit"), Some("60"));
    assert!(r.header("x-ratelimit-remaining").is_some());
    sim.stop().await;
}

#[tokio::test]
async fn auth_errors_follow_the_contract() {
    let sim = Sim::start().await;
    let path = sim.url(&format!("/api/v1/templates?whatsapp_account_id={NUMBER}"));

    let none = read(sim.http.get(&path).send().await.unwrap()).await;
    assert_eq!((none.status, none.code()), (401, "AUTHENTICATION_REQUIRED"));
    assert_eq!(none.json["success"], false);
    assert!(none.json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(none.header("x-ratelimit-limit"), Some("60"), "every /api/v1 answer carries the headers");

    let wrong = read(sim.http.get(&path).bearer_auth("nope").send().await.unwrap()).await;
    assert_eq!((wrong.status, wrong.code()), (401, "INVALID_API_KEY"));

    let alt = read(sim.http.get(&path).header("X-API-KEY", KEY).send().await.unwrap()).await;
    assert_eq!(alt.status, 200, "X-API-KEY is accepted too");

    let tenant = read(sim.http.get(&path).bearer_auth(KEY).header("X-TENANT-ID", "2").send().await.unwrap()).await;
    assert_eq!((tenant.status, tenant.code()), (403, "TENANT_NOT_FOUND"));
    let tenant1 = read(sim.http.get(&path).bearer_auth(KEY).header("X-TENANT-ID", "1").send().await.unwrap()).await;
    assert_eq!(tenant1.status, 200);

    let crm = read(sim.http.get(sim.url(&format!("/api/crm/{SARA_DIGITS}/session-status"))).send().await.unwrap()).await;
    assert_eq!((crm.status, crm.code()), (401, "AUTHENTICATION_REQUIRED"));
    let send = read(sim.http.post(sim.url("/api/v1/messages/send")).json(&text_send(SARA, "hi")).send().await.unwrap()).await;
    assert_eq!(send.status, 401);
    assert!(sim.sends().await.is_empty(), "an unauthenticated send is not accepted");
    sim.stop().await;
}

#[tokio::test]
async fn unknown_routes_and_methods_get_the_envelope() {
    let sim = Sim::start().await;
    let r = sim.get("/api/v1/campaigns-that-do-not-exist").await;
    assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
    let r = sim.get("/api/v1/messages/send").await;
    assert_eq!(r.status, 405);
    assert_eq!(r.json["success"], false);
    sim.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Sending and status
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_text_in_the_window_is_accepted_and_its_status_has_the_documented_shape() {
    let sim = Sim::start().await;
    sim.inbound(SARA, "Do you have Panadol?").await;

    let first = sim.send(&text_send(SARA, "Yes, 18 SAR"), Some("k-1")).await;
    assert_eq!(first.status, 202, "{}", first.text);
    let d = first.data();
    assert_eq!(d["status"], "queued");
    assert_eq!(d["conversation_category"], "SERVICE");
    assert_eq!(d["cost"], json!(0.0));
    assert!(d["scheduled_at"].is_null());
    assert!(d["message_log_id"].is_string(), "odd sends carry a string id: {d}");

    let second = sim.send(&text_send(SARA, "Anything else?"), Some("k-2")).await;
    assert!(second.data()["message_log_id"].is_u64(), "even sends carry a number: {}", second.text);

    for reply in [&first, &second] {
        let s = sim.get(&format!("/api/v1/messages/{}", id_of(reply.data()))).await;
        assert_eq!(s.status, 200, "{}", s.text);
        let m = s.data();
        assert_eq!(m["message_log_id"], reply.data()["message_log_id"], "same id, same JSON type");
        assert_eq!(m["status"], "queued");
        assert_eq!(m["to_phone"], SARA_DIGITS);
        assert_eq!(m["message_type"], "text");
        assert_eq!(m["cost_currency"], "SAR");
        assert_eq!(m["cost_amount"], json!(0.0));
        for key in ["meta_message_id", "sent_at", "scheduled_at", "error_message"] {
            assert!(m.get(key).is_some_and(Value::is_null), "{key} present and null while queued: {m}");
        }
        assert!(close_to(parse_time(&m["created_at"]), Utc::now(), 5));
    }

    let missing = sim.get("/api/v1/messages/01NOPE").await;
    assert_eq!((missing.status, missing.code()), (404, "NOT_FOUND"));
    sim.stop().await;
}

#[tokio::test]
async fn accepted_messages_reach_read_as_the_clock_moves() {
    let sim = Sim::start().await;
    sim.inbound(SARA, "hello").await;
    let sent = sim.send(&text_send(SARA, "Hi Sara"), None).await;
    let path = format!("/api/v1/messages/{}", id_of(sent.data()));

    sim.advance(2).await;
    let s = sim.get(&path).await;
    assert_eq!(s.data()["status"], "sent");
    assert!(s.data()["meta_message_id"].as_str().is_some_and(|w| w.starts_with("wamid.")));
    let sent_at = parse_time(&s.data()["sent_at"]);

    sim.advance(10).await;
    let s = sim.get(&path).await;
    assert_eq!(s.data()["status"], "read");
    assert_eq!(parse_time(&s.data()["sent_at"]), sent_at, "sent_at does not move afterwards");
    assert!(s.data()["error_message"].is_null());
    sim.stop().await;
}

#[tokio::test]
async fn outside_the_window_text_is_accepted_then_fails_with_131047_while_templates_deliver() {
    let sim = Sim::start().await;
    sim.inbound(SARA, "hello").await;
    sim.advance(25 * 3600).await;

    let text = sim.send(&text_send(SARA, "Are you still there?"), None).await;
    assert_eq!(text.status, 202, "accepted like the real service: {}", text.text);
    assert_eq!(text.data()["conversation_category"], "SERVICE");
    let tpl = sim.send(&template_send(SARA, "order_confirmation", "en_US", &["#1042", "250 SAR"]), None).await;
    assert_eq!(tpl.status, 202, "{}", tpl.text);
    assert_eq!(tpl.data()["conversation_category"], "UTILITY");
    assert!(tpl.data()["cost"].as_f64().unwrap() > 0.0);

    sim.advance(10).await;
    let t = sim.get(&format!("/api/v1/messages/{}", id_of(text.data()))).await;
    assert_eq!(t.data()["status"], "failed");
    assert!(t.data()["error_message"].as_str().unwrap().contains("131047"), "{}", t.text);
    assert!(t.data()["sent_at"].is_null());
    let p = sim.get(&format!("/api/v1/messages/{}", id_of(tpl.data()))).await;
    assert!(matches!(p.data()["status"].as_str(), Some("delivered" | "read")), "{}", p.text);
    assert_eq!(p.data()["message_type"], "template");
    sim.stop().await;
}

#[tokio::test]
async fn the_date_header_and_timestamps_follow_the_simulated_clock() {
    let sim = Sim::start().await;
    let before = sim.get(&format!("/api/v1/templates?whatsapp_account_id={NUMBER}")).await;
    assert!(close_to(date_header(&before), Utc::now(), 3), "starts at real time");

    let moved = sim.advance(3 * 86_400).await;
    assert!(close_to(parse_time(&moved["now"]), Utc::now() + Duration::days(3), 3));
    let after = sim.get(&format!("/api/v1/templates?whatsapp_account_id={NUMBER}")).await;
    assert!(close_to(date_header(&after), Utc::now() + Duration::days(3), 3), "{:?}", after.header("date"));
    let health = read(sim.http.get(sim.url("/api/health")).send().await.unwrap()).await;
    assert!(close_to(parse_time(&health.data()["timestamp"]), Utc::now() + Duration::days(3), 3));
    assert!(close_to(date_header(&health), Utc::now() + Duration::days(3), 3));

    let back = sim.control(Method::POST, "/_sim/clock", Some(json!({"advance_seconds": 5}))).await;
    assert!(parse_time(&back["now"]) > parse_time(&moved["now"]));
    let refused = read(sim.http.post(sim.url("/_sim/clock")).json(&json!({"advance_seconds": -60})).send().await.unwrap()).await;
    assert_eq!(refused.status, 422, "the clock only moves forward");
    sim.stop().await;
}

#[tokio::test]
async fn media_interactive_reaction_and_scheduled_sends() {
    let sim = Sim::start().await;
    sim.inbound(SARA, "hi").await;
    let base = |t: &str, data: Value| json!({"whatsapp_account_id": NUMBER, "phone": SARA, "message_type": t, "data": data});
    let cases = [
        base("image", json!({"link": "https://example.com/p.jpg", "caption": "Panadol"})),
        base("video", json!({"link": "https://example.com/v.mp4"})),
        base("audio", json!({"link": "https://example.com/a.ogg"})),
        base("document", json!({"link": "https://example.com/i.pdf", "filename": "invoice.pdf"})),
        base("interactive", json!({"type": "button", "body": {"text": "Pickup or delivery?"},
            "action": {"buttons": [{"type": "reply", "reply": {"id": "p", "title": "Pickup"}}]}})),
        base("interactive", json!({"type": "list", "body": {"text": "Pick a time"},
            "action": {"button": "Times", "sections": [{"title": "Today", "rows": [{"id": "a", "title": "4 PM"}]}]}})),
        base("reaction", json!({"message_id": "wamid.HBgM1", "emoji": "👍"})),
    ];
    for body in &cases {
        let r = sim.send(body, None).await;
        assert_eq!(r.status, 202, "{body}: {}", r.text);
        assert_eq!(r.data()["conversation_category"], "SERVICE");
    }
    let missing_link = sim.send(&base("image", json!({"caption": "x"})), None).await;
    assert_eq!((missing_link.status, missing_link.code()), (422, "VALIDATION_ERROR"));
    assert!(missing_link.json["error"]["details"]["data.link"].is_array());

    let at = Utc::now() + Duration::hours(2);
    let mut scheduled = template_send(SARA, "welcome_back", "en_US", &[]);
    scheduled["scheduled_at"] = json!(at.to_rfc3339());
    scheduled["timezone"] = json!("Asia/Riyadh");
    let r = sim.send(&scheduled, None).await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.data()["status"], "scheduled");
    assert!(close_to(parse_time(&r.data()["scheduled_at"]), at, 1));
    assert_eq!(r.data()["conversation_category"], "MARKETING");
    let path = format!("/api/v1/messages/{}", id_of(r.data()));
    sim.advance(3600).await;
    assert_eq!(sim.get(&path).await.data()["status"], "scheduled");
    sim.advance(3600 + 30).await;
    assert_eq!(sim.get(&path).await.data()["status"], "read");

    let mut past = scheduled.clone();
    past["scheduled_at"] = json!("2020-01-01T00:00:00Z");
    let r = sim.send(&past, None).await;
    assert_eq!((r.status, r.code()), (422, "VALIDATION_ERROR"));
    assert!(r.json["error"]["details"]["scheduled_at"].is_array());
    sim.stop().await;
}

#[tokio::test]
async fn undeliverable_phones_fail_with_131026() {
    let sim = Sim::start().await;
    let r = sim.send(&template_send("+966500000000", "verification_code", "en_US", &["123456"]), None).await;
    assert_eq!(r.status, 202);
    sim.advance(10).await;
    let s = sim.get(&format!("/api/v1/messages/{}", id_of(r.data()))).await;
    assert_eq!(s.data()["status"], "failed");
    assert!(s.data()["error_message"].as_str().unwrap().contains("131026"));
    assert!(s.data()["sent_at"].is_string(), "it was sent, then not delivered");
    sim.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn malformed_and_incomplete_sends() {
    let sim = Sim::start().await;
    let raw = read(
        sim.http
            .post(sim.url("/api/v1/messages/send"))
            .bearer_auth(KEY)
            .header("content-type", "application/json")
            .body("{\"phone\": ")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((raw.status, raw.code()), (400, "BAD_REQUEST"));

    for nothing in [json!({}), json!([1, 2])] {
        let empty = sim.send(&nothing, None).await;
        assert_eq!((empty.status, empty.code()), (422, "VALIDATION_ERROR"), "{nothing}");
        let details = &empty.json["error"]["details"];
        for field in ["whatsapp_account_id", "phone", "message_type", "data"] {
            let msgs = details[field].as_array().unwrap_or_else(|| panic!("{field} in {details}"));
            assert!(msgs[0].as_str().unwrap().contains("required"), "{field}: {msgs:?}");
        }
    }

    let mut wrong_types = text_send(SARA, "x");
    wrong_types["data"] = json!("text");
    wrong_types["phone"] = json!(966501234567u64);
    let r = sim.send(&wrong_types, None).await;
    assert_eq!((r.status, r.code()), (422, "VALIDATION_ERROR"));
    assert!(r.json["error"]["details"]["data"].is_array() && r.json["error"]["details"]["phone"].is_array());

    let mut other_number = text_send(SARA, "hi");
    other_number["whatsapp_account_id"] = json!("01JXOTHER");
    let r = sim.send(&other_number, None).await;
    assert_eq!((r.status, r.code()), (422, "NO_ACTIVE_ACCOUNT"));

    for bad in ["+12", "+966 50 CALL ME", "1234567890123456"] {
        let r = sim.send(&text_send(bad, "hi"), None).await;
        assert_eq!((r.status, r.code()), (422, "INVALID_PHONE_NUMBER"), "{bad}");
    }

    let long = sim.send(&text_send(SARA, &"a".repeat(4097)), None).await;
    assert_eq!((long.status, long.code()), (422, "VALIDATION_ERROR"));
    assert!(long.json["error"]["details"]["data.text"][0].as_str().unwrap().contains("4096"));
    let exactly = sim.send(&text_send(SARA, &"م".repeat(4096)), None).await;
    assert_eq!(exactly.status, 202, "4096 characters fit, whatever their bytes");

    let legacy = sim.send(&json!({"whatsapp_account_id": NUMBER, "phone": SARA, "message_type": "text", "data": {"body": "hi"}}), None).await;
    assert_eq!((legacy.status, legacy.code()), (422, "VALIDATION_ERROR"), "data.text is the current field");

    for t in ["location", "sticker", "carrier_pigeon"] {
        let r = sim.send(&json!({"whatsapp_account_id": NUMBER, "phone": SARA, "message_type": t, "data": {}}), None).await;
        assert_eq!((r.status, r.code()), (422, "VALIDATION_ERROR"), "{t}");
        assert!(r.json["error"]["details"]["message_type"].is_array());
    }
    assert_eq!(sim.sends().await.len(), 1, "only the valid send was accepted");
    sim.stop().await;
}

#[tokio::test]
async fn template_errors() {
    let sim = Sim::start().await;
    let r = sim.send(&template_send(SARA, "no_such_template", "en_US", &[]), None).await;
    assert_eq!((r.status, r.code()), (404, "TEMPLATE_NOT_FOUND"));

    let r = sim.send(&template_send(SARA, "summer_offer", "ar", &["Sara"]), None).await;
    assert_eq!((r.status, r.code()), (422, "TEMPLATE_LANGUAGE_MISMATCH"));
    assert_eq!(r.json["error"]["details"]["available_languages"], json!(["en_US"]));

    for params in [&["#1042"][..], &["#1042", "250 SAR", "extra"][..], &[][..]] {
        let r = sim.send(&template_send(SARA, "order_confirmation", "ar", params), None).await;
        assert_eq!((r.status, r.code()), (422, "TEMPLATE_PARAMS_MISMATCH"), "{params:?}");
        assert_eq!(r.json["error"]["details"]["expected"], 2);
    }
    let r = sim.send(&template_send(SARA, "welcome_back", "en_US", &["unexpected"]), None).await;
    assert_eq!((r.status, r.code()), (422, "TEMPLATE_PARAMS_MISMATCH"), "zero-parameter templates take none");

    let r = sim.send(&template_send(SARA, "summer_offer", "en_US", &["Sara"]), None).await;
    assert_eq!((r.status, r.code()), (422, "TEMPLATE_HEADER_MEDIA_REQUIRED"));
    let mut with_header = template_send(SARA, "summer_offer", "en_US", &["Sara"]);
    with_header["data"]["components"].as_array_mut().unwrap().push(
        json!({"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/offer.jpg"}}]}),
    );
    let r = sim.send(&with_header, None).await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.data()["conversation_category"], "MARKETING");

    let pending = sim.send(&template_send(SARA, "ramadan_greetings", "ar", &[]), None).await;
    assert_eq!((pending.status, pending.code()), (422, "VALIDATION_ERROR"), "only approved templates go");
    let auth = sim.send(&template_send(SARA, "verification_code", "ar", &["482913"]), None).await;
    assert_eq!(auth.data()["conversation_category"], "AUTHENTICATION");
    sim.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Templates, session status, opt-outs
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn templates_list_filters_and_errors() {
    let sim = Sim::start().await;
    let all = sim.get(&format!("/api/v1/templates?whatsapp_account_id={NUMBER}")).await;
    assert_eq!(all.status, 200);
    let list = all.data().as_array().expect("a bare array in data");
    assert_eq!(list.len(), seed::template_catalogue().len());
    for t in list {
        for key in ["name", "language", "category", "status", "params_count", "body", "header", "header_type", "header_sample_media_url", "footer"] {
            assert!(t.get(key).is_some(), "{key} in {t}");
        }
        assert_eq!(t["params_count"].as_u64().unwrap() as usize, placeholders(t["body"].as_str().unwrap()).len());
    }
    let image = list.iter().find(|t| t["header_type"] == "image").expect("an image header");
    assert!(image["header_sample_media_url"].as_str().unwrap().starts_with("https://"));

    for status in ["APPROVED", "approved"] {
        let approved = sim.get(&format!("/api/v1/templates?whatsapp_account_id={NUMBER}&status={status}")).await;
        let approved = approved.data().as_array().unwrap().clone();
        assert!(approved.iter().all(|t| t["status"] == "APPROVED"));
        assert_eq!(approved.len(), list.len() - 2, "one PENDING and one REJECTED are left out");
    }

    let missing = sim.get("/api/v1/templates").await;
    assert_eq!((missing.status, missing.code()), (422, "VALIDATION_ERROR"));
    assert!(missing.json["error"]["details"]["whatsapp_account_id"].is_array());
    let unknown = sim.get("/api/v1/templates?whatsapp_account_id=01JXNOPE").await;
    assert_eq!((unknown.status, unknown.code()), (422, "NO_ACTIVE_ACCOUNT"));
    sim.stop().await;
}

#[tokio::test]
async fn session_status_is_a_bare_object_that_follows_the_window() {
    let sim = Sim::start().await;
    let unknown = sim.get("/api/crm/966555555555/session-status").await;
    assert_eq!((unknown.status, unknown.code()), (404, "NOT_FOUND"), "errors keep the envelope");

    let inbound = sim.inbound(SARA, "hi").await;
    let received_at = parse_time(&inbound["received_at"]);
    for customer in [SARA_DIGITS, "%2B966501234567"] {
        let open = sim.get(&format!("/api/crm/{customer}/session-status")).await;
        assert_eq!(open.status, 200);
        assert!(open.json.get("success").is_none(), "bare object: {}", open.text);
        assert_eq!(open.json["window_active"], true);
        assert_eq!(parse_time(&open.json["last_inbound_at"]), received_at);
        assert_eq!(parse_time(&open.json["expires_at"]), received_at + Duration::hours(24));
        let left = open.json["remaining_minutes"].as_i64().unwrap();
        assert!((1438..=1440).contains(&left), "{left}");
        assert_eq!(open.json["templates"], json!([]));
    }

    sim.advance(23 * 3600 + 30 * 60).await;
    let closing = sim.get(&format!("/api/crm/{SARA_DIGITS}/session-status")).await;
    assert!((28..=30).contains(&closing.json["remaining_minutes"].as_i64().unwrap()), "{}", closing.text);

    sim.advance(31 * 60).await;
    let closed = sim.get(&format!("/api/crm/{SARA_DIGITS}/session-status")).await;
    assert_eq!(closed.json["window_active"], false);
    assert_eq!(closed.json["remaining_minutes"], 0);
    let templates = closed.json["templates"].as_array().unwrap();
    assert!(!templates.is_empty());
    for t in templates {
        for key in ["id", "name", "language", "body", "param_count"] {
            assert!(t.get(key).is_some(), "{key} in {t}");
        }
        assert_ne!(t["name"], "ramadan_greetings", "only approved templates");
        assert_ne!(t["name"], "flash_sale_50");
    }
    sim.stop().await;
}

#[tokio::test]
async fn opt_outs_round_trip_and_block_sends() {
    let sim = Sim::start().await;
    sim.inbound(SARA, "hi").await;
    let added = sim.post("/api/v1/opt-outs", &json!({"phone": SARA})).await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.data()["phone"], SARA);
    assert_eq!(added.data()["scope"], "marketing", "marketing is the default scope");
    assert_eq!(added.data()["source"], "api");
    assert!(close_to(parse_time(&added.data()["opted_out_at"]), Utc::now(), 5));

    let got = sim.get("/api/v1/opt-outs/%2B966501234567").await;
    assert_eq!(got.data()["opted_out"], true);
    assert_eq!(got.data()["scope"], "marketing");

    let marketing = sim.send(&template_send(SARA, "welcome_back", "en_US", &[]), None).await;
    assert_eq!((marketing.status, marketing.code()), (422, "RECIPIENT_OPTED_OUT"));
    let utility = sim.send(&template_send(SARA, "prescription_ready", "en_US", &["Sara"]), None).await;
    assert_eq!(utility.status, 202, "marketing opt-out leaves utility messages");
    let text = sim.send(&text_send(SARA, "Your order is ready"), None).await;
    assert_eq!(text.status, 202);

    sim.post("/api/v1/opt-outs", &json!({"phone": SARA, "scope": "all"})).await;
    let text = sim.send(&text_send(SARA, "still there?"), None).await;
    assert_eq!((text.status, text.code()), (422, "RECIPIENT_OPTED_OUT"), "scope all blocks everything");

    let listed = sim.get("/api/v1/opt-outs?scope=all").await;
    assert_eq!(listed.data()["opt_outs"].as_array().unwrap().len(), 1);
    assert_eq!(listed.data()["pagination"]["total"], 1);

    let removed = sim.delete("/api/v1/opt-outs/%2B966501234567").await;
    assert_eq!(removed.data(), &json!({"phone": SARA, "removed": true}));
    let again = sim.delete(&format!("/api/v1/opt-outs/{SARA_DIGITS}")).await;
    assert_eq!(again.data()["removed"], false);
    let got = sim.get(&format!("/api/v1/opt-outs/{SARA_DIGITS}")).await;
    assert_eq!(got.data()["opted_out"], false);
    assert!(got.data()["scope"].is_null());

    let bad_scope = sim.post("/api/v1/opt-outs", &json!({"phone": SARA, "scope": "sometimes"})).await;
    assert_eq!((bad_scope.status, bad_scope.code()), (422, "VALIDATION_ERROR"));
    let bad_phone = sim.get("/api/v1/opt-outs/12").await;
    assert_eq!((bad_phone.status, bad_phone.code()), (422, "INVALID_PHONE_NUMBER"));
    sim.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Idempotency
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_repeated_idempotency_key_returns_the_original_and_sends_once() {
    let sim = Sim::start().await;
    sim.inbound(SARA, "hi").await;
    let body = text_send(SARA, "Your order is on its way");
    let first = sim.send(&body, Some("3f2a-key")).await;
    let again = sim.send(&body, Some("3f2a-key")).await;
    assert_eq!(first.status, 202);
    assert_eq!(again.status, 202);
    assert_eq!(first.data(), again.data(), "the original result, id included");
    let other = sim.send(&body, Some("other-key")).await;
    assert_ne!(other.data()["message_log_id"], first.data()["message_log_id"]);
    sim.send(&body, None).await;

    let sends = sim.sends().await;
    assert_eq!(sends.len(), 3, "{sends:?}");
    let by_key: BTreeMap<String, &Value> =
        sends.iter().map(|s| (s["idempotency_key"].as_str().unwrap_or("(none)").to_string(), s)).collect();
    let original = by_key["3f2a-key"];
    assert_eq!(original["attempts"], 2);
    assert_eq!(original["message_log_id"], first.data()["message_log_id"]);
    assert_eq!(original["phone"], SARA_DIGITS);
    assert_eq!(original["message_type"], "text");
    assert!(close_to(parse_time(&original["accepted_at"]), Utc::now(), 5));
    assert_eq!(by_key["other-key"]["attempts"], 1);
    assert!(by_key["(none)"]["idempotency_key"].is_null());
    sim.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------

fn templates_path() -> String {
    format!("/api/v1/templates?whatsapp_account_id={NUMBER}")
}

#[tokio::test]
async fn http_burst_then_recovery() {
    let sim = Sim::start().await;
    sim.faults(json!({"http": {"status": 503, "count": 2}})).await;
    for _ in 0..2 {
        let r = sim.get(&templates_path()).await;
        assert_eq!((r.status, r.code()), (503, "SERVICE_DEGRADED"));
        assert_eq!(r.json["success"], false);
    }
    assert_eq!(sim.get(&templates_path()).await.status, 200, "only two");

    sim.faults(json!({"http": {"status": 502, "html": true}})).await;
    let r = sim.get(&templates_path()).await;
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.json.is_null(), "not JSON");
    let shown = sim.control(Method::GET, "/_sim/faults", None).await;
    assert_eq!(shown, json!({}), "a spent fault disarms itself");
    sim.stop().await;
}

#[tokio::test]
async fn rate_limit_faults_with_and_without_headers() {
    let sim = Sim::start().await;
    sim.faults(json!({"rate_limit": {"count": 1, "headers": true}})).await;
    let r = sim.get(&templates_path()).await;
    assert_eq!((r.status, r.code()), (429, "RATE_LIMIT_EXCEEDED"));
    assert_eq!(r.header("x-ratelimit-limit"), Some("60"));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));

    sim.faults(json!({"rate_limit": {"count": 1, "headers": false}})).await;
    let r = sim.get(&templates_path()).await;
    assert_eq!((r.status, r.code()), (429, "RATE_LIMIT_EXCEEDED"));
    assert!(r.header("x-ratelimit-limit").is_none() && r.header("x-ratelimit-remaining").is_none());

    assert_eq!(sim.get(&templates_path()).await.status, 200);
    sim.stop().await;
}

#[tokio::test]
async fn the_real_rate_limit_counts_down_and_refuses() {
    let sim = Sim::start().await;
    sim.faults(json!({"limit_per_minute": 3})).await;
    for expected in ["2", "1", "0"] {
        let r = sim.get(&templates_path()).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(r.header("x-ratelimit-remaining"), Some(expected));
    }
    let r = sim.get(&templates_path()).await;
    assert_eq!((r.status, r.code()), (429, "RATE_LIMIT_EXCEEDED"));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    let health = read(sim.http.get(sim.url("/api/health")).send().await.unwrap()).await;
    assert_eq!(health.status, 200, "health is not rate limited");
    sim.stop().await;
}

#[tokio::test]
async fn the_default_limit_is_sixty_per_minute() {
    let sim = Sim::start().await;
    let mut last = None;
    for _ in 0..60 {
        let r = sim.get(&templates_path()).await;
        assert_eq!(r.status, 200);
        last = r.header("x-ratelimit-remaining").map(str::to_string);
    }
    assert_eq!(last.as_deref(), Some("0"));
    let r = sim.get(&templates_path()).await;
    assert_eq!((r.status, r.code()), (429, "RATE_LIMIT_EXCEEDED"));
    sim.stop().await;
}

#[tokio::test]
async fn malformed_bodies() {
    let sim = Sim::start().await;
    sim.faults(json!({"malformed": {"count": 1}})).await;
    let r = sim.get(&templates_path()).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("application/json"));
    assert!(!r.text.is_empty());
    assert!(serde_json::from_str::<Value>(&r.text).is_err(), "truncated: {}", r.text);
    let whole = sim.get(&templates_path()).await;
    assert!(whole.json.is_object(), "only once");
    assert!(whole.text.starts_with(&r.text) && whole.text.len() > r.text.len(), "the start of the real answer");
    sim.stop().await;
}

#[tokio::test]
async fn a_timed_out_send_was_accepted_and_a_retry_with_its_key_is_not_a_duplicate() {
    let sim = Sim::start().await;
    sim.inbound(SARA, "hi").await;
    sim.faults(json!({"timeout": {"count": 1}})).await;
    let impatient = reqwest::Client::builder().timeout(StdDuration::from_millis(300)).build().unwrap();
    let started = Instant::now();
    let err = impatient
        .post(sim.url("/api/v1/messages/send"))
        .bearer_auth(KEY)
        .header("Idempotency-Key", "msg-7")
        .json(&text_send(SARA, "hello"))
        .send()
        .await
        .expect_err("held past the client's timeout");
    assert!(err.is_timeout(), "{err}");
    assert!(started.elapsed() < StdDuration::from_secs(5));

    let sends = sim.sends().await;
    assert_eq!(sends.len(), 1, "the server did the work before the client gave up");
    let retry = sim.send(&text_send(SARA, "hello"), Some("msg-7")).await;
    assert_eq!(retry.status, 202);
    assert_eq!(retry.data()["message_log_id"], sends[0]["message_log_id"]);
    let sends = sim.sends().await;
    assert_eq!(sends.len(), 1);
    assert_eq!(sends[0]["attempts"], 2);

    sim.faults(json!({"timeout": {"count": 1, "process": false, "hold_ms": 60000}})).await;
    let err = impatient
        .post(sim.url("/api/v1/messages/send"))
        .bearer_auth(KEY)
        .json(&text_send(SARA, "lost"))
        .send()
        .await
        .expect_err("held");
    assert!(err.is_timeout());
    assert_eq!(sim.sends().await.len(), 1, "process:false does nothing");
    // Held responses must not keep the simulator from stopping.
    let stopping = Instant::now();
    sim.stop().await;
    assert!(stopping.elapsed() < StdDuration::from_secs(4));
}

#[tokio::test]
async fn latency_slows_every_api_answer() {
    let sim = Sim::start().await;
    sim.faults(json!({"latency_ms": 1500})).await;
    let t = Instant::now();
    assert_eq!(sim.get(&templates_path()).await.status, 200);
    assert!(t.elapsed() >= StdDuration::from_millis(1500));
    let t = Instant::now();
    sim.state().await;
    assert!(t.elapsed() < StdDuration::from_millis(1000), "control routes are not slowed");
    sim.faults(json!({"latency_ms": 0})).await;
    let t = Instant::now();
    sim.get(&templates_path()).await;
    assert!(t.elapsed() < StdDuration::from_millis(1000), "0 turns it off");
    sim.stop().await;
}

/// Every code of the contract's error table, with its documented HTTP status.
const DOCUMENTED: &[(&str, u16)] = &[
    ("AUTHENTICATION_REQUIRED", 401),
    ("INVALID_API_KEY", 401),
    ("API_KEY_NO_TENANT", 403),
    ("TENANT_NOT_FOUND", 403),
    ("FORBIDDEN", 403),
    ("NOT_FOUND", 404),
    ("TEMPLATE_NOT_FOUND", 404),
    ("VALIDATION_ERROR", 422),
    ("INVALID_PHONE_NUMBER", 422),
    ("NO_ACTIVE_ACCOUNT", 422),
    ("MISSING_ACCESS_TOKEN", 422),
    ("TEMPLATE_LANGUAGE_MISMATCH", 422),
    ("TEMPLATE_PARAMS_MISMATCH", 422),
    ("TEMPLATE_HEADER_MEDIA_REQUIRED", 422),
    ("RECIPIENT_OPTED_OUT", 422),
    ("RATE_LIMIT_EXCEEDED", 429),
    ("PLAN_LIMIT_REACHED", 429),
    ("SUBSCRIPTION_EXPIRED", 429),
    ("MESSAGING_TIER_LIMIT_EXCEEDED", 429),
    ("MESSAGE_SEND_FAILED", 500),
    ("INTERNAL_ERROR", 500),
    ("SERVICE_DEGRADED", 503),
];

#[tokio::test]
async fn every_documented_error_code_can_be_injected() {
    let sim = Sim::start().await;
    sim.inbound(SARA, "hi").await;
    for (code, status) in DOCUMENTED {
        sim.faults(json!({"error": {"code": code}})).await;
        let r = sim.send(&text_send(SARA, "hi"), None).await;
        assert_eq!((r.status, r.code()), (*status, *code), "{}", r.text);
        assert_eq!(r.json["success"], false);
    }
    assert!(sim.sends().await.is_empty(), "an injected error replaces the send");

    sim.faults(json!({"error": {"code": "PLAN_LIMIT_REACHED", "count": 2, "message": "Monthly quota used"}})).await;
    for _ in 0..2 {
        let r = sim.get(&templates_path()).await;
        assert_eq!((r.status, r.code()), (429, "PLAN_LIMIT_REACHED"));
        assert_eq!(r.json["error"]["message"], "Monthly quota used");
    }
    assert_eq!(sim.get(&templates_path()).await.status, 200);

    sim.faults(json!({"error": {"code": "MESSAGING_TIER_LIMIT_EXCEEDED"}})).await;
    let r = sim.get(&templates_path()).await;
    for key in ["daily_limit", "used_today", "remaining", "requested"] {
        assert!(r.json["error"]["details"][key].is_number(), "{key}");
    }
    sim.faults(json!({"error": {"code": "SOMETHING_NEW", "status": 418}})).await;
    let r = sim.get(&templates_path()).await;
    assert_eq!((r.status, r.code()), (418, "SOMETHING_NEW"), "undocumented codes too, for fallbacks");
    sim.stop().await;
}

#[tokio::test]
async fn fault_bodies_are_validated_and_delete_clears_everything() {
    let sim = Sim::start().await;
    for bad in [json!({"htpp": {"status": 503}}), json!({"http": {"status": 200}}), json!({"error": {"code": "MADE_UP"}}), json!([1])] {
        let r = read(sim.http.post(sim.url("/_sim/faults")).json(&bad).send().await.unwrap()).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
    }
    let armed = sim
        .faults(json!({"http": {"status": 500, "count": 5}, "latency_ms": 10, "webhooks": {"duplicate": true}}))
        .await;
    assert_eq!(armed["http"]["count"], 5);
    assert_eq!(armed["webhooks"]["duplicate"], true);
    let merged = sim.faults(json!({"malformed": {}})).await;
    assert_eq!(merged["http"]["count"], 5, "arming one fault keeps the others");
    assert_eq!(merged["malformed"]["count"], 1);
    assert_eq!(sim.get(&templates_path()).await.status, 500);
    assert_eq!(sim.control(Method::GET, "/_sim/faults", None).await["http"]["count"], 4);

    sim.control(Method::DELETE, "/_sim/faults", None).await;
    assert_eq!(sim.control(Method::GET, "/_sim/faults", None).await, json!({}));
    let r = sim.get(&templates_path()).await;
    assert_eq!(r.status, 200);
    assert!(r.json.is_object());
    sim.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

const SECRET: &str = "whsec_test_3b1f";

async fn sim_with_webhooks(receiver: &Receiver, secret: Option<&str>) -> Sim {
    Sim::with(SimConfig {
        webhook_url: Some(receiver.url.clone()),
        webhook_secret: secret.map(str::to_string),
        ..SimConfig::default()
    })
    .await
}

/// The receiver's side, written here without the simulator's code: HMAC-SHA256 over
/// `timestamp + "." + raw body`, hex, compared in constant time, timestamp within 300 s.
fn verify(d: &harness::Delivery, secret: &str) -> Result<(), String> {
    let ts = d.header("x-webhook-timestamp").ok_or("no timestamp")?;
    let sig = d.header("x-webhook-signature").ok_or("no signature")?;
    let sent = DateTime::parse_from_rfc3339(ts).map_err(|e| format!("timestamp {ts}: {e}"))?;
    if (Utc::now() - sent.with_timezone(&Utc)).num_seconds().abs() > 300 {
        return Err(format!("timestamp {ts} is not the real wall clock"));
    }
    if sig.len() != 64 || sig.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!("not lowercase hex: {sig}"));
    }
    let expected = hex::decode(sig).map_err(|e| e.to_string())?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|e| e.to_string())?;
    mac.update(ts.as_bytes());
    mac.update(b".");
    mac.update(&d.body);
    mac.verify_slice(&expected).map_err(|_| "signature mismatch".to_string())
}

fn assert_transport_headers(d: &harness::Delivery) {
    assert_eq!(d.header("content-type"), Some("application/json"));
    assert_eq!(d.header("user-agent"), Some("CubeConnect-Webhook/1.0"));
}

#[tokio::test]
async fn webhooks_are_signed_flat_and_follow_the_simulated_clock() {
    let receiver = Receiver::start().await;
    let sim = sim_with_webhooks(&receiver, Some(SECRET)).await;

    let inbound = sim
        .control(Method::POST, "/_sim/inbound", Some(json!({"phone": SARA, "name": "سارة الحربي", "type": "text", "text": "عندكم بنادول؟"})))
        .await;
    let sent = sim.send(&text_send(SARA, "نعم متوفر"), None).await;
    sim.advance(10).await;
    let status = sim.get(&format!("/api/v1/messages/{}", id_of(sent.data()))).await;
    let wamid = status.data()["meta_message_id"].as_str().unwrap().to_string();

    // A template after the window closed: still delivered; a text: failed with 131047.
    sim.advance(25 * 3600).await;
    sim.send(&text_send(SARA, "late"), None).await;
    sim.advance(10).await;

    let all = receiver.wait_for(5, StdDuration::from_secs(5)).await;
    assert_eq!(all.len(), 5, "received, sent, delivered, read, failed: {:?}", all.iter().map(|d| d.json()).collect::<Vec<_>>());
    for d in &all {
        assert_transport_headers(d);
        verify(d, SECRET).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&d.body)));
        let v = d.json();
        assert_eq!(v["tenant_id"], 1);
        assert!(v.get("data").is_none(), "flat payload");
        assert!(v["timestamp"].as_str().unwrap().ends_with("+00:00"), "ISO 8601 with offset");
    }

    let received = &receiver.events("message.received")[0];
    assert_eq!(received["wa_message_id"], inbound["wa_message_id"]);
    assert_eq!(received["from"], SARA_DIGITS);
    assert_eq!(received["sender_name"], "سارة الحربي");
    assert_eq!(received["type"], "text");
    assert_eq!(received["content"], "عندكم بنادول؟");
    assert_eq!(received["whatsapp_account_id"], 5);
    assert_eq!(parse_time(&received["timestamp"]), parse_time(&inbound["received_at"]));

    let statuses = receiver.events("message.status_updated");
    let first_three: Vec<_> = statuses.iter().take(3).map(|v| v["status"].as_str().unwrap().to_string()).collect();
    assert_eq!(first_three, ["sent", "delivered", "read"]);
    for v in &statuses[..3] {
        assert_eq!(v["message_id"], wamid.as_str());
        assert_eq!(v["recipient"], SARA_DIGITS);
        assert!(v["errors"].is_null());
        assert_eq!(v["whatsapp_account_id"], 5);
    }
    let failed = &statuses[3];
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["errors"], json!([{"code": 131047, "title": "Re-engagement message"}]));
    assert!(
        close_to(parse_time(&failed["timestamp"]), Utc::now() + Duration::hours(25), 30),
        "payload time is simulated time: {}",
        failed["timestamp"]
    );
    let header_time = parse_time(&json!(all[4].header("x-webhook-timestamp").unwrap()));
    assert!(close_to(header_time, Utc::now(), 30), "the transport timestamp stays on the real clock");
    sim.stop().await;
}

#[tokio::test]
async fn without_a_secret_webhooks_carry_no_signature() {
    let receiver = Receiver::start().await;
    let sim = sim_with_webhooks(&receiver, None).await;
    sim.inbound(SARA, "hi").await;
    let got = receiver.wait_for(1, StdDuration::from_secs(5)).await;
    assert_eq!(got.len(), 1);
    assert!(got[0].header("x-webhook-signature").is_none());
    assert!(got[0].header("x-webhook-timestamp").is_some());
    assert_transport_headers(&got[0]);
    sim.stop().await;
}

#[tokio::test]
async fn inbound_types_summarise_their_content() {
    let receiver = Receiver::start().await;
    let sim = sim_with_webhooks(&receiver, Some(SECRET)).await;
    let cases = [
        (json!({"type": "image", "caption": "my prescription"}), "my prescription"),
        (json!({"type": "image"}), "[image]"),
        (json!({"type": "video"}), "[video]"),
        (json!({"type": "audio"}), "[audio]"),
        (json!({"type": "document", "filename": "insurance.pdf"}), "insurance.pdf"),
        (json!({"type": "location", "lat": 24.7136, "lng": 46.6753}), "location:24.7136,46.6753"),
        (json!({"type": "interactive", "title": "Delivery"}), "Delivery"),
        (json!({"type": "reaction", "emoji": "👍", "reply_to": "wamid.X"}), "👍"),
        (json!({"type": "sticker"}), "[sticker]"),
    ];
    for (body, _) in &cases {
        let mut b = body.clone();
        b["phone"] = json!(SARA);
        sim.control(Method::POST, "/_sim/inbound", Some(b)).await;
    }
    let got = receiver.wait_for(cases.len(), StdDuration::from_secs(5)).await;
    let contents: Vec<Value> = got.iter().map(|d| d.json()).collect();
    for ((body, expected), v) in cases.iter().zip(&contents) {
        assert_eq!(v["type"], body["type"]);
        assert_eq!(v["content"], *expected, "{body}");
    }
    for bad in [
        json!({"phone": SARA, "type": "template"}),
        json!({"phone": SARA, "type": "location", "lat": 99, "lng": 0}),
        json!({"phone": SARA, "type": "text"}),
        json!({"phone": "nope", "type": "text", "text": "x"}),
        json!({"type": "text", "text": "x"}),
    ] {
        let r = read(sim.http.post(sim.url("/_sim/inbound")).json(&bad).send().await.unwrap()).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
    }
    sim.stop().await;
}

#[tokio::test]
async fn flow_events_carry_the_session() {
    let receiver = Receiver::start().await;
    let sim = sim_with_webhooks(&receiver, Some(SECRET)).await;
    let started = sim
        .control(Method::POST, "/_sim/flow", Some(json!({"phone": SARA, "event": "started", "flow_id": 301, "current_step_id": 3011,
            "session_data": {"name": "Sara"}})))
        .await;
    sim.advance(60).await;
    let done = sim
        .control(Method::POST, "/_sim/flow", Some(json!({"phone": SARA, "event": "completed", "flow_id": 301,
            "session_data": {"preferred_branch": "Olaya"}})))
        .await;
    assert_eq!(done["session_id"], started["session_id"], "the open session is completed");
    sim.control(Method::POST, "/_sim/flow", Some(json!({"phone": "+971501112233", "event": "cancelled", "flow_id": 302}))).await;

    let got = receiver.wait_for(3, StdDuration::from_secs(5)).await;
    assert_eq!(got.len(), 3);
    for d in &got {
        verify(d, SECRET).unwrap();
    }
    let events: Vec<Value> = got.iter().map(|d| d.json()).collect();
    assert_eq!(events[0]["event"], "flow.session_started");
    assert_eq!(events[0]["customer_phone"], SARA_DIGITS);
    assert_eq!(events[0]["flow_id"], 301);
    assert_eq!(events[0]["is_completed"], false);
    assert_eq!(events[1]["event"], "flow.session_completed");
    assert_eq!(events[1]["session_data"], json!({"name": "Sara", "preferred_branch": "Olaya"}));
    assert_eq!(events[1]["is_completed"], true);
    assert_eq!(events[1]["current_step_id"], 3011);
    assert!(parse_time(&events[1]["last_interaction_at"]) > parse_time(&events[1]["started_at"]));
    assert_eq!(events[2]["event"], "flow.session_cancelled");
    assert_eq!(events[2]["is_completed"], false);
    sim.stop().await;
}

#[tokio::test]
async fn duplicated_webhooks_arrive_twice_each_validly_signed() {
    let receiver = Receiver::start().await;
    let sim = sim_with_webhooks(&receiver, Some(SECRET)).await;
    sim.faults(json!({"webhooks": {"duplicate": true}})).await;
    sim.inbound(SARA, "hello").await;
    let got = receiver.wait_for(2, StdDuration::from_secs(5)).await;
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].body, got[1].body, "the same event twice");
    for d in &got {
        verify(d, SECRET).unwrap();
    }
    assert_eq!(sim.state().await["webhooks"]["duplicated"], 1);
    sim.stop().await;
}

#[tokio::test]
async fn reordered_webhooks_arrive_in_swapped_pairs() {
    let receiver = Receiver::start().await;
    let sim = sim_with_webhooks(&receiver, Some(SECRET)).await;
    sim.faults(json!({"webhooks": {"reorder": true}})).await;
    let a = sim.inbound(SARA, "first").await;
    let b = sim.inbound(SARA, "second").await;
    let got = receiver.wait_for(2, StdDuration::from_secs(5)).await;
    let order: Vec<Value> = got.iter().map(|d| d.json()["wa_message_id"].clone()).collect();
    assert_eq!(order, vec![b["wa_message_id"].clone(), a["wa_message_id"].clone()]);

    // A lone held event still goes out once nothing overtakes it.
    let c = sim.inbound(SARA, "third").await;
    let got = receiver.wait_for(3, StdDuration::from_secs(5)).await;
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].json()["wa_message_id"], c["wa_message_id"]);
    sim.stop().await;
}

#[tokio::test]
async fn dropped_and_delayed_webhooks() {
    let receiver = Receiver::start().await;
    let sim = sim_with_webhooks(&receiver, Some(SECRET)).await;
    sim.faults(json!({"webhooks": {"drop_every": 2}})).await;
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(sim.inbound(SARA, &format!("m{i}")).await["wa_message_id"].clone());
    }
    receiver.wait_for(2, StdDuration::from_secs(5)).await;
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    let got: Vec<Value> = receiver.deliveries().iter().map(|d| d.json()["wa_message_id"].clone()).collect();
    assert_eq!(got, vec![ids[0].clone(), ids[2].clone()], "every second event is dropped");
    assert_eq!(sim.state().await["webhooks"]["dropped"], 2);

    sim.faults(json!({"webhooks": {"delay_ms": 800}})).await;
    let t = Instant::now();
    sim.inbound(SARA, "slow").await;
    let got = receiver.wait_for(3, StdDuration::from_secs(5)).await;
    assert_eq!(got.len(), 3);
    assert!(got[2].at.duration_since(t) >= StdDuration::from_millis(750), "{:?}", got[2].at.duration_since(t));
    sim.stop().await;
}

#[tokio::test]
async fn a_refused_delivery_is_retried_freshly_signed() {
    let receiver = Receiver::failing_first(1).await;
    let sim = sim_with_webhooks(&receiver, Some(SECRET)).await;
    sim.inbound(SARA, "hello").await;
    let got = receiver.wait_for(1, StdDuration::from_secs(5)).await;
    assert_eq!(got.len(), 1, "delivered on the retry");
    assert_eq!(receiver.requests(), 2);
    verify(&got[0], SECRET).unwrap();
    let stats = sim.state().await["webhooks"].clone();
    assert_eq!(stats["failed_attempts"], 1);
    assert_eq!(stats["delivered"], 1);
    sim.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Control routes
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn control_routes_exist_only_on_loopback() {
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = cubedesk::sim::start(SimConfig::default(), listener).await.unwrap();
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    assert_eq!(handle.base_url(), base);
    let state = read(http.get(format!("{base}/_sim/state")).send().await.unwrap()).await;
    assert_eq!(state.status, 404);
    let clock = read(http.post(format!("{base}/_sim/clock")).json(&json!({"advance_seconds": 60})).send().await.unwrap()).await;
    assert_eq!(clock.status, 404);
    let health = read(http.get(format!("{base}/api/health")).send().await.unwrap()).await;
    assert_eq!(health.status, 200, "the API itself is served");
    handle.shutdown().await;

    let sim = Sim::start().await;
    let state = sim.state().await;
    assert_eq!(state["number_api_id"], NUMBER);
    assert_eq!(state["customers"], 0, "no seed data unless asked");
    assert!(state["templates"].as_u64().unwrap() > 0, "templates belong to the number");
    sim.stop().await;
}

#[tokio::test]
async fn shutdown_and_drop_both_stop_serving() {
    for drop_it in [false, true] {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let handle = cubedesk::sim::start(SimConfig::default(), listener).await.unwrap();
        let url = format!("{}/api/health", handle.base_url());
        let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
        assert_eq!(http.get(&url).send().await.unwrap().status(), 200);
        if drop_it {
            drop(handle);
        } else {
            let t = Instant::now();
            handle.shutdown().await;
            assert!(t.elapsed() < StdDuration::from_secs(2), "shutdown waits for nothing idle");
        }
        let deadline = Instant::now() + StdDuration::from_secs(3);
        while http.get(&url).send().await.is_ok() {
            assert!(Instant::now() < deadline, "still serving after {}", if drop_it { "drop" } else { "shutdown" });
            tokio::time::sleep(StdDuration::from_millis(50)).await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Seed data
// ---------------------------------------------------------------------------------------------

fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

#[test]
fn seed_is_deterministic() {
    let a = serde_json::to_string(&seed::generate(fixed_now(), 7)).unwrap();
    let b = serde_json::to_string(&seed::generate(fixed_now(), 7)).unwrap();
    assert_eq!(a, b);
    let c = serde_json::to_string(&seed::generate(fixed_now(), 8)).unwrap();
    assert_ne!(a, c, "the seed matters");
}

#[test]
fn seed_customers_look_real() {
    let data = seed::generate(fixed_now(), 7);
    assert!(data.customers.len() >= 60);
    let phones: BTreeSet<&str> = data.customers.iter().map(|c| c.phone.as_str()).collect();
    assert_eq!(phones.len(), data.customers.len(), "phones are unique");
    for prefix in ["9665", "9715", "4477"] {
        assert!(phones.iter().any(|p| p.starts_with(prefix)), "{prefix}");
    }
    for c in &data.customers {
        assert_eq!(cubedesk::domain::phone::Phone::parse(&c.phone).unwrap().digits(), c.phone, "canonical");
        assert!(c.metadata.is_object());
        assert!(c.first_conversation_at <= c.last_conversation_at);
        assert!(c.total_conversations >= 1);
    }
    let arabic = |s: &str| s.chars().any(|ch| ('\u{0600}'..='\u{06FF}').contains(&ch));
    let names: Vec<&str> = data.customers.iter().filter_map(|c| c.name.as_deref()).collect();
    assert!(names.iter().any(|n| arabic(n)), "Arabic names");
    assert!(names.iter().any(|n| !arabic(n)), "English names");
    assert!(data.customers.iter().filter(|c| c.email.is_some()).count() >= 5);
    let tags: BTreeSet<&str> = data.customers.iter().flat_map(|c| c.tags.iter().map(String::as_str)).collect();
    for t in ["vip", "returning", "wholesale"] {
        assert!(tags.contains(t), "{t} in {tags:?}");
    }
    let blocked = data.customers.iter().filter(|c| serde_json::to_value(c.status).unwrap() == "blocked").count();
    assert_eq!(blocked, 1);
    assert_eq!(data.opt_outs.len(), 2);
}

#[test]
fn seed_messages_cover_every_type_and_direction() {
    let now = fixed_now();
    let data = seed::generate(now, 7);
    let seen: BTreeSet<(String, String)> =
        data.messages.iter().map(|m| (m.kind.as_str().to_string(), m.direction.as_str().to_string())).collect();
    for kind in MessageType::ALL {
        let inbound_ok = !matches!(kind, MessageType::Template | MessageType::Interactive);
        let outbound_ok = !matches!(kind, MessageType::Location | MessageType::Sticker);
        let has = |d: &str| seen.contains(&(kind.as_str().to_string(), d.to_string()));
        assert_eq!(has("inbound"), inbound_ok, "{kind} inbound");
        assert_eq!(has("outbound"), outbound_ok, "{kind} outbound");
    }
    let templates = seed::template_catalogue();
    for m in &data.messages {
        assert!(m.created_at <= now && m.created_at >= now - Duration::days(90), "{}", m.created_at);
        assert_eq!(m.delivery.is_some(), m.direction == Direction::Outbound);
        if let SeedContent::Template { name, language, params, rendered_body, .. } = &m.content {
            let t = templates.iter().find(|t| &t.name == name && &t.language == language).expect("a known template");
            assert_eq!(params.len(), t.params_count as usize, "{name}");
            assert!(!rendered_body.contains("{{"), "{rendered_body}");
        }
    }
    // Free-form replies went out inside the window, except the ones that failed for it.
    for m in data.messages.iter().filter(|m| m.direction == Direction::Outbound && m.kind != MessageType::Template) {
        let last_inbound = data
            .messages
            .iter()
            .filter(|i| i.customer_phone == m.customer_phone && i.direction == Direction::Inbound && i.created_at <= m.created_at)
            .map(|i| i.created_at)
            .max();
        let open = window_state(last_inbound, None, m.created_at, ClockOffset::default()).active;
        let d = m.delivery.as_ref().unwrap();
        let re_engagement = d.failure_code.as_deref() == Some("131047");
        assert_eq!(open, !re_engagement, "{} {} at {}: {:?}", m.customer_phone, m.kind, m.created_at, d);
    }
    let arabic_text = data.messages.iter().any(|m| matches!(&m.content, SeedContent::Text { text } if text.contains("بنادول") || text.contains("طلب")));
    let english_text = data.messages.iter().any(|m| matches!(&m.content, SeedContent::Text { text } if text.contains("order") || text.contains("prescription")));
    assert!(arabic_text && english_text);

    let deliveries: Vec<_> = data.messages.iter().filter_map(|m| m.delivery.as_ref()).collect();
    let count = |s: Status| deliveries.iter().filter(|d| d.status == s).count();
    assert!(count(Status::Read) > count(Status::Failed) && count(Status::Delivered) > 0);
    let failed_with = |code: &str| deliveries.iter().any(|d| d.status == Status::Failed && d.failure_code.as_deref() == Some(code));
    assert!(failed_with("131047") && failed_with("131026"));
    assert!(deliveries.iter().any(|d| d.cost > 0.0) && deliveries.iter().any(|d| d.cost == 0.0));
}

#[test]
fn seed_has_open_closing_and_closed_windows() {
    let now = fixed_now();
    let data = seed::generate(now, 7);
    let mut phases = BTreeMap::new();
    for c in &data.customers {
        let newest = data
            .messages
            .iter()
            .filter(|m| m.customer_phone == c.phone && m.direction == Direction::Inbound)
            .map(|m| m.created_at)
            .max();
        assert_eq!(newest, c.last_inbound_at, "the customer record agrees with the messages");
        let phase = window_state(newest, None, now, ClockOffset::default()).phase;
        *phases.entry(format!("{phase:?}")).or_insert(0) += 1;
    }
    for phase in [WindowPhase::Open, WindowPhase::Closing, WindowPhase::Closed] {
        assert!(phases.get(&format!("{phase:?}")).copied().unwrap_or(0) > 0, "{phase:?} in {phases:?}");
    }
}

#[test]
fn seed_templates_cover_languages_categories_params_and_headers() {
    let data = seed::generate(fixed_now(), 7);
    let t = &data.templates;
    let languages: BTreeSet<&str> = t.iter().map(|t| t.language.as_str()).collect();
    assert!(languages.contains("ar") && languages.contains("en_US"));
    let categories: BTreeSet<String> = t.iter().map(|t| t.category.as_str().to_string()).collect();
    assert_eq!(categories, BTreeSet::from(["AUTHENTICATION".into(), "MARKETING".into(), "UTILITY".into()]));
    let counts: BTreeSet<u32> = t.iter().map(|t| t.params_count).collect();
    for n in 0..=3 {
        assert!(counts.contains(&n), "{n} parameters");
    }
    let media: Vec<_> = t.iter().filter(|t| t.header_type.is_media()).collect();
    assert_eq!(media.len(), 1);
    assert_eq!(media[0].header_type, HeaderType::Image);
    assert!(media[0].header_sample_media_url.as_deref().is_some_and(|u| u.starts_with("https://")));
    let status = |s: &str| t.iter().filter(|t| t.status == s).count();
    assert_eq!((status("PENDING"), status("REJECTED")), (1, 1));
    assert_eq!(status("APPROVED"), t.len() - 2);
}

#[test]
fn seed_flow_sessions_run_and_complete() {
    let now = fixed_now();
    let data = seed::generate(now, 7);
    let running: Vec<_> = data.flow_sessions.iter().filter(|s| s.ended_as.is_none()).collect();
    let completed: Vec<_> = data.flow_sessions.iter().filter(|s| s.is_completed).collect();
    assert!(!running.is_empty() && !completed.is_empty());
    assert!(running.iter().all(|s| s.expires_at > now && !s.is_completed));
    assert!(data.flow_sessions.iter().any(|s| s.session_data.get("preferred_branch").is_some() && s.session_data.get("name").is_some()));
    for r in &data.customer_responses {
        let s = data.flow_sessions.iter().find(|s| s.id == r.flow_session_id).expect("response belongs to a session");
        assert_eq!(s.session_data[&r.question_key], json!(r.response_value));
    }
}

#[tokio::test]
async fn a_seeded_simulator_answers_from_its_seed() {
    let sim = Sim::with(SimConfig { seed_data: true, ..SimConfig::default() }).await;
    let now = Utc::now();
    let data = seed::generate(now, 7);
    let state = sim.state().await;
    assert_eq!(state["customers"].as_u64().unwrap() as usize, data.customers.len());
    assert!(state["windows"]["open"].as_u64().unwrap() > 0 && state["windows"]["closed"].as_u64().unwrap() > 0);

    let phase = |c: &seed::SeedCustomer| window_state(c.last_inbound_at, None, now, ClockOffset::default()).phase;
    let open = data.customers.iter().find(|c| phase(c) == WindowPhase::Open).unwrap();
    let closed = data.customers.iter().find(|c| phase(c) == WindowPhase::Closed).unwrap();
    let r = sim.get(&format!("/api/crm/{}/session-status", open.phone)).await;
    assert_eq!(r.json["window_active"], true, "{}", r.text);
    let r = sim.get(&format!("/api/crm/{}/session-status", closed.phone)).await;
    assert_eq!(r.json["window_active"], false);

    // The first customer's history comes before any draw that depends on `now`, so it is the
    // same in the simulator's seed (made a few milliseconds earlier) and in ours.
    let first = &data.customers[0].phone;
    let m = data
        .messages
        .iter()
        .find(|m| {
            &m.customer_phone == first
                && m.delivery.as_ref().is_some_and(|d| d.status == Status::Read && d.message_log_id.bytes().all(|b| b.is_ascii_digit()))
        })
        .expect("a numeric id: ULIDs carry the creation millisecond, which differs");
    let d = m.delivery.as_ref().unwrap();
    let s = sim.get(&format!("/api/v1/messages/{}", d.message_log_id)).await;
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(s.data()["status"], "read");
    assert_eq!(s.data()["to_phone"], m.customer_phone.as_str());

    let all_out = data.opt_outs.iter().find(|o| o.scope == "all").unwrap();
    let r = sim.send(&template_send(&format!("+{}", all_out.phone), "order_confirmation", "en_US", &["#1", "9 SAR"]), None).await;
    assert_eq!((r.status, r.code()), (422, "RECIPIENT_OPTED_OUT"));
    let got = sim.get(&format!("/api/v1/opt-outs/{}", all_out.phone)).await;
    assert_eq!(got.data()["source"], all_out.source.as_str());
    sim.stop().await;
}
