//! Login, logout, one's own account (password, API tokens) and the one-time links that set a password.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use chrono::{DateTime, Duration, Utc};
use giamsat_domain::messages::labels;
use giamsat_domain::messages::security as msg;
use giamsat_domain::policy::Role;
use giamsat_domain::text;
use giamsat_store::StoreError;
use giamsat_store::accounts::{self, FailureCount, LinkPurpose, NewUser};
use giamsat_store::audit::Actor;
use serde::Deserialize;

use crate::auth::guard::{Authenticated, ClientAddr};
use crate::auth::passwords::{PasswordProblem, check_policy};
use crate::auth::session::{self, MaybeUser, cookie};
use crate::auth::{hash_token, random_token};
use crate::error::AppError;
use crate::pages::{Chrome, page};
use crate::state::AppState;

/// Wrong passwords an account may have (since its last successful login, within [`ACCOUNT_WINDOW`]) before each
/// further attempt must wait: 1 s after the next one, then 2 s, 4 s … up to [`ACCOUNT_MAX_DELAY`]. A growing
/// delay, not a lock: an attacker who knows an email slows its owner down by a minute at most, and the owner
/// who types the right password after the wait gets in (ASVS 2.2.1 allows at most 100 failures an hour).
const ACCOUNT_FREE_FAILURES: u64 = 3;
const ACCOUNT_MAX_DELAY: Duration = Duration::seconds(60);
/// Failures older than this are forgotten.
const ACCOUNT_WINDOW: Duration = Duration::minutes(15);
/// Failed logins allowed per client address in [`IP_WINDOW`], whatever the accounts (password spraying).
/// Successful logins never count: an office behind one public address signs in all at once.
const IP_FAILURES: u64 = 30;
const IP_WINDOW: Duration = Duration::minutes(5);

/// How long an account waits after its last failure, having `failures` that count.
fn account_delay(failures: u64) -> Option<Duration> {
    let beyond = failures.checked_sub(ACCOUNT_FREE_FAILURES)?;
    // 2^6 s already exceeds the cap; a larger shift would overflow.
    let seconds = 1_i64 << beyond.min(6);
    Some(Duration::seconds(seconds).min(ACCOUNT_MAX_DELAY))
}

/// Whole seconds from `now` until `until` (at least 1: a `Retry-After` of 0 would invite a retry loop).
fn seconds_until(until: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> u64 {
    let millis = (until - now).num_milliseconds().max(1);
    u64::try_from(millis).map_or(1, |m| m.div_ceil(1000))
}

/// A redirect target that stays on this site: a path of plain URL characters. Anything else — another host
/// (`//…`, `/\…`), control characters a browser would strip (`/\t/evil`), a scheme — falls back to `/`.
fn local(next: Option<&str>) -> String {
    let safe = |n: &str| {
        n.starts_with('/')
            && !n.starts_with("//")
            && n.len() <= 2000
            && n.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-._~%?=&+,;:@!$'()*#".contains(&b))
    };
    next.filter(|n| safe(n)).unwrap_or("/").to_owned()
}

/// The actor of an audited change made by `user` at `at` (`state.clock.now()`: every timestamp of the change).
pub fn actor(user: &accounts::User, headers: &HeaderMap, at: DateTime<Utc>) -> Actor {
    Actor {
        label: format!("user:{}", user.id),
        request_id: headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned),
        at,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redirects_after_login_stay_on_this_site() {
        for (next, expected) in [
            (Some("/missions/3?x=1#team"), "/missions/3?x=1#team"),
            (Some("//evil.example"), "/"),
            (Some("/\\evil.example"), "/"),
            (Some("/\t/evil.example"), "/"),
            (Some("/a\nb"), "/"),
            (Some("https://evil.example"), "/"),
            (Some("/phường"), "/"),
            (None, "/"),
        ] {
            assert_eq!(super::local(next), expected, "{next:?}");
        }
    }

    #[test]
    fn an_accounts_delay_grows_from_one_second_after_a_few_failures_and_is_capped() {
        let seconds = |n| super::account_delay(n).map(|d| d.num_seconds());
        assert_eq!((0..3).map(seconds).collect::<Vec<_>>(), [None, None, None]);
        assert_eq!((3..9).map(seconds).collect::<Vec<_>>(), [1, 2, 4, 8, 16, 32].map(Some));
        assert_eq!(seconds(9), Some(60));
        assert_eq!(seconds(u64::MAX), Some(60));
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    csrf: String,
    next: String,
    email: String,
    failed: bool,
    /// Why the login must wait, and how long.
    throttled: Option<String>,
}

/// The token that guards forms shown before there is a session (login, one-time links): the one in the
/// pre-session cookie, or a new one with the cookie to set.
fn pre_session_token(state: &AppState, headers: &HeaderMap) -> (String, Option<axum::http::HeaderValue>) {
    match cookie(headers, state.sessions.pre_session_cookie()) {
        Some(existing) if existing.len() == 64 => (existing.to_owned(), None),
        _ => {
            let token = random_token();
            let value = state.sessions.set(state.sessions.pre_session_cookie(), &token);
            (token, Some(value))
        }
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// GET /login. Sets the pre-session CSRF cookie the form is checked against.
pub async fn login_form(
    State(state): State<AppState>,
    Extension(MaybeUser(current)): Extension<MaybeUser>,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = local(query.next.as_deref());
    if current.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let (csrf, set_cookie) = pre_session_token(&state, &headers);
    let mut response = page(
        &LoginPage { chrome: Chrome::default(), csrf, next, email: String::new(), failed: false, throttled: None },
        StatusCode::OK,
    )?;
    if let Some(value) = set_cookie {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
    #[serde(rename = "_csrf")]
    csrf: String,
}

/// Normalises an email as typed: NFC, trimmed, lower case.
/// No address holds a control character, and PostgreSQL refuses a NUL in any text parameter: they are dropped
/// before the address is looked up or used as a throttling key.
fn normalise_email(email: &str) -> String {
    text::normalize(email).chars().filter(|c| !c.is_control()).collect::<String>().to_lowercase()
}

/// POST /login. Throttled per address and per account before any hash is computed; the session id is new at
/// every login.
pub async fn login(
    State(state): State<AppState>,
    Extension(MaybeUser(current)): Extension<MaybeUser>,
    ClientAddr(client): ClientAddr,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let email = normalise_email(&form.email);
    let next = local(form.next.as_deref());
    let ip_key = client.map_or_else(|| "ip:unknown".to_owned(), |ip| format!("ip:{ip}"));
    let account_key = format!("account:{email}");
    let ip = accounts::failures_since(&state.db, &ip_key, now - IP_WINDOW, FailureCount::All).await?;
    let account =
        accounts::failures_since(&state.db, &account_key, now - ACCOUNT_WINDOW, FailureCount::SinceLastSuccess).await?;
    let ip_until = ip.oldest.filter(|_| ip.count >= IP_FAILURES).map(|oldest| oldest + IP_WINDOW);
    let account_until = account.newest.zip(account_delay(account.count)).map(|(newest, delay)| newest + delay);
    let throttled = match (ip_until, account_until) {
        (Some(until), _) if until > now => Some(msg::login_address_wait(seconds_until(until, now))),
        (_, Some(until)) if until > now => Some(msg::login_account_wait(seconds_until(until, now))),
        _ => None,
    };
    if let Some(message) = throttled {
        // No hash is computed and nothing is recorded: hammering during the wait neither costs CPU nor grows it.
        let retry_after = ip_until.into_iter().chain(account_until).filter(|u| *u > now).max().unwrap_or(now);
        tracing::warn!(key = %ip_key, "login throttled");
        let mut response = page(
            &LoginPage {
                chrome: Chrome::default(),
                csrf: form.csrf,
                next,
                email: form.email,
                failed: false,
                throttled: Some(message),
            },
            StatusCode::TOO_MANY_REQUESTS,
        )?;
        response.headers_mut().insert(header::RETRY_AFTER, seconds_until(retry_after, now).into());
        return Ok(response);
    }

    let user = accounts::by_email(&state.db, &email).await?;
    let stored = user.as_ref().filter(|u| !u.disabled).and_then(|u| u.password_hash.as_deref());
    let verified = state.passwords.verify(&form.password, stored).await;
    accounts::record_attempt(&state.db, &ip_key, verified, now).await?;
    // A success is recorded too: it ends the account's delay (whoever typed it knew the password).
    accounts::record_attempt(&state.db, &account_key, verified, now).await?;
    let Some(user) = user.filter(|_| verified) else {
        tracing::info!(key = %ip_key, "login failed");
        return page(
            &LoginPage {
                chrome: Chrome::default(),
                csrf: form.csrf,
                next,
                email: form.email,
                failed: true,
                throttled: None,
            },
            StatusCode::UNAUTHORIZED,
        );
    };
    let previous = current.and_then(|c| c.session_hash);
    let set_cookie = session::start(&state, user.id, previous.as_deref()).await?;
    tracing::info!(user_id = user.id, "login");
    let mut response = Redirect::to(&next).into_response();
    response.headers_mut().append(header::SET_COOKIE, set_cookie);
    response.headers_mut().append(header::SET_COOKIE, state.sessions.clear(state.sessions.pre_session_cookie()));
    Ok(response)
}

/// POST /logout: the session row is deleted, the cookie cleared.
pub async fn logout(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
) -> Result<Response, AppError> {
    if let Some(hash) = &current.session_hash {
        accounts::delete_session(&state.db, hash).await?;
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(header::SET_COOKIE, state.sessions.clear(state.sessions.cookie_name()));
    Ok(response)
}

struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    created: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    csrf: String,
    email: String,
    name: String,
    role: &'static str,
    password_problem: Option<&'static str>,
    /// The change just made, confirmed at the top of the page (a code the template words).
    done: Option<&'static str>,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    /// The account has a live calendar feed (revocable here).
    calendar_feed: bool,
}

/// The code of a password problem; the template words it next to the field.
fn problem_code(problem: PasswordProblem) -> &'static str {
    match problem {
        PasswordProblem::TooShort => "too_short",
        PasswordProblem::TooLong => "too_long",
        PasswordProblem::SameAsEmail => "same_as_email",
        PasswordProblem::Common => "common",
    }
}

async fn account_page(
    state: &AppState,
    current: &session::CurrentUser,
    password_problem: Option<&'static str>,
    done: Option<&'static str>,
    new_token: Option<String>,
) -> Result<AccountPage, AppError> {
    let tokens = accounts::api_tokens_of(&state.db, current.user.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: giamsat_domain::date::format_short(giamsat_domain::date::vietnam_day(t.created_at)),
            revoked: t.revoked,
        })
        .collect();
    Ok(AccountPage {
        chrome: Chrome::of(current),
        csrf: current.csrf.clone().unwrap_or_default(),
        email: current.user.email.clone(),
        name: current.user.display_name.clone(),
        role: labels::user_role(current.user.role),
        password_problem,
        done,
        tokens,
        new_token,
        calendar_feed: giamsat_store::calendar::has_feed(&state.db, current.user.id).await?,
    })
}

#[derive(Deserialize)]
pub struct AccountQuery {
    done: Option<String>,
}

/// The confirmation a redirect after a change asks for; anything else in the query confirms nothing.
fn account_done(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "password" => Some("password"),
        "token_revoked" => Some("token_revoked"),
        "calendar_revoked" => Some("calendar_revoked"),
        _ => None,
    }
}

/// GET /account.
pub async fn show(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Query(query): Query<AccountQuery>,
) -> Result<Response, AppError> {
    page(&account_page(&state, &current, None, account_done(query.done.as_deref()), None).await?, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

/// POST /account/password: every session of the account ends, and this one restarts with a new id.
pub async fn change_password(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let wrong = async |problem| {
        page(&account_page(&state, &current, Some(problem), None, None).await?, StatusCode::UNPROCESSABLE_ENTITY)
    };
    if !state.passwords.verify(&form.current, current.user.password_hash.as_deref()).await {
        return wrong("wrong_current").await;
    }
    if form.new != form.confirm {
        return wrong("mismatch").await;
    }
    if let Err(problem) = check_policy(&form.new, &current.user.email) {
        return wrong(problem_code(problem)).await;
    }
    let hash = state.passwords.hash(&form.new).await.map_err(AppError::Internal)?;
    accounts::set_password(&state.db, current.user.id, &hash, &actor(&current.user, &headers, state.clock.now()))
        .await?;
    let set_cookie = session::start(&state, current.user.id, None).await?;
    let mut response = Redirect::to("/account?done=password").into_response();
    response.headers_mut().append(header::SET_COOKIE, set_cookie);
    Ok(response)
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
}

/// POST /account/tokens: the token is shown once; only its hash is kept.
pub async fn create_token(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    let name = text::clean(&form.name, 100).unwrap_or_else(|_| "API".to_owned());
    let token = format!("gs_{}", random_token());
    let prefix: String = token.chars().take(10).collect();
    accounts::create_api_token(
        &state.db,
        current.user.id,
        &name,
        &hash_token(&token),
        &prefix,
        &actor(&current.user, &headers, state.clock.now()),
    )
    .await?;
    page(&account_page(&state, &current, None, None, Some(token)).await?, StatusCode::OK)
}

/// POST /account/tokens/{id}/revoke.
pub async fn revoke_token(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    accounts::revoke_api_token(&state.db, current.user.id, id, &actor(&current.user, &headers, state.clock.now()))
        .await?;
    Ok(Redirect::to("/account?done=token_revoked").into_response())
}

#[derive(Template)]
#[template(path = "link.html")]
struct LinkPage {
    chrome: Chrome,
    token: String,
    csrf: String,
    setup: bool,
    email: String,
    name: String,
    problem: Option<&'static str>,
}

async fn link_purpose(state: &AppState, token: &str) -> Result<LinkPurpose, AppError> {
    let hash = hash_token(token);
    let now = state.clock.now();
    for purpose in [LinkPurpose::Setup, LinkPurpose::Password] {
        match accounts::peek_link(&state.db, &hash, purpose, now).await {
            Ok(_) => return Ok(purpose),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::NotFound)
}

/// GET /setup/{token}: the form of a one-time link (first administrator, or a password to set).
pub async fn link_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let purpose = link_purpose(&state, &token).await?;
    let (csrf, set_cookie) = pre_session_token(&state, &headers);
    let mut response = page(
        &LinkPage {
            chrome: Chrome::default(),
            token,
            csrf,
            setup: purpose == LinkPurpose::Setup,
            email: String::new(),
            name: String::new(),
            problem: None,
        },
        StatusCode::OK,
    )?;
    if let Some(value) = set_cookie {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct LinkForm {
    email: Option<String>,
    name: Option<String>,
    password: String,
    confirm: String,
    #[serde(rename = "_csrf")]
    csrf: String,
}

/// POST /setup/{token}: uses the link up and sets the password (creating the first administrator for a setup
/// link). The user then logs in.
pub async fn use_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    let purpose = link_purpose(&state, &token).await?;
    let setup = purpose == LinkPurpose::Setup;
    // Only a setup link asks for an address (the first administrator's).
    let email = text::email(form.email.as_deref().unwrap_or_default());
    let name = text::clean_optional(form.name.as_deref().unwrap_or_default(), 200).ok().flatten();
    let again = |problem| {
        page(
            &LinkPage {
                chrome: Chrome::default(),
                token: token.clone(),
                csrf: form.csrf.clone(),
                setup,
                email: form.email.clone().unwrap_or_default(),
                name: form.name.clone().unwrap_or_default(),
                problem: Some(problem),
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    if setup && email.is_none() {
        return again("email");
    }
    if setup && name.is_none() {
        return again("name");
    }
    if form.password != form.confirm {
        return again("mismatch");
    }
    let check_email = email.clone().filter(|_| setup).unwrap_or_default();
    if let Err(problem) = check_policy(&form.password, &check_email) {
        return again(problem_code(problem));
    }
    let hash = state.passwords.hash(&form.password).await.map_err(AppError::Internal)?;
    let now = state.clock.now();
    let token_hash = hash_token(&token);
    let result = if setup {
        let new = NewUser {
            email: email.unwrap_or_default(),
            display_name: name.unwrap_or_default(),
            role: Role::Admin,
            organisation_id: None,
            password_hash: Some(hash),
        };
        accounts::complete_setup(&state.db, &token_hash, now, &new).await.map(|_| ())
    } else {
        accounts::complete_password_link(&state.db, &token_hash, now, &hash).await.map(|_| ())
    };
    match result {
        Ok(()) => Ok(Redirect::to("/login").into_response()),
        Err(StoreError::Duplicate { .. }) => again("email_taken"),
        Err(e) => Err(e.into()),
    }
}
