//! "Việc của tôi": what waits for one account — articles awaiting its approval, articles sent back to their
//! writer, open recommendations assigned to it or addressed to its organisation, and those due this week.
//!
//! Four statements whatever the data (each list joined to its mission and decision for the mission's name),
//! each list restricted like every other: the missions the account may see, plus the items addressed to its
//! organisation for an addressee's staff (`ledger::filtered`).

use chrono::{DateTime, NaiveDate, Utc};
use giamsat_domain::docnum::DocumentNumber;
use giamsat_domain::policy::{Approvals, Visibility};
use giamsat_domain::recommendation::RecStatus;
use giamsat_domain::report::ReportState;
use sea_orm::sea_query::{Alias, Asterisk, Condition, Expr, ExprTrait, Order, Query, UnionType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Select,
};

use crate::StoreError;
use crate::entities::{decisions, mission_assignments, missions, recommendation_addressees, recommendations, reports};
use crate::mapping::code;

/// Who asks, as the lists need it (from `policy`).
#[derive(Debug, Clone, Copy)]
pub struct Whose {
    pub user_id: i64,
    pub visibility: Visibility,
    /// The organisation whose addressed items its staff follow (`policy::addressee_org`).
    pub addressee_org: Option<i64>,
    pub approvals: Approvals,
}

/// What a mission's name is made of (`naming::NameParts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionLabel {
    pub id: i64,
    pub team_name: Option<String>,
    pub supervising_body: String,
    pub decision_number: Option<DocumentNumber>,
    pub decision_date: Option<NaiveDate>,
    pub fieldwork_from: Option<NaiveDate>,
}

/// An article in one of the lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportEntry {
    pub mission: MissionLabel,
    /// Why it was sent back (drafts sent back only).
    pub comment: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// An open recommendation in one of the lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemEntry {
    pub id: i64,
    pub mission: MissionLabel,
    pub text: String,
    pub status: RecStatus,
    pub due_on: Option<NaiveDate>,
}

/// Everything the page shows, each list at most `limit` long.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MyWork {
    pub awaiting_approval: Vec<ReportEntry>,
    pub sent_back: Vec<ReportEntry>,
    pub assigned: Vec<ItemEntry>,
    pub due_this_week: Vec<ItemEntry>,
}

#[derive(FromQueryResult)]
struct ReportRow {
    mission_id: i64,
    comment: Option<String>,
    updated_at: DateTime<Utc>,
    team_name: Option<String>,
    supervising_body: String,
    fieldwork_from: Option<NaiveDate>,
    number_raw: Option<String>,
    issued_on: Option<NaiveDate>,
}

#[derive(FromQueryResult)]
struct LabelRow {
    mission_id: i64,
    team_name: Option<String>,
    supervising_body: String,
    fieldwork_from: Option<NaiveDate>,
    number_raw: Option<String>,
    issued_on: Option<NaiveDate>,
}

#[derive(FromQueryResult)]
struct ItemRow {
    id: i64,
    mission_id: i64,
    text: String,
    status: String,
    due_on: Option<NaiveDate>,
    team_name: Option<String>,
    supervising_body: String,
    fieldwork_from: Option<NaiveDate>,
    number_raw: Option<String>,
    issued_on: Option<NaiveDate>,
}

fn label(
    mission_id: i64,
    team_name: Option<String>,
    supervising_body: String,
    fieldwork_from: Option<NaiveDate>,
    number_raw: Option<&str>,
    issued_on: Option<NaiveDate>,
) -> Result<MissionLabel, StoreError> {
    let decision_number = number_raw
        .map(DocumentNumber::parse)
        .transpose()
        .map_err(|e| StoreError::corrupt("decisions", mission_id, e))?;
    Ok(MissionLabel {
        id: mission_id,
        team_name,
        supervising_body,
        decision_number,
        decision_date: issued_on,
        fieldwork_from,
    })
}

/// The mission and its decision, joined to a query on a table with a `mission_id` column.
fn with_mission<E: EntityTrait>(select: Select<E>, mission_id: E::Column) -> Select<E> {
    select
        .join(JoinType::InnerJoin, E::belongs_to(missions::Entity).from(mission_id).to(missions::Column::Id).into())
        .join(
            JoinType::LeftJoin,
            missions::Entity::belongs_to(decisions::Entity)
                .from(missions::Column::DecisionId)
                .to(decisions::Column::Id)
                .into(),
        )
        .column(missions::Column::TeamName)
        .column(missions::Column::SupervisingBody)
        .column(missions::Column::FieldworkFrom)
        .column(decisions::Column::NumberRaw)
        .column(decisions::Column::IssuedOn)
}

async fn report_list(
    conn: &impl ConnectionTrait,
    condition: Condition,
    limit: u64,
) -> Result<Vec<ReportEntry>, StoreError> {
    let select = reports::Entity::find()
        .select_only()
        .column(reports::Column::MissionId)
        .column(reports::Column::Comment)
        .column(reports::Column::UpdatedAt)
        .filter(condition)
        .order_by_desc(reports::Column::UpdatedAt)
        .limit(limit);
    with_mission(select, reports::Column::MissionId)
        .into_model::<ReportRow>()
        .all(conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(ReportEntry {
                mission: label(
                    r.mission_id,
                    r.team_name,
                    r.supervising_body,
                    r.fieldwork_from,
                    r.number_raw.as_deref(),
                    r.issued_on,
                )?,
                comment: r.comment,
                updated_at: r.updated_at,
            })
        })
        .collect()
}

async fn item_list(
    conn: &impl ConnectionTrait,
    select: Select<recommendations::Entity>,
) -> Result<Vec<ItemEntry>, StoreError> {
    let select = select
        .select_only()
        .column(recommendations::Column::Id)
        .column(recommendations::Column::MissionId)
        .column(recommendations::Column::Text)
        .column(recommendations::Column::Status)
        .column(recommendations::Column::DueOn);
    with_mission(select, recommendations::Column::MissionId)
        .into_model::<ItemRow>()
        .all(conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(ItemEntry {
                id: r.id,
                status: code("recommendations", r.id, &r.status, RecStatus::from_code)?,
                mission: label(
                    r.mission_id,
                    r.team_name,
                    r.supervising_body,
                    r.fieldwork_from,
                    r.number_raw.as_deref(),
                    r.issued_on,
                )?,
                text: r.text,
                due_on: r.due_on,
            })
        })
        .collect()
}

/// What `mission_id`'s name is made of (one query).
///
/// # Errors
/// [`StoreError::NotFound`], [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn label_of(conn: &impl ConnectionTrait, mission_id: i64) -> Result<MissionLabel, StoreError> {
    let select = missions::Entity::find_by_id(mission_id)
        .select_only()
        .column_as(missions::Column::Id, "mission_id")
        .column(missions::Column::TeamName)
        .column(missions::Column::SupervisingBody)
        .column(missions::Column::FieldworkFrom)
        .column(decisions::Column::NumberRaw)
        .column(decisions::Column::IssuedOn)
        .join(
            JoinType::LeftJoin,
            missions::Entity::belongs_to(decisions::Entity)
                .from(missions::Column::DecisionId)
                .to(decisions::Column::Id)
                .into(),
        );
    let row = select.into_model::<LabelRow>().one(conn).await?.ok_or(StoreError::NotFound)?;
    label(
        row.mission_id,
        row.team_name,
        row.supervising_body,
        row.fieldwork_from,
        row.number_raw.as_deref(),
        row.issued_on,
    )
}

/// What waits for `who`: each list at most `limit` long; due dates from `week.0` to `week.1` inclusive.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn load(
    conn: &impl ConnectionTrait,
    who: Whose,
    week: (NaiveDate, NaiveDate),
    limit: u64,
) -> Result<MyWork, StoreError> {
    let awaiting = Condition::all().add(reports::Column::State.eq(ReportState::AwaitingApproval.code()));
    let awaiting_approval = match who.approvals {
        Approvals::Nothing => Vec::new(),
        Approvals::All => report_list(conn, awaiting, limit).await?,
        Approvals::LeaderOf(user) => {
            let led = Query::select()
                .column(mission_assignments::Column::MissionId)
                .from(mission_assignments::Entity)
                .and_where(mission_assignments::Column::UserId.eq(user))
                .and_where(mission_assignments::Column::Capacity.eq(giamsat_domain::policy::Capacity::Leader.code()))
                .to_owned();
            report_list(conn, awaiting.add(reports::Column::MissionId.in_subquery(led)), limit).await?
        }
    };
    let mut sent_back = Condition::all()
        .add(reports::Column::State.eq(ReportState::Draft.code()))
        .add(reports::Column::Comment.is_not_null())
        .add(reports::Column::RequestedBy.eq(who.user_id));
    if let Some(ids) = crate::visibility::visible_ids(who.visibility) {
        sent_back = sent_back.add(reports::Column::MissionId.in_subquery(ids));
    }
    let sent_back = report_list(conn, sent_back, limit).await?;

    let open: Vec<&str> = RecStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.code()).collect();
    let visible = || {
        crate::ledger::filtered(
            recommendations::Entity::find(),
            who.visibility,
            who.addressee_org,
            &crate::ledger::Filter::default(),
            None,
        )
    };
    let addressed = who.addressee_org.map(|org| {
        recommendations::Column::Id.in_subquery(
            Query::select()
                .column(recommendation_addressees::Column::RecommendationId)
                .from(recommendation_addressees::Entity)
                .and_where(recommendation_addressees::Column::OrganisationId.eq(org))
                .to_owned(),
        )
    });
    // Assigned: one's own open items (few: one person's) and the newest `limit` open ones addressed to one's
    // organisation, read from `recommendation_addressees (organisation_id, recommendation_id)` in item order
    // (migration 22); then only those are ordered. As one condition, "own or addressed", the newest items were
    // walked and each tested: for an account with none, every item (114–236 ms at 100 000 missions).
    let is_open = || recommendations::Column::Status.is_in(open.clone());
    // One's own read through the owner's index, then tested: with the owner beside the visibility test, SQLite's
    // planner read every item of the organisation instead.
    let owned = Query::select()
        .column(recommendations::Column::Id)
        .from(recommendations::Entity)
        .and_where(recommendations::Column::OwnerUserId.eq(who.user_id))
        .to_owned();
    let own = visible()
        .select_only()
        .column(recommendations::Column::Id)
        .filter(is_open())
        .filter(recommendations::Column::Id.in_subquery(owned))
        .into_query();
    let mut mine = own;
    if let Some(org) = who.addressee_org {
        // Visible without the test: `ledger::filtered` shows whatever is addressed to the addressee's
        // organisation, and the test costs most when an organisation is addressed often. Read from the addressees,
        // each item's status checked by its key, so that neither planner starts from the open items (SQLite did,
        // joined). Distinct: an item may name the organisation twice (two of its bodies).
        let still_open = Query::select()
            .expr(Expr::val(1))
            .from(recommendations::Entity)
            .and_where(
                Expr::col((recommendations::Entity, recommendations::Column::Id))
                    .equals((recommendation_addressees::Entity, recommendation_addressees::Column::RecommendationId)),
            )
            .and_where(is_open())
            .to_owned();
        let to_org = Query::select()
            .distinct()
            .column(recommendation_addressees::Column::RecommendationId)
            .from(recommendation_addressees::Entity)
            .and_where(recommendation_addressees::Column::OrganisationId.eq(org))
            .and_where(Expr::exists(still_open))
            .order_by(recommendation_addressees::Column::RecommendationId, Order::Desc)
            .limit(limit)
            .to_owned();
        mine.union(
            UnionType::All,
            Query::select().column(Asterisk).from_subquery(to_org, Alias::new("to_org")).to_owned(),
        );
    }
    let assigned = recommendations::Entity::find()
        .filter(recommendations::Column::Id.in_subquery(mine))
        .order_by_desc(recommendations::Column::Id)
        .limit(limit);
    let assigned = item_list(conn, assigned).await?;
    // Due this week: the items one answers for, as reminders count them — one's own, those addressed to one's
    // organisation, and the visible ones nobody was assigned.
    let answerable = Condition::any()
        .add(recommendations::Column::OwnerUserId.eq(who.user_id))
        .add(recommendations::Column::OwnerUserId.is_null())
        .add_option(addressed);
    // Each open status's soonest from its `(status, due_on)` index, merged ([`crate::dashboard::soonest_open`]):
    // one range over every open status had to collect and sort the whole week's items (15 ms at 100 000
    // missions).
    let answerable = visible().filter(answerable).filter(recommendations::Column::DueOn.gte(week.0));
    let due_this_week = match crate::dashboard::soonest_open(&answerable, week.1, limit) {
        Some(ids) => {
            let due = recommendations::Entity::find()
                .filter(recommendations::Column::Id.in_subquery(ids))
                .order_by_asc(recommendations::Column::DueOn)
                .order_by_asc(recommendations::Column::Id)
                .limit(limit);
            item_list(conn, due).await?
        }
        None => Vec::new(),
    };
    Ok(MyWork { awaiting_approval, sent_back, assigned, due_this_week })
}
