//! Where CubeDesk writes what it did: standard error always, and for the window a log file a day
//! in the platform's log folder (the last week kept). The last warnings and errors are also kept
//! in memory for "Copy diagnostics". Nothing logged at the default level holds a secret or a
//! message's text: log lines name messages by id only.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

/// Overrides the log folder (tests, or a folder of the owner's choice).
pub const LOG_DIR_ENV: &str = "CUBEDESK_LOG_DIR";
const KEEP_FILES: usize = 7;
const KEEP_PROBLEMS: usize = 20;

static FILE_GUARD: OnceLock<tracing_appender::non_blocking::WorkerGuard> = OnceLock::new();
static LOG_DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
static PROBLEMS: Mutex<VecDeque<String>> = Mutex::new(VecDeque::new());

/// The platform's folder for CubeDesk's logs: `~/.local/state/cubedesk/logs` on Linux,
/// `~/Library/Logs/CubeDesk` on macOS, `%LOCALAPPDATA%\CubeConnect\CubeDesk\data\logs` on Windows.
pub fn platform_log_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(LOG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(dir.into());
    }
    let dirs = directories::ProjectDirs::from("io", "CubeConnect", "CubeDesk")?;
    if cfg!(target_os = "macos") {
        return directories::BaseDirs::new().map(|b| b.home_dir().join("Library/Logs/CubeDesk"));
    }
    Some(dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir()).join("logs"))
}

/// The folder the window's log files go to, once [`init`] opened it.
pub fn log_dir() -> Option<PathBuf> {
    LOG_DIR.get().cloned().flatten()
}

/// The last warnings and errors, oldest first, one line each.
pub fn recent_problems() -> Vec<String> {
    PROBLEMS.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect()
}

/// Starts logging. `to_files` for the window: the command line and the daemon log to standard
/// error only, where their caller (a terminal, systemd) keeps it.
pub fn init(to_files: bool) {
    let filter = || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let mut unusable = None;
    let file = if to_files {
        match platform_log_dir().map(|dir| open_files(&dir).map(|w| (dir.clone(), w)).map_err(|e| (dir, e))) {
            Some(Ok((dir, writer))) => {
                let _ = LOG_DIR.set(Some(dir));
                Some(tracing_subscriber::fmt::layer().with_ansi(false).with_writer(writer).with_filter(filter()))
            }
            Some(Err((dir, e))) => {
                unusable = Some(format!("CubeDesk cannot write its log files in {} ({e}); logging to standard error only", dir.display()));
                None
            }
            None => None,
        }
    } else {
        None
    };
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_filter(filter()))
        .with(file)
        // Filtered itself: an unfiltered layer would switch on every debug and trace call site.
        .with(Problems.with_filter(tracing_subscriber::filter::LevelFilter::WARN))
        .try_init();
    if let Some(why) = unusable {
        tracing::warn!("{why}");
    }
}

fn open_files(dir: &std::path::Path) -> Result<tracing_appender::non_blocking::NonBlocking, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("cubedesk")
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(dir)
        .map_err(|e| e.to_string())?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    // Kept for the life of the process: dropping it would stop the writer thread.
    let _ = FILE_GUARD.set(guard);
    Ok(writer)
}

/// Keeps the last warnings and errors for the diagnostics.
struct Problems;

impl<S: Subscriber> Layer<S> for Problems {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let level = *event.metadata().level();
        if level > Level::WARN {
            return;
        }
        let mut line = format!("{} {level} {}:", chrono::Utc::now().format("%Y-%m-%d %H:%M:%S"), event.metadata().target());
        event.record(&mut Fields(&mut line));
        let mut kept = PROBLEMS.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() == KEEP_PROBLEMS {
            kept.pop_front();
        }
        kept.push_back(line);
    }
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_and_errors_are_kept_the_last_twenty() {
        tracing::subscriber::with_default(tracing_subscriber::registry().with(Problems), || {
            tracing::info!("an ordinary day");
            for i in 0..25 {
                tracing::warn!(message_id = i, "could not send");
            }
            tracing::error!("the disk is full");
        });
        let kept = recent_problems();
        assert_eq!(kept.len(), KEEP_PROBLEMS);
        assert!(kept.iter().all(|l| !l.contains("an ordinary day")), "{kept:?}");
        assert!(kept.last().unwrap().contains("ERROR") && kept.last().unwrap().ends_with("the disk is full"), "{kept:?}");
        assert!(kept[0].ends_with("could not send message_id=6"), "the oldest dropped first: {kept:?}");
    }
}
