//! Signed-in pages kept as rendered for as long as nothing they show has changed.
//!
//! Every committed change of what the pages show raises the database's `data_version` (triggers, migration 19),
//! and the session lookup reads that number in the same statement as the session. A page rendered at number
//! `v` is served again to the same account, for the same URL and the same day in Vietnam, while the request's
//! session reads `v`: the page then costs that one statement instead of the twenty of the mission page. Another
//! instance's commit raises the number in the shared database, so no instance serves a page older than what
//! was committed before the request's session was read; a request never sees data older than its session.
//!
//! What differs between two sessions of one account is the CSRF token: a kept page holds its body split at the
//! token, and each answer puts the asking session's token back. Only plain `200` HTML answers without cookies
//! are kept. The cache holds the pages of the newest number only (an older number can never be read again) and
//! at most a configured number of bytes; when full it starts again empty.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use giamsat_domain::date::vietnam_day;

use crate::auth::session::MaybeUser;
use crate::error::AppError;
use crate::state::AppState;

/// The routes whose pages are kept: the pages of daily work, read far more often than the data changes, and
/// search (asked again on the way back from a result; the index is among the tables that raise the number).
const KEPT: &[&str] = &["/", "/missions", "/missions/{id}", "/my-work", "/ledger", "/recommendations/{id}", "/search"];

/// Megabytes kept unless `GIAMSAT_PAGE_CACHE_MB` says otherwise: a few hundred pages, well inside the memory
/// target of the app.
pub const DEFAULT_MB: usize = 32;

/// The largest page kept (a page larger than this is rendered every time).
const MAX_PAGE: usize = 4 * 1024 * 1024;

/// The kept pages of one instance (cheap to clone).
#[derive(Clone)]
pub struct PageCache {
    inner: Arc<Mutex<Inner>>,
    capacity: usize,
}

#[derive(Default)]
struct Inner {
    version: i64,
    bytes: usize,
    pages: HashMap<Key, Arc<Page>>,
}

#[derive(Hash, PartialEq, Eq)]
struct Key {
    user_id: i64,
    day: NaiveDate,
    /// Path and query, as asked.
    target: String,
}

/// A rendered answer: its headers and its body cut at each occurrence of the session's CSRF token.
struct Page {
    headers: HeaderMap,
    parts: Vec<String>,
}

impl Page {
    fn len(&self) -> usize {
        self.parts.iter().map(String::len).sum()
    }

    fn response(&self, csrf: &str) -> Response {
        let mut response = Response::new(Body::from(self.parts.join(csrf)));
        *response.headers_mut() = self.headers.clone();
        response
    }
}

impl PageCache {
    /// A cache of at most `capacity` bytes of pages; 0 keeps nothing.
    #[must_use]
    pub fn new(capacity: usize) -> PageCache {
        PageCache { inner: Arc::default(), capacity }
    }

    fn get(&self, version: i64, key: &Key) -> Option<Arc<Page>> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.version == version { inner.pages.get(key).cloned() } else { None }
    }

    fn put(&self, version: i64, key: Key, page: Page) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if version < inner.version {
            return;
        }
        if version > inner.version {
            *inner = Inner { version, ..Inner::default() };
        }
        let len = page.len();
        if inner.bytes + len > self.capacity {
            inner.pages.clear();
            inner.bytes = 0;
        }
        inner.bytes += len;
        if let Some(old) = inner.pages.insert(key, Arc::new(page)) {
            inner.bytes -= old.len();
        }
    }
}

impl Default for PageCache {
    fn default() -> PageCache {
        PageCache::new(DEFAULT_MB << 20)
    }
}

/// Serves a kept page, or renders it and keeps it. Runs after the session is resolved.
pub async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.pages.capacity == 0 || request.method() != Method::GET {
        return next.run(request).await;
    }
    let kept = request.extensions().get::<MatchedPath>().is_some_and(|p| KEPT.contains(&p.as_str()));
    let asker = request
        .extensions()
        .get::<MaybeUser>()
        .and_then(|m| m.0.as_ref())
        .and_then(|current| Some((current.user.id, current.csrf.clone()?, current.data_version?)));
    let (true, Some((user_id, csrf, version))) = (kept, asker) else {
        return next.run(request).await;
    };
    let target = request.uri().path_and_query().map_or_else(|| request.uri().path().to_owned(), |p| p.to_string());
    let key = Key { user_id, day: vietnam_day(state.clock.now()), target };
    if let Some(page) = state.pages.get(version, &key) {
        return page.response(&csrf);
    }
    let response = next.run(request).await;
    let keep = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    if !keep {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The page is already rendered in memory (askama writes a string): collecting it cannot run long.
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => return AppError::Internal(e.to_string()).into_response(),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    if bytes.len() <= MAX_PAGE
        && let Ok(text) = std::str::from_utf8(&bytes)
    {
        let page =
            Page { headers: parts.headers.clone(), parts: text.split(csrf.as_str()).map(str::to_owned).collect() };
        state.pages.put(version, key, page);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(user_id: i64, target: &str) -> Key {
        Key { user_id, day: NaiveDate::default(), target: target.to_owned() }
    }

    fn page(body: &str, token: &str) -> Page {
        Page { headers: HeaderMap::new(), parts: body.split(token).map(str::to_owned).collect() }
    }

    #[test]
    fn a_page_is_served_at_its_version_only_and_for_its_account_only() {
        let cache = PageCache::new(1024);
        cache.put(5, key(1, "/missions/1"), page("a", "t"));
        assert!(cache.get(5, &key(1, "/missions/1")).is_some());
        assert!(cache.get(5, &key(2, "/missions/1")).is_none(), "another account");
        assert!(cache.get(5, &key(1, "/missions/1?done=saved")).is_none(), "another URL");
        assert!(cache.get(6, &key(1, "/missions/1")).is_none(), "a newer version");
    }

    #[test]
    fn a_newer_version_forgets_every_older_page_and_an_older_one_is_not_kept() {
        let cache = PageCache::new(1024);
        cache.put(5, key(1, "/"), page("a", "t"));
        cache.put(6, key(1, "/missions"), page("b", "t"));
        assert!(cache.get(5, &key(1, "/")).is_none());
        cache.put(5, key(1, "/"), page("late", "t"));
        assert!(cache.get(6, &key(1, "/")).is_none(), "a page rendered at 5 is not served at 6");
        assert_eq!(cache.inner.lock().map(|i| i.pages.len()).unwrap_or_default(), 1);
    }

    #[test]
    fn each_session_gets_its_own_token_back_and_the_cache_stays_within_its_size() {
        let cache = PageCache::new(10);
        cache.put(1, key(1, "/"), page("<a>TOKEN</a><b>TOKEN</b>", "TOKEN"));
        let kept = cache.get(1, &key(1, "/")).expect("kept");
        assert_eq!(kept.parts.join("other"), "<a>other</a><b>other</b>");
        cache.put(1, key(1, "/x"), page("0123456789", "TOKEN"));
        let inner = cache.inner.lock().expect("lock");
        assert!(inner.bytes <= 10, "{} bytes kept", inner.bytes);
    }
}
