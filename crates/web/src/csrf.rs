//! Cross-site request forgery: **every** state-changing request passes this one middleware.
//!
//! 1. Browsers say where a request comes from: a `Sec-Fetch-Site` other than `same-origin`/`none`, or an
//!    `Origin` other than this host, is refused.
//! 2. The request must carry the synchronizer token — the session's, or before login the one in the
//!    pre-session cookie (double submit) — in an `X-CSRF-Token` header or a `_csrf` form field (urlencoded or
//!    multipart).
//!
//! Requests authenticated by an API token carry no ambient credential and skip the token check.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::constant_time_eq;
use crate::auth::session::{MaybeUser, cookie};
use crate::error::AppError;
use crate::state::AppState;

/// The form field and header that carry the token.
pub const FIELD: &str = "_csrf";
const HEADER: &str = "x-csrf-token";

/// The largest body this middleware buffers to find the token (uploads included).
pub const MAX_BODY: usize = 32 * 1024 * 1024;

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the browser's provenance headers allow the request.
fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    match headers.get(header::ORIGIN).map(|v| v.to_str().unwrap_or("null")) {
        None => true,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
            let origin_host = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
            !host.is_empty() && origin_host == Some(host)
        }
    }
}

/// The `_csrf` field of a urlencoded or multipart body.
fn token_in_body(content_type: &str, body: &[u8]) -> Option<String> {
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return form_urlencoded::parse(body).find(|(k, _)| k == FIELD).map(|(_, v)| v.into_owned());
    }
    if content_type.starts_with("multipart/form-data") {
        let marker = format!("name=\"{FIELD}\"");
        let at = body.windows(marker.len()).position(|w| w == marker.as_bytes())?;
        let rest = body.get(at..)?;
        let start = rest.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
        let value = rest.get(start..)?;
        let end = value.windows(2).position(|w| w == b"\r\n")?;
        return std::str::from_utf8(value.get(..end)?).ok().map(str::to_owned);
    }
    None
}

/// The middleware. Refusals answer 403 and change nothing.
pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if is_safe(request.method()) {
        return next.run(request).await;
    }
    let current = request.extensions().get::<MaybeUser>().and_then(|m| m.0.clone());
    if current.as_ref().is_some_and(|u| u.csrf.is_none()) {
        return next.run(request).await;
    }
    if !same_origin(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "csrf: cross-origin request refused");
        return AppError::Forbidden.into_response();
    }
    let expected = match &current {
        Some(user) => user.csrf.clone(),
        None => cookie(request.headers(), state.sessions.pre_session_cookie()).map(str::to_owned),
    };
    let Some(expected) = expected.filter(|t| !t.is_empty()) else {
        tracing::warn!(path = %request.uri().path(), "csrf: no token to compare with");
        return AppError::Forbidden.into_response();
    };
    let (parts, body) = request.into_parts();
    let header_token = parts.headers.get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (provided, body) = match header_token {
        Some(token) => (Some(token), body),
        None => {
            let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
                return (axum::http::StatusCode::PAYLOAD_TOO_LARGE).into_response();
            };
            let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
            (token_in_body(content_type, &bytes), Body::from(bytes))
        }
    };
    if !provided.is_some_and(|p| constant_time_eq(&p, &expected)) {
        tracing::warn!(path = %parts.uri.path(), "csrf: token missing or wrong");
        return AppError::Forbidden.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_token_is_found_in_urlencoded_and_multipart_bodies() {
        assert_eq!(
            token_in_body("application/x-www-form-urlencoded", b"a=1&_csrf=abc%20d&b=2").as_deref(),
            Some("abc d")
        );
        let multipart = b"--X\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok123\r\n--X\r\n\
Content-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8\r\n--X--\r\n";
        assert_eq!(token_in_body("multipart/form-data; boundary=X", multipart).as_deref(), Some("tok123"));
        assert_eq!(token_in_body("application/json", b"{\"_csrf\":\"x\"}"), None);
    }

    #[test]
    fn foreign_origins_and_cross_site_fetches_are_refused() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:3000"));
        assert!(same_origin(&headers));
        headers.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:3000"));
        assert!(same_origin(&headers));
        headers.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&headers));
        headers.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&headers));
        headers.remove(header::ORIGIN);
        headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&headers));
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(same_origin(&headers));
    }
}
