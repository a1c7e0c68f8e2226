//! The CubeConnect simulator (`cubedesk sim`, and demo mode in-process on loopback).
//!
//! It serves the contract of `cubeconnect-api.md` from memory so the whole product can be run and
//! tested without a CubeConnect account: the `/api/v1` envelope, auth, the per-minute rate limit,
//! the 24-hour window (free-form outside it is accepted and then fails with Meta code 131047),
//! template and parameter checks, opt-outs, idempotent sends, messages moving
//! `queued → sent → delivered → read` on its own movable clock, and signed webhooks.
//!
//! Test-only control routes under `/_sim/` exist only when it listens on a loopback address:
//!
//! | route | body | effect |
//! |---|---|---|
//! | `POST /_sim/inbound` | `{"phone","name"?,"type","text"?,"caption"?,"filename"?,"mime"?,"lat"?,"lng"?,"emoji"?,"title"?,"reply_to"?}` | a customer message; opens the window; `message.received` webhook |
//! | `POST /_sim/flow` | `{"phone","event":"started\|completed\|cancelled","flow_id","session_id"?,"current_step_id"?,"session_data"?}` | a flow-session event and its webhook |
//! | `POST /_sim/clock` | `{"advance_seconds": N}` | moves the simulator's clock forward and applies what fell due |
//! | `POST /_sim/faults`, `DELETE /_sim/faults`, `GET /_sim/faults` | see [`faults`] | arms, clears, shows faults |
//! | `GET /_sim/sends` | — | every accepted send with its `Idempotency-Key` and `attempts` |
//! | `GET /_sim/state` | — | counts, clock, webhook delivery statistics |
//!
//! Control routes answer bare JSON on success (`/_sim/inbound`: `{wa_message_id, received_at,
//! from, content}`; `/_sim/flow`: the session; `/_sim/sends`: an array) and the API's error
//! envelope on failure.
//!
//! Timing: an accepted message becomes `sent` 1 s after it is dispatched (accepted, or its
//! `scheduled_at`), `delivered` at 3 s and `read` at 6 s, measured on the simulator's clock.
//! Phones whose digits end in `000` always fail delivery (Meta 131026), so tests and the seeded
//! data can show undeliverable numbers without any setup.
//!
//! The module uses `domain` only: it is the service's side of the contract, and must not share
//! code with the client it tests.

mod auth;
mod clock;
mod errors;
pub mod faults;
mod events;
mod gate;
mod ids;
mod routes_api;
mod routes_control;
mod send;
mod server;
mod state;
mod webhooks;

pub mod seed;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How the simulator is set up. The CLI flags of `cubedesk sim` map one to one onto these fields.
#[derive(Clone, PartialEq, Eq)]
pub struct SimConfig {
    /// The only API key it accepts.
    pub api_key: String,
    /// The `whatsapp_account_id` ("API ID") of its one WhatsApp number.
    pub number_api_id: String,
    /// Where it POSTs webhooks; none are sent without it.
    pub webhook_url: Option<String>,
    /// Signs webhooks when set; without it the signature header is left out.
    pub webhook_secret: Option<String>,
    /// Load customers, conversations and flow sessions from [`seed::generate`].
    pub seed_data: bool,
    /// Seeds every random choice (seed data, ids), so runs repeat.
    pub seed: u64,
}

// Keys stay out of logs even here: a webhook secret may be shared with a real receiver.
impl std::fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimConfig")
            .field("api_key", &"<redacted>")
            .field("number_api_id", &self.number_api_id)
            .field("webhook_url", &self.webhook_url)
            .field("webhook_secret", &self.webhook_secret.as_ref().map(|_| "<redacted>"))
            .field("seed_data", &self.seed_data)
            .field("seed", &self.seed)
            .finish()
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            api_key: "sim-key".to_string(),
            number_api_id: "sim-number-1".to_string(),
            webhook_url: None,
            webhook_secret: None,
            seed_data: false,
            seed: 7,
        }
    }
}

/// A running simulator.
pub struct SimHandle {
    pub addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`, the base URL a client is configured with.
    pub fn base_url(&self) -> String {
        // A simulator listening on every interface is still reached through loopback.
        let mut addr = self.addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        format!("http://{addr}")
    }

    /// Stops serving, the clock ticker and the webhook sender, and waits for them.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let abort = task.abort_handle();
            // A client that never reads its response must not keep the simulator alive.
            if tokio::time::timeout(Duration::from_secs(5), task).await.is_err() {
                abort.abort();
            }
        }
    }
}

/// A handle dropped without [`SimHandle::shutdown`] still stops the simulator (without waiting).
impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// Serves on an already-bound listener (tests bind `127.0.0.1:0`). Control routes `/_sim/*` exist
/// only when the listener's address is loopback.
pub async fn start(config: SimConfig, listener: TcpListener) -> std::io::Result<SimHandle> {
    let addr = listener.local_addr()?;
    let (shutdown, shutdown_rx) = watch::channel(false);
    let shared = Arc::new(server::Shared::new(config, shutdown_rx.clone()));
    let app = server::router(shared.clone(), addr.ip().is_loopback());

    let mut serve_shutdown = shutdown_rx.clone();
    let serve = tokio::spawn(async move {
        let result = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = serve_shutdown.wait_for(|stop| *stop).await;
            })
            .await;
        if let Err(e) = result {
            tracing::error!("simulator stopped serving: {e}");
        }
    });
    let ticker = tokio::spawn(server::tick_forever(shared.clone(), shutdown_rx));
    let mut tasks = vec![serve, ticker];
    tasks.extend(shared.webhooks.take_worker());
    Ok(SimHandle { addr, shutdown, tasks })
}

/// `cubedesk sim`: binds `127.0.0.1:port`, prints the URL to stderr and serves until Ctrl-C or
/// SIGTERM.
pub async fn run_until_ctrl_c(config: SimConfig, port: u16) -> std::io::Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let seed_data = config.seed_data;
    let number = config.number_api_id.clone();
    let handle = start(config, listener).await?;
    eprintln!(
        "CubeConnect simulator on {} (number {number}{}); control routes under /_sim/. Ctrl-C stops it.",
        handle.base_url(),
        if seed_data { ", seeded" } else { "" }
    );
    wait_for_stop_signal().await;
    eprintln!("simulator stopping");
    handle.shutdown().await;
    Ok(())
}

async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
