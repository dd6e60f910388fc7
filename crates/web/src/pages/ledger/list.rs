//! The ledger across missions: the list with its filters and keyset pages, and a unit's or an addressee's
//! ledger (the same list under a heading with its summary and chart).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use giamsat_domain::codes::Direction;
use giamsat_domain::messages::{labels, ledger as msg};
use giamsat_domain::recommendation::RecStatus;
use giamsat_store::{ledger, units};

use super::charts::bars_by_mission;
use super::{EXPORT_MAX, Named, addressee_links, rows_of, today};
use crate::auth::guard::Authenticated;
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::forms::Checked;
use crate::pages::Chrome;
use crate::pages::items::Choice;
use crate::state::AppState;

/// The ledger's filters as a query string carries them (the list, its pages, its exports and the API share them).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A status code (issued, acknowledged, in_progress, implemented, not_implemented, superseded,
    /// escalated_inspection, escalated_resupervision).
    status: Option<String>,
    /// upward or downward.
    direction: Option<String>,
    /// An addressee, as written.
    addressee: Option<String>,
    /// A supervised unit's name (folded: case and diacritics ignored).
    target: Option<String>,
    /// Due on or after this ISO date.
    due_from: Option<String>,
    /// Due on or before this ISO date.
    due_to: Option<String>,
    /// A mission's id.
    mission: Option<String>,
    /// The year its mission's fieldwork starts.
    year: Option<String>,
    /// Any value: priority items only.
    priority: Option<String>,
    /// Any value: overdue items only (in Asia/Ho_Chi_Minh).
    overdue: Option<String>,
    /// An administrative unit's id (its page sets it from the path).
    unit: Option<String>,
    /// An addressee organisation's id (its page sets it from the path).
    org: Option<String>,
    /// The page cursor: the last id of the previous page.
    pub(crate) after: Option<String>,
}

impl ListQuery {
    fn pairs(&self) -> [(&'static str, &Option<String>); 12] {
        [
            ("status", &self.status),
            ("direction", &self.direction),
            ("addressee", &self.addressee),
            ("target", &self.target),
            ("due_from", &self.due_from),
            ("due_to", &self.due_to),
            ("mission", &self.mission),
            ("year", &self.year),
            ("priority", &self.priority),
            ("overdue", &self.overdue),
            ("unit", &self.unit),
            ("org", &self.org),
        ]
    }

    /// The filter, and the form echoing the query with an error next to each value that does not parse.
    pub(crate) fn filter(&self, today: chrono::NaiveDate) -> (ledger::Filter, Checked) {
        let mut form = Checked::default();
        for (name, value) in self.pairs() {
            form.set(name, value.clone().unwrap_or_default());
        }
        let nonempty = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let status = nonempty(&self.status).and_then(|s| {
            RecStatus::from_code(&s).or_else(|| {
                let _ = form.fail("status", msg::NOT_IN_LIST);
                None
            })
        });
        let direction = nonempty(&self.direction).and_then(|d| {
            Direction::from_code(&d).or_else(|| {
                let _ = form.fail("direction", msg::NOT_IN_LIST);
                None
            })
        });
        let number = |form: &mut Checked, name: &str, value: &Option<String>| {
            nonempty(value).and_then(|v| {
                v.parse::<i64>().ok().or_else(|| {
                    let _ = form.fail(name, msg::NOT_A_NUMBER);
                    None
                })
            })
        };
        let mission_id = number(&mut form, "mission", &self.mission);
        let year = number(&mut form, "year", &self.year).and_then(|y| i32::try_from(y).ok());
        let unit = number(&mut form, "unit", &self.unit);
        let addressee_org = number(&mut form, "org", &self.org);
        let due_from = form.date("due_from").ok().flatten();
        let due_to = form.date("due_to").ok().flatten();
        let filter = ledger::Filter {
            status,
            direction,
            addressee: nonempty(&self.addressee),
            target: nonempty(&self.target).map(|t| giamsat_domain::text::fold(&t)),
            due_from,
            due_to,
            mission_id,
            year,
            priority: nonempty(&self.priority).is_some(),
            overdue_on: nonempty(&self.overdue).map(|_| today),
            unit,
            addressee_org,
        };
        (filter, form)
    }

    fn query_string(&self, after: Option<i64>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in self.pairs() {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                query.append_pair(name, v);
            }
        }
        if let Some(after) = after {
            query.append_pair("after", &after.to_string());
        }
        query.finish()
    }
}

pub struct LedgerRow {
    pub id: i64,
    pub mission_id: i64,
    pub mission: String,
    pub direction: &'static str,
    pub text: String,
    pub addressees: Vec<Named>,
    pub units: Vec<Named>,
    pub owner: String,
    pub due: String,
    pub overdue: bool,
    pub status: &'static str,
    pub priority: bool,
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerPage {
    chrome: Chrome,
    /// The page's path: `/ledger`, or a unit's or an addressee's ledger.
    base: String,
    /// A unit's or an addressee's page: its name, the summary sentence and its chart.
    heading: Option<Heading>,
    rows: Vec<LedgerRow>,
    filter: Checked,
    statuses: Vec<Choice>,
    /// The missions the filter offers, by name (the newest visible ones, and the one chosen).
    missions: Vec<Choice>,
    /// The query of the current filters (for the exports).
    query: String,
    next: Option<String>,
    /// The import of progress is offered to those who may use it.
    can_import: bool,
}

pub struct Heading {
    pub title: String,
    pub summary: String,
    pub chart: String,
}

const PAGE_SIZE: u64 = 50;
/// Most missions the filter offers by name: the newest visible ones.
const MISSION_CHOICES: u64 = 300;

/// The missions the ledger's filter offers by name: the newest visible ones, and `chosen` if it is visible but
/// older (a mission's page links to its ledger by id).
async fn mission_choices(
    state: &AppState,
    current: &CurrentUser,
    chosen: Option<i64>,
) -> Result<Vec<Choice>, AppError> {
    use giamsat_store::dashboard::mission_names;
    let visibility = giamsat_domain::policy::visibility(Some(&current.subject()));
    let mut missions = mission_names(&state.db, visibility, None, MISSION_CHOICES).await?;
    if let Some(id) = chosen.filter(|id| !missions.iter().any(|(m, _)| m == id)) {
        let at = mission_names(&state.db, visibility, id.checked_add(1), 1).await?;
        missions.extend(at.into_iter().filter(|(m, _)| *m == id));
    }
    Ok(missions.into_iter().map(|(id, name)| Choice { value: id.to_string(), label: name }).collect())
}

/// GET /ledger: every recommendation the user may follow, across missions, filtered, in keyset pages.
pub async fn list(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    axum::extract::Query(query): axum::extract::Query<ListQuery>,
) -> Result<Response, AppError> {
    ledger_page(&state, &current, &query, "/ledger".to_owned(), None).await
}

/// The ledger list under `base` (the filters, keyset pages, rows leading to units and addressees), with the
/// heading of a unit's or an addressee's page when given.
async fn ledger_page(
    state: &AppState,
    current: &CurrentUser,
    query: &ListQuery,
    base: String,
    heading: Option<Heading>,
) -> Result<Response, AppError> {
    let today = today(state);
    let (filter, form) = query.filter(today);
    let after = query.after.as_deref().and_then(|a| a.parse().ok());
    let rows = rows_of(state, current, &filter, after, PAGE_SIZE + 1).await?;
    let page_size = usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
    let next = (rows.len() > page_size).then(|| rows.get(page_size - 1).map(|r| query.query_string(Some(r.item.id))));
    let rows: Vec<ledger::Row> = rows.into_iter().take(page_size).collect();
    let targets = ledger::targets_of(&state.db, rows.iter().map(|r| r.item.mission_id).collect()).await?;
    let rows = rows
        .into_iter()
        .map(|r| LedgerRow {
            id: r.item.id,
            mission_id: r.item.mission_id,
            mission: r.mission_title,
            direction: giamsat_domain::messages::labels::direction(r.item.direction),
            text: giamsat_domain::text::capitalize_first(&r.item.text),
            addressees: addressee_links(&r.item),
            units: targets
                .iter()
                .filter(|t| t.mission_id == r.item.mission_id)
                .filter_map(|t| {
                    let unit = t.unit?;
                    let name = giamsat_domain::codes::TargetKind::from_code(&t.kind)
                        .map_or_else(|| t.name.clone(), |k| labels::target_with_kind(k, &t.name));
                    Some(Named { name, href: Some(format!("/ledger/units/{unit}")) })
                })
                .collect(),
            owner: r.item.follow_up.owner.clone().unwrap_or_default(),
            due: r.item.follow_up.due_on.map(giamsat_domain::date::format_short).unwrap_or_default(),
            overdue: r.item.follow_up.is_overdue(today),
            status: labels::rec_status(r.item.follow_up.status),
            priority: r.item.follow_up.priority,
        })
        .collect();
    let status = if form.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    crate::pages::page(
        &LedgerPage {
            chrome: Chrome::of(current),
            base,
            heading,
            rows,
            filter: form,
            statuses: RecStatus::ALL
                .iter()
                .map(|s| Choice { value: s.code().to_owned(), label: labels::rec_status(*s).to_owned() })
                .collect(),
            missions: mission_choices(state, current, filter.mission_id).await?,
            query: query.query_string(None),
            next: next.flatten(),
            can_import: giamsat_domain::policy::changes_follow_up(Some(&current.subject())),
        },
        status,
    )
}

/// The heading of a unit's or an addressee's ledger: the summary sentence of its open items (SQL aggregates) and
/// the chart of all its items by mission.
async fn heading(
    state: &AppState,
    current: &CurrentUser,
    title: String,
    filter: &ledger::Filter,
) -> Result<Heading, AppError> {
    let subject = current.subject();
    let visibility = giamsat_domain::policy::visibility(Some(&subject));
    let addressee = giamsat_domain::policy::addressee_org(Some(&subject));
    let figures = ledger::summary(&state.db, visibility, addressee, filter).await?;
    let rows = rows_of(state, current, filter, None, EXPORT_MAX).await?;
    let by_mission = bars_by_mission(&rows, today(state));
    Ok(Heading {
        summary: msg::summary(&title, figures.open, figures.missions, figures.repeated),
        chart: giamsat_domain::chart::bars(msg::CHART_BY_MISSION, &by_mission),
        title,
    })
}

/// GET /ledger/units/{id}: the ledger of one administrative unit — the items of the missions that supervised it.
pub async fn unit(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
    axum::extract::Query(mut query): axum::extract::Query<ListQuery>,
) -> Result<Response, AppError> {
    let unit = units::get(&state.db, id).await?;
    let title = giamsat_domain::text::capitalize_first(&format!(
        "{} {}",
        giamsat_domain::messages::labels::unit_kind(unit.kind),
        unit.name
    ));
    query.unit = Some(id.to_string());
    let filter = ledger::Filter { unit: Some(id), ..ledger::Filter::default() };
    let heading = heading(&state, &current, title, &filter).await?;
    ledger_page(&state, &current, &query, format!("/ledger/units/{id}"), Some(heading)).await
}

/// GET /ledger/addressees/{id}: the ledger of one addressee organisation — the items addressed to it.
pub async fn addressee(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
    axum::extract::Query(mut query): axum::extract::Query<ListQuery>,
) -> Result<Response, AppError> {
    let title = giamsat_store::orgs::owner_of(&state.db, id).await?.name;
    query.org = Some(id.to_string());
    let filter = ledger::Filter { addressee_org: Some(id), ..ledger::Filter::default() };
    let heading = heading(&state, &current, title, &filter).await?;
    ledger_page(&state, &current, &query, format!("/ledger/addressees/{id}"), Some(heading)).await
}
