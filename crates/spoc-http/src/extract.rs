//! Extractors whose rejections are problem+json too, and the authenticated actor.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use serde::de::DeserializeOwned;
use spoc_domain::access::Actor;

use crate::AppState;
use crate::error::ApiError;

/// The name of the browser session cookie on a desk served over plain HTTP (local use, tests).
pub const SESSION_COOKIE: &str = "spoc_session";
/// The name of the browser session cookie on a desk whose public URL is HTTPS. Browsers accept
/// a `__Host-` cookie only with `Secure`, `Path=/` and no `Domain`, so no other host (a
/// sibling subdomain) and no plain-HTTP page can set or shadow it.
pub const HOST_SESSION_COOKIE: &str = "__Host-spoc_session";

/// The session cookie's name for this desk.
pub fn session_cookie_name(https: bool) -> &'static str {
    if https {
        HOST_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}
/// The header that must echo the session's CSRF token on state-changing requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A JSON body; malformed JSON, wrong types, unknown fields, a wrong content type and oversize
/// bodies are 4xx problems.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(unsupported_media_type());
        }
        let ApiBytes(bytes) = ApiBytes::from_request(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                "the request body is empty; send a JSON object",
            ));
        }
        parse_json(&bytes).map(Self)
    }
}

/// The raw body, buffered up to the router's limit; too large a body is a 413 problem.
pub struct ApiBytes(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBytes {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(req, state)
            .await
            .map(Self)
            .map_err(|rejection: BytesRejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "payload_too_large",
                        "the request body is larger than 1 MiB",
                    )
                } else {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "unreadable_body",
                        rejection.body_text(),
                    )
                }
            })
    }
}

/// Whether the request says its body is JSON (`application/json` or `application/*+json`).
pub fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The problem for a body that is not declared as JSON.
pub fn unsupported_media_type() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send the body as JSON with `Content-Type: application/json`",
    )
}

/// Parses a JSON body of already-buffered bytes in two steps, so that errors are classified the
/// same whatever their position: first the syntax of the whole body (trailing data included),
/// which is a 400 `malformed_json`; then its shape (missing or unknown fields, wrong types),
/// which is a 422 `invalid_body`. An empty body counts as `{}` (for bodies whose every field is
/// optional).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let bytes = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        bytes
    };
    let mut value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("malformed JSON: {e}"),
        )
    })?;
    integral_numbers(&mut value);
    if !value.is_object() && wants_object::<T>() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "invalid body: send a JSON object",
        ));
    }
    T::deserialize(value).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("invalid body: {e}"),
        )
    })
}

/// Whether `T` is read from a JSON object (a struct or a map). Serde would also fill a struct
/// from an array of its fields in order; the document promises objects, so arrays are refused.
fn wants_object<'de, T: serde::Deserialize<'de>>() -> bool {
    /// A deserializer that only notes which shape is asked of it.
    struct Probe<'a>(&'a mut bool);

    #[derive(Debug)]
    struct Stop;

    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("probe")
        }
    }

    impl std::error::Error for Stop {}

    impl serde::de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }

    impl<'de> serde::Deserializer<'de> for Probe<'_> {
        type Error = Stop;

        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }

        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            _: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            *self.0 = true;
            Err(Stop)
        }

        fn deserialize_map<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            *self.0 = true;
            Err(Stop)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct enum
            identifier ignored_any
        }
    }

    let mut object = false;
    let _ = T::deserialize(Probe(&mut object));
    object
}

/// Makes every number with no fractional part (`3.0`, `1e2`) an integer, as JSON Schema counts
/// it: the document's `integer` fields accept them, so the handlers do too.
fn integral_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && (-9.223_372_036_854_775e18..9.223_372_036_854_775e18).contains(&f)
            {
                #[allow(clippy::cast_possible_truncation)]
                let int = f as i64;
                *value = serde_json::Value::from(int);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// Query parameters; unknown or unparsable ones are a 400 problem.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(|e: QueryRejection| ApiError::bad_query(e.body_text()))
    }
}

/// A number from the query string, checked against the bounds the document states for it (its
/// `minimum` and `maximum`): outside them is a 400 problem, never a value quietly clamped.
pub fn in_range(
    name: &str,
    value: Option<i64>,
    min: i64,
    max: i64,
) -> Result<Option<i64>, ApiError> {
    match value {
        Some(v) if !(min..=max).contains(&v) => Err(ApiError::bad_query(format!(
            "{name} must be between {min} and {max}"
        ))),
        _ => Ok(value),
    }
}

/// Path parameters; a malformed one is a 404 (no such thing can exist).
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Self(p.0))
            .map_err(|_: PathRejection| ApiError::not_found("resource"))
    }
}

/// The signed-in actor: from `Authorization: Bearer <token>`, or from the session cookie — in
/// which case state-changing requests must carry the session's CSRF token in `X-CSRF-Token`.
pub struct Authenticated(pub Actor);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let value = value.to_str().unwrap_or("");
            let token = value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
                .ok_or_else(|| ApiError::from(spoc_app::AppError::Unauthenticated))?;
            return Ok(Self(state.app.authenticate_token(token.trim()).await?));
        }
        let Some(secret) = session_cookie(parts, state) else {
            return Err(spoc_app::AppError::Unauthenticated.into());
        };
        let session = state.app.authenticate_session(&secret).await?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf_failed",
                    "this request needs the session's CSRF token in the X-CSRF-Token header",
                ));
            }
        }
        Ok(Self(session.actor))
    }
}

/// An administrator: the caller, authenticated as by [`Authenticated`], whose role may change
/// the desk's setup (the domain's `Actor::may_administer`). Handlers of the admin routes take it
/// before their body, so that a caller without the role is refused (403) before the body's
/// syntax or meaning is looked at: they learn nothing about what it should have held. The use
/// case still decides (token scopes included); this only puts the role check first.
pub struct Administrator(pub Actor);

impl FromRequestParts<AppState> for Administrator {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Authenticated(actor) = Authenticated::from_request_parts(parts, state).await?;
        actor
            .may_administer()
            .map_err(|denied| ApiError::from(spoc_app::AppError::from(denied)))?;
        Ok(Self(actor))
    }
}

/// The session cookie's value, if present (by this desk's cookie name only).
pub fn session_cookie(parts: &Parts, state: &AppState) -> Option<String> {
    cookie(
        &parts.headers,
        session_cookie_name(state.app.served_over_https()),
    )
}

/// A cookie's value, if present.
pub fn cookie(headers: &HeaderMap, wanted: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value.to_owned())
}

/// The address of the client that opened the connection, when the server recorded it.
///
/// `X-Forwarded-For` is not trusted: behind a reverse proxy every client shares the proxy's
/// address, which makes the per-client sign-in limit coarser but never lets a client pick the
/// address it is counted under.
pub fn client_ip(parts: &Parts) -> Option<std::net::IpAddr> {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
}

/// Compares secrets without leaking where they differ through timing.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What `If-Match` may hold: a version, bare or quoted, weak or not (`3`, `"3"`, `W/"3"`).
pub const IF_MATCH_PATTERN: &str = r#"^[\t ]*(?:W/)?"*[+-]?[0-9]{1,18}"*[\t ]*$"#;

/// The version an `If-Match` header names (`"3"`, `W/"3"` or `3`), if any.
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Ok(Self(None));
        };
        let text = value.to_str().unwrap_or("").trim();
        let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
        text.parse::<i64>().map(|v| Self(Some(v))).map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_if_match",
                "If-Match must be a ticket version such as \"3\"",
            )
        })
    }
}
