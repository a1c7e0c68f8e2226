//! Everything the simulator remembers, and how accepted messages move on its clock.
//!
//! A message is dispatched when accepted (or at its `scheduled_at`); its fate is decided then:
//! free-form with the window closed fails with 131047, a phone ending in `000` fails delivery with
//! 131026, anything else is read in the end. Steps fall due at dispatch +1 s (sent, or the 131047
//! failure), +3 s (delivered, or the 131026 failure) and +6 s (read), and [`State::tick`] applies
//! every step due by "now", however far the clock jumped, emitting one status webhook per step
//! stamped with the step's own time.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use super::clock::iso;
use super::events;
use super::faults::Faults;
use super::ids;
use super::seed::{self, SeedData, SeedTemplate};
use super::SimConfig;
use crate::domain::category::Category;
use crate::domain::clock::ClockOffset;
use crate::domain::message_type::{Direction, MessageType};
use crate::domain::phone::Phone;
use crate::domain::status::{transition, Status, Transition};
use crate::domain::template::is_approved;
use crate::domain::window::{window_state, WindowPhase};

pub(crate) const RE_ENGAGEMENT: (i64, &str) = (131047, "Re-engagement message");
pub(crate) const UNDELIVERABLE: (i64, &str) = (131026, "Message undeliverable");

/// Numeric `message_log_id`s start above this, clear of the seeded ones.
const NUMERIC_ID_BASE: u64 = 50_000;

#[derive(Debug, Clone, Default)]
pub(crate) struct Customer {
    pub name: Option<String>,
    /// Times of the customer's inbound messages, ascending.
    pub inbound_at: Vec<DateTime<Utc>>,
}

impl Customer {
    /// The newest inbound message at or before `at`.
    pub fn last_inbound_at(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.inbound_at.iter().rev().find(|t| **t <= at).copied()
    }

    fn add_inbound(&mut self, at: DateTime<Utc>) {
        let pos = self.inbound_at.partition_point(|t| *t <= at);
        self.inbound_at.insert(pos, at);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Deliver,
    ReEngagement,
    Undeliverable,
}

#[derive(Debug, Clone)]
pub(crate) struct Outbound {
    pub log_id: String,
    /// Whether `message_log_id` is shown as a JSON number.
    pub numeric_id: bool,
    pub to: String,
    pub kind: MessageType,
    pub cost: f64,
    pub created_at: DateTime<Utc>,
    pub dispatch_at: DateTime<Utc>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub status: Status,
    pub outcome: Option<Outcome>,
    pub meta_message_id: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub error: Option<(i64, String)>,
    /// Seeded history stays as it was generated.
    pub progresses: bool,
}

impl Outbound {
    pub fn log_id_json(&self) -> Value {
        match (self.numeric_id, self.log_id.parse::<u64>()) {
            (true, Ok(n)) => json!(n),
            _ => json!(self.log_id),
        }
    }

    /// `GET /api/v1/messages/{id}`.
    pub fn status_json(&self) -> Value {
        json!({
            "message_log_id": self.log_id_json(),
            "status": self.status.as_str(),
            "to_phone": self.to,
            "message_type": self.kind.as_str(),
            "meta_message_id": self.meta_message_id,
            "sent_at": self.sent_at.map(iso),
            "scheduled_at": self.scheduled_at.map(iso),
            "cost_amount": self.cost,
            "cost_currency": "SAR",
            "error_message": self.error.as_ref().map(|(code, title)| format!("{title} ({code})")),
            "created_at": iso(self.created_at),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Marketing,
    All,
}

impl Scope {
    pub fn parse(s: &str) -> Option<Scope> {
        match s.trim().to_ascii_lowercase().as_str() {
            "marketing" => Some(Scope::Marketing),
            "all" => Some(Scope::All),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Marketing => "marketing",
            Scope::All => "all",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct OptOut {
    pub scope: Scope,
    pub source: String,
    pub opted_out_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub(crate) struct SendRecord {
    pub idempotency_key: Option<String>,
    pub message_log_id: Value,
    pub phone: String,
    pub message_type: MessageType,
    pub accepted_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub(crate) struct FlowSession {
    pub id: i64,
    pub flow_id: i64,
    pub customer_phone: String,
    pub current_step_id: Option<i64>,
    pub session_data: Value,
    pub started_at: DateTime<Utc>,
    pub last_interaction_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub is_completed: bool,
    pub ended: bool,
}

impl FlowSession {
    /// The documented session model's fields.
    pub fn json(&self) -> Value {
        json!({
            "session_id": self.id,
            "conversation_flow_id": self.flow_id,
            "whatsapp_account_id": events::WEBHOOK_ACCOUNT_ID,
            "customer_phone": self.customer_phone,
            "current_step_id": self.current_step_id,
            "session_data": self.session_data,
            "started_at": iso(self.started_at),
            "last_interaction_at": iso(self.last_interaction_at),
            "expires_at": iso(self.expires_at),
            "is_completed": self.is_completed,
        })
    }
}

/// The fixed per-minute window of the rate limit, on the real clock.
#[derive(Debug)]
pub(crate) struct RateWindow {
    started: Instant,
    used: u32,
}

impl RateWindow {
    fn roll(&mut self) {
        if self.started.elapsed() >= std::time::Duration::from_secs(60) {
            self.started = Instant::now();
            self.used = 0;
        }
    }

    /// Counts one request; `Err` when the minute's budget is spent. `Ok` holds what is left.
    pub fn take(&mut self, limit: u32) -> Result<u32, ()> {
        self.roll();
        if self.used >= limit {
            return Err(());
        }
        self.used += 1;
        Ok(limit - self.used)
    }

    pub fn remaining(&mut self, limit: u32) -> u32 {
        self.roll();
        limit.saturating_sub(self.used)
    }
}

/// A send that passed validation.
#[derive(Debug, Clone)]
pub(crate) struct ValidSend {
    pub phone: Phone,
    pub kind: MessageType,
    pub category: Category,
    pub scheduled_at: Option<DateTime<Utc>>,
}

pub(crate) struct State {
    pub rng: ChaCha8Rng,
    pub customers: BTreeMap<String, Customer>,
    pub inbound_count: usize,
    pub outbound: Vec<Outbound>,
    by_log_id: HashMap<String, usize>,
    pub templates: Vec<SeedTemplate>,
    pub opt_outs: BTreeMap<String, OptOut>,
    pub sends: Vec<SendRecord>,
    /// The `data` first answered for each `Idempotency-Key` that was accepted.
    pub replies: HashMap<String, Value>,
    /// Requests seen per `Idempotency-Key`, accepted or not.
    pub attempts: HashMap<String, u32>,
    pub flows: Vec<FlowSession>,
    pub faults: Faults,
    pub rate: RateWindow,
    send_seq: u64,
    /// Webhooks caused by the current operation, with the simulated time they happened.
    events: Vec<(DateTime<Utc>, Value)>,
}

impl State {
    pub fn new(config: &SimConfig, now: DateTime<Utc>) -> State {
        let mut state = State {
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            customers: BTreeMap::new(),
            inbound_count: 0,
            outbound: Vec::new(),
            by_log_id: HashMap::new(),
            templates: seed::template_catalogue(),
            opt_outs: BTreeMap::new(),
            sends: Vec::new(),
            replies: HashMap::new(),
            attempts: HashMap::new(),
            flows: Vec::new(),
            faults: Faults::default(),
            rate: RateWindow { started: Instant::now(), used: 0 },
            send_seq: 0,
            events: Vec::new(),
        };
        if config.seed_data {
            state.load(&seed::generate(now, config.seed));
        }
        state
    }

    fn load(&mut self, data: &SeedData) {
        for c in &data.customers {
            self.customers.insert(c.phone.clone(), Customer { name: c.name.clone(), inbound_at: Vec::new() });
        }
        for m in &data.messages {
            let customer = self.customers.entry(m.customer_phone.clone()).or_default();
            if m.direction == Direction::Inbound {
                customer.add_inbound(m.created_at);
                self.inbound_count += 1;
                continue;
            }
            let Some(d) = &m.delivery else { continue };
            let numeric_id = d.message_log_id.bytes().all(|b| b.is_ascii_digit());
            let error = match (&d.failure_code, &d.failure_reason) {
                (Some(code), Some(reason)) => Some((code.parse().unwrap_or(0), reason.clone())),
                _ => None,
            };
            self.push_outbound(Outbound {
                log_id: d.message_log_id.clone(),
                numeric_id,
                to: m.customer_phone.clone(),
                kind: m.kind,
                cost: d.cost,
                created_at: m.created_at,
                dispatch_at: m.created_at,
                scheduled_at: None,
                status: d.status,
                outcome: None,
                meta_message_id: m.wamid.clone().filter(|_| d.sent_at.is_some() || error.is_some()),
                sent_at: d.sent_at,
                error,
                progresses: false,
            });
        }
        for o in &data.opt_outs {
            if let Some(scope) = Scope::parse(&o.scope) {
                self.opt_outs
                    .insert(o.phone.clone(), OptOut { scope, source: o.source.clone(), opted_out_at: o.opted_out_at });
            }
        }
        for s in &data.flow_sessions {
            self.flows.push(FlowSession {
                id: s.id,
                flow_id: s.conversation_flow_id,
                customer_phone: s.customer_phone.clone(),
                current_step_id: Some(s.current_step_id),
                session_data: s.session_data.clone(),
                started_at: s.started_at,
                last_interaction_at: s.last_interaction_at,
                expires_at: s.expires_at,
                is_completed: s.is_completed,
                ended: s.ended_as.is_some(),
            });
        }
    }

    fn push_outbound(&mut self, o: Outbound) {
        self.by_log_id.insert(o.log_id.clone(), self.outbound.len());
        self.outbound.push(o);
    }

    pub fn message(&self, log_id: &str) -> Option<&Outbound> {
        self.by_log_id.get(log_id.trim()).and_then(|i| self.outbound.get(*i))
    }

    pub fn approved_templates(&self) -> impl Iterator<Item = &SeedTemplate> {
        self.templates.iter().filter(|t| is_approved(&t.status))
    }

    /// Records an accepted send and answers its 202 `data`.
    pub fn accept(&mut self, send: ValidSend, now: DateTime<Utc>, key: Option<String>) -> Value {
        self.send_seq += 1;
        // Even sends get a number, odd ones a ULID string: the docs show both and clients must
        // treat the id as opaque.
        let numeric_id = self.send_seq.is_multiple_of(2);
        let log_id = if numeric_id { (NUMERIC_ID_BASE + self.send_seq).to_string() } else { ids::ulid(now, &mut self.rng) };
        let to = send.phone.digits().to_string();
        self.customers.entry(to.clone()).or_default();
        let outcome = match send.scheduled_at {
            Some(_) => None,
            None => Some(outcome_for(&self.customers, &to, send.kind, now)),
        };
        let outbound = Outbound {
            log_id,
            numeric_id,
            to: to.clone(),
            kind: send.kind,
            cost: seed::cost_for(send.category),
            created_at: now,
            dispatch_at: send.scheduled_at.unwrap_or(now),
            scheduled_at: send.scheduled_at,
            status: if send.scheduled_at.is_some() { Status::Scheduled } else { Status::Queued },
            outcome,
            meta_message_id: None,
            sent_at: None,
            error: None,
            progresses: true,
        };
        let data = json!({
            "status": outbound.status.as_str(),
            "message_log_id": outbound.log_id_json(),
            "conversation_category": send.category.as_str(),
            "cost": outbound.cost,
            "scheduled_at": send.scheduled_at.map(iso),
        });
        self.sends.push(SendRecord {
            idempotency_key: key.clone(),
            message_log_id: outbound.log_id_json(),
            phone: to,
            message_type: send.kind,
            accepted_at: now,
        });
        self.push_outbound(outbound);
        if let Some(k) = key {
            self.replies.insert(k, data.clone());
        }
        data
    }

    /// Applies every status step due by `now` and queues their webhooks.
    pub fn tick(&mut self, now: DateTime<Utc>) {
        let State { outbound, customers, rng, events, .. } = self;
        for m in outbound.iter_mut().filter(|m| m.progresses) {
            loop {
                let step = match (m.status, m.outcome) {
                    (Status::Scheduled, _) => (m.dispatch_at, Status::Queued),
                    (Status::Queued, Some(Outcome::ReEngagement)) => (m.dispatch_at + Duration::seconds(1), Status::Failed),
                    (Status::Queued, _) => (m.dispatch_at + Duration::seconds(1), Status::Sent),
                    (Status::Sent, Some(Outcome::Undeliverable)) => (m.dispatch_at + Duration::seconds(3), Status::Failed),
                    (Status::Sent, _) => (m.dispatch_at + Duration::seconds(3), Status::Delivered),
                    (Status::Delivered, _) => (m.dispatch_at + Duration::seconds(6), Status::Read),
                    _ => break,
                };
                let (at, next) = step;
                if at > now || transition(m.status, next) != Transition::Apply {
                    break;
                }
                m.status = next;
                if next == Status::Queued {
                    // A scheduled message meets the window as it is when it goes out.
                    m.outcome = Some(outcome_for(customers, &m.to, m.kind, at));
                    continue;
                }
                let wamid = m.meta_message_id.get_or_insert_with(|| ids::wamid(&m.to, rng)).clone();
                let error = match (next, m.outcome) {
                    (Status::Failed, Some(Outcome::ReEngagement)) => Some(RE_ENGAGEMENT),
                    (Status::Failed, _) => Some(UNDELIVERABLE),
                    _ => None,
                };
                if next == Status::Sent {
                    m.sent_at = Some(at);
                }
                m.error = error.map(|(c, t)| (c, t.to_string()));
                events.push((at, events::status_updated(at, &wamid, next, &m.to, error)));
            }
        }
    }

    /// Records an inbound customer message (it opens the window) and queues `message.received`.
    pub fn record_inbound(
        &mut self,
        phone: &Phone,
        name: Option<String>,
        kind: MessageType,
        content: &str,
        at: DateTime<Utc>,
    ) -> String {
        let wa_message_id = ids::wamid(phone.digits(), &mut self.rng);
        let customer = self.customers.entry(phone.digits().to_string()).or_default();
        if name.is_some() {
            customer.name = name;
        }
        customer.add_inbound(at);
        self.inbound_count += 1;
        let sender = customer.name.clone();
        let payload = events::received(at, &wa_message_id, phone.digits(), sender.as_deref(), kind, content);
        self.events.push((at, payload));
        wa_message_id
    }

    pub fn push_event(&mut self, at: DateTime<Utc>, payload: Value) {
        self.events.push((at, payload));
    }

    /// The webhooks caused since the last call, oldest first.
    pub fn take_events(&mut self) -> Vec<Value> {
        let mut events = std::mem::take(&mut self.events);
        events.sort_by_key(|(at, _)| *at);
        events.into_iter().map(|(_, e)| e).collect()
    }

    /// The bare `GET /api/crm/{customer}/session-status` object; `None` for an unknown customer.
    pub fn session_status(&self, phone: &str, now: DateTime<Utc>) -> Option<Value> {
        let customer = self.customers.get(phone)?;
        let last = customer.last_inbound_at(now);
        let w = window_state(last, None, now, ClockOffset::default());
        let templates: Vec<Value> = if w.active {
            Vec::new()
        } else {
            self.approved_templates()
                .map(|t| json!({"id": t.id, "name": t.name, "language": t.language, "body": t.body, "param_count": t.params_count}))
                .collect()
        };
        Some(json!({
            "window_active": w.active,
            "last_inbound_at": last.map(iso),
            "expires_at": w.expires_at.map(iso),
            "remaining_minutes": w.remaining_minutes,
            "templates": templates,
        }))
    }

    /// Counts for `/_sim/state`.
    pub fn summary(&self, now: DateTime<Utc>) -> Value {
        let mut windows = BTreeMap::from([("open", 0), ("closing", 0), ("closed", 0), ("never_opened", 0)]);
        for c in self.customers.values() {
            let phase = window_state(c.last_inbound_at(now), None, now, ClockOffset::default()).phase;
            let key = match phase {
                WindowPhase::Open => "open",
                WindowPhase::Closing => "closing",
                WindowPhase::Closed => "closed",
                WindowPhase::NeverOpened => "never_opened",
            };
            *windows.entry(key).or_default() += 1;
        }
        let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
        for m in &self.outbound {
            *statuses.entry(m.status.as_str()).or_default() += 1;
        }
        json!({
            "customers": self.customers.len(),
            "inbound_messages": self.inbound_count,
            "outbound_messages": self.outbound.len(),
            "outbound_by_status": statuses,
            "windows": windows,
            "templates": self.templates.len(),
            "opt_outs": self.opt_outs.len(),
            "flow_sessions": self.flows.len(),
            "sends": self.sends.len(),
        })
    }
}

/// How a message dispatched at `at` will end.
fn outcome_for(customers: &BTreeMap<String, Customer>, phone: &str, kind: MessageType, at: DateTime<Utc>) -> Outcome {
    let last = customers.get(phone).and_then(|c| c.last_inbound_at(at));
    let window_open = window_state(last, None, at, ClockOffset::default()).active;
    if kind != MessageType::Template && !window_open {
        Outcome::ReEngagement
    } else if phone.ends_with("000") {
        Outcome::Undeliverable
    } else {
        Outcome::Deliver
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
    }

    fn state() -> State {
        State::new(&SimConfig::default(), t0())
    }

    fn send(phone: &str, kind: MessageType) -> ValidSend {
        let category = if kind == MessageType::Template { Category::Utility } else { Category::Service };
        ValidSend { phone: Phone::parse(phone).unwrap(), kind, category, scheduled_at: None }
    }

    fn status_of(s: &State, data: &Value) -> Status {
        let id = match &data["message_log_id"] {
            Value::Number(n) => n.to_string(),
            v => v.as_str().unwrap().to_string(),
        };
        s.message(&id).unwrap().status
    }

    #[test]
    fn inside_the_window_a_text_reaches_read_on_schedule() {
        let mut s = state();
        let p = Phone::parse("966501234567").unwrap();
        s.record_inbound(&p, Some("Sara".into()), MessageType::Text, "hi", t0());
        s.take_events();
        let data = s.accept(send("966501234567", MessageType::Text), t0(), None);
        assert_eq!(data["status"], "queued");
        for (secs, expected) in [(0, Status::Queued), (1, Status::Sent), (3, Status::Delivered), (6, Status::Read)] {
            s.tick(t0() + Duration::seconds(secs));
            assert_eq!(status_of(&s, &data), expected, "at +{secs}s");
        }
        let events = s.take_events();
        let statuses: Vec<_> = events.iter().map(|e| e["status"].as_str().unwrap().to_string()).collect();
        assert_eq!(statuses, ["sent", "delivered", "read"]);
    }

    #[test]
    fn a_clock_jump_applies_every_step_at_once_in_order() {
        let mut s = state();
        let p = Phone::parse("966501234567").unwrap();
        s.record_inbound(&p, None, MessageType::Text, "hi", t0());
        s.take_events();
        let data = s.accept(send("966501234567", MessageType::Text), t0(), None);
        s.tick(t0() + Duration::hours(1));
        assert_eq!(status_of(&s, &data), Status::Read);
        let events = s.take_events();
        assert_eq!(events.len(), 3);
        assert_eq!(events[0]["timestamp"], "2026-03-01T12:00:01+00:00", "stamped with the step's own time");
    }

    #[test]
    fn free_form_outside_the_window_fails_with_131047_but_templates_go() {
        let mut s = state();
        let p = Phone::parse("966501234567").unwrap();
        s.record_inbound(&p, None, MessageType::Text, "hi", t0());
        let later = t0() + Duration::hours(24);
        let text = s.accept(send("966501234567", MessageType::Text), later, None);
        let tpl = s.accept(send("966501234567", MessageType::Template), later, None);
        s.tick(later + Duration::seconds(10));
        assert_eq!(status_of(&s, &text), Status::Failed);
        assert_eq!(status_of(&s, &tpl), Status::Read);
        let failed = s.outbound.iter().find(|m| m.status == Status::Failed).unwrap();
        assert_eq!(failed.error.as_ref().unwrap().0, 131047);
        assert!(failed.sent_at.is_none());
        assert!(failed.meta_message_id.is_some(), "status webhooks need a wamid");
    }

    #[test]
    fn phones_ending_in_000_fail_delivery() {
        let mut s = state();
        let tpl = s.accept(send("966501234000", MessageType::Template), t0(), None);
        s.tick(t0() + Duration::seconds(10));
        assert_eq!(status_of(&s, &tpl), Status::Failed);
        let m = s.outbound.last().unwrap();
        assert_eq!(m.error.as_ref().unwrap().0, 131026);
        assert!(m.sent_at.is_some());
    }

    #[test]
    fn a_scheduled_text_meets_the_window_when_it_goes_out() {
        let mut s = state();
        let p = Phone::parse("966501234567").unwrap();
        s.record_inbound(&p, None, MessageType::Text, "hi", t0());
        let mut v = send("966501234567", MessageType::Text);
        v.scheduled_at = Some(t0() + Duration::hours(30));
        let data = s.accept(v, t0(), None);
        assert_eq!(data["status"], "scheduled");
        s.tick(t0() + Duration::hours(29));
        assert_eq!(status_of(&s, &data), Status::Scheduled);
        s.tick(t0() + Duration::hours(31));
        assert_eq!(status_of(&s, &data), Status::Failed);
    }

    #[test]
    fn ids_alternate_between_strings_and_numbers() {
        let mut s = state();
        let a = s.accept(send("966501234567", MessageType::Template), t0(), None);
        let b = s.accept(send("966501234567", MessageType::Template), t0(), None);
        assert!(a["message_log_id"].is_string());
        assert!(b["message_log_id"].is_u64());
    }

    #[test]
    fn rate_window_counts_down_and_refuses() {
        let mut r = RateWindow { started: Instant::now(), used: 0 };
        assert_eq!(r.take(2), Ok(1));
        assert_eq!(r.take(2), Ok(0));
        assert_eq!(r.take(2), Err(()));
        assert_eq!(r.remaining(2), 0);
    }

    #[test]
    fn seeded_state_answers_from_seed() {
        let config = SimConfig { seed_data: true, ..SimConfig::default() };
        let s = State::new(&config, t0());
        assert!(s.customers.len() >= 60);
        let seeded = s.outbound.first().unwrap();
        assert_eq!(s.message(&seeded.log_id).unwrap().log_id, seeded.log_id);
        assert!(s.opt_outs.values().any(|o| o.scope == Scope::All));
    }
}
