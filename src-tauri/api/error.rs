//! What a CubeConnect call can end in. The service's error envelope becomes a [`ServiceError`]
//! with one [`ServiceCode`] per documented code (decision 11); everything that is not an answer
//! from the service has its own variant, because what may be retried depends on it (decision 6).

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The service answered with an error.
    #[error("{0}")]
    Service(ServiceError),
    /// The request never reached the service (DNS, refused, TLS): safe to send again.
    #[error("could not reach CubeConnect: {0}")]
    Connection(String),
    /// No answer in time: the service may or may not have done the work.
    #[error("CubeConnect did not answer in time")]
    Timeout,
    /// The connection broke after the request left: the outcome is unknown.
    #[error("the connection to CubeConnect broke: {0}")]
    Interrupted(String),
    /// An answer we cannot read: not JSON, not UTF-8, truncated, or of the wrong shape.
    #[error("CubeConnect sent an answer CubeDesk cannot read (HTTP {status}): {reason}")]
    BadResponse { status: u16, reason: String },
    /// The answer was larger than any the contract allows; reading stopped at the limit.
    #[error("CubeConnect sent an answer larger than {limit} bytes")]
    BodyTooLarge { limit: usize },
    /// Something wrong on our side before sending (a base URL that is not a URL, ...).
    #[error("{0}")]
    InvalidRequest(String),
}

impl ApiError {
    /// Whether the same request may simply be made again: the service did not take it, or it is
    /// a read. Sends never retry on [`ApiError::Timeout`] or [`ApiError::Interrupted`].
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Connection(_) => true,
            ApiError::Service(e) => e.is_transient(),
            _ => false,
        }
    }

    /// A send that ended like this may have been accepted: it must become `unconfirmed`, never
    /// be sent again silently (decision 6). A 2xx whose body we could not read counts too.
    pub fn send_outcome_unknown(&self) -> bool {
        match self {
            ApiError::Timeout | ApiError::Interrupted(_) | ApiError::BodyTooLarge { .. } => true,
            ApiError::BadResponse { status, .. } => (200..300).contains(status),
            _ => false,
        }
    }

    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            ApiError::Service(e) => Some(e),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError {
    pub code: ServiceCode,
    pub status: u16,
    /// The service's own words, kept for the UI.
    pub message: String,
    /// Field-level details of validation errors, as sent.
    pub details: Option<Value>,
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (HTTP {}): {}", self.code.as_str(), self.status, self.message)
    }
}

impl ServiceError {
    /// Rate limits and server-side failures pass; the same request may succeed later.
    pub fn is_transient(&self) -> bool {
        match self.code {
            ServiceCode::RateLimitExceeded
            | ServiceCode::InternalError
            | ServiceCode::ServiceDegraded
            | ServiceCode::MessageSendFailed => true,
            // A quota or subscription will not come back by retrying within minutes.
            ServiceCode::PlanLimitReached | ServiceCode::SubscriptionExpired | ServiceCode::MessagingTierLimitExceeded => {
                false
            }
            _ => self.status == 429 || self.status >= 500,
        }
    }
}

/// The documented error codes (contract Part 2 §6), and the fallback for codes we do not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceCode {
    AuthenticationRequired,
    InvalidApiKey,
    ApiKeyNoTenant,
    TenantNotFound,
    Forbidden,
    NotFound,
    TemplateNotFound,
    ValidationError,
    InvalidPhoneNumber,
    NoActiveAccount,
    MissingAccessToken,
    TemplateLanguageMismatch,
    TemplateParamsMismatch,
    TemplateHeaderMediaRequired,
    RecipientOptedOut,
    RateLimitExceeded,
    PlanLimitReached,
    SubscriptionExpired,
    MessagingTierLimitExceeded,
    MessageSendFailed,
    InternalError,
    ServiceDegraded,
    /// A code the contract does not list (or none at all): judged by the HTTP status.
    Unrecognized(String),
}

const KNOWN: [(ServiceCode, &str); 22] = [
    (ServiceCode::AuthenticationRequired, "AUTHENTICATION_REQUIRED"),
    (ServiceCode::InvalidApiKey, "INVALID_API_KEY"),
    (ServiceCode::ApiKeyNoTenant, "API_KEY_NO_TENANT"),
    (ServiceCode::TenantNotFound, "TENANT_NOT_FOUND"),
    (ServiceCode::Forbidden, "FORBIDDEN"),
    (ServiceCode::NotFound, "NOT_FOUND"),
    (ServiceCode::TemplateNotFound, "TEMPLATE_NOT_FOUND"),
    (ServiceCode::ValidationError, "VALIDATION_ERROR"),
    (ServiceCode::InvalidPhoneNumber, "INVALID_PHONE_NUMBER"),
    (ServiceCode::NoActiveAccount, "NO_ACTIVE_ACCOUNT"),
    (ServiceCode::MissingAccessToken, "MISSING_ACCESS_TOKEN"),
    (ServiceCode::TemplateLanguageMismatch, "TEMPLATE_LANGUAGE_MISMATCH"),
    (ServiceCode::TemplateParamsMismatch, "TEMPLATE_PARAMS_MISMATCH"),
    (ServiceCode::TemplateHeaderMediaRequired, "TEMPLATE_HEADER_MEDIA_REQUIRED"),
    (ServiceCode::RecipientOptedOut, "RECIPIENT_OPTED_OUT"),
    (ServiceCode::RateLimitExceeded, "RATE_LIMIT_EXCEEDED"),
    (ServiceCode::PlanLimitReached, "PLAN_LIMIT_REACHED"),
    (ServiceCode::SubscriptionExpired, "SUBSCRIPTION_EXPIRED"),
    (ServiceCode::MessagingTierLimitExceeded, "MESSAGING_TIER_LIMIT_EXCEEDED"),
    (ServiceCode::MessageSendFailed, "MESSAGE_SEND_FAILED"),
    (ServiceCode::InternalError, "INTERNAL_ERROR"),
    (ServiceCode::ServiceDegraded, "SERVICE_DEGRADED"),
];

impl ServiceCode {
    pub fn all_documented() -> impl Iterator<Item = ServiceCode> {
        KNOWN.iter().map(|(c, _)| c.clone())
    }

    pub fn parse(code: &str) -> ServiceCode {
        KNOWN
            .iter()
            .find(|(_, s)| s.eq_ignore_ascii_case(code.trim()))
            .map(|(c, _)| c.clone())
            .unwrap_or_else(|| ServiceCode::Unrecognized(code.to_string()))
    }

    pub fn as_str(&self) -> &str {
        match self {
            ServiceCode::Unrecognized(s) => s,
            known => KNOWN.iter().find(|(c, _)| c == known).map(|(_, s)| *s).unwrap_or("UNKNOWN"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(code: &str, status: u16) -> ServiceError {
        ServiceError { code: ServiceCode::parse(code), status, message: "m".into(), details: None }
    }

    #[test]
    fn every_documented_code_round_trips() {
        for code in ServiceCode::all_documented() {
            assert_eq!(ServiceCode::parse(code.as_str()), code);
        }
        assert_eq!(ServiceCode::all_documented().count(), 22);
        assert_eq!(ServiceCode::parse("rate_limit_exceeded"), ServiceCode::RateLimitExceeded);
        assert_eq!(ServiceCode::parse("NEW_THING"), ServiceCode::Unrecognized("NEW_THING".into()));
    }

    #[test]
    fn unknown_codes_are_judged_by_their_status() {
        assert!(err("NEW_THING", 503).is_transient());
        assert!(err("NEW_THING", 429).is_transient());
        assert!(!err("NEW_THING", 422).is_transient());
    }

    #[test]
    fn quotas_are_not_retried_but_rate_limits_are() {
        assert!(err("RATE_LIMIT_EXCEEDED", 429).is_transient());
        assert!(!err("PLAN_LIMIT_REACHED", 429).is_transient());
        assert!(!err("SUBSCRIPTION_EXPIRED", 429).is_transient());
        assert!(!err("VALIDATION_ERROR", 422).is_transient());
        assert!(!err("INVALID_API_KEY", 401).is_transient());
    }

    #[test]
    fn only_unknown_outcomes_block_a_silent_resend() {
        assert!(ApiError::Timeout.send_outcome_unknown());
        assert!(ApiError::Interrupted("reset".into()).send_outcome_unknown());
        assert!(ApiError::BadResponse { status: 202, reason: "truncated".into() }.send_outcome_unknown());
        assert!(!ApiError::BadResponse { status: 502, reason: "html".into() }.send_outcome_unknown());
        assert!(!ApiError::Connection("refused".into()).send_outcome_unknown());
        assert!(ApiError::Connection("refused".into()).is_transient());
        assert!(!ApiError::Timeout.is_transient());
    }
}
