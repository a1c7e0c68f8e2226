//! `cubedesk daemon`: the receiver and the sync engine with no window, until SIGTERM or Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;

use super::error::{AppError, ErrorCode};
use super::live::{Live, LiveConfig};
use crate::cli::exit;
use crate::store::accounts::ensure_for_daemon;
use crate::store::secrets::Keychain;
use crate::store::Store;
use crate::sync::events::log_only;

pub const API_KEY_ENV: &str = "CUBEDESK_API_KEY";
pub const WEBHOOK_SECRET_ENV: &str = "CUBEDESK_WEBHOOK_SECRET";
/// The explicit "unsigned (unsafe)" choice for a daemon given its account by flags.
pub const UNSIGNED_ENV: &str = "CUBEDESK_WEBHOOK_UNSIGNED";

pub fn run(data_dir: PathBuf, flags: Option<(String, String)>, listen: SocketAddr) -> i32 {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(async move {
        match serve(data_dir, flags, listen).await {
            Ok(()) => exit::OK,
            Err(e) => {
                eprintln!("{}", e.message);
                match e.code {
                    ErrorCode::AlreadyRunning => exit::BUSY,
                    ErrorCode::DataDirUnwritable | ErrorCode::DbNotSqlite | ErrorCode::DbNotCubedesk | ErrorCode::DbCorrupt
                    | ErrorCode::DbNewerSchema | ErrorCode::DbUnavailable | ErrorCode::DiskFull => exit::ARCHIVE,
                    ErrorCode::NoAccount | ErrorCode::AccountFormInvalid => exit::USAGE,
                    _ => exit::FAILURE,
                }
            }
        }
    })
}

async fn serve(data_dir: PathBuf, flags: Option<(String, String)>, listen: SocketAddr) -> Result<(), AppError> {
    let store = Arc::new(Store::open(&data_dir).await?);
    let config = account_config(&store, flags, listen).await?;
    let live = Live::start(store.clone(), config, log_only()).await?;
    match live.receiver_url() {
        Some(url) => tracing::info!(%url, "CubeDesk daemon running; webhooks go to this address"),
        None => tracing::warn!("CubeDesk daemon running without a webhook signing secret: sending only, nothing is received"),
    }
    wait_for_stop().await;
    tracing::info!("stopping");
    live.stop().await;
    store.checkpoint().await;
    store.pool().close().await;
    Ok(())
}

async fn account_config(store: &Store, flags: Option<(String, String)>, listen: SocketAddr) -> Result<LiveConfig, AppError> {
    let env = |k: &str| std::env::var(k).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    match flags {
        Some((base_url, number)) => {
            let api_key = env(API_KEY_ENV).ok_or_else(|| {
                AppError::new(ErrorCode::AccountFormInvalid, format!("Set {API_KEY_ENV} to the CubeConnect API key (it is never read from the command line)."))
            })?;
            crate::domain::account_form::check_base_url(&base_url).map_err(|m| AppError::new(ErrorCode::AccountFormInvalid, m))?;
            let account_id = ensure_for_daemon(store.pool(), base_url.trim_end_matches('/'), &number, Utc::now()).await?;
            let secret = env(WEBHOOK_SECRET_ENV);
            let allow_unsigned = secret.is_none() && env(UNSIGNED_ENV).as_deref() == Some("1");
            Ok(LiveConfig { account_id, base_url, api_key, tenant_id: None, webhook_secret: secret, allow_unsigned, listen, engine: None })
        }
        None => super::live::saved_account_config(store, Arc::new(Keychain), listen).await?.ok_or_else(|| {
            AppError::new(
                ErrorCode::NoAccount,
                "No connected account with a saved API key is in this data folder: connect one in the app, or give --base-url and --number.",
            )
        }),
    }
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
