//! The webhook event log (contract decision 12): every verified delivery is written here, raw,
//! before the receiver answers 200; redeliveries are recognised by their de-duplication key; an
//! event is then applied once, or kept and marked when it cannot be.

use chrono::{DateTime, Utc};
use sqlx::{SqliteExecutor, SqlitePool};

use super::error::StoreError;
use super::time::to_ms;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// A new event, stored with this id.
    New(i64),
    /// The same event was stored before (a redelivery); nothing was written.
    Duplicate,
}

/// Stores a verified event, raw. On a full disk or any other failure the caller must not answer
/// 200, so CubeConnect delivers it again.
pub async fn record_event(
    pool: &SqlitePool,
    account_id: Option<i64>,
    event: &str,
    dedupe_key: &str,
    body: &str,
    received_at: DateTime<Utc>,
) -> Result<Recorded, StoreError> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO webhook_events (account_id, received_at, event, dedupe_key, body) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )
    .bind(account_id)
    .bind(to_ms(received_at))
    .bind(event)
    .bind(dedupe_key)
    .bind(body)
    .fetch_optional(pool)
    .await?;
    Ok(id.map_or(Recorded::Duplicate, Recorded::New))
}

/// A delivery the receiver refused: when, the status it answered, why. No content is kept.
pub async fn record_rejection(
    db: impl SqliteExecutor<'_>,
    received_at: DateTime<Utc>,
    http_status: u16,
    reason: &str,
    remote_addr: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO webhook_rejections (received_at, http_status, reason, remote_addr) VALUES (?, ?, ?, ?)")
        .bind(to_ms(received_at))
        .bind(i64::from(http_status))
        .bind(reason)
        .bind(remote_addr)
        .execute(db)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredEvent {
    pub id: i64,
    pub event: String,
    pub body: String,
    pub received_at: i64,
}

/// Events stored but not applied yet, oldest first.
pub async fn unapplied(db: impl SqliteExecutor<'_>, limit: u32) -> Result<Vec<StoredEvent>, StoreError> {
    Ok(sqlx::query_as("SELECT id, event, body, received_at FROM webhook_events WHERE state = 'received' ORDER BY id LIMIT ?")
        .bind(limit)
        .fetch_all(db)
        .await?)
}

/// Marks an event applied (inside the transaction that applied it).
pub async fn mark_applied(db: impl SqliteExecutor<'_>, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query("UPDATE webhook_events SET state = 'applied', applied_at = ?, error = NULL WHERE id = ?")
        .bind(to_ms(at))
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Keeps an event that could not be applied, with the reason; it is never dropped.
pub async fn mark_unapplicable(db: impl SqliteExecutor<'_>, id: i64, why: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query("UPDATE webhook_events SET state = 'unapplicable', applied_at = ?, error = ? WHERE id = ?")
        .bind(to_ms(at))
        .bind(why)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Puts status events that were waiting for a message's WhatsApp id back in the queue, now that
/// one was learned. Other unappliable events (unknown kinds, bad payloads) cannot change and stay.
pub async fn requeue_unapplicable(db: impl SqliteExecutor<'_>) -> Result<u64, StoreError> {
    Ok(sqlx::query(
        "UPDATE webhook_events SET state = 'received' WHERE state = 'unapplicable' AND event = 'message.status_updated'",
    )
    .execute(db)
    .await?
    .rows_affected())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReceiverStats {
    pub events: i64,
    pub unapplicable: i64,
    pub rejected: i64,
    pub last_event_at: Option<i64>,
}

pub async fn stats(db: impl SqliteExecutor<'_>) -> Result<ReceiverStats, StoreError> {
    let (events, unapplicable, rejected, last_event_at) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM webhook_events), (SELECT count(*) FROM webhook_events WHERE state = 'unapplicable'),
                (SELECT count(*) FROM webhook_rejections), (SELECT max(received_at) FROM webhook_events)",
    )
    .fetch_one(db)
    .await?;
    Ok(ReceiverStats { events, unapplicable, rejected, last_event_at })
}
