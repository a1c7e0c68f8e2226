//! Seed data: a believable pharmacy's WhatsApp history, deterministic for a given `seed` and `now`.
//!
//! The simulator loads it with `--seed-data`, and the app's demo mode pre-loads its archive from
//! [`generate`], so the types carry everything the archive keeps: customers with tags and
//! metadata, messages of every type of the seed table (inbound and outbound where allowed) with
//! statuses, categories and costs, templates, flow sessions with collected answers, and opt-outs.
//! Times are laid out relative to `now` so that some windows are open, some close within the hour
//! and the rest are closed.
//!
//! Domain values (`MessageType`, `Direction`, `Status`, `Category`) keep their domain types here and
//! serialize as their wire names.

mod build;
mod corpus;
mod templates;

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};
use serde_json::Value;
use uuid::Uuid;

use crate::domain::category::Category;
use crate::domain::message_type::{Direction, MessageType};
use crate::domain::status::Status;

pub use templates::{catalogue as template_catalogue, SUMMER_OFFER_IMAGE};

/// At least this many customers are generated.
pub const CUSTOMER_COUNT: usize = 64;

/// Everything [`generate`] makes. Vectors are in a stable order: customers by id, messages by time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedData {
    pub seed: u64,
    pub generated_at: DateTime<Utc>,
    pub business: SeedBusiness,
    pub customers: Vec<SeedCustomer>,
    pub messages: Vec<SeedMessage>,
    pub templates: Vec<SeedTemplate>,
    pub flow_sessions: Vec<SeedFlowSession>,
    pub customer_responses: Vec<SeedCustomerResponse>,
    pub opt_outs: Vec<SeedOptOut>,
}

/// The business the simulated number belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedBusiness {
    pub name: String,
    pub tenant_id: i64,
    /// The integer id webhooks carry for the number.
    pub whatsapp_account_id: i64,
    /// The number's own phone, canonical digits.
    pub display_phone: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CustomerStatus {
    Active,
    Blocked,
}

/// The CubeConnect Customer model (contract Part 2 §3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedCustomer {
    pub id: i64,
    /// Canonical digits with country code, no `+`.
    pub phone: String,
    pub name: Option<String>,
    pub email: Option<String>,
    /// Custom fields as flows collect them (`city`, `preferred_branch`, ...).
    pub metadata: Value,
    pub tags: Vec<String>,
    pub status: CustomerStatus,
    /// `ar` or `en`: the language the customer writes in.
    pub language: String,
    pub total_conversations: u32,
    pub first_conversation_at: DateTime<Utc>,
    pub last_conversation_at: DateTime<Utc>,
    /// The customer's newest inbound message, from which the 24-hour window runs.
    pub last_inbound_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedMessage {
    /// The local id (outbound: the `Idempotency-Key` it was sent with).
    pub local_id: Uuid,
    pub customer_phone: String,
    #[serde(serialize_with = "wire::direction")]
    pub direction: Direction,
    #[serde(rename = "message_type", serialize_with = "wire::message_type")]
    pub kind: MessageType,
    pub created_at: DateTime<Utc>,
    /// `wa_message_id` inbound, `meta_message_id` outbound (none for a message that never left).
    pub wamid: Option<String>,
    pub content: SeedContent,
    /// Outbound only.
    pub delivery: Option<SeedDelivery>,
}

/// What a message says, one variant per kind of content.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SeedContent {
    Text {
        text: String,
    },
    /// image, video, audio, document or sticker. Inbound media has no link, only the placeholder
    /// or caption CubeConnect gives (contract decision 13).
    Media {
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
    Interactive {
        payload: Value,
    },
    Location {
        lat: f64,
        lng: f64,
        name: Option<String>,
        address: Option<String>,
    },
    Reaction {
        emoji: String,
        to_wamid: Option<String>,
    },
}

/// How an outbound message fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedDelivery {
    #[serde(serialize_with = "wire::status")]
    pub status: Status,
    /// CubeConnect's id: digits or a ULID, as the service alternates.
    pub message_log_id: String,
    #[serde(serialize_with = "wire::category")]
    pub category: Category,
    pub cost: f64,
    pub cost_currency: String,
    pub queued_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    /// The Meta code, e.g. `131047`.
    pub failure_code: Option<String>,
    pub failure_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HeaderType {
    None,
    Text,
    Image,
    Video,
    Document,
}

impl HeaderType {
    pub fn as_str(self) -> &'static str {
        match self {
            HeaderType::None => "none",
            HeaderType::Text => "text",
            HeaderType::Image => "image",
            HeaderType::Video => "video",
            HeaderType::Document => "document",
        }
    }

    /// Sending needs a header component with a media link.
    pub fn is_media(self) -> bool {
        matches!(self, HeaderType::Image | HeaderType::Video | HeaderType::Document)
    }
}

/// A template as `GET /api/v1/templates` lists it, plus its id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedTemplate {
    pub id: i64,
    pub name: String,
    pub language: String,
    #[serde(serialize_with = "wire::category")]
    pub category: Category,
    /// As the service spells it: `APPROVED`, `PENDING`, `REJECTED`.
    pub status: String,
    pub params_count: u32,
    pub body: String,
    /// Header text, only when `header_type` is `text`.
    pub header: Option<String>,
    pub header_type: HeaderType,
    pub header_sample_media_url: Option<String>,
    pub footer: Option<String>,
}

/// A CubeConnect conversation session (a chatbot-flow run, contract Part 2 §3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedFlowSession {
    pub id: i64,
    pub conversation_flow_id: i64,
    pub whatsapp_account_id: i64,
    pub customer_phone: String,
    pub current_step_id: i64,
    pub session_data: Value,
    pub started_at: DateTime<Utc>,
    pub last_interaction_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub is_completed: bool,
    /// `completed` or `cancelled`; none while it runs.
    pub ended_as: Option<String>,
}

/// An answer a customer gave in a flow (the CustomerResponse model).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedCustomerResponse {
    pub customer_phone: String,
    pub flow_session_id: i64,
    pub question_key: String,
    pub question_text: String,
    pub response_value: String,
    /// `text`, `button`, `list`, `approval` or `reply`.
    pub response_type: String,
    pub response_metadata: Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedOptOut {
    pub phone: String,
    /// `marketing` or `all`.
    pub scope: String,
    pub source: String,
    pub opted_out_at: DateTime<Utc>,
}

/// What the simulator charges per message of a category, in SAR. Free-form replies inside the
/// window are SERVICE and free.
pub fn cost_for(category: Category) -> f64 {
    match category {
        Category::Service => 0.0,
        Category::Marketing => 0.0456,
        Category::Utility => 0.0215,
        Category::Authentication => 0.0198,
    }
}

/// The seed data for `seed` with every time laid out relative to `now`. The same pair always
/// gives the same data.
pub fn generate(now: DateTime<Utc>, seed: u64) -> SeedData {
    build::generate(now, seed)
}

mod wire {
    use super::*;

    pub fn direction<S: Serializer>(v: &Direction, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.as_str())
    }

    pub fn message_type<S: Serializer>(v: &MessageType, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.as_str())
    }

    pub fn status<S: Serializer>(v: &Status, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.as_str())
    }

    pub fn category<S: Serializer>(v: &Category, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.as_str())
    }
}
