//! The one error policy of the web layer. Handlers return [`AppError`]; its `IntoResponse` sets the status and
//! attaches an [`ErrorPage`]; the `render_errors` middleware (router.rs) turns every error response — these and
//! axum's own 404/405 — into the error page with the request id. Internals are logged, never shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use giamsat_store::StoreError;

/// An error a handler can return. Each variant's doc says the status it answers with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 303 to the login page for a page request without a session (401 for the API).
    #[error("login required")]
    LoginRequired { next: String },
    /// 401: an API request with a missing, unknown or revoked token.
    #[error("unauthorized")]
    Unauthorized,
    /// 400: a body that cannot be read at all (a broken multipart upload); nothing was saved.
    #[error("malformed request")]
    Malformed,
    /// 403: the user may see this, but not do that; or the CSRF check failed.
    #[error("forbidden")]
    Forbidden,
    /// 413: the body is larger than allowed.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 429: too many attempts; try again after `retry_after` seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    /// 404: no such record, or one the user may not know about (answered alike).
    #[error("not found")]
    NotFound,
    /// 409: someone else changed the record meanwhile.
    #[error("conflict")]
    Conflict,
    /// 422: a request the domain refused, with the Vietnamese reason.
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    /// 503: the database is unreachable; the client may retry.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// 507: the server's storage is full; nothing of the request was saved.
    #[error("storage full: {0}")]
    StorageFull(String),
    /// 500: anything else; the cause is logged with the request id.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { .. } => AppError::Conflict,
            StoreError::Workflow(e) => AppError::Unprocessable(e.to_string()),
            StoreError::Report(e) => AppError::Unprocessable(e.to_string()),
            StoreError::Edit(e) => AppError::Unprocessable(e.to_string()),
            StoreError::Invalid(e) => AppError::Unprocessable(e.to_string()),
            StoreError::Settings(problems) => {
                AppError::Unprocessable(problems.iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join(" "))
            }
            StoreError::Duplicate { field } => {
                AppError::Unprocessable(giamsat_domain::messages::pages::duplicate(field))
            }
            e if e.is_unavailable() => AppError::Unavailable(e.to_string()),
            e if e.is_storage_full() => AppError::StorageFull(e.to_string()),
            e => AppError::Internal(e.to_string()),
        }
    }
}

/// A multipart body over the route's limit is 413; any other failure to read it (no boundary, a part cut
/// short, a broken header) is the client's malformed request, 400.
impl From<axum::extract::multipart::MultipartError> for AppError {
    fn from(err: axum::extract::multipart::MultipartError) -> Self {
        if err.status() == StatusCode::PAYLOAD_TOO_LARGE { AppError::PayloadTooLarge } else { AppError::Malformed }
    }
}

impl From<axum::extract::multipart::MultipartRejection> for AppError {
    fn from(err: axum::extract::multipart::MultipartRejection) -> Self {
        if err.status() == StatusCode::PAYLOAD_TOO_LARGE { AppError::PayloadTooLarge } else { AppError::Malformed }
    }
}

/// What the error page shows: a status and a safe Vietnamese sentence.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub message: String,
}

/// The message shown for a status when the handler gave none.
#[must_use]
pub fn default_message(status: StatusCode) -> &'static str {
    giamsat_domain::messages::pages::status(status.as_u16())
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::LoginRequired { next } = &self {
            let target = if next.starts_with('/') && !next.starts_with("//") { next.as_str() } else { "/" };
            let location = format!("/login?next={}", percent_encode_path(target));
            return (StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, location)]).into_response();
        }
        let status = match &self {
            AppError::LoginRequired { .. } | AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Malformed => StatusCode::BAD_REQUEST,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let message = match &self {
            AppError::Unprocessable(reason) => reason.clone(),
            AppError::Unavailable(cause) | AppError::StorageFull(cause) | AppError::Internal(cause) => {
                tracing::error!(%status, cause, "request failed");
                default_message(status).to_owned()
            }
            AppError::NotFound
            | AppError::Conflict
            | AppError::LoginRequired { .. }
            | AppError::Unauthorized
            | AppError::Forbidden
            | AppError::Malformed
            | AppError::TooManyRequests { .. }
            | AppError::PayloadTooLarge => default_message(status).to_owned(),
        };
        let mut response = status.into_response();
        if let AppError::TooManyRequests { retry_after } = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after.into());
        }
        response.extensions_mut().insert(ErrorPage { message });
        response
    }
}

/// Percent-encodes a path for a query value (everything but unreserved characters and `/`).
#[must_use]
pub fn percent_encode_path(path: &str) -> String {
    path.bytes().fold(String::with_capacity(path.len()), |mut out, b| {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
        out
    })
}
