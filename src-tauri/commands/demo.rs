//! Demo mode: the simulator runs inside the app on a free loopback port, a demo account points at
//! it, and its seeded history is loaded into a separate archive (`<data>/demo`), so demo data never
//! mixes with a real account's.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::Utc;
use uuid::Uuid;

use super::error::{AppError, ErrorCode};
use super::live::{Live, LiveConfig};
use crate::sync::events::Notify;
use crate::domain::message_type::Direction;
use crate::domain::phone::Phone;
use crate::domain::status::Status;
use crate::sim::seed::{self, SeedContent, SeedData};
use crate::sim::{SimConfig, SimHandle};
use crate::store::accounts::{self, NewAccount, NewNumber};
use crate::store::conversations::{ensure_conversation, mark_number_read};
use crate::store::customers::{set_opt_out, set_profile, set_tags_in, upsert_customer, CustomerProfile};
use crate::store::flows::{insert_flow_session, insert_response, FlowSessionRow, ResponseRow};
use crate::store::messages::{insert_message_in, set_delivery_in, Accepted, Content, DeliveryRecord, NewMessage};
use crate::store::templates::{replace_templates, TemplateRow};
use crate::store::Store;

/// The demo archive's folder inside the real data folder.
pub const DEMO_DIR: &str = "demo";

/// A running demo: its archive, its simulator, its account, and the live connection between them
/// (the simulator's signed webhooks reach the demo's own receiver, like the real service's would).
pub struct DemoSession {
    pub store: Arc<Store>,
    pub sim: SimHandle,
    pub account_id: i64,
    pub live: Live,
}

impl DemoSession {
    pub async fn stop(self) {
        self.live.stop().await;
        self.sim.shutdown().await;
        self.store.checkpoint().await;
        self.store.pool().close().await;
    }
}

/// Starts the simulator and opens (seeding on first use) the demo archive.
pub async fn start(data_dir: &Path, notify: Notify) -> Result<DemoSession, AppError> {
    let store = Arc::new(Store::open(&data_dir.join(DEMO_DIR)).await?);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(unavailable)?;
    let sim_url = format!("http://{}", listener.local_addr().map_err(unavailable)?);
    let now = Utc::now();
    let account_id = prepare(&store, &sim_url, now).await?;
    // The demo's key and secret are not secrets: they exist only between the app and its simulator.
    let secret = format!("demo-{}", Uuid::new_v4());
    let live = Live::start(
        store.clone(),
        LiveConfig {
            account_id,
            base_url: sim_url,
            api_key: SimConfig::default().api_key,
            tenant_id: None,
            webhook_secret: Some(secret.clone()),
            allow_unsigned: false,
            listen: "127.0.0.1:0".parse().expect("loopback address"),
            engine: None,
        },
        notify,
    )
    .await?;
    let config = SimConfig { seed_data: true, webhook_url: live.receiver_url(), webhook_secret: Some(secret), ..SimConfig::default() };
    let sim = match crate::sim::start(config, listener).await {
        Ok(sim) => sim,
        Err(e) => {
            live.stop().await;
            return Err(unavailable(e));
        }
    };
    Ok(DemoSession { store, sim, account_id, live })
}

/// The demo account, seeded on first use, pointed at this run's simulator.
async fn prepare(store: &Store, sim_url: &str, now: chrono::DateTime<Utc>) -> Result<i64, AppError> {
    let config = SimConfig::default();

    match accounts::current_account(store.pool()).await? {
        Some(a) if a.is_demo => {
            accounts::set_base_url(store.pool(), a.id, sim_url, now).await?;
            Ok(a.id)
        }
        Some(_) => Err(AppError::new(
            ErrorCode::DemoUnavailable,
            "The demo folder holds a real account, so the demo cannot use it. Nothing was changed.",
        )),
        None => {
            let data = seed::generate(now, config.seed);
            import(store, &data, sim_url, &config.number_api_id).await
        }
    }
}

fn unavailable(e: std::io::Error) -> AppError {
    AppError::new(ErrorCode::DemoUnavailable, format!("The demo could not start its simulator ({e})."))
}

/// Loads the simulator's seeded history into the demo archive in one transaction.
pub async fn import(store: &Store, data: &SeedData, base_url: &str, number_api_id: &str) -> Result<i64, AppError> {
    let now = Utc::now();
    let pool = store.pool();
    let mut tx = crate::store::write_tx(pool).await?;
    let account_id = accounts::insert_account(
        &mut *tx,
        &NewAccount { name: format!("{} (demo)", data.business.name), base_url: base_url.into(), tenant_id: None, is_demo: true },
        now,
    )
    .await?;
    let number_id = accounts::insert_number(
        &mut *tx,
        &NewNumber {
            account_id,
            api_id: number_api_id.into(),
            display_name: data.business.name.clone(),
            phone: Some(data.business.display_phone.clone()),
        },
        now,
    )
    .await?;
    accounts::link_webhook_id(&mut *tx, number_id, data.business.whatsapp_account_id).await?;

    let mut customers: HashMap<String, (i64, i64)> = HashMap::new();
    for c in &data.customers {
        let phone = Phone::parse(&c.phone).map_err(AppError::from)?;
        let id = upsert_customer(&mut *tx, account_id, &phone, c.name.as_deref(), now).await?;
        set_profile(
            &mut *tx,
            id,
            &CustomerProfile {
                remote_id: Some(c.id),
                email: c.email.clone(),
                metadata: c.metadata.clone(),
                blocked: matches!(c.status, seed::CustomerStatus::Blocked),
                total_conversations: i64::from(c.total_conversations),
                first_conversation_at: Some(c.first_conversation_at),
                last_conversation_at: Some(c.last_conversation_at),
            },
            now,
        )
        .await?;
        set_tags_in(&mut tx, id, &c.tags).await?;
        let conversation = ensure_conversation(&mut *tx, number_id, id, now).await?;
        customers.insert(phone.digits().to_string(), (id, conversation));
    }
    for o in &data.opt_outs {
        if let Some((id, _)) = Phone::parse(&o.phone).ok().and_then(|p| customers.get(p.digits())) {
            set_opt_out(&mut *tx, *id, Some(&o.scope), Some(&o.source), Some(o.opted_out_at), now).await?;
        }
    }

    let mut by_wamid: HashMap<String, i64> = HashMap::new();
    let mut messages: Vec<_> = data.messages.iter().collect();
    messages.sort_by_key(|m| m.created_at);
    for m in messages {
        let Some(&(_, conversation_id)) = Phone::parse(&m.customer_phone).ok().and_then(|p| customers.get(p.digits()).copied()).as_ref() else {
            continue;
        };
        let content = match &m.content {
            SeedContent::Text { text } => Content::Text { text: text.clone() },
            SeedContent::Media { caption, filename, mime, link, placeholder } => Content::Media {
                kind: m.kind,
                caption: caption.clone(),
                filename: filename.clone(),
                mime: mime.clone(),
                link: link.clone(),
                placeholder: placeholder.clone(),
            },
            SeedContent::Template { name, language, params, header_link, rendered_body } => Content::Template {
                name: name.clone(),
                language: language.clone(),
                params: params.clone(),
                header_link: header_link.clone(),
                rendered_body: rendered_body.clone(),
            },
            SeedContent::Interactive { payload } => Content::Interactive { payload: payload.clone() },
            SeedContent::Location { lat, lng, name, address } => {
                Content::Location { lat: *lat, lng: *lng, name: name.clone(), address: address.clone() }
            }
            SeedContent::Reaction { emoji, to_wamid } => Content::Reaction {
                emoji: emoji.clone(),
                to_id: to_wamid.as_ref().and_then(|w| by_wamid.get(w).copied()),
                to_wamid: to_wamid.clone(),
            },
        };
        let outbound = m.direction == Direction::Outbound;
        let id = insert_message_in(
            &mut tx,
            &NewMessage {
                local_id: if m.local_id.is_nil() { Uuid::new_v4() } else { m.local_id },
                conversation_id,
                direction: m.direction,
                created_at: m.created_at,
                content,
                status: outbound.then_some(Status::Pending),
                wamid: m.wamid.clone(),
            },
        )
        .await?;
        if let Some(w) = &m.wamid {
            by_wamid.insert(w.clone(), id);
        }
        if let Some(d) = &m.delivery {
            set_delivery_in(
                &mut tx,
                id,
                &DeliveryRecord {
                    status: d.status,
                    accepted: Accepted {
                        message_log_id: d.message_log_id.clone(),
                        category: Some(d.category.as_str().to_string()),
                        cost: Some(d.cost),
                        cost_currency: Some(d.cost_currency.clone()),
                    },
                    queued_at: Some(d.queued_at),
                    sent_at: d.sent_at,
                    delivered_at: d.delivered_at,
                    read_at: d.read_at,
                    failed_at: d.failed_at,
                    failure_code: d.failure_code.clone(),
                    failure_reason: d.failure_reason.clone(),
                },
            )
            .await?;
        }
    }
    // Demo history has been read already: only what arrives from now on is unread.
    mark_number_read(&mut *tx, number_id).await?;

    let mut sessions: HashMap<i64, i64> = HashMap::new();
    for s in &data.flow_sessions {
        let customer_id = Phone::parse(&s.customer_phone).ok().and_then(|p| customers.get(p.digits()).map(|c| c.0));
        let id = insert_flow_session(
            &mut *tx,
            &FlowSessionRow {
                account_id,
                remote_id: Some(s.id),
                conversation_flow_id: Some(s.conversation_flow_id),
                whatsapp_account_id: Some(s.whatsapp_account_id),
                number_id: Some(number_id),
                customer_phone: s.customer_phone.clone(),
                customer_id,
                current_step_id: Some(s.current_step_id),
                session_data: Some(s.session_data.clone()),
                started_at: Some(s.started_at),
                last_interaction_at: Some(s.last_interaction_at),
                expires_at: Some(s.expires_at),
                is_completed: Some(s.is_completed),
                ended_as: s.ended_as.clone(),
            },
            now,
        )
        .await?;
        sessions.insert(s.id, id);
    }
    for r in &data.customer_responses {
        let Some(customer_id) = Phone::parse(&r.customer_phone).ok().and_then(|p| customers.get(p.digits()).map(|c| c.0)) else {
            continue;
        };
        insert_response(
            &mut *tx,
            &ResponseRow {
                customer_id,
                flow_session_id: sessions.get(&r.flow_session_id).copied(),
                question_key: r.question_key.clone(),
                question_text: Some(r.question_text.clone()),
                response_value: Some(r.response_value.clone()),
                response_type: Some(r.response_type.clone()),
                response_metadata: r.response_metadata.clone(),
                created_at: r.created_at,
            },
        )
        .await?;
    }
    tx.commit().await.map_err(crate::store::StoreError::from)?;

    let templates: Vec<TemplateRow> = data
        .templates
        .iter()
        .map(|t| TemplateRow {
            name: t.name.clone(),
            language: t.language.clone(),
            category: Some(t.category.as_str().to_string()),
            status: t.status.clone(),
            params_count: t.params_count,
            body: t.body.clone(),
            header_type: t.header_type.as_str().to_string(),
            header_text: t.header.clone(),
            header_sample_media_url: t.header_sample_media_url.clone(),
            footer: t.footer.clone(),
        })
        .collect();
    replace_templates(pool, number_id, &templates, now).await?;
    Ok(account_id)
}
