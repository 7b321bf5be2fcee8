//! The timeline's unit tests.

use super::*;
use crate::views::fixtures::{attachment, email, event, lookup, ticket};
use spoc_app::InboundOutcome;
use spoc_domain::org::Tier;
use spoc_domain::priority::{Impact, Priority, Urgency};
use spoc_domain::sla::{ClockChange, SlaTarget};
use spoc_domain::ticket::{PendingReason, Status, TicketKind};
use spoc_domain::{GroupId, UserId};

#[test]
fn the_timeline_sets_internal_notes_apart_and_escapes_bodies() {
    let t = ticket("Printer");
    let events = vec![
        event(
            1,
            EventData::Commented {
                internal: false,
                body: "Try <em>this</em>".to_owned(),
            },
        ),
        event(
            2,
            EventData::Commented {
                internal: true,
                body: "secret".to_owned(),
            },
        ),
        event(
            3,
            EventData::StatusChanged {
                from: Status::InProgress,
                to: Status::Pending,
                pending_reason: Some(PendingReason::AwaitingUser),
                reason: None,
            },
        ),
    ];
    let entries = timeline_entries(&t, &events, &lookup());
    assert_eq!(
        entries.iter().map(|e| e.style).collect::<Vec<_>>(),
        vec![
            EntryStyle::Description,
            EntryStyle::Reply,
            EntryStyle::Note,
            EntryStyle::Event
        ]
    );
    let html = timeline(&entries).into_string();
    assert!(html.contains(r#"<li class="entry entry-description">"#));
    assert!(
        html.contains("It &lt;b&gt;broke&lt;/b&gt;.<br>\nTwice."),
        "Markdown with its line breaks kept and markup as text: {html}"
    );
    assert!(html.contains("Try &lt;em&gt;this&lt;/em&gt;"));
    let note = html
        .split(r#"<li class="entry entry-note">"#)
        .nth(1)
        .unwrap();
    assert!(
        note.starts_with(r#"<div class="entry-head"><strong><bdi>Ada Agent</bdi></strong>"#),
        "{note}"
    );
    assert!(note.contains(r#"<span class="badge badge-internal">Internal note</span>"#));
    assert!(html.contains("changed the status from In progress to Pending (waiting for the user)"));
}

#[test]
fn attachments_and_emails_join_the_entries_they_came_with() {
    let t = ticket("Printer");
    let events = vec![
        event(
            1,
            EventData::Created {
                kind: TicketKind::Incident,
                status: Status::New,
                group_id: GroupId::new(1),
                tier: Tier::from_number(1).unwrap(),
                impact: Impact::Low,
                urgency: Urgency::Medium,
                priority: Priority::P4,
                channel: Channel::Email,
            },
        ),
        event(
            2,
            EventData::Commented {
                internal: false,
                body: "by hand".to_owned(),
            },
        ),
        event(
            3,
            EventData::Commented {
                internal: false,
                body: "by mail".to_owned(),
            },
        ),
        event(
            4,
            EventData::Commented {
                internal: false,
                body: "by mail, with a file".to_owned(),
            },
        ),
    ];
    let mut entries = timeline_entries(&t, &events, &lookup());
    let files = vec![
        attachment(7, Some(1), Some(70)),
        attachment(8, Some(4), Some(72)),
        attachment(9, None, None),
    ];
    let mails = vec![
        email(70, InboundOutcome::TicketCreated, 1),
        email(71, InboundOutcome::ReplyAdded, 3),
        email(72, InboundOutcome::ReplyAdded, 4),
    ];
    let loose = attach_mail(
        &mut entries,
        &files,
        &mails,
        Some("/desk/tickets/42/emails"),
    );
    assert_eq!(
        entries[0].attachments.len(),
        1,
        "the creation's files go with the description"
    );
    assert_eq!(
        entries[0].email_href.as_deref(),
        Some("/desk/tickets/42/emails/70")
    );
    assert_eq!(
        entries[1].email_href, None,
        "the Created event itself carries nothing"
    );
    assert_eq!(entries[2].email_href, None, "written in the desk");
    assert_eq!(
        entries[3].email_href.as_deref(),
        Some("/desk/tickets/42/emails/71")
    );
    assert_eq!(
        entries[4].email_href.as_deref(),
        Some("/desk/tickets/42/emails/72"),
        "each message names its event"
    );
    assert_eq!(entries[4].attachments[0].href, "/attachments/8");
    assert_eq!(loose.len(), 1);
    let html = timeline(&entries).into_string();
    assert!(html.contains(r#"<a href="/attachments/7">file-7.pdf</a> <span class="muted small">application/pdf · 3.3 MB</span>"#), "{html}");
    assert!(html.contains(
        r#"<a class="view-email" href="/desk/tickets/42/emails/70">View the e-mail</a>"#
    ));

    let mut portal = timeline_entries(&t, &events, &lookup());
    attach_mail(&mut portal, &files, &mails, None);
    assert!(
        portal.iter().all(|e| e.email_href.is_none()),
        "no e-mail links without a base"
    );
}

#[test]
fn field_changes_name_things_not_ids() {
    let mut lookup = lookup();
    lookup
        .categories
        .insert(CategoryId::new(5), "Access".to_owned());
    let events = vec![event(
        1,
        EventData::FieldChanged {
            field: "category_id".to_owned(),
            from: None,
            to: Some("5".to_owned()),
        },
    )];
    let entries = timeline_entries(&ticket("x"), &events, &lookup);
    assert_eq!(
        entries[1].what,
        "changed the category from nothing to Access"
    );
}

#[test]
fn the_history_names_the_system_when_it_acted() {
    let mut by_timer = event(
        1,
        EventData::Commented {
            internal: true,
            body: "x".to_owned(),
        },
    );
    by_timer.actor_id = None;
    by_timer.actor_system = Some(SystemActor::SlaTimer);
    let mut unknown = by_timer.clone();
    unknown.id = EventId::new(2);
    unknown.actor_system = None;
    let by_person = event(3, by_timer.data.clone());
    let entries = timeline_entries(&ticket("x"), &[by_timer, unknown, by_person], &lookup());
    let who: Vec<&str> = entries[1..].iter().map(|e| e.who.as_str()).collect();
    assert_eq!(who, ["System (SLA timer)", "Spoc", "Ada Agent"]);
}

/// An escalation writes several events at once: they show as one entry with details, the
/// SLA clock's among them marked as the system's so staff can hide it.
#[test]
fn one_action_is_one_entry_and_system_events_can_be_hidden() {
    let at = |e: &mut HistoryEntry| e.at = Timestamp::from_micros(1_900_000_000_000_000);
    let mut escalated = event(
        1,
        EventData::Escalated {
            level: EscalationLevel::Functional,
            from_group: GroupId::new(1),
            to_group: Some(GroupId::new(2)),
            reason: "Needs the network team".to_owned(),
        },
    );
    let mut moved = event(
        2,
        EventData::GroupChanged {
            from: GroupId::new(1),
            to: GroupId::new(2),
            tier: Tier::from_number(2).unwrap(),
        },
    );
    let mut unassigned = event(
        3,
        EventData::AssigneeChanged {
            from: Some(UserId::new(8)),
            to: None,
        },
    );
    let mut clock = event(
        4,
        EventData::Sla {
            clock: ClockChange::Resumed {
                target: SlaTarget::Resolution,
            },
        },
    );
    for e in [&mut escalated, &mut moved, &mut unassigned, &mut clock] {
        at(e);
    }
    let later = event(
        5,
        EventData::Commented {
            internal: false,
            body: "On it".to_owned(),
        },
    );
    let entries = timeline_entries(
        &ticket("x"),
        &[escalated, moved, unassigned, clock, later],
        &lookup(),
    );
    assert!(entries[4].system, "the SLA clock is bookkeeping");
    assert!(!entries[1].system, "a person escalated");
    let html = timeline(&entries).into_string();
    assert_eq!(
        html.matches("<li class=\"entry ").count(),
        3,
        "description, the escalation, the reply: {html}"
    );
    assert!(html.contains(r#"<input type="checkbox" id="hide-system" class="hide-system">"#));
    let escalation = html.split("escalated the ticket").nth(1).unwrap();
    let details = escalation.split("</ul>").next().unwrap();
    assert!(
        details.contains("<ul class=\"entry-details\">"),
        "{details}"
    );
    assert!(details.contains("removed the assignee"), "{details}");
    assert!(
        details.contains(r#"<li class="entry-system">resumed the resolution clock</li>"#),
        "{details}"
    );
}

#[test]
fn customers_read_what_happened_in_plain_words_without_the_desks_bookkeeping() {
    let events = vec![
        event(
            1,
            EventData::StatusChanged {
                from: Status::InProgress,
                to: Status::Pending,
                pending_reason: Some(PendingReason::AwaitingUser),
                reason: None,
            },
        ),
        event(
            2,
            EventData::Sla {
                clock: ClockChange::Paused {
                    target: SlaTarget::Resolution,
                    reason: PendingReason::AwaitingUser,
                },
            },
        ),
        event(
            3,
            EventData::PriorityChanged {
                from: Priority::P4,
                to: Priority::P2,
                overridden: true,
                rationale: Some("VIP".to_owned()),
            },
        ),
        event(
            4,
            EventData::StatusChanged {
                from: Status::Pending,
                to: Status::InProgress,
                pending_reason: None,
                reason: None,
            },
        ),
    ];
    let entries = customer_timeline_entries(&ticket("x"), &events, &lookup());
    let what: Vec<&str> = entries[1..].iter().map(|e| e.what.as_str()).collect();
    assert_eq!(
        what,
        ["asked you for more information", "picked the work up again"]
    );
    let html = timeline(&entries).into_string();
    assert!(!html.contains("Pending"), "{html}");
    assert!(
        !html.contains("hide-system"),
        "customers have nothing to hide: {html}"
    );
}
