//! The command line. With no subcommand CubeDesk opens its window; subcommands work headless.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::commands::app::{app_status, AppState};
use crate::commands::error::{AppError, ErrorCode};
use crate::store::location::{platform_data_dir, resolve_data_dir, DATA_DIR_ENV};
use crate::store::Store;

/// Exit codes scripts can rely on.
pub mod exit {
    pub const OK: i32 = 0;
    pub const FAILURE: i32 = 1;
    pub const USAGE: i32 = 2;
    /// The data folder or the archive in it cannot be used.
    pub const ARCHIVE: i32 = 3;
    /// Another CubeDesk holds the data folder.
    pub const BUSY: i32 = 4;
    /// A search found nothing.
    pub const NOTHING_FOUND: i32 = 5;
    /// An import was done, but some lines of the file could not be read (they are listed).
    pub const PARTIAL: i32 = 6;
    /// The input was refused (a file, phone, filter or backup that cannot be used); nothing changed.
    pub const REFUSED: i32 = 7;
}

const EXIT_CODES: &str = "Exit codes: 0 done, 1 failed, 2 wrong usage, 3 archive unusable, 4 CubeDesk already open on the folder, \
5 nothing found, 6 imported with unreadable lines, 7 input refused (nothing changed).";

#[derive(Debug, Parser)]
#[command(name = "cubedesk", version, about = "CubeDesk: your WhatsApp customers, on your computer.", after_help = EXIT_CODES)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Folder holding the archive (default: the platform's app-data folder; also CUBEDESK_DATA_DIR).
    #[arg(long, global = true, value_name = "FOLDER")]
    pub data_dir: Option<PathBuf>,

    /// A cubedesk://conversation/PHONE link to open (how the system hands CubeDesk a link).
    #[arg(value_name = "LINK", value_parser = cubedesk_link)]
    pub link: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Anything but a `cubedesk:` link is a mistyped command; the window judges the link itself and
/// explains a refusal there.
fn cubedesk_link(s: &str) -> Result<String, String> {
    match crate::domain::deep_link::find_in_args(&[s]) {
        Some(link) => Ok(link.to_string()),
        None => Err("not a command, nor a cubedesk:// link (see --help)".into()),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the archive, migrate it if needed, and print what it holds.
    Status {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Run the webhook receiver and the sync engine without a window (an always-on office machine).
    ///
    /// Without flags it uses the account saved by the app (key and secret from the keychain).
    /// With --base-url and --number it reads the API key from CUBEDESK_API_KEY and the signing
    /// secret from CUBEDESK_WEBHOOK_SECRET (never from the command line, where others could see them).
    Daemon {
        /// CubeConnect's address, for servers with no keychain (needs --number).
        #[arg(long, value_name = "URL", requires = "number")]
        base_url: Option<String>,
        /// The WhatsApp number's API ID (needs --base-url).
        #[arg(long, value_name = "API_ID", requires = "base_url")]
        number: Option<String>,
        /// Where the webhook receiver listens.
        #[arg(long, value_name = "ADDR", default_value = crate::webhook::DEFAULT_LISTEN)]
        listen: std::net::SocketAddr,
    },
    /// Search every message and customer in the archive (Arabic with or without tashkeel; word* for prefixes; "a phrase").
    #[command(after_help = EXIT_CODES)]
    Search {
        /// What to look for.
        query: String,
        #[command(flatten)]
        filters: crate::cli_archive::Filters,
        /// Newest first, or most relevant first.
        #[arg(long, value_enum, default_value = "newest")]
        order: crate::cli_archive::OrderArg,
        /// At most this many messages.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Export messages to CSV (for Excel), JSON (every field; `cubedesk import` reads it back) or printable HTML.
    ///
    /// Without --customer or --query, everything is exported.
    #[command(after_help = EXIT_CODES)]
    Export {
        /// The file to write (written whole or not at all).
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "csv")]
        format: crate::cli_archive::FormatArg,
        /// Only the messages matching this search (with the filters).
        #[arg(long)]
        query: Option<String>,
        #[command(flatten)]
        filters: crate::cli_archive::Filters,
        #[arg(long)]
        json: bool,
    },
    /// Import a WhatsApp "Export chat" .txt file as a customer's history (or a CubeDesk JSON export).
    ///
    /// Importing the same file again adds nothing. Lines that cannot be read are listed on stderr.
    #[command(after_help = EXIT_CODES)]
    Import {
        file: PathBuf,
        /// The customer's phone (needed for a WhatsApp chat file).
        #[arg(long)]
        phone: Option<String>,
        /// Your name as it appears in the file (your messages become outgoing). Guessed when possible.
        #[arg(long)]
        me: Option<String>,
        /// The customer's name, if the archive does not know it yet.
        #[arg(long)]
        name: Option<String>,
        /// How the file writes dates (detected when not given).
        #[arg(long, value_enum)]
        date_order: Option<crate::cli_archive::DateOrderArg>,
        /// Minutes east of UTC of the phone that made the file (default: this computer's).
        #[arg(long, allow_hyphen_values = true)]
        utc_offset: Option<i32>,
        /// Only read the file and say what would be imported.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Figures for a period: messages per day, sends and cost by category, delivery and read rates,
    /// failures, median first-response time, windows that closed unanswered (default: last 30 days).
    #[command(after_help = EXIT_CODES)]
    Stats {
        #[arg(long, value_name = "DAY")]
        from: Option<String>,
        #[arg(long, value_name = "DAY")]
        to: Option<String>,
        #[arg(long, value_name = "API_ID")]
        number: Option<String>,
        /// Write the figures to this CSV file instead of printing them.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Write a consistent copy of the whole archive (close the CubeDesk window first; the app has its own button).
    #[command(after_help = EXIT_CODES)]
    Backup {
        /// The backup file to write.
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Replace the archive with a backup, after checking it. The current archive is kept beside it.
    #[command(after_help = EXIT_CODES)]
    Restore {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Make a realistic archive (English and Arabic, every message type, a few very long conversations) from a seed.
    #[command(after_help = EXIT_CODES)]
    Gen {
        #[arg(long, default_value_t = 100_000)]
        messages: u64,
        #[arg(long, default_value_t = 2_000)]
        customers: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        json: bool,
    },
    /// Run the CubeConnect simulator alone, on 127.0.0.1 (for tests, demos and tools).
    Sim {
        /// Port to listen on.
        #[arg(long)]
        port: u16,
        /// Load realistic customers, conversations, templates and flow sessions.
        #[arg(long)]
        seed_data: bool,
        /// The only API key the simulator accepts.
        #[arg(long, default_value = "sim-key")]
        api_key: String,
        /// The API ID of its WhatsApp number.
        #[arg(long = "number", value_name = "API_ID", default_value = "sim-number-1")]
        number: String,
        /// Where to deliver signed webhooks (none are sent without it).
        #[arg(long, value_name = "URL")]
        webhook_url: Option<String>,
        /// Secret that signs the webhooks.
        #[arg(long, value_name = "S")]
        webhook_secret: Option<String>,
    },
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { exit::USAGE } else { exit::OK };
        }
    };
    crate::logging::init(cli.command.is_none());
    if let Some(Command::Sim { port, seed_data, api_key, number, webhook_url, webhook_secret }) = cli.command {
        let config = crate::sim::SimConfig {
            api_key,
            number_api_id: number,
            webhook_url,
            webhook_secret,
            seed_data,
            ..crate::sim::SimConfig::default()
        };
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
        return match runtime.block_on(crate::sim::run_until_ctrl_c(config, port)) {
            Ok(()) => exit::OK,
            Err(e) => {
                eprintln!("The simulator could not start on port {port}: {e}");
                exit::FAILURE
            }
        };
    }
    let data_dir = match resolve_data_dir(cli.data_dir, std::env::var_os(DATA_DIR_ENV), platform_data_dir()) {
        Ok(d) => d,
        Err(e) => return report(&AppError::from(e)),
    };
    match cli.command {
        None => match crate::run_gui(data_dir, cli.link) {
            Ok(()) => exit::OK,
            Err(e) => {
                eprintln!("CubeDesk could not open its window: {e}");
                exit::FAILURE
            }
        },
        Some(Command::Status { json }) => status(data_dir, json),
        Some(Command::Sim { .. }) => unreachable!("handled above"),
        Some(Command::Daemon { base_url, number, listen }) => crate::commands::daemon::run(data_dir, base_url.zip(number), listen),
        Some(Command::Search { query, filters, order, limit, json }) => crate::cli_archive::search(&data_dir, query, filters, order, limit, json),
        Some(Command::Export { out, format, query, filters, json }) => crate::cli_archive::export(&data_dir, out, format, query, filters, json),
        Some(Command::Import { file, phone, me, name, date_order, utc_offset, dry_run, json }) => {
            crate::cli_archive::import(&data_dir, file, phone, me, name, date_order, utc_offset, dry_run, json)
        }
        Some(Command::Stats { from, to, number, csv, json }) => crate::cli_archive::stats(&data_dir, from, to, number, csv, json),
        Some(Command::Backup { out, json }) => crate::cli_archive::backup(&data_dir, out, json),
        Some(Command::Restore { file, json }) => crate::cli_archive::restore(&data_dir, file, json),
        Some(Command::Gen { messages, customers, seed, json }) => crate::cli_archive::generate(&data_dir, messages, customers, seed, json),
    }
}

fn status(data_dir: PathBuf, json: bool) -> i32 {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(async {
        let store = Store::open(&data_dir).await.map(std::sync::Arc::new).map_err(AppError::from);
        let state = AppState::new(data_dir, store, std::sync::Arc::new(crate::store::secrets::Keychain));
        let result = app_status(&state).await;
        if let Ok(store) = &state.store {
            store.checkpoint().await;
            store.pool().close().await;
        }
        match result {
            Ok(s) if json => {
                println!("{}", serde_json::to_string_pretty(&s).expect("status serialises"));
                exit::OK
            }
            Ok(s) => {
                println!("CubeDesk {}", s.version);
                println!("data folder:  {}", s.data_dir);
                println!("archive:      {} (schema {})", s.db_path, s.schema_version);
                println!("accounts:     {}", s.accounts);
                println!("conversations: {}", s.conversations);
                exit::OK
            }
            Err(e) if json => {
                println!("{}", serde_json::to_string_pretty(&e).expect("error serialises"));
                exit_code(&e)
            }
            Err(e) => report(&e),
        }
    })
}

fn report(e: &AppError) -> i32 {
    eprintln!("{}", e.message);
    exit_code(e)
}

pub(crate) fn exit_code(e: &AppError) -> i32 {
    match e.code {
        ErrorCode::AlreadyRunning => exit::BUSY,
        ErrorCode::DataDirUnwritable
        | ErrorCode::DbNotSqlite
        | ErrorCode::DbNotCubedesk
        | ErrorCode::DbCorrupt
        | ErrorCode::DbNewerSchema
        | ErrorCode::DbUnavailable
        | ErrorCode::DiskFull => exit::ARCHIVE,
        ErrorCode::InvalidPhone
        | ErrorCode::SearchInvalid
        | ErrorCode::FileUnreadable
        | ErrorCode::FileUnwritable
        | ErrorCode::ImportEmpty
        | ErrorCode::ImportBinary
        | ErrorCode::ImportTooLarge
        | ErrorCode::ImportUnknownLayout
        | ErrorCode::BackupInvalid
        | ErrorCode::NotFound
        | ErrorCode::NoAccount => exit::REFUSED,
        _ => exit::FAILURE,
    }
}

