//! The agent workspace: queues with filters and counts, the ticket view with its actions and
//! editor, logging a call for a caller, and the global search box.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{ActionInput, AppError, EscalationInput, NewTicketInput, TicketFilter, TicketSort};
use spoc_domain::lifecycle::{Action, FieldEdit, allowed_actions};
use spoc_domain::priority::{Impact, Priority, Urgency};
use spoc_domain::text::{Body, Email, Name, Reason, SupplierReference, Title};
use spoc_domain::ticket::{
    Channel, PendingReason, ResolutionCode, Status, Ticket, TicketKind, TicketNumber,
};
use spoc_domain::{CategoryId, GroupId, OrganizationId, ServiceId, TicketId, UserId};

use super::forms::{UiForm, non_empty, optional_id};
use super::links::encode;
use super::page::{
    Area, FieldErrors, Shell, csrf_field, empty_state, error_box, flash, kind_label, pending_label,
    priority_badge, resolution_label, select, status_badge, text_input,
};
use super::session::{STALE_FORM, UiError, Viewer, sentence};
use super::timefmt::when;
use super::views::{
    Lookup, TicketRow, attach_mail, facts, other_attachments, tickets_table, timeline,
    timeline_entries,
};
use spoc_http::AppState;
use spoc_http::params::{decode_cursor, encode_cursor, parse_sort, sort_name};

// ----- queues ------------------------------------------------------------------------------------

/// The named queues of the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Queue {
    Mine,
    Unassigned,
    Groups,
    AllOpen,
    Search,
}

impl Queue {
    fn parse(value: Option<&str>) -> Self {
        match value.unwrap_or("mine") {
            "unassigned" => Self::Unassigned,
            "groups" => Self::Groups,
            "open" => Self::AllOpen,
            "search" => Self::Search,
            _ => Self::Mine,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Self::Mine => "mine",
            Self::Unassigned => "unassigned",
            Self::Groups => "groups",
            Self::AllOpen => "open",
            Self::Search => "search",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::Mine => "My tickets",
            Self::Unassigned => "Unassigned in my groups",
            Self::Groups => "Open in my groups",
            Self::AllOpen => "All open tickets",
            Self::Search => "Search results",
        }
    }

    /// The queues `viewer` has.
    fn available(viewer: &Viewer) -> Vec<Self> {
        let mut queues = vec![Self::Mine, Self::Unassigned, Self::Groups];
        if viewer.actor.is_lead() {
            queues.push(Self::AllOpen);
        }
        queues
    }

    /// The filter that defines the queue.
    fn filter(self, viewer: &Viewer) -> TicketFilter {
        let open: Vec<Status> = Status::ALL
            .iter()
            .copied()
            .filter(|s| s.is_open())
            .collect();
        let active: Vec<Status> = Status::ALL
            .iter()
            .copied()
            .filter(|s| s.is_active())
            .collect();
        let mut filter = TicketFilter {
            limit: 1,
            sort: TicketSort::PriorityAsc,
            ..TicketFilter::default()
        };
        match self {
            Self::Mine => {
                filter.assignee_id = Some(Some(viewer.actor.user_id));
                filter.statuses = open;
            }
            Self::Unassigned => {
                filter.assignee_id = Some(None);
                filter.any_group_ids = Some(viewer.actor.group_ids.clone());
                filter.statuses = active;
            }
            Self::Groups => {
                filter.any_group_ids = Some(viewer.actor.group_ids.clone());
                filter.statuses = open;
            }
            Self::AllOpen => filter.statuses = open,
            Self::Search => filter.sort = TicketSort::UpdatedDesc,
        }
        filter
    }

    fn empty_text(self) -> (&'static str, &'static str) {
        match self {
            Self::Mine => (
                "Nothing assigned to you",
                "Pick up a ticket from “Unassigned in my groups”, or log a call.",
            ),
            Self::Unassigned => (
                "Every ticket has an owner",
                "No unassigned tickets wait in your groups. New ones appear here as they arrive.",
            ),
            Self::Groups => (
                "No open tickets",
                "Your groups have no open tickets right now.",
            ),
            Self::AllOpen => ("No open tickets", "The desk has no open tickets right now."),
            Self::Search => (
                "No tickets match",
                "Try fewer or different words, or clear the filters.",
            ),
        }
    }
}

/// The query of `GET /desk`.
#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    queue: Option<String>,
    status: Option<String>,
    priority: Option<String>,
    kind: Option<String>,
    group: Option<String>,
    category: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    cursor: Option<String>,
    notice: Option<String>,
}

/// The filters as a person set them, for re-rendering the filter form and paging links.
#[derive(Debug, Default)]
struct FilterValues {
    status: String,
    priority: String,
    kind: String,
    group: String,
    category: String,
    q: String,
    sort: String,
}

impl FilterValues {
    fn query_string(&self, queue: Queue) -> String {
        let mut parts = vec![format!("queue={}", queue.key())];
        for (name, value) in [
            ("status", &self.status),
            ("priority", &self.priority),
            ("kind", &self.kind),
            ("group", &self.group),
            ("category", &self.category),
            ("q", &self.q),
            ("sort", &self.sort),
        ] {
            if !value.is_empty() {
                parts.push(format!("{name}={}", encode(value)));
            }
        }
        parts.join("&")
    }
}

/// Applies the person's filters on top of the queue's own. Returns field errors for values that
/// do not parse (the page still shows, with the error beside the filter).
fn apply_filters(filter: &mut TicketFilter, values: &FilterValues, errors: &mut FieldErrors) {
    if !values.status.is_empty() {
        match Status::parse(&values.status) {
            Ok(status) => filter.statuses = vec![status],
            Err(_) => errors.add("status", "Choose a status from the list."),
        }
    }
    if !values.priority.is_empty() {
        match Priority::parse(&values.priority) {
            Ok(p) => filter.priority = Some(p),
            Err(_) => errors.add("priority", "Choose a priority from the list."),
        }
    }
    if !values.kind.is_empty() {
        match TicketKind::parse(&values.kind) {
            Ok(k) => filter.kind = Some(k),
            Err(_) => errors.add("kind", "Choose a kind from the list."),
        }
    }
    match optional_id(Some(&values.group)) {
        Ok(id) => filter.group_id = id.map(GroupId::new),
        Err(()) => errors.add("group", "Choose a group from the list."),
    }
    match optional_id(Some(&values.category)) {
        Ok(id) => filter.category_id = id.map(CategoryId::new),
        Err(()) => errors.add("category", "Choose a category from the list."),
    }
    if !values.q.trim().is_empty() {
        filter.text = Some(values.q.clone());
    }
}

/// `GET /desk`: a queue.
pub async fn queue(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<QueueQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let app = &state.app;
    let queue = Queue::parse(query.queue.as_deref());
    let values = FilterValues {
        status: query.status.unwrap_or_default(),
        priority: query.priority.unwrap_or_default(),
        kind: query.kind.unwrap_or_default(),
        group: query.group.unwrap_or_default(),
        category: query.category.unwrap_or_default(),
        q: query.q.unwrap_or_default(),
        sort: query.sort.unwrap_or_default(),
    };
    let mut errors = FieldErrors::none();
    let mut filter = queue.filter(&viewer);
    filter.limit = 50;
    if !values.sort.is_empty() {
        match parse_sort(Some(&values.sort)) {
            Ok(sort) => filter.sort = sort,
            Err(_) => errors.add("sort", "Choose an order from the list."),
        }
    }
    if let Some(cursor) = non_empty(query.cursor.as_deref()) {
        // A stale or foreign cursor simply starts from the first page.
        filter.after = decode_cursor(filter.sort, cursor).ok();
    }
    apply_filters(&mut filter, &values, &mut errors);

    let mut counts = Vec::new();
    for q in Queue::available(&viewer) {
        let total = app
            .list_tickets(&viewer.actor, q.filter(&viewer))
            .await?
            .total;
        counts.push((q, total));
    }
    let page = match app.list_tickets(&viewer.actor, filter.clone()).await {
        Ok(page) => page,
        Err(AppError::Validation(e)) => {
            errors.add("q", sentence(&e.message));
            spoc_app::TicketPage {
                tickets: Vec::new(),
                total: 0,
                next: None,
            }
        }
        Err(e) => return Err(e.into()),
    };
    let tickets: Vec<&Ticket> = page.tickets.iter().collect();
    let lookup = Lookup::load(app, &viewer.actor, &tickets, &[]).await?;
    let now = state.app.now();
    let rows: Vec<TicketRow> = page
        .tickets
        .iter()
        .map(|t| TicketRow::new(t, &lookup, now, "/desk/tickets"))
        .collect();
    let groups = app.list_groups(&viewer.actor).await?;
    let categories = app.list_categories().await?;
    let next_href = page.next.map(|cursor| {
        format!(
            "/desk?{}&cursor={}",
            values.query_string(queue),
            encode(&encode_cursor(filter.sort, cursor))
        )
    });
    let first_href = filter
        .after
        .map(|_| format!("/desk?{}", values.query_string(queue)));

    let group_options: Vec<(String, String)> =
        std::iter::once((String::new(), "Any group".to_owned()))
            .chain(groups.iter().map(|g| (g.id.to_string(), g.name.clone())))
            .collect();
    let category_options = category_options(&categories, "Any category");
    let status_options: Vec<(String, String)> =
        std::iter::once((String::new(), "Queue default".to_owned()))
            .chain(Status::ALL.iter().map(|s| {
                (
                    s.as_str().to_owned(),
                    super::page::status_label(*s).to_owned(),
                )
            }))
            .collect();
    let priority_options: Vec<(String, String)> =
        std::iter::once((String::new(), "Any priority".to_owned()))
            .chain(Priority::ALL.iter().map(|p| {
                (
                    p.as_str().to_owned(),
                    format!("{} {}", p.as_str(), p.label()),
                )
            }))
            .collect();
    let kind_options: Vec<(String, String)> = vec![
        (String::new(), "Incidents and requests".to_owned()),
        ("incident".to_owned(), "Incidents".to_owned()),
        ("service_request".to_owned(), "Requests".to_owned()),
    ];
    let sort_options: Vec<(String, String)> = vec![
        (String::new(), "Queue default".to_owned()),
        (
            sort_name(TicketSort::PriorityAsc).to_owned(),
            "Most urgent first".to_owned(),
        ),
        (
            sort_name(TicketSort::DueAsc).to_owned(),
            "Closest to breach first".to_owned(),
        ),
        (
            sort_name(TicketSort::CreatedAsc).to_owned(),
            "Oldest first".to_owned(),
        ),
        (
            sort_name(TicketSort::CreatedDesc).to_owned(),
            "Newest first".to_owned(),
        ),
        (
            sort_name(TicketSort::UpdatedDesc).to_owned(),
            "Recently changed".to_owned(),
        ),
        (
            sort_name(TicketSort::UpdatedAsc).to_owned(),
            "Longest untouched".to_owned(),
        ),
    ];
    let (empty_title, empty_text) = queue.empty_text();
    let notice = match query.notice.as_deref() {
        Some("no_such_ticket") => Some("There is no ticket with that number that you can see."),
        _ => None,
    };
    let title = queue.title();
    let body = html! {
        div class="page-head" {
            div { h1 { (title) } }
            div class="page-actions" { a class="button button-primary" href="/desk/new" { "Log a call" } }
        }
        @if let Some(notice) = notice { div class="flash flash-info" role="status" { (notice) } }
        div class="live-banner" id="live-banner" role="status" hidden {}
        div class="queue-layout" {
            nav class="queue-nav" aria-label="Queues" id="queue-nav" {
                ul {
                    @for (q, total) in &counts {
                        li {
                            a href={ "/desk?queue=" (q.key()) } aria-current=[(*q == queue).then_some("page")] {
                                span { (q.title()) }
                                span class="count" { (total) }
                            }
                        }
                    }
                }
            }
            section class="queue-main" aria-label="Tickets" {
                @let active = [&values.q, &values.status, &values.priority, &values.kind, &values.group, &values.category, &values.sort]
                    .iter().filter(|v| !v.is_empty()).count();
                details class="filter-panel" open[active > 0 || !errors.is_empty()] {
                    summary class="button button-quiet button-small" {
                        "Filter and sort"
                        @if active > 0 { " (" (active) " active)" }
                    }
                    form class="filters form-inline" method="get" action="/desk" {
                        input type="hidden" name="queue" value=(queue.key());
                        (text_input("f-q", "q", "Words", "search", &values.q, false, None, &errors))
                        (select("f-status", "status", "Status", &status_options, &values.status, &errors))
                        (select("f-priority", "priority", "Priority", &priority_options, &values.priority, &errors))
                        (select("f-kind", "kind", "Kind", &kind_options, &values.kind, &errors))
                        (select("f-group", "group", "Group", &group_options, &values.group, &errors))
                        (select("f-category", "category", "Category", &category_options, &values.category, &errors))
                        (select("f-sort", "sort", "Order", &sort_options, &values.sort, &errors))
                        div class="form-actions" {
                            button class="button button-small" type="submit" { "Apply" }
                            a class="button-link" href={ "/desk?queue=" (queue.key()) } { "Clear" }
                        }
                    }
                }
                div id="queue-results" data-live="queue" {
                    p class="result-count muted" {
                        (page.total) " " (if page.total == 1 { "ticket" } else { "tickets" })
                    }
                    @if rows.is_empty() {
                        @if queue == Queue::Unassigned && viewer.actor.group_ids.is_empty() {
                            (empty_state("You are not in a group yet",
                                "Unassigned tickets are shown for your resolver groups. Ask an admin to add you to one.",
                                None))
                        } @else {
                            (empty_state(empty_title, empty_text, Some(("/desk/new", "Log a call"))))
                        }
                    } @else {
                        (tickets_table(&rows))
                    }
                    @if next_href.is_some() || first_href.is_some() {
                        nav class="pager" aria-label="Pages" {
                            @if let Some(href) = &first_href { a class="button button-quiet button-small" href=(href) { "← First page" } }
                            @if let Some(href) = &next_href { a class="button button-quiet button-small" href=(href) rel="next" { "Next page →" } }
                        }
                    }
                }
            }
        }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let shell = Shell::new(title, Area::Desk).current("/desk");
    Ok((
        status,
        Html(shell.render(Some(&viewer), body).into_string()),
    )
        .into_response())
}

/// Categories and subcategories as options, subcategories under their parent.
fn category_options(
    categories: &[spoc_app::CategoryRecord],
    none_label: &str,
) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), none_label.to_owned())];
    for parent in categories.iter().filter(|c| c.parent_id.is_none()) {
        options.push((parent.id.to_string(), parent.name.clone()));
        for child in categories.iter().filter(|c| c.parent_id == Some(parent.id)) {
            options.push((
                child.id.to_string(),
                format!("{} › {}", parent.name, child.name),
            ));
        }
    }
    options
}

/// The query of `GET /desk/search`.
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// `GET /desk/search`: a ticket number jumps to the ticket; words search.
pub async fn search(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<SearchQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let text = query.q.trim();
    if text.is_empty() {
        return Ok(Redirect::to("/desk").into_response());
    }
    // `INC-000042`, or a bare `42` as people say it on the phone.
    let wanted = TicketNumber::parse(text)
        .map(|n| (n.id(), Some(n.kind())))
        .or_else(|| {
            (text.len() <= 18 && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse::<i64>().ok())
                .flatten()
                .filter(|id| *id > 0)
                .map(|id| (TicketId::new(id), None))
        });
    if let Some((id, kind)) = wanted {
        return Ok(match state.app.get_ticket(&viewer.actor, id).await {
            Ok(ticket) if kind.is_none_or(|k| k == ticket.kind) => {
                Redirect::to(&format!("/desk/tickets/{}", ticket.id)).into_response()
            }
            Ok(_) | Err(AppError::NotFound { .. }) => {
                Redirect::to("/desk?queue=search&notice=no_such_ticket").into_response()
            }
            Err(e) => return Err(e.into()),
        });
    }
    Ok(Redirect::to(&format!("/desk?queue=search&q={}", encode(text))).into_response())
}

// ----- the ticket view ---------------------------------------------------------------------------

/// What the forms of a ticket page hold when it is shown again after a submission.
#[derive(Debug, Default)]
pub struct TicketForms {
    /// The flash key after a redirect.
    flash: Option<String>,
    /// An error sentence for the whole page.
    error: Option<String>,
    /// The composer's text, visibility and error.
    composer_body: String,
    composer_internal: bool,
    composer_error: Option<String>,
    /// The action whose form to open, with its field errors and values.
    open_action: Option<Action>,
    action_errors: FieldErrors,
    action_values: ActionForm,
    /// The editor after a conflict or invalid input.
    edit: Option<EditState>,
    /// A refused SOP checklist change: the step and why.
    sop_error: Option<(String, String)>,
}

/// The query of the ticket page.
#[derive(Debug, Default, Deserialize)]
pub struct TicketQuery {
    ok: Option<String>,
    /// An escalation rule of the ticket's SOP whose values fill the escalate form.
    escalate: Option<String>,
}

/// `GET /desk/tickets/{id}`.
pub async fn ticket(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<TicketQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let id = parse_ticket_id(&id)?;
    let mut forms = TicketForms {
        flash: query.ok,
        ..TicketForms::default()
    };
    if let Some(key) = query.escalate.as_deref() {
        let ticket = state.app.get_ticket(&viewer.actor, id).await?;
        if let Some((target, reason)) =
            super::checklist::escalation_prefill(&state, &viewer, &ticket, key).await?
        {
            forms.open_action = Some(Action::Escalate);
            forms.action_values.escalation = Some(target);
            forms.action_values.reason = Some(reason);
        }
    }
    render_ticket(&state, &viewer, id, forms, StatusCode::OK).await
}

/// `POST /desk/tickets/{id}/sop/step` and `/sop/answer`: a change of the SOP checklist.
pub async fn sop_step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<super::checklist::StepForm>,
) -> Result<Response, UiError> {
    let id = parse_ticket_id(&id)?;
    match super::checklist::change_step(&state, &viewer, id, form).await? {
        super::checklist::StepOutcome::Done(response) => Ok(response),
        super::checklist::StepOutcome::Refused(step, message) => {
            let forms = TicketForms {
                sop_error: Some((step, message)),
                ..TicketForms::default()
            };
            render_ticket(&state, &viewer, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

fn parse_ticket_id(value: &str) -> Result<TicketId, UiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(TicketId::new)
        .ok_or_else(UiError::not_found)
}

/// Options for routing: each group, and each agent of each group.
async fn routing_options(
    state: &AppState,
    viewer: &Viewer,
    min_tier: Option<i64>,
) -> Result<Vec<(String, Vec<(String, String)>)>, AppError> {
    let mut options = Vec::new();
    for group in state.app.list_groups(&viewer.actor).await? {
        if min_tier.is_some_and(|tier| group.tier.number() <= tier) {
            continue;
        }
        let mut entries = vec![(
            format!("g:{}", group.id),
            format!(
                "{} — whole group (tier {})",
                group.name,
                group.tier.number()
            ),
        )];
        for member in state.app.group_members(&viewer.actor, group.id).await? {
            if member.active && member.role.is_staff() {
                entries.push((
                    format!("g:{}:u:{}", group.id, member.id),
                    member.name.clone(),
                ));
            }
        }
        options.push((group.name.clone(), entries));
    }
    Ok(options)
}

async fn render_ticket(
    state: &AppState,
    viewer: &Viewer,
    id: TicketId,
    mut forms: TicketForms,
    status: StatusCode,
) -> Result<Response, UiError> {
    let app = &state.app;
    let ticket = app.get_ticket(&viewer.actor, id).await?;
    let events = app.list_events(&viewer.actor, id).await?;
    let lookup = Lookup::load(app, &viewer.actor, &[&ticket], &events).await?;
    let mut entries = timeline_entries(&ticket, &events, &lookup);
    let attachments = app.list_attachments(&viewer.actor, id).await?;
    let emails = app.inbound_of_ticket(&viewer.actor, id).await?;
    let loose = attach_mail(
        &mut entries,
        &attachments,
        &emails,
        Some(&format!("/desk/tickets/{}/emails", ticket.id)),
    );
    let categories = app.list_categories().await?;
    let services = app.list_services().await?;
    let routing = routing_options(state, viewer, None).await?;
    let escalation_targets = routing_options(state, viewer, Some(ticket.tier.number())).await?;
    let external_supplier = app
        .get_group(&viewer.actor, ticket.group_id)
        .await
        .map(|g| g.external_supplier)
        .unwrap_or(false);
    let actions: Vec<Action> = allowed_actions(ticket.kind, ticket.status)
        .iter()
        .copied()
        .filter(|a| viewer.actor.may_perform(&ticket, *a).is_ok())
        .collect();
    let number = ticket.number().to_string();
    let edit = forms
        .edit
        .take()
        .unwrap_or_else(|| EditState::from_ticket(&ticket));
    let in_group = viewer.actor.group_ids.contains(&ticket.group_id);
    let base = format!("/desk/tickets/{}", ticket.id);
    let checklist =
        super::checklist::checklist_panel(state, viewer, &ticket, forms.sop_error.as_ref()).await?;
    let articles = super::checklist::articles_panel(state, viewer, &ticket).await?;

    let header = html! {
        header class="ticket-header panel" id="ticket-header" {
            p class="eyebrow mono" { (number) " · " (kind_label(ticket.kind)) }
            h1 { bdi { (ticket.title) } }
            div class="cluster" {
                (status_badge(ticket.status))
                (priority_badge(ticket.priority))
                @if ticket.priority_overridden { span class="badge badge-kind" { "Priority set by hand" } }
                @if ticket.escalated { span class="badge badge-escalated" { "Escalated" } }
                @if let Some(reason) = ticket.pending_reason { span class="muted" { (pending_label(reason)) } }
            }
            @if let Some(clocks) = lookup.sla.get(&ticket.id).filter(|c| !c.is_empty()) {
                @let now = app.now();
                ul class="sla-clocks" aria-label="Service level" {
                    @for clock in clocks {
                        @let badge = super::views::sla_badge(clock, now);
                        li {
                            span class={ "badge badge-sla-" (badge.class) } { (badge.text) } " "
                            strong { (sentence_case(spoc_app::target_label(clock.target))) } ": "
                            span class="muted" { (super::views::explain_clock(clock)) }
                        }
                    }
                }
            }
            (facts(&[
                ("Requester", Some(html! { (lookup.person(ticket.requester_id)) })),
                ("Organisation", lookup.organization(ticket.organization_id).map(|o| html! { (o) })),
                ("Group", Some(html! { (lookup.group(ticket.group_id)) })),
                ("Tier", Some(html! { (ticket.tier.number()) })),
                ("Assignee", Some(match ticket.assignee_id {
                    Some(a) => html! { (lookup.person(a)) },
                    None => html! { span class="muted" { "Unassigned" } },
                })),
                ("Category", lookup.category(ticket.subcategory_id.or(ticket.category_id)).map(|c| html! { (c) })),
                ("Service", lookup.service(ticket.service_id).map(|s| html! { (s) })),
                ("Impact × urgency", Some(html! { (ticket.impact.as_str()) " × " (ticket.urgency.as_str()) })),
                ("Logged", Some(html! { (when(ticket.created_at)) })),
                ("Supplier reference", ticket.supplier_reference.as_ref().map(|r| html! { (r) })),
                ("Resolution", ticket.resolution_code.map(|c| html! { (resolution_label(c)) })),
                ("Reassigned", Some(html! { (ticket.reassignment_count) " times" })),
                ("Reopened", Some(html! { (ticket.reopen_count) " times" })),
            ]))
        }
    };
    let composer = html! {
        section class="panel" aria-labelledby="composer-title" {
            h2 class="panel-title" id="composer-title" { "Reply or add a note" }
            form class="form composer" method="post" action={ (base) "/comment" } {
                (csrf_field(viewer))
                div.field.has-error[forms.composer_error.is_some()] {
                    label for="body" { "Message" }
                    textarea id="body" name="body" rows="5" required
                        aria-invalid=[forms.composer_error.as_ref().map(|_| "true")]
                        aria-describedby=[forms.composer_error.as_ref().map(|_| "body-error")] { (forms.composer_body) }
                    @if let Some(error) = &forms.composer_error {
                        p class="field-error" id="body-error" { (error) }
                    }
                }
                fieldset class="field choices choices-inline" {
                    legend { "Who sees it" }
                    label class="choice" {
                        input type="radio" name="visibility" value="public" checked[!forms.composer_internal];
                        span class="choice-text" { strong { "Public reply" } span class="hint" { "The requester sees it." } }
                    }
                    label class="choice" {
                        input type="radio" name="visibility" value="internal" checked[forms.composer_internal];
                        span class="choice-text" { strong { "Internal note" } span class="hint" { "Only agents see it." } }
                    }
                }
                div class="form-actions" { button class="button button-primary" type="submit" { "Add to ticket" } }
            }
        }
    };
    let action_panel = html! {
        section class="panel" id="ticket-actions" aria-labelledby="actions-title" {
            h2 class="panel-title" id="actions-title" { "Actions" }
            @if actions.is_empty() {
                p class="muted" { "This ticket is " (super::page::status_label(ticket.status).to_lowercase()) "; nothing more can be done with it." }
            } @else {
                div class="actions stack" {
                    @for action in &actions {
                        (action_form(viewer, &base, &ticket, *action, in_group, &routing, &escalation_targets, &forms))
                    }
                }
            }
        }
    };
    let editor = edit_form(
        viewer,
        &base,
        &ticket,
        &edit,
        &categories,
        &services,
        external_supplier,
    );
    let body = html! {
        (flash(forms.flash.as_deref()))
        (error_box(forms.error.as_deref()))
        div class="live-banner" id="live-banner" role="status" hidden {}
        div class="ticket-layout" data-ticket=(ticket.id) data-live="ticket" {
            div class="ticket-main stack" {
                (header)
                (checklist)
                (composer)
                section aria-labelledby="timeline-title" {
                    h2 id="timeline-title" { "History" }
                    (timeline(&entries))
                }
                (other_attachments(&loose))
            }
            aside class="ticket-side stack" aria-label="Ticket actions and details" {
                (action_panel)
                (articles)
                (editor)
            }
        }
    };
    let title = format!("{number} {}", ticket.title);
    let shell = Shell::new(&title, Area::Desk).current("/desk");
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

/// The values of an action form as submitted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    /// `me`, `g:{group}` or `g:{group}:u:{user}`.
    target: Option<String>,
    /// Pending reason.
    pending_reason: Option<String>,
    /// Escalation: `hierarchical` or a routing target.
    escalation: Option<String>,
    /// Reason text (escalate, reopen, cancel).
    reason: Option<String>,
    /// Resolution code.
    code: Option<String>,
    /// Resolution notes.
    notes: Option<String>,
}

fn action_label(action: Action) -> &'static str {
    match action {
        Action::Assign => "Assign…",
        Action::Start => "Start work",
        Action::Pend => "Set pending…",
        Action::Resume => "Resume work",
        Action::Escalate => "Escalate…",
        Action::Resolve => "Resolve…",
        Action::Close => "Close",
        Action::Reopen => "Reopen…",
        Action::Cancel => "Cancel ticket…",
    }
}

fn routing_select(
    id: &str,
    name: &str,
    label: &str,
    first: Option<(&str, &str)>,
    groups: &[(String, Vec<(String, String)>)],
    selected: &str,
    error: Option<&str>,
) -> Markup {
    super::page::field(
        id,
        label,
        None,
        error,
        html! {
            select id=(id) name=(name) required aria-invalid=[error.map(|_| "true")] {
                @if let Some((value, text)) = first { option value=(value) selected[selected == value] { (text) } }
                @for (group, entries) in groups {
                    optgroup label=(group) {
                        @for (value, text) in entries {
                            option value=(value) selected[selected == value] { (text) }
                        }
                    }
                }
            }
        },
    )
}

#[allow(clippy::too_many_arguments)]
fn action_form(
    viewer: &Viewer,
    base: &str,
    ticket: &Ticket,
    action: Action,
    in_group: bool,
    routing: &[(String, Vec<(String, String)>)],
    escalation_targets: &[(String, Vec<(String, String)>)],
    forms: &TicketForms,
) -> Markup {
    let href = format!("{base}/act/{}", action.as_str());
    let open = forms.open_action == Some(action);
    let errors = if open {
        &forms.action_errors
    } else {
        &FieldErrors::default()
    };
    let values = if open {
        &forms.action_values
    } else {
        &ActionForm::default()
    };
    let reason_value = values.reason.clone().unwrap_or_default();
    let id = |name: &str| format!("{}-{name}", action.as_str());
    let reason_field = |label: &str, required: bool| {
        let rid = id("reason");
        super::page::field(
            &rid,
            label,
            None,
            errors.get("reason"),
            html! {
                textarea id=(rid) name="reason" rows="3" required[required]
                    aria-invalid=[errors.get("reason").map(|_| "true")] { (reason_value) }
            },
        )
    };
    let simple = |label: &str, class: &str| {
        html! {
            form method="post" action=(href) class="inline" {
                (csrf_field(viewer))
                button class={ "button " (class) } type="submit" { (label) }
            }
        }
    };
    match action {
        Action::Start => simple("Start work", "button-primary"),
        Action::Resume => simple("Resume work", "button-primary"),
        Action::Close => simple("Close", "button-quiet"),
        Action::Assign => html! {
            @if in_group && ticket.assignee_id != Some(viewer.actor.user_id) {
                form method="post" action=(href) class="inline" {
                    (csrf_field(viewer))
                    input type="hidden" name="target" value="me";
                    button class="button button-primary" type="submit" { "Assign to me" }
                }
            }
            details class="action" open[open] {
                summary class="button button-quiet" { (action_label(action)) }
                form method="post" action=(href) class="form" {
                    (csrf_field(viewer))
                    (routing_select(&id("target"), "target", "Assign to", None, routing,
                        values.target.as_deref().unwrap_or(&format!("g:{}", ticket.group_id)), errors.get("target")))
                    div class="form-actions" { button class="button button-primary" type="submit" { "Assign" } }
                }
            }
        },
        Action::Pend => html! {
            details class="action" open[open] {
                summary class="button button-quiet" { (action_label(action)) }
                form method="post" action=(href) class="form" {
                    (csrf_field(viewer))
                    (select(&id("pending_reason"), "pending_reason", "Waiting for",
                        &PendingReason::ALL.iter().map(|r| (r.as_str().to_owned(), pending_label(*r).to_owned())).collect::<Vec<_>>(),
                        values.pending_reason.as_deref().unwrap_or("awaiting_user"), errors))
                    div class="form-actions" { button class="button button-primary" type="submit" { "Set pending" } }
                }
            }
        },
        Action::Escalate => html! {
            details class="action" open[open] {
                summary class="button button-quiet" { (action_label(action)) }
                form method="post" action=(href) class="form" {
                    (csrf_field(viewer))
                    (routing_select(&id("escalation"), "escalation", "Escalate to",
                        Some(("hierarchical", "Alert the group's leads (hierarchical)")), escalation_targets,
                        values.escalation.as_deref().unwrap_or("hierarchical"), errors.get("escalation")))
                    (reason_field("Why", true))
                    div class="form-actions" { button class="button button-danger" type="submit" { "Escalate" } }
                }
            }
        },
        Action::Resolve => html! {
            details class="action" open[open] {
                summary class="button button-primary" { (action_label(action)) }
                form method="post" action=(href) class="form" {
                    (csrf_field(viewer))
                    (select(&id("code"), "code", "Resolution",
                        &ResolutionCode::ALL.iter().map(|c| (c.as_str().to_owned(), resolution_label(*c).to_owned())).collect::<Vec<_>>(),
                        values.code.as_deref().unwrap_or("solved"), errors))
                    @let nid = id("notes");
                    (super::page::field(&nid, "What was done (the requester sees this)", None, errors.get("notes"), html! {
                        textarea id=(nid) name="notes" rows="4" required
                            aria-invalid=[errors.get("notes").map(|_| "true")] { (values.notes.clone().unwrap_or_default()) }
                    }))
                    @if let Some(missing) = errors.get("checks") {
                        p class="field-error" id="resolve-checks" role="alert" { (missing) }
                    }
                    div class="form-actions" { button class="button button-primary" type="submit" { "Resolve" } }
                }
            }
        },
        Action::Reopen => html! {
            details class="action" open[open] {
                summary class="button button-quiet" { (action_label(action)) }
                form method="post" action=(href) class="form" {
                    (csrf_field(viewer))
                    (reason_field("Why is it not resolved?", false))
                    div class="form-actions" { button class="button" type="submit" { "Reopen" } }
                }
            }
        },
        Action::Cancel => html! {
            details class="action" open[open] {
                summary class="button button-quiet" { (action_label(action)) }
                form method="post" action=(href) class="form" {
                    (csrf_field(viewer))
                    (reason_field("Why cancel it?", false))
                    div class="form-actions" { button class="button button-danger" type="submit" { "Cancel the ticket" } }
                }
            }
        },
    }
}

/// Parses `g:{group}` or `g:{group}:u:{user}`.
fn parse_target(value: &str) -> Option<(GroupId, Option<UserId>)> {
    let mut parts = value.split(':');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("g"), Some(g), None, None, None) => Some((GroupId::new(g.parse().ok()?), None)),
        (Some("g"), Some(g), Some("u"), Some(u), None) => Some((
            GroupId::new(g.parse().ok()?),
            Some(UserId::new(u.parse().ok()?)),
        )),
        _ => None,
    }
}

fn flash_key(action: Action) -> &'static str {
    match action {
        Action::Assign => "assigned",
        Action::Start => "started",
        Action::Pend => "pended",
        Action::Resume => "resumed",
        Action::Escalate => "escalated",
        Action::Resolve => "resolved",
        Action::Close => "closed",
        Action::Reopen => "reopened",
        Action::Cancel => "cancelled",
    }
}

/// Builds the app's action input from the form; field errors for values that do not parse.
fn action_input(
    viewer: &Viewer,
    action: Action,
    form: &ActionForm,
) -> Result<ActionInput, FieldErrors> {
    let reason = |required: bool| -> Result<Option<Reason>, FieldErrors> {
        match non_empty(form.reason.as_deref()) {
            Some(text) => Reason::parse_as("reason", text)
                .map(Some)
                .map_err(|e| FieldErrors::one("reason", sentence(&e.message))),
            None if required => Err(FieldErrors::one("reason", "Say why.")),
            None => Ok(None),
        }
    };
    Ok(match action {
        Action::Assign => match form.target.as_deref().unwrap_or("") {
            "me" => ActionInput::Assign {
                group_id: None,
                assignee_id: Some(viewer.actor.user_id),
            },
            target => {
                let (group, user) = parse_target(target)
                    .ok_or_else(|| FieldErrors::one("target", "Choose a group or an agent."))?;
                ActionInput::Assign {
                    group_id: Some(group),
                    assignee_id: user,
                }
            }
        },
        Action::Start => ActionInput::Start,
        Action::Pend => ActionInput::Pend {
            reason: PendingReason::parse(form.pending_reason.as_deref().unwrap_or("")).map_err(
                |_| FieldErrors::one("pending_reason", "Choose what the ticket waits for."),
            )?,
        },
        Action::Resume => ActionInput::Resume,
        Action::Escalate => {
            let reason = reason(true)?.ok_or_else(|| FieldErrors::one("reason", "Say why."))?;
            match form.escalation.as_deref().unwrap_or("") {
                "hierarchical" => ActionInput::Escalate(EscalationInput::Hierarchical { reason }),
                target => {
                    let (group_id, assignee_id) = parse_target(target).ok_or_else(|| {
                        FieldErrors::one("escalation", "Choose a higher-tier group or the leads.")
                    })?;
                    ActionInput::Escalate(EscalationInput::Functional {
                        group_id,
                        assignee_id,
                        reason,
                    })
                }
            }
        }
        Action::Resolve => {
            let code = ResolutionCode::parse(form.code.as_deref().unwrap_or(""))
                .map_err(|_| FieldErrors::one("code", "Choose how it was resolved."))?;
            let notes = Body::parse_as("notes", form.notes.as_deref().unwrap_or(""))
                .map_err(|e| FieldErrors::one("notes", sentence(&e.message)))?;
            ActionInput::Resolve { code, notes }
        }
        Action::Close => ActionInput::Close,
        Action::Reopen => ActionInput::Reopen {
            reason: reason(false)?,
        },
        Action::Cancel => ActionInput::Cancel {
            reason: reason(false)?,
        },
    })
}

/// `POST /desk/tickets/{id}/act/{action}`.
pub async fn act(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, action)): Path<(String, String)>,
    UiForm(form): UiForm<ActionForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let id = parse_ticket_id(&id)?;
    let action = Action::parse(&action).ok_or_else(UiError::not_found)?;
    let reshow = |errors: FieldErrors, error: Option<String>| TicketForms {
        error,
        open_action: Some(action),
        action_errors: errors,
        action_values: form.clone(),
        ..TicketForms::default()
    };
    let input = match action_input(&viewer, action, &form) {
        Ok(input) => input,
        Err(errors) => {
            return render_ticket(
                &state,
                &viewer,
                id,
                reshow(errors, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .app
        .perform_action(&viewer.actor, id, None, input)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/desk/tickets/{id}?ok={}", flash_key(action))).into_response(),
        ),
        Err(AppError::Validation(e)) => {
            let field = match e.field {
                "group_id" | "assignee_id" => {
                    if action == Action::Escalate {
                        "escalation"
                    } else {
                        "target"
                    }
                }
                other => other,
            };
            let errors = FieldErrors::one(field, sentence(&e.message));
            render_ticket(
                &state,
                &viewer,
                id,
                reshow(errors, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::QualityChecks { missing, .. }) => {
            let names: Vec<&str> = missing.iter().map(|m| m.text.as_str()).collect();
            let message = format!(
                "The ticket's SOP asks for more before it can be {}: {}. Record them on the checklist, then try again.",
                if action == Action::Close {
                    "closed"
                } else {
                    "resolved"
                },
                names.join("; ")
            );
            let (errors, error) = if action == Action::Resolve {
                (FieldErrors::one("checks", message), None)
            } else {
                (FieldErrors::none(), Some(message))
            };
            render_ticket(
                &state,
                &viewer,
                id,
                reshow(errors, error),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e @ (AppError::Transition(_) | AppError::Forbidden(_))) => {
            let message = match &e {
                AppError::Transition(t) => format!(
                    "That is not possible now: {}. The ticket may have changed; the actions below are what it allows now.",
                    t
                ),
                other => sentence(&other.to_string()),
            };
            render_ticket(
                &state,
                &viewer,
                id,
                reshow(FieldErrors::none(), Some(message)),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The reply/note composer as submitted.
#[derive(Debug, Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    visibility: String,
}

/// `POST /desk/tickets/{id}/comment`.
pub async fn comment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<CommentForm>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let id = parse_ticket_id(&id)?;
    let internal = form.visibility == "internal";
    let reshow = |message: String| TicketForms {
        composer_body: form.body.clone(),
        composer_internal: internal,
        composer_error: Some(message),
        ..TicketForms::default()
    };
    if !viewer.csrf_matches(&form.csrf) {
        return render_ticket(
            &state,
            &viewer,
            id,
            reshow(STALE_FORM.to_owned()),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let body = match Body::parse_as("body", &form.body) {
        Ok(body) => body,
        Err(e) => {
            let message = if form.body.trim().is_empty() {
                "Write a message first.".to_owned()
            } else {
                sentence(&e.message)
            };
            return render_ticket(
                &state,
                &viewer,
                id,
                reshow(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .app
        .add_comment(&viewer.actor, id, internal, body)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/desk/tickets/{id}?ok={}",
            if internal { "noted" } else { "replied" }
        ))
        .into_response()),
        Err(AppError::Validation(e)) => {
            render_ticket(
                &state,
                &viewer,
                id,
                reshow(sentence(&e.message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::RateLimited { message, .. }) => {
            render_ticket(
                &state,
                &viewer,
                id,
                reshow(sentence(&message)),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

// ----- editing fields ----------------------------------------------------------------------------

/// The editor's values: what the form shows, and the values it was based on.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct EditState {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    title: String,
    #[serde(default)]
    impact: String,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    supplier_reference: String,
    #[serde(default)]
    priority_override: String,
    #[serde(default)]
    rationale: String,
    #[serde(default)]
    orig_title: String,
    #[serde(default)]
    orig_impact: String,
    #[serde(default)]
    orig_urgency: String,
    #[serde(default)]
    orig_category: String,
    #[serde(default)]
    orig_service: String,
    #[serde(default)]
    orig_supplier_reference: String,
    #[serde(default)]
    orig_priority_override: String,
    /// Set when shown again: what others changed, and field errors.
    #[serde(skip)]
    conflicts: Vec<String>,
    #[serde(skip)]
    errors: FieldErrors,
}

/// The editable values of a ticket as form strings, in one order.
fn current_values(ticket: &Ticket) -> [String; 6] {
    [
        ticket.title.clone(),
        ticket.impact.as_str().to_owned(),
        ticket.urgency.as_str().to_owned(),
        ticket
            .subcategory_id
            .or(ticket.category_id)
            .map(|c| c.to_string())
            .unwrap_or_default(),
        ticket.service_id.map(|s| s.to_string()).unwrap_or_default(),
        ticket.supplier_reference.clone().unwrap_or_default(),
    ]
}

fn override_value(ticket: &Ticket) -> String {
    if ticket.priority_overridden {
        ticket.priority.as_str().to_owned()
    } else {
        String::new()
    }
}

const EDIT_LABELS: [&str; 6] = [
    "Title",
    "Impact",
    "Urgency",
    "Category",
    "Service",
    "Supplier reference",
];

impl EditState {
    fn from_ticket(ticket: &Ticket) -> Self {
        let [title, impact, urgency, category, service, supplier] = current_values(ticket);
        Self {
            version: ticket.version,
            title: title.clone(),
            impact: impact.clone(),
            urgency: urgency.clone(),
            category: category.clone(),
            service: service.clone(),
            supplier_reference: supplier.clone(),
            priority_override: override_value(ticket),
            orig_title: title,
            orig_impact: impact,
            orig_urgency: urgency,
            orig_category: category,
            orig_service: service,
            orig_supplier_reference: supplier,
            orig_priority_override: override_value(ticket),
            ..Self::default()
        }
    }

    fn mine(&self) -> [&String; 6] {
        [
            &self.title,
            &self.impact,
            &self.urgency,
            &self.category,
            &self.service,
            &self.supplier_reference,
        ]
    }

    fn originals(&self) -> [&String; 6] {
        [
            &self.orig_title,
            &self.orig_impact,
            &self.orig_urgency,
            &self.orig_category,
            &self.orig_service,
            &self.orig_supplier_reference,
        ]
    }

    /// After a conflict: rebase onto `current`, keeping what this person changed and taking
    /// everything else from the stored ticket; lists what the other person changed.
    fn rebase(mut self, current: &Ticket, describe: impl Fn(usize, &str) -> String) -> Self {
        let now = current_values(current);
        let mut conflicts = Vec::new();
        let mine: Vec<String> = self.mine().into_iter().cloned().collect();
        let originals: Vec<String> = self.originals().into_iter().cloned().collect();
        let mut rebased = Vec::new();
        for i in 0..6 {
            let theirs_changed = originals[i] != now[i];
            let mine_changed = mine[i].trim() != originals[i];
            if theirs_changed {
                conflicts.push(format!(
                    "{}: {} → {}{}",
                    EDIT_LABELS[i],
                    describe(i, &originals[i]),
                    describe(i, &now[i]),
                    if mine_changed {
                        " (you changed it too; your value is kept below)"
                    } else {
                        ""
                    }
                ));
            }
            rebased.push(if mine_changed {
                mine[i].clone()
            } else {
                now[i].clone()
            });
        }
        let current_override = override_value(current);
        if self.orig_priority_override != current_override {
            conflicts.push(format!(
                "Priority override: {} → {}",
                if self.orig_priority_override.is_empty() {
                    "none"
                } else {
                    &self.orig_priority_override
                },
                if current_override.is_empty() {
                    "none"
                } else {
                    &current_override
                },
            ));
        }
        if self.priority_override == self.orig_priority_override {
            self.priority_override = current_override.clone();
        }
        let [title, impact, urgency, category, service, supplier] = now;
        self.title = rebased[0].clone();
        self.impact = rebased[1].clone();
        self.urgency = rebased[2].clone();
        self.category = rebased[3].clone();
        self.service = rebased[4].clone();
        self.supplier_reference = rebased[5].clone();
        self.orig_title = title;
        self.orig_impact = impact;
        self.orig_urgency = urgency;
        self.orig_category = category;
        self.orig_service = service;
        self.orig_supplier_reference = supplier;
        self.orig_priority_override = current_override;
        self.version = current.version;
        self.conflicts = conflicts;
        self
    }

    /// The changes this person made, as a field edit.
    fn to_edit(&self) -> Result<FieldEdit, FieldErrors> {
        let mut edit = FieldEdit::default();
        let mut errors = FieldErrors::none();
        if self.title.trim() != self.orig_title {
            match Title::parse_as("title", &self.title) {
                Ok(t) => edit.title = Some(t),
                Err(e) => errors.add("title", sentence(&e.message)),
            }
        }
        if self.impact != self.orig_impact {
            match Impact::parse(&self.impact) {
                Ok(v) => edit.impact = Some(v),
                Err(_) => errors.add("impact", "Choose an impact."),
            }
        }
        if self.urgency != self.orig_urgency {
            match Urgency::parse(&self.urgency) {
                Ok(v) => edit.urgency = Some(v),
                Err(_) => errors.add("urgency", "Choose an urgency."),
            }
        }
        if self.category != self.orig_category {
            match optional_id(Some(&self.category)) {
                Ok(id) => {
                    // A subcategory's id is accepted here; the app sets its parent as the
                    // category and clears a subcategory that no longer fits.
                    edit.category_id = Some(id.map(CategoryId::new));
                }
                Err(()) => errors.add("category", "Choose a category from the list."),
            }
        }
        if self.service != self.orig_service {
            match optional_id(Some(&self.service)) {
                Ok(id) => edit.service_id = Some(id.map(ServiceId::new)),
                Err(()) => errors.add("service", "Choose a service from the list."),
            }
        }
        if self.supplier_reference.trim() != self.orig_supplier_reference {
            match non_empty(Some(&self.supplier_reference)) {
                None => edit.supplier_reference = Some(None),
                Some(text) => match SupplierReference::parse_as("supplier_reference", text) {
                    Ok(r) => edit.supplier_reference = Some(Some(r)),
                    Err(e) => errors.add("supplier_reference", sentence(&e.message)),
                },
            }
        }
        let rationale_given = !self.rationale.trim().is_empty();
        if self.priority_override != self.orig_priority_override
            || (rationale_given && !self.priority_override.is_empty())
        {
            if self.priority_override.is_empty() {
                edit.priority_override = Some(None);
            } else {
                match Priority::parse(&self.priority_override) {
                    Ok(p) => match Reason::parse_as("rationale", &self.rationale) {
                        Ok(r) => edit.priority_override = Some(Some((p, r))),
                        Err(_) => errors.add(
                            "rationale",
                            "Say why the priority differs from what impact and urgency give.",
                        ),
                    },
                    Err(_) => errors.add("priority_override", "Choose a priority."),
                }
            }
        }
        if errors.is_empty() {
            Ok(edit)
        } else {
            Err(errors)
        }
    }
}

fn level_options() -> Vec<(String, String)> {
    vec![
        ("high".to_owned(), "High".to_owned()),
        ("medium".to_owned(), "Medium".to_owned()),
        ("low".to_owned(), "Low".to_owned()),
    ]
}

fn edit_form(
    viewer: &Viewer,
    base: &str,
    ticket: &Ticket,
    edit: &EditState,
    categories: &[spoc_app::CategoryRecord],
    services: &[spoc_app::ServiceRecord],
    external_supplier: bool,
) -> Markup {
    let errors = &edit.errors;
    let service_options: Vec<(String, String)> =
        std::iter::once((String::new(), "None".to_owned()))
            .chain(services.iter().map(|s| (s.id.to_string(), s.name.clone())))
            .collect();
    let priority_options: Vec<(String, String)> =
        std::iter::once((String::new(), "From impact × urgency".to_owned()))
            .chain(Priority::ALL.iter().map(|p| {
                (
                    p.as_str().to_owned(),
                    format!("{} {}", p.as_str(), p.label()),
                )
            }))
            .collect();
    html! {
        section class="panel" id="ticket-details" aria-labelledby="details-title" {
            h2 class="panel-title" id="details-title" { "Details" }
            @if !edit.conflicts.is_empty() {
                div class="notice notice-warning conflict" role="alert" {
                    h3 { "Someone else changed this ticket while you were editing" }
                    ul { @for c in &edit.conflicts { li { (c) } } }
                    p { "Your changes are kept in the form below. Check them and save again to apply them." }
                }
            }
            @if ticket.status.is_open() {
                form class="form" method="post" action={ (base) "/edit" } {
                    (csrf_field(viewer))
                    input type="hidden" name="version" value=(edit.version);
                    input type="hidden" name="orig_title" value=(edit.orig_title);
                    input type="hidden" name="orig_impact" value=(edit.orig_impact);
                    input type="hidden" name="orig_urgency" value=(edit.orig_urgency);
                    input type="hidden" name="orig_category" value=(edit.orig_category);
                    input type="hidden" name="orig_service" value=(edit.orig_service);
                    input type="hidden" name="orig_supplier_reference" value=(edit.orig_supplier_reference);
                    input type="hidden" name="orig_priority_override" value=(edit.orig_priority_override);
                    (text_input("e-title", "title", "Title", "text", &edit.title, true, None, errors))
                    div class="grid-2" {
                        (select("e-impact", "impact", "Impact", &level_options(), &edit.impact, errors))
                        (select("e-urgency", "urgency", "Urgency", &level_options(), &edit.urgency, errors))
                    }
                    (select("e-category", "category", "Category", &category_options(categories, "None"), &edit.category, errors))
                    (select("e-service", "service", "Service", &service_options, &edit.service, errors))
                    @if external_supplier || !edit.orig_supplier_reference.is_empty() {
                        (text_input("e-supplier", "supplier_reference", "Supplier reference", "text", &edit.supplier_reference, false,
                            Some("The supplier's own case number."), errors))
                    }
                    (select("e-priority", "priority_override", "Priority", &priority_options, &edit.priority_override, errors))
                    @let has_error = errors.get("rationale");
                    (super::page::field("e-rationale", "Why this priority (needed when set by hand)", None, has_error, html! {
                        textarea id="e-rationale" name="rationale" rows="2"
                            aria-invalid=[has_error.map(|_| "true")] { (edit.rationale) }
                    }))
                    div class="form-actions" { button class="button" type="submit" { "Save details" } }
                }
            } @else {
                p class="muted" { "Closed and cancelled tickets can no longer be edited." }
            }
        }
    }
}

/// `POST /desk/tickets/{id}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<EditState>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let id = parse_ticket_id(&id)?;
    let change = match form.to_edit() {
        Ok(change) => change,
        Err(errors) => {
            let mut state_again = form.clone();
            state_again.errors = errors;
            let forms = TicketForms {
                edit: Some(state_again),
                ..TicketForms::default()
            };
            return render_ticket(&state, &viewer, id, forms, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    if change == FieldEdit::default() {
        return Ok(Redirect::to(&format!("/desk/tickets/{id}")).into_response());
    }
    match state
        .app
        .edit_ticket(&viewer.actor, id, Some(form.version), change)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/desk/tickets/{id}?ok=saved")).into_response()),
        Err(AppError::VersionConflict { .. }) => {
            let current = state.app.get_ticket(&viewer.actor, id).await?;
            let categories = state.app.list_categories().await?;
            let services = state.app.list_services().await?;
            let describe = |i: usize, value: &str| -> String {
                if value.is_empty() {
                    return "none".to_owned();
                }
                let id: i64 = value.parse().unwrap_or(0);
                match i {
                    1 | 2 => Some(value.to_owned()),
                    3 => categories
                        .iter()
                        .find(|c| c.id.get() == id)
                        .map(|c| c.name.clone()),
                    4 => services
                        .iter()
                        .find(|s| s.id.get() == id)
                        .map(|s| s.name.clone()),
                    _ => None,
                }
                .unwrap_or_else(|| format!("“{value}”"))
            };
            let rebased = form.clone().rebase(&current, describe);
            let forms = TicketForms {
                edit: Some(rebased),
                ..TicketForms::default()
            };
            render_ticket(&state, &viewer, id, forms, StatusCode::CONFLICT).await
        }
        Err(AppError::Validation(e)) => {
            let field = match e.field {
                "category_id" | "subcategory_id" => "category",
                "service_id" => "service",
                "priority_override" | "priority" => "priority_override",
                other => other,
            };
            let mut again = form.clone();
            again.errors = FieldErrors::one(field, sentence(&e.message));
            let forms = TicketForms {
                edit: Some(again),
                ..TicketForms::default()
            };
            render_ticket(&state, &viewer, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

// ----- logging a call ----------------------------------------------------------------------------

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
    let categories = app.list_categories().await?;
    let services = app.list_services().await?;
    let org_options: Vec<(String, String)> = std::iter::once((String::new(), "None".to_owned()))
        .chain(
            organizations
                .iter()
                .map(|o| (o.id.to_string(), o.name.clone())),
        )
        .collect();
    let service_options: Vec<(String, String)> =
        std::iter::once((String::new(), "Not known".to_owned()))
            .chain(services.iter().map(|s| (s.id.to_string(), s.name.clone())))
            .collect();
    let kind_options = vec![
        (
            "incident".to_owned(),
            "Incident — something is broken".to_owned(),
        ),
        (
            "service_request".to_owned(),
            "Request — they need something".to_owned(),
        ),
    ];
    let body = html! {
        div class="page-head" { div { h1 { "Log a call" } p class="muted" { "Find the caller, check their open tickets, then log what they need." } } }
        (flash(ok))
        div class="grid-2 align-start" {
            section class="panel stack" aria-labelledby="caller-title" {
                h2 class="panel-title" id="caller-title" { "1. Who is calling?" }
                form class="form form-inline" method="get" action="/desk/new" role="search" {
                    div class="field" {
                        label for="caller" { "Name or e-mail" }
                        input id="caller" name="caller" type="search" value=(search.unwrap_or("")) autofocus[caller.is_none()];
                    }
                    div class="form-actions" { button class="button" type="submit" { "Find" } }
                }
                @if let Some(text) = search {
                    @if matches.is_empty() {
                        p class="muted" { "Nobody matches “" (text) "”. Register the caller below." }
                    } @else {
                        ul class="pick-list" {
                            @for user in &matches {
                                li {
                                    a href={ "/desk/new?caller_id=" (user.id) } {
                                        strong { bdi { (user.name) } } " "
                                        span class="muted" { (user.email) }
                                        @if let Some(org) = org_name(user.organization_id) { " · " span class="muted" { (org) } }
                                        @if !user.active { " " span class="badge badge-status-cancelled" { "Deactivated" } }
                                    }
                                }
                            }
                        }
                    }
                }
                details class="action" open[!caller_errors.is_empty()] {
                    summary class="button button-quiet" { "Register a new caller…" }
                    form class="form" method="post" action="/desk/callers" {
                        (csrf_field(viewer))
                        (error_box(caller_errors.get("form")))
                        (text_input("c-name", "name", "Name", "text", &caller_form.name, true, None, caller_errors))
                        (text_input("c-email", "email", "E-mail", "email", &caller_form.email, true, None, caller_errors))
                        (select("c-org", "organization", "Organisation", &org_options, &caller_form.organization, caller_errors))
                        div class="form-actions" { button class="button" type="submit" { "Register caller" } }
                    }
                }
            }
            @if let Some(user) = &caller {
                section class="panel stack" aria-labelledby="open-title" {
                    h2 class="panel-title" id="open-title" { "2. " bdi { (user.name) } "’s open tickets" }
                    p class="muted small" { (user.email) @if let Some(org) = org_name(user.organization_id) { " · " (org) } }
                    @if rows.is_empty() {
                        p class="muted" { "No open tickets. If the call is about something new, log it below." }
                    } @else {
                        p { "Is the call about one of these? Open it and add to it instead of logging a duplicate." }
                        (tickets_table(&rows))
                    }
                }
            }
        }
        @if let Some(user) = &caller {
            section class="panel" aria-labelledby="log-title" {
                h2 class="panel-title" id="log-title" { "3. Log a new ticket for " bdi { (user.name) } }
                form class="form" method="post" action="/desk/new" {
                    (csrf_field(viewer))
                    input type="hidden" name="caller_id" value=(user.id);
                    (error_box(errors.get("form")))
                    (select("n-kind", "kind", "Kind", &kind_options, &form.kind, errors))
                    (text_input("n-title", "title", "Title", "text", &form.title, true, Some("One line the requester would recognise."), errors))
                    @let derr = errors.get("description");
                    (super::page::field("n-description", "Description", Some("What the caller said, in their words; what they tried."), derr, html! {
                        textarea id="n-description" name="description" rows="6" required
                            aria-invalid=[derr.map(|_| "true")] aria-describedby="n-description-hint" { (form.description) }
                    }))
                    div class="grid-2" {
                        (select("n-impact", "impact", "Impact (how much is affected)", &level_options(), &form.impact, errors))
                        (select("n-urgency", "urgency", "Urgency (how soon it is needed)", &level_options(), &form.urgency, errors))
                    }
                    div class="grid-2" {
                        (select("n-category", "category", "Category", &category_options(&categories, "Not yet known"), &form.category, errors))
                        (select("n-service", "service", "Service", &service_options, &form.service, errors))
                    }
                    div class="form-actions" { button class="button button-primary" type="submit" { "Log ticket" } }
                }
            }
        } @else if search.is_none() {
            (empty_state("Start with the caller", "Search by name or e-mail above. Their open tickets are shown before you log anything new.", None))
        }
    };
    let shell = Shell::new("Log a call", Area::Desk).current("/desk/new");
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

fn field_name(api_field: &str) -> &str {
    match api_field {
        "category_id" => "category",
        "service_id" => "service",
        "requester_id" => "form",
        "body" => "description",
        "organization_id" => "organization",
        other => other,
    }
}

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
            &FieldErrors::one("form", STALE_FORM),
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
        .map_err(|_| errors.add("kind", "Choose incident or request."))
        .ok();
    let title = Title::parse_as("title", &form.title)
        .map_err(|e| errors.add("title", sentence(&e.message)))
        .ok();
    let description = Body::parse_as("description", &form.description)
        .map_err(|e| errors.add("description", sentence(&e.message)))
        .ok();
    let impact = Impact::parse(&form.impact)
        .map_err(|_| errors.add("impact", "Choose an impact."))
        .ok();
    let urgency = Urgency::parse(&form.urgency)
        .map_err(|_| errors.add("urgency", "Choose an urgency."))
        .ok();
    let category = optional_id(Some(&form.category))
        .map_err(|()| errors.add("category", "Choose a category from the list."))
        .ok()
        .flatten();
    let service = optional_id(Some(&form.service))
        .map_err(|()| errors.add("service", "Choose a service from the list."))
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
            Err(AppError::Validation(e)) => errors.add(field_name(e.field), sentence(&e.message)),
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
        .map_err(|()| errors.add("organization", "Choose an organisation from the list."))
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
            Err(AppError::Duplicate(_)) => errors.add(
                "email",
                "Someone with this e-mail address is already registered. Search for them instead.",
            ),
            Err(AppError::Validation(e)) => errors.add(field_name(e.field), sentence(&e.message)),
            Err(e) => return Err(e.into()),
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

/// `first response` → `First response`.
fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
