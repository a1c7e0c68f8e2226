//! Opening the archive: a fresh folder, reopening, and every kind of file we must refuse without
//! touching it. Real SQLite files in temporary folders.

use cubedesk::store::{Store, StoreError, DB_FILE};
use std::path::Path;

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

async fn pragma(store: &Store, name: &str) -> String {
    sqlx::query_scalar(&format!("SELECT CAST(({name}) AS TEXT)")).fetch_one(store.pool()).await.unwrap()
}

/// A real archive in `dir`, closed again, with one account in it.
async fn make_archive(dir: &Path) {
    let store = Store::open(dir).await.unwrap();
    sqlx::query("INSERT INTO accounts (name, created_at, updated_at) VALUES ('Shop', 0, 0)")
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
}

#[tokio::test]
async fn a_fresh_folder_gets_a_migrated_archive_with_safe_settings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nested/data");
    let store = Store::open(&dir).await.unwrap();
    assert!(dir.join(DB_FILE).exists());
    assert_eq!(store.db_path(), dir.join(DB_FILE));
    assert_eq!(store.schema_version().await.unwrap(), Store::supported_schema_version());
    assert!(Store::supported_schema_version() >= 1);
    assert_eq!(pragma(&store, "SELECT journal_mode FROM pragma_journal_mode").await, "wal");
    assert_eq!(pragma(&store, "SELECT foreign_keys FROM pragma_foreign_keys").await, "1");
    assert_eq!(pragma(&store, "SELECT timeout FROM pragma_busy_timeout").await, "5000");
    assert_eq!(pragma(&store, "SELECT synchronous FROM pragma_synchronous").await, "2", "FULL");
    store.close().await;
}

#[tokio::test]
async fn data_survives_a_reopen() {
    let tmp = tempfile::tempdir().unwrap();
    make_archive(tmp.path()).await;
    let store = Store::open(tmp.path()).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts WHERE name = 'Shop'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn an_empty_file_is_a_new_archive() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(DB_FILE), b"").unwrap();
    let store = Store::open(tmp.path()).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), Store::supported_schema_version());
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join(DB_FILE);
    let content = b"My shopping list\nmilk\neggs\n".repeat(100);
    std::fs::write(&db, &content).unwrap();
    let err = Store::open(tmp.path()).await.unwrap_err();
    assert!(matches!(&err, StoreError::NotSqlite { path } if path == &db), "{err:?}");
    assert!(err.to_string().contains(&db.display().to_string()));
    assert!(bytes(&db) == content, "the file was changed");
}

#[tokio::test]
async fn a_damaged_archive_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    make_archive(tmp.path()).await;
    let db = tmp.path().join(DB_FILE);
    // Overwrite the schema page's b-tree header, just past the 100-byte file header.
    let mut damaged = bytes(&db);
    for b in &mut damaged[100..140] {
        *b = 0xEE;
    }
    std::fs::write(&db, &damaged).unwrap();
    let err = Store::open(tmp.path()).await.unwrap_err();
    assert!(matches!(&err, StoreError::Corrupt { path, .. } if path == &db), "{err:?}");
    assert!(bytes(&db) == damaged, "the file was changed");
}

#[tokio::test]
async fn an_archive_from_a_newer_cubedesk_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    make_archive(tmp.path()).await;
    {
        let store = Store::open(tmp.path()).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (99990101000000, 'from the future', 1, x'00', 0)",
        )
        .execute(store.pool())
        .await
        .unwrap();
        store.close().await;
    }
    let db = tmp.path().join(DB_FILE);
    let before = bytes(&db);
    let err = Store::open(tmp.path()).await.unwrap_err();
    match &err {
        StoreError::NewerSchema { path, found, supported } => {
            assert_eq!(path, &db);
            assert_eq!(*found, 99990101000000);
            assert_eq!(*supported, Store::supported_schema_version());
        }
        other => panic!("{other:?}"),
    }
    assert!(bytes(&db) == before, "the file was changed");
}

#[tokio::test]
async fn another_programs_database_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join(DB_FILE);
    {
        let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(&db).create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
        sqlx::query("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)").execute(&pool).await.unwrap();
        pool.close().await;
    }
    let before = bytes(&db);
    let err = Store::open(tmp.path()).await.unwrap_err();
    assert!(matches!(&err, StoreError::NotCubeDesk { path } if path == &db), "{err:?}");
    assert!(bytes(&db) == before, "the file was changed");
}

#[tokio::test]
async fn a_data_folder_that_cannot_be_made_is_reported_in_plain_words() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let dir = file.join("data");
    let err = Store::open(&dir).await.unwrap_err();
    match &err {
        StoreError::DataDirUnwritable { path, reason } => {
            assert_eq!(path, &dir);
            assert!(!reason.is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_second_instance_is_refused_until_the_first_closes() {
    let tmp = tempfile::tempdir().unwrap();
    let first = Store::open(tmp.path()).await.unwrap();
    let err = Store::open(tmp.path()).await.unwrap_err();
    match &err {
        StoreError::AlreadyRunning { path, holder } => {
            assert_eq!(path, tmp.path());
            assert_eq!(*holder, Some(std::process::id()));
        }
        other => panic!("{other:?}"),
    }
    first.close().await;
    let second = Store::open(tmp.path()).await.unwrap();
    second.close().await;
}

