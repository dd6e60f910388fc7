//! The public portal: published articles only, no login. Lists by category with keyset pages, the article
//! page as district portals show it ("23/04/2021 | 08:08 | Lượt xem: 60"), every published version at its
//! own address, an Atom feed, and the photos the published versions show.
//!
//! A published version never changes, so its page carries a strong ETag (its content hash) and may be cached
//! for a year; the latest-version page shows the view count, so its ETag also names the count and browsers
//! revalidate it. Views are counted in memory and written in batches (`crate::views`).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use giamsat_store::reports::{self, Cursor, Listed, PublishedVersion};
use serde::Deserialize;

use crate::auth::guard::ClientAddr;
use crate::error::AppError;
use crate::pages::report::vietnam_time;
use crate::precompressed::Precompressed;
use crate::state::AppState;

/// Articles per list page and in the feed.
const PAGE: u64 = 20;

/// The portal's pages.
const HTML: &str = "text/html; charset=utf-8";

/// A published version is immutable: any cache may keep it.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Lists and the latest version change: caches must ask again (a 304 is cheap).
const REVALIDATE: &str = "public, no-cache";

/// Whether `s` can be a slug or a stored file's key (ASCII letters, digits, `-`, `_`, `.`): anything else is
/// not found without asking the database (PostgreSQL refuses a NUL in a text parameter).
fn plausible(s: &str) -> bool {
    !s.is_empty() && s.len() <= 200 && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[derive(Deserialize)]
pub struct PageQuery {
    /// Where the page starts: the cursor of the previous page's last article ("millis-id").
    sau: Option<String>,
}

fn parse_cursor(raw: Option<&str>) -> Result<Option<Cursor>, AppError> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let (millis, id) = raw.split_once('-').ok_or(AppError::NotFound)?;
    let millis: i64 = millis.parse().map_err(|_| AppError::NotFound)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let at = Utc.timestamp_millis_opt(millis).single().ok_or(AppError::NotFound)?;
    Ok(Some((at, id)))
}

struct ListItem {
    slug: String,
    title: String,
    lead: String,
    category: Option<String>,
    published: String,
}

#[derive(Template)]
#[template(path = "portal_list.html")]
struct ListPage {
    categories: Vec<(String, String)>,
    heading: String,
    items: Vec<ListItem>,
    next: Option<String>,
}

async fn list_page(
    state: &AppState,
    headers: &HeaderMap,
    category: Option<&str>,
    query: &PageQuery,
    base_path: &str,
) -> Result<Response, AppError> {
    let cursor = query.sau.as_deref().filter(|c| !c.is_empty());
    if let Some(page) = state.portal.list(category, cursor) {
        return Ok(revalidated(page.response(headers, HTML)));
    }
    let after = parse_cursor(cursor)?;
    let categories = categories(state).await?;
    let heading = match category {
        None => giamsat_domain::messages::pages::PORTAL_NEWS.to_owned(),
        Some(slug) => categories.iter().find(|(s, _)| s == slug).map(|(_, n)| n.clone()).ok_or(AppError::NotFound)?,
    };
    let mut listed = reports::list_published(&state.db, category, after, PAGE + 1).await?;
    let next = if listed.len() > usize::try_from(PAGE).unwrap_or(usize::MAX) {
        listed.truncate(usize::try_from(PAGE).unwrap_or(usize::MAX));
        listed.last().map(|l| format!("{base_path}?sau={}-{}", l.first_published_at.timestamp_millis(), l.report_id))
    } else {
        None
    };
    let items = listed
        .into_iter()
        .map(|l| ListItem {
            published: vietnam_time(l.first_published_at).format("%d/%m/%Y %H:%M").to_string(),
            slug: l.slug,
            title: l.content.title,
            lead: l.content.lead,
            category: l.content.category,
        })
        .collect();
    let html = ListPage { categories: categories.to_vec(), heading, items, next }
        .render()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(revalidated(state.portal.put_list(category, cursor, html).response(headers, HTML)))
}

fn revalidated(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    response
}

/// The categories of the navigation, from the cache when it is fresh.
async fn categories(state: &AppState) -> Result<Arc<Vec<(String, String)>>, AppError> {
    if let Some(categories) = state.portal.categories() {
        return Ok(categories);
    }
    let categories = Arc::new(reports::categories(&state.db).await?);
    state.portal.put_categories(categories.clone());
    Ok(categories)
}

/// GET /tin-tuc: every published article, newest first.
pub async fn index(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    list_page(&state, &headers, None, &query, "/tin-tuc").await
}

/// GET /tin-tuc/chuyen-muc/{category}: the articles of one category.
pub async fn category(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    if !plausible(&slug) {
        return Err(AppError::NotFound);
    }
    let base = format!("/tin-tuc/chuyen-muc/{slug}");
    list_page(&state, &headers, Some(&slug), &query, &base).await
}

struct PhotoView {
    src: Option<String>,
    caption: String,
}

#[derive(Template)]
#[template(path = "portal_article.html")]
struct ArticlePage {
    categories: Vec<(String, String)>,
    title: String,
    description: String,
    canonical: String,
    og_image: Option<String>,
    published_iso: String,
    category: Option<String>,
    date: String,
    time: String,
    views: Option<i64>,
    number: i32,
    correction: Option<String>,
    current: Option<String>,
    lead: String,
    paragraphs: Vec<String>,
    photos: Vec<PhotoView>,
    byline: Option<String>,
    source: Option<String>,
    earlier: Vec<(i32, String)>,
}

fn article_page(
    state: &AppState,
    categories: Vec<(String, String)>,
    v: &PublishedVersion,
    views: Option<i64>,
    permalink: bool,
) -> ArticlePage {
    let base = &state.public_url;
    let shown = vietnam_time(v.first_published_at);
    let photos: Vec<PhotoView> = v
        .content
        .photos
        .iter()
        .filter(|p| p.included)
        .map(|p| PhotoView { src: p.file.as_ref().map(|f| format!("/anh/{f}")), caption: p.caption.clone() })
        .collect();
    let canonical = if permalink {
        format!("{base}/tin-tuc/{}/ban/{}", v.slug, v.number)
    } else {
        format!("{base}/tin-tuc/{}", v.slug)
    };
    ArticlePage {
        categories,
        title: v.content.title.clone(),
        description: v.content.lead.chars().take(300).collect(),
        canonical,
        og_image: photos.iter().find_map(|p| p.src.as_ref().map(|s| format!("{base}{s}"))),
        published_iso: v.first_published_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        category: v.content.category.clone(),
        date: shown.format("%d/%m/%Y").to_string(),
        time: shown.format("%H:%M").to_string(),
        views,
        number: v.number,
        correction: v.corrects.clone(),
        // Always the same link, so the page of a version does not change when a correction follows it.
        current: permalink.then(|| format!("/tin-tuc/{}", v.slug)),
        lead: v.content.lead.clone(),
        paragraphs: v.content.paragraphs.clone(),
        photos,
        byline: v.content.byline.clone(),
        source: v.content.source.clone(),
        earlier: if permalink {
            Vec::new()
        } else {
            (1..v.latest).map(|n| (n, format!("/tin-tuc/{}/ban/{n}", v.slug))).collect()
        },
    }
}

/// Whether the request's `If-None-Match` names `etag` (or `*`).
fn matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

/// The body with its ETag and cache policy, or 304 when the client already has it.
fn with_etag(
    headers: &HeaderMap,
    etag: &str,
    cache: &'static str,
    body: impl FnOnce() -> Result<Response, AppError>,
) -> Result<Response, AppError> {
    tagged(if matches(headers, etag) { StatusCode::NOT_MODIFIED.into_response() } else { body()? }, etag, cache)
}

/// `response` with its ETag and cache policy.
fn tagged(mut response: Response, etag: &str, cache: &'static str) -> Result<Response, AppError> {
    let tag = HeaderValue::from_str(etag).map_err(|e| AppError::Internal(e.to_string()))?;
    response.headers_mut().insert(header::ETAG, tag);
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}

/// GET /tin-tuc/{slug}: the latest version, with its view count; the reader's view is counted.
pub async fn article(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    if !plausible(&slug) {
        return Err(AppError::NotFound);
    }
    let v = match state.portal.latest(&slug) {
        Some(v) => v,
        None => {
            let v = Arc::new(reports::published(&state.db, &slug, None).await?.ok_or(AppError::NotFound)?);
            state.portal.put_latest(&slug, v.clone());
            v
        }
    };
    let agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let visitor = format!("{}|{agent}", addr.map(|a| a.to_string()).unwrap_or_default());
    state.views.count(v.report_id, &visitor, state.clock.now());
    let views = state.views.shown(&state.db, v.report_id).await?;
    let etag = format!("\"{}-{views}\"", &v.content_hash[..16.min(v.content_hash.len())]);
    if matches(&headers, &etag) {
        return tagged(StatusCode::NOT_MODIFIED.into_response(), &etag, REVALIDATE);
    }
    // Rendered again only when its count or the categories change (or after the cache's period).
    let kept = match state.portal.article(&slug, &etag) {
        Some(kept) => kept,
        None => {
            let categories = categories(&state).await?.to_vec();
            let page = article_page(&state, categories, &v, Some(views), false)
                .render()
                .map_err(|e| AppError::Internal(e.to_string()))?;
            state.portal.put_article(&slug, etag, Precompressed::new(page))
        }
    };
    let (etag, page) = kept.as_ref();
    tagged(page.response(&headers, HTML), etag, REVALIDATE)
}

/// GET /tin-tuc/{slug}/ban/{number}: one published version, byte for byte the same on every request.
pub async fn version(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    if !plausible(&slug) {
        return Err(AppError::NotFound);
    }
    let cached = match state.portal.page(&slug, number) {
        Some(page) => page,
        None => {
            let v = reports::published(&state.db, &slug, Some(number)).await?.ok_or(AppError::NotFound)?;
            // The page of a version shows no category list and no count: nothing on it may change.
            let html = article_page(&state, Vec::new(), &v, None, true)
                .render()
                .map_err(|e| AppError::Internal(e.to_string()))?;
            state.portal.put_page(&slug, number, format!("\"{}\"", v.content_hash), html)
        }
    };
    let (etag, page) = cached.as_ref();
    with_etag(&headers, etag, IMMUTABLE, || Ok(page.response(&headers, HTML)))
}

/// GET /anh/{key}: a photo that a published version shows; any other stored file is not found here.
pub async fn photo(State(state): State<AppState>, Path(key): Path<String>) -> Result<Response, AppError> {
    if !plausible(&key) || !reports::is_published_photo(&state.db, &key).await? {
        return Err(AppError::NotFound);
    }
    let (bytes, content_type) = state.files.get(&key).await.ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, IMMUTABLE)], bytes).into_response())
}

struct Entry {
    title: String,
    slug: String,
    published: String,
    updated: String,
    author: Option<String>,
    category: Option<String>,
    summary: String,
    content_html: String,
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct Feed {
    base: String,
    updated: String,
    entries: Vec<Entry>,
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn entry(l: &Listed) -> Entry {
    let mut content = format!("<p><strong>{}</strong></p>", escape_html(&l.content.lead));
    for p in &l.content.paragraphs {
        content.push_str(&format!("<p>{}</p>", escape_html(p)));
    }
    Entry {
        title: l.content.title.clone(),
        slug: l.slug.clone(),
        published: rfc3339(l.first_published_at),
        updated: rfc3339(l.published_at),
        author: l.content.byline.clone(),
        category: l.content.category.clone(),
        summary: l.content.lead.clone(),
        content_html: content,
    }
}

/// GET /feed.atom: the latest published articles as an Atom feed, rendered at most once per cache period.
pub async fn feed(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let cached = match state.portal.feed() {
        Some(cached) => cached,
        None => {
            let listed = reports::list_published(&state.db, None, None, PAGE).await?;
            let hashes: Vec<&str> = listed.iter().map(|l| l.content_hash.as_str()).collect();
            let etag = format!("\"{}\"", &giamsat_domain::report::content_hash(&hashes)[..32]);
            let updated = listed.iter().map(|l| l.published_at).max().unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
            let feed = Feed {
                base: state.public_url.to_string(),
                updated: rfc3339(updated),
                entries: listed.iter().map(entry).collect(),
            };
            state.portal.put_feed(etag, feed.render().map_err(|e| AppError::Internal(e.to_string()))?)
        }
    };
    let (etag, body) = cached.as_ref();
    with_etag(&headers, etag, REVALIDATE, || Ok(body.response(&headers, "application/atom+xml; charset=utf-8")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"x\", W/\"abc\""));
        assert!(matches(&headers, "\"abc\""));
        assert!(!matches(&headers, "\"abd\""));
    }

    #[test]
    fn cursors_parse_or_are_not_found() {
        assert!(parse_cursor(None).expect("none").is_none());
        assert!(parse_cursor(Some("1619140080000-7")).expect("valid").is_some());
        assert!(parse_cursor(Some("abc")).is_err());
        assert!(parse_cursor(Some("1-x")).is_err());
    }

    #[test]
    fn only_plausible_slugs_and_keys_reach_the_database() {
        assert!(plausible("doan-giam-sat-so-5") && plausible("3f2a9c.jpg"));
        for bad in ["", "a\0b", "đoàn", "a/b", "a b"] {
            assert!(!plausible(bad), "{bad:?}");
        }
    }

    #[test]
    fn feed_content_is_escaped_html() {
        assert_eq!(escape_html("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    }
}
