//! Writing messages. A message and its conversation's activity columns change in one
//! transaction, so the inbox list is always in step with the messages it summarises.

use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};
use uuid::Uuid;

use super::error::StoreError;
use super::time::to_ms;
use crate::domain::message_type::{Direction, MessageType};
use crate::domain::status::Status;

/// What a message says, one variant per kind of content in the seed's table.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Text { text: String },
    /// image, video, audio, document or sticker: a link we sent, or the placeholder CubeConnect
    /// gives for inbound media.
    Media {
        kind: MessageType,
        caption: Option<String>,
        filename: Option<String>,
        mime: Option<String>,
        link: Option<String>,
        placeholder: Option<String>,
    },
    Template {
        name: String,
        language: String,
        params: Vec<String>,
        header_link: Option<String>,
        rendered_body: String,
    },
    /// A WhatsApp Cloud API interactive object (buttons or list).
    Interactive { payload: serde_json::Value },
    Location { lat: f64, lng: f64, name: Option<String>, address: Option<String> },
    Reaction { emoji: String, to_id: Option<i64>, to_wamid: Option<String> },
}

impl Content {
    pub fn kind(&self) -> MessageType {
        match self {
            Content::Text { .. } => MessageType::Text,
            Content::Media { kind, .. } => *kind,
            Content::Template { .. } => MessageType::Template,
            Content::Interactive { .. } => MessageType::Interactive,
            Content::Location { .. } => MessageType::Location,
            Content::Reaction { .. } => MessageType::Reaction,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub local_id: Uuid,
    pub conversation_id: i64,
    pub direction: Direction,
    pub created_at: DateTime<Utc>,
    pub content: Content,
    /// Outbound only; inbound messages carry none.
    pub status: Option<Status>,
    pub wamid: Option<String>,
}

/// Stores a message and moves its conversation's `last_message_*`, `last_inbound_at` and unread
/// count, all in one transaction. Returns the message's row id.
pub async fn insert_message(pool: &SqlitePool, m: &NewMessage) -> Result<i64, StoreError> {
    let mut tx = super::write_tx(pool).await?;
    let id = insert_message_in(&mut tx, m).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`insert_message`] inside a transaction the caller commits (imports write many at once).
pub async fn insert_message_in(tx: &mut SqliteConnection, m: &NewMessage) -> Result<i64, StoreError> {
    if m.content.kind().is_media() && !matches!(m.content, Content::Media { .. }) {
        return Err(StoreError::Invalid(format!("{} content must be media", m.content.kind())));
    }
    if (m.direction == Direction::Inbound) != m.status.is_none() {
        return Err(StoreError::Invalid("inbound messages have no status; outbound ones must".into()));
    }
    let at = to_ms(m.created_at);

    let mut q = sqlx::query_scalar::<_, i64>(
        "INSERT INTO messages (
            local_id, conversation_id, direction, type, created_at,
            text, media_caption, media_filename, media_mime, media_link, media_placeholder,
            template_name, template_language, template_params, template_header_link, rendered_body,
            interactive, location_lat, location_lng, location_name, location_address,
            reaction_emoji, reaction_to_id, reaction_to_wamid,
            status, pending_at, wamid)
         VALUES (?, ?, ?, ?, ?,  ?, ?, ?, ?, ?, ?,  ?, ?, ?, ?, ?,  ?, ?, ?, ?, ?,  ?, ?, ?,  ?, ?, ?)
         RETURNING id",
    )
    .bind(m.local_id.to_string())
    .bind(m.conversation_id)
    .bind(m.direction.as_str())
    .bind(m.content.kind().as_str())
    .bind(at);

    let none = || None::<String>;
    q = match &m.content {
        Content::Text { text } => q.bind(text).bind(none()).bind(none()).bind(none()).bind(none()).bind(none()),
        Content::Media { caption, filename, mime, link, placeholder, .. } => {
            q.bind(none()).bind(caption).bind(filename).bind(mime).bind(link).bind(placeholder)
        }
        _ => q.bind(none()).bind(none()).bind(none()).bind(none()).bind(none()).bind(none()),
    };
    q = match &m.content {
        Content::Template { name, language, params, header_link, rendered_body } => q
            .bind(name)
            .bind(language)
            .bind(serde_json::to_string(params).expect("strings serialise"))
            .bind(header_link)
            .bind(rendered_body),
        _ => q.bind(none()).bind(none()).bind(none()).bind(none()).bind(none()),
    };
    q = match &m.content {
        Content::Interactive { payload } => q.bind(payload.to_string()),
        _ => q.bind(none()),
    };
    q = match &m.content {
        Content::Location { lat, lng, name, address } => q.bind(lat).bind(lng).bind(name).bind(address),
        _ => q.bind(None::<f64>).bind(None::<f64>).bind(none()).bind(none()),
    };
    q = match &m.content {
        Content::Reaction { emoji, to_id, to_wamid } => q.bind(emoji).bind(to_id).bind(to_wamid),
        _ => q.bind(none()).bind(None::<i64>).bind(none()),
    };
    let pending_at = (m.status == Some(Status::Pending)).then_some(at);
    let id = q
        .bind(m.status.map(|s| s.as_str()))
        .bind(pending_at)
        .bind(&m.wamid)
        .fetch_one(&mut *tx)
        .await?;

    let inbound = m.direction == Direction::Inbound;
    sqlx::query(
        "UPDATE conversations SET
            last_message_id = CASE WHEN ?1 >= coalesce(last_message_at, ?1) THEN ?2 ELSE last_message_id END,
            last_message_at = max(coalesce(last_message_at, ?1), ?1),
            last_inbound_at = CASE WHEN ?3 THEN max(coalesce(last_inbound_at, ?1), ?1) ELSE last_inbound_at END,
            unread_count    = unread_count + ?3
         WHERE id = ?4",
    )
    .bind(at)
    .bind(id)
    .bind(inbound)
    .bind(m.conversation_id)
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// A status a message reached, with when, and why when it failed.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusUpdate {
    pub status: Status,
    pub at: DateTime<Utc>,
    pub failure_code: Option<String>,
    pub failure_reason: Option<String>,
}

fn status_column(s: Status) -> &'static str {
    match s {
        Status::Pending => "pending_at",
        Status::Unconfirmed => "unconfirmed_at",
        Status::Queued => "queued_at",
        Status::Scheduled => "scheduled_at",
        Status::Sent => "sent_at",
        Status::Delivered => "delivered_at",
        Status::Read => "read_at",
        Status::Failed => "failed_at",
    }
}

/// Moves an outbound message to `update.status` if the status order allows it (a status never
/// moves backwards, see `domain::status::transition`), recording the time of that status. Returns
/// what the rule decided; nothing is written unless it is `Apply`.
pub async fn apply_status(
    pool: &SqlitePool,
    message_id: i64,
    update: &StatusUpdate,
) -> Result<crate::domain::status::Transition, StoreError> {
    let mut tx = super::write_tx(pool).await?;
    let decision = apply_status_in(&mut tx, message_id, update).await?;
    tx.commit().await?;
    Ok(decision)
}

/// [`apply_status`] inside the caller's transaction.
pub async fn apply_status_in(
    tx: &mut SqliteConnection,
    message_id: i64,
    update: &StatusUpdate,
) -> Result<crate::domain::status::Transition, StoreError> {
    use crate::domain::status::{transition, Transition};
    let current: Option<String> = sqlx::query_scalar("SELECT status FROM messages WHERE id = ?")
        .bind(message_id)
        .fetch_optional(&mut *tx)
        .await?
        .flatten();
    let Some(current) = current.and_then(|s| s.parse::<Status>().ok()) else {
        return Err(StoreError::Invalid(format!("message {message_id} has no outbound status")));
    };
    let decision = transition(current, update.status);
    if decision == Transition::Apply {
        let failed = update.status == Status::Failed;
        sqlx::query(&format!(
            "UPDATE messages SET status = ?, {col} = coalesce({col}, ?),
                failure_code = CASE WHEN ? THEN ? ELSE failure_code END,
                failure_reason = CASE WHEN ? THEN ? ELSE failure_reason END
             WHERE id = ?",
            col = status_column(update.status)
        ))
        .bind(update.status.as_str())
        .bind(to_ms(update.at))
        .bind(failed)
        .bind(&update.failure_code)
        .bind(failed)
        .bind(&update.failure_reason)
        .bind(message_id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(decision)
}

/// What CubeConnect said when it accepted a send (decision 7).
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    pub message_log_id: String,
    pub category: Option<String>,
    pub cost: Option<f64>,
    pub cost_currency: Option<String>,
}

/// Stores the ids and pricing of an accepted message.
pub async fn record_accepted(db: impl sqlx::SqliteExecutor<'_>, message_id: i64, a: &Accepted) -> Result<(), StoreError> {
    let category = a.category.as_deref().and_then(|c| c.parse::<crate::domain::category::Category>().ok());
    sqlx::query(
        "UPDATE messages SET message_log_id = ?, category = coalesce(?, category), cost = coalesce(?, cost),
            cost_currency = coalesce(?, cost_currency) WHERE id = ?",
    )
    .bind(&a.message_log_id)
    .bind(category.map(|c| c.as_str()))
    .bind(a.cost)
    .bind(&a.cost_currency)
    .bind(message_id)
    .execute(db)
    .await?;
    Ok(())
}

/// An outbound message's whole delivery history, as an archive or import knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryRecord {
    pub status: Status,
    pub accepted: Accepted,
    pub queued_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub failure_code: Option<String>,
    pub failure_reason: Option<String>,
}

/// Writes a delivery history as it is (imports and demo data, not live updates: those go
/// through [`apply_status`] and its ordering rule).
pub async fn set_delivery_in(tx: &mut SqliteConnection, message_id: i64, d: &DeliveryRecord) -> Result<(), StoreError> {
    let ms = |t: Option<DateTime<Utc>>| t.map(to_ms);
    let category = d.accepted.category.as_deref().and_then(|c| c.parse::<crate::domain::category::Category>().ok());
    sqlx::query(
        "UPDATE messages SET status = ?, message_log_id = ?, category = ?, cost = ?, cost_currency = ?,
            queued_at = ?, sent_at = ?, delivered_at = ?, read_at = ?, failed_at = ?,
            failure_code = ?, failure_reason = ?
         WHERE id = ? AND direction = 'outbound'",
    )
    .bind(d.status.as_str())
    .bind(&d.accepted.message_log_id)
    .bind(category.map(|c| c.as_str()))
    .bind(d.accepted.cost)
    .bind(&d.accepted.cost_currency)
    .bind(ms(d.queued_at))
    .bind(ms(d.sent_at))
    .bind(ms(d.delivered_at))
    .bind(ms(d.read_at))
    .bind(ms(d.failed_at))
    .bind(&d.failure_code)
    .bind(&d.failure_reason)
    .bind(message_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The outbound or inbound message with this WhatsApp id, and its customer's phone.
pub async fn find_by_wamid(db: impl sqlx::SqliteExecutor<'_>, wamid: &str) -> Result<Option<(i64, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT m.id, cu.phone FROM messages m JOIN conversations c ON c.id = m.conversation_id
         JOIN customers cu ON cu.id = c.customer_id WHERE m.wamid = ? LIMIT 1",
    )
    .bind(wamid)
    .fetch_optional(db)
    .await?)
}

/// Outbound messages whose status is due to be looked up (decision 8).
pub async fn due_status_checks(pool: &SqlitePool, now: DateTime<Utc>, limit: u32) -> Result<Vec<(i64, String, Option<i64>, Option<i64>)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, message_log_id, status_check_interval_ms, queued_at FROM messages
         WHERE status_check_at IS NOT NULL AND status_check_at <= ? AND message_log_id IS NOT NULL
         ORDER BY status_check_at LIMIT ?",
    )
    .bind(to_ms(now))
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Schedules the next lookup, or none (`None`) once the message is final or too old.
pub async fn schedule_status_check(
    db: impl sqlx::SqliteExecutor<'_>,
    message_id: i64,
    next: Option<(DateTime<Utc>, i64)>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE messages SET status_check_at = ?, status_check_interval_ms = ? WHERE id = ?")
        .bind(next.map(|(at, _)| to_ms(at)))
        .bind(next.map(|(_, interval)| interval))
        .bind(message_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Learns a sent message's WhatsApp id (from a status lookup). Returns whether it was new.
pub async fn set_wamid(db: impl sqlx::SqliteExecutor<'_>, message_id: i64, wamid: &str) -> Result<bool, StoreError> {
    Ok(sqlx::query("UPDATE messages SET wamid = ? WHERE id = ? AND wamid IS NULL")
        .bind(wamid)
        .bind(message_id)
        .execute(db)
        .await?
        .rows_affected()
        > 0)
}

/// The conversation a message belongs to.
pub async fn conversation_of(db: impl sqlx::SqliteExecutor<'_>, message_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT conversation_id FROM messages WHERE id = ?").bind(message_id).fetch_optional(db).await?)
}

/// A status webhook named a WhatsApp id we do not know yet: look up, now, the sent messages to
/// that customer whose WhatsApp id is still unknown. Returns how many were brought forward.
pub async fn expedite_status_checks_for(db: impl sqlx::SqliteExecutor<'_>, phone: &str, now: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(sqlx::query(
        "UPDATE messages SET status_check_at = ?1
         WHERE wamid IS NULL AND message_log_id IS NOT NULL AND direction = 'outbound' AND status_check_at IS NOT NULL
           AND conversation_id IN (SELECT c.id FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE cu.phone = ?2)",
    )
    .bind(to_ms(now))
    .bind(phone)
    .execute(db)
    .await?
    .rows_affected())
}
