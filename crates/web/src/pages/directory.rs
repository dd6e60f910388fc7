//! Directories: organisations (a tree of any depth), administrative units with their history (merged, split,
//! renamed), and people with the positions they held over time.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use giamsat_domain::date::format_short;
use giamsat_domain::messages::labels;
use giamsat_domain::policy;
use giamsat_store::{dashboard, orgs, units};

use crate::auth::guard::Authenticated;
use crate::error::AppError;
use crate::pages::{Chrome, page};
use crate::state::AppState;

pub struct OrgRow {
    pub depth: usize,
    pub name: String,
    /// The organisation's formal report settings, if the user may change them.
    pub settings: Option<String>,
}

pub struct UnitRow {
    pub name: String,
    pub kind: &'static str,
    pub validity: String,
    pub history: Vec<String>,
}

pub struct PersonRow {
    pub name: String,
    pub positions: Vec<(String, String, i64)>,
}

#[derive(Template)]
#[template(path = "directory.html")]
struct DirectoryPage {
    chrome: Chrome,
    organisations: Vec<OrgRow>,
    units: Vec<UnitRow>,
    people: Vec<PersonRow>,
}

/// GET /directory: organisations, administrative units with their history, and people.
pub async fn show(State(state): State<AppState>, Authenticated(current): Authenticated) -> Result<Response, AppError> {
    let list = orgs::list(&state.db).await?;
    let subject = current.subject();
    let mut children: HashMap<Option<i64>, Vec<&orgs::OrgSummary>> = HashMap::new();
    for org in &list {
        children.entry(org.parent_id).or_default().push(org);
    }
    let mut organisations = Vec::new();
    let mut stack: Vec<(usize, &orgs::OrgSummary)> =
        children.get(&None).map(|roots| roots.iter().rev().map(|o| (0, *o)).collect()).unwrap_or_default();
    while let Some((depth, org)) = stack.pop() {
        organisations.push(OrgRow {
            depth,
            name: org.name.clone(),
            settings: crate::auth::guard::may_manage(&current, org.id)
                .then(|| format!("/organisations/{}/formal-settings", org.id)),
        });
        if let Some(kids) = children.get(&Some(org.id)) {
            stack.extend(kids.iter().rev().map(|o| (depth + 1, *o)));
        }
    }

    let (all_units, lineage) = units::all(&state.db).await?;
    let name_of: HashMap<i64, String> =
        all_units.iter().map(|u| (u.id, format!("{} {}", labels::unit_kind(u.kind), u.name))).collect();
    let units =
        all_units
            .iter()
            .map(|u| {
                let validity = labels::validity(u.valid.from, u.valid.to);
                let mut history: Vec<String> = lineage
                    .iter()
                    .filter(|e| e.from == u.id)
                    .map(|e| {
                        labels::lineage_step(
                            e.kind,
                            e.partial,
                            &name_of.get(&e.to).cloned().unwrap_or_default(),
                            e.effective_on,
                        )
                    })
                    .collect();
                history.extend(lineage.iter().filter(|e| e.to == u.id).map(|e| {
                    labels::lineage_origin(&name_of.get(&e.from).cloned().unwrap_or_default(), e.effective_on)
                }));
                UnitRow { name: u.name.clone(), kind: labels::unit_kind(u.kind), validity, history }
            })
            .collect();

    let visibility = policy::visibility(Some(&subject));
    let people = dashboard::people(&state.db, visibility)
        .await?
        .into_iter()
        .map(|p| PersonRow {
            name: p.name,
            positions: p
                .positions
                .into_iter()
                .map(|(title, date, id)| (title, date.map(format_short).unwrap_or_default(), id))
                .collect(),
        })
        .collect();
    page(&DirectoryPage { chrome: Chrome::of(&current), organisations, units, people }, StatusCode::OK)
}
