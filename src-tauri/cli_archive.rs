//! The archive from the command line: search, export, import, stats, backup, restore and the
//! generator. Each uses the same core functions as the window; `--json` prints what the window
//! would receive, and the exit code says what happened (see `cli::exit`).

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use clap::{Args, ValueEnum};

use crate::cli::exit;
use crate::commands::error::{AppError, ErrorCode};
use crate::commands::export::{ExportFormat, ExportScope};
use crate::commands::import::{DateOrderInput, ImportInput};
use crate::commands::search::{SearchFilter, SearchOrder};
use crate::domain::phone::Phone;
use crate::store::Store;

#[derive(Debug, Clone, Args)]
pub struct Filters {
    /// Only this customer (their phone, any spelling).
    #[arg(long, value_name = "PHONE")]
    pub customer: Option<String>,
    /// Only this WhatsApp number (its API ID).
    #[arg(long, value_name = "API_ID")]
    pub number: Option<String>,
    /// From this day (YYYY-MM-DD, local time).
    #[arg(long, value_name = "DAY")]
    pub from: Option<String>,
    /// Up to and including this day (YYYY-MM-DD, local time).
    #[arg(long, value_name = "DAY")]
    pub to: Option<String>,
    #[arg(long, value_parser = ["inbound", "outbound"])]
    pub direction: Option<String>,
    /// text, image, video, audio, document, template, interactive, location, sticker, reaction.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// pending, queued, sent, delivered, read, failed, ...
    #[arg(long)]
    pub status: Option<String>,
    /// SERVICE, MARKETING, UTILITY or AUTHENTICATION.
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub tag: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OrderArg {
    Newest,
    Relevance,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Csv,
    Json,
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DateOrderArg {
    DayFirst,
    MonthFirst,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime")
}

/// Prints an error as the window would get it (JSON) or as a sentence, and returns its exit code.
pub fn fail(e: &AppError, json: bool) -> i32 {
    if json {
        println!("{}", serde_json::to_string_pretty(e).expect("error serialises"));
    } else {
        eprintln!("{}", e.message);
    }
    crate::cli::exit_code(e)
}

fn print_json<T: serde::Serialize>(v: &T) {
    println!("{}", serde_json::to_string_pretty(v).expect("result serialises"));
}

/// Opens the archive and its account, runs `f`, and closes it cleanly.
fn with_account<F, Fut>(data_dir: &Path, json: bool, f: F) -> i32
where
    F: FnOnce(std::sync::Arc<Store>, i64) -> Fut,
    Fut: std::future::Future<Output = Result<i32, AppError>>,
{
    runtime().block_on(async {
        let store = match Store::open(data_dir).await {
            Ok(s) => std::sync::Arc::new(s),
            Err(e) => return fail(&e.into(), json),
        };
        let account = match crate::store::accounts::current_account(store.pool()).await {
            Ok(Some(a)) => a.id,
            Ok(None) => {
                let e = AppError::new(ErrorCode::NoAccount, "This archive has no account yet: connect one in the app (or generate one with `cubedesk gen`).");
                return fail(&e, json);
            }
            Err(e) => return fail(&e.into(), json),
        };
        let code = match f(store.clone(), account).await {
            Ok(code) => code,
            Err(e) => fail(&e, json),
        };
        store.checkpoint().await;
        store.pool().close().await;
        code
    })
}

fn day_start(day: &str, what: &str) -> Result<i64, AppError> {
    let d = NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|_| AppError::new(ErrorCode::SearchInvalid, format!("--{what} takes a day written YYYY-MM-DD, not \"{day}\".")))?;
    let local = chrono::Local
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .ok_or_else(|| AppError::new(ErrorCode::SearchInvalid, format!("{day} has no midnight here.")))?;
    Ok(local.with_timezone(&Utc).timestamp_millis())
}

async fn filter_of(store: &Store, account_id: i64, f: &Filters) -> Result<SearchFilter, AppError> {
    let customer_id = match &f.customer {
        None => None,
        Some(p) => {
            let phone = Phone::parse(p)?;
            let id: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE account_id = ? AND phone = ?")
                .bind(account_id)
                .bind(phone.digits())
                .fetch_optional(store.pool())
                .await
                .map_err(crate::store::StoreError::from)?;
            Some(id.ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("No customer with the phone {p} in this archive.")))?)
        }
    };
    let number_id = match &f.number {
        None => None,
        Some(api) => {
            let numbers = crate::store::accounts::current_account(store.pool()).await?.map(|a| a.numbers).unwrap_or_default();
            Some(
                numbers
                    .iter()
                    .find(|n| n.api_id == *api)
                    .map(|n| n.id)
                    .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("No WhatsApp number with the API ID {api} in this archive.")))?,
            )
        }
    };
    Ok(SearchFilter {
        customer_id,
        number_id,
        from_ms: f.from.as_deref().map(|d| day_start(d, "from")).transpose()?,
        to_ms: f.to.as_deref().map(|d| day_start(d, "to").map(|ms| ms + 86_400_000)).transpose()?,
        direction: f.direction.clone(),
        kind: f.kind.clone(),
        status: f.status.clone(),
        category: f.category.clone(),
        tag: f.tag.clone(),
    })
}

pub fn search(data_dir: &Path, query: String, filters: Filters, order: OrderArg, limit: u32, json: bool) -> i32 {
    with_account(data_dir, json, |store, account| async move {
        let filter = filter_of(&store, account, &filters).await?;
        let order = match order {
            OrderArg::Newest => SearchOrder::Newest,
            OrderArg::Relevance => SearchOrder::Relevance,
        };
        let mut hits = Vec::new();
        let mut customers = Vec::new();
        let mut after: Option<String> = None;
        while (hits.len() as u32) < limit {
            let page = crate::commands::search::search(&store, account, &query, &filter, order, after.as_deref(), (limit - hits.len() as u32).min(200)).await?;
            if customers.is_empty() {
                customers = page.customers;
            }
            hits.extend(page.hits);
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        let found = !hits.is_empty() || !customers.is_empty();
        if json {
            print_json(&serde_json::json!({ "hits": hits, "customers": customers }));
        } else {
            for c in &customers {
                let name: String = c.name.iter().map(|s| s.text.as_str()).collect();
                println!("customer  +{}  {}", c.phone, name);
            }
            for h in &hits {
                let text: String = h.snippet.iter().map(|s| if s.hit { format!("[{}]", s.text) } else { s.text.clone() }).collect();
                println!(
                    "{}  {}  +{}  {}  {}",
                    h.created_at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M"),
                    if h.direction == "inbound" { "in " } else { "out" },
                    h.phone,
                    h.customer_name.as_deref().unwrap_or(""),
                    text
                );
            }
        }
        Ok(if found { exit::OK } else { exit::NOTHING_FOUND })
    })
}

pub fn export(data_dir: &Path, out: PathBuf, format: FormatArg, query: Option<String>, filters: Filters, json: bool) -> i32 {
    with_account(data_dir, json, |store, account| async move {
        let filter = filter_of(&store, account, &filters).await?;
        let scope = match (query, filter.customer_id) {
            (Some(q), _) => ExportScope::Search { query: q, filter },
            (None, Some(customer_id)) => ExportScope::Customer { customer_id },
            (None, None) => ExportScope::All,
        };
        let format = match format {
            FormatArg::Csv => ExportFormat::Csv,
            FormatArg::Json => ExportFormat::Json,
            FormatArg::Html => ExportFormat::Html,
        };
        crate::commands::export::outside_data_dir(&out, store.data_dir())?;
        let r = crate::commands::export::export(&store, account, &scope, format, &out, crate::commands::import::local_offset_minutes()).await?;
        if json {
            print_json(&r);
        } else {
            println!("Saved {} messages to {} ({} bytes).", r.messages, r.path, r.bytes);
        }
        Ok(exit::OK)
    })
}

/// Is this file a CubeDesk JSON export (read back as is) rather than a WhatsApp chat?
fn is_cubedesk_json(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    String::from_utf8_lossy(&head[..n]).trim_start().starts_with("{\"format\":\"cubedesk-export\"")
}

#[allow(clippy::too_many_arguments)]
pub fn import(
    data_dir: &Path,
    file: PathBuf,
    phone: Option<String>,
    me: Option<String>,
    name: Option<String>,
    date_order: Option<DateOrderArg>,
    utc_offset: Option<i32>,
    dry_run: bool,
    json: bool,
) -> i32 {
    with_account(data_dir, json, |store, account| async move {
        if is_cubedesk_json(&file) {
            if dry_run {
                return Err(AppError::new(ErrorCode::SearchInvalid, "--dry-run reads WhatsApp chat files; a CubeDesk export is imported as it is."));
            }
            let r = crate::commands::export::import_json(&store, account, &file).await?;
            if json {
                print_json(&r);
            } else {
                println!("Imported {} messages in {} conversations; {} were already in the archive.", r.imported, r.conversations, r.duplicates);
            }
            return Ok(exit::OK);
        }
        let phone = phone.ok_or_else(|| AppError::new(ErrorCode::InvalidPhone, "Give the customer's phone with --phone (a WhatsApp chat file does not contain it)."))?;
        let input = ImportInput {
            path: file.display().to_string(),
            phone,
            me,
            customer_name: name,
            number_id: None,
            date_order: date_order.map(|d| match d {
                DateOrderArg::DayFirst => DateOrderInput::DayFirst,
                DateOrderArg::MonthFirst => DateOrderInput::MonthFirst,
            }),
            utc_offset_minutes: utc_offset,
        };
        let preview = crate::commands::import::preview(&store, account, &input).await?;
        let problems = |ps: &[crate::commands::import::ImportProblem]| {
            for p in ps {
                eprintln!("line {}: {} ({})", p.line, p.reason, p.text);
            }
        };
        if dry_run {
            if json {
                print_json(&preview);
            } else {
                problems(&preview.problems);
                println!(
                    "{} messages from {} people ({}); {} already in the archive. You are: {}.",
                    preview.messages,
                    preview.authors.len(),
                    preview.authors.iter().map(|a| format!("{} ×{}", a.name, a.count)).collect::<Vec<_>>().join(", "),
                    preview.already_imported,
                    preview.suggested_me.as_deref().unwrap_or("unknown (give --me)")
                );
            }
            return Ok(if preview.problems.is_empty() { exit::OK } else { exit::PARTIAL });
        }
        let r = crate::commands::import::import(&store, account, &input).await?;
        if json {
            print_json(&r);
        } else {
            problems(&r.problems);
            println!("Imported {} messages; {} were already in the archive; {} lines could not be read.", r.imported, r.duplicates, r.problems.len());
        }
        Ok(if r.problems.is_empty() { exit::OK } else { exit::PARTIAL })
    })
}

pub fn stats(data_dir: &Path, from: Option<String>, to: Option<String>, number: Option<String>, csv: Option<PathBuf>, json: bool) -> i32 {
    with_account(data_dir, json, |store, account| async move {
        let now = Utc::now();
        let filters = Filters { customer: None, number, from, to, direction: None, kind: None, status: None, category: None, tag: None };
        let f = filter_of(&store, account, &filters).await?;
        let query = crate::commands::insights::InsightsQuery {
            from_ms: f.from_ms.unwrap_or(now.timestamp_millis() - 30 * 86_400_000),
            to_ms: f.to_ms.unwrap_or(now.timestamp_millis() + 1),
            number_id: f.number_id,
            utc_offset_minutes: crate::commands::import::local_offset_minutes(),
        };
        if let Some(path) = csv {
            crate::commands::export::outside_data_dir(&path, store.data_dir())?;
            let r = crate::commands::insights::export_csv(&store, account, &query, &path).await?;
            if !json {
                println!("Saved the figures to {} ({} bytes).", r.path, r.bytes);
            } else {
                print_json(&r);
            }
            return Ok(exit::OK);
        }
        let i = crate::commands::insights::insights(&store, account, &query, now).await?;
        if json {
            print_json(&i);
            return Ok(exit::OK);
        }
        let (inbound, outbound) = i.days.iter().fold((0, 0), |a, d| (a.0 + d.inbound, a.1 + d.outbound));
        println!("messages:        {inbound} in, {outbound} out over {} days with messages", i.days.len());
        for c in &i.categories {
            println!("  {:<15} {} sends, cost {:.2} {}", c.category, c.sends, c.cost, c.currency.as_deref().unwrap_or(""));
        }
        let pct = |r: Option<f64>| r.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_else(|| "-".into());
        println!("delivered:       {} ({})", i.delivery.delivered, pct(i.delivery.delivery_rate));
        println!("read:            {} ({})", i.delivery.read, pct(i.delivery.read_rate));
        println!("failed:          {}", i.delivery.failed);
        for f in &i.failures {
            println!("  {} × {} {}", f.count, f.code.as_deref().unwrap_or(""), f.reason);
        }
        match i.median_first_response_minutes {
            Some(m) => println!("first response:  {m:.0} min (median)"),
            None => println!("first response:  -"),
        }
        println!("closed unanswered: {}", i.unanswered.len());
        Ok(exit::OK)
    })
}

pub fn backup(data_dir: &Path, out: PathBuf, json: bool) -> i32 {
    with_account_or_none(data_dir, json, |store| async move {
        crate::commands::export::outside_data_dir(&out, store.data_dir())?;
        let r = crate::commands::backup::backup(&store, &out).await?;
        if json {
            print_json(&r);
        } else {
            println!("Backed up the archive to {} ({} bytes).", r.path, r.bytes);
        }
        Ok(exit::OK)
    })
}

fn with_account_or_none<F, Fut>(data_dir: &Path, json: bool, f: F) -> i32
where
    F: FnOnce(std::sync::Arc<Store>) -> Fut,
    Fut: std::future::Future<Output = Result<i32, AppError>>,
{
    runtime().block_on(async {
        let store = match Store::open(data_dir).await {
            Ok(s) => std::sync::Arc::new(s),
            Err(e) => return fail(&e.into(), json),
        };
        let code = match f(store.clone()).await {
            Ok(c) => c,
            Err(e) => fail(&e, json),
        };
        store.checkpoint().await;
        store.pool().close().await;
        code
    })
}

/// Checks the backup, then swaps it in (the current archive is kept beside it). Refused while
/// CubeDesk has the folder open.
pub fn restore(data_dir: &Path, file: PathBuf, json: bool) -> i32 {
    runtime().block_on(async {
        let lock = match crate::store::DataDirLock::acquire(data_dir) {
            Ok(l) => l,
            Err(e) => return fail(&e.into(), json),
        };
        let staged = crate::commands::backup::stage(&file, data_dir).await;
        drop(lock);
        let summary = match staged {
            Ok(s) => s,
            Err(e) => return fail(&e, json),
        };
        // Opening the archive swaps the staged copy in and migrates it if it is older.
        match Store::open(data_dir).await {
            Ok(s) => s.close().await,
            Err(e) => return fail(&e.into(), json),
        }
        if json {
            print_json(&summary);
        } else {
            println!(
                "Restored {} customers, {} conversations and {} messages. The previous archive was kept in {}.",
                summary.customers,
                summary.conversations,
                summary.messages,
                data_dir.display()
            );
        }
        exit::OK
    })
}

pub fn generate(data_dir: &Path, messages: u64, customers: u64, seed: u64, json: bool) -> i32 {
    with_account_or_none(data_dir, json, |store| async move {
        if customers == 0 {
            return Err(AppError::new(ErrorCode::SearchInvalid, "--customers must be at least 1."));
        }
        let started = std::time::Instant::now();
        let now: DateTime<Utc> = Utc::now();
        let g = crate::store::generate::generate(store.pool(), crate::store::generate::Spec { messages, customers, seed, now, years: 3 }).await?;
        if json {
            print_json(&g);
        } else {
            println!(
                "Generated {} messages for {} customers in {:.1} s; the largest conversation ({}) has {} messages.",
                g.messages,
                g.customers,
                started.elapsed().as_secs_f64(),
                g.largest_conversation_id,
                g.largest_conversation_messages
            );
        }
        Ok(exit::OK)
    })
}
