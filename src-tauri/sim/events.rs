//! Webhook payloads (contract Part 2 §5): flat objects with `event`, `tenant_id`, `timestamp` (the
//! simulator's clock) and the event's own fields at the top level, no `data` wrapper.

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::clock::iso_offset;
use crate::domain::message_type::MessageType;
use crate::domain::status::Status;

/// The tenant every payload names.
pub(crate) const TENANT_ID: i64 = 1;
/// Webhooks name the number by an integer, unlike requests (contract decision 2).
pub(crate) const WEBHOOK_ACCOUNT_ID: i64 = 5;

fn base(event: &str, at: DateTime<Utc>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("event".into(), json!(event));
    m.insert("tenant_id".into(), json!(TENANT_ID));
    m.insert("timestamp".into(), json!(iso_offset(at)));
    m
}

/// `message.status_updated`; `errors` is `null` unless the status is `failed`.
pub(crate) fn status_updated(
    at: DateTime<Utc>,
    wamid: &str,
    status: Status,
    recipient: &str,
    error: Option<(i64, &str)>,
) -> Value {
    let mut m = base("message.status_updated", at);
    m.insert("whatsapp_account_id".into(), json!(WEBHOOK_ACCOUNT_ID));
    m.insert("message_id".into(), json!(wamid));
    m.insert("status".into(), json!(status.as_str()));
    m.insert("recipient".into(), json!(recipient));
    m.insert(
        "errors".into(),
        match error {
            Some((code, title)) => json!([{"code": code, "title": title}]),
            None => Value::Null,
        },
    );
    Value::Object(m)
}

/// `message.received`.
pub(crate) fn received(
    at: DateTime<Utc>,
    wa_message_id: &str,
    from: &str,
    sender_name: Option<&str>,
    kind: MessageType,
    content: &str,
) -> Value {
    let mut m = base("message.received", at);
    m.insert("whatsapp_account_id".into(), json!(WEBHOOK_ACCOUNT_ID));
    m.insert("wa_message_id".into(), json!(wa_message_id));
    m.insert("from".into(), json!(from));
    m.insert("sender_name".into(), json!(sender_name));
    m.insert("type".into(), json!(kind.as_str()));
    m.insert("content".into(), json!(content));
    Value::Object(m)
}

/// `flow.session_started|completed|cancelled`: `customer_phone` and `flow_id` as documented, plus
/// every session field the simulator holds (`session` is an object of them).
pub(crate) fn flow(at: DateTime<Utc>, event: &str, customer_phone: &str, flow_id: i64, session: &Value) -> Value {
    let mut m = base(&format!("flow.session_{event}"), at);
    m.insert("customer_phone".into(), json!(customer_phone));
    m.insert("flow_id".into(), json!(flow_id));
    if let Value::Object(fields) = session {
        for (k, v) in fields {
            m.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    Value::Object(m)
}

/// What an inbound message looks like in `content`: the text, the caption or a `[type]`
/// placeholder, the file name, `location:lat,lng`, the button or list title, the emoji.
pub(crate) struct InboundContent<'a> {
    pub text: Option<&'a str>,
    pub caption: Option<&'a str>,
    pub filename: Option<&'a str>,
    pub lat_lng: Option<(f64, f64)>,
    pub title: Option<&'a str>,
    pub emoji: Option<&'a str>,
}

pub(crate) fn summary(kind: MessageType, c: &InboundContent<'_>) -> String {
    let placeholder = || format!("[{}]", kind.as_str());
    let or_placeholder = |v: Option<&str>| v.filter(|s| !s.is_empty()).map(str::to_string).unwrap_or_else(placeholder);
    match kind {
        MessageType::Text => c.text.unwrap_or_default().to_string(),
        MessageType::Image | MessageType::Video | MessageType::Sticker => or_placeholder(c.caption),
        MessageType::Audio => placeholder(),
        MessageType::Document => or_placeholder(c.filename.or(c.caption)),
        MessageType::Location => match c.lat_lng {
            Some((lat, lng)) => format!("location:{lat},{lng}"),
            None => placeholder(),
        },
        MessageType::Interactive => or_placeholder(c.title.or(c.text)),
        MessageType::Reaction => c.emoji.unwrap_or_default().to_string(),
        MessageType::Template => or_placeholder(c.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn none() -> InboundContent<'static> {
        InboundContent { text: None, caption: None, filename: None, lat_lng: None, title: None, emoji: None }
    }

    #[test]
    fn payloads_are_flat() {
        let at = Utc.with_ymd_and_hms(2026, 2, 26, 14, 0, 0).unwrap();
        let v = status_updated(at, "wamid.X", Status::Failed, "966501234567", Some((131047, "Re-engagement message")));
        assert_eq!(v["event"], "message.status_updated");
        assert_eq!(v["tenant_id"], 1);
        assert_eq!(v["timestamp"], "2026-02-26T14:00:00+00:00");
        assert_eq!(v["errors"][0]["code"], 131047);
        assert!(v.get("data").is_none());
        let v = flow(at, "started", "966501234567", 3, &json!({"session_id": 9, "flow_id": 99}));
        assert_eq!(v["event"], "flow.session_started");
        assert_eq!(v["flow_id"], 3, "documented fields are not overwritten by session fields");
        assert_eq!(v["session_id"], 9);
    }

    #[test]
    fn summaries_follow_the_table() {
        let c = InboundContent { caption: Some("my prescription"), ..none() };
        assert_eq!(summary(MessageType::Image, &c), "my prescription");
        assert_eq!(summary(MessageType::Video, &none()), "[video]");
        assert_eq!(summary(MessageType::Audio, &c), "[audio]");
        assert_eq!(summary(MessageType::Document, &InboundContent { filename: Some("rx.pdf"), ..none() }), "rx.pdf");
        assert_eq!(summary(MessageType::Document, &none()), "[document]");
        assert_eq!(summary(MessageType::Location, &InboundContent { lat_lng: Some((24.7, 46.68)), ..none() }), "location:24.7,46.68");
        assert_eq!(summary(MessageType::Interactive, &InboundContent { title: Some("Delivery"), ..none() }), "Delivery");
        assert_eq!(summary(MessageType::Reaction, &InboundContent { emoji: Some("👍"), ..none() }), "👍");
    }
}
