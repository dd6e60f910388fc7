//! "Việc của tôi": the page and the dashboard's block listing what waits for the signed-in account — articles
//! awaiting its approval, drafts sent back to it, recommendations assigned to it or addressed to its
//! organisation, and those due this week (Monday to Sunday, Vietnam time, by `state.clock`).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use giamsat_domain::date::{format_short, week_of};
use giamsat_domain::messages::labels;
use giamsat_domain::naming::{NameParts, mission_name};
use giamsat_domain::policy;
use giamsat_store::mywork::{self, ItemEntry, MissionLabel, ReportEntry, Whose};
use giamsat_store::sea_orm::ConnectionTrait;

use crate::auth::guard::Authenticated;
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::pages::report::vietnam_time;
use crate::pages::{Chrome, page};
use crate::state::AppState;

/// How many lines each list shows on the page; the dashboard shows fewer.
const PAGE_LINES: u64 = 50;
/// How many lines each list shows on the dashboard, with a link to the page.
pub const DASHBOARD_LINES: u64 = 5;

/// The name a mission goes by in these lists.
#[must_use]
pub fn name_of(label: &MissionLabel) -> String {
    mission_name(NameParts {
        team_name: label.team_name.as_deref(),
        supervising_body: &label.supervising_body,
        decision_number: label.decision_number.as_ref(),
        decision_date: label.decision_date,
        fieldwork_from: label.fieldwork_from,
    })
}

pub struct ReportLine {
    pub mission_id: i64,
    pub mission: String,
    pub when: String,
    pub comment: Option<String>,
}

pub struct ItemLine {
    pub id: i64,
    pub mission_id: i64,
    pub mission: String,
    pub text: String,
    pub due: Option<String>,
    pub status: &'static str,
}

/// The four lists, formatted.
pub struct Work {
    /// The heading level of the lists' titles (2 on the page, 3 in the dashboard's block).
    pub level: u8,
    pub week: String,
    pub awaiting_approval: Vec<ReportLine>,
    pub sent_back: Vec<ReportLine>,
    pub assigned: Vec<ItemLine>,
    pub due_this_week: Vec<ItemLine>,
}

impl Work {
    pub fn is_empty(&self) -> bool {
        self.awaiting_approval.is_empty()
            && self.sent_back.is_empty()
            && self.assigned.is_empty()
            && self.due_this_week.is_empty()
    }
}

fn report_line(entry: ReportEntry) -> ReportLine {
    ReportLine {
        mission_id: entry.mission.id,
        mission: name_of(&entry.mission),
        when: vietnam_time(entry.updated_at).format("%d/%m/%Y %H:%M").to_string(),
        comment: entry.comment,
    }
}

fn item_line(entry: ItemEntry) -> ItemLine {
    ItemLine {
        id: entry.id,
        mission_id: entry.mission.id,
        mission: name_of(&entry.mission),
        text: giamsat_domain::text::capitalize_first(&entry.text),
        due: entry.due_on.map(format_short),
        status: labels::rec_status(entry.status),
    }
}

/// What waits for `current` today (by `state.clock`), each list at most `limit` long, read on `conn`.
///
/// # Errors
/// [`AppError`] from the store.
pub async fn load(
    state: &AppState,
    conn: &impl ConnectionTrait,
    current: &CurrentUser,
    limit: u64,
    level: u8,
) -> Result<Work, AppError> {
    let subject = current.subject();
    let who = Whose {
        user_id: subject.user_id,
        visibility: policy::visibility(Some(&subject)),
        addressee_org: policy::addressee_org(Some(&subject)),
        approvals: policy::approvals(Some(&subject)),
    };
    let today = giamsat_domain::date::vietnam_day(state.clock.now());
    let week = week_of(today);
    let work = mywork::load(conn, who, week, limit).await?;
    Ok(Work {
        level,
        week: format!("{} – {}", format_short(week.0), format_short(week.1)),
        awaiting_approval: work.awaiting_approval.into_iter().map(report_line).collect(),
        sent_back: work.sent_back.into_iter().map(report_line).collect(),
        assigned: work.assigned.into_iter().map(item_line).collect(),
        due_this_week: work.due_this_week.into_iter().map(item_line).collect(),
    })
}

#[derive(Template)]
#[template(path = "my_work.html")]
struct MyWorkPage {
    chrome: Chrome,
    work: Work,
}

/// GET /my-work: what waits for the signed-in account.
pub async fn show(State(state): State<AppState>, Authenticated(current): Authenticated) -> Result<Response, AppError> {
    let read = giamsat_store::db::begin_read(&state.db).await.map_err(giamsat_store::StoreError::from)?;
    let work = load(&state, &read, &current, PAGE_LINES, 2).await?;
    drop(read);
    page(&MyWorkPage { chrome: Chrome::of(&current), work }, StatusCode::OK)
}
