//! The HTTP side: one route, every refusal recorded without content, every verified event stored
//! raw before the 200.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::dedupe::dedupe_key;
use super::verify::verify;
use super::ReceiverConfig;
use crate::store::webhook_events::{record_event, record_rejection, Recorded};
use crate::store::Store;

#[derive(Debug, Default, Clone)]
pub(crate) struct Counters {
    pub accepted: u64,
    pub duplicates: u64,
    pub rejected: u64,
    pub last_verified_at: Option<DateTime<Utc>>,
}

pub(crate) struct Shared {
    pub config: ReceiverConfig,
    pub store: Arc<Store>,
    pub on_event: mpsc::UnboundedSender<i64>,
    pub counters: Mutex<Counters>,
}

pub(crate) async fn receive(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let now = Utc::now();
    let limit = shared.config.max_body_bytes;
    let declared = headers.get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return refuse(&shared, remote, StatusCode::PAYLOAD_TOO_LARGE, "body too large", now).await;
    }
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return refuse(&shared, remote, StatusCode::PAYLOAD_TOO_LARGE, "body too large", now).await;
    };

    if let Some(secret) = shared.config.secret.as_deref() {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
        if let Err(r) = verify(secret, header("x-webhook-timestamp"), &bytes, header("x-webhook-signature"), now, shared.config.tolerance) {
            return refuse(&shared, remote, StatusCode::UNAUTHORIZED, r.reason(), now).await;
        }
    }

    let payload: Value = match serde_json::from_slice(&bytes) {
        Ok(v @ Value::Object(_)) => v,
        _ => return refuse(&shared, remote, StatusCode::BAD_REQUEST, "not a JSON object", now).await,
    };
    let Some(event) = payload.get("event").and_then(Value::as_str).filter(|e| !e.is_empty()) else {
        return refuse(&shared, remote, StatusCode::BAD_REQUEST, "no event name", now).await;
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return refuse(&shared, remote, StatusCode::BAD_REQUEST, "not UTF-8", now).await;
    };
    let key = dedupe_key(event, &payload, &bytes);
    match record_event(shared.store.pool(), shared.config.account_id, event, &key, text, now).await {
        Ok(Recorded::New(id)) => {
            tracing::info!(event, key, "webhook stored");
            {
                let mut c = shared.counters.lock().expect("counters lock");
                c.accepted += 1;
                c.last_verified_at = Some(now);
            }
            let _ = shared.on_event.send(id);
            (StatusCode::OK, Json(json!({"received": true}))).into_response()
        }
        Ok(Recorded::Duplicate) => {
            tracing::debug!(event, key, "webhook redelivered; already stored");
            let mut c = shared.counters.lock().expect("counters lock");
            c.duplicates += 1;
            c.last_verified_at = Some(now);
            (StatusCode::OK, Json(json!({"received": true, "duplicate": true}))).into_response()
        }
        Err(e) => {
            // Not stored, so not acknowledged: CubeConnect will deliver it again.
            tracing::error!(event, "could not store a webhook: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": "not stored, please retry"}))).into_response()
        }
    }
}

async fn refuse(shared: &Shared, remote: SocketAddr, status: StatusCode, reason: &str, now: DateTime<Utc>) -> Response {
    tracing::warn!(%remote, status = status.as_u16(), reason, "webhook refused");
    shared.counters.lock().expect("counters lock").rejected += 1;
    if let Err(e) = record_rejection(shared.store.pool(), now, status.as_u16(), reason, Some(&remote.to_string())).await {
        tracing::error!("could not record a refused webhook: {e}");
    }
    (status, Json(json!({"error": reason}))).into_response()
}
