//! A conversation's messages as the window reads them: newest first, paged by keyset on
//! (created_at, id) so the thousandth page back costs what the first does. Reactions to a message
//! we hold are read beside it, not as messages of their own.

use sqlx::SqlitePool;

use super::error::StoreError;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub direction: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub created_at: i64,
    pub text: Option<String>,
    pub media_caption: Option<String>,
    pub media_filename: Option<String>,
    pub media_mime: Option<String>,
    pub media_link: Option<String>,
    pub media_placeholder: Option<String>,
    pub template_name: Option<String>,
    pub template_language: Option<String>,
    pub rendered_body: Option<String>,
    pub interactive: Option<String>,
    pub location_lat: Option<f64>,
    pub location_lng: Option<f64>,
    pub location_name: Option<String>,
    pub location_address: Option<String>,
    pub reaction_emoji: Option<String>,
    pub status: Option<String>,
    /// When the message reached its current status.
    pub status_at: Option<i64>,
    pub failure_code: Option<String>,
    pub failure_reason: Option<String>,
    pub category: Option<String>,
    pub cost: Option<f64>,
    pub cost_currency: Option<String>,
    pub imported: bool,
}

/// Where the previous page ended: its oldest row's time and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadCursor {
    pub created_at: i64,
    pub id: i64,
}

/// Up to `limit` messages of `conversation_id` older than `before`, newest first. Reactions whose
/// target is in the archive are left out here and come through [`reactions_to`].
pub async fn messages_page(
    pool: &SqlitePool,
    conversation_id: i64,
    before: Option<ThreadCursor>,
    limit: u32,
) -> Result<Vec<MessageRow>, StoreError> {
    let (at, id) = before.map_or((i64::MAX, i64::MAX), |c| (c.created_at, c.id));
    Ok(sqlx::query_as(&format!(
        "{THREAD_SELECT} AND (created_at < ?2 OR (created_at = ?2 AND id < ?3)) ORDER BY created_at DESC, id DESC LIMIT ?4"
    ))
    .bind(conversation_id)
    .bind(at)
    .bind(id)
    .bind(limit.clamp(1, 200))
    .fetch_all(pool)
    .await?)
}

/// Up to `limit` messages newer than `after`, newest first: paging forward from a message a
/// search opened in the middle of a long conversation.
pub async fn messages_newer(pool: &SqlitePool, conversation_id: i64, after: ThreadCursor, limit: u32) -> Result<Vec<MessageRow>, StoreError> {
    let mut rows: Vec<MessageRow> = sqlx::query_as(&format!(
        "{THREAD_SELECT} AND (created_at > ?2 OR (created_at = ?2 AND id > ?3)) ORDER BY created_at, id LIMIT ?4"
    ))
    .bind(conversation_id)
    .bind(after.created_at)
    .bind(after.id)
    .bind(limit.clamp(1, 200))
    .fetch_all(pool)
    .await?;
    rows.reverse();
    Ok(rows)
}

/// The message `message_id` with up to `limit / 2` messages on each side, newest first; empty
/// when it is not a message of that conversation.
pub async fn messages_around(pool: &SqlitePool, conversation_id: i64, message_id: i64, limit: u32) -> Result<Vec<MessageRow>, StoreError> {
    let at: Option<i64> = sqlx::query_scalar("SELECT created_at FROM messages WHERE id = ? AND conversation_id = ?")
        .bind(message_id)
        .bind(conversation_id)
        .fetch_optional(pool)
        .await?;
    let Some(created_at) = at else { return Ok(Vec::new()) };
    let half = (limit.clamp(2, 200) / 2).max(1);
    let target = ThreadCursor { created_at, id: message_id };
    let mut rows = messages_newer(pool, conversation_id, target, half).await?;
    // The keyset is exclusive, so start just past the target to include it.
    rows.extend(messages_page(pool, conversation_id, Some(ThreadCursor { created_at, id: message_id + 1 }), half + 1).await?);
    Ok(rows)
}

const THREAD_SELECT: &str = "SELECT id, direction, type, created_at, text, media_caption, media_filename, media_mime, media_link,
                media_placeholder, template_name, template_language, rendered_body, interactive,
                location_lat, location_lng, location_name, location_address, reaction_emoji,
                status,
                CASE status WHEN 'pending' THEN pending_at WHEN 'unconfirmed' THEN unconfirmed_at
                            WHEN 'queued' THEN queued_at WHEN 'scheduled' THEN scheduled_at
                            WHEN 'sent' THEN sent_at WHEN 'delivered' THEN delivered_at
                            WHEN 'read' THEN read_at WHEN 'failed' THEN failed_at END AS status_at,
                failure_code, failure_reason, category, cost, cost_currency, imported
         FROM messages
         WHERE conversation_id = ?1
           AND NOT (type = 'reaction' AND (reaction_to_id IS NOT NULL OR EXISTS (
                    SELECT 1 FROM messages t WHERE t.wamid = messages.reaction_to_wamid AND t.conversation_id = ?1)))";

/// A reaction to one of `targets`: (target id, emoji, direction), oldest first. Only the newest
/// reaction of each side counts on WhatsApp, and an empty emoji takes a reaction back.
pub async fn reactions_to(pool: &SqlitePool, targets: &[i64]) -> Result<Vec<(i64, String, String)>, StoreError> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(targets).expect("ids serialise");
    // A reaction names its target by our id, or by WhatsApp's id when it arrived before we knew it.
    // The second half is read from the page's targets by WhatsApp id (CROSS JOIN, and `+` keeps
    // the planner off the reaction_to_id index): every reaction whose target we never had has a
    // null reaction_to_id, and reading those instead cost 30 ms a page on a large archive.
    Ok(sqlx::query_as(
        "WITH target AS (SELECT id, wamid FROM messages WHERE id IN (SELECT value FROM json_each(?1))),
              r AS (SELECT t.id AS target_id, m.id, m.reaction_emoji, m.direction FROM target t
                    JOIN messages m ON m.type = 'reaction' AND m.reaction_to_id = t.id
                    UNION ALL
                    SELECT t.id, m.id, m.reaction_emoji, m.direction FROM target t
                    CROSS JOIN messages m ON m.type = 'reaction' AND m.reaction_to_wamid = t.wamid
                    WHERE t.wamid IS NOT NULL AND +m.reaction_to_id IS NULL)
         SELECT target_id, reaction_emoji, direction FROM r
         WHERE r.id = (SELECT max(x.id) FROM r x WHERE x.target_id = r.target_id AND x.direction = r.direction)
           AND coalesce(reaction_emoji, '') <> ''
         ORDER BY r.id",
    )
    .bind(ids)
    .fetch_all(pool)
    .await?)
}
