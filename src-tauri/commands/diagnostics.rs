//! "Copy diagnostics": what support needs to understand a problem, in plain text the owner can
//! read before sending. Never a secret, a phone number or a message's text: counts, states,
//! sizes, versions and the last warnings (which name messages by id only).

use std::fmt::Write as _;
use std::path::Path;

use super::app::AppState;
use super::error::AppError;

/// Bytes in `dir` and below (the archive, its WAL, backups kept beside it).
fn folder_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => folder_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn os_name() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release").ok().and_then(|s| {
        s.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=").map(|v| v.trim_matches('"').to_string()))
    });
    format!("{} {}{}", std::env::consts::OS, std::env::consts::ARCH, pretty.map(|p| format!(" ({p})")).unwrap_or_default())
}

pub async fn gather(state: &AppState) -> Result<String, AppError> {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "CubeDesk {}", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(w, "System: {}", os_name());
    let _ = writeln!(w, "Data folder: {} ({})", state.data_dir.display(), megabytes(folder_size(&state.data_dir)));
    match state.store() {
        Ok(store) => {
            let db = std::fs::metadata(store.db_path()).map(|m| m.len()).unwrap_or(0);
            let _ = writeln!(w, "Archive: {}, schema {}", megabytes(db), store.schema_version().await.unwrap_or(-1));
        }
        Err(e) => {
            let _ = writeln!(w, "Archive: not open ({:?})", e.code);
        }
    }
    let demo = state.demo.lock().await.is_some();
    let _ = writeln!(w, "Showing: {}", if demo { "the demo" } else { "the archive" });
    if let Ok(store) = state.store() {
        let account = crate::store::accounts::current_account(store.pool()).await.ok().flatten();
        let _ = writeln!(
            w,
            "Account: {}",
            account.as_ref().map(|a| format!("connected, {} WhatsApp number(s)", a.numbers.len())).unwrap_or_else(|| "none".into())
        );
        let live = state.live.lock().await;
        if let Ok(s) = super::live::status(store, account.map(|a| a.id), live.as_ref()).await {
            let paused = state.sync_paused.load(std::sync::atomic::Ordering::SeqCst);
            let _ = writeln!(
                w,
                "Sync: {}; online {}; receiver {}; last webhook {}; {} message(s) waiting to be sent",
                if paused { "paused" } else if s.running { "running" } else { "not running" },
                s.online.map_or("unknown", |o| if o { "yes" } else { "no" }),
                if s.listening { s.receiver_url.as_deref().unwrap_or("listening") } else { "not listening" },
                s.last_event_at.map(|t| t.to_rfc3339()).unwrap_or_else(|| "never".into()),
                s.waiting_messages
            );
        }
    }
    let tray = super::tray::UNAVAILABLE.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let _ = writeln!(w, "Tray icon: {}", tray.unwrap_or_else(|| "shown".into()));
    let _ = writeln!(
        w,
        "Log folder: {}",
        crate::logging::log_dir().map(|d| d.display().to_string()).unwrap_or_else(|| "none (standard error only)".into())
    );
    let problems = crate::logging::recent_problems();
    let _ = writeln!(w, "Last warnings and errors ({}):", problems.len());
    for p in problems {
        let _ = writeln!(w, "  {p}");
    }
    Ok(out)
}
