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
use crate::i18n::admin::Admin;
use crate::i18n::{t, tr};
use crate::page::{FieldErrors, checkbox, csrf_field, error_box, select, text_input};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// How the policy form names the fields of the app's errors.
fn policy_fields() -> FieldMap {
    FieldMap::new(&[("targets", "resolution")]).duplicate("name", t(Admin::NameTaken))
}

const TARGETS: [(&str, Admin); 3] = [
    ("first_response", Admin::TargetFirstResponse),
    ("resolution", Admin::TargetResolution),
    ("next_response", Admin::TargetNextResponse),
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
            .map_err(|_| errors.add("position", t(Admin::PositionInvalid)))
            .ok();
        let calendar_id = self
            .calendar_id
            .parse::<i64>()
            .map_err(|_| errors.add("calendar_id", t(Admin::ChooseCalendar)))
            .ok();
        let warning = self
            .warning_percent
            .trim()
            .parse::<u8>()
            .map_err(|_| errors.add("warning_percent", t(Admin::WarningInvalid)))
            .ok();
        let mut targets: Vec<Option<PriorityMinutes>> = Vec::new();
        for (row, (key, label)) in TARGETS.iter().enumerate() {
            let cells = &self.minutes[row];
            if *key == "next_response" && cells.iter().all(|c| c.trim().is_empty()) {
                targets.push(None);
                continue;
            }
            let parsed: Option<Vec<i64>> =
                cells.iter().map(|c| c.trim().parse::<i64>().ok()).collect();
            match parsed {
                Some(v) => targets.push(Some(PriorityMinutes([v[0], v[1], v[2], v[3], v[4]]))),
                None => {
                    errors.add(key, tr(Admin::TargetMinutesInvalid, &[&t(*label)]));
                    targets.push(None);
                }
            }
        }
        let escalate_to_group = match self.escalate_to_group.trim() {
            "" => None,
            g => match g.parse::<i64>() {
                Ok(id) => Some(GroupId::new(id)),
                Err(_) => {
                    errors.add("escalate_to_group", t(Admin::ChooseGroup));
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

/// A ticket kind in the plural, as the policy's conditions name it.
fn kinds_word(kind: TicketKind) -> Admin {
    match kind {
        TicketKind::Incident => Admin::KindIncidents,
        TicketKind::ServiceRequest => Admin::KindRequests,
    }
}

/// What a pending ticket waits for, after "Pause the clocks while the ticket waits for".
fn waits_for(reason: PendingReason) -> Admin {
    match reason {
        PendingReason::AwaitingUser => Admin::PauseUser,
        PendingReason::AwaitingThirdParty => Admin::PauseThirdParty,
        PendingReason::AwaitingChange => Admin::PauseChange,
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
        t(Admin::NewPolicy).to_owned()
    };
    let calendar_options: Vec<(String, String)> = calendars
        .iter()
        .map(|c| (c.id.to_string(), c.name.clone()))
        .collect();
    let group_options: Vec<(String, String)> =
        std::iter::once((String::new(), t(Admin::EscalateNo).to_owned()))
            .chain(groups.iter().map(|g| {
                (
                    g.id.to_string(),
                    tr(Admin::EscalateTo, &[&g.name, &g.tier.number()]),
                )
            }))
            .collect();
    let ticked = |list: &[String], v: &str| list.iter().any(|x| x == v);
    let content = html! {
        div class="page-head" { div { p class="eyebrow" { a href="/admin/sla" { (t(Admin::SecServiceLevels)) } } h1 { (title) } } }
        (error_box(errors.get("form")))
        form class="form panel" method="post" action=(action) {
            (csrf_field(viewer))
            div class="grid-2" {
                (text_input("p-name", "name", t(Admin::Name), "text", &form.name, true, None, errors))
                (text_input("p-position", "position", t(Admin::Order), "number", &form.position, true, Some(t(Admin::PositionHint)), errors))
            }
            (checkbox("p-default", "is_default", t(Admin::DefaultPolicy), form.is_default, None))
            @if let Some(e) = errors.get("is_default") { p class="field-error" { (e) } }
            (select("p-calendar", "calendar_id", t(Admin::Calendar), &calendar_options, &form.calendar_id, errors))
            fieldset class="field" {
                legend { (t(Admin::AppliesToLegend)) }
                div class="cluster" {
                    @for k in TicketKind::ALL {
                        label class="field-check" { input type="checkbox" name="kind" value=(k.as_str()) checked[ticked(&form.kinds, k.as_str())]; " " (t(kinds_word(*k))) }
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
                    caption { (t(Admin::TargetsCaption)) }
                    thead { tr { th scope="col" { "" } @for p in Priority::ALL { th scope="col" { (crate::i18n::words::priority_with_code(p)) } } } }
                    tbody {
                        @for (row, (key, label)) in TARGETS.iter().enumerate() {
                            tr {
                                th scope="row" { (t(*label)) @if let Some(e) = errors.get(key) { p class="field-error" { (e) } } }
                                @for p in 0..5 {
                                    td {
                                        label class="visually-hidden" for={ (key) "_" (p + 1) } { (t(*label)) ", P" (p + 1) }
                                        input id={ (key) "_" (p + 1) } name={ (key) "_" (p + 1) } type="number" min="1" inputmode="numeric" value=(form.minutes[row][p]);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            fieldset class="field" {
                legend { (t(Admin::PauseLegend)) }
                div class="cluster" {
                    @for r in PendingReason::ALL {
                        label class="field-check" { input type="checkbox" name="pause_on" value=(r.as_str()) checked[ticked(&form.pause_on, r.as_str())]; " " (t(waits_for(*r))) }
                    }
                }
            }
            (text_input("p-warning", "warning_percent", t(Admin::WarnAt), "number", &form.warning_percent, true, None, errors))
            fieldset class="field" {
                legend { (t(Admin::OnBreach)) }
                (checkbox("p-notify", "notify_lead", t(Admin::NotifyLead), form.notify_lead, None))
                (checkbox("p-raise", "raise_priority", t(Admin::RaisePriority), form.raise_priority, None))
                (select("p-escalate", "escalate_to_group", t(Admin::EscalateLabel), &group_options, &form.escalate_to_group, errors))
            }
            p class="muted small" { (t(Admin::ChangesApply)) }
            div class="form-actions" { button class="button button-primary" type="submit" { (t(Admin::SavePolicy)) } }
        }
        @if let Some(id) = id {
            form class="form panel" method="post" action={ "/admin/sla/policies/" (id) "/reapply" } {
                (csrf_field(viewer))
                h2 { (t(Admin::Reapply)) }
                p class="muted small" { (t(Admin::ReapplyText)) }
                div class="form-actions" { button class="button" type="submit" { (t(Admin::ReapplyButton)) } }
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
            Err(e) => errors.add_app_error(e, &policy_fields())?,
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
