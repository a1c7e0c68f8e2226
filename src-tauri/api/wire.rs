//! Response shapes of the CubeConnect API (contract Part 2 §2-3), tolerant by design: unknown
//! fields are ignored, optional fields may be missing, ids may be numbers or strings, and
//! `param_count` is accepted for `params_count`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::flex;

/// `data` of a 202 from `POST /api/v1/messages/send` (decision 7).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct SendResult {
    /// `queued` or `scheduled`.
    pub status: String,
    #[serde(deserialize_with = "flex::id")]
    pub message_log_id: String,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub conversation_category: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_f64")]
    pub cost: Option<f64>,
    #[serde(default, deserialize_with = "flex::opt_datetime")]
    pub scheduled_at: Option<DateTime<Utc>>,
}

/// `data` of `GET /api/v1/messages/{message_log_id}`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MessageStatusInfo {
    #[serde(deserialize_with = "flex::id")]
    pub message_log_id: String,
    pub status: String,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub to_phone: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub message_type: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub meta_message_id: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_datetime")]
    pub sent_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "flex::opt_datetime")]
    pub scheduled_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "flex::opt_f64")]
    pub cost_amount: Option<f64>,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub cost_currency: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub error_message: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_datetime")]
    pub created_at: Option<DateTime<Utc>>,
}

/// One template of `GET /api/v1/templates`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Template {
    #[serde(default, deserialize_with = "flex::opt_id")]
    pub id: Option<String>,
    pub name: String,
    pub language: String,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub category: Option<String>,
    /// As the service spells it; compare with `domain::template::is_approved`.
    pub status: String,
    #[serde(default, alias = "param_count", deserialize_with = "flex::count")]
    pub params_count: u32,
    #[serde(default)]
    pub body: String,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub header: Option<String>,
    #[serde(default = "no_header", deserialize_with = "header_type")]
    pub header_type: String,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub header_sample_media_url: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub footer: Option<String>,
}

impl Template {
    /// Whether sending it needs a header component with a media link.
    pub fn needs_header_media(&self) -> bool {
        matches!(self.header_type.as_str(), "image" | "video" | "document")
    }
}

fn no_header() -> String {
    "none".into()
}

/// Lower-cased; missing or null means `none`.
fn header_type<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(flex::opt_text(d)?.map(|s| s.to_ascii_lowercase()).unwrap_or_else(no_header))
}

/// `GET /api/crm/{customer}/session-status`, bare or enveloped (decision 9).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct SessionStatus {
    pub window_active: bool,
    #[serde(default, deserialize_with = "flex::opt_datetime")]
    pub last_inbound_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "flex::opt_datetime")]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "flex::count")]
    pub remaining_minutes: u32,
    #[serde(default)]
    pub templates: Vec<SessionTemplate>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct SessionTemplate {
    #[serde(default, deserialize_with = "flex::opt_id")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub body: String,
    #[serde(default, alias = "params_count", deserialize_with = "flex::count")]
    pub param_count: u32,
}

/// `GET /api/health` (no key needed).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Health {
    pub status: String,
    #[serde(default)]
    pub checks: HealthChecks,
    #[serde(default, deserialize_with = "flex::opt_datetime")]
    pub timestamp: Option<DateTime<Utc>>,
}

impl Health {
    pub fn is_healthy(&self) -> bool {
        self.status.eq_ignore_ascii_case("healthy") || self.status.eq_ignore_ascii_case("ok")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct HealthChecks {
    #[serde(default)]
    pub app: Option<bool>,
    #[serde(default)]
    pub database: Option<bool>,
    #[serde(default)]
    pub cache: Option<bool>,
}

/// `GET /api/v1/opt-outs/{phone}`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct OptOutStatus {
    #[serde(deserialize_with = "flex::id")]
    pub phone: String,
    #[serde(default)]
    pub opted_out: bool,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub scope: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub source: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_datetime")]
    pub opted_out_at: Option<DateTime<Utc>>,
}

/// `POST /api/v1/opt-outs`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct OptOutAdded {
    #[serde(deserialize_with = "flex::id")]
    pub phone: String,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub scope: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_text")]
    pub source: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_datetime")]
    pub opted_out_at: Option<DateTime<Utc>>,
}

/// `DELETE /api/v1/opt-outs/{phone}`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct OptOutRemoved {
    #[serde(deserialize_with = "flex::id")]
    pub phone: String,
    #[serde(default)]
    pub removed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OptOutScope {
    Marketing,
    All,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_accept_both_count_spellings_and_missing_fields() {
        let a: Template = serde_json::from_value(json!({
            "name": "order_ready", "language": "ar", "status": "APPROVED", "param_count": 2,
            "body": "{{1}} {{2}}", "extra_field": {"ignored": true}
        }))
        .unwrap();
        assert_eq!(a.params_count, 2);
        assert_eq!(a.header_type, "none");
        assert!(!a.needs_header_media());
        let b: Template = serde_json::from_value(json!({
            "id": 7, "name": "promo", "language": "en_US", "status": "approved", "params_count": "1",
            "header_type": "IMAGE", "header_sample_media_url": "https://x/y.png"
        }))
        .unwrap();
        assert_eq!((b.id.as_deref(), b.params_count, b.needs_header_media()), (Some("7"), 1, true));
    }

    #[test]
    fn send_results_keep_ids_opaque() {
        let r: SendResult = serde_json::from_value(json!({"status": "queued", "message_log_id": 4521, "cost": 0})).unwrap();
        assert_eq!(r.message_log_id, "4521");
        assert_eq!(r.conversation_category, None);
        let r: SendResult = serde_json::from_value(json!({"status": "scheduled", "message_log_id": "01JXA", "conversation_category": "MARKETING", "cost": 0.0456, "scheduled_at": "2026-03-01T09:00:00Z"})).unwrap();
        assert_eq!(r.message_log_id, "01JXA");
        assert!(r.scheduled_at.is_some());
    }
}
