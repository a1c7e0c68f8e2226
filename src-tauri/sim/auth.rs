//! API-key and tenant checks for `/api/v1/*` and `/api/crm/*` (contract Part 2 §1).

use axum::http::HeaderMap;

use super::errors::ApiError;

/// The only tenant the simulator has; an `X-TENANT-ID` naming another is refused.
pub(crate) const TENANT_ID: &str = "1";

/// `Authorization: Bearer K` (preferred) or `X-API-KEY: K`, then `X-TENANT-ID` if present.
pub(crate) fn check(headers: &HeaderMap, api_key: &str) -> Result<(), ApiError> {
    let presented = bearer(headers).or_else(|| header(headers, "x-api-key"));
    let Some(key) = presented else {
        return Err(ApiError::new("AUTHENTICATION_REQUIRED"));
    };
    if !constant_time_eq(key.as_bytes(), api_key.as_bytes()) {
        return Err(ApiError::new("INVALID_API_KEY"));
    }
    if let Some(tenant) = header(headers, "x-tenant-id") {
        if tenant != TENANT_ID {
            return Err(ApiError::new("TENANT_NOT_FOUND"));
        }
    }
    Ok(())
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = header(headers, "authorization")?;
    let (scheme, rest) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    Some(rest.trim()).filter(|k| !k.is_empty())
}

// The simulator is a test tool, but it should not teach clients that timing leaks are fine.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn h(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(*k, HeaderValue::from_static(v));
        }
        m
    }

    fn code(r: Result<(), ApiError>) -> String {
        r.err().map(|e| e.code).unwrap_or_else(|| "OK".into())
    }

    #[test]
    fn both_key_headers_work() {
        assert_eq!(code(check(&h(&[("authorization", "Bearer k")]), "k")), "OK");
        assert_eq!(code(check(&h(&[("authorization", "bearer k")]), "k")), "OK");
        assert_eq!(code(check(&h(&[("x-api-key", "k")]), "k")), "OK");
    }

    #[test]
    fn missing_wrong_and_tenant() {
        assert_eq!(code(check(&h(&[]), "k")), "AUTHENTICATION_REQUIRED");
        assert_eq!(code(check(&h(&[("authorization", "Bearer ")]), "k")), "AUTHENTICATION_REQUIRED");
        assert_eq!(code(check(&h(&[("authorization", "Basic k")]), "k")), "AUTHENTICATION_REQUIRED");
        assert_eq!(code(check(&h(&[("authorization", "Bearer x")]), "k")), "INVALID_API_KEY");
        assert_eq!(code(check(&h(&[("x-api-key", "k"), ("x-tenant-id", "1")]), "k")), "OK");
        assert_eq!(code(check(&h(&[("x-api-key", "k"), ("x-tenant-id", "2")]), "k")), "TENANT_NOT_FOUND");
    }
}
