//! Searching the archive: what the user typed becomes a safe FTS5 query (never an error, whatever
//! they type), results come back a page at a time with a highlighted snippet as text segments.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::{AppError, ErrorCode};
use crate::domain::search_text::{highlight, parse_query, phone_digits, snippet, Segment, Term};
use crate::store::search::{self as index, CustomerQuery, Order, SearchCursor, SearchWhere};
use crate::store::time::from_ms;
use crate::store::Store;

/// How much of a message a result shows around the first match.
const SNIPPET_CHARS: usize = 160;

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SearchFilter {
    pub customer_id: Option<i64>,
    pub number_id: Option<i64>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub direction: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub status: Option<String>,
    pub category: Option<String>,
    pub tag: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum SearchOrder {
    #[default]
    Newest,
    Relevance,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub message_id: i64,
    pub conversation_id: i64,
    pub customer_id: i64,
    pub customer_name: Option<String>,
    pub phone: String,
    pub number_name: String,
    pub direction: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: Option<String>,
    pub created_at: DateTime<Utc>,
    pub imported: bool,
    pub snippet: Vec<Segment>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CustomerHit {
    pub customer_id: i64,
    pub conversation_id: Option<i64>,
    pub name: Vec<Segment>,
    pub phone: String,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub next: Option<String>,
    pub customers: Vec<CustomerHit>,
}

impl SearchFilter {
    /// The filter in the store's terms, each value checked against what the archive can hold so
    /// a typo is a clear refusal rather than an empty page.
    pub fn to_where(&self, account_id: i64) -> Result<SearchWhere, AppError> {
        fn one_of(what: &str, v: &Option<String>, allowed: &[&str]) -> Result<Option<String>, AppError> {
            match v.as_deref() {
                None | Some("") => Ok(None),
                Some(s) if allowed.contains(&s) => Ok(Some(s.to_string())),
                Some(s) => Err(AppError::new(ErrorCode::SearchInvalid, format!("\"{s}\" is not a {what} CubeDesk knows."))),
            }
        }
        if let (Some(from), Some(to)) = (self.from_ms, self.to_ms) {
            if from >= to {
                return Err(AppError::new(ErrorCode::SearchInvalid, "The start date must be before the end date."));
            }
        }
        Ok(SearchWhere {
            account_id,
            customer_id: self.customer_id,
            number_id: self.number_id,
            from_ms: self.from_ms,
            to_ms: self.to_ms,
            direction: one_of("direction", &self.direction, &["inbound", "outbound"])?,
            kind: one_of(
                "message type",
                &self.kind,
                &["text", "image", "video", "audio", "document", "template", "interactive", "location", "sticker", "reaction"],
            )?,
            status: one_of(
                "message status",
                &self.status,
                &["pending", "unconfirmed", "queued", "scheduled", "sent", "delivered", "read", "failed"],
            )?,
            category: one_of("category", &self.category, &["SERVICE", "MARKETING", "UTILITY", "AUTHENTICATION"])?,
            tag: self.tag.clone().filter(|t| !t.trim().is_empty()),
        })
    }
}

/// One page of results. Customers are looked up on the first page only.
pub async fn search(
    store: &Store,
    account_id: i64,
    query: &str,
    filter: &SearchFilter,
    order: SearchOrder,
    after: Option<&str>,
    limit: u32,
) -> Result<SearchResults, AppError> {
    let w = filter.to_where(account_id)?;
    let order = match order {
        SearchOrder::Newest => Order::Newest,
        SearchOrder::Relevance => Order::Relevance,
    };
    let after = match after {
        None => None,
        Some(token) => Some(
            SearchCursor::decode(token)
                .filter(|c| c.order == order)
                .ok_or_else(|| AppError::new(ErrorCode::SearchInvalid, "This page of results has expired; search again."))?,
        ),
    };
    let Some(parsed) = parse_query(query) else {
        return Ok(SearchResults::default());
    };
    index::catch_up(store.pool()).await?;
    let max_id = match after {
        Some(c) => c.max_id,
        None => index::newest_message_id(store.pool()).await?,
    };
    let limit = limit.clamp(1, 200);
    let rows = index::search_messages(store.pool(), &parsed.fts, &w, order, after, max_id, limit).await?;
    let next = (rows.len() as u32 == limit).then(|| rows.last().map(|r| r.cursor(order, max_id).encode())).flatten();
    let hits = rows.into_iter().map(|r| to_hit(r, &parsed.terms)).collect();
    let customers = if after.is_none() && filter.customer_id.is_none() {
        customers(store, account_id, query, &parsed.fts, &parsed.terms).await?
    } else {
        Vec::new()
    };
    Ok(SearchResults { hits, next, customers })
}

fn to_hit(r: index::HitRow, terms: &[Term]) -> SearchHit {
    SearchHit {
        snippet: snippet(&r.searchable.text(), terms, SNIPPET_CHARS),
        message_id: r.message_id,
        conversation_id: r.conversation_id,
        customer_id: r.customer_id,
        customer_name: r.customer_name,
        phone: r.phone,
        number_name: r.number_name,
        direction: r.direction,
        kind: r.kind,
        status: r.status,
        created_at: from_ms(r.created_at),
        imported: r.imported,
    }
}

async fn customers(store: &Store, account_id: i64, query: &str, fts: &str, terms: &[Term]) -> Result<Vec<CustomerHit>, AppError> {
    let q = match phone_digits(query) {
        Some(d) => CustomerQuery::PhoneDigits(d),
        None => CustomerQuery::Words(fts.to_string()),
    };
    let rows = index::search_customers(store.pool(), account_id, &q, 10).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let tags = crate::store::customers::tags(store.pool(), r.customer_id).await?;
        out.push(CustomerHit {
            customer_id: r.customer_id,
            conversation_id: r.conversation_id,
            name: r.name.as_deref().map(|n| highlight(n, terms)).unwrap_or_default(),
            phone: r.phone,
            tags,
        });
    }
    Ok(out)
}
