//! The CubeConnect webhook receiver (contract decision 12). It listens on loopback by default at
//! `/webhooks/cubeconnect`, requires a valid signature and a fresh timestamp (unless the owner
//! explicitly chose unsigned mode), refuses bodies over 1 MiB, records refusals without their
//! content, stores each verified event raw before answering 200, and hands the new event's id to
//! the sync engine, which applies it.

pub mod dedupe;
mod server;
pub mod verify;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::post;
use axum::Router;
use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

pub use dedupe::dedupe_key;
pub use verify::{verify, Refusal};

use crate::store::Store;
use server::{receive, Counters, Shared};

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";
pub const PATH: &str = "/webhooks/cubeconnect";

#[derive(Debug, Clone)]
pub struct ReceiverConfig {
    pub listen: SocketAddr,
    /// The signing secret. None is allowed only with `allow_unsigned`.
    pub secret: Option<String>,
    /// The explicit, visible "unsigned (unsafe)" choice.
    pub allow_unsigned: bool,
    /// Stored with each event.
    pub account_id: Option<i64>,
    pub max_body_bytes: usize,
    pub tolerance: Duration,
}

impl Default for ReceiverConfig {
    fn default() -> Self {
        ReceiverConfig {
            listen: DEFAULT_LISTEN.parse().expect("default listen address"),
            secret: None,
            allow_unsigned: false,
            account_id: None,
            max_body_bytes: 1024 * 1024,
            tolerance: Duration::from_secs(300),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReceiverError {
    #[error("a webhook signing secret is required (or the explicit unsigned setting)")]
    SecretRequired,
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReceiverStatus {
    pub listening: bool,
    pub url: String,
    pub unsigned: bool,
    pub last_verified_at: Option<DateTime<Utc>>,
    pub accepted: u64,
    pub duplicates: u64,
    pub rejected: u64,
}

pub struct Receiver {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Receiver {
    pub async fn start(config: ReceiverConfig, store: Arc<Store>, on_event: mpsc::UnboundedSender<i64>) -> Result<Receiver, ReceiverError> {
        if config.secret.as_deref().is_none_or(str::is_empty) && !config.allow_unsigned {
            return Err(ReceiverError::SecretRequired);
        }
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| ReceiverError::Bind { addr: config.listen, source })?;
        let addr = listener.local_addr().map_err(|source| ReceiverError::Bind { addr: config.listen, source })?;
        let shared = Arc::new(Shared { config, store, on_event, counters: Mutex::new(Counters::default()) });
        let app = Router::new().route(PATH, post(receive)).with_state(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                });
            if let Err(e) = serve.await {
                tracing::error!("the webhook receiver stopped: {e}");
            }
        });
        tracing::info!(%addr, "webhook receiver listening");
        Ok(Receiver { addr, shared, stop: Some(stop), task })
    }

    pub fn url(&self) -> String {
        format!("http://{}{PATH}", self.addr)
    }

    pub fn status(&self) -> ReceiverStatus {
        let c = self.shared.counters.lock().expect("counters lock").clone();
        ReceiverStatus {
            listening: !self.task.is_finished(),
            url: self.url(),
            unsigned: self.shared.config.secret.is_none(),
            last_verified_at: c.last_verified_at,
            accepted: c.accepted,
            duplicates: c.duplicates,
            rejected: c.rejected,
        }
    }

    /// Stops accepting connections and lets requests in flight finish.
    pub async fn shutdown(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        let _ = (&mut self.task).await;
    }
}
