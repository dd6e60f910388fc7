//! The news article composed from a mission's data, as an HTML preview (the editorial workflow and the public
//! portal build on it).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use giamsat_domain::article::Article;
use giamsat_domain::mission::Mission;
use giamsat_domain::policy::Action;
use giamsat_domain::report::ArticleContent;
use giamsat_store::{missions, reports};

use crate::auth::guard::{Authenticated, authorize};
use crate::error::AppError;
use crate::state::AppState;

/// A photo of the preview: its image (when it has a file and a route to show it) and its caption.
struct PhotoView {
    src: Option<String>,
    caption: String,
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage<'a> {
    article: &'a Article,
    category: Option<&'a str>,
    photos: Vec<PhotoView>,
}

/// The article of `mission`, composed from its data, as a standalone HTML page (captions without images: the
/// command line has no route to serve them).
///
/// # Errors
/// A message if the template cannot render.
pub fn article_html(mission: &Mission) -> Result<String, String> {
    render(&ArticleContent::generate(mission), |_| None)
}

/// `content` as a standalone HTML page: the photos the portal will publish (those included), in its order, each
/// with its caption under it; `src` gives a photo file's address, if it can be shown.
///
/// # Errors
/// A message if the template cannot render.
pub fn render(content: &ArticleContent, src: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let article = Article { captions: Vec::new(), ..content.to_article() };
    let photos = content
        .photos
        .iter()
        .filter(|p| p.included)
        .map(|p| PhotoView { src: p.file.as_deref().and_then(&src), caption: p.caption.clone() })
        .collect();
    ArticlePage { article: &article, category: content.category.as_deref(), photos }.render().map_err(|e| e.to_string())
}

/// GET /missions/{id}/article: the article as it would be published now — the writer's draft if there is one,
/// otherwise what the data gives — with its photos in place, as the portal will show them.
pub async fn preview(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, Action::View).await?;
    let content = match reports::find(&state.db, id).await? {
        Some(report) => report.draft,
        None => ArticleContent::generate(&missions::load(&state.db, id).await?.mission),
    };
    let html = render(&content, |file| Some(format!("/missions/{id}/photos/{file}")));
    html.map(|html| Html(html).into_response()).map_err(AppError::Internal)
}
