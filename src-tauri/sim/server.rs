//! What the handlers share, the router, the simulated `Date` header, and the ticker that moves
//! messages along while nobody is asking.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::{Request, State as AxState};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::clock::{http_date, SimClock};
use super::errors::ApiError;
use super::state::State;
use super::webhooks::Webhooks;
use super::{gate, routes_api, routes_control, SimConfig};

/// How often queued messages are moved along in real time.
const TICK: Duration = Duration::from_millis(200);

pub(crate) struct Shared {
    pub config: SimConfig,
    pub clock: SimClock,
    state: Mutex<State>,
    pub webhooks: Webhooks,
    pub shutdown: watch::Receiver<bool>,
}

impl Shared {
    pub fn new(config: SimConfig, shutdown: watch::Receiver<bool>) -> Self {
        let clock = SimClock::default();
        let state = State::new(&config, clock.now());
        let webhooks = Webhooks::new(config.webhook_url.clone(), config.webhook_secret.clone(), shutdown.clone());
        Shared { config, clock, state: Mutex::new(state), webhooks, shutdown }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere must not take the whole simulator down with a poisoned lock.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` on the state after every status step due by now has been applied, then hands the
    /// webhooks that caused to the sender. Every handler goes through here, so an answer never
    /// lags behind the clock.
    pub fn with_state<R>(&self, f: impl FnOnce(&mut State, DateTime<Utc>) -> R) -> R {
        let now = self.now();
        let mut state = self.lock();
        state.tick(now);
        let result = f(&mut state, now);
        // Queued under the lock, so webhooks leave in the order their causes happened.
        for event in &state.take_events() {
            self.webhooks.push(event);
        }
        result
    }
}

pub(crate) fn router(shared: Arc<Shared>, control_routes: bool) -> Router {
    let api = Router::new()
        .route("/api/health", get(routes_api::health))
        .route("/api/v1/messages/send", post(routes_api::send))
        .route("/api/v1/messages/{id}", get(routes_api::message_status))
        .route("/api/v1/templates", get(routes_api::templates))
        .route("/api/v1/opt-outs", post(routes_api::add_opt_out).get(routes_api::list_opt_outs))
        .route("/api/v1/opt-outs/{phone}", get(routes_api::get_opt_out).delete(routes_api::remove_opt_out))
        .route("/api/crm/{customer}/session-status", get(routes_api::session_status))
        .route("/api/{*rest}", any(not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .route_layer(middleware::from_fn_with_state(shared.clone(), gate::api_gate))
        .with_state(shared.clone());
    let mut app = api;
    if control_routes {
        let control = Router::new()
            .route("/_sim/inbound", post(routes_control::inbound))
            .route("/_sim/flow", post(routes_control::flow))
            .route("/_sim/clock", post(routes_control::clock))
            .route(
                "/_sim/faults",
                post(routes_control::set_faults).delete(routes_control::clear_faults).get(routes_control::show_faults),
            )
            .route("/_sim/sends", get(routes_control::sends))
            .route("/_sim/state", get(routes_control::state))
            .method_not_allowed_fallback(method_not_allowed)
            .with_state(shared.clone());
        app = app.merge(control);
    }
    app.fallback(not_found).layer(middleware::from_fn_with_state(shared, date_header))
}

async fn not_found() -> Response {
    ApiError::new("NOT_FOUND").message("No such route.").into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::custom("METHOD_NOT_ALLOWED", StatusCode::METHOD_NOT_ALLOWED)
        .message("This method is not allowed on this route.")
        .into_response()
}

/// Every response carries the simulated time, so clients correcting their clock by `Date` follow
/// the simulator's clock.
async fn date_header(AxState(shared): AxState<Arc<Shared>>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    if let Ok(value) = HeaderValue::from_str(&http_date(shared.now())) {
        response.headers_mut().insert(header::DATE, value);
    }
    response
}

pub(crate) async fn tick_forever(shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    let mut interval = tokio::time::interval(TICK);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = interval.tick() => shared.with_state(|_, _| ()),
            _ = shutdown.wait_for(|stop| *stop) => return,
        }
    }
}
