//! The ledger of recommendations, one module per feature: a recommendation's page and the forms that change it
//! (`recommendation`), the list with its filters and a unit's or an addressee's ledger (`list`), the CSV and
//! XLSX exports (`export`), the import of progress updates (`import`) and the charts (`charts`). What several of
//! them need (who may do what to an item, the rows a user may see) stays here.

mod charts;
mod export;
mod import;
mod list;
mod recommendation;

pub use charts::charts;
pub use export::{export_csv, export_xlsx};
pub use import::{IMPORT_MAX_ROWS, import, import_form};
pub use list::{Heading, LedgerRow, ListQuery, addressee, list, unit};
pub use recommendation::{HistoryRow, LinkRow, assign, change_due, change_status, evidence, link, report, show};

use giamsat_domain::policy::{FollowUpAction, MissionScope, can_follow_up};
use giamsat_store::ledger::{self, Item};

use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;

/// A name that leads to its page (a unit's or an addressee's ledger), or plain when it has none.
pub struct Named {
    pub name: String,
    pub href: Option<String>,
}

pub(crate) fn today(state: &AppState) -> chrono::NaiveDate {
    giamsat_domain::date::vietnam_day(state.clock.now())
}

pub(crate) fn who_can(current: &CurrentUser, scope: &MissionScope, item: &Item, action: FollowUpAction) -> bool {
    can_follow_up(Some(&current.subject()), action, scope, &item.addressed_to())
}

/// Loads the item and checks `action` on it: 404 when the user may not even view it, 403 when they may view it
/// but not do this.
pub(crate) async fn authorize(
    state: &AppState,
    current: &CurrentUser,
    id: i64,
    action: FollowUpAction,
) -> Result<(MissionScope, Item), AppError> {
    let (scope, item) = ledger::scope(&state.db, id, current.user.id).await?;
    if !who_can(current, &scope, &item, FollowUpAction::View) {
        tracing::warn!(user_id = current.user.id, recommendation_id = id, "access denied: recommendation not visible");
        return Err(AppError::NotFound);
    }
    if !who_can(current, &scope, &item, action) {
        tracing::warn!(user_id = current.user.id, recommendation_id = id, ?action, "access denied");
        return Err(AppError::Forbidden);
    }
    Ok((scope, item))
}

fn addressee_links(item: &Item) -> Vec<Named> {
    item.addressees
        .iter()
        .map(|a| Named { name: a.name.clone(), href: a.organisation_id.map(|o| format!("/ledger/addressees/{o}")) })
        .collect()
}

/// Most rows one export holds.
const EXPORT_MAX: u64 = 20_000;

pub(crate) async fn rows_of(
    state: &AppState,
    current: &CurrentUser,
    filter: &ledger::Filter,
    after: Option<i64>,
    limit: u64,
) -> Result<Vec<ledger::Row>, AppError> {
    let subject = current.subject();
    let visibility = giamsat_domain::policy::visibility(Some(&subject));
    let addressee = giamsat_domain::policy::addressee_org(Some(&subject));
    Ok(ledger::list(&state.db, visibility, addressee, filter, after, limit).await?)
}
