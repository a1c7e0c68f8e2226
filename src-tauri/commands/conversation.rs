//! An open conversation: who it is with, what may be sent now (the core's rules), and its messages
//! page by page, each with what the owner may do to it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::{AppError, ErrorCode};
use super::inbox::Window;
use crate::domain::clock::ClockOffset;
use crate::domain::message_type::MessageType;
use crate::domain::send_rules::sendable_types;
use crate::domain::status::{may_delete_locally, may_edit, may_retry, Status};
use crate::store::inbox::inbox_row;
use crate::store::thread::{messages_page, reactions_to, MessageRow, ThreadCursor};
use crate::store::time::{from_ms, opt_from_ms};
use crate::store::{sync_state, Store};

/// The service's clock offset the sync engine last measured for `account_id` (none: zero).
pub async fn clock_offset(store: &Store, account_id: i64) -> ClockOffset {
    let ms = sync_state::get(store.pool(), account_id, sync_state::CLOCK_OFFSET_MS)
        .await
        .ok()
        .flatten()
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    ClockOffset(chrono::Duration::milliseconds(ms))
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ConversationInfo {
    pub conversation_id: i64,
    pub number_id: i64,
    pub number_name: String,
    pub customer_id: i64,
    pub customer_name: Option<String>,
    pub customer_phone: String,
    pub customer_blocked: bool,
    pub unread_count: i64,
    pub window: Window,
    /// What the core would accept now, for the composer to offer.
    pub sendable: Vec<&'static str>,
}

pub async fn info(store: &Store, account_id: i64, conversation_id: i64) -> Result<ConversationInfo, AppError> {
    let row = inbox_row(store.pool(), conversation_id).await?.ok_or_else(gone)?;
    let r = super::inbox::item(row, Utc::now(), clock_offset(store, account_id).await);
    let sendable = if r.customer_blocked {
        Vec::new()
    } else {
        sendable_types(r.window.active).into_iter().map(MessageType::as_str).collect()
    };
    Ok(ConversationInfo {
        conversation_id: r.conversation_id,
        number_id: r.number_id,
        number_name: r.number_name,
        customer_id: r.customer_id,
        customer_name: r.customer_name,
        customer_phone: r.customer_phone,
        customer_blocked: r.customer_blocked,
        unread_count: r.unread_count,
        window: r.window,
        sendable,
    })
}

pub fn gone() -> AppError {
    AppError::new(ErrorCode::NotFound, "This conversation is no longer in the archive.")
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MessageCursor {
    pub created_at: i64,
    pub id: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Reaction {
    pub emoji: String,
    pub direction: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: i64,
    pub direction: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub text: Option<String>,
    pub media_caption: Option<String>,
    pub media_filename: Option<String>,
    pub media_mime: Option<String>,
    pub media_link: Option<String>,
    pub media_placeholder: Option<String>,
    pub template_name: Option<String>,
    pub template_language: Option<String>,
    pub rendered_body: Option<String>,
    pub interactive: Option<serde_json::Value>,
    pub location_lat: Option<f64>,
    pub location_lng: Option<f64>,
    pub location_name: Option<String>,
    pub location_address: Option<String>,
    pub reaction_emoji: Option<String>,
    pub reactions: Vec<Reaction>,
    pub status: Option<String>,
    pub status_at: Option<DateTime<Utc>>,
    pub failure_code: Option<String>,
    pub failure_reason: Option<String>,
    pub category: Option<String>,
    pub cost: Option<f64>,
    pub cost_currency: Option<String>,
    /// Brought in from a chat export file, not sent or received by CubeDesk.
    pub imported: bool,
    pub can_retry: bool,
    pub can_edit: bool,
    pub can_delete: bool,
    pub cursor: MessageCursor,
}

/// Newest first, `limit` at most, older than `before`. `sendable` is what the conversation may
/// receive now ([`ConversationInfo::sendable`]): a message is offered for retry or edit only if
/// its type is among them.
pub async fn page(
    store: &Store,
    conversation_id: i64,
    before: Option<MessageCursor>,
    limit: u32,
    sendable: &[&str],
) -> Result<Vec<Message>, AppError> {
    let rows = messages_page(store.pool(), conversation_id, before.map(|c| ThreadCursor { created_at: c.created_at, id: c.id }), limit).await?;
    shape(store, rows, sendable).await
}

/// Which page of a conversation to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slice {
    Around(i64),
    After(MessageCursor),
}

/// Messages around one (a search result opened in context) or after a cursor (paging forward from it).
pub async fn slice(store: &Store, conversation_id: i64, which: Slice, limit: u32, sendable: &[&str]) -> Result<Vec<Message>, AppError> {
    let rows = match which {
        // A message deleted since the search found it gives an empty page: the window then opens
        // the conversation at its newest message instead.
        Slice::Around(message_id) => crate::store::thread::messages_around(store.pool(), conversation_id, message_id, limit).await?,
        Slice::After(c) => {
            crate::store::thread::messages_newer(store.pool(), conversation_id, ThreadCursor { created_at: c.created_at, id: c.id }, limit).await?
        }
    };
    shape(store, rows, sendable).await
}

async fn shape(store: &Store, rows: Vec<MessageRow>, sendable: &[&str]) -> Result<Vec<Message>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let reactions = reactions_to(store.pool(), &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mine = reactions
                .iter()
                .filter(|(to, _, _)| *to == r.id)
                .map(|(_, emoji, direction)| Reaction { emoji: emoji.clone(), direction: direction.clone() })
                .collect();
            let may_go = sendable.contains(&r.kind.as_str());
            message(r, mine, may_go)
        })
        .collect())
}

fn message(r: MessageRow, reactions: Vec<Reaction>, may_go: bool) -> Message {
    let status = r.status.as_deref().and_then(|s| s.parse::<Status>().ok());
    let kind = r.kind.parse::<MessageType>().ok();
    Message {
        id: r.id,
        can_retry: may_go && status.is_some_and(may_retry),
        can_edit: may_go && matches!((kind, status), (Some(k), Some(s)) if may_edit(k, s)),
        can_delete: status.is_some_and(may_delete_locally),
        cursor: MessageCursor { created_at: r.created_at, id: r.id },
        direction: r.direction,
        kind: r.kind,
        created_at: from_ms(r.created_at),
        text: r.text,
        media_caption: r.media_caption,
        media_filename: r.media_filename,
        media_mime: r.media_mime,
        media_link: r.media_link,
        media_placeholder: r.media_placeholder,
        template_name: r.template_name,
        template_language: r.template_language,
        rendered_body: r.rendered_body,
        // Stored as checked JSON; a value that does not parse is shown as missing, never crashes.
        interactive: r.interactive.and_then(|j| serde_json::from_str(&j).ok()),
        location_lat: r.location_lat,
        location_lng: r.location_lng,
        location_name: r.location_name,
        location_address: r.location_address,
        reaction_emoji: r.reaction_emoji,
        reactions,
        status: r.status,
        status_at: opt_from_ms(r.status_at),
        failure_code: r.failure_code,
        failure_reason: r.failure_reason,
        category: r.category,
        cost: r.cost,
        cost_currency: r.cost_currency,
        imported: r.imported,
    }
}
