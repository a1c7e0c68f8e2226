//! Change events: every write the window shows is announced once, after its transaction commits,
//! so the UI never polls the database. The app forwards them as Tauri events; the daemon logs them.

use std::sync::Arc;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Change {
    MessageAdded { conversation_id: i64, message_id: i64 },
    MessageChanged { conversation_id: i64, message_id: i64 },
    ConversationChanged { conversation_id: i64 },
    WindowChanged { conversation_id: i64 },
    CustomerChanged { customer_id: i64 },
    TemplatesChanged,
    SyncStateChanged,
}

/// Where changes go.
pub type Notify = Arc<dyn Fn(Change) + Send + Sync>;

/// A sink that only logs (the daemon, tests that do not watch).
pub fn log_only() -> Notify {
    Arc::new(|c| tracing::debug!(?c, "change"))
}

/// The Tauri event name the window listens to.
pub const EVENT_NAME: &str = "cubedesk://change";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_serialise_with_a_kind_tag_in_camel_case() {
        let v = serde_json::to_value(Change::MessageAdded { conversation_id: 3, message_id: 9 }).unwrap();
        assert_eq!(v, serde_json::json!({"kind": "messageAdded", "conversationId": 3, "messageId": 9}));
        assert_eq!(serde_json::to_value(Change::SyncStateChanged).unwrap(), serde_json::json!({"kind": "syncStateChanged"}));
    }
}
