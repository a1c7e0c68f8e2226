//! An account's live connection: the client, the webhook receiver and the sync engine, started
//! and stopped together. The window (for the real account or the demo) and the headless daemon
//! both run exactly this.

use std::net::SocketAddr;
use std::sync::Arc;

use serde::Serialize;
use tokio::sync::mpsc;

use super::error::{AppError, ErrorCode};
use crate::api::{Client, ClientConfig};
use crate::store::Store;
use crate::sync::events::Notify;
use crate::sync::{Engine, EngineConfig};
use crate::webhook::{Receiver, ReceiverConfig};

#[derive(Debug, Clone)]
pub struct LiveConfig {
    pub account_id: i64,
    pub base_url: String,
    pub api_key: String,
    pub tenant_id: Option<String>,
    pub webhook_secret: Option<String>,
    /// The explicit, visible "unsigned (unsafe)" setting (decision 12).
    pub allow_unsigned: bool,
    pub listen: SocketAddr,
    pub engine: Option<EngineConfig>,
}

pub struct Live {
    pub client: Client,
    /// None when there is no signing secret and unsigned webhooks were not allowed: sending and
    /// polling still work, receiving does not (and the window says so).
    pub receiver: Option<Receiver>,
    pub engine: Engine,
}

impl Live {
    pub async fn start(store: Arc<Store>, cfg: LiveConfig, notify: Notify) -> Result<Live, AppError> {
        let mut client_cfg = ClientConfig::new(&cfg.base_url, &cfg.api_key);
        client_cfg.tenant_id = cfg.tenant_id.clone();
        let client = Client::new(client_cfg).map_err(|e| AppError::new(ErrorCode::AccountFormInvalid, e.to_string()))?;
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let receiver = if cfg.webhook_secret.is_none() && !cfg.allow_unsigned {
            tracing::warn!("no webhook signing secret: not receiving webhooks");
            None
        } else {
            Some(Receiver::start(
            ReceiverConfig {
                listen: cfg.listen,
                secret: cfg.webhook_secret.clone(),
                allow_unsigned: cfg.allow_unsigned,
                account_id: Some(cfg.account_id),
                ..ReceiverConfig::default()
            },
            store.clone(),
            events_tx,
        )
        .await
        .map_err(|e| {
            AppError::new(ErrorCode::ReceiverUnavailable, format!("CubeDesk could not listen for CubeConnect's webhooks on {}: {e}", cfg.listen))
        })?)
        };
        let engine_cfg = cfg.engine.clone().unwrap_or_else(|| EngineConfig::new(cfg.account_id));
        let engine = Engine::start(store, client.clone(), engine_cfg, notify, events_rx);
        Ok(Live { client, receiver, engine })
    }

    pub async fn stop(self) {
        if let Some(r) = self.receiver {
            r.shutdown().await;
        }
        self.engine.shutdown().await;
    }

    pub fn receiver_url(&self) -> Option<String> {
        self.receiver.as_ref().map(Receiver::url)
    }
}

/// What the window shows about the connection.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub running: bool,
    pub online: Option<bool>,
    pub receiver_url: Option<String>,
    pub listening: bool,
    pub unsigned: bool,
    pub last_event_at: Option<chrono::DateTime<chrono::Utc>>,
    pub waiting_messages: i64,
    /// The owner paused sync (tray menu or Settings).
    pub paused: bool,
}

/// The saved account's live configuration, its secrets read from `secrets`. `Ok(None)` when there
/// is nothing to run (no account, disconnected, demo archive, no key).
pub async fn saved_account_config(
    store: &Store,
    secrets: Arc<dyn crate::store::secrets::SecretStore>,
    listen: SocketAddr,
) -> Result<Option<LiveConfig>, AppError> {
    use crate::store::secrets::SecretKind;
    let Some(account) = crate::store::accounts::current_account(store.pool()).await? else { return Ok(None) };
    if account.disconnected || account.is_demo {
        return Ok(None);
    }
    let id = account.id;
    let (key, secret) = tokio::task::spawn_blocking(move || {
        Ok::<_, AppError>((secrets.get(id, SecretKind::ApiKey)?, secrets.get(id, SecretKind::WebhookSecret)?))
    })
    .await
    .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))??;
    let Some(api_key) = key else { return Ok(None) };
    let allow_unsigned = secret.is_none() && crate::store::accounts::webhook_unsigned(store.pool(), id).await?;
    Ok(Some(LiveConfig {
        account_id: id,
        base_url: account.base_url,
        api_key,
        tenant_id: account.tenant_id,
        webhook_secret: secret,
        allow_unsigned,
        listen,
        engine: None,
    }))
}

/// Starts the saved account's live connection, if there is one to run.
pub async fn start_for_account(
    store: Arc<Store>,
    secrets: Arc<dyn crate::store::secrets::SecretStore>,
    listen: SocketAddr,
    notify: Notify,
) -> Result<Option<Live>, AppError> {
    match saved_account_config(&store, secrets, listen).await? {
        Some(cfg) => Live::start(store, cfg, notify).await.map(Some),
        None => Ok(None),
    }
}

pub async fn status(store: &Store, account_id: Option<i64>, live: Option<&Live>) -> Result<SyncStatus, AppError> {
    let stats = crate::store::webhook_events::stats(store.pool()).await?;
    let online = match account_id {
        Some(id) => crate::store::sync_state::get(store.pool(), id, crate::store::sync_state::ONLINE).await?.map(|v| v == "1"),
        None => None,
    };
    let waiting = crate::store::outbox::waiting(store.pool()).await?.len() as i64;
    Ok(SyncStatus {
        running: live.is_some(),
        online,
        receiver_url: live.and_then(Live::receiver_url),
        listening: live.and_then(|l| l.receiver.as_ref()).is_some_and(|r| r.status().listening),
        unsigned: false,
        last_event_at: stats.last_event_at.map(crate::store::time::from_ms),
        waiting_messages: waiting,
        paused: false,
    })
}
