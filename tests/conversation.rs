//! The commands behind the inbox and the conversation view, on the demo's real seeded archive:
//! filters, paging, reactions on their message, what may be sent, retry / edit / delete rules,
//! the template preview and the customer panel.

use std::collections::HashSet;

use cubedesk::commands::conversation::{self, MessageCursor};
use cubedesk::commands::error::ErrorCode;
use cubedesk::commands::{compose, customer, demo, inbox};
use cubedesk::store::accounts::current_account;

async fn all_inbox(store: &cubedesk::store::Store, account: i64, f: &inbox::Filter) -> Vec<inbox::InboxItem> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = inbox::page(store, account, f, after, 7).await.unwrap();
        after = page.last().map(|i| i.cursor);
        let n = page.len();
        out.extend(page);
        if n < 7 {
            return out;
        }
    }
}

#[tokio::test]
async fn the_inbox_filters_combine_and_page_without_gaps() {
    let tmp = tempfile::tempdir().unwrap();
    let session = demo::start(tmp.path(), cubedesk::sync::events::log_only()).await.unwrap();
    let store = &session.store;
    let account = current_account(store.pool()).await.unwrap().unwrap().id;

    let everything = all_inbox(store, account, &inbox::Filter::default()).await;
    let ids: Vec<i64> = everything.iter().map(|i| i.conversation_id).collect();
    assert_eq!(ids.len(), ids.iter().collect::<HashSet<_>>().len(), "small pages neither repeat nor skip");
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM conversations WHERE last_message_at IS NOT NULL")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(ids.len() as i64, total);

    // The demo starts all read; two customers have written since.
    sqlx::query("UPDATE conversations SET unread_count = 2 WHERE id IN (SELECT id FROM conversations ORDER BY id LIMIT 2 OFFSET 5)")
        .execute(store.pool())
        .await
        .unwrap();
    let everything = all_inbox(store, account, &inbox::Filter::default()).await;
    let unread = all_inbox(store, account, &inbox::Filter { unread: true, ..Default::default() }).await;
    assert!(!unread.is_empty() && unread.iter().all(|i| i.unread_count > 0));
    assert_eq!(unread.len(), everything.iter().filter(|i| i.unread_count > 0).count());

    let failed = all_inbox(store, account, &inbox::Filter { failed: true, ..Default::default() }).await;
    let with_failed: i64 = sqlx::query_scalar("SELECT count(DISTINCT conversation_id) FROM messages WHERE status = 'failed'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(with_failed > 0);
    assert_eq!(failed.len() as i64, with_failed);

    for phase in ["open", "closing", "closed"] {
        let f = inbox::Filter { window: Some(phase.into()), ..Default::default() };
        let got = all_inbox(store, account, &f).await;
        let expected = everything
            .iter()
            .filter(|i| i.window.phase == phase || (phase == "closed" && i.window.phase == "neverOpened"))
            .count();
        assert!(expected > 0, "the demo has {phase} windows");
        assert_eq!(got.len(), expected, "{phase}");
    }

    let tag: String = sqlx::query_scalar("SELECT tag FROM customer_tags GROUP BY tag ORDER BY count(*) DESC LIMIT 1")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let tagged = all_inbox(store, account, &inbox::Filter { tag: Some(tag.clone()), unread: true, ..Default::default() }).await;
    for i in &tagged {
        let tags = cubedesk::store::customers::tags(store.pool(), i.customer_id).await.unwrap();
        assert!(tags.contains(&tag) && i.unread_count > 0, "tag and unread combine");
    }
    // A name or phone fragment; the phone matches with or without + and spaces.
    let someone = everything.iter().find(|i| i.customer_name.is_some()).unwrap();
    let name = someone.customer_name.clone().unwrap();
    let part: String = name.chars().skip(1).take(4).collect();
    let found = all_inbox(store, account, &inbox::Filter { query: Some(part.to_uppercase()), ..Default::default() }).await;
    assert!(found.iter().any(|i| i.conversation_id == someone.conversation_id), "{part} finds {name}");
    assert!(found.iter().all(|i| i.customer_name.as_deref().unwrap_or("").to_lowercase().contains(&part.to_lowercase()) || i.customer_phone.contains(&part)));
    let phone = format!("+{} {}", &someone.customer_phone[..3], &someone.customer_phone[3..8]);
    let found = all_inbox(store, account, &inbox::Filter { query: Some(phone), ..Default::default() }).await;
    assert!(found.iter().any(|i| i.conversation_id == someone.conversation_id));
    assert!(cubedesk::store::inbox::tags_in_use(store.pool(), account).await.unwrap().contains(&tag));
    session.stop().await;
}

#[tokio::test]
async fn a_conversation_pages_back_in_time_with_reactions_on_their_message() {
    let tmp = tempfile::tempdir().unwrap();
    let session = demo::start(tmp.path(), cubedesk::sync::events::log_only()).await.unwrap();
    let store = &session.store;

    // The conversation with a reaction to a message we hold.
    let (conversation_id, target): (i64, i64) = sqlx::query_as(
        "SELECT r.conversation_id, t.id FROM messages r JOIN messages t ON t.id = r.reaction_to_id
         WHERE r.type = 'reaction' LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    let mut seen = Vec::new();
    let mut before: Option<MessageCursor> = None;
    loop {
        let page = conversation::page(store, conversation_id, before, 3, &[]).await.unwrap();
        assert!(page.windows(2).all(|w| (w[0].cursor.created_at, w[0].cursor.id) > (w[1].cursor.created_at, w[1].cursor.id)), "newest first");
        before = page.last().map(|m| m.cursor);
        let n = page.len();
        seen.extend(page);
        if n < 3 {
            break;
        }
    }
    let stored: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM messages WHERE conversation_id = ? AND NOT (type = 'reaction' AND reaction_to_id IS NOT NULL)",
    )
    .bind(conversation_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(seen.len() as i64, stored, "every message once, attached reactions not as messages");
    let m = seen.iter().find(|m| m.id == target).expect("the reacted-to message");
    assert!(!m.reactions.is_empty(), "its reaction is shown on it");
    assert!(seen.iter().all(|m| m.kind != "reaction" || m.reaction_emoji.is_some()));
    session.stop().await;
}

#[tokio::test]
async fn what_may_be_sent_and_done_is_decided_by_the_core() {
    let tmp = tempfile::tempdir().unwrap();
    let session = demo::start(tmp.path(), cubedesk::sync::events::log_only()).await.unwrap();
    let store = &session.store;
    let account = current_account(store.pool()).await.unwrap().unwrap().id;
    let items = inbox::page(store, account, &inbox::Filter::default(), None, 500).await.unwrap();

    let closed = items.iter().find(|i| i.window.phase == "closed" && !i.customer_blocked).unwrap();
    let info = conversation::info(store, account, closed.conversation_id).await.unwrap();
    assert_eq!(info.sendable, vec!["template"], "outside the window only templates");
    let refused = compose::compose(store, closed.conversation_id, &compose::Draft::Text { text: "hi".into() }, Default::default()).await;
    assert_eq!(refused.unwrap_err().code, ErrorCode::WindowClosed, "the core refuses even if the UI forgets");

    let open = items.iter().find(|i| i.window.phase == "open" && !i.customer_blocked).unwrap();
    let info = conversation::info(store, account, open.conversation_id).await.unwrap();
    assert!(info.sendable.contains(&"text") && info.sendable.contains(&"template"));
    assert!(!info.sendable.contains(&"location"), "location is inbound only");

    // A read message may not be retried, edited or deleted; a received one neither.
    let read: i64 = sqlx::query_scalar("SELECT id FROM messages WHERE status = 'read' LIMIT 1").fetch_one(store.pool()).await.unwrap();
    let inbound: i64 = sqlx::query_scalar("SELECT id FROM messages WHERE direction = 'inbound' LIMIT 1").fetch_one(store.pool()).await.unwrap();
    let now = Default::default();
    assert_eq!(compose::retry(store, read, now).await.unwrap_err().code, ErrorCode::NotRetriable);
    assert_eq!(compose::retry(store, inbound, now).await.unwrap_err().code, ErrorCode::NotRetriable);
    assert_eq!(compose::delete(store, read).await.unwrap_err().code, ErrorCode::NotRetriable);
    assert_eq!(compose::edit(store, inbound, "x", now).await.unwrap_err().code, ErrorCode::NotRetriable);
    assert_eq!(compose::retry(store, 99_999_999, now).await.unwrap_err().code, ErrorCode::NotFound);
    // A failed text in a conversation whose window has closed: retrying it would be a free-form
    // message outside the window, so the core refuses, and the page does not offer it.
    let closed_text = fail_a_text(store, closed.conversation_id).await;
    assert_eq!(compose::retry(store, closed_text, now).await.unwrap_err().code, ErrorCode::WindowClosed);
    assert_eq!(compose::edit(store, closed_text, "again", now).await.unwrap_err().code, ErrorCode::WindowClosed);
    let closed_info = conversation::info(store, account, closed.conversation_id).await.unwrap();
    let page = conversation::page(store, closed.conversation_id, None, 50, &closed_info.sendable).await.unwrap();
    let m = page.iter().find(|m| m.id == closed_text).unwrap();
    assert!(!m.can_retry && !m.can_edit && m.can_delete, "deleting is still offered");
    // Inside the window the same kind of message may go again.
    let open_text = fail_a_text(store, open.conversation_id).await;
    compose::retry(store, open_text, now).await.unwrap();
    let status: String = sqlx::query_scalar("SELECT status FROM messages WHERE id = ?").bind(open_text).fetch_one(store.pool()).await.unwrap();
    assert!(matches!(status.as_str(), "pending" | "queued" | "sent"), "back in the outbox: {status}");

    // The page carries the same rules as flags.
    let page = conversation::page(store, open.conversation_id, None, 200, &info.sendable).await.unwrap();
    for m in &page {
        assert_eq!(m.can_retry, matches!(m.status.as_deref(), Some("failed" | "unconfirmed")));
        assert_eq!(m.can_edit, m.can_retry && m.kind == "text");
        assert_eq!(m.can_delete, matches!(m.status.as_deref(), Some("pending" | "failed" | "unconfirmed")));
    }
    session.stop().await;
}

/// A text in `conversation_id` that CubeConnect refused.
async fn fail_a_text(store: &cubedesk::store::Store, conversation_id: i64) -> i64 {
    let id = cubedesk::store::outbox::compose(
        store.pool(),
        conversation_id,
        uuid::Uuid::new_v4(),
        cubedesk::store::messages::Content::Text { text: "hello?".into() },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    cubedesk::store::outbox::refused(store.pool(), id, "VALIDATION_ERROR", "refused", chrono::Utc::now()).await.unwrap();
    id
}

#[tokio::test]
async fn the_template_preview_and_the_customer_panel() {
    let tmp = tempfile::tempdir().unwrap();
    let session = demo::start(tmp.path(), cubedesk::sync::events::log_only()).await.unwrap();
    let store = &session.store;
    let account = current_account(store.pool()).await.unwrap().unwrap().id;
    let items = inbox::page(store, account, &inbox::Filter::default(), None, 500).await.unwrap();
    let c = &items[0];

    let number = conversation::info(store, account, c.conversation_id).await.unwrap().number_id;
    let templates = cubedesk::store::templates::approved_of(store.pool(), number).await.unwrap();
    let arabic = templates.iter().find(|t| t.language == "ar" && t.params_count >= 1).expect("an Arabic template with parameters");
    assert_eq!(arabic.dir, "rtl");
    assert!(templates.iter().any(|t| t.dir == "ltr"));
    let params: Vec<String> = (1..=arabic.params_count).map(|i| format!("قيمة{i}")).collect();
    let p = compose::preview(store, c.conversation_id, &arabic.name, &arabic.language, &params).await.unwrap();
    assert!(p.problem.is_none(), "{:?}", p.problem);
    assert!(p.rendered.contains("قيمة1") && !p.rendered.contains("{{1}}"), "{}", p.rendered);
    let p = compose::preview(store, c.conversation_id, &arabic.name, &arabic.language, &[]).await.unwrap();
    assert_eq!(p.problem.unwrap().code, ErrorCode::TemplateParamsMismatch);
    assert!(p.rendered.contains("{{1}}"), "a half-filled preview shows what is missing");

    // A customer with a flow session and answers.
    let with_session: i64 = sqlx::query_scalar("SELECT customer_id FROM flow_sessions WHERE customer_id IS NOT NULL LIMIT 1")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let d = customer::details(store, with_session).await.unwrap();
    assert!(d.session.is_some());
    assert!(d.phone.chars().all(|c| c.is_ascii_digit()));
    let tags = cubedesk::store::customers::tags(store.pool(), with_session).await.unwrap();
    assert_eq!(d.tags, tags);
    let responses: i64 = sqlx::query_scalar("SELECT count(*) FROM customer_responses WHERE customer_id = ?")
        .bind(with_session)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(d.responses.len() as i64, responses.min(50));
    assert!(d.responses.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first");
    assert_eq!(customer::details(store, 99_999_999).await.unwrap_err().code, ErrorCode::NotFound);
    session.stop().await;
}
