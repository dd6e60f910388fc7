//! The bridge from handlers to the policy: extractors that demand a login, and `authorize`, which loads what
//! the policy needs about a mission and asks `giamsat_domain::policy::can`. A mission the user may not view
//! answers exactly like one that does not exist; one they may view but not change answers 403.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use giamsat_domain::policy::{Action, MissionScope, can};
use giamsat_store::accounts;
use giamsat_store::sea_orm::ConnectionTrait;

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

/// The client's address, when the server knows it (absent in in-process tests): the peer, or, when the peer is
/// a trusted reverse proxy (`GIAMSAT_TRUSTED_PROXIES`), the address that proxy saw.
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|axum::extract::ConnectInfo(addr)| addr.ip());
        let forwarded: Vec<&str> =
            parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        Ok(ClientAddr(client_ip(peer, &forwarded.join(","), &state.trusted_proxies)))
    }
}

/// The address a request comes from: `peer`, unless `peer` is a trusted proxy; then the right-most address
/// of `X-Forwarded-For` that is not a trusted proxy (the left part is whatever the client claimed). An
/// unparsable entry stops the walk at the proxy that added it.
#[must_use]
pub fn client_ip(
    peer: Option<std::net::IpAddr>,
    forwarded_for: &str,
    trusted: &[std::net::IpAddr],
) -> Option<std::net::IpAddr> {
    let mut current = peer?;
    for hop in forwarded_for.rsplit(',').map(str::trim).filter(|h| !h.is_empty()) {
        if !trusted.contains(&current) {
            break;
        }
        match hop.parse() {
            Ok(ip) => current = ip,
            Err(_) => break,
        }
    }
    Some(current)
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
    authorize_in(&state.db, current, mission_id, action).await
}

/// [`authorize`] on `conn`: a page that reads in one transaction checks access in it too.
///
/// # Errors
/// Those of [`authorize`].
pub async fn authorize_in(
    conn: &impl ConnectionTrait,
    current: &CurrentUser,
    mission_id: i64,
    action: Action,
) -> Result<MissionScope, AppError> {
    let subject = current.subject();
    let scope = accounts::mission_scope(conn, mission_id, subject.user_id).await?;
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

/// Allows the ledger's import of progress ([`Action::ImportFollowUp`]); each row is checked again on its item.
///
/// # Errors
/// [`AppError::Forbidden`] when the policy refuses.
pub fn allow_follow_up_import(current: &CurrentUser) -> Result<(), AppError> {
    allow(current, Action::ImportFollowUp)
}

/// Whether the user may do an action that concerns no particular mission, for what a page offers (the guard
/// still checks the request that follows).
#[must_use]
pub fn may(current: &CurrentUser, action: Action) -> bool {
    can(Some(&current.subject()), action, None)
}

/// Allows changing what organisation `organisation_id` owns beyond one mission (its decisions, its formal report
/// settings): `policy::can_manage`. Refused, it answers as if the thing did not exist, as for a mission one may
/// not see.
///
/// # Errors
/// [`AppError::NotFound`] when the policy refuses.
pub fn manage(current: &CurrentUser, organisation_id: i64) -> Result<(), AppError> {
    if may_manage(current, organisation_id) {
        Ok(())
    } else {
        tracing::warn!(user_id = current.user.id, organisation_id, "access denied: organisation");
        Err(AppError::NotFound)
    }
}

/// Whether [`manage`] would allow it, for what a page offers.
#[must_use]
pub fn may_manage(current: &CurrentUser, organisation_id: i64) -> bool {
    giamsat_domain::policy::can_manage(Some(&current.subject()), organisation_id)
}

#[cfg(test)]
mod tests {
    use super::client_ip;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy = "10.0.0.2".parse().ok();
        let trusted = ["10.0.0.2".parse().expect("ip")];
        let client = "203.0.113.7".parse().ok();
        assert_eq!(client_ip(proxy, "198.51.100.1, 203.0.113.7", &trusted), client, "the proxy's own hop");
        assert_eq!(client_ip(client, "198.51.100.1", &trusted), client, "a direct client cannot claim another");
        assert_eq!(client_ip(proxy, "", &trusted), proxy, "no header: the proxy");
        assert_eq!(client_ip(proxy, "garbage", &trusted), proxy);
        assert_eq!(client_ip(None, "203.0.113.7", &trusted), None);
        assert_eq!(client_ip(proxy, "203.0.113.7", &[]), proxy, "nobody trusted");
    }
}
