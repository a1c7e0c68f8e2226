//! The `/_sim/*` control routes (contract Part 1, "The simulator"). They need no key and are
//! mounted only on loopback. Successful answers are bare JSON; errors use the API's envelope so
//! one parser reads both.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Duration, Utc};
use serde_json::{json, Map, Value};

use super::clock::iso;
use super::errors::ApiError;
use super::events::{self, InboundContent, TENANT_ID, WEBHOOK_ACCOUNT_ID};
use super::faults::Faults;
use super::routes_api::object_body;
use super::server::Shared;
use super::state::FlowSession;
use crate::domain::message_type::MessageType;
use crate::domain::phone::Phone;
use crate::domain::text::check_text;

type Sim = AxState<Arc<Shared>>;

/// The furthest one `/_sim/clock` call may move the clock: ten years.
const MAX_ADVANCE_SECONDS: f64 = 10.0 * 365.0 * 86_400.0;
/// How long a flow session stays open after its last interaction.
const FLOW_SESSION_LIFETIME: i64 = 24;

fn ok(v: Value) -> Response {
    (StatusCode::OK, Json(v)).into_response()
}

fn opt_str<'a>(body: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(ApiError::field(key, format!("The {key} must be a string."))),
    }
}

fn opt_f64(body: &Map<String, Value>, key: &str) -> Result<Option<f64>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_f64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            .filter(|f: &f64| f.is_finite())
            .map(Some)
            .ok_or_else(|| ApiError::field(key, format!("The {key} must be a number."))),
    }
}

fn opt_i64(body: &Map<String, Value>, key: &str) -> Result<Option<i64>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            .map(Some)
            .ok_or_else(|| ApiError::field(key, format!("The {key} must be an integer."))),
    }
}

fn phone(body: &Map<String, Value>) -> Result<Phone, ApiError> {
    let raw = opt_str(body, "phone")?.filter(|p| !p.trim().is_empty());
    let Some(raw) = raw else {
        return Err(ApiError::field("phone", "The phone field is required."));
    };
    Phone::parse(raw).map_err(|e| {
        ApiError::new("INVALID_PHONE_NUMBER").message(format!("The phone number {raw:?} is not valid: {e:?}."))
    })
}

/// `POST /_sim/inbound`: a customer writes.
pub(crate) async fn inbound(AxState(shared): Sim, body: Bytes) -> Response {
    match inbound_inner(&shared, &body) {
        Ok(v) => ok(v),
        Err(e) => e.into_response(),
    }
}

fn inbound_inner(shared: &Shared, body: &[u8]) -> Result<Value, ApiError> {
    let body = object_body(body)?;
    let phone = phone(&body)?;
    let kind_name = opt_str(&body, "type")?.unwrap_or_default();
    let kind = match kind_name.parse::<MessageType>() {
        Ok(MessageType::Template) | Err(_) => {
            return Err(ApiError::field("type", "The type must be one a customer can send: text, image, video, audio, document, location, sticker, interactive or reaction."))
        }
        Ok(k) => k,
    };
    let name = opt_str(&body, "name")?.map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    let text = opt_str(&body, "text")?;
    let lat = opt_f64(&body, "lat")?;
    let lng = opt_f64(&body, "lng")?;
    let content = InboundContent {
        text,
        caption: opt_str(&body, "caption")?,
        filename: opt_str(&body, "filename")?,
        lat_lng: lat.zip(lng),
        title: opt_str(&body, "title")?,
        emoji: opt_str(&body, "emoji")?,
    };
    opt_str(&body, "mime")?;
    opt_str(&body, "reply_to")?;
    match kind {
        MessageType::Text if check_text(text.unwrap_or_default()).is_err() => {
            return Err(ApiError::field("text", "The text field is required and may not be greater than 4096 characters."))
        }
        MessageType::Location => match (lat, lng) {
            (Some(a), Some(o)) if (-90.0..=90.0).contains(&a) && (-180.0..=180.0).contains(&o) => {}
            _ => return Err(ApiError::field("lat", "A location needs lat (-90..90) and lng (-180..180).")),
        },
        MessageType::Reaction if content.emoji.is_none() => {
            return Err(ApiError::field("emoji", "The emoji field is required."))
        }
        MessageType::Interactive if content.title.or(text).is_none_or(|t| t.trim().is_empty()) => {
            return Err(ApiError::field("title", "An interactive reply needs the title of the button or list row."))
        }
        _ => {}
    }
    let summary = events::summary(kind, &content);
    Ok(shared.with_state(|s, now| {
        let wa_message_id = s.record_inbound(&phone, name, kind, &summary, now);
        json!({"wa_message_id": wa_message_id, "received_at": iso(now), "from": phone.digits(), "content": summary})
    }))
}

/// `POST /_sim/flow`: a flow session starts, completes or is cancelled.
pub(crate) async fn flow(AxState(shared): Sim, body: Bytes) -> Response {
    match flow_inner(&shared, &body) {
        Ok(v) => ok(v),
        Err(e) => e.into_response(),
    }
}

fn flow_inner(shared: &Shared, body: &[u8]) -> Result<Value, ApiError> {
    let body = object_body(body)?;
    let phone = phone(&body)?;
    let event = opt_str(&body, "event")?.map(str::trim).unwrap_or_default().to_ascii_lowercase();
    if !matches!(event.as_str(), "started" | "completed" | "cancelled") {
        return Err(ApiError::field("event", "The event must be started, completed or cancelled."));
    }
    let Some(flow_id) = opt_i64(&body, "flow_id")? else {
        return Err(ApiError::field("flow_id", "The flow id field is required."));
    };
    let session_id = opt_i64(&body, "session_id")?;
    let step = opt_i64(&body, "current_step_id")?;
    let data = match body.get("session_data") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(ApiError::field("session_data", "The session data must be an object.")),
    };
    let digits = phone.digits().to_string();
    shared.with_state(|s, now| {
        let existing = match session_id {
            Some(id) => s.flows.iter().position(|f| f.id == id),
            None if event != "started" => {
                s.flows.iter().rposition(|f| f.customer_phone == digits && f.flow_id == flow_id && !f.ended)
            }
            None => None,
        };
        let index = match existing {
            Some(i) => i,
            None => {
                // A completion with no start on record still gets a session, so tools can send
                // any event on its own.
                let id = session_id.unwrap_or_else(|| s.flows.iter().map(|f| f.id).max().unwrap_or(9000) + 1);
                s.flows.push(FlowSession {
                    id,
                    flow_id,
                    customer_phone: digits.clone(),
                    current_step_id: None,
                    session_data: Value::Object(Map::new()),
                    started_at: now,
                    last_interaction_at: now,
                    expires_at: now + Duration::hours(FLOW_SESSION_LIFETIME),
                    is_completed: false,
                    ended: false,
                });
                s.flows.len() - 1
            }
        };
        let session = &mut s.flows[index];
        if let Value::Object(existing) = &mut session.session_data {
            existing.extend(data);
        }
        if step.is_some() {
            session.current_step_id = step;
        }
        session.last_interaction_at = now;
        session.expires_at = now + Duration::hours(FLOW_SESSION_LIFETIME);
        if event != "started" {
            session.ended = true;
            session.is_completed = event == "completed";
        }
        let fields = session.json();
        let payload = events::flow(now, &event, &digits, flow_id, &fields);
        s.push_event(now, payload);
        Ok(fields)
    })
}

/// `POST /_sim/clock {"advance_seconds": N}`.
pub(crate) async fn clock(AxState(shared): Sim, body: Bytes) -> Response {
    let seconds = object_body(&body).and_then(|b| match opt_f64(&b, "advance_seconds")? {
        Some(s) if (0.0..=MAX_ADVANCE_SECONDS).contains(&s) => Ok(s),
        Some(_) => Err(ApiError::field("advance_seconds", "The advance seconds must be between 0 and ten years.")),
        None => Err(ApiError::field("advance_seconds", "The advance seconds field is required.")),
    });
    let seconds = match seconds {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    shared.clock.advance_ms((seconds * 1000.0).round() as i64);
    // Whatever fell due in the jump is applied before the answer, so the next request sees it.
    let now = shared.with_state(|_, now| now);
    ok(json!({"now": iso(now), "offset_seconds": shared.clock.offset().num_milliseconds() as f64 / 1000.0}))
}

pub(crate) async fn set_faults(AxState(shared): Sim, body: Bytes) -> Response {
    let parsed = match serde_json::from_slice::<Value>(&body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(ApiError::new("VALIDATION_ERROR").message("The faults must be a JSON object.")),
        Err(e) => Err(ApiError::new("BAD_REQUEST").message(format!("The request body is not valid JSON: {e}."))),
    };
    let spec = match parsed.and_then(|v| {
        serde_json::from_value::<Faults>(v)
            .map_err(|e| ApiError::new("VALIDATION_ERROR").message(format!("Invalid faults: {e}.")))
    }) {
        Ok(spec) => spec,
        Err(e) => return e.into_response(),
    };
    if let Err(why) = spec.validate() {
        return ApiError::new("VALIDATION_ERROR").message(why).into_response();
    }
    let current = shared.with_state(|s, _| {
        s.faults.merge(spec);
        s.faults.clone()
    });
    shared.webhooks.set_faults(current.webhook_faults());
    ok(serde_json::to_value(current).unwrap_or(Value::Null))
}

pub(crate) async fn clear_faults(AxState(shared): Sim) -> Response {
    shared.with_state(|s, _| s.faults = Faults::default());
    shared.webhooks.set_faults(Default::default());
    ok(json!({}))
}

pub(crate) async fn show_faults(AxState(shared): Sim) -> Response {
    ok(shared.with_state(|s, _| serde_json::to_value(&s.faults).unwrap_or(Value::Null)))
}

/// `GET /_sim/sends`: one entry per accepted send, with how many requests carried its key.
pub(crate) async fn sends(AxState(shared): Sim) -> Response {
    ok(shared.with_state(|s, _| {
        let list: Vec<Value> = s
            .sends
            .iter()
            .map(|r| {
                let attempts = r.idempotency_key.as_ref().and_then(|k| s.attempts.get(k)).copied().unwrap_or(1);
                json!({
                    "idempotency_key": r.idempotency_key,
                    "message_log_id": r.message_log_id,
                    "phone": r.phone,
                    "message_type": r.message_type.as_str(),
                    "accepted_at": iso(r.accepted_at),
                    "attempts": attempts,
                })
            })
            .collect();
        Value::Array(list)
    }))
}

pub(crate) async fn state(AxState(shared): Sim) -> Response {
    let mut summary = shared.with_state(|s, now| {
        let mut v = s.summary(now);
        v["now"] = json!(iso(now));
        v["faults"] = serde_json::to_value(&s.faults).unwrap_or(Value::Null);
        v
    });
    summary["real_now"] = json!(iso(Utc::now()));
    summary["clock_offset_seconds"] = json!(shared.clock.offset().num_milliseconds() as f64 / 1000.0);
    summary["number_api_id"] = json!(shared.config.number_api_id);
    summary["whatsapp_account_id"] = json!(WEBHOOK_ACCOUNT_ID);
    summary["tenant_id"] = json!(TENANT_ID);
    summary["seed_data"] = json!(shared.config.seed_data);
    summary["webhooks"] = shared.webhooks.summary();
    ok(summary)
}
