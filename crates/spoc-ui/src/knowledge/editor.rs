//! The article editor: a new article, and a new version of one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, ArticleInput};
use spoc_domain::ArticleId;
use spoc_domain::knowledge::{ArticleContent, ArticleKind, Audience};

use super::{article_id, audience_label, textarea};
use crate::document::save_refusal;
use crate::forms::UiForm;
use crate::i18n::knowledge::Knowledge;
use crate::i18n::t;
use crate::page::{Area, FieldErrors, Shell, csrf_field, select, text_input};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// The editor's fields.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ArticleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    symptom: String,
    #[serde(default)]
    cause: String,
    #[serde(default)]
    workaround: String,
    #[serde(default)]
    change_summary: String,
    #[serde(default)]
    version: Option<i64>,
    /// Set by the Preview button: show the rendering, save nothing.
    #[serde(default)]
    preview: Option<String>,
    #[serde(default)]
    category_id: String,
    /// The categories to choose from (value, label), loaded by the handler.
    #[serde(skip)]
    categories: Vec<(String, String)>,
}

impl ArticleForm {
    fn from_content(c: &ArticleContent, version: i64) -> Self {
        Self {
            kind: c.kind.as_str().to_owned(),
            audience: c.audience.as_str().to_owned(),
            title: c.title.clone(),
            body: c.body.clone(),
            symptom: c.symptom.clone().unwrap_or_default(),
            cause: c.cause.clone().unwrap_or_default(),
            workaround: c.workaround.clone().unwrap_or_default(),
            category_id: c.category_id.map(|c| c.to_string()).unwrap_or_default(),
            version: Some(version),
            ..Self::default()
        }
    }

    /// The form with the desk's categories to choose from.
    async fn with_categories(mut self, state: &AppState, viewer: &Viewer) -> Result<Self, UiError> {
        self.categories = super::category_options(state, viewer).await?;
        Ok(self)
    }

    fn content(&self) -> Result<ArticleContent, FieldErrors> {
        let mut errors = FieldErrors::none();
        let category_id = match self.category_id.trim() {
            "" => None,
            id => match id.parse::<i64>() {
                Ok(id) if id > 0 => Some(spoc_domain::CategoryId::new(id)),
                _ => {
                    errors.add("category_id", t(Knowledge::ChooseCategory));
                    None
                }
            },
        };
        let kind = ArticleKind::parse(&self.kind)
            .map_err(|_| errors.add("kind", t(Knowledge::ChooseArticleKind)))
            .ok();
        let audience = Audience::parse(&self.audience)
            .map_err(|_| errors.add("audience", t(Knowledge::ChooseArticleAudience)))
            .ok();
        let (Some(kind), Some(audience)) = (kind, audience) else {
            return Err(errors);
        };
        // The known-error fields belong to known errors only; for other kinds the editor hides
        // them, and what they held is not kept.
        let known = kind == ArticleKind::KnownError;
        let opt = |v: &'_ str| -> Option<String> {
            Some(v.to_owned()).filter(|v| known && !v.trim().is_empty())
        };
        ArticleContent::parse(
            kind,
            audience,
            &self.title,
            &self.body,
            opt(&self.symptom).as_deref(),
            opt(&self.cause).as_deref(),
            opt(&self.workaround).as_deref(),
            None,
        )
        .map(|content| ArticleContent {
            category_id,
            ..content
        })
        .map_err(|e| FieldErrors::one(e.field, sentence(&e.message)))
        .and_then(|content| {
            if errors.is_empty() {
                Ok(content)
            } else {
                Err(errors)
            }
        })
    }
}

/// The rendering of the form's content as readers will see it, when Preview was pressed and the
/// content is valid.
fn preview(form: &ArticleForm) -> Option<Markup> {
    form.preview.as_ref()?;
    let content = form.content().ok()?;
    Some(html! {
        section class="panel article-preview" id="preview" aria-labelledby="preview-title" {
            p class="eyebrow" id="preview-title" { (t(Knowledge::PreviewNotSaved)) }
            h2 { bdi { (content.title) } }
            (super::content_body(&content))
        }
    })
}

fn editor(
    viewer: &Viewer,
    action: &str,
    form: &ArticleForm,
    errors: &FieldErrors,
    first: bool,
) -> Markup {
    let kinds: Vec<(String, String)> = ArticleKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_owned(),
                crate::i18n::words::article_kind(*k).to_owned(),
            )
        })
        .collect();
    let audiences: Vec<(String, String)> = Audience::ALL
        .iter()
        .map(|a| (a.as_str().to_owned(), audience_label(*a).to_owned()))
        .collect();
    html! {
        @if !errors.is_empty() {
            div class="error-summary" role="alert" {
                h2 { (t(Knowledge::CheckTheArticle)) }
                ul { @for (f, m) in errors.iter() { li { a href={ "#a-" (f) } { (m) } } } }
            }
        }
        @if let Some(rendered) = preview(form) { (rendered) }
        form class="form panel" method="post" action=(action) {
            (csrf_field(viewer))
            @if let Some(v) = form.version { input type="hidden" name="version" value=(v); }
            div class="grid-2" {
                (select("a-kind", "kind", t(Knowledge::Kind), &kinds, &form.kind, errors))
                (select("a-audience", "audience", t(Knowledge::Audience), &audiences, &form.audience, errors))
            }
            (text_input("a-title", "title", t(Knowledge::Title), "text", &form.title, true, None, errors))
            @let categories: Vec<(String, String)> = std::iter::once((String::new(), t(Knowledge::NoCategory).to_owned()))
                .chain(form.categories.iter().cloned())
                .collect();
            (select("a-category_id", "category_id", t(Knowledge::Category), &categories, &form.category_id, errors))
            // Shown for known errors only (spoc.js hides it for other kinds as the kind changes;
            // without script it stays, and its contents are ignored for other kinds).
            fieldset class="known-error-fields" id="known-error-fields" data-for-kind="known_error" {
                legend { (t(Knowledge::KnownError)) }
                (textarea("a-symptom", "symptom", t(Knowledge::Symptom), Some(t(Knowledge::SymptomHint)), &form.symptom, 2, errors))
                (textarea("a-cause", "cause", t(Knowledge::Cause), Some(t(Knowledge::CauseHint)), &form.cause, 2, errors))
                (textarea("a-workaround", "workaround", t(Knowledge::Workaround), Some(t(Knowledge::WorkaroundHint)), &form.workaround, 3, errors))
            }
            (textarea("a-body", "body", t(Knowledge::Article), Some(t(Knowledge::BodyHint)), &form.body, 14, errors))
            (text_input("a-change_summary", "change_summary", t(Knowledge::WhatChanged), "text", &form.change_summary, !first,
                Some(if first { t(Knowledge::OptionalFirst) } else { t(Knowledge::RequiredHistory) }), errors))
            div class="form-actions" {
                button class="button button-primary" type="submit" { (t(Knowledge::SaveDraft)) }
                button class="button" type="submit" name="preview" value="1" formnovalidate { (t(Knowledge::Preview)) }
            }
        }
    }
}

/// `GET /desk/kb/new`.
pub async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let form = ArticleForm {
        kind: "how_to".to_owned(),
        audience: "customers".to_owned(),
        ..ArticleForm::default()
    }
    .with_categories(&state, &viewer)
    .await?;
    Ok(new_page(
        &viewer,
        &form,
        &FieldErrors::none(),
        StatusCode::OK,
    ))
}

fn new_page(
    viewer: &Viewer,
    form: &ArticleForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let body = html! {
        div class="page-head" { div { p class="eyebrow" { a href="/desk/kb" { (t(Knowledge::KbTitle)) } } h1 { (t(Knowledge::NewArticle)) } } }
        (editor(viewer, "/desk/kb/new", form, errors, true))
    };
    let shell = Shell::new(t(Knowledge::NewArticle), Area::Desk).current("/desk/kb");
    (status, Html(shell.render(Some(viewer), body).into_string())).into_response()
}

/// `POST /desk/kb/new`.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<ArticleForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let form = form.with_categories(&state, &viewer).await?;
    let content = match form.content() {
        Ok(c) => c,
        Err(errors) => {
            return Ok(new_page(
                &viewer,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if form.preview.is_some() {
        return Ok(new_page(
            &viewer,
            &form,
            &FieldErrors::none(),
            StatusCode::OK,
        ));
    }
    let input = ArticleInput {
        content,
        change_summary: form.change_summary.clone(),
    };
    match state.app.create_article(&viewer.actor, input).await {
        Ok(record) => Ok(Redirect::to(&format!("/desk/kb/{}?ok=saved", record.id)).into_response()),
        Err(AppError::Validation(e)) => Ok(new_page(
            &viewer,
            &form,
            &FieldErrors::one(e.field, sentence(&e.message)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(e) => Err(e.into()),
    }
}

/// `GET /desk/kb/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let id = article_id(&id)?;
    let view = state.app.get_article(&viewer.actor, id).await?;
    if view.article.from_provider {
        // The provider's shared article is the provider's to edit: here, there is none to edit.
        return Err(UiError::not_found());
    }
    let form = ArticleForm::from_content(&view.version.content, view.article.latest_version)
        .with_categories(&state, &viewer)
        .await?;
    Ok(edit_page(
        &viewer,
        id,
        &form,
        &FieldErrors::none(),
        StatusCode::OK,
    ))
}

fn edit_page(
    viewer: &Viewer,
    id: ArticleId,
    form: &ArticleForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let body = html! {
        div class="page-head" { div {
            p class="eyebrow" { a href={ "/desk/kb/" (id) } { (t(Knowledge::BackToArticle)) } }
            h1 {
                @let (before, after) = crate::i18n::around(t(Knowledge::EditTitle));
                (before) bdi { (form.title) } (after)
            }
            p class="muted" { (t(Knowledge::EditIntro)) }
        } }
        (editor(viewer, &format!("/desk/kb/{id}/edit"), form, errors, false))
    };
    let shell = Shell::new(t(Knowledge::EditArticle), Area::Desk).current("/desk/kb");
    (status, Html(shell.render(Some(viewer), body).into_string())).into_response()
}

/// `POST /desk/kb/{id}/edit`.
pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<ArticleForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let id = article_id(&id)?;
    let form = form.with_categories(&state, &viewer).await?;
    let content = match form.content() {
        Ok(c) => c,
        Err(errors) => {
            return Ok(edit_page(
                &viewer,
                id,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if form.preview.is_some() {
        return Ok(edit_page(
            &viewer,
            id,
            &form,
            &FieldErrors::none(),
            StatusCode::OK,
        ));
    }
    let input = ArticleInput {
        content,
        change_summary: form.change_summary.clone(),
    };
    match state
        .app
        .edit_article(&viewer.actor, id, form.version, input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/desk/kb/{id}?ok=saved")).into_response()),
        Err(e) => {
            let (errors, status) = save_refusal(e, "title", Some(t(Knowledge::ConflictAdvice)))?;
            Ok(edit_page(&viewer, id, &form, &errors, status))
        }
    }
}
