//! Demo mode: the in-process simulator, a demo archive of its own, seeded once, labelled as demo,
//! and never mixed with the real archive.

use std::collections::HashSet;

use cubedesk::commands::demo::{self, DEMO_DIR};
use cubedesk::commands::inbox;
use cubedesk::domain::message_type::MessageType;
use cubedesk::store::accounts::current_account;
use cubedesk::store::summary::counts;
use cubedesk::store::Store;

#[tokio::test]
async fn the_demo_has_its_own_seeded_archive_with_every_kind_of_conversation() {
    let tmp = tempfile::tempdir().unwrap();
    let real = Store::open(tmp.path()).await.unwrap();

    let session = demo::start(tmp.path(), cubedesk::sync::events::log_only()).await.unwrap();
    assert_eq!(session.store.data_dir(), tmp.path().join(DEMO_DIR));
    let account = current_account(session.store.pool()).await.unwrap().unwrap();
    assert!(account.is_demo);
    assert!(account.name.contains("demo"), "{}", account.name);
    assert_eq!(account.base_url, session.sim.base_url());
    let c = counts(session.store.pool()).await.unwrap();
    assert!(c.conversations >= 60, "{c:?}");

    let types: HashSet<String> = sqlx::query_scalar("SELECT DISTINCT type FROM messages")
        .fetch_all(session.store.pool())
        .await
        .unwrap()
        .into_iter()
        .collect();
    for t in MessageType::ALL {
        assert!(types.contains(t.as_str()), "no {t} message in the demo");
    }
    let failed: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE status = 'failed' AND failure_reason IS NOT NULL")
        .fetch_one(session.store.pool())
        .await
        .unwrap();
    assert!(failed > 0, "a few failed sends with their reasons");
    let sessions: i64 = sqlx::query_scalar("SELECT count(DISTINCT is_completed) FROM flow_sessions")
        .fetch_one(session.store.pool())
        .await
        .unwrap();
    assert_eq!(sessions, 2, "flow sessions in progress and completed");

    // The inbox shows windows open, closing within the hour, and closed.
    let page = inbox::page(&session.store, account.id, &inbox::Filter::default(), None, 500).await.unwrap();
    let phases: HashSet<&str> = page.iter().map(|i| i.window.phase).collect();
    for p in ["open", "closing", "closed"] {
        assert!(phases.contains(p), "no {p} window in {phases:?}");
    }
    // Newest activity first.
    assert!(page.windows(2).all(|w| w[0].last_message_at >= w[1].last_message_at));

    // The real archive saw none of it.
    assert_eq!(counts(real.pool()).await.unwrap().accounts, 0);

    // A second start reuses the demo archive instead of seeding it twice.
    let before = counts(session.store.pool()).await.unwrap();
    session.stop().await;
    let again = demo::start(tmp.path(), cubedesk::sync::events::log_only()).await.unwrap();
    assert_eq!(counts(again.store.pool()).await.unwrap(), before);
    let account = current_account(again.store.pool()).await.unwrap().unwrap();
    assert_eq!(account.base_url, again.sim.base_url(), "pointed at the new simulator");
    again.stop().await;
}
