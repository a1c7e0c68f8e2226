//! Writing a parsed WhatsApp "Export chat" file into the archive as a customer's history.

use sqlx::SqlitePool;
use uuid::Uuid;

use super::error::StoreError;
use super::messages::{insert_message_in, Content, NewMessage};
use crate::domain::chat_export::{Attachment, ChatMessage, MediaKind};
use crate::domain::message_type::{Direction, MessageType};
use crate::domain::phone::Phone;
use crate::domain::status::Status;

/// Ids of imported messages are derived from the file's content, the customer and the number, so
/// importing the same file twice finds the first copy instead of adding a second (and the same
/// chat imported on another number is another conversation's history).
const IMPORT_NAMESPACE: Uuid = Uuid::from_u128(0x8f0e_4c1d_5a2b_4e6f_9d3c_1b2a_7e6f_5d4c);

pub fn import_id(number_id: i64, customer: &Phone, m: &ChatMessage) -> Uuid {
    Uuid::new_v5(&IMPORT_NAMESPACE, format!("{number_id}:{}:{}", customer.digits(), m.fingerprint).as_bytes())
}

/// How many of `messages` are already in the archive for this customer on this number.
pub async fn already_imported(pool: &SqlitePool, number_id: i64, customer: &Phone, messages: &[ChatMessage]) -> Result<u64, StoreError> {
    let ids: Vec<String> = messages.iter().map(|m| import_id(number_id, customer, m).to_string()).collect();
    let mut found = 0u64;
    for chunk in ids.chunks(5000) {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE local_id IN (SELECT value FROM json_each(?))")
            .bind(serde_json::to_string(chunk).expect("ids serialise"))
            .fetch_one(pool)
            .await?;
        found += n as u64;
    }
    Ok(found)
}

pub struct ChatImport<'a> {
    pub account_id: i64,
    pub number_id: i64,
    pub phone: &'a Phone,
    pub customer_name: Option<&'a str>,
    /// The author whose messages are ours (outbound).
    pub me: &'a str,
    pub now: chrono::DateTime<chrono::Utc>,
}

/// Adds the messages in one transaction (all or nothing). Returns (conversation id, added, already there).
pub async fn import_chat(pool: &SqlitePool, job: &ChatImport<'_>, messages: &[ChatMessage]) -> Result<(i64, u64, u64), StoreError> {
    let mut tx = super::write_tx(pool).await?;
    let customer_id = super::customers::upsert_customer(&mut *tx, job.account_id, job.phone, job.customer_name, job.now).await?;
    let conversation_id = super::conversations::ensure_conversation(&mut *tx, job.number_id, customer_id, job.now).await?;
    let unread_before: i64 = sqlx::query_scalar("SELECT unread_count FROM conversations WHERE id = ?")
        .bind(conversation_id)
        .fetch_one(&mut *tx)
        .await?;
    let (mut added, mut present) = (0u64, 0u64);
    for m in messages {
        let local_id = import_id(job.number_id, job.phone, m);
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM messages WHERE local_id = ?")
            .bind(local_id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            present += 1;
            continue;
        }
        let outbound = m.author == job.me;
        let id = insert_message_in(
            &mut tx,
            &NewMessage {
                local_id,
                conversation_id,
                direction: if outbound { Direction::Outbound } else { Direction::Inbound },
                created_at: m.at,
                content: content(m),
                // We only know an old message of ours reached WhatsApp, not whether it was read.
                status: outbound.then_some(Status::Sent),
                wamid: None,
            },
        )
        .await?;
        sqlx::query("UPDATE messages SET imported = 1, sent_at = CASE WHEN direction = 'outbound' THEN created_at END WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        added += 1;
    }
    // Old history is already read, and never opens a 24-hour window.
    sqlx::query("UPDATE conversations SET unread_count = ? WHERE id = ?").bind(unread_before).bind(conversation_id).execute(&mut *tx).await?;
    super::export::refresh_activity(&mut tx, conversation_id).await?;
    tx.commit().await?;
    Ok((conversation_id, added, present))
}

fn content(m: &ChatMessage) -> Content {
    let caption = (!m.text.trim().is_empty()).then(|| m.text.clone());
    let media = |kind: Option<MediaKind>, filename: Option<String>| {
        let kind = match kind {
            Some(MediaKind::Image) => MessageType::Image,
            None => MessageType::Document,
            Some(MediaKind::Video) => MessageType::Video,
            Some(MediaKind::Audio) => MessageType::Audio,
            Some(MediaKind::Document) => MessageType::Document,
            Some(MediaKind::Sticker) => MessageType::Sticker,
        };
        Content::Media { kind, caption: caption.clone(), filename, mime: None, link: None, placeholder: Some("[not in the export]".into()) }
    };
    match &m.attachment {
        None => Content::Text { text: m.text.clone() },
        Some(Attachment::Omitted { kind }) => media(*kind, None),
        Some(Attachment::File { filename, kind }) => media(Some(*kind), Some(filename.clone())),
    }
}
