//! Lays the seed data out in time. Each customer gets a window class (open, closing within the
//! hour, closed) that fixes when their newest inbound message was; their conversation script is
//! then placed so that its last inbound line falls exactly there.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use super::corpus::{self, Bi, Step};
use super::{
    cost_for, templates, CustomerStatus, SeedBusiness, SeedContent, SeedCustomer, SeedCustomerResponse, SeedData,
    SeedDelivery, SeedFlowSession, SeedMessage, SeedOptOut, SeedTemplate, CUSTOMER_COUNT,
};
use crate::domain::category::Category;
use crate::domain::message_type::{Direction, MessageType};
use crate::domain::status::Status;
use crate::domain::template::render;
use crate::sim::ids;

/// Customers `0..OPEN` have an open window, the next `CLOSING` one closing within the hour.
const OPEN: usize = 18;
const CLOSING: usize = 4;
/// Phones ending in `000`: every message to them fails with 131026.
const UNDELIVERABLE: [usize; 2] = [12, 41];
const BLOCKED: usize = 33;
const OPTED_OUT_MARKETING: usize = 27;
const OPTED_OUT_ALL: usize = 38;
const UNNAMED: [usize; 2] = [50, 57];
/// The integer id of the number in webhooks and sessions.
const WEBHOOK_ACCOUNT_ID: i64 = 5;

struct Person {
    id: i64,
    index: usize,
    phone: String,
    arabic: bool,
    name: Option<String>,
    /// What templates address the customer by.
    first_name: String,
    email: Option<String>,
    tags: Vec<String>,
    city: &'static str,
    branch: &'static str,
    currency: &'static str,
    metadata: Value,
}

impl Person {
    fn pick(&self, line: Bi) -> String {
        if self.arabic { line.1 } else { line.0 }.to_string()
    }
}

struct Gen {
    rng: ChaCha8Rng,
    now: DateTime<Utc>,
    templates: Vec<SeedTemplate>,
    messages: Vec<SeedMessage>,
    outbound_seq: u64,
}

pub(super) fn generate(now: DateTime<Utc>, seed: u64) -> SeedData {
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(seed),
        now,
        templates: templates::catalogue(),
        messages: Vec::new(),
        outbound_seq: 0,
    };
    let mut used = BTreeSet::new();
    let people: Vec<Person> = (0..CUSTOMER_COUNT).map(|i| g.person(i, &mut used)).collect();

    let mut conversations = vec![0u32; people.len()];
    let mut last_inbound = Vec::with_capacity(people.len());
    for p in &people {
        let i = p.index;
        let undeliverable = UNDELIVERABLE.contains(&i);
        let (script, last) = g.plan(i);
        last_inbound.push(last);
        // About two customers in five came before, weeks earlier.
        if i % 5 == 1 || i % 5 == 3 {
            let earlier = last - Duration::days(g.rng.gen_range(5..40)) - Duration::minutes(g.rng.gen_range(0..600));
            if now - earlier < Duration::days(89) {
                let older = corpus::SCRIPTS[(i + 3) % corpus::SCRIPTS.len()];
                g.conversation(p, older, earlier, undeliverable);
                conversations[i] += 1;
            }
        }
        g.conversation(p, script, last, undeliverable);
        conversations[i] += 1;
        g.after_window(p, last, undeliverable, &mut conversations[i]);
    }
    g.messages.sort_by_key(|m| m.created_at);

    let customers = people.iter().map(|p| g.customer(p, conversations[p.index])).collect::<Vec<_>>();
    let (flow_sessions, customer_responses) = g.flows(&people, &last_inbound);
    let opt_outs = opt_outs(&customers, now);
    SeedData {
        seed,
        generated_at: now,
        business: SeedBusiness {
            name: "Al Noor Pharmacy".into(),
            tenant_id: 1,
            whatsapp_account_id: WEBHOOK_ACCOUNT_ID,
            display_phone: "966112345678".into(),
        },
        customers,
        messages: g.messages,
        templates: g.templates,
        flow_sessions,
        customer_responses,
        opt_outs,
    }
}

impl Gen {
    fn person(&mut self, i: usize, used: &mut BTreeSet<String>) -> Person {
        let roll = self.rng.gen_range(0..100);
        let place = if roll < 68 { 0 } else if roll < 86 { 1 } else { 2 };
        let (prefix, cities) = corpus::PLACES[place];
        let phone = loop {
            let digits: String = (0..8).map(|_| char::from(b'0' + self.rng.gen_range(0..10u8))).collect();
            let mut p = format!("{prefix}{digits}");
            if UNDELIVERABLE.contains(&i) {
                p.replace_range(p.len() - 3.., "000");
            } else if p.ends_with("000") {
                continue;
            }
            if used.insert(p.clone()) {
                break p;
            }
        };
        let (city, branches) = cities[self.rng.gen_range(0..cities.len())];
        let branch = branches[self.rng.gen_range(0..branches.len())];
        let arabic = if place == 2 { self.rng.gen_bool(0.1) } else { self.rng.gen_bool(0.6) };
        let (name, first_name, ascii_name) = if place == 2 && !arabic {
            let full = corpus::UK_NAMES[self.rng.gen_range(0..corpus::UK_NAMES.len())];
            (full.to_string(), full.split(' ').next().unwrap_or(full).to_string(), full.to_string())
        } else {
            let first = corpus::GULF_FIRST[self.rng.gen_range(0..corpus::GULF_FIRST.len())];
            let family = corpus::GULF_FAMILY[self.rng.gen_range(0..corpus::GULF_FAMILY.len())];
            let ascii = format!("{} {}", first.0, family.0);
            if arabic {
                (format!("{} {}", first.1, family.1), first.1.to_string(), ascii)
            } else {
                (ascii.clone(), first.0.to_string(), ascii)
            }
        };
        let email = self.rng.gen_bool(0.4).then(|| {
            let local: String = ascii_name
                .to_lowercase()
                .replace(' ', ".")
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
                .collect();
            format!("{local}@example.com")
        });
        let mut tags = BTreeSet::new();
        if self.rng.gen_bool(0.6) {
            tags.insert(city.to_lowercase().replace(' ', "-"));
        }
        for _ in 0..self.rng.gen_range(0..=2) {
            tags.insert(corpus::TAGS[self.rng.gen_range(0..corpus::TAGS.len())].to_string());
        }
        let mut metadata = json!({
            "city": city,
            "preferred_branch": branch,
            "loyalty_points": self.rng.gen_range(0..200) * 10,
        });
        if tags.contains("insurance") || self.rng.gen_bool(0.25) {
            metadata["insurance_provider"] = json!(corpus::INSURERS[self.rng.gen_range(0..corpus::INSURERS.len())]);
        }
        let unnamed = UNNAMED.contains(&i);
        Person {
            id: i as i64 + 1,
            index: i,
            phone,
            arabic,
            name: (!unnamed).then_some(name),
            first_name: if unnamed {
                if arabic { "عميلنا العزيز" } else { "there" }.to_string()
            } else {
                first_name
            },
            email,
            tags: tags.into_iter().collect(),
            city,
            branch,
            currency: ["SAR", "AED", "GBP"][place],
            metadata,
        }
    }

    /// The customer's script and the time of their newest inbound message.
    fn plan(&mut self, i: usize) -> (&'static [Step], DateTime<Utc>) {
        let scripts = corpus::SCRIPTS;
        if i == 0 {
            // A conversation happening right now; its script ends with the customer writing.
            return (scripts[5], self.now - Duration::seconds(self.rng.gen_range(120..360)));
        }
        let ago = if i < OPEN {
            Duration::seconds(self.rng.gen_range(90 * 60..22 * 3600))
        } else if i < OPEN + CLOSING {
            Duration::seconds(self.rng.gen_range(23 * 3600 + 300..24 * 3600 - 300))
        } else {
            Duration::seconds(self.rng.gen_range(26 * 3600..88 * 86400))
        };
        (scripts[i % scripts.len()], self.now - ago)
    }

    fn gap(&mut self, prev_inbound: bool, next_inbound: bool) -> Duration {
        let range = match (prev_inbound, next_inbound) {
            (true, true) => 10..180,
            (true, false) => 60..600,
            (false, true) => 120..2400,
            (false, false) => 5..120,
        };
        Duration::seconds(self.rng.gen_range(range))
    }

    /// Places `script` so its last inbound line is at `last_inbound`.
    fn conversation(&mut self, p: &Person, script: &[Step], last_inbound: DateTime<Utc>, undeliverable: bool) {
        let mut offsets = Vec::with_capacity(script.len());
        let mut t = Duration::zero();
        for (k, step) in script.iter().enumerate() {
            if k > 0 {
                t += self.gap(is_inbound(&script[k - 1]), is_inbound(step));
            }
            offsets.push(t);
        }
        let anchor = script.iter().rposition(is_inbound).unwrap_or(0);
        let start = last_inbound - offsets[anchor];
        let mut convo: Vec<SeedMessage> = Vec::with_capacity(script.len());
        for (k, step) in script.iter().enumerate() {
            // Replies after the newest inbound line must not land in the future.
            let latest = self.now - Duration::seconds(5 * (script.len() - k) as i64);
            let at = (start + offsets[k]).min(latest);
            let m = self.message(p, step, at, &convo);
            convo.push(m);
        }
        self.deliver(&mut convo, undeliverable);
        self.messages.extend(convo);
    }

    fn message(&mut self, p: &Person, step: &Step, at: DateTime<Utc>, convo: &[SeedMessage]) -> SeedMessage {
        let newest = |dir: Direction| convo.iter().rev().find(|m| m.direction == dir).and_then(|m| m.wamid.clone());
        let media = |caption: Option<String>, filename: Option<&str>, mime: &str, link: Option<String>, kind: &str| {
            let placeholder = (caption.is_none() && filename.is_none()).then(|| format!("[{kind}]"));
            SeedContent::Media { caption, filename: filename.map(str::to_string), mime: Some(mime.into()), link, placeholder }
        };
        use MessageType as T;
        let (kind, content) = match *step {
            Step::InText(l) | Step::OutText(l) => (T::Text, SeedContent::Text { text: p.pick(l) }),
            Step::InImage(c) => (T::Image, media(c.map(|c| p.pick(c)), None, "image/jpeg", None, "image")),
            Step::InVideo(c) => (T::Video, media(c.map(|c| p.pick(c)), None, "video/mp4", None, "video")),
            Step::InAudio => (T::Audio, media(None, None, "audio/ogg", None, "audio")),
            Step::InDocument(f) => (T::Document, media(None, Some(f), "application/pdf", None, "document")),
            Step::InSticker => (T::Sticker, media(None, None, "image/webp", None, "sticker")),
            Step::InLocation(label) => {
                let (lat, lng) = self.near(p.city);
                (T::Location, SeedContent::Location { lat, lng, name: Some(p.pick(label)), address: Some(format!("{}, {}", p.branch, p.city)) })
            }
            Step::InReaction(e) => (T::Reaction, SeedContent::Reaction { emoji: e.into(), to_wamid: newest(Direction::Outbound) }),
            Step::OutReaction(e) => (T::Reaction, SeedContent::Reaction { emoji: e.into(), to_wamid: newest(Direction::Inbound) }),
            Step::OutImage(link, c) => (T::Image, media(Some(p.pick(c)), None, "image/jpeg", Some(link.into()), "image")),
            Step::OutVideo(link, c) => (T::Video, media(Some(p.pick(c)), None, "video/mp4", Some(link.into()), "video")),
            Step::OutAudio(link) => (T::Audio, media(None, None, "audio/ogg", Some(link.into()), "audio")),
            Step::OutDocument(link, f, c) => (T::Document, {
                let mut m = media(Some(p.pick(c)), Some(f), "application/pdf", Some(link.into()), "document");
                if let SeedContent::Media { placeholder, .. } = &mut m {
                    *placeholder = None;
                }
                m
            }),
            Step::OutTemplate(en, ar) => (T::Template, self.template(p, if p.arabic { ar } else { en })),
            Step::OutButtons(body, buttons) => {
                let buttons: Vec<Value> = buttons
                    .iter()
                    .map(|(id, title)| json!({"type": "reply", "reply": {"id": id, "title": p.pick(*title)}}))
                    .collect();
                (T::Interactive, SeedContent::Interactive {
                    payload: json!({"type": "button", "body": {"text": p.pick(body)}, "action": {"buttons": buttons}}),
                })
            }
            Step::OutList(body, button, rows) => {
                let rows: Vec<Value> = rows.iter().map(|(id, title)| json!({"id": id, "title": p.pick(*title)})).collect();
                let section = if p.arabic { "الأوقات المتاحة" } else { "Available times" };
                (T::Interactive, SeedContent::Interactive {
                    payload: json!({
                        "type": "list",
                        "body": {"text": p.pick(body)},
                        "action": {"button": p.pick(button), "sections": [{"title": section, "rows": rows}]},
                    }),
                })
            }
        };
        let direction = if is_inbound(step) { Direction::Inbound } else { Direction::Outbound };
        self.make(p, direction, kind, at, content)
    }

    fn make(&mut self, p: &Person, direction: Direction, kind: MessageType, at: DateTime<Utc>, content: SeedContent) -> SeedMessage {
        let local_id = ids::uuid(&mut self.rng);
        let wamid = Some(ids::wamid(&p.phone, &mut self.rng));
        let delivery = (direction == Direction::Outbound).then(|| {
            let category = match &content {
                SeedContent::Template { name, language, .. } => self
                    .templates
                    .iter()
                    .find(|t| &t.name == name && &t.language == language)
                    .map(|t| t.category)
                    .unwrap_or(Category::Utility),
                _ => Category::Service,
            };
            self.outbound_seq += 1;
            let message_log_id = if self.outbound_seq.is_multiple_of(2) {
                (3000 + self.outbound_seq).to_string()
            } else {
                ids::ulid(at, &mut self.rng)
            };
            SeedDelivery {
                status: Status::Queued,
                message_log_id,
                category,
                cost: cost_for(category),
                cost_currency: "SAR".into(),
                queued_at: at,
                sent_at: None,
                delivered_at: None,
                read_at: None,
                failed_at: None,
                failure_code: None,
                failure_reason: None,
            }
        });
        SeedMessage { local_id, customer_phone: p.phone.clone(), direction, kind, created_at: at, wamid, content, delivery }
    }

    fn template(&mut self, p: &Person, name: &str) -> SeedContent {
        let language = if p.arabic { "ar" } else { "en_US" };
        let t = self
            .templates
            .iter()
            .find(|t| t.name == name && t.language == language)
            .or_else(|| self.templates.iter().find(|t| t.name == name))
            .cloned();
        let Some(t) = t else {
            return SeedContent::Text { text: name.to_string() };
        };
        let ar = t.language == "ar";
        let params: Vec<String> = match name {
            "order_confirmation" => {
                let total = self.rng.gen_range(3000..90000) as f64 / 100.0;
                let currency = match (ar, p.currency) {
                    (true, "SAR") => "ريال",
                    (true, "AED") => "درهم",
                    (_, c) => c,
                };
                vec![format!("#{}", self.rng.gen_range(10000..99999)), format!("{total:.2} {currency}")]
            }
            "appointment_reminder" => {
                let days: [Bi; 4] = [
                    ("Sunday 4:00 PM", "الأحد ٤:٠٠ مساءً"),
                    ("Monday 10:30 AM", "الاثنين ١٠:٣٠ صباحاً"),
                    ("Wednesday 7:00 PM", "الأربعاء ٧:٠٠ مساءً"),
                    ("Thursday 11:00 AM", "الخميس ١١:٠٠ صباحاً"),
                ];
                let day = days[self.rng.gen_range(0..days.len())];
                vec![p.first_name.clone(), p.branch.to_string(), if ar { day.1 } else { day.0 }.to_string()]
            }
            "verification_code" => vec![format!("{:06}", self.rng.gen_range(0..1_000_000))],
            _ => (0..t.params_count).map(|_| p.first_name.clone()).collect(),
        };
        SeedContent::Template {
            rendered_body: render(&t.body, &params),
            header_link: t.header_type.is_media().then(|| t.header_sample_media_url.clone().unwrap_or_default()),
            name: t.name,
            language: t.language,
            params,
        }
    }

    fn near(&mut self, city: &str) -> (f64, f64) {
        let (lat, lng) = match city {
            "Riyadh" => (24.7136, 46.6753),
            "Jeddah" => (21.5433, 39.1728),
            "Dammam" => (26.4207, 50.0888),
            "Dubai" => (25.2048, 55.2708),
            "Abu Dhabi" => (24.4539, 54.3773),
            "London" => (51.5072, -0.1276),
            _ => (53.4808, -2.2426),
        };
        let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
        (round(lat + self.rng.gen_range(-0.05..0.05)), round(lng + self.rng.gen_range(-0.05..0.05)))
    }

    /// Statuses for a conversation's outbound messages: read before the customer next wrote,
    /// otherwise read or still delivered; everything to an undeliverable phone fails.
    fn deliver(&mut self, convo: &mut [SeedMessage], undeliverable: bool) {
        let now = self.now;
        for k in 0..convo.len() {
            let next_inbound = convo[k + 1..].iter().find(|m| m.direction == Direction::Inbound).map(|m| m.created_at);
            let sent_after = Duration::seconds(self.rng.gen_range(1..4));
            let delivered_after = Duration::seconds(self.rng.gen_range(1..20));
            let read_after = Duration::seconds(self.rng.gen_range(5..1800));
            let trailing_read = self.rng.gen_bool(0.65);
            let Some(d) = convo[k].delivery.as_mut() else { continue };
            let sent = d.queued_at + sent_after;
            if undeliverable {
                fail(d, sent, sent + Duration::seconds(2), "131026", "Message undeliverable");
                continue;
            }
            let delivered = sent + delivered_after;
            let read = match next_inbound {
                Some(n) => Some((delivered + read_after).min(n - Duration::seconds(1)).max(delivered)),
                None => trailing_read.then_some(delivered + read_after),
            };
            d.status = Status::Queued;
            for (at, status, slot) in [
                (Some(sent), Status::Sent, &mut d.sent_at),
                (Some(delivered), Status::Delivered, &mut d.delivered_at),
                (read, Status::Read, &mut d.read_at),
            ] {
                match at {
                    Some(at) if at <= now => {
                        *slot = Some(at);
                        d.status = status;
                    }
                    _ => break,
                }
            }
        }
    }

    /// What happened after a closed window: a re-engagement template for some, and for others a
    /// free-form follow-up that Meta refused with 131047.
    fn after_window(&mut self, p: &Person, last: DateTime<Utc>, undeliverable: bool, conversations: &mut u32) {
        let i = p.index;
        let closes = last + Duration::hours(24);
        let room = (self.now - closes).num_minutes();
        if i < OPEN + CLOSING || room < 120 || undeliverable {
            return;
        }
        if i.is_multiple_of(5) && i != OPTED_OUT_MARKETING && i != OPTED_OUT_ALL {
            let at = closes + Duration::minutes(self.rng.gen_range(30..room - 30));
            let content = self.template(p, "welcome_back");
            let mut convo = vec![self.make(p, Direction::Outbound, MessageType::Template, at, content)];
            self.deliver(&mut convo, false);
            self.messages.extend(convo);
            *conversations += 1;
        } else if i % 7 == 3 {
            let at = closes + Duration::minutes(self.rng.gen_range(5..room.min(180)));
            let content = SeedContent::Text { text: p.pick(corpus::LATE_FOLLOW_UP) };
            let mut m = self.make(p, Direction::Outbound, MessageType::Text, at, content);
            if let Some(d) = m.delivery.as_mut() {
                fail(d, at, at + Duration::seconds(1), "131047", "Re-engagement message");
                d.sent_at = None;
            }
            self.messages.push(m);
        }
    }

    fn customer(&self, p: &Person, conversations: u32) -> SeedCustomer {
        let mine = self.messages.iter().filter(|m| m.customer_phone == p.phone);
        let first = mine.clone().map(|m| m.created_at).min().unwrap_or(self.now);
        let last = mine.clone().map(|m| m.created_at).max().unwrap_or(self.now);
        let last_inbound = mine.filter(|m| m.direction == Direction::Inbound).map(|m| m.created_at).max();
        SeedCustomer {
            id: p.id,
            phone: p.phone.clone(),
            name: p.name.clone(),
            email: p.email.clone(),
            metadata: p.metadata.clone(),
            tags: p.tags.clone(),
            status: if p.index == BLOCKED { CustomerStatus::Blocked } else { CustomerStatus::Active },
            language: if p.arabic { "ar" } else { "en" }.into(),
            total_conversations: conversations,
            first_conversation_at: first,
            last_conversation_at: last,
            last_inbound_at: last_inbound,
        }
    }

    /// Flow sessions for every sixth customer: running ones where the window is open, two
    /// cancelled, the rest completed, each with the answers collected so far.
    fn flows(&mut self, people: &[Person], last_inbound: &[DateTime<Utc>]) -> (Vec<SeedFlowSession>, Vec<SeedCustomerResponse>) {
        let mut sessions = Vec::new();
        let mut responses = Vec::new();
        for p in people.iter().filter(|p| p.index % 6 == 1) {
            let i = p.index;
            let flow = &corpus::FLOWS[(i / 6) % corpus::FLOWS.len()];
            let running = i < OPEN && (i / 6) % 2 == 0;
            let cancelled = i == 25 || i == 49;
            let answered = if running || cancelled { 1 } else { flow.questions.len() };
            let id = 9001 + sessions.len() as i64;
            let started = last_inbound[i] - Duration::minutes(self.rng.gen_range(2..20));
            let mut data = serde_json::Map::new();
            for (k, (key, question, kind)) in flow.questions.iter().take(answered).enumerate() {
                let value = self.answer(p, key);
                data.insert((*key).to_string(), json!(value));
                let metadata = if *kind == "text" { json!({}) } else { json!({"option_id": value.to_lowercase().replace(' ', "_")}) };
                responses.push(SeedCustomerResponse {
                    customer_phone: p.phone.clone(),
                    flow_session_id: id,
                    question_key: (*key).into(),
                    question_text: p.pick(*question),
                    response_value: value,
                    response_type: (*kind).into(),
                    response_metadata: metadata,
                    created_at: started + Duration::minutes(k as i64 + 1),
                });
            }
            let last_interaction = started + Duration::minutes(answered as i64);
            sessions.push(SeedFlowSession {
                id,
                conversation_flow_id: flow.id,
                whatsapp_account_id: WEBHOOK_ACCOUNT_ID,
                customer_phone: p.phone.clone(),
                current_step_id: flow.first_step_id + answered as i64,
                session_data: Value::Object(data),
                started_at: started,
                last_interaction_at: last_interaction,
                expires_at: last_interaction + Duration::hours(24),
                is_completed: !running && !cancelled,
                ended_as: if running {
                    None
                } else if cancelled {
                    Some("cancelled".into())
                } else {
                    Some("completed".into())
                },
            });
        }
        (sessions, responses)
    }

    fn answer(&mut self, p: &Person, key: &str) -> String {
        match key {
            "name" => p.name.clone().unwrap_or_else(|| p.first_name.clone()),
            "preferred_branch" => p.branch.to_string(),
            "prescription_number" => format!("RX-{}", self.rng.gen_range(40000..49999)),
            "delivery_method" => ["delivery", "pickup"].choose(&mut self.rng).copied().unwrap_or("pickup").to_string(),
            "rating" => self.rng.gen_range(3..=5).to_string(),
            _ => p.pick(corpus::COMMENTS[self.rng.gen_range(0..corpus::COMMENTS.len())]),
        }
    }
}

fn is_inbound(step: &Step) -> bool {
    matches!(
        step,
        Step::InText(_)
            | Step::InImage(_)
            | Step::InVideo(_)
            | Step::InAudio
            | Step::InDocument(_)
            | Step::InLocation(_)
            | Step::InSticker
            | Step::InReaction(_)
    )
}

fn fail(d: &mut SeedDelivery, sent: DateTime<Utc>, failed: DateTime<Utc>, code: &str, reason: &str) {
    d.status = Status::Failed;
    d.sent_at = Some(sent);
    d.failed_at = Some(failed);
    d.failure_code = Some(code.into());
    d.failure_reason = Some(reason.into());
}

fn opt_outs(customers: &[SeedCustomer], now: DateTime<Utc>) -> Vec<SeedOptOut> {
    [(OPTED_OUT_MARKETING, "marketing", "keyword"), (OPTED_OUT_ALL, "all", "dashboard")]
        .into_iter()
        .filter_map(|(i, scope, source)| {
            let c = customers.get(i)?;
            Some(SeedOptOut {
                phone: c.phone.clone(),
                scope: scope.into(),
                source: source.into(),
                opted_out_at: (c.last_conversation_at + Duration::minutes(10)).min(now - Duration::minutes(1)),
            })
        })
        .collect()
}
