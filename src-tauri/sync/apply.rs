//! The event applier: turns stored webhook events into customers, messages, statuses, flow
//! sessions and template changes, each event in one transaction with its `applied` mark, so an
//! event is applied once however often it is delivered. An event that cannot be applied (yet)
//! is kept and marked with the reason, never dropped; learning a message's WhatsApp id puts such
//! events back in the queue.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::sync::{mpsc, watch, Notify as Wake};
use uuid::Uuid;

use super::events::{Change, Notify};
use crate::api::flex::parse_datetime;
use crate::domain::message_type::{Direction, MessageType};
use crate::domain::phone::Phone;
use crate::domain::status::{Status, Transition};
use crate::store::accounts::number_for_webhook;
use crate::store::conversations::ensure_conversation;
use crate::store::customers::upsert_customer;
use crate::store::flows::{apply_flow_event, FlowSessionRow};
use crate::store::messages::{apply_status_in, expedite_status_checks_for, find_by_wamid, insert_message_in, schedule_status_check, Content, NewMessage, StatusUpdate};
use crate::store::templates::set_status_by_name;
use crate::store::webhook_events::{mark_applied, mark_unapplicable, unapplied, StoredEvent};
use crate::store::{Store, StoreError};

pub async fn run(
    store: Arc<Store>,
    account_id: i64,
    notify: Notify,
    mut new_events: mpsc::UnboundedReceiver<i64>,
    wake: Arc<Wake>,
    poller: Arc<Wake>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if let Err(e) = apply_pending(&store, account_id, &notify, &poller).await {
            tracing::error!("applying webhook events failed: {e}");
        }
        tokio::select! {
            _ = new_events.recv() => {}
            _ = wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// Applies every stored event not applied yet. Returns how many were handled.
pub async fn apply_pending(store: &Store, account_id: i64, notify: &Notify, poller: &Wake) -> Result<usize, StoreError> {
    let mut handled = 0;
    loop {
        let batch = unapplied(store.pool(), 200).await?;
        if batch.is_empty() {
            return Ok(handled);
        }
        for ev in batch {
            let mut tx = crate::store::write_tx(store.pool()).await?;
            let outcome = apply_one(&mut tx, account_id, &ev).await;
            let now = Utc::now();
            match outcome {
                Ok(changes) => {
                    mark_applied(&mut *tx, ev.id, now).await?;
                    tx.commit().await?;
                    for c in changes {
                        notify(c);
                    }
                }
                Err(Skip::Unapplicable(why)) => {
                    drop(tx);
                    tracing::info!(event = ev.id, "kept, not applied: {why}");
                    mark_unapplicable(store.pool(), ev.id, &why, now).await?;
                }
                Err(Skip::UnknownMessage { recipient }) => {
                    drop(tx);
                    mark_unapplicable(store.pool(), ev.id, "no message with this WhatsApp id yet", now).await?;
                    // Our copy learns its WhatsApp id from a status lookup: do that lookup now.
                    if let Some(p) = recipient.as_deref().and_then(|r| Phone::parse(r).ok()) {
                        if expedite_status_checks_for(store.pool(), p.digits(), now).await? > 0 {
                            poller.notify_one();
                        }
                    }
                }
                Err(Skip::Store(e)) => return Err(e),
            }
            handled += 1;
        }
    }
}

enum Skip {
    Unapplicable(String),
    /// A status for a message whose WhatsApp id we have not learned yet.
    UnknownMessage { recipient: Option<String> },
    Store(StoreError),
}

impl From<StoreError> for Skip {
    fn from(e: StoreError) -> Self {
        Skip::Store(e)
    }
}

fn unapplicable(why: impl Into<String>) -> Skip {
    Skip::Unapplicable(why.into())
}

fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn int(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn time(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    v.get(key).and_then(Value::as_str).and_then(parse_datetime)
}

async fn apply_one(tx: &mut sqlx::SqliteConnection, account_id: i64, ev: &StoredEvent) -> Result<Vec<Change>, Skip> {
    let v: Value = serde_json::from_str(&ev.body).map_err(|e| unapplicable(format!("not JSON: {e}")))?;
    match ev.event.as_str() {
        "message.received" => received(tx, account_id, &v).await,
        "message.status_updated" => status_updated(tx, &v).await,
        "flow.session_started" | "flow.session_completed" | "flow.session_cancelled" => flow(tx, account_id, &ev.event, &v).await,
        "template.status_changed" => {
            let name = text(&v, "template_name").ok_or_else(|| unapplicable("no template_name"))?;
            let status = text(&v, "status").ok_or_else(|| unapplicable("no status"))?;
            set_status_by_name(&mut *tx, account_id, &name, &status).await?;
            Ok(vec![Change::TemplatesChanged])
        }
        // Kept as they arrived (the raw event is the record) and shown from there.
        e if e.starts_with("campaign.") || e.starts_with("account.") || e.starts_with("template.") || e == "webhook.test" => {
            Ok(vec![Change::SyncStateChanged])
        }
        other => Err(unapplicable(format!("unknown event {other}"))),
    }
}

async fn received(tx: &mut sqlx::SqliteConnection, account_id: i64, v: &Value) -> Result<Vec<Change>, Skip> {
    let wa_account = int(v, "whatsapp_account_id").ok_or_else(|| unapplicable("no whatsapp_account_id"))?;
    let number_id = number_for_webhook(&mut *tx, account_id, wa_account)
        .await?
        .ok_or_else(|| unapplicable(format!("no number of this account is linked to WhatsApp account {wa_account}")))?;
    let wamid = text(v, "wa_message_id").ok_or_else(|| unapplicable("no wa_message_id"))?;
    if find_by_wamid(&mut *tx, &wamid).await?.is_some() {
        return Ok(vec![]);
    }
    let from = text(v, "from").ok_or_else(|| unapplicable("no sender"))?;
    let phone = Phone::parse(&from).map_err(|e| unapplicable(format!("sender {from} is not a phone: {e:?}")))?;
    let kind: MessageType = text(v, "type").unwrap_or_default().parse().map_err(|_| unapplicable("unknown message type"))?;
    let summary = text(v, "content").unwrap_or_default();
    let content = inbound_content(kind, &summary).ok_or_else(|| unapplicable(format!("cannot read a {kind} message")))?;
    let at = time(v, "timestamp").unwrap_or_else(Utc::now);
    let name = text(v, "sender_name");
    let customer = upsert_customer(&mut *tx, account_id, &phone, name.as_deref(), at).await?;
    let conversation_id = ensure_conversation(&mut *tx, number_id, customer, at).await?;
    let message_id = insert_message_in(
        tx,
        &NewMessage {
            local_id: Uuid::new_v4(),
            conversation_id,
            direction: Direction::Inbound,
            created_at: at,
            content,
            status: None,
            wamid: Some(wamid),
        },
    )
    .await?;
    Ok(vec![
        Change::MessageAdded { conversation_id, message_id },
        Change::ConversationChanged { conversation_id },
        Change::WindowChanged { conversation_id },
    ])
}

/// Inbound content from the webhook's one-line summary (decision 13: media has no URL).
pub fn inbound_content(kind: MessageType, summary: &str) -> Option<Content> {
    let bracketed = summary.starts_with('[') && summary.ends_with(']');
    Some(match kind {
        MessageType::Text => Content::Text { text: summary.to_string() },
        MessageType::Image | MessageType::Video | MessageType::Audio | MessageType::Sticker => Content::Media {
            kind,
            caption: (!bracketed && !summary.is_empty()).then(|| summary.to_string()),
            filename: None,
            mime: None,
            link: None,
            placeholder: Some(format!("[{kind}]")),
        },
        MessageType::Document => Content::Media {
            kind,
            caption: None,
            filename: (!bracketed && !summary.is_empty()).then(|| summary.to_string()),
            mime: None,
            link: None,
            placeholder: Some("[document]".into()),
        },
        MessageType::Location => {
            let (lat, lng) = summary.strip_prefix("location:")?.split_once(',')?;
            Content::Location { lat: lat.trim().parse().ok()?, lng: lng.trim().parse().ok()?, name: None, address: None }
        }
        MessageType::Interactive => Content::Interactive { payload: serde_json::json!({"type": "reply", "title": summary}) },
        MessageType::Reaction => Content::Reaction { emoji: summary.to_string(), to_id: None, to_wamid: None },
        MessageType::Template => return None,
    })
}

async fn status_updated(tx: &mut sqlx::SqliteConnection, v: &Value) -> Result<Vec<Change>, Skip> {
    let wamid = text(v, "message_id").ok_or_else(|| unapplicable("no message_id"))?;
    let status: Status = text(v, "status").unwrap_or_default().parse().map_err(|_| unapplicable("unknown status"))?;
    let Some((message_id, phone)) = find_by_wamid(&mut *tx, &wamid).await? else {
        return Err(Skip::UnknownMessage { recipient: text(v, "recipient") });
    };
    if let Some(recipient) = text(v, "recipient") {
        if Phone::parse(&recipient).map(|p| p.digits() != phone).unwrap_or(true) {
            return Err(unapplicable(format!("recipient {recipient} does not match the message's customer")));
        }
    }
    let error = v.get("errors").and_then(Value::as_array).and_then(|a| a.first()).cloned();
    let update = StatusUpdate {
        status,
        at: time(v, "timestamp").unwrap_or_else(Utc::now),
        failure_code: error.as_ref().and_then(|e| text(e, "code")),
        failure_reason: error.as_ref().and_then(|e| text(e, "title")),
    };
    let decision = apply_status_in(tx, message_id, &update).await?;
    if decision != Transition::Apply {
        return Ok(vec![]);
    }
    if status.is_final() {
        schedule_status_check(&mut *tx, message_id, None).await?;
    }
    let conversation_id = crate::store::messages::conversation_of(&mut *tx, message_id).await?.unwrap_or_default();
    Ok(vec![Change::MessageChanged { conversation_id, message_id }, Change::ConversationChanged { conversation_id }])
}

async fn flow(tx: &mut sqlx::SqliteConnection, account_id: i64, event: &str, v: &Value) -> Result<Vec<Change>, Skip> {
    let phone_text = text(v, "customer_phone").ok_or_else(|| unapplicable("no customer_phone"))?;
    let phone = Phone::parse(&phone_text).map_err(|e| unapplicable(format!("customer_phone: {e:?}")))?;
    let now = Utc::now();
    let customer_id = upsert_customer(&mut *tx, account_id, &phone, None, now).await?;
    let ended_as = match event {
        "flow.session_completed" => Some("completed".to_string()),
        "flow.session_cancelled" => Some("cancelled".to_string()),
        _ => None,
    };
    let row = FlowSessionRow {
        account_id,
        remote_id: int(v, "session_id").or_else(|| int(v, "id")),
        conversation_flow_id: int(v, "flow_id").or_else(|| int(v, "conversation_flow_id")),
        whatsapp_account_id: int(v, "whatsapp_account_id"),
        number_id: None,
        customer_phone: phone.digits().to_string(),
        customer_id: Some(customer_id),
        current_step_id: int(v, "current_step_id"),
        session_data: v.get("session_data").filter(|d| d.is_object()).cloned(),
        started_at: time(v, "started_at").or_else(|| (event == "flow.session_started").then(|| time(v, "timestamp")).flatten()),
        last_interaction_at: time(v, "last_interaction_at").or_else(|| time(v, "timestamp")),
        expires_at: time(v, "expires_at"),
        is_completed: v.get("is_completed").and_then(Value::as_bool).or(match event {
            "flow.session_completed" => Some(true),
            "flow.session_cancelled" => Some(false),
            _ => None,
        }),
        ended_as,
    };
    apply_flow_event(tx, &row, now).await?;
    Ok(vec![Change::CustomerChanged { customer_id }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbound_summaries_become_typed_content() {
        assert_eq!(inbound_content(MessageType::Text, "hi"), Some(Content::Text { text: "hi".into() }));
        match inbound_content(MessageType::Image, "[image]").unwrap() {
            Content::Media { caption, placeholder, .. } => assert_eq!((caption, placeholder.as_deref()), (None, Some("[image]"))),
            other => panic!("{other:?}"),
        }
        match inbound_content(MessageType::Image, "the box is damaged").unwrap() {
            Content::Media { caption, .. } => assert_eq!(caption.as_deref(), Some("the box is damaged")),
            other => panic!("{other:?}"),
        }
        match inbound_content(MessageType::Document, "invoice.pdf").unwrap() {
            Content::Media { filename, .. } => assert_eq!(filename.as_deref(), Some("invoice.pdf")),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            inbound_content(MessageType::Location, "location:24.7136,46.6753"),
            Some(Content::Location { lat: 24.7136, lng: 46.6753, name: None, address: None })
        );
        assert_eq!(inbound_content(MessageType::Location, "somewhere"), None);
        assert_eq!(inbound_content(MessageType::Template, "x"), None);
    }
}
