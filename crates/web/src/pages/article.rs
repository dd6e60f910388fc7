//! The news article composed from a mission's data, as an HTML preview (the editorial workflow and the public
//! portal build on it).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use giamsat_domain::article::{Article, compose};
use giamsat_domain::mission::Mission;
use giamsat_domain::policy::Action;
use giamsat_store::{missions, reports};

use crate::auth::guard::{Authenticated, authorize};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage<'a> {
    article: &'a Article,
    category: Option<&'a str>,
}

/// The article of `mission`, composed from its data, as a standalone HTML page.
///
/// # Errors
/// A message if the template cannot render.
pub fn article_html(mission: &Mission) -> Result<String, String> {
    let article = compose(mission);
    render(&article, mission.publication.as_ref().and_then(|p| p.category.as_deref()))
}

/// `article` as a standalone HTML page.
///
/// # Errors
/// A message if the template cannot render.
pub fn render(article: &Article, category: Option<&str>) -> Result<String, String> {
    ArticlePage { article, category }.render().map_err(|e| e.to_string())
}

/// GET /missions/{id}/article: the article as it would be published now — the writer's draft if there is one,
/// otherwise what the data gives.
pub async fn preview(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, Action::View).await?;
    let html = match reports::find(&state.db, id).await? {
        Some(report) => render(&report.draft.to_article(), report.draft.category.as_deref()),
        None => article_html(&missions::load(&state.db, id).await?.mission),
    };
    html.map(|html| Html(html).into_response()).map_err(AppError::Internal)
}
