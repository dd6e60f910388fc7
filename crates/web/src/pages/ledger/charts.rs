//! The ledger's charts: progress by mission and by supervised unit, drawn as SVG on the server.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use giamsat_domain::messages::{labels, ledger as msg};
use giamsat_store::ledger;

use super::{EXPORT_MAX, rows_of, today};
use crate::auth::guard::Authenticated;
use crate::error::AppError;
use crate::pages::Chrome;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "ledger_charts.html")]
struct ChartsPage {
    chrome: Chrome,
    by_mission: String,
    by_unit: String,
}

/// GET /ledger/charts: progress by mission and by supervised unit, as SVG drawn here.
pub async fn charts(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
) -> Result<Response, AppError> {
    use giamsat_domain::chart::{Bar, bars};
    let today = today(&state);
    let rows = rows_of(&state, &current, &ledger::Filter::default(), None, EXPORT_MAX).await?;
    let mut units: Vec<(String, Bar)> = Vec::new();
    let mission_ids: Vec<i64> = rows.iter().map(|r| r.item.mission_id).collect();
    let targets = ledger::targets_of(&state.db, mission_ids).await?;
    for row in &rows {
        for target in targets.iter().filter(|t| t.mission_id == row.item.mission_id) {
            let label = giamsat_domain::codes::TargetKind::from_code(&target.kind)
                .map_or_else(|| target.name.clone(), |k| labels::target_with_kind(k, &target.name));
            let index = match units.iter().position(|(l, _)| *l == label) {
                Some(i) => i,
                None => {
                    units.push((label.clone(), Bar { label, settled: 0, open: 0, overdue: 0 }));
                    units.len() - 1
                }
            };
            if let Some((_, bar)) = units.get_mut(index) {
                bar.count(row.item.follow_up.standing(today));
            }
        }
    }
    let missions = bars_by_mission(&rows, today);
    let units: Vec<Bar> = units.into_iter().map(|(_, b)| b).collect();
    crate::pages::page(
        &ChartsPage {
            chrome: Chrome::of(&current),
            by_mission: bars(msg::CHART_BY_MISSION, &missions),
            by_unit: bars(msg::CHART_BY_UNIT, &units),
        },
        StatusCode::OK,
    )
}

/// One bar per mission, in the order the rows first name them.
pub(super) fn bars_by_mission(rows: &[ledger::Row], today: chrono::NaiveDate) -> Vec<giamsat_domain::chart::Bar> {
    use giamsat_domain::chart::Bar;
    let mut missions: Vec<(i64, Bar)> = Vec::new();
    for row in rows {
        let index = match missions.iter().position(|(id, _)| *id == row.item.mission_id) {
            Some(i) => i,
            None => {
                let bar = Bar { label: row.mission_title.clone(), settled: 0, open: 0, overdue: 0 };
                missions.push((row.item.mission_id, bar));
                missions.len() - 1
            }
        };
        if let Some((_, bar)) = missions.get_mut(index) {
            bar.count(row.item.follow_up.standing(today));
        }
    }
    missions.into_iter().map(|(_, b)| b).collect()
}
