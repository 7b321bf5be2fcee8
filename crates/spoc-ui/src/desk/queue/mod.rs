//! Queues with filters, counts and cursor paging, saved views, chosen columns, bulk actions,
//! unread marks, and the global search box.

mod bulk;
mod filters;
mod table;
mod views;

pub(crate) use bulk::bulk;
pub(crate) use filters::QueueState;
pub(crate) use views::{create_view, delete_view, rename_view, save_columns};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use spoc_app::{AppError, TicketFilter, TicketSort};

use spoc_domain::ticket::{Status, Ticket};

use self::filters::{FilterChoices, filter_form};
use self::table::{QueueRow, queue_table};
use crate::i18n::queue::Queue as Q;
use crate::i18n::{count, t};
use crate::links::encode;
use crate::page::{Area, FieldErrors, Shell, empty_state};
use crate::session::{UiError, Viewer, sentence};
use crate::views::{Lookup, TicketRow};
use spoc_http::AppState;
use spoc_http::params::{decode_cursor, encode_cursor, sort_name};

/// The named queues of the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Queue {
    Mine,
    Unassigned,
    Groups,
    AllOpen,
    Search,
}

impl Queue {
    pub(crate) fn parse(value: Option<&str>) -> Self {
        match value.unwrap_or("mine") {
            "unassigned" => Self::Unassigned,
            "groups" => Self::Groups,
            "open" => Self::AllOpen,
            "search" => Self::Search,
            _ => Self::Mine,
        }
    }

    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::Mine => "mine",
            Self::Unassigned => "unassigned",
            Self::Groups => "groups",
            Self::AllOpen => "open",
            Self::Search => "search",
        }
    }

    fn title(self) -> &'static str {
        t(match self {
            Self::Mine => Q::TitleMine,
            Self::Unassigned => Q::TitleUnassigned,
            Self::Groups => Q::TitleGroups,
            Self::AllOpen => Q::TitleAllOpen,
            Self::Search => Q::TitleSearch,
        })
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
        let (title, text) = match self {
            Self::Mine => (Q::EmptyMineTitle, Q::EmptyMineText),
            Self::Unassigned => (Q::EmptyUnassignedTitle, Q::EmptyUnassignedText),
            Self::Groups => (Q::EmptyOpenTitle, Q::EmptyGroupsText),
            Self::AllOpen => (Q::EmptyOpenTitle, Q::EmptyAllOpenText),
            Self::Search => (Q::EmptySearchTitle, Q::EmptySearchText),
        };
        (t(title), t(text))
    }
}

/// What a page of the queue shows besides the tickets: the save-view form's values and
/// errors, the outcome of a bulk action.
#[derive(Debug, Default)]
pub(crate) struct QueueExtras {
    /// The name typed into "Save this view", when it came back with an error.
    pub view_name: String,
    /// Shared was ticked.
    pub view_shared: bool,
    /// Errors of the view and column forms and of the bulk form.
    pub errors: FieldErrors,
    /// What a bulk action did.
    pub bulk: Option<bulk::BulkReport>,
    /// The bulk form as sent, when it came back with an error (its choices and selection).
    pub bulk_sent: Vec<(String, String)>,
    /// A fixed confirmation.
    pub flash: Option<&'static str>,
}

/// `GET /desk`: a queue.
pub async fn queue(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let page = QueueState::from_pairs(&pairs);
    let flash = match pairs
        .iter()
        .find(|(k, _)| k == "ok")
        .map(|(_, v)| v.as_str())
    {
        Some("view_saved") => Some(t(Q::ViewSaved)),
        Some("view_renamed") => Some(t(Q::ViewRenamed)),
        Some("view_deleted") => Some(t(Q::ViewDeleted)),
        Some("columns") => Some(t(Q::ColumnsSaved)),
        _ => None,
    };
    render_queue(
        &state,
        &viewer,
        page,
        QueueExtras {
            flash,
            ..QueueExtras::default()
        },
    )
    .await
}

/// The orders offered.
fn sort_options() -> Vec<(String, String)> {
    let sort = |sort: TicketSort, label: Q| (sort_name(sort).to_owned(), t(label).to_owned());
    vec![
        (String::new(), t(Q::SortDefault).to_owned()),
        sort(TicketSort::PriorityAsc, Q::SortUrgent),
        sort(TicketSort::DueAsc, Q::SortDue),
        sort(TicketSort::CreatedAsc, Q::SortOldest),
        sort(TicketSort::CreatedDesc, Q::SortNewest),
        sort(TicketSort::UpdatedDesc, Q::SortRecentlyChanged),
        sort(TicketSort::UpdatedAsc, Q::SortUntouched),
    ]
}

/// The ticket filter of a page state: the queue's own, then the person's filters.
pub(crate) fn page_filter(
    viewer: &Viewer,
    page: &QueueState,
    errors: &mut FieldErrors,
) -> TicketFilter {
    let mut filter = page.queue().filter(viewer);
    page.apply(&mut filter, viewer.user_id, errors);
    filter
}

/// Renders a page of the queue for `page`.
pub(crate) async fn render_queue(
    state: &AppState,
    viewer: &Viewer,
    page: QueueState,
    extras: QueueExtras,
) -> Result<Response, UiError> {
    let app = &state.app;
    let queue = page.queue();
    let mut errors = FieldErrors::none();
    let mut filter = page_filter(viewer, &page, &mut errors);
    filter.limit = 50;
    if let Some(cursor) = page.cursor.as_deref() {
        // A stale or foreign cursor simply starts from the first page.
        filter.after = decode_cursor(filter.sort, cursor).ok();
    }

    let mut counts = Vec::new();
    for q in Queue::available(viewer) {
        let total = app
            .list_tickets(&viewer.actor, q.filter(viewer))
            .await?
            .total;
        counts.push((q, total));
    }
    let views = app.list_saved_views(&viewer.actor).await?;
    let mut view_counts = Vec::new();
    for view in &views {
        let pairs: Vec<(String, String)> = query_pairs(&view.query);
        let view_state = QueueState::from_pairs(&pairs);
        let mut ignored = FieldErrors::none();
        let mut view_filter = page_filter(viewer, &view_state, &mut ignored);
        view_filter.limit = 1;
        let total = match app.list_tickets(&viewer.actor, view_filter).await {
            Ok(p) => Some(p.total),
            Err(AppError::Validation(_)) => None,
            Err(e) => return Err(e.into()),
        };
        view_counts.push(total);
    }
    let current_view = page.view.and_then(|id| views.iter().find(|v| v.id == id));

    let listing = if errors.is_empty() {
        match app.list_tickets(&viewer.actor, filter.clone()).await {
            Ok(listing) => listing,
            Err(AppError::Validation(e)) => {
                errors.add("q", sentence(&e.message));
                empty_page()
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        empty_page()
    };
    let tickets: Vec<&Ticket> = listing.tickets.iter().collect();
    let mut lookup = Lookup::load(app, &viewer.actor, &tickets, &[]).await?;
    // A queue spanning granted tenants: each tenant's names through its linked account.
    let tenant_names = app.queue_tenants(&viewer.actor).await?;
    for link in app.links_of(&viewer.actor).await? {
        let theirs: Vec<&Ticket> = listing
            .tickets
            .iter()
            .zip(&listing.tenants)
            .filter(|(_, tenant)| **tenant == link.tenant_id)
            .map(|(ticket, _)| ticket)
            .collect();
        if !theirs.is_empty() {
            let linked = link.actor(&viewer.actor);
            lookup.merge(Lookup::load(app, &linked, &theirs, &[]).await?);
        }
    }
    let marks = app.ticket_marks(&viewer.actor, &tickets).await?;
    let now = app.now();
    let rows: Vec<QueueRow> = listing
        .tickets
        .iter()
        .zip(&listing.tenants)
        .map(|(t, tenant)| QueueRow {
            tenant: tenant_names
                .iter()
                .find(|(id, _)| id == tenant)
                .map(|(_, name)| name.clone()),
            id: t.id.get(),
            row: TicketRow::new(t, &lookup, now, "/desk/tickets"),
            category: lookup.category(t.subcategory_id.or(t.category_id)),
            updated: (
                crate::timefmt::age(now, t.updated_at),
                crate::timefmt::iso(t.updated_at),
                crate::timefmt::when(t.updated_at),
            ),
            marks: marks.get(&t.id).copied().unwrap_or_default(),
        })
        .collect();
    let my_columns = app.queue_columns(&viewer.actor).await?;
    let columns = page.columns(&my_columns);

    let groups = app.list_groups(&viewer.actor).await?;
    let categories = app.list_categories(viewer.actor.tenant_id).await?;
    let services = app.list_services(viewer.actor.tenant_id).await?;
    let organizations = app.list_organizations(&viewer.actor).await?;
    let people = app.list_users(&viewer.actor, None, 500).await?;
    let choices = FilterChoices {
        groups: groups
            .iter()
            .map(|g| (g.id.to_string(), g.name.clone()))
            .collect(),
        agents: people
            .iter()
            .filter(|p| p.role.is_staff() && p.active)
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect(),
        requesters: people
            .iter()
            .filter(|p| !p.role.is_staff())
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect(),
        organizations: organizations
            .iter()
            .map(|o| (o.id.to_string(), o.name.clone()))
            .collect(),
        categories: crate::views::category_options(&categories, "")
            .into_iter()
            .filter(|(id, _)| !id.is_empty())
            .collect(),
        services: services
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect(),
        sorts: sort_options(),
    };
    let routing = bulk::routing_options(state, viewer).await?;

    let next_href = listing.next.map(|cursor| {
        format!(
            "/desk?{}&cursor={}",
            page.page_query(),
            encode(&encode_cursor(filter.sort, cursor))
        )
    });
    let first_href = filter.after.map(|_| format!("/desk?{}", page.page_query()));
    let (empty_title, empty_text) = queue.empty_text();
    let notice = match page.notice.as_deref() {
        Some("no_such_ticket") => Some(t(Q::NoSuchTicket)),
        _ => None,
    };
    let title = current_view.map_or(queue.title(), |v| v.name.as_str());
    let here = page.query_string();
    let body = html! {
        div class="page-head queue-head" {
            div { h1 { (title) } }
            div class="page-actions" {
                button class="button button-quiet button-small" type="button" id="shortcuts-open" hidden { (t(Q::KeyboardShortcuts)) }
                a class="button button-primary" href="/desk/new" { (t(Q::LogCall)) }
            }
        }
        @if let Some(notice) = notice { div class="flash flash-info" role="status" { (notice) } }
        @if let Some(flash) = extras.flash { div class="flash flash-success" role="status" { (flash) } }
        @if let Some(report) = &extras.bulk { (bulk::report(report)) }
        div class="live-banner" id="live-banner" role="status" hidden {}
        div class="queue-layout" {
            nav class="queue-nav" aria-label=(t(Q::Queues)) id="queue-nav" {
                ul {
                    @for (q, total) in &counts {
                        li {
                            a href={ "/desk?queue=" (q.key()) } aria-current=[(*q == queue && current_view.is_none() && page.active() == 0).then_some("page")] {
                                span { (q.title()) }
                                span class="count" { (total) }
                            }
                        }
                    }
                }
                @if !views.is_empty() {
                    h2 class="queue-nav-title" { (t(Q::Views)) }
                    ul {
                        @for (view, total) in views.iter().zip(&view_counts) {
                            li {
                                a href={ "/desk?" (view.query) "&view=" (view.id) } aria-current=[(page.view == Some(view.id)).then_some("page")] {
                                    span { (view.name) @if view.shared { span class="visually-hidden" { " " (t(Q::Shared)) } } }
                                    span class="count" { @if let Some(total) = total { (total) } @else { "—" } }
                                }
                            }
                        }
                    }
                }
            }
            section class="queue-main" aria-label=(t(Q::Tickets)) {
                div class="queue-tools" {
                    (filter_form(&page, &choices, &errors))
                    (views::save_form(viewer, &here, current_view, &extras))
                    (views::columns_form(viewer, &here, &columns, &extras))
                }
                div id="queue-results" data-live="queue" {
                    @let count_text = count(listing.total, Q::TicketsOne, Q::TicketsOther);
                    @if rows.is_empty() {
                        p class="result-count muted" { (count_text) }
                        @if queue == Queue::Unassigned && viewer.actor.group_ids.is_empty() && page.active() == 0 {
                            (empty_state(t(Q::NoGroupTitle), t(Q::NoGroupText), None))
                        } @else {
                            (empty_state(empty_title, empty_text, Some(("/desk/new", t(Q::LogCall)))))
                        }
                    } @else {
                        (bulk::bulk_form(viewer, &here, &routing, &extras.errors, &extras.bulk_sent, &count_text))
                        (queue_table(&rows, &columns, &bulk::selected(&extras.bulk_sent)))
                    }
                    @if next_href.is_some() || first_href.is_some() {
                        nav class="pager" aria-label=(t(Q::Pages)) {
                            @if let Some(href) = &first_href { a class="button button-quiet button-small" href=(href) { (t(Q::FirstPage)) } }
                            @if let Some(href) = &next_href { a class="button button-quiet button-small" href=(href) rel="next" { (t(Q::NextPage)) } }
                        }
                    }
                }
            }
        }
    };
    let status = if errors.is_empty() && extras.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let shell = Shell::new(title, Area::Desk).current("/desk");
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

fn empty_page() -> spoc_app::TicketPage {
    spoc_app::TicketPage {
        tickets: Vec::new(),
        total: 0,
        next: None,
        tenants: Vec::new(),
    }
}

/// A stored query string as name–value pairs.
pub(crate) fn query_pairs(query: &str) -> Vec<(String, String)> {
    axum::extract::Query::<Vec<(String, String)>>::try_from_uri(
        &format!("/?{query}").parse().unwrap_or_default(),
    )
    .map(|q| q.0)
    .unwrap_or_default()
}
