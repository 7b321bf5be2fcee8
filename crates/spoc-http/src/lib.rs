//! What Spoc's two HTTP faces share: the application state, errors as `problem+json`, the
//! extractors, the request guard and the headers every answer carries, and the few parsers and
//! answers that the JSON API (`spoc-api`) and the web UI (`spoc-ui`) both use.
//!
//! Neither face depends on the other; the binary merges their routers and wraps them with
//! [`finish`].

pub mod cookie;
pub mod download;
pub mod error;
pub mod extract;
pub mod markdown;
pub mod multipart;
pub mod params;
pub mod queue_filter;
pub mod request_guard;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use spoc_app::App;

use crate::error::ApiError;
pub use crate::request_guard::HttpLimits;

/// The detail of the 404 problem for an address that no route matches.
pub const NO_ROUTE_DETAIL: &str = "there is nothing at this address";

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The largest mail message accepted by `POST /api/v1/mail/inbound`.
pub const MAX_MESSAGE_BYTES: usize = 40 * 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub app: App,
}

/// How a browser is answered when its request never reaches a page's handler: the web UI's
/// pages, handed in by the binary so that this crate needs no UI.
#[derive(Clone, Copy)]
pub struct HtmlPages {
    /// The page for an address that no route matches.
    pub not_found: fn() -> Response,
    /// A page explaining a refusal: its status, title and message.
    pub error: fn(StatusCode, &'static str, &str) -> Response,
}

/// `routes` (the API's and the UI's, merged) as the server answers: a 404 for unknown
/// addresses (a page for browsers, a problem otherwise), a 405 for unknown methods, the body
/// limit, the request guard within `limits` and the security headers.
pub fn finish(
    routes: Router<AppState>,
    state: AppState,
    limits: HttpLimits,
    pages: HtmlPages,
) -> Router {
    routes
        .fallback(move |uri, headers| not_found(uri, headers, pages))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(
            request_guard::Guard { limits, pages },
            request_guard::guard,
        ))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// Nothing here: a page for browsers, a problem for API clients.
async fn not_found(
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    pages: HtmlPages,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_html && !uri.path().starts_with("/api/") {
        return (pages.not_found)();
    }
    ApiError::new(StatusCode::NOT_FOUND, "not_found", NO_ROUTE_DETAIL).into_response()
}

/// The answer for a method that an address does not accept.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this address does not accept that method",
    )
}

/// The policy for HTML pages: only Spoc's own stylesheet, script and live-update stream; forms
/// post only back to Spoc.
const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
    connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Headers every answer carries: nothing is cached (but fingerprinted static assets), sniffed,
/// framed or given a referrer; HTML pages may load only Spoc's own assets, JSON nothing at all.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // A handler may have set a stricter policy (attachments are sandboxed); keep it.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(if is_html {
                PAGE_CSP
            } else {
                "default-src 'none'; frame-ancestors 'none'"
            }),
        );
    }
    response
}
