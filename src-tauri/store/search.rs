//! Full-text search over the archive. The indexes are contentless FTS5 tables fed from here: the
//! text is normalised by `domain::search_text` first (Arabic tashkeel, alef forms, the article),
//! which SQL cannot do, so triggers only queue what changed (`search_pending`) and [`catch_up`]
//! indexes it before each search. Searches are driven by the index, then filtered and ordered.

use sqlx::{SqliteConnection, SqlitePool};

use super::error::StoreError;
use crate::domain::search_text::normalize_for_index;

/// How many queued rows one transaction indexes, so a first catch-up over a decade of messages
/// never holds the write lock long enough to stall the webhook receiver.
const BATCH: i64 = 2000;

/// Indexes everything queued since the last call. Returns how many rows it looked at.
pub async fn catch_up(pool: &SqlitePool) -> Result<u64, StoreError> {
    // Most searches find nothing queued: ask with a read so they never wait for the write lock.
    let queued: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM search_pending)").fetch_one(pool).await?;
    if !queued {
        return Ok(0);
    }
    let mut total = 0u64;
    loop {
        let mut tx = super::write_tx(pool).await?;
        let done = index_batch(&mut tx).await?;
        tx.commit().await?;
        total += done;
        if done < BATCH as u64 {
            return Ok(total);
        }
    }
}

async fn index_batch(tx: &mut SqliteConnection) -> Result<u64, StoreError> {
    let queued: Vec<(String, i64)> = sqlx::query_as("SELECT kind, id FROM search_pending LIMIT ?")
        .bind(BATCH)
        .fetch_all(&mut *tx)
        .await?;
    for (kind, id) in &queued {
        if kind == "message" {
            index_message(tx, *id).await?;
        } else {
            index_customer(tx, *id).await?;
        }
        sqlx::query("DELETE FROM search_pending WHERE kind = ? AND id = ?").bind(kind).bind(id).execute(&mut *tx).await?;
    }
    Ok(queued.len() as u64)
}

/// The columns a message's searchable text is made from.
pub const SEARCHABLE_COLUMNS: &str =
    "text, media_caption, media_filename, rendered_body, interactive, location_name, location_address";

#[derive(Debug, Clone, Default, PartialEq, sqlx::FromRow)]
pub struct Searchable {
    pub text: Option<String>,
    pub media_caption: Option<String>,
    pub media_filename: Option<String>,
    pub rendered_body: Option<String>,
    pub interactive: Option<String>,
    pub location_name: Option<String>,
    pub location_address: Option<String>,
}

impl Searchable {
    /// Everything a person could search a message by, as one text: its words, caption, file name,
    /// the template as sent, the titles of buttons and list rows, a place's name and address.
    pub fn text(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for p in [&self.text, &self.media_caption, &self.rendered_body, &self.media_filename] {
            if let Some(s) = p.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                parts.push(s.to_string());
            }
        }
        if let Some(v) = self.interactive.as_deref().and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok()) {
            interactive_words(&v, &mut parts);
        }
        for p in [&self.location_name, &self.location_address] {
            if let Some(s) = p.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                parts.push(s.to_string());
            }
        }
        parts.join("\n")
    }
}

/// The words a customer sees in an interactive message: every `text`, `title` and `description`
/// in the Cloud API object (header, body, footer, buttons, list sections and rows).
fn interactive_words(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, val) in map {
                match (k.as_str(), val) {
                    ("text" | "title" | "description", serde_json::Value::String(s)) if !s.trim().is_empty() => {
                        out.push(s.trim().to_string())
                    }
                    _ => interactive_words(val, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| interactive_words(i, out)),
        _ => {}
    }
}

/// A message's rowid in the index: it sorts like (created_at, id), so the index itself yields the
/// newest matches first. The low 20 bits keep messages of the same millisecond apart.
pub fn search_key(created_at: i64, id: i64) -> i64 {
    created_at.saturating_mul(1 << 20).saturating_add(id & 0xF_FFFF)
}

#[derive(sqlx::FromRow)]
struct Indexable {
    created_at: i64,
    #[sqlx(flatten)]
    searchable: Searchable,
}

async fn index_message(tx: &mut SqliteConnection, id: i64) -> Result<(), StoreError> {
    let old: Option<i64> = sqlx::query_scalar("SELECT key FROM search_keys WHERE message_id = ?").bind(id).fetch_optional(&mut *tx).await?;
    if let Some(key) = old {
        sqlx::query("DELETE FROM message_search WHERE rowid = ?").bind(key).execute(&mut *tx).await?;
    }
    let row: Option<Indexable> = sqlx::query_as(&format!("SELECT created_at, {SEARCHABLE_COLUMNS} FROM messages WHERE id = ?"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let body = row.as_ref().map(|r| normalize_for_index(&r.searchable.text())).filter(|b| !b.trim().is_empty());
    match (body, row) {
        (Some(body), Some(row)) => {
            let key = match old {
                Some(key) => key,
                None => {
                    // Two messages of the same millisecond whose ids share their low bits: the
                    // later one takes the next free key (its place in time is off by a hair).
                    let mut key = search_key(row.created_at, id);
                    while sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT 1 FROM search_keys WHERE key = ?)").bind(key).fetch_one(&mut *tx).await? {
                        key += 1;
                    }
                    sqlx::query("INSERT INTO search_keys (key, message_id) VALUES (?, ?)").bind(key).bind(id).execute(&mut *tx).await?;
                    key
                }
            };
            sqlx::query("INSERT INTO message_search (rowid, body) VALUES (?, ?)").bind(key).bind(body).execute(&mut *tx).await?;
        }
        _ if old.is_some() => {
            sqlx::query("DELETE FROM search_keys WHERE message_id = ?").bind(id).execute(&mut *tx).await?;
        }
        _ => {}
    }
    Ok(())
}

async fn index_customer(tx: &mut SqliteConnection, id: i64) -> Result<(), StoreError> {
    let name: Option<(Option<String>,)> = sqlx::query_as("SELECT name FROM customers WHERE id = ?").bind(id).fetch_optional(&mut *tx).await?;
    let Some((name,)) = name else {
        sqlx::query("DELETE FROM customer_search WHERE rowid = ?").bind(id).execute(&mut *tx).await?;
        return Ok(());
    };
    let tags: Vec<String> = sqlx::query_scalar("SELECT tag FROM customer_tags WHERE customer_id = ?").bind(id).fetch_all(&mut *tx).await?;
    sqlx::query("INSERT OR REPLACE INTO customer_search (rowid, name, tags) VALUES (?, ?, ?)")
        .bind(id)
        .bind(normalize_for_index(name.as_deref().unwrap_or("")))
        .bind(normalize_for_index(&tags.join(" ")))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Filters that combine with the search text; `None` means any. Times are Unix ms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchWhere {
    pub account_id: i64,
    pub customer_id: Option<i64>,
    pub number_id: Option<i64>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub direction: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub category: Option<String>,
    pub tag: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Newest,
    Relevance,
}

/// Where the previous page ended, in the order's own terms (keyset paging, no OFFSET), and the
/// newest message id when the search began: later pages leave out messages that arrived since, so
/// nothing shifts or repeats while the user pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchCursor {
    pub order: Order,
    /// Newest first: the last row's index key ([`search_key`]). By relevance unused: the last
    /// row's rank is recomputed in the same query as the page, since a rank depends on the whole
    /// index at that moment.
    pub position: i64,
    pub id: i64,
    pub max_id: i64,
}

impl SearchCursor {
    /// An opaque token for the UI.
    pub fn encode(&self) -> String {
        let kind = match self.order {
            Order::Newest => "n",
            Order::Relevance => "r",
        };
        format!("{kind}.{}.{}.{}", self.position, self.id, self.max_id)
    }

    pub fn decode(token: &str) -> Option<SearchCursor> {
        let mut parts = token.split('.');
        let order = match parts.next()? {
            "n" => Order::Newest,
            "r" => Order::Relevance,
            _ => return None,
        };
        let cursor = SearchCursor {
            order,
            position: parts.next()?.parse().ok()?,
            id: parts.next()?.parse().ok()?,
            max_id: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(cursor)
    }
}

/// The newest message's id: the bound of a search's pages.
pub async fn newest_message_id(pool: &SqlitePool) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM messages").fetch_one(pool).await?)
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct HitRow {
    pub message_id: i64,
    pub conversation_id: i64,
    pub customer_id: i64,
    pub customer_name: Option<String>,
    pub phone: String,
    pub number_name: String,
    pub direction: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub status: Option<String>,
    pub created_at: i64,
    pub imported: bool,
    pub rank: f64,
    /// Where the message sits in the index.
    pub search_key: i64,
    #[sqlx(flatten)]
    pub searchable: Searchable,
}

impl HitRow {
    pub fn cursor(&self, order: Order, max_id: i64) -> SearchCursor {
        SearchCursor { order, position: self.search_key, id: self.message_id, max_id }
    }
}

/// Messages matching the FTS5 expression `fts` (built by `domain::search_text::parse_query`, so
/// never raw user input) and the filters, up to message `max_id`, one page in `order` after `after`.
pub async fn search_messages(
    pool: &SqlitePool,
    fts: &str,
    w: &SearchWhere,
    order: Order,
    after: Option<SearchCursor>,
    max_id: i64,
    limit: u32,
) -> Result<Vec<HitRow>, StoreError> {
    let sql = message_search_sql(order);
    Ok(sqlx::query_as::<_, HitRow>(&sql)
        .bind(fts)
        .bind(w.account_id)
        .bind(w.customer_id)
        .bind(w.number_id)
        .bind(w.from_ms)
        .bind(w.to_ms)
        .bind(&w.direction)
        .bind(&w.kind)
        .bind(&w.status)
        .bind(&w.category)
        .bind(&w.tag)
        .bind(after.map_or(i64::MAX, |c| c.position))
        .bind(after.map(|c| c.id))
        .bind(limit.clamp(1, 200))
        .bind(max_id)
        .fetch_all(pool)
        .await?)
}

/// The SQL of [`search_messages`] in `order` (public for the query-plan test).
pub fn message_search_sql(order: Order) -> String {
    // The index drives (CROSS JOIN keeps it the outer loop): a rare word touches a handful of
    // rows; the filters then only look at messages that matched. Newest first, the index is read
    // by descending key, which is time order, so no match past the page is ever looked at (unless
    // a filter skips it); a date range narrows the keys the index reads (a millisecond of margin
    // at the end for a key that moved up one, see `index_message`). By relevance every match is
    // ranked; a page resumes after the last row's rank, recomputed here as `anchor`.
    let (rank, keyset, order_by) = match order {
        Order::Newest => ("0.0 AS rank", "f.k < ?12", "f.k DESC"),
        Order::Relevance => (
            "rank",
            "(?13 IS NULL OR f.rank > (SELECT r FROM anchor) OR (f.rank = (SELECT r FROM anchor) AND m.id > ?13))",
            "f.rank ASC, m.id ASC",
        ),
    };
    format!(
        "WITH anchor AS (SELECT rank AS r FROM message_search
                         WHERE message_search MATCH ?1 AND rowid = (SELECT key FROM search_keys WHERE message_id = ?13))
         SELECT m.id AS message_id, m.conversation_id, cu.id AS customer_id, cu.name AS customer_name,
                cu.phone, n.display_name AS number_name, m.direction, m.type, m.status, m.created_at,
                m.imported, f.rank, f.k AS search_key, m.text, m.media_caption, m.media_filename, m.rendered_body,
                m.interactive, m.location_name, m.location_address
         FROM (SELECT rowid AS k, {rank} FROM message_search WHERE message_search MATCH ?1) f
         CROSS JOIN search_keys sk ON sk.key = f.k
         CROSS JOIN messages m ON m.id = sk.message_id
         JOIN conversations c ON c.id = m.conversation_id
         JOIN whatsapp_numbers n ON n.id = c.number_id
         JOIN customers cu ON cu.id = c.customer_id
         WHERE n.account_id = ?2
           AND m.id <= ?15
           AND f.k >= coalesce(?5 * 1048576, -9223372036854775807)
           AND f.k < coalesce((?6 + 1) * 1048576, 9223372036854775807)
           AND (?3 IS NULL OR c.customer_id = ?3)
           AND (?4 IS NULL OR c.number_id = ?4)
           AND (?5 IS NULL OR m.created_at >= ?5)
           AND (?6 IS NULL OR m.created_at < ?6)
           AND (?7 IS NULL OR m.direction = ?7)
           AND (?8 IS NULL OR m.type = ?8)
           AND (?9 IS NULL OR m.status = ?9)
           AND (?10 IS NULL OR m.category = ?10)
           AND (?11 IS NULL OR EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.customer_id AND t.tag = ?11))
           AND {keyset}
         ORDER BY {order_by}
         LIMIT ?14"
    )
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CustomerHitRow {
    pub customer_id: i64,
    pub name: Option<String>,
    pub phone: String,
    pub conversation_id: Option<i64>,
}

/// How a customer is looked for: by words of their name or tags, or by digits of their phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerQuery {
    Words(String),
    PhoneDigits(String),
}

/// Customers of the account whose name or tags match, or whose phone contains the digits.
pub async fn search_customers(pool: &SqlitePool, account_id: i64, q: &CustomerQuery, limit: u32) -> Result<Vec<CustomerHitRow>, StoreError> {
    const LATEST: &str = "(SELECT c.id FROM conversations c WHERE c.customer_id = cu.id
                            ORDER BY c.last_message_at IS NULL, c.last_message_at DESC LIMIT 1) AS conversation_id";
    let rows = match q {
        CustomerQuery::Words(fts) => {
            sqlx::query_as(&format!(
                "SELECT cu.id AS customer_id, cu.name, cu.phone, {LATEST}
                 FROM (SELECT rowid AS cid, rank FROM customer_search WHERE customer_search MATCH ?1) f
                 CROSS JOIN customers cu ON cu.id = f.cid
                 WHERE cu.account_id = ?2 ORDER BY f.rank LIMIT ?3"
            ))
            .bind(fts)
            .bind(account_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }
        CustomerQuery::PhoneDigits(digits) => {
            // A local spelling (0501234567) is the international one without its country code.
            let core = digits.trim_start_matches('0');
            sqlx::query_as(&format!(
                "SELECT cu.id AS customer_id, cu.name, cu.phone, {LATEST}
                 FROM customers cu WHERE cu.account_id = ?1 AND instr(cu.phone, ?2) > 0
                 ORDER BY cu.last_conversation_at DESC, cu.id LIMIT ?3"
            ))
            .bind(account_id)
            .bind(if core.is_empty() { digits.as_str() } else { core })
            .bind(limit)
            .fetch_all(pool)
            .await?
        }
    };
    Ok(rows)
}
