//! The parts of the OpenAPI document every operation shares, added in one pass over the
//! generated document rather than repeated on each handler: how callers authenticate, and the
//! error responses that follow from an operation's shape.
//!
//! An operation's shape is read from what its annotation already declares: a path parameter
//! can name nothing (404), a query can be malformed (400), a body can be malformed, too large,
//! of the wrong type or invalid (400, 413, 415, 422), an `If-Match` header can be stale (409,
//! 412, 428), and every operation but the public ones needs a caller (401, 403). Whatever a
//! handler declares itself is kept. Every error response is then made
//! `application/problem+json` with the [`Problem`](spoc_http::error::Problem) schema, and its
//! description names the problem codes it can carry.

use std::collections::BTreeMap;

use utoipa::Modify;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat};
use utoipa::openapi::security::SecurityScheme;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement};
use utoipa::openapi::{
    Components, ContentBuilder, HeaderBuilder, OpenApi, Ref, RefOr, Response, Type,
};

use spoc_http::error::PROBLEM_CODES;

/// The pattern of free text in a query or path: anything but a NUL character.
pub const NO_NUL_PATTERN: &str = "^[^\\u0000]*$";

/// Gives every free-text string of `schema` (one with no pattern, enum or format of its own) the
/// pattern that excludes NUL, which the request guard refuses in every JSON string.
fn forbid_nul(schema: &mut utoipa::openapi::RefOr<utoipa::openapi::Schema>) {
    use utoipa::openapi::schema::ArrayItems;
    use utoipa::openapi::{RefOr, Schema};
    match schema {
        RefOr::T(Schema::Object(object)) => {
            if is_string(&object.schema_type)
                && object.pattern.is_none()
                && object.enum_values.is_none()
                && object.format.is_none()
            {
                object.pattern = Some(NO_NUL_PATTERN.to_owned());
            }
            for property in object.properties.values_mut() {
                forbid_nul(property);
            }
        }
        RefOr::T(Schema::Array(array)) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                forbid_nul(items);
            }
        }
        RefOr::T(Schema::OneOf(one_of)) => one_of.items.iter_mut().for_each(forbid_nul),
        RefOr::T(Schema::AllOf(all_of)) => all_of.items.iter_mut().for_each(forbid_nul),
        RefOr::T(Schema::AnyOf(any_of)) => any_of.items.iter_mut().for_each(forbid_nul),
        _ => {}
    }
}

/// Whether a schema type is a string (or a string or null).
fn is_string(schema_type: &utoipa::openapi::schema::SchemaType) -> bool {
    use utoipa::openapi::schema::{SchemaType, Type};
    match schema_type {
        SchemaType::Type(Type::String) => true,
        SchemaType::Array(types) => types.contains(&Type::String),
        _ => false,
    }
}
use spoc_http::extract::SESSION_COOKIE;

/// The media type of a raw e-mail message.
const RAW_MESSAGE: &str = "message/rfc822";

/// The media type of every error answer.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The operations anyone may call without a token or a session, as `(method, path)`.
pub const PUBLIC_OPERATIONS: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("post", "/api/v1/auth/login/second-factor"),
];

/// Operations limited per person and address (`rate_limited`, with `Retry-After`).
pub const RATE_LIMITED_OPERATIONS: &[(&str, &str)] = &[
    ("post", "/api/v1/tickets"),
    ("post", "/api/v1/tickets/{id}/comments"),
];

/// Operations that change credentials and need a recent sign-in or the current password
/// (`reauthentication_required`).
pub const REAUTHENTICATED_OPERATIONS: &[(&str, &str)] = &[
    ("post", "/api/v1/me/tokens"),
    ("patch", "/api/v1/users/{id}"),
];

/// Operations that never touch the database, so cannot answer 503.
const NO_DATABASE: &[(&str, &str)] = &[("get", "/healthz"), ("get", "/api/v1/openapi.json")];

/// The security scheme of API tokens.
pub const BEARER_SCHEME: &str = "bearer";
/// The security scheme of browser sessions.
pub const SESSION_SCHEME: &str = "session";

/// The [`Modify`] pass that adds the shared parts; `crate::document` runs it over the whole document.
pub struct SharedResponses;

impl Modify for SharedResponses {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Components::new);
        components.security_schemes.insert(
            BEARER_SCHEME.to_owned(),
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        components.security_schemes.insert(
            SESSION_SCHEME.to_owned(),
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "The browser session of `POST /api/v1/auth/login`; changes also need its CSRF \
                 token in `X-CSRF-Token`.",
            ))),
        );
        for schema in components.schemas.values_mut() {
            forbid_nul(schema);
        }
        for (path, item) in doc.paths.paths.iter_mut() {
            let operations = [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("patch", &mut item.patch),
                ("head", &mut item.head),
                ("options", &mut item.options),
                ("trace", &mut item.trace),
            ];
            for (method, operation) in operations {
                if let Some(operation) = operation {
                    shape_responses(method, path, operation);
                }
            }
        }
    }
}

/// The problem codes an operation's shape can answer with, by status.
fn shared_codes(
    method: &str,
    path: &str,
    operation: &Operation,
) -> BTreeMap<u16, Vec<&'static str>> {
    let mut codes: BTreeMap<u16, Vec<&'static str>> = BTreeMap::new();
    let mut add = |status: u16, list: &[&'static str]| {
        let entry = codes.entry(status).or_default();
        for code in list {
            if !entry.contains(code) {
                entry.push(code);
            }
        }
    };
    let public = PUBLIC_OPERATIONS.contains(&(method, path));
    if !public {
        add(401, &["unauthenticated"]);
        add(403, &["forbidden", "csrf_failed", "token_scope"]);
    }
    if REAUTHENTICATED_OPERATIONS.contains(&(method, path)) {
        add(403, &["reauthentication_required"]);
    }
    if RATE_LIMITED_OPERATIONS.contains(&(method, path)) {
        add(429, &["rate_limited"]);
    }
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let path_names: Vec<&str> = parameters
        .iter()
        .filter(|p| p.parameter_in == ParameterIn::Path)
        .map(|p| p.name.as_str())
        .collect();
    if !path_names.is_empty() {
        add(404, &["not_found"]);
        if path_names.contains(&"action") {
            add(404, &["unknown_action"]);
        }
    }
    if parameters
        .iter()
        .any(|p| p.parameter_in == ParameterIn::Query)
    {
        add(400, &["invalid_query"]);
        add(422, &["validation_failed", "invalid_text"]);
    }
    if operation.request_body.is_some() {
        add(400, &["malformed_json", "unreadable_body"]);
        add(408, &["request_timeout"]);
        add(413, &["payload_too_large"]);
        add(415, &["unsupported_media_type"]);
        add(422, &["invalid_body", "validation_failed", "invalid_text"]);
    }
    if parameters.iter().any(is_if_match) {
        add(400, &["invalid_if_match"]);
        add(409, &["version_conflict"]);
        add(412, &["precondition_failed"]);
        add(428, &["version_required"]);
    }
    if !NO_DATABASE.contains(&(method, path)) {
        add(503, &["database_unavailable", "storage_full"]);
    }
    codes
}

/// Whether `parameter` is the `If-Match` header.
fn is_if_match(parameter: &utoipa::openapi::path::Parameter) -> bool {
    parameter.parameter_in == ParameterIn::Header && parameter.name.eq_ignore_ascii_case("if-match")
}

/// Adds the shared error responses and the security requirement to one operation, and makes
/// every error response a problem.
fn shape_responses(method: &str, path: &str, operation: &mut Operation) {
    let shared = shared_codes(method, path, operation);
    // A raw message is bytes, at least one, and must be sent.
    if let Some(body) = operation
        .request_body
        .as_mut()
        .filter(|body| body.content.contains_key(RAW_MESSAGE))
    {
        body.required = Some(utoipa::openapi::Required::True);
    }
    if let Some(content) = operation
        .request_body
        .as_mut()
        .and_then(|body| body.content.get_mut(RAW_MESSAGE))
    {
        content.schema = Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                .min_length(Some(1))
                .into(),
        );
    }
    for parameter in operation.parameters.iter_mut().flatten() {
        if matches!(
            parameter.parameter_in,
            ParameterIn::Query | ParameterIn::Path
        ) && let Some(utoipa::openapi::RefOr::T(utoipa::openapi::Schema::Object(object))) =
            parameter.schema.as_mut()
            && object.pattern.is_none()
            && is_string(&object.schema_type)
        {
            // No text holds a NUL character: the request guard refuses it (`invalid_text`).
            object.pattern = Some(NO_NUL_PATTERN.to_owned());
        }
        if is_if_match(parameter) {
            parameter.schema = Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(spoc_http::extract::IF_MATCH_PATTERN))
                    .into(),
            );
        }
    }
    // Handlers of different modules share names (`get`, `list`…); the tag makes the id unique.
    if let (Some(id), Some(tag)) = (
        &operation.operation_id,
        operation.tags.as_ref().and_then(|t| t.first()),
    ) {
        operation.operation_id = Some(format!("{tag}.{id}"));
    }
    if !PUBLIC_OPERATIONS.contains(&(method, path)) {
        operation.security = Some(vec![
            SecurityRequirement::new(BEARER_SCHEME, Vec::<String>::new()),
            SecurityRequirement::new(SESSION_SCHEME, Vec::<String>::new()),
        ]);
    }
    let responses = &mut operation.responses.responses;
    for status in shared.keys() {
        responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(Response::new("")));
    }
    for (status, response) in responses.iter_mut() {
        let Ok(status) = status.parse::<u16>() else {
            continue;
        };
        if status < 400 {
            continue;
        }
        let RefOr::T(response) = response else {
            continue;
        };
        let codes: Vec<&str> = match shared.get(&status) {
            Some(codes) => codes.clone(),
            None => PROBLEM_CODES
                .iter()
                .filter(|p| p.status == status)
                .map(|p| p.code)
                .collect(),
        };
        *response = problem_response(status, &response.description, &codes);
    }
}

/// An error response: a problem whose `code` is one of `codes`, after `description` (what the
/// handler said, if anything).
fn problem_response(status: u16, description: &str, codes: &[&str]) -> Response {
    let listed = codes
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let description = match (description.trim(), listed.is_empty()) {
        ("", true) => "A problem.".to_owned(),
        ("", false) => format!("A problem: {listed}."),
        (said, true) => said.to_owned(),
        (said, false) => format!("{said} (a problem: {listed})"),
    };
    let mut response = Response::new(description);
    response.content.insert(
        PROBLEM_JSON.to_owned(),
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Problem")))
            .build(),
    );
    if status == 429 || status == 503 {
        response.headers.insert(
            "Retry-After".to_owned(),
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(0)),
                )
                .description(Some("Seconds to wait before trying again."))
                .build(),
        );
    }
    if status == 401 {
        response.headers.insert(
            "WWW-Authenticate".to_owned(),
            HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::String))
                .description(Some("`Bearer`."))
                .build(),
        );
    }
    response
}
