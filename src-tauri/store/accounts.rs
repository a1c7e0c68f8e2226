//! Accounts and their WhatsApp numbers.

use chrono::{DateTime, Utc};
use sqlx::SqliteExecutor;

use super::error::StoreError;
use super::time::to_ms;

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub name: String,
    pub base_url: String,
    pub tenant_id: Option<String>,
    pub is_demo: bool,
}

pub async fn insert_account(db: impl SqliteExecutor<'_>, a: &NewAccount, now: DateTime<Utc>) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar(
        "INSERT INTO accounts (name, base_url, tenant_id, is_demo, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&a.name)
    .bind(&a.base_url)
    .bind(&a.tenant_id)
    .bind(a.is_demo)
    .bind(to_ms(now))
    .bind(to_ms(now))
    .fetch_one(db)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone)]
pub struct NewNumber {
    pub account_id: i64,
    /// The string "API ID" requests carry as `whatsapp_account_id`.
    pub api_id: String,
    pub display_name: String,
    pub phone: Option<String>,
}

pub async fn insert_number(db: impl SqliteExecutor<'_>, n: &NewNumber, now: DateTime<Utc>) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar(
        "INSERT INTO whatsapp_numbers (account_id, api_id, display_name, phone, created_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(n.account_id)
    .bind(&n.api_id)
    .bind(&n.display_name)
    .bind(&n.phone)
    .bind(to_ms(now))
    .fetch_one(db)
    .await?;
    Ok(id)
}

/// Records the integer id webhooks use for a number (contract decision 2).
pub async fn link_webhook_id(db: impl SqliteExecutor<'_>, number_id: i64, webhook_account_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE whatsapp_numbers SET webhook_account_id = ? WHERE id = ?")
        .bind(webhook_account_id)
        .bind(number_id)
        .execute(db)
        .await?;
    Ok(())
}

/// The number a webhook's integer id names, within an account.
pub async fn number_by_webhook_id(
    db: impl SqliteExecutor<'_>,
    account_id: i64,
    webhook_account_id: i64,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT id FROM whatsapp_numbers WHERE account_id = ? AND webhook_account_id = ?")
        .bind(account_id)
        .bind(webhook_account_id)
        .fetch_optional(db)
        .await?)
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct NumberSummary {
    pub id: i64,
    pub api_id: String,
    pub display_name: String,
    pub webhook_account_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    pub id: i64,
    pub name: String,
    pub base_url: String,
    pub tenant_id: Option<String>,
    pub is_demo: bool,
    pub disconnected: bool,
    pub numbers: Vec<NumberSummary>,
}

/// The account this archive serves (the first one made), with its numbers.
pub async fn current_account(pool: &sqlx::SqlitePool) -> Result<Option<AccountSummary>, StoreError> {
    let row: Option<(i64, String, String, Option<String>, bool, Option<i64>)> = sqlx::query_as(
        "SELECT id, name, base_url, tenant_id, is_demo, disconnected_at FROM accounts ORDER BY id LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    let Some((id, name, base_url, tenant_id, is_demo, disconnected_at)) = row else { return Ok(None) };
    let numbers = sqlx::query_as(
        "SELECT id, api_id, display_name, webhook_account_id FROM whatsapp_numbers WHERE account_id = ? ORDER BY id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(Some(AccountSummary { id, name, base_url, tenant_id, is_demo, disconnected: disconnected_at.is_some(), numbers }))
}

/// Saves an edited account: its fields, and its numbers matched by API ID (new ones added, names
/// updated, missing ones removed with their conversations). One transaction.
pub async fn update_account(
    pool: &sqlx::SqlitePool,
    account_id: i64,
    a: &NewAccount,
    numbers: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = super::write_tx(pool).await?;
    sqlx::query("UPDATE accounts SET name = ?, base_url = ?, tenant_id = ?, disconnected_at = NULL, updated_at = ? WHERE id = ?")
        .bind(&a.name)
        .bind(&a.base_url)
        .bind(&a.tenant_id)
        .bind(to_ms(now))
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    let keep: Vec<&str> = numbers.iter().map(|(id, _)| id.as_str()).collect();
    let existing: Vec<(i64, String)> = sqlx::query_as("SELECT id, api_id FROM whatsapp_numbers WHERE account_id = ?")
        .bind(account_id)
        .fetch_all(&mut *tx)
        .await?;
    for (id, api_id) in existing {
        if !keep.contains(&api_id.as_str()) {
            sqlx::query("DELETE FROM whatsapp_numbers WHERE id = ?").bind(id).execute(&mut *tx).await?;
        }
    }
    for (api_id, display_name) in numbers {
        sqlx::query(
            "INSERT INTO whatsapp_numbers (account_id, api_id, display_name, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (account_id, api_id) DO UPDATE SET display_name = excluded.display_name",
        )
        .bind(account_id)
        .bind(api_id)
        .bind(display_name)
        .bind(to_ms(now))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Keeps the account's conversations but marks it as no longer connected.
pub async fn mark_disconnected(db: impl SqliteExecutor<'_>, account_id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query("UPDATE accounts SET disconnected_at = ?, updated_at = ? WHERE id = ?")
        .bind(to_ms(now))
        .bind(to_ms(now))
        .bind(account_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes the account and everything it owns (numbers, customers, conversations, messages...).
pub async fn delete_account(db: impl SqliteExecutor<'_>, account_id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM accounts WHERE id = ?").bind(account_id).execute(db).await?;
    Ok(())
}

/// Points an account at another address (the demo simulator listens on a new port each start).
pub async fn set_base_url(db: impl SqliteExecutor<'_>, account_id: i64, base_url: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query("UPDATE accounts SET base_url = ?, updated_at = ? WHERE id = ?")
        .bind(base_url)
        .bind(to_ms(now))
        .bind(account_id)
        .execute(db)
        .await?;
    Ok(())
}

/// The number a webhook's integer id names. The first time an unknown id arrives and exactly one
/// of the account's numbers is not linked yet, that number is linked to it (contract decision 2).
pub async fn number_for_webhook(
    tx: &mut sqlx::SqliteConnection,
    account_id: i64,
    webhook_account_id: i64,
) -> Result<Option<i64>, StoreError> {
    if let Some(id) = number_by_webhook_id(&mut *tx, account_id, webhook_account_id).await? {
        return Ok(Some(id));
    }
    let unlinked: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM whatsapp_numbers WHERE account_id = ? AND webhook_account_id IS NULL")
            .bind(account_id)
            .fetch_all(&mut *tx)
            .await?;
    if let [only] = unlinked[..] {
        link_webhook_id(&mut *tx, only, webhook_account_id).await?;
        return Ok(Some(only));
    }
    Ok(None)
}

/// The account the headless daemon runs when given `--base-url` and `--number`: the archive's
/// account pointed at that address, with that number added if new; a new account otherwise.
pub async fn ensure_for_daemon(pool: &sqlx::SqlitePool, base_url: &str, number_api_id: &str, now: DateTime<Utc>) -> Result<i64, StoreError> {
    let mut tx = super::write_tx(pool).await?;
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts ORDER BY id LIMIT 1").fetch_optional(&mut *tx).await?;
    let account_id = match existing {
        Some(id) => {
            set_base_url(&mut *tx, id, base_url, now).await?;
            id
        }
        None => {
            insert_account(
                &mut *tx,
                &NewAccount { name: "CubeDesk daemon".into(), base_url: base_url.into(), tenant_id: None, is_demo: false },
                now,
            )
            .await?
        }
    };
    sqlx::query(
        "INSERT INTO whatsapp_numbers (account_id, api_id, display_name, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id, api_id) DO NOTHING",
    )
    .bind(account_id)
    .bind(number_api_id)
    .bind(number_api_id)
    .bind(to_ms(now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(account_id)
}

/// Whether the owner chose to accept unsigned webhooks for this account.
pub async fn webhook_unsigned(db: impl SqliteExecutor<'_>, account_id: i64) -> Result<bool, StoreError> {
    Ok(sqlx::query_scalar("SELECT webhook_unsigned FROM accounts WHERE id = ?").bind(account_id).fetch_optional(db).await?.unwrap_or(false))
}
