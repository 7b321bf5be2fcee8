//! `/api/v1/articles` (with `/versions`, diffs, restore, workflow actions, feedback), articles
//! used on tickets, `/api/v1/portal/suggestions` and deflections, and the self-service report.
//! Handlers parse, call one use case and render; what each reader may see is the app's call.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing;
use serde::{Deserialize, Serialize};
use spoc_app::{Article, ArticleFilter, ArticleInput, ArticleVersion, ArticleView};
use spoc_domain::knowledge::{ArticleAction, ArticleContent, ArticleKind, ArticleStatus, Audience};
use spoc_domain::{ArticleId, TicketId};
use utoipa::{IntoParams, ToSchema};

pub use crate::document::{CommentDto, DiffLineDto, LogEntryDto, SectionDiffDto, diff_line};
use spoc_http::AppState;
use spoc_http::error::{ApiError, ApiResult, Problem};
use spoc_http::extract::{ApiJson, ApiPath, ApiQuery, Authenticated};
use spoc_http::markdown;
use spoc_http::params::time;

/// The routes of this feature under `/api/v1`: articles, their versions and review, the articles of a ticket, portal suggestions and deflection, and the self-service report.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/articles", routing::get(list).post(create))
        .route("/articles/{id}", routing::get(get))
        .route(
            "/articles/{id}/versions",
            routing::get(versions).post(add_version),
        )
        .route(
            "/articles/{id}/versions/{version}",
            routing::get(get_version),
        )
        .route(
            "/articles/{id}/versions/{version}/restore",
            routing::post(restore),
        )
        .route("/articles/{id}/diff", routing::get(diff))
        .route("/articles/{id}/actions/{action}", routing::post(act))
        .route("/articles/{id}/feedback", routing::post(feedback))
        .route(
            "/tickets/{id}/articles",
            routing::get(ticket_articles).post(link_ticket_article),
        )
        .route("/portal/suggestions", routing::get(suggestions))
        .route("/portal/deflections", routing::post(deflect))
        .route("/reports/self-service", routing::get(self_service))
        .route("/articles/{id}/shared", routing::put(share::set_shared))
}

mod share;

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list,
    create,
    get,
    versions,
    add_version,
    get_version,
    restore,
    diff,
    act,
    feedback,
    ticket_articles,
    link_ticket_article,
    suggestions,
    deflect,
    self_service,
    share::set_shared
))]
pub struct Operations;

/// An article in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleSummaryDto {
    /// Id.
    pub id: i64,
    /// `how_to`, `faq` or `known_error`.
    pub kind: String,
    /// `agents` or `customers`.
    pub audience: String,
    /// `draft`, `review`, `published` or `retired` (of the latest version).
    pub status: String,
    /// Title.
    pub title: String,
    /// The latest version.
    pub latest_version: i64,
    /// The version readers see, once published.
    pub published_version: Option<i64>,
    /// Tickets it was used to resolve.
    pub use_count: i64,
    /// Helpful votes.
    pub helpful_count: i64,
    /// Not helpful votes.
    pub not_helpful_count: i64,
    /// Last change (RFC 3339).
    pub updated_at: String,
    /// Whether the provider shares it with every tenant.
    pub shared: bool,
    /// The provider's shared article read from another tenant: published version, read-only.
    pub from_provider: bool,
}

impl ArticleSummaryDto {
    /// The summary of `r` as `staff` or a customer sees it: customers see only what concerns the
    /// published version.
    pub fn new(r: Article, staff: bool) -> Self {
        Self {
            id: r.id.get(),
            kind: r.kind.as_str().to_owned(),
            audience: r.audience.as_str().to_owned(),
            status: if staff {
                r.status.as_str().to_owned()
            } else {
                ArticleStatus::Published.as_str().to_owned()
            },
            title: r.title,
            latest_version: if staff {
                r.latest_version
            } else {
                r.published_version.unwrap_or(r.latest_version)
            },
            published_version: r.published_version,
            use_count: r.use_count,
            helpful_count: r.helpful_count,
            not_helpful_count: r.not_helpful_count,
            updated_at: time(r.updated_at),
            shared: r.shared,
            from_provider: r.from_provider,
        }
    }
}

/// One article with the content of the version shown (staff: the latest; customers: the
/// published one).
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleDto {
    /// The article.
    #[serde(flatten)]
    pub summary: ArticleSummaryDto,
    /// The version whose content this is.
    pub version: i64,
    /// The Markdown source.
    pub body: String,
    /// The body rendered to sanitised HTML.
    pub body_html: String,
    /// Known errors: the symptom.
    pub symptom: Option<String>,
    /// Known errors: the cause.
    pub cause: Option<String>,
    /// Known errors: the workaround.
    pub workaround: Option<String>,
    /// Known errors: the problem record.
    pub problem_id: Option<i64>,
    /// The category the version is filed under.
    pub category_id: Option<i64>,
    /// The version's change summary.
    pub change_summary: String,
    /// Who wrote the version (staff only).
    pub author_id: Option<i64>,
    /// When it was written (RFC 3339).
    pub version_created_at: String,
}

impl ArticleDto {
    fn new(view: ArticleView, staff: bool) -> Self {
        let v = view.version;
        let mut summary = ArticleSummaryDto::new(view.article, staff);
        // The title shown is the version's own.
        summary.title = v.content.title.clone();
        Self {
            summary,
            version: v.version,
            body_html: markdown::to_safe_html(&v.content.body),
            body: v.content.body,
            symptom: v.content.symptom,
            cause: v.content.cause,
            workaround: v.content.workaround,
            problem_id: v.content.problem_id,
            category_id: v.content.category_id.map(|c| c.get()),
            change_summary: v.change_summary,
            author_id: if staff {
                v.author_id.map(|a| a.get())
            } else {
                None
            },
            version_created_at: time(v.created_at),
        }
    }
}

/// A page of articles.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleListDto {
    /// This page.
    pub items: Vec<ArticleSummaryDto>,
    /// Matching articles on all pages.
    pub total: i64,
}

/// A new article, or a new version of one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleInputDto {
    /// `how_to`, `faq` or `known_error`.
    #[schema(schema_with = crate::schema::article_kind)]
    pub kind: String,
    /// `agents` (staff only) or `customers` (the portal too).
    #[schema(schema_with = crate::schema::audience)]
    pub audience: String,
    /// One line.
    #[schema(schema_with = crate::schema::title)]
    pub title: String,
    /// Markdown (rendered and sanitised on output). Optional for known errors.
    #[serde(default)]
    pub body: String,
    /// Known errors: what the user sees (required for them).
    pub symptom: Option<String>,
    /// Known errors: why it happens.
    pub cause: Option<String>,
    /// Known errors: how to get going again (required for them).
    pub workaround: Option<String>,
    /// Known errors: the problem record, once problems exist.
    pub problem_id: Option<i64>,
    /// The category (of `/categories`) to file it under; readers can browse by it.
    pub category_id: Option<i64>,
    /// What changed and why (required for every version after the first).
    #[serde(default)]
    pub change_summary: String,
    /// New versions: the latest version the edit started from; a later save is a conflict.
    pub version: Option<i64>,
}

impl ArticleInputDto {
    fn into_input(self) -> Result<(ArticleInput, Option<i64>), ApiError> {
        let content = ArticleContent::parse(
            ArticleKind::parse(&self.kind)?,
            Audience::parse(&self.audience)?,
            &self.title,
            &self.body,
            self.symptom.as_deref(),
            self.cause.as_deref(),
            self.workaround.as_deref(),
            self.problem_id,
        )?;
        let mut content = content;
        content.category_id = match self.category_id {
            Some(id) if id <= 0 => {
                return Err(spoc_domain::ValidationError::new(
                    "category_id",
                    "must be the id of a category",
                )
                .into());
            }
            id => id.map(spoc_domain::CategoryId::new),
        };
        Ok((
            ArticleInput {
                content,
                change_summary: self.change_summary,
            },
            self.version,
        ))
    }
}

/// One version in an article's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleVersionDto {
    /// 1, 2, …
    pub version: i64,
    /// Its title.
    pub title: String,
    /// Its kind.
    pub kind: String,
    /// Its audience.
    pub audience: String,
    /// Markdown source.
    pub body: String,
    /// Symptom.
    pub symptom: Option<String>,
    /// Cause.
    pub cause: Option<String>,
    /// Workaround.
    pub workaround: Option<String>,
    /// The category it was filed under.
    pub category_id: Option<i64>,
    /// What changed and why.
    pub change_summary: String,
    /// Who wrote it.
    pub author_id: Option<i64>,
    /// When (RFC 3339).
    pub created_at: String,
}

impl From<ArticleVersion> for ArticleVersionDto {
    fn from(v: ArticleVersion) -> Self {
        Self {
            version: v.version,
            title: v.content.title,
            kind: v.content.kind.as_str().to_owned(),
            audience: v.content.audience.as_str().to_owned(),
            body: v.content.body,
            symptom: v.content.symptom,
            cause: v.content.cause,
            workaround: v.content.workaround,
            category_id: v.content.category_id.map(|c| c.get()),
            change_summary: v.change_summary,
            author_id: v.author_id.map(|a| a.get()),
            created_at: time(v.created_at),
        }
    }
}

/// An article's versions and workflow log.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleVersionsDto {
    /// Oldest first.
    pub versions: Vec<ArticleVersionDto>,
    /// Oldest first.
    pub log: Vec<LogEntryDto>,
}

/// List filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ArticleParams {
    /// Words to search for (full text; customers search published customer-facing text only).
    pub q: Option<String>,
    /// `draft`, `review`, `published` or `retired` (staff).
    #[param(schema_with = crate::schema::article_status)]
    pub status: Option<String>,
    /// `how_to`, `faq` or `known_error`.
    #[param(schema_with = crate::schema::article_kind)]
    pub kind: Option<String>,
    /// `agents` or `customers` (staff).
    #[param(schema_with = crate::schema::audience)]
    pub audience: Option<String>,
    /// Only articles filed under this category or one of its subcategories.
    #[param(minimum = 1)]
    pub category: Option<i64>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// Skip this many (up to 1,000,000).
    #[param(minimum = 0, maximum = 1_000_000)]
    pub offset: Option<i64>,
}

/// Diff bounds.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    /// The older version.
    pub from: i64,
    /// The newer version.
    pub to: i64,
}

/// A vote.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackDto {
    /// Whether the article helped.
    pub helpful: bool,
}

/// An article to record on a ticket.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketArticleDto {
    /// The article used to resolve the ticket.
    pub article_id: i64,
}

/// A suggestion for the portal.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionDto {
    /// Article id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// `how_to`, `faq` or `known_error`.
    pub kind: String,
    /// The first words of the article.
    pub snippet: String,
    /// Where the portal shows it.
    pub url: String,
}

/// Suggestions for what someone is typing.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionsDto {
    /// Best first; at most 5.
    pub items: Vec<SuggestionDto>,
}

/// The words someone typed.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// What they are typing (title and description); any word may match.
    pub q: String,
}

/// "This solved my problem".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeflectionDto {
    /// The article that solved it.
    pub article_id: i64,
    /// What they had typed.
    #[serde(default)]
    pub query: String,
}

/// The self-service resolution rate.
#[derive(Debug, Serialize, ToSchema)]
pub struct SelfServiceDto {
    /// Portal sessions ended by an article.
    pub deflected: i64,
    /// Portal sessions ended by an article or a portal ticket.
    pub sessions: i64,
    /// `deflected / sessions` in percent; absent when there were none.
    pub rate_percent: Option<f64>,
    /// Deflections per article, most first.
    pub by_article: Vec<DeflectionCountDto>,
}

/// Deflections by one article.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeflectionCountDto {
    /// Article id.
    pub article_id: i64,
    /// Its title.
    pub title: String,
    /// How many sessions it ended.
    pub deflections: i64,
}

/// A report period.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// Start, inclusive: a date (`2026-11-01`, UTC midnight) or an RFC 3339 instant.
    pub from: String,
    /// End, exclusive.
    pub to: String,
    /// The tenant whose report it is, 1 or more (the provider's leads and admins; default: the
    /// caller's).
    pub tenant_id: Option<i64>,
}

fn parse_filter(params: ArticleParams) -> Result<ArticleFilter, ApiError> {
    let bad = |e: spoc_domain::ValidationError| {
        ApiError::bad_query(format!("{}: {}", e.field, e.message))
    };
    Ok(ArticleFilter {
        q: params.q,
        status: params
            .status
            .as_deref()
            .map(ArticleStatus::parse)
            .transpose()
            .map_err(bad)?,
        kind: params
            .kind
            .as_deref()
            .map(ArticleKind::parse)
            .transpose()
            .map_err(bad)?,
        audience: params
            .audience
            .as_deref()
            .map(Audience::parse)
            .transpose()
            .map_err(bad)?,
        category: spoc_http::extract::in_range("category", params.category, 1, i64::MAX)?
            .map(spoc_domain::CategoryId::new),
        limit: spoc_http::extract::in_range("limit", params.limit, 1, 200)?,
        offset: spoc_http::extract::in_range("offset", params.offset, 0, 1_000_000)?,
    })
}

async fn view(
    state: &AppState,
    actor: &spoc_domain::access::Actor,
    id: ArticleId,
) -> ApiResult<ArticleDto> {
    let view = state.app.get_article(actor, id).await?;
    Ok(ArticleDto::new(view, actor.is_staff()))
}

/// List and search the articles the caller may read.
#[utoipa::path(get, path = "/api/v1/articles", tag = "knowledge", params(ArticleParams),
    responses((status = 200, body = ArticleListDto), (status = 400, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(params): ApiQuery<ArticleParams>,
) -> ApiResult<Json<ArticleListDto>> {
    let (items, total) = state
        .app
        .list_articles(&actor, parse_filter(params)?)
        .await?;
    let staff = actor.is_staff();
    Ok(Json(ArticleListDto {
        items: items
            .into_iter()
            .map(|r| ArticleSummaryDto::new(r, staff))
            .collect(),
        total,
    }))
}

/// Write a new article (a draft; staff).
#[utoipa::path(post, path = "/api/v1/articles", tag = "knowledge", request_body = ArticleInputDto,
    responses((status = 201, body = ArticleDto), (status = 422, body = Problem), (status = 403, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<ArticleInputDto>,
) -> ApiResult<Response> {
    let (input, _) = dto.into_input()?;
    let record = state.app.create_article(&actor, input).await?;
    let mut response = (
        StatusCode::CREATED,
        Json(view(&state, &actor, record.id).await?),
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/articles/{}", record.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Read an article (staff: the latest version; customers: the published version of a
/// customer-facing article, anything else is not found).
#[utoipa::path(get, path = "/api/v1/articles/{id}", tag = "knowledge",
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 200, body = ArticleDto), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ArticleDto>> {
    let id = ArticleId::new(id);
    Ok(Json(view(&state, &actor, id).await?))
}

/// Every version of an article and its workflow log (staff).
#[utoipa::path(get, path = "/api/v1/articles/{id}/versions", tag = "knowledge",
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 200, body = ArticleVersionsDto), (status = 404, body = Problem)))]
pub async fn versions(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ArticleVersionsDto>> {
    let id = ArticleId::new(id);
    let (versions, log) = state.app.article_versions(&actor, id).await?;
    Ok(Json(ArticleVersionsDto {
        versions: versions.into_iter().map(Into::into).collect(),
        log: log.iter().map(Into::into).collect(),
    }))
}

/// Save a new version of an article (it becomes a draft; readers keep seeing the published
/// version until this one is published).
#[utoipa::path(post, path = "/api/v1/articles/{id}/versions", tag = "knowledge", request_body = ArticleInputDto,
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 201, body = ArticleDto), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_version(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<ArticleInputDto>,
) -> ApiResult<Response> {
    let id = ArticleId::new(id);
    let (input, expected) = dto.into_input()?;
    state.app.edit_article(&actor, id, expected, input).await?;
    Ok((StatusCode::CREATED, Json(view(&state, &actor, id).await?)).into_response())
}

/// One version of an article (staff).
#[utoipa::path(get, path = "/api/v1/articles/{id}/versions/{version}", tag = "knowledge",
    params(("id" = i64, Path, description = "Article id"), ("version" = i64, Path, description = "Version")),
    responses((status = 200, body = ArticleVersionDto), (status = 404, body = Problem)))]
pub async fn get_version(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((id, version)): ApiPath<(i64, i64)>,
) -> ApiResult<Json<ArticleVersionDto>> {
    let id = ArticleId::new(id);
    Ok(Json(
        state.app.article_version(&actor, id, version).await?.into(),
    ))
}

/// Restore an old version: a new version with its content, as a draft.
#[utoipa::path(post, path = "/api/v1/articles/{id}/versions/{version}/restore", tag = "knowledge",
    params(("id" = i64, Path, description = "Article id"), ("version" = i64, Path, description = "The version to restore")),
    responses((status = 201, body = ArticleDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn restore(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((id, version)): ApiPath<(i64, i64)>,
) -> ApiResult<Response> {
    let id = ArticleId::new(id);
    state.app.restore_article(&actor, id, version).await?;
    Ok((StatusCode::CREATED, Json(view(&state, &actor, id).await?)).into_response())
}

/// The line diff between two versions (staff).
#[utoipa::path(get, path = "/api/v1/articles/{id}/diff", tag = "knowledge", params(("id" = i64, Path, description = "Article id"), DiffParams),
    responses((status = 200, body = [SectionDiffDto]), (status = 404, body = Problem)))]
pub async fn diff(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<DiffParams>,
) -> ApiResult<Json<Vec<SectionDiffDto>>> {
    let id = ArticleId::new(id);
    let sections = state
        .app
        .article_diff(&actor, id, params.from, params.to)
        .await?;
    Ok(Json(sections.into_iter().map(Into::into).collect()))
}

/// A workflow action: `submit` (staff), `publish`, `return` (with a comment) or `retire`
/// (leads and admins).
#[utoipa::path(post, path = "/api/v1/articles/{id}/actions/{action}", tag = "knowledge", request_body = CommentDto,
    params(("id" = i64, Path, description = "Article id"), ("action" = String, Path, description = "submit, publish, return or retire")),
    responses((status = 200, body = ArticleDto), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn act(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    body: spoc_http::extract::ApiBytes,
) -> ApiResult<Json<ArticleDto>> {
    let id = ArticleId::new(id);
    let action = ArticleAction::parse(&action).map_err(|_| ApiError::not_found("action"))?;
    let dto: CommentDto = spoc_http::extract::parse_json(&body.0)?;
    state
        .app
        .article_action(&actor, id, action, dto.comment)
        .await?;
    Ok(Json(view(&state, &actor, id).await?))
}

/// Helpful or not: one vote per person, a new vote replaces the old.
#[utoipa::path(post, path = "/api/v1/articles/{id}/feedback", tag = "knowledge", request_body = FeedbackDto,
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 200, body = ArticleSummaryDto), (status = 404, body = Problem)))]
pub async fn feedback(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<FeedbackDto>,
) -> ApiResult<Json<ArticleSummaryDto>> {
    let id = ArticleId::new(id);
    let record = state.app.article_feedback(&actor, id, dto.helpful).await?;
    Ok(Json(ArticleSummaryDto::new(record, actor.is_staff())))
}

/// The articles used to resolve a ticket (staff; customers get an empty list).
#[utoipa::path(get, path = "/api/v1/tickets/{id}/articles", tag = "knowledge",
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = [ArticleSummaryDto]), (status = 404, body = Problem)))]
pub async fn ticket_articles(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<ArticleSummaryDto>>> {
    let actor = state.app.actor_on_ticket(&actor, TicketId::new(id)).await?;
    let items = state.app.ticket_articles(&actor, TicketId::new(id)).await?;
    Ok(Json(
        items
            .into_iter()
            .map(|r| ArticleSummaryDto::new(r, true))
            .collect(),
    ))
}

/// Record a published article as used to resolve a ticket (staff; once per ticket).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/articles", tag = "knowledge", request_body = TicketArticleDto,
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = ArticleSummaryDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn link_ticket_article(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<TicketArticleDto>,
) -> ApiResult<Json<ArticleSummaryDto>> {
    let actor = state.app.actor_on_ticket(&actor, TicketId::new(id)).await?;
    let record = state
        .app
        .link_article(&actor, TicketId::new(id), ArticleId::new(dto.article_id))
        .await?;
    Ok(Json(ArticleSummaryDto::new(record, true)))
}

/// The published customer-facing articles that match what someone is typing (any word), best
/// first: the portal calls this while a new ticket is written.
#[utoipa::path(get, path = "/api/v1/portal/suggestions", tag = "knowledge", params(SuggestParams),
    responses((status = 200, body = SuggestionsDto), (status = 401, body = Problem)))]
pub async fn suggestions(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(params): ApiQuery<SuggestParams>,
) -> ApiResult<Json<SuggestionsDto>> {
    let q: String = params.q.chars().take(2_000).collect();
    let found = state.app.suggest_articles(&actor, &q, 5).await?;
    let items = found
        .into_iter()
        .map(|view| {
            let content = &view.version.content;
            SuggestionDto {
                id: view.article.id.get(),
                title: content.title.clone(),
                kind: content.kind.as_str().to_owned(),
                snippet: markdown::snippet(
                    content.symptom.as_deref().unwrap_or(&content.body),
                    160,
                ),
                url: format!("/portal/kb/{}", view.article.id),
            }
        })
        .collect();
    Ok(Json(SuggestionsDto { items }))
}

/// "This solved my problem": ends the portal session without a ticket, and counts it.
#[utoipa::path(post, path = "/api/v1/portal/deflections", tag = "knowledge", request_body = DeflectionDto,
    responses((status = 204, description = "Counted"), (status = 404, body = Problem)))]
pub async fn deflect(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<DeflectionDto>,
) -> ApiResult<StatusCode> {
    state
        .app
        .deflect(&actor, ArticleId::new(dto.article_id), &dto.query)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The self-service resolution rate over a period (staff): portal sessions ended by an article
/// instead of a ticket.
#[utoipa::path(get, path = "/api/v1/reports/self-service", tag = "knowledge", params(PeriodParams),
    responses((status = 200, body = SelfServiceDto), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn self_service(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(params): ApiQuery<PeriodParams>,
) -> ApiResult<Json<SelfServiceDto>> {
    let bad = |e: spoc_domain::ValidationError| {
        ApiError::bad_query(format!("{}: {}", e.field, e.message))
    };
    let from = spoc_http::params::parse_instant("from", &params.from).map_err(bad)?;
    let to = spoc_http::params::parse_instant("to", &params.to).map_err(bad)?;
    let tenant = spoc_http::params::tenant_param(params.tenant_id)?;
    let actor = state.app.report_actor(&actor, tenant).await?;
    let report = state.app.self_service_report(&actor, from, to).await?;
    Ok(Json(SelfServiceDto {
        deflected: report.rate.numerator,
        sessions: report.rate.denominator,
        rate_percent: report.rate.percent(),
        by_article: report
            .by_article
            .into_iter()
            .map(|(article_id, title, deflections)| DeflectionCountDto {
                article_id: article_id.get(),
                title,
                deflections,
            })
            .collect(),
    }))
}
