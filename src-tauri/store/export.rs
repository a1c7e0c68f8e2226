//! Reading the archive out (for exports) and a CubeDesk JSON export back in, with every column of
//! a message, so export → import → export gives the same file.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use super::error::StoreError;

/// Which messages an export holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    Conversation(i64),
    Customer(i64),
    /// Messages by id (the results of a search).
    Messages(Vec<i64>),
    All,
}

/// One message with the conversation it belongs to, every column an export carries.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ExportRow {
    pub conversation_id: i64,
    pub number_api_id: String,
    pub number_name: String,
    pub number_phone: Option<String>,
    pub customer_id: i64,
    pub customer_phone: String,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub customer_status: String,
    pub customer_metadata: String,
    pub id: i64,
    pub local_id: String,
    pub direction: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub created_at: i64,
    /// The columns search reads, flattened: the CSV and HTML show the same text search finds.
    #[sqlx(flatten)]
    pub searchable: super::search::Searchable,
    pub media_mime: Option<String>,
    pub media_link: Option<String>,
    pub media_placeholder: Option<String>,
    pub template_name: Option<String>,
    pub template_language: Option<String>,
    pub template_params: Option<String>,
    pub template_header_link: Option<String>,
    pub location_lat: Option<f64>,
    pub location_lng: Option<f64>,
    pub reaction_emoji: Option<String>,
    pub reaction_to_local_id: Option<String>,
    pub reaction_to_wamid: Option<String>,
    pub status: Option<String>,
    pub pending_at: Option<i64>,
    pub unconfirmed_at: Option<i64>,
    pub queued_at: Option<i64>,
    pub scheduled_at: Option<i64>,
    pub sent_at: Option<i64>,
    pub delivered_at: Option<i64>,
    pub read_at: Option<i64>,
    pub failed_at: Option<i64>,
    pub failure_code: Option<String>,
    pub failure_reason: Option<String>,
    pub category: Option<String>,
    pub cost: Option<f64>,
    pub cost_currency: Option<String>,
    pub message_log_id: Option<String>,
    pub wamid: Option<String>,
    pub imported: bool,
}

/// Where the previous chunk ended: conversations in (number, phone) order, then time, then id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportCursor {
    pub number_api_id: String,
    pub customer_phone: String,
    pub created_at: i64,
    pub id: i64,
}

/// The next `limit` rows of `selection` in the account, after `after`. Conversations come in a
/// stable order (number's API id, customer's phone) so two archives export alike.
pub async fn export_chunk(
    pool: &SqlitePool,
    account_id: i64,
    selection: &Selection,
    after: Option<&ExportCursor>,
    limit: u32,
) -> Result<Vec<ExportRow>, StoreError> {
    let (scope, value): (&str, String) = match selection {
        Selection::Conversation(id) => ("m.conversation_id = ?2", id.to_string()),
        Selection::Customer(id) => ("c.customer_id = ?2", id.to_string()),
        Selection::Messages(ids) => (
            "m.id IN (SELECT value FROM json_each(?2))",
            serde_json::to_string(ids).expect("ids serialise"),
        ),
        Selection::All => ("?2 IS NOT NULL", String::new()),
    };
    let (a_num, a_phone, a_at, a_id) = match after {
        Some(c) => (Some(c.number_api_id.as_str()), Some(c.customer_phone.as_str()), c.created_at, c.id),
        None => (None, None, 0, 0),
    };
    let sql = format!(
        "SELECT c.id AS conversation_id, n.api_id AS number_api_id, n.display_name AS number_name, n.phone AS number_phone,
                cu.id AS customer_id, cu.phone AS customer_phone, cu.name AS customer_name, cu.email AS customer_email,
                cu.status AS customer_status, cu.metadata AS customer_metadata,
                m.id, m.local_id, m.direction, m.type, m.created_at, m.text, m.media_caption, m.media_filename,
                m.media_mime, m.media_link, m.media_placeholder, m.template_name, m.template_language,
                m.template_params, m.template_header_link, m.rendered_body, m.interactive, m.location_lat,
                m.location_lng, m.location_name, m.location_address, m.reaction_emoji,
                (SELECT t.local_id FROM messages t WHERE t.id = m.reaction_to_id) AS reaction_to_local_id,
                m.reaction_to_wamid, m.status, m.pending_at, m.unconfirmed_at, m.queued_at, m.scheduled_at,
                m.sent_at, m.delivered_at, m.read_at, m.failed_at, m.failure_code, m.failure_reason,
                m.category, m.cost, m.cost_currency, m.message_log_id, m.wamid, m.imported
         FROM messages m
         JOIN conversations c ON c.id = m.conversation_id
         JOIN whatsapp_numbers n ON n.id = c.number_id
         JOIN customers cu ON cu.id = c.customer_id
         WHERE n.account_id = ?1 AND {scope}
           AND (?3 IS NULL OR (n.api_id, cu.phone, m.created_at, m.id) > (?3, ?4, ?5, ?6))
         ORDER BY n.api_id, cu.phone, m.created_at, m.id
         LIMIT ?7"
    );
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .bind(value)
        .bind(a_num)
        .bind(a_phone)
        .bind(a_at)
        .bind(a_id)
        .bind(limit.clamp(1, 10_000))
        .fetch_all(pool)
        .await?)
}

impl ExportRow {
    pub fn cursor(&self) -> ExportCursor {
        ExportCursor {
            number_api_id: self.number_api_id.clone(),
            customer_phone: self.customer_phone.clone(),
            created_at: self.created_at,
            id: self.id,
        }
    }
}

/// A conversation of a CubeDesk JSON export, as read back in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonNumber {
    pub api_id: String,
    pub display_name: String,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonCustomer {
    pub phone: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub status: String,
    pub tags: Vec<String>,
    pub metadata: serde_json::Value,
}

/// One message in a JSON export. Times are RFC 3339 in UTC, to the millisecond.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonMessage {
    pub local_id: String,
    pub direction: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub text: Option<String>,
    pub media_caption: Option<String>,
    pub media_filename: Option<String>,
    pub media_mime: Option<String>,
    pub media_link: Option<String>,
    pub media_placeholder: Option<String>,
    pub template_name: Option<String>,
    pub template_language: Option<String>,
    pub template_params: Option<serde_json::Value>,
    pub template_header_link: Option<String>,
    pub rendered_body: Option<String>,
    pub interactive: Option<serde_json::Value>,
    pub location_lat: Option<f64>,
    pub location_lng: Option<f64>,
    pub location_name: Option<String>,
    pub location_address: Option<String>,
    pub reaction_emoji: Option<String>,
    pub reaction_to_local_id: Option<String>,
    pub reaction_to_wamid: Option<String>,
    pub status: Option<String>,
    pub pending_at: Option<chrono::DateTime<chrono::Utc>>,
    pub unconfirmed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub queued_at: Option<chrono::DateTime<chrono::Utc>>,
    pub scheduled_at: Option<chrono::DateTime<chrono::Utc>>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
    pub read_at: Option<chrono::DateTime<chrono::Utc>>,
    pub failed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub failure_code: Option<String>,
    pub failure_reason: Option<String>,
    pub category: Option<String>,
    pub cost: Option<f64>,
    pub cost_currency: Option<String>,
    pub message_log_id: Option<String>,
    pub wamid: Option<String>,
    pub imported: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonConversation {
    pub number: JsonNumber,
    pub customer: JsonCustomer,
    pub messages: Vec<JsonMessage>,
}

fn opt_ms(t: Option<chrono::DateTime<chrono::Utc>>) -> Option<i64> {
    t.map(|t| t.timestamp_millis())
}

/// Adds the conversations of a JSON export to the account, all or nothing: numbers and customers
/// are matched by API id and phone (created when missing; an existing customer keeps what the
/// archive says about them), messages by their local id (one already here is left as it is).
/// Returns (added, already present).
pub async fn import_json(pool: &SqlitePool, account_id: i64, conversations: &[JsonConversation], now: i64) -> Result<(u64, u64), StoreError> {
    let mut tx = super::write_tx(pool).await?;
    let (mut added, mut present) = (0, 0);
    for conv in conversations {
        let (a, p) = import_json_conversation(&mut tx, account_id, conv, now).await?;
        added += a;
        present += p;
    }
    tx.commit().await?;
    Ok((added, present))
}

async fn import_json_conversation(tx: &mut sqlx::SqliteConnection, account_id: i64, conv: &JsonConversation, now: i64) -> Result<(u64, u64), StoreError> {
    let phone = crate::domain::phone::Phone::parse(&conv.customer.phone)
        .map_err(|e| StoreError::Invalid(format!("customer phone {:?}: {e:?}", conv.customer.phone)))?;
    let number_id: i64 = sqlx::query_scalar(
        "INSERT INTO whatsapp_numbers (account_id, api_id, display_name, phone, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account_id, api_id) DO UPDATE SET api_id = excluded.api_id RETURNING id",
    )
    .bind(account_id)
    .bind(&conv.number.api_id)
    .bind(&conv.number.display_name)
    .bind(&conv.number.phone)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE account_id = ? AND phone = ?")
        .bind(account_id)
        .bind(phone.digits())
        .fetch_optional(&mut *tx)
        .await?;
    let customer_id = match known {
        Some(id) => id,
        None => {
            let id = super::customers::upsert_customer(&mut *tx, account_id, &phone, conv.customer.name.as_deref(), super::time::from_ms(now)).await?;
            sqlx::query("UPDATE customers SET email = ?, metadata = ?, status = ? WHERE id = ?")
                .bind(&conv.customer.email)
                .bind(conv.customer.metadata.to_string())
                .bind(&conv.customer.status)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            id
        }
    };
    for tag in &conv.customer.tags {
        sqlx::query("INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?, ?)").bind(customer_id).bind(tag).execute(&mut *tx).await?;
    }
    let conversation_id = super::conversations::ensure_conversation(&mut *tx, number_id, customer_id, super::time::from_ms(now)).await?;
    let (mut added, mut present) = (0u64, 0u64);
    for m in &conv.messages {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM messages WHERE local_id = ?").bind(&m.local_id).fetch_optional(&mut *tx).await?;
        if exists.is_some() {
            present += 1;
            continue;
        }
        // A plain INSERT: a value the schema refuses fails the whole import, never counted as present.
        sqlx::query(
            "INSERT INTO messages (
                local_id, conversation_id, direction, type, created_at, text, media_caption, media_filename, media_mime,
                media_link, media_placeholder, template_name, template_language, template_params, template_header_link,
                rendered_body, interactive, location_lat, location_lng, location_name, location_address, reaction_emoji,
                reaction_to_id, reaction_to_wamid, status, pending_at, unconfirmed_at, queued_at, scheduled_at, sent_at,
                delivered_at, read_at, failed_at, failure_code, failure_reason, category, cost, cost_currency,
                message_log_id, wamid, imported)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                     (SELECT id FROM messages WHERE local_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&m.local_id)
        .bind(conversation_id)
        .bind(&m.direction)
        .bind(&m.kind)
        .bind(m.created_at.timestamp_millis())
        .bind(&m.text)
        .bind(&m.media_caption)
        .bind(&m.media_filename)
        .bind(&m.media_mime)
        .bind(&m.media_link)
        .bind(&m.media_placeholder)
        .bind(&m.template_name)
        .bind(&m.template_language)
        .bind(m.template_params.as_ref().map(|v| v.to_string()))
        .bind(&m.template_header_link)
        .bind(&m.rendered_body)
        .bind(m.interactive.as_ref().map(|v| v.to_string()))
        .bind(m.location_lat)
        .bind(m.location_lng)
        .bind(&m.location_name)
        .bind(&m.location_address)
        .bind(&m.reaction_emoji)
        .bind(&m.reaction_to_local_id)
        .bind(&m.reaction_to_wamid)
        .bind(&m.status)
        .bind(opt_ms(m.pending_at))
        .bind(opt_ms(m.unconfirmed_at))
        .bind(opt_ms(m.queued_at))
        .bind(opt_ms(m.scheduled_at))
        .bind(opt_ms(m.sent_at))
        .bind(opt_ms(m.delivered_at))
        .bind(opt_ms(m.read_at))
        .bind(opt_ms(m.failed_at))
        .bind(&m.failure_code)
        .bind(&m.failure_reason)
        .bind(&m.category)
        .bind(m.cost)
        .bind(&m.cost_currency)
        .bind(&m.message_log_id)
        .bind(&m.wamid)
        .bind(m.imported)
        .execute(&mut *tx)
        .await?;
        added += 1;
    }
    refresh_activity(tx, conversation_id).await?;
    Ok((added, present))
}

/// Recomputes a conversation's activity columns after messages were added out of order. History
/// brought in from a file never opens a 24-hour window: only messages CubeDesk itself received
/// count for `last_inbound_at`.
pub async fn refresh_activity(tx: &mut sqlx::SqliteConnection, conversation_id: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE conversations SET
            last_message_id = (SELECT id FROM messages WHERE conversation_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1),
            last_message_at = (SELECT max(created_at) FROM messages WHERE conversation_id = ?1),
            last_inbound_at = (SELECT max(created_at) FROM messages
                               WHERE conversation_id = ?1 AND direction = 'inbound' AND imported = 0)
         WHERE id = ?1",
    )
    .bind(conversation_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
