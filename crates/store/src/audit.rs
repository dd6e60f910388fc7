//! The audit trail. Rows are only ever inserted, in the transaction of the change they describe.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, NotSet};

use crate::StoreError;
use crate::entities::audit_events;

/// Who made a change: "user:12", "cli", "system", with the request it came in, if any, and when: the caller's
/// clock (the web's `state.clock`, the command line's reading at its start), which every timestamp the change
/// writes takes, so the store never reads the system time itself and a test with a fixed clock fixes them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub label: String,
    pub request_id: Option<String>,
    pub at: DateTime<Utc>,
}

impl Actor {
    #[must_use]
    pub fn cli(at: DateTime<Utc>) -> Self {
        Actor { label: "cli".to_owned(), request_id: None, at }
    }

    #[must_use]
    pub fn system(at: DateTime<Utc>) -> Self {
        Actor { label: "system".to_owned(), request_id: None, at }
    }
}

/// One audited change.
pub struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub mission_id: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Appends the audit row of `change`; call it inside the change's transaction.
///
/// # Errors
/// [`StoreError::Db`] if the row cannot be written (the caller's transaction then rolls back).
pub async fn record(conn: &impl ConnectionTrait, actor: &Actor, change: Change<'_>) -> Result<(), StoreError> {
    audit_events::Entity::insert(row(actor, change, actor.at)).exec(conn).await?;
    Ok(())
}

/// The audit row of `change`, made at `at`.
pub(crate) fn row(actor: &Actor, change: Change<'_>, at: chrono::DateTime<Utc>) -> audit_events::ActiveModel {
    audit_events::ActiveModel {
        id: NotSet,
        at: Set(at),
        actor: Set(actor.label.clone()),
        action: Set(change.action.to_owned()),
        entity: Set(change.entity.to_owned()),
        entity_id: Set(change.entity_id),
        mission_id: Set(change.mission_id),
        before: Set(change.before),
        after: Set(change.after),
        request_id: Set(actor.request_id.clone()),
    }
}

/// One row of the audit trail as administrators read it.
pub type Event = crate::entities::audit_events::Model;

/// Filters of the audit view.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub mission_id: Option<i64>,
    /// An actor label ("user:12", "cli"), or an account's e-mail or a fragment of its name.
    pub actor: Option<String>,
}

/// The account an actor label names ("user:12" → 12).
#[must_use]
pub fn account_id(label: &str) -> Option<i64> {
    label.strip_prefix("user:").and_then(|id| id.parse().ok())
}

/// The actor labels `filter.actor` stands for: itself, and every account whose e-mail it is (in any case) or
/// whose name contains it (ignoring case and diacritics). Accounts are few: they are matched here rather than
/// with `LIKE`, whose case rules differ between SQLite and PostgreSQL.
async fn actor_labels(conn: &impl ConnectionTrait, actor: &str) -> Result<Vec<String>, StoreError> {
    use giamsat_domain::text::fold;
    let mut labels = vec![actor.to_owned()];
    if account_id(actor).is_some() {
        return Ok(labels);
    }
    let wanted = fold(actor);
    if wanted.is_empty() {
        return Ok(labels);
    }
    let email = actor.trim().to_lowercase();
    labels.extend(
        crate::entities::users::Entity::find()
            .all(conn)
            .await?
            .into_iter()
            .filter(|u| u.email.to_lowercase() == email || fold(&u.display_name).contains(&wanted))
            .map(|u| format!("user:{}", u.id)),
    );
    Ok(labels)
}

/// The newest `limit` events matching `filter`, newest first.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn list(conn: &impl ConnectionTrait, filter: &Filter, limit: u64) -> Result<Vec<Event>, StoreError> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    let mut query = audit_events::Entity::find().order_by_desc(audit_events::Column::Id).limit(limit);
    if let Some(mission_id) = filter.mission_id {
        query = query.filter(audit_events::Column::MissionId.eq(mission_id));
    }
    if let Some(actor) = &filter.actor {
        query = query.filter(audit_events::Column::Actor.is_in(actor_labels(conn, actor).await?));
    }
    Ok(query.all(conn).await?)
}

/// The account an audit row names, as the audit log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountName {
    pub name: String,
    pub email: String,
}

/// An audit row with the names its ids stand for.
#[derive(Debug, Clone, PartialEq)]
pub struct Described {
    pub event: Event,
    /// The account of a "user:…" actor; `None` for the command line, the system, or an account gone.
    pub account: Option<AccountName>,
    /// The mission's name (`naming::mission_name`); `None` without a mission or when it is gone.
    pub mission_name: Option<String>,
}

/// The accounts the actors of `events` name, by id (one query).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn accounts_of(
    conn: &impl ConnectionTrait,
    events: &[Event],
) -> Result<HashMap<i64, AccountName>, StoreError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let mut user_ids: Vec<i64> = events.iter().filter_map(|e| account_id(&e.actor)).collect();
    user_ids.sort_unstable();
    user_ids.dedup();
    if user_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(crate::entities::users::Entity::find()
        .filter(crate::entities::users::Column::Id.is_in(user_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, AccountName { name: u.display_name, email: u.email }))
        .collect())
}

/// [`list`] with the accounts and missions named: three queries whatever the number of rows (for a page: the
/// missions are looked up by id in one statement).
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`] (a mission's decision number).
pub async fn described(conn: &impl ConnectionTrait, filter: &Filter, limit: u64) -> Result<Vec<Described>, StoreError> {
    let events = list(conn, filter, limit).await?;
    let users = accounts_of(conn, &events).await?;
    let mut mission_ids: Vec<i64> = events.iter().filter_map(|e| e.mission_id).collect();
    mission_ids.sort_unstable();
    mission_ids.dedup();
    let names = crate::names::names_of(conn, mission_ids).await?;
    Ok(events
        .into_iter()
        .map(|event| Described {
            account: account_id(&event.actor).and_then(|id| users.get(&id)).cloned(),
            mission_name: event.mission_id.and_then(|id| names.get(&id)).cloned(),
            event,
        })
        .collect())
}

/// One change of a mission made by someone, as a conflict page names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionChange {
    pub at: chrono::DateTime<Utc>,
    /// The account's display name; `None` for the command line, the system or a removed account.
    pub actor_name: Option<String>,
    pub action: String,
}

/// The changes made to mission `mission_id` after `after`, oldest first (at most 50), with who made them.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn mission_changes_since(
    conn: &impl ConnectionTrait,
    mission_id: i64,
    after: chrono::DateTime<Utc>,
) -> Result<Vec<MissionChange>, StoreError> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    let events = audit_events::Entity::find()
        .filter(audit_events::Column::MissionId.eq(mission_id))
        .filter(audit_events::Column::At.gt(after))
        .order_by_asc(audit_events::Column::Id)
        .limit(50)
        .all(conn)
        .await?;
    let ids: Vec<i64> = events.iter().filter_map(|e| account_id(&e.actor)).collect();
    let users = if ids.is_empty() {
        Vec::new()
    } else {
        crate::entities::users::Entity::find().filter(crate::entities::users::Column::Id.is_in(ids)).all(conn).await?
    };
    Ok(events
        .into_iter()
        .map(|e| {
            let user = account_id(&e.actor);
            MissionChange {
                at: e.at,
                actor_name: user.and_then(|id| users.iter().find(|u| u.id == id)).map(|u| u.display_name.clone()),
                action: e.action,
            }
        })
        .collect())
}
