//! What every handler shares. Nothing here holds per-user state: sessions and files live outside the process,
//! so several instances can serve one PostgreSQL.

use giamsat_store::Db;

/// Shared state of the router (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
}
