//! Queue rows: one line per ticket with its priority, status, age and most pressing SLA clock,
//! and the table the agents' queues show them in.

use maud::{Markup, html};
use spoc_domain::Timestamp;
use spoc_domain::priority::Priority;
use spoc_domain::ticket::{PendingReason, Status, Ticket, TicketKind};

use crate::i18n::views::Views;
use crate::i18n::words::column;
use crate::i18n::{t, tr};
use crate::page::{priority_badge, status_badge};
use crate::timefmt::{age, iso, when};
use crate::views::Lookup;
use crate::views::timeline::inline;
use spoc_app::QueueColumn;

/// One line of a queue.
#[derive(Clone, Debug)]
pub struct TicketRow {
    /// Link to the ticket.
    pub href: String,
    /// `INC-000042`.
    pub number: String,
    /// Title.
    pub title: String,
    /// Incident or request.
    pub kind: TicketKind,
    /// Requester's name.
    pub requester: String,
    /// Requester's organisation.
    pub organization: Option<String>,
    /// Priority.
    pub priority: Priority,
    /// Status.
    pub status: Status,
    /// Why it waits.
    pub pending_reason: Option<PendingReason>,
    /// Owning group.
    pub group: String,
    /// Assignee's name.
    pub assignee: Option<String>,
    /// A lead was alerted.
    pub escalated: bool,
    /// How old.
    pub age: String,
    /// When logged, in full.
    pub created: String,
    /// When logged, machine-readable.
    pub created_iso: String,
    /// The most pressing SLA clock, for a badge.
    pub sla: Option<SlaBadge>,
}

/// An SLA state as a badge: class suffix and words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlaBadge {
    /// `on-track`, `at-risk`, `breached`, `paused`, `met`.
    pub class: &'static str,
    /// What it says.
    pub text: String,
    /// Longer words for a tooltip.
    pub title: String,
}

/// The badge for one clock at `now`.
pub fn sla_badge(clock: &spoc_app::ClockView, now: Timestamp) -> SlaBadge {
    use spoc_domain::sla::{ClockState, describe_duration};
    let name = super::timeline::target_name(clock.target);
    let left = clock
        .due_at
        .map(|due| describe_duration(due.as_micros() - now.as_micros()));
    let (class, text) = match clock.state {
        ClockState::Breached => ("breached", t(Views::SlaBreached).to_owned()),
        ClockState::Paused => ("paused", t(Views::SlaPaused).to_owned()),
        ClockState::Met => ("met", t(Views::SlaMet).to_owned()),
        ClockState::Running => {
            let at_risk = clock.elapsed_micros
                >= clock.target_micros / 100 * i64::from(clock.warning_percent);
            (
                if at_risk { "at-risk" } else { "on-track" },
                left.map_or_else(
                    || t(Views::SlaRunning).to_owned(),
                    |l| tr(Views::SlaLeft, &[&l]),
                ),
            )
        }
    };
    SlaBadge {
        class,
        title: tr(Views::SlaBadgeTitle, &[&name, &inline(&text)]),
        text,
    }
}

/// A clock explained in one line: target, policy and calendar, pauses, due time, share used.
pub fn explain_clock(clock: &spoc_app::ClockView) -> String {
    use spoc_domain::sla::describe_duration;
    let calendar = if clock.always_open {
        tr(Views::ClockAroundTheClock, &[&clock.time_zone])
    } else {
        tr(Views::ClockBusinessHours, &[&clock.time_zone])
    };
    let mut text = tr(
        Views::ClockTarget,
        &[
            &describe_duration(clock.target_micros),
            &clock.policy,
            &calendar,
        ],
    );
    if clock.paused_micros > 0 {
        text.push_str(&tr(
            Views::ClockPaused,
            &[&describe_duration(clock.paused_micros)],
        ));
    }
    if let Some(due) = clock.due_at {
        text.push_str(&tr(Views::ClockDue, &[&when(due)]));
    }
    let used = if clock.target_micros > 0 {
        clock.elapsed_micros.saturating_mul(100) / clock.target_micros
    } else {
        0
    };
    text.push_str(&tr(Views::ClockUsed, &[&used]));
    text
}

/// The clock a queue shows: a running breach first, then the running clock due soonest, then a
/// paused one, then the resolution clock's outcome.
pub fn pressing_clock(clocks: &[spoc_app::ClockView]) -> Option<&spoc_app::ClockView> {
    use spoc_domain::sla::ClockState;
    let live = |c: &&spoc_app::ClockView| {
        matches!(c.state, ClockState::Running | ClockState::Paused)
            || (c.state == ClockState::Breached && c.due_at.is_some())
    };
    clocks
        .iter()
        .filter(live)
        .min_by_key(|c| {
            (
                c.state != ClockState::Breached,
                c.state == ClockState::Paused,
                c.due_at.map(|d| d.as_micros()).unwrap_or(i64::MAX),
            )
        })
        .or_else(|| {
            clocks
                .iter()
                .find(|c| c.target == spoc_domain::sla::SlaTarget::Resolution)
        })
}

impl TicketRow {
    /// The row for `ticket`, linking under `base` (`/desk/tickets` or `/portal/tickets`).
    pub fn new(ticket: &Ticket, lookup: &Lookup, now: Timestamp, base: &str) -> Self {
        Self {
            href: format!("{base}/{}", ticket.id),
            number: ticket.number().to_string(),
            title: ticket.title.clone(),
            kind: ticket.kind,
            requester: lookup.person(ticket.requester_id),
            organization: lookup.organization(ticket.organization_id),
            priority: ticket.priority,
            status: ticket.status,
            pending_reason: ticket.pending_reason,
            group: lookup.group(ticket.group_id),
            assignee: ticket.assignee_id.map(|id| lookup.person(id)),
            escalated: ticket.escalated,
            age: age(now, ticket.created_at),
            created: when(ticket.created_at),
            created_iso: iso(ticket.created_at),
            sla: lookup
                .sla
                .get(&ticket.id)
                .and_then(|clocks| pressing_clock(clocks))
                .map(|clock| sla_badge(clock, now)),
        }
    }
}

/// The agents' queue table.
pub fn tickets_table(rows: &[TicketRow]) -> Markup {
    html! {
        div class="table-wrap" {
            table class="tickets data" {
                caption class="visually-hidden" { (t(Views::TableTickets)) }
                thead {
                    tr {
                        th scope="col" { (t(Views::TableTicket)) }
                        th scope="col" { (column(QueueColumn::Title)) }
                        th scope="col" { (column(QueueColumn::Priority)) }
                        th scope="col" { (column(QueueColumn::Status)) }
                        th scope="col" { (column(QueueColumn::Sla)) }
                        th scope="col" { (column(QueueColumn::Group)) }
                        th scope="col" { (column(QueueColumn::Assignee)) }
                        th scope="col" { (column(QueueColumn::Age)) }
                    }
                }
                tbody {
                    @for row in rows {
                        tr class={ "priority-" (row.priority.as_str().to_lowercase()) } {
                            td class="nowrap mono" { a href=(row.href) { (row.number) } }
                            td class="ticket-title" {
                                a href=(row.href) { bdi { (row.title) } }
                                div class="muted small" {
                                    (crate::page::kind_label(row.kind)) " · " bdi { (row.requester) }
                                    @if let Some(org) = &row.organization { " · " bdi { (org) } }
                                }
                            }
                            td class="nowrap" { (priority_badge(row.priority)) }
                            td class="nowrap" {
                                (status_badge(row.status))
                                @if row.escalated { " " span class="badge badge-escalated" { (t(Views::Escalated)) } }
                                @if let Some(reason) = row.pending_reason {
                                    div class="muted small" { (crate::page::pending_label(reason)) }
                                }
                            }
                            td class="nowrap" {
                                @if let Some(badge) = &row.sla {
                                    span class={ "badge badge-sla-" (badge.class) } title=(badge.title) { (badge.text) }
                                } @else { span class="muted" { "—" } }
                            }
                            td { (row.group) }
                            td { @if let Some(a) = &row.assignee { bdi { (a) } } @else { span class="muted" { (t(Views::Unassigned)) } } }
                            td class="age nowrap" { time datetime=(row.created_iso) title=(row.created) { (row.age) } }
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
    use crate::views::fixtures::{lookup, ticket};

    #[test]
    fn queue_rows_escape_text_and_show_priority_status_and_age_at_a_glance() {
        let t = ticket("<script>alert(1)</script>");
        let now = Timestamp::from_micros(t.created_at.as_micros() + 3 * 3_600_000_000);
        let row = TicketRow::new(&t, &lookup(), now, "/desk/tickets");
        let html = tickets_table(&[row]).into_string();
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script>"));
        assert!(html.contains("Una &lt;i&gt;User&lt;/i&gt;"));
        assert!(html.contains(r#"<tr class="priority-p1">"#));
        assert!(html.contains(r#"href="/desk/tickets/42">INC-000042</a>"#));
        assert!(html.contains(r#"class="badge badge-priority-p1">P1 critical<"#));
        assert!(html.contains(r#"class="badge badge-status-pending">Pending<"#));
        assert!(html.contains("Waiting for the user"));
        assert!(html.contains(r#"class="badge badge-escalated""#));
        assert!(html.contains(">3 h</time>"));
        assert!(html.contains("Unassigned"));
        assert!(html.contains(r#"<th scope="col">Priority</th>"#));
    }

    #[test]
    fn sla_badges_say_how_it_stands() {
        use spoc_domain::sla::{ClockState, SlaTarget};
        let now = Timestamp::from_micros(1_800_000_000_000_000);
        let clock = |state, elapsed: i64, due: Option<i64>| spoc_app::ClockView {
            target: SlaTarget::Resolution,
            due_at: due.map(|m| Timestamp::from_micros(now.as_micros() + m * 60_000_000)),
            state,
            elapsed_micros: elapsed * 60_000_000,
            target_micros: 240 * 60_000_000,
            paused_micros: 130 * 60_000_000,
            policy: "Standard".to_owned(),
            time_zone: "Europe/Stockholm".to_owned(),
            always_open: false,
            warning_percent: 75,
        };
        let on_track = sla_badge(&clock(ClockState::Running, 60, Some(180)), now);
        assert_eq!(
            (on_track.class, on_track.text.as_str()),
            ("on-track", "3 h left")
        );
        let at_risk = sla_badge(&clock(ClockState::Running, 200, Some(40)), now);
        assert_eq!(
            (at_risk.class, at_risk.text.as_str()),
            ("at-risk", "40 min left")
        );
        assert_eq!(
            sla_badge(&clock(ClockState::Breached, 300, Some(-60)), now).class,
            "breached"
        );
        assert_eq!(
            sla_badge(&clock(ClockState::Paused, 60, None), now).text,
            "Paused"
        );
        let line = explain_clock(&clock(ClockState::Running, 60, Some(180)));
        assert!(line.starts_with("target 4 h (Standard; Europe/Stockholm business hours); paused 2 h 10 min in all; due "), "{line}");
        assert!(line.ends_with("; 25 % used"), "{line}");
        // The queue shows a running breach before a clock merely running.
        let clocks = vec![
            clock(ClockState::Running, 10, Some(200)),
            clock(ClockState::Breached, 300, Some(-5)),
        ];
        assert_eq!(
            pressing_clock(&clocks).map(|c| c.state),
            Some(ClockState::Breached)
        );
    }

    #[tokio::test]
    async fn rows_and_badges_are_written_in_the_readers_language() {
        use spoc_domain::sla::{ClockState, SlaTarget};
        let german = crate::i18n::Reader {
            language: spoc_app::Language::De,
            ..crate::i18n::Reader::default()
        };
        let t = ticket("Drucker");
        let now = Timestamp::from_micros(t.created_at.as_micros() + 3 * 3_600_000_000);
        let clock = spoc_app::ClockView {
            target: SlaTarget::Resolution,
            due_at: Some(Timestamp::from_micros(now.as_micros() + 180 * 60_000_000)),
            state: ClockState::Running,
            elapsed_micros: 60 * 60_000_000,
            target_micros: 240 * 60_000_000,
            paused_micros: 0,
            policy: "Standard".to_owned(),
            time_zone: "Europe/Berlin".to_owned(),
            always_open: true,
            warning_percent: 75,
        };
        let (html, badge, line) = crate::i18n::with_reader(german, async move {
            let row = TicketRow::new(&t, &lookup(), now, "/desk/tickets");
            (
                tickets_table(&[row]).into_string(),
                sla_badge(&clock, now),
                explain_clock(&clock),
            )
        })
        .await;
        assert!(html.contains(r#"<th scope="col">Priorität</th>"#), "{html}");
        assert!(html.contains("Nicht zugewiesen"), "{html}");
        assert!(html.contains("Eskaliert"), "{html}");
        assert_eq!(badge.text, "noch 3 h");
        assert_eq!(badge.title, "Ziel Lösung: noch 3 h");
        assert!(
            line.starts_with("Ziel 4 h (Standard; Europe/Berlin, rund um die Uhr); fällig "),
            "{line}"
        );
        assert!(line.ends_with("; 25 % verbraucht"), "{line}");
    }
}
