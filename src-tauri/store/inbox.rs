//! The inbox list: conversations by newest activity, read from the activity columns kept on each
//! conversation (never by aggregating messages), paged by keyset so page 100 costs what page 1 does.
//! A conversation with no message yet has nothing to show and is not listed.

use sqlx::SqlitePool;

use super::error::StoreError;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct InboxRow {
    pub conversation_id: i64,
    pub number_id: i64,
    pub number_name: String,
    pub customer_id: i64,
    pub customer_name: Option<String>,
    pub customer_phone: String,
    pub customer_blocked: bool,
    pub last_message_at: Option<i64>,
    pub last_inbound_at: Option<i64>,
    pub unread_count: i64,
    pub server_window_expires_at: Option<i64>,
    pub server_window_last_inbound_at: Option<i64>,
    pub last_type: Option<String>,
    pub last_direction: Option<String>,
    pub last_status: Option<String>,
    /// The text a preview shows: text, caption, rendered template, filename, emoji...
    pub last_preview: Option<String>,
}

const INBOX_SELECT: &str = "SELECT c.id AS conversation_id, n.id AS number_id, n.display_name AS number_name,
                cu.id AS customer_id, cu.name AS customer_name, cu.phone AS customer_phone,
                cu.status = 'blocked' AS customer_blocked,
                c.last_message_at, c.last_inbound_at, c.unread_count,
                c.server_window_expires_at, c.server_window_last_inbound_at,
                m.type AS last_type, m.direction AS last_direction, m.status AS last_status,
                coalesce(m.text, m.rendered_body, m.media_caption, m.media_filename, m.reaction_emoji,
                         m.location_name, m.media_placeholder) AS last_preview
         FROM conversations c
         CROSS JOIN whatsapp_numbers n ON n.id = c.number_id
         JOIN customers cu ON cu.id = c.customer_id
         LEFT JOIN messages m ON m.id = c.last_message_id";

/// Where the previous page ended: its last row's activity time and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxCursor {
    pub last_message_at: i64,
    pub conversation_id: i64,
}

/// What narrows the list in SQL. The window filter is not here: the window is the domain's rule,
/// applied to these rows by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboxWhere {
    pub unread: bool,
    pub failed: bool,
    pub number_id: Option<i64>,
    pub tag: Option<String>,
    /// Part of the customer's name (any case), or digits of their phone.
    pub query: Option<String>,
}

pub async fn inbox_page(
    pool: &SqlitePool,
    account_id: i64,
    after: Option<InboxCursor>,
    limit: u32,
) -> Result<Vec<InboxRow>, StoreError> {
    inbox_page_where(pool, account_id, &InboxWhere::default(), after, limit).await
}

pub async fn inbox_page_where(
    pool: &SqlitePool,
    account_id: i64,
    filter: &InboxWhere,
    after: Option<InboxCursor>,
    limit: u32,
) -> Result<Vec<InboxRow>, StoreError> {
    let sql = format!("{INBOX_SELECT} {INBOX_WHERE} LIMIT ?4");
    Ok(bind_where(sqlx::query_as(&sql), account_id, filter, after, limit.clamp(1, 500)).fetch_all(pool).await?)
}

/// What the window rule needs of a conversation, and nothing else: for deciding the window of
/// many conversations (the inbox's window filter) without reading their previews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct WindowRow {
    pub conversation_id: i64,
    pub last_message_at: Option<i64>,
    pub last_inbound_at: Option<i64>,
    pub server_window_expires_at: Option<i64>,
    pub server_window_last_inbound_at: Option<i64>,
}

/// The window inputs of the conversations [`inbox_page_where`] would list, in the same order.
pub async fn window_rows_where(
    pool: &SqlitePool,
    account_id: i64,
    filter: &InboxWhere,
    after: Option<InboxCursor>,
    limit: u32,
) -> Result<Vec<WindowRow>, StoreError> {
    let sql = format!(
        "SELECT c.id AS conversation_id, c.last_message_at, c.last_inbound_at, c.server_window_expires_at,
                c.server_window_last_inbound_at
         FROM conversations c
         CROSS JOIN whatsapp_numbers n ON n.id = c.number_id
         JOIN customers cu ON cu.id = c.customer_id
         {INBOX_WHERE} LIMIT ?4"
    );
    Ok(bind_where(sqlx::query_as(&sql), account_id, filter, after, limit.max(1)).fetch_all(pool).await?)
}

/// These conversations as the inbox shows them, in the order of `ids`.
pub async fn inbox_rows(pool: &SqlitePool, ids: &[i64]) -> Result<Vec<InboxRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(ids).expect("ids serialise");
    let mut rows: Vec<InboxRow> = sqlx::query_as(&format!("{INBOX_SELECT} WHERE c.id IN (SELECT value FROM json_each(?))"))
        .bind(list)
        .fetch_all(pool)
        .await?;
    let place: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|r| place.get(&r.conversation_id).copied().unwrap_or(usize::MAX));
    Ok(rows)
}

// Conversations are the outer loop (CROSS JOIN), read in the activity index's order, so a page
// stops after `limit` rows instead of sorting the whole account; the row-value keyset lets the
// index seek straight to where the previous page ended.
const INBOX_WHERE: &str = "WHERE n.account_id = ?1
           AND (c.last_message_at, c.id) < (?2, ?3)
           AND (NOT ?5 OR c.unread_count > 0)
           AND (NOT ?6 OR c.id IN (SELECT conversation_id FROM messages WHERE status = 'failed'))
           AND (?7 IS NULL OR c.number_id = ?7)
           AND (?8 IS NULL OR c.customer_id IN (SELECT customer_id FROM customer_tags WHERE tag = ?8))
           AND (?9 IS NULL OR instr(lower(coalesce(cu.name, '')), lower(?9)) > 0 OR (?10 <> '' AND instr(cu.phone, ?10) > 0))
         ORDER BY c.last_message_at DESC, c.id DESC";

fn bind_where<'q, O>(
    q: sqlx::query::QueryAs<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments<'q>>,
    account_id: i64,
    filter: &'q InboxWhere,
    after: Option<InboxCursor>,
    limit: u32,
) -> sqlx::query::QueryAs<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments<'q>> {
    let (at, id) = after.map_or((i64::MAX, i64::MAX), |c| (c.last_message_at, c.conversation_id));
    q.bind(account_id)
        .bind(at)
        .bind(id)
        .bind(limit)
        .bind(filter.unread)
        .bind(filter.failed)
        .bind(filter.number_id)
        .bind(filter.tag.as_deref())
        .bind(filter.query.as_deref())
        .bind(filter.query.as_deref().map(|q| q.chars().filter(char::is_ascii_digit).collect::<String>()).unwrap_or_default())
}

/// Every tag in use on the account's customers, for the inbox's tag filter.
pub async fn tags_in_use(pool: &SqlitePool, account_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT t.tag FROM customer_tags t JOIN customers c ON c.id = t.customer_id
         WHERE c.account_id = ? ORDER BY t.tag",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await?)
}

/// One conversation as the inbox shows it (the header of an open conversation).
pub async fn inbox_row(pool: &SqlitePool, conversation_id: i64) -> Result<Option<InboxRow>, StoreError> {
    Ok(sqlx::query_as(&format!("{INBOX_SELECT} WHERE c.id = ?")).bind(conversation_id).fetch_optional(pool).await?)
}

/// Unread messages across the account's conversations, for the window title.
pub async fn unread_total(pool: &SqlitePool, account_id: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT coalesce(sum(c.unread_count), 0) FROM conversations c
         JOIN whatsapp_numbers n ON n.id = c.number_id WHERE n.account_id = ?",
    )
    .bind(account_id)
    .fetch_one(pool)
    .await?)
}
