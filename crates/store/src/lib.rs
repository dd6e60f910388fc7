//! Persistence of giamsat on SQLite (the embedded default) and PostgreSQL (production).
//!
//! `entities` are rows and nothing more; the modules beside them map rows to domain types explicitly and
//! parse them on the way back, so a corrupt row is reported rather than shown. Every write runs in one
//! transaction together with its audit row.

pub mod accounts;
mod addressees;
pub mod audit;
pub mod calendar;
pub mod dashboard;
pub mod db;
mod decisions;
pub mod edits;
pub mod entities;
mod error;
pub mod formal_settings;
pub mod leases;
pub mod ledger;
mod link_edges;
pub mod links;
mod mapping;
mod mission_lists;
pub mod missions;
pub mod mywork;
mod names;
pub mod orgs;
pub mod reports;
mod rows;
pub mod search;
pub mod synthetic;
#[cfg(feature = "testing")]
pub mod testing;
pub mod units;
mod visibility;

pub use db::{Db, connect};

/// Brings a database up to date: every pending migration, then the search index rebuilt if it is of an older
/// form ([`missions::rebuild_search_index`]). Every command runs it when it opens the database.
///
/// # Errors
/// [`StoreError::Db`] if a migration fails (it is rolled back on PostgreSQL) or the index cannot be rebuilt.
pub async fn migrate(db: &Db) -> Result<(), StoreError> {
    db::migrate_schema(db).await?;
    missions::rebuild_search_index(db).await?;
    Ok(())
}
pub use error::StoreError;

/// Re-exported so tests and tools can inspect rows with the same sea-orm version.
pub use sea_orm;
