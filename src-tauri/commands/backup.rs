//! Backup and restore as commands: the store does the work; this maps its errors to sentences.

use std::path::Path;

use serde::Serialize;

use super::error::{AppError, ErrorCode};
use crate::store::backup::{self as b, BackupError, BackupSummary};
use crate::store::Store;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BackupResult {
    pub path: String,
    pub bytes: u64,
}

impl From<BackupError> for AppError {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::Store(s) => s.into(),
            BackupError::Write { path, detail } => super::export::unwritable(&path, &detail),
            BackupError::Invalid { path, why } => AppError::new(
                ErrorCode::BackupInvalid,
                format!("{} cannot be restored: {why}. Your archive was not changed.", path.display()),
            ),
        }
    }
}

pub async fn backup(store: &Store, path: &Path) -> Result<BackupResult, AppError> {
    let bytes = b::backup(store, path).await?;
    Ok(BackupResult { path: path.display().to_string(), bytes })
}

pub async fn check(path: &Path) -> Result<BackupSummary, AppError> {
    Ok(b::check(path).await?)
}

pub async fn stage(path: &Path, data_dir: &Path) -> Result<BackupSummary, AppError> {
    Ok(b::stage_restore(path, data_dir).await?)
}
