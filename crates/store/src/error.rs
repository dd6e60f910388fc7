use giamsat_domain::formal::{SettingsError, SettingsField};
use giamsat_domain::mission::{EditError, InvalidMission};
use giamsat_domain::report::ReportError;
use giamsat_domain::workflow::WorkflowError;
use sea_orm::{DbErr, RuntimeErr};

/// What can go wrong in the store. The web layer turns each variant into a page and a status in one place.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// No such record (or one the caller may not know about: the web layer answers both alike).
    #[error("not found")]
    NotFound,
    /// Someone else changed the record since it was read: the write was refused, nothing was saved.
    #[error("version conflict: expected {expected}, the record is at {current}")]
    Conflict { expected: i32, current: i32 },
    /// A value that must be unique is taken (the field is named for the form).
    #[error("duplicate {field}")]
    Duplicate { field: &'static str },
    /// A row that does not parse back into the domain: reported instead of shown.
    #[error("corrupt row in {table} #{id}: {detail}")]
    Corrupt { table: &'static str, id: i64, detail: String },
    /// A durability setting did not take, so the app refuses to run.
    #[error("database setting {setting} is {found}, expected {expected}")]
    Setting { setting: &'static str, expected: String, found: String },
    /// The change would break a mission invariant.
    #[error("invalid mission: {0}")]
    Invalid(#[from] InvalidMission),
    /// The edit was refused by the domain (missing item, target in use, broken invariant).
    #[error("edit refused: {0}")]
    Edit(#[from] EditError),
    /// The workflow refused the transition.
    #[error("workflow: {0}")]
    Workflow(#[from] WorkflowError),
    /// The formal report's settings were refused, field by field.
    #[error("formal report settings refused: {0:?}")]
    Settings(Vec<(SettingsField, SettingsError)>),
    /// The editorial workflow refused the step.
    #[error("report: {0}")]
    Report(#[from] ReportError),
}

impl StoreError {
    /// Whether the database was unreachable or timed out (the web layer answers 503 and the client may retry).
    #[must_use]
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Db(DbErr::ConnectionAcquire(_) | DbErr::Conn(_)) => true,
            // A pooled connection is no longer pinged on every acquire, so a database that went away is
            // first seen by the statement itself, as an I/O or protocol failure of its connection.
            StoreError::Db(DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) => {
                matches!(
                    e.as_ref(),
                    sea_orm::sqlx::Error::Io(_)
                        | sea_orm::sqlx::Error::Protocol(_)
                        | sea_orm::sqlx::Error::PoolTimedOut
                        | sea_orm::sqlx::Error::PoolClosed
                        | sea_orm::sqlx::Error::WorkerCrashed
                ) || matches!(e.as_ref(), sea_orm::sqlx::Error::Database(db)
                        if db.code().is_some_and(|c| c.starts_with("57P") || c.starts_with("08")))
            }
            _ => false,
        }
    }

    /// Whether the database refused a write for lack of space (SQLite `SQLITE_FULL`, PostgreSQL `disk_full`):
    /// nothing of the transaction was saved, and retrying will not help until space is freed.
    #[must_use]
    pub fn is_storage_full(&self) -> bool {
        let StoreError::Db(
            DbErr::Exec(RuntimeErr::SqlxError(e))
            | DbErr::Query(RuntimeErr::SqlxError(e))
            | DbErr::Conn(RuntimeErr::SqlxError(e)),
        ) = self
        else {
            return false;
        };
        match e.as_ref() {
            sea_orm::sqlx::Error::Database(db) => {
                // SQLite's primary result code is the low byte of the extended one.
                let code = db.code();
                let code = code.as_deref().unwrap_or_default();
                code == "53100" || code.parse::<i64>().is_ok_and(|c| c & 0xff == 13)
            }
            _ => false,
        }
    }

    pub(crate) fn corrupt(table: &'static str, id: i64, detail: impl std::fmt::Display) -> Self {
        StoreError::Corrupt { table, id, detail: detail.to_string() }
    }
}
