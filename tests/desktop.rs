//! The core's side of desktop integration, on a real archive: a `cubedesk://` link becomes the
//! conversation it names or a refusal in words, and the diagnostics hold no secret, phone,
//! name or message.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use cubedesk::commands::app::AppState;
use cubedesk::commands::error::ErrorCode;
use cubedesk::commands::{diagnostics, link};
use cubedesk::domain::message_type::Direction;
use cubedesk::domain::phone::Phone;
use cubedesk::store::accounts::{insert_account, insert_number, NewAccount, NewNumber};
use cubedesk::store::conversations::ensure_conversation;
use cubedesk::store::customers::upsert_customer;
use cubedesk::store::messages::{insert_message, Content, NewMessage};
use cubedesk::store::secrets::{MemorySecrets, SecretKind, SecretStore};
use cubedesk::store::Store;
use uuid::Uuid;

struct Fixture {
    state: AppState,
    pending: link::PendingLink,
    sara_conv: i64,
    _tmp: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let store = Store::open(tmp.path()).await.unwrap();
    let pool = store.pool();
    let account = insert_account(pool, &NewAccount { name: "Al Noor".into(), base_url: "http://127.0.0.1:1".into(), tenant_id: None, is_demo: false }, t0)
        .await
        .unwrap();
    let number = insert_number(pool, &NewNumber { account_id: account, api_id: "N1".into(), display_name: "Main".into(), phone: None }, t0).await.unwrap();
    let sara = upsert_customer(pool, account, &Phone::parse("+966 50 123 4567").unwrap(), Some("سارة الأحمد"), t0).await.unwrap();
    let sara_conv = ensure_conversation(pool, number, sara, t0).await.unwrap();
    insert_message(
        pool,
        &NewMessage {
            local_id: Uuid::new_v4(),
            conversation_id: sara_conv,
            direction: Direction::Inbound,
            created_at: t0,
            content: Content::Text { text: "my secret order for the blue abaya".into() },
            status: None,
            wamid: None,
        },
    )
    .await
    .unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    secrets.set(account, SecretKind::ApiKey, "ck_live_do_not_leak_me").unwrap();
    let state = AppState::new(tmp.path().into(), Ok(Arc::new(store)), secrets);
    Fixture { state, pending: link::PendingLink::default(), sara_conv, _tmp: tmp }
}

#[tokio::test]
async fn a_link_opens_the_conversation_it_names_once() {
    let f = fixture().await;
    assert_eq!(link::take(&f.pending, &f.state).await.unwrap(), None, "no link waits");
    link::receive(&f.pending, "cubedesk://conversation/%2B966%2050%20123%204567");
    assert_eq!(link::take(&f.pending, &f.state).await.unwrap(), Some(f.sara_conv));
    assert_eq!(link::take(&f.pending, &f.state).await.unwrap(), None, "taken once");

    // A newer link replaces one not taken yet.
    link::receive(&f.pending, "cubedesk://conversation/+44 7700 900123");
    link::receive(&f.pending, "cubedesk://conversation/966501234567");
    assert_eq!(link::take(&f.pending, &f.state).await.unwrap(), Some(f.sara_conv));
}

#[tokio::test]
async fn links_it_does_not_follow_are_refused_in_words() {
    let f = fixture().await;
    for (raw, code, says) in [
        ("cubedesk://send/966501234567?text=pay%20now", ErrorCode::LinkRefused, "only follows links that open a conversation"),
        ("cubedesk://conversation/123", ErrorCode::LinkRefused, "at least 8"),
        ("cubedesk://conversation/966501234567/delete", ErrorCode::LinkRefused, "more in it than a phone number"),
        ("cubedesk://conversation/447700900123", ErrorCode::NotFound, "there is none with that number"),
    ] {
        link::receive(&f.pending, raw);
        let e = link::take(&f.pending, &f.state).await.unwrap_err();
        assert_eq!(e.code, code, "{raw}: {e:?}");
        assert!(e.message.contains(says), "{raw}: {}", e.message);
        assert_eq!(link::take(&f.pending, &f.state).await.unwrap(), None, "a refused link is gone");
    }
}

#[tokio::test]
async fn diagnostics_describe_the_archive_without_its_contents() {
    let f = fixture().await;
    let report = diagnostics::gather(&f.state).await.unwrap();
    assert!(report.starts_with(&format!("CubeDesk {}", env!("CARGO_PKG_VERSION"))), "{report}");
    assert!(report.contains("Account: connected, 1 WhatsApp number(s)"), "{report}");
    assert!(report.contains("Sync: not running"), "{report}");
    assert!(report.contains(&f.state.data_dir.display().to_string()), "{report}");
    for private in ["ck_live_do_not_leak_me", "966501234567", "سارة", "blue abaya", "Al Noor"] {
        assert!(!report.contains(private), "{private} leaked into:\n{report}");
    }
}
