//! Crash safety: the daemon (`cubedesk daemon`, a separate process) is killed with SIGKILL at
//! random points while messages are composed and sent, statuses arrive and webhooks are posted,
//! then restarted, 200 times. Afterwards: no composed message lost, none accepted twice by the
//! simulator (which counts accepted sends per Idempotency-Key), no acknowledged webhook lost.
//! Figures go to target/crash-report.txt. Unix only: it sends signals with `kill`.
#![cfg(unix)]

use std::collections::HashSet;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use cubedesk::store::messages::Content;
use hmac::{Hmac, Mac};
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use sha2::Sha256;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use uuid::Uuid;

const BIN: &str = env!("CARGO_BIN_EXE_cubedesk");
const SECRET: &str = "whsec_crash_test_secret";
const CYCLES: usize = 200;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_port(port: u16, timeout: Duration) -> bool {
    let until = Instant::now() + timeout;
    while Instant::now() < until {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn daemon(dir: &Path, sim_port: u16, hook_port: u16) -> Proc {
    Proc(Command::new(BIN)
        .args(["daemon", "--data-dir", dir.to_str().unwrap(), "--base-url", &format!("http://127.0.0.1:{sim_port}")])
        .args(["--number", "sim-number-1", "--listen", &format!("127.0.0.1:{hook_port}")])
        .env("CUBEDESK_API_KEY", "sim-key")
        .env("CUBEDESK_WEBHOOK_SECRET", SECRET)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap())
}

/// A child process killed when dropped, so a failing assertion leaves nothing running.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn kill9(p: &mut Proc) {
    send_signal(p.0.id(), 9);
    let _ = p.0.wait();
}

fn send_signal(pid: u32, signal: i32) {
    // std has no way to send a chosen signal; the kill command does.
    let _ = Command::new("kill").arg(format!("-{signal}")).arg(pid.to_string()).status();
}

/// Our own signer, independent of the simulator's: timestamp + "." + body, HMAC-SHA256, hex.
fn signed_post(client: &reqwest::blocking::Client, port: u16, body: &str) -> bool {
    let ts = Utc::now().to_rfc3339();
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{ts}.{body}").as_bytes());
    let sig = hex::encode(mac.finalize().into_bytes());
    client
        .post(format!("http://127.0.0.1:{port}/webhooks/cubeconnect"))
        .header("Content-Type", "application/json")
        .header("X-Webhook-Timestamp", ts)
        .header("X-Webhook-Signature", sig)
        .body(body.to_string())
        .timeout(Duration::from_millis(500))
        .send()
        .map(|r| r.status().as_u16() == 200)
        .unwrap_or(false)
}

async fn raw_pool(dir: &Path) -> SqlitePool {
    // The test plays the part of the window composing messages while the daemon runs, so it
    // opens the file directly, past the data folder's lock.
    let opts = SqliteConnectOptions::new()
        .filename(dir.join("cubedesk.db"))
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true);
    SqlitePoolOptions::new().max_connections(2).connect_with(opts).await.unwrap()
}

async fn scalar(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[test]
fn two_hundred_kills_lose_nothing_and_send_nothing_twice() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let (sim_port, hook_port) = (free_port(), free_port());
    let _sim = Proc(Command::new(BIN)
        .args(["sim", "--port", &sim_port.to_string(), "--webhook-secret", SECRET])
        .args(["--webhook-url", &format!("http://127.0.0.1:{hook_port}/webhooks/cubeconnect")])
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap());
    assert!(wait_port(sim_port, Duration::from_secs(10)), "simulator did not start");
    let http = reqwest::blocking::Client::new();
    let sim_url = format!("http://127.0.0.1:{sim_port}");
    // This test is about crashes, not the plan's rate limit.
    http.post(format!("{sim_url}/_sim/faults")).json(&json!({"limit_per_minute": 100000})).send().unwrap();

    // First start: the daemon makes the account; customers write in, opening their windows.
    let mut d = daemon(&dir, sim_port, hook_port);
    assert!(wait_port(hook_port, Duration::from_secs(10)), "daemon did not start");
    let phones: Vec<String> = (0..4).map(|i| format!("96650222000{}", i + 1)).collect();
    for p in &phones {
        http.post(format!("{sim_url}/_sim/inbound")).json(&json!({"phone": p, "type": "text", "text": "hello"})).send().unwrap();
    }
    let pool = rt.block_on(raw_pool(&dir));
    let until = Instant::now() + Duration::from_secs(15);
    while rt.block_on(scalar(&pool, "SELECT count(*) FROM conversations")) < phones.len() as i64 {
        assert!(Instant::now() < until, "conversations did not appear");
        std::thread::sleep(Duration::from_millis(100));
    }
    kill9(&mut d);
    let conversations: Vec<i64> = rt.block_on(sqlx::query_scalar("SELECT id FROM conversations ORDER BY id").fetch_all(&pool)).unwrap();

    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    let mut composed: Vec<Uuid> = Vec::new();
    let mut acked: Vec<String> = Vec::new();
    let mut posted = 0usize;
    for cycle in 0..CYCLES {
        let mut d = daemon(&dir, sim_port, hook_port);
        // Kill at a random point: sometimes before the receiver even listens.
        let run_for = Duration::from_millis(rng.gen_range(30..400));
        let started = Instant::now();
        while started.elapsed() < run_for {
            if rng.gen_bool(0.25) {
                let id = Uuid::new_v4();
                let c = conversations[rng.gen_range(0..conversations.len())];
                rt.block_on(cubedesk::store::outbox::compose(&pool, c, id, Content::Text { text: format!("cycle {cycle}") }, Utc::now()))
                    .unwrap();
                composed.push(id);
            }
            if rng.gen_bool(0.5) {
                let wamid = format!("wamid.crash.{cycle}.{}", rng.gen::<u32>());
                let body = json!({
                    "event": "message.received", "tenant_id": 1, "timestamp": Utc::now().to_rfc3339(),
                    "whatsapp_account_id": 5, "wa_message_id": wamid, "from": phones[rng.gen_range(0..phones.len())],
                    "sender_name": "Crash Test", "type": "text", "content": format!("inbound {cycle}")
                })
                .to_string();
                posted += 1;
                if signed_post(&http, hook_port, &body) {
                    acked.push(wamid);
                }
            }
            std::thread::sleep(Duration::from_millis(rng.gen_range(5..40)));
        }
        kill9(&mut d);
    }

    // A last, undisturbed run: what was interrupted is unconfirmed and is sent again with the
    // same key ("send again"), and everything converges.
    let mut d = daemon(&dir, sim_port, hook_port);
    assert!(wait_port(hook_port, Duration::from_secs(10)));
    let until = Instant::now() + Duration::from_secs(180);
    loop {
        let unconfirmed: Vec<i64> =
            rt.block_on(sqlx::query_scalar("SELECT id FROM messages WHERE status = 'unconfirmed'").fetch_all(&pool)).unwrap();
        for id in unconfirmed {
            rt.block_on(cubedesk::store::outbox::retry(&pool, id, Utc::now())).unwrap();
        }
        let open = rt.block_on(scalar(&pool, "SELECT count(*) FROM messages WHERE direction = 'outbound' AND status IN ('pending', 'unconfirmed')"));
        if open == 0 {
            break;
        }
        assert!(Instant::now() < until, "{open} messages never left the outbox");
        std::thread::sleep(Duration::from_millis(300));
    }
    send_signal(d.0.id(), 15);
    let stopped = d.0.wait().unwrap();
    assert!(stopped.success(), "SIGTERM stops the daemon cleanly: {stopped:?}");

    // Nothing composed was lost.
    let stored: HashSet<String> = rt
        .block_on(sqlx::query_scalar::<_, String>("SELECT local_id FROM messages WHERE direction = 'outbound'").fetch_all(&pool))
        .unwrap()
        .into_iter()
        .collect();
    let lost_composed = composed.iter().filter(|id| !stored.contains(&id.to_string())).count();
    // Nothing acknowledged was lost.
    let inbound: HashSet<String> = rt
        .block_on(sqlx::query_scalar::<_, String>("SELECT wamid FROM messages WHERE direction = 'inbound' AND wamid IS NOT NULL").fetch_all(&pool))
        .unwrap()
        .into_iter()
        .collect();
    let lost_events = acked.iter().filter(|w| !inbound.contains(*w)).count();
    // Nothing sent twice: one accepted send per key, and one per composed message.
    let sends: Vec<Value> = http.get(format!("{sim_url}/_sim/sends")).send().unwrap().json().unwrap();
    let keys: Vec<String> = sends.iter().map(|s| s["idempotency_key"].as_str().unwrap().to_string()).collect();
    let unique: HashSet<&String> = keys.iter().collect();
    let duplicates = keys.len() - unique.len();
    let inbound_dupes = rt.block_on(scalar(&pool, "SELECT count(*) - count(DISTINCT wamid) FROM messages WHERE direction = 'inbound'"));
    let resent = sends.iter().filter(|s| s["attempts"].as_u64().unwrap_or(1) > 1).count();

    let report = format!(
        "kill/restart cycles: {CYCLES}\ncomposed messages: {}\naccepted sends at the simulator: {}\nsends repeated with the same key (deduplicated by it): {resent}\nwebhooks posted: {posted}, acknowledged: {}\nlost composed messages: {lost_composed}\nlost acknowledged webhooks: {lost_events}\nduplicate accepted sends: {duplicates}\nduplicate inbound messages: {inbound_dupes}\n",
        composed.len(),
        keys.len(),
        acked.len()
    );
    let _ = std::fs::create_dir_all(Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let _ = std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/crash-report.txt"), &report);
    eprintln!("{report}");

    assert!(composed.len() > 100 && acked.len() > 50, "the test exercised too little:\n{report}");
    assert_eq!(lost_composed, 0, "{report}");
    assert_eq!(lost_events, 0, "{report}");
    assert_eq!(duplicates, 0, "{report}");
    assert_eq!(inbound_dupes, 0, "{report}");
    assert_eq!(keys.len(), composed.len(), "every composed message accepted exactly once:\n{report}");
}
