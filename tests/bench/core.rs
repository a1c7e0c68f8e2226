//! The core's speed on a large archive (issue 7). Every figure stands beside a baseline measured
//! in the same run, on the same file: the same work done by raw SQLite through rusqlite, without
//! CubeDesk's layers (sqlx, the domain rules, shaping for the window). Core and baseline samples
//! alternate, so a noisy neighbour slows both alike and the ratio stays meaningful.
//!
//! Criterion was not used: it reports a mean with a confidence interval per benchmark, while the
//! targets are p95s and ratios against a paired baseline, and the ingest figure is a rate over a
//! real HTTP receiver rather than an iteration time.
//!
//! `make bench` runs it; by hand: `cargo bench --bench core -- --archive DIR [--samples N]
//! [--events N] [--json FILE]`, where DIR was made by `cubedesk gen`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use hmac::{Hmac, Mac};
use rusqlite::{params, Connection, OpenFlags};
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, Notify};

use cubedesk::commands::conversation;
use cubedesk::commands::inbox::{self, Filter};
use cubedesk::commands::search::{self, SearchFilter, SearchOrder};
use cubedesk::domain::search_text::parse_query;
use cubedesk::store::{Store, DB_FILE};
use cubedesk::sync::apply::apply_pending;
use cubedesk::sync::events::log_only;
use cubedesk::webhook::{Receiver, ReceiverConfig};

struct Args {
    archive: PathBuf,
    samples: usize,
    events: usize,
    json: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args { archive: PathBuf::new(), samples: 50, events: 4000, json: None };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        match k.as_str() {
            "--archive" => a.archive = it.next().expect("--archive DIR").into(),
            "--samples" => a.samples = it.next().and_then(|v| v.parse().ok()).expect("--samples N"),
            "--events" => a.events = it.next().and_then(|v| v.parse().ok()).expect("--events N"),
            "--json" => a.json = Some(it.next().expect("--json FILE").into()),
            // cargo bench passes --bench; nothing else is ours.
            _ => {}
        }
    }
    assert!(a.archive.join(DB_FILE).is_file(), "--archive must be a data folder made by `cubedesk gen` (no {DB_FILE} in {:?})", a.archive);
    a
}

/// Times of one case, in milliseconds.
struct Case {
    name: String,
    core: Vec<f64>,
    base: Vec<f64>,
    note: String,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    // Nearest rank: the smallest sample at or above p of them.
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn summary(v: &[f64]) -> (f64, f64) {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    (percentile(&s, 0.5), percentile(&s, 0.95))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `core` and `base` alternately: a few warm-ups, then `n` timed samples of each.
fn paired<T, U>(name: &str, n: usize, note: &str, mut core: impl FnMut() -> T, mut base: impl FnMut() -> U) -> Case {
    for _ in 0..3 {
        std::hint::black_box(core());
        std::hint::black_box(base());
    }
    let (mut c, mut b) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        let t = Instant::now();
        std::hint::black_box(core());
        c.push(ms(t.elapsed()));
        let t = Instant::now();
        std::hint::black_box(base());
        b.push(ms(t.elapsed()));
    }
    let case = Case { name: name.to_string(), core: c, base: b, note: note.to_string() };
    let ((c50, c95), (b50, b95)) = (summary(&case.core), summary(&case.base));
    eprintln!("{name:<44} core p50 {c50:>8.2} ms p95 {c95:>8.2} ms | raw p50 {b50:>8.2} ms p95 {b95:>8.2} ms | ×{:.2}", c50 / b50);
    case
}

fn raw(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX).expect("raw read-only connection")
}

/// Rows of a raw query, each column read as SQLite holds it (the work of getting the values out).
fn rows(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> usize {
    let mut st = conn.prepare_cached(sql).expect("raw statement");
    let cols = st.column_count();
    let mut q = st.query(params).expect("raw query");
    let mut n = 0;
    while let Some(r) = q.next().expect("raw row") {
        for i in 0..cols {
            std::hint::black_box(r.get_ref(i).expect("raw column"));
        }
        n += 1;
    }
    n
}

const WINDOW_MS: i64 = 24 * 3600 * 1000;

const RAW_INBOX: &str = "SELECT c.id, c.last_message_at, c.last_inbound_at, c.unread_count, c.server_window_expires_at,
        cu.name, cu.phone, n.display_name, m.type, m.direction, m.status,
        coalesce(m.text, m.rendered_body, m.media_caption, m.media_filename, m.reaction_emoji, m.location_name)
     FROM conversations c CROSS JOIN whatsapp_numbers n ON n.id = c.number_id JOIN customers cu ON cu.id = c.customer_id
     LEFT JOIN messages m ON m.id = c.last_message_id
     WHERE n.account_id = ?1 ORDER BY c.last_message_at DESC, c.id DESC LIMIT 100";

/// Every conversation's window inputs, and the window decided in the loop that reads them.
fn raw_windows(conn: &Connection, account: i64, now: i64) -> usize {
    let mut st = conn
        .prepare_cached(
            "SELECT c.id, c.last_inbound_at, c.server_window_expires_at FROM conversations c
             JOIN whatsapp_numbers n ON n.id = c.number_id WHERE n.account_id = ?1",
        )
        .expect("raw windows");
    let mut q = st.query([account]).expect("raw windows query");
    let mut closing = 0;
    while let Some(r) = q.next().expect("row") {
        let last: Option<i64> = r.get(1).expect("last");
        let server: Option<i64> = r.get(2).expect("server");
        let expiry = server.or(last.map(|l| l + WINDOW_MS));
        if expiry.is_some_and(|e| e > now && e - now < 3 * 3600 * 1000) {
            closing += 1;
        }
    }
    closing
}

const RAW_THREAD: &str = "SELECT id, direction, type, created_at, text, media_caption, media_filename, rendered_body, interactive,
        reaction_emoji, status, failure_reason, category, cost
     FROM messages WHERE conversation_id = ?1 AND (created_at < ?2 OR (created_at = ?2 AND id < ?3))
     ORDER BY created_at DESC, id DESC LIMIT 50";

// The index's rowid is a key in time order mapped to the message by search_keys (migration 0007).
const RAW_SEARCH_NEWEST: &str = "SELECT m.id, m.conversation_id, m.created_at, m.text, m.media_caption, m.media_filename, m.rendered_body
     FROM message_search f JOIN search_keys sk ON sk.key = f.rowid JOIN messages m ON m.id = sk.message_id
     WHERE message_search MATCH ?1 ORDER BY f.rowid DESC LIMIT 50";

const RAW_SEARCH_RANK: &str = "SELECT m.id, m.conversation_id, m.created_at, m.text, m.media_caption, m.media_filename, m.rendered_body, f.rank
     FROM (SELECT rowid, rank FROM message_search WHERE message_search MATCH ?1 ORDER BY rank LIMIT 50) f
     JOIN search_keys sk ON sk.key = f.rowid JOIN messages m ON m.id = sk.message_id ORDER BY f.rank";

fn main() {
    let a = args();
    let rt = Runtime::new().expect("tokio runtime");
    let db = a.archive.join(DB_FILE);
    let n = a.samples;
    let mut cases = Vec::new();

    let store = rt.block_on(Store::open(&a.archive)).expect("open the archive");
    // The first search indexes anything queued; do it before timing.
    rt.block_on(cubedesk::store::search::catch_up(store.pool())).expect("index");
    let conn = raw(&db);
    let account: i64 = conn.query_row("SELECT id FROM accounts ORDER BY id LIMIT 1", [], |r| r.get(0)).expect("an account");
    let (messages, customers): (i64, i64) = conn
        .query_row("SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM customers)", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("counts");
    let (largest, largest_n): (i64, i64) = conn
        .query_row("SELECT conversation_id, count(*) AS n FROM messages GROUP BY conversation_id ORDER BY n DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("largest conversation");
    let sqlite: String = conn.query_row("SELECT sqlite_version()", [], |r| r.get(0)).expect("version");
    let largest_phone: String = conn
        .query_row("SELECT cu.phone FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?1", [largest], |r| r.get(0))
        .expect("largest conversation's customer");
    eprintln!("archive: {messages} messages, {customers} customers, largest conversation {largest} with {largest_n} messages; SQLite {sqlite}");

    // --- inbox and windows ---
    cases.push(paired(
        "inbox: first 100 conversations with window state",
        n,
        "newest activity first",
        || rt.block_on(inbox::page(&store, account, &Filter::default(), None, 100)).expect("inbox").len(),
        || {
            let now = Utc::now().timestamp_millis();
            let mut st = conn.prepare_cached(RAW_INBOX).expect("raw inbox");
            let mut q = st.query([account]).expect("q");
            let mut open = 0;
            while let Some(r) = q.next().expect("row") {
                for i in 0..12 {
                    std::hint::black_box(r.get_ref(i).expect("col"));
                }
                let last: Option<i64> = r.get(2).expect("last");
                open += usize::from(last.is_some_and(|l| l + WINDOW_MS > now));
            }
            open
        },
    ));
    let closing = Filter { window: Some("closing".into()), ..Filter::default() };
    cases.push(paired(
        &format!("window state for all {customers} customers"),
        n,
        "the inbox's \"closing soon\" filter: every conversation's window decided",
        || rt.block_on(inbox::page(&store, account, &closing, None, 500)).expect("windows").len(),
        || raw_windows(&conn, account, Utc::now().timestamp_millis()),
    ));

    // --- the largest conversation ---
    let first = rt.block_on(conversation::page(&store, largest, None, 50, &["text"])).expect("thread");
    assert_eq!(first.len(), 50, "the largest conversation has a first page");
    let oldest = first.last().expect("a row").cursor;
    cases.push(paired(
        &format!("open the largest conversation ({largest_n} messages): newest 50"),
        n,
        "messages with reactions, shaped for the window",
        || rt.block_on(conversation::page(&store, largest, None, 50, &["text"])).expect("page").len(),
        || rows(&conn, RAW_THREAD, params![largest, i64::MAX, i64::MAX]),
    ));
    cases.push(paired(
        "… and the next 50 back",
        n,
        "keyset on (created_at, id)",
        || rt.block_on(conversation::page(&store, largest, Some(oldest), 50, &["text"])).expect("page").len(),
        || rows(&conn, RAW_THREAD, params![largest, oldest.created_at, oldest.id]),
    ));

    // --- search ---
    // A rare word: an invoice number that occurs in the archive (the generator writes a few).
    let rare: String = conn
        .query_row("SELECT text FROM messages WHERE text LIKE 'The invoice number is %' ORDER BY id LIMIT 1", [], |r| r.get::<_, String>(0))
        .map(|t| t.split_whitespace().nth(4).unwrap_or("12345").trim_end_matches(',').to_string())
        .unwrap_or_else(|_| "12345".into());
    let queries = [
        ("common word", "order".to_string()),
        ("rare word", rare),
        ("Arabic word", "طلب".to_string()),
        ("phrase", "\"blue abaya\"".to_string()),
        ("prefix", "deliv*".to_string()),
    ];
    for (label, q) in &queries {
        let fts = parse_query(q).expect("a query").fts;
        let matches: i64 = conn
            .query_row("SELECT count(*) FROM message_search WHERE message_search MATCH ?1", [&fts], |r| r.get(0))
            .expect("count");
        for (order, raw_sql, how) in
            [(SearchOrder::Newest, RAW_SEARCH_NEWEST, "newest"), (SearchOrder::Relevance, RAW_SEARCH_RANK, "relevance")]
        {
            cases.push(paired(
                &format!("search {label} `{q}`, {how} first"),
                n,
                &format!("{matches} matching messages; first page of 50"),
                || rt.block_on(search::search(&store, account, q, &SearchFilter::default(), order, None, 50)).expect("search").hits.len(),
                || rows(&conn, raw_sql, [&fts]),
            ));
        }
    }
    drop(conn);
    rt.block_on(store.close());

    // --- ingest, on copies of the archive so the read figures above stay repeatable ---
    let ingest = ingest(&rt, &a.archive, a.events);

    report(&cases, &ingest, messages, customers, (largest_n, &largest_phone), &sqlite, a.json.as_deref());
}

struct Ingest {
    events: usize,
    clients: usize,
    /// Events per second answered 200 (each on disk first), and applied.
    stored_per_s: f64,
    applied_per_s: f64,
    raw_per_event_tx: f64,
    raw_batched: f64,
}

const SECRET: &str = "bench-secret";
const CLIENTS: usize = 4;

fn sign(ts: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key");
    mac.update(ts.as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A working copy of the archive's database in a folder of its own.
fn copy_archive(archive: &Path, name: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix(name).tempdir_in(archive.parent().unwrap_or(Path::new("."))).expect("scratch folder");
    std::fs::copy(archive.join(DB_FILE), dir.path().join(DB_FILE)).expect("copy the archive");
    dir
}

/// Half new inbound messages from existing customers, half status changes of sent messages.
fn events(conn: &Connection, n: usize) -> Vec<String> {
    let phones: Vec<String> = {
        let mut st = conn.prepare("SELECT phone FROM customers ORDER BY id LIMIT 500").expect("phones");
        st.query_map([], |r| r.get(0)).expect("q").map(|r| r.expect("phone")).collect()
    };
    // Each status names its message's customer as the recipient, as CubeConnect does.
    let outbound: Vec<(String, String)> = {
        let mut st = conn
            .prepare(
                "SELECT m.wamid, cu.phone FROM messages m JOIN conversations c ON c.id = m.conversation_id
                 JOIN customers cu ON cu.id = c.customer_id WHERE m.wamid LIKE 'wamid.bench-out-%' ORDER BY m.id",
            )
            .expect("wamids");
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("q").map(|r| r.expect("wamid")).collect()
    };
    let now = Utc::now();
    (0..n)
        .map(|i| {
            let ts = (now + chrono::Duration::milliseconds(i as i64)).to_rfc3339();
            if i % 2 == 0 {
                json!({"event": "message.received", "tenant_id": 1, "timestamp": ts, "whatsapp_account_id": 5,
                       "wa_message_id": format!("wamid.bench-in-{i}"), "from": phones[(i / 2) % phones.len()],
                       "sender_name": null, "type": "text", "content": format!("Is the blue abaya still available? ({i})")})
            } else {
                let (w, phone) = &outbound[(i / 2) % outbound.len()];
                let status = if (i / 2) < outbound.len() { "delivered" } else { "read" };
                json!({"event": "message.status_updated", "tenant_id": 1, "timestamp": ts, "whatsapp_account_id": 5,
                       "message_id": w, "status": status, "recipient": phone, "errors": null})
            }
            .to_string()
        })
        .collect()
}

/// Links the first number to the webhooks' account and gives outbound messages WhatsApp ids, so
/// status events find their messages.
fn prepare(db: &Path, n: usize) {
    let c = Connection::open(db).expect("prepare copy");
    c.execute("UPDATE whatsapp_numbers SET webhook_account_id = 5 WHERE id = (SELECT min(id) FROM whatsapp_numbers)", []).expect("link");
    c.execute(
        "UPDATE messages SET wamid = 'wamid.bench-out-' || id, status = 'sent', delivered_at = NULL, read_at = NULL
         WHERE id IN (SELECT id FROM messages WHERE direction = 'outbound' AND wamid IS NULL ORDER BY id DESC LIMIT ?1)",
        [n as i64],
    )
    .expect("wamids");
    c.execute("DELETE FROM search_pending", []).expect("no queued indexing");
}

fn ingest(rt: &Runtime, archive: &Path, n: usize) -> Ingest {
    let core_dir = copy_archive(archive, "bench-ingest-core-");
    let raw_dir = copy_archive(archive, "bench-ingest-raw-");
    let per_kind = n / 2 + 1;
    prepare(&core_dir.path().join(DB_FILE), per_kind);
    prepare(&raw_dir.path().join(DB_FILE), per_kind);
    let bodies = Arc::new(events(&raw(&core_dir.path().join(DB_FILE)), n));

    let (stored_per_s, applied_per_s) = rt.block_on(async {
        let store = Arc::new(Store::open(core_dir.path()).await.expect("open copy"));
        let account: i64 = sqlx::query_scalar("SELECT id FROM accounts ORDER BY id LIMIT 1").fetch_one(store.pool()).await.expect("account");
        let (tx, mut rx) = mpsc::unbounded_channel();
        let receiver = Receiver::start(
            ReceiverConfig {
                listen: "127.0.0.1:0".parse().expect("addr"),
                secret: Some(SECRET.into()),
                account_id: Some(account),
                ..ReceiverConfig::default()
            },
            store.clone(),
            tx,
        )
        .await
        .expect("receiver");
        // The applier as the app runs it: woken by each stored event, applying what is queued.
        let applied = Arc::new(AtomicUsize::new(0));
        let applier = {
            let (store, applied) = (store.clone(), applied.clone());
            tokio::spawn(async move {
                let (notify, poller) = (log_only(), Notify::new());
                while rx.recv().await.is_some() {
                    while rx.try_recv().is_ok() {}
                    let done = apply_pending(&store, account, &notify, &poller).await.expect("apply");
                    applied.fetch_add(done, Ordering::SeqCst);
                }
            })
        };
        let url = receiver.url();
        let next = Arc::new(AtomicUsize::new(0));
        let t = Instant::now();
        let clients: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let (bodies, next, url) = (bodies.clone(), next.clone(), url.clone());
                tokio::spawn(async move {
                    let http = reqwest::Client::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(body) = bodies.get(i) else { return };
                        let ts = Utc::now().timestamp().to_string();
                        let r = http
                            .post(&url)
                            .header("content-type", "application/json")
                            .header("x-webhook-timestamp", &ts)
                            .header("x-webhook-signature", sign(&ts, body))
                            .body(body.clone())
                            .send()
                            .await
                            .expect("post");
                        assert_eq!(r.status().as_u16(), 200, "event {i} refused");
                    }
                })
            })
            .collect();
        for c in clients {
            c.await.expect("client");
        }
        let stored = t.elapsed();
        while applied.load(Ordering::SeqCst) < n {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let done = t.elapsed();
        let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM webhook_events WHERE state <> 'applied'").fetch_one(store.pool()).await.expect("count");
        assert_eq!(pending, 0, "every event applied");
        let read: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE wamid LIKE 'wamid.bench-out-%' AND status IN ('delivered', 'read')")
            .fetch_one(store.pool())
            .await
            .expect("count");
        assert!(read as usize >= n / 2 - 1, "status events reached their messages ({read})");
        receiver.shutdown().await;
        applier.abort();
        (n as f64 / stored.as_secs_f64(), n as f64 / done.as_secs_f64())
    });

    // The same rows by raw SQLite, durable (WAL, synchronous FULL, as the app opens it).
    let raw_rate = |batch: usize| {
        let dir = copy_archive(raw_dir.path(), "bench-ingest-raw-run-");
        let mut c = Connection::open(dir.path().join(DB_FILE)).expect("raw copy");
        c.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;").expect("pragmas");
        let conv_of: std::collections::HashMap<String, i64> = {
            let mut st = c
                .prepare("SELECT cu.phone, c.id FROM customers cu JOIN conversations c ON c.customer_id = cu.id")
                .expect("conversations");
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("q").map(|r| r.expect("row")).collect()
        };
        let t = Instant::now();
        for chunk in bodies.chunks(batch) {
            let tx = c.transaction().expect("tx");
            for body in chunk {
                let v: Value = serde_json::from_str(body).expect("json");
                let now = Utc::now().timestamp_millis();
                let event = v["event"].as_str().expect("event");
                let key = format!("{event}:{}:{}", v["wa_message_id"].as_str().or(v["message_id"].as_str()).unwrap_or(""), v["status"]);
                tx.execute("INSERT INTO webhook_events (received_at, event, dedupe_key, body) VALUES (?1, ?2, ?3, ?4)", params![now, event, key, body])
                    .expect("event row");
                let event_id = tx.last_insert_rowid();
                if event == "message.received" {
                    let conv = conv_of[v["from"].as_str().expect("from")];
                    tx.execute(
                        "INSERT INTO messages (local_id, conversation_id, direction, type, created_at, text, wamid)
                         VALUES (?1, ?2, 'inbound', 'text', ?3, ?4, ?5)",
                        params![format!("raw-{key}"), conv, now, v["content"].as_str(), v["wa_message_id"].as_str()],
                    )
                    .expect("message");
                    tx.execute(
                        "UPDATE conversations SET last_message_id = last_insert_rowid(), last_message_at = ?1, last_inbound_at = ?1,
                         unread_count = unread_count + 1 WHERE id = ?2",
                        params![now, conv],
                    )
                    .expect("conversation");
                } else {
                    tx.execute(
                        "UPDATE messages SET status = ?1, delivered_at = coalesce(delivered_at, ?2) WHERE wamid = ?3",
                        params![v["status"].as_str(), now, v["message_id"].as_str()],
                    )
                    .expect("status");
                }
                tx.execute("UPDATE webhook_events SET state = 'applied', applied_at = ?1 WHERE id = ?2", params![now, event_id]).expect("applied");
            }
            tx.commit().expect("commit");
        }
        n as f64 / t.elapsed().as_secs_f64()
    };
    let raw_per_event_tx = raw_rate(1);
    let raw_batched = raw_rate(500);
    let ingest = Ingest { events: n, clients: CLIENTS, stored_per_s, applied_per_s, raw_per_event_tx, raw_batched };
    eprintln!(
        "ingest {n} events, {CLIENTS} clients: stored {stored_per_s:.0}/s, applied {applied_per_s:.0}/s | raw one tx per event {raw_per_event_tx:.0}/s, batches of 500 {raw_batched:.0}/s"
    );
    ingest
}

fn report(cases: &[Case], ingest: &Ingest, messages: i64, customers: i64, (largest, largest_phone): (i64, &str), sqlite: &str, json_out: Option<&Path>) {
    let mut md = String::new();
    md.push_str(&format!(
        "Archive: {messages} messages, {customers} customers, largest conversation {largest} messages. SQLite {sqlite}.\n\n"
    ));
    md.push_str("| operation | CubeDesk p50 | p95 | raw SQLite p50 | p95 | ratio p50 | ratio p95 | notes |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
    let mut out = Vec::new();
    for c in cases {
        let ((c50, c95), (b50, b95)) = (summary(&c.core), summary(&c.base));
        md.push_str(&format!(
            "| {} | {c50:.2} ms | {c95:.2} ms | {b50:.2} ms | {b95:.2} ms | {:.2}× | {:.2}× | {} |\n",
            c.name,
            c50 / b50,
            c95 / b95,
            c.note
        ));
        out.push(json!({"name": c.name, "samples": c.core.len(), "core_p50_ms": c50, "core_p95_ms": c95, "raw_p50_ms": b50, "raw_p95_ms": b95}));
    }
    md.push_str(&format!(
        "\n| webhook ingest ({} signed events over loopback, {} clients) | events/s |\n|---|---:|\n\
         | CubeDesk: stored on disk, answered 200 | {:.0} |\n| CubeDesk: stored and applied | {:.0} |\n\
         | raw SQLite: one transaction per event (durable limit) | {:.0} |\n| raw SQLite: 500 events per transaction | {:.0} |\n\
         | ratio raw per-event ÷ CubeDesk applied | {:.2}× |\n",
        ingest.events,
        ingest.clients,
        ingest.stored_per_s,
        ingest.applied_per_s,
        ingest.raw_per_event_tx,
        ingest.raw_batched,
        ingest.raw_per_event_tx / ingest.applied_per_s
    ));
    println!("{md}");
    if let Some(path) = json_out {
        let v = json!({"cases": out, "ingest": {"events": ingest.events, "clients": ingest.clients, "stored_per_s": ingest.stored_per_s,
            "applied_per_s": ingest.applied_per_s, "raw_per_event_tx_per_s": ingest.raw_per_event_tx, "raw_batched_per_s": ingest.raw_batched},
            "archive": {"messages": messages, "customers": customers, "largest_conversation": largest, "largest_phone": largest_phone, "sqlite": sqlite}});
        std::fs::write(path, serde_json::to_string_pretty(&v).expect("json")).expect("write --json");
        std::fs::write(path.with_extension("md"), md).expect("write the table");
    }
}
