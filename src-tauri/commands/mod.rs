//! Tauri commands: thin wrappers that parse arguments, call the core and map errors to
//! [`error::AppError`]. The logic lives in the plain async functions they call, so the CLI and
//! tests use the same code without a window.

pub mod app;
pub mod error;

use tauri::State;

use app::{AppState, AppStatus};
use error::AppError;

#[tauri::command(rename_all = "camelCase")]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, AppError> {
    app::app_status(&state).await
}
