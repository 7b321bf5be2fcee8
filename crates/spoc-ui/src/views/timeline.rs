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
    format!("System ({})", crate::i18n::words::system(system))
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
        // Customers read their own wording (or nothing, for the desk's bookkeeping).
        let phrase = if audience == Audience::Customer {
            customer::phrase(&event.data, lookup)
        } else {
            Some(match &event.data {
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
                        (EscalationLevel::Hierarchical, _) => {
                            "alerted the group's leads".to_owned()
                        }
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
            })
        };
        let Some((style, what, body)) = phrase else {
            continue;
        };
        // Staff can hide the system's bookkeeping; customers never see it.
        let system = audience == Audience::Staff
            && (event.actor_system.is_some()
                || matches!(
                    event.data,
                    EventData::Sla { .. } | EventData::NotificationUndeliverable { .. }
                ));
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
mod tests;
