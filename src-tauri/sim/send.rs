//! Validation of `POST /api/v1/messages/send`, in the order the service reports problems:
//! missing or mistyped fields (all at once, Laravel style), the number, the phone, the type's
//! `data`, scheduling, then the recipient's opt-out. Nothing here trusts the request: every
//! field is checked for presence and type, and failures become the contract's error codes.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde_json::{json, Map, Value};

use super::errors::ApiError;
use super::seed::SeedTemplate;
use super::state::{Scope, State, ValidSend};
use crate::domain::category::Category;
use crate::domain::message_type::MessageType;
use crate::domain::phone::{Phone, PhoneError};
use crate::domain::template::{check_params, is_approved, ParamError};
use crate::domain::text::{check_text, TextError, MAX_TEXT_CHARS};

/// Fields, in the shape `ApiError::validation` takes.
type Problems = Vec<(String, String)>;

pub(crate) fn validate(
    state: &State,
    number_api_id: &str,
    body: &Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<ValidSend, ApiError> {
    let mut problems = Problems::new();
    let account = required_string(body, "whatsapp_account_id", "whatsapp account id", &mut problems, true);
    let phone = required_string(body, "phone", "phone", &mut problems, false);
    let kind = required_string(body, "message_type", "message type", &mut problems, false).and_then(|t| {
        match t.parse::<MessageType>() {
            Ok(k) if !matches!(k, MessageType::Location | MessageType::Sticker) => Some(k),
            _ => {
                problem(&mut problems, "message_type", "The selected message type is invalid.");
                None
            }
        }
    });
    let data = match body.get("data") {
        None | Some(Value::Null) => {
            problem(&mut problems, "data", "The data field is required.");
            None
        }
        Some(Value::Object(d)) => Some(d),
        Some(_) => {
            problem(&mut problems, "data", "The data must be an object.");
            None
        }
    };
    let (Some(account), Some(phone), Some(kind), Some(data), true) = (account, phone, kind, data, problems.is_empty())
    else {
        return Err(ApiError::validation(&problems));
    };

    if account != number_api_id {
        return Err(ApiError::new("NO_ACTIVE_ACCOUNT")
            .message(format!("No active WhatsApp account with API ID {account} was found for this tenant.")));
    }
    let phone = Phone::parse(&phone).map_err(|e| invalid_phone(&phone, e))?;
    let category = match kind {
        MessageType::Text => text(data).map(|_| Category::Service),
        MessageType::Image | MessageType::Video | MessageType::Audio | MessageType::Document => {
            media(data).map(|_| Category::Service)
        }
        MessageType::Interactive => interactive(data).map(|_| Category::Service),
        MessageType::Reaction => reaction(data).map(|_| Category::Service),
        MessageType::Template => template(state, data),
        MessageType::Location | MessageType::Sticker => Err(ApiError::field("message_type", "The selected message type is invalid.")),
    }?;
    let scheduled_at = schedule(body, now)?;
    if let Some(o) = state.opt_outs.get(phone.digits()) {
        if o.scope == Scope::All || category == Category::Marketing {
            return Err(ApiError::new("RECIPIENT_OPTED_OUT").message(format!(
                "The recipient {} has opted out of {} messages.",
                phone.e164(),
                o.scope.as_str()
            )));
        }
    }
    Ok(ValidSend { phone, kind, category, scheduled_at })
}

fn problem(problems: &mut Problems, field: &str, message: &str) {
    problems.push((field.to_string(), message.to_string()));
}

/// A present, non-blank string (or, where `numbers_ok`, a number, read as its digits).
fn required_string(
    body: &Map<String, Value>,
    field: &str,
    label: &str,
    problems: &mut Problems,
    numbers_ok: bool,
) -> Option<String> {
    match body.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) if numbers_ok => Some(n.to_string()),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            problems.push((field.to_string(), format!("The {label} field is required.")));
            None
        }
        Some(_) => {
            problems.push((field.to_string(), format!("The {label} must be a string.")));
            None
        }
    }
}

fn invalid_phone(input: &str, e: PhoneError) -> ApiError {
    let why = match e {
        PhoneError::Empty => "it has no digits".to_string(),
        PhoneError::InvalidCharacter(c) => format!("it contains {c:?}"),
        PhoneError::TooShort { digits } => format!("{digits} digits is too short"),
        PhoneError::TooLong { digits } => format!("{digits} digits is too long"),
    };
    ApiError::new("INVALID_PHONE_NUMBER")
        .message(format!("The phone number {input:?} is not a valid international number: {why}."))
        .details(json!({"phone": [format!("The phone must be a valid international number ({why}).")]}))
}

fn data_string<'a>(data: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, ApiError> {
    match data.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::field(&format!("data.{key}"), format!("The data.{key} must be a string."))),
    }
}

fn required_data_string<'a>(data: &'a Map<String, Value>, key: &str) -> Result<&'a str, ApiError> {
    data_string(data, key)?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ApiError::field(&format!("data.{key}"), format!("The data.{key} field is required.")))
}

fn text(data: &Map<String, Value>) -> Result<(), ApiError> {
    let text = data_string(data, "text")?.unwrap_or_default();
    match check_text(text) {
        Ok(()) => Ok(()),
        Err(TextError::Empty) => Err(ApiError::field("data.text", "The data.text field is required.")),
        Err(TextError::TooLong { .. }) => Err(ApiError::field(
            "data.text",
            format!("The data.text may not be greater than {MAX_TEXT_CHARS} characters."),
        )),
    }
}

fn media(data: &Map<String, Value>) -> Result<(), ApiError> {
    let link = required_data_string(data, "link")?;
    if !(link.starts_with("https://") || link.starts_with("http://")) || link.contains(char::is_whitespace) {
        return Err(ApiError::field("data.link", "The data.link must be a valid URL."));
    }
    if data_string(data, "caption")?.is_some_and(|c| c.chars().count() > 1024) {
        return Err(ApiError::field("data.caption", "The data.caption may not be greater than 1024 characters."));
    }
    data_string(data, "filename")?;
    Ok(())
}

fn interactive(data: &Map<String, Value>) -> Result<(), ApiError> {
    let kind = required_data_string(data, "type")?;
    let body_text = data.get("body").and_then(|b| b.get("text")).and_then(Value::as_str).unwrap_or_default();
    if body_text.trim().is_empty() {
        return Err(ApiError::field("data.body.text", "The data.body.text field is required."));
    }
    let Some(action) = data.get("action").and_then(Value::as_object) else {
        return Err(ApiError::field("data.action", "The data.action field is required."));
    };
    match kind {
        "button" => {
            let n = action.get("buttons").and_then(Value::as_array).map(Vec::len).unwrap_or(0);
            if !(1..=3).contains(&n) {
                return Err(ApiError::field("data.action.buttons", "The data.action.buttons must have between 1 and 3 items."));
            }
        }
        "list" => {
            let n = action.get("sections").and_then(Value::as_array).map(Vec::len).unwrap_or(0);
            if n == 0 {
                return Err(ApiError::field("data.action.sections", "The data.action.sections field is required."));
            }
        }
        _ => return Err(ApiError::field("data.type", "The selected data.type is invalid.")),
    }
    Ok(())
}

fn reaction(data: &Map<String, Value>) -> Result<(), ApiError> {
    required_data_string(data, "message_id")?;
    // An empty emoji removes a reaction in WhatsApp, so only its presence is required.
    if data_string(data, "emoji")?.is_none() {
        return Err(ApiError::field("data.emoji", "The data.emoji field is required."));
    }
    Ok(())
}

fn template(state: &State, data: &Map<String, Value>) -> Result<Category, ApiError> {
    let name = required_data_string(data, "name")?.trim();
    let language = data_string(data, "language_code")?.map(str::trim).filter(|l| !l.is_empty()).unwrap_or("en_US");
    let components = match data.get("components") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(c)) => c.as_slice(),
        Some(_) => return Err(ApiError::field("data.components", "The data.components must be an array.")),
    };
    let same_name: Vec<&SeedTemplate> = state.templates.iter().filter(|t| t.name == name).collect();
    if same_name.is_empty() {
        return Err(ApiError::new("TEMPLATE_NOT_FOUND")
            .message(format!("Template {name:?} was not found for this WhatsApp account.")));
    }
    let Some(t) = same_name.iter().find(|t| t.language.eq_ignore_ascii_case(language)) else {
        let available: Vec<&str> = same_name.iter().map(|t| t.language.as_str()).collect();
        return Err(ApiError::new("TEMPLATE_LANGUAGE_MISMATCH")
            .message(format!("Template {name:?} does not exist in {language}; it exists in {}.", available.join(", ")))
            .details(json!({"available_languages": available, "requested": language})));
    };
    if !is_approved(&t.status) {
        return Err(ApiError::field(
            "data.name",
            format!("The template {name} ({}) is not approved: its status is {}.", t.language, t.status),
        ));
    }
    let params = body_params(components)?;
    match check_params(t.params_count as usize, &params) {
        Ok(()) => {}
        Err(ParamError::CountMismatch { expected, got }) => {
            return Err(ApiError::new("TEMPLATE_PARAMS_MISMATCH")
                .message(format!("Template {name} needs {expected} parameters; {got} were given."))
                .details(json!({"expected": expected, "received": got})))
        }
        Err(e) => {
            let (index, why) = match e {
                ParamError::Empty { index } => (index, "must not be empty"),
                ParamError::LineBreakOrTab { index } => (index, "must not contain line breaks or tabs"),
                ParamError::TooManySpaces { index } => (index, "must not contain more than four spaces in a row"),
                ParamError::CountMismatch { .. } => (0, "is invalid"),
            };
            return Err(ApiError::field("data.components", format!("Template parameter {index} {why}.")));
        }
    }
    if t.header_type.is_media() && !has_header_media(components) {
        return Err(ApiError::new("TEMPLATE_HEADER_MEDIA_REQUIRED").message(format!(
            "Template {name} has a {} header: send a header component with a media link.",
            t.header_type.as_str()
        )));
    }
    Ok(t.category)
}

fn component_type(c: &Value) -> Option<String> {
    c.get("type").and_then(Value::as_str).map(|t| t.to_ascii_lowercase())
}

/// The body parameters, in order.
fn body_params(components: &[Value]) -> Result<Vec<String>, ApiError> {
    let mut params = Vec::new();
    for (ci, c) in components.iter().enumerate() {
        if !c.is_object() {
            return Err(ApiError::field(&format!("data.components.{ci}"), "Each component must be an object."));
        }
        if component_type(c).as_deref() != Some("body") {
            continue;
        }
        let list = match c.get("parameters") {
            None | Some(Value::Null) => continue,
            Some(Value::Array(list)) => list,
            Some(_) => {
                return Err(ApiError::field(
                    &format!("data.components.{ci}.parameters"),
                    "The parameters must be an array.",
                ))
            }
        };
        for (pi, p) in list.iter().enumerate() {
            let value = match p.get("text") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => p
                    .get("currency")
                    .or_else(|| p.get("date_time"))
                    .and_then(|v| v.get("fallback_value"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            };
            match value {
                Some(v) => params.push(v),
                None => {
                    return Err(ApiError::field(
                        &format!("data.components.{ci}.parameters.{pi}.text"),
                        format!("The data.components.{ci}.parameters.{pi}.text field is required."),
                    ))
                }
            }
        }
    }
    Ok(params)
}

/// A `header` component whose parameter carries a media `link` (or an uploaded media `id`).
fn has_header_media(components: &[Value]) -> bool {
    let usable = |v: Option<&Value>| v.and_then(Value::as_str).is_some_and(|s| !s.trim().is_empty());
    components.iter().filter(|c| component_type(c).as_deref() == Some("header")).any(|c| {
        c.get("parameters").and_then(Value::as_array).is_some_and(|params| {
            params.iter().any(|p| {
                usable(p.get("link"))
                    || ["image", "video", "document"]
                        .iter()
                        .filter_map(|k| p.get(*k))
                        .any(|m| usable(m.get("link")) || usable(m.get("id")))
            })
        })
    })
}

/// Zones without daylight saving, so a fixed offset is exact all year.
const FIXED_ZONES: &[(&str, i32)] = &[
    ("UTC", 0),
    ("Etc/UTC", 0),
    ("GMT", 0),
    ("Africa/Nairobi", 180),
    ("Asia/Aden", 180),
    ("Asia/Baghdad", 180),
    ("Asia/Bahrain", 180),
    ("Asia/Kuwait", 180),
    ("Asia/Qatar", 180),
    ("Asia/Riyadh", 180),
    ("Asia/Dubai", 240),
    ("Asia/Muscat", 240),
    ("Asia/Karachi", 300),
    ("Asia/Kolkata", 330),
];

fn schedule(body: &Map<String, Value>, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, ApiError> {
    let Some(value) = body.get("scheduled_at").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let Some(text) = value.as_str().map(str::trim) else {
        return Err(ApiError::field("scheduled_at", "The scheduled at is not a valid date."));
    };
    let zone = match body.get("timezone") {
        None | Some(Value::Null) => None,
        Some(Value::String(z)) if looks_like_zone(z.trim()) => Some(z.trim()),
        Some(_) => return Err(ApiError::field("timezone", "The timezone must be a valid zone.")),
    };
    let at = if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        t.with_timezone(&Utc)
    } else {
        let naive = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
            .ok_or_else(|| ApiError::field("scheduled_at", "The scheduled at is not a valid date."))?;
        // D-send: the timezone defaults to UTC.
        let minutes = match zone {
            None => 0,
            Some(z) => FIXED_ZONES.iter().find(|(name, _)| name.eq_ignore_ascii_case(z)).map(|(_, m)| *m).ok_or_else(|| {
                ApiError::field(
                    "timezone",
                    format!("The simulator knows no fixed offset for {z}: give scheduled_at with its UTC offset."),
                )
            })?,
        };
        let local = FixedOffset::east_opt(minutes * 60).and_then(|o| o.from_local_datetime(&naive).single());
        match local {
            Some(t) => t.with_timezone(&Utc),
            None => return Err(ApiError::field("scheduled_at", "The scheduled at is not a valid date.")),
        }
    };
    if at <= now {
        return Err(ApiError::field("scheduled_at", "The scheduled at must be a date after now."));
    }
    Ok(Some(at))
}

/// `Area/City`-shaped IANA names, or `UTC`/`GMT`.
fn looks_like_zone(z: &str) -> bool {
    !z.is_empty()
        && z.len() <= 64
        && z.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'))
        && (z.contains('/') || matches!(z.to_ascii_uppercase().as_str(), "UTC" | "GMT"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
    }

    fn check(body: Value) -> Result<ValidSend, ApiError> {
        let state = State::new(&SimConfig::default(), now());
        validate(&state, "sim-number-1", body.as_object().unwrap(), now())
    }

    fn code(body: Value) -> String {
        match check(body) {
            Ok(_) => "OK".into(),
            Err(e) => e.code,
        }
    }

    fn tpl(name: &str, lang: &str, params: &[&str]) -> Value {
        let parameters: Vec<Value> = params.iter().map(|p| json!({"type": "text", "text": p})).collect();
        json!({"whatsapp_account_id": "sim-number-1", "phone": "+966501234567", "message_type": "template",
               "data": {"name": name, "language_code": lang, "components": [{"type": "body", "parameters": parameters}]}})
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let e = check(json!({})).unwrap_err();
        assert_eq!(e.code, "VALIDATION_ERROR");
        let details = e.details.unwrap();
        for f in ["whatsapp_account_id", "phone", "message_type", "data"] {
            assert!(details.get(f).is_some(), "{f}");
        }
    }

    #[test]
    fn templates_are_checked() {
        assert_eq!(code(tpl("order_confirmation", "en_US", &["#1", "9 SAR"])), "OK");
        assert_eq!(code(tpl("nope", "en_US", &[])), "TEMPLATE_NOT_FOUND");
        assert_eq!(code(tpl("summer_offer", "ar", &["x"])), "TEMPLATE_LANGUAGE_MISMATCH");
        assert_eq!(code(tpl("order_confirmation", "ar", &["#1"])), "TEMPLATE_PARAMS_MISMATCH");
        assert_eq!(code(tpl("summer_offer", "en_US", &["x"])), "TEMPLATE_HEADER_MEDIA_REQUIRED");
        assert_eq!(code(tpl("ramadan_greetings", "ar", &[])), "VALIDATION_ERROR");
        let mut with_header = tpl("summer_offer", "en_US", &["x"]);
        with_header["data"]["components"]
            .as_array_mut()
            .unwrap()
            .push(json!({"type": "header", "parameters": [{"type": "image", "image": {"link": "https://x/y.jpg"}}]}));
        assert_eq!(code(with_header), "OK");
    }

    #[test]
    fn schedules_need_a_future_date() {
        let mut body = tpl("welcome_back", "en_US", &[]);
        body["scheduled_at"] = json!("2026-03-02T09:00:00");
        body["timezone"] = json!("Asia/Riyadh");
        let v = check(body.clone()).unwrap();
        assert_eq!(v.scheduled_at, Some(Utc.with_ymd_and_hms(2026, 3, 2, 6, 0, 0).unwrap()));
        body["scheduled_at"] = json!("2026-02-01T09:00:00Z");
        assert_eq!(code(body.clone()), "VALIDATION_ERROR");
        body["scheduled_at"] = json!("tomorrow");
        assert_eq!(code(body.clone()), "VALIDATION_ERROR");
        body["scheduled_at"] = json!("2026-03-02T09:00:00");
        body["timezone"] = json!("Europe/London");
        assert_eq!(code(body.clone()), "VALIDATION_ERROR", "DST zones need an explicit offset");
        body["scheduled_at"] = json!("2026-03-02T09:00:00+00:00");
        assert_eq!(code(body), "OK");
    }

    #[test]
    fn types_and_data() {
        let base = |t: &str, data: Value| {
            json!({"whatsapp_account_id": "sim-number-1", "phone": "+966501234567", "message_type": t, "data": data})
        };
        assert_eq!(code(base("text", json!({"text": "hi"}))), "OK");
        assert_eq!(code(base("text", json!({"body": "hi"}))), "VALIDATION_ERROR");
        assert_eq!(code(base("location", json!({}))), "VALIDATION_ERROR");
        assert_eq!(code(base("image", json!({"link": "ftp://x"}))), "VALIDATION_ERROR");
        assert_eq!(code(base("image", json!({"link": "https://x/y.jpg"}))), "OK");
        assert_eq!(code(base("reaction", json!({"message_id": "wamid.X", "emoji": "👍"}))), "OK");
        let buttons = json!({"type": "button", "body": {"text": "?"}, "action": {"buttons": [{"type": "reply"}]}});
        assert_eq!(code(base("interactive", buttons)), "OK");
        let mut wrong = base("text", json!({"text": "hi"}));
        wrong["whatsapp_account_id"] = json!("other");
        assert_eq!(code(wrong), "NO_ACTIVE_ACCOUNT");
        let mut bad_phone = base("text", json!({"text": "hi"}));
        bad_phone["phone"] = json!("+12");
        assert_eq!(code(bad_phone), "INVALID_PHONE_NUMBER");
    }
}
