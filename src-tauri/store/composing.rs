//! What the composer's rules need to know about a conversation and its templates.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use super::error::StoreError;
use super::time::opt_from_ms;

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub number_id: i64,
    pub phone: String,
    pub blocked: bool,
    pub last_inbound_at: Option<DateTime<Utc>>,
    pub server_expires_at: Option<DateTime<Utc>>,
    pub server_last_inbound_at: Option<DateTime<Utc>>,
}

pub async fn target(pool: &SqlitePool, conversation_id: i64) -> Result<Option<Target>, StoreError> {
    let row: Option<(i64, String, bool, Option<i64>, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT c.number_id, cu.phone, cu.status = 'blocked', c.last_inbound_at, c.server_window_expires_at,
                c.server_window_last_inbound_at
         FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?",
    )
    .bind(conversation_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(number_id, phone, blocked, li, se, sl)| Target {
        number_id,
        phone,
        blocked,
        last_inbound_at: opt_from_ms(li),
        server_expires_at: opt_from_ms(se),
        server_last_inbound_at: opt_from_ms(sl),
    }))
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TemplateRule {
    pub status: String,
    pub params_count: i64,
    pub body: String,
    pub header_type: String,
}

pub async fn template(pool: &SqlitePool, number_id: i64, name: &str, language: &str) -> Result<Option<TemplateRule>, StoreError> {
    Ok(sqlx::query_as("SELECT status, params_count, body, header_type FROM templates WHERE number_id = ? AND name = ? AND language = ?")
        .bind(number_id)
        .bind(name)
        .bind(language)
        .fetch_optional(pool)
        .await?)
}
