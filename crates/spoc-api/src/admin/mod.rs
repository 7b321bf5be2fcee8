//! People, organisations, groups and memberships, categories, services and desk settings.

pub mod dto;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing;
use serde::Deserialize;
use spoc_app::PersonUpdate;
use spoc_app::{GroupInput, UserInput};
use spoc_domain::org::Tier;
use spoc_domain::priority::{Priority, PriorityMatrix};
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{CategoryId, GroupId, OrganizationId, UserId};
use utoipa::IntoParams;

use self::dto::*;
use crate::wire::{created, listed};
use spoc_http::AppState;
use spoc_http::error::{ApiError, ApiResult, Problem};
use spoc_http::extract::{Administrator, ApiJson, ApiPath, ApiQuery, Authenticated};

/// The routes of this feature under `/api/v1`: people, organisations, groups, taxonomy, services and the desk's settings.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", routing::get(list_users).post(create_user))
        .route("/users/{id}", routing::get(get_user).patch(patch_user))
        .route(
            "/organizations",
            routing::get(list_organizations).post(create_organization),
        )
        .route("/groups", routing::get(list_groups).post(create_group))
        .route("/groups/{id}", routing::get(get_group).put(update_group))
        .route("/groups/{id}/members", routing::get(list_members))
        .route(
            "/groups/{id}/members/{user_id}",
            routing::put(add_member).delete(remove_member),
        )
        .route(
            "/categories",
            routing::get(list_categories).post(create_category),
        )
        .route(
            "/services",
            routing::get(list_services).post(create_service),
        )
        .route(
            "/settings/priority-matrix",
            routing::get(get_matrix).put(put_matrix),
        )
        .route(
            "/settings/rate-limits",
            routing::get(get_rate_limits).put(put_rate_limits),
        )
        .route(
            "/settings/default-group",
            routing::get(get_default_group).put(put_default_group),
        )
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list_users,
    create_user,
    get_user,
    patch_user,
    list_organizations,
    create_organization,
    list_groups,
    create_group,
    get_group,
    update_group,
    list_members,
    add_member,
    remove_member,
    list_categories,
    create_category,
    list_services,
    create_service,
    get_matrix,
    put_matrix,
    get_default_group,
    put_default_group,
    get_rate_limits,
    put_rate_limits
))]
pub struct Operations;

/// User search.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserParams {
    /// Part of a name or e-mail.
    q: Option<String>,
    /// At most this many (default 100, at most 500).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// Search people (staff).
#[utoipa::path(get, path = "/api/v1/users", tag = "admin", params(UserParams),
    responses((status = 200, body = [UserDto]), (status = 403, body = Problem)))]
pub async fn list_users(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(params): ApiQuery<UserParams>,
) -> ApiResult<Json<Vec<UserDto>>> {
    let users = state
        .app
        .list_users(
            &actor,
            params.q.as_deref(),
            spoc_http::extract::in_range("limit", params.limit, 1, 500)?.unwrap_or(100),
        )
        .await?;
    Ok(listed(users))
}

/// Add a person (admins).
#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = NewUserDto,
    responses((status = 201, body = UserDto), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_user(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<NewUserDto>,
) -> ApiResult<(StatusCode, Json<UserDto>)> {
    let input = UserInput {
        email: Email::parse(&dto.email)?,
        name: Name::parse(&dto.name)?,
        role: Role::parse(&dto.role)?,
        organization_id: dto.organization_id.map(OrganizationId::new),
        super_user: dto.super_user,
        password: dto.password,
    };
    let user = state.app.create_user(&actor, input).await?;
    Ok(created(user))
}

/// One person (staff, or oneself).
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "admin", params(("id" = i64, Path)),
    responses((status = 200, body = UserDto), (status = 404, body = Problem)))]
pub async fn get_user(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<UserDto>> {
    Ok(Json(
        state.app.get_user(&actor, UserId::new(id)).await?.into(),
    ))
}

/// Change a person (admins): name, role, organisation, super user, active, password.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "admin", params(("id" = i64, Path)), request_body = UserPatchDto,
    responses((status = 200, body = UserDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_user(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<UserPatchDto>,
) -> ApiResult<Json<UserDto>> {
    let update = PersonUpdate {
        name: dto
            .name
            .as_deref()
            .map(Name::parse)
            .transpose()?
            .map(Name::into_string),
        role: dto.role.as_deref().map(Role::parse).transpose()?,
        organization_id: dto.organization_id.map(|o| o.map(OrganizationId::new)),
        super_user: dto.super_user,
        active: dto.active,
    };
    Ok(Json(
        state
            .app
            .update_user(
                &actor,
                UserId::new(id),
                update,
                dto.password,
                dto.current_password.as_deref(),
            )
            .await?
            .into(),
    ))
}

/// Every organisation (staff).
#[utoipa::path(get, path = "/api/v1/organizations", tag = "admin", responses((status = 200, body = [OrganizationDto])))]
pub async fn list_organizations(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<OrganizationDto>>> {
    Ok(listed(state.app.list_organizations(&actor).await?))
}

/// Add an organisation (admins).
#[utoipa::path(post, path = "/api/v1/organizations", tag = "admin", request_body = NameDto,
    responses((status = 201, body = OrganizationDto), (status = 409, body = Problem)))]
pub async fn create_organization(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<NameDto>,
) -> ApiResult<(StatusCode, Json<OrganizationDto>)> {
    let organization = state
        .app
        .create_organization(&actor, Name::parse(&dto.name)?)
        .await?;
    Ok(created(organization))
}

fn group_input(dto: GroupInputDto) -> Result<GroupInput, ApiError> {
    Ok(GroupInput {
        name: Name::parse(&dto.name)?,
        tier: Tier::from_number(dto.tier)?,
        external_supplier: dto.external_supplier,
    })
}

/// Every resolver group (staff).
#[utoipa::path(get, path = "/api/v1/groups", tag = "admin", responses((status = 200, body = [GroupDto])))]
pub async fn list_groups(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<GroupDto>>> {
    Ok(listed(state.app.list_groups(&actor).await?))
}

/// Add a resolver group (admins).
#[utoipa::path(post, path = "/api/v1/groups", tag = "admin", request_body = GroupInputDto,
    responses((status = 201, body = GroupDto), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_group(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<GroupInputDto>,
) -> ApiResult<(StatusCode, Json<GroupDto>)> {
    let group = state.app.create_group(&actor, group_input(dto)?).await?;
    Ok(created(group))
}

/// One resolver group (staff).
#[utoipa::path(get, path = "/api/v1/groups/{id}", tag = "admin", params(("id" = i64, Path)),
    responses((status = 200, body = GroupDto), (status = 404, body = Problem)))]
pub async fn get_group(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<GroupDto>> {
    Ok(Json(
        state.app.get_group(&actor, GroupId::new(id)).await?.into(),
    ))
}

/// Change a resolver group (admins).
#[utoipa::path(put, path = "/api/v1/groups/{id}", tag = "admin", params(("id" = i64, Path)), request_body = GroupInputDto,
    responses((status = 200, body = GroupDto), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_group(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<GroupInputDto>,
) -> ApiResult<Json<GroupDto>> {
    Ok(Json(
        state
            .app
            .update_group(&actor, GroupId::new(id), group_input(dto)?)
            .await?
            .into(),
    ))
}

/// A group's members (staff).
#[utoipa::path(get, path = "/api/v1/groups/{id}/members", tag = "admin", params(("id" = i64, Path)),
    responses((status = 200, body = [UserDto]), (status = 404, body = Problem)))]
pub async fn list_members(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<UserDto>>> {
    Ok(listed(
        state.app.group_members(&actor, GroupId::new(id)).await?,
    ))
}

/// Add a member to a group (admins).
#[utoipa::path(put, path = "/api/v1/groups/{id}/members/{user_id}", tag = "admin",
    params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_member(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((group, user)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state
        .app
        .add_group_member(&actor, GroupId::new(group), UserId::new(user))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a member from a group (admins).
#[utoipa::path(delete, path = "/api/v1/groups/{id}/members/{user_id}", tag = "admin",
    params(("id" = i64, Path), ("user_id" = i64, Path)), responses((status = 204), (status = 404, body = Problem)))]
pub async fn remove_member(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((group, user)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state
        .app
        .remove_group_member(&actor, GroupId::new(group), UserId::new(user))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The category taxonomy (anyone signed in).
#[utoipa::path(get, path = "/api/v1/categories", tag = "admin", responses((status = 200, body = [CategoryDto])))]
pub async fn list_categories(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<CategoryDto>>> {
    Ok(listed(state.app.list_categories(actor.tenant_id).await?))
}

/// Add a category or subcategory (admins).
#[utoipa::path(post, path = "/api/v1/categories", tag = "admin", request_body = NewCategoryDto,
    responses((status = 201, body = CategoryDto), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_category(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<NewCategoryDto>,
) -> ApiResult<(StatusCode, Json<CategoryDto>)> {
    let category = state
        .app
        .create_category(
            &actor,
            Name::parse(&dto.name)?,
            dto.parent_id.map(CategoryId::new),
        )
        .await?;
    Ok(created(category))
}

/// The business services (anyone signed in).
#[utoipa::path(get, path = "/api/v1/services", tag = "admin", responses((status = 200, body = [ServiceDto])))]
pub async fn list_services(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<ServiceDto>>> {
    Ok(listed(state.app.list_services(actor.tenant_id).await?))
}

/// Add a business service (admins).
#[utoipa::path(post, path = "/api/v1/services", tag = "admin", request_body = NewServiceDto,
    responses((status = 201, body = ServiceDto), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_service(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<NewServiceDto>,
) -> ApiResult<(StatusCode, Json<ServiceDto>)> {
    let service = state
        .app
        .create_service(&actor, Name::parse(&dto.name)?, &dto.description)
        .await?;
    Ok(created(service))
}

fn matrix_dto(matrix: &PriorityMatrix) -> PriorityMatrixDto {
    PriorityMatrixDto {
        cells: matrix
            .cells()
            .iter()
            .map(|row| row.iter().map(|p| p.as_str().to_owned()).collect())
            .collect(),
    }
}

/// The priority matrix (anyone signed in).
#[utoipa::path(get, path = "/api/v1/settings/priority-matrix", tag = "admin", responses((status = 200, body = PriorityMatrixDto)))]
pub async fn get_matrix(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<PriorityMatrixDto>> {
    Ok(Json(matrix_dto(
        &state.app.priority_matrix(actor.tenant_id).await?,
    )))
}

/// Replace the priority matrix (admins). It must be monotone.
#[utoipa::path(put, path = "/api/v1/settings/priority-matrix", tag = "admin", request_body = PriorityMatrixDto,
    responses((status = 200, body = PriorityMatrixDto), (status = 422, body = Problem)))]
pub async fn put_matrix(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<PriorityMatrixDto>,
) -> ApiResult<Json<PriorityMatrixDto>> {
    let shape = || {
        ApiError::invalid_field(
            "cells",
            "must be 3 rows (impact high, medium, low) of 3 priorities (urgency high, medium, low)",
        )
    };
    if dto.cells.len() != 3 || dto.cells.iter().any(|row| row.len() != 3) {
        return Err(shape());
    }
    let mut cells = [[Priority::P1; 3]; 3];
    for (i, row) in dto.cells.iter().enumerate() {
        for (j, value) in row.iter().enumerate() {
            cells[i][j] =
                Priority::parse(value).map_err(|e| ApiError::invalid_field("cells", e.message))?;
        }
    }
    let matrix = state
        .app
        .set_priority_matrix(&actor, PriorityMatrix::new(cells)?)
        .await?;
    Ok(Json(matrix_dto(&matrix)))
}

/// The group new tickets land in (staff).
#[utoipa::path(get, path = "/api/v1/settings/default-group", tag = "admin", responses((status = 200, body = DefaultGroupSettingDto)))]
pub async fn get_default_group(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<DefaultGroupSettingDto>> {
    Ok(Json(state.app.default_group(&actor).await?.into()))
}

/// Choose the group new tickets land in (admins; a tier-1 group).
#[utoipa::path(put, path = "/api/v1/settings/default-group", tag = "admin", request_body = DefaultGroupDto,
    responses((status = 200, body = DefaultGroupSettingDto), (status = 422, body = Problem)))]
pub async fn put_default_group(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<DefaultGroupDto>,
) -> ApiResult<Json<DefaultGroupSettingDto>> {
    Ok(Json(
        state
            .app
            .set_default_group(&actor, GroupId::new(dto.group_id))
            .await?
            .into(),
    ))
}

/// The per-person limits on ticket creation and replies (admins).
#[utoipa::path(get, path = "/api/v1/settings/rate-limits", tag = "admin",
    responses((status = 200, body = RateLimitsDto), (status = 403, body = Problem)))]
pub async fn get_rate_limits(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<RateLimitsDto>> {
    Ok(Json(state.app.rate_limits(&actor).await?.into()))
}

/// Set the per-person limits on ticket creation and replies (admins).
#[utoipa::path(put, path = "/api/v1/settings/rate-limits", tag = "admin", request_body = RateLimitsDto,
    responses((status = 200, body = RateLimitsDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_rate_limits(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<RateLimitsDto>,
) -> ApiResult<Json<RateLimitsDto>> {
    Ok(Json(
        state.app.set_rate_limits(&actor, dto.into()).await?.into(),
    ))
}
