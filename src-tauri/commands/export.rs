//! Exports: one conversation, one customer, a search's results or everything, as CSV (for Excel),
//! JSON (every field, read back by [`import_json`]) or a printable HTML transcript. A file is
//! written under a temporary name beside the target and renamed into place only when complete, so
//! a failure never leaves half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use super::error::{AppError, ErrorCode};
use super::search::{SearchFilter, SearchOrder};
use crate::store::export::{export_chunk, ExportRow, JsonConversation, JsonCustomer, JsonMessage, JsonNumber, Selection};
use crate::store::search::Searchable;
use crate::store::time::{from_ms, opt_from_ms};
use crate::store::Store;

/// The JSON export's `format` value; an import refuses any other.
pub const JSON_FORMAT: &str = "cubedesk-export";
pub const JSON_VERSION: u32 = 1;

const CHUNK: u32 = 5000;

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Json,
    Html,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ExportScope {
    Conversation { conversation_id: i64 },
    Customer { customer_id: i64 },
    Search { query: String, filter: SearchFilter },
    All,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ExportResult {
    pub path: String,
    pub messages: u64,
    pub bytes: u64,
}

/// The whole JSON export document (documented in docs/export-format.md).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct JsonExport {
    pub format: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub conversations: Vec<JsonConversation>,
}

/// A file being written: a temporary file in the target's folder, renamed over the target by
/// [`Output::finish`]; dropped unfinished, it is deleted.
pub struct Output {
    file: std::io::BufWriter<tempfile::NamedTempFile>,
    target: PathBuf,
}

impl Output {
    pub fn create(target: &Path) -> Result<Output, AppError> {
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if target.is_dir() {
            return Err(unwritable(target, "it is a folder"));
        }
        let tmp = tempfile::Builder::new()
            .prefix(".cubedesk-")
            .suffix(".part")
            .tempfile_in(&dir)
            .map_err(|e| unwritable(target, &e.to_string()))?;
        Ok(Output { file: std::io::BufWriter::new(tmp), target: target.to_path_buf() })
    }

    pub fn writer(&mut self) -> &mut impl Write {
        &mut self.file
    }

    /// Flushes, syncs to disk and renames into place. Returns the file's size.
    pub fn finish(self) -> Result<u64, AppError> {
        let target = self.target.clone();
        let tmp = self.file.into_inner().map_err(|e| unwritable(&target, &e.error().to_string()))?;
        tmp.as_file().sync_all().map_err(|e| unwritable(&target, &e.to_string()))?;
        let file = tmp.persist(&target).map_err(|e| unwritable(&target, &e.error.to_string()))?;
        Ok(file.metadata().map(|m| m.len()).unwrap_or(0))
    }
}

/// Refuses a target inside CubeDesk's own data folder, where a file could replace the open archive.
pub fn outside_data_dir(target: &Path, data_dir: &Path) -> Result<(), AppError> {
    let parent = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (Ok(parent), Ok(data)) = (parent.canonicalize(), data_dir.canonicalize()) else { return Ok(()) };
    if parent.starts_with(&data) {
        return Err(AppError::new(
            ErrorCode::FileUnwritable,
            format!("{} is inside CubeDesk's own data folder; choose another folder (nothing was saved).", target.display()),
        ));
    }
    Ok(())
}

pub fn unwritable(path: &Path, why: &str) -> AppError {
    AppError::new(
        ErrorCode::FileUnwritable,
        format!("CubeDesk could not save {} ({why}). Choose a folder you can write to; nothing was saved.", path.display()),
    )
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> AppError + '_ {
    move |e| unwritable(path, &e.to_string())
}

/// What `scope` means in the archive.
pub async fn selection(store: &Store, account_id: i64, scope: &ExportScope) -> Result<Selection, AppError> {
    Ok(match scope {
        ExportScope::Conversation { conversation_id } => Selection::Conversation(*conversation_id),
        ExportScope::Customer { customer_id } => Selection::Customer(*customer_id),
        ExportScope::All => Selection::All,
        ExportScope::Search { query, filter } => {
            let mut ids = Vec::new();
            let mut after: Option<String> = None;
            loop {
                let page = super::search::search(store, account_id, query, filter, SearchOrder::Newest, after.as_deref(), 200).await?;
                ids.extend(page.hits.iter().map(|h| h.message_id));
                match page.next {
                    Some(n) => after = Some(n),
                    None => break,
                }
            }
            Selection::Messages(ids)
        }
    })
}

/// Writes the selected messages to `path`. `utc_offset_minutes` sets the local time columns of
/// CSV and HTML (JSON is always UTC).
pub async fn export(
    store: &Store,
    account_id: i64,
    scope: &ExportScope,
    format: ExportFormat,
    path: &Path,
    utc_offset_minutes: i32,
) -> Result<ExportResult, AppError> {
    let selection = selection(store, account_id, scope).await?;
    let offset = FixedOffset::east_opt(utc_offset_minutes * 60).unwrap_or(FixedOffset::east_opt(0).expect("zero offset"));
    let mut out = Output::create(path)?;
    let mut writer = Writer::new(format, offset, store);
    writer.start(out.writer()).map_err(io_err(path))?;
    let mut after = None;
    let mut messages = 0u64;
    loop {
        let rows = export_chunk(store.pool(), account_id, &selection, after.as_ref(), CHUNK).await?;
        for row in &rows {
            writer.row(out.writer(), row).await.map_err(io_err(path))?;
        }
        messages += rows.len() as u64;
        match rows.last() {
            Some(last) if rows.len() as u32 == CHUNK => after = Some(last.cursor()),
            _ => break,
        }
    }
    writer.end(out.writer()).await.map_err(io_err(path))?;
    let bytes = out.finish()?;
    Ok(ExportResult { path: path.display().to_string(), messages, bytes })
}

/// The format-specific part of an export: rows arrive grouped by conversation, in time order.
struct Writer<'a> {
    format: ExportFormat,
    offset: FixedOffset,
    store: &'a Store,
    current: Option<JsonConversation>,
    first_conversation: bool,
}

const CSV_HEADER: [&str; 16] = [
    "local_time", "utc_time", "direction", "customer_name", "customer_phone", "whatsapp_number", "type", "text",
    "status", "category", "cost", "currency", "failure_reason", "imported", "template", "message_id",
];

impl<'a> Writer<'a> {
    fn new(format: ExportFormat, offset: FixedOffset, store: &'a Store) -> Self {
        Writer { format, offset, store, current: None, first_conversation: true }
    }

    fn start(&mut self, w: &mut impl Write) -> std::io::Result<()> {
        match self.format {
            // The byte-order mark makes Excel read the file as UTF-8, so Arabic shows as Arabic.
            ExportFormat::Csv => {
                w.write_all("\u{feff}".as_bytes())?;
                csv_line(w, CSV_HEADER.iter().map(|s| s.to_string()).collect())
            }
            ExportFormat::Json => write!(
                w,
                "{{\"format\":\"{JSON_FORMAT}\",\"version\":{JSON_VERSION},\"exportedAt\":{},\"conversations\":[",
                serde_json::to_string(&Utc::now()).expect("time serialises")
            ),
            ExportFormat::Html => w.write_all(HTML_HEAD.as_bytes()),
        }
    }

    async fn row(&mut self, w: &mut impl Write, r: &ExportRow) -> std::io::Result<()> {
        match self.format {
            ExportFormat::Csv => csv_line(
                w,
                vec![
                    from_ms(r.created_at).with_timezone(&self.offset).format("%Y-%m-%d %H:%M:%S").to_string(),
                    from_ms(r.created_at).to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    r.direction.clone(),
                    r.customer_name.clone().unwrap_or_default(),
                    format!("+{}", r.customer_phone),
                    r.number_name.clone(),
                    r.kind.clone(),
                    r.searchable.text(),
                    r.status.clone().unwrap_or_default(),
                    r.category.clone().unwrap_or_default(),
                    r.cost.map(|c| c.to_string()).unwrap_or_default(),
                    r.cost_currency.clone().unwrap_or_default(),
                    r.failure_reason.clone().unwrap_or_default(),
                    if r.imported { "yes".into() } else { "no".into() },
                    r.template_name.clone().unwrap_or_default(),
                    r.local_id.clone(),
                ],
            ),
            ExportFormat::Json | ExportFormat::Html => {
                let same = self.current.as_ref().is_some_and(|c| c.number.api_id == r.number_api_id && c.customer.phone == r.customer_phone);
                if !same {
                    self.flush_conversation(w)?;
                    let tags = crate::store::customers::tags(self.store.pool(), r.customer_id).await.map_err(std::io::Error::other)?;
                    self.current = Some(JsonConversation {
                        number: JsonNumber { api_id: r.number_api_id.clone(), display_name: r.number_name.clone(), phone: r.number_phone.clone() },
                        customer: JsonCustomer {
                            phone: r.customer_phone.clone(),
                            name: r.customer_name.clone(),
                            email: r.customer_email.clone(),
                            status: r.customer_status.clone(),
                            tags,
                            metadata: serde_json::from_str(&r.customer_metadata).unwrap_or(serde_json::Value::Null),
                        },
                        messages: Vec::new(),
                    });
                }
                if let Some(c) = self.current.as_mut() {
                    c.messages.push(json_message(r));
                }
                Ok(())
            }
        }
    }

    fn flush_conversation(&mut self, w: &mut impl Write) -> std::io::Result<()> {
        let Some(c) = self.current.take() else { return Ok(()) };
        match self.format {
            ExportFormat::Json => {
                if !self.first_conversation {
                    w.write_all(b",")?;
                }
                w.write_all(b"\n")?;
                serde_json::to_writer(&mut *w, &c)?;
            }
            ExportFormat::Html => html_conversation(w, &c, self.offset)?,
            ExportFormat::Csv => {}
        }
        self.first_conversation = false;
        Ok(())
    }

    async fn end(&mut self, w: &mut impl Write) -> std::io::Result<()> {
        self.flush_conversation(w)?;
        match self.format {
            ExportFormat::Csv => Ok(()),
            ExportFormat::Json => w.write_all(b"\n]}\n"),
            ExportFormat::Html => w.write_all(b"</body>\n</html>\n"),
        }
    }
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula: customer text
/// must never do that, so such a cell starts with an apostrophe (shown by no spreadsheet).
pub fn csv_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

fn csv_line(w: &mut impl Write, fields: Vec<String>) -> std::io::Result<()> {
    let mut c = csv::WriterBuilder::new().from_writer(Vec::new());
    c.write_record(fields.iter().map(|f| csv_cell(f))).map_err(std::io::Error::other)?;
    let bytes = c.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
    w.write_all(&bytes)
}

fn json_message(r: &ExportRow) -> JsonMessage {
    let json = |s: &Option<String>| s.as_deref().and_then(|j| serde_json::from_str(j).ok());
    JsonMessage {
        local_id: r.local_id.clone(),
        direction: r.direction.clone(),
        kind: r.kind.clone(),
        created_at: from_ms(r.created_at),
        text: r.searchable.text.clone(),
        media_caption: r.searchable.media_caption.clone(),
        media_filename: r.searchable.media_filename.clone(),
        media_mime: r.media_mime.clone(),
        media_link: r.media_link.clone(),
        media_placeholder: r.media_placeholder.clone(),
        template_name: r.template_name.clone(),
        template_language: r.template_language.clone(),
        template_params: json(&r.template_params),
        template_header_link: r.template_header_link.clone(),
        rendered_body: r.searchable.rendered_body.clone(),
        interactive: json(&r.searchable.interactive),
        location_lat: r.location_lat,
        location_lng: r.location_lng,
        location_name: r.searchable.location_name.clone(),
        location_address: r.searchable.location_address.clone(),
        reaction_emoji: r.reaction_emoji.clone(),
        reaction_to_local_id: r.reaction_to_local_id.clone(),
        reaction_to_wamid: r.reaction_to_wamid.clone(),
        status: r.status.clone(),
        pending_at: opt_from_ms(r.pending_at),
        unconfirmed_at: opt_from_ms(r.unconfirmed_at),
        queued_at: opt_from_ms(r.queued_at),
        scheduled_at: opt_from_ms(r.scheduled_at),
        sent_at: opt_from_ms(r.sent_at),
        delivered_at: opt_from_ms(r.delivered_at),
        read_at: opt_from_ms(r.read_at),
        failed_at: opt_from_ms(r.failed_at),
        failure_code: r.failure_code.clone(),
        failure_reason: r.failure_reason.clone(),
        category: r.category.clone(),
        cost: r.cost,
        cost_currency: r.cost_currency.clone(),
        message_log_id: r.message_log_id.clone(),
        wamid: r.wamid.clone(),
        imported: r.imported,
    }
}

const HTML_HEAD: &str = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>CubeDesk transcript</title>\n<style>
body { font-family: system-ui, 'Noto Sans', 'Noto Sans Arabic', sans-serif; margin: 2rem; color: #111; }
section { break-before: page; }
section:first-of-type { break-before: auto; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ccc; padding-bottom: .3rem; }
.msg { margin: .4rem 0; padding: .4rem .6rem; border-radius: 6px; max-width: 75%; break-inside: avoid; }
.inbound { background: #f1f1f1; margin-inline-end: auto; }
.outbound { background: #dcf8c6; margin-inline-start: auto; }
.meta { font-size: .75rem; color: #555; }
.body { white-space: pre-wrap; overflow-wrap: anywhere; }
</style>\n</head>\n<body>\n";

fn esc(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

/// One conversation of the transcript. Every piece of customer text is escaped and carries
/// `dir="auto"`, so Arabic reads right to left and English left to right on the same page.
fn html_conversation(w: &mut impl Write, c: &JsonConversation, offset: FixedOffset) -> std::io::Result<()> {
    let who = match &c.customer.name {
        Some(n) => format!("{} (+{})", esc(n), esc(&c.customer.phone)),
        None => format!("+{}", esc(&c.customer.phone)),
    };
    writeln!(w, "<section>\n<h2 dir=\"auto\">{who} · {}</h2>", esc(&c.number.display_name))?;
    for m in &c.messages {
        let text = Searchable {
            text: m.text.clone(),
            media_caption: m.media_caption.clone(),
            media_filename: m.media_filename.clone(),
            rendered_body: m.rendered_body.clone(),
            interactive: m.interactive.as_ref().map(|v| v.to_string()),
            location_name: m.location_name.clone(),
            location_address: m.location_address.clone(),
        }
        .text();
        let text = if text.is_empty() { m.reaction_emoji.clone().unwrap_or_else(|| format!("[{}]", m.kind)) } else { text };
        let mut meta = m.created_at.with_timezone(&offset).format("%Y-%m-%d %H:%M").to_string();
        if let Some(s) = &m.status {
            meta.push_str(&format!(" · {s}"));
        }
        if m.imported {
            meta.push_str(" · imported");
        }
        writeln!(
            w,
            "<div class=\"msg {}\"><div class=\"meta\">{}</div><div class=\"body\" dir=\"auto\">{}</div></div>",
            if m.direction == "outbound" { "outbound" } else { "inbound" },
            esc(&meta),
            esc(&text)
        )?;
    }
    writeln!(w, "</section>")
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct JsonImportResult {
    pub conversations: u64,
    pub imported: u64,
    pub duplicates: u64,
}

/// Reads a CubeDesk JSON export back into the account; messages already present are skipped.
pub async fn import_json(store: &Store, account_id: i64, path: &Path) -> Result<JsonImportResult, AppError> {
    let bytes = std::fs::read(path).map_err(|e| {
        AppError::new(ErrorCode::FileUnreadable, format!("CubeDesk could not read {} ({e}).", path.display()))
    })?;
    let doc: JsonExport = serde_json::from_slice(&bytes).map_err(|e| {
        AppError::new(ErrorCode::ImportUnknownLayout, format!("{} is not a CubeDesk JSON export ({e}). Nothing was imported.", path.display()))
    })?;
    if doc.format != JSON_FORMAT || doc.version > JSON_VERSION {
        return Err(AppError::new(
            ErrorCode::ImportUnknownLayout,
            format!("{} is not a CubeDesk JSON export this version can read. Nothing was imported.", path.display()),
        ));
    }
    let refused = |why: String| {
        AppError::new(ErrorCode::ImportUnknownLayout, format!("{} cannot be imported: {why}. Nothing was imported.", path.display()))
    };
    for c in &doc.conversations {
        crate::domain::phone::Phone::parse(&c.customer.phone).map_err(|_| refused(format!("the phone \"{}\" is not valid", c.customer.phone)))?;
    }
    let (imported, duplicates) = crate::store::export::import_json(store.pool(), account_id, &doc.conversations, Utc::now().timestamp_millis())
        .await
        .map_err(|e| match e {
            crate::store::StoreError::Sqlx(inner) => refused(inner.to_string()),
            other => other.into(),
        })?;
    let result = JsonImportResult { conversations: doc.conversations.len() as u64, imported, duplicates };
    Ok(result)
}
