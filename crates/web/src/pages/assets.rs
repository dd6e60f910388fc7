//! Static assets, compiled into the binary and served by the app itself (no CDN: internal networks).

use axum::http::header;
use axum::response::IntoResponse;

const APP_CSS: &str = include_str!("../../static/app.css");

/// The stylesheet. Its URL carries no version yet, so caches revalidate daily rather than forever.
pub async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=86400")], APP_CSS)
}
