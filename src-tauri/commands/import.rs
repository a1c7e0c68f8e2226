//! Importing WhatsApp's own "Export chat" files: a preview that changes nothing (what was found,
//! who is who, which lines could not be read), then the import itself, all or nothing.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::{AppError, ErrorCode};
use crate::domain::chat_export::{check_size, parse, suggest_me, DateOrder, ParseError, ParseOptions, ParsedChat, Problem};
use crate::domain::phone::Phone;
use crate::store::chat_import::{already_imported, import_chat, ChatImport};
use crate::store::Store;

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum DateOrderInput {
    DayFirst,
    MonthFirst,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ImportInput {
    pub path: String,
    pub phone: String,
    #[serde(default)]
    pub me: Option<String>,
    #[serde(default)]
    pub customer_name: Option<String>,
    #[serde(default)]
    pub number_id: Option<i64>,
    #[serde(default)]
    pub date_order: Option<DateOrderInput>,
    /// Minutes east of UTC of the phone that wrote the file; this computer's when absent.
    #[serde(default)]
    pub utc_offset_minutes: Option<i32>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ImportProblem {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Author {
    pub name: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub messages: usize,
    pub notices: usize,
    pub authors: Vec<Author>,
    pub suggested_me: Option<String>,
    pub first_at: Option<DateTime<Utc>>,
    pub last_at: Option<DateTime<Utc>>,
    pub date_order: DateOrderInput,
    pub already_imported: u64,
    pub problems: Vec<ImportProblem>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ImportResult {
    pub conversation_id: i64,
    pub imported: u64,
    pub duplicates: u64,
    pub problems: Vec<ImportProblem>,
}

impl From<ParseError> for AppError {
    fn from(e: ParseError) -> Self {
        let code = match e {
            ParseError::Empty => ErrorCode::ImportEmpty,
            ParseError::Binary => ErrorCode::ImportBinary,
            ParseError::TooLarge { .. } => ErrorCode::ImportTooLarge,
            ParseError::UnknownLayout => ErrorCode::ImportUnknownLayout,
        };
        AppError::new(code, format!("{} Nothing was imported.", e.message()))
    }
}

fn problems(p: &[Problem]) -> Vec<ImportProblem> {
    p.iter().map(|p| ImportProblem { line: p.line, text: p.text.clone(), reason: p.reason.clone() }).collect()
}

/// Reads and parses the file, refusing a huge one before reading it.
pub fn read(input: &ImportInput) -> Result<(Phone, ParsedChat), AppError> {
    let phone = Phone::parse(&input.phone)?;
    let path = Path::new(&input.path);
    let unreadable = |e: std::io::Error| {
        AppError::new(ErrorCode::FileUnreadable, format!("CubeDesk could not read {} ({e}). Nothing was imported.", path.display()))
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.is_dir() {
        return Err(AppError::new(ErrorCode::FileUnreadable, format!("{} is a folder; choose the chat's .txt file.", path.display())));
    }
    check_size(meta.len())?;
    let bytes = std::fs::read(path).map_err(unreadable)?;
    let options = ParseOptions {
        date_order: input.date_order.map(|d| match d {
            DateOrderInput::DayFirst => DateOrder::DayFirst,
            DateOrderInput::MonthFirst => DateOrder::MonthFirst,
        }),
        utc_offset_minutes: input.utc_offset_minutes.unwrap_or_else(local_offset_minutes),
    };
    Ok((phone, parse(&bytes, &options)?))
}

pub fn local_offset_minutes() -> i32 {
    chrono::Local::now().offset().local_minus_utc() / 60
}

/// The number a chat is imported on: the one chosen, or the account's first.
async fn number_of(store: &Store, account_id: i64, chosen: Option<i64>) -> Result<i64, AppError> {
    let numbers = crate::store::accounts::current_account(store.pool()).await?.filter(|a| a.id == account_id).map(|a| a.numbers).unwrap_or_default();
    match chosen {
        Some(id) => numbers.iter().find(|n| n.id == id).map(|n| n.id),
        None => numbers.first().map(|n| n.id),
    }
    .ok_or_else(|| AppError::new(ErrorCode::NotFound, "This WhatsApp number is not part of your account."))
}

pub async fn preview(store: &Store, account_id: i64, input: &ImportInput) -> Result<ImportPreview, AppError> {
    let (phone, chat) = read(input)?;
    let number_id = number_of(store, account_id, input.number_id).await?;
    Ok(ImportPreview {
        messages: chat.messages.len(),
        notices: chat.notices.len(),
        authors: chat.authors.iter().map(|(name, count)| Author { name: name.clone(), count: *count }).collect(),
        suggested_me: suggest_me(&chat, phone.digits()),
        first_at: chat.messages.first().map(|m| m.at),
        last_at: chat.messages.last().map(|m| m.at),
        date_order: match chat.date_order {
            DateOrder::DayFirst => DateOrderInput::DayFirst,
            DateOrder::MonthFirst => DateOrderInput::MonthFirst,
        },
        already_imported: already_imported(store.pool(), number_id, &phone, &chat.messages).await?,
        problems: problems(&chat.problems),
    })
}

/// Imports into `account_id`: the customer is found or created by phone, on the chosen number
/// (the account's first when none is given).
pub async fn import(store: &Store, account_id: i64, input: &ImportInput) -> Result<ImportResult, AppError> {
    let (phone, chat) = read(input)?;
    // An empty name is the owner saying none of the authors is them: every message is the customer's.
    let me = match input.me.as_deref().map(str::trim) {
        Some("") => String::new(),
        Some(name) => name.to_string(),
        None => match suggest_me(&chat, phone.digits()) {
            Some(me) => me,
            None if chat.authors.len() == 1 => String::new(),
            None => {
                return Err(AppError::new(
                    ErrorCode::ImportUnknownLayout,
                    "CubeDesk cannot tell which of the people in this chat is you. Choose your name from the list.",
                ))
            }
        },
    };
    let number_id = number_of(store, account_id, input.number_id).await?;
    let (conversation_id, imported, duplicates) = import_chat(
        store.pool(),
        &ChatImport {
            account_id,
            number_id,
            phone: &phone,
            customer_name: input.customer_name.as_deref(),
            me: &me,
            now: Utc::now(),
        },
        &chat.messages,
    )
    .await?;
    Ok(ImportResult { conversation_id, imported, duplicates, problems: problems(&chat.problems) })
}
