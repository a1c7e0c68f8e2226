//! The pollers: status lookups for messages not yet final (decision 8), the window for
//! conversations active in the last 48 h (decision 9), templates (decision 10) and health for the
//! online indicator. They share the engine's client, so one rate-limit budget.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{watch, Notify as Wake};

use super::events::{Change, Notify};
use crate::api::{ApiError, Client, ServiceCode};
use crate::domain::phone::Phone;
use crate::domain::status::Status;
use crate::store::accounts::current_account;
use crate::store::conversations::{active_since, set_server_window};
use crate::store::messages::{apply_status, conversation_of, due_status_checks, schedule_status_check, set_wamid, StatusUpdate};
use crate::store::templates::{replace_templates, TemplateRow};
use crate::store::webhook_events::requeue_unapplicable;
use crate::store::{sync_state, Store};

use super::EngineConfig;

const MAX_STATUS_INTERVAL_MS: i64 = 15 * 60 * 1000;
const FIRST_STATUS_INTERVAL_MS: i64 = 30 * 1000;
const STOP_CHECKING_AFTER: chrono::Duration = chrono::Duration::days(7);

pub async fn run(
    store: Arc<Store>,
    client: Client,
    config: EngineConfig,
    notify: Notify,
    applier: Arc<Wake>,
    wake: Arc<Wake>,
    refresh: Arc<std::sync::atomic::AtomicBool>,
    mut stop: watch::Receiver<bool>,
) {
    let mut last_windows: Option<std::time::Instant> = None;
    let mut last_templates: Option<std::time::Instant> = None;
    let mut last_health: Option<std::time::Instant> = None;
    let due = |last: Option<std::time::Instant>, every: Duration| last.is_none_or(|t| t.elapsed() >= every);
    loop {
        if refresh.swap(false, std::sync::atomic::Ordering::SeqCst) {
            last_health = None;
            last_windows = None;
        }
        if due(last_health, config.health_every) {
            health(&store, &client, config.account_id, &notify).await;
            last_health = Some(std::time::Instant::now());
        }
        statuses(&store, &client, &notify, &applier).await;
        if due(last_templates, config.templates_every) {
            templates(&store, &client, &notify).await;
            last_templates = Some(std::time::Instant::now());
        }
        if due(last_windows, config.windows_every) {
            windows(&store, &client, &notify).await;
            last_windows = Some(std::time::Instant::now());
        }
        if super::pause(config.status_tick, &mut stop, Some(&wake)).await {
            return;
        }
    }
}

/// The next interval of decision 8: 30 s, doubling, at most 15 min.
pub fn next_interval(previous_ms: Option<i64>) -> i64 {
    previous_ms.map_or(FIRST_STATUS_INTERVAL_MS, |p| (p * 2).min(MAX_STATUS_INTERVAL_MS))
}

async fn statuses(store: &Store, client: &Client, notify: &Notify, applier: &Wake) {
    let Ok(due) = due_status_checks(store.pool(), Utc::now(), 50).await else { return };
    for (message_id, log_id, interval, queued_at) in due {
        let now = Utc::now();
        let too_old = queued_at.is_some_and(|q| now - crate::store::time::from_ms(q) > STOP_CHECKING_AFTER);
        let interval = next_interval(interval);
        let next = (!too_old).then(|| (now + chrono::Duration::milliseconds(interval), interval));
        match client.message_status(&log_id).await {
            Ok(info) => {
                if let Some(wamid) = info.meta_message_id.as_deref().filter(|w| !w.is_empty()) {
                    if set_wamid(store.pool(), message_id, wamid).await.unwrap_or(false) {
                        // Status webhooks for this message may be waiting for its WhatsApp id.
                        if requeue_unapplicable(store.pool()).await.unwrap_or(0) > 0 {
                            applier.notify_one();
                        }
                    }
                }
                let Ok(status) = info.status.parse::<Status>() else { continue };
                let update = StatusUpdate {
                    status,
                    at: info.sent_at.filter(|_| status == Status::Sent).unwrap_or(now),
                    failure_code: None,
                    failure_reason: info.error_message.clone(),
                };
                let applied = apply_status(store.pool(), message_id, &update).await.map(|t| t == crate::domain::status::Transition::Apply);
                let final_now = status.is_final();
                let _ = schedule_status_check(store.pool(), message_id, if final_now { None } else { next }).await;
                if applied.unwrap_or(false) {
                    if let Ok(Some(conversation_id)) = conversation_of(store.pool(), message_id).await {
                        notify(Change::MessageChanged { conversation_id, message_id });
                    }
                }
            }
            Err(ApiError::Service(s)) if s.code == ServiceCode::NotFound => {
                let _ = schedule_status_check(store.pool(), message_id, None).await;
            }
            Err(e) => {
                tracing::debug!(message = message_id, "status lookup failed: {e}");
                let _ = schedule_status_check(store.pool(), message_id, next).await;
            }
        }
    }
}

async fn windows(store: &Store, client: &Client, notify: &Notify) {
    let since = Utc::now() - chrono::Duration::hours(48);
    let Ok(active) = active_since(store.pool(), since).await else { return };
    for (conversation_id, phone) in active {
        let Ok(phone) = Phone::parse(&phone) else { continue };
        let now = Utc::now();
        let server = match client.session_status(&phone).await {
            Ok(s) => s.expires_at.map(|e| (e, s.last_inbound_at)),
            // Refused or missing: the window is computed locally, and the UI says so (decision 9).
            Err(ApiError::Service(s)) if matches!(s.status, 401 | 403 | 404) => None,
            Err(_) => continue,
        };
        if set_server_window(store.pool(), conversation_id, server, now).await.is_ok() {
            notify(Change::WindowChanged { conversation_id });
        }
    }
}

async fn templates(store: &Store, client: &Client, notify: &Notify) {
    let Ok(Some(account)) = current_account(store.pool()).await else { return };
    for n in &account.numbers {
        let Ok(list) = client.templates(&n.api_id).await else { continue };
        if replace_templates(store.pool(), n.id, &template_rows(&list), Utc::now()).await.is_ok() {
            notify(Change::TemplatesChanged);
        }
    }
}

/// Templates as the service lists them, as the archive keeps them.
pub fn template_rows(templates: &[crate::api::wire::Template]) -> Vec<TemplateRow> {
    templates
        .iter()
        .map(|t| TemplateRow {
            name: t.name.clone(),
            language: t.language.clone(),
            category: t.category.clone(),
            status: t.status.clone(),
            params_count: t.params_count,
            body: t.body.clone(),
            header_type: t.header_type.clone(),
            header_text: t.header.clone(),
            header_sample_media_url: t.header_sample_media_url.clone(),
            footer: t.footer.clone(),
        })
        .collect()
}

async fn health(store: &Store, client: &Client, account_id: i64, notify: &Notify) {
    let now = Utc::now();
    let online = matches!(client.health().await, Ok(h) if h.is_healthy());
    let mut changed = sync_state::set(store.pool(), account_id, sync_state::ONLINE, if online { "1" } else { "0" }, now).await.unwrap_or(false);
    let _ = sync_state::set(store.pool(), account_id, sync_state::LAST_HEALTH_AT, &now.timestamp_millis().to_string(), now).await;
    let offset = client.clock_offset().0.num_milliseconds();
    let before = sync_state::get(store.pool(), account_id, sync_state::CLOCK_OFFSET_MS).await.ok().flatten().and_then(|v| v.parse::<i64>().ok());
    let _ = sync_state::set(store.pool(), account_id, sync_state::CLOCK_OFFSET_MS, &offset.to_string(), now).await;
    // Every window on screen is measured against the service's clock: a jump of a minute or more
    // changes what they show.
    changed |= before.is_none_or(|b| (b - offset).abs() >= 60_000);
    if changed {
        notify(Change::SyncStateChanged);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lookups_back_off_from_30_seconds_to_15_minutes() {
        let mut i = None;
        let mut seen = vec![];
        for _ in 0..8 {
            let n = next_interval(i);
            seen.push(n / 1000);
            i = Some(n);
        }
        assert_eq!(seen, vec![30, 60, 120, 240, 480, 900, 900, 900]);
    }
}
