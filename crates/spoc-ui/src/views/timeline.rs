//! A ticket's timeline: its description and every event the viewer may see, in words that name
//! people, groups and categories rather than ids, with the files and e-mails each entry came with.

use maud::{Markup, html};
use spoc_app::{Attachment, HistoryEntry, InboundMessage};
use spoc_domain::access::SystemActor;
use spoc_domain::event::{EscalationLevel, EventData};
use spoc_domain::ticket::{Channel, Ticket};
use spoc_domain::{CategoryId, EventId, ServiceId, Timestamp};

use crate::page::{prose, resolution_label, status_label};
use crate::timefmt::{iso, when};
use crate::views::Lookup;
use crate::views::attachments::{AttachmentView, attachment_list};

mod customer;

/// How an entry of the timeline looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryStyle {
    /// The original description.
    Description,
    /// A public reply (or resolution notes).
    Reply,
    /// An internal work note.
    Note,
    /// A change of state or fields.
    Event,
}

/// One entry of a ticket's history.
#[derive(Clone, Debug)]
pub struct TimelineEntry {
    /// How it looks.
    pub style: EntryStyle,
    /// Who.
    pub who: String,
    /// What they did, as a phrase.
    pub what: String,
    /// When.
    pub at: Timestamp,
    /// Text they wrote.
    pub body: Option<String>,
    /// The history event behind the entry (the description carries the ticket's creation).
    pub event_id: Option<EventId>,
    /// Files that came with it.
    pub attachments: Vec<AttachmentView>,
    /// The e-mail it came by, for staff.
    pub email_href: Option<String>,
    /// Bookkeeping by the system (SLA clocks, delivery reports, work the system did on its own),
    /// which staff can hide.
    pub system: bool,
    /// Which action it was part of: the events one action writes share their actor and time, and
    /// are shown as one entry.
    pub action: Option<ActionKey>,
}

/// What the events of one action share: who acted and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionKey {
    actor: Option<spoc_domain::UserId>,
    system: Option<SystemActor>,
    at: Timestamp,
}

/// Whose eyes a timeline is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Audience {
    /// Agents, leads and admins: every event, in the desk's words.
    Staff,
    /// The requester and their colleagues: what happened to their request, in plain words,
    /// without the desk's bookkeeping.
    Customer,
}

/// Puts each attachment with the timeline entry of its event, and, when `email_base` is given
/// (staff), links each entry that came by e-mail to `{email_base}/{message id}`. Returns the
/// attachments that belong to no entry shown, to be listed on their own.
///
/// Both attachments and messages name their event exactly.
pub fn attach_mail(
    entries: &mut [TimelineEntry],
    attachments: &[Attachment],
    emails: &[InboundMessage],
    email_base: Option<&str>,
) -> Vec<AttachmentView> {
    let mut loose = Vec::new();
    for attachment in attachments {
        let entry = attachment
            .event_id
            .and_then(|event| entries.iter_mut().find(|e| e.event_id == Some(event)));
        match entry {
            Some(entry) => entry.attachments.push(AttachmentView::of(attachment)),
            None => loose.push(AttachmentView::of(attachment)),
        }
    }
    let Some(base) = email_base else {
        return loose;
    };
    for email in emails {
        let href = format!("{base}/{}", email.id);
        if let Some(entry) = email
            .event_id
            .and_then(|event| entries.iter_mut().find(|e| e.event_id == Some(event)))
            && entry.email_href.is_none()
        {
            entry.email_href = Some(href);
        }
    }
    loose
}

fn channel_phrase(channel: Channel) -> &'static str {
    match channel {
        Channel::Portal => "in the portal",
        Channel::Api => "through the API",
        Channel::Phone => "by phone",
        Channel::Email => "by e-mail",
        Channel::Chat => "by chat",
        Channel::Monitoring => "from monitoring",
    }
}

/// How the history names a part of the system that acted: "System (SLA timer)".
pub fn system_name(system: SystemActor) -> String {
    format!("System ({})", system.label())
}

/// The timeline of `ticket` as staff see it: its description, then every event, in the desk's
/// words.
pub fn timeline_entries(
    ticket: &Ticket,
    events: &[HistoryEntry],
    lookup: &Lookup,
) -> Vec<TimelineEntry> {
    entries_for(ticket, events, lookup, Audience::Staff)
}

/// The timeline of `ticket` as its requester sees it in the portal: the description, replies and
/// what happened to the request in plain words; SLA clocks, SOP work and other desk bookkeeping
/// are left out.
pub fn customer_timeline_entries(
    ticket: &Ticket,
    events: &[HistoryEntry],
    lookup: &Lookup,
) -> Vec<TimelineEntry> {
    entries_for(ticket, events, lookup, Audience::Customer)
}

fn entries_for(
    ticket: &Ticket,
    events: &[HistoryEntry],
    lookup: &Lookup,
    audience: Audience,
) -> Vec<TimelineEntry> {
    let who = |e: &HistoryEntry| match (e.actor_id, e.actor_system, audience) {
        (Some(id), _, _) => lookup.person(id),
        (None, _, Audience::Customer) => "The service desk".to_owned(),
        (None, Some(system), Audience::Staff) => system_name(system),
        (None, None, Audience::Staff) => "Spoc".to_owned(),
    };
    let mut entries = vec![TimelineEntry {
        style: EntryStyle::Description,
        who: lookup.person(ticket.requester_id),
        what: "described the issue".to_owned(),
        at: ticket.created_at,
        body: Some(ticket.description.clone()),
        event_id: events
            .iter()
            .find(|e| matches!(e.data, EventData::Created { .. }))
            .map(|e| e.id),
        attachments: Vec::new(),
        email_href: None,
        system: false,
        action: None,
    }];
    for event in events {
        let action = Some(ActionKey {
            actor: event.actor_id,
            system: event.actor_system,
            at: event.at,
        });
        if audience == Audience::Customer {
            if let Some((style, what, body)) = customer::phrase(&event.data, lookup) {
                entries.push(TimelineEntry {
                    style,
                    who: who(event),
                    what,
                    at: event.at,
                    body,
                    event_id: Some(event.id),
                    attachments: Vec::new(),
                    email_href: None,
                    system: false,
                    action,
                });
            }
            continue;
        }
        let system = event.actor_system.is_some()
            || matches!(
                event.data,
                EventData::Sla { .. } | EventData::NotificationUndeliverable { .. }
            );
        let (style, what, body) = match &event.data {
            EventData::Created { channel, .. } => (
                EntryStyle::Event,
                format!("logged the ticket {}", channel_phrase(*channel)),
                None,
            ),
            EventData::StatusChanged {
                from,
                to,
                pending_reason,
                reason,
            } => {
                let mut what = format!(
                    "changed the status from {} to {}",
                    status_label(*from),
                    status_label(*to)
                );
                if let Some(p) = pending_reason {
                    what.push_str(&format!(
                        " ({})",
                        crate::page::pending_label(*p).to_lowercase()
                    ));
                }
                (EntryStyle::Event, what, reason.clone())
            }
            EventData::GroupChanged { from, to, tier } => (
                EntryStyle::Event,
                format!(
                    "moved the ticket from {} to {} (tier {})",
                    lookup.group(*from),
                    lookup.group(*to),
                    tier.number()
                ),
                None,
            ),
            EventData::AssigneeChanged { to, .. } => (
                EntryStyle::Event,
                match to {
                    Some(id) => format!("assigned the ticket to {}", lookup.person(*id)),
                    None => "removed the assignee".to_owned(),
                },
                None,
            ),
            EventData::Escalated {
                level,
                to_group,
                reason,
                ..
            } => (
                EntryStyle::Event,
                match (level, to_group) {
                    (EscalationLevel::Functional, Some(group)) => {
                        format!("escalated the ticket to {}", lookup.group(*group))
                    }
                    (EscalationLevel::Functional, None) => "escalated the ticket".to_owned(),
                    (EscalationLevel::Hierarchical, _) => "alerted the group's leads".to_owned(),
                },
                Some(reason.clone()),
            ),
            EventData::Resolved { code, notes } => (
                EntryStyle::Reply,
                format!(
                    "resolved the ticket — {}",
                    resolution_label(*code).to_lowercase()
                ),
                Some(notes.clone()),
            ),
            EventData::PriorityChanged {
                from,
                to,
                overridden,
                rationale,
            } => (
                EntryStyle::Event,
                format!(
                    "changed the priority from {} to {}{}",
                    from.as_str(),
                    to.as_str(),
                    if *overridden { " by hand" } else { "" }
                ),
                rationale.clone(),
            ),
            EventData::FieldChanged { field, from, to } => {
                let name = field.replace('_', " ");
                let show = |v: &Option<String>, lookup_name: &dyn Fn(i64) -> Option<String>| {
                    v.as_deref().map_or_else(
                        || "nothing".to_owned(),
                        |v| match v.parse::<i64>() {
                            Ok(id) => lookup_name(id).unwrap_or_else(|| v.to_owned()),
                            Err(_) => format!("“{v}”"),
                        },
                    )
                };
                let by_id: Box<dyn Fn(i64) -> Option<String>> = match field.as_str() {
                    "category_id" | "subcategory_id" => {
                        Box::new(|id| lookup.category(Some(CategoryId::new(id))))
                    }
                    "service_id" => Box::new(|id| lookup.service(Some(ServiceId::new(id)))),
                    _ => Box::new(|_| None),
                };
                let name = name.trim_end_matches(" id").to_owned();
                if field == "description" {
                    (
                        EntryStyle::Event,
                        "edited the description".to_owned(),
                        to.clone(),
                    )
                } else {
                    (
                        EntryStyle::Event,
                        format!(
                            "changed the {name} from {} to {}",
                            show(from, &*by_id),
                            show(to, &*by_id)
                        ),
                        None,
                    )
                }
            }
            EventData::Sla { clock } => (EntryStyle::Event, sla_phrase(clock), None),
            EventData::SopApplied { version, title, .. } => (
                EntryStyle::Event,
                format!("began following SOP “{title}”, version {version}"),
                None,
            ),
            EventData::SopStep { step, done, .. } => (
                EntryStyle::Event,
                if *done {
                    format!("ticked SOP step “{step}”")
                } else {
                    format!("unticked SOP step “{step}”")
                },
                None,
            ),
            EventData::SopAnswer { step, answer, .. } => (
                EntryStyle::Event,
                format!("recorded an answer for SOP step “{step}”"),
                Some(answer.clone()),
            ),
            EventData::Linked { kind, number, .. } => (
                EntryStyle::Event,
                format!("linked {number} ({})", link_phrase(*kind)),
                None,
            ),
            EventData::Unlinked { kind, number, .. } => (
                EntryStyle::Event,
                format!("removed the link to {number} ({})", link_phrase(*kind)),
                None,
            ),
            EventData::MergedInto { number, .. } => (
                EntryStyle::Event,
                format!("merged this ticket into {number}; the conversation continues there"),
                None,
            ),
            EventData::AutoCloseNotice { closes_at } => (
                EntryStyle::Event,
                format!(
                    "told the requester the ticket closes by itself on {} unless they answer",
                    crate::timefmt::when(*closes_at)
                ),
                None,
            ),
            EventData::MergedFrom { number, .. } => (
                EntryStyle::Event,
                format!("merged duplicate {number} into this ticket"),
                None,
            ),
            EventData::ArticleLinked { title, .. } => (
                EntryStyle::Event,
                format!("recorded knowledge article “{title}” as used to resolve"),
                None,
            ),
            EventData::AutomatedMail {
                from,
                subject,
                text,
                ..
            } => (
                EntryStyle::Note,
                format!(
                    "received an automated e-mail{} — “{subject}” (not a reply; nobody was notified)",
                    if from.is_empty() {
                        String::new()
                    } else {
                        format!(" from {from}")
                    }
                ),
                Some(text.clone()),
            ),
            EventData::NotificationUndeliverable {
                recipient,
                topic,
                reason,
                ..
            } => (
                EntryStyle::Note,
                format!(
                    "could not deliver the {} notification to {recipient}",
                    topic.replace('_', " ")
                ),
                Some(reason.clone()),
            ),
            EventData::Commented { internal, body } => {
                if *internal {
                    (
                        EntryStyle::Note,
                        "added an internal note".to_owned(),
                        Some(body.clone()),
                    )
                } else {
                    (EntryStyle::Reply, "replied".to_owned(), Some(body.clone()))
                }
            }
        };
        entries.push(TimelineEntry {
            style,
            who: who(event),
            what,
            at: event.at,
            body,
            event_id: Some(event.id),
            attachments: Vec::new(),
            email_href: None,
            system,
            action,
        });
    }
    entries
}

/// An SLA clock's change in words.
pub fn sla_phrase(change: &spoc_domain::sla::ClockChange) -> String {
    use spoc_domain::sla::{ClockChange, describe_duration};
    let name = |t| spoc_app::target_label(t);
    match change {
        ClockChange::Started {
            target,
            target_micros,
        } => {
            format!(
                "started the {} clock ({} of business time)",
                name(*target),
                describe_duration(*target_micros)
            )
        }
        ClockChange::Paused { target, reason } => format!(
            "paused the {} clock ({})",
            name(*target),
            crate::page::pending_label(*reason).to_lowercase()
        ),
        ClockChange::Resumed { target } => format!("resumed the {} clock", name(*target)),
        ClockChange::Retargeted {
            target, to_micros, ..
        } => format!(
            "re-targeted the {} clock to {} after a priority change",
            name(*target),
            describe_duration(*to_micros)
        ),
        ClockChange::Stopped {
            target,
            elapsed_micros,
            met,
        } => format!(
            "stopped the {} clock after {} — {}",
            name(*target),
            describe_duration(*elapsed_micros),
            if *met { "target met" } else { "target missed" }
        ),
        ClockChange::Warned { target } => format!("warned: the {} target is close", name(*target)),
        ClockChange::Breached { target } => {
            format!("recorded a breach of the {} target", name(*target))
        }
    }
}

/// The entries grouped by the action that wrote them, in order: each group's first entry that a
/// person wrote (a reply, a note, resolution notes) leads, else its first event.
fn by_action(entries: &[TimelineEntry]) -> Vec<(&TimelineEntry, Vec<&TimelineEntry>)> {
    let mut groups: Vec<Vec<&TimelineEntry>> = Vec::new();
    for entry in entries {
        match groups.last_mut() {
            Some(group)
                if entry.action.is_some()
                    && group[0].action == entry.action
                    && entry.attachments.is_empty()
                    && entry.email_href.is_none() =>
            {
                group.push(entry)
            }
            _ => groups.push(vec![entry]),
        }
    }
    groups
        .into_iter()
        .map(|mut group| {
            let lead = group
                .iter()
                .position(|e| e.style != EntryStyle::Event)
                .or_else(|| group.iter().position(|e| !e.system))
                .unwrap_or(0);
            let head = group.remove(lead);
            (head, group)
        })
        .collect()
}

/// What someone wrote with an entry: replies, notes and descriptions are Markdown, rendered by the
/// same safe renderer as the composer's preview; an event's reason stays plain text.
fn entry_body(style: EntryStyle, body: &str) -> Markup {
    html! {
        @if body.is_empty() {
        } @else if style == EntryStyle::Event {
            (prose(body))
        } @else {
            div class="entry-body entry-markdown" dir="auto" {
                (maud::PreEscaped(spoc_http::markdown::comment_html(body)))
            }
        }
    }
}

/// The timeline list. The events one action wrote show as one entry with its details beneath;
/// staff can hide the system's bookkeeping (the choice is kept in the browser).
pub fn timeline(entries: &[TimelineEntry]) -> Markup {
    let any_system = entries.iter().any(|e| e.system);
    html! {
        div class="timeline-wrap" {
            @if any_system {
                input type="checkbox" id="hide-system" class="hide-system";
                label for="hide-system" class="small hide-system-label" { "Hide system events" }
            }
            ol class="timeline" id="timeline" {
                @for (head, details) in by_action(entries) {
                    @let class = match head.style {
                        EntryStyle::Description => "entry entry-description",
                        EntryStyle::Reply => "entry entry-reply",
                        EntryStyle::Note => "entry entry-note",
                        EntryStyle::Event => "entry entry-event",
                    };
                    @let system = head.system && details.iter().all(|d| d.system);
                    li class={ (class) @if system { " entry-system" } } {
                        div class="entry-head" {
                            strong { bdi { (head.who) } } " "
                            span class="muted" { (head.what) } " "
                            @if head.style == EntryStyle::Note {
                                span class="badge badge-internal" { "Internal note" } " "
                            }
                            time class="muted small" datetime=(iso(head.at)) { (when(head.at)) }
                        }
                        @if let Some(body) = &head.body { (entry_body(head.style, body)) }
                        @if !head.attachments.is_empty() { (attachment_list(&head.attachments)) }
                        @if let Some(href) = &head.email_href {
                            p class="entry-mail" { a class="view-email" href=(href) { "View the e-mail" } }
                        }
                        @if !details.is_empty() {
                            ul class="entry-details" {
                                @for detail in &details {
                                    li class=[detail.system.then_some("entry-system")] {
                                        (detail.what)
                                        @if let Some(body) = &detail.body { (entry_body(detail.style, body)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
/// A link's kind in plain words, seen from the ticket whose history shows it.
fn link_phrase(kind: spoc_domain::links::LinkKind) -> &'static str {
    match kind {
        spoc_domain::links::LinkKind::RelatesTo => "related",
        spoc_domain::links::LinkKind::FollowUp => "this continues it",
        spoc_domain::links::LinkKind::FollowedUpBy => "it continues this one",
    }
}

#[cfg(test)]
mod tests {
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
        assert!(
            html.contains("changed the status from In progress to Pending (waiting for the user)")
        );
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
}
