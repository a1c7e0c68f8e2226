//! The inbox list as the UI shows it: each conversation with its window state decided by the core.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::AppError;
use crate::domain::clock::ClockOffset;
use crate::domain::window::{window_state, ServerWindow, WindowPhase, WindowSource};
use crate::store::inbox::{inbox_page_where, inbox_rows, window_rows_where, InboxCursor, InboxRow, InboxWhere};
use crate::store::time::{from_ms, opt_from_ms};
use crate::store::Store;

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Cursor {
    pub last_message_at: i64,
    pub conversation_id: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Window {
    /// `neverOpened`, `open`, `closing` or `closed`.
    pub phase: &'static str,
    pub active: bool,
    pub expires_at: Option<DateTime<Utc>>,
    pub remaining_minutes: i64,
    /// `server` when CubeConnect confirmed it, `local` when computed on this computer.
    pub source: Option<&'static str>,
}

impl Window {
    pub fn compute(
        last_inbound_at: Option<DateTime<Utc>>,
        server: Option<ServerWindow>,
        now: DateTime<Utc>,
        offset: ClockOffset,
    ) -> Window {
        let w = window_state(last_inbound_at, server, now, offset);
        Window {
            phase: match w.phase {
                WindowPhase::NeverOpened => "neverOpened",
                WindowPhase::Open => "open",
                WindowPhase::Closing => "closing",
                WindowPhase::Closed => "closed",
            },
            active: w.active,
            expires_at: w.expires_at,
            remaining_minutes: w.remaining_minutes,
            source: w.source.map(|s| match s {
                WindowSource::Server => "server",
                WindowSource::Local => "local",
            }),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InboxItem {
    pub conversation_id: i64,
    pub number_id: i64,
    pub number_name: String,
    pub customer_id: i64,
    pub customer_name: Option<String>,
    pub customer_phone: String,
    pub customer_blocked: bool,
    pub last_message_at: Option<DateTime<Utc>>,
    pub unread_count: i64,
    pub last_type: Option<String>,
    pub last_direction: Option<String>,
    pub last_status: Option<String>,
    pub last_preview: Option<String>,
    pub window: Window,
    pub cursor: Cursor,
}

/// What the owner narrowed the list to.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    #[serde(default)]
    pub unread: bool,
    /// `open`, `closing` or `closed` (closed includes never opened: both take templates only).
    pub window: Option<String>,
    #[serde(default)]
    pub failed: bool,
    pub number_id: Option<i64>,
    pub tag: Option<String>,
    /// Part of a customer's name or phone.
    pub query: Option<String>,
}

/// Window inputs read per round while a window filter skips the rows it does not want.
const SCAN_BATCH: u32 = 5000;

pub async fn page(store: &Store, account_id: i64, filter: &Filter, after: Option<Cursor>, limit: u32) -> Result<Vec<InboxItem>, AppError> {
    let limit = limit.clamp(1, 500);
    let sql = InboxWhere {
        unread: filter.unread,
        failed: filter.failed,
        number_id: filter.number_id,
        tag: filter.tag.clone().filter(|t| !t.is_empty()),
        query: filter.query.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_string),
    };
    let now = Utc::now();
    let offset = super::conversation::clock_offset(store, account_id).await;
    let wanted = |phase: &str| match filter.window.as_deref() {
        None | Some("") => true,
        Some("closed") => matches!(phase, "closed" | "neverOpened"),
        Some(w) => w == phase,
    };
    let mut cursor = after.map(|c| InboxCursor { last_message_at: c.last_message_at, conversation_id: c.conversation_id });
    if filter.window.as_deref().is_none_or(str::is_empty) {
        let rows = inbox_page_where(store.pool(), account_id, &sql, cursor, limit).await?;
        return Ok(rows.into_iter().map(|r| item(r, now, offset)).collect());
    }
    // The window is the domain's rule, so it filters here rather than in SQL: decide the window
    // of each conversation from its few inputs, read on until the page is full or the list ends,
    // then read the chosen rows whole.
    let mut chosen = Vec::new();
    'scan: loop {
        let rows = window_rows_where(store.pool(), account_id, &sql, cursor, SCAN_BATCH).await?;
        let done = rows.len() < SCAN_BATCH as usize;
        for r in rows {
            cursor = Some(InboxCursor { last_message_at: r.last_message_at.unwrap_or(0), conversation_id: r.conversation_id });
            let window = Window::compute(opt_from_ms(r.last_inbound_at), server_window(r.server_window_expires_at, r.server_window_last_inbound_at), now, offset);
            if wanted(window.phase) {
                chosen.push(r.conversation_id);
                if chosen.len() == limit as usize {
                    break 'scan;
                }
            }
        }
        if done {
            break;
        }
    }
    Ok(inbox_rows(store.pool(), &chosen).await?.into_iter().map(|r| item(r, now, offset)).collect())
}

fn server_window(expires_at: Option<i64>, last_inbound_at: Option<i64>) -> Option<ServerWindow> {
    expires_at.map(|e| ServerWindow { expires_at: from_ms(e), last_inbound_at: opt_from_ms(last_inbound_at) })
}

/// A row as the inbox shows it, its window decided by the domain at `now` on the service's clock.
pub fn item(r: InboxRow, now: DateTime<Utc>, offset: ClockOffset) -> InboxItem {
    let server = server_window(r.server_window_expires_at, r.server_window_last_inbound_at);
    InboxItem {
        conversation_id: r.conversation_id,
        number_id: r.number_id,
        number_name: r.number_name,
        customer_id: r.customer_id,
        customer_name: r.customer_name,
        customer_phone: r.customer_phone,
        customer_blocked: r.customer_blocked,
        last_message_at: opt_from_ms(r.last_message_at),
        unread_count: r.unread_count,
        last_type: r.last_type,
        last_direction: r.last_direction,
        last_status: r.last_status,
        last_preview: r.last_preview,
        window: Window::compute(opt_from_ms(r.last_inbound_at), server, now, offset),
        cursor: Cursor { last_message_at: r.last_message_at.unwrap_or(0), conversation_id: r.conversation_id },
    }
}
