//! The recommendation ledger: the follow-up of one recommendation, written one change at a time. Each change
//! (status, progress update, due date, owner / addressees / priority) is one transaction: the version the form
//! was built from is checked, the domain rule is applied again to the row as it is now, the row is updated
//! with its version bumped, one `recommendation_events` row is appended (never updated) and one audit row.

use chrono::{NaiveDate, Utc};
use giamsat_domain::codes::Direction;
use giamsat_domain::policy::{Capacity, MissionScope};
use giamsat_domain::recommendation::{
    DueChange, FollowUp, InvalidChange, LinkError, RecStatus, StatusChange, check_addressees, check_progress,
    check_repeat, check_resupervision, original_due,
};
use giamsat_domain::workflow::MissionState;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, QuerySelect,
};

pub use crate::addressees::addressee_orgs;
use crate::audit::{self, Actor, Change};
use crate::db::begin_write;
use crate::entities::{
    mission_assignments, missions, recommendation_addressees, recommendation_events, recommendation_evidence,
    recommendation_links, recommendations, users,
};
use crate::link_edges::{self as links, LinkKind};
use crate::mapping::code;
use crate::{Db, StoreError};

/// One addressee as written, with the organisation it names when the name is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub name: String,
    pub organisation_id: Option<i64>,
}

/// A recommendation with its follow-up, as the ledger shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub mission_id: i64,
    /// Its index in the mission's list (the index the mission's item forms use).
    pub position: i32,
    pub direction: Direction,
    pub issuer: Option<String>,
    pub text: String,
    pub follow_up: FollowUp,
    /// The account that follows it up, when the owner has one: reminders go to it.
    pub owner_user_id: Option<i64>,
    /// The first due date ever set.
    pub original_due_on: Option<NaiveDate>,
    pub version: i32,
    pub addressees: Vec<Addressee>,
}

impl Item {
    /// The organisations it is addressed to (for the policy).
    #[must_use]
    pub fn addressed_to(&self) -> Vec<i64> {
        self.addressees.iter().filter_map(|a| a.organisation_id).collect()
    }
}

/// What one entry of the history records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    Status {
        from: RecStatus,
        to: RecStatus,
    },
    Progress,
    Due {
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        approved_by: Option<String>,
    },
    Assignment,
    /// A link recorded: to the earlier item it repeats (its id) or the mission that re-supervised it (its id).
    Link {
        kind: LinkKind,
        other: i64,
    },
}

/// An attached file of a progress update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub file: String,
    pub caption: String,
}

/// One entry of an item's history, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: chrono::DateTime<Utc>,
    /// The account's display name, or the actor's label ("cli", "system") when it was no account.
    pub who: String,
    pub kind: EventKind,
    pub note: String,
    pub evidence: Vec<Evidence>,
}

/// One change of the follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    Status(StatusChange),
    /// A progress update: what was done, with evidence already in the file store.
    Progress {
        note: String,
        evidence: Vec<Evidence>,
    },
    Due(DueChange),
    /// Owner (as written, and its account when it has one), addressees (as written, one or more) and priority.
    Assign {
        owner: Option<String>,
        owner_user: Option<i64>,
        addressees: Vec<String>,
        priority: bool,
    },
    /// Records that the item repeats an earlier recommendation or was checked again by a mission.
    Link(LinkTo),
}

/// The other end of a new link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTo {
    /// The earlier recommendation (same unit, earlier mission) this one repeats.
    Repeats(i64),
    /// The mission that re-supervised this recommendation.
    ResupervisedBy(i64),
}

impl Write {
    fn action(&self) -> &'static str {
        match self {
            Write::Status(_) => "recommendation.status",
            Write::Progress { .. } => "recommendation.progress",
            Write::Due(_) => "recommendation.due",
            Write::Assign { .. } => "recommendation.assign",
            Write::Link(_) => "recommendation.link",
        }
    }
}

/// Why a ledger write was refused before anything was written.
#[derive(Debug, thiserror::Error)]
pub enum LedgerWriteError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The domain refused the change (as the row stands now).
    #[error("{0}")]
    Refused(InvalidChange),
    /// The domain refused the link.
    #[error("{0}")]
    LinkRefused(LinkError),
}

impl From<sea_orm::DbErr> for LedgerWriteError {
    fn from(e: sea_orm::DbErr) -> Self {
        LedgerWriteError::Store(StoreError::Db(e))
    }
}

fn item_of(row: recommendations::Model, addressees: Vec<Addressee>) -> Result<Item, StoreError> {
    Ok(Item {
        id: row.id,
        mission_id: row.mission_id,
        position: row.position,
        direction: code("recommendations", row.id, &row.direction, Direction::from_code)?,
        issuer: row.issuer,
        text: row.text,
        follow_up: FollowUp {
            status: code("recommendations", row.id, &row.status, RecStatus::from_code)?,
            owner: row.owner,
            due_on: row.due_on,
            priority: row.priority,
        },
        owner_user_id: row.owner_user_id,
        original_due_on: row.original_due_on,
        version: row.version,
        addressees,
    })
}

async fn addressees_of(conn: &impl ConnectionTrait, id: i64) -> Result<Vec<Addressee>, StoreError> {
    Ok(recommendation_addressees::Entity::find()
        .filter(recommendation_addressees::Column::RecommendationId.eq(id))
        .order_by_asc(recommendation_addressees::Column::Position)
        .all(conn)
        .await?
        .into_iter()
        .map(|a| Addressee { name: a.addressee, organisation_id: a.organisation_id })
        .collect())
}

/// One recommendation (two queries).
///
/// # Errors
/// [`StoreError::NotFound`], [`StoreError::Corrupt`], [`StoreError::Db`].
pub async fn item(conn: &impl ConnectionTrait, id: i64) -> Result<Item, StoreError> {
    let row = recommendations::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
    let addressees = addressees_of(conn, id).await?;
    item_of(row, addressees)
}

/// What the policy needs about a recommendation: its mission's scope for `user_id` and its addressees.
///
/// # Errors
/// [`StoreError::NotFound`], [`StoreError::Db`].
pub async fn scope(conn: &impl ConnectionTrait, id: i64, user_id: i64) -> Result<(MissionScope, Item), StoreError> {
    let item = item(conn, id).await?;
    let scope = crate::accounts::mission_scope(conn, item.mission_id, user_id).await?;
    Ok((scope, item))
}

/// [`scope`] of many recommendations at once (four queries, whatever their number: an import of many rows
/// costs no lookup per row). Ids that name no recommendation are absent from the map.
///
/// # Errors
/// [`StoreError::Corrupt`], [`StoreError::Db`].
pub async fn scopes(
    conn: &impl ConnectionTrait,
    ids: Vec<i64>,
    user_id: i64,
) -> Result<std::collections::HashMap<i64, (MissionScope, Item)>, StoreError> {
    use std::collections::HashMap;
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = recommendations::Entity::find().filter(recommendations::Column::Id.is_in(ids.clone())).all(conn).await?;
    let mut addressees: HashMap<i64, Vec<Addressee>> = HashMap::new();
    for a in recommendation_addressees::Entity::find()
        .filter(recommendation_addressees::Column::RecommendationId.is_in(ids))
        .order_by_asc(recommendation_addressees::Column::Position)
        .all(conn)
        .await?
    {
        addressees
            .entry(a.recommendation_id)
            .or_default()
            .push(Addressee { name: a.addressee, organisation_id: a.organisation_id });
    }
    let mission_ids: Vec<i64> = rows.iter().map(|r| r.mission_id).collect();
    let owners: HashMap<i64, (i64, String)> = missions::Entity::find()
        .select_only()
        .columns([missions::Column::Id, missions::Column::OwnerOrgId, missions::Column::State])
        .filter(missions::Column::Id.is_in(mission_ids.clone()))
        .into_tuple::<(i64, i64, String)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(id, owner, state)| (id, (owner, state)))
        .collect();
    let capacities: HashMap<i64, String> = mission_assignments::Entity::find()
        .filter(mission_assignments::Column::MissionId.is_in(mission_ids))
        .filter(mission_assignments::Column::UserId.eq(user_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.mission_id, a.capacity))
        .collect();
    let mut out = HashMap::new();
    for row in rows {
        let Some((owner_org_id, state)) = owners.get(&row.mission_id) else { continue };
        let scope = MissionScope {
            owner_org_id: *owner_org_id,
            state: code("missions", row.mission_id, state, MissionState::from_code)?,
            capacity: capacities
                .get(&row.mission_id)
                .map(|c| code("mission_assignments", row.mission_id, c, Capacity::from_code))
                .transpose()?,
        };
        let id = row.id;
        let item = item_of(row, addressees.remove(&id).unwrap_or_default())?;
        out.insert(id, (scope, item));
    }
    Ok(out)
}

/// The progress notes already recorded for each of `ids`, in one query: an import skips a note an item's history
/// already holds, so a file imported twice adds nothing the second time.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn progress_notes(
    conn: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> Result<std::collections::HashMap<i64, std::collections::HashSet<String>>, StoreError> {
    let mut notes: std::collections::HashMap<i64, std::collections::HashSet<String>> = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(notes);
    }
    for (id, note) in recommendation_events::Entity::find()
        .select_only()
        .columns([recommendation_events::Column::RecommendationId, recommendation_events::Column::Note])
        .filter(recommendation_events::Column::RecommendationId.is_in(ids))
        .filter(recommendation_events::Column::Kind.eq("progress"))
        .into_tuple::<(i64, String)>()
        .all(conn)
        .await?
    {
        notes.entry(id).or_default().insert(note);
    }
    Ok(notes)
}

/// The history of a recommendation, oldest first (four queries at most, whatever its length).
///
/// # Errors
/// [`StoreError::Corrupt`], [`StoreError::Db`].
pub async fn history(conn: &impl ConnectionTrait, id: i64) -> Result<Vec<Event>, StoreError> {
    let rows = recommendation_events::Entity::find()
        .filter(recommendation_events::Column::RecommendationId.eq(id))
        .order_by_asc(recommendation_events::Column::Id)
        .all(conn)
        .await?;
    let mut evidence: std::collections::HashMap<i64, Vec<Evidence>> = std::collections::HashMap::new();
    for e in recommendation_evidence::Entity::find()
        .filter(recommendation_evidence::Column::RecommendationId.eq(id))
        .order_by_asc(recommendation_evidence::Column::Position)
        .all(conn)
        .await?
    {
        evidence.entry(e.event_id).or_default().push(Evidence { file: e.file, caption: e.caption });
    }
    let link_ids: Vec<i64> = rows.iter().filter_map(|r| r.link_id).collect();
    let linked: std::collections::HashMap<i64, (LinkKind, i64)> =
        if link_ids.is_empty() { std::collections::HashMap::new() } else { links::by_ids(conn, link_ids).await? };
    let user_ids: Vec<i64> =
        rows.iter().filter_map(|r| r.actor.strip_prefix("user:").and_then(|id| id.parse().ok())).collect();
    let names: std::collections::HashMap<i64, String> = if user_ids.is_empty() {
        std::collections::HashMap::new()
    } else {
        users::Entity::find()
            .filter(users::Column::Id.is_in(user_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect()
    };
    rows.into_iter()
        .map(|r| {
            let status = |value: &Option<String>| {
                code("recommendation_events", r.id, value.as_deref().unwrap_or_default(), RecStatus::from_code)
            };
            let kind = match r.kind.as_str() {
                "status_change" => EventKind::Status { from: status(&r.from_status)?, to: status(&r.to_status)? },
                "progress" => EventKind::Progress,
                "due_date_change" => {
                    EventKind::Due { from: r.due_from, to: r.due_to, approved_by: r.approved_by.clone() }
                }
                "assignment" => EventKind::Assignment,
                "link" => match r.link_id.and_then(|l| linked.get(&l)) {
                    Some((kind, other)) => EventKind::Link { kind: *kind, other: *other },
                    None => return Err(StoreError::corrupt("recommendation_events", r.id, "link without its link")),
                },
                other => return Err(StoreError::corrupt("recommendation_events", r.id, format!("kind {other:?}"))),
            };
            let who = r
                .actor
                .strip_prefix("user:")
                .and_then(|id| id.parse::<i64>().ok())
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| r.actor.clone());
            Ok(Event { at: r.at, who, kind, note: r.note, evidence: evidence.remove(&r.id).unwrap_or_default() })
        })
        .collect()
}

/// The due-date changes of every recommendation of a mission, `(recommendation id, from, to)` in order (one
/// query): the mission page counts deferrals from it.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn due_changes_of_mission(
    conn: &impl ConnectionTrait,
    mission_id: i64,
) -> Result<Vec<(i64, Option<NaiveDate>, Option<NaiveDate>)>, StoreError> {
    use sea_orm::sea_query::Query;
    let ids = Query::select()
        .column(recommendations::Column::Id)
        .from(recommendations::Entity)
        .and_where(recommendations::Column::MissionId.eq(mission_id))
        .to_owned();
    Ok(recommendation_events::Entity::find()
        .filter(recommendation_events::Column::Kind.eq("due_date_change"))
        .filter(recommendation_events::Column::RecommendationId.in_subquery(ids))
        .order_by_asc(recommendation_events::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| (e.recommendation_id, e.due_from, e.due_to))
        .collect())
}

/// The ids of a mission's recommendations in list order (one query).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn ids_of_mission(conn: &impl ConnectionTrait, mission_id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(recommendations::Entity::find()
        .select_only()
        .column(recommendations::Column::Id)
        .filter(recommendations::Column::MissionId.eq(mission_id))
        .order_by_asc(recommendations::Column::Position)
        .into_tuple()
        .all(conn)
        .await?)
}

fn snapshot(item: &Item) -> String {
    serde_json::json!({
        "status": item.follow_up.status.code(),
        "owner": item.follow_up.owner,
        "owner_user_id": item.owner_user_id,
        "due_on": item.follow_up.due_on.map(|d| d.to_string()),
        "priority": item.follow_up.priority,
        "addressees": item.addressees.iter().map(|a| a.name.clone()).collect::<Vec<_>>(),
    })
    .to_string()
}

/// Applies one change to recommendation `id` if it is still at `expected_version`; returns the item after it.
///
/// # Errors
/// [`LedgerWriteError::Refused`] when the domain refuses it; [`StoreError::Conflict`] when someone else changed
/// the item meanwhile; [`StoreError::NotFound`]. Nothing is written on error.
pub async fn write(
    db: &Db,
    id: i64,
    expected_version: i32,
    change: Write,
    actor: &Actor,
) -> Result<Item, LedgerWriteError> {
    let txn = begin_write(db).await?;
    let after = write_in(&txn, id, expected_version, change, actor).await?;
    txn.commit().await?;
    Ok(after)
}

/// Applies several changes in one transaction: all of them, or — when one is refused — none. The error names
/// the index of the first refused change.
///
/// # Errors
/// `(index, error)` as [`write`] would answer for that change.
pub async fn write_all(
    db: &Db,
    changes: Vec<(i64, i32, Write)>,
    actor: &Actor,
) -> Result<(), (usize, LedgerWriteError)> {
    let txn = begin_write(db).await.map_err(|e| (0, e.into()))?;
    for (i, (id, version, change)) in changes.into_iter().enumerate() {
        write_in(&txn, id, version, change, actor).await.map_err(|e| (i, e))?;
    }
    txn.commit().await.map_err(|e| (0, e.into()))
}

async fn write_in(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
    expected_version: i32,
    change: Write,
    actor: &Actor,
) -> Result<Item, LedgerWriteError> {
    let before = item(txn, id).await?;
    if before.version != expected_version {
        return Err(StoreError::Conflict { expected: expected_version, current: before.version }.into());
    }
    let mut follow_up = before.follow_up.clone();
    let mut event = recommendation_events::ActiveModel {
        id: NotSet,
        recommendation_id: Set(id),
        at: Set(actor.at),
        actor: Set(actor.label.clone()),
        kind: Set(String::new()),
        from_status: Set(None),
        to_status: Set(None),
        due_from: Set(None),
        due_to: Set(None),
        note: Set(String::new()),
        approved_by: Set(None),
        link_id: Set(None),
    };
    let mut update = recommendations::Entity::update_many()
        .col_expr(recommendations::Column::Version, Expr::value(expected_version + 1))
        .filter(recommendations::Column::Id.eq(id))
        .filter(recommendations::Column::Version.eq(expected_version));
    let mut evidence = Vec::new();
    match &change {
        Write::Status(status) => {
            follow_up.change_status(status).map_err(LedgerWriteError::Refused)?;
            event.kind = Set("status_change".to_owned());
            event.from_status = Set(Some(before.follow_up.status.code().to_owned()));
            event.to_status = Set(Some(status.to.code().to_owned()));
            event.note = Set(status.note.trim().to_owned());
            update = update.col_expr(recommendations::Column::Status, Expr::value(status.to.code()));
        }
        Write::Progress { note, evidence: files } => {
            check_progress(note).map_err(LedgerWriteError::Refused)?;
            event.kind = Set("progress".to_owned());
            event.note = Set(note.trim().to_owned());
            evidence.clone_from(files);
        }
        Write::Due(due) => {
            follow_up.change_due(due).map_err(LedgerWriteError::Refused)?;
            event.kind = Set("due_date_change".to_owned());
            event.due_from = Set(before.follow_up.due_on);
            event.due_to = Set(due.to);
            event.note = Set(due.reason.trim().to_owned());
            event.approved_by = Set(Some(due.approved_by.trim().to_owned()).filter(|a| !a.is_empty()));
            update = update.col_expr(recommendations::Column::DueOn, Expr::value(due.to));
            update = update.col_expr(
                recommendations::Column::OriginalDueOn,
                Expr::value(original_due(before.original_due_on, due)),
            );
        }
        Write::Assign { owner, owner_user, addressees, priority } => {
            check_addressees(addressees).map_err(LedgerWriteError::Refused)?;
            event.kind = Set("assignment".to_owned());
            update = update
                .col_expr(recommendations::Column::Owner, Expr::value(owner.clone()))
                .col_expr(recommendations::Column::OwnerUserId, Expr::value(*owner_user))
                .col_expr(recommendations::Column::Priority, Expr::value(*priority));
            recommendation_addressees::Entity::delete_many()
                .filter(recommendation_addressees::Column::RecommendationId.eq(id))
                .exec(txn)
                .await?;
            crate::addressees::insert(txn, before.mission_id, id, addressees).await?;
            if before.addressees.iter().map(|a| &a.name).ne(addressees.iter()) {
                // The addressees are part of the mission as a whole: forms built before this change must not
                // write the old list back.
                bump_mission(txn, before.mission_id).await?;
            }
        }
        Write::Link(to) => {
            let item = links::link_end(txn, id).await?;
            let (kind, earlier_id, mission_id) = match *to {
                LinkTo::Repeats(earlier) => {
                    let earlier_end = links::link_end(txn, earlier).await?;
                    check_repeat(&item, &earlier_end, &links::repeat_edges(txn).await?)
                        .map_err(LedgerWriteError::LinkRefused)?;
                    (LinkKind::Repeats, Some(earlier), None)
                }
                LinkTo::ResupervisedBy(mission) => {
                    let on = missions::Entity::find_by_id(mission)
                        .one(txn)
                        .await?
                        .ok_or(StoreError::NotFound)?
                        .fieldwork_from;
                    check_resupervision(&item, (mission, on), &links::resupervisions_of(txn, id).await?)
                        .map_err(LedgerWriteError::LinkRefused)?;
                    (LinkKind::ResupervisedBy, None, Some(mission))
                }
            };
            let link_id = recommendation_links::Entity::insert(recommendation_links::ActiveModel {
                id: NotSet,
                recommendation_id: Set(id),
                kind: Set(kind.code().to_owned()),
                earlier_id: Set(earlier_id),
                mission_id: Set(mission_id),
                created_at: Set(actor.at),
                actor: Set(actor.label.clone()),
            })
            .exec(txn)
            .await?
            .last_insert_id;
            event.kind = Set("link".to_owned());
            event.link_id = Set(Some(link_id));
        }
    }
    if update.exec(txn).await?.rows_affected != 1 {
        return Err(StoreError::Conflict { expected: expected_version, current: expected_version + 1 }.into());
    }
    let event_id = recommendation_events::Entity::insert(event).exec(txn).await?.last_insert_id;
    if !evidence.is_empty() {
        recommendation_evidence::Entity::insert_many(evidence.iter().enumerate().map(|(i, e)| {
            recommendation_evidence::ActiveModel {
                id: NotSet,
                recommendation_id: Set(id),
                event_id: Set(event_id),
                position: Set(crate::rows::position(i)),
                file: Set(e.file.clone()),
                caption: Set(e.caption.clone()),
            }
        }))
        .exec(txn)
        .await?;
    }
    let after = item(txn, id).await?;
    let mut after_snapshot = snapshot(&after);
    if let Write::Link(to) = &change {
        let (kind, other) = match to {
            LinkTo::Repeats(earlier) => (LinkKind::Repeats, earlier),
            LinkTo::ResupervisedBy(mission) => (LinkKind::ResupervisedBy, mission),
        };
        after_snapshot = serde_json::json!({ "link": kind.code(), "to": other }).to_string();
    }
    audit::record(
        txn,
        actor,
        Change {
            action: change.action(),
            entity: "recommendation",
            entity_id: Some(id),
            mission_id: Some(before.mission_id),
            before: Some(snapshot(&before)),
            after: Some(after_snapshot),
        },
    )
    .await?;
    Ok(after)
}

async fn bump_mission(conn: &impl ConnectionTrait, mission_id: i64) -> Result<(), StoreError> {
    missions::Entity::update_many()
        .col_expr(missions::Column::Version, Expr::col(missions::Column::Version).add(1))
        .filter(missions::Column::Id.eq(mission_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Whether a stored file is evidence of recommendation `id` (so it may be served to whoever may view it).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn has_evidence(conn: &impl ConnectionTrait, id: i64, file: &str) -> Result<bool, StoreError> {
    Ok(recommendation_evidence::Entity::find()
        .filter(recommendation_evidence::Column::RecommendationId.eq(id))
        .filter(recommendation_evidence::Column::File.eq(file))
        .one(conn)
        .await?
        .is_some())
}

/// Filters of the ledger across missions; every one is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<RecStatus>,
    pub direction: Option<Direction>,
    /// An addressee, exactly as written.
    pub addressee: Option<String>,
    /// Items of missions with a target whose folded name starts with this (folded) text.
    pub target: Option<String>,
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
    pub mission_id: Option<i64>,
    /// Missions whose fieldwork starts in this year.
    pub year: Option<i32>,
    pub priority: bool,
    /// Open items due before this day (today in Asia/Ho_Chi_Minh).
    pub overdue_on: Option<NaiveDate>,
    /// Items of missions that supervised this administrative unit or a unit of its lineage
    /// ([`giamsat_domain::org::lineage`]: the merged phường Hoàn Kiếm inherits the items of phường Hàng Bạc,
    /// Đồng Xuân …, which keep their own and see the later ones; siblings stay apart).
    pub unit: Option<i64>,
    /// Items addressed to this organisation.
    pub addressee_org: Option<i64>,
}

/// The filter's unit with its lineage, if the filter names a unit.
async fn lineage_of_filter(conn: &impl ConnectionTrait, filter: &Filter) -> Result<Option<Vec<i64>>, StoreError> {
    match filter.unit {
        Some(unit) => Ok(Some(crate::units::lineage_of(conn, &[unit]).await?)),
        None => Ok(None),
    }
}

/// `query` restricted to the items `visibility` allows (plus, for an addressee organisation's staff, the items
/// addressed to it) and matching `filter`: the one place the ledger's lists, exports, summaries and link
/// candidates decide what a user may see. `lineage` is the filter's unit with its lineage ([`lineage_of_filter`]).
pub(crate) fn filtered(
    mut query: sea_orm::Select<recommendations::Entity>,
    visibility: giamsat_domain::policy::Visibility,
    addressee_org: Option<i64>,
    filter: &Filter,
    lineage: Option<&[i64]>,
) -> sea_orm::Select<recommendations::Entity> {
    use sea_orm::sea_query::{Condition, Query};
    if let Some(ids) = crate::visibility::visible_ids(visibility) {
        let mut visible = Condition::any().add(recommendations::Column::MissionId.in_subquery(ids));
        if let Some(org) = addressee_org {
            visible = visible.add(
                recommendations::Column::Id.in_subquery(
                    Query::select()
                        .column(recommendation_addressees::Column::RecommendationId)
                        .from(recommendation_addressees::Entity)
                        .and_where(recommendation_addressees::Column::OrganisationId.eq(org))
                        .to_owned(),
                ),
            );
        }
        query = query.filter(visible);
    }
    if let Some(status) = filter.status {
        // A range of one value rather than `=`: with `=` PostgreSQL drops `status` from the list's
        // `ORDER BY status, id` as constant, is left with `ORDER BY id` and walks the ids from the first (it
        // cannot know that the items in progress are the recent ones); as a range, only the `(status, id)`
        // index gives that order.
        query = query.filter(recommendations::Column::Status.between(status.code(), status.code()));
    }
    if let Some(direction) = filter.direction {
        query = query.filter(recommendations::Column::Direction.eq(direction.code()));
    }
    if let Some(mission_id) = filter.mission_id {
        query = query.filter(recommendations::Column::MissionId.eq(mission_id));
    }
    if filter.priority {
        query = query.filter(recommendations::Column::Priority.eq(true));
    }
    if let Some(from) = filter.due_from {
        query = query.filter(recommendations::Column::DueOn.gte(from));
    }
    if let Some(to) = filter.due_to {
        query = query.filter(recommendations::Column::DueOn.lte(to));
    }
    if let Some(today) = filter.overdue_on {
        let open: Vec<&str> = RecStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.code()).collect();
        query =
            query.filter(recommendations::Column::Status.is_in(open)).filter(recommendations::Column::DueOn.lt(today));
    }
    if let Some(addressee) = &filter.addressee {
        query = query.filter(
            recommendations::Column::Id.in_subquery(
                Query::select()
                    .column(recommendation_addressees::Column::RecommendationId)
                    .from(recommendation_addressees::Entity)
                    .and_where(recommendation_addressees::Column::Addressee.eq(addressee.as_str()))
                    .to_owned(),
            ),
        );
    }
    if let Some(target) = filter.target.as_deref().filter(|t| !t.is_empty()) {
        let escaped = target.replace(['%', '_', '\\'], "");
        query = query.filter(
            recommendations::Column::MissionId.in_subquery(
                Query::select()
                    .column(crate::entities::targets::Column::MissionId)
                    .from(crate::entities::targets::Entity)
                    .and_where(crate::entities::targets::Column::NameFolded.like(format!("{escaped}%")))
                    .to_owned(),
            ),
        );
    }
    if let Some(year) = filter.year
        && let (Some(start), Some(end)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
    {
        query = query.filter(
            recommendations::Column::MissionId.in_subquery(
                Query::select()
                    .column(missions::Column::Id)
                    .from(missions::Entity)
                    .and_where(missions::Column::FieldworkFrom.between(start, end))
                    .to_owned(),
            ),
        );
    }
    if let Some(units) = lineage {
        query = query.filter(
            recommendations::Column::MissionId.in_subquery(
                Query::select()
                    .column(crate::entities::targets::Column::MissionId)
                    .from(crate::entities::targets::Entity)
                    .and_where(crate::entities::targets::Column::AdminUnitId.is_in(units.iter().copied()))
                    .to_owned(),
            ),
        );
    }
    if let Some(org) = filter.addressee_org {
        query = query.filter(
            recommendations::Column::Id.in_subquery(
                Query::select()
                    .column(recommendation_addressees::Column::RecommendationId)
                    .from(recommendation_addressees::Entity)
                    .and_where(recommendation_addressees::Column::OrganisationId.eq(org))
                    .to_owned(),
            ),
        );
    }
    query
}

/// A row of the ledger: the item and its mission's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub item: Item,
    pub mission_title: String,
}

/// Items matching `filter` that `visibility` allows — plus, for an addressee organisation's staff, the items
/// addressed to it — in entry order, `limit` after the id `after` (keyset pages). Three queries, whatever the
/// page size.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn list(
    conn: &impl ConnectionTrait,
    visibility: giamsat_domain::policy::Visibility,
    addressee_org: Option<i64>,
    filter: &Filter,
    after: Option<i64>,
    limit: u64,
) -> Result<Vec<Row>, StoreError> {
    let mut select = recommendations::Entity::find();
    if filter.status.is_some() {
        // The same order (one status), as the `(status, id)` index reads it: see the status filter in `filtered`.
        select = select.order_by_asc(recommendations::Column::Status);
    }
    let lineage = lineage_of_filter(conn, filter).await?;
    let mut query = filtered(
        select.order_by_asc(recommendations::Column::Id).limit(limit),
        visibility,
        addressee_org,
        filter,
        lineage.as_deref(),
    );
    if let Some(after) = after {
        query = query.filter(recommendations::Column::Id.gt(after));
    }
    let rows = query.all(conn).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut mission_ids: Vec<i64> = rows.iter().map(|r| r.mission_id).collect();
    mission_ids.sort_unstable();
    mission_ids.dedup();
    let mut addressees: std::collections::HashMap<i64, Vec<Addressee>> = std::collections::HashMap::new();
    for a in recommendation_addressees::Entity::find()
        .filter(recommendation_addressees::Column::RecommendationId.is_in(ids))
        .order_by_asc(recommendation_addressees::Column::Position)
        .all(conn)
        .await?
    {
        addressees
            .entry(a.recommendation_id)
            .or_default()
            .push(Addressee { name: a.addressee, organisation_id: a.organisation_id });
    }
    let titles = crate::names::names_of(conn, mission_ids).await?;
    rows.into_iter()
        .map(|r| {
            let mission_title = titles.get(&r.mission_id).cloned().unwrap_or_default();
            let own = addressees.remove(&r.id).unwrap_or_default();
            Ok(Row { item: item_of(r, own)?, mission_title })
        })
        .collect()
}

/// A target of a mission, as a chart or a ledger row names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetOf {
    pub mission_id: i64,
    /// Its kind's code.
    pub kind: String,
    pub name: String,
    /// The administrative unit it names, when known.
    pub unit: Option<i64>,
}

/// The targets of these missions, in list order (one query): the units a progress chart groups recommendations
/// by and a ledger row leads to.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn targets_of(conn: &impl ConnectionTrait, mut mission_ids: Vec<i64>) -> Result<Vec<TargetOf>, StoreError> {
    use crate::entities::targets;
    mission_ids.sort_unstable();
    mission_ids.dedup();
    Ok(targets::Entity::find()
        .select_only()
        .columns([
            targets::Column::MissionId,
            targets::Column::Kind,
            targets::Column::Name,
            targets::Column::AdminUnitId,
        ])
        .filter(targets::Column::MissionId.is_in(mission_ids))
        .order_by_asc(targets::Column::MissionId)
        .order_by_asc(targets::Column::Position)
        .into_tuple::<(i64, String, String, Option<i64>)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(mission_id, kind, name, unit)| TargetOf { mission_id, kind, name, unit })
        .collect())
}

/// The figures of a unit's or an addressee's heading: open items, the missions they come from, and how many of
/// them repeat an earlier recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub open: i64,
    pub missions: i64,
    pub repeated: i64,
}

/// The [`Summary`] of the open items matching `filter` that the user may see (one query, SQL aggregates).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn summary(
    conn: &impl ConnectionTrait,
    visibility: giamsat_domain::policy::Visibility,
    addressee_org: Option<i64>,
    filter: &Filter,
) -> Result<Summary, StoreError> {
    use sea_orm::sea_query::{Func, Query, SimpleExpr};
    let open: Vec<&str> = RecStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.code()).collect();
    let repeating = Query::select()
        .column(recommendation_links::Column::RecommendationId)
        .from(recommendation_links::Entity)
        .and_where(recommendation_links::Column::Kind.eq(LinkKind::Repeats.code()))
        .to_owned();
    // Counted once per item however many earlier items it repeats.
    let repeated: SimpleExpr = Expr::case(
        Expr::col((recommendations::Entity, recommendations::Column::Id)).in_subquery(repeating),
        Expr::col((recommendations::Entity, recommendations::Column::Id)),
    )
    .into();
    let lineage = lineage_of_filter(conn, filter).await?;
    let (open, missions, repeated): (i64, i64, i64) = filtered(
        recommendations::Entity::find().filter(recommendations::Column::Status.is_in(open)),
        visibility,
        addressee_org,
        filter,
        lineage.as_deref(),
    )
    .select_only()
    .expr(Func::count(Expr::col((recommendations::Entity, recommendations::Column::Id))))
    .expr(Func::count_distinct(Expr::col((recommendations::Entity, recommendations::Column::MissionId))))
    .expr(Func::count(repeated))
    .into_tuple()
    .one(conn)
    .await?
    .unwrap_or_default();
    Ok(Summary { open, missions, repeated })
}
