//! People's data: a person's export (`GET /api/v1/me/export`, and an admin's
//! `GET /api/v1/people/{id}/export`) and their erasure (`POST /api/v1/people/{id}/actions/erase`).

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing;
use serde::{Deserialize, Serialize};
use spoc_app::{DataExport, Erasure};
use spoc_domain::UserId;
use utoipa::{IntoParams, ToSchema};

use spoc_http::AppState;
use spoc_http::download::download;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{ApiJson, ApiPath, Authenticated};

/// The media type of an export.
const ARCHIVE: &str = "application/gzip";

/// The routes of this feature under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/export", routing::get(export_own))
        .route("/people/{id}/export", routing::get(export_person))
        .route("/people/{id}/actions/erase", routing::post(erase_person))
}

/// The operations of this feature in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(export_own, export_person, erase_person))]
pub struct Operations;

/// A person in a path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PersonPath {
    /// The person's id.
    #[param(minimum = 1)]
    pub id: i64,
}

/// What an erasure replaces besides the person's name and e-mail address.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErasureDto {
    /// Replace the texts the person wrote (replies, notes, reasons, mail, portal searches) with
    /// "[erased]". Default: true.
    #[serde(default)]
    pub erase_texts: Option<bool>,
    /// Keep the title, description and the person's replies on the tickets they requested (only
    /// their name and address are replaced there). Default: false.
    #[serde(default)]
    pub keep_requested_ticket_texts: Option<bool>,
}

/// The outcome of an erasure.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasedDto {
    /// The person erased.
    pub id: i64,
    /// Always true: an erasure cannot be undone.
    pub irreversible: bool,
    /// What was done, in a sentence.
    pub message: String,
}

fn archive(export: DataExport) -> Response {
    download(export.bytes, ARCHIVE, &export.filename, false)
}

/// Everything Spoc holds about the caller, as one `.tar.gz` archive: `person.json` (profile,
/// settings, organisation, the tickets they requested with the history they may see, what they
/// wrote, notifications, sessions, token labels, mail, feedback…) and their files under
/// `attachments/`.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "privacy",
    responses((status = 200, content_type = "application/gzip", description = "the archive"),
        (status = 401, body = Problem)))]
pub async fn export_own(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Response> {
    Ok(archive(state.app.export_own_data(&actor).await?))
}

/// Everything Spoc holds about a person of the tenant (admins), as one `.tar.gz` archive, as in
/// `GET /api/v1/me/export`.
#[utoipa::path(get, path = "/api/v1/people/{id}/export", tag = "privacy", params(PersonPath),
    responses((status = 200, content_type = "application/gzip", description = "the archive"),
        (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn export_person(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(path): ApiPath<PersonPath>,
) -> ApiResult<Response> {
    Ok(archive(
        state
            .app
            .export_person(&actor, UserId::new(path.id))
            .await?,
    ))
}

/// Erase a person (admins). IRREVERSIBLE: their name becomes "Erased person <id>", their e-mail
/// address an undeliverable placeholder; their password, sessions, tokens, settings,
/// notifications, mail to them and files are removed, and their name and address are replaced
/// in every text of the tenant, as are the texts they wrote (unless `erase_texts` is false).
/// Tickets keep their status, times, service levels and the kinds and times of their history, so
/// reports do not change. Refused for oneself and for the last active admin.
#[utoipa::path(post, path = "/api/v1/people/{id}/actions/erase", tag = "privacy",
    params(PersonPath), request_body = ErasureDto,
    responses((status = 200, body = ErasedDto), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn erase_person(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(path): ApiPath<PersonPath>,
    ApiJson(body): ApiJson<ErasureDto>,
) -> ApiResult<Json<ErasedDto>> {
    let defaults = Erasure::default();
    let erasure = Erasure {
        erase_texts: body.erase_texts.unwrap_or(defaults.erase_texts),
        keep_requested_ticket_texts: body
            .keep_requested_ticket_texts
            .unwrap_or(defaults.keep_requested_ticket_texts),
    };
    state
        .app
        .erase_person(&actor, UserId::new(path.id), erasure)
        .await?;
    Ok(Json(ErasedDto {
        id: path.id,
        irreversible: true,
        message: "the person was erased; this cannot be undone".to_owned(),
    }))
}
