//! Backups: a consistent copy of the archive taken while it is in use (SQLite's `VACUUM INTO`),
//! and a restore that checks the file before anything is replaced. A restore is staged beside the
//! archive and swapped in when the archive is next opened, so no open connection ever sees a file
//! change under it; the archive it replaces is kept, renamed.

use std::path::{Path, PathBuf};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use super::error::StoreError;
use super::Store;

/// A checked backup waiting to replace the archive at the next open.
pub const PENDING_RESTORE: &str = "restore-pending.db";

/// What a backup file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupSummary {
    pub schema_version: i64,
    pub customers: i64,
    pub conversations: i64,
    pub messages: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write {path}: {detail}")]
    Write { path: PathBuf, detail: String },
    #[error("{path} is not a CubeDesk backup: {why}")]
    Invalid { path: PathBuf, why: String },
}

/// Writes a consistent copy of the whole archive to `target` (complete or not at all). Returns
/// the copy's size in bytes.
pub async fn backup(store: &Store, target: &Path) -> Result<u64, BackupError> {
    let write_err = |e: &dyn std::fmt::Display| BackupError::Write { path: target.to_path_buf(), detail: e.to_string() };
    if target.is_dir() {
        return Err(write_err(&"it is a folder"));
    }
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // VACUUM INTO writes into an empty file; the temporary one is renamed over the target after.
    let tmp = tempfile::Builder::new().prefix(".cubedesk-backup-").suffix(".part").tempfile_in(dir).map_err(|e| write_err(&e))?;
    let tmp_path = tmp.path().to_str().ok_or_else(|| write_err(&"the folder's name cannot be used"))?.to_string();
    sqlx::query("VACUUM INTO ?").bind(&tmp_path).execute(store.pool()).await.map_err(|e| match StoreError::from(e) {
        StoreError::Sqlx(inner) => write_err(&inner),
        other => BackupError::Store(other),
    })?;
    tmp.as_file().sync_all().map_err(|e| write_err(&e))?;
    let file = tmp.persist(target).map_err(|e| write_err(&e.error))?;
    Ok(file.metadata().map(|m| m.len()).unwrap_or(0))
}

/// Checks that `path` is a CubeDesk archive this version can open, undamaged, and says what it
/// holds. Reads only.
pub async fn check(path: &Path) -> Result<BackupSummary, BackupError> {
    let invalid = |why: String| BackupError::Invalid { path: path.to_path_buf(), why };
    let meta = std::fs::metadata(path).map_err(|e| invalid(e.to_string()))?;
    if !meta.is_file() || meta.len() == 0 {
        return Err(invalid("it is empty or not a file".into()));
    }
    super::check_header(path).map_err(|_| invalid("it is not a SQLite database".into()))?;
    super::inspect_existing(path).await.map_err(|e| match e {
        StoreError::NewerSchema { .. } => invalid("it was made by a newer version of CubeDesk".into()),
        StoreError::NotCubeDesk { .. } => invalid("it belongs to another program".into()),
        other => invalid(other.to_string()),
    })?;
    let options = SqliteConnectOptions::new().filename(path).read_only(true).immutable(true);
    let mut conn = SqliteConnection::connect_with(&options).await.map_err(|e| invalid(e.to_string()))?;
    let result = async {
        let verdict: String = sqlx::query_scalar("PRAGMA quick_check").fetch_one(&mut conn).await.map_err(|e| invalid(e.to_string()))?;
        if verdict != "ok" {
            return Err(invalid(format!("it is damaged ({verdict})")));
        }
        let count = |table: &'static str| format!("SELECT count(*) FROM {table}");
        let mut n = [0i64; 3];
        for (i, t) in ["customers", "conversations", "messages"].into_iter().enumerate() {
            n[i] = sqlx::query_scalar(&count(t)).fetch_one(&mut conn).await.map_err(|_| invalid(format!("it has no {t}")))?;
        }
        let schema_version: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = 1")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| invalid(e.to_string()))?;
        Ok(BackupSummary { schema_version: schema_version.unwrap_or(0), customers: n[0], conversations: n[1], messages: n[2] })
    }
    .await;
    let _ = conn.close().await;
    result
}

/// Checks `backup` and copies it beside the archive in `data_dir`, to replace it at the next open.
pub async fn stage_restore(backup: &Path, data_dir: &Path) -> Result<BackupSummary, BackupError> {
    let summary = check(backup).await?;
    let target = data_dir.join(PENDING_RESTORE);
    let write_err = |e: &dyn std::fmt::Display| BackupError::Write { path: target.clone(), detail: e.to_string() };
    let mut tmp = tempfile::Builder::new().prefix(".cubedesk-restore-").tempfile_in(data_dir).map_err(|e| write_err(&e))?;
    let mut src = std::fs::File::open(backup).map_err(|e| write_err(&e))?;
    std::io::copy(&mut src, tmp.as_file_mut()).map_err(|e| write_err(&e))?;
    tmp.as_file().sync_all().map_err(|e| write_err(&e))?;
    tmp.persist(&target).map_err(|e| write_err(&e.error))?;
    Ok(summary)
}

/// Swaps a staged restore in (called while holding the folder's lock, before the archive opens):
/// the current archive and its WAL become `cubedesk-before-restore-<time>.db[-wal|-shm]`. The WAL
/// and shared-memory files move first and under the same name as the database they belong to, so
/// a crash between two renames never leaves the old archive's WAL beside the restored file (SQLite
/// would replay it into the wrong database); running again after such a crash finishes the job.
pub fn apply_pending_restore(data_dir: &Path) -> Result<Option<PathBuf>, StoreError> {
    let pending = data_dir.join(PENDING_RESTORE);
    let Ok(staged) = std::fs::metadata(&pending) else { return Ok(None) };
    let db = data_dir.join(super::DB_FILE);
    // Named after the staged file's time, so a second attempt after a crash uses the same name.
    let when: chrono::DateTime<chrono::Utc> = staged.modified().map(Into::into).unwrap_or_else(|_| chrono::Utc::now());
    let kept = data_dir.join(format!("cubedesk-before-restore-{}.db", when.format("%Y%m%d-%H%M%S")));
    let io = |e: std::io::Error| StoreError::Open { path: db.clone(), detail: format!("restoring the backup: {e}") };
    for suffix in ["-wal", "-shm"] {
        let side = data_dir.join(format!("{}{suffix}", super::DB_FILE));
        if side.exists() {
            std::fs::rename(&side, data_dir.join(format!("{}{suffix}", kept.file_name().and_then(|n| n.to_str()).unwrap_or("kept.db")))).map_err(io)?;
        }
    }
    if db.exists() {
        std::fs::rename(&db, &kept).map_err(io)?;
    }
    std::fs::rename(&pending, &db).map_err(io)?;
    if let Ok(dir) = std::fs::File::open(data_dir) {
        let _ = dir.sync_all();
    }
    tracing::info!(kept = %kept.display(), "a backup was restored");
    Ok(Some(kept))
}
