//! What every request passes before a handler sees it:
//!
//! - its body arrives within [`HttpLimits::body_read`] (a client that sends headers and then
//!   trickles or stalls its body is answered `408 request_timeout` and its connection closed,
//!   instead of holding a task and a buffer forever), and within the size limit (`413`);
//! - it holds no text that no database can store: a NUL character in the path, the query, a
//!   JSON string or a form. PostgreSQL rejects NUL in text outright and SQLite would cut C
//!   strings at it, so it is never valid in a name, a title or a search. The answer is
//!   `422 invalid_text` (a page for the web UI), never a 500 from the database. Bodies of other
//!   types (mail messages, files) are bytes, not text, and are not inspected.
//!
//! Slow or idle connections before a request's headers are the HTTP server's to cut (see
//! `HttpLimits::header_read`).

use axum::body::{Body, Bytes};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::{HtmlPages, MAX_BODY_BYTES, MAX_MESSAGE_BYTES};

/// The sentence of every refusal.
const NUL_REFUSED: &str = "the request contains a NUL character (U+0000), which no text field \
                           accepts; remove it and send again";

/// The time limits of the HTTP server.
#[derive(Clone, Copy, Debug)]
pub struct HttpLimits {
    /// From a connection's start, or the end of its previous response, until a request's
    /// headers are complete: past it the connection is closed. This is also the idle timeout
    /// of a kept-alive connection.
    pub header_read: Duration,
    /// From a request's headers until its body is complete: past it, `408 request_timeout`.
    pub body_read: Duration,
    /// How long a shutdown waits for requests in flight before it closes their connections.
    pub shutdown_grace: Duration,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            body_read: Duration::from_secs(60),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// The state of [`guard`]: the time limits, and the pages that answer browsers.
#[derive(Clone, Copy)]
pub struct Guard {
    /// The server's time limits.
    pub limits: HttpLimits,
    /// The web UI's refusal pages.
    pub pages: HtmlPages,
}

/// Middleware: the body within its time and size, and no NUL character in the path, the
/// query, or a JSON or form body.
pub async fn guard(
    State(Guard { limits, pages }): State<Guard>,
    request: Request,
    next: Next,
) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let uri_has_nul = request
        .uri()
        .path_and_query()
        .is_some_and(|pq| has_encoded_nul(pq.as_str().as_bytes()));
    if uri_has_nul {
        return refusal(api, "query", pages);
    }
    let kind = body_kind(&request);
    // Mail messages may be larger than other bodies; the route's own limit still applies.
    // Forms with files may carry an e-mail's worth of attachments.
    let limit = if request.uri().path() == "/api/v1/mail/inbound" {
        MAX_MESSAGE_BYTES
    } else if kind == BodyKind::Multipart && crate::multipart::takes_files(request.uri().path()) {
        crate::multipart::MAX_UPLOAD_REQUEST_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let (parts, body) = request.into_parts();
    let bytes: Bytes =
        match tokio::time::timeout(limits.body_read, axum::body::to_bytes(body, limit)).await {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(_)) => {
                return ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    format!(
                        "the request body is larger than {} MiB",
                        limit / (1024 * 1024)
                    ),
                )
                .into_response();
            }
            Err(_) => {
                let mut response = ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "request_timeout",
                    format!(
                        "the request body did not arrive within {} seconds",
                        limits.body_read.as_secs()
                    ),
                )
                .into_response();
                response
                    .headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
                return response;
            }
        };
    let refused = match kind {
        BodyKind::Json => json_has_nul(&bytes),
        BodyKind::Form => bytes.contains(&0) || has_encoded_nul(&bytes),
        // Text fields are checked for NUL when the body is split into parts.
        BodyKind::Multipart | BodyKind::Other => false,
    };
    if refused {
        return refusal(api, "body", pages);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BodyKind {
    Json,
    Form,
    Multipart,
    Other,
}

fn body_kind(request: &Request) -> BodyKind {
    let Some(value) = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return BodyKind::Other;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        BodyKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if essence == "multipart/form-data" {
        BodyKind::Multipart
    } else {
        BodyKind::Other
    }
}

/// Whether percent-encoded bytes hold `%00` (a NUL once decoded), or a raw NUL.
fn has_encoded_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
        || bytes
            .windows(3)
            .any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
}

/// Whether a JSON text holds a NUL in any string (as the escape `\u0000`). Most bodies have no
/// `\u0000` at all and are not parsed here; one that does is parsed, so that an escaped
/// backslash followed by `u0000` (the literal text `\u0000`) is not mistaken for a NUL.
///
/// A raw NUL byte is not valid JSON; the handler refuses that as malformed.
fn json_has_nul(bytes: &[u8]) -> bool {
    let escaped = bytes
        .windows(6)
        .any(|w| w[0] == b'\\' && (w[1] == b'u' || w[1] == b'U') && &w[2..] == b"0000");
    if !escaped {
        return false;
    }
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(value) => value_has_nul(&value),
        // Not JSON at all: the handler answers that.
        Err(_) => false,
    }
}

fn value_has_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(value_has_nul),
        serde_json::Value::Object(map) => map
            .iter()
            .any(|(key, value)| key.contains('\0') || value_has_nul(value)),
        _ => false,
    }
}

fn refusal(api: bool, place: &str, pages: HtmlPages) -> Response {
    if api {
        let mut error = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_text",
            NUL_REFUSED,
        );
        error.add_field_error(place, "contains a NUL character (U+0000)");
        error.into_response()
    } else {
        (pages.error)(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Please check your input",
            "The text you sent contains an invisible NUL character, which no field accepts. Go \
             back, remove it (retyping the text is the surest way) and send again.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{has_encoded_nul, json_has_nul};

    #[test]
    fn encoded_nul_is_found_in_queries_and_forms() {
        assert!(has_encoded_nul(b"/api/v1/users?q=%00"));
        assert!(has_encoded_nul(b"title=a%00b"));
        assert!(!has_encoded_nul(b"title=100%2500"));
        assert!(!has_encoded_nul(b"q=plain"));
    }

    #[test]
    fn json_nul_is_found_only_in_strings() {
        assert!(json_has_nul(br#"{"title":"a\u0000b"}"#));
        assert!(json_has_nul(br#"{"a":["x",{"b":"\u0000"}]}"#));
        assert!(json_has_nul(br#"{"\u0000":"x"}"#));
        // An escaped backslash followed by `u0000` is text, not a NUL.
        assert!(!json_has_nul(br#"{"title":"C:\\u0000"}"#));
        assert!(!json_has_nul(br#"{"title":"fine"}"#));
    }
}
