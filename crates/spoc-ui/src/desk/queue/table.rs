//! The dense queue table: one line per ticket, the columns each person chose, a checkbox per
//! row for bulk actions, and the unread and "customer replied" marks. On a phone each row is a
//! card (CSS), each cell labelled by its column.

use maud::{Markup, html};
use spoc_app::{QueueColumn, TicketMarks};

use crate::i18n::queue::Queue as Q;
use crate::i18n::{t, tr};
use crate::page::status_badge;
use crate::views::TicketRow;

/// One row with its marks and ticket id.
pub(crate) struct QueueRow {
    /// The ticket's id (the bulk checkbox's value).
    pub id: i64,
    /// What the row shows.
    pub row: TicketRow,
    /// Category name.
    pub category: Option<String>,
    /// Last change, in words and machine-readable.
    pub updated: (String, String, String),
    /// Unread / customer replied.
    pub marks: TicketMarks,
    /// The ticket's tenant, when the queue spans several (a provider agent's grants).
    pub tenant: Option<String>,
}

fn cell(column: QueueColumn, r: &QueueRow) -> Markup {
    let row = &r.row;
    match column {
        QueueColumn::Number => html! { a href=(row.href) tabindex="-1" { (row.number) } },
        QueueColumn::Title => html! {
            @if r.marks.unread {
                span class="unread-mark" title=(t(Q::Unread)) { span aria-hidden="true" { "●" } span class="visually-hidden" { (t(Q::UnreadLabel)) " " } }
            }
            @if r.marks.customer_replied { span class="badge badge-replied" { (t(Q::CustomerReplied)) } " " }
            a class="queue-open" href=(row.href) { bdi { (row.title) } }
        },
        QueueColumn::Status => html! {
            (status_badge(row.status))
            @if row.escalated { " " span class="badge badge-escalated" { (t(Q::Escalated)) } }
        },
        QueueColumn::Priority => html! {
            span class={ "badge badge-priority-" (row.priority.as_str().to_lowercase()) } title=(crate::i18n::words::priority_with_code(row.priority)) {
                (row.priority.as_str()) span class="visually-hidden" { " " (crate::i18n::words::priority(row.priority)) }
            }
        },
        QueueColumn::Sla => html! {
            @if let Some(badge) = &row.sla {
                span class={ "badge badge-sla-" (badge.class) } title=(badge.title) { (badge.text) }
            } @else { span class="muted" { "—" } }
        },
        QueueColumn::Requester => html! { bdi { (row.requester) } },
        QueueColumn::Organization => html! {
            @if let Some(org) = &row.organization { bdi { (org) } } @else { span class="muted" { "—" } }
        },
        QueueColumn::Group => html! { (row.group) },
        QueueColumn::Assignee => html! {
            @if let Some(a) = &row.assignee { bdi { (a) } } @else { span class="muted" { (t(Q::Unassigned)) } }
        },
        QueueColumn::Category => html! {
            @if let Some(c) = &r.category { (c) } @else { span class="muted" { "—" } }
        },
        QueueColumn::Age => {
            html! { time datetime=(row.created_iso) title=(row.created) { (row.age) } }
        }
        QueueColumn::Updated => {
            html! { time datetime=(r.updated.1) title=(r.updated.2) { (r.updated.0) } }
        }
    }
}

/// The queue table; checkboxes belong to the form `bulk-form`.
pub(crate) fn queue_table(rows: &[QueueRow], columns: &[QueueColumn], selected: &[i64]) -> Markup {
    // A single-company desk never sees the word "tenant": the column shows only when the
    // queue spans tenants.
    let spans_tenants = rows.iter().any(|r| r.tenant.is_some());
    html! {
        div class="queue-table-wrap" {
            table class="tickets data queue-table" id="queue-table" {
                caption class="visually-hidden" { (t(Q::Tickets)) }
                thead {
                    tr {
                        th scope="col" class="col-select" {
                            input type="checkbox" id="select-all" form="bulk-form" aria-label=(t(Q::SelectAll));
                        }
                        @if spans_tenants { th scope="col" class="col-tenant" { (t(Q::Tenant)) } }
                        @for column in columns {
                            th scope="col" class={ "col-" (column.as_str()) } { (crate::i18n::words::column(*column)) }
                        }
                    }
                }
                tbody {
                    @for r in rows {
                        tr class={ "queue-row priority-" (r.row.priority.as_str().to_lowercase())
                                @if r.marks.unread { " is-unread" } } // i18n: not text (CSS class)
                            data-href=(r.row.href) {
                            td class="col-select" {
                                input type="checkbox" name="ticket" value=(r.id) form="bulk-form"
                                    class="row-select" checked[selected.contains(&r.id)]
                                    aria-label=(tr(Q::SelectTicket, &[&r.row.number]));
                            }
                            @if spans_tenants {
                                td class="col-tenant" data-label=(t(Q::Tenant)) {
                                    @if let Some(name) = &r.tenant { bdi { (name) } }
                                }
                            }
                            @for column in columns {
                                td class={ "col-" (column.as_str()) } data-label=(crate::i18n::words::column(*column)) { (cell(*column, r)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spoc_domain::priority::Priority;
    use spoc_domain::ticket::{Status, TicketKind};

    fn row() -> QueueRow {
        QueueRow {
            id: 42,
            row: TicketRow {
                href: "/desk/tickets/42".into(),
                number: "INC-000042".into(),
                title: "<b>Printer</b>".into(),
                kind: TicketKind::Incident,
                requester: "Una".into(),
                organization: None,
                priority: Priority::P2,
                status: Status::New,
                pending_reason: None,
                group: "Service Desk".into(),
                assignee: None,
                escalated: false,
                age: "1 h".into(),
                created: "x".into(),
                created_iso: "y".into(),
                sla: None,
            },
            category: None,
            updated: ("1 h".into(), "x".into(), "y".into()),
            marks: TicketMarks {
                unread: true,
                customer_replied: true,
            },
            tenant: None,
        }
    }

    #[test]
    fn rows_show_chosen_columns_marks_and_a_checkbox() {
        let html = queue_table(
            &[row()],
            &[
                QueueColumn::Number,
                QueueColumn::Title,
                QueueColumn::Assignee,
            ],
            &[42],
        )
        .into_string();
        assert!(html.contains("&lt;b&gt;Printer&lt;/b&gt;"), "{html}");
        assert!(html.contains(r#"name="ticket" value="42" form="bulk-form""#));
        assert!(html.contains(r#"class="row-select" checked"#), "{html}");
        assert!(html.contains("Customer replied"));
        assert!(html.contains("is-unread"));
        assert!(html.contains(r#"data-label="Assignee""#));
        assert!(!html.contains("col-priority"));
        assert!(!html.contains("Tenant"), "one tenant: no tenant column");
        let mut spanning = row();
        spanning.tenant = Some("Acme <Ltd>".into());
        let html = queue_table(&[spanning], &[QueueColumn::Number], &[]).into_string();
        assert!(
            html.contains(r#"<th scope="col" class="col-tenant">Tenant</th>"#),
            "{html}"
        );
        assert!(html.contains("<bdi>Acme &lt;Ltd&gt;</bdi>"), "{html}");
    }

    #[tokio::test]
    async fn the_table_is_written_in_the_readers_language() {
        let german = crate::i18n::Reader {
            language: spoc_app::Language::De,
            ..crate::i18n::Reader::default()
        };
        let columns = [QueueColumn::Title, QueueColumn::Assignee];
        let (html, filters) = crate::i18n::with_reader(german, async move {
            let choices = super::super::filters::FilterChoices {
                groups: Vec::new(),
                agents: Vec::new(),
                requesters: Vec::new(),
                organizations: Vec::new(),
                categories: Vec::new(),
                services: Vec::new(),
                sorts: super::super::sort_options(),
            };
            let state = super::super::QueueState::default();
            let errors = crate::page::FieldErrors::none();
            (
                queue_table(&[row()], &columns, &[]).into_string(),
                super::super::filters::filter_form(&state, &choices, &errors).into_string(),
            )
        })
        .await;
        assert!(html.contains(r#"data-label="Zuständig""#), "{html}");
        assert!(html.contains("Antwort der anfragenden Person"), "{html}");
        assert!(html.contains("Ungelesen: "), "{html}");
        assert!(
            html.contains(r#"aria-label="INC-000042 auswählen""#),
            "{html}"
        );
        assert!(html.contains("Nicht zugewiesen"), "{html}");
        assert!(filters.contains("Filtern und sortieren"), "{filters}");
        assert!(filters.contains("Dringendste zuerst"), "{filters}");
        assert!(filters.contains("Niemand (nicht zugewiesen)"), "{filters}");
    }
}
