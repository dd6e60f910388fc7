//! GET /search: one box across missions, targets, session minutes, findings, recommendations and people.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use giamsat_domain::messages::labels;
use giamsat_domain::policy;
use giamsat_domain::search::{Highlighter, Segment};
use giamsat_store::search::{self, Hit};
use serde::Deserialize;

use crate::auth::guard::Authenticated;
use crate::error::AppError;
use crate::pages::Chrome;
use crate::state::AppState;

/// Results shown.
const LIMIT: usize = 30;

pub struct ResultView {
    pub kind: &'static str,
    pub link: Option<String>,
    pub title: Vec<Segment>,
    pub body: Vec<Segment>,
    /// The mission a target, finding, recommendation or member belongs to, by its name.
    pub mission: Option<String>,
}

fn view(hit: &Hit, highlighter: &Highlighter) -> ResultView {
    let anchor = match hit.kind.as_str() {
        "mission" | "unit" => "",
        "target" => "#targets",
        "session" => "#sessions",
        "finding" => "#findings",
        "recommendation" => "#recommendations",
        _ => "#team",
    };
    let body: String = if hit.body.chars().count() > 400 {
        format!("{}…", hit.body.chars().take(400).collect::<String>())
    } else {
        hit.body.clone()
    };
    ResultView {
        kind: labels::search_kind(&hit.kind),
        link: match hit.mission_id {
            Some(id) => Some(format!("/missions/{id}{anchor}")),
            None if hit.kind == "unit" => Some("/directory#units".to_owned()),
            None => None,
        },
        // A mission is shown by the name it goes by everywhere, whatever its index row was written with.
        title: match (&hit.mission_name, hit.kind.as_str()) {
            (Some(name), "mission") => highlighter.segments(name),
            _ => highlighter.segments(&hit.title),
        },
        body: highlighter.segments(&body),
        mission: hit.mission_name.clone().filter(|_| hit.kind != "mission"),
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    query: String,
    results: Vec<ResultView>,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

/// GET /search?q=…: diacritic-insensitive, abbreviation-aware, exact spelling first, matches highlighted.
pub async fn search(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Query(query): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let q: String = query.q.unwrap_or_default().chars().take(200).collect();
    let visibility = policy::visibility(Some(&current.subject()));
    let hits = if q.trim().is_empty() { Vec::new() } else { search::search(&state.db, visibility, &q, LIMIT).await? };
    let highlighter = Highlighter::new(&q);
    let results = hits.iter().map(|h| view(h, &highlighter)).collect();
    let page = SearchPage { chrome: Chrome::of(&current), query: q, results };
    page.render().map(|html| Html(html).into_response()).map_err(|e| AppError::Internal(e.to_string()))
}
