//! The stylesheet and script, embedded in the binary. Their URLs carry a hash of the content, so
//! browsers may cache them for a year and still never run a stale copy after an upgrade.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("../assets/spoc.css");
const JS: &str = include_str!("../assets/spoc.js");

/// FNV-1a, enough to tell two versions of a file apart.
fn fingerprint(content: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in content.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The stylesheet's URL.
pub fn css_href() -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| format!("/static/spoc.css?v={}", fingerprint(CSS)))
}

/// The script's URL.
pub fn js_href() -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| format!("/static/spoc.js?v={}", fingerprint(JS)))
}

/// `GET /static/{file}`.
pub async fn serve(Path(file): Path<String>) -> Response {
    let (content, content_type) = match file.as_str() {
        "spoc.css" => (CSS, "text/css; charset=utf-8"),
        "spoc.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let mut response = content.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_change_with_the_content() {
        assert_ne!(
            fingerprint("a { color: red }"),
            fingerprint("a { color: blue }")
        );
        assert!(css_href().starts_with("/static/spoc.css?v="));
        assert!(js_href().starts_with("/static/spoc.js?v="));
    }
}
