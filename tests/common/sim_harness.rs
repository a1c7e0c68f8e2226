//! Starting a simulator on loopback and talking to it over real HTTP, plus a tiny webhook receiver
//! that records every delivery as it arrived (headers and raw body).

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use cubedesk::sim::{self, SimConfig, SimHandle};
use serde_json::{json, Value};

pub const KEY: &str = "sim-key";
pub const NUMBER: &str = "sim-number-1";

pub struct Sim {
    handle: Option<SimHandle>,
    pub base: String,
    pub http: reqwest::Client,
}

/// One HTTP answer, read completely.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    /// `Null` when the body is not JSON.
    pub json: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `error.code` of an error envelope.
    pub fn code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or("")
    }

    pub fn data(&self) -> &Value {
        &self.json["data"]
    }
}

pub async fn read(resp: reqwest::Response) -> Reply {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply { status, headers, text, json }
}

impl Sim {
    pub async fn start() -> Sim {
        Sim::with(SimConfig::default()).await
    }

    pub async fn with(config: SimConfig) -> Sim {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let handle = sim::start(config, listener).await.expect("start");
        Sim { base: handle.base_url(), handle: Some(handle), http: reqwest::Client::new() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> Reply {
        read(self.http.get(self.url(path)).bearer_auth(KEY).send().await.expect("request")).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        read(self.http.post(self.url(path)).bearer_auth(KEY).json(body).send().await.expect("request")).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        read(self.http.delete(self.url(path)).bearer_auth(KEY).send().await.expect("request")).await
    }

    pub async fn send(&self, body: &Value, key: Option<&str>) -> Reply {
        let mut req = self.http.post(self.url("/api/v1/messages/send")).bearer_auth(KEY).json(body);
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        read(req.send().await.expect("request")).await
    }

    /// A control route; panics unless it answers 200.
    pub async fn control(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, self.url(path));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = read(req.send().await.expect("request")).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        r.json
    }

    pub async fn inbound(&self, phone: &str, text: &str) -> Value {
        self.control(reqwest::Method::POST, "/_sim/inbound", Some(json!({"phone": phone, "name": "Sara Al-Harbi", "type": "text", "text": text})))
            .await
    }

    pub async fn advance(&self, seconds: i64) -> Value {
        self.control(reqwest::Method::POST, "/_sim/clock", Some(json!({"advance_seconds": seconds}))).await
    }

    pub async fn faults(&self, body: Value) -> Value {
        self.control(reqwest::Method::POST, "/_sim/faults", Some(body)).await
    }

    pub async fn sends(&self) -> Vec<Value> {
        self.control(reqwest::Method::GET, "/_sim/sends", None).await.as_array().cloned().unwrap_or_default()
    }

    pub async fn state(&self) -> Value {
        self.control(reqwest::Method::GET, "/_sim/state", None).await
    }

    pub async fn stop(mut self) {
        if let Some(h) = self.handle.take() {
            h.shutdown().await;
        }
    }
}

pub fn text_send(phone: &str, text: &str) -> Value {
    json!({"whatsapp_account_id": NUMBER, "phone": phone, "message_type": "text", "data": {"text": text}})
}

pub fn template_send(phone: &str, name: &str, language: &str, params: &[&str]) -> Value {
    let parameters: Vec<Value> = params.iter().map(|p| json!({"type": "text", "text": p})).collect();
    let mut data = json!({"name": name, "language_code": language});
    if !params.is_empty() {
        data["components"] = json!([{"type": "body", "parameters": parameters}]);
    }
    json!({"whatsapp_account_id": NUMBER, "phone": phone, "message_type": "template", "data": data})
}

/// The id as a path segment, whether it came as a number or a string.
pub fn id_of(data: &Value) -> String {
    match &data["message_log_id"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A webhook as it arrived.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub headers: HeaderMap,
    pub body: Bytes,
    pub at: Instant,
}

impl Delivery {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("webhook body is JSON")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Clone, Default)]
struct ReceiverState {
    hits: Arc<Mutex<Vec<Delivery>>>,
    /// This many first requests are answered 500.
    fail_first: Arc<AtomicUsize>,
    seen: Arc<AtomicUsize>,
}

pub struct Receiver {
    pub url: String,
    state: ReceiverState,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        Receiver::failing_first(0).await
    }

    /// A receiver that answers 500 to its first `n` requests (and records only the 2xx ones).
    pub async fn failing_first(n: usize) -> Receiver {
        let state = ReceiverState::default();
        state.fail_first.store(n, Ordering::SeqCst);
        let app = Router::new().route("/hook", post(receive)).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind receiver");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { url, state, task }
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        self.state.hits.lock().expect("lock").clone()
    }

    /// Requests seen, refused ones included.
    pub fn requests(&self) -> usize {
        self.state.seen.load(Ordering::SeqCst)
    }

    /// Waits until at least `n` deliveries arrived (or `within` passed) and returns them all.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Delivery> {
        let deadline = Instant::now() + within;
        loop {
            let got = self.deliveries();
            if got.len() >= n || Instant::now() >= deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Deliveries whose payload has `event == name`.
    pub fn events(&self, name: &str) -> Vec<Value> {
        self.deliveries().iter().map(Delivery::json).filter(|v| v["event"] == name).collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn receive(State(state): State<ReceiverState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    state.seen.fetch_add(1, Ordering::SeqCst);
    let refuse = state
        .fail_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if refuse {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    state.hits.lock().expect("lock").push(Delivery { headers, body, at: Instant::now() });
    StatusCode::OK
}
