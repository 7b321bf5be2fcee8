//! SLA policies: conditions, targets per priority, pauses, warning, breach actions.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use spoc_app::{Policy, PolicyInput};
use spoc_domain::priority::Priority;
use spoc_domain::sla::{BreachActions, PolicyConditions, PolicyTerms, PriorityMinutes};
use spoc_domain::text::Name;
use spoc_domain::ticket::{PendingReason, TicketKind};
use spoc_domain::{CalendarId, GroupId, PolicyId, ServiceId};

use crate::admin::frame::{Showing, admin_post, page, parse_path_id, require_admin};
use crate::admin::sla::overview::Pairs;
use crate::admin::sla::overview::value;
use crate::admin::sla::overview::values;
use crate::forms::FieldMap;
use crate::forms::UiForm;
use crate::page::{
    FieldErrors, checkbox, csrf_field, error_box, pending_label, select, text_input,
};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// How the policy form names the fields of the app's errors.
const POLICY_FIELDS: FieldMap =
    FieldMap::new(&[("targets", "resolution")]).duplicate("name", "That name is already taken.");

const TARGETS: [(&str, &str); 3] = [
    ("first_response", "First response"),
    ("resolution", "Resolution"),
    ("next_response", "Next response (optional)"),
];

struct PolicyForm {
    name: String,
    position: String,
    is_default: bool,
    calendar_id: String,
    minutes: [[String; 5]; 3],
    kinds: Vec<String>,
    priorities: Vec<String>,
    services: Vec<String>,
    pause_on: Vec<String>,
    warning_percent: String,
    notify_lead: bool,
    raise_priority: bool,
    escalate_to_group: String,
}

impl PolicyForm {
    fn of(p: &Policy) -> Self {
        let mins = |m: &PriorityMinutes| m.0.map(|v| v.to_string());
        Self {
            name: p.name.clone(),
            position: p.position.to_string(),
            is_default: p.is_default,
            calendar_id: p.calendar_id.to_string(),
            minutes: [
                mins(&p.terms.first_response),
                mins(&p.terms.resolution),
                p.terms
                    .next_response
                    .as_ref()
                    .map_or_else(Default::default, mins),
            ],
            kinds: p
                .terms
                .conditions
                .kinds
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
            priorities: p
                .terms
                .conditions
                .priorities
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
            services: p
                .terms
                .conditions
                .service_ids
                .iter()
                .map(|s| s.to_string())
                .collect(),
            pause_on: p
                .terms
                .pause_on
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
            warning_percent: p.terms.warning_percent.to_string(),
            notify_lead: p.terms.on_breach.notify_lead,
            raise_priority: p.terms.on_breach.raise_priority,
            escalate_to_group: p
                .terms
                .on_breach
                .escalate_to_group
                .map(|g| g.to_string())
                .unwrap_or_default(),
        }
    }

    fn from_pairs(pairs: &Pairs) -> Self {
        let list = |name: &str| values(pairs, name).map(str::to_owned).collect::<Vec<_>>();
        Self {
            name: value(pairs, "name").to_owned(),
            position: value(pairs, "position").to_owned(),
            is_default: !value(pairs, "is_default").is_empty(),
            calendar_id: value(pairs, "calendar_id").to_owned(),
            minutes: std::array::from_fn(|t| {
                std::array::from_fn(|p| {
                    value(pairs, &format!("{}_{}", TARGETS[t].0, p + 1)).to_owned()
                })
            }),
            kinds: list("kind"),
            priorities: list("priority"),
            services: list("service"),
            pause_on: list("pause_on"),
            warning_percent: value(pairs, "warning_percent").to_owned(),
            notify_lead: !value(pairs, "notify_lead").is_empty(),
            raise_priority: !value(pairs, "raise_priority").is_empty(),
            escalate_to_group: value(pairs, "escalate_to_group").to_owned(),
        }
    }

    /// The policy input, or field errors.
    fn input(&self, errors: &mut FieldErrors) -> Option<(Name, PolicyInput)> {
        let name = Name::parse_as("name", &self.name)
            .map_err(|e| errors.add("name", sentence(&e.message)))
            .ok();
        let position = self
            .position
            .trim()
            .parse::<i64>()
            .map_err(|_| {
                errors.add(
                    "position",
                    "Give a whole number; lower numbers are tried first.",
                )
            })
            .ok();
        let calendar_id = self
            .calendar_id
            .parse::<i64>()
            .map_err(|_| errors.add("calendar_id", "Choose a calendar."))
            .ok();
        let warning = self
            .warning_percent
            .trim()
            .parse::<u8>()
            .map_err(|_| errors.add("warning_percent", "Give a percentage from 1 to 99."))
            .ok();
        let mut targets: Vec<Option<PriorityMinutes>> = Vec::new();
        for (t, (key, label)) in TARGETS.iter().enumerate() {
            let cells = &self.minutes[t];
            if *key == "next_response" && cells.iter().all(|c| c.trim().is_empty()) {
                targets.push(None);
                continue;
            }
            let parsed: Option<Vec<i64>> =
                cells.iter().map(|c| c.trim().parse::<i64>().ok()).collect();
            match parsed {
                Some(v) => targets.push(Some(PriorityMinutes([v[0], v[1], v[2], v[3], v[4]]))),
                None => {
                    errors.add(
                        key,
                        format!("{label}: give whole minutes for every priority."),
                    );
                    targets.push(None);
                }
            }
        }
        let escalate_to_group = match self.escalate_to_group.trim() {
            "" => None,
            g => match g.parse::<i64>() {
                Ok(id) => Some(GroupId::new(id)),
                Err(_) => {
                    errors.add("escalate_to_group", "Choose a group.");
                    None
                }
            },
        };
        let kinds = self
            .kinds
            .iter()
            .filter_map(|k| TicketKind::parse(k).ok())
            .collect();
        let priorities = self
            .priorities
            .iter()
            .filter_map(|p| Priority::parse(p).ok())
            .collect();
        let service_ids = self
            .services
            .iter()
            .filter_map(|s| s.parse().ok().map(ServiceId::new))
            .collect();
        let pause_on = self
            .pause_on
            .iter()
            .filter_map(|r| PendingReason::parse(r).ok())
            .collect();
        let (
            Some(name),
            Some(position),
            Some(calendar_id),
            Some(warning),
            Some(Some(first)),
            Some(Some(resolution)),
        ) = (
            name,
            position,
            calendar_id,
            warning,
            targets.first().cloned(),
            targets.get(1).cloned(),
        )
        else {
            return None;
        };
        if !errors.is_empty() {
            return None;
        }
        let terms = PolicyTerms {
            conditions: PolicyConditions {
                kinds,
                priorities,
                service_ids,
                ..PolicyConditions::default()
            },
            first_response: first,
            resolution,
            next_response: targets.get(2).cloned().flatten(),
            pause_on,
            warning_percent: warning,
            on_breach: BreachActions {
                notify_lead: self.notify_lead,
                escalate_to_group,
                raise_priority: self.raise_priority,
            },
        };
        Some((
            name,
            PolicyInput {
                position,
                is_default: self.is_default,
                calendar_id: CalendarId::new(calendar_id),
                terms,
            },
        ))
    }
}

async fn policy_page(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    form: &PolicyForm,
    showing: Showing<'_>,
) -> Result<Response, UiError> {
    let errors = &showing.errors;
    let calendars = state.app.list_calendars(&viewer.actor).await?;
    let services = state.app.list_services(viewer.actor.tenant_id).await?;
    let groups = state.app.list_groups(&viewer.actor).await?;
    let action = id.map_or_else(
        || "/admin/sla/policies/new".to_owned(),
        |id| format!("/admin/sla/policies/{id}"),
    );
    let title = if id.is_some() {
        form.name.clone()
    } else {
        "New SLA policy".to_owned()
    };
    let calendar_options: Vec<(String, String)> = calendars
        .iter()
        .map(|c| (c.id.to_string(), c.name.clone()))
        .collect();
    let group_options: Vec<(String, String)> = std::iter::once((String::new(), "No".to_owned()))
        .chain(groups.iter().map(|g| {
            (
                g.id.to_string(),
                format!("Yes, to {} (tier {})", g.name, g.tier.number()),
            )
        }))
        .collect();
    let ticked = |list: &[String], v: &str| list.iter().any(|x| x == v);
    let content = html! {
        div class="page-head" { div { p class="eyebrow" { a href="/admin/sla" { "Service levels" } } h1 { (title) } } }
        (error_box(errors.get("form")))
        form class="form panel" method="post" action=(action) {
            (csrf_field(viewer))
            div class="grid-2" {
                (text_input("p-name", "name", "Name", "text", &form.name, true, None, errors))
                (text_input("p-position", "position", "Order", "number", &form.position, true, Some("Lower numbers are tried first."), errors))
            }
            (checkbox("p-default", "is_default", "The default policy (for tickets no other policy matches)", form.is_default, None))
            @if let Some(e) = errors.get("is_default") { p class="field-error" { (e) } }
            (select("p-calendar", "calendar_id", "Calendar", &calendar_options, &form.calendar_id, errors))
            fieldset class="field" {
                legend { "Applies to (nothing ticked: every ticket)" }
                div class="cluster" {
                    @for k in TicketKind::ALL {
                        label class="field-check" { input type="checkbox" name="kind" value=(k.as_str()) checked[ticked(&form.kinds, k.as_str())]; " " (crate::page::kind_label(*k)) "s" }
                    }
                    @for p in Priority::ALL {
                        label class="field-check" { input type="checkbox" name="priority" value=(p.as_str()) checked[ticked(&form.priorities, p.as_str())]; " " (p.as_str()) }
                    }
                    @for s in &services {
                        label class="field-check" { input type="checkbox" name="service" value=(s.id) checked[ticked(&form.services, &s.id.to_string())]; " " (s.name) }
                    }
                }
            }
            div class="table-wrap" {
                table class="data" {
                    caption { "Targets in business minutes" }
                    thead { tr { th scope="col" { "" } @for p in Priority::ALL { th scope="col" { (crate::i18n::words::priority_with_code(p)) } } } }
                    tbody {
                        @for (t, (key, label)) in TARGETS.iter().enumerate() {
                            tr {
                                th scope="row" { (label) @if let Some(e) = errors.get(key) { p class="field-error" { (e) } } }
                                @for p in 0..5 {
                                    td {
                                        label class="visually-hidden" for={ (key) "_" (p + 1) } { (label) ", P" (p + 1) }
                                        input id={ (key) "_" (p + 1) } name={ (key) "_" (p + 1) } type="number" min="1" inputmode="numeric" value=(form.minutes[t][p]);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            fieldset class="field" {
                legend { "Pause the clocks while the ticket waits for" }
                div class="cluster" {
                    @for r in PendingReason::ALL {
                        label class="field-check" { input type="checkbox" name="pause_on" value=(r.as_str()) checked[ticked(&form.pause_on, r.as_str())]; " " (pending_label(*r).trim_start_matches("Waiting for ")) }
                    }
                }
            }
            (text_input("p-warning", "warning_percent", "Warn at (% of the target)", "number", &form.warning_percent, true, None, errors))
            fieldset class="field" {
                legend { "When the resolution target is breached" }
                (checkbox("p-notify", "notify_lead", "Alert the group's leads", form.notify_lead, None))
                (checkbox("p-raise", "raise_priority", "Raise the priority one step", form.raise_priority, None))
                (select("p-escalate", "escalate_to_group", "Escalate to a higher-tier group", &group_options, &form.escalate_to_group, errors))
            }
            p class="muted small" { "Changes apply to tickets logged from now on; tickets already logged keep their clocks." }
            div class="form-actions" { button class="button button-primary" type="submit" { "Save policy" } }
        }
        @if let Some(id) = id {
            form class="form panel" method="post" action={ "/admin/sla/policies/" (id) "/reapply" } {
                (csrf_field(viewer))
                h2 { "Re-apply to open tickets" }
                p class="muted small" { "Gives the open tickets under this policy its current targets. The business time they have used and their pauses are kept; each ticket's history records the change." }
                div class="form-actions" { button class="button" type="submit" { "Re-apply the saved targets" } }
            }
        }
    };
    Ok(page(viewer, "/admin/sla", &title, showing.status, content))
}

pub(crate) async fn new_policy(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let calendars = state.app.list_calendars(&viewer.actor).await?;
    let standard = PolicyTerms::standard();
    let mut form = PolicyForm::of(&Policy {
        id: PolicyId::new(0),
        name: String::new(),
        position: 100,
        is_default: false,
        calendar_id: calendars.first().map_or(CalendarId::new(0), |c| c.id),
        terms: standard,
        created_at: spoc_domain::Timestamp::from_micros(0),
        updated_at: spoc_domain::Timestamp::from_micros(0),
    });
    form.name.clear();
    policy_page(&state, &viewer, None, &form, Showing::blank()).await
}

pub(crate) async fn edit_policy(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let id = parse_path_id(&id)?;
    let record = state
        .app
        .list_policies(&viewer.actor)
        .await?
        .into_iter()
        .find(|p| p.id.get() == id)
        .ok_or_else(UiError::not_found)?;
    policy_page(
        &state,
        &viewer,
        Some(id),
        &PolicyForm::of(&record),
        Showing::blank(),
    )
    .await
}

async fn store_policy(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    pairs: &Pairs,
) -> Result<Response, UiError> {
    admin_post(viewer, value(pairs, "csrf"))?;
    let form = PolicyForm::from_pairs(pairs);
    let mut errors = FieldErrors::none();
    if let Some((name, input)) = form.input(&mut errors) {
        match state
            .app
            .save_policy(&viewer.actor, id.map(PolicyId::new), name, input)
            .await
        {
            Ok(_) => return Ok(Redirect::to("/admin/sla?ok=saved").into_response()),
            Err(e) => errors.add_app_error(e, &POLICY_FIELDS)?,
        }
    }
    policy_page(state, viewer, id, &form, Showing::refused(errors)).await
}

pub(crate) async fn save_new_policy(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    store_policy(&state, &viewer, None, &pairs).await
}

pub(crate) async fn save_policy(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let id = parse_path_id(&id)?;
    store_policy(&state, &viewer, Some(id), &pairs).await
}

pub(crate) async fn reapply_policy(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    admin_post(&viewer, value(&pairs, "csrf"))?;
    let id = parse_path_id(&id)?;
    state
        .app
        .reapply_policy(&viewer.actor, PolicyId::new(id))
        .await?;
    Ok(Redirect::to("/admin/sla?ok=reapplied").into_response())
}
