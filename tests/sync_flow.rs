//! The sync engine end to end, in process, against the simulator over loopback: signed webhooks
//! into the receiver, the outbox out through the client, statuses converging under faults.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use cubedesk::commands::compose::{compose, Draft};
use cubedesk::commands::error::ErrorCode;
use cubedesk::commands::live::{Live, LiveConfig};
use cubedesk::sim::{SimConfig, SimHandle};
use cubedesk::store::accounts::{insert_account, insert_number, NewAccount, NewNumber};
use cubedesk::store::inbox::inbox_page;
use cubedesk::store::Store;
use cubedesk::sync::events::Change;
use cubedesk::sync::EngineConfig;
use serde_json::{json, Value};

const SECRET: &str = "whsec_test_secret_1234";

struct World {
    _tmp: tempfile::TempDir,
    store: Arc<Store>,
    sim: SimHandle,
    live: Live,
    changes: Arc<Mutex<Vec<Change>>>,
}

async fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(tmp.path()).await.unwrap());
    let now = Utc::now();
    let account_id = insert_account(
        store.pool(),
        &NewAccount { name: "Al Noor".into(), base_url: String::new(), tenant_id: None, is_demo: false },
        now,
    )
    .await
    .unwrap();
    insert_number(store.pool(), &NewNumber { account_id, api_id: "sim-number-1".into(), display_name: "Main".into(), phone: None }, now)
        .await
        .unwrap();
    let sim_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", sim_listener.local_addr().unwrap());
    let changes = Arc::new(Mutex::new(Vec::new()));
    let sink = changes.clone();
    let mut engine = EngineConfig::new(account_id);
    engine.first_status_check = Duration::from_secs(2);
    engine.status_tick = Duration::from_millis(300);
    let live = Live::start(
        store.clone(),
        LiveConfig {
            account_id,
            base_url,
            api_key: "sim-key".into(),
            tenant_id: None,
            webhook_secret: Some(SECRET.into()),
            allow_unsigned: false,
            listen: "127.0.0.1:0".parse().unwrap(),
            engine: Some(engine),
        },
        Arc::new(move |c| sink.lock().unwrap().push(c)),
    )
    .await
    .unwrap();
    let sim = cubedesk::sim::start(
        SimConfig { webhook_url: live.receiver_url(), webhook_secret: Some(SECRET.into()), ..SimConfig::default() },
        sim_listener,
    )
    .await
    .unwrap();
    World { _tmp: tmp, store, sim, live, changes }
}

async fn control(w: &World, path: &str, body: Value) -> Value {
    let r = reqwest::Client::new().post(format!("{}{path}", w.sim.base_url())).json(&body).send().await.unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap_or(Value::Null)
}

async fn wait_for<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let until = std::time::Instant::now() + timeout;
    while std::time::Instant::now() < until {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn scalar(w: &World, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(w.store.pool()).await.unwrap()
}

async fn conversation_of(w: &World, phone: &str) -> i64 {
    let account: i64 = scalar(w, "SELECT id FROM accounts").await;
    let page = inbox_page(w.store.pool(), account, None, 100).await.unwrap();
    page.into_iter().find(|r| r.customer_phone == phone).map(|r| r.conversation_id).expect("conversation")
}

async fn status_of(w: &World, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM messages WHERE id = ?").bind(id).fetch_one(w.store.pool()).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversation_from_first_inbound_message_to_a_reply_read() {
    let w = world().await;
    control(&w, "/_sim/inbound", json!({"phone": "966501110001", "name": "سارة", "type": "text", "text": "هل الدواء متوفر؟"})).await;
    wait_for("the inbound message", Duration::from_secs(10), || async {
        scalar(&w, "SELECT count(*) FROM messages WHERE direction = 'inbound' AND text = 'هل الدواء متوفر؟'").await == 1
    })
    .await;
    let conversation = conversation_of(&w, "966501110001").await;
    let name: String = sqlx::query_scalar("SELECT name FROM customers WHERE phone = '966501110001'").fetch_one(w.store.pool()).await.unwrap();
    assert_eq!(name, "سارة");

    let id = compose(&w.store, conversation, &Draft::Text { text: "نعم، متوفر".into() }, w.live.client.clock_offset()).await.unwrap();
    assert_eq!(status_of(&w, id).await, "pending", "written before any network call");
    w.live.engine.wake_sender();
    wait_for("the reply to be read", Duration::from_secs(20), || async { status_of(&w, id).await == "read" }).await;

    let (log_id, category, sent, delivered, read): (Option<String>, Option<String>, Option<i64>, Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT message_log_id, category, sent_at, delivered_at, read_at FROM messages WHERE id = ?")
            .bind(id)
            .fetch_one(w.store.pool())
            .await
            .unwrap();
    assert!(log_id.is_some());
    assert_eq!(category.as_deref(), Some("SERVICE"));
    assert!(read.is_some(), "read time kept");
    assert!(sent.is_some() || delivered.is_some(), "earlier steps recorded when they arrived first");
    let changes = w.changes.lock().unwrap().clone();
    assert!(changes.contains(&Change::MessageChanged { conversation_id: conversation, message_id: id }), "{changes:?}");
    assert!(changes.iter().any(|c| matches!(c, Change::MessageAdded { conversation_id, .. } if *conversation_id == conversation)));
    w.live.stop().await;
    w.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_closes_after_24_hours_a_template_still_goes_and_a_new_message_reopens_it() {
    let w = world().await;
    control(&w, "/_sim/inbound", json!({"phone": "966501110002", "type": "text", "text": "hello"})).await;
    wait_for("the inbound message", Duration::from_secs(10), || async { scalar(&w, "SELECT count(*) FROM conversations").await == 1 }).await;
    let conversation = conversation_of(&w, "966501110002").await;

    control(&w, "/_sim/clock", json!({"advance_seconds": 25 * 3600})).await;
    w.live.client.health().await.unwrap(); // reads the simulator's Date header: the clock offset
    let refused = compose(&w.store, conversation, &Draft::Text { text: "still there?".into() }, w.live.client.clock_offset()).await;
    assert_eq!(refused.unwrap_err().code, ErrorCode::WindowClosed);
    assert_eq!(scalar(&w, "SELECT count(*) FROM messages WHERE direction = 'outbound'").await, 0, "nothing queued");

    let tpl = compose(
        &w.store,
        conversation,
        &Draft::Template { name: "order_confirmation".into(), language: "ar".into(), params: vec!["1042".into(), "250 ر.س".into()], header_link: None },
        w.live.client.clock_offset(),
    )
    .await
    .unwrap();
    w.live.engine.wake_sender();
    wait_for("the template to be accepted", Duration::from_secs(10), || async { status_of(&w, tpl).await != "pending" }).await;
    let body: String = sqlx::query_scalar("SELECT rendered_body FROM messages WHERE id = ?").bind(tpl).fetch_one(w.store.pool()).await.unwrap();
    assert!(body.contains("1042"), "{body}");

    control(&w, "/_sim/inbound", json!({"phone": "966501110002", "type": "text", "text": "I'm back"})).await;
    wait_for("the new inbound message", Duration::from_secs(10), || async {
        scalar(&w, "SELECT count(*) FROM messages WHERE direction = 'inbound'").await == 2
    })
    .await;
    let again = compose(&w.store, conversation, &Draft::Text { text: "Welcome back".into() }, w.live.client.clock_offset()).await;
    assert!(again.is_ok(), "{again:?}");
    w.live.stop().await;
    w.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_faults_stop_the_store_converges_with_no_duplicates_and_nothing_missing() {
    let w = world().await;
    let phones = ["966501110011", "966501110012", "966501110013"];
    for p in phones {
        control(&w, "/_sim/inbound", json!({"phone": p, "type": "text", "text": "hi"})).await;
    }
    wait_for("three conversations", Duration::from_secs(10), || async { scalar(&w, "SELECT count(*) FROM conversations").await == 3 }).await;

    control(
        &w,
        "/_sim/faults",
        json!({
            "rate_limit": {"count": 2, "headers": false},
            "http": {"status": 503, "count": 3},
            "malformed": {"count": 1},
            "webhooks": {"duplicate": true, "reorder": true, "drop_every": 3, "delay_ms": 300}
        }),
    )
    .await;
    let mut ids = Vec::new();
    for p in phones {
        let c = conversation_of(&w, p).await;
        for n in 0..3 {
            ids.push(compose(&w.store, c, &Draft::Text { text: format!("message {n}") }, w.live.client.clock_offset()).await.unwrap());
        }
    }
    w.live.engine.wake_sender();
    tokio::time::sleep(Duration::from_secs(3)).await;
    reqwest::Client::new().delete(format!("{}/_sim/faults", w.sim.base_url())).send().await.unwrap();
    // Inbound messages during the faults arrive duplicated and out of order too.
    control(&w, "/_sim/faults", json!({"webhooks": {"duplicate": true, "reorder": true}})).await;
    control(&w, "/_sim/inbound", json!({"phone": phones[0], "type": "text", "text": "one more"})).await;
    reqwest::Client::new().delete(format!("{}/_sim/faults", w.sim.base_url())).send().await.unwrap();

    // The truncated 200 left one message unconfirmed: "send again" with the same key.
    let unconfirmed: Vec<i64> = sqlx::query_scalar("SELECT id FROM messages WHERE status = 'unconfirmed'").fetch_all(w.store.pool()).await.unwrap();
    for id in &unconfirmed {
        cubedesk::store::outbox::retry(w.store.pool(), *id, Utc::now()).await.unwrap();
    }
    w.live.engine.wake_sender();
    control(&w, "/_sim/clock", json!({"advance_seconds": 10})).await;
    wait_for("every message read", Duration::from_secs(60), || async {
        let mut all = true;
        for id in &ids {
            let s = status_of(&w, *id).await;
            if s == "unconfirmed" {
                cubedesk::store::outbox::retry(w.store.pool(), *id, Utc::now()).await.unwrap();
                w.live.engine.wake_sender();
            }
            all &= s == "read";
        }
        all
    })
    .await;

    let sends: Vec<Value> = reqwest::get(format!("{}/_sim/sends", w.sim.base_url())).await.unwrap().json().await.unwrap();
    let keys: std::collections::HashSet<String> = sends.iter().map(|s| s["idempotency_key"].as_str().unwrap().to_string()).collect();
    assert_eq!(sends.len(), ids.len(), "each message accepted exactly once: {sends:?}");
    assert_eq!(keys.len(), ids.len());
    assert_eq!(scalar(&w, "SELECT count(*) FROM messages WHERE direction = 'inbound'").await, 4, "no duplicate inbound message");
    assert_eq!(scalar(&w, "SELECT count(*) FROM messages WHERE wamid IS NOT NULL").await, scalar(&w, "SELECT count(DISTINCT wamid) FROM messages").await);
    assert_eq!(scalar(&w, "SELECT count(*) FROM outbox").await, 0);
    w.live.stop().await;
    w.sim.shutdown().await;
}
