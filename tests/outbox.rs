//! The outbox on a real archive: composing is one transaction before any network call, order
//! per conversation, retry keeps the key, edit gets a new one, delete fixes the preview, and an
//! attempt in flight at a crash becomes unconfirmed.

use chrono::{Duration, TimeZone, Utc};
use cubedesk::domain::message_type::Direction;
use cubedesk::domain::phone::Phone;
use cubedesk::store::accounts::{insert_account, insert_number, NewAccount, NewNumber};
use cubedesk::store::conversations::{activity, ensure_conversation};
use cubedesk::store::customers::upsert_customer;
use cubedesk::store::messages::{insert_message, Content, NewMessage};
use cubedesk::store::outbox::{self, next_due};
use cubedesk::store::Store;
use uuid::Uuid;

async fn setup() -> (tempfile::TempDir, Store, i64, i64) {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).await.unwrap();
    let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let a = insert_account(store.pool(), &NewAccount { name: "A".into(), base_url: "https://x".into(), tenant_id: None, is_demo: false }, t)
        .await
        .unwrap();
    let n = insert_number(store.pool(), &NewNumber { account_id: a, api_id: "01JX".into(), display_name: "M".into(), phone: None }, t).await.unwrap();
    let c1 = upsert_customer(store.pool(), a, &Phone::parse("966500000001").unwrap(), None, t).await.unwrap();
    let c2 = upsert_customer(store.pool(), a, &Phone::parse("966500000002").unwrap(), None, t).await.unwrap();
    let conv1 = ensure_conversation(store.pool(), n, c1, t).await.unwrap();
    let conv2 = ensure_conversation(store.pool(), n, c2, t).await.unwrap();
    (tmp, store, conv1, conv2)
}

fn text(s: &str) -> Content {
    Content::Text { text: s.into() }
}

async fn status(store: &Store, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM messages WHERE id = ?").bind(id).fetch_one(store.pool()).await.unwrap()
}

#[tokio::test]
async fn messages_leave_in_order_one_per_conversation_at_a_time() {
    let (_t, store, c1, c2) = setup().await;
    let now = Utc::now();
    let a1 = outbox::compose(store.pool(), c1, Uuid::new_v4(), text("a1"), now).await.unwrap();
    let a2 = outbox::compose(store.pool(), c1, Uuid::new_v4(), text("a2"), now + Duration::seconds(1)).await.unwrap();
    let b1 = outbox::compose(store.pool(), c2, Uuid::new_v4(), text("b1"), now + Duration::seconds(2)).await.unwrap();
    assert_eq!(status(&store, a1).await, "pending");
    let later = now + Duration::seconds(10);
    let due: Vec<i64> = next_due(store.pool(), later, 10).await.unwrap().iter().map(|d| d.message_id).collect();
    assert_eq!(due, vec![a1, b1], "a2 waits for a1");
    // a1 postponed (offline): a2 still waits behind it, in its place.
    outbox::postpone(store.pool(), a1, later + Duration::seconds(30), "OFFLINE", "Waiting for a connection.", later).await.unwrap();
    let due: Vec<i64> = next_due(store.pool(), later, 10).await.unwrap().iter().map(|d| d.message_id).collect();
    assert_eq!(due, vec![b1]);
    let waiting = outbox::waiting(store.pool()).await.unwrap();
    assert_eq!(waiting.iter().find(|w| w.message_id == a1).unwrap().last_error.as_deref(), Some("Waiting for a connection."));
    let _ = a2;
}

#[tokio::test]
async fn an_attempt_in_flight_at_a_crash_becomes_unconfirmed_and_retry_keeps_its_key() {
    let (_t, store, c1, _) = setup().await;
    let key = Uuid::new_v4();
    let id = outbox::compose(store.pool(), c1, key, text("hi"), Utc::now()).await.unwrap();
    assert!(outbox::mark_in_flight(store.pool(), id, Utc::now()).await.unwrap());
    assert!(!outbox::mark_in_flight(store.pool(), id, Utc::now()).await.unwrap(), "a send in flight is not picked twice");
    // The process dies here; on the next start:
    assert_eq!(outbox::recover_in_flight(store.pool(), Utc::now()).await.unwrap(), vec![id]);
    assert_eq!(status(&store, id).await, "unconfirmed");
    assert!(next_due(store.pool(), Utc::now(), 10).await.unwrap().is_empty(), "never re-sent silently");

    outbox::retry(store.pool(), id, Utc::now()).await.unwrap();
    assert_eq!(status(&store, id).await, "pending");
    let due = next_due(store.pool(), Utc::now() + Duration::seconds(1), 10).await.unwrap();
    assert_eq!(due[0].local_id, key, "the same Idempotency-Key");
    // A pending message cannot be "retried" again.
    assert!(outbox::retry(store.pool(), id, Utc::now()).await.is_err());
}

#[tokio::test]
async fn edit_gets_a_new_key_and_delete_fixes_the_preview() {
    let (_t, store, c1, _) = setup().await;
    let t0 = Utc::now() - Duration::minutes(5);
    let inbound = insert_message(
        store.pool(),
        &NewMessage {
            local_id: Uuid::new_v4(),
            conversation_id: c1,
            direction: Direction::Inbound,
            created_at: t0,
            content: text("hello"),
            status: None,
            wamid: Some("wamid.in".into()),
        },
    )
    .await
    .unwrap();
    let key = Uuid::new_v4();
    let id = outbox::compose(store.pool(), c1, key, text("typo"), t0 + Duration::minutes(1)).await.unwrap();
    outbox::refused(store.pool(), id, "VALIDATION_ERROR", "The text is invalid.", Utc::now()).await.unwrap();
    assert_eq!(status(&store, id).await, "failed");

    outbox::edit_and_retry(store.pool(), id, "fixed", Utc::now()).await.unwrap();
    let due = next_due(store.pool(), Utc::now() + Duration::seconds(1), 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_ne!(due[0].local_id, key, "an edited message is a new send");
    assert_eq!(due[0].content, text("fixed"));

    outbox::unconfirmed(store.pool(), id, "timeout", Utc::now()).await.unwrap();
    assert_eq!(activity(store.pool(), c1).await.unwrap().last_message_id, Some(id));
    outbox::delete_local(store.pool(), id).await.unwrap();
    let a = activity(store.pool(), c1).await.unwrap();
    assert_eq!(a.last_message_id, Some(inbound), "the preview goes back to the message before");
    assert!(outbox::delete_local(store.pool(), inbound).await.is_err(), "a received message is not deleted this way");
}

#[tokio::test]
async fn a_deleted_message_never_leaves_and_one_in_flight_cannot_be_deleted() {
    let (_t, store, c1, _) = setup().await;
    // Picked by the sender, then deleted by the owner before the request left: it must not go.
    let gone = outbox::compose(store.pool(), c1, Uuid::new_v4(), text("never mind"), Utc::now()).await.unwrap();
    assert_eq!(next_due(store.pool(), Utc::now() + Duration::seconds(1), 10).await.unwrap().len(), 1);
    outbox::delete_local(store.pool(), gone).await.unwrap();
    assert!(!outbox::mark_in_flight(store.pool(), gone, Utc::now()).await.unwrap(), "a deleted message is not sent");

    // Already on its way: deleting it would lose a message the customer may receive.
    let sending = outbox::compose(store.pool(), c1, Uuid::new_v4(), text("on its way"), Utc::now()).await.unwrap();
    assert!(outbox::mark_in_flight(store.pool(), sending, Utc::now()).await.unwrap());
    assert!(outbox::delete_local(store.pool(), sending).await.is_err());
    assert_eq!(status(&store, sending).await, "pending");
}
