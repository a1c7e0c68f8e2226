//! CubeDesk's core. The layout follows DESIGN.md: pure rules in `domain`, the archive in `store`,
//! Tauri commands in `commands`, entry points in `cli` and [`run_gui`].

pub mod api;
pub mod cli;
pub mod cli_archive;
pub mod commands;
pub mod domain;
pub mod logging;
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
        commands::pause_sync,
        commands::take_link,
        commands::pending_update,
        commands::autostart_enabled,
        commands::set_autostart,
        commands::diagnostics,
        commands::check_update,
        commands::install_update,
    ])
}

/// Opens the archive in `data_dir` (or records why it could not) and runs the window. `link` is
/// a `cubedesk://` link the system started CubeDesk with.
pub fn run_gui(data_dir: PathBuf, link: Option<String>) -> Result<(), tauri::Error> {
    commands::app::mark_start();
    let instance = commands::desktop::instance_id(&data_dir);
    // The plugin keeps its arguments for the life of the app.
    let autostart_dir: &'static str = Box::leak(data_dir.display().to_string().into_boxed_str());
    let app = with_handlers(tauri::Builder::default())
        // First, so that a second launch on the same archive hands its link to the window already
        // open, brings it to the front and quits, before it touches the archive.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance)
                .callback(|app, argv, _cwd| {
                    commands::tray::show_main(app);
                    if let Some(link) = domain::deep_link::find_in_args(&argv) {
                        commands::link::arrived(app, link);
                    }
                })
                .build(),
        )
        // Registers cubedesk:// with the system (bundles) and hands links over on macOS.
        .plugin(tauri_plugin_deep_link::init())
        // Size and position come back as the owner left them; an unreadable file is ignored.
        .plugin(tauri_plugin_window_state::Builder::default().build())
        // Started at login on the same archive as now.
        .plugin(tauri_plugin_autostart::init(tauri_plugin_autostart::MacosLauncher::LaunchAgent, Some(vec!["--data-dir", autostart_dir])))
        .plugin(tauri_plugin_updater::Builder::new().build())
        // Desktop notifications for new customer messages and closing windows; where the system has
        // no notification service, showing one fails quietly and the title still counts unread.
        .plugin(tauri_plugin_notification::init())
        // Save and open dialogs for exports, imports and backups.
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::updates::Pending::default())
        .manage(commands::link::PendingLink::default())
        .setup(move |app| {
            use tauri::{Emitter, Manager};
            let store = tauri::async_runtime::block_on(Store::open(&data_dir)).map(Arc::new).map_err(AppError::from);
            match &store {
                Ok(s) => tracing::info!(db = %s.db_path().display(), "archive open"),
                Err(e) => tracing::error!(code = ?e.code, "{}", e.message),
            }
            let indexing = store.as_ref().ok().cloned();
            app.manage(AppState::new(data_dir, store, Arc::new(store::secrets::Keychain)));
            let handle = app.handle().clone();
            let state = app.state::<AppState>();
            // Every committed change reaches the window as one event; the UI never polls.
            state.set_notify(Arc::new(move |change| {
                let _ = handle.emit(sync::events::EVENT_NAME, change);
                commands::tray::refresh_unread(&handle);
            }));
            commands::tray::install(app.handle());
            commands::tray::refresh_unread(app.handle());
            if let Some(link) = link.as_deref() {
                commands::link::arrived(app.handle(), link);
            }
            #[cfg(target_os = "macos")]
            {
                use tauri_plugin_deep_link::DeepLinkExt;
                let handle = app.handle().clone();
                app.deep_link().on_open_url(move |event| {
                    for url in event.urls() {
                        commands::link::arrived(&handle, url.as_str());
                    }
                });
            }
            commands::updates::check_at_start(app.handle());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                commands::restart_live(&handle.state::<AppState>()).await;
            });
            // An archive upgraded from before search, or a large import, is indexed in the
            // background so the first search does not wait for it.
            if let Some(store) = indexing {
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
            commands::app::shut_down(handle);
        }
    });
    Ok(())
}
