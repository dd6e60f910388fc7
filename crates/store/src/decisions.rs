//! Decisions (quyết định): one sets up several teams (missions). Their rows, found or created when a mission is
//! written, and their reads; `missions::update_decision` changes one for every team it set up.

use chrono::{DateTime, Utc};
use giamsat_domain::mission::Mission;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, QuerySelect,
};

use crate::StoreError;
use crate::entities::{decisions, missions};

/// The decision row `mission` names, reused when owner, number, date, issuer and summary agree, else created.
pub(crate) async fn decision_id(
    conn: &impl ConnectionTrait,
    owner_org_id: i64,
    mission: &Mission,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    let d = &mission.decision;
    let Some(number) = &d.number else {
        // A decision known only by its date, issuer or trích yếu is kept too: the article cites who ordered the
        // supervision. Without a number it cannot be told apart from another, so it gets its own row.
        if d.issued_on.is_none() && d.issuer.is_none() && d.summary.is_none() {
            return Ok(None);
        }
        let inserted = decisions::Entity::insert(decision_row(owner_org_id, d, None, now)).exec(conn).await?;
        return Ok(Some(inserted.last_insert_id));
    };
    // One decision sets up several teams: reuse the row when owner, number, date, issuer and summary agree.
    let existing = decisions::Entity::find()
        .filter(decisions::Column::OwnerOrgId.eq(owner_org_id))
        .filter(decisions::Column::NumberRaw.eq(number.raw()))
        .all(conn)
        .await?
        .into_iter()
        .find(|row| row.issued_on == d.issued_on && row.issuer == d.issuer && row.summary == d.summary);
    if let Some(row) = existing {
        return Ok(Some(row.id));
    }
    let inserted = decisions::Entity::insert(decision_row(owner_org_id, d, Some(number), now)).exec(conn).await?;
    Ok(Some(inserted.last_insert_id))
}

/// The new row of a decision, with its number's parts when the number is known.
pub(crate) fn decision_row(
    owner_org_id: i64,
    d: &giamsat_domain::mission::Decision,
    number: Option<&giamsat_domain::docnum::DocumentNumber>,
    now: DateTime<Utc>,
) -> decisions::ActiveModel {
    decisions::ActiveModel {
        id: NotSet,
        owner_org_id: Set(owner_org_id),
        number_raw: Set(number.map(|n| n.raw().to_owned())),
        doc_system: Set(number.map(|n| format!("{:?}", n.system()).to_lowercase())),
        type_code: Set(number.and_then(|n| n.type_code()).map(|c| c.as_str().to_owned())),
        sequence: Set(number.and_then(|n| i32::try_from(n.sequence()).ok())),
        doc_year: Set(number.and_then(|n| n.year())),
        issuer_code: Set(number.map(|n| n.issuer().to_owned())),
        issued_on: Set(d.issued_on),
        issuer: Set(d.issuer.clone()),
        summary: Set(d.summary.clone()),
        version: Set(1),
        created_at: Set(now),
    }
}

/// A decision as the mission form offers it for reuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionChoice {
    pub id: i64,
    pub number: Option<String>,
    pub issued_on: Option<chrono::NaiveDate>,
    pub issuer: Option<String>,
    pub summary: Option<String>,
}

/// The decisions of an organisation, newest first.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn decisions_of(conn: &impl ConnectionTrait, owner_org_id: i64) -> Result<Vec<DecisionChoice>, StoreError> {
    Ok(decisions::Entity::find()
        .filter(decisions::Column::OwnerOrgId.eq(owner_org_id))
        .order_by_desc(decisions::Column::Id)
        .limit(200)
        .all(conn)
        .await?
        .into_iter()
        .map(|d| DecisionChoice {
            id: d.id,
            number: d.number_raw,
            issued_on: d.issued_on,
            issuer: d.issuer,
            summary: d.summary,
        })
        .collect())
}

/// A decision as its own form edits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDecision {
    pub id: i64,
    pub version: i32,
    pub owner_org_id: i64,
    pub decision: giamsat_domain::mission::Decision,
    /// The missions (teams) it set up.
    pub missions: Vec<i64>,
}

/// Loads a decision and the missions it set up.
///
/// # Errors
/// [`StoreError::NotFound`]; [`StoreError::Corrupt`] for an unparseable number.
pub async fn decision(conn: &impl ConnectionTrait, id: i64) -> Result<StoredDecision, StoreError> {
    let row = decisions::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
    let missions = missions::Entity::find()
        .filter(missions::Column::DecisionId.eq(id))
        .order_by_asc(missions::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    Ok(StoredDecision {
        id,
        version: row.version,
        owner_org_id: row.owner_org_id,
        decision: giamsat_domain::mission::Decision {
            number: row
                .number_raw
                .as_deref()
                .map(giamsat_domain::docnum::DocumentNumber::parse)
                .transpose()
                .map_err(|e| StoreError::corrupt("decisions", id, e))?,
            issued_on: row.issued_on,
            issuer: row.issuer,
            summary: row.summary,
        },
        missions,
    })
}
