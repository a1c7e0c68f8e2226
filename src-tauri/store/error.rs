//! What can go wrong with the archive, in terms a person can act on. Every variant that concerns
//! a file names it.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("CubeDesk cannot write to its data folder {path}: {reason}")]
    DataDirUnwritable { path: PathBuf, reason: String },

    #[error("no data folder could be found for this user; start CubeDesk with --data-dir")]
    NoDataDir,

    #[error("CubeDesk is already running on the data folder {path}{}", holder.map(|p| format!(" (process {p})")).unwrap_or_default())]
    AlreadyRunning { path: PathBuf, holder: Option<u32> },

    #[error("{path} is not a CubeDesk archive (it is not an SQLite database)")]
    NotSqlite { path: PathBuf },

    #[error("{path} is an SQLite database, but not a CubeDesk archive")]
    NotCubeDesk { path: PathBuf },

    #[error("the archive {path} is damaged: {detail}")]
    Corrupt { path: PathBuf, detail: String },

    #[error("the archive {path} was written by a newer CubeDesk (schema {found}; this version knows up to {supported})")]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },

    #[error("the archive {path} could not be opened: {detail}")]
    Open { path: PathBuf, detail: String },

    #[error("the disk holding {path} is full")]
    DiskFull { path: PathBuf },

    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),

    #[error("{0}")]
    Invalid(String),
}

/// SQLite's primary result codes we tell apart (the low byte of an extended code).
pub(crate) fn sqlite_primary_code(err: &sqlx::Error) -> Option<i32> {
    let db = err.as_database_error()?;
    let code: i32 = db.code()?.parse().ok()?;
    Some(code & 0xff)
}

pub(crate) const SQLITE_CORRUPT: i32 = 11;
pub(crate) const SQLITE_FULL: i32 = 13;
pub(crate) const SQLITE_CANTOPEN: i32 = 14;
pub(crate) const SQLITE_NOTADB: i32 = 26;
pub(crate) const SQLITE_READONLY: i32 = 8;

impl StoreError {
    /// Turns a low-level error met while using the file at `path` into the error a person can act on.
    pub(crate) fn from_sqlx_at(err: sqlx::Error, path: &std::path::Path) -> StoreError {
        let path = path.to_path_buf();
        match sqlite_primary_code(&err) {
            Some(SQLITE_NOTADB) => StoreError::NotSqlite { path },
            Some(SQLITE_CORRUPT) => StoreError::Corrupt { path, detail: err.to_string() },
            Some(SQLITE_FULL) => StoreError::DiskFull { path },
            Some(SQLITE_CANTOPEN) | Some(SQLITE_READONLY) => {
                StoreError::DataDirUnwritable { reason: err.to_string(), path }
            }
            _ => StoreError::Open { path, detail: err.to_string() },
        }
    }
}
