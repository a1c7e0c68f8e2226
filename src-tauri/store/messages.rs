//! Writing messages. A message and its conversation's activity columns change in one
//! transaction, so the inbox list is always in step with the messages it summarises.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
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
    if m.content.kind().is_media() && !matches!(m.content, Content::Media { .. }) {
        return Err(StoreError::Invalid(format!("{} content must be media", m.content.kind())));
    }
    if (m.direction == Direction::Inbound) != m.status.is_none() {
        return Err(StoreError::Invalid("inbound messages have no status; outbound ones must".into()));
    }
    let at = to_ms(m.created_at);
    let mut tx = pool.begin().await?;

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

    tx.commit().await?;
    Ok(id)
}
