//! Tauri commands: thin wrappers that parse arguments, call the core and map errors to
//! [`error::AppError`]. The logic lives in the plain async functions they call, so the CLI and
//! tests use the same code without a window.

pub mod account;
pub mod app;
pub mod compose;
pub mod daemon;
pub mod demo;
pub mod error;
pub mod inbox;
pub mod live;

use tauri::State;

use account::{AccountFormInput, SecretPresence};
use app::{AppState, AppStatus};
use error::AppError;
use inbox::{Cursor, InboxItem};
use crate::domain::account_form::FieldProblem;
use crate::store::accounts::AccountSummary;

#[tauri::command(rename_all = "camelCase")]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, AppError> {
    app::app_status(&state).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn start_demo(state: State<'_, AppState>) -> Result<AppStatus, AppError> {
    state.store()?;
    {
        let mut demo = state.demo.lock().await;
        if demo.is_none() {
            *demo = Some(demo::start(&state.data_dir, state.notify()).await?);
        }
    }
    app::app_status(&state).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn stop_demo(state: State<'_, AppState>) -> Result<AppStatus, AppError> {
    let session = state.demo.lock().await.take();
    if let Some(s) = session {
        s.stop().await;
    }
    app::app_status(&state).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn inbox_page(state: State<'_, AppState>, after: Option<Cursor>, limit: Option<u32>) -> Result<Vec<InboxItem>, AppError> {
    let store = state.active_store().await?;
    let Some(account) = crate::store::accounts::current_account(store.pool()).await? else {
        return Ok(Vec::new());
    };
    inbox::page(&store, account.id, after, limit.unwrap_or(200)).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn check_account_form(form: AccountFormInput, editing: Option<bool>) -> Result<Vec<FieldProblem>, AppError> {
    Ok(account::check(&form, editing.unwrap_or(false)))
}

#[tauri::command(rename_all = "camelCase")]
pub async fn connect_account(state: State<'_, AppState>, form: AccountFormInput) -> Result<AccountSummary, AppError> {
    // Connecting a real account ends the demo.
    if let Some(s) = state.demo.lock().await.take() {
        s.stop().await;
    }
    let summary = account::connect(state.store()?, state.secrets.clone(), &form).await?;
    restart_live(&state).await;
    Ok(summary)
}

/// (Re)starts the real account's receiver and sync engine; a failure is logged and shown by
/// `sync_status`, never fatal to the command that asked.
pub async fn restart_live(state: &AppState) {
    let mut live = state.live.lock().await;
    if let Some(old) = live.take() {
        old.stop().await;
    }
    let Ok(store) = state.store().cloned() else { return };
    let listen = crate::webhook::DEFAULT_LISTEN.parse().expect("default listen address");
    match live::start_for_account(store, state.secrets.clone(), listen, state.notify()).await {
        Ok(started) => *live = started,
        Err(e) => tracing::warn!("not syncing: {}", e.message),
    }
}

#[tauri::command(rename_all = "camelCase")]
pub async fn update_account(state: State<'_, AppState>, form: AccountFormInput) -> Result<AccountSummary, AppError> {
    let summary = account::update(state.store()?, state.secrets.clone(), &form).await?;
    restart_live(&state).await;
    Ok(summary)
}

#[tauri::command(rename_all = "camelCase")]
pub async fn remove_account(state: State<'_, AppState>, delete_data: bool) -> Result<(), AppError> {
    if let Some(l) = state.live.lock().await.take() {
        l.stop().await;
    }
    account::remove(state.store()?, state.secrets.clone(), delete_data).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn account_secrets(state: State<'_, AppState>) -> Result<SecretPresence, AppError> {
    account::secret_presence(state.store()?, state.secrets.clone()).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn sync_status(state: State<'_, AppState>) -> Result<live::SyncStatus, AppError> {
    let demo = state.demo.lock().await;
    if let Some(d) = demo.as_ref() {
        return live::status(&d.store, Some(d.account_id), Some(&d.live)).await;
    }
    drop(demo);
    let store = state.store()?.clone();
    let account = crate::store::accounts::current_account(store.pool()).await?.map(|a| a.id);
    let live = state.live.lock().await;
    live::status(&store, account, live.as_ref()).await
}
