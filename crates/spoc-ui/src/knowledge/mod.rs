//! Knowledge pages for agents: the knowledge base (`/desk/kb`: list and search, an article with
//! its versions, diffs, restore and workflow buttons, the editor) and the self-service report.
//! The portal's help articles and suggestions are `help`.

mod editor;
mod shared;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing;
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use spoc_app::{Article, ArticleFilter, ArticleView};
use spoc_domain::ArticleId;
use spoc_domain::knowledge::{
    ArticleAction, ArticleKind, ArticleStatus, Audience, allowed_article_actions,
};

pub(crate) use crate::document::parse_id;

/// An article id from a path.
pub(crate) fn article_id(value: &str) -> Result<ArticleId, UiError> {
    parse_id(value).map(ArticleId::new)
}
use crate::document::{
    CommentForm, DiffQuery, VersionItem, diff_head, history_list, refusal, restore_button,
    sections_view, version_list, written_by,
};
use crate::forms::{UiForm, non_empty};
use crate::i18n::knowledge::Knowledge;
use crate::i18n::{count, t, tr};
use crate::page::{
    Area, FieldErrors, Shell, csrf_field, empty_state, error_box, field, select, text_input,
};
use crate::session::{UiError, Viewer, sentence};
use crate::timefmt::when;
use spoc_http::AppState;
use spoc_http::markdown;

/// The knowledge base for staff and the self-service report.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk/kb", routing::get(list))
        .route(
            "/desk/kb/new",
            routing::get(editor::new_form).post(editor::create),
        )
        .route("/desk/kb/{id}", routing::get(view))
        .route(
            "/desk/kb/{id}/edit",
            routing::get(editor::edit_form).post(editor::save),
        )
        .route("/desk/kb/{id}/diff", routing::get(diff))
        .route("/desk/kb/{id}/act/{action}", routing::post(act))
        .route("/desk/kb/{id}/restore/{version}", routing::post(restore))
        .route("/desk/reports/self-service", routing::get(self_service))
        .route("/desk/kb/{id}/share", routing::post(shared::share))
}

/// An article as a list shows it.
struct ArticleRow {
    id: i64,
    title: String,
    kind: ArticleKind,
    audience: Audience,
    status: ArticleStatus,
    published_version: Option<i64>,
    latest_version: i64,
    use_count: i64,
    helpful: i64,
    not_helpful: i64,
    updated: String,
    shared: bool,
}

impl From<&Article> for ArticleRow {
    fn from(r: &Article) -> Self {
        Self {
            id: r.id.get(),
            title: r.title.clone(),
            kind: r.kind,
            audience: r.audience,
            status: r.status,
            published_version: r.published_version,
            latest_version: r.latest_version,
            use_count: r.use_count,
            helpful: r.helpful_count,
            not_helpful: r.not_helpful_count,
            updated: when(r.updated_at),
            shared: r.shared,
        }
    }
}

fn status_label(status: ArticleStatus) -> &'static str {
    t(match status {
        ArticleStatus::Draft => Knowledge::StatusDraft,
        ArticleStatus::Review => Knowledge::StatusReview,
        ArticleStatus::Published => Knowledge::StatusPublished,
        ArticleStatus::Retired => Knowledge::StatusRetired,
    })
}

fn status_badge(status: ArticleStatus) -> Markup {
    html! { span class={ "badge badge-kb-" (status.as_str()) } { (status_label(status)) } }
}

pub(crate) fn audience_label(audience: Audience) -> &'static str {
    t(match audience {
        Audience::Agents => Knowledge::AudienceAgents,
        Audience::Customers => Knowledge::AudienceCustomers,
    })
}

fn action_label(action: ArticleAction) -> &'static str {
    t(match action {
        ArticleAction::Submit => Knowledge::ActionSubmit,
        ArticleAction::Publish => Knowledge::ActionPublish,
        ArticleAction::Return => Knowledge::ActionReturn,
        ArticleAction::Retire => Knowledge::ActionRetire,
    })
}

/// The desk's categories as choices (value, label), subcategories as "Parent › Child".
pub async fn category_options(
    state: &AppState,
    viewer: &Viewer,
) -> Result<Vec<(String, String)>, UiError> {
    let all = state.app.list_categories(viewer.actor.tenant_id).await?;
    // The desk's own list (parents, each followed by its children), without its "none" choice:
    // the lists and the editor put their own first.
    Ok(crate::views::category_options(&all, "")
        .into_iter()
        .skip(1)
        .collect())
}

/// The category chosen in a list's filter, if it is one of `options`.
pub fn category_filter(
    value: Option<&str>,
    options: &[(String, String)],
    errors: &mut FieldErrors,
) -> Option<spoc_domain::CategoryId> {
    let value = non_empty(value)?;
    match value.parse::<i64>() {
        Ok(id) if options.iter().any(|(v, _)| v == value) => Some(spoc_domain::CategoryId::new(id)),
        _ => {
            errors.add("category", t(Knowledge::ChooseCategory));
            None
        }
    }
}

/// The body of an article: the Markdown rendered and sanitised.
pub fn article_body(view: &ArticleView) -> Markup {
    content_body(&view.version.content)
}

/// The body of a version's content (also the editor's preview).
pub fn content_body(c: &spoc_domain::knowledge::ArticleContent) -> Markup {
    html! {
        @if c.kind == ArticleKind::KnownError {
            dl class="known-error" {
                @if let Some(s) = &c.symptom { dt { (t(Knowledge::Symptom)) } dd class="entry-body" { (s) } }
                @if let Some(s) = &c.cause { dt { (t(Knowledge::Cause)) } dd class="entry-body" { (s) } }
                @if let Some(s) = &c.workaround { dt { (t(Knowledge::Workaround)) } dd class="entry-body" { (s) } }
            }
        }
        @if !c.body.is_empty() {
            // Rendered by pulldown-cmark and cleaned by ammonia's allowlist; raw HTML in the
            // source was turned into text before rendering.
            div class="article-body" { (PreEscaped(markdown::to_safe_html(&c.body))) }
        }
    }
}

// ----- the knowledge base for agents --------------------------------------------------------

/// The list's filters.
#[derive(Debug, Default, Deserialize)]
pub struct KbQuery {
    q: Option<String>,
    status: Option<String>,
    kind: Option<String>,
    audience: Option<String>,
    category: Option<String>,
    ok: Option<String>,
}

fn options<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), t(Knowledge::Any).to_owned())];
    out.extend(
        all.iter()
            .map(|v| (name(*v).to_owned(), label(*v).to_owned())),
    );
    out
}

/// `GET /desk/kb`.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<KbQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let mut errors = FieldErrors::none();
    let mut filter = ArticleFilter {
        q: non_empty(query.q.as_deref()).map(str::to_owned),
        limit: Some(100),
        ..ArticleFilter::default()
    };
    if let Some(v) = non_empty(query.status.as_deref()) {
        filter.status = ArticleStatus::parse(v)
            .map_err(|_| errors.add("status", t(Knowledge::ChooseStatus)))
            .ok();
    }
    if let Some(v) = non_empty(query.kind.as_deref()) {
        filter.kind = ArticleKind::parse(v)
            .map_err(|_| errors.add("kind", t(Knowledge::ChooseKind)))
            .ok();
    }
    if let Some(v) = non_empty(query.audience.as_deref()) {
        filter.audience = Audience::parse(v)
            .map_err(|_| errors.add("audience", t(Knowledge::ChooseAudience)))
            .ok();
    }
    let categories = category_options(&state, &viewer).await?;
    filter.category = category_filter(query.category.as_deref(), &categories, &mut errors);
    let (records, total) = state.app.list_articles(&viewer.actor, filter).await?;
    let rows: Vec<ArticleRow> = records.iter().map(ArticleRow::from).collect();
    let mut category_choices = vec![(String::new(), t(Knowledge::Any).to_owned())];
    category_choices.extend(categories);
    let body = html! {
        (crate::page::flash(query.ok.as_deref()))
        div class="page-head" {
            div {
                h1 { (t(Knowledge::KbTitle)) }
                p class="muted" { (t(Knowledge::ListIntro)) }
            }
            div class="page-actions" {
                a class="button" href="/desk/reports/self-service" { (t(Knowledge::SelfServiceReport)) }
                a class="button button-primary" href="/desk/kb/new" { (t(Knowledge::NewArticle)) }
            }
        }
        form class="filters form-inline panel" method="get" action="/desk/kb" role="search" {
            (text_input("kb-q", "q", t(Knowledge::Search), "search", query.q.as_deref().unwrap_or(""), false, None, &errors))
            (select("kb-status", "status", t(Knowledge::Status), &options(ArticleStatus::ALL, ArticleStatus::as_str, status_label), query.status.as_deref().unwrap_or(""), &errors))
            (select("kb-kind", "kind", t(Knowledge::Kind), &options(ArticleKind::ALL, ArticleKind::as_str, crate::i18n::words::article_kind), query.kind.as_deref().unwrap_or(""), &errors))
            (select("kb-audience", "audience", t(Knowledge::Audience), &options(Audience::ALL, Audience::as_str, audience_label), query.audience.as_deref().unwrap_or(""), &errors))
            (select("kb-category", "category", t(Knowledge::Category), &category_choices, query.category.as_deref().unwrap_or(""), &errors))
            div class="form-actions" { button class="button" type="submit" { (t(Knowledge::Search)) } }
        }
        @if rows.is_empty() {
            (empty_state(t(Knowledge::NoArticles), t(Knowledge::NoArticlesHint), Some(("/desk/kb/new", t(Knowledge::NewArticle)))))
        } @else {
            p class="result-count muted" { (count(total, Knowledge::ArticleOne, Knowledge::ArticleOther)) }
            div class="table-wrap" {
                table class="data cards-on-phone" {
                    thead { tr {
                        th scope="col" { (t(Knowledge::Title)) } th scope="col" { (t(Knowledge::Kind)) } th scope="col" { (t(Knowledge::Audience)) }
                        th scope="col" { (t(Knowledge::Status)) } th scope="col" class="num" { (t(Knowledge::Used)) } th scope="col" class="num" { (t(Knowledge::Helpful)) }
                        th scope="col" { (t(Knowledge::Changed)) }
                    } }
                    tbody {
                        @for row in &rows {
                            tr {
                                td data-label=(t(Knowledge::Title)) { a href={ "/desk/kb/" (row.id) } { bdi { (row.title) } } }
                                td data-label=(t(Knowledge::Kind)) { (crate::i18n::words::article_kind(row.kind)) }
                                td data-label=(t(Knowledge::Audience)) { (audience_label(row.audience)) }
                                td data-label=(t(Knowledge::Status)) {
                                    (status_badge(row.status))
                                    @if row.shared { " " (shared::shared_badge()) }
                                    @if let Some(p) = row.published_version.filter(|p| *p != row.latest_version) {
                                        " " span class="muted small" { (tr(Knowledge::VersionPublished, &[&p])) }
                                    }
                                }
                                td class="num" data-label=(t(Knowledge::Used)) { (row.use_count) }
                                td class="num" data-label=(t(Knowledge::Helpful)) { (row.helpful) " / " (row.not_helpful) }
                                td class="nowrap" data-label=(t(Knowledge::Changed)) { (row.updated) }
                            }
                        }
                    }
                }
            }
        }
    };
    let shell = Shell::new(t(Knowledge::KbTitle), Area::Desk).current("/desk/kb");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

pub(crate) fn textarea(
    id: &str,
    name: &str,
    label: &str,
    hint: Option<&str>,
    value: &str,
    rows: u32,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    field(
        id,
        label,
        hint,
        error,
        html! {
            textarea id=(id) name=(name) rows=(rows) aria-invalid=[error.map(|_| "true")]
                aria-describedby=[crate::page::described_by(id, hint.is_some(), error.is_some())] { (value) }
        },
    )
}

/// The article page's query.
#[derive(Debug, Default, Deserialize)]
pub struct ArticleQuery {
    ok: Option<String>,
}

/// `GET /desk/kb/{id}`.
pub async fn view(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<ArticleQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    render_article(
        &state,
        &viewer,
        article_id(&id)?,
        query.ok.as_deref(),
        None,
        StatusCode::OK,
    )
    .await
}

async fn render_article(
    state: &AppState,
    viewer: &Viewer,
    id: ArticleId,
    ok: Option<&str>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, UiError> {
    let app = &state.app;
    let view = app.get_article(&viewer.actor, id).await?;
    if view.article.from_provider {
        return Ok(shared::shared_page(viewer, &view, ok));
    }
    // The sharing panel: the provider's own articles, once there is another tenant to share with.
    let sharing =
        viewer.actor.tenant_id == spoc_domain::TenantId::FIRST && app.tenant_count().await? > 1;
    let (versions, log) = app.article_versions(&viewer.actor, id).await?;
    let ids: Vec<spoc_domain::UserId> = versions
        .iter()
        .filter_map(|v| v.author_id)
        .chain(log.iter().filter_map(|l| l.actor_id))
        .collect();
    let names = app.people_names(viewer.actor.tenant_id, ids).await?;
    let name = |id: Option<spoc_domain::UserId>| {
        id.and_then(|i| names.get(&i).cloned())
            // i18n: not text (the product's name)
            .unwrap_or_else(|| "Spoc".to_owned())
    };
    let record = &view.article;
    // The buttons offered are the actions the workflow allows this viewer now.
    let actions: Vec<ArticleAction> = allowed_article_actions(record.status)
        .iter()
        .copied()
        .filter(|a| {
            spoc_domain::knowledge::decide_article(record.status, *a, &viewer.actor).is_ok()
        })
        .collect();
    let base = format!("/desk/kb/{id}");
    let version_items: Vec<VersionItem> = versions
        .iter()
        .map(|v| VersionItem {
            heading: html! { strong { (tr(Knowledge::VersionN, &[&v.version])) } },
            note: v.change_summary.clone(),
            meta: written_by(name(v.author_id), v.created_at),
            actions: html! {
                div class="cluster" {
                    @if v.version > 1 {
                        a class="button button-small button-quiet" href={ (base) "/diff?from=" (v.version - 1) "&to=" (v.version) } { (tr(Knowledge::ChangesFromVersion, &[&(v.version - 1)])) }
                    }
                    @if v.version != record.latest_version && record.status != ArticleStatus::Retired {
                        (restore_button(viewer, &format!("{base}/restore/{}", v.version), t(Knowledge::RestoreAsNew)))
                    }
                }
            },
        })
        .collect();
    let c = &view.version.content;
    let body = html! {
        (crate::page::flash(ok))
        (error_box(error.as_deref()))
        div class="page-head" {
            div {
                p class="eyebrow" { a href="/desk/kb" { (t(Knowledge::KbTitle)) } " · " (crate::i18n::words::article_kind(c.kind)) " · " (audience_label(c.audience)) }
                h1 { bdi { (c.title) } }
                div class="cluster" {
                    (status_badge(record.status))
                    @if record.shared { (shared::shared_badge()) }
                    span class="muted" { (tr(Knowledge::VersionN, &[&record.latest_version])) }
                    @match record.published_version {
                        Some(p) if p == record.latest_version => span class="muted" { (t(Knowledge::ThisVersionPublished)) },
                        Some(p) => span class="muted" { (tr(Knowledge::ReadersSeeVersion, &[&p])) },
                        None => span class="muted" { (t(Knowledge::NotPublishedYet)) },
                    }
                }
            }
            div class="page-actions" {
                @if record.status != ArticleStatus::Retired {
                    a class="button" href={ (base) "/edit" } { (t(Knowledge::Edit)) }
                }
            }
        }
        div class="ticket-layout" {
            div class="stack" {
                article class="panel article" { (article_body(&view)) }
                section class="panel" aria-labelledby="versions-title" {
                    h2 class="panel-title" id="versions-title" { (t(Knowledge::Versions)) }
                    (version_list(&version_items))
                }
            }
            aside class="stack" aria-label=(t(Knowledge::ReviewAndUse)) {
                section class="panel" aria-labelledby="workflow-title" {
                    h2 class="panel-title" id="workflow-title" { (t(Knowledge::Review)) }
                    @if record.status == ArticleStatus::Retired {
                        p class="muted" { (t(Knowledge::RetiredReadOnly)) }
                    } @else if actions.is_empty() {
                        p class="muted" { (t(Knowledge::WaitingForPublish)) }
                    }
                    @for action in &actions {
                        @if *action == ArticleAction::Return {
                            details class="action" {
                                summary class="button button-quiet" { (action_label(*action)) "…" }
                                form method="post" action={ (base) "/act/return" } class="form" {
                                    (csrf_field(viewer))
                                    (textarea("kb-return", "comment", t(Knowledge::WhatMustChange), None, "", 3, &FieldErrors::none()))
                                    div class="form-actions" { button class="button" type="submit" { (t(Knowledge::ActionReturn)) } }
                                }
                            }
                        } @else {
                            form method="post" action={ (base) "/act/" (action.as_str()) } class="inline" {
                                (csrf_field(viewer))
                                button class={ "button " (if *action == ArticleAction::Retire { "button-danger" } else { "button-primary" }) } type="submit" { (action_label(*action)) }
                            }
                        }
                    }
                    p class="hint" { (t(Knowledge::WorkflowHint)) }
                }
                @if sharing {
                    (shared::sharing_panel(viewer, record))
                }
                section class="panel" aria-labelledby="use-title" {
                    h2 class="panel-title" id="use-title" { (t(Knowledge::UseAndFeedback)) }
                    dl class="facts" {
                        dt { (t(Knowledge::UsedToResolve)) } dd { (count(record.use_count, Knowledge::TicketOne, Knowledge::TicketOther)) }
                        dt { (t(Knowledge::Helpful)) } dd { (record.helpful_count) }
                        dt { (t(Knowledge::NotHelpful)) } dd { (record.not_helpful_count) }
                    }
                }
                section class="panel" aria-labelledby="log-title" {
                    h2 class="panel-title" id="log-title" { (t(Knowledge::History)) }
                    (history_list(&log, &name, log_phrase))
                }
            }
        }
    };
    let title = c.title.clone();
    let shell = Shell::new(&title, Area::Desk).current("/desk/kb");
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

fn log_phrase(action: &str) -> &'static str {
    t(match action {
        "created" => Knowledge::LogWrote,
        "edited" => Knowledge::LogSaved,
        "restored" => Knowledge::LogRestored,
        "submit" => Knowledge::LogSubmitted,
        "publish" => Knowledge::LogPublished,
        "return" => Knowledge::LogReturned,
        "retire" => Knowledge::LogRetired,
        "shared" => Knowledge::LogShared,
        "unshared" => Knowledge::LogUnshared,
        _ => Knowledge::LogChanged,
    })
}

/// `POST /desk/kb/{id}/act/{action}`.
pub async fn act(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, action)): Path<(String, String)>,
    UiForm(form): UiForm<CommentForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(form.csrf())?;
    viewer.require_staff()?;
    let id = article_id(&id)?;
    let action = ArticleAction::parse(&action).map_err(|_| UiError::not_found())?;
    match state
        .app
        .article_action(&viewer.actor, id, action, form.comment().map(str::to_owned))
        .await
    {
        Ok(_) => {
            let done = match action {
                ArticleAction::Submit => "submitted",
                ArticleAction::Publish => "published",
                ArticleAction::Return => "returned",
                ArticleAction::Retire => "retired",
            };
            Ok(Redirect::to(&format!("/desk/kb/{id}?ok={done}")).into_response())
        }
        Err(e) => {
            let message = refusal(e)?;
            render_article(
                &state,
                &viewer,
                id,
                None,
                Some(message),
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}

/// `POST /desk/kb/{id}/restore/{version}`.
pub async fn restore(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, version)): Path<(String, String)>,
    UiForm(form): UiForm<CommentForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(form.csrf())?;
    viewer.require_staff()?;
    let id = article_id(&id)?;
    let version = parse_id(&version)?;
    state
        .app
        .restore_article(&viewer.actor, id, version)
        .await?;
    Ok(Redirect::to(&format!("/desk/kb/{id}?ok=restored")).into_response())
}

/// `GET /desk/kb/{id}/diff?from=&to=`.
pub async fn diff(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<DiffQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let id = article_id(&id)?;
    let (from, to) = query.versions()?;
    let sections = state.app.article_diff(&viewer.actor, id, from, to).await?;
    let body = html! {
        (diff_head(&format!("/desk/kb/{id}"), t(Knowledge::BackToArticle), from, to, None))
        (sections_view(&sections))
    };
    let shell = Shell::new(t(Knowledge::Changes), Area::Desk).current("/desk/kb");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

/// The report's period.
#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
    tenant_id: Option<String>,
}

/// `GET /desk/reports/self-service`.
pub async fn self_service(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let tenant =
        crate::report_tenant::ReportTenant::of(&state, &viewer, query.tenant_id.as_deref()).await?;
    let today = jiff::Timestamp::from_microsecond(state.app.now().as_micros())
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
        .unwrap_or_default();
    let from_text = non_empty(query.from.as_deref())
        .map(str::to_owned)
        .unwrap_or_else(|| {
            today
                .checked_sub(jiff::Span::new().days(30))
                .unwrap_or(today)
                .to_string()
        });
    let to_text = non_empty(query.to.as_deref())
        .map(str::to_owned)
        .unwrap_or_else(|| today.tomorrow().unwrap_or(today).to_string());
    let mut errors = FieldErrors::none();
    let from = spoc_http::params::parse_instant("from", &from_text)
        .map_err(|e| errors.add("from", sentence(&e.message)))
        .ok();
    let to = spoc_http::params::parse_instant("to", &to_text)
        .map_err(|e| errors.add("to", sentence(&e.message)))
        .ok();
    let report = match (from, to) {
        (Some(from), Some(to)) => Some(
            state
                .app
                .self_service_report(&tenant.actor, from, to)
                .await?,
        ),
        _ => None,
    };
    let body = html! {
        div class="page-head" { div {
            p class="eyebrow" { a href="/desk/reports" { (t(Knowledge::Reports)) } }
            h1 { (t(Knowledge::SelfServiceResolution)) }
            p class="muted" { (t(Knowledge::ReportIntro)) }
        } }
        form class="filters form-inline panel" method="get" action="/desk/reports/self-service" {
            (text_input("ss-from", "from", t(Knowledge::From), "date", &from_text, true, None, &errors))
            (text_input("ss-to", "to", t(Knowledge::ToExclusive), "date", &to_text, true, None, &errors))
            (tenant.field("ss-tenant"))
            div class="form-actions" { button class="button" type="submit" { (t(Knowledge::Show)) } }
        }
        @if let Some(report) = &report {
            div class="card-grid" {
                div class="card" {
                    p class="eyebrow" { (t(Knowledge::RateTitle)) }
                    p class="count" id="self-service-rate" { @match report.rate.percent() { Some(p) => { (format!("{p:.1} %")) }, None => { "—" } } }
                    p class="muted" { (tr(Knowledge::SessionsEnded, &[&report.rate.numerator, &report.rate.denominator])) }
                }
            }
            @if !report.by_article.is_empty() {
                div class="table-wrap" {
                    table class="data" {
                        thead { tr { th scope="col" { (t(Knowledge::Article)) } th scope="col" class="num" { (t(Knowledge::SessionsItEnded)) } } }
                        tbody { @for (id, title, n) in &report.by_article { tr { td { a href={ "/desk/kb/" (id) } { (title) } } td class="num" { (n) } } } }
                    }
                }
            }
        }
    };
    let shell =
        Shell::new(t(Knowledge::SelfServiceResolution), Area::Desk).current("/desk/reports");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}
