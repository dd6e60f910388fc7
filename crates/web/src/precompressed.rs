//! Kept bodies compressed once: a page the portal serves from memory is gzipped when it is kept, not on every
//! answer. Compressing a 3 KB page took a third of the CPU of answering it; the compression layer passes a
//! body that already has a `Content-Encoding` through untouched.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

/// A body as it is and gzipped.
pub struct Precompressed {
    plain: Bytes,
    /// `None` when gzip would not make it smaller.
    gzip: Option<Bytes>,
}

impl Precompressed {
    /// Compresses `text` (at the default level: it is done once, so the smaller body is worth the time).
    #[must_use]
    pub fn new(text: String) -> Precompressed {
        let plain = Bytes::from(text);
        let mut encoder = GzEncoder::new(Vec::with_capacity(plain.len() / 3), Compression::default());
        // Writing to a Vec cannot fail; a body that somehow could not be compressed is sent as it is.
        let gzip = encoder.write_all(&plain).and_then(|()| encoder.finish()).ok();
        Precompressed { gzip: gzip.filter(|g| g.len() < plain.len()).map(Bytes::from), plain }
    }

    /// The body as the request accepts it, with `content_type`.
    #[must_use]
    pub fn response(&self, request: &HeaderMap, content_type: &'static str) -> Response {
        let (body, encoded) = match &self.gzip {
            Some(gzip) if accepts_gzip(request) => (gzip.clone(), true),
            _ => (self.plain.clone(), false),
        };
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if encoded {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        response
    }
}

/// Whether `Accept-Encoding` allows gzip: named (or `*` with gzip not named) with a quality above zero.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut star = false;
    for value in headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()) {
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let allowed = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                .all(|q| q.trim().parse::<f32>().is_ok_and(|q| q > 0.0));
            if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                return allowed;
            }
            if coding == "*" {
                star = allowed;
            }
        }
    }
    star
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::GzDecoder;
    use std::io::Read;

    fn request(accept: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(accept).expect("a header value"));
        headers
    }

    #[test]
    fn gzip_is_sent_only_where_it_is_accepted() {
        for (accept, gzip) in [
            ("gzip", true),
            ("gzip, deflate, br", true),
            ("br;q=1.0, GZIP;q=0.5", true),
            ("*", true),
            ("gzip;q=0", false),
            ("gzip;q=0.0, *", false),
            ("*;q=0", false),
            ("br, deflate", false),
            ("identity", false),
            ("gzip;q=abc", false),
        ] {
            assert_eq!(accepts_gzip(&request(accept)), gzip, "{accept}");
        }
        assert!(!accepts_gzip(&HeaderMap::new()), "no header: as it is");
    }

    #[test]
    fn the_gzipped_body_is_the_page_and_the_plain_one_is_sent_otherwise() {
        let page = "<p>Đoàn giám sát số 5 làm việc với phường Hàng Bạc.</p>".repeat(40);
        let kept = Precompressed::new(page.clone());

        let gzipped = kept.response(&request("gzip"), "text/html; charset=utf-8");
        let plain = kept.response(&HeaderMap::new(), "text/html; charset=utf-8");

        assert_eq!(gzipped.headers().get(header::CONTENT_ENCODING).map(HeaderValue::as_bytes), Some(&b"gzip"[..]));
        assert_eq!(gzipped.headers().get(header::VARY).map(HeaderValue::as_bytes), Some(&b"accept-encoding"[..]));
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        let gzip = kept.gzip.as_ref().expect("a repetitive page compresses");
        let mut unpacked = String::new();
        GzDecoder::new(&gzip[..]).read_to_string(&mut unpacked).expect("valid gzip");
        assert_eq!(unpacked, page);
        assert_eq!(kept.plain, page.as_bytes());
    }

    #[test]
    fn a_body_gzip_cannot_shrink_is_kept_once() {
        let kept = Precompressed::new("ok".to_owned());
        assert!(kept.gzip.is_none());
        assert!(kept.response(&request("gzip"), "text/plain").headers().get(header::CONTENT_ENCODING).is_none());
    }
}
