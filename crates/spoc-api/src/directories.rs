//! LDAP / Active Directory directories over the API (admins): add, read, change and remove
//! them, check that one answers (`actions/test`), and sync one now (`actions/sync`). The service
//! account's password is write-only.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing;
use serde::{Deserialize, Serialize};
use spoc_app::{Directory, DirectoryInput, GroupMapping, SyncReport};
use spoc_domain::user::Role;
use spoc_domain::{DirectoryId, GroupId, ValidationError};
use utoipa::{IntoParams, ToSchema};

use crate::wire::{created, listed};
use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{Administrator, ApiJson, ApiPath, ApiQuery, Authenticated};
use spoc_http::params::time;

/// The routes of this feature under `/api/v1`: directories and their actions.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/directories",
            routing::get(list_directories).post(create_directory),
        )
        .route(
            "/directories/{id}",
            routing::get(get_directory)
                .patch(update_directory)
                .delete(delete_directory),
        )
        .route(
            "/directories/{id}/actions/sync",
            routing::post(sync_directory),
        )
        .route(
            "/directories/{id}/actions/test",
            routing::post(test_directory),
        )
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        list_directories,
        create_directory,
        get_directory,
        update_directory,
        delete_directory,
        sync_directory,
        test_directory
    ),
    tags((name = "directories", description = "LDAP / Active Directory: sign-in by bind and import of people and groups"))
)]
pub struct Operations;

/// A directory group whose members get a role and/or join a resolver group.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupMappingDto {
    /// The group's DN in the directory.
    #[schema(min_length = 1, max_length = 1000)]
    pub group_dn: String,
    /// The role its members get (the highest of their groups wins).
    #[schema(schema_with = crate::schema::role_or_null)]
    pub role: Option<String>,
    /// The resolver group its members join.
    #[schema(minimum = 1)]
    pub group_id: Option<i64>,
}

impl GroupMappingDto {
    fn into_mapping(self) -> Result<GroupMapping, ValidationError> {
        Ok(GroupMapping {
            group_dn: self.group_dn,
            role: self.role.as_deref().map(Role::parse).transpose()?,
            group_id: self.group_id.map(GroupId::new),
        })
    }
}

impl From<GroupMapping> for GroupMappingDto {
    fn from(m: GroupMapping) -> Self {
        Self {
            group_dn: m.group_dn,
            role: m.role.map(|r| r.as_str().to_owned()),
            group_id: m.group_id.map(GroupId::get),
        }
    }
}

/// A directory as admins see it (never its service password).
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryDto {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Signs people in and is synced.
    pub enabled: bool,
    /// `ldaps://…`, or `ldap://…` with StartTLS.
    pub url: String,
    /// The CA certificate (PEM) trusted, if any.
    pub ca_certificate: Option<String>,
    /// The service account's DN.
    pub bind_dn: String,
    /// Whether its password is stored.
    pub has_bind_password: bool,
    /// Where people are searched.
    pub user_base: String,
    /// Which entries are people.
    pub user_filter: String,
    /// E-mail attribute.
    pub email_attribute: String,
    /// Name attribute.
    pub name_attribute: String,
    /// Unique id attribute.
    pub id_attribute: String,
    /// Where groups are searched (none: groups are not imported).
    pub group_base: Option<String>,
    /// Which entries are groups.
    pub group_filter: String,
    /// The group attribute listing members.
    pub member_attribute: String,
    /// Group → role / resolver group.
    pub mappings: Vec<GroupMappingDto>,
    /// The role of people no mapping gives one.
    pub default_role: String,
    /// Seconds between syncs.
    pub sync_seconds: i64,
    /// When the last sync ended (RFC 3339).
    pub last_sync_at: Option<String>,
    /// When the last full pass ended (RFC 3339).
    pub last_full_sync_at: Option<String>,
    /// Why the last sync failed.
    pub last_sync_error: Option<String>,
    /// What the last successful sync did.
    pub last_sync_summary: Option<String>,
    /// Added (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<Directory> for DirectoryDto {
    fn from(d: Directory) -> Self {
        Self {
            id: d.id.get(),
            name: d.name,
            enabled: d.enabled,
            url: d.url,
            ca_certificate: d.ca_certificate,
            bind_dn: d.bind_dn,
            has_bind_password: d.has_password,
            user_base: d.user_base,
            user_filter: d.user_filter,
            email_attribute: d.email_attribute,
            name_attribute: d.name_attribute,
            id_attribute: d.id_attribute,
            group_base: d.group_base,
            group_filter: d.group_filter,
            member_attribute: d.member_attribute,
            mappings: d.mappings.into_iter().map(GroupMappingDto::from).collect(),
            default_role: d.default_role.as_str().to_owned(),
            sync_seconds: d.sync_seconds,
            last_sync_at: d.last_sync_at.map(time),
            last_full_sync_at: d.last_full_sync_at.map(time),
            last_sync_error: d.last_sync_error,
            last_sync_summary: d.last_sync_summary,
            created_at: time(d.created_at),
            updated_at: time(d.updated_at),
        }
    }
}

/// A directory's settings: every field when adding one; only those to change when changing one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectoryInputDto {
    /// Unique name (required when adding).
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    /// Default true.
    pub enabled: Option<bool>,
    /// `ldaps://host[:port]`, or `ldap://host[:port]` (StartTLS is then required); required when
    /// adding.
    #[schema(
        min_length = 8,
        max_length = 1000,
        pattern = "^[lL][dD][aA][pP][sS]?://"
    )]
    pub url: Option<String>,
    /// The CA certificate (PEM) to trust instead of the public roots; `""` removes it.
    #[schema(max_length = 20000)]
    pub ca_certificate: Option<String>,
    /// The service account's DN (required when adding).
    #[schema(min_length = 1, max_length = 1000)]
    pub bind_dn: Option<String>,
    /// The service account's password (required when adding; leave out to keep it).
    #[schema(min_length = 1, max_length = 1000)]
    pub bind_password: Option<String>,
    /// Where people are searched (required when adding).
    #[schema(min_length = 1, max_length = 1000)]
    pub user_base: Option<String>,
    /// Which entries are people; default `(objectClass=inetOrgPerson)`.
    #[schema(min_length = 3, max_length = 1000)]
    pub user_filter: Option<String>,
    /// Default `mail`.
    #[schema(min_length = 1, max_length = 100)]
    pub email_attribute: Option<String>,
    /// Default `cn`.
    #[schema(min_length = 1, max_length = 100)]
    pub name_attribute: Option<String>,
    /// Default `entryUUID` (Active Directory: `objectGUID`).
    #[schema(min_length = 1, max_length = 100)]
    pub id_attribute: Option<String>,
    /// Where groups are searched; `""` stops importing groups.
    #[schema(max_length = 1000)]
    pub group_base: Option<String>,
    /// Default `(objectClass=groupOfNames)`.
    #[schema(min_length = 3, max_length = 1000)]
    pub group_filter: Option<String>,
    /// Default `member`.
    #[schema(min_length = 1, max_length = 100)]
    pub member_attribute: Option<String>,
    /// Group → role / resolver group (replaces the list).
    #[schema(max_items = 200)]
    pub mappings: Option<Vec<GroupMappingDto>>,
    /// Default `customer`.
    #[schema(schema_with = crate::schema::role_or_null)]
    pub default_role: Option<String>,
    /// Seconds between syncs, 60–604800; default 3600.
    #[schema(minimum = 60, maximum = 604800)]
    pub sync_seconds: Option<i64>,
}

fn required(field: &'static str, value: Option<String>) -> Result<String, ValidationError> {
    value.ok_or_else(|| ValidationError::new(field, "is required"))
}

impl DirectoryInputDto {
    /// The settings of a new directory.
    fn into_new(self) -> Result<DirectoryInput, ValidationError> {
        let base = DirectoryInput {
            name: required("name", self.name.clone())?,
            enabled: true,
            url: required("url", self.url.clone())?,
            ca_certificate: None,
            bind_dn: required("bind_dn", self.bind_dn.clone())?,
            bind_password: None,
            user_base: required("user_base", self.user_base.clone())?,
            user_filter: "(objectClass=inetOrgPerson)".to_owned(),
            email_attribute: "mail".to_owned(),
            name_attribute: "cn".to_owned(),
            id_attribute: "entryUUID".to_owned(),
            group_base: None,
            group_filter: "(objectClass=groupOfNames)".to_owned(),
            member_attribute: "member".to_owned(),
            mappings: Vec::new(),
            default_role: Role::Customer,
            sync_seconds: 3600,
        };
        self.over(base)
    }

    /// `current` with the fields this change gives.
    fn over(self, mut d: DirectoryInput) -> Result<DirectoryInput, ValidationError> {
        let or = |new: Option<String>, old: &mut String| {
            if let Some(new) = new {
                *old = new;
            }
        };
        or(self.name, &mut d.name);
        or(self.url, &mut d.url);
        or(self.bind_dn, &mut d.bind_dn);
        or(self.user_base, &mut d.user_base);
        or(self.user_filter, &mut d.user_filter);
        or(self.email_attribute, &mut d.email_attribute);
        or(self.name_attribute, &mut d.name_attribute);
        or(self.id_attribute, &mut d.id_attribute);
        or(self.group_filter, &mut d.group_filter);
        or(self.member_attribute, &mut d.member_attribute);
        if let Some(enabled) = self.enabled {
            d.enabled = enabled;
        }
        if let Some(ca) = self.ca_certificate {
            d.ca_certificate = Some(ca).filter(|c| !c.trim().is_empty());
        }
        if let Some(base) = self.group_base {
            d.group_base = Some(base).filter(|b| !b.trim().is_empty());
        }
        d.bind_password = self.bind_password;
        if let Some(mappings) = self.mappings {
            d.mappings = mappings
                .into_iter()
                .map(GroupMappingDto::into_mapping)
                .collect::<Result<_, _>>()?;
        }
        if let Some(role) = self.default_role {
            d.default_role = Role::parse(&role)?;
        }
        if let Some(seconds) = self.sync_seconds {
            d.sync_seconds = seconds;
        }
        Ok(d)
    }
}

/// What a sync did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncReportDto {
    /// A full pass (which deprovisions people who left), or an incremental one.
    pub full: bool,
    /// People entries read.
    pub seen: u64,
    /// People added.
    pub created: u64,
    /// People whose e-mail, name, role or groups changed.
    pub updated: u64,
    /// People deprovisioned (deactivated, sessions and tokens ended).
    pub deprovisioned: u64,
    /// Entries left out.
    pub skipped: u64,
    /// The same in one line.
    pub summary: String,
}

impl From<SyncReport> for SyncReportDto {
    fn from(r: SyncReport) -> Self {
        Self {
            summary: r.summary(),
            full: r.full,
            seen: r.seen,
            created: r.created,
            updated: r.updated,
            deprovisioned: r.deprovisioned,
            skipped: r.skipped,
        }
    }
}

/// How to sync.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SyncQuery {
    /// `true`: a full pass, which also deprovisions people who left; default: incremental
    /// (a full pass anyway when the last one is more than a day old).
    pub full: Option<bool>,
}

/// The outcome of a connection test.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryTestDto {
    /// The directory answered over TLS and took the service account's bind.
    pub ok: bool,
    /// How many entries the people filter finds.
    pub people: u64,
}

/// Every directory of the caller's tenant (admins).
#[utoipa::path(get, path = "/api/v1/directories", tag = "directories",
    responses((status = 200, body = [DirectoryDto]), (status = 403, body = Problem)))]
pub async fn list_directories(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<DirectoryDto>>> {
    Ok(listed(state.app.list_directories(&actor).await?))
}

/// Add a directory (admins).
#[utoipa::path(post, path = "/api/v1/directories", tag = "directories", request_body = DirectoryInputDto,
    responses((status = 201, body = DirectoryDto), (status = 403, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_directory(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<DirectoryInputDto>,
) -> ApiResult<(StatusCode, Json<DirectoryDto>)> {
    Ok(created(
        state
            .app
            .save_directory(&actor, None, dto.into_new()?)
            .await?,
    ))
}

/// One directory (admins).
#[utoipa::path(get, path = "/api/v1/directories/{id}", tag = "directories",
    params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = DirectoryDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_directory(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<DirectoryId>,
) -> ApiResult<Json<DirectoryDto>> {
    Ok(Json(state.app.get_directory(&actor, id).await?.into()))
}

/// Change a directory (admins): only the fields given. Without `bind_password` the stored one
/// is kept.
#[utoipa::path(patch, path = "/api/v1/directories/{id}", tag = "directories",
    params(("id" = i64, Path, minimum = 1)), request_body = DirectoryInputDto,
    responses((status = 200, body = DirectoryDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_directory(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<DirectoryId>,
    ApiJson(dto): ApiJson<DirectoryInputDto>,
) -> ApiResult<Json<DirectoryDto>> {
    let current = state.app.get_directory(&actor, id).await?;
    let input = dto.over(current_input(current))?;
    Ok(Json(
        state
            .app
            .save_directory(&actor, Some(id), input)
            .await?
            .into(),
    ))
}

/// A directory's settings as they are, to change some of them.
fn current_input(d: Directory) -> DirectoryInput {
    DirectoryInput {
        name: d.name,
        enabled: d.enabled,
        url: d.url,
        ca_certificate: d.ca_certificate,
        bind_dn: d.bind_dn,
        bind_password: None,
        user_base: d.user_base,
        user_filter: d.user_filter,
        email_attribute: d.email_attribute,
        name_attribute: d.name_attribute,
        id_attribute: d.id_attribute,
        group_base: d.group_base,
        group_filter: d.group_filter,
        member_attribute: d.member_attribute,
        mappings: d.mappings,
        default_role: d.default_role,
        sync_seconds: d.sync_seconds,
    }
}

/// Remove a directory (admins). The people it provided stay, as local accounts.
#[utoipa::path(delete, path = "/api/v1/directories/{id}", tag = "directories",
    params(("id" = i64, Path, minimum = 1)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_directory(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<DirectoryId>,
) -> ApiResult<StatusCode> {
    state.app.delete_directory(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sync a directory now and say what it did (admins). `409` when another sync of it runs or
/// the directory cannot be reached (the reason is in `detail`).
#[utoipa::path(post, path = "/api/v1/directories/{id}/actions/sync", tag = "directories",
    params(("id" = i64, Path, minimum = 1), SyncQuery),
    responses((status = 200, body = SyncReportDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn sync_directory(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<DirectoryId>,
    ApiQuery(query): ApiQuery<SyncQuery>,
) -> ApiResult<Json<SyncReportDto>> {
    let report = state
        .app
        .sync_directory(&actor, id, query.full.unwrap_or(false))
        .await?;
    Ok(Json(report.into()))
}

/// Check that a directory answers over TLS and takes the service account's bind (admins).
/// `409` with the reason when it does not.
#[utoipa::path(post, path = "/api/v1/directories/{id}/actions/test", tag = "directories",
    params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = DirectoryTestDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn test_directory(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<DirectoryId>,
) -> ApiResult<Json<DirectoryTestDto>> {
    let people = state.app.test_directory(&actor, id).await?;
    Ok(Json(DirectoryTestDto { ok: true, people }))
}
