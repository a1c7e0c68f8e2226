//! Conversation (flow) sessions and the answers customers gave in them (contract decision 14).

use chrono::{DateTime, Utc};
use sqlx::SqliteExecutor;

use super::error::StoreError;
use super::time::to_ms;

/// A flow session as far as we know it; `None` fields are unknown, not zero.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlowSessionRow {
    pub account_id: i64,
    pub remote_id: Option<i64>,
    pub conversation_flow_id: Option<i64>,
    pub whatsapp_account_id: Option<i64>,
    pub number_id: Option<i64>,
    pub customer_phone: String,
    pub customer_id: Option<i64>,
    pub current_step_id: Option<i64>,
    pub session_data: Option<serde_json::Value>,
    pub started_at: Option<DateTime<Utc>>,
    pub last_interaction_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub is_completed: Option<bool>,
    pub ended_as: Option<String>,
}

pub async fn insert_flow_session(db: impl SqliteExecutor<'_>, s: &FlowSessionRow, now: DateTime<Utc>) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO flow_sessions (account_id, remote_id, conversation_flow_id, whatsapp_account_id, number_id,
            customer_phone, customer_id, current_step_id, session_data, started_at, last_interaction_at,
            expires_at, is_completed, ended_as, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(s.account_id)
    .bind(s.remote_id)
    .bind(s.conversation_flow_id)
    .bind(s.whatsapp_account_id)
    .bind(s.number_id)
    .bind(&s.customer_phone)
    .bind(s.customer_id)
    .bind(s.current_step_id)
    .bind(s.session_data.as_ref().map(|v| v.to_string()))
    .bind(s.started_at.map(to_ms))
    .bind(s.last_interaction_at.map(to_ms))
    .bind(s.expires_at.map(to_ms))
    .bind(s.is_completed)
    .bind(s.ended_as.as_deref().filter(|e| matches!(*e, "completed" | "cancelled")))
    .bind(to_ms(now))
    .bind(to_ms(now))
    .fetch_one(db)
    .await?)
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRow {
    pub customer_id: i64,
    pub flow_session_id: Option<i64>,
    pub question_key: String,
    pub question_text: Option<String>,
    pub response_value: Option<String>,
    pub response_type: Option<String>,
    pub response_metadata: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_response(db: impl SqliteExecutor<'_>, r: &ResponseRow) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO customer_responses (customer_id, flow_session_id, question_key, question_text, response_value,
            response_type, response_metadata, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(r.customer_id)
    .bind(r.flow_session_id)
    .bind(&r.question_key)
    .bind(&r.question_text)
    .bind(&r.response_value)
    .bind(r.response_type.as_deref().filter(|t| matches!(*t, "text" | "button" | "list" | "approval" | "reply")))
    .bind(r.response_metadata.to_string())
    .bind(to_ms(r.created_at))
    .fetch_one(db)
    .await?)
}

/// Records a flow event: a new session on `started`, the same session (matched by its remote id,
/// else the customer's latest open session of that flow) ended on `completed` / `cancelled`.
pub async fn apply_flow_event(
    tx: &mut sqlx::SqliteConnection,
    s: &FlowSessionRow,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM flow_sessions WHERE account_id = ?1 AND (
            (?2 IS NOT NULL AND remote_id = ?2) OR
            (?2 IS NULL AND customer_phone = ?3 AND conversation_flow_id IS ?4 AND ended_as IS NULL))
         ORDER BY id DESC LIMIT 1",
    )
    .bind(s.account_id)
    .bind(s.remote_id)
    .bind(&s.customer_phone)
    .bind(s.conversation_flow_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = existing else {
        return insert_flow_session(&mut *tx, s, now).await;
    };
    sqlx::query(
        "UPDATE flow_sessions SET
            current_step_id = coalesce(?, current_step_id), session_data = coalesce(?, session_data),
            last_interaction_at = coalesce(?, last_interaction_at), expires_at = coalesce(?, expires_at),
            is_completed = coalesce(?, is_completed), ended_as = coalesce(?, ended_as), updated_at = ?
         WHERE id = ?",
    )
    .bind(s.current_step_id)
    .bind(s.session_data.as_ref().map(|v| v.to_string()))
    .bind(s.last_interaction_at.map(to_ms))
    .bind(s.expires_at.map(to_ms))
    .bind(s.is_completed)
    .bind(s.ended_as.as_deref().filter(|e| matches!(*e, "completed" | "cancelled")))
    .bind(to_ms(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// A stored flow session, for the customer panel.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredSession {
    pub conversation_flow_id: Option<i64>,
    pub current_step_id: Option<i64>,
    pub session_data: Option<String>,
    pub started_at: Option<i64>,
    pub last_interaction_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub is_completed: Option<bool>,
    pub ended_as: Option<String>,
}

/// The customer's current session (one not completed), else the most recent one.
pub async fn latest_session(db: impl SqliteExecutor<'_>, customer_id: i64) -> Result<Option<StoredSession>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT conversation_flow_id, current_step_id, session_data, started_at, last_interaction_at, expires_at,
                is_completed, ended_as
         FROM flow_sessions WHERE customer_id = ?
         ORDER BY coalesce(is_completed, 0) = 0 AND ended_as IS NULL DESC,
                  coalesce(last_interaction_at, started_at, created_at) DESC, id DESC
         LIMIT 1",
    )
    .bind(customer_id)
    .fetch_optional(db)
    .await?)
}

/// A stored answer, for the customer panel.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredResponse {
    pub question_key: String,
    pub question_text: Option<String>,
    pub response_value: Option<String>,
    pub response_type: Option<String>,
    pub created_at: i64,
}

/// The customer's answers, newest first (at most `limit`).
pub async fn responses_of(db: impl SqliteExecutor<'_>, customer_id: i64, limit: u32) -> Result<Vec<StoredResponse>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT question_key, question_text, response_value, response_type, created_at FROM customer_responses
         WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
    )
    .bind(customer_id)
    .bind(limit)
    .fetch_all(db)
    .await?)
}
