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
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM customer_tags WHERE customer_id = ?").bind(customer_id).execute(&mut *tx).await?;
    for tag in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        sqlx::query("INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?, ?)")
            .bind(customer_id)
            .bind(tag)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn tags(db: impl SqliteExecutor<'_>, customer_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag")
        .bind(customer_id)
        .fetch_all(db)
        .await?)
}
