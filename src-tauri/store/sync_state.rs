//! Small facts the sync engine keeps per account between runs (online, clock offset, when
//! templates were fetched...), as text values under fixed keys.

use chrono::{DateTime, Utc};
use sqlx::SqliteExecutor;

use super::error::StoreError;
use super::time::to_ms;

pub const ONLINE: &str = "online";
pub const LAST_HEALTH_AT: &str = "last_health_at";
pub const CLOCK_OFFSET_MS: &str = "clock_offset_ms";
pub const TEMPLATES_FETCHED_AT: &str = "templates_fetched_at";

/// Sets a value; returns whether it changed.
pub async fn set(db: impl SqliteExecutor<'_>, account_id: i64, key: &str, value: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let changed = sqlx::query(
        "INSERT INTO sync_state (account_id, key, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
         WHERE sync_state.value <> excluded.value",
    )
    .bind(account_id)
    .bind(key)
    .bind(value)
    .bind(to_ms(now))
    .execute(db)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

pub async fn get(db: impl SqliteExecutor<'_>, account_id: i64, key: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT value FROM sync_state WHERE account_id = ? AND key = ?")
        .bind(account_id)
        .bind(key)
        .fetch_optional(db)
        .await?)
}
