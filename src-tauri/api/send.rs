//! The body of `POST /api/v1/messages/send` for every type CubeDesk sends (decisions 4 and 5),
//! built in one place.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::domain::message_type::MessageType;
use crate::domain::phone::Phone;

/// What to send. Media goes by HTTPS link: the API has no upload endpoint.
#[derive(Debug, Clone, PartialEq)]
pub enum Outgoing {
    Text { text: String },
    Template { name: String, language: String, params: Vec<String>, header: Option<HeaderMedia> },
    Media { kind: MessageType, link: String, caption: Option<String>, filename: Option<String> },
    /// A WhatsApp Cloud API interactive object: `{type: "button"|"list", body: {text}, action}`.
    Interactive { payload: Value },
    /// `message_id` is the wamid of the message reacted to.
    Reaction { message_id: String, emoji: String },
}

impl Outgoing {
    pub fn kind(&self) -> MessageType {
        match self {
            Outgoing::Text { .. } => MessageType::Text,
            Outgoing::Template { .. } => MessageType::Template,
            Outgoing::Media { kind, .. } => *kind,
            Outgoing::Interactive { .. } => MessageType::Interactive,
            Outgoing::Reaction { .. } => MessageType::Reaction,
        }
    }
}

/// The media of a template whose header is an image, video or document.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderMedia {
    /// `image`, `video` or `document`, as the template's `header_type` says.
    pub kind: String,
    pub link: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SendRequest {
    /// The number's string "API ID" (`whatsapp_account_id`).
    pub number_api_id: String,
    pub phone: Phone,
    pub message: Outgoing,
    /// A future send, with the IANA zone the service needs with it.
    pub schedule: Option<(DateTime<Utc>, String)>,
    /// The message's local id; sent as `Idempotency-Key` on every attempt (decision 6).
    pub idempotency_key: Uuid,
}

/// The JSON body for `req`.
pub fn send_body(req: &SendRequest) -> Value {
    let data = match &req.message {
        Outgoing::Text { text } => json!({ "text": text }),
        Outgoing::Template { name, language, params, header } => {
            let mut data = Map::new();
            data.insert("name".into(), json!(name));
            data.insert("language_code".into(), json!(language));
            let mut components = Vec::new();
            if let Some(h) = header {
                components.push(json!({
                    "type": "header",
                    "parameters": [{ "type": h.kind, (h.kind.as_str()): { "link": h.link } }]
                }));
            }
            if !params.is_empty() {
                let parameters: Vec<Value> = params.iter().map(|p| json!({ "type": "text", "text": p })).collect();
                components.push(json!({ "type": "body", "parameters": parameters }));
            }
            // Left out entirely when the template takes nothing (decision 4).
            if !components.is_empty() {
                data.insert("components".into(), Value::Array(components));
            }
            Value::Object(data)
        }
        Outgoing::Media { link, caption, filename, kind } => {
            let mut data = Map::new();
            data.insert("link".into(), json!(link));
            if let Some(c) = caption.as_ref().filter(|c| !c.is_empty() && *kind != MessageType::Audio) {
                data.insert("caption".into(), json!(c));
            }
            if let Some(f) = filename.as_ref().filter(|f| !f.is_empty() && *kind == MessageType::Document) {
                data.insert("filename".into(), json!(f));
            }
            Value::Object(data)
        }
        Outgoing::Interactive { payload } => payload.clone(),
        Outgoing::Reaction { message_id, emoji } => json!({ "message_id": message_id, "emoji": emoji }),
    };
    let mut body = json!({
        "whatsapp_account_id": req.number_api_id,
        "phone": req.phone.e164(),
        "message_type": req.message.kind().as_str(),
        "data": data,
    });
    if let Some((at, zone)) = &req.schedule {
        body["scheduled_at"] = json!(at.to_rfc3339_opts(SecondsFormat::Secs, true));
        body["timezone"] = json!(zone);
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(message: Outgoing) -> SendRequest {
        SendRequest {
            number_api_id: "01JXNUM".into(),
            phone: Phone::parse("966501234567").unwrap(),
            message,
            schedule: None,
            idempotency_key: Uuid::nil(),
        }
    }

    #[test]
    fn text() {
        assert_eq!(
            send_body(&req(Outgoing::Text { text: "مرحبا".into() })),
            json!({"whatsapp_account_id": "01JXNUM", "phone": "+966501234567", "message_type": "text", "data": {"text": "مرحبا"}})
        );
    }

    #[test]
    fn template_with_parameters() {
        let body = send_body(&req(Outgoing::Template {
            name: "order_ready".into(),
            language: "ar".into(),
            params: vec!["أحمد".into(), "1042".into()],
            header: None,
        }));
        assert_eq!(
            body["data"],
            json!({"name": "order_ready", "language_code": "ar", "components": [
                {"type": "body", "parameters": [{"type": "text", "text": "أحمد"}, {"type": "text", "text": "1042"}]}
            ]})
        );
        assert_eq!(body["message_type"], "template");
    }

    #[test]
    fn template_without_parameters_has_no_components() {
        let body = send_body(&req(Outgoing::Template { name: "hello".into(), language: "en_US".into(), params: vec![], header: None }));
        assert_eq!(body["data"], json!({"name": "hello", "language_code": "en_US"}));
    }

    #[test]
    fn template_with_a_media_header() {
        let body = send_body(&req(Outgoing::Template {
            name: "promo".into(),
            language: "en_US".into(),
            params: vec!["20%".into()],
            header: Some(HeaderMedia { kind: "image".into(), link: "https://shop.example/p.jpg".into() }),
        }));
        assert_eq!(
            body["data"]["components"][0],
            json!({"type": "header", "parameters": [{"type": "image", "image": {"link": "https://shop.example/p.jpg"}}]})
        );
        assert_eq!(body["data"]["components"][1]["type"], "body");
    }

    #[test]
    fn media_interactive_and_reaction_in_cloud_api_shape() {
        let doc = send_body(&req(Outgoing::Media {
            kind: MessageType::Document,
            link: "https://x/invoice.pdf".into(),
            caption: Some("Your invoice".into()),
            filename: Some("invoice.pdf".into()),
        }));
        assert_eq!(doc["message_type"], "document");
        assert_eq!(doc["data"], json!({"link": "https://x/invoice.pdf", "caption": "Your invoice", "filename": "invoice.pdf"}));
        let audio = send_body(&req(Outgoing::Media { kind: MessageType::Audio, link: "https://x/a.ogg".into(), caption: Some("c".into()), filename: Some("f".into()) }));
        assert_eq!(audio["data"], json!({"link": "https://x/a.ogg"}), "audio takes neither caption nor filename");
        let payload = json!({"type": "button", "body": {"text": "Pick up today?"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "y", "title": "Yes"}}]}});
        assert_eq!(send_body(&req(Outgoing::Interactive { payload: payload.clone() }))["data"], payload);
        assert_eq!(
            send_body(&req(Outgoing::Reaction { message_id: "wamid.X".into(), emoji: "👍".into() }))["data"],
            json!({"message_id": "wamid.X", "emoji": "👍"})
        );
    }

    #[test]
    fn scheduled_sends_carry_time_and_zone_together() {
        let mut r = req(Outgoing::Text { text: "later".into() });
        r.schedule = Some(("2026-03-01T09:00:00Z".parse().unwrap(), "Asia/Riyadh".into()));
        let body = send_body(&r);
        assert_eq!(body["scheduled_at"], "2026-03-01T09:00:00Z");
        assert_eq!(body["timezone"], "Asia/Riyadh");
    }
}
