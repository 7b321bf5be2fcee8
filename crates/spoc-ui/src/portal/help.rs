//! The portal's help articles (`/portal/kb`): search and read what customers may read, "was this
//! helpful", "this solved my problem" (a deflection, counted), and the suggestions panel of the
//! new-ticket form.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, ArticleFilter};

use crate::forms::{UiForm, non_empty};
use crate::i18n::portal::Portal;
use crate::i18n::t;
use crate::knowledge::{article_body, article_id};
use crate::links::encode;
use crate::page::{Area, FieldErrors, Shell, csrf_field, empty_state, text_input};
use crate::session::{UiError, Viewer};
use spoc_http::AppState;
use spoc_http::markdown;

/// The portal's search.
#[derive(Debug, Default, Deserialize)]
pub struct PortalQuery {
    q: Option<String>,
    ok: Option<String>,
    category: Option<String>,
}

/// `GET /portal/kb`.
pub async fn portal_list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<PortalQuery>,
) -> Result<Response, UiError> {
    let q = non_empty(query.q.as_deref()).map(str::to_owned);
    // The portal shows what customers may read, for staff looking at it too.
    let customer_view = spoc_domain::access::Actor {
        role: spoc_domain::user::Role::Customer,
        ..viewer.actor.clone()
    };
    let categories = crate::knowledge::category_options(&state, &viewer).await?;
    let mut errors = FieldErrors::none();
    let category =
        crate::knowledge::category_filter(query.category.as_deref(), &categories, &mut errors);
    let (records, _) = state
        .app
        .list_articles(
            &customer_view,
            ArticleFilter {
                q: q.clone(),
                category,
                limit: Some(50),
                ..ArticleFilter::default()
            },
        )
        .await?;
    let mut category_choices = vec![(String::new(), t(Portal::AllTopics).to_owned())];
    category_choices.extend(categories);
    let body = html! {
        (crate::page::flash(query.ok.as_deref()))
        div class="page-head" { div {
            h1 { (t(Portal::HelpArticles)) }
            p class="muted" { (t(Portal::HelpIntro)) }
        } }
        form class="form-inline panel" method="get" action="/portal/kb" role="search" {
            (text_input("pkb-q", "q", t(Portal::SearchHelp), "search", q.as_deref().unwrap_or(""), false, None, &errors))
            (crate::page::select("pkb-category", "category", t(Portal::Topic), &category_choices, query.category.as_deref().unwrap_or(""), &errors))
            div class="form-actions" { button class="button" type="submit" { (t(Portal::Search)) } }
        }
        @if records.is_empty() {
            (empty_state(t(Portal::NoArticlesFound), t(Portal::NoArticlesHint), Some(("/portal/new", t(Portal::GetHelp)))))
        } @else {
            ul class="article-list stack" {
                @for r in &records {
                    li class="card" { a href={ "/portal/kb/" (r.id) } { strong { bdi { (r.title) } } } " " span class="muted small" { (crate::i18n::words::article_kind(r.kind)) } }
                }
            }
        }
    };
    let shell = Shell::new(t(Portal::HelpArticles), Area::Portal).current("/portal/kb");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

/// The article page's query in the portal: `q` is what the person had typed in a new ticket.
#[derive(Debug, Default, Deserialize)]
pub struct PortalArticleQuery {
    q: Option<String>,
    ok: Option<String>,
}

/// `GET /portal/kb/{id}`: the published version, for anyone who may read it as a customer.
pub async fn portal_view(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<PortalArticleQuery>,
) -> Result<Response, UiError> {
    let id = article_id(&id)?;
    let customer_view = spoc_domain::access::Actor {
        role: spoc_domain::user::Role::Customer,
        ..viewer.actor.clone()
    };
    let view = state.app.get_article(&customer_view, id).await?;
    let q = query.q.unwrap_or_default();
    let body = html! {
        (crate::page::flash(query.ok.as_deref()))
        p class="eyebrow" { a href="/portal/kb" { (t(Portal::HelpArticles)) } " · " (crate::i18n::words::article_kind(view.version.content.kind)) }
        div class="stack" {
        article class="panel article" {
            h1 { bdi { (view.version.content.title) } }
            (article_body(&view))
        }
        // One question, never two: someone who came from describing a problem is asked whether
        // it is solved (which also ends their request without a ticket); someone browsing is
        // asked whether the article helped. After answering, neither shows again on this visit.
        @if !matches!(query.ok.as_deref(), Some("thanks" | "solved")) {
            @if !q.is_empty() {
                section class="panel solved" aria-labelledby="solved-title" {
                    h2 class="panel-title" id="solved-title" { (t(Portal::DidThisSolve)) }
                    div class="cluster" {
                        form method="post" action={ "/portal/kb/" (id) "/solved" } class="inline" {
                            (csrf_field(&viewer))
                            input type="hidden" name="q" value=(q);
                            button class="button button-primary" type="submit" { (t(Portal::YesSolved)) }
                        }
                        a class="button" href={ "/portal/new?title=" (encode(&q)) } { (t(Portal::StillNeedHelp)) }
                    }
                }
            } @else if !view.article.from_provider {
                // The provider's shared article takes no feedback from another tenant.
                section class="panel solved" aria-labelledby="helpful-title" {
                    h2 class="panel-title" id="helpful-title" { (t(Portal::WasHelpful)) }
                    form method="post" action={ "/portal/kb/" (id) "/feedback" } class="cluster feedback" {
                        (csrf_field(&viewer))
                        button class="button button-small" type="submit" name="helpful" value="yes" { (t(Portal::Yes)) }
                        button class="button button-small" type="submit" name="helpful" value="no" { (t(Portal::No)) }
                    }
                    p class="muted small" {
                        @let (before, after) = crate::i18n::around(t(Portal::StillStuck));
                        (before) a href="/portal/new" { (t(Portal::AskServiceDesk)) } (after)
                    }
                }
            }
        }
        }
    };
    let title = view.version.content.title.clone();
    let shell = Shell::new(&title, Area::Portal).current("/portal/kb");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

/// "This solved my problem".
#[derive(Debug, Default, Deserialize)]
pub struct SolvedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    q: String,
}

/// `POST /portal/kb/{id}/solved`: ends the session without a ticket, and counts it.
pub async fn portal_solved(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<SolvedForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let id = article_id(&id)?;
    state.app.deflect(&viewer.actor, id, &form.q).await?;
    Ok(Redirect::to("/portal/kb?ok=solved").into_response())
}

/// A vote.
#[derive(Debug, Default, Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    helpful: String,
}

/// `POST /portal/kb/{id}/feedback`.
pub async fn portal_feedback(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<FeedbackForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let id = article_id(&id)?;
    let helpful = match form.helpful.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(UiError::page(
                StatusCode::BAD_REQUEST,
                t(Portal::PleaseChoose),
                t(Portal::SayWhetherHelpful),
            ));
        }
    };
    let customer_view = spoc_domain::access::Actor {
        role: spoc_domain::user::Role::Customer,
        ..viewer.actor.clone()
    };
    state.app.get_article(&customer_view, id).await?;
    state
        .app
        .article_feedback(&viewer.actor, id, helpful)
        .await?;
    Ok(Redirect::to(&format!("/portal/kb/{id}?ok=thanks")).into_response())
}

/// The suggestions panel of the new-ticket form: server-rendered after "check for answers",
/// filled in by `spoc.js` while the person types. Each suggestion opens the article with what
/// they typed, so "this solved my problem" can be counted against it.
pub async fn portal_suggestions(
    state: &AppState,
    viewer: &Viewer,
    title: &str,
    description: &str,
    checked: bool,
) -> Result<Markup, AppError> {
    let q = format!("{title} {description}");
    let found = if checked {
        state.app.suggest_articles(&viewer.actor, &q, 5).await?
    } else {
        Vec::new()
    };
    let typed: String = title.trim().chars().take(200).collect();
    Ok(html! {
        section class="suggestions panel" id="suggestions" aria-live="polite" aria-labelledby="suggestions-title"
            data-suggest="/api/v1/portal/suggestions" hidden[!checked] {
            h2 class="panel-title" id="suggestions-title" { (t(Portal::SuggestionsTitle)) }
            @if checked && found.is_empty() {
                p class="muted" id="suggestions-none" { (t(Portal::NoSuggestion)) }
            }
            ul class="suggestion-list" id="suggestion-list" {
                @for view in &found {
                    li {
                        a href={ "/portal/kb/" (view.article.id) "?q=" (encode(&typed)) } { bdi { (view.version.content.title) } }
                        p class="muted small" { (markdown::snippet(view.version.content.symptom.as_deref().unwrap_or(&view.version.content.body), 160)) }
                    }
                }
            }
        }
    })
}
