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

use crate::page::{Area, FieldErrors, Shell, csrf_field, field};
use crate::session::{STALE_FORM, UiError, Viewer, sentence};
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

const AFFECTED: [(&str, &str, &str); 3] = [
    ("me", "Just me", "Only my own work is affected."),
    (
        "some",
        "Several people",
        "My team or a few colleagues are affected.",
    ),
    (
        "many",
        "Many people",
        "A whole department, a site or everyone.",
    ),
];

const WHEN: [(&str, &str, &str); 3] = [
    (
        "blocking",
        "Now — I cannot work",
        "It stops work that cannot wait.",
    ),
    (
        "soon",
        "Today or tomorrow",
        "It slows me down but I can carry on for now.",
    ),
    ("whenever", "No rush", "It can wait a few days."),
];

fn choices(
    name: &str,
    legend: &str,
    options: &[(&str, &str, &str)],
    selected: &str,
    error: Option<&str>,
) -> Markup {
    html! {
        fieldset.field.choices.has-error[error.is_some()] aria-describedby=[error.map(|_| format!("{name}-error"))] {
            legend { (legend) }
            @for (value, label, hint) in options {
                label class="choice" {
                    input type="radio" name=(name) value=(value) checked[*value == selected] required;
                    span class="choice-text" { strong { (label) } span class="hint" { (hint) } }
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
                h1 { "Get help" }
                p class="muted" { "Tell the service desk what is wrong or what you need. You get a reference number at once." }
            }
        }
        @if !errors.is_empty() {
            div class="error-summary" role="alert" {
                h2 { "Please check the form" }
                ul { @for (field, message) in errors.iter() { li { a href={ "#" (field) } { (message) } } } }
            }
        }
        form class="form panel composer" method="post" action="/portal/new" enctype="multipart/form-data" {
            (csrf_field(viewer))
            (choices("kind", "What do you need?", &[
                ("incident", "Something is broken", "An error, an outage, something that used to work."),
                ("service_request", "I need something", "Access, equipment, software, information."),
            ], &form.kind, errors.get("kind")))
            (field("title", "In one line", Some("For example: “Cannot print on the 3rd floor printer”."), title_error, html! {
                input id="title" name="title" type="text" value=(form.title) required maxlength="200"
                    aria-invalid=[title_error.map(|_| "true")]
                    aria-describedby=(if title_error.is_some() { "title-hint title-error" } else { "title-hint" });
            }))
            (field("description", "Details", Some("What happened, what you were doing, what you tried. Error messages help."), description_error, html! {
                textarea id="description" name="description" rows="7" required
                    aria-invalid=[description_error.map(|_| "true")]
                    aria-describedby=(if description_error.is_some() { "description-hint description-error" } else { "description-hint" }) { (form.description) }
            }))
            (crate::composer::file_field("files", "Attach files or screenshots", errors.get("files")))
            (choices("affected", "How many people are affected?", &AFFECTED, &form.affected, errors.get("affected")))
            (choices("when", "How soon do you need it?", &WHEN, &form.when, errors.get("when")))
            (suggestions)
            div class="form-actions" {
                button class="button button-primary" type="submit" { "Send to the service desk" }
                button class="button" type="submit" name="check" value="1" formnovalidate { "Check for answers first" }
            }
        }
    };
    Shell::new("Get help", Area::Portal)
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
        let errors = FieldErrors::one("form", STALE_FORM);
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
        .map_err(|_| {
            errors.add(
                "kind",
                "Choose whether something is broken or you need something.",
            )
        })
        .ok();
    let title = Title::parse_as("title", &form.title)
        .map_err(|e| {
            errors.add(
                "title",
                if form.title.trim().is_empty() {
                    "Write a one-line summary.".to_owned()
                } else {
                    sentence(&format!("the summary {}", e.message))
                },
            )
        })
        .ok();
    let description = Body::parse_as("description", &form.description)
        .map_err(|e| {
            errors.add(
                "description",
                if form.description.trim().is_empty() {
                    "Describe what happened or what you need.".to_owned()
                } else {
                    sentence(&format!("the details {}", e.message))
                },
            )
        })
        .ok();
    let impact = match form.affected.as_str() {
        "me" => Some(Impact::Low),
        "some" => Some(Impact::Medium),
        "many" => Some(Impact::High),
        _ => {
            errors.add("affected", "Choose how many people are affected.");
            None
        }
    };
    let urgency = match form.when.as_str() {
        "blocking" => Some(Urgency::High),
        "soon" => Some(Urgency::Medium),
        "whenever" => Some(Urgency::Low),
        _ => {
            errors.add("when", "Choose how soon you need it.");
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
