//! Commands about the app itself: proof that the UI reaches the core and what archive is open.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use super::error::AppError;
use crate::store::summary::counts;
use crate::store::Store;

/// What the core owns for the life of the window. The archive may have failed to open; then every
/// command answers with that error, so the window can explain it instead of the app crashing.
pub struct AppState {
    pub data_dir: PathBuf,
    pub store: Result<Arc<Store>, AppError>,
}

impl AppState {
    pub fn store(&self) -> Result<&Arc<Store>, AppError> {
        self.store.as_ref().map_err(Clone::clone)
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
}

pub async fn app_status(state: &AppState) -> Result<AppStatus, AppError> {
    let store = state.store()?;
    let c = counts(store.pool()).await?;
    Ok(AppStatus {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: store.data_dir().display().to_string(),
        db_path: store.db_path().display().to_string(),
        schema_version: store.schema_version().await?,
        accounts: c.accounts,
        conversations: c.conversations,
    })
}
