//! Commands about the app itself: proof that the UI reaches the core, which archive is open
//! (the real one or the demo's), and the account it serves.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use serde::Serialize;

use super::demo::DemoSession;
use super::error::AppError;
use super::live::Live;
use crate::sync::events::{log_only, Notify};
use crate::store::accounts::{current_account, AccountSummary};
use crate::store::secrets::SecretStore;
use crate::store::summary::counts;
use crate::store::Store;

/// What the core owns for the life of the window. The archive may have failed to open; then every
/// command answers with that error, so the window can explain it instead of the app crashing.
pub struct AppState {
    pub data_dir: PathBuf,
    pub store: Result<Arc<Store>, AppError>,
    pub secrets: Arc<dyn SecretStore>,
    pub demo: tokio::sync::Mutex<Option<DemoSession>>,
    /// The real account's live connection (receiver and sync engine), while connected.
    pub live: tokio::sync::Mutex<Option<Live>>,
    notify: std::sync::OnceLock<Notify>,
    /// The owner paused the real account's sync (see `commands::set_sync_paused`).
    pub sync_paused: AtomicBool,
}

impl AppState {
    pub fn new(data_dir: PathBuf, store: Result<Arc<Store>, AppError>, secrets: Arc<dyn SecretStore>) -> Self {
        AppState {
            data_dir,
            store,
            secrets,
            demo: tokio::sync::Mutex::new(None),
            live: tokio::sync::Mutex::new(None),
            notify: std::sync::OnceLock::new(),
            sync_paused: AtomicBool::new(false),
        }
    }

    /// Where change events go: the window once it exists, the log before.
    pub fn set_notify(&self, notify: Notify) {
        let _ = self.notify.set(notify);
    }

    pub fn notify(&self) -> Notify {
        self.notify.get().cloned().unwrap_or_else(log_only)
    }

    /// The real archive (never the demo's).
    pub fn store(&self) -> Result<&Arc<Store>, AppError> {
        self.store.as_ref().map_err(Clone::clone)
    }

    /// The archive the window shows now: the demo's while the demo runs.
    pub async fn active_store(&self) -> Result<Arc<Store>, AppError> {
        if let Some(d) = self.demo.lock().await.as_ref() {
            return Ok(d.store.clone());
        }
        self.store().cloned()
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub version: String,
    pub data_dir: String,
    pub db_path: String,
    pub schema_version: i64,
    pub accounts: i64,
    pub conversations: i64,
    /// `archive` for the real archive, `demo` while the demo runs.
    pub mode: &'static str,
    pub account: Option<AccountSummary>,
}

pub async fn app_status(state: &AppState) -> Result<AppStatus, AppError> {
    // The real archive must open even to run the demo: its errors come first.
    state.store()?;
    let demo = state.demo.lock().await.is_some();
    let store = state.active_store().await?;
    let c = counts(store.pool()).await?;
    Ok(AppStatus {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: store.data_dir().display().to_string(),
        db_path: store.db_path().display().to_string(),
        schema_version: store.schema_version().await?,
        accounts: c.accounts,
        conversations: c.conversations,
        mode: if demo { "demo" } else { "archive" },
        account: current_account(store.pool()).await?,
    })
}

static STARTED: OnceLock<Instant> = OnceLock::new();
static PAINTED: AtomicBool = AtomicBool::new(false);

/// Notes when the window started opening, for [`first_paint`].
pub fn mark_start() {
    let _ = STARTED.set(Instant::now());
}

/// The window painted its first inbox. The start-up time is logged once; with
/// `CUBEDESK_EXIT_AFTER_FIRST_PAINT` set the app then quits, which is how `make bench` times a
/// cold start from outside with hyperfine. Returns whether the app should quit.
pub fn first_paint() -> bool {
    if PAINTED.swap(true, Ordering::SeqCst) {
        return false;
    }
    if let Some(t) = STARTED.get() {
        tracing::info!(ms = t.elapsed().as_millis() as u64, "first inbox paint");
    }
    std::env::var_os("CUBEDESK_EXIT_AFTER_FIRST_PAINT").is_some()
}

/// Stops the demo and the live connection and closes the archive (WAL checkpointed): at exit, and
/// before an update's installer replaces the program.
pub fn shut_down<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use tauri::Manager;
    let Some(state) = app.try_state::<AppState>() else { return };
    if let Some(demo) = tauri::async_runtime::block_on(state.demo.lock()).take() {
        tauri::async_runtime::block_on(demo.stop());
    }
    if let Some(live) = tauri::async_runtime::block_on(state.live.lock()).take() {
        tauri::async_runtime::block_on(live.stop());
    }
    if let Ok(store) = state.store() {
        // Finish writes in progress and checkpoint the WAL before the process ends.
        tauri::async_runtime::block_on(async {
            store.checkpoint().await;
            store.pool().close().await;
        });
    }
}
