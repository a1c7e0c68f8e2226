//! Writing to the archive: a message and its conversation's activity move together; the schema's
//! constraints hold.

use chrono::{DateTime, Duration, TimeZone, Utc};
use cubedesk::domain::message_type::{Direction, MessageType};
use cubedesk::domain::phone::Phone;
use cubedesk::domain::status::Status;
use cubedesk::store::accounts::{insert_account, insert_number, NewAccount, NewNumber};
use cubedesk::store::conversations::{activity, ensure_conversation};
use cubedesk::store::customers::{set_tags, tags, upsert_customer};
use cubedesk::store::messages::{insert_message, Content, NewMessage};
use cubedesk::store::{Store, StoreError};
use uuid::Uuid;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 26, 14, 0, 0).unwrap()
}

struct Fixture {
    _tmp: tempfile::TempDir,
    store: Store,
    account: i64,
    number: i64,
    customer: i64,
    conversation: i64,
}

async fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).await.unwrap();
    let pool = store.pool();
    let account = insert_account(
        pool,
        &NewAccount { name: "Al Noor Pharmacy".into(), base_url: "http://127.0.0.1:1".into(), tenant_id: None, is_demo: false },
        t0(),
    )
    .await
    .unwrap();
    let number = insert_number(
        pool,
        &NewNumber { account_id: account, api_id: "01JXNUMBER".into(), display_name: "Main".into(), phone: None },
        t0(),
    )
    .await
    .unwrap();
    let phone = Phone::parse("+966 50 123 4567").unwrap();
    let customer = upsert_customer(pool, account, &phone, Some("سارة"), t0()).await.unwrap();
    let conversation = ensure_conversation(pool, number, customer, t0()).await.unwrap();
    Fixture { _tmp: tmp, store, account, number, customer, conversation }
}

fn text(conversation: i64, direction: Direction, at: DateTime<Utc>, body: &str) -> NewMessage {
    NewMessage {
        local_id: Uuid::new_v4(),
        conversation_id: conversation,
        direction,
        created_at: at,
        content: Content::Text { text: body.into() },
        status: (direction == Direction::Outbound).then_some(Status::Pending),
        wamid: None,
    }
}

#[tokio::test]
async fn conversation_activity_moves_with_each_message_in_any_arrival_order() {
    let f = fixture().await;
    let pool = f.store.pool();
    let a0 = activity(pool, f.conversation).await.unwrap();
    assert_eq!((a0.last_message_id, a0.last_message_at, a0.last_inbound_at, a0.unread_count), (None, None, None, 0));

    let t1 = t0() + Duration::minutes(5);
    let m1 = insert_message(pool, &text(f.conversation, Direction::Inbound, t1, "مرحبا، هل الدواء متوفر؟")).await.unwrap();
    let a = activity(pool, f.conversation).await.unwrap();
    assert_eq!((a.last_message_id, a.last_message_at, a.last_inbound_at, a.unread_count), (Some(m1), Some(t1), Some(t1), 1));

    let t2 = t1 + Duration::minutes(2);
    let m2 = insert_message(pool, &text(f.conversation, Direction::Outbound, t2, "نعم، متوفر")).await.unwrap();
    let a = activity(pool, f.conversation).await.unwrap();
    assert_eq!((a.last_message_id, a.last_message_at, a.last_inbound_at, a.unread_count), (Some(m2), Some(t2), Some(t1), 1));

    // An older inbound message delivered late neither becomes the preview nor moves the window back.
    let late = t0() + Duration::minutes(1);
    insert_message(pool, &text(f.conversation, Direction::Inbound, late, "earlier")).await.unwrap();
    let a = activity(pool, f.conversation).await.unwrap();
    assert_eq!((a.last_message_id, a.last_message_at, a.last_inbound_at, a.unread_count), (Some(m2), Some(t2), Some(t1), 2));
}

#[tokio::test]
async fn a_pending_message_records_when_it_became_pending() {
    let f = fixture().await;
    let at = t0() + Duration::seconds(30);
    let id = insert_message(f.store.pool(), &text(f.conversation, Direction::Outbound, at, "hi")).await.unwrap();
    let (status, pending_at): (String, i64) = sqlx::query_as("SELECT status, pending_at FROM messages WHERE id = ?")
        .bind(id)
        .fetch_one(f.store.pool())
        .await
        .unwrap();
    assert_eq!(status, "pending");
    assert_eq!(pending_at, at.timestamp_millis());
}

#[tokio::test]
async fn every_message_type_is_stored_with_its_own_fields() {
    let f = fixture().await;
    let pool = f.store.pool();
    let inbound = |content: Content| NewMessage {
        local_id: Uuid::new_v4(),
        conversation_id: f.conversation,
        direction: Direction::Inbound,
        created_at: t0(),
        content,
        status: None,
        wamid: Some(format!("wamid.{}", Uuid::new_v4())),
    };
    let media = |kind, caption: Option<&str>, filename: Option<&str>| Content::Media {
        kind,
        caption: caption.map(Into::into),
        filename: filename.map(Into::into),
        mime: None,
        link: None,
        placeholder: Some(format!("[{kind}]")),
    };
    let target = insert_message(pool, &inbound(Content::Text { text: "hello".into() })).await.unwrap();
    let contents = vec![
        media(MessageType::Image, Some("the box"), None),
        media(MessageType::Video, None, None),
        media(MessageType::Audio, None, None),
        media(MessageType::Document, None, Some("invoice.pdf")),
        media(MessageType::Sticker, None, None),
        Content::Interactive { payload: serde_json::json!({"type": "button_reply", "button_reply": {"id": "yes", "title": "Yes"}}) },
        Content::Location { lat: 24.7136, lng: 46.6753, name: Some("Riyadh".into()), address: None },
        Content::Reaction { emoji: "👍".into(), to_id: Some(target), to_wamid: None },
    ];
    for c in &contents {
        insert_message(pool, &inbound(c.clone())).await.unwrap();
    }
    let mut outbound_template = text(f.conversation, Direction::Outbound, t0(), "");
    outbound_template.content = Content::Template {
        name: "order_ready".into(),
        language: "ar".into(),
        params: vec!["أحمد".into(), "١٠٤٢".into()],
        header_link: None,
        rendered_body: "مرحباً أحمد، طلبك رقم ١٠٤٢ جاهز".into(),
    };
    let tpl = insert_message(pool, &outbound_template).await.unwrap();

    let types: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT type FROM messages ORDER BY type").fetch_all(pool).await.unwrap();
    let mut all: Vec<String> = MessageType::ALL.iter().map(|t| t.as_str().to_string()).collect();
    all.sort();
    assert_eq!(types, all, "every type of the seed's table is stored");

    let (params, body): (String, String) =
        sqlx::query_as("SELECT template_params, rendered_body FROM messages WHERE id = ?").bind(tpl).fetch_one(pool).await.unwrap();
    assert_eq!(serde_json::from_str::<Vec<String>>(&params).unwrap(), vec!["أحمد", "١٠٤٢"]);
    assert!(body.contains("أحمد"));
    let (emoji, to): (String, i64) =
        sqlx::query_as("SELECT reaction_emoji, reaction_to_id FROM messages WHERE type = 'reaction'").fetch_one(pool).await.unwrap();
    assert_eq!((emoji.as_str(), to), ("👍", target));
    let (lat, lng): (f64, f64) =
        sqlx::query_as("SELECT location_lat, location_lng FROM messages WHERE type = 'location'").fetch_one(pool).await.unwrap();
    assert_eq!((lat, lng), (24.7136, 46.6753));
    let filename: String =
        sqlx::query_scalar("SELECT media_filename FROM messages WHERE type = 'document'").fetch_one(pool).await.unwrap();
    assert_eq!(filename, "invoice.pdf");
}

#[tokio::test]
async fn inbound_messages_carry_no_status_and_outbound_ones_must() {
    let f = fixture().await;
    let mut m = text(f.conversation, Direction::Inbound, t0(), "x");
    m.status = Some(Status::Sent);
    assert!(matches!(insert_message(f.store.pool(), &m).await, Err(StoreError::Invalid(_))));
    let mut m = text(f.conversation, Direction::Outbound, t0(), "x");
    m.status = None;
    assert!(matches!(insert_message(f.store.pool(), &m).await, Err(StoreError::Invalid(_))));
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM messages").fetch_one(f.store.pool()).await.unwrap();
    assert_eq!(n, 0, "nothing half-written");
}

#[tokio::test]
async fn the_schema_refuses_what_the_rules_refuse() {
    let f = fixture().await;
    let pool = f.store.pool();
    // A phone that is not canonical digits.
    let bad_phone = sqlx::query("INSERT INTO customers (account_id, phone, created_at, updated_at) VALUES (?, '+966501234567', 0, 0)")
        .bind(f.account)
        .execute(pool)
        .await;
    assert!(bad_phone.is_err());
    // An unknown status.
    let bad_status = sqlx::query(
        "INSERT INTO messages (local_id, conversation_id, direction, type, created_at, status)
         VALUES ('x', ?, 'outbound', 'text', 0, 'undelivered')",
    )
    .bind(f.conversation)
    .execute(pool)
    .await;
    assert!(bad_status.is_err());
    // A message for a conversation that does not exist (foreign keys are on).
    let orphan = sqlx::query(
        "INSERT INTO messages (local_id, conversation_id, direction, type, created_at) VALUES ('y', 999999, 'inbound', 'text', 0)",
    )
    .execute(pool)
    .await;
    assert!(orphan.is_err());
}

#[tokio::test]
async fn deleting_an_account_removes_everything_it_owns() {
    let f = fixture().await;
    let pool = f.store.pool();
    insert_message(pool, &text(f.conversation, Direction::Inbound, t0(), "x")).await.unwrap();
    sqlx::query("DELETE FROM accounts WHERE id = ?").bind(f.account).execute(pool).await.unwrap();
    for table in ["whatsapp_numbers", "customers", "conversations", "messages"] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(pool).await.unwrap();
        assert_eq!(n, 0, "{table}");
    }
    let _ = f.number;
}

#[tokio::test]
async fn customers_are_found_by_canonical_phone_and_keep_their_names() {
    let f = fixture().await;
    let pool = f.store.pool();
    let same = upsert_customer(pool, f.account, &Phone::parse("00966501234567").unwrap(), None, t0()).await.unwrap();
    assert_eq!(same, f.customer);
    let name: String = sqlx::query_scalar("SELECT name FROM customers WHERE id = ?").bind(same).fetch_one(pool).await.unwrap();
    assert_eq!(name, "سارة", "an unknown name does not erase a known one");
    assert_eq!(ensure_conversation(pool, f.number, f.customer, t0()).await.unwrap(), f.conversation);
}

#[tokio::test]
async fn tags_are_trimmed_and_deduplicated() {
    let f = fixture().await;
    let pool = f.store.pool();
    set_tags(pool, f.customer, &[" vip ".into(), "riyadh".into(), "vip".into(), "  ".into()]).await.unwrap();
    assert_eq!(tags(pool, f.customer).await.unwrap(), vec!["riyadh", "vip"]);
    set_tags(pool, f.customer, &["returning".into()]).await.unwrap();
    assert_eq!(tags(pool, f.customer).await.unwrap(), vec!["returning"]);
}
