//! The queue page's state as it travels in the URL: which queue, the filters (each may repeat),
//! the words, the order and the columns. A saved view stores exactly this query string.

use maud::{Markup, html};
use spoc_app::{QueueColumn, TicketFilter};
use spoc_domain::UserId;
use spoc_domain::priority::Priority;
use spoc_domain::sla::SlaStanding;
use spoc_domain::ticket::Status;
use spoc_http::params::parse_sort;
use spoc_http::queue_filter::{apply_param, canonical};

use crate::i18n::queue::Queue as Q;
use crate::i18n::words::column;
use crate::i18n::{t, tr};
use crate::links::encode;
use crate::page::{FieldErrors, select, text_input};

use super::Queue;

/// The queue page's state.
#[derive(Clone, Debug, Default)]
pub(crate) struct QueueState {
    /// The queue (`mine`, `unassigned`, …).
    pub queue: Option<String>,
    /// Filters, canonical names (`group`, not `group_id`), non-empty values, in order.
    pub filters: Vec<(&'static str, String)>,
    /// Words or a ticket number.
    pub q: String,
    /// Order.
    pub sort: String,
    /// Columns, comma-separated (a view's own columns), if set.
    pub cols: Option<String>,
    /// The saved view shown.
    pub view: Option<i64>,
    /// Where the page starts.
    pub cursor: Option<String>,
    /// A fixed notice key.
    pub notice: Option<String>,
}

impl QueueState {
    /// Reads the state from the query's name–value pairs; unknown names are ignored.
    pub(crate) fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut state = Self::default();
        for (name, value) in pairs {
            let value = value.trim();
            match name.as_str() {
                "queue" => state.queue = Some(value.to_owned()),
                "q" => value.clone_into(&mut state.q),
                "sort" => value.clone_into(&mut state.sort),
                "cols" => {
                    let cols = state.cols.get_or_insert_with(String::new);
                    if !value.is_empty() {
                        if !cols.is_empty() {
                            cols.push(',');
                        }
                        cols.push_str(value);
                    }
                }
                "view" => state.view = value.parse().ok(),
                "cursor" if !value.is_empty() => state.cursor = Some(value.to_owned()),
                "notice" => state.notice = Some(value.to_owned()),
                other => {
                    if let Some(field) = canonical(other) {
                        for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                            state.filters.push((field, part.to_owned()));
                        }
                    }
                }
            }
        }
        state
    }

    /// The queue.
    pub(crate) fn queue(&self) -> Queue {
        Queue::parse(self.queue.as_deref())
    }

    /// Whether `field` has `value`.
    pub(crate) fn has(&self, field: &str, value: &str) -> bool {
        self.filters.iter().any(|(f, v)| *f == field && v == value)
    }

    /// The values of `field`.
    pub(crate) fn values(&self, field: &str) -> Vec<String> {
        self.filters
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// How many filters the person set (words and order included).
    pub(crate) fn active(&self) -> usize {
        let mut fields: Vec<&str> = self.filters.iter().map(|(f, _)| *f).collect();
        fields.dedup();
        fields.len() + usize::from(!self.q.is_empty()) + usize::from(!self.sort.is_empty())
    }

    /// The query string that reproduces the page (without cursor, notice or view).
    pub(crate) fn query_string(&self) -> String {
        let mut parts = vec![format!("queue={}", self.queue().key())];
        for (field, value) in &self.filters {
            parts.push(format!("{field}={}", encode(value)));
        }
        if !self.q.is_empty() {
            parts.push(format!("q={}", encode(&self.q)));
        }
        if !self.sort.is_empty() {
            parts.push(format!("sort={}", encode(&self.sort)));
        }
        if let Some(cols) = &self.cols {
            parts.push(format!("cols={}", encode(cols)));
        }
        parts.join("&")
    }

    /// The same, with the view it shows (for paging links).
    pub(crate) fn page_query(&self) -> String {
        match self.view {
            Some(view) => format!("{}&view={view}", self.query_string()),
            None => self.query_string(),
        }
    }

    /// Applies the person's filters on top of the queue's own; field errors for values that do
    /// not parse (the page still shows, with the error beside the filter).
    pub(crate) fn apply(&self, filter: &mut TicketFilter, me: UserId, errors: &mut FieldErrors) {
        if !self.sort.is_empty() {
            match parse_sort(Some(&self.sort)) {
                Ok(sort) => filter.sort = sort,
                Err(_) => errors.add("sort", t(Q::ChooseOrder)),
            }
        }
        if self.filters.iter().any(|(f, _)| *f == "status") {
            filter.statuses.clear();
        }
        for (field, value) in &self.filters {
            if errors.get(field).is_some() {
                continue;
            }
            if let Err(e) = apply_param(filter, field, value, Some(me)) {
                errors.add(field, sentence_for(field, &e.message));
            }
        }
        if !self.q.trim().is_empty() {
            filter.text = Some(self.q.clone());
        }
    }

    /// The columns the page shows: the view's own, else the person's.
    pub(crate) fn columns(&self, mine: &[QueueColumn]) -> Vec<QueueColumn> {
        self.cols
            .as_deref()
            .and_then(|cols| QueueColumn::parse_list(cols).ok())
            .unwrap_or_else(|| mine.to_vec())
    }
}

fn sentence_for(field: &str, message: &str) -> String {
    match field {
        "updated_since" => t(Q::GiveDate).to_owned(),
        "assignee" => t(Q::ChoosePeople).to_owned(),
        "status" | "priority" | "sla" | "kind" => t(Q::ChooseFromList).to_owned(),
        _ => {
            tracing::debug!(field, message, "queue filter refused"); // i18n: not text (a log line)
            t(Q::ChooseFromList).to_owned()
        }
    }
}

/// What the filter form offers.
pub(crate) struct FilterChoices {
    /// Groups.
    pub groups: Vec<(String, String)>,
    /// Agents (assignees).
    pub agents: Vec<(String, String)>,
    /// Customers (requesters).
    pub requesters: Vec<(String, String)>,
    /// Organisations.
    pub organizations: Vec<(String, String)>,
    /// Categories.
    pub categories: Vec<(String, String)>,
    /// Services.
    pub services: Vec<(String, String)>,
    /// Orders.
    pub sorts: Vec<(String, String)>,
}

/// A group of checkboxes for one multi-value filter.
fn checks(
    field: &str,
    legend: &str,
    options: &[(String, String)],
    state: &QueueState,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(field);
    html! {
        fieldset class="field filter-choices" aria-describedby=[error.map(|_| format!("f-{field}-error"))] {
            legend { (legend) }
            @for (value, label) in options {
                label class="choice" {
                    input type="checkbox" name=(field) value=(value) checked[state.has(field, value)];
                    span { (label) }
                }
            }
            @if let Some(error) = error { p class="field-error" id={ "f-" (field) "-error" } { (error) } }
        }
    }
}

/// A multi-select list for one filter with many possible values.
fn many(
    field: &str,
    label: &str,
    options: &[(String, String)],
    state: &QueueState,
    errors: &FieldErrors,
) -> Markup {
    let id = format!("f-{field}");
    let error = errors.get(field);
    crate::page::field(
        &id,
        label,
        None,
        error,
        html! {
            select id=(id) name=(field) multiple size=(options.len().clamp(2, 4))
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| format!("{id}-error"))] {
                @for (value, text) in options {
                    option value=(value) selected[state.has(field, value)] { (text) }
                }
            }
        },
    )
}

/// The filter form: its state is the query string of `GET /desk`.
pub(crate) fn filter_form(
    state: &QueueState,
    choices: &FilterChoices,
    errors: &FieldErrors,
) -> Markup {
    let statuses: Vec<(String, String)> = Status::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_owned(),
                crate::page::status_label(*s).to_owned(),
            )
        })
        .collect();
    let priorities: Vec<(String, String)> = Priority::ALL
        .iter()
        .map(|p| {
            (
                p.as_str().to_owned(),
                crate::i18n::words::priority_with_code(*p),
            )
        })
        .collect();
    let standings: Vec<(String, String)> = SlaStanding::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_owned(),
                crate::i18n::words::sla_state(*s).to_owned(),
            )
        })
        .collect();
    let mut assignees = vec![
        ("me".to_owned(), t(Q::AssigneeMe).to_owned()),
        ("none".to_owned(), t(Q::AssigneeNobody).to_owned()),
    ];
    assignees.extend(choices.agents.iter().cloned());
    let since = state.values("updated_since").pop().unwrap_or_default();
    let active = state.active();
    html! {
        details class="filter-panel" open[active > 0 || !errors.is_empty()] {
            summary class="button button-quiet button-small" {
                (t(Q::FilterAndSort))
                @if active > 0 { " " (tr(Q::ActiveFilters, &[&active])) }
            }
            form class="filters" method="get" action="/desk" id="filter-form" {
                input type="hidden" name="queue" value=(state.queue().key());
                @if let Some(cols) = &state.cols { input type="hidden" name="cols" value=(cols); }
                div class="filter-grid" {
                    (text_input("f-q", "q", t(Q::Words), "search", &state.q, false, None, errors))
                    (select("f-sort", "sort", t(Q::Order), &choices.sorts, &state.sort, errors))
                    (text_input("f-updated_since", "updated_since", t(Q::ChangedSince), "date", &since, false, None, errors))
                    (checks("status", column(QueueColumn::Status), &statuses, state, errors))
                    (checks("priority", column(QueueColumn::Priority), &priorities, state, errors))
                    (checks("sla", t(Q::ServiceLevel), &standings, state, errors))
                    (many("assignee", column(QueueColumn::Assignee), &assignees, state, errors))
                    (many("group", column(QueueColumn::Group), &choices.groups, state, errors))
                    (many("requester", column(QueueColumn::Requester), &choices.requesters, state, errors))
                    (many("organization", column(QueueColumn::Organization), &choices.organizations, state, errors))
                    (many("category", column(QueueColumn::Category), &choices.categories, state, errors))
                    (many("service", t(Q::Service), &choices.services, state, errors))
                }
                div class="form-actions" {
                    button class="button button-small" type="submit" { (t(Q::Apply)) }
                    a class="button-link" href={ "/desk?queue=" (state.queue().key()) } { (t(Q::Clear)) }
                }
            }
        }
    }
}
