//! A decision (quyết định) edited once for every team it set up.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use giamsat_domain::mission::Decision;
use giamsat_store::StoreError;
use giamsat_store::missions::{self, StoredDecision};

use crate::auth::guard::Authenticated;
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::forms::{Checked, FormData};
use crate::pages::account::actor;
use crate::pages::mission_form::decision_fields;
use crate::pages::{Chrome, page};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "decision_form.html")]
struct DecisionPage {
    chrome: Chrome,
    csrf: String,
    id: i64,
    version: i32,
    teams: usize,
    back: i64,
    form: Checked,
    conflict: bool,
}

/// The decision, if `current` may manage its organisation; otherwise it answers as if it did not exist.
async fn managed(state: &AppState, current: &CurrentUser, id: i64) -> Result<StoredDecision, AppError> {
    let stored = missions::decision(&state.db, id).await?;
    crate::auth::guard::manage(current, stored.owner_org_id)?;
    Ok(stored)
}

fn values_of(decision: &Decision) -> Checked {
    let mut form = Checked::default();
    form.set("number", decision.number.as_ref().map(|n| n.raw().to_owned()).unwrap_or_default());
    form.set("issued_on", giamsat_domain::date::iso(decision.issued_on));
    form.set("issuer", decision.issuer.clone().unwrap_or_default());
    form.set("summary", decision.summary.clone().unwrap_or_default());
    form
}

fn new_page(current: &CurrentUser, stored: &StoredDecision, form: Checked) -> DecisionPage {
    DecisionPage {
        chrome: Chrome::of(current),
        csrf: current.csrf.clone().unwrap_or_default(),
        id: stored.id,
        version: stored.version,
        teams: stored.missions.len(),
        back: stored.missions.first().copied().unwrap_or_default(),
        form,
        conflict: false,
    }
}

/// GET /decisions/{id}/edit
pub async fn edit_form(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let stored = managed(&state, &current, id).await?;
    let form = values_of(&stored.decision);
    page(&new_page(&current, &stored, form), StatusCode::OK)
}

/// POST /decisions/{id}/edit: changes the decision of every team it set up.
pub async fn update(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    let stored = managed(&state, &current, id).await?;
    let mut form = Checked::from(&data);
    let version: i32 = data.get("version").parse().unwrap_or(-1);
    let Ok(decision) = decision_fields(&mut form, ["number", "issued_on", "issuer", "summary"]) else {
        let mut again = new_page(&current, &stored, form);
        again.version = version;
        return page(&again, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match missions::update_decision(
        &state.db,
        id,
        version,
        &decision,
        &actor(&current.user, &headers, state.clock.now()),
    )
    .await
    {
        Ok(()) => {
            Ok(crate::pages::saved(&format!("/missions/{}", stored.missions.first().copied().unwrap_or_default()), ""))
        }
        Err(StoreError::Conflict { .. }) => {
            let mut again = new_page(&current, &stored, form);
            again.conflict = true;
            page(&again, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}
