//! The harness of the store tests: a fresh, migrated database per test, either a SQLite file in a temporary
//! directory or, when `GIAMSAT_TEST_DATABASE_URL=postgres://…` is set, a new PostgreSQL database created for
//! the test and dropped afterwards. The same tests run on both backends this way.

use giamsat_domain::interchange;
use giamsat_domain::mission::Mission;
use giamsat_store::entities::audit_events;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

pub use giamsat_store::testing::{TestDb, postgres_requested};

/// The seed mission, in the canonical interchange form.
pub const SEED: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/seed-mission.json"));

/// A new, migrated database for one test.
pub async fn fresh_db() -> TestDb {
    TestDb::new().await.expect("a fresh test database")
}

/// The seed fixture as a JSON value, to edit into variants.
pub fn seed_value() -> serde_json::Value {
    serde_json::from_str(SEED).expect("the seed is JSON")
}

/// The seed mission.
pub fn seed() -> Mission {
    interchange::parse(SEED.as_bytes()).expect("the seed is valid")
}

/// The seed edited by `edit`, parsed.
pub fn seed_with(edit: impl FnOnce(&mut serde_json::Value)) -> Mission {
    let mut value = seed_value();
    edit(&mut value);
    let bytes = serde_json::to_vec(&value).expect("serialises");
    interchange::parse(&bytes).expect("the edited seed is valid")
}

/// The audit rows of `action` about the mission `id`, oldest first.
pub async fn audit_rows(db: &DatabaseConnection, action: &str, id: i64) -> Vec<audit_events::Model> {
    audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq(action))
        .filter(audit_events::Column::EntityId.eq(id))
        .order_by_asc(audit_events::Column::Id)
        .all(db)
        .await
        .expect("reads audit_events")
}
