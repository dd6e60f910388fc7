//! Accounts and what guards them: users, one-time links, sessions, login attempts, mission assignments and API
//! tokens. Secrets never reach this module: it stores and compares SHA-256 hashes made by the web layer.

use chrono::{DateTime, Utc};
use giamsat_domain::policy::{Capacity, MissionScope, Role};
use giamsat_domain::workflow::MissionState;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, NotSet, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

use crate::audit::{self, Actor, Change};
use crate::db::begin_write;
use crate::entities::{
    api_tokens, auth_sessions, login_attempts, mission_assignments, missions, one_time_tokens, users,
};
use crate::mapping::code;
use crate::{Db, StoreError};

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub password_hash: Option<String>,
    pub disabled: bool,
}

impl TryFrom<users::Model> for User {
    type Error = StoreError;
    fn try_from(row: users::Model) -> Result<Self, StoreError> {
        Ok(User {
            role: code("users", row.id, &row.role, Role::from_code)?,
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            organisation_id: row.organisation_id,
            password_hash: row.password_hash,
            disabled: row.disabled,
        })
    }
}

/// A new account, before it has a password.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub password_hash: Option<String>,
}

/// Number of accounts (zero on a fresh install: the setup link is then printed).
///
/// # Errors
/// [`StoreError::Db`] on database failure.
pub async fn count(conn: &impl ConnectionTrait) -> Result<u64, StoreError> {
    Ok(users::Entity::find().count(conn).await?)
}

/// Creates an account with its audit row.
///
/// # Errors
/// [`StoreError::Duplicate`] if the email is taken; [`StoreError::Db`] on database failure.
pub async fn create(db: &Db, new: &NewUser, actor: &Actor) -> Result<i64, StoreError> {
    let txn = begin_write(db).await?;
    let id = create_in(&txn, new, actor).await?;
    txn.commit().await?;
    Ok(id)
}

pub(crate) async fn create_in(conn: &impl ConnectionTrait, new: &NewUser, actor: &Actor) -> Result<i64, StoreError> {
    if users::Entity::find().filter(users::Column::Email.eq(&new.email)).one(conn).await?.is_some() {
        return Err(StoreError::Duplicate { field: "email" });
    }
    let now = actor.at;
    let id = users::Entity::insert(users::ActiveModel {
        id: NotSet,
        email: Set(new.email.clone()),
        display_name: Set(new.display_name.clone()),
        role: Set(new.role.code().to_owned()),
        organisation_id: Set(new.organisation_id),
        password_hash: Set(new.password_hash.clone()),
        disabled: Set(false),
        version: Set(1),
        created_at: Set(now),
        password_changed_at: Set(new.password_hash.as_ref().map(|_| now)),
    })
    .exec(conn)
    .await?
    .last_insert_id;
    audit::record(
        conn,
        actor,
        Change {
            action: "user.create",
            entity: "user",
            entity_id: Some(id),
            mission_id: None,
            before: None,
            after: Some(format!("{} ({})", new.email, new.role.code())),
        },
    )
    .await?;
    Ok(id)
}

/// The account with this (normalised) email.
///
/// # Errors
/// [`StoreError::Db`], or [`StoreError::Corrupt`] for an unknown role code.
pub async fn by_email(conn: &impl ConnectionTrait, email: &str) -> Result<Option<User>, StoreError> {
    users::Entity::find().filter(users::Column::Email.eq(email)).one(conn).await?.map(User::try_from).transpose()
}

/// The account with this id.
///
/// # Errors
/// [`StoreError::Db`], or [`StoreError::Corrupt`] for an unknown role code.
pub async fn by_id(conn: &impl ConnectionTrait, id: i64) -> Result<Option<User>, StoreError> {
    users::Entity::find_by_id(id).one(conn).await?.map(User::try_from).transpose()
}

/// Every account, by email.
///
/// # Errors
/// [`StoreError::Db`], or [`StoreError::Corrupt`] for an unknown role code.
pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<User>, StoreError> {
    users::Entity::find().order_by_asc(users::Column::Email).all(conn).await?.into_iter().map(User::try_from).collect()
}

/// Sets a password hash and ends every session and API token of the account (a changed password logs out
/// everywhere, scripts included).
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown account; [`StoreError::Db`].
pub async fn set_password(db: &Db, user_id: i64, hash: &str, actor: &Actor) -> Result<(), StoreError> {
    let txn = begin_write(db).await?;
    write_password(&txn, user_id, hash, actor.at, actor).await?;
    txn.commit().await?;
    Ok(())
}

/// Stores a password hash, ends the account's sessions and API tokens and audits it (inside the caller's
/// transaction).
async fn write_password(
    conn: &impl ConnectionTrait,
    user_id: i64,
    hash: &str,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<(), StoreError> {
    let updated = users::Entity::update_many()
        .col_expr(users::Column::PasswordHash, Expr::value(hash))
        .col_expr(users::Column::PasswordChangedAt, Expr::value(now))
        .col_expr(users::Column::Version, Expr::col(users::Column::Version).add(1))
        .filter(users::Column::Id.eq(user_id))
        .exec(conn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(StoreError::NotFound);
    }
    end_sessions(conn, user_id).await?;
    revoke_api_tokens(conn, user_id, now).await?;
    audit::record(
        conn,
        actor,
        Change {
            action: "user.password",
            entity: "user",
            entity_id: Some(user_id),
            mission_id: None,
            before: None,
            after: None,
        },
    )
    .await
}

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Creates the first administrator (no account yet).
    Setup,
    /// Sets the password of an existing account.
    Password,
}

impl LinkPurpose {
    fn code(self) -> &'static str {
        match self {
            LinkPurpose::Setup => "setup",
            LinkPurpose::Password => "password",
        }
    }
}

/// Stores a one-time link (by the hash of its token).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn create_link(
    conn: &impl ConnectionTrait,
    token_hash: &str,
    user_id: Option<i64>,
    purpose: LinkPurpose,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    one_time_tokens::Entity::insert(one_time_tokens::ActiveModel {
        id: Set(token_hash.to_owned()),
        user_id: Set(user_id),
        purpose: Set(purpose.code().to_owned()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// The account a valid (unused, unexpired) link is for, without using it up.
///
/// # Errors
/// [`StoreError::NotFound`] if the link is unknown, used, expired or of another purpose.
pub async fn peek_link(
    conn: &impl ConnectionTrait,
    token_hash: &str,
    purpose: LinkPurpose,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    let link = one_time_tokens::Entity::find_by_id(token_hash).one(conn).await?.ok_or(StoreError::NotFound)?;
    if link.used_at.is_some() || link.expires_at <= now || link.purpose != purpose.code() {
        return Err(StoreError::NotFound);
    }
    Ok(link.user_id)
}

/// Uses up a link; exactly one of two concurrent uses succeeds.
///
/// # Errors
/// [`StoreError::NotFound`] if it was used meanwhile or has expired.
pub async fn consume_link(conn: &impl ConnectionTrait, token_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let updated = one_time_tokens::Entity::update_many()
        .col_expr(one_time_tokens::Column::UsedAt, Expr::value(now))
        .filter(one_time_tokens::Column::Id.eq(token_hash))
        .filter(one_time_tokens::Column::UsedAt.is_null())
        .filter(one_time_tokens::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?;
    if updated.rows_affected == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// A live session with its account.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id_hash: String,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user: User,
    /// The database's `data_version` when the session was read: pages rendered at this number are current.
    pub data_version: i64,
}

/// Starts a session.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn create_session(
    conn: &impl ConnectionTrait,
    id_hash: &str,
    user_id: i64,
    csrf_token: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    auth_sessions::Entity::insert(auth_sessions::ActiveModel {
        id: Set(id_hash.to_owned()),
        user_id: Set(user_id),
        csrf_token: Set(csrf_token.to_owned()),
        created_at: Set(now),
        last_seen_at: Set(now),
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// The session with this id hash, and its account (one query: every signed-in request asks it).
///
/// # Errors
/// [`StoreError::Db`], or [`StoreError::Corrupt`].
pub async fn session(conn: &impl ConnectionTrait, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
    let account = auth_sessions::Entity::belongs_to(users::Entity)
        .from(auth_sessions::Column::UserId)
        .to(users::Column::Id)
        .into();
    // The data version comes with the session, in the same statement: a page served from the page cache then
    // costs this one statement.
    let statement = auth_sessions::Entity::find_by_id(id_hash)
        .select_also(users::Entity)
        .join(JoinType::InnerJoin, account)
        .expr_as(Expr::cust("(SELECT version FROM data_version WHERE id = 1)"), "data_version")
        .build(conn.get_database_backend());
    let Some(row) = conn.query_one_raw(statement).await? else {
        return Ok(None);
    };
    let session = auth_sessions::Model::from_query_result(&row, "A_")?;
    let user = users::Model::from_query_result(&row, "B_")?;
    Ok(Some(SessionRow {
        id_hash: session.id,
        csrf_token: session.csrf_token,
        created_at: session.created_at,
        last_seen_at: session.last_seen_at,
        user: User::try_from(user)?,
        data_version: row.try_get("", "data_version")?,
    }))
}

/// Records activity on a session (for the idle timeout).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn touch_session(conn: &impl ConnectionTrait, id_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    auth_sessions::Entity::update_many()
        .col_expr(auth_sessions::Column::LastSeenAt, Expr::value(now))
        .filter(auth_sessions::Column::Id.eq(id_hash))
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends a session.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn delete_session(conn: &impl ConnectionTrait, id_hash: &str) -> Result<(), StoreError> {
    auth_sessions::Entity::delete_by_id(id_hash).exec(conn).await?;
    Ok(())
}

/// Records a login attempt under `key` ("account:…" or "ip:…").
///
/// # Errors
/// [`StoreError::Db`].
pub async fn record_attempt(
    conn: &impl ConnectionTrait,
    key: &str,
    succeeded: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    login_attempts::Entity::insert(login_attempts::ActiveModel {
        id: NotSet,
        key: Set(key.to_owned()),
        succeeded: Set(succeeded),
        at: Set(now),
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// The failed login attempts under one key that still count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failures {
    pub count: u64,
    pub oldest: Option<DateTime<Utc>>,
    pub newest: Option<DateTime<Utc>>,
}

/// Which failures count towards throttling a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureCount {
    /// Every failure since the cut-off: an address (a success from it must not wipe out a spraying attacker's
    /// failures, who may well hold a valid account of their own).
    All,
    /// Only the failures after the key's latest success: an account (whoever logged in knew the password).
    SinceLastSuccess,
}

/// The failed attempts under `key` ("account:…" or "ip:…") after `since`, counted as `count` says.
/// Successful attempts are never counted.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn failures_since(
    conn: &impl ConnectionTrait,
    key: &str,
    since: DateTime<Utc>,
    count: FailureCount,
) -> Result<Failures, StoreError> {
    let mut query = login_attempts::Entity::find()
        .filter(login_attempts::Column::Key.eq(key))
        .filter(login_attempts::Column::At.gt(since));
    if count == FailureCount::All {
        // An office's many successful logins from one address are not even read.
        query = query.filter(login_attempts::Column::Succeeded.eq(false));
    }
    let rows =
        query.order_by_asc(login_attempts::Column::At).order_by_asc(login_attempts::Column::Id).all(conn).await?;
    let after_success = rows.iter().rposition(|r| r.succeeded).map_or(0, |i| i + 1);
    let failed: Vec<_> = rows.iter().skip(after_success).filter(|r| !r.succeeded).collect();
    Ok(Failures {
        count: failed.len() as u64,
        oldest: failed.first().map(|r| r.at),
        newest: failed.last().map(|r| r.at),
    })
}

/// Assigns an account to a mission as leader or member (replacing an earlier assignment).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn assign(
    db: &Db,
    mission_id: i64,
    user_id: i64,
    capacity: Capacity,
    actor: &Actor,
) -> Result<(), StoreError> {
    let txn = begin_write(db).await?;
    mission_assignments::Entity::delete_many()
        .filter(mission_assignments::Column::MissionId.eq(mission_id))
        .filter(mission_assignments::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    mission_assignments::Entity::insert(mission_assignments::ActiveModel {
        id: NotSet,
        mission_id: Set(mission_id),
        user_id: Set(user_id),
        capacity: Set(capacity.code().to_owned()),
    })
    .exec(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        Change {
            action: "mission.assign",
            entity: "user",
            entity_id: Some(user_id),
            mission_id: Some(mission_id),
            before: None,
            after: Some(capacity.code().to_owned()),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What the policy needs about `mission_id` for `user_id`: owner, state and the user's capacity (two queries).
///
/// # Errors
/// [`StoreError::NotFound`] if there is no such mission; [`StoreError::Db`].
pub async fn mission_scope(
    conn: &impl ConnectionTrait,
    mission_id: i64,
    user_id: i64,
) -> Result<MissionScope, StoreError> {
    // One statement: every mission page and form asks this first.
    let capacity = Query::select()
        .column(mission_assignments::Column::Capacity)
        .from(mission_assignments::Entity)
        .and_where(mission_assignments::Column::MissionId.eq(mission_id))
        .and_where(mission_assignments::Column::UserId.eq(user_id))
        .limit(1)
        .to_owned();
    let (owner_org_id, state, capacity): (i64, String, Option<String>) = missions::Entity::find_by_id(mission_id)
        .select_only()
        .columns([missions::Column::OwnerOrgId, missions::Column::State])
        .expr(Expr::SubQuery(None, Box::new(capacity.into())))
        .into_tuple()
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(MissionScope {
        owner_org_id,
        state: code("missions", mission_id, &state, MissionState::from_code)?,
        capacity: capacity.map(|c| code("mission_assignments", mission_id, &c, Capacity::from_code)).transpose()?,
    })
}

/// The active accounts that might approve `mission_id`'s article, each with its capacity on the mission: those
/// assigned to it, then the administrators (two queries). The policy decides which of them may.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn approver_candidates(
    conn: &impl ConnectionTrait,
    mission_id: i64,
) -> Result<Vec<(User, Option<Capacity>)>, StoreError> {
    let assigned = mission_assignments::Entity::find()
        .filter(mission_assignments::Column::MissionId.eq(mission_id))
        .all(conn)
        .await?;
    let ids: Vec<i64> = assigned.iter().map(|a| a.user_id).collect();
    let users = users::Entity::find()
        .filter(users::Column::Disabled.eq(false))
        .filter(
            sea_orm::Condition::any().add(users::Column::Id.is_in(ids)).add(users::Column::Role.eq(Role::Admin.code())),
        )
        .order_by_asc(users::Column::Id)
        .all(conn)
        .await?;
    users
        .into_iter()
        .map(|row| {
            let capacity = assigned
                .iter()
                .find(|a| a.user_id == row.id)
                .map(|a| code("mission_assignments", a.id, &a.capacity, Capacity::from_code))
                .transpose()?;
            Ok((User::try_from(row)?, capacity))
        })
        .collect()
}

/// Creates an API token for `user_id` (stored by hash; `prefix` lets the owner recognise it).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn create_api_token(
    db: &Db,
    user_id: i64,
    name: &str,
    token_hash: &str,
    prefix: &str,
    actor: &Actor,
) -> Result<i64, StoreError> {
    let txn = begin_write(db).await?;
    let id = api_tokens::Entity::insert(api_tokens::ActiveModel {
        id: NotSet,
        user_id: Set(user_id),
        name: Set(name.to_owned()),
        token_hash: Set(token_hash.to_owned()),
        created_at: Set(actor.at),
        revoked_at: Set(None),
        prefix: Set(Some(prefix.to_owned())),
    })
    .exec(&txn)
    .await?
    .last_insert_id;
    audit::record(
        &txn,
        actor,
        Change {
            action: "api_token.create",
            entity: "api_token",
            entity_id: Some(id),
            mission_id: None,
            before: None,
            after: Some(name.to_owned()),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// The account of a live (unrevoked) API token.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn api_token_user(conn: &impl ConnectionTrait, token_hash: &str) -> Result<Option<User>, StoreError> {
    let Some(token) = api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(token_hash))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    by_id(conn, token.user_id).await
}

/// Revokes an API token of `user_id`.
///
/// # Errors
/// [`StoreError::NotFound`] if the user has no such live token.
pub async fn revoke_api_token(db: &Db, user_id: i64, token_id: i64, actor: &Actor) -> Result<(), StoreError> {
    let txn = begin_write(db).await?;
    let updated = api_tokens::Entity::update_many()
        .col_expr(api_tokens::Column::RevokedAt, Expr::value(actor.at))
        .filter(api_tokens::Column::Id.eq(token_id))
        .filter(api_tokens::Column::UserId.eq(user_id))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(StoreError::NotFound);
    }
    audit::record(
        &txn,
        actor,
        Change {
            action: "api_token.revoke",
            entity: "api_token",
            entity_id: Some(token_id),
            mission_id: None,
            before: None,
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Uses up a setup link and creates the first administrator with it, in one transaction.
///
/// # Errors
/// [`StoreError::NotFound`] if the link was used or expired; [`StoreError::Duplicate`] if the email is taken.
pub async fn complete_setup(db: &Db, token_hash: &str, now: DateTime<Utc>, new: &NewUser) -> Result<i64, StoreError> {
    let txn = begin_write(db).await?;
    peek_link(&txn, token_hash, LinkPurpose::Setup, now).await?;
    consume_link(&txn, token_hash, now).await?;
    let id = create_in(&txn, new, &Actor { label: "setup-link".to_owned(), request_id: None, at: now }).await?;
    txn.commit().await?;
    Ok(id)
}

/// Uses up a password link and sets the account's password with it, in one transaction; every session of the
/// account ends.
///
/// # Errors
/// [`StoreError::NotFound`] if the link was used, expired or is for no account.
pub async fn complete_password_link(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
    hash: &str,
) -> Result<i64, StoreError> {
    let txn = begin_write(db).await?;
    let user_id = peek_link(&txn, token_hash, LinkPurpose::Password, now).await?.ok_or(StoreError::NotFound)?;
    consume_link(&txn, token_hash, now).await?;
    write_password(&txn, user_id, hash, now, &Actor { label: format!("user:{user_id}"), request_id: None, at: now })
        .await?;
    txn.commit().await?;
    Ok(user_id)
}

/// Ends every session of an account (after an administrator's reset, a role change or disabling).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn end_sessions(conn: &impl ConnectionTrait, user_id: i64) -> Result<(), StoreError> {
    auth_sessions::Entity::delete_many().filter(auth_sessions::Column::UserId.eq(user_id)).exec(conn).await?;
    Ok(())
}

/// Revokes every live API token of an account: a token is a credential derived from the password, so it ends
/// when the password changes or is reset, or when the account is disabled.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn revoke_api_tokens(
    conn: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    api_tokens::Entity::update_many()
        .col_expr(api_tokens::Column::RevokedAt, Expr::value(now))
        .filter(api_tokens::Column::UserId.eq(user_id))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// An administrator's reset: every session and API token of the account ends at once (its one-time link to set
/// a new password is made by the caller), audited.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown account; [`StoreError::Db`].
pub async fn reset(db: &Db, user_id: i64, actor: &Actor) -> Result<(), StoreError> {
    let txn = begin_write(db).await?;
    by_id(&txn, user_id).await?.ok_or(StoreError::NotFound)?;
    end_sessions(&txn, user_id).await?;
    revoke_api_tokens(&txn, user_id, actor.at).await?;
    audit::record(
        &txn,
        actor,
        Change {
            action: "user.reset",
            entity: "user",
            entity_id: Some(user_id),
            mission_id: None,
            before: None,
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Disables an account (its sessions and API tokens end at once; it can no longer log in) or enables it again
/// (its old tokens stay revoked), audited.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown account; [`StoreError::Db`].
pub async fn set_disabled(db: &Db, user_id: i64, disabled: bool, actor: &Actor) -> Result<(), StoreError> {
    let txn = begin_write(db).await?;
    let updated = users::Entity::update_many()
        .col_expr(users::Column::Disabled, Expr::value(disabled))
        .col_expr(users::Column::Version, Expr::col(users::Column::Version).add(1))
        .filter(users::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(StoreError::NotFound);
    }
    if disabled {
        end_sessions(&txn, user_id).await?;
        revoke_api_tokens(&txn, user_id, actor.at).await?;
    }
    audit::record(
        &txn,
        actor,
        Change {
            action: if disabled { "user.disable" } else { "user.enable" },
            entity: "user",
            entity_id: Some(user_id),
            mission_id: None,
            before: None,
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The API tokens of an account, newest first (hashes are not returned).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn api_tokens_of(conn: &impl ConnectionTrait, user_id: i64) -> Result<Vec<ApiToken>, StoreError> {
    Ok(api_tokens::Entity::find()
        .filter(api_tokens::Column::UserId.eq(user_id))
        .order_by_desc(api_tokens::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|t| ApiToken {
            id: t.id,
            name: t.name,
            prefix: t.prefix.unwrap_or_default(),
            created_at: t.created_at,
            revoked: t.revoked_at.is_some(),
        })
        .collect())
}

/// An API token as its owner sees it.
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked: bool,
}

/// Changes an account's role and organisation; every session of the account ends, so the new privileges
/// start with a new session id.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown account; [`StoreError::Db`].
pub async fn change_role(
    db: &Db,
    user_id: i64,
    role: Role,
    organisation_id: Option<i64>,
    actor: &Actor,
) -> Result<(), StoreError> {
    let txn = begin_write(db).await?;
    let before = by_id(&txn, user_id).await?.ok_or(StoreError::NotFound)?;
    users::Entity::update_many()
        .col_expr(users::Column::Role, Expr::value(role.code()))
        .col_expr(users::Column::OrganisationId, Expr::value(organisation_id))
        .col_expr(users::Column::Version, Expr::col(users::Column::Version).add(1))
        .filter(users::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    end_sessions(&txn, user_id).await?;
    audit::record(
        &txn,
        actor,
        Change {
            action: "user.role",
            entity: "user",
            entity_id: Some(user_id),
            mission_id: None,
            before: Some(format!("{} {:?}", before.role.code(), before.organisation_id)),
            after: Some(format!("{} {organisation_id:?}", role.code())),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Ends an account's assignment to a mission.
///
/// # Errors
/// [`StoreError::NotFound`] if it was not assigned; [`StoreError::Db`].
pub async fn unassign(db: &Db, mission_id: i64, user_id: i64, actor: &Actor) -> Result<(), StoreError> {
    let txn = begin_write(db).await?;
    let deleted = mission_assignments::Entity::delete_many()
        .filter(mission_assignments::Column::MissionId.eq(mission_id))
        .filter(mission_assignments::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    audit::record(
        &txn,
        actor,
        Change {
            action: "mission.unassign",
            entity: "user",
            entity_id: Some(user_id),
            mission_id: Some(mission_id),
            before: None,
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The accounts assigned to a mission, with their capacity.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn assignments(conn: &impl ConnectionTrait, mission_id: i64) -> Result<Vec<(User, Capacity)>, StoreError> {
    let rows = mission_assignments::Entity::find()
        .filter(mission_assignments::Column::MissionId.eq(mission_id))
        .order_by_asc(mission_assignments::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
    let users: Vec<User> = users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(User::try_from)
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .filter_map(|r| {
            let user = users.iter().find(|u| u.id == r.user_id)?.clone();
            Some(code("mission_assignments", r.id, &r.capacity, Capacity::from_code).map(|c| (user, c)))
        })
        .collect()
}

/// Accounts that can be assigned to missions (team leaders and members), by email.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn assignable(conn: &impl ConnectionTrait) -> Result<Vec<User>, StoreError> {
    users::Entity::find()
        .filter(users::Column::Role.is_in([Role::TeamLeader.code(), Role::TeamMember.code()]))
        .filter(users::Column::Disabled.eq(false))
        .order_by_asc(users::Column::Email)
        .all(conn)
        .await?
        .into_iter()
        .map(User::try_from)
        .collect()
}

/// The active accounts of these organisations, by e-mail: who may be named a recommendation's owner.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn of_organisations(conn: &impl ConnectionTrait, organisations: Vec<i64>) -> Result<Vec<User>, StoreError> {
    users::Entity::find()
        .filter(users::Column::OrganisationId.is_in(organisations))
        .filter(users::Column::Disabled.eq(false))
        .order_by_asc(users::Column::Email)
        .all(conn)
        .await?
        .into_iter()
        .map(User::try_from)
        .collect()
}
