//! `cubedesk://` links. A link can arrive before the window listens (it started the app) or
//! while it runs (passed on by a second launch), so the core keeps the newest one and tells the
//! window, which then takes it with [`take`]: nothing is lost either way.

use std::sync::Mutex;

use super::app::AppState;
use super::error::{AppError, ErrorCode};
use crate::domain::deep_link::{parse, DeepLink};

/// The event that tells the window a link is waiting.
pub const EVENT_NAME: &str = "cubedesk://link";

/// The link the window has not taken yet. Managed from the start, before the archive is open: a
/// second launch can hand over a link while the first is still opening it.
#[derive(Default)]
pub struct PendingLink(Mutex<Option<String>>);

/// Keeps `link` for the window (a newer link replaces one not yet taken).
pub fn receive(pending: &PendingLink, link: &str) {
    tracing::info!("a cubedesk:// link arrived");
    *pending.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(link.to_string());
}

/// The conversation the waiting link opens, `None` when no link waits, or why it is refused.
pub async fn take(pending: &PendingLink, state: &AppState) -> Result<Option<i64>, AppError> {
    let Some(link) = pending.0.lock().unwrap_or_else(|e| e.into_inner()).take() else {
        return Ok(None);
    };
    let DeepLink::Conversation(phone) = parse(&link)?;
    let (store, account_id) = super::require_account(state).await?;
    match crate::store::conversations::for_phone(store.pool(), account_id, phone.digits()).await? {
        Some(id) => Ok(Some(id)),
        None => Err(AppError::new(
            ErrorCode::NotFound,
            format!("The link asks for the conversation with {phone}, but there is none with that number in this archive."),
        )),
    }
}

/// A link reached this CubeDesk (from its own command line, a second launch or the system):
/// keep it and tell the window.
pub fn arrived<R: tauri::Runtime>(app: &tauri::AppHandle<R>, link: &str) {
    use tauri::{Emitter, Manager};
    receive(&app.state::<PendingLink>(), link);
    let _ = app.emit(EVENT_NAME, ());
}
