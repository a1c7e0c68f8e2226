//! The outbox sender: delivers queued messages in order per conversation. A 202 records the ids,
//! category and cost; offline, 5xx and 429 postpone with back-off (the message stays `pending` and
//! the reason is kept); a permanent refusal fails it with the service's own words; an unknown
//! outcome makes it `unconfirmed` (decision 6).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use rand::Rng;
use tokio::sync::{watch, Notify as Wake};

use super::events::{Change, Notify};
use super::outgoing::outgoing;
use super::pause;
use crate::api::send::SendRequest;
use crate::api::{ApiError, Client};
use crate::domain::phone::Phone;
use crate::domain::status::Status;
use crate::store::messages::{Accepted, Content};
use crate::store::outbox::{self, DueSend};
use crate::store::templates::header_type;
use crate::store::Store;

pub async fn run(
    store: Arc<Store>,
    client: Client,
    notify: Notify,
    wake: Arc<Wake>,
    tick: Duration,
    first_check: Duration,
    mut stop: watch::Receiver<bool>,
) {
    match outbox::recover_in_flight(store.pool(), Utc::now()).await {
        Ok(ids) => {
            for id in ids {
                tracing::warn!(message = id, "an interrupted send is now unconfirmed");
                changed(&store, &notify, id).await;
            }
        }
        Err(e) => tracing::error!("could not recover the outbox: {e}"),
    }
    loop {
        let sent = match outbox::next_due(store.pool(), Utc::now(), 20).await {
            Ok(due) => {
                let n = due.len();
                for d in due {
                    if *stop.borrow() {
                        return;
                    }
                    send_one(&store, &client, &notify, d, first_check).await;
                }
                n
            }
            Err(e) => {
                tracing::error!("could not read the outbox: {e}");
                0
            }
        };
        // A conversation's next message is due as soon as the one before it left: keep going
        // while there is work, rest only when there is none.
        if sent == 0 && pause(tick, &mut stop, Some(&wake)).await {
            return;
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// Back-off for a postponed attempt: 2 s doubling to 5 min, with jitter.
pub fn retry_delay(attempts: i64) -> Duration {
    let base = Duration::from_secs(2).saturating_mul(1u32 << attempts.clamp(0, 8) as u32).min(Duration::from_secs(300));
    let ms = base.as_millis() as u64;
    Duration::from_millis(rand::thread_rng().gen_range(ms * 3 / 4..=ms))
}

async fn send_one(store: &Store, client: &Client, notify: &Notify, d: DueSend, first_check: Duration) {
    let pool = store.pool();
    let now = Utc::now();
    let header = match &d.content {
        Content::Template { name, language, header_link: Some(_), .. } => {
            header_type(pool, &d.number_api_id, name, language).await.ok().flatten()
        }
        _ => None,
    };
    let request = match (outgoing(&d.content, header.as_deref()), Phone::parse(&d.phone)) {
        (Ok(message), Ok(phone)) => SendRequest {
            number_api_id: d.number_api_id.clone(),
            phone,
            message,
            schedule: None,
            idempotency_key: d.local_id,
        },
        (Err(why), _) => return finish(store, notify, &d, outbox::refused(pool, d.message_id, "NOT_SENDABLE", &why, now).await).await,
        (_, Err(e)) => {
            let why = format!("The customer's phone number is not valid ({e:?}).");
            return finish(store, notify, &d, outbox::refused(pool, d.message_id, "INVALID_PHONE", &why, now).await).await;
        }
    };
    match outbox::mark_in_flight(pool, d.message_id, now).await {
        Ok(true) => {}
        // Deleted or edited by the owner since it was picked: that version must not go.
        Ok(false) => return,
        Err(e) => {
            // Not recorded as in flight: do not send, or a crash now could send it twice unseen.
            tracing::error!(message = d.message_id, "could not mark the send in flight: {e}");
            return;
        }
    }
    let result = client.send(&request).await;
    let now = Utc::now();
    let written = match result {
        Ok(r) => {
            let status = if r.status.eq_ignore_ascii_case("scheduled") { Status::Scheduled } else { Status::Queued };
            let accepted = Accepted {
                message_log_id: r.message_log_id,
                category: r.conversation_category,
                cost: r.cost,
                cost_currency: None,
            };
            let check_at = now + chrono::Duration::from_std(first_check).expect("small duration");
            outbox::accepted(pool, d.message_id, status, &accepted, now, check_at).await
        }
        Err(e) if e.send_outcome_unknown() => {
            let why = "CubeConnect did not confirm this message in time; it may or may not have been sent.";
            tracing::warn!(message = d.message_id, "send outcome unknown: {e}");
            outbox::unconfirmed(pool, d.message_id, why, now).await
        }
        Err(e) if e.is_transient() => {
            let next = now + chrono::Duration::from_std(retry_delay(d.attempts)).expect("small duration");
            let (code, why) = waiting_reason(&e);
            outbox::postpone(pool, d.message_id, next, &code, &why, now).await
        }
        Err(ApiError::Service(s)) => outbox::refused(pool, d.message_id, s.code.as_str(), &s.message, now).await,
        Err(e) => outbox::refused(pool, d.message_id, "NOT_SENT", &e.to_string(), now).await,
    };
    finish(store, notify, &d, written).await;
}

/// Why a message is waiting, in words for the window.
fn waiting_reason(e: &ApiError) -> (String, String) {
    match e {
        ApiError::Connection(_) => ("OFFLINE".into(), "Waiting for a connection to CubeConnect.".into()),
        ApiError::Service(s) if s.status == 429 => {
            ("RATE_LIMITED".into(), "CubeConnect asked CubeDesk to slow down; it will send again shortly.".into())
        }
        ApiError::Service(s) => (s.code.as_str().to_string(), format!("CubeConnect is having trouble ({}); it will send again shortly.", s.message)),
        other => ("WAITING".into(), other.to_string()),
    }
}

async fn finish(store: &Store, notify: &Notify, d: &DueSend, written: Result<(), crate::store::StoreError>) {
    match written {
        Ok(()) => changed(store, notify, d.message_id).await,
        Err(e) => tracing::error!(message = d.message_id, "could not record the send result: {e}"),
    }
}

async fn changed(store: &Store, notify: &Notify, message_id: i64) {
    if let Ok(Some(conversation_id)) = crate::store::messages::conversation_of(store.pool(), message_id).await {
        notify(Change::MessageChanged { conversation_id, message_id });
        notify(Change::ConversationChanged { conversation_id });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delay_grows_and_stays_bounded() {
        for attempts in 0..12 {
            let d = retry_delay(attempts);
            let full = Duration::from_secs(2).saturating_mul(1 << attempts.min(8)).min(Duration::from_secs(300));
            assert!(d <= full && d >= full * 3 / 4, "{attempts}: {d:?}");
        }
    }
}
