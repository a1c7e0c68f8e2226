//! Customers and their tags.

use chrono::{DateTime, Utc};
use sqlx::{SqliteExecutor, SqlitePool};

use super::error::StoreError;
use super::time::to_ms;
use crate::domain::phone::Phone;

/// The customer with this phone, created if new. A name we learn replaces none, never the reverse.
pub async fn upsert_customer(
    db: impl SqliteExecutor<'_>,
    account_id: i64,
    phone: &Phone,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar(
        "INSERT INTO customers (account_id, phone, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account_id, phone) DO UPDATE
            SET name = coalesce(excluded.name, customers.name), updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(account_id)
    .bind(phone.digits())
    .bind(name.map(str::trim).filter(|n| !n.is_empty()))
    .bind(to_ms(now))
    .bind(to_ms(now))
    .fetch_one(db)
    .await?;
    Ok(id)
}

/// Replaces a customer's tags (trimmed, blank ones dropped, duplicates merged).
pub async fn set_tags(pool: &SqlitePool, customer_id: i64, tags: &[String]) -> Result<(), StoreError> {
    let mut tx = super::write_tx(pool).await?;
    set_tags_in(&mut tx, customer_id, tags).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_tags_in(tx: &mut sqlx::SqliteConnection, customer_id: i64, tags: &[String]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM customer_tags WHERE customer_id = ?").bind(customer_id).execute(&mut *tx).await?;
    for tag in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        sqlx::query("INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?, ?)")
            .bind(customer_id)
            .bind(tag)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

pub async fn tags(db: impl SqliteExecutor<'_>, customer_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag")
        .bind(customer_id)
        .fetch_all(db)
        .await?)
}

/// What the CRM knows about a customer beyond the phone.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerProfile {
    pub remote_id: Option<i64>,
    pub email: Option<String>,
    pub metadata: serde_json::Value,
    pub blocked: bool,
    pub total_conversations: i64,
    pub first_conversation_at: Option<DateTime<Utc>>,
    pub last_conversation_at: Option<DateTime<Utc>>,
}

pub async fn set_profile(db: impl SqliteExecutor<'_>, customer_id: i64, p: &CustomerProfile, now: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE customers SET remote_id = ?, email = ?, metadata = ?, status = ?, total_conversations = ?,
            first_conversation_at = ?, last_conversation_at = ?, updated_at = ? WHERE id = ?",
    )
    .bind(p.remote_id)
    .bind(&p.email)
    .bind(p.metadata.to_string())
    .bind(if p.blocked { "blocked" } else { "active" })
    .bind(p.total_conversations)
    .bind(p.first_conversation_at.map(to_ms))
    .bind(p.last_conversation_at.map(to_ms))
    .bind(to_ms(now))
    .bind(customer_id)
    .execute(db)
    .await?;
    Ok(())
}

/// Records the opt-out list's answer for a customer.
pub async fn set_opt_out(
    db: impl SqliteExecutor<'_>,
    customer_id: i64,
    scope: Option<&str>,
    source: Option<&str>,
    opted_out_at: Option<DateTime<Utc>>,
    checked_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let scope = scope.filter(|s| matches!(*s, "marketing" | "all"));
    sqlx::query(
        "UPDATE customers SET opted_out = ?, opt_out_scope = ?, opt_out_source = ?, opted_out_at = ?, opt_out_checked_at = ?
         WHERE id = ?",
    )
    .bind(scope.is_some())
    .bind(scope)
    .bind(source)
    .bind(opted_out_at.map(to_ms))
    .bind(to_ms(checked_at))
    .bind(customer_id)
    .execute(db)
    .await?;
    Ok(())
}

/// Everything the customer panel shows of a customer's own row.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CustomerRow {
    pub id: i64,
    pub name: Option<String>,
    pub phone: String,
    pub email: Option<String>,
    pub metadata: String,
    pub blocked: bool,
    pub total_conversations: i64,
    pub first_conversation_at: Option<i64>,
    pub last_conversation_at: Option<i64>,
    pub opted_out: Option<bool>,
    pub opt_out_scope: Option<String>,
    pub opted_out_at: Option<i64>,
}

pub async fn customer(db: impl SqliteExecutor<'_>, customer_id: i64) -> Result<Option<CustomerRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, name, phone, email, metadata, status = 'blocked' AS blocked, total_conversations,
                first_conversation_at, last_conversation_at, opted_out, opt_out_scope, opted_out_at
         FROM customers WHERE id = ?",
    )
    .bind(customer_id)
    .fetch_optional(db)
    .await?)
}
