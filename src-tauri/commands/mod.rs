//! Tauri commands: thin wrappers that parse arguments, call the core and map errors to
//! [`error::AppError`]. The logic lives in the plain async functions they call, so the CLI and
//! tests use the same code without a window.

pub mod account;
pub mod app;
pub mod demo;
pub mod error;
pub mod inbox;

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
            *demo = Some(demo::start(&state.data_dir).await?);
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
    account::connect(state.store()?, state.secrets.clone(), &form).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn update_account(state: State<'_, AppState>, form: AccountFormInput) -> Result<AccountSummary, AppError> {
    account::update(state.store()?, state.secrets.clone(), &form).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn remove_account(state: State<'_, AppState>, delete_data: bool) -> Result<(), AppError> {
    account::remove(state.store()?, state.secrets.clone(), delete_data).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn account_secrets(state: State<'_, AppState>) -> Result<SecretPresence, AppError> {
    account::secret_presence(state.store()?, state.secrets.clone()).await
}
