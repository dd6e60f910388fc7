//! What the database holds, to prove a request changed nothing.

use giamsat_store::entities::{
    api_tokens, audit_events, auth_sessions, login_attempts, missions, one_time_tokens, users,
};
use giamsat_store::sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};

use crate::support::TestApp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Snapshot {
    /// (id, version, state, owner) of every mission.
    pub(super) missions: Vec<(i64, i32, String, i64)>,
    pub(super) audit_events: u64,
    /// (id, version, password changed) of every account.
    pub(super) users: Vec<(i64, i32, bool)>,
    /// (hash, used) of every one-time link.
    pub(super) one_time_tokens: Vec<(String, bool)>,
    /// (id, revoked) of every API token.
    pub(super) api_tokens: Vec<(i64, bool)>,
    /// Left out (zero) where reading may change them by design: sessions and login attempts.
    pub(super) auth_sessions: u64,
    pub(super) login_attempts: u64,
}

pub(super) async fn snapshot(app: &TestApp, with_sessions: bool) -> Snapshot {
    let db = &app.test_db.db;
    let missions = missions::Entity::find()
        .order_by_asc(missions::Column::Id)
        .all(db)
        .await
        .expect("reads")
        .into_iter()
        .map(|m| (m.id, m.version, m.state, m.owner_org_id))
        .collect();
    let users = users::Entity::find()
        .order_by_asc(users::Column::Id)
        .all(db)
        .await
        .expect("reads")
        .into_iter()
        .map(|u| (u.id, u.version, u.password_changed_at.is_some()))
        .collect();
    let one_time_tokens = one_time_tokens::Entity::find()
        .order_by_asc(one_time_tokens::Column::Id)
        .all(db)
        .await
        .expect("reads")
        .into_iter()
        .map(|t| (t.id, t.used_at.is_some()))
        .collect();
    let api_tokens = api_tokens::Entity::find()
        .order_by_asc(api_tokens::Column::Id)
        .all(db)
        .await
        .expect("reads")
        .into_iter()
        .map(|t| (t.id, t.revoked_at.is_some()))
        .collect();
    let (auth_sessions, login_attempts) = if with_sessions {
        (
            auth_sessions::Entity::find().count(db).await.expect("counts"),
            login_attempts::Entity::find().count(db).await.expect("counts"),
        )
    } else {
        (0, 0)
    };
    Snapshot {
        missions,
        audit_events: audit_events::Entity::find().count(db).await.expect("counts"),
        users,
        one_time_tokens,
        api_tokens,
        auth_sessions,
        login_attempts,
    }
}
