//! The `/api/*` routes of the contract. Authentication, faults and rate limiting have already
//! happened in the gate; handlers read raw bytes and path strings so that a malformed request
//! gets the contract's error, never an extractor's plain-text rejection.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::clock::iso;
use super::errors::{data, ApiError};
use super::send;
use super::server::Shared;
use super::state::{OptOut, Scope};
use crate::domain::phone::Phone;

type Sim = AxState<Arc<Shared>>;

pub(crate) async fn health(AxState(shared): Sim) -> Response {
    data(
        StatusCode::OK,
        json!({
            "status": "healthy",
            "checks": {"app": true, "database": true, "cache": true},
            "timestamp": iso(shared.now()),
        }),
    )
}

/// The body's fields; 400 `BAD_REQUEST` only when it is not JSON at all. JSON that is not an
/// object has no fields, so its requests fail validation with every required field named.
pub(crate) fn object_body(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Ok(Map::new()),
        Err(e) => Err(ApiError::new("BAD_REQUEST").message(format!("The request body is not valid JSON: {e}."))),
    }
}

pub(crate) async fn send(AxState(shared): Sim, headers: HeaderMap, body: Bytes) -> Response {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string);
    let number = shared.config.number_api_id.clone();
    shared.with_state(|s, now| {
        if let Some(k) = &key {
            *s.attempts.entry(k.clone()).or_insert(0) += 1;
            // A repeated key answers what the first accepted request got, and sends nothing.
            if let Some(reply) = s.replies.get(k) {
                return data(StatusCode::ACCEPTED, reply.clone());
            }
        }
        let body = match object_body(&body) {
            Ok(b) => b,
            Err(e) => return e.into_response(),
        };
        match send::validate(s, &number, &body, now) {
            Ok(valid) => data(StatusCode::ACCEPTED, s.accept(valid, now, key)),
            Err(e) => e.into_response(),
        }
    })
}

pub(crate) async fn message_status(AxState(shared): Sim, id: Result<Path<String>, PathRejection>) -> Response {
    let Ok(Path(id)) = id else {
        return not_found("message");
    };
    shared.with_state(|s, _| match s.message(&id) {
        Some(m) => data(StatusCode::OK, m.status_json()),
        None => not_found("message"),
    })
}

fn not_found(what: &str) -> Response {
    ApiError::new("NOT_FOUND").message(format!("No such {what}.")).into_response()
}

pub(crate) async fn templates(
    AxState(shared): Sim,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let Some(account) = query.get("whatsapp_account_id").map(|a| a.trim()).filter(|a| !a.is_empty()) else {
        return ApiError::field("whatsapp_account_id", "The whatsapp account id field is required.").into_response();
    };
    if account != shared.config.number_api_id {
        return ApiError::new("NO_ACTIVE_ACCOUNT")
            .message(format!("No active WhatsApp account with API ID {account} was found for this tenant."))
            .into_response();
    }
    let status = query.get("status").map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    shared.with_state(|s, _| {
        let list: Vec<Value> = s
            .templates
            .iter()
            .filter(|t| status.as_ref().is_none_or(|want| t.status.eq_ignore_ascii_case(want)))
            .map(|t| {
                json!({
                    "id": t.id,
                    "name": t.name,
                    "language": t.language,
                    "category": t.category.as_str(),
                    "status": t.status,
                    "params_count": t.params_count,
                    "body": t.body,
                    "header": t.header,
                    "header_type": t.header_type.as_str(),
                    "header_sample_media_url": t.header_sample_media_url,
                    "footer": t.footer,
                })
            })
            .collect();
        data(StatusCode::OK, Value::Array(list))
    })
}

/// The bare object of the docs (no envelope); errors keep the envelope.
pub(crate) async fn session_status(
    AxState(shared): Sim,
    customer: Result<Path<String>, PathRejection>,
) -> Response {
    let phone = customer.ok().and_then(|Path(c)| Phone::parse(&c).ok());
    let Some(phone) = phone else {
        return not_found("customer");
    };
    shared.with_state(|s, now| match s.session_status(phone.digits(), now) {
        Some(v) => (StatusCode::OK, Json(v)).into_response(),
        None => not_found("customer"),
    })
}

fn path_phone(phone: Result<Path<String>, PathRejection>) -> Result<Phone, ApiError> {
    let raw = phone.map(|Path(p)| p).unwrap_or_default();
    Phone::parse(&raw).map_err(|_| {
        ApiError::new("INVALID_PHONE_NUMBER").message(format!("The phone number {raw:?} is not a valid international number."))
    })
}

fn opt_out_json(phone: &Phone, o: &OptOut) -> Value {
    json!({"phone": phone.e164(), "scope": o.scope.as_str(), "source": o.source, "opted_out_at": iso(o.opted_out_at)})
}

pub(crate) async fn add_opt_out(AxState(shared): Sim, body: Bytes) -> Response {
    let body = match object_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let phone = match body.get("phone") {
        Some(Value::String(p)) if !p.trim().is_empty() => p.clone(),
        _ => return ApiError::field("phone", "The phone field is required.").into_response(),
    };
    let scope = match body.get("scope") {
        None | Some(Value::Null) => Scope::Marketing,
        Some(Value::String(s)) => match Scope::parse(s) {
            Some(scope) => scope,
            None => return ApiError::field("scope", "The selected scope is invalid.").into_response(),
        },
        Some(_) => return ApiError::field("scope", "The selected scope is invalid.").into_response(),
    };
    let phone = match Phone::parse(&phone) {
        Ok(p) => p,
        Err(_) => {
            return ApiError::new("INVALID_PHONE_NUMBER")
                .message(format!("The phone number {phone:?} is not a valid international number."))
                .into_response()
        }
    };
    shared.with_state(|s, now| {
        let o = OptOut { scope, source: "api".into(), opted_out_at: now };
        let body = opt_out_json(&phone, &o);
        s.opt_outs.insert(phone.digits().to_string(), o);
        data(StatusCode::OK, body)
    })
}

pub(crate) async fn get_opt_out(AxState(shared): Sim, phone: Result<Path<String>, PathRejection>) -> Response {
    let phone = match path_phone(phone) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    shared.with_state(|s, _| {
        let body = match s.opt_outs.get(phone.digits()) {
            Some(o) => {
                let mut v = opt_out_json(&phone, o);
                v["opted_out"] = json!(true);
                v
            }
            None => json!({"phone": phone.e164(), "opted_out": false, "scope": null, "source": null, "opted_out_at": null}),
        };
        data(StatusCode::OK, body)
    })
}

pub(crate) async fn remove_opt_out(AxState(shared): Sim, phone: Result<Path<String>, PathRejection>) -> Response {
    let phone = match path_phone(phone) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    shared.with_state(|s, _| {
        let removed = s.opt_outs.remove(phone.digits()).is_some();
        data(StatusCode::OK, json!({"phone": phone.e164(), "removed": removed}))
    })
}

/// `GET /api/v1/opt-outs?scope=&phone=&per_page=&page=`, paginated Laravel style.
pub(crate) async fn list_opt_outs(
    AxState(shared): Sim,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let scope = query.get("scope").and_then(|s| Scope::parse(s));
    let needle: String = query.get("phone").map(|p| p.chars().filter(char::is_ascii_digit).collect()).unwrap_or_default();
    let per_page = query.get("per_page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(50).clamp(1, 500);
    let page = query.get("page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(1).max(1);
    shared.with_state(|s, _| {
        let all: Vec<Value> = s
            .opt_outs
            .iter()
            .filter(|(phone, o)| scope.is_none_or(|want| o.scope == want) && phone.contains(&needle))
            .filter_map(|(phone, o)| Phone::parse(phone).ok().map(|p| opt_out_json(&p, o)))
            .collect();
        let total = all.len();
        let last_page = total.div_ceil(per_page).max(1);
        let items: Vec<Value> = all.into_iter().skip((page - 1) * per_page).take(per_page).collect();
        data(
            StatusCode::OK,
            json!({
                "opt_outs": items,
                "pagination": {"current_page": page, "per_page": per_page, "total": total, "last_page": last_page},
            }),
        )
    })
}
