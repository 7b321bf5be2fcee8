//! Queues with filters, counts and cursor paging, and the global search box.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use serde::Deserialize;
use spoc_app::{AppError, TicketFilter, TicketSort};
use spoc_domain::priority::Priority;
use spoc_domain::ticket::{Status, Ticket, TicketKind};
use spoc_domain::{CategoryId, GroupId};

use crate::forms::{non_empty, optional_id};
use crate::links::encode;
use crate::page::{Area, FieldErrors, Shell, empty_state, select, text_input};
use crate::session::{UiError, Viewer, sentence};
use crate::views::{Lookup, TicketRow, tickets_table};
use spoc_http::AppState;
use spoc_http::params::{decode_cursor, encode_cursor, parse_sort, sort_name};

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
                filter.assignee_id = Some(Some(viewer.user_id));
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
    let categories = app.list_categories(viewer.actor.tenant_id).await?;
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
                    crate::page::status_label(*s).to_owned(),
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
pub(crate) fn category_options(
    categories: &[spoc_app::Category],
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
