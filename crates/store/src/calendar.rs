//! Per-account calendar feeds: a secret URL whose token is stored only as its SHA-256. One feed per account;
//! a new one replaces the old, and revoking deletes it.

use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter};

use crate::accounts::User;
use crate::audit::{self, Actor, Change};
use crate::db::begin_write;
use crate::entities::{calendar_feeds, users};
use crate::{Db, StoreError};

/// Gives `user_id` a feed with the token hashed as `token_hash`, replacing any earlier one.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn create(db: &Db, user_id: i64, token_hash: &str, actor: &Actor) -> Result<(), StoreError> {
    let txn = begin_write(db).await?;
    calendar_feeds::Entity::delete_many().filter(calendar_feeds::Column::UserId.eq(user_id)).exec(&txn).await?;
    let id = calendar_feeds::Entity::insert(calendar_feeds::ActiveModel {
        id: NotSet,
        user_id: Set(user_id),
        token_hash: Set(token_hash.to_owned()),
        created_at: Set(actor.at),
    })
    .exec(&txn)
    .await?
    .last_insert_id;
    let change = Change {
        action: "calendar.create",
        entity: "calendar_feed",
        entity_id: Some(id),
        mission_id: None,
        before: None,
        after: None,
    };
    audit::record(&txn, actor, change).await?;
    txn.commit().await?;
    Ok(())
}

/// Ends `user_id`'s feed, if any.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn revoke(db: &Db, user_id: i64, actor: &Actor) -> Result<(), StoreError> {
    let txn = begin_write(db).await?;
    let deleted =
        calendar_feeds::Entity::delete_many().filter(calendar_feeds::Column::UserId.eq(user_id)).exec(&txn).await?;
    if deleted.rows_affected > 0 {
        let change = Change {
            action: "calendar.revoke",
            entity: "calendar_feed",
            entity_id: None,
            mission_id: None,
            before: None,
            after: None,
        };
        audit::record(&txn, actor, change).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Whether `user_id` has a live feed.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn has_feed(conn: &impl ConnectionTrait, user_id: i64) -> Result<bool, StoreError> {
    Ok(calendar_feeds::Entity::find().filter(calendar_feeds::Column::UserId.eq(user_id)).one(conn).await?.is_some())
}

/// The enabled account whose feed token hashes to `token_hash`.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn user_of(conn: &impl ConnectionTrait, token_hash: &str) -> Result<Option<User>, StoreError> {
    let Some(feed) =
        calendar_feeds::Entity::find().filter(calendar_feeds::Column::TokenHash.eq(token_hash)).one(conn).await?
    else {
        return Ok(None);
    };
    let user = users::Entity::find_by_id(feed.user_id).one(conn).await?.map(User::try_from).transpose()?;
    Ok(user.filter(|u| !u.disabled))
}
