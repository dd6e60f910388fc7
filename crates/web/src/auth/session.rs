//! Sessions: a random token in an `HttpOnly`, `SameSite=Lax` cookie (`Secure` and `__Host-` prefixed behind
//! HTTPS); the database keeps only its SHA-256, with the session's CSRF token and its times. The one
//! middleware here resolves every request to an optional [`CurrentUser`] — from the cookie, or on `/api/v1` only
//! from an API token — and enforces the idle and absolute timeouts.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use giamsat_domain::policy::Subject;
use giamsat_store::accounts::{self, User};

use crate::auth::{hash_token, random_token};
use crate::error::AppError;
use crate::state::AppState;

/// Cookie and timeout settings.
#[derive(Debug, Clone)]
pub struct SessionSettings {
    /// `Secure` cookies with the `__Host-` prefix: on behind HTTPS, off for plain-HTTP localhost.
    pub secure: bool,
    /// Inactivity after which a session ends (ASVS 3.3.2: 30 min).
    pub idle: Duration,
    /// Age after which a session ends whatever its activity (12 h).
    pub absolute: Duration,
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings { secure: false, idle: Duration::minutes(30), absolute: Duration::hours(12) }
    }
}

impl SessionSettings {
    #[must_use]
    pub fn cookie_name(&self) -> &'static str {
        if self.secure { "__Host-giamsat" } else { "giamsat" }
    }

    /// The cookie that holds the login form's CSRF token before there is a session.
    #[must_use]
    pub fn pre_session_cookie(&self) -> &'static str {
        if self.secure { "__Host-giamsat-csrf" } else { "giamsat-csrf" }
    }

    fn attributes(&self) -> &'static str {
        if self.secure { "; Path=/; HttpOnly; SameSite=Lax; Secure" } else { "; Path=/; HttpOnly; SameSite=Lax" }
    }

    /// `Set-Cookie` value for `name=value`.
    #[must_use]
    pub fn set(&self, name: &str, value: &str) -> HeaderValue {
        HeaderValue::from_str(&format!("{name}={value}{}", self.attributes()))
            .unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
    }

    /// `Set-Cookie` value that deletes `name`.
    #[must_use]
    pub fn clear(&self, name: &str) -> HeaderValue {
        HeaderValue::from_str(&format!("{name}=; Max-Age=0{}", self.attributes()))
            .unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
    }
}

/// The time source; tests move it forward to check the timeouts.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    #[must_use]
    pub fn system() -> Clock {
        Clock(Arc::new(Utc::now))
    }

    /// A clock reading `f()`.
    pub fn from_fn(f: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(f))
    }

    #[must_use]
    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

/// Who is asking, once authenticated.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    /// The session's CSRF token; `None` for API-token requests, which carry no ambient credentials.
    pub csrf: Option<String>,
    /// The SHA-256 of the session token (to end or rotate it).
    pub session_hash: Option<String>,
    /// The database's data version read with the session (see [`crate::page_cache`]); `None` for API tokens.
    pub data_version: Option<i64>,
    /// This request is the page a save redirected to (`?done=saved`, see [`crate::pages::saved`]): the layout
    /// confirms the save.
    pub saved: bool,
}

impl CurrentUser {
    /// The policy's view of this account.
    #[must_use]
    pub fn subject(&self) -> Subject {
        Subject { user_id: self.user.id, role: self.user.role, organisation_id: self.user.organisation_id }
    }
}

/// The value of cookie `name` in the request, if any.
#[must_use]
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v))
}

/// Last-seen times are written at most this often, so reading pages does not cost a write each.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// Resolves the request's [`CurrentUser`] (or none) and puts it in the request's extensions.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let settings = &state.sessions;
    let mut clear_cookie = false;
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_owned);
    let current = if let Some(token) = bearer {
        // A token is for scripts on the API. The pages trust a session's CSRF token, which a token request has
        // none of: accepted there, a stolen token could mint new tokens or reach every form.
        if !request.uri().path().starts_with("/api/v1/") {
            tracing::warn!(path = %request.uri().path(), "an API token outside the API refused");
            return AppError::Unauthorized.into_response();
        }
        match accounts::api_token_user(&state.db, &hash_token(&token)).await {
            Ok(Some(user)) if !user.disabled => {
                Some(CurrentUser { user, csrf: None, session_hash: None, data_version: None, saved: false })
            }
            Ok(_) => return AppError::Unauthorized.into_response(),
            Err(e) => return AppError::from(e).into_response(),
        }
    } else if let Some(token) = cookie(request.headers(), settings.cookie_name()) {
        let hash = hash_token(token);
        match accounts::session(&state.db, &hash).await {
            Ok(Some(row)) => {
                let now = state.clock.now();
                let expired = now - row.last_seen_at > settings.idle || now - row.created_at > settings.absolute;
                if expired || row.user.disabled {
                    if let Err(e) = accounts::delete_session(&state.db, &hash).await {
                        return AppError::from(e).into_response();
                    }
                    clear_cookie = true;
                    None
                } else {
                    if now - row.last_seen_at > TOUCH_EVERY
                        && let Err(e) = accounts::touch_session(&state.db, &hash, now).await
                    {
                        return AppError::from(e).into_response();
                    }
                    let saved = request.method() == axum::http::Method::GET
                        && request
                            .uri()
                            .query()
                            .is_some_and(|q| q.split('&').any(|pair| pair == crate::pages::SAVED_QUERY));
                    Some(CurrentUser {
                        user: row.user,
                        csrf: Some(row.csrf_token),
                        session_hash: Some(hash),
                        data_version: Some(row.data_version),
                        saved,
                    })
                }
            }
            Ok(None) => {
                clear_cookie = true;
                None
            }
            Err(e) => return AppError::from(e).into_response(),
        }
    } else {
        None
    };
    request.extensions_mut().insert(MaybeUser(current));
    let mut response = next.run(request).await;
    if clear_cookie && !response.headers().contains_key(header::SET_COOKIE) {
        response.headers_mut().append(header::SET_COOKIE, settings.clear(settings.cookie_name()));
    }
    response
}

/// The result of [`resolve`]: the current user, if any.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

/// Starts a new session for `user_id`, ending `previous` (the session id changes at every login and privilege
/// change). Returns the `Set-Cookie` header value.
///
/// # Errors
/// [`AppError`] if the session cannot be stored.
pub async fn start(state: &AppState, user_id: i64, previous: Option<&str>) -> Result<HeaderValue, AppError> {
    if let Some(previous) = previous {
        accounts::delete_session(&state.db, previous).await?;
    }
    let token = random_token();
    accounts::create_session(&state.db, &hash_token(&token), user_id, &random_token(), state.clock.now()).await?;
    Ok(state.sessions.set(state.sessions.cookie_name(), &token))
}
