//! The `{success:false, error:{code, message, details?}}` envelope and the contract's error table
//! (Part 2 §6), so that every documented code can be produced with its documented HTTP status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

/// Code, HTTP status and the message the simulator gives when nothing more specific applies.
const TABLE: &[(&str, u16, &str)] = &[
    ("AUTHENTICATION_REQUIRED", 401, "Authentication required. Provide an API key."),
    ("INVALID_API_KEY", 401, "The API key is invalid or has been revoked."),
    ("API_KEY_NO_TENANT", 403, "This API key is not linked to a tenant."),
    ("TENANT_NOT_FOUND", 403, "The tenant given in X-TENANT-ID was not found for this API key."),
    ("FORBIDDEN", 403, "You do not have permission to perform this action."),
    ("NOT_FOUND", 404, "The requested resource was not found."),
    ("TEMPLATE_NOT_FOUND", 404, "The template was not found."),
    ("VALIDATION_ERROR", 422, "The given data was invalid."),
    ("INVALID_PHONE_NUMBER", 422, "The phone number is not a valid international number."),
    ("NO_ACTIVE_ACCOUNT", 422, "No active WhatsApp account was found for this request."),
    ("MISSING_ACCESS_TOKEN", 422, "The WhatsApp account has no Meta access token."),
    ("TEMPLATE_LANGUAGE_MISMATCH", 422, "The template does not exist in the requested language."),
    ("TEMPLATE_PARAMS_MISMATCH", 422, "The number of template parameters does not match the template."),
    ("TEMPLATE_HEADER_MEDIA_REQUIRED", 422, "This template has a media header: send a header component with a link."),
    ("RECIPIENT_OPTED_OUT", 422, "The recipient has opted out of these messages."),
    ("RATE_LIMIT_EXCEEDED", 429, "Too many requests. Slow down."),
    ("PLAN_LIMIT_REACHED", 429, "Your plan's monthly message limit has been reached."),
    ("SUBSCRIPTION_EXPIRED", 429, "Your subscription has expired."),
    ("MESSAGING_TIER_LIMIT_EXCEEDED", 429, "The number's daily messaging tier limit would be exceeded."),
    ("MESSAGE_SEND_FAILED", 500, "The WhatsApp API rejected or failed the message."),
    ("INTERNAL_ERROR", 500, "An internal error occurred."),
    ("SERVICE_DEGRADED", 503, "A platform dependency is unavailable. Try again later."),
    // Not in the documented table: the status line alone names it (HTTP 400, malformed request).
    ("BAD_REQUEST", 400, "The request body is not valid JSON."),
];

/// The documented HTTP status of `code`, when the contract names one.
pub(crate) fn documented_status(code: &str) -> Option<u16> {
    TABLE.iter().find(|(c, _, _)| *c == code).map(|(_, s, _)| *s)
}

/// The first documented code answered with `status`, for faults that name only a status.
pub(crate) fn first_code_with_status(status: u16) -> Option<&'static str> {
    TABLE.iter().find(|(_, s, _)| *s == status).map(|(c, _, _)| *c)
}

fn default_message(code: &str) -> Option<&'static str> {
    TABLE.iter().find(|(c, _, _)| *c == code).map(|(_, _, m)| *m)
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub details: Option<Value>,
}

impl ApiError {
    /// A documented code with its documented status and message (500 for a code the table lacks).
    pub fn new(code: &str) -> Self {
        let status = documented_status(code).unwrap_or(500);
        ApiError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code: code.to_string(),
            message: default_message(code).unwrap_or("An error occurred.").to_string(),
            details: None,
        }
    }

    /// Any code with any status: what injected faults produce.
    pub fn custom(code: &str, status: StatusCode) -> Self {
        ApiError { status, ..ApiError::new(code) }
    }

    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    /// `VALIDATION_ERROR` with Laravel-style `details`: `{field: ["message", ...]}`.
    pub fn validation(fields: &[(String, String)]) -> Self {
        let mut details = Map::new();
        for (field, msg) in fields {
            let entry = details.entry(field.clone()).or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = entry {
                list.push(Value::String(msg.clone()));
            }
        }
        let message = fields.first().map(|(_, m)| m.clone()).unwrap_or_else(|| "The given data was invalid.".into());
        ApiError::new("VALIDATION_ERROR").message(message).details(Value::Object(details))
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::validation(&[(field.to_string(), message.into())])
    }

    pub fn body(&self) -> Value {
        let mut error = json!({"code": self.code, "message": self.message});
        if let (Some(d), Value::Object(e)) = (&self.details, &mut error) {
            e.insert("details".into(), d.clone());
        }
        json!({"success": false, "error": error})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

/// `{"success": true, "data": ...}` with `status`.
pub(crate) fn data(status: StatusCode, data: Value) -> Response {
    (status, Json(json!({"success": true, "data": data}))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_codes_keep_their_status() {
        assert_eq!(documented_status("RECIPIENT_OPTED_OUT"), Some(422));
        assert_eq!(documented_status("SERVICE_DEGRADED"), Some(503));
        assert_eq!(documented_status("TEMPLATE_NOT_FOUND"), Some(404));
        assert_eq!(documented_status("NOPE"), None);
    }

    #[test]
    fn validation_groups_messages_by_field() {
        let e = ApiError::validation(&[
            ("phone".into(), "a".into()),
            ("phone".into(), "b".into()),
            ("data".into(), "c".into()),
        ]);
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.body()["error"]["details"], json!({"phone": ["a", "b"], "data": ["c"]}));
        assert_eq!(e.body()["success"], json!(false));
    }

    #[test]
    fn details_are_left_out_when_absent() {
        let body = ApiError::new("NOT_FOUND").body();
        assert!(body["error"].get("details").is_none());
    }
}
