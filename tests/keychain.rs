//! The real OS keychain. CI machines have none, so these tests are ignored by a plain
//! `cargo test` and run by `scripts/keychain-test.sh` inside a D-Bus session with an unlocked
//! gnome-keyring. They prove that keyring is built with a real backend: the mock backend keyring
//! falls back to without its platform features would lose the secret between two `Entry` objects.

use cubedesk::store::secrets::{entry_user, Keychain, SecretKind, SecretStore, SERVICE};

#[test]
#[ignore = "needs a Secret Service session: scripts/keychain-test.sh"]
fn a_secret_survives_a_second_entry_and_is_deleted_for_real() {
    let account = 900_000 + i64::from(std::process::id() % 1000);
    let store = Keychain;
    store.set(account, SecretKind::ApiKey, "ck_live_123").unwrap();
    // A brand-new Entry for the same service and user, as the next start of the app makes.
    let fresh = keyring::Entry::new(SERVICE, &entry_user(account, SecretKind::ApiKey)).unwrap();
    assert_eq!(fresh.get_password().unwrap(), "ck_live_123");
    assert_eq!(store.get(account, SecretKind::ApiKey).unwrap().as_deref(), Some("ck_live_123"));
    assert_eq!(store.get(account, SecretKind::WebhookSecret).unwrap(), None);
    store.delete(account, SecretKind::ApiKey).unwrap();
    assert_eq!(Keychain.get(account, SecretKind::ApiKey).unwrap(), None);
}

#[test]
#[ignore = "needs a Secret Service session: scripts/keychain-test.sh"]
fn a_secret_written_by_one_process_is_read_by_another() {
    // Written by the first run of this test binary (KEYCHAIN_PHASE=write), read by the second.
    let account = 900_999;
    match std::env::var("KEYCHAIN_PHASE").as_deref() {
        Ok("write") => Keychain.set(account, SecretKind::WebhookSecret, "whsec_abc").unwrap(),
        Ok("read") => {
            assert_eq!(Keychain.get(account, SecretKind::WebhookSecret).unwrap().as_deref(), Some("whsec_abc"));
            Keychain.delete(account, SecretKind::WebhookSecret).unwrap();
        }
        other => panic!("run through scripts/keychain-test.sh (KEYCHAIN_PHASE=write, then read); got {other:?}"),
    }
}
