//! Calendar feeds: each account may have one secret URL (revocable from /account) that calendar apps
//! subscribe to, with the working sessions of the missions it may see and the due dates of the open
//! recommendations it follows.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use giamsat_domain::calendar::{CalendarEvent, ics};
use giamsat_domain::codes::TargetKind;
use giamsat_domain::messages::{labels, ledger as msg};
use giamsat_domain::policy::{self, Subject};
use giamsat_store::{calendar, dashboard, ledger};

use crate::auth::guard::Authenticated;
use crate::auth::{hash_token, random_token};
use crate::error::AppError;
use crate::pages::Chrome;
use crate::pages::account::actor;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "calendar_created.html")]
struct CreatedPage {
    chrome: Chrome,
    url: String,
}

/// POST /account/calendar: a new feed URL (shown once), replacing the account's earlier one.
pub async fn create(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let token = random_token();
    calendar::create(
        &state.db,
        current.user.id,
        &hash_token(&token),
        &actor(&current.user, &headers, state.clock.now()),
    )
    .await?;
    let url = format!("{}/calendar/{token}", state.public_url);
    crate::pages::page(&CreatedPage { chrome: Chrome::of(&current), url }, StatusCode::OK)
}

/// POST /account/calendar/revoke
pub async fn revoke(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    calendar::revoke(&state.db, current.user.id, &actor(&current.user, &headers, state.clock.now())).await?;
    Ok(Redirect::to("/account?done=calendar_revoked").into_response())
}

/// Most due dates one feed lists.
const FEED_MAX: u64 = 2_000;

/// GET /calendar/{token}: the feed. The token is the credential (calendar apps send no cookies); an unknown or
/// revoked one is answered like a missing page.
pub async fn feed(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, AppError> {
    let user = calendar::user_of(&state.db, &hash_token(&token)).await?.ok_or(AppError::NotFound)?;
    let subject = Subject { user_id: user.id, role: user.role, organisation_id: user.organisation_id };
    let visibility = policy::visibility(Some(&subject));
    let base = &state.public_url;
    let mut events = Vec::new();
    // The years dates may have at all (`date::parse_date`), written so both databases compare them as dates.
    let (first, last) = (NaiveDate::from_ymd_opt(1900, 1, 1), NaiveDate::from_ymd_opt(2200, 12, 31));
    let (Some(first), Some(last)) = (first, last) else { return Err(AppError::Internal("calendar range".to_owned())) };
    for s in dashboard::sessions_between(&state.db, visibility, first, last, FEED_MAX).await? {
        let target = TargetKind::from_code(&s.target_kind)
            .map_or_else(|| s.target.clone(), |k| labels::target_with_kind(k, &s.target));
        events.push(CalendarEvent {
            uid: format!("session-{}-{}-{}@giamsat", s.mission_id, s.date, giamsat_domain::text::fold(&s.target)),
            date: s.date,
            summary: msg::calendar_session(&target, &s.mission_name),
            description: String::new(),
            url: Some(format!("{base}/missions/{}", s.mission_id)),
        });
    }
    let addressee = policy::addressee_org(Some(&subject));
    let open = ledger::list(&state.db, visibility, addressee, &ledger::Filter::default(), None, FEED_MAX).await?;
    for row in open.into_iter().filter(|r| r.item.follow_up.status.is_open()) {
        let Some(due) = row.item.follow_up.due_on else { continue };
        events.push(CalendarEvent {
            uid: format!("rec-{}@giamsat", row.item.id),
            date: due,
            summary: msg::calendar_due(&row.item.text, &row.mission_title),
            description: format!("{} · {}", row.mission_title, labels::rec_status(row.item.follow_up.status)),
            url: Some(format!("{base}/recommendations/{}", row.item.id)),
        });
    }
    let body = ics(&msg::calendar_name(&user.display_name), &events, state.clock.now());
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body)
        .into_response())
}
