//! The sync engine: background tasks that keep the archive in step with CubeConnect. The outbox
//! sender delivers composed messages; the applier turns stored webhook events into messages,
//! statuses and sessions; pollers look up statuses, windows, templates and health. All share one
//! client (so one rate-limit budget per account), emit a [`events::Change`] after each commit,
//! and stop cleanly.

pub mod apply;
pub mod events;
pub mod outgoing;
pub mod poll;
pub mod sender;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch, Notify as Wake};
use tokio::task::JoinHandle;

use crate::api::Client;
use crate::store::Store;
use events::Notify;

#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub account_id: i64,
    /// How often the sender looks for due messages when nothing wakes it.
    pub sender_tick: Duration,
    pub status_tick: Duration,
    pub windows_every: Duration,
    pub templates_every: Duration,
    pub health_every: Duration,
    /// The first status lookup after a message is accepted (decision 8: 30 s).
    pub first_status_check: Duration,
}

impl EngineConfig {
    pub fn new(account_id: i64) -> Self {
        EngineConfig {
            account_id,
            sender_tick: Duration::from_millis(500),
            status_tick: Duration::from_secs(5),
            windows_every: Duration::from_secs(300),
            templates_every: Duration::from_secs(3600),
            health_every: Duration::from_secs(60),
            first_status_check: Duration::from_secs(30),
        }
    }
}

/// The running tasks. Dropping it without [`Engine::shutdown`] leaves them running until the runtime ends.
pub struct Engine {
    stop: watch::Sender<bool>,
    sender_wake: Arc<Wake>,
    poller_wake: Arc<Wake>,
    refresh: Arc<std::sync::atomic::AtomicBool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Engine {
    /// Starts every task. `new_events` carries ids of webhook events the receiver just stored.
    pub fn start(
        store: Arc<Store>,
        client: Client,
        config: EngineConfig,
        notify: Notify,
        new_events: mpsc::UnboundedReceiver<i64>,
    ) -> Engine {
        let (stop, stopped) = watch::channel(false);
        let sender_wake = Arc::new(Wake::new());
        let applier_wake = Arc::new(Wake::new());
        let poller_wake = Arc::new(Wake::new());
        let mut tasks = Vec::new();
        tasks.push(tokio::spawn(sender::run(
            store.clone(),
            client.clone(),
            notify.clone(),
            sender_wake.clone(),
            config.sender_tick,
            config.first_status_check,
            stopped.clone(),
        )));
        tasks.push(tokio::spawn(apply::run(
            store.clone(),
            config.account_id,
            notify.clone(),
            new_events,
            applier_wake.clone(),
            poller_wake.clone(),
            stopped.clone(),
        )));
        let refresh = Arc::new(std::sync::atomic::AtomicBool::new(false));
        tasks.push(tokio::spawn(poll::run(
            store,
            client,
            config,
            notify,
            applier_wake,
            poller_wake.clone(),
            refresh.clone(),
            stopped,
        )));
        Engine { stop, sender_wake, poller_wake, refresh, tasks }
    }

    /// A message was composed or retried: look at the outbox now.
    pub fn wake_sender(&self) {
        self.sender_wake.notify_one();
    }

    /// The owner opened a conversation: confirm the service's clock and every recent window now
    /// rather than at the next scheduled round, so what the window shows is current.
    pub fn refresh_now(&self) {
        self.refresh.store(true, std::sync::atomic::Ordering::SeqCst);
        self.poller_wake.notify_one();
    }

    /// Asks every task to stop and waits for them (a request in flight finishes or is abandoned
    /// as unconfirmed, never half-written).
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Sleeps for `d`, or less if asked to stop. Returns true when asked to stop.
pub(crate) async fn pause(d: Duration, stop: &mut watch::Receiver<bool>, wake: Option<&Wake>) -> bool {
    if *stop.borrow() {
        return true;
    }
    match wake {
        Some(w) => tokio::select! {
            _ = tokio::time::sleep(d) => {}
            _ = w.notified() => {}
            _ = stop.changed() => {}
        },
        None => tokio::select! {
            _ = tokio::time::sleep(d) => {}
            _ = stop.changed() => {}
        },
    }
    *stop.borrow()
}
