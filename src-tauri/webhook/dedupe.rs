//! Redeliveries carry no event id: an event is the same event when its name, message id and
//! status match (decision 12), or, for events without ids, when its body is byte-identical.

use serde_json::Value;
use sha2::{Digest, Sha256};

pub fn dedupe_key(event: &str, payload: &Value, body: &[u8]) -> String {
    let id = ["message_id", "wa_message_id"]
        .iter()
        .find_map(|k| payload.get(*k))
        .and_then(|v| match v {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
    match id {
        Some(id) => {
            let status = payload.get("status").and_then(Value::as_str).unwrap_or("");
            format!("{event}|{id}|{status}")
        }
        None => format!("sha256:{}", hex::encode(Sha256::digest(body))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn message_events_are_keyed_by_id_and_status() {
        let a = json!({"event": "message.status_updated", "message_id": "wamid.1", "status": "read", "timestamp": "t1"});
        let b = json!({"event": "message.status_updated", "message_id": "wamid.1", "status": "read", "timestamp": "t2"});
        let c = json!({"event": "message.status_updated", "message_id": "wamid.1", "status": "delivered"});
        let k = |v: &Value| dedupe_key("message.status_updated", v, v.to_string().as_bytes());
        assert_eq!(k(&a), k(&b), "a redelivery with a new timestamp is the same event");
        assert_ne!(k(&a), k(&c));
        let r = json!({"wa_message_id": "wamid.9"});
        assert_eq!(dedupe_key("message.received", &r, b"x"), "message.received|wamid.9|");
    }

    #[test]
    fn events_without_ids_are_keyed_by_their_bytes() {
        let v = json!({"event": "webhook.test"});
        assert_eq!(dedupe_key("webhook.test", &v, b"{\"a\":1}"), dedupe_key("webhook.test", &v, b"{\"a\":1}"));
        assert_ne!(dedupe_key("webhook.test", &v, b"{\"a\":1}"), dedupe_key("webhook.test", &v, b"{\"a\":2}"));
        assert!(dedupe_key("webhook.test", &v, b"x").starts_with("sha256:"));
    }
}
