//! Tauri commands: thin wrappers that parse arguments, call the core and map errors to
//! [`error::AppError`]. The logic lives in the plain async functions they call, so the CLI and
//! tests use the same code without a window.

pub mod account;
pub mod backup;
pub mod app;
pub mod compose;
pub mod conversation;
pub mod customer;
pub mod daemon;
pub mod demo;
pub mod desktop;
pub mod diagnostics;
pub mod error;
pub mod export;
pub mod import;
pub mod inbox;
pub mod insights;
pub mod link;
pub mod live;
pub mod search;
pub mod tray;
pub mod updates;

use tauri::State;

use account::{AccountFormInput, SecretPresence};
use app::{AppState, AppStatus};
use error::{AppError, ErrorCode};
use inbox::{Cursor, InboxItem};
use crate::domain::account_form::FieldProblem;
use crate::store::accounts::AccountSummary;

/// The window painted its first inbox (see [`app::first_paint`]).
#[tauri::command]
pub fn first_paint<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    if app::first_paint() {
        app.exit(0);
    }
}

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
pub async fn inbox_page(
    state: State<'_, AppState>,
    after: Option<Cursor>,
    limit: Option<u32>,
    filter: Option<inbox::Filter>,
) -> Result<Vec<InboxItem>, AppError> {
    let Some((store, account_id)) = active_account(&state).await? else {
        return Ok(Vec::new());
    };
    inbox::page(&store, account_id, &filter.unwrap_or_default(), after, limit.unwrap_or(200)).await
}

/// The archive on screen and its account, if it has one.
async fn active_account(state: &AppState) -> Result<Option<(std::sync::Arc<crate::store::Store>, i64)>, AppError> {
    let store = state.active_store().await?;
    let account = crate::store::accounts::current_account(store.pool()).await?;
    Ok(account.map(|a| (store, a.id)))
}

async fn require_account(state: &AppState) -> Result<(std::sync::Arc<crate::store::Store>, i64), AppError> {
    active_account(state)
        .await?
        .ok_or_else(|| AppError::new(error::ErrorCode::NoAccount, "Connect a CubeConnect account (or open the demo) first."))
}

/// The live connection of what is on screen (the demo's or the real account's), to nudge it.
async fn with_engine(state: &AppState, f: impl FnOnce(&crate::sync::Engine)) {
    if let Some(d) = state.demo.lock().await.as_ref() {
        f(&d.live.engine);
        return;
    }
    if let Some(l) = state.live.lock().await.as_ref() {
        f(&l.engine);
    }
}

#[tauri::command(rename_all = "camelCase")]
pub async fn unread_total(state: State<'_, AppState>) -> Result<i64, AppError> {
    unread_total_of(&state).await
}

/// Every unread message of the account on screen (the title and the tray count the same).
pub async fn unread_total_of(state: &AppState) -> Result<i64, AppError> {
    let Some((store, account_id)) = active_account(state).await? else {
        return Ok(0);
    };
    Ok(crate::store::inbox::unread_total(store.pool(), account_id).await?)
}

#[tauri::command(rename_all = "camelCase")]
pub async fn inbox_tags(state: State<'_, AppState>) -> Result<Vec<String>, AppError> {
    let Some((store, account_id)) = active_account(&state).await? else {
        return Ok(Vec::new());
    };
    Ok(crate::store::inbox::tags_in_use(store.pool(), account_id).await?)
}

#[tauri::command(rename_all = "camelCase")]
pub async fn open_conversation(state: State<'_, AppState>, conversation_id: i64) -> Result<conversation::ConversationInfo, AppError> {
    let (store, account_id) = require_account(&state).await?;
    if crate::store::conversations::mark_read(store.pool(), conversation_id).await? {
        (state.notify())(crate::sync::events::Change::ConversationChanged { conversation_id });
    }
    with_engine(&state, |e| e.refresh_now()).await;
    conversation::info(&store, account_id, conversation_id).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn conversation_info(state: State<'_, AppState>, conversation_id: i64) -> Result<conversation::ConversationInfo, AppError> {
    let (store, account_id) = require_account(&state).await?;
    conversation::info(&store, account_id, conversation_id).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn messages_page(
    state: State<'_, AppState>,
    conversation_id: i64,
    before: Option<conversation::MessageCursor>,
    limit: Option<u32>,
) -> Result<Vec<conversation::Message>, AppError> {
    let (store, account_id) = require_account(&state).await?;
    let sendable = conversation::info(&store, account_id, conversation_id).await?.sendable;
    conversation::page(&store, conversation_id, before, limit.unwrap_or(50), &sendable).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn send_message(state: State<'_, AppState>, conversation_id: i64, draft: compose::Draft) -> Result<i64, AppError> {
    let (store, account_id) = require_account(&state).await?;
    let offset = conversation::clock_offset(&store, account_id).await;
    let id = compose::compose(&store, conversation_id, &draft, offset).await?;
    (state.notify())(crate::sync::events::Change::MessageAdded { conversation_id, message_id: id });
    with_engine(&state, |e| e.wake_sender()).await;
    Ok(id)
}

#[tauri::command(rename_all = "camelCase")]
pub async fn retry_message(state: State<'_, AppState>, message_id: i64) -> Result<(), AppError> {
    let (store, account_id) = require_account(&state).await?;
    compose::retry(&store, message_id, conversation::clock_offset(&store, account_id).await).await?;
    changed(&state, &store, message_id).await;
    with_engine(&state, |e| e.wake_sender()).await;
    Ok(())
}

#[tauri::command(rename_all = "camelCase")]
pub async fn edit_message(state: State<'_, AppState>, message_id: i64, text: String) -> Result<(), AppError> {
    let (store, account_id) = require_account(&state).await?;
    compose::edit(&store, message_id, &text, conversation::clock_offset(&store, account_id).await).await?;
    changed(&state, &store, message_id).await;
    with_engine(&state, |e| e.wake_sender()).await;
    Ok(())
}

#[tauri::command(rename_all = "camelCase")]
pub async fn delete_message(state: State<'_, AppState>, message_id: i64) -> Result<(), AppError> {
    let (store, _) = require_account(&state).await?;
    let conversation_id = compose::delete(&store, message_id).await?;
    (state.notify())(crate::sync::events::Change::ConversationChanged { conversation_id });
    Ok(())
}

async fn changed(state: &AppState, store: &crate::store::Store, message_id: i64) {
    if let Ok(Some(conversation_id)) = crate::store::messages::conversation_of(store.pool(), message_id).await {
        (state.notify())(crate::sync::events::Change::MessageChanged { conversation_id, message_id });
    }
}

#[tauri::command(rename_all = "camelCase")]
pub async fn templates_for(state: State<'_, AppState>, conversation_id: i64) -> Result<Vec<crate::store::templates::PickerTemplate>, AppError> {
    let (store, _) = require_account(&state).await?;
    let target = crate::store::composing::target(store.pool(), conversation_id).await?.ok_or_else(conversation::gone)?;
    Ok(crate::store::templates::approved_of(store.pool(), target.number_id).await?)
}

#[tauri::command(rename_all = "camelCase")]
pub async fn template_preview(
    state: State<'_, AppState>,
    conversation_id: i64,
    name: String,
    language: String,
    params: Vec<String>,
) -> Result<compose::TemplatePreview, AppError> {
    let (store, _) = require_account(&state).await?;
    compose::preview(&store, conversation_id, &name, &language, &params).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn customer_details(state: State<'_, AppState>, customer_id: i64) -> Result<customer::CustomerDetails, AppError> {
    let (store, _) = require_account(&state).await?;
    customer::details(&store, customer_id).await
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
    if state.sync_paused.load(std::sync::atomic::Ordering::SeqCst) {
        return;
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
    let mut status = live::status(&store, account, live.as_ref()).await?;
    status.paused = state.sync_paused.load(std::sync::atomic::Ordering::SeqCst);
    Ok(status)
}

/// Pauses the real account's sync (nothing is sent or received; composed messages wait in the
/// outbox) or resumes it.
pub async fn set_sync_paused(state: &AppState, paused: bool) {
    // The flag changes under the connection's lock, so a resume cannot slip between a pause's
    // flag and its stop.
    let mut live = state.live.lock().await;
    state.sync_paused.store(paused, std::sync::atomic::Ordering::SeqCst);
    if paused {
        if let Some(l) = live.take() {
            l.stop().await;
        }
        tracing::info!("sync paused");
    } else {
        drop(live);
        restart_live(state).await;
        tracing::info!("sync resumed");
    }
    (state.notify())(crate::sync::events::Change::SyncStateChanged);
}

#[tauri::command(rename_all = "camelCase")]
pub async fn pause_sync<R: tauri::Runtime>(app: tauri::AppHandle<R>, state: State<'_, AppState>, paused: bool) -> Result<(), AppError> {
    set_sync_paused(&state, paused).await;
    tray::show_paused(&app, paused);
    Ok(())
}

// --- Desktop integration: links, login item, diagnostics, updates ---

/// The conversation a waiting `cubedesk://` link opens (`null` when none waits).
#[tauri::command(rename_all = "camelCase")]
pub async fn take_link(pending: State<'_, link::PendingLink>, state: State<'_, AppState>) -> Result<Option<i64>, AppError> {
    link::take(&pending, &state).await
}

/// The update found at start and not yet installed, if any (the window may have missed the event).
#[tauri::command(rename_all = "camelCase")]
pub async fn pending_update<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Result<Option<updates::Available>, AppError> {
    Ok(updates::pending(&app))
}

#[tauri::command(rename_all = "camelCase")]
pub async fn autostart_enabled<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Result<bool, AppError> {
    desktop::autostart_enabled(&app)
}

#[tauri::command(rename_all = "camelCase")]
pub async fn set_autostart<R: tauri::Runtime>(app: tauri::AppHandle<R>, enabled: bool) -> Result<bool, AppError> {
    desktop::set_autostart(&app, enabled)
}

#[tauri::command(rename_all = "camelCase")]
pub async fn diagnostics(state: State<'_, AppState>) -> Result<String, AppError> {
    diagnostics::gather(&state).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn check_update<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Result<Option<updates::Available>, AppError> {
    updates::check(&app, true).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn install_update<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Result<(), AppError> {
    updates::install(&app).await
}

// --- The offline archive: search, export, import, insights, backup ---

#[tauri::command(rename_all = "camelCase")]
pub async fn search_archive(
    state: State<'_, AppState>,
    query: String,
    filter: Option<search::SearchFilter>,
    order: Option<search::SearchOrder>,
    after: Option<String>,
    limit: Option<u32>,
) -> Result<search::SearchResults, AppError> {
    let Some((store, account_id)) = active_account(&state).await? else {
        return Ok(search::SearchResults::default());
    };
    search::search(&store, account_id, &query, &filter.unwrap_or_default(), order.unwrap_or_default(), after.as_deref(), limit.unwrap_or(50)).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn messages_around(
    state: State<'_, AppState>,
    conversation_id: i64,
    message_id: i64,
    limit: Option<u32>,
) -> Result<Vec<conversation::Message>, AppError> {
    let (store, account_id) = require_account(&state).await?;
    let sendable = conversation::info(&store, account_id, conversation_id).await?.sendable;
    conversation::slice(&store, conversation_id, conversation::Slice::Around(message_id), limit.unwrap_or(50), &sendable).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn messages_after(
    state: State<'_, AppState>,
    conversation_id: i64,
    after: conversation::MessageCursor,
    limit: Option<u32>,
) -> Result<Vec<conversation::Message>, AppError> {
    let (store, account_id) = require_account(&state).await?;
    let sendable = conversation::info(&store, account_id, conversation_id).await?.sendable;
    conversation::slice(&store, conversation_id, conversation::Slice::After(after), limit.unwrap_or(50), &sendable).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn export_archive(
    state: State<'_, AppState>,
    scope: export::ExportScope,
    format: export::ExportFormat,
    path: String,
) -> Result<export::ExportResult, AppError> {
    let (store, account_id) = require_account(&state).await?;
    export::outside_data_dir(std::path::Path::new(&path), &state.data_dir)?;
    export::export(&store, account_id, &scope, format, std::path::Path::new(&path), import::local_offset_minutes()).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn preview_import(state: State<'_, AppState>, input: import::ImportInput) -> Result<import::ImportPreview, AppError> {
    let (store, account_id) = require_account(&state).await?;
    import::preview(&store, account_id, &input).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn import_chat(state: State<'_, AppState>, input: import::ImportInput) -> Result<import::ImportResult, AppError> {
    let (store, account_id) = require_account(&state).await?;
    let result = import::import(&store, account_id, &input).await?;
    (state.notify())(crate::sync::events::Change::ConversationChanged { conversation_id: result.conversation_id });
    Ok(result)
}

#[tauri::command(rename_all = "camelCase")]
pub async fn insights(state: State<'_, AppState>, query: insights::InsightsQuery) -> Result<insights::Insights, AppError> {
    let (store, account_id) = require_account(&state).await?;
    insights::insights(&store, account_id, &query, chrono::Utc::now()).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn export_insights(state: State<'_, AppState>, query: insights::InsightsQuery, path: String) -> Result<export::ExportResult, AppError> {
    let (store, account_id) = require_account(&state).await?;
    export::outside_data_dir(std::path::Path::new(&path), &state.data_dir)?;
    insights::export_csv(&store, account_id, &query, std::path::Path::new(&path)).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn backup_archive(state: State<'_, AppState>, path: String) -> Result<backup::BackupResult, AppError> {
    not_in_demo(&state).await?;
    export::outside_data_dir(std::path::Path::new(&path), &state.data_dir)?;
    backup::backup(state.store()?, std::path::Path::new(&path)).await
}

#[tauri::command(rename_all = "camelCase")]
pub async fn check_backup(path: String) -> Result<crate::store::backup::BackupSummary, AppError> {
    backup::check(std::path::Path::new(&path)).await
}

/// Backups are of the owner's own archive: with the demo on screen, backing up or restoring would
/// touch an archive other than the one shown.
async fn not_in_demo(state: &AppState) -> Result<(), AppError> {
    if state.demo.lock().await.is_some() {
        return Err(AppError::new(ErrorCode::DemoUnavailable, "Leave the demo to back up or restore your own archive."));
    }
    Ok(())
}

/// Stages the checked backup and restarts CubeDesk, which swaps it in before opening the archive.
#[tauri::command(rename_all = "camelCase")]
pub async fn restore_archive<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
) -> Result<crate::store::backup::BackupSummary, AppError> {
    not_in_demo(&state).await?;
    let summary = backup::stage(std::path::Path::new(&path), &state.data_dir).await?;
    app.request_restart();
    Ok(summary)
}
