//! The outbox: the only way a message leaves. Composing writes the message (`pending`) and its
//! outbox row in one transaction before any network call; each attempt is marked `in_flight`
//! before the request leaves, so after a crash an attempt whose outcome is unknown becomes
//! `unconfirmed` instead of being sent again silently (contract decision 6).

use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};
use uuid::Uuid;

use super::error::StoreError;
use super::messages::{apply_status_in, insert_message_in, record_accepted, Accepted, Content, NewMessage, StatusUpdate};
use super::time::to_ms;
use crate::domain::message_type::{Direction, MessageType};
use crate::domain::status::{may_retry, Status};

/// Writes a new outbound message and queues it, in one transaction. Returns the message id.
pub async fn compose(
    pool: &SqlitePool,
    conversation_id: i64,
    local_id: Uuid,
    content: Content,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let mut tx = super::write_tx(pool).await?;
    let id = insert_message_in(
        &mut tx,
        &NewMessage {
            local_id,
            conversation_id,
            direction: Direction::Outbound,
            created_at: at,
            content,
            status: Some(Status::Pending),
            wamid: None,
        },
    )
    .await?;
    queue_in(&mut tx, id, at).await?;
    tx.commit().await?;
    Ok(id)
}

async fn queue_in(tx: &mut SqliteConnection, message_id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO outbox (message_id, next_attempt_at, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (message_id) DO UPDATE SET state = 'waiting', next_attempt_at = excluded.next_attempt_at,
            last_error_code = NULL, last_error = NULL, updated_at = excluded.updated_at",
    )
    .bind(message_id)
    .bind(to_ms(at))
    .bind(to_ms(at))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// An outbound message ready for an attempt, with what the request needs.
#[derive(Debug, Clone, PartialEq)]
pub struct DueSend {
    pub message_id: i64,
    pub local_id: Uuid,
    pub conversation_id: i64,
    pub number_api_id: String,
    pub phone: String,
    pub attempts: i64,
    pub content: Content,
}

#[derive(sqlx::FromRow)]
struct DueRow {
    message_id: i64,
    local_id: String,
    conversation_id: i64,
    number_api_id: String,
    phone: String,
    attempts: i64,
    r#type: String,
    text: Option<String>,
    media_caption: Option<String>,
    media_filename: Option<String>,
    media_mime: Option<String>,
    media_link: Option<String>,
    template_name: Option<String>,
    template_language: Option<String>,
    template_params: Option<String>,
    template_header_link: Option<String>,
    rendered_body: Option<String>,
    interactive: Option<String>,
    reaction_emoji: Option<String>,
    reaction_to_wamid: Option<String>,
}

/// The messages due for an attempt: in each conversation only the oldest queued one, so a
/// conversation's messages leave in the order they were written.
pub async fn next_due(pool: &SqlitePool, now: DateTime<Utc>, limit: u32) -> Result<Vec<DueSend>, StoreError> {
    let rows: Vec<DueRow> = sqlx::query_as(
        "SELECT o.message_id, m.local_id, m.conversation_id, n.api_id AS number_api_id, cu.phone, o.attempts,
                m.type, m.text, m.media_caption, m.media_filename, m.media_mime, m.media_link,
                m.template_name, m.template_language, m.template_params, m.template_header_link, m.rendered_body,
                m.interactive, m.reaction_emoji, m.reaction_to_wamid
         FROM outbox o
         JOIN messages m ON m.id = o.message_id
         JOIN conversations c ON c.id = m.conversation_id
         JOIN whatsapp_numbers n ON n.id = c.number_id
         JOIN customers cu ON cu.id = c.customer_id
         WHERE o.state = 'waiting' AND o.next_attempt_at <= ?1
           AND NOT EXISTS (
               SELECT 1 FROM outbox o2 JOIN messages m2 ON m2.id = o2.message_id
               WHERE m2.conversation_id = m.conversation_id AND (m2.created_at, m2.id) < (m.created_at, m.id))
         ORDER BY m.created_at, m.id
         LIMIT ?2",
    )
    .bind(to_ms(now))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(due_send).collect()
}

fn due_send(r: DueRow) -> Result<DueSend, StoreError> {
    let kind: MessageType = r.r#type.parse().map_err(|_| StoreError::Invalid(format!("unknown type {}", r.r#type)))?;
    let content = match kind {
        MessageType::Text => Content::Text { text: r.text.unwrap_or_default() },
        MessageType::Template => Content::Template {
            name: r.template_name.unwrap_or_default(),
            language: r.template_language.unwrap_or_default(),
            params: r.template_params.as_deref().and_then(|p| serde_json::from_str(p).ok()).unwrap_or_default(),
            header_link: r.template_header_link,
            rendered_body: r.rendered_body.unwrap_or_default(),
        },
        MessageType::Interactive => Content::Interactive {
            payload: r.interactive.as_deref().and_then(|p| serde_json::from_str(p).ok()).unwrap_or_default(),
        },
        MessageType::Reaction => {
            Content::Reaction { emoji: r.reaction_emoji.unwrap_or_default(), to_id: None, to_wamid: r.reaction_to_wamid }
        }
        MessageType::Location => return Err(StoreError::Invalid("location messages are never sent".into())),
        media => Content::Media {
            kind: media,
            caption: r.media_caption,
            filename: r.media_filename,
            mime: r.media_mime,
            link: r.media_link,
            placeholder: None,
        },
    };
    Ok(DueSend {
        message_id: r.message_id,
        local_id: r.local_id.parse().map_err(|_| StoreError::Invalid(format!("bad local id {}", r.local_id)))?,
        conversation_id: r.conversation_id,
        number_api_id: r.number_api_id,
        phone: r.phone,
        attempts: r.attempts,
        content,
    })
}

/// Written before the request leaves: if we crash now, the outcome is unknown. Returns false when
/// the message is no longer waiting (deleted or edited since it was picked): then it must not go.
pub async fn mark_in_flight(pool: &SqlitePool, message_id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let marked = sqlx::query(
        "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, updated_at = ? WHERE message_id = ? AND state = 'waiting'",
    )
    .bind(to_ms(now))
    .bind(message_id)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(marked == 1)
}

/// CubeConnect accepted the message (202): it leaves the outbox as `queued` or `scheduled`.
pub async fn accepted(
    pool: &SqlitePool,
    message_id: i64,
    status: Status,
    a: &Accepted,
    at: DateTime<Utc>,
    first_status_check: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = super::write_tx(pool).await?;
    sqlx::query("DELETE FROM outbox WHERE message_id = ?").bind(message_id).execute(&mut *tx).await?;
    record_accepted(&mut *tx, message_id, a).await?;
    apply_status_in(&mut tx, message_id, &StatusUpdate { status, at, failure_code: None, failure_reason: None }).await?;
    sqlx::query("UPDATE messages SET status_check_at = ?, status_check_interval_ms = NULL WHERE id = ?")
        .bind(to_ms(first_status_check))
        .bind(message_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// CubeConnect refused it for good (a 4xx): `failed`, with the service's own words.
pub async fn refused(pool: &SqlitePool, message_id: i64, code: &str, reason: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    finish(pool, message_id, Status::Failed, Some(code), Some(reason), at).await
}

/// The attempt's outcome is unknown (a timeout): `unconfirmed`, never re-sent silently.
pub async fn unconfirmed(pool: &SqlitePool, message_id: i64, reason: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    finish(pool, message_id, Status::Unconfirmed, None, Some(reason), at).await
}

async fn finish(
    pool: &SqlitePool,
    message_id: i64,
    status: Status,
    code: Option<&str>,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = super::write_tx(pool).await?;
    sqlx::query("DELETE FROM outbox WHERE message_id = ?").bind(message_id).execute(&mut *tx).await?;
    apply_status_in(
        &mut tx,
        message_id,
        &StatusUpdate { status, at, failure_code: code.map(Into::into), failure_reason: reason.map(Into::into) },
    )
    .await?;
    if status == Status::Unconfirmed {
        sqlx::query("UPDATE messages SET failure_reason = ? WHERE id = ?").bind(reason).bind(message_id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Not sent this time (offline, 5xx, 429): stays `pending`, tried again at `next_at`; the reason
/// is kept so the window can say why it waits.
pub async fn postpone(
    pool: &SqlitePool,
    message_id: i64,
    next_at: DateTime<Utc>,
    code: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET state = 'waiting', next_attempt_at = ?, last_error_code = ?, last_error = ?, updated_at = ?
         WHERE message_id = ?",
    )
    .bind(to_ms(next_at))
    .bind(code)
    .bind(reason)
    .bind(to_ms(now))
    .bind(message_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// After a crash: attempts that were in flight have an unknown outcome. Returns their message ids.
pub async fn recover_in_flight(pool: &SqlitePool, now: DateTime<Utc>) -> Result<Vec<i64>, StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT message_id FROM outbox WHERE state = 'in_flight'").fetch_all(pool).await?;
    for id in &ids {
        unconfirmed(pool, *id, "CubeDesk stopped while this message was being sent; it may or may not have gone.", now).await?;
    }
    Ok(ids)
}

/// Sends a failed or unconfirmed message again, for real: back to `pending` in the outbox, with
/// the same local id, so CubeConnect can recognise a repeat (its Idempotency-Key).
pub async fn retry(pool: &SqlitePool, message_id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut tx = super::write_tx(pool).await?;
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM messages WHERE id = ?")
        .bind(message_id)
        .fetch_optional(&mut *tx)
        .await?
        .flatten();
    match status.as_deref().and_then(|s| s.parse::<Status>().ok()) {
        Some(s) if may_retry(s) => {}
        other => return Err(StoreError::Invalid(format!("only failed or unconfirmed messages can be retried, not {other:?}"))),
    }
    sqlx::query(
        "UPDATE messages SET status = 'pending', pending_at = ?, failed_at = NULL, unconfirmed_at = NULL,
            failure_code = NULL, failure_reason = NULL WHERE id = ?",
    )
    .bind(to_ms(now))
    .bind(message_id)
    .execute(&mut *tx)
    .await?;
    queue_in(&mut tx, message_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Why a queued message waits, for the window.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Waiting {
    pub message_id: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
}

pub async fn waiting(pool: &SqlitePool) -> Result<Vec<Waiting>, StoreError> {
    Ok(sqlx::query_as("SELECT message_id, attempts, next_attempt_at, last_error FROM outbox ORDER BY message_id")
        .fetch_all(pool)
        .await?)
}

/// Changes the text of a failed or unconfirmed text message and sends it again. The edited
/// message is a new message to WhatsApp, so it gets a new local id (and Idempotency-Key): the
/// old key must not make CubeConnect return the old, unedited send.
pub async fn edit_and_retry(pool: &SqlitePool, message_id: i64, text: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut tx = super::write_tx(pool).await?;
    let row: Option<(Option<String>, String)> = sqlx::query_as("SELECT status, type FROM messages WHERE id = ?")
        .bind(message_id)
        .fetch_optional(&mut *tx)
        .await?;
    match row {
        Some((Some(s), t)) if t == "text" && s.parse::<Status>().is_ok_and(may_retry) => {}
        _ => return Err(StoreError::Invalid("only a failed or unconfirmed text message can be edited and sent again".into())),
    }
    sqlx::query(
        "UPDATE messages SET text = ?, local_id = ?, status = 'pending', pending_at = ?, failed_at = NULL,
            unconfirmed_at = NULL, failure_code = NULL, failure_reason = NULL, message_log_id = NULL WHERE id = ?",
    )
    .bind(text)
    .bind(Uuid::new_v4().to_string())
    .bind(to_ms(now))
    .bind(message_id)
    .execute(&mut *tx)
    .await?;
    queue_in(&mut tx, message_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a message that never reached the customer (pending, failed or unconfirmed) from this
/// computer, and points its conversation's preview at the message before it.
pub async fn delete_local(pool: &SqlitePool, message_id: i64) -> Result<(), StoreError> {
    let mut tx = super::write_tx(pool).await?;
    let row: Option<(i64, Option<String>)> = sqlx::query_as("SELECT conversation_id, status FROM messages WHERE id = ?")
        .bind(message_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((conversation_id, status)) = row else { return Ok(()) };
    if !matches!(status.as_deref(), Some("pending" | "failed" | "unconfirmed")) {
        return Err(StoreError::Invalid("only messages that were not delivered can be deleted here".into()));
    }
    let sending: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM outbox WHERE message_id = ? AND state = 'in_flight')")
        .bind(message_id)
        .fetch_one(&mut *tx)
        .await?;
    if sending {
        return Err(StoreError::Invalid("this message is being sent right now".into()));
    }
    sqlx::query("DELETE FROM messages WHERE id = ?").bind(message_id).execute(&mut *tx).await?;
    sqlx::query(
        "UPDATE conversations SET
            last_message_id = (SELECT id FROM messages WHERE conversation_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1),
            last_message_at = (SELECT max(created_at) FROM messages WHERE conversation_id = ?1)
         WHERE id = ?1",
    )
    .bind(conversation_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A message's type and status (`None` for inbound), if it exists.
pub async fn kind_and_status(pool: &SqlitePool, message_id: i64) -> Result<Option<(String, Option<String>)>, StoreError> {
    Ok(sqlx::query_as("SELECT type, status FROM messages WHERE id = ?").bind(message_id).fetch_optional(pool).await?)
}
