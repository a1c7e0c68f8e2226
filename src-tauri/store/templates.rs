//! Message templates of a number, refreshed from `GET /api/v1/templates`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::SqlitePool;

use super::error::StoreError;
use crate::domain::template::{language_direction, TextDirection};
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
    let mut tx = super::write_tx(pool).await?;
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

/// A template's status changed (`template.status_changed`): every language of that name, on
/// every number of the account, since the event does not say which.
pub async fn set_status_by_name(db: impl sqlx::SqliteExecutor<'_>, account_id: i64, name: &str, status: &str) -> Result<u64, StoreError> {
    Ok(sqlx::query(
        "UPDATE templates SET status = upper(?) WHERE name = ?
           AND number_id IN (SELECT id FROM whatsapp_numbers WHERE account_id = ?)",
    )
    .bind(status)
    .bind(name)
    .bind(account_id)
    .execute(db)
    .await?
    .rows_affected())
}

/// The header type of a number's template (`none`, `text`, `image`, `video`, `document`).
pub async fn header_type(pool: &SqlitePool, number_api_id: &str, name: &str, language: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT t.header_type FROM templates t JOIN whatsapp_numbers n ON n.id = t.number_id
         WHERE n.api_id = ? AND t.name = ? AND t.language = ?",
    )
    .bind(number_api_id)
    .bind(name)
    .bind(language)
    .fetch_optional(pool)
    .await?)
}

/// An approved template as the composer's picker shows it, with the direction its language reads in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PickerTemplate {
    pub name: String,
    pub language: String,
    pub category: Option<String>,
    pub body: String,
    pub params_count: i64,
    pub header_type: String,
    pub header_text: Option<String>,
    pub footer: Option<String>,
    pub dir: &'static str,
}

/// A number's approved templates (the only ones WhatsApp will send), by name.
pub async fn approved_of(pool: &SqlitePool, number_id: i64) -> Result<Vec<PickerTemplate>, StoreError> {
    let rows: Vec<(String, String, Option<String>, String, i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT name, language, category, body, params_count, header_type, header_text, footer FROM templates
         WHERE number_id = ? AND upper(status) = 'APPROVED' ORDER BY name, language",
    )
    .bind(number_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, language, category, body, params_count, header_type, header_text, footer)| PickerTemplate {
            dir: match language_direction(&language) {
                TextDirection::Rtl => "rtl",
                TextDirection::Ltr => "ltr",
            },
            name,
            language,
            category,
            body,
            params_count,
            header_type,
            header_text,
            footer,
        })
        .collect())
}
