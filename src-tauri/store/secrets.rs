//! The keychain half of the archive: an account's API key and webhook signing secret live in the
//! OS keychain (service `cubedesk`), never in SQLite, files, logs or the webview. Code asks for a
//! [`SecretStore`]; the app uses [`Keychain`], tests use [`MemorySecrets`] because CI machines have
//! no keychain (the real one is proven by `tests/keychain.rs`, run inside a Secret Service session).

use std::collections::HashMap;
use std::sync::Mutex;

pub const SERVICE: &str = "cubedesk";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    ApiKey,
    WebhookSecret,
}

impl SecretKind {
    fn slot(self) -> &'static str {
        match self {
            SecretKind::ApiKey => "api-key",
            SecretKind::WebhookSecret => "webhook-secret",
        }
    }
}

/// The keychain entry's user name for an account's secret: `account-7/api-key`.
pub fn entry_user(account_id: i64, kind: SecretKind) -> String {
    format!("account-{account_id}/{}", kind.slot())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the system keychain could not be used: {0}")]
pub struct SecretError(pub String);

pub trait SecretStore: Send + Sync {
    fn get(&self, account_id: i64, kind: SecretKind) -> Result<Option<String>, SecretError>;
    fn set(&self, account_id: i64, kind: SecretKind, value: &str) -> Result<(), SecretError>;
    /// Removing what is not there is not an error.
    fn delete(&self, account_id: i64, kind: SecretKind) -> Result<(), SecretError>;
}

/// The OS keychain through `keyring` (macOS Keychain, Windows Credential Manager, Secret Service).
/// Calls block: async code runs them on `spawn_blocking`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Keychain;

impl Keychain {
    fn entry(account_id: i64, kind: SecretKind) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(SERVICE, &entry_user(account_id, kind)).map_err(|e| SecretError(e.to_string()))
    }
}

impl SecretStore for Keychain {
    fn get(&self, account_id: i64, kind: SecretKind) -> Result<Option<String>, SecretError> {
        match Self::entry(account_id, kind)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(SecretError(e.to_string())),
        }
    }

    fn set(&self, account_id: i64, kind: SecretKind, value: &str) -> Result<(), SecretError> {
        Self::entry(account_id, kind)?.set_password(value).map_err(|e| SecretError(e.to_string()))
    }

    fn delete(&self, account_id: i64, kind: SecretKind) -> Result<(), SecretError> {
        match Self::entry(account_id, kind)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(SecretError(e.to_string())),
        }
    }
}

/// Secrets in memory, for tests and for the demo account (whose key is not a secret).
#[derive(Debug, Default)]
pub struct MemorySecrets(Mutex<HashMap<(i64, SecretKind), String>>);

impl SecretStore for MemorySecrets {
    fn get(&self, account_id: i64, kind: SecretKind) -> Result<Option<String>, SecretError> {
        Ok(self.0.lock().expect("secrets lock").get(&(account_id, kind)).cloned())
    }

    fn set(&self, account_id: i64, kind: SecretKind, value: &str) -> Result<(), SecretError> {
        self.0.lock().expect("secrets lock").insert((account_id, kind), value.to_string());
        Ok(())
    }

    fn delete(&self, account_id: i64, kind: SecretKind) -> Result<(), SecretError> {
        self.0.lock().expect("secrets lock").remove(&(account_id, kind));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_named_per_account_and_kind() {
        assert_eq!(entry_user(7, SecretKind::ApiKey), "account-7/api-key");
        assert_eq!(entry_user(7, SecretKind::WebhookSecret), "account-7/webhook-secret");
    }

    #[test]
    fn memory_store_round_trips_and_deletes() {
        let s = MemorySecrets::default();
        assert_eq!(s.get(1, SecretKind::ApiKey).unwrap(), None);
        s.set(1, SecretKind::ApiKey, "k1").unwrap();
        s.set(2, SecretKind::ApiKey, "k2").unwrap();
        assert_eq!(s.get(1, SecretKind::ApiKey).unwrap().as_deref(), Some("k1"));
        assert_eq!(s.get(1, SecretKind::WebhookSecret).unwrap(), None);
        s.delete(1, SecretKind::ApiKey).unwrap();
        s.delete(1, SecretKind::ApiKey).unwrap();
        assert_eq!(s.get(1, SecretKind::ApiKey).unwrap(), None);
        assert_eq!(s.get(2, SecretKind::ApiKey).unwrap().as_deref(), Some("k2"));
    }
}
