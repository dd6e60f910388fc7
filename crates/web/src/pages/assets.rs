//! Static assets, compiled into the binary and served by the app itself (no CDN: internal networks).

use axum::http::header;
use axum::response::IntoResponse;

const APP_CSS: &str = include_str!("../../static/app.css");

/// A hash of the stylesheet (FNV-1a, computed at compile time): pages link `/static/app.css?v=HASH`, so a
/// new stylesheet has a new URL and browsers may keep each one forever.
pub const CSS_VERSION: u64 = fnv1a(APP_CSS.as_bytes());

const fn fnv1a(mut bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    while let [first, rest @ ..] = bytes {
        hash ^= *first as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        bytes = rest;
    }
    hash
}

/// The stylesheet, cacheable for a year: its URL changes with its content.
pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        APP_CSS,
    )
}
