//! Admin pages for service levels: business calendars (hours and holidays written as short lines)
//! and SLA policies (conditions, targets per priority, pauses, warning, breach actions).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::html;
use spoc_app::{CalendarRecord, PolicyInput, PolicyRecord};
use spoc_domain::calendar::{CalendarSpec, HolidaySpec, WEEKDAYS, WorkingHours};
use spoc_domain::priority::Priority;
use spoc_domain::sla::{BreachActions, PolicyConditions, PolicyTerms, PriorityMinutes};
use spoc_domain::text::Name;
use spoc_domain::ticket::{PendingReason, TicketKind};
use spoc_domain::{GroupId, ServiceId};

use crate::admin::frame::{NAMED_FIELDS, OkQuery, page, parse_path_id, require_admin};
use crate::forms::FieldMap;
use crate::forms::UiForm;
use crate::page::{
    FieldErrors, checkbox, csrf_field, error_box, flash, pending_label, select, text_input,
};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// The service-level pages, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sla", get(index))
        .route(
            "/sla/calendars/new",
            get(new_calendar).post(save_new_calendar),
        )
        .route(
            "/sla/calendars/{id}",
            get(edit_calendar).post(save_calendar),
        )
        .route("/sla/policies/new", get(new_policy).post(save_new_policy))
        .route("/sla/policies/{id}", get(edit_policy).post(save_policy))
        .route(
            "/sla/policies/{id}/reapply",
            axum::routing::post(reapply_policy),
        )
}

/// How the policy form names the fields of the app's errors.
const POLICY_FIELDS: FieldMap =
    FieldMap::new(&[("targets", "resolution")]).duplicate("name", "That name is already taken.");

type Pairs = Vec<(String, String)>;

fn value<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn values<'a>(pairs: &'a Pairs, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    pairs
        .iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn minutes_text(minutes: i64) -> String {
    if minutes % 60 == 0 {
        format!("{} h", minutes / 60)
    } else {
        format!("{minutes} min")
    }
}

/// `GET /admin/sla`.
async fn index(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let policies = state.app.list_policies(&viewer.actor).await?;
    let calendars = state.app.list_calendars(&viewer.actor).await?;
    let calendar_name = |id: i64| {
        calendars
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| format!("Calendar {id}"), |c| c.name.clone())
    };
    let content = html! {
        div class="page-head" {
            div { h1 { "Service levels" } p class="muted" { "Policies set the targets; calendars say when the clocks run. The first policy in order whose conditions match a new ticket applies, otherwise the default." } }
            div class="page-actions cluster" {
                a class="button button-primary" href="/admin/sla/policies/new" { "Add a policy" }
                a class="button" href="/admin/sla/calendars/new" { "Add a calendar" }
            }
        }
        (flash(query.ok.as_deref()))
        h2 { "Policies" }
        div class="table-wrap" { table class="data" {
            thead { tr { th scope="col" class="num" { "Order" } th scope="col" { "Policy" } th scope="col" { "Applies to" } th scope="col" { "First response P1–P5" } th scope="col" { "Resolution P1–P5" } th scope="col" { "Calendar" } } }
            tbody {
                @for p in &policies {
                    tr {
                        td class="num" { (p.position) }
                        td { a href={ "/admin/sla/policies/" (p.id) } { bdi { (p.name) } } @if p.is_default { " " span class="badge badge-kind" { "Default" } } }
                        td class="muted small" { (describe_conditions(&p.terms.conditions)) }
                        td class="small" { (p.terms.first_response.0.iter().map(|m| minutes_text(*m)).collect::<Vec<_>>().join(" · ")) }
                        td class="small" { (p.terms.resolution.0.iter().map(|m| minutes_text(*m)).collect::<Vec<_>>().join(" · ")) }
                        td { (calendar_name(p.calendar_id)) }
                    }
                }
            }
        } }
        h2 { "Calendars" }
        div class="table-wrap" { table class="data" {
            thead { tr { th scope="col" { "Calendar" } th scope="col" { "Time zone" } th scope="col" { "Hours" } th scope="col" class="num" { "Holidays" } } }
            tbody {
                @for c in &calendars {
                    tr {
                        td { a href={ "/admin/sla/calendars/" (c.id) } { bdi { (c.name) } } }
                        td { (c.spec.time_zone) }
                        td class="small" { @if c.spec.always_open { "Around the clock" } @else { (hours_text(&c.spec.hours).replace('\n', " · ")) } }
                        td class="num" { (c.spec.holidays.len()) }
                    }
                }
            }
        } }
    };
    Ok(page(
        &viewer,
        "/admin/sla",
        "Service levels",
        StatusCode::OK,
        content,
    ))
}

fn describe_conditions(c: &PolicyConditions) -> String {
    let mut parts = Vec::new();
    if !c.kinds.is_empty() {
        parts.push(
            c.kinds
                .iter()
                .map(|k| crate::page::kind_label(*k).to_lowercase() + "s")
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if !c.priorities.is_empty() {
        parts.push(
            c.priorities
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if !c.service_ids.is_empty() {
        parts.push(format!("{} service(s)", c.service_ids.len()));
    }
    if !c.organization_ids.is_empty() {
        parts.push(format!("{} organisation(s)", c.organization_ids.len()));
    }
    if !c.category_ids.is_empty() {
        parts.push(format!("{} categor(ies)", c.category_ids.len()));
    }
    if parts.is_empty() {
        "every ticket".to_owned()
    } else {
        parts.join("; ")
    }
}

// ----- calendars ---------------------------------------------------------------------------------

fn hours_text(hours: &[WorkingHours]) -> String {
    hours
        .iter()
        .map(|h| format!("{} {}-{}", h.day, h.start, h.end))
        .collect::<Vec<_>>()
        .join("\n")
}

fn holidays_text(holidays: &[HolidaySpec]) -> String {
    holidays
        .iter()
        .map(|h| match h {
            HolidaySpec::Date { date } => date.clone(),
            HolidaySpec::Range { from, to } => format!("{from}..{to}"),
            HolidaySpec::Yearly { month, day } => format!("{month:02}-{day:02}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses hours lines: `mon 08:00-17:00`, `mon-fri 08:00-12:00, 13:00-17:00`, `sat 22:00-06:00`.
fn parse_hours(text: &str) -> Result<Vec<WorkingHours>, String> {
    let mut hours = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
    {
        let bad = || {
            format!(
                "line {n} (“{line}”): write a day or days and times, like “mon-fri 08:00-17:00”"
            )
        };
        let (days, times) = line.split_once(char::is_whitespace).ok_or_else(bad)?;
        let day_index = |d: &str| {
            WEEKDAYS
                .iter()
                .position(|w| w.eq_ignore_ascii_case(d.trim()))
        };
        let days: Vec<usize> = match days.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day_index(a).ok_or_else(bad)?, day_index(b).ok_or_else(bad)?);
                if a > b {
                    return Err(bad());
                }
                (a..=b).collect()
            }
            None => vec![day_index(days).ok_or_else(bad)?],
        };
        for span in times.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (start, end) = span.split_once('-').ok_or_else(bad)?;
            for &d in &days {
                hours.push(WorkingHours {
                    day: WEEKDAYS[d].to_owned(),
                    start: start.trim().to_owned(),
                    end: end.trim().to_owned(),
                });
            }
        }
    }
    Ok(hours)
}

/// Parses holiday lines: `2026-12-24`, `2026-12-24..2026-12-31`, `12-25` (every year).
fn parse_holidays(text: &str) -> Vec<HolidaySpec> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| match line.split_once("..") {
            Some((from, to)) => HolidaySpec::Range {
                from: from.trim().to_owned(),
                to: to.trim().to_owned(),
            },
            None => match line.split_once('-') {
                Some((m, d)) if line.len() <= 5 => match (m.parse(), d.parse()) {
                    (Ok(month), Ok(day)) => HolidaySpec::Yearly { month, day },
                    _ => HolidaySpec::Date {
                        date: line.to_owned(),
                    },
                },
                _ => HolidaySpec::Date {
                    date: line.to_owned(),
                },
            },
        })
        .collect()
}

struct CalendarForm {
    name: String,
    time_zone: String,
    always_open: bool,
    hours: String,
    holidays: String,
}

impl CalendarForm {
    fn of(record: &CalendarRecord) -> Self {
        Self {
            name: record.name.clone(),
            time_zone: record.spec.time_zone.clone(),
            always_open: record.spec.always_open,
            hours: hours_text(&record.spec.hours),
            holidays: holidays_text(&record.spec.holidays),
        }
    }

    fn from_pairs(pairs: &Pairs) -> Self {
        Self {
            name: value(pairs, "name").to_owned(),
            time_zone: value(pairs, "time_zone").to_owned(),
            always_open: !value(pairs, "always_open").is_empty(),
            hours: value(pairs, "hours").to_owned(),
            holidays: value(pairs, "holidays").to_owned(),
        }
    }
}

fn calendar_page(
    viewer: &Viewer,
    id: Option<i64>,
    form: &CalendarForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let action = id.map_or_else(
        || "/admin/sla/calendars/new".to_owned(),
        |id| format!("/admin/sla/calendars/{id}"),
    );
    let title = if id.is_some() {
        form.name.clone()
    } else {
        "New calendar".to_owned()
    };
    let text_area = |id: &str, name: &str, label: &str, hint: &str, value: &str| {
        let error = errors.get(name);
        crate::page::field(
            id,
            label,
            Some(hint),
            error,
            html! {
                textarea id=(id) name=(name) rows="6" class="mono" aria-invalid=[error.map(|_| "true")]
                    aria-describedby=(crate::page::described_by(id, true, error.is_some()).unwrap_or_default()) { (value) }
            },
        )
    };
    let content = html! {
        div class="page-head" { div { p class="eyebrow" { a href="/admin/sla" { "Service levels" } } h1 { (title) } } }
        (error_box(errors.get("form")))
        form class="form panel" method="post" action=(action) {
            (csrf_field(viewer))
            (text_input("c-name", "name", "Name", "text", &form.name, true, None, errors))
            (text_input("c-tz", "time_zone", "Time zone", "text", &form.time_zone, true, Some("An IANA name such as Europe/Stockholm, America/New_York or UTC."), errors))
            (checkbox("c-always", "always_open", "Around the clock (24×7) — hours and holidays are then ignored", form.always_open, None))
            (text_area("c-hours", "hours", "Working hours", "One line per day or range of days: “mon-fri 08:00-17:00”, “sat 09:00-13:00”, “mon-fri 08:00-12:00, 13:00-17:00”; an end before the start is a night shift (“sun 22:00-06:00”).", &form.hours))
            (text_area("c-holidays", "holidays", "Holidays", "One per line: a date “2026-12-24”, a range “2026-12-24..2026-12-31”, or every year “12-25”.", &form.holidays))
            div class="form-actions" { button class="button button-primary" type="submit" { "Save calendar" } }
        }
    };
    page(viewer, "/admin/sla", &title, status, content)
}

async fn new_calendar(viewer: Viewer) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let form = CalendarForm {
        name: String::new(),
        time_zone: "UTC".to_owned(),
        always_open: false,
        hours: "mon-fri 08:00-17:00".to_owned(),
        holidays: String::new(),
    };
    Ok(calendar_page(
        &viewer,
        None,
        &form,
        &FieldErrors::none(),
        StatusCode::OK,
    ))
}

async fn edit_calendar(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let id = parse_path_id(&id)?;
    let record = state
        .app
        .list_calendars(&viewer.actor)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(UiError::not_found)?;
    Ok(calendar_page(
        &viewer,
        Some(id),
        &CalendarForm::of(&record),
        &FieldErrors::none(),
        StatusCode::OK,
    ))
}

async fn store_calendar(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    pairs: &Pairs,
) -> Result<Response, UiError> {
    viewer.check_csrf(value(pairs, "csrf"))?;
    require_admin(viewer)?;
    let form = CalendarForm::from_pairs(pairs);
    let mut errors = FieldErrors::none();
    let name = Name::parse_as("name", &form.name)
        .map_err(|e| errors.add("name", sentence(&e.message)))
        .ok();
    let hours = parse_hours(&form.hours)
        .map_err(|e| errors.add("hours", sentence(&e)))
        .ok();
    if let (Some(name), Some(hours)) = (name, hours) {
        let spec = CalendarSpec {
            time_zone: form.time_zone.trim().to_owned(),
            always_open: form.always_open,
            hours,
            holidays: parse_holidays(&form.holidays),
        };
        match state.app.save_calendar(&viewer.actor, id, name, spec).await {
            Ok(_) => return Ok(Redirect::to("/admin/sla?ok=saved").into_response()),
            Err(e) => errors.add_app_error(e, &NAMED_FIELDS)?,
        }
    }
    Ok(calendar_page(
        viewer,
        id,
        &form,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

async fn save_new_calendar(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    store_calendar(&state, &viewer, None, &pairs).await
}

async fn save_calendar(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let id = parse_path_id(&id)?;
    store_calendar(&state, &viewer, Some(id), &pairs).await
}

// ----- policies ----------------------------------------------------------------------------------

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
    fn of(p: &PolicyRecord) -> Self {
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
            name.clone(),
            PolicyInput {
                name: name.into_string(),
                position,
                is_default: self.is_default,
                calendar_id,
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
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, UiError> {
    let calendars = state.app.list_calendars(&viewer.actor).await?;
    let services = state.app.list_services().await?;
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
                    thead { tr { th scope="col" { "" } @for p in Priority::ALL { th scope="col" { (p.as_str()) " " (p.label()) } } } }
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
    Ok(page(viewer, "/admin/sla", &title, status, content))
}

async fn new_policy(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let calendars = state.app.list_calendars(&viewer.actor).await?;
    let standard = PolicyTerms::standard();
    let mut form = PolicyForm::of(&PolicyRecord {
        id: 0,
        name: String::new(),
        position: 100,
        is_default: false,
        calendar_id: calendars.first().map_or(0, |c| c.id),
        terms: standard,
        created_at: spoc_domain::Timestamp::from_micros(0),
        updated_at: spoc_domain::Timestamp::from_micros(0),
    });
    form.name.clear();
    policy_page(
        &state,
        &viewer,
        None,
        &form,
        &FieldErrors::none(),
        StatusCode::OK,
    )
    .await
}

async fn edit_policy(
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
        .find(|p| p.id == id)
        .ok_or_else(UiError::not_found)?;
    policy_page(
        &state,
        &viewer,
        Some(id),
        &PolicyForm::of(&record),
        &FieldErrors::none(),
        StatusCode::OK,
    )
    .await
}

async fn store_policy(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    pairs: &Pairs,
) -> Result<Response, UiError> {
    viewer.check_csrf(value(pairs, "csrf"))?;
    require_admin(viewer)?;
    let form = PolicyForm::from_pairs(pairs);
    let mut errors = FieldErrors::none();
    if let Some((name, input)) = form.input(&mut errors) {
        match state.app.save_policy(&viewer.actor, id, name, input).await {
            Ok(_) => return Ok(Redirect::to("/admin/sla?ok=saved").into_response()),
            Err(e) => errors.add_app_error(e, &POLICY_FIELDS)?,
        }
    }
    policy_page(
        state,
        viewer,
        id,
        &form,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn save_new_policy(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    store_policy(&state, &viewer, None, &pairs).await
}

async fn save_policy(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let id = parse_path_id(&id)?;
    store_policy(&state, &viewer, Some(id), &pairs).await
}

async fn reapply_policy(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    viewer.check_csrf(value(&pairs, "csrf"))?;
    require_admin(&viewer)?;
    let id = parse_path_id(&id)?;
    state.app.reapply_policy(&viewer.actor, id).await?;
    Ok(Redirect::to("/admin/sla?ok=reapplied").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_lines_expand_day_ranges_and_split_times() {
        let hours = parse_hours("mon-wed 08:00-12:00, 13:00-17:00\n\nsun 22:00-06:00").unwrap();
        assert_eq!(hours.len(), 7);
        assert_eq!(
            hours[0],
            WorkingHours {
                day: "mon".to_owned(),
                start: "08:00".to_owned(),
                end: "12:00".to_owned()
            }
        );
        assert_eq!(hours[6].day, "sun");
        assert!(
            parse_hours("someday 08:00-17:00")
                .unwrap_err()
                .contains("line 1")
        );
        assert!(parse_hours("fri-mon 08:00-17:00").is_err());
        assert_eq!(
            hours_text(&parse_hours("tue 09:00-10:00").unwrap()),
            "tue 09:00-10:00"
        );
    }

    #[test]
    fn holiday_lines() {
        let holidays = parse_holidays("2026-12-24\n2026-12-27..2026-12-31\n12-25\n");
        assert_eq!(
            holidays,
            vec![
                HolidaySpec::Date {
                    date: "2026-12-24".to_owned()
                },
                HolidaySpec::Range {
                    from: "2026-12-27".to_owned(),
                    to: "2026-12-31".to_owned()
                },
                HolidaySpec::Yearly { month: 12, day: 25 },
            ]
        );
        assert_eq!(
            holidays_text(&holidays),
            "2026-12-24\n2026-12-27..2026-12-31\n12-25"
        );
    }
}
