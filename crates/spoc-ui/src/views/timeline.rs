//! A ticket's timeline: its description and every event the viewer may see, in words that name
//! people, groups and categories rather than ids, with the files and e-mails each entry came with.

use maud::{Markup, html};
use spoc_app::{Attachment, HistoryEntry, InboundMessage};
use spoc_domain::access::SystemActor;
use spoc_domain::event::{EscalationLevel, EventData};
use spoc_domain::ticket::{Channel, Ticket};
use spoc_domain::{CategoryId, EventId, ServiceId, Timestamp};

use crate::i18n::views::Views;
use crate::i18n::{lang, t, tr};
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
    t(match channel {
        Channel::Portal => Views::ChannelPortal,
        Channel::Api => Views::ChannelApi,
        Channel::Phone => Views::ChannelPhone,
        Channel::Email => Views::ChannelEmail,
        Channel::Chat => Views::ChannelChat,
        Channel::Monitoring => Views::ChannelMonitoring,
    })
}

/// A label (a status, a reason, a resolution) inside a sentence: lower case in English, as
/// written in German (whose nouns keep their capital).
pub(crate) fn inline(label: &str) -> String {
    match lang() {
        spoc_app::Language::En => label.to_lowercase(),
        _ => label.to_owned(),
    }
}

/// An SLA target's name inside a sentence ("the resolution clock").
pub fn target_name(target: spoc_domain::sla::SlaTarget) -> &'static str {
    crate::i18n::words::sla_target(target)
}

/// How the history names a part of the system that acted: "System (SLA timer)".
pub fn system_name(system: SystemActor) -> String {
    tr(Views::SystemName, &[&crate::i18n::words::system(system)])
}

/// A ticket field's name inside "changed the … from … to …".
fn field_name(field: &str) -> String {
    let msg = match field {
        "title" => Views::FieldTitle,
        "impact" => Views::FieldImpact,
        "urgency" => Views::FieldUrgency,
        "category_id" => Views::FieldCategory,
        "subcategory_id" => Views::FieldSubcategory,
        "service_id" => Views::FieldService,
        "supplier_reference" => Views::FieldSupplierReference,
        _ => {
            let name = field.replace('_', " ");
            return tr(Views::FieldOther, &[&name.trim_end_matches(" id")]);
        }
    };
    t(msg).to_owned()
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
        (None, _, Audience::Customer) => t(Views::TheServiceDesk).to_owned(),
        (None, Some(system), Audience::Staff) => system_name(system),
        (None, None, Audience::Staff) => "Spoc".to_owned(), // i18n: not text (the product's name)
    };
    let mut entries = vec![TimelineEntry {
        style: EntryStyle::Description,
        who: lookup.person(ticket.requester_id),
        what: t(Views::DescribedIssue).to_owned(),
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
                    tr(Views::LoggedTicket, &[&channel_phrase(*channel)]),
                    None,
                ),
                EventData::StatusChanged {
                    from,
                    to,
                    pending_reason,
                    reason,
                } => {
                    let (from, to) = (status_label(*from), status_label(*to));
                    let what = match pending_reason {
                        Some(p) => tr(
                            Views::StatusChangedPending,
                            &[&from, &to, &inline(crate::page::pending_label(*p))],
                        ),
                        None => tr(Views::StatusChanged, &[&from, &to]),
                    };
                    (EntryStyle::Event, what, reason.clone())
                }
                EventData::GroupChanged { from, to, tier } => (
                    EntryStyle::Event,
                    tr(
                        Views::MovedGroup,
                        &[&lookup.group(*from), &lookup.group(*to), &tier.number()],
                    ),
                    None,
                ),
                EventData::AssigneeChanged { to, .. } => (
                    EntryStyle::Event,
                    match to {
                        Some(id) => tr(Views::AssignedTo, &[&lookup.person(*id)]),
                        None => t(Views::RemovedAssignee).to_owned(),
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
                            tr(Views::EscalatedTo, &[&lookup.group(*group)])
                        }
                        (EscalationLevel::Functional, None) => t(Views::EscalatedTicket).to_owned(),
                        (EscalationLevel::Hierarchical, _) => t(Views::AlertedLeads).to_owned(),
                    },
                    Some(reason.clone()),
                ),
                EventData::Resolved { code, notes } => (
                    EntryStyle::Reply,
                    tr(Views::ResolvedTicket, &[&inline(resolution_label(*code))]),
                    Some(notes.clone()),
                ),
                EventData::PriorityChanged {
                    from,
                    to,
                    overridden,
                    rationale,
                } => (
                    EntryStyle::Event,
                    tr(
                        if *overridden {
                            Views::PriorityChangedByHand
                        } else {
                            Views::PriorityChanged
                        },
                        &[&from.as_str(), &to.as_str()],
                    ),
                    rationale.clone(),
                ),
                EventData::FieldChanged { field, from, to } => {
                    let levels = matches!(field.as_str(), "impact" | "urgency");
                    let show = |v: &Option<String>, lookup_name: &dyn Fn(i64) -> Option<String>| {
                        v.as_deref().map_or_else(
                            || t(Views::FieldNothing).to_owned(),
                            |v| match v.parse::<i64>() {
                                Ok(id) => lookup_name(id).unwrap_or_else(|| v.to_owned()),
                                Err(_) if levels => {
                                    tr(Views::FieldQuoted, &[&crate::i18n::words::level(v)])
                                }
                                Err(_) => tr(Views::FieldQuoted, &[&v]),
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
                    if field == "description" {
                        (
                            EntryStyle::Event,
                            t(Views::EditedDescription).to_owned(),
                            to.clone(),
                        )
                    } else {
                        (
                            EntryStyle::Event,
                            tr(
                                Views::FieldChanged,
                                &[&field_name(field), &show(from, &*by_id), &show(to, &*by_id)],
                            ),
                            None,
                        )
                    }
                }
                EventData::Sla { clock } => (EntryStyle::Event, sla_phrase(clock), None),
                EventData::SopApplied { version, title, .. } => (
                    EntryStyle::Event,
                    tr(Views::SopApplied, &[title, version]),
                    None,
                ),
                EventData::SopStep { step, done, .. } => (
                    EntryStyle::Event,
                    if *done {
                        tr(Views::SopStepTicked, &[step])
                    } else {
                        tr(Views::SopStepUnticked, &[step])
                    },
                    None,
                ),
                EventData::SopAnswer { step, answer, .. } => (
                    EntryStyle::Event,
                    tr(Views::SopAnswer, &[step]),
                    Some(answer.clone()),
                ),
                EventData::Linked { kind, number, .. } => (
                    EntryStyle::Event,
                    tr(Views::Linked, &[number, &link_phrase(*kind)]),
                    None,
                ),
                EventData::Unlinked { kind, number, .. } => (
                    EntryStyle::Event,
                    tr(Views::Unlinked, &[number, &link_phrase(*kind)]),
                    None,
                ),
                EventData::MergedInto { number, .. } => {
                    (EntryStyle::Event, tr(Views::MergedInto, &[number]), None)
                }
                EventData::AutoCloseNotice { closes_at } => (
                    EntryStyle::Event,
                    tr(Views::AutoCloseNotice, &[&crate::timefmt::when(*closes_at)]),
                    None,
                ),
                EventData::MergedFrom { number, .. } => {
                    (EntryStyle::Event, tr(Views::MergedFrom, &[number]), None)
                }
                EventData::ArticleLinked { title, .. } => {
                    (EntryStyle::Event, tr(Views::ArticleLinked, &[title]), None)
                }
                EventData::AutomatedMail {
                    from,
                    subject,
                    text,
                    ..
                } => (
                    EntryStyle::Note,
                    if from.is_empty() {
                        tr(Views::AutomatedMail, &[subject])
                    } else {
                        tr(Views::AutomatedMailFrom, &[from, subject])
                    },
                    Some(text.clone()),
                ),
                EventData::NotificationUndeliverable {
                    recipient,
                    topic,
                    reason,
                    ..
                } => (
                    EntryStyle::Note,
                    tr(Views::Undeliverable, &[&topic.replace('_', " "), recipient]),
                    Some(reason.clone()),
                ),
                EventData::Commented { internal, body } => {
                    if *internal {
                        (
                            EntryStyle::Note,
                            t(Views::AddedInternalNote).to_owned(),
                            Some(body.clone()),
                        )
                    } else {
                        (
                            EntryStyle::Reply,
                            t(Views::Replied).to_owned(),
                            Some(body.clone()),
                        )
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
    let name = |t| target_name(t);
    match change {
        ClockChange::Started {
            target,
            target_micros,
        } => tr(
            Views::ClockStarted,
            &[&name(*target), &describe_duration(*target_micros)],
        ),
        ClockChange::Paused { target, reason } => tr(
            Views::ClockPausedFor,
            &[&name(*target), &inline(crate::page::pending_label(*reason))],
        ),
        ClockChange::Resumed { target } => tr(Views::ClockResumed, &[&name(*target)]),
        ClockChange::Retargeted {
            target, to_micros, ..
        } => tr(
            Views::ClockRetargeted,
            &[&name(*target), &describe_duration(*to_micros)],
        ),
        ClockChange::Stopped {
            target,
            elapsed_micros,
            met,
        } => tr(
            if *met {
                Views::ClockStoppedMet
            } else {
                Views::ClockStoppedMissed
            },
            &[&name(*target), &describe_duration(*elapsed_micros)],
        ),
        ClockChange::Warned { target } => tr(Views::ClockWarned, &[&name(*target)]),
        ClockChange::Breached { target } => tr(Views::ClockBreached, &[&name(*target)]),
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
                label for="hide-system" class="small hide-system-label" { (t(Views::HideSystemEvents)) }
            }
            ol class="timeline" id="timeline" {
                @for (head, details) in by_action(entries) {
                    @let class = match head.style {
                        EntryStyle::Description => "entry entry-description", // i18n: not text (CSS classes)
                        EntryStyle::Reply => "entry entry-reply", // i18n: not text (CSS classes)
                        EntryStyle::Note => "entry entry-note", // i18n: not text (CSS classes)
                        EntryStyle::Event => "entry entry-event", // i18n: not text (CSS classes)
                    };
                    @let system = head.system && details.iter().all(|d| d.system);
                    li class={ (class) @if system { " entry-system" } } {
                        div class="entry-head" {
                            strong { bdi { (head.who) } } " "
                            span class="muted" { (head.what) } " "
                            @if head.style == EntryStyle::Note {
                                span class="badge badge-internal" { (t(Views::InternalNote)) } " "
                            }
                            time class="muted small" datetime=(iso(head.at)) { (when(head.at)) }
                        }
                        @if let Some(body) = &head.body { (entry_body(head.style, body)) }
                        @if !head.attachments.is_empty() { (attachment_list(&head.attachments)) }
                        @if let Some(href) = &head.email_href {
                            p class="entry-mail" { a class="view-email" href=(href) { (t(Views::ViewEmail)) } }
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
    t(match kind {
        spoc_domain::links::LinkKind::RelatesTo => Views::LinkRelated,
        spoc_domain::links::LinkKind::FollowUp => Views::LinkThisContinuesIt,
        spoc_domain::links::LinkKind::FollowedUpBy => Views::LinkItContinuesThis,
    })
}

#[cfg(test)]
mod tests;
