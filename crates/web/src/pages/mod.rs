//! Handlers by resource, and the view structs they fill: pre-formatted values, so templates only loop and
//! branch.

pub mod account;
pub mod admin;
pub mod api;
pub mod api_ledger;
pub mod article;
pub mod assets;
pub mod calendar;
pub mod decision;
pub mod directory;
pub mod formal;
pub mod health;
pub mod items;
pub mod ledger;
pub mod mission_form;
pub mod missions;
pub mod mywork;
pub mod portal;
pub mod record;
pub mod report;
pub mod search;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::auth::session::CurrentUser;
use crate::error::AppError;

/// Renders a page's template with `status` (askama's own response would always be 200).
///
/// # Errors
/// [`AppError::Internal`] if the template fails to render.
pub fn page(template: &impl Template, status: StatusCode) -> Result<Response, AppError> {
    template.render().map(|html| (status, Html(html)).into_response()).map_err(|e| AppError::Internal(e.to_string()))
}

/// The query a save's redirect adds to the page it lands on, which then confirms the save.
pub const SAVED_QUERY: &str = "done=saved";

/// The redirect after a successful save: to `path` (which may have a query), at `#anchor` if not empty, with
/// [`SAVED_QUERY`], so the page the user lands on says "Đã lưu".
#[must_use]
pub fn saved(path: &str, anchor: &str) -> Response {
    let joiner = if path.contains('?') { '&' } else { '?' };
    let anchor = if anchor.is_empty() { String::new() } else { format!("#{anchor}") };
    Redirect::to(&format!("{path}{joiner}{SAVED_QUERY}{anchor}")).into_response()
}

/// What the shared layout shows around every page: who is signed in, the token of the logout form, and the
/// confirmation of a save just made.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    pub user_name: Option<String>,
    pub is_admin: bool,
    pub csrf: String,
    pub saved: Option<&'static str>,
}

impl Chrome {
    #[must_use]
    pub fn of(current: &CurrentUser) -> Chrome {
        Chrome {
            user_name: Some(current.user.display_name.clone()),
            is_admin: crate::auth::guard::may(current, giamsat_domain::policy::Action::Administer),
            csrf: current.csrf.clone().unwrap_or_default(),
            saved: current.saved.then_some(giamsat_domain::messages::labels::SAVED),
        }
    }
}
