//! Files as HTTP answers: attachments and raw messages, with a safe `Content-Disposition` and a
//! sandboxing policy.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use spoc_app::Attachment;

/// Media types shown inline; every other attachment is served as a download.
pub const INLINE_SAFE: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// An attachment as an HTTP answer: known-safe images inline with their type, everything else
/// (HTML, SVG, PDF, …) as `application/octet-stream` with `Content-Disposition: attachment`.
/// The answer is sandboxed by its CSP either way.
pub fn serve_attachment(record: &Attachment, content: Vec<u8>) -> Response {
    let inline = INLINE_SAFE.contains(&record.content_type.as_str());
    let content_type = if inline {
        record.content_type.as_str()
    } else {
        "application/octet-stream"
    };
    download(content, content_type, &record.filename, inline)
}

/// A file answer with a safe `Content-Disposition` (RFC 6266: an ASCII fallback and the UTF-8
/// name percent-encoded).
pub fn download(content: Vec<u8>, content_type: &str, filename: &str, inline: bool) -> Response {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!(
        "{}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}",
        if inline { "inline" } else { "attachment" }
    );
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    (StatusCode::OK, headers, content).into_response()
}
