//! The UI's view of the core, through Tauri's real IPC on a mock runtime: the command answers,
//! and an error reaches the webview as exactly `{code, message}`.

use std::sync::Arc;

use cubedesk::commands::app::AppState;
use cubedesk::commands::error::{AppError, ErrorCode};
use cubedesk::store::secrets::MemorySecrets;
use cubedesk::store::Store;
use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};

fn invoke(state: AppState, cmd: &str) -> Result<Value, Value> {
    let app = cubedesk::with_handlers(mock_builder()).manage(state).build(tauri::generate_context!()).unwrap();
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    get_ipc_response(
        &webview,
        tauri::webview::InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(json!({})),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|r| r.deserialize::<Value>().unwrap())
}

#[test]
fn app_status_reaches_the_core_and_describes_the_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tauri::async_runtime::block_on(Store::open(tmp.path())).unwrap();
    let db_path = store.db_path().display().to_string();
    let state = AppState::new(tmp.path().into(), Ok(Arc::new(store)), Arc::new(MemorySecrets::default()));
    let status = invoke(state, "app_status").unwrap();
    assert_eq!(status["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(status["dbPath"], db_path);
    assert_eq!(status["dataDir"], tmp.path().display().to_string());
    assert_eq!(status["schemaVersion"], Store::supported_schema_version());
    assert_eq!(status["accounts"], 0);
    assert_eq!(status["conversations"], 0);
}

#[test]
fn an_archive_error_crosses_ipc_as_code_and_message() {
    let err = AppError::new(ErrorCode::DbCorrupt, "The archive file /x/cubedesk.db is damaged.");
    let state = AppState::new("/x".into(), Err(err), Arc::new(MemorySecrets::default()));
    let got = invoke(state, "app_status").unwrap_err();
    assert_eq!(got, json!({"code": "DB_CORRUPT", "message": "The archive file /x/cubedesk.db is damaged."}));
}

#[test]
fn commands_that_do_not_exist_are_refused() {
    let state = AppState::new("/x".into(), Err(AppError::new(ErrorCode::Internal, "x")), Arc::new(MemorySecrets::default()));
    assert!(invoke(state, "delete_everything").is_err());
}
