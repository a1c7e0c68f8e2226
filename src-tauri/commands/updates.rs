//! New versions: looked for at start at most once a day (release builds only), signed by the
//! release key whose public half is in tauri.conf.json (the updater refuses anything else), and
//! installed only when the owner says yes.

use std::path::PathBuf;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

use super::error::{AppError, ErrorCode};
use crate::domain::updates::check_due;

/// Tells the window a new version waits for the owner's yes.
pub const EVENT_NAME: &str = "cubedesk://update";
/// Set to anything to never look for updates (tests; managed computers).
pub const NO_CHECK_ENV: &str = "CUBEDESK_NO_UPDATE_CHECK";

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Available {
    pub version: String,
    pub notes: Option<String>,
}

/// The update found and not yet installed.
#[derive(Default)]
pub struct Pending(Mutex<Option<Update>>);

fn failed(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorCode::UpdateFailed, format!("CubeDesk could not update itself ({e}). Nothing was changed; this version keeps working."))
}

/// When CubeDesk last looked, in a small file beside its window settings.
fn stamp_file<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    app.path().app_config_dir().ok().map(|d| d.join("last-update-check"))
}

fn last_check<R: Runtime>(app: &AppHandle<R>) -> Option<DateTime<Utc>> {
    let text = std::fs::read_to_string(stamp_file(app)?).ok()?;
    DateTime::parse_from_rfc3339(text.trim()).ok().map(|t| t.with_timezone(&Utc))
}

fn record_check<R: Runtime>(app: &AppHandle<R>, now: DateTime<Utc>) {
    if let Some(f) = stamp_file(app) {
        let _ = f.parent().map(std::fs::create_dir_all);
        let _ = std::fs::write(f, now.to_rfc3339());
    }
}

/// At start: look for a new version if a day has passed since the last look, and tell the window.
pub fn check_at_start<R: Runtime>(app: &AppHandle<R>) {
    if cfg!(debug_assertions) || std::env::var_os(NO_CHECK_ENV).is_some() {
        return;
    }
    let now = Utc::now();
    if !check_due(last_check(app), now) {
        return;
    }
    // Recorded before asking, so an unreachable server is asked again tomorrow, not at every start.
    record_check(app, now);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match check(&app, false).await {
            Ok(Some(found)) => {
                let _ = app.emit(EVENT_NAME, found);
            }
            Ok(None) => {}
            Err(e) => tracing::warn!("update check: {}", e.message),
        }
    });
}

/// Looks for a new version now; keeps it for [`install`].
pub async fn check<R: Runtime>(app: &AppHandle<R>, by_hand: bool) -> Result<Option<Available>, AppError> {
    if by_hand {
        record_check(app, Utc::now());
    }
    let update = app.updater().map_err(failed)?.check().await.map_err(failed)?;
    let found = update.as_ref().map(|u| Available { version: u.version.clone(), notes: u.body.clone() });
    if let Some(found) = &found {
        tracing::info!(version = %found.version, "an update is available");
    }
    *app.state::<Pending>().0.lock().unwrap_or_else(|e| e.into_inner()) = update;
    Ok(found)
}

/// The update found and not installed yet.
pub fn pending<R: Runtime>(app: &AppHandle<R>) -> Option<Available> {
    app.state::<Pending>().0.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|u| Available { version: u.version.clone(), notes: u.body.clone() })
}

/// Downloads the update found, checks its signature, installs it and restarts CubeDesk.
pub async fn install<R: Runtime>(app: &AppHandle<R>) -> Result<(), AppError> {
    let update = app.state::<Pending>().0.lock().unwrap_or_else(|e| e.into_inner()).take();
    let Some(update) = update else {
        return Err(AppError::new(ErrorCode::UpdateFailed, "There is no update waiting to be installed. Look for updates again in Settings."));
    };
    // Downloaded and verified first; then sync stops and the archive is closed as at any exit,
    // because the Windows installer ends this process itself.
    let bytes = update.download(|_, _| {}, || {}).await.map_err(failed)?;
    super::app::shut_down(app);
    update.install(bytes).map_err(failed)?;
    tracing::info!(version = %update.version, "update installed; restarting");
    app.restart();
}
