//! A realistic archive made from a seed, for benchmarks, demos of scale and tests: years of
//! English and Arabic conversations, every message type, and a skewed load (a few customers with
//! tens of thousands of messages, most with a handful). Same seed, same archive.

use chrono::{DateTime, Duration, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::SqlitePool;

use super::error::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub messages: u64,
    pub customers: u64,
    pub seed: u64,
    /// The newest message is about this old; the oldest `years` before it.
    pub now: DateTime<Utc>,
    pub years: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Generated {
    pub account_id: i64,
    pub customers: u64,
    pub messages: u64,
    /// The customer with the most messages, and how many.
    pub largest_conversation_id: i64,
    pub largest_conversation_messages: u64,
}

const FIRST_EN: &[&str] = &["John", "Mary", "David", "Emma", "James", "Olivia", "Liam", "Sophia", "Noah", "Ava", "Lucas", "Mia"];
const LAST_EN: &[&str] = &["Smith", "Brown", "Taylor", "Wilson", "Evans", "Thomas", "Roberts", "Walker", "Wright", "Green"];
const FIRST_AR: &[&str] = &["محمد", "أحمد", "سارة", "فاطمة", "عبدالله", "نورة", "خالد", "مريم", "يوسف", "ليلى", "إبراهيم", "هند"];
const LAST_AR: &[&str] = &["الأحمد", "العتيبي", "القحطاني", "الشمري", "الحربي", "الزهراني", "الغامدي", "المطيري", "الدوسري"];
const TAGS: &[&str] = &["vip", "wholesale", "new", "returning", "riyadh", "jeddah", "complaint", "مميز"];

const EN_IN: &[&str] = &[
    "Hello, is the {item} still available?",
    "Where is my order? It has been three days.",
    "Can I change the size of the {item}?",
    "Thanks, the {item} arrived today",
    "Do you deliver to {city} on Friday?",
    "What time do you open tomorrow?",
    "I would like to book an appointment for {day}",
    "The invoice number is {n}, please check",
    "Is there a discount on the {item} this week?",
    "ok",
    "Thank you!",
];
const EN_OUT: &[&str] = &[
    "Yes, the {item} is in stock. Shall I reserve it for you?",
    "Your order {n} is on its way and should arrive tomorrow.",
    "We open at 9 am. See you tomorrow!",
    "Your appointment is confirmed for {day} at 4 pm.",
    "We deliver to {city} every day except Friday.",
    "Sorry for the delay, we are checking with the courier.",
    "You're welcome!",
];
const AR_IN: &[&str] = &[
    "مرحبا، هل {item_ar} متوفر؟",
    "مَرْحَبًا، أين الطلب؟ مرت ثلاثة أيام",
    "أريد تغيير مقاس {item_ar}",
    "شكرا، وصل الطلب اليوم",
    "هل توصلون إلى {city_ar} يوم الجمعة؟",
    "متى تفتحون غداً؟",
    "أريد حجز موعد يوم {day_ar}",
    "رقم الفاتورة {n}",
    "هل يوجد خصم على {item_ar} هذا الأسبوع؟",
    "تمام",
    "جزاك الله خيرا",
];
const AR_OUT: &[&str] = &[
    "نعم، {item_ar} متوفر. هل نحجزه لك؟",
    "طلبك رقم {n} في الطريق ويصل غداً إن شاء الله",
    "نفتح الساعة التاسعة صباحاً",
    "تم تأكيد موعدك يوم {day_ar} الساعة الرابعة",
    "نوصل إلى {city_ar} كل يوم ما عدا الجمعة",
    "نعتذر عن التأخير، نتابع مع شركة الشحن",
    "العفو، في خدمتك دائماً",
];
const ITEMS: &[&str] = &["blue abaya", "perfume", "vitamin D", "black shoes", "gift box", "coffee beans"];
const ITEMS_AR: &[&str] = &["العباية الزرقاء", "العطر", "فيتامين د", "الحذاء الأسود", "صندوق الهدايا", "البن"];
const CITIES: &[&str] = &["Riyadh", "Jeddah", "Dammam", "Dubai"];
const CITIES_AR: &[&str] = &["الرياض", "جدة", "الدمام", "دبي"];
const DAYS: &[&str] = &["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday"];
const DAYS_AR: &[&str] = &["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس"];
const FAILURES: &[(&str, &str)] = &[
    ("131047", "Re-engagement message: more than 24 hours have passed since the customer last replied."),
    ("131026", "Message undeliverable: the number is not on WhatsApp."),
    ("RECIPIENT_OPTED_OUT", "The customer opted out of marketing messages."),
];

fn fill(rng: &mut ChaCha8Rng, template: &str) -> String {
    template
        .replace("{item}", ITEMS.choose(rng).copied().unwrap_or("item"))
        .replace("{item_ar}", ITEMS_AR.choose(rng).copied().unwrap_or("المنتج"))
        .replace("{city}", CITIES.choose(rng).copied().unwrap_or("Riyadh"))
        .replace("{city_ar}", CITIES_AR.choose(rng).copied().unwrap_or("الرياض"))
        .replace("{day}", DAYS.choose(rng).copied().unwrap_or("Sunday"))
        .replace("{day_ar}", DAYS_AR.choose(rng).copied().unwrap_or("الأحد"))
        .replace("{n}", &rng.gen_range(10_000..99_999).to_string())
}

/// How many messages each customer gets: a Zipf-like share (s = 1.1), every customer at least one.
fn shares(messages: u64, customers: u64) -> Vec<u64> {
    let weights: Vec<f64> = (0..customers).map(|i| 1.0 / ((i + 1) as f64).powf(1.1)).collect();
    let total: f64 = weights.iter().sum();
    let spare = messages.saturating_sub(customers) as f64;
    let mut out: Vec<u64> = weights.iter().map(|w| 1 + (spare * w / total).floor() as u64).collect();
    let mut left = messages.saturating_sub(out.iter().sum());
    for n in out.iter_mut() {
        if left == 0 {
            break;
        }
        *n += 1;
        left -= 1;
    }
    out
}

/// Writes the archive into an empty store. Fails if the store already has an account.
pub async fn generate(pool: &SqlitePool, spec: Spec) -> Result<Generated, StoreError> {
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts").fetch_one(pool).await?;
    if existing > 0 {
        return Err(StoreError::Invalid("the archive already has an account; generate into an empty data folder".into()));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let now_ms = spec.now.timestamp_millis();
    let span_ms = Duration::days(365 * i64::from(spec.years.max(1))).num_milliseconds();
    let start_ms = now_ms - span_ms;

    let mut tx = super::write_tx(pool).await?;
    let account_id: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (name, base_url, tenant_id, is_demo, created_at, updated_at)
         VALUES ('Generated archive', 'http://127.0.0.1:9', NULL, 0, ?1, ?1) RETURNING id",
    )
    .bind(start_ms)
    .fetch_one(&mut *tx)
    .await?;
    let mut numbers = Vec::new();
    for (api, name) in [("gen-number-1", "Main shop"), ("gen-number-2", "Clinic")] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO whatsapp_numbers (account_id, api_id, display_name, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(account_id)
        .bind(api)
        .bind(name)
        .bind(start_ms)
        .fetch_one(&mut *tx)
        .await?;
        numbers.push(id);
    }
    let mut conversations = Vec::with_capacity(spec.customers as usize);
    for i in 0..spec.customers {
        let arabic = rng.gen_bool(0.6);
        let name = if arabic {
            format!("{} {}", FIRST_AR.choose(&mut rng).unwrap_or(&"محمد"), LAST_AR.choose(&mut rng).unwrap_or(&"الأحمد"))
        } else {
            format!("{} {}", FIRST_EN.choose(&mut rng).unwrap_or(&"John"), LAST_EN.choose(&mut rng).unwrap_or(&"Smith"))
        };
        let phone = format!("9665{:08}", (i * 7_919 + 10_000_000) % 100_000_000);
        let customer: i64 = sqlx::query_scalar(
            "INSERT INTO customers (account_id, phone, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(account_id)
        .bind(&phone)
        .bind(&name)
        .bind(start_ms)
        .bind(start_ms)
        .fetch_one(&mut *tx)
        .await?;
        if rng.gen_bool(0.3) {
            sqlx::query("INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?, ?)")
                .bind(customer)
                .bind(TAGS.choose(&mut rng).copied().unwrap_or("vip"))
                .execute(&mut *tx)
                .await?;
        }
        let number = numbers[if rng.gen_bool(0.8) { 0 } else { 1 }];
        let conv: i64 = sqlx::query_scalar(
            "INSERT INTO conversations (number_id, customer_id, created_at) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(number)
        .bind(customer)
        .bind(start_ms)
        .fetch_one(&mut *tx)
        .await?;
        conversations.push((conv, arabic));
    }
    tx.commit().await?;

    let counts = shares(spec.messages, spec.customers);
    let mut largest = (0i64, 0u64);
    let mut written = 0u64;
    let mut tx = super::write_tx(pool).await?;
    for (&(conv, arabic), &n) in conversations.iter().zip(counts.iter()) {
        if n > largest.1 {
            largest = (conv, n);
        }
        // A conversation's messages spread over part of the span, in time order, in bursts.
        let begin = start_ms + rng.gen_range(0..span_ms / 2);
        let step = ((now_ms - begin) / n.max(1) as i64).max(1);
        let mut at = begin;
        for _ in 0..n {
            at += rng.gen_range(1..=step.max(2));
            insert_one(&mut tx, &mut rng, conv, at.min(now_ms), arabic, written).await?;
            written += 1;
            if written % 20_000 == 0 {
                tx.commit().await?;
                tx = super::write_tx(pool).await?;
            }
        }
    }
    tx.commit().await?;

    // Activity columns as the live code keeps them, computed once at the end.
    sqlx::query(
        "UPDATE conversations SET
            last_message_id = (SELECT id FROM messages WHERE conversation_id = conversations.id ORDER BY created_at DESC, id DESC LIMIT 1),
            last_message_at = (SELECT max(created_at) FROM messages WHERE conversation_id = conversations.id),
            last_inbound_at = (SELECT max(created_at) FROM messages WHERE conversation_id = conversations.id AND direction = 'inbound'),
            unread_count = (SELECT count(*) FROM (SELECT direction FROM messages WHERE conversation_id = conversations.id
                            ORDER BY created_at DESC, id DESC LIMIT 3) WHERE direction = 'inbound')",
    )
    .execute(pool)
    .await?;
    super::search::catch_up(pool).await?;
    Ok(Generated {
        account_id,
        customers: spec.customers,
        messages: written,
        largest_conversation_id: largest.0,
        largest_conversation_messages: largest.1,
    })
}

async fn insert_one(
    tx: &mut sqlx::SqliteConnection,
    rng: &mut ChaCha8Rng,
    conv: i64,
    at: i64,
    arabic: bool,
    seq: u64,
) -> Result<(), StoreError> {
    let inbound = rng.gen_bool(0.55);
    let roll: f64 = rng.gen();
    let lines = match (arabic, inbound) {
        (true, true) => AR_IN,
        (true, false) => AR_OUT,
        (false, true) => EN_IN,
        (false, false) => EN_OUT,
    };
    let line = lines.choose(rng).copied().unwrap_or("ok");
    let body = fill(rng, line);
    let (kind, mut text, mut caption, mut filename, mut rendered, mut template, mut interactive, mut location, mut emoji) =
        ("text", Some(body.clone()), None, None, None, None, None, None::<(f64, f64, String)>, None);
    if roll < 0.05 {
        text = None;
        caption = Some(body.clone());
    } else if roll < 0.08 {
        text = None;
        filename = Some(format!("invoice-{}.pdf", rng.gen_range(1000..9999)));
    } else if roll < 0.12 && !inbound {
        text = None;
        template = Some(if arabic { ("order_update", "ar") } else { ("order_update", "en") });
        rendered = Some(body.clone());
    } else if roll < 0.14 && !inbound {
        text = None;
        interactive = Some(serde_json::json!({"type": "button", "body": {"text": body},
            "action": {"buttons": [{"type": "reply", "reply": {"id": "yes", "title": if arabic { "نعم" } else { "Yes" }}},
                                   {"type": "reply", "reply": {"id": "no", "title": if arabic { "لا" } else { "No" }}}]}}).to_string());
    } else if roll < 0.15 {
        text = None;
        location = Some((24.7 + rng.gen_range(-0.2..0.2), 46.7 + rng.gen_range(-0.2..0.2), if arabic { "المتجر".into() } else { "The shop".into() }));
    } else if roll < 0.17 {
        text = None;
        emoji = Some(if rng.gen_bool(0.5) { "👍" } else { "❤️" });
    }
    let kind = match () {
        _ if caption.is_some() => if rng.gen_bool(0.7) { "image" } else { "video" },
        _ if filename.is_some() => "document",
        _ if template.is_some() => "template",
        _ if interactive.is_some() => "interactive",
        _ if location.is_some() => "location",
        _ if emoji.is_some() => "reaction",
        _ => kind,
    };
    let (status, failure, category, cost) = if inbound {
        (None, None, None, None)
    } else {
        let s: f64 = rng.gen();
        let status = if s < 0.03 { "failed" } else if s < 0.25 { "delivered" } else if s < 0.3 { "sent" } else { "read" };
        let failure = (status == "failed").then(|| FAILURES[rng.gen_range(0..FAILURES.len())]);
        let (category, cost) = if kind == "template" {
            if rng.gen_bool(0.5) { ("UTILITY", 0.0115) } else { ("MARKETING", 0.0456) }
        } else {
            ("SERVICE", 0.0)
        };
        (Some(status), failure, Some(category), Some(cost))
    };
    let sent_at = status.filter(|s| *s != "failed").map(|_| at + 1_000);
    sqlx::query(
        "INSERT INTO messages (local_id, conversation_id, direction, type, created_at, text, media_caption, media_filename,
            template_name, template_language, template_params, rendered_body, interactive, location_lat, location_lng, location_name,
            reaction_emoji, status, sent_at, delivered_at, read_at, failed_at, failure_code, failure_reason, category, cost,
            cost_currency, wamid)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(format!("gen-{seq:010}"))
    .bind(conv)
    .bind(if inbound { "inbound" } else { "outbound" })
    .bind(kind)
    .bind(at)
    .bind(text)
    .bind(caption)
    .bind(filename)
    .bind(template.map(|t| t.0))
    .bind(template.map(|t| t.1))
    .bind(template.map(|_| "[]"))
    .bind(rendered)
    .bind(interactive)
    .bind(location.as_ref().map(|l| l.0))
    .bind(location.as_ref().map(|l| l.1))
    .bind(location.map(|l| l.2))
    .bind(emoji)
    .bind(status)
    .bind(sent_at)
    .bind(status.filter(|s| matches!(*s, "delivered" | "read")).map(|_| at + 5_000))
    .bind(status.filter(|s| *s == "read").map(|_| at + 60_000))
    .bind(status.filter(|s| *s == "failed").map(|_| at + 1_000))
    .bind(failure.map(|f| f.0))
    .bind(failure.map(|f| f.1))
    .bind(category)
    .bind(cost)
    .bind(cost.map(|_| "USD"))
    .bind(if inbound { Some(format!("wamid.gen{seq}")) } else { None })
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::shares;

    #[test]
    fn shares_add_up_are_skewed_and_give_everyone_one() {
        let s = shares(1_000_000, 20_000);
        assert_eq!(s.iter().sum::<u64>(), 1_000_000);
        assert!(s.iter().all(|n| *n >= 1));
        assert!(s.iter().filter(|n| **n >= 10_000).count() >= 3, "a few very large conversations: {:?}", &s[..5]);
        assert!(s[0] > s[100] && s[100] > s[10_000]);
        assert_eq!(shares(10, 20).iter().sum::<u64>(), 20, "more customers than messages: one each");
    }
}
