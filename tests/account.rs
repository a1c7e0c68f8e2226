//! Account set-up against the simulator over loopback: the key is tried for real, every refusal
//! has its own reason, and the key and the secret end in the secret store, never in the archive.
//! Secrets go to an in-memory store here (CI has no keychain); tests/keychain.rs covers the real one.

use std::sync::Arc;

use cubedesk::commands::account::{connect, remove, secret_presence, update, AccountFormInput, NumberInput};
use cubedesk::commands::error::ErrorCode;
use cubedesk::sim::{SimConfig, SimHandle};
use cubedesk::store::accounts::current_account;
use cubedesk::store::secrets::{MemorySecrets, SecretKind, SecretStore};
use cubedesk::store::templates::templates_of;
use cubedesk::store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &str = "ck_live_sim_key_0001";
const SECRET: &str = "whsec_signing_secret_0001";

async fn sim() -> SimHandle {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    cubedesk::sim::start(
        SimConfig { api_key: KEY.into(), number_api_id: "01JXSIMNUMBER".into(), seed_data: true, ..SimConfig::default() },
        listener,
    )
    .await
    .unwrap()
}

fn form(base_url: &str) -> AccountFormInput {
    AccountFormInput {
        name: "Al Noor Pharmacy".into(),
        base_url: base_url.into(),
        api_key: KEY.into(),
        tenant_id: String::new(),
        webhook_secret: SECRET.into(),
        numbers: vec![NumberInput { api_id: "01JXSIMNUMBER".into(), display_name: "Main shop".into() }],
    }
}

struct Setup {
    _tmp: tempfile::TempDir,
    store: Store,
    secrets: Arc<MemorySecrets>,
}

async fn setup() -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).await.unwrap();
    Setup { _tmp: tmp, store, secrets: Arc::new(MemorySecrets::default()) }
}

fn files_contain(dir: &std::path::Path, needle: &str) -> bool {
    std::fs::read_dir(dir).unwrap().any(|e| {
        let bytes = std::fs::read(e.unwrap().path()).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    })
}

#[tokio::test]
async fn a_good_key_connects_and_the_secrets_go_to_the_secret_store_only() {
    let sim = sim().await;
    let s = setup().await;
    let account = connect(&s.store, s.secrets.clone(), &form(&sim.base_url())).await.unwrap();
    assert_eq!(account.name, "Al Noor Pharmacy");
    assert!(!account.is_demo);
    assert_eq!(account.numbers.len(), 1);
    assert_eq!(account.numbers[0].api_id, "01JXSIMNUMBER");
    // The templates were read while checking the number, and kept.
    let templates = templates_of(s.store.pool(), account.numbers[0].id).await.unwrap();
    assert!(templates.iter().any(|t| t.language == "ar"), "{templates:?}");
    // The key reads back through the secret store...
    assert_eq!(s.secrets.get(account.id, SecretKind::ApiKey).unwrap().as_deref(), Some(KEY));
    assert_eq!(s.secrets.get(account.id, SecretKind::WebhookSecret).unwrap().as_deref(), Some(SECRET));
    let presence = secret_presence(&s.store, s.secrets.clone()).await.unwrap();
    assert!(presence.api_key && presence.webhook_secret);
    // ...and is nowhere in the archive's files.
    s.store.checkpoint().await;
    assert!(!files_contain(s.store.data_dir(), KEY), "the API key leaked into the data folder");
    assert!(!files_contain(s.store.data_dir(), SECRET), "the signing secret leaked into the data folder");
    sim.shutdown().await;
}

async fn refused(f: AccountFormInput) -> (ErrorCode, String, Setup) {
    let s = setup().await;
    let e = connect(&s.store, s.secrets.clone(), &f).await.unwrap_err();
    assert!(current_account(s.store.pool()).await.unwrap().is_none(), "nothing saved after {e:?}");
    assert_eq!(s.secrets.get(1, SecretKind::ApiKey).unwrap(), None);
    (e.code, e.message, s)
}

#[tokio::test]
async fn each_refusal_has_its_reason_and_saves_nothing() {
    let sim = sim().await;
    let url = sim.base_url();

    let mut f = form(&url);
    f.api_key = "ck_live_wrong_key".into();
    let (code, message, _) = refused(f).await;
    assert_eq!(code, ErrorCode::AccountKeyRejected);
    assert!(message.contains("API key"), "{message}");

    let mut f = form(&url);
    f.numbers[0].api_id = "01JXNOSUCHNUMBER".into();
    let (code, message, _) = refused(f).await;
    assert_eq!(code, ErrorCode::AccountUnknownNumber);
    assert!(message.contains("01JXNOSUCHNUMBER"), "{message}");

    let mut f = form(&url);
    f.tenant_id = "999".into();
    let (code, _, _) = refused(f).await;
    assert_eq!(code, ErrorCode::AccountTenantRejected);

    let mut f = form(&url);
    f.numbers[0].display_name = String::new();
    let (code, message, _) = refused(f).await;
    assert_eq!(code, ErrorCode::AccountFormInvalid);
    assert!(message.contains("name"), "{message}");
    sim.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_host_and_a_host_that_is_not_cubeconnect() {
    let port = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let (code, message, _) = refused(form(&format!("http://127.0.0.1:{port}"))).await;
    assert_eq!(code, ErrorCode::AccountUnreachable);
    assert!(message.contains("could not reach"), "{message}");

    // A web server that answers with a login page.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            let body = "<html><body>Please log in</body></html>";
            let _ = sock
                .write_all(format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).as_bytes())
                .await;
        }
    });
    let (code, _, _) = refused(form(&url)).await;
    assert_eq!(code, ErrorCode::AccountNotCubeconnect);
}

#[tokio::test]
async fn change_keeps_the_saved_key_and_remove_asks_about_the_data() {
    let sim = sim().await;
    let s = setup().await;
    let account = connect(&s.store, s.secrets.clone(), &form(&sim.base_url())).await.unwrap();

    let mut edited = form(&sim.base_url());
    edited.name = "Al Noor Pharmacy, Olaya".into();
    edited.api_key = String::new(); // keep the saved one
    edited.webhook_secret = String::new(); // remove the secret
    let changed = update(&s.store, s.secrets.clone(), &edited).await.unwrap();
    assert_eq!(changed.id, account.id);
    assert_eq!(changed.name, "Al Noor Pharmacy, Olaya");
    assert_eq!(s.secrets.get(account.id, SecretKind::ApiKey).unwrap().as_deref(), Some(KEY));
    assert_eq!(s.secrets.get(account.id, SecretKind::WebhookSecret).unwrap(), None);

    // Removing while keeping the conversations: secrets gone, archive kept, marked disconnected.
    remove(&s.store, s.secrets.clone(), false).await.unwrap();
    assert_eq!(s.secrets.get(account.id, SecretKind::ApiKey).unwrap(), None);
    let kept = current_account(s.store.pool()).await.unwrap().unwrap();
    assert!(kept.disconnected);

    // Removing with the data: the account and what it owned are gone.
    remove(&s.store, s.secrets.clone(), true).await.unwrap();
    assert!(current_account(s.store.pool()).await.unwrap().is_none());
    sim.shutdown().await;
}
