//! The receiver under attack and abuse, over real loopback HTTP into a real archive: forged,
//! stale, future, unsigned, replayed, oversized and malformed deliveries. Each is refused with
//! the right status, recorded without its content, and nothing is applied. Requests are signed
//! here by an implementation independent of the receiver's.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use cubedesk::store::Store;
use cubedesk::webhook::{Receiver, ReceiverConfig};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use tokio::sync::mpsc;

const SECRET: &str = "whsec_forgery_test";

struct Setup {
    _tmp: tempfile::TempDir,
    store: Arc<Store>,
    receiver: Receiver,
    events: mpsc::UnboundedReceiver<i64>,
}

async fn setup(secret: Option<&str>, allow_unsigned: bool) -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(tmp.path()).await.unwrap());
    let (tx, events) = mpsc::unbounded_channel();
    let receiver = Receiver::start(
        ReceiverConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            secret: secret.map(Into::into),
            allow_unsigned,
            ..ReceiverConfig::default()
        },
        store.clone(),
        tx,
    )
    .await
    .unwrap();
    Setup { _tmp: tmp, store, receiver, events }
}

fn sign(secret: &str, ts: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(ts.as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

async fn post(s: &Setup, headers: &[(&str, String)], body: impl Into<reqwest::Body>) -> u16 {
    let mut r = reqwest::Client::new().post(s.receiver.url()).header("Content-Type", "application/json");
    for (k, v) in headers {
        r = r.header(*k, v);
    }
    r.body(body).send().await.unwrap().status().as_u16()
}

fn status_event(wamid: &str, status: &str) -> String {
    json!({"event": "message.status_updated", "tenant_id": 1, "timestamp": Utc::now().to_rfc3339(),
           "whatsapp_account_id": 5, "message_id": wamid, "status": status, "recipient": "966501234567", "errors": null})
    .to_string()
}

async fn count(s: &Setup, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(s.store.pool()).await.unwrap()
}

fn signed(body: &str, at: chrono::DateTime<Utc>, secret: &str) -> Vec<(&'static str, String)> {
    let ts = at.to_rfc3339();
    let sig = sign(secret, &ts, body);
    vec![("X-Webhook-Timestamp", ts), ("X-Webhook-Signature", sig)]
}

#[tokio::test]
async fn a_valid_event_is_stored_raw_before_the_200() {
    let mut s = setup(Some(SECRET), false).await;
    let body = status_event("wamid.A", "delivered");
    assert_eq!(post(&s, &signed(&body, Utc::now(), SECRET), body.clone()).await, 200);
    // Stored by the time the 200 arrived.
    let stored: String = sqlx::query_scalar("SELECT body FROM webhook_events").fetch_one(s.store.pool()).await.unwrap();
    assert_eq!(stored, body, "kept byte for byte");
    let id = tokio::time::timeout(Duration::from_secs(2), s.events.recv()).await.unwrap().unwrap();
    assert!(id > 0);
    let st = s.receiver.status();
    assert!(st.listening);
    assert!(st.last_verified_at.is_some());
    assert_eq!((st.accepted, st.rejected), (1, 0));
}

#[tokio::test]
async fn forgeries_are_refused_recorded_without_content_and_never_stored() {
    let s = setup(Some(SECRET), false).await;
    let body = status_event("wamid.B", "read");
    let now = Utc::now();
    let cases: Vec<(&str, Vec<(&str, String)>, u16, &str)> = vec![
        ("bad signature", vec![("X-Webhook-Timestamp", now.to_rfc3339()), ("X-Webhook-Signature", "ab".repeat(32))], 401, "bad signature"),
        ("another secret", signed(&body, now, "not-our-secret"), 401, "bad signature"),
        ("stale", signed(&body, now - chrono::Duration::seconds(301), SECRET), 401, "stale timestamp"),
        ("future", signed(&body, now + chrono::Duration::seconds(301), SECRET), 401, "future timestamp"),
        ("no signature", vec![("X-Webhook-Timestamp", now.to_rfc3339())], 401, "missing signature"),
        ("no timestamp", vec![("X-Webhook-Signature", sign(SECRET, "", &body))], 401, "missing timestamp"),
        ("no headers", vec![], 401, "missing signature"),
    ];
    for (i, (what, headers, want, reason)) in cases.iter().enumerate() {
        assert_eq!(post(&s, headers, body.clone()).await, *want, "{what}");
        assert_eq!(count(&s, "webhook_events").await, 0, "{what}: nothing stored");
        assert_eq!(count(&s, "webhook_rejections").await, i as i64 + 1, "{what}: recorded");
        let (got, status): (String, i64) =
            sqlx::query_as("SELECT reason, http_status FROM webhook_rejections ORDER BY id DESC LIMIT 1").fetch_one(s.store.pool()).await.unwrap();
        assert_eq!((got.as_str(), status), (*reason, i64::from(*want)), "{what}");
    }
    // No content of any refused delivery was kept.
    let kept: Vec<String> = sqlx::query_scalar("SELECT reason || coalesce(remote_addr, '') FROM webhook_rejections").fetch_all(s.store.pool()).await.unwrap();
    assert!(kept.iter().all(|k| !k.contains("wamid")), "{kept:?}");
}

#[tokio::test]
async fn a_replay_is_answered_but_stored_once() {
    let mut s = setup(Some(SECRET), false).await;
    let body = status_event("wamid.C", "read");
    let headers = signed(&body, Utc::now(), SECRET);
    assert_eq!(post(&s, &headers, body.clone()).await, 200);
    assert_eq!(post(&s, &headers, body.clone()).await, 200);
    // Redelivered later, re-signed with a new timestamp: still the same event.
    let again = status_event("wamid.C", "read");
    assert_eq!(post(&s, &signed(&again, Utc::now(), SECRET), again).await, 200);
    assert_eq!(count(&s, "webhook_events").await, 1);
    assert_eq!(s.receiver.status().duplicates, 2);
    assert!(s.events.recv().await.is_some());
    assert!(s.events.try_recv().is_err(), "a duplicate is not handed to the applier");
}

#[tokio::test]
async fn oversized_and_malformed_bodies() {
    let s = setup(Some(SECRET), false).await;
    let big = format!("{{\"event\":\"webhook.test\",\"pad\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    assert_eq!(post(&s, &signed(&big, Utc::now(), SECRET), big.clone()).await, 413);
    let junk = "this is not json";
    assert_eq!(post(&s, &signed(junk, Utc::now(), SECRET), junk).await, 400);
    let no_event = "{\"hello\":1}";
    assert_eq!(post(&s, &signed(no_event, Utc::now(), SECRET), no_event).await, 400);
    assert_eq!(count(&s, "webhook_events").await, 0);
    let reasons: Vec<(String, i64)> = sqlx::query_as("SELECT reason, http_status FROM webhook_rejections ORDER BY id").fetch_all(s.store.pool()).await.unwrap();
    assert_eq!(reasons[0], ("body too large".to_string(), 413));
    assert_eq!(reasons[1].1, 400);
    // Other paths and methods.
    let base = s.receiver.url().replace("/webhooks/cubeconnect", "");
    assert_eq!(reqwest::get(format!("{base}/other")).await.unwrap().status().as_u16(), 404);
    assert_eq!(reqwest::get(s.receiver.url()).await.unwrap().status().as_u16(), 405);
}

#[tokio::test]
async fn unsigned_only_when_explicitly_chosen() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(tmp.path()).await.unwrap());
    let (tx, _rx) = mpsc::unbounded_channel();
    let refused = Receiver::start(ReceiverConfig { listen: "127.0.0.1:0".parse().unwrap(), ..ReceiverConfig::default() }, store, tx).await;
    assert!(refused.is_err(), "no secret and no explicit choice");

    let s = setup(None, true).await;
    let body = status_event("wamid.D", "sent");
    assert_eq!(post(&s, &[], body).await, 200);
    assert!(s.receiver.status().unsigned);
    assert_eq!(count(&s, "webhook_events").await, 1);
}

#[tokio::test]
async fn what_the_simulator_sends_is_accepted() {
    let s = setup(Some(SECRET), false).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sim = cubedesk::sim::start(
        cubedesk::sim::SimConfig { webhook_url: Some(s.receiver.url()), webhook_secret: Some(SECRET.into()), ..Default::default() },
        listener,
    )
    .await
    .unwrap();
    reqwest::Client::new()
        .post(format!("{}/_sim/inbound", sim.base_url()))
        .json(&json!({"phone": "966501234567", "name": "Sara", "type": "text", "text": "hi"}))
        .send()
        .await
        .unwrap();
    let until = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM webhook_events WHERE event = 'message.received'").fetch_one(s.store.pool()).await.unwrap();
        if n == 1 {
            break;
        }
        assert!(std::time::Instant::now() < until, "the simulator's webhook never arrived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count(&s, "webhook_rejections").await, 0);
    sim.shutdown().await;
}
