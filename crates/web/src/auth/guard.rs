//! The bridge from handlers to the policy: extractors that demand a login, and `authorize`, which loads what
//! the policy needs about a mission and asks `giamsat_domain::policy::can`. A mission the user may not view
//! answers exactly like one that does not exist; one they may view but not change answers 403.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use giamsat_domain::policy::{Action, MissionScope, can};
use giamsat_store::accounts;

use crate::auth::session::{CurrentUser, MaybeUser};
use crate::error::AppError;
use crate::state::AppState;

/// A handler argument that requires a logged-in user: anonymous page requests are sent to the login page.
pub struct Authenticated(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for Authenticated {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        match parts.extensions.get::<MaybeUser>() {
            Some(MaybeUser(Some(user))) => Ok(Authenticated(user.clone())),
            _ => Err(AppError::LoginRequired { next: parts.uri.path().to_owned() }),
        }
    }
}

/// The client's address, when the server knows it (absent in in-process tests). Behind a reverse proxy this is
/// the proxy's address; throttling per address then throttles the proxy, which errs on the safe side.
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|axum::extract::ConnectInfo(addr)| addr.ip()),
        ))
    }
}

/// Allows `action` on the mission `mission_id` or answers as the policy says; returns the scope it used.
///
/// # Errors
/// [`AppError::NotFound`] when the user may not even view the mission (or it does not exist),
/// [`AppError::Forbidden`] when they may view it but not do `action`.
pub async fn authorize(
    state: &AppState,
    current: &CurrentUser,
    mission_id: i64,
    action: Action,
) -> Result<MissionScope, AppError> {
    let subject = current.subject();
    let scope = accounts::mission_scope(&state.db, mission_id, subject.user_id).await?;
    if !can(Some(&subject), Action::View, Some(&scope)) {
        tracing::warn!(user_id = subject.user_id, mission_id, ?action, "access denied: mission not visible");
        return Err(AppError::NotFound);
    }
    if !can(Some(&subject), action, Some(&scope)) {
        tracing::warn!(user_id = subject.user_id, mission_id, ?action, "access denied");
        return Err(AppError::Forbidden);
    }
    Ok(scope)
}

/// Allows an action that concerns no particular mission (creating one, administering).
///
/// # Errors
/// [`AppError::Forbidden`] when the policy refuses.
pub fn allow(current: &CurrentUser, action: Action) -> Result<(), AppError> {
    if can(Some(&current.subject()), action, None) {
        Ok(())
    } else {
        tracing::warn!(user_id = current.user.id, ?action, "access denied");
        Err(AppError::Forbidden)
    }
}
