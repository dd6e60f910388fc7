//! Database leases: which app instance runs a background job's round. Taking a lease is one statement —
//! insert the job's row, or take it over only if it has expired — so two instances racing on one database
//! (SQLite or PostgreSQL, whose row lock makes the loser re-check the condition) cannot both win.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::StoreError;
use crate::entities::job_leases;

/// Takes the lease on job `name` for `holder` until `now + ttl`, if nobody holds an unexpired one. True when
/// taken.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn acquire(
    conn: &impl ConnectionTrait,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<bool, StoreError> {
    let row = job_leases::ActiveModel {
        name: Set(name.to_owned()),
        holder: Set(holder.to_owned()),
        expires_at: Set(now + ttl),
    };
    let mut take_over = OnConflict::column(job_leases::Column::Name);
    take_over
        .update_columns([job_leases::Column::Holder, job_leases::Column::ExpiresAt])
        .action_and_where(Expr::col((job_leases::Entity, job_leases::Column::ExpiresAt)).lte(now));
    let taken = job_leases::Entity::insert(row).on_conflict(take_over).exec_without_returning(conn).await?;
    Ok(taken == 1)
}
