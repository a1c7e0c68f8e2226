//! The queries behind the insights page: counts and sums over a period of one account, optionally
//! one WhatsApp number. Days are bucketed at the user's UTC offset.

use sqlx::SqlitePool;

use super::error::StoreError;

/// A period: [from_ms, to_ms) in Unix ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub account_id: i64,
    pub from_ms: i64,
    pub to_ms: i64,
    pub number_id: Option<i64>,
}

const SCOPE: &str = "FROM messages m
     JOIN conversations c ON c.id = m.conversation_id
     JOIN whatsapp_numbers n ON n.id = c.number_id
     WHERE n.account_id = ?1 AND m.created_at >= ?2 AND m.created_at < ?3 AND (?4 IS NULL OR c.number_id = ?4)
       AND m.type <> 'reaction'";

/// (day number since the epoch at the offset, inbound, outbound), days without messages left out.
pub async fn per_day(pool: &SqlitePool, p: Period, offset_ms: i64) -> Result<Vec<(i64, i64, i64)>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT (m.created_at + ?5) / 86400000 AS day, sum(m.direction = 'inbound'), sum(m.direction = 'outbound')
         {SCOPE} GROUP BY day ORDER BY day"
    ))
    .bind(p.account_id)
    .bind(p.from_ms)
    .bind(p.to_ms)
    .bind(p.number_id)
    .bind(offset_ms)
    .fetch_all(pool)
    .await?)
}

/// (category, sends, total cost, currency) of our messages that have a category.
pub async fn by_category(pool: &SqlitePool, p: Period) -> Result<Vec<(String, i64, f64, Option<String>)>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT m.category, count(*), coalesce(sum(m.cost), 0.0), max(m.cost_currency)
         {SCOPE} AND m.direction = 'outbound' AND m.category IS NOT NULL
         GROUP BY m.category ORDER BY count(*) DESC"
    ))
    .bind(p.account_id)
    .bind(p.from_ms)
    .bind(p.to_ms)
    .bind(p.number_id)
    .fetch_all(pool)
    .await?)
}

/// (reached WhatsApp, delivered, read, failed) among messages CubeDesk sent (imported history has
/// no delivery record and is left out).
pub async fn delivery(pool: &SqlitePool, p: Period) -> Result<(i64, i64, i64, i64), StoreError> {
    let row: (Option<i64>, Option<i64>, Option<i64>, Option<i64>) = sqlx::query_as(&format!(
        "SELECT sum(m.status IN ('sent', 'delivered', 'read')), sum(m.status IN ('delivered', 'read')),
                sum(m.status = 'read'), sum(m.status = 'failed')
         {SCOPE} AND m.direction = 'outbound' AND m.imported = 0"
    ))
    .bind(p.account_id)
    .bind(p.from_ms)
    .bind(p.to_ms)
    .bind(p.number_id)
    .fetch_one(pool)
    .await?;
    Ok((row.0.unwrap_or(0), row.1.unwrap_or(0), row.2.unwrap_or(0), row.3.unwrap_or(0)))
}

/// (code, reason, count) of failed sends, most frequent first.
pub async fn failures(pool: &SqlitePool, p: Period) -> Result<Vec<(Option<String>, Option<String>, i64)>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT m.failure_code, m.failure_reason, count(*)
         {SCOPE} AND m.status = 'failed' GROUP BY m.failure_code, m.failure_reason ORDER BY count(*) DESC LIMIT 20"
    ))
    .bind(p.account_id)
    .bind(p.from_ms)
    .bind(p.to_ms)
    .bind(p.number_id)
    .fetch_all(pool)
    .await?)
}

/// (conversation, time, inbound) of every message from `from_ms` to `to_ms`, grouped by
/// conversation in time order: what first-response times and unanswered windows are computed from.
/// A send that failed never reached the customer, so it answers nothing.
pub async fn beats(pool: &SqlitePool, p: Period) -> Result<Vec<(i64, i64, bool)>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT m.conversation_id, m.created_at, m.direction = 'inbound' {SCOPE}
           AND NOT (m.direction = 'outbound' AND m.status = 'failed')
         ORDER BY m.conversation_id, m.created_at, m.id"
    ))
    .bind(p.account_id)
    .bind(p.from_ms)
    .bind(p.to_ms)
    .bind(p.number_id)
    .fetch_all(pool)
    .await?)
}

/// (customer id, name, phone) of each conversation.
pub async fn who(pool: &SqlitePool, conversation_ids: &[i64]) -> Result<Vec<(i64, i64, Option<String>, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT c.id, cu.id, cu.name, cu.phone FROM conversations c JOIN customers cu ON cu.id = c.customer_id
         WHERE c.id IN (SELECT value FROM json_each(?))",
    )
    .bind(serde_json::to_string(conversation_ids).expect("ids serialise"))
    .fetch_all(pool)
    .await?)
}
