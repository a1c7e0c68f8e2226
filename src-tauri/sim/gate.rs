//! What stands in front of every `/api/*` route: injected faults first (as a gateway would
//! produce them), then the API key, then the per-minute rate limit, and the
//! `X-RateLimit-*` headers on the way out. `/api/health` needs no key and is not counted.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State as AxState};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::auth;
use super::errors::ApiError;
use super::faults::RequestFault;
use super::server::Shared;

const HEALTH: &str = "/api/health";
/// Bodies larger than this are not truncated by the `malformed` fault but replaced.
const MAX_BODY: usize = 4 * 1024 * 1024;

pub(crate) async fn api_gate(AxState(shared): AxState<Arc<Shared>>, req: Request, next: Next) -> Response {
    let (fault, latency, limit) =
        shared.with_state(|s, _| (s.faults.take_request(), s.faults.latency(), s.faults.limit_per_minute()));
    if let Some(delay) = latency {
        hold(&shared, delay).await;
    }
    match fault {
        None => guarded(&shared, req, next).await,
        Some(RequestFault::Http { error, html: true }) => html_page(error.status),
        Some(RequestFault::Http { error, html: false }) | Some(RequestFault::Error(error)) => {
            let remaining = shared.with_state(|s, _| s.rate.remaining(limit));
            with_rate_headers(error.into_response(), limit, remaining)
        }
        Some(RequestFault::RateLimited { headers }) => {
            let response = ApiError::new("RATE_LIMIT_EXCEEDED").into_response();
            if headers {
                with_rate_headers(response, limit, 0)
            } else {
                response
            }
        }
        Some(RequestFault::Timeout { hold: duration, process }) => {
            let response = if process {
                guarded(&shared, req, next).await
            } else {
                ApiError::custom("GATEWAY_TIMEOUT", StatusCode::GATEWAY_TIMEOUT)
                    .message("The request timed out.")
                    .into_response()
            };
            hold(&shared, duration).await;
            response
        }
        Some(RequestFault::Malformed) => truncate(guarded(&shared, req, next).await).await,
    }
}

/// Authentication and the rate limit, then the route.
async fn guarded(shared: &Shared, req: Request, next: Next) -> Response {
    let limit = shared.with_state(|s, _| s.faults.limit_per_minute());
    if req.uri().path() == HEALTH {
        let remaining = shared.with_state(|s, _| s.rate.remaining(limit));
        return with_rate_headers(next.run(req).await, limit, remaining);
    }
    if let Err(e) = auth::check(req.headers(), &shared.config.api_key) {
        let remaining = shared.with_state(|s, _| s.rate.remaining(limit));
        return with_rate_headers(e.into_response(), limit, remaining);
    }
    let remaining = match shared.with_state(|s, _| s.rate.take(limit)) {
        Ok(remaining) => remaining,
        Err(()) => return with_rate_headers(ApiError::new("RATE_LIMIT_EXCEEDED").into_response(), limit, 0),
    };
    with_rate_headers(next.run(req).await, limit, remaining)
}

fn with_rate_headers(mut response: Response, limit: u32, remaining: u32) -> Response {
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    response
}

/// Sleeps, but never past the simulator's shutdown.
async fn hold(shared: &Shared, duration: std::time::Duration) {
    let mut shutdown = shared.shutdown.clone();
    tokio::select! {
        _ = tokio::time::sleep(duration) => {}
        _ = shutdown.wait_for(|stop| *stop) => {}
    }
}

/// What a reverse proxy says when the service behind it is down.
fn html_page(status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    let page = format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
        code = status.as_u16()
    );
    (status, [(header::CONTENT_TYPE, "text/html")], page).into_response()
}

/// A 200 whose JSON body stops halfway.
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_BODY).await.unwrap_or_default();
    let cut = if bytes.len() > 1 {
        bytes.slice(..bytes.len() / 2)
    } else {
        // Even an empty answer must come out as broken JSON.
        serde_json::to_vec(&json!({"success": true})).map(|v| v[..v.len() / 2].to_vec()).unwrap_or_default().into()
    };
    parts.status = StatusCode::OK;
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, Body::from(cut))
}
