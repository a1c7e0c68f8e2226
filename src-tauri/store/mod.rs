//! The local archive: one SQLite file per data folder, opened safely, migrated, and every query
//! CubeDesk makes. Nothing outside this module writes SQL.

pub mod accounts;
pub mod backup;
pub mod chat_import;
pub mod composing;
pub mod conversations;
pub mod customers;
pub mod error;
pub mod export;
pub mod flows;
pub mod generate;
pub mod inbox;
pub mod insights;
pub mod location;
pub mod messages;
pub mod outbox;
pub mod search;
pub mod summary;
pub mod sync_state;
pub mod thread;
pub mod templates;
pub mod secrets;
pub mod time;
pub mod webhook_events;

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

pub use error::StoreError;
pub use location::{DataDirLock, DB_FILE};

/// Begins a transaction that takes the write lock at once. A deferred transaction that reads and
/// then writes fails immediately with "database is locked" when another connection wrote in
/// between (SQLite cannot wait for a snapshot to become current); taking the lock first makes it
/// wait its turn under the busy timeout instead.
pub async fn write_tx(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

/// The schema, embedded in the binary: plain `.sql` files applied in order.
pub static MIGRATOR: Migrator = sqlx::migrate!("src-tauri/store/migrations");

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// An open archive. Holds the data folder's lock for as long as it lives.
#[derive(Debug)]
pub struct Store {
    pool: SqlitePool,
    db_path: PathBuf,
    lock: DataDirLock,
}

impl Store {
    /// Opens (or creates) the archive in `data_dir`. A file that is not ours, damaged, or from a
    /// newer CubeDesk is refused with an error naming it, and is never deleted or rewritten.
    pub async fn open(data_dir: &Path) -> Result<Store, StoreError> {
        let lock = DataDirLock::acquire(data_dir)?;
        backup::apply_pending_restore(data_dir)?;
        let db_path = data_dir.join(DB_FILE);
        check_header(&db_path)?;
        // Every check on an existing file happens on a read-only connection, so a file we refuse
        // is left byte for byte as it was (a read-write open would already switch it to WAL).
        inspect_existing(&db_path).await?;

        let options = SqliteConnectOptions::new()
            .filename(&db_path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk before we report it (a webhook's 200, a composed message).
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::from_sqlx_at(e, &db_path))?;

        let store = Store { pool, db_path, lock };
        MIGRATOR.run(&store.pool).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::Execute(inner) => StoreError::from_sqlx_at(inner, &store.db_path),
            other => StoreError::Open { path: store.db_path.clone(), detail: other.to_string() },
        })?;
        Ok(store)
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    pub fn data_dir(&self) -> &Path {
        self.lock.dir()
    }

    /// The newest migration applied to this archive.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let v: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(v.unwrap_or(0))
    }

    /// The newest schema this build knows.
    pub fn supported_schema_version() -> i64 {
        MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// Waits for queries in progress, checkpoints the WAL and releases the folder.
    pub async fn close(self) {
        self.checkpoint().await;
        self.pool.close().await;
    }

    /// Copies the WAL into the database file and empties it. SQLite does this itself when the
    /// last connection closes, but sqlx finishes closing in the background; doing it here means
    /// the file is complete when `close` returns (for a backup, a copy, the next process).
    pub async fn checkpoint(&self) {
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await {
            tracing::warn!("WAL checkpoint failed: {e}");
        }
    }
}

/// Refuses another program's database, a damaged file and an archive from a newer CubeDesk,
/// reading only.
pub(crate) async fn inspect_existing(db_path: &Path) -> Result<(), StoreError> {
    if std::fs::metadata(db_path).map(|m| m.len() == 0).unwrap_or(true) {
        return Ok(());
    }
    let at = |e| StoreError::from_sqlx_at(e, db_path);
    let options = SqliteConnectOptions::new().filename(db_path).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options).await.map_err(at)?;
    let result = async {
        let tables: Vec<String> =
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                .fetch_all(&mut conn)
                .await
                .map_err(at)?;
        if tables.is_empty() {
            return Ok(());
        }
        if !tables.iter().any(|t| t == "_sqlx_migrations") {
            return Err(StoreError::NotCubeDesk { path: db_path.to_path_buf() });
        }
        let found: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = 1")
            .fetch_one(&mut conn)
            .await
            .map_err(at)?;
        let (found, supported) = (found.unwrap_or(0), Store::supported_schema_version());
        if found > supported {
            return Err(StoreError::NewerSchema { path: db_path.to_path_buf(), found, supported });
        }
        Ok(())
    }
    .await;
    let _ = conn.close().await;
    result
}

/// A non-empty file that does not start with SQLite's magic string is not a database; say so
/// before SQLite is asked to open it.
pub(crate) fn check_header(path: &Path) -> Result<(), StoreError> {
    use std::io::Read;
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(StoreError::Open { path: path.to_path_buf(), detail: e.to_string() }),
    };
    let mut head = [0u8; 16];
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(StoreError::Open { path: path.to_path_buf(), detail: e.to_string() }),
        }
    }
    if read == 0 || &head == SQLITE_MAGIC {
        Ok(())
    } else {
        Err(StoreError::NotSqlite { path: path.to_path_buf() })
    }
}
