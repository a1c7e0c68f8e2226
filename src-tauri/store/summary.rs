//! Counts for the status line and the empty state.

use sqlx::SqliteExecutor;

use super::error::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub accounts: i64,
    pub conversations: i64,
}

pub async fn counts(db: impl SqliteExecutor<'_>) -> Result<Counts, StoreError> {
    let (accounts, conversations) =
        sqlx::query_as("SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM conversations)")
            .fetch_one(db)
            .await?;
    Ok(Counts { accounts, conversations })
}
