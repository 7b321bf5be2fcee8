//! `/scim/v2/Users` and `/scim/v2/Groups`: list with `filter` and paging, create, read,
//! replace, patch and delete. The use cases decide; these read the request and render SCIM.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use spoc_http::AppState;

use super::wire;
use super::{Scim, ScimBody, ScimQuery, ScimResult, scim_json};

/// A 201 with the new resource and its `Location`.
fn created(body: &serde_json::Value) -> Response {
    let mut response = scim_json(StatusCode::CREATED, body);
    if let Some(location) = body["meta"]["location"]
        .as_str()
        .and_then(|l| HeaderValue::from_str(l).ok())
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn no_content() -> Response {
    let mut response = Response::new(axum::body::Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

pub(crate) async fn list_users(
    State(state): State<AppState>,
    Scim(client): Scim,
    query: ScimQuery,
) -> ScimResult {
    let page = state
        .app
        .scim_users(&client, query.filter.as_deref(), query.paging)
        .await?;
    let base = state.app.scim_base_url();
    Ok(scim_json(
        StatusCode::OK,
        &wire::list(&page, |u| wire::user(&base, u)),
    ))
}

pub(crate) async fn get_user(
    State(state): State<AppState>,
    Scim(client): Scim,
    Path(id): Path<String>,
) -> ScimResult {
    let user = state.app.scim_user(&client, &id).await?;
    Ok(scim_json(
        StatusCode::OK,
        &wire::user(&state.app.scim_base_url(), &user),
    ))
}

pub(crate) async fn create_user(
    State(state): State<AppState>,
    Scim(client): Scim,
    ScimBody(body): ScimBody,
) -> ScimResult {
    let user = state.app.scim_create_user(&client, &body).await?;
    Ok(created(&wire::user(&state.app.scim_base_url(), &user)))
}

pub(crate) async fn replace_user(
    State(state): State<AppState>,
    Scim(client): Scim,
    Path(id): Path<String>,
    ScimBody(body): ScimBody,
) -> ScimResult {
    let user = state.app.scim_replace_user(&client, &id, &body).await?;
    Ok(scim_json(
        StatusCode::OK,
        &wire::user(&state.app.scim_base_url(), &user),
    ))
}

pub(crate) async fn patch_user(
    State(state): State<AppState>,
    Scim(client): Scim,
    Path(id): Path<String>,
    ScimBody(body): ScimBody,
) -> ScimResult {
    let user = state.app.scim_patch_user(&client, &id, &body).await?;
    Ok(scim_json(
        StatusCode::OK,
        &wire::user(&state.app.scim_base_url(), &user),
    ))
}

pub(crate) async fn delete_user(
    State(state): State<AppState>,
    Scim(client): Scim,
    Path(id): Path<String>,
) -> ScimResult {
    state.app.scim_delete_user(&client, &id).await?;
    Ok(no_content())
}

pub(crate) async fn list_groups(
    State(state): State<AppState>,
    Scim(client): Scim,
    query: ScimQuery,
) -> ScimResult {
    let page = state
        .app
        .scim_groups(
            &client,
            query.filter.as_deref(),
            query.paging,
            !query.without_members,
        )
        .await?;
    let base = state.app.scim_base_url();
    Ok(scim_json(
        StatusCode::OK,
        &wire::list(&page, |g| wire::group(&base, g)),
    ))
}

pub(crate) async fn get_group(
    State(state): State<AppState>,
    Scim(client): Scim,
    Path(id): Path<String>,
    query: ScimQuery,
) -> ScimResult {
    let group = state
        .app
        .scim_group(&client, &id, !query.without_members)
        .await?;
    Ok(scim_json(
        StatusCode::OK,
        &wire::group(&state.app.scim_base_url(), &group),
    ))
}

pub(crate) async fn create_group(
    State(state): State<AppState>,
    Scim(client): Scim,
    ScimBody(body): ScimBody,
) -> ScimResult {
    let group = state.app.scim_create_group(&client, &body).await?;
    Ok(created(&wire::group(&state.app.scim_base_url(), &group)))
}

pub(crate) async fn replace_group(
    State(state): State<AppState>,
    Scim(client): Scim,
    Path(id): Path<String>,
    ScimBody(body): ScimBody,
) -> ScimResult {
    let group = state.app.scim_replace_group(&client, &id, &body).await?;
    Ok(scim_json(
        StatusCode::OK,
        &wire::group(&state.app.scim_base_url(), &group),
    ))
}

pub(crate) async fn patch_group(
    State(state): State<AppState>,
    Scim(client): Scim,
    Path(id): Path<String>,
    ScimBody(body): ScimBody,
) -> ScimResult {
    let group = state.app.scim_patch_group(&client, &id, &body).await?;
    Ok(scim_json(
        StatusCode::OK,
        &wire::group(&state.app.scim_base_url(), &group),
    ))
}

pub(crate) async fn delete_group(
    State(state): State<AppState>,
    Scim(client): Scim,
    Path(id): Path<String>,
) -> ScimResult {
    state.app.scim_delete_group(&client, &id).await?;
    Ok(no_content())
}
