//! Composing a message: every rule checked in the core (window, type, text length, template and
//! its parameters, phone), then the message written to the outbox in one transaction before any
//! network call. The sender delivers it.

use chrono::Utc;
use serde::Deserialize;
use uuid::Uuid;

use super::error::{AppError, ErrorCode};
use crate::domain::clock::ClockOffset;
use crate::domain::phone::Phone;
use crate::domain::send_rules::may_send;
use crate::domain::template::{check_params, is_approved, render};
use crate::domain::text::check_text;
use crate::domain::window::{window_state, ServerWindow};
use crate::store::messages::Content;
use crate::store::{composing, outbox, Store};

/// What the composer asks to send.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Draft {
    Text { text: String },
    Template { name: String, language: String, params: Vec<String>, header_link: Option<String> },
}

/// Checks `draft` against the rules for `conversation_id` and queues it. Returns the message id.
pub async fn compose(store: &Store, conversation_id: i64, draft: &Draft, offset: ClockOffset) -> Result<i64, AppError> {
    let pool = store.pool();
    let target = composing::target(pool, conversation_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "This conversation no longer exists."))?;
    Phone::parse(&target.phone)?;
    if target.blocked {
        return Err(AppError::new(ErrorCode::CustomerBlocked, "This customer is blocked, so CubeDesk will not send them messages."));
    }
    let now = Utc::now();
    let server = target.server_expires_at.map(|e| ServerWindow { expires_at: e, last_inbound_at: target.server_last_inbound_at });
    let window = window_state(target.last_inbound_at, server, now, offset);

    let content = match draft {
        Draft::Text { text } => {
            check_text(text)?;
            may_send(crate::domain::message_type::MessageType::Text, window.active)?;
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
