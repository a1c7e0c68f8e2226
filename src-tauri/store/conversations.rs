//! Conversations: one per customer and WhatsApp number.

use chrono::{DateTime, Utc};
use sqlx::SqliteExecutor;

use super::error::StoreError;
use super::time::{opt_from_ms, to_ms};

/// The conversation between a number and a customer, created if new.
pub async fn ensure_conversation(
    db: impl SqliteExecutor<'_>,
    number_id: i64,
    customer_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar(
        "INSERT INTO conversations (number_id, customer_id, created_at) VALUES (?, ?, ?)
         ON CONFLICT (number_id, customer_id) DO UPDATE SET number_id = excluded.number_id
         RETURNING id",
    )
    .bind(number_id)
    .bind(customer_id)
    .bind(to_ms(now))
    .fetch_one(db)
    .await?;
    Ok(id)
}

/// What the inbox list shows of a conversation without looking at its messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub last_message_id: Option<i64>,
    pub last_message_at: Option<DateTime<Utc>>,
    pub last_inbound_at: Option<DateTime<Utc>>,
    pub unread_count: i64,
}

pub async fn activity(db: impl SqliteExecutor<'_>, conversation_id: i64) -> Result<Activity, StoreError> {
    let (last_message_id, last_message_at, last_inbound_at, unread_count): (Option<i64>, Option<i64>, Option<i64>, i64) =
        sqlx::query_as(
            "SELECT last_message_id, last_message_at, last_inbound_at, unread_count FROM conversations WHERE id = ?",
        )
        .bind(conversation_id)
        .fetch_one(db)
        .await?;
    Ok(Activity {
        last_message_id,
        last_message_at: opt_from_ms(last_message_at),
        last_inbound_at: opt_from_ms(last_inbound_at),
        unread_count,
    })
}

/// Marks every conversation of a number as read.
pub async fn mark_number_read(db: impl SqliteExecutor<'_>, number_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE conversations SET unread_count = 0 WHERE number_id = ?").bind(number_id).execute(db).await?;
    Ok(())
}

/// Conversations with activity since `since`, with the customer's phone: the ones whose window
/// is worth confirming with CubeConnect (decision 9).
pub async fn active_since(db: impl SqliteExecutor<'_>, since: DateTime<Utc>) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT c.id, cu.phone FROM conversations c JOIN customers cu ON cu.id = c.customer_id
         WHERE c.last_message_at >= ? ORDER BY c.last_message_at DESC",
    )
    .bind(to_ms(since))
    .fetch_all(db)
    .await?)
}

/// What session-status said; `None` forgets it (the endpoint was refused: compute locally).
pub async fn set_server_window(
    db: impl SqliteExecutor<'_>,
    conversation_id: i64,
    server: Option<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    checked_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE conversations SET server_window_expires_at = ?, server_window_last_inbound_at = ?, server_window_checked_at = ?
         WHERE id = ?",
    )
    .bind(server.map(|(e, _)| to_ms(e)))
    .bind(server.and_then(|(_, l)| l).map(to_ms))
    .bind(to_ms(checked_at))
    .bind(conversation_id)
    .execute(db)
    .await?;
    Ok(())
}

/// The owner has seen the conversation. Returns whether it had unread messages.
pub async fn mark_read(db: impl SqliteExecutor<'_>, conversation_id: i64) -> Result<bool, StoreError> {
    let changed = sqlx::query("UPDATE conversations SET unread_count = 0 WHERE id = ? AND unread_count > 0")
        .bind(conversation_id)
        .execute(db)
        .await?
        .rows_affected();
    Ok(changed > 0)
}

/// The customer's conversation with the most recent activity in `account_id`, if the archive
/// knows this phone (canonical digits).
pub async fn for_phone(db: impl SqliteExecutor<'_>, account_id: i64, phone: &str) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT c.id FROM conversations c
         JOIN customers cu ON cu.id = c.customer_id
         JOIN whatsapp_numbers n ON n.id = c.number_id
         WHERE cu.account_id = ?1 AND n.account_id = ?1 AND cu.phone = ?2
         ORDER BY c.last_message_at IS NULL, c.last_message_at DESC, c.id DESC LIMIT 1",
    )
    .bind(account_id)
    .bind(phone)
    .fetch_optional(db)
    .await?)
}
