//! Logging a call for a caller: checking their open tickets first, registering a new caller.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use spoc_app::{AppError, NewTicketInput, TicketFilter, TicketSort};
use spoc_domain::priority::{Impact, Urgency};
use spoc_domain::text::{Body, Email, Name, Title};
use spoc_domain::ticket::{Channel, Status, Ticket, TicketKind};
use spoc_domain::{CategoryId, OrganizationId, ServiceId, UserId};

use crate::desk::editor::level_options;
use crate::forms::FieldMap;
use crate::forms::{UiForm, optional_id};
use crate::i18n::desk::Desk;
use crate::i18n::tr_markup;
use crate::i18n::{t, tr};
use crate::page::{
    Area, FieldErrors, Shell, csrf_field, empty_state, error_box, flash, select, text_input,
};
use crate::session::{UiError, Viewer, sentence, stale_form};
use crate::views::category_options;
use crate::views::{Lookup, TicketRow, tickets_table};
use spoc_http::AppState;

/// The query of `GET /desk/new`.
#[derive(Debug, Default, Deserialize)]
pub struct NewCallQuery {
    /// Words to find the caller by.
    caller: Option<String>,
    /// The chosen caller.
    caller_id: Option<String>,
    ok: Option<String>,
}

/// The ticket form of a call, as submitted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewCallForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    caller_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    impact: String,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    service: String,
}

/// A new caller, as submitted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CallerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    organization: String,
}

/// `GET /desk/new`.
pub async fn new_call(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<NewCallQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let caller_id = optional_id(query.caller_id.as_deref())
        .ok()
        .flatten()
        .map(UserId::new);
    let form = NewCallForm {
        caller_id: caller_id.map(|c| c.to_string()).unwrap_or_default(),
        kind: "incident".to_owned(),
        impact: "low".to_owned(),
        urgency: "medium".to_owned(),
        ..NewCallForm::default()
    };
    render_new_call(
        &state,
        &viewer,
        query.caller.as_deref(),
        caller_id,
        &form,
        &FieldErrors::none(),
        &CallerForm::default(),
        &FieldErrors::none(),
        query.ok.as_deref(),
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn render_new_call(
    state: &AppState,
    viewer: &Viewer,
    search: Option<&str>,
    caller_id: Option<UserId>,
    form: &NewCallForm,
    errors: &FieldErrors,
    caller_form: &CallerForm,
    caller_errors: &FieldErrors,
    ok: Option<&str>,
    status: StatusCode,
) -> Result<Response, UiError> {
    let app = &state.app;
    let search = search.map(str::trim).filter(|s| !s.is_empty());
    let matches = match search {
        Some(text) => app.list_users(&viewer.actor, Some(text), 20).await?,
        None => Vec::new(),
    };
    let caller = match caller_id {
        Some(id) => match app.get_user(&viewer.actor, id).await {
            Ok(user) => Some(user),
            Err(AppError::NotFound { .. }) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let organizations = app.list_organizations(&viewer.actor).await?;
    let org_name = |id: Option<OrganizationId>| {
        id.and_then(|id| organizations.iter().find(|o| o.id == id))
            .map(|o| o.name.clone())
    };
    let open_tickets = match &caller {
        Some(user) => {
            let filter = TicketFilter {
                requester_id: Some(user.id),
                statuses: Status::ALL
                    .iter()
                    .copied()
                    .filter(|s| s.is_open())
                    .collect(),
                limit: 20,
                sort: TicketSort::UpdatedDesc,
                ..TicketFilter::default()
            };
            app.list_tickets(&viewer.actor, filter).await?.tickets
        }
        None => Vec::new(),
    };
    let refs: Vec<&Ticket> = open_tickets.iter().collect();
    let lookup = Lookup::load(app, &viewer.actor, &refs, &[]).await?;
    let now = state.app.now();
    let rows: Vec<TicketRow> = open_tickets
        .iter()
        .map(|t| TicketRow::new(t, &lookup, now, "/desk/tickets"))
        .collect();
    let categories = app.list_categories(viewer.actor.tenant_id).await?;
    let services = app.list_services(viewer.actor.tenant_id).await?;
    let org_options: Vec<(String, String)> =
        std::iter::once((String::new(), t(Desk::CallOrgNone).to_owned()))
            .chain(
                organizations
                    .iter()
                    .map(|o| (o.id.to_string(), o.name.clone())),
            )
            .collect();
    let service_options: Vec<(String, String)> =
        std::iter::once((String::new(), t(Desk::CallServiceNotKnown).to_owned()))
            .chain(services.iter().map(|s| (s.id.to_string(), s.name.clone())))
            .collect();
    let kind_options = vec![
        ("incident".to_owned(), t(Desk::CallKindIncident).to_owned()),
        (
            "service_request".to_owned(),
            t(Desk::CallKindRequest).to_owned(),
        ),
    ];
    let body = html! {
        div class="page-head" { div { h1 { (t(Desk::CallTitle)) } p class="muted" { (t(Desk::CallIntro)) } } }
        (flash(ok))
        div class="grid-2 align-start" {
            section class="panel stack" aria-labelledby="caller-title" {
                h2 class="panel-title" id="caller-title" { (t(Desk::CallWho)) }
                form class="form form-inline" method="get" action="/desk/new" role="search" {
                    div class="field" {
                        label for="caller" { (t(Desk::CallNameOrEmail)) }
                        input id="caller" name="caller" type="search" value=(search.unwrap_or("")) autofocus[caller.is_none()];
                    }
                    div class="form-actions" { button class="button" type="submit" { (t(Desk::CallFind)) } }
                }
                @if let Some(text) = search {
                    @if matches.is_empty() {
                        p class="muted" { (tr(Desk::CallNobodyMatches, &[&text])) }
                    } @else {
                        ul class="pick-list" {
                            @for user in &matches {
                                li {
                                    a href={ "/desk/new?caller_id=" (user.id) } {
                                        strong { bdi { (user.name) } } " "
                                        span class="muted" { (user.email) }
                                        @if let Some(org) = org_name(user.organization_id) { " · " span class="muted" { (org) } }
                                        @if !user.active { " " span class="badge badge-status-cancelled" { (t(Desk::CallDeactivated)) } }
                                    }
                                }
                            }
                        }
                    }
                }
                details class="action" open[!caller_errors.is_empty()] {
                    summary class="button button-quiet" { (t(Desk::CallRegisterNew)) }
                    form class="form" method="post" action="/desk/callers" {
                        (csrf_field(viewer))
                        (error_box(caller_errors.get("form")))
                        (text_input("c-name", "name", t(Desk::FieldName), "text", &caller_form.name, true, None, caller_errors))
                        (text_input("c-email", "email", t(Desk::FieldEmail), "email", &caller_form.email, true, None, caller_errors))
                        (select("c-org", "organization", t(Desk::FieldOrganisation), &org_options, &caller_form.organization, caller_errors))
                        div class="form-actions" { button class="button" type="submit" { (t(Desk::CallRegister)) } }
                    }
                }
            }
            @if let Some(user) = &caller {
                section class="panel stack" aria-labelledby="open-title" {
                    h2 class="panel-title" id="open-title" { (tr_markup(Desk::CallOpenTicketsOf, &[html! { bdi { (user.name) } }])) }
                    p class="muted small" { (user.email) @if let Some(org) = org_name(user.organization_id) { " · " (org) } }
                    @if rows.is_empty() {
                        p class="muted" { (t(Desk::CallNoOpen)) }
                    } @else {
                        p { (t(Desk::CallOneOfThese)) }
                        (tickets_table(&rows))
                    }
                }
            }
        }
        @if let Some(user) = &caller {
            section class="panel" aria-labelledby="log-title" {
                h2 class="panel-title" id="log-title" { (tr_markup(Desk::CallLogNewFor, &[html! { bdi { (user.name) } }])) }
                form class="form" method="post" action="/desk/new" {
                    (csrf_field(viewer))
                    input type="hidden" name="caller_id" value=(user.id);
                    (error_box(errors.get("form")))
                    (select("n-kind", "kind", t(Desk::FieldKind), &kind_options, &form.kind, errors))
                    (text_input("n-title", "title", t(Desk::FieldTitle), "text", &form.title, true, Some(t(Desk::CallTitleHint)), errors))
                    @let derr = errors.get("description");
                    (crate::page::field("n-description", t(Desk::FieldDescription), Some(t(Desk::CallDescriptionHint)), derr, html! {
                        textarea id="n-description" name="description" rows="6" required
                            aria-invalid=[derr.map(|_| "true")] aria-describedby="n-description-hint" { (form.description) }
                    }))
                    div class="grid-2" {
                        (select("n-impact", "impact", t(Desk::CallImpact), &level_options(), &form.impact, errors))
                        (select("n-urgency", "urgency", t(Desk::CallUrgency), &level_options(), &form.urgency, errors))
                    }
                    div class="grid-2" {
                        (select("n-category", "category", t(Desk::FieldCategory), &category_options(&categories, t(Desk::CallCategoryNotYet)), &form.category, errors))
                        (select("n-service", "service", t(Desk::FieldService), &service_options, &form.service, errors))
                    }
                    div class="form-actions" { button class="button button-primary" type="submit" { (t(Desk::CallLogTicket)) } }
                }
            }
        } @else if search.is_none() {
            (empty_state(t(Desk::CallStartTitle), t(Desk::CallStartText), None))
        }
    };
    let shell = Shell::new(t(Desk::CallTitle), Area::Desk).current("/desk/new");
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

/// How the call form names the fields of the app's errors.
const CALL_FIELDS: FieldMap = FieldMap::new(&[
    ("category_id", "category"),
    ("service_id", "service"),
    ("requester_id", "form"),
    ("body", "description"),
    ("organization_id", "organization"),
]);

/// `POST /desk/new`.
pub async fn new_call_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<NewCallForm>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let caller_id = optional_id(Some(&form.caller_id))
        .ok()
        .flatten()
        .map(UserId::new);
    if !viewer.csrf_matches(&form.csrf) {
        return render_new_call(
            &state,
            &viewer,
            None,
            caller_id,
            &form,
            &FieldErrors::one("form", stale_form()),
            &CallerForm::default(),
            &FieldErrors::none(),
            None,
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let Some(caller) = caller_id else {
        return Ok(Redirect::to("/desk/new").into_response());
    };
    let mut errors = FieldErrors::none();
    let kind = TicketKind::parse(&form.kind)
        .map_err(|_| errors.add("kind", t(Desk::CallChooseKind)))
        .ok();
    let title = Title::parse_as("title", &form.title)
        .map_err(|e| errors.add("title", sentence(&e.message)))
        .ok();
    let description = Body::parse_as("description", &form.description)
        .map_err(|e| errors.add("description", sentence(&e.message)))
        .ok();
    let impact = Impact::parse(&form.impact)
        .map_err(|_| errors.add("impact", t(Desk::ChooseImpact)))
        .ok();
    let urgency = Urgency::parse(&form.urgency)
        .map_err(|_| errors.add("urgency", t(Desk::ChooseUrgency)))
        .ok();
    let category = optional_id(Some(&form.category))
        .map_err(|()| errors.add("category", t(Desk::ChooseCategory)))
        .ok()
        .flatten();
    let service = optional_id(Some(&form.service))
        .map_err(|()| errors.add("service", t(Desk::ChooseService)))
        .ok()
        .flatten();
    if let (Some(kind), Some(title), Some(description), Some(impact), Some(urgency)) =
        (kind, title, description, impact, urgency)
    {
        let input = NewTicketInput {
            kind,
            title,
            description,
            impact,
            urgency,
            category_id: category.map(CategoryId::new),
            service_id: service.map(ServiceId::new),
            requester_id: Some(caller),
            channel: Channel::Phone,
        };
        match state.app.create_ticket(&viewer.actor, input).await {
            Ok(ticket) => {
                return Ok(
                    Redirect::to(&format!("/desk/tickets/{}?ok=created", ticket.id))
                        .into_response(),
                );
            }
            Err(e @ AppError::Validation(_)) => errors.add_app_error(e, &CALL_FIELDS)?,
            Err(AppError::RateLimited { message, .. }) => {
                return render_new_call(
                    &state,
                    &viewer,
                    None,
                    Some(caller),
                    &form,
                    &FieldErrors::one("form", sentence(&message)),
                    &CallerForm::default(),
                    &FieldErrors::none(),
                    None,
                    StatusCode::TOO_MANY_REQUESTS,
                )
                .await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_new_call(
        &state,
        &viewer,
        None,
        Some(caller),
        &form,
        &errors,
        &CallerForm::default(),
        &FieldErrors::none(),
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// `POST /desk/callers`.
pub async fn register_caller(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<CallerForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let mut errors = FieldErrors::none();
    let name = Name::parse_as("name", &form.name)
        .map_err(|e| errors.add("name", sentence(&e.message)))
        .ok();
    let email = Email::parse(&form.email)
        .map_err(|e| errors.add("email", sentence(&e.message)))
        .ok();
    let organization = optional_id(Some(&form.organization))
        .map_err(|()| errors.add("organization", t(Desk::ChooseOrganisation)))
        .ok()
        .flatten();
    if let (Some(name), Some(email)) = (name, email) {
        match state
            .app
            .register_caller(
                &viewer.actor,
                name,
                email,
                organization.map(OrganizationId::new),
            )
            .await
        {
            Ok(user) => {
                return Ok(
                    Redirect::to(&format!("/desk/new?caller_id={}&ok=caller", user.id))
                        .into_response(),
                );
            }
            Err(e) => errors.add_app_error(
                e,
                &CALL_FIELDS.duplicate("email", t(Desk::CallDuplicateEmail)),
            )?,
        }
    }
    render_new_call(
        &state,
        &viewer,
        None,
        None,
        &NewCallForm::default(),
        &FieldErrors::none(),
        &form,
        &errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
