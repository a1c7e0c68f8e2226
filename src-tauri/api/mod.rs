//! The CubeConnect HTTP client (contract decisions 1-11): typed requests and responses that
//! tolerate the service's known inconsistencies, one typed error per documented code, bounded
//! bodies, timeouts, the retry policy, the rate-limit budget and the clock offset.

pub mod client;
pub mod error;
pub mod flex;
pub mod rate;
pub mod send;
pub mod wire;

pub use client::{Client, ClientConfig};
pub use error::{ApiError, ServiceCode, ServiceError};
