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
