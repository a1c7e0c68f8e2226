//! Connecting, changing and removing the CubeConnect account. The form is checked field by field
//! (domain::account_form), then the key is tried for real: health, then the templates of each
//! number. Only then is anything saved: the account in SQLite, the key and the signing secret in
//! the keychain.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde::Deserialize;

use super::error::{AppError, ErrorCode};
use crate::api::wire::Template;
use crate::api::{ApiError, Client, ClientConfig, ServiceCode};
use crate::domain::account_form::{check_form, AccountForm, FieldProblem, NumberField};
use crate::store::accounts::{self, AccountSummary, NewAccount, NewNumber};
use crate::store::secrets::{SecretKind, SecretStore};
use crate::store::templates::replace_templates;
use crate::sync::poll::template_rows;
use crate::store::Store;

/// The form as the UI sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AccountFormInput {
    pub name: String,
    pub base_url: String,
    pub api_key: String,
    pub tenant_id: String,
    pub webhook_secret: String,
    pub numbers: Vec<NumberInput>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NumberInput {
    pub api_id: String,
    pub display_name: String,
}

impl AccountFormInput {
    pub fn to_form(&self) -> AccountForm {
        AccountForm {
            name: self.name.clone(),
            base_url: self.base_url.clone(),
            api_key: self.api_key.clone(),
            tenant_id: self.tenant_id.clone(),
            webhook_secret: self.webhook_secret.clone(),
            numbers: self
                .numbers
                .iter()
                .map(|n| NumberField { api_id: n.api_id.clone(), display_name: n.display_name.clone() })
                .collect(),
        }
    }
}

pub fn check(input: &AccountFormInput, editing: bool) -> Vec<FieldProblem> {
    check_form(&input.to_form(), editing)
}

fn refuse_invalid(problems: &[FieldProblem]) -> Result<(), AppError> {
    match problems.first() {
        None => Ok(()),
        Some(p) => Err(AppError::new(ErrorCode::AccountFormInvalid, p.message.clone())),
    }
}

/// Templates per number, as the check fetched them.
type Checked = Vec<(String, Vec<Template>)>;

/// Tries the key against the service: reachable, really CubeConnect, key accepted, every number known.
pub async fn verify(input: &AccountFormInput, api_key: &str) -> Result<Checked, AppError> {
    let mut cfg = ClientConfig::new(input.base_url.trim(), api_key.trim());
    cfg.tenant_id = Some(input.tenant_id.trim().to_string()).filter(|t| !t.is_empty());
    cfg.timeout = Duration::from_secs(15);
    cfg.read_retries = 1;
    let client = Client::new(cfg).map_err(|e| AppError::new(ErrorCode::AccountFormInvalid, e.to_string()))?;
    let host = input.base_url.trim().to_string();

    match client.health().await {
        Ok(_) => {}
        Err(ApiError::Connection(why)) => {
            return Err(AppError::new(
                ErrorCode::AccountUnreachable,
                format!("CubeDesk could not reach {host} ({why}). Check the address and your internet connection."),
            ))
        }
        Err(ApiError::Timeout) | Err(ApiError::Interrupted(_)) => {
            return Err(AppError::new(
                ErrorCode::AccountUnreachable,
                format!("{host} did not answer in time. Check the address and your internet connection, then try again."),
            ))
        }
        Err(ApiError::BadResponse { .. }) | Err(ApiError::BodyTooLarge { .. }) => {
            return Err(AppError::new(
                ErrorCode::AccountNotCubeconnect,
                format!("{host} answered, but not like CubeConnect does. Check the address (normally https://cubeconnect.io)."),
            ))
        }
        // A degraded service still answers: the template calls below tell whether it works.
        Err(ApiError::Service(_)) | Err(ApiError::InvalidRequest(_)) => {}
    }

    let mut checked = Vec::new();
    for n in &input.numbers {
        let api_id = n.api_id.trim();
        match client.templates(api_id).await {
            Ok(t) => checked.push((api_id.to_string(), t)),
            Err(e) => return Err(explain_check_failure(&e, api_id, &host)),
        }
    }
    Ok(checked)
}

fn explain_check_failure(e: &ApiError, api_id: &str, host: &str) -> AppError {
    let Some(s) = e.service() else {
        return AppError::new(ErrorCode::AccountUnreachable, format!("Checking the number {api_id} failed: {e}. Try again."));
    };
    let said = &s.message;
    match s.code {
        ServiceCode::InvalidApiKey | ServiceCode::AuthenticationRequired => AppError::new(
            ErrorCode::AccountKeyRejected,
            format!("CubeConnect did not accept this API key (it said: \"{said}\"). Copy the key again from Settings → API Keys."),
        ),
        ServiceCode::ApiKeyNoTenant => AppError::new(
            ErrorCode::AccountNoTenant,
            format!("This API key is not linked to a CubeConnect workspace (it said: \"{said}\"). Make a new key inside your workspace."),
        ),
        ServiceCode::TenantNotFound => AppError::new(
            ErrorCode::AccountTenantRejected,
            format!("CubeConnect does not know the tenant ID you entered for this key (it said: \"{said}\"). Leave the tenant ID empty or correct it."),
        ),
        ServiceCode::Forbidden => AppError::new(
            ErrorCode::AccountForbidden,
            format!("This API key may not read templates (it said: \"{said}\"). Give the key full access in CubeConnect."),
        ),
        ServiceCode::NoActiveAccount | ServiceCode::NotFound | ServiceCode::ValidationError | ServiceCode::MissingAccessToken => {
            AppError::new(
                ErrorCode::AccountUnknownNumber,
                format!("CubeConnect has no working WhatsApp number with the API ID {api_id} (it said: \"{said}\"). Copy it again from Dashboard → WhatsApp Numbers."),
            )
        }
        _ => AppError::new(
            ErrorCode::AccountCheckFailed,
            format!("{host} could not check the number {api_id} right now (it said: \"{said}\"). Try again in a moment."),
        ),
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
}

/// Checks the form and the key, then saves the account (secrets to the keychain).
pub async fn connect(store: &Store, secrets: Arc<dyn SecretStore>, input: &AccountFormInput) -> Result<AccountSummary, AppError> {
    refuse_invalid(&check(input, false))?;
    if accounts::current_account(store.pool()).await?.is_some() {
        return Err(AppError::new(
            ErrorCode::AccountExists,
            "This archive already has an account. Change it in Settings, or remove it first.",
        ));
    }
    let checked = verify(input, &input.api_key).await?;
    let now = Utc::now();
    let pool = store.pool();
    let account_id = accounts::insert_account(
        pool,
        &NewAccount {
            name: input.name.trim().to_string(),
            base_url: input.base_url.trim().trim_end_matches('/').to_string(),
            tenant_id: Some(input.tenant_id.trim().to_string()).filter(|t| !t.is_empty()),
            is_demo: false,
        },
        now,
    )
    .await?;
    let saved = save_numbers_and_secrets(store, secrets, account_id, input, &checked, true).await;
    if let Err(e) = saved {
        // Nothing half-connected stays behind.
        let _ = accounts::delete_account(pool, account_id).await;
        return Err(e);
    }
    accounts::current_account(pool).await?.ok_or_else(|| AppError::new(ErrorCode::Internal, "the account vanished"))
}

async fn save_numbers_and_secrets(
    store: &Store,
    secrets: Arc<dyn SecretStore>,
    account_id: i64,
    input: &AccountFormInput,
    checked: &Checked,
    new_numbers: bool,
) -> Result<(), AppError> {
    let now = Utc::now();
    let pool = store.pool();
    if new_numbers {
        for n in &input.numbers {
            accounts::insert_number(
                pool,
                &NewNumber {
                    account_id,
                    api_id: n.api_id.trim().to_string(),
                    display_name: n.display_name.trim().to_string(),
                    phone: None,
                },
                now,
            )
            .await?;
        }
    }
    let summary = accounts::current_account(pool).await?.ok_or_else(|| AppError::new(ErrorCode::NoAccount, "no account"))?;
    for (api_id, templates) in checked {
        if let Some(n) = summary.numbers.iter().find(|n| &n.api_id == api_id) {
            replace_templates(pool, n.id, &template_rows(templates), now).await?;
        }
    }
    let key = input.api_key.trim().to_string();
    let secret = input.webhook_secret.trim().to_string();
    blocking(move || -> Result<(), AppError> {
        if !key.is_empty() {
            secrets.set(account_id, SecretKind::ApiKey, &key)?;
        }
        if secret.is_empty() {
            secrets.delete(account_id, SecretKind::WebhookSecret)?;
        } else {
            secrets.set(account_id, SecretKind::WebhookSecret, &secret)?;
        }
        Ok(())
    })
    .await??;
    Ok(())
}

/// Changes the account. An empty key field keeps the saved key (it is never shown back).
pub async fn update(store: &Store, secrets: Arc<dyn SecretStore>, input: &AccountFormInput) -> Result<AccountSummary, AppError> {
    refuse_invalid(&check(input, true))?;
    let pool = store.pool();
    let current = accounts::current_account(pool).await?.ok_or_else(no_account)?;
    let key = if input.api_key.trim().is_empty() {
        let s = secrets.clone();
        let id = current.id;
        blocking(move || s.get(id, SecretKind::ApiKey)).await??.ok_or_else(|| {
            AppError::new(ErrorCode::AccountFormInvalid, "No API key is saved for this account any more; paste it again.")
        })?
    } else {
        input.api_key.trim().to_string()
    };
    let checked = verify(input, &key).await?;
    let numbers: Vec<(String, String)> =
        input.numbers.iter().map(|n| (n.api_id.trim().to_string(), n.display_name.trim().to_string())).collect();
    accounts::update_account(
        pool,
        current.id,
        &NewAccount {
            name: input.name.trim().to_string(),
            base_url: input.base_url.trim().trim_end_matches('/').to_string(),
            tenant_id: Some(input.tenant_id.trim().to_string()).filter(|t| !t.is_empty()),
            is_demo: false,
        },
        &numbers,
        Utc::now(),
    )
    .await?;
    let mut with_key = input.clone();
    with_key.api_key = key;
    save_numbers_and_secrets(store, secrets, current.id, &with_key, &checked, false).await?;
    accounts::current_account(pool).await?.ok_or_else(no_account)
}

/// Forgets the account's secrets; deletes its conversations only when asked to.
pub async fn remove(store: &Store, secrets: Arc<dyn SecretStore>, delete_data: bool) -> Result<(), AppError> {
    let pool = store.pool();
    let current = accounts::current_account(pool).await?.ok_or_else(no_account)?;
    let id = current.id;
    blocking(move || -> Result<(), AppError> {
        secrets.delete(id, SecretKind::ApiKey)?;
        secrets.delete(id, SecretKind::WebhookSecret)?;
        Ok(())
    })
    .await??;
    if delete_data {
        accounts::delete_account(pool, id).await?;
    } else {
        accounts::mark_disconnected(pool, id, Utc::now()).await?;
    }
    Ok(())
}

/// Whether the keychain holds each secret, never the secret itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretPresence {
    pub api_key: bool,
    pub webhook_secret: bool,
}

pub async fn secret_presence(store: &Store, secrets: Arc<dyn SecretStore>) -> Result<SecretPresence, AppError> {
    let current = accounts::current_account(store.pool()).await?.ok_or_else(no_account)?;
    let id = current.id;
    blocking(move || -> Result<SecretPresence, AppError> {
        Ok(SecretPresence {
            api_key: secrets.get(id, SecretKind::ApiKey)?.is_some(),
            webhook_secret: secrets.get(id, SecretKind::WebhookSecret)?.is_some(),
        })
    })
    .await?
}

fn no_account() -> AppError {
    AppError::new(ErrorCode::NoAccount, "No CubeConnect account is connected yet.")
}
