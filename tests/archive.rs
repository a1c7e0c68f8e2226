//! The offline archive on a real SQLite file: Arabic-aware search with filters and stable paging,
//! exports (CSV with BOM, JSON round trip, HTML escaped), WhatsApp chat imports (every layout,
//! de-duplicated, refusals that change nothing), insights and backup/restore.

use chrono::{DateTime, Duration, TimeZone, Utc};
use cubedesk::commands::error::ErrorCode;
use cubedesk::commands::export::{export, import_json, ExportFormat, ExportScope};
use cubedesk::commands::import::{import, preview, ImportInput};
use cubedesk::commands::insights::{insights, InsightsQuery};
use cubedesk::commands::search::{search, SearchFilter, SearchOrder};
use cubedesk::domain::message_type::{Direction, MessageType};
use cubedesk::domain::phone::Phone;
use cubedesk::domain::status::Status;
use cubedesk::store::accounts::{insert_account, insert_number, NewAccount, NewNumber};
use cubedesk::store::conversations::ensure_conversation;
use cubedesk::store::customers::{set_tags, upsert_customer};
use cubedesk::store::messages::{insert_message, Content, NewMessage};
use cubedesk::store::Store;
use uuid::Uuid;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

struct Archive {
    tmp: tempfile::TempDir,
    store: Store,
    account: i64,
    number: i64,
    other_number: i64,
    sara: i64,
    john: i64,
    sara_conv: i64,
    john_conv: i64,
}

async fn open_account(dir: &std::path::Path) -> (Store, i64, i64, i64) {
    let store = Store::open(dir).await.unwrap();
    let pool = store.pool();
    let account = insert_account(
        pool,
        &NewAccount { name: "Al Noor".into(), base_url: "http://127.0.0.1:1".into(), tenant_id: None, is_demo: false },
        t0(),
    )
    .await
    .unwrap();
    let number = insert_number(pool, &NewNumber { account_id: account, api_id: "N1".into(), display_name: "Main".into(), phone: None }, t0())
        .await
        .unwrap();
    let other = insert_number(pool, &NewNumber { account_id: account, api_id: "N2".into(), display_name: "Branch".into(), phone: None }, t0())
        .await
        .unwrap();
    (store, account, number, other)
}

fn msg(conversation: i64, direction: Direction, at: DateTime<Utc>, content: Content) -> NewMessage {
    NewMessage {
        local_id: Uuid::new_v4(),
        conversation_id: conversation,
        direction,
        created_at: at,
        content,
        status: (direction == Direction::Outbound).then_some(Status::Pending),
        wamid: None,
    }
}

fn text(s: &str) -> Content {
    Content::Text { text: s.into() }
}

async fn archive() -> Archive {
    let tmp = tempfile::tempdir().unwrap();
    let (store, account, number, other_number) = open_account(tmp.path()).await;
    let pool = store.pool();
    let sara = upsert_customer(pool, account, &Phone::parse("+966 50 123 4567").unwrap(), Some("سارة الأحمد"), t0()).await.unwrap();
    let john = upsert_customer(pool, account, &Phone::parse("+44 7700 900123").unwrap(), Some("John Smith"), t0()).await.unwrap();
    set_tags(pool, sara, &["vip".into()]).await.unwrap();
    let sara_conv = ensure_conversation(pool, number, sara, t0()).await.unwrap();
    let john_conv = ensure_conversation(pool, other_number, john, t0()).await.unwrap();
    let m = |i: i64| t0() + Duration::minutes(i);
    for (conv, dir, at, content) in [
        (sara_conv, Direction::Inbound, m(1), text("مَرْحَبًا، أين الطلب؟")),
        (sara_conv, Direction::Outbound, m(2), text("طلبك في الطريق")),
        (sara_conv, Direction::Inbound, m(3), text("شكرا جزيلا <script>alert(1)</script>")),
        (
            sara_conv,
            Direction::Outbound,
            m(4),
            Content::Template {
                name: "order_ready".into(),
                language: "ar".into(),
                params: vec!["سارة".into()],
                header_link: None,
                rendered_body: "مرحبا سارة، طلبك جاهز للاستلام".into(),
            },
        ),
        (
            john_conv,
            Direction::Inbound,
            m(5),
            Content::Media {
                kind: MessageType::Document,
                caption: Some("Invoice for March".into()),
                filename: Some("invoice-march.pdf".into()),
                mime: None,
                link: None,
                placeholder: None,
            },
        ),
        (
            john_conv,
            Direction::Outbound,
            m(6),
            Content::Interactive {
                payload: serde_json::json!({"type": "button", "body": {"text": "Pick a delivery slot"},
                    "action": {"buttons": [{"type": "reply", "reply": {"id": "am", "title": "Morning"}}]}}),
            },
        ),
        (john_conv, Direction::Inbound, m(7), text("Hello, where is my order? NEAR( \"quoted\" -minus *star")),
        (john_conv, Direction::Inbound, m(8), text("The order arrived, thanks")),
    ] {
        insert_message(pool, &msg(conv, dir, at, content)).await.unwrap();
    }
    Archive { tmp, store, account, number, other_number, sara, john, sara_conv, john_conv }
}

async fn find(a: &Archive, q: &str) -> Vec<String> {
    find_with(a, q, &SearchFilter::default()).await
}

async fn find_with(a: &Archive, q: &str, f: &SearchFilter) -> Vec<String> {
    let r = search(&a.store, a.account, q, f, SearchOrder::Newest, None, 50).await.unwrap();
    r.hits.iter().map(|h| h.snippet.iter().map(|s| s.text.as_str()).collect::<String>()).collect()
}

#[tokio::test]
async fn arabic_search_ignores_tashkeel_alef_forms_and_the_article() {
    let a = archive().await;
    // مرحبا finds مَرْحَبًا (tashkeel) and the template's rendered body.
    let hits = find(&a, "مرحبا").await;
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits[0].contains("جاهز"), "newest first: {hits:?}");
    assert!(hits[1].contains("مَرْحَبًا"), "the snippet shows the original text: {hits:?}");
    // طلب finds الطلب (the article) and not طلبك (another word).
    let hits = find(&a, "طلب").await;
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].contains("الطلب"));
    // A query with tashkeel and a different alef finds the plain text.
    assert_eq!(find(&a, "أيْن").await.len(), 1);
    // Prefix.
    assert_eq!(find(&a, "طلب*").await.len(), 3, "طلب* finds الطلب, طلبك (twice)");
    // The hit is marked on the word with its tashkeel, as text.
    let r = search(&a.store, a.account, "مرحبا", &SearchFilter::default(), SearchOrder::Newest, None, 50).await.unwrap();
    let marked: Vec<&str> = r.hits[1].snippet.iter().filter(|s| s.hit).map(|s| s.text.as_str()).collect();
    assert_eq!(marked, vec!["مَرْحَبًا"]);
}

#[tokio::test]
async fn captions_filenames_templates_and_buttons_are_searchable() {
    let a = archive().await;
    assert_eq!(find(&a, "invoice").await.len(), 1);
    assert_eq!(find(&a, "march").await.len(), 1);
    assert_eq!(find(&a, "morning").await.len(), 1, "an interactive button's title");
    assert_eq!(find(&a, "slot").await.len(), 1, "an interactive body");
    assert_eq!(find(&a, "للاستلام").await.len(), 1, "a template as it was sent");
}

#[tokio::test]
async fn fts_syntax_in_a_query_is_searched_as_text_and_never_errors() {
    let a = archive().await;
    for q in ["\"", "*", "NEAR(", "-", "(((", ")", "a OR", "AND", "NOT", "col:val", "^x", "'; DROP TABLE messages; --", "\"unbalanced"] {
        let r = search(&a.store, a.account, q, &SearchFilter::default(), SearchOrder::Relevance, None, 50).await;
        assert!(r.is_ok(), "{q:?} -> {r:?}");
    }
    assert_eq!(find(&a, "NEAR( quoted").await.len(), 1, "NEAR( is a word");
    assert_eq!(find(&a, "\"where is my\"").await.len(), 1, "a balanced quote is a phrase");
    assert_eq!(find(&a, "\"is where\"").await.len(), 0, "a phrase keeps its word order");
    assert_eq!(find(&a, "<script>").await.len(), 1, "markup is text");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM messages").fetch_one(a.store.pool()).await.unwrap();
    assert_eq!(count, 8);
}

#[tokio::test]
async fn filters_combine_with_the_text() {
    let a = archive().await;
    let f = |f: SearchFilter| f;
    assert_eq!(find_with(&a, "order", &f(SearchFilter { direction: Some("inbound".into()), ..Default::default() })).await.len(), 2);
    assert_eq!(find_with(&a, "order", &f(SearchFilter { customer_id: Some(a.sara), ..Default::default() })).await.len(), 0);
    assert_eq!(find_with(&a, "order", &f(SearchFilter { number_id: Some(a.other_number), ..Default::default() })).await.len(), 2);
    assert_eq!(find_with(&a, "order", &f(SearchFilter { number_id: Some(a.number), ..Default::default() })).await.len(), 0);
    assert_eq!(find_with(&a, "طلب*", &f(SearchFilter { kind: Some("template".into()), ..Default::default() })).await.len(), 1);
    assert_eq!(find_with(&a, "طلب*", &f(SearchFilter { tag: Some("vip".into()), ..Default::default() })).await.len(), 3);
    assert_eq!(find_with(&a, "طلب*", &f(SearchFilter { status: Some("pending".into()), ..Default::default() })).await.len(), 2);
    let window = SearchFilter {
        from_ms: Some((t0() + Duration::minutes(7)).timestamp_millis()),
        to_ms: Some((t0() + Duration::minutes(8)).timestamp_millis()),
        ..Default::default()
    };
    let hits = find_with(&a, "order", &window).await;
    assert_eq!(hits.len(), 1, "to is exclusive: {hits:?}");
    assert!(hits[0].contains("where is my order"));
    let bad = search(&a.store, a.account, "x", &SearchFilter { direction: Some("sideways".into()), ..Default::default() }, SearchOrder::Newest, None, 5).await;
    assert_eq!(bad.unwrap_err().code, ErrorCode::SearchInvalid);
}

#[tokio::test]
async fn customers_are_found_by_name_phone_in_any_spelling_and_tag() {
    let a = archive().await;
    let who = |q: &'static str| {
        let a = &a;
        async move {
            search(&a.store, a.account, q, &SearchFilter::default(), SearchOrder::Newest, None, 5)
                .await
                .unwrap()
                .customers
                .iter()
                .map(|c| c.customer_id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(who("سارة").await, vec![a.sara]);
    assert_eq!(who("الاحمد").await, vec![a.sara], "alef with hamza and without");
    assert_eq!(who("+966 50 123 4567").await, vec![a.sara]);
    assert_eq!(who("966501234567").await, vec![a.sara]);
    assert_eq!(who("050 123 4567").await, vec![a.sara], "the local spelling");
    assert_eq!(who("vip").await, vec![a.sara]);
    assert_eq!(who("smith").await, vec![a.john]);
    let r = search(&a.store, a.account, "smith", &SearchFilter::default(), SearchOrder::Newest, None, 5).await.unwrap();
    assert_eq!(r.customers[0].conversation_id, Some(a.john_conv));
}

#[tokio::test]
async fn paging_is_stable_while_new_messages_arrive_in_both_orders() {
    let a = archive().await;
    for i in 0..30 {
        insert_message(a.store.pool(), &msg(a.john_conv, Direction::Inbound, t0() + Duration::hours(1) + Duration::minutes(i), text(&format!("parcel number {i}"))))
            .await
            .unwrap();
    }
    for order in [SearchOrder::Newest, SearchOrder::Relevance] {
        let at_start = search(&a.store, a.account, "parcel", &SearchFilter::default(), order, None, 200).await.unwrap().hits.len();
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        let mut pages = 0;
        loop {
            let r = search(&a.store, a.account, "parcel", &SearchFilter::default(), order, after.as_deref(), 7).await.unwrap();
            seen.extend(r.hits.iter().map(|h| h.message_id));
            pages += 1;
            if pages == 2 {
                // A newer message arrives between pages: it must not shift or repeat what follows.
                insert_message(a.store.pool(), &msg(a.john_conv, Direction::Inbound, t0() + Duration::days(1), text("parcel late")))
                    .await
                    .unwrap();
            }
            match r.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "no repeats ({order:?})");
        assert_eq!(seen.len(), at_start, "every match at the start reached, the late one not mixed in ({order:?})");
    }
    // Newest first really is by time.
    let r = search(&a.store, a.account, "parcel", &SearchFilter::default(), SearchOrder::Newest, None, 200).await.unwrap();
    let times: Vec<_> = r.hits.iter().map(|h| h.created_at).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    // A cursor of the other order is refused with a sentence, not a wrong page.
    let token = r.next.unwrap_or_else(|| "n.1.1.1".into());
    let wrong = search(&a.store, a.account, "parcel", &SearchFilter::default(), SearchOrder::Relevance, Some(&token), 5).await;
    assert_eq!(wrong.unwrap_err().code, ErrorCode::SearchInvalid);
}

#[tokio::test]
async fn an_edited_or_deleted_message_leaves_the_index() {
    let a = archive().await;
    assert_eq!(find(&a, "arrived").await.len(), 1);
    sqlx::query("UPDATE messages SET text = 'The parcel came' WHERE text LIKE 'The order arrived%'").execute(a.store.pool()).await.unwrap();
    assert_eq!(find(&a, "arrived").await.len(), 0);
    assert_eq!(find(&a, "came").await.len(), 1);
    sqlx::query("DELETE FROM messages WHERE text = 'The parcel came'").execute(a.store.pool()).await.unwrap();
    assert_eq!(find(&a, "came").await.len(), 0);
}

#[tokio::test]
async fn newest_first_follows_time_not_insertion_order_and_reads_the_index_without_sorting() {
    let a = archive().await;
    let pool = a.store.pool();
    let late = t0() + Duration::days(30);
    // Inserted newest first, so ids run against time (as when old history is imported).
    for i in 0..20 {
        insert_message(pool, &msg(a.john_conv, Direction::Inbound, late - Duration::hours(i), text(&format!("crate {i}")))).await.unwrap();
    }
    // Two messages of the same millisecond whose ids share their low 20 bits share a natural
    // index key: both must be indexed and found.
    let base: i64 = sqlx::query_scalar("SELECT max(id) + 1 FROM messages").fetch_one(pool).await.unwrap();
    let twin_at = (t0() + Duration::days(2)).timestamp_millis();
    for id in [base, base + (1 << 20)] {
        sqlx::query(
            "INSERT INTO messages (id, local_id, conversation_id, direction, type, created_at, text)
             VALUES (?, ?, ?, 'inbound', 'text', ?, 'crate twin')",
        )
        .bind(id)
        .bind(Uuid::new_v4().to_string())
        .bind(a.sara_conv)
        .bind(twin_at)
        .execute(pool)
        .await
        .unwrap();
    }
    let all = search(&a.store, a.account, "crate", &SearchFilter::default(), SearchOrder::Newest, None, 200).await.unwrap();
    let ids: Vec<i64> = all.hits.iter().map(|h| h.message_id).collect();
    assert_eq!(ids.len(), 22, "{ids:?}");
    assert!(all.hits.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first by time");
    assert_eq!(&ids[20..], &[base + (1 << 20), base], "both twins, the newer id first");

    // Small pages give the same sequence.
    let (mut paged, mut after) = (Vec::new(), None::<String>);
    loop {
        let r = search(&a.store, a.account, "crate", &SearchFilter::default(), SearchOrder::Newest, after.as_deref(), 3).await.unwrap();
        paged.extend(r.hits.iter().map(|h| h.message_id));
        match r.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(paged, ids);

    // A date range: from inclusive, to exclusive.
    let range = SearchFilter {
        from_ms: Some((late - Duration::hours(5)).timestamp_millis()),
        to_ms: Some((late - Duration::hours(1)).timestamp_millis()),
        ..SearchFilter::default()
    };
    assert_eq!(find_with(&a, "crate", &range).await, ["crate 2", "crate 3", "crate 4", "crate 5"]);

    // The page comes straight off the index in key order: nothing is sorted.
    let plan: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(&format!("EXPLAIN QUERY PLAN {}", cubedesk::store::search::message_search_sql(cubedesk::store::search::Order::Newest)))
            .fetch_all(pool)
            .await
            .unwrap();
    let steps: Vec<&str> = plan.iter().map(|p| p.3.as_str()).collect();
    assert!(!steps.iter().any(|s| s.contains("TEMP B-TREE")), "{steps:?}");
    assert!(steps.iter().find(|s| s.starts_with("SCAN") || s.starts_with("SEARCH")).is_some_and(|s| s.contains("message_search")), "{steps:?}");
}

fn read(path: &std::path::Path) -> String {
    String::from_utf8(std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn csv_has_a_bom_and_one_row_per_message_and_html_is_escaped_and_directional() {
    let a = archive().await;
    let csv_path = a.tmp.path().join("out.csv");
    let r = export(&a.store, a.account, &ExportScope::All, ExportFormat::Csv, &csv_path, 180).await.unwrap();
    assert_eq!(r.messages, 8);
    let bytes = std::fs::read(&csv_path).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM for Excel");
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 8);
    assert!(rows.iter().any(|r| &r[7] == "مَرْحَبًا، أين الطلب؟" && &r[0] == "2026-03-01 12:01:00" && &r[4] == "'+966501234567"));
    assert!(rows.iter().any(|r| r[7].contains("Where is my order") || r[7].contains("where is my order")));

    let one = export(&a.store, a.account, &ExportScope::Conversation { conversation_id: a.sara_conv }, ExportFormat::Csv, &csv_path, 0).await.unwrap();
    assert_eq!(one.messages, 4);
    let by_customer = export(&a.store, a.account, &ExportScope::Customer { customer_id: a.john }, ExportFormat::Csv, &csv_path, 0).await.unwrap();
    assert_eq!(by_customer.messages, 4);
    let found = export(
        &a.store,
        a.account,
        &ExportScope::Search { query: "order".into(), filter: SearchFilter::default() },
        ExportFormat::Csv,
        &csv_path,
        0,
    )
    .await
    .unwrap();
    assert_eq!(found.messages, 2);

    let html_path = a.tmp.path().join("out.html");
    export(&a.store, a.account, &ExportScope::All, ExportFormat::Html, &html_path, 0).await.unwrap();
    let html = read(&html_path);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "customer text is escaped");
    assert!(!html.contains("<script>"));
    assert!(html.contains("dir=\"auto\""));
    assert!(html.contains("سارة الأحمد"));
}

#[tokio::test]
async fn an_unwritable_folder_is_refused_and_leaves_no_half_file() {
    let a = archive().await;
    let missing = a.tmp.path().join("no such folder").join("out.csv");
    let e = export(&a.store, a.account, &ExportScope::All, ExportFormat::Csv, &missing, 0).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::FileUnwritable);
    assert!(e.message.contains("nothing was saved"), "{}", e.message);
    let ro = a.tmp.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let e = export(&a.store, a.account, &ExportScope::All, ExportFormat::Json, &ro.join("x.json"), 0).await;
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Root may write anywhere (CI often runs as root); then the file must be whole and alone.
    match e {
        Err(e) => {
            assert_eq!(e.code, ErrorCode::FileUnwritable);
            assert_eq!(std::fs::read_dir(&ro).unwrap().count(), 0, "no temporary file left behind");
        }
        Ok(r) => {
            assert_eq!(r.messages, 8);
            let doc: serde_json::Value = serde_json::from_str(&read(&ro.join("x.json"))).unwrap();
            assert_eq!(doc["conversations"].as_array().unwrap().len(), 2);
            assert_eq!(std::fs::read_dir(&ro).unwrap().count(), 1, "no temporary file left behind");
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(a.tmp.path()).unwrap().filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().ends_with(".part")).collect();
    assert!(leftovers.is_empty());
}

fn without_time(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.as_object_mut().unwrap().remove("exportedAt");
    v
}

#[tokio::test]
async fn json_export_imports_into_another_archive_identically_and_twice_adds_nothing() {
    let a = archive().await;
    // A reaction pointing at a message, so the link survives the trip too.
    let target: i64 = sqlx::query_scalar("SELECT id FROM messages WHERE type = 'template'").fetch_one(a.store.pool()).await.unwrap();
    insert_message(a.store.pool(), &msg(a.sara_conv, Direction::Inbound, t0() + Duration::minutes(9), Content::Reaction { emoji: "👍".into(), to_id: Some(target), to_wamid: None }))
        .await
        .unwrap();
    let first = a.tmp.path().join("a.json");
    export(&a.store, a.account, &ExportScope::All, ExportFormat::Json, &first, 0).await.unwrap();

    let other = tempfile::tempdir().unwrap();
    let (b, b_account, _, _) = open_account(other.path()).await;
    let r = import_json(&b, b_account, &first).await.unwrap();
    assert_eq!((r.conversations, r.imported, r.duplicates), (2, 9, 0));
    let again = import_json(&b, b_account, &first).await.unwrap();
    assert_eq!((again.imported, again.duplicates), (0, 9));

    let second = other.path().join("b.json");
    export(&b, b_account, &ExportScope::All, ExportFormat::Json, &second, 0).await.unwrap();
    assert_eq!(without_time(&read(&first)), without_time(&read(&second)));
    // And the imported messages are searchable in the new archive.
    let hits = search(&b, b_account, "مرحبا", &SearchFilter::default(), SearchOrder::Newest, None, 10).await.unwrap();
    assert_eq!(hits.hits.len(), 2);

    std::fs::write(other.path().join("bad.json"), "{\"format\":\"something-else\",\"version\":1,\"exportedAt\":\"2026-01-01T00:00:00Z\",\"conversations\":[]}").unwrap();
    let e = import_json(&b, b_account, &other.path().join("bad.json")).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ImportUnknownLayout);
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/whatsapp/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn input(path: String, phone: &str) -> ImportInput {
    ImportInput { path, phone: phone.into(), me: None, customer_name: None, number_id: None, date_order: None, utc_offset_minutes: Some(180) }
}

#[tokio::test]
async fn every_chat_export_layout_imports_as_history_and_twice_adds_nothing() {
    let a = archive().await;
    let files: Vec<String> = std::fs::read_dir(format!("{}/tests/fixtures/whatsapp", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    assert!(files.len() >= 10, "{files:?}");
    for (i, name) in files.iter().enumerate() {
        let phone = format!("+9665500000{i:02}");
        let p = preview(&a.store, a.account, &input(fixture(name), &phone)).await.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(p.messages > 0, "{name}");
        assert_eq!(p.already_imported, 0);
        let mut job = input(fixture(name), &phone);
        job.me = p.suggested_me.clone().or_else(|| p.authors.first().map(|a| a.name.clone()));
        let r = import(&a.store, a.account, &job).await.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(r.imported as usize, p.messages, "{name}");
        assert_eq!(r.problems.len(), p.problems.len());
        let again = import(&a.store, a.account, &job).await.unwrap();
        assert_eq!((again.imported, again.duplicates as usize), (0, p.messages), "{name}: de-duplicated");
        let p2 = preview(&a.store, a.account, &input(fixture(name), &phone)).await.unwrap();
        assert_eq!(p2.already_imported as usize, p.messages);
        // History is marked imported, is read, and does not open a 24-hour window.
        let (imported, unread, last_inbound): (i64, i64, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM messages WHERE conversation_id = c.id AND imported = 1), c.unread_count, c.last_inbound_at
             FROM conversations c WHERE c.id = ?",
        )
        .bind(r.conversation_id)
        .fetch_one(a.store.pool())
        .await
        .unwrap();
        assert_eq!((imported as usize, unread, last_inbound), (p.messages, 0, None), "{name}");
    }
}

#[tokio::test]
async fn an_imported_chat_keeps_who_said_what_its_times_and_its_bad_lines() {
    let a = archive().await;
    let p = preview(&a.store, a.account, &input(fixture("android_24h_day_first.txt"), "+966 50 123 4567")).await.unwrap();
    assert_eq!(p.suggested_me.as_deref(), Some("Cube Store"));
    let mut job = input(fixture("android_24h_day_first.txt"), "+966 50 123 4567");
    job.me = Some("Cube Store".into());
    let r = import(&a.store, a.account, &job).await.unwrap();
    assert_eq!(r.conversation_id, a.sara_conv, "the customer's existing conversation");
    let first: (String, i64, Option<String>) = sqlx::query_as(
        "SELECT direction, created_at, text FROM messages WHERE conversation_id = ? AND imported = 1 ORDER BY created_at, id LIMIT 2",
    )
    .bind(a.sara_conv)
    .fetch_one(a.store.pool())
    .await
    .unwrap();
    assert_eq!(first.0, "inbound");
    // 31/12/2020 23:51 at UTC+3.
    assert_eq!(first.1, Utc.with_ymd_and_hms(2020, 12, 31, 20, 51, 0).unwrap().timestamp_millis());
    assert_eq!(first.2.as_deref(), Some("Hello, is the blue abaya still available?"));
    let ours: String = sqlx::query_scalar("SELECT text FROM messages WHERE conversation_id = ? AND imported = 1 AND direction = 'outbound' ORDER BY created_at LIMIT 1")
        .bind(a.sara_conv)
        .fetch_one(a.store.pool())
        .await
        .unwrap();
    assert_eq!(ours, "Yes! We have sizes 52, 54 and 56.\nPrice is 250 SAR.\n\nFree delivery in Riyadh.", "a multi-line message stays whole");
    // Imported history is searchable and marked so.
    let r = search(&a.store, a.account, "abaya", &SearchFilter::default(), SearchOrder::Newest, None, 5).await.unwrap();
    assert!(r.hits[0].imported);

    let bad = preview(&a.store, a.account, &input(fixture("problems.txt"), "+966 50 123 4567")).await.unwrap();
    assert!(!bad.problems.is_empty());
    assert!(bad.problems.iter().all(|p| p.line > 0 && !p.reason.is_empty()));
}

#[tokio::test]
async fn unreadable_import_files_are_refused_and_change_nothing() {
    let a = archive().await;
    let count = || async { sqlx::query_scalar::<_, i64>("SELECT count(*) FROM messages").fetch_one(a.store.pool()).await.unwrap() };
    let before = count().await;
    let dir = a.tmp.path();
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    std::fs::write(dir.join("notes.txt"), "shopping list\nmilk\neggs\n").unwrap();
    let big = std::fs::File::create(dir.join("big.txt")).unwrap();
    big.set_len(2 * 1024 * 1024 * 1024).unwrap(); // sparse: 2 GB without using the disk
    for (file, code) in [
        ("empty.txt", ErrorCode::ImportEmpty),
        ("binary.txt", ErrorCode::ImportBinary),
        ("notes.txt", ErrorCode::ImportUnknownLayout),
        ("big.txt", ErrorCode::ImportTooLarge),
        ("missing.txt", ErrorCode::FileUnreadable),
    ] {
        let job = input(dir.join(file).display().to_string(), "+966 50 123 4567");
        let e = import(&a.store, a.account, &job).await.unwrap_err();
        assert_eq!(e.code, code, "{file}: {}", e.message);
        assert!(e.message.contains("Nothing was imported"), "{file}: {}", e.message);
        assert_eq!(preview(&a.store, a.account, &job).await.unwrap_err().code, code);
    }
    let bad_phone = import(&a.store, a.account, &input(fixture("iphone_24h.txt"), "12")).await.unwrap_err();
    assert_eq!(bad_phone.code, ErrorCode::InvalidPhone);
    assert_eq!(count().await, before);
}

#[tokio::test]
async fn insights_count_days_categories_rates_failures_response_time_and_unanswered() {
    let a = archive().await;
    let pool = a.store.pool();
    // Delivery outcomes and a category with cost on our messages.
    sqlx::query("UPDATE messages SET status = 'read', category = 'SERVICE', cost = 0 WHERE direction = 'outbound' AND type = 'text'").execute(pool).await.unwrap();
    sqlx::query("UPDATE messages SET status = 'delivered', category = 'UTILITY', cost = 0.25, cost_currency = 'USD' WHERE type = 'template'").execute(pool).await.unwrap();
    sqlx::query("UPDATE messages SET status = 'failed', failure_code = '131047', failure_reason = 'Re-engagement message' WHERE type = 'interactive'").execute(pool).await.unwrap();
    // A customer who wrote and never got an answer: their window closed.
    let lone = upsert_customer(pool, a.account, &Phone::parse("+971 50 000 0001").unwrap(), Some("Lone"), t0()).await.unwrap();
    let lone_conv = ensure_conversation(pool, a.number, lone, t0()).await.unwrap();
    insert_message(pool, &msg(lone_conv, Direction::Inbound, t0() + Duration::hours(2), text("anyone there?"))).await.unwrap();

    let q = InsightsQuery {
        from_ms: (t0() - Duration::days(1)).timestamp_millis(),
        to_ms: (t0() + Duration::days(2)).timestamp_millis(),
        number_id: None,
        utc_offset_minutes: 0,
    };
    let i = insights(&a.store, a.account, &q, t0() + Duration::days(3)).await.unwrap();
    assert_eq!(i.days.len(), 4, "every day of the period, quiet ones included");
    let busy: Vec<_> = i.days.iter().filter(|d| d.inbound + d.outbound > 0).collect();
    assert_eq!(busy.len(), 1);
    assert_eq!((busy[0].day.as_str(), busy[0].inbound, busy[0].outbound), ("2026-03-01", 6, 3));
    let cat = |c: &str| i.categories.iter().find(|x| x.category == c).map(|x| (x.sends, x.cost));
    assert_eq!(cat("SERVICE"), Some((1, 0.0)));
    assert_eq!(cat("UTILITY"), Some((1, 0.25)));
    assert_eq!((i.delivery.sent, i.delivery.delivered, i.delivery.read, i.delivery.failed), (2, 2, 1, 1));
    assert_eq!(i.delivery.delivery_rate, Some(2.0 / 3.0));
    assert_eq!(i.delivery.read_rate, Some(0.5));
    assert_eq!(i.failures.len(), 1);
    assert_eq!((i.failures[0].code.as_deref(), i.failures[0].count), (Some("131047"), 1));
    // Sara waited 1 minute (m1 -> m2); John's only reply (m6) failed, so it answered nothing.
    assert_eq!(i.median_first_response_minutes, Some(1.0));
    let unanswered: Vec<i64> = i.unanswered.iter().map(|u| u.customer_id).collect();
    assert!(unanswered.contains(&lone), "{unanswered:?}");
    assert!(unanswered.contains(&a.john), "John's last messages were never answered");
    assert!(!unanswered.contains(&a.sara), "Sara's last message was answered by the template a minute later");
    // One number only.
    let only = insights(&a.store, a.account, &InsightsQuery { number_id: Some(a.other_number), ..q }, t0() + Duration::days(3)).await.unwrap();
    let day = |x: &cubedesk::commands::insights::Insights, d: &str| x.days.iter().find(|y| y.day == d).map(|y| (y.inbound, y.outbound));
    assert_eq!(day(&only, "2026-03-01"), Some((3, 1)));
    // Day buckets follow the user's offset: at UTC-10 the morning of March 1st is still February 28th.
    let west = insights(&a.store, a.account, &InsightsQuery { utc_offset_minutes: -600, ..q }, t0() + Duration::days(3)).await.unwrap();
    assert_eq!(day(&west, "2026-02-28"), Some((5, 3)));
    assert_eq!(day(&west, "2026-03-01"), Some((1, 0)), "Lone wrote at 11:00 UTC, 01:00 on March 1st at UTC-10");
}

#[tokio::test]
async fn a_backup_is_consistent_checked_and_restored_at_the_next_open() {
    let a = archive().await;
    let backup_path = a.tmp.path().join("backup.db");
    let r = cubedesk::commands::backup::backup(&a.store, &backup_path).await.unwrap();
    assert!(r.bytes > 0);
    let summary = cubedesk::commands::backup::check(&backup_path).await.unwrap();
    assert_eq!((summary.customers, summary.conversations, summary.messages), (2, 2, 8));
    assert_eq!(summary.schema_version, Store::supported_schema_version());

    // Things that are not backups are refused and nothing is staged.
    let junk = a.tmp.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all, just text").unwrap();
    let e = cubedesk::commands::backup::check(&junk).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::BackupInvalid);
    let truncated = a.tmp.path().join("truncated.db");
    std::fs::write(&truncated, &std::fs::read(&backup_path).unwrap()[..4096]).unwrap();
    assert_eq!(cubedesk::commands::backup::check(&truncated).await.unwrap_err().code, ErrorCode::BackupInvalid);

    // Change the archive after the backup, then restore: the backup's state comes back and the
    // replaced archive is kept beside it.
    insert_message(a.store.pool(), &msg(a.sara_conv, Direction::Inbound, t0() + Duration::hours(5), text("after the backup"))).await.unwrap();
    let data_dir = a.tmp.path().join("data");
    std::fs::create_dir(&data_dir).unwrap();
    {
        let (s, ..) = open_account(&data_dir).await;
        s.close().await;
    }
    let e = cubedesk::commands::backup::stage(&junk, &data_dir).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::BackupInvalid);
    assert!(!data_dir.join(cubedesk::store::backup::PENDING_RESTORE).exists());
    cubedesk::commands::backup::stage(&backup_path, &data_dir).await.unwrap();
    let restored = Store::open(&data_dir).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM messages").fetch_one(restored.pool()).await.unwrap();
    assert_eq!(n, 8);
    let kept = std::fs::read_dir(&data_dir).unwrap().filter_map(|e| e.ok()).any(|e| e.file_name().to_string_lossy().starts_with("cubedesk-before-restore-"));
    assert!(kept, "the replaced archive is kept");
    assert!(!data_dir.join(cubedesk::store::backup::PENDING_RESTORE).exists());
}

#[tokio::test]
async fn csv_cells_never_start_a_formula() {
    let a = archive().await;
    insert_message(a.store.pool(), &msg(a.sara_conv, Direction::Inbound, t0() + Duration::hours(1), text("=HYPERLINK(\"http://x\",\"click\")")))
        .await
        .unwrap();
    let path = a.tmp.path().join("f.csv");
    export(&a.store, a.account, &ExportScope::All, ExportFormat::Csv, &path, 0).await.unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(&bytes[3..]).records().map(|r| r.unwrap()).collect();
    let cell = rows.iter().map(|r| r[7].to_string()).find(|t| t.contains("HYPERLINK")).unwrap();
    assert_eq!(cell, "'=HYPERLINK(\"http://x\",\"click\")");
    assert!(rows.iter().all(|r| !r.iter().any(|c| c.starts_with(['=', '+', '-', '@']))));
}

#[tokio::test]
async fn none_of_the_authors_is_me_and_the_same_chat_on_another_number_is_its_own_history() {
    let a = archive().await;
    let mut job = input(fixture("android_24h_day_first.txt"), "+966 50 123 4567");
    job.me = Some(String::new());
    let r = import(&a.store, a.account, &job).await.unwrap();
    let outbound: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE conversation_id = ? AND imported = 1 AND direction = 'outbound'")
        .bind(r.conversation_id)
        .fetch_one(a.store.pool())
        .await
        .unwrap();
    assert_eq!(outbound, 0, "an empty `me`: every message is the customer's");
    job.number_id = Some(a.other_number);
    let other = import(&a.store, a.account, &job).await.unwrap();
    assert_ne!(other.conversation_id, r.conversation_id);
    assert_eq!((other.imported, other.duplicates), (r.imported, 0), "not mistaken for the first number's copy");
}

#[tokio::test]
async fn a_json_export_with_one_bad_conversation_imports_nothing_and_an_existing_customer_keeps_their_state() {
    let a = archive().await;
    let path = a.tmp.path().join("a.json");
    export(&a.store, a.account, &ExportScope::All, ExportFormat::Json, &path, 0).await.unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&read(&path)).unwrap();
    let other = tempfile::tempdir().unwrap();
    let (b, b_account, _, _) = open_account(other.path()).await;
    // Sara is already known in the second archive, and blocked there.
    let sara = upsert_customer(b.pool(), b_account, &Phone::parse("+966 50 123 4567").unwrap(), Some("Sara B"), t0()).await.unwrap();
    sqlx::query("UPDATE customers SET status = 'blocked' WHERE id = ?").bind(sara).execute(b.pool()).await.unwrap();
    let good = doc.clone();
    doc["conversations"][1]["customer"]["phone"] = serde_json::json!("12");
    let bad_path = other.path().join("bad.json");
    std::fs::write(&bad_path, doc.to_string()).unwrap();
    let e = import_json(&b, b_account, &bad_path).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ImportUnknownLayout);
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM messages").fetch_one(b.pool()).await.unwrap();
    assert_eq!(n, 0, "all or nothing");
    std::fs::write(&bad_path, good.to_string()).unwrap();
    import_json(&b, b_account, &bad_path).await.unwrap();
    let (status, name): (String, Option<String>) = sqlx::query_as("SELECT status, name FROM customers WHERE id = ?").bind(sara).fetch_one(b.pool()).await.unwrap();
    assert_eq!(status, "blocked", "an old export does not unblock a customer");
    assert_eq!(name.as_deref(), Some("Sara B"));
}

#[tokio::test]
async fn a_failed_send_answers_nothing_and_every_day_of_the_period_is_listed() {
    let a = archive().await;
    let pool = a.store.pool();
    sqlx::query("UPDATE messages SET status = 'failed' WHERE direction = 'outbound'").execute(pool).await.unwrap();
    let q = InsightsQuery {
        from_ms: (t0() - Duration::days(2)).timestamp_millis(),
        to_ms: (t0() + Duration::days(1)).timestamp_millis(),
        number_id: None,
        utc_offset_minutes: 0,
    };
    let i = insights(&a.store, a.account, &q, t0() + Duration::days(3)).await.unwrap();
    assert_eq!(i.median_first_response_minutes, None, "no reply reached a customer");
    let days: Vec<&str> = i.days.iter().map(|d| d.day.as_str()).collect();
    assert_eq!(days, vec!["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
    assert_eq!((i.days[0].inbound, i.days[0].outbound), (0, 0));
}

#[tokio::test]
async fn files_are_never_written_into_the_data_folder() {
    let a = archive().await;
    let e = cubedesk::commands::export::outside_data_dir(&a.store.data_dir().join("cubedesk.db"), a.store.data_dir()).unwrap_err();
    assert_eq!(e.code, ErrorCode::FileUnwritable);
    assert!(cubedesk::commands::export::outside_data_dir(&a.tmp.path().join("..").join("x.csv"), a.store.data_dir()).is_ok());
}

#[test]
fn a_restore_interrupted_between_renames_never_pairs_the_old_wal_with_the_restored_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join(cubedesk::store::backup::PENDING_RESTORE), b"restored").unwrap();
    // As after a crash: the old archive already moved aside, its WAL still beside where it was.
    std::fs::write(d.join("cubedesk.db-wal"), b"old wal").unwrap();
    std::fs::write(d.join("cubedesk.db-shm"), b"old shm").unwrap();
    let kept = cubedesk::store::backup::apply_pending_restore(d).unwrap().unwrap();
    assert_eq!(std::fs::read(d.join("cubedesk.db")).unwrap(), b"restored");
    assert!(!d.join("cubedesk.db-wal").exists() && !d.join("cubedesk.db-shm").exists());
    let kept_wal = d.join(format!("{}-wal", kept.file_name().unwrap().to_str().unwrap()));
    assert_eq!(std::fs::read(kept_wal).unwrap(), b"old wal", "the old WAL stays with the old archive's name");
    assert_eq!(cubedesk::store::backup::apply_pending_restore(d).unwrap(), None, "nothing more to do");
}
