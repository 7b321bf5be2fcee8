//! The portal's "Get help" form: an incident or a request asked in plain language, with files
//! (dropped, pasted or chosen), and the help articles that might answer it first.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, NewTicketInput};
use spoc_domain::priority::{Impact, Urgency};
use spoc_domain::text::{Body, Title};
use spoc_domain::ticket::{Channel, TicketKind};

use crate::i18n::portal::Portal;
use crate::i18n::{Msg, t, tr};
use crate::page::{Area, FieldErrors, Shell, csrf_field, field};
use crate::session::{UiError, Viewer, sentence};
use crate::upload::UiUpload;
use spoc_http::AppState;

/// The new-ticket form, as submitted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    /// How many people are affected: `me`, `some`, `many`.
    #[serde(default)]
    affected: String,
    /// How soon: `blocking`, `soon`, `whenever`.
    #[serde(default)]
    when: String,
    /// "Check for answers first": show matching help articles instead of sending.
    #[serde(default)]
    check: Option<String>,
}

impl NewForm {
    /// The form's text fields from a body that may carry files.
    fn of(data: &spoc_http::multipart::FormData) -> Self {
        let text = |name: &str| data.text(name).unwrap_or("").to_owned();
        Self {
            csrf: text("csrf"),
            kind: text("kind"),
            title: text("title"),
            description: text("description"),
            affected: text("affected"),
            when: text("when"),
            check: data.text("check").map(str::to_owned),
        }
    }
}

/// The new-ticket form's query: a summary carried over from a help article.
#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    title: Option<String>,
}

/// A choice: its value, label and hint.
type Choice = (&'static str, Portal, Portal);

const KINDS: [Choice; 2] = [
    ("incident", Portal::KindBroken, Portal::KindBrokenHint),
    ("service_request", Portal::KindNeed, Portal::KindNeedHint),
];

const AFFECTED: [Choice; 3] = [
    ("me", Portal::AffectedMe, Portal::AffectedMeHint),
    ("some", Portal::AffectedSome, Portal::AffectedSomeHint),
    ("many", Portal::AffectedMany, Portal::AffectedManyHint),
];

const WHEN: [Choice; 3] = [
    ("blocking", Portal::WhenBlocking, Portal::WhenBlockingHint),
    ("soon", Portal::WhenSoon, Portal::WhenSoonHint),
    ("whenever", Portal::WhenWhenever, Portal::WhenWheneverHint),
];

fn choices(
    name: &str,
    legend: &str,
    options: &[Choice],
    selected: &str,
    error: Option<&str>,
) -> Markup {
    html! {
        fieldset.field.choices.has-error[error.is_some()] aria-describedby=[error.map(|_| format!("{name}-error"))] {
            legend { (legend) }
            @for (value, label, hint) in options {
                label class="choice" {
                    input type="radio" name=(name) value=(value) checked[*value == selected] required;
                    span class="choice-text" { strong { (t(*label)) } span class="hint" { (t(*hint)) } }
                }
            }
            @if let Some(error) = error { p class="field-error" id={ (name) "-error" } { (error) } }
        }
    }
}

fn new_page(viewer: &Viewer, form: &NewForm, errors: &FieldErrors, suggestions: Markup) -> Markup {
    let title_error = errors.get("title");
    let description_error = errors.get("description");
    let body = html! {
        div class="page-head" {
            div {
                h1 { (t(Portal::GetHelp)) }
                p class="muted" { (t(Portal::NewIntro)) }
            }
        }
        @if !errors.is_empty() {
            div class="error-summary" role="alert" {
                h2 { (t(Portal::CheckTheForm)) }
                ul { @for (field, message) in errors.iter() { li { a href={ "#" (field) } { (message) } } } }
            }
        }
        form class="form panel composer" method="post" action="/portal/new" enctype="multipart/form-data" {
            (csrf_field(viewer))
            (choices("kind", t(Portal::WhatDoYouNeed), &KINDS, &form.kind, errors.get("kind")))
            (field("title", t(Portal::InOneLine), Some(t(Portal::InOneLineHint)), title_error, html! {
                input id="title" name="title" type="text" value=(form.title) required maxlength="200"
                    aria-invalid=[title_error.map(|_| "true")]
                    // i18n: not text (element ids)
                    aria-describedby=(if title_error.is_some() { "title-hint title-error" } else { "title-hint" });
            }))
            (field("description", t(Portal::Details), Some(t(Portal::DetailsHint)), description_error, html! {
                textarea id="description" name="description" rows="7" required
                    aria-invalid=[description_error.map(|_| "true")]
                    // i18n: not text (element ids)
                    aria-describedby=(if description_error.is_some() { "description-hint description-error" } else { "description-hint" }) { (form.description) }
            }))
            (crate::composer::file_field("files", t(Portal::AttachFiles), errors.get("files")))
            (choices("affected", t(Portal::HowManyAffected), &AFFECTED, &form.affected, errors.get("affected")))
            (choices("when", t(Portal::HowSoon), &WHEN, &form.when, errors.get("when")))
            (suggestions)
            div class="form-actions" {
                button class="button button-primary" type="submit" { (t(Portal::SendToDesk)) }
                button class="button" type="submit" name="check" value="1" formnovalidate { (t(Portal::CheckAnswersFirst)) }
            }
        }
    };
    Shell::new(t(Portal::GetHelp), Area::Portal)
        .current("/portal/new")
        .render(Some(viewer), body)
}

/// `GET /portal/new`.
pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<NewQuery>,
) -> Result<Response, UiError> {
    let form = NewForm {
        kind: "incident".to_owned(),
        affected: "me".to_owned(),
        when: "soon".to_owned(),
        title: query.title.unwrap_or_default().chars().take(200).collect(),
        ..NewForm::default()
    };
    let suggestions =
        crate::portal::help::portal_suggestions(&state, &viewer, "", "", false).await?;
    Ok(
        Html(new_page(&viewer, &form, &FieldErrors::none(), suggestions).into_string())
            .into_response(),
    )
}

/// `POST /portal/new`.
pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    UiUpload(data): UiUpload,
) -> Result<Response, UiError> {
    let form = NewForm::of(&data);
    if !viewer.csrf_matches(&form.csrf) {
        let suggestions =
            crate::portal::help::portal_suggestions(&state, &viewer, "", "", false).await?;
        let errors = FieldErrors::one("form", t(Msg::FormExpired));
        return Ok((
            StatusCode::FORBIDDEN,
            Html(new_page(&viewer, &form, &errors, suggestions).into_string()),
        )
            .into_response());
    }
    if form.check.is_some() {
        // Check for answers: the form comes back with matching help articles, nothing is sent.
        let suggestions = crate::portal::help::portal_suggestions(
            &state,
            &viewer,
            &form.title,
            &form.description,
            true,
        )
        .await?;
        return Ok(
            Html(new_page(&viewer, &form, &FieldErrors::none(), suggestions).into_string())
                .into_response(),
        );
    }
    let mut errors = FieldErrors::none();
    let kind = TicketKind::parse(&form.kind)
        .map_err(|_| errors.add("kind", t(Portal::ChooseKind)))
        .ok();
    let title = Title::parse_as("title", &form.title)
        .map_err(|e| {
            errors.add(
                "title",
                if form.title.trim().is_empty() {
                    t(Portal::WriteSummary).to_owned()
                } else {
                    sentence(&tr(Portal::SummaryProblem, &[&e.message]))
                },
            )
        })
        .ok();
    let description = Body::parse_as("description", &form.description)
        .map_err(|e| {
            errors.add(
                "description",
                if form.description.trim().is_empty() {
                    t(Portal::DescribeWhat).to_owned()
                } else {
                    sentence(&tr(Portal::DetailsProblem, &[&e.message]))
                },
            )
        })
        .ok();
    let impact = match form.affected.as_str() {
        "me" => Some(Impact::Low),
        "some" => Some(Impact::Medium),
        "many" => Some(Impact::High),
        _ => {
            errors.add("affected", t(Portal::ChooseAffected));
            None
        }
    };
    let urgency = match form.when.as_str() {
        "blocking" => Some(Urgency::High),
        "soon" => Some(Urgency::Medium),
        "whenever" => Some(Urgency::Low),
        _ => {
            errors.add("when", t(Portal::ChooseWhen));
            None
        }
    };
    if let (Some(kind), Some(title), Some(description), Some(impact), Some(urgency)) =
        (kind, title, description, impact, urgency)
    {
        let input = NewTicketInput {
            kind,
            title,
            description,
            impact,
            urgency,
            category_id: None,
            service_id: None,
            requester_id: None,
            channel: Channel::Portal,
        };
        let files = crate::upload::uploads(&data, "files");
        match state
            .app
            .create_ticket_with_files(&viewer.actor, input, files)
            .await
        {
            Ok(ticket) => {
                return Ok(
                    Redirect::to(&format!("/portal/tickets/{}?ok=created", ticket.id))
                        .into_response(),
                );
            }
            Err(AppError::Validation(e)) if e.field == "files" => errors.add("files", e.message),
            Err(AppError::Validation(e)) => errors.add("title", sentence(&e.message)),
            Err(AppError::RateLimited { message, .. }) => {
                let suggestions =
                    crate::portal::help::portal_suggestions(&state, &viewer, "", "", false).await?;
                let errors = FieldErrors::one("form", sentence(&message));
                return Ok((
                    StatusCode::TOO_MANY_REQUESTS,
                    Html(new_page(&viewer, &form, &errors, suggestions).into_string()),
                )
                    .into_response());
            }
            Err(e) => return Err(e.into()),
        }
    }
    let suggestions =
        crate::portal::help::portal_suggestions(&state, &viewer, "", "", false).await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        Html(new_page(&viewer, &form, &errors, suggestions).into_string()),
    )
        .into_response())
}
