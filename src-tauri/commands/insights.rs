//! The insights page: messages per day, sends by category with cost, delivery and read rates,
//! failures by reason, median first-response time and windows that closed unanswered.

use std::io::Write;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::error::{AppError, ErrorCode};
use super::export::{ExportResult, Output};
use crate::domain::insights::{first_responses, median_minutes, unanswered_windows, Beat};
use crate::domain::window::window_length;
use crate::store::insights::{self as q, Period};
use crate::store::time::from_ms;
use crate::store::Store;

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct InsightsQuery {
    pub from_ms: i64,
    pub to_ms: i64,
    #[serde(default)]
    pub number_id: Option<i64>,
    #[serde(default)]
    pub utc_offset_minutes: i32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Day {
    pub day: String,
    pub inbound: i64,
    pub outbound: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CategorySends {
    pub category: String,
    pub sends: i64,
    pub cost: f64,
    pub currency: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub sent: i64,
    pub delivered: i64,
    pub read: i64,
    pub failed: i64,
    /// Delivered among those that reached WhatsApp or failed.
    pub delivery_rate: Option<f64>,
    /// Read among those delivered.
    pub read_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    pub code: Option<String>,
    pub reason: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UnansweredCustomer {
    pub customer_id: i64,
    pub conversation_id: i64,
    pub name: Option<String>,
    pub phone: String,
    pub last_inbound_at: DateTime<Utc>,
    pub closed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Insights {
    pub days: Vec<Day>,
    pub categories: Vec<CategorySends>,
    pub delivery: Delivery,
    pub failures: Vec<Failure>,
    pub median_first_response_minutes: Option<f64>,
    pub unanswered: Vec<UnansweredCustomer>,
}

fn ratio(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

pub async fn insights(store: &Store, account_id: i64, query: &InsightsQuery, now: DateTime<Utc>) -> Result<Insights, AppError> {
    if query.from_ms >= query.to_ms {
        return Err(AppError::new(ErrorCode::SearchInvalid, "The start date must be before the end date."));
    }
    let p = Period { account_id, from_ms: query.from_ms, to_ms: query.to_ms, number_id: query.number_id };
    let offset_ms = i64::from(query.utc_offset_minutes) * 60_000;
    // Every day of the period, quiet ones at zero, so a chart's time axis is not squeezed.
    let counted = q::per_day(store.pool(), p, offset_ms).await?;
    // A period of more than ten years (a script asking for "everything") is listed from its first
    // to its last day with messages instead, so the answer stays small.
    let mut first_day = (query.from_ms + offset_ms).div_euclid(86_400_000);
    let mut last_day = (query.to_ms - 1 + offset_ms).div_euclid(86_400_000);
    if last_day - first_day > 3_660 {
        first_day = counted.first().map_or(first_day, |c| c.0);
        last_day = counted.last().map_or(first_day, |c| c.0);
    }
    let days = (first_day..=last_day)
        .map(|day| {
            let (inbound, outbound) = counted.iter().find(|c| c.0 == day).map(|c| (c.1, c.2)).unwrap_or((0, 0));
            Day { day: from_ms(day * 86_400_000).format("%Y-%m-%d").to_string(), inbound, outbound }
        })
        .collect();
    let categories = q::by_category(store.pool(), p)
        .await?
        .into_iter()
        .map(|(category, sends, cost, currency)| CategorySends { category, sends, cost, currency })
        .collect();
    let (sent, delivered, read, failed) = q::delivery(store.pool(), p).await?;
    let failures = q::failures(store.pool(), p)
        .await?
        .into_iter()
        .map(|(code, reason, count)| Failure {
            reason: reason.unwrap_or_else(|| "No reason given".into()),
            code,
            count,
        })
        .collect();
    // A window that closes in the period opened up to 24 hours before it, and an answer to a
    // message late in the period may come after it: read that much more on both sides.
    let wide = Period {
        from_ms: query.from_ms - window_length().num_milliseconds(),
        to_ms: query.to_ms + window_length().num_milliseconds(),
        ..p
    };
    let beats: Vec<Beat> = q::beats(store.pool(), wide)
        .await?
        .into_iter()
        .map(|(conversation_id, at, inbound)| Beat { conversation_id, at: from_ms(at), inbound })
        .collect();
    let in_period = |t: DateTime<Utc>| t.timestamp_millis() >= query.from_ms && t.timestamp_millis() < query.to_ms;
    // First answers to customer messages written in the period.
    let responses: Vec<Duration> = first_responses(&beats).into_iter().filter(|(since, _)| in_period(*since)).map(|(_, d)| d).collect();
    let closed: Vec<_> = unanswered_windows(&beats, now.min(from_ms(wide.to_ms)))
        .into_iter()
        .filter(|u| in_period(u.closed_at))
        .collect();
    let ids: Vec<i64> = closed.iter().map(|u| u.conversation_id).collect();
    let who = q::who(store.pool(), &ids).await?;
    let mut unanswered: Vec<UnansweredCustomer> = closed
        .iter()
        .filter_map(|u| {
            let (_, customer_id, name, phone) = who.iter().find(|w| w.0 == u.conversation_id)?.clone();
            Some(UnansweredCustomer {
                customer_id,
                conversation_id: u.conversation_id,
                name,
                phone,
                last_inbound_at: u.last_inbound_at,
                closed_at: u.closed_at,
            })
        })
        .collect();
    unanswered.sort_by(|a, b| b.closed_at.cmp(&a.closed_at));
    Ok(Insights {
        days,
        categories,
        delivery: Delivery { sent, delivered, read, failed, delivery_rate: ratio(delivered, sent + failed), read_rate: ratio(read, delivered) },
        failures,
        median_first_response_minutes: median_minutes(&responses),
        unanswered,
    })
}

/// The insights as one CSV file: a section per figure, each with its own header row.
pub async fn export_csv(store: &Store, account_id: i64, query: &InsightsQuery, path: &std::path::Path) -> Result<ExportResult, AppError> {
    let i = insights(store, account_id, query, Utc::now()).await?;
    let mut out = Output::create(path)?;
    let mut rows: Vec<Vec<String>> = vec![vec!["section".into(), "key".into(), "value 1".into(), "value 2".into(), "value 3".into()]];
    for d in &i.days {
        rows.push(vec!["messages per day".into(), d.day.clone(), format!("in {}", d.inbound), format!("out {}", d.outbound), String::new()]);
    }
    for c in &i.categories {
        rows.push(vec!["sends by category".into(), c.category.clone(), c.sends.to_string(), c.cost.to_string(), c.currency.clone().unwrap_or_default()]);
    }
    let d = &i.delivery;
    let pct = |r: Option<f64>| r.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_default();
    rows.push(vec!["delivery".into(), "sent".into(), d.sent.to_string(), String::new(), String::new()]);
    rows.push(vec!["delivery".into(), "delivered".into(), d.delivered.to_string(), pct(d.delivery_rate), String::new()]);
    rows.push(vec!["delivery".into(), "read".into(), d.read.to_string(), pct(d.read_rate), String::new()]);
    rows.push(vec!["delivery".into(), "failed".into(), d.failed.to_string(), String::new(), String::new()]);
    for f in &i.failures {
        rows.push(vec!["failures".into(), f.code.clone().unwrap_or_default(), f.reason.clone(), f.count.to_string(), String::new()]);
    }
    rows.push(vec![
        "first response".into(),
        "median minutes".into(),
        i.median_first_response_minutes.map(|m| format!("{m:.1}")).unwrap_or_default(),
        String::new(),
        String::new(),
    ]);
    for u in &i.unanswered {
        rows.push(vec![
            "closed without reply".into(),
            format!("+{}", u.phone),
            u.name.clone().unwrap_or_default(),
            u.last_inbound_at.to_rfc3339(),
            u.closed_at.to_rfc3339(),
        ]);
    }
    let w = out.writer();
    let io = |e: std::io::Error| super::export::unwritable(path, &e.to_string());
    w.write_all("\u{feff}".as_bytes()).map_err(io)?;
    let mut c = csv::Writer::from_writer(w);
    for r in &rows {
        c.write_record(r.iter().map(|f| super::export::csv_cell(f))).map_err(|e| super::export::unwritable(path, &e.to_string()))?;
    }
    c.flush().map_err(io)?;
    drop(c);
    let bytes = out.finish()?;
    Ok(ExportResult { path: path.display().to_string(), messages: rows.len() as u64 - 1, bytes })
}
