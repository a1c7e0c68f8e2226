//! Message templates of a number, refreshed from `GET /api/v1/templates`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::SqlitePool;

use super::error::StoreError;
use super::time::to_ms;

#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRow {
    pub name: String,
    pub language: String,
    pub category: Option<String>,
    pub status: String,
    pub params_count: u32,
    pub body: String,
    pub header_type: String,
    pub header_text: Option<String>,
    pub header_sample_media_url: Option<String>,
    pub footer: Option<String>,
}

/// Replaces a number's templates with what the service listed, in one transaction.
pub async fn replace_templates(
    pool: &SqlitePool,
    number_id: i64,
    templates: &[TemplateRow],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM templates WHERE number_id = ?").bind(number_id).execute(&mut *tx).await?;
    for t in templates {
        let category = t.category.as_deref().map(str::to_ascii_uppercase).filter(|c| {
            matches!(c.as_str(), "MARKETING" | "UTILITY" | "AUTHENTICATION")
        });
        let header_type = match t.header_type.to_ascii_lowercase().as_str() {
            h @ ("text" | "image" | "video" | "document") => h.to_string(),
            _ => "none".to_string(),
        };
        sqlx::query(
            "INSERT INTO templates (number_id, name, language, category, status, params_count, body, header_type,
                                    header_text, header_sample_media_url, footer, fetched_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (number_id, name, language) DO NOTHING",
        )
        .bind(number_id)
        .bind(&t.name)
        .bind(&t.language)
        .bind(category)
        .bind(&t.status)
        .bind(t.params_count as i64)
        .bind(&t.body)
        .bind(header_type)
        .bind(&t.header_text)
        .bind(&t.header_sample_media_url)
        .bind(&t.footer)
        .bind(to_ms(now))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct TemplateSummary {
    pub name: String,
    pub language: String,
    pub category: Option<String>,
    pub status: String,
    pub params_count: i64,
    pub body: String,
    pub header_type: String,
}

/// A number's templates, approved ones first (statuses compared case-insensitively).
pub async fn templates_of(pool: &SqlitePool, number_id: i64) -> Result<Vec<TemplateSummary>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT name, language, category, status, params_count, body, header_type FROM templates
         WHERE number_id = ? ORDER BY upper(status) <> 'APPROVED', name, language",
    )
    .bind(number_id)
    .fetch_all(pool)
    .await?)
}
