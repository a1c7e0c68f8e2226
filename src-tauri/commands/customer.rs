//! The customer panel: the customer's profile, opt-out, answers and current or last flow session.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::error::{AppError, ErrorCode};
use crate::store::customers::{customer, tags};
use crate::store::flows::{latest_session, responses_of};
use crate::store::time::{from_ms, opt_from_ms};
use crate::store::Store;

/// How many answers the panel lists.
const RESPONSES_SHOWN: u32 = 50;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FlowSession {
    pub flow_id: Option<i64>,
    pub current_step_id: Option<i64>,
    pub session_data: Option<serde_json::Value>,
    pub started_at: Option<DateTime<Utc>>,
    pub last_interaction_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub completed: Option<bool>,
    pub ended_as: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CustomerResponse {
    pub question_key: String,
    pub question_text: Option<String>,
    pub value: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CustomerDetails {
    pub id: i64,
    pub name: Option<String>,
    pub phone: String,
    pub email: Option<String>,
    pub tags: Vec<String>,
    pub blocked: bool,
    pub metadata: serde_json::Value,
    pub opted_out: Option<bool>,
    pub opt_out_scope: Option<String>,
    pub opted_out_at: Option<DateTime<Utc>>,
    pub first_conversation_at: Option<DateTime<Utc>>,
    pub last_conversation_at: Option<DateTime<Utc>>,
    pub total_conversations: i64,
    pub session: Option<FlowSession>,
    pub responses: Vec<CustomerResponse>,
}

pub async fn details(store: &Store, customer_id: i64) -> Result<CustomerDetails, AppError> {
    let pool = store.pool();
    let c = customer(pool, customer_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "This customer is no longer in the archive."))?;
    let session = latest_session(pool, customer_id).await?.map(|s| FlowSession {
        flow_id: s.conversation_flow_id,
        current_step_id: s.current_step_id,
        session_data: s.session_data.and_then(|j| serde_json::from_str(&j).ok()),
        started_at: opt_from_ms(s.started_at),
        last_interaction_at: opt_from_ms(s.last_interaction_at),
        expires_at: opt_from_ms(s.expires_at),
        completed: s.is_completed,
        ended_as: s.ended_as,
    });
    let responses = responses_of(pool, customer_id, RESPONSES_SHOWN)
        .await?
        .into_iter()
        .map(|r| CustomerResponse {
            question_key: r.question_key,
            question_text: r.question_text,
            value: r.response_value,
            kind: r.response_type,
            created_at: from_ms(r.created_at),
        })
        .collect();
    Ok(CustomerDetails {
        id: c.id,
        name: c.name,
        phone: c.phone,
        email: c.email,
        tags: tags(pool, customer_id).await?,
        blocked: c.blocked,
        metadata: serde_json::from_str(&c.metadata).unwrap_or(serde_json::Value::Null),
        opted_out: c.opted_out,
        opt_out_scope: c.opt_out_scope,
        opted_out_at: opt_from_ms(c.opted_out_at),
        first_conversation_at: opt_from_ms(c.first_conversation_at),
        last_conversation_at: opt_from_ms(c.last_conversation_at),
        total_conversations: c.total_conversations,
        session,
        responses,
    })
}
