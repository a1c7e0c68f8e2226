//! CubeDesk's core. The layout follows DESIGN.md: pure rules in `domain`, the archive in `store`,
//! Tauri commands in `commands`, entry points in `cli` and [`run_gui`].

pub mod api;
pub mod cli;
pub mod cli_archive;
pub mod commands;
pub mod domain;
pub mod sim;
pub mod store;
pub mod sync;
pub mod webhook;

use std::path::PathBuf;
use std::sync::Arc;

use commands::app::AppState;
use commands::error::AppError;
use store::Store;

/// Registers every command. Shared by the real app and the IPC tests (which use a mock runtime).
pub fn with_handlers<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app_status,
        commands::start_demo,
        commands::stop_demo,
        commands::inbox_page,
        commands::check_account_form,
        commands::connect_account,
        commands::update_account,
        commands::remove_account,
        commands::account_secrets,
        commands::sync_status,
        commands::inbox_tags,
        commands::unread_total,
        commands::open_conversation,
        commands::conversation_info,
        commands::messages_page,
        commands::send_message,
        commands::retry_message,
        commands::edit_message,
        commands::delete_message,
        commands::templates_for,
        commands::template_preview,
        commands::customer_details,
        commands::search_archive,
        commands::messages_around,
        commands::messages_after,
        commands::export_archive,
        commands::preview_import,
        commands::import_chat,
        commands::insights,
        commands::export_insights,
        commands::backup_archive,
        commands::check_backup,
        commands::restore_archive,
        commands::first_paint,
    ])
}

/// Opens the archive in `data_dir` (or records why it could not) and runs the window.
pub fn run_gui(data_dir: PathBuf) -> Result<(), tauri::Error> {
    commands::app::mark_start();
    let store = tauri::async_runtime::block_on(Store::open(&data_dir)).map(Arc::new).map_err(AppError::from);
    match &store {
        Ok(s) => tracing::info!(db = %s.db_path().display(), "archive open"),
        Err(e) => tracing::error!(code = ?e.code, "{}", e.message),
    }
    let closing = store.as_ref().ok().cloned();
    let app = with_handlers(tauri::Builder::default())
        // Desktop notifications for new customer messages and closing windows; where the system has
        // no notification service, showing one fails quietly and the title still counts unread.
        .plugin(tauri_plugin_notification::init())
        // Save and open dialogs for exports, imports and backups.
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::new(data_dir, store, Arc::new(store::secrets::Keychain)))
        .setup(|app| {
            use tauri::{Emitter, Manager};
            let handle = app.handle().clone();
            let state = app.state::<AppState>();
            // Every committed change reaches the window as one event; the UI never polls.
            state.set_notify(Arc::new(move |change| {
                let _ = handle.emit(sync::events::EVENT_NAME, change);
            }));
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                commands::restart_live(&handle.state::<AppState>()).await;
            });
            // An archive upgraded from before search, or a large import, is indexed in the
            // background so the first search does not wait for it.
            if let Ok(store) = state.store().cloned() {
                tauri::async_runtime::spawn(async move {
                    if let Err(e) = store::search::catch_up(store.pool()).await {
                        tracing::warn!("search index: {e}");
                    }
                });
            }
            Ok(())
        })
        .build(tauri::generate_context!())?;
    app.run(move |handle, event| {
        if let tauri::RunEvent::Exit = event {
            use tauri::Manager;
            let state = handle.state::<AppState>();
            if let Some(demo) = tauri::async_runtime::block_on(state.demo.lock()).take() {
                tauri::async_runtime::block_on(demo.stop());
            }
            if let Some(live) = tauri::async_runtime::block_on(state.live.lock()).take() {
                tauri::async_runtime::block_on(live.stop());
            }
            if let Some(store) = &closing {
                // Finish writes in progress and checkpoint the WAL before the process ends.
                tauri::async_runtime::block_on(async {
                    store.checkpoint().await;
                    store.pool().close().await;
                });
            }
        }
    });
    Ok(())
}
