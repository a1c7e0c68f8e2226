//! Composing a message: every rule checked in the core (window, type, text length, template and
//! its parameters, phone), then the message written to the outbox in one transaction before any
//! network call. The sender delivers it.

use chrono::Utc;
use serde::Deserialize;
use uuid::Uuid;

use super::error::{AppError, ErrorCode};
use crate::domain::clock::ClockOffset;
use crate::domain::phone::Phone;
use crate::domain::message_type::MessageType;
use crate::domain::send_rules::may_send;
use crate::domain::status::{may_delete_locally, may_edit, may_retry, Status};
use crate::domain::template::{check_params, is_approved, render};
use crate::domain::text::check_text;
use crate::domain::window::{window_state, ServerWindow};
use crate::store::messages::Content;
use crate::store::{composing, outbox, Store, StoreError};

/// What the composer asks to send.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Draft {
    Text { text: String },
    Template { name: String, language: String, params: Vec<String>, header_link: Option<String> },
}

/// The conversation's customer and number, if it may receive a message of `kind` now: not blocked,
/// and a free-form type only inside the 24-hour window.
async fn permitted(store: &Store, conversation_id: i64, kind: MessageType, offset: ClockOffset) -> Result<composing::Target, AppError> {
    let target = composing::target(store.pool(), conversation_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "This conversation no longer exists."))?;
    Phone::parse(&target.phone)?;
    if target.blocked {
        return Err(AppError::new(ErrorCode::CustomerBlocked, "This customer is blocked, so CubeDesk will not send them messages."));
    }
    let server = target.server_expires_at.map(|e| ServerWindow { expires_at: e, last_inbound_at: target.server_last_inbound_at });
    let window = window_state(target.last_inbound_at, server, Utc::now(), offset);
    may_send(kind, window.active)?;
    Ok(target)
}

/// Checks `draft` against the rules for `conversation_id` and queues it. Returns the message id.
pub async fn compose(store: &Store, conversation_id: i64, draft: &Draft, offset: ClockOffset) -> Result<i64, AppError> {
    let pool = store.pool();
    let kind = match draft {
        Draft::Text { .. } => MessageType::Text,
        Draft::Template { .. } => MessageType::Template,
    };
    let target = permitted(store, conversation_id, kind, offset).await?;
    let now = Utc::now();

    let content = match draft {
        Draft::Text { text } => {
            check_text(text)?;
            Content::Text { text: text.clone() }
        }
        Draft::Template { name, language, params, header_link } => {
            let t = composing::template(pool, target.number_id, name, language).await?.ok_or_else(|| {
                AppError::new(ErrorCode::TemplateUnavailable, format!("The template \"{name}\" ({language}) is not available for this number."))
            })?;
            if !is_approved(&t.status) {
                return Err(AppError::new(
                    ErrorCode::TemplateUnavailable,
                    format!("The template \"{name}\" is {} by WhatsApp, not approved, so it cannot be sent.", t.status.to_lowercase()),
                ));
            }
            check_params(t.params_count as usize, params)?;
            let needs_media = matches!(t.header_type.as_str(), "image" | "video" | "document");
            let link = header_link.as_deref().map(str::trim).filter(|l| !l.is_empty());
            if needs_media && link.is_none_or(|l| !l.starts_with("https://")) {
                return Err(AppError::new(
                    ErrorCode::TemplateHeaderMedia,
                    format!("This template shows a {} at the top: give its web address (https://...).", t.header_type),
                ));
            }
            Content::Template {
                name: name.clone(),
                language: language.clone(),
                params: params.clone(),
                header_link: if needs_media { link.map(str::to_string) } else { None },
                rendered_body: render(&t.body, params),
            }
        }
    };
    Ok(outbox::compose(pool, conversation_id, Uuid::new_v4(), content, now).await?)
}

async fn conversation_of(store: &Store, message_id: i64) -> Result<i64, AppError> {
    crate::store::messages::conversation_of(store.pool(), message_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "This message is no longer in the archive."))
}

/// The message's type and status, or NOT_FOUND.
async fn kind_and_status(store: &Store, message_id: i64) -> Result<(MessageType, Option<Status>), AppError> {
    let (kind, status) = outbox::kind_and_status(store.pool(), message_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "This message is no longer in the archive."))?;
    let kind = kind.parse::<MessageType>().map_err(|_| AppError::new(ErrorCode::Internal, format!("Unknown message type {kind}.")))?;
    Ok((kind, status.and_then(|s| s.parse::<Status>().ok())))
}

/// Sends a failed or unconfirmed message again, with its own Idempotency-Key so CubeConnect can
/// tell a repeat from a new message.
pub async fn retry(store: &Store, message_id: i64, offset: ClockOffset) -> Result<(), AppError> {
    match kind_and_status(store, message_id).await? {
        (kind, Some(s)) if may_retry(s) => {
            permitted(store, conversation_of(store, message_id).await?, kind, offset).await?;
            Ok(outbox::retry(store.pool(), message_id, Utc::now()).await?)
        }
        _ => Err(AppError::new(ErrorCode::NotRetriable, "Only a message that failed or could not be confirmed can be sent again.")),
    }
}

/// Changes a failed or unconfirmed text and sends it again; the same checks as a new text.
pub async fn edit(store: &Store, message_id: i64, text: &str, offset: ClockOffset) -> Result<(), AppError> {
    check_text(text)?;
    match kind_and_status(store, message_id).await? {
        (kind, Some(s)) if may_edit(kind, s) => {
            permitted(store, conversation_of(store, message_id).await?, kind, offset).await?;
            Ok(outbox::edit_and_retry(store.pool(), message_id, text, Utc::now()).await?)
        }
        _ => Err(AppError::new(ErrorCode::NotRetriable, "Only a text message that failed or could not be confirmed can be edited.")),
    }
}

/// Removes a message that never reached the customer from this computer.
pub async fn delete(store: &Store, message_id: i64) -> Result<i64, AppError> {
    let conversation = conversation_of(store, message_id).await?;
    match kind_and_status(store, message_id).await? {
        (_, Some(s)) if may_delete_locally(s) => {
            outbox::delete_local(store.pool(), message_id).await.map_err(|e| match e {
                StoreError::Invalid(_) => AppError::new(
                    ErrorCode::NotRetriable,
                    "This message is being sent right now. Wait a moment: if it fails, you can delete it then.",
                ),
                e => e.into(),
            })?;
            Ok(conversation)
        }
        _ => Err(AppError::new(
            ErrorCode::NotRetriable,
            "This message reached WhatsApp, so it stays in the conversation; only unsent messages can be deleted.",
        )),
    }
}

/// The template's body rendered with `params`, and the first problem the core would refuse.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct TemplatePreview {
    pub rendered: String,
    pub problem: Option<AppError>,
}

pub async fn preview(store: &Store, conversation_id: i64, name: &str, language: &str, params: &[String]) -> Result<TemplatePreview, AppError> {
    let target = composing::target(store.pool(), conversation_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "This conversation no longer exists."))?;
    let t = composing::template(store.pool(), target.number_id, name, language).await?.ok_or_else(|| {
        AppError::new(ErrorCode::TemplateUnavailable, format!("The template \"{name}\" ({language}) is not available for this number."))
    })?;
    Ok(TemplatePreview {
        rendered: render(&t.body, params),
        problem: check_params(t.params_count as usize, params).err().map(AppError::from),
    })
}
