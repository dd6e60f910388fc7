//! The one place where text arriving in a URL is cleaned, before any handler or query sees it. Bodies are
//! checked field by field by the forms (`text::clean`, refused with a message next to the field); a URL's query
//! is a filter, not a stored text, so its values are scrubbed (`text::scrub`) instead. Path segments are ids,
//! keys, slugs and tokens, none of which contains such a character: a segment that does is answered 404.

use axum::extract::Request;
use axum::http::Uri;
use axum::http::uri::PathAndQuery;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use giamsat_domain::text::scrub;
use percent_encoding::percent_decode_str;

use crate::error::AppError;

/// The middleware: refuses a path with a hostile segment, rewrites a query with hostile values.
pub async fn clean(mut request: Request, next: Next) -> Response {
    let uri = request.uri();
    if uri.path().split('/').any(|segment| {
        let decoded = percent_decode_str(segment).decode_utf8_lossy();
        scrub(&decoded) != decoded
    }) {
        tracing::warn!("a path segment with a control character");
        return AppError::NotFound.into_response();
    }
    if let Some(query) = uri.query()
        && let Some(cleaned) = cleaned_query(query)
    {
        let path_and_query = format!("{}?{cleaned}", uri.path());
        let mut parts = uri.clone().into_parts();
        match PathAndQuery::try_from(path_and_query) {
            Ok(pq) => parts.path_and_query = Some(pq),
            Err(_) => return AppError::NotFound.into_response(),
        }
        match Uri::from_parts(parts) {
            Ok(uri) => *request.uri_mut() = uri,
            Err(_) => return AppError::NotFound.into_response(),
        }
    }
    next.run(request).await
}

/// The query with every name and value scrubbed, or `None` when nothing needed it (the query is kept as sent).
fn cleaned_query(query: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    // A lossy decoding (invalid UTF-8) leaves U+FFFD, which `scrub` removes: such a query is rewritten too.
    let dirty = pairs.iter().any(|(k, v)| scrub(k) != *k || scrub(v) != *v);
    dirty.then(|| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs.iter().map(|(k, v)| (scrub(k), scrub(v))))
            .finish()
    })
}

#[cfg(test)]
mod tests {
    use super::cleaned_query;

    #[test]
    fn hostile_query_values_are_scrubbed_and_clean_queries_kept() {
        assert_eq!(cleaned_query("body=a%00b&q=x"), Some("body=ab&q=x".to_owned()));
        assert_eq!(cleaned_query("actor=%FF%1B%5B31m"), Some("actor=%5B31m".to_owned()));
        assert_eq!(cleaned_query("q=H%C3%A0ng+B%E1%BA%A1c&before=3"), None);
    }
}
