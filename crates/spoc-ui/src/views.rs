//! View models shared by the desk and the portal — ticket rows and the timeline — built from
//! domain values and the names they refer to, and the markup that renders them.

use std::collections::HashMap;

use maud::{Markup, html};
use spoc_app::{App, AppError, AttachmentRecord, EventRecord, InboundMessage};
use spoc_domain::access::{Actor, SystemActor};
use spoc_domain::event::{EscalationLevel, EventData};
use spoc_domain::priority::Priority;
use spoc_domain::ticket::{Channel, PendingReason, Status, Ticket, TicketKind};
use spoc_domain::{CategoryId, EventId, GroupId, OrganizationId, ServiceId, Timestamp, UserId};

use crate::page::{none, priority_badge, prose, resolution_label, status_badge, status_label};
use crate::timefmt::{age, iso, when};

/// The names tickets refer to by id.
#[derive(Debug, Default)]
pub struct Lookup {
    /// Groups: name and tier.
    pub groups: HashMap<GroupId, (String, i64)>,
    /// Categories and subcategories.
    pub categories: HashMap<CategoryId, String>,
    /// Services.
    pub services: HashMap<ServiceId, String>,
    /// Organisations (staff only).
    pub organizations: HashMap<OrganizationId, String>,
    /// People.
    pub people: HashMap<UserId, String>,
    /// SLA clocks (staff only).
    pub sla: HashMap<spoc_domain::TicketId, Vec<spoc_app::ClockView>>,
}

impl Lookup {
    /// Everything the actor may look up about `tickets` and the people in `events`.
    pub async fn load(
        app: &App,
        actor: &Actor,
        tickets: &[&Ticket],
        events: &[EventRecord],
    ) -> Result<Self, AppError> {
        let mut people: Vec<UserId> = Vec::new();
        for ticket in tickets {
            people.push(ticket.requester_id);
            people.extend(ticket.assignee_id);
        }
        people.extend(events.iter().filter_map(|e| e.actor_id));
        for event in events {
            if let EventData::AssigneeChanged { from, to } = &event.data {
                people.extend(from.iter().chain(to.iter()).copied());
            }
        }
        let mut lookup = Self {
            people: app.people_names(actor.tenant_id, people).await?,
            categories: app
                .list_categories(actor.tenant_id)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect(),
            services: app
                .list_services(actor.tenant_id)
                .await?
                .into_iter()
                .map(|s| (s.id, s.name))
                .collect(),
            ..Self::default()
        };
        if actor.is_staff() {
            lookup.groups = app
                .list_groups(actor)
                .await?
                .into_iter()
                .map(|g| (g.id, (g.name, g.tier.number())))
                .collect();
            lookup.organizations = app
                .list_organizations(actor)
                .await?
                .into_iter()
                .map(|o| (o.id, o.name))
                .collect();
            lookup.sla = app.sla_views(actor.tenant_id, tickets).await?;
        }
        Ok(lookup)
    }

    /// A person's name.
    pub fn person(&self, id: UserId) -> String {
        self.people
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("User {id}"))
    }

    /// A group's name.
    pub fn group(&self, id: GroupId) -> String {
        self.groups
            .get(&id)
            .map(|(name, _)| name.clone())
            .unwrap_or_else(|| format!("Group {id}"))
    }

    /// A category's name.
    pub fn category(&self, id: Option<CategoryId>) -> Option<String> {
        id.map(|id| {
            self.categories
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("Category {id}"))
        })
    }

    /// A service's name.
    pub fn service(&self, id: Option<ServiceId>) -> Option<String> {
        id.map(|id| {
            self.services
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("Service {id}"))
        })
    }

    /// An organisation's name.
    pub fn organization(&self, id: Option<OrganizationId>) -> Option<String> {
        id.and_then(|id| self.organizations.get(&id).cloned())
    }
}

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
    let name = spoc_app::target_label(clock.target);
    let left = clock
        .due_at
        .map(|due| describe_duration(due.as_micros() - now.as_micros()));
    let (class, text) = match clock.state {
        ClockState::Breached => ("breached", "Breached".to_owned()),
        ClockState::Paused => ("paused", "Paused".to_owned()),
        ClockState::Met => ("met", "Met".to_owned()),
        ClockState::Running => {
            let at_risk = clock.elapsed_micros
                >= clock.target_micros / 100 * i64::from(clock.warning_percent);
            (
                if at_risk { "at-risk" } else { "on-track" },
                left.map_or_else(|| "Running".to_owned(), |l| format!("{l} left")),
            )
        }
    };
    SlaBadge {
        class,
        title: format!("{} target: {}", name, text.to_lowercase()),
        text,
    }
}

/// A clock explained in one line: target, policy and calendar, pauses, due time, share used.
pub fn explain_clock(clock: &spoc_app::ClockView) -> String {
    use spoc_domain::sla::describe_duration;
    let calendar = if clock.always_open {
        format!("{}, around the clock", clock.time_zone)
    } else {
        format!("{} business hours", clock.time_zone)
    };
    let mut text = format!(
        "target {} ({}; {})",
        describe_duration(clock.target_micros),
        clock.policy,
        calendar
    );
    if clock.paused_micros > 0 {
        text.push_str(&format!(
            "; paused {} in all",
            describe_duration(clock.paused_micros)
        ));
    }
    if let Some(due) = clock.due_at {
        text.push_str(&format!("; due {}", when(due)));
    }
    let used = if clock.target_micros > 0 {
        clock.elapsed_micros.saturating_mul(100) / clock.target_micros
    } else {
        0
    };
    text.push_str(&format!("; {used} % used"));
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
                caption class="visually-hidden" { "Tickets" }
                thead {
                    tr {
                        th scope="col" { "Ticket" }
                        th scope="col" { "Title" }
                        th scope="col" { "Priority" }
                        th scope="col" { "Status" }
                        th scope="col" { "SLA" }
                        th scope="col" { "Group" }
                        th scope="col" { "Assignee" }
                        th scope="col" { "Age" }
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
                                @if row.escalated { " " span class="badge badge-escalated" { "Escalated" } }
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
                            td { @if let Some(a) = &row.assignee { bdi { (a) } } @else { span class="muted" { "Unassigned" } } }
                            td class="age nowrap" { time datetime=(row.created_iso) title=(row.created) { (row.age) } }
                        }
                    }
                }
            }
        }
    }
}

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
}

/// An attachment as a timeline entry lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentView {
    /// Where to download it.
    pub href: String,
    /// Its safe name.
    pub filename: String,
    /// Its media type.
    pub content_type: String,
    /// Its size, as people read it.
    pub size: String,
    /// An image shown inside the e-mail it came with.
    pub inline: bool,
}

impl AttachmentView {
    /// The view of `record`, downloaded from `/attachments/{id}`.
    pub fn of(record: &AttachmentRecord) -> Self {
        Self {
            href: format!("/attachments/{}", record.id),
            filename: record.filename.clone(),
            content_type: record.content_type.clone(),
            size: size_text(record.size),
            inline: record.inline,
        }
    }
}

/// A size in bytes as people read it: `512 bytes`, `12 KB`, `3.4 MB`.
pub fn size_text(bytes: i64) -> String {
    const KB: i64 = 1024;
    const MB: i64 = 1024 * 1024;
    match bytes {
        ..=0 => "empty".to_owned(),
        1 => "1 byte".to_owned(),
        2..KB => format!("{bytes} bytes"),
        KB..MB => format!("{} KB", (bytes + KB / 2) / KB),
        _ => {
            let tenths = (bytes * 10 + MB / 2) / MB;
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}

/// Puts each attachment with the timeline entry of its event, and, when `email_base` is given
/// (staff), links each entry that came by e-mail to `{email_base}/{message id}`. Returns the
/// attachments that belong to no entry shown, to be listed on their own.
///
/// Both attachments and messages name their event exactly.
pub fn attach_mail(
    entries: &mut [TimelineEntry],
    attachments: &[AttachmentRecord],
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

/// Attachments that belong to no entry of the history shown.
pub fn other_attachments(files: &[AttachmentView]) -> Markup {
    html! {
        @if !files.is_empty() {
            section class="panel" aria-labelledby="files-title" {
                h2 class="panel-title" id="files-title" { "Other attachments" }
                (attachment_list(files))
            }
        }
    }
}

/// A list of attachments with their type and size.
pub fn attachment_list(files: &[AttachmentView]) -> Markup {
    html! {
        ul class="attachments" aria-label="Attachments" {
            @for file in files {
                li {
                    a href=(file.href) { (file.filename) }
                    " "
                    span class="muted small" {
                        (file.content_type) " · " (file.size)
                        @if file.inline { " · shown in the e-mail" }
                    }
                }
            }
        }
    }
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

/// The timeline of `ticket`: its description, then every event the viewer may see.
pub fn timeline_entries(
    ticket: &Ticket,
    events: &[EventRecord],
    lookup: &Lookup,
) -> Vec<TimelineEntry> {
    let who = |e: &EventRecord| match (e.actor_id, e.actor_system) {
        (Some(id), _) => lookup.person(id),
        (None, Some(system)) => system_name(system),
        (None, None) => "Spoc".to_owned(),
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
    }];
    for event in events {
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

/// The timeline list.
pub fn timeline(entries: &[TimelineEntry]) -> Markup {
    html! {
        ol class="timeline" id="timeline" {
            @for entry in entries {
                @let class = match entry.style {
                    EntryStyle::Description => "entry entry-description",
                    EntryStyle::Reply => "entry entry-reply",
                    EntryStyle::Note => "entry entry-note",
                    EntryStyle::Event => "entry entry-event",
                };
                li class=(class) {
                    div class="entry-head" {
                        strong { bdi { (entry.who) } } " "
                        span class="muted" { (entry.what) } " "
                        @if entry.style == EntryStyle::Note {
                            span class="badge badge-internal" { "Internal note" } " "
                        }
                        time class="muted small" datetime=(iso(entry.at)) { (when(entry.at)) }
                    }
                    @if let Some(body) = &entry.body {
                        @if !body.is_empty() { (prose(body)) }
                    }
                    @if !entry.attachments.is_empty() { (attachment_list(&entry.attachments)) }
                    @if let Some(href) = &entry.email_href {
                        p class="entry-mail" { a class="view-email" href=(href) { "View the e-mail" } }
                    }
                }
            }
        }
    }
}

/// A `dl` of facts, skipping absent values.
pub fn facts(items: &[(&str, Option<Markup>)]) -> Markup {
    html! {
        dl class="facts" {
            @for (label, value) in items {
                dt { (label) }
                dd { @match value { Some(v) => (v), None => (none()) } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use spoc_domain::org::Tier;
    use spoc_domain::priority::{Impact, Urgency};
    use spoc_domain::{EventId, TicketId};

    use super::*;
    use spoc_app::InboundOutcome;

    fn ticket(title: &str) -> Ticket {
        let at = Timestamp::from_micros(1_800_000_000_000_000);
        Ticket {
            id: TicketId::new(42),
            kind: TicketKind::Incident,
            title: title.to_owned(),
            description: "It <b>broke</b>.\nTwice.".to_owned(),
            status: Status::Pending,
            pending_reason: Some(PendingReason::AwaitingUser),
            impact: Impact::High,
            urgency: Urgency::High,
            priority: Priority::P1,
            priority_overridden: false,
            requester_id: UserId::new(7),
            organization_id: None,
            group_id: GroupId::new(1),
            assignee_id: None,
            tier: Tier::from_number(1).unwrap(),
            category_id: None,
            subcategory_id: None,
            service_id: None,
            channel: Channel::Portal,
            supplier_reference: None,
            resolution_code: None,
            resolution_notes: None,
            reassignment_count: 0,
            reopen_count: 0,
            escalation_count: 0,
            escalated: true,
            created_at: at,
            updated_at: at,
            first_response_at: None,
            resolved_at: None,
            closed_at: None,
            version: 3,
        }
    }

    fn lookup() -> Lookup {
        let mut lookup = Lookup::default();
        lookup
            .people
            .insert(UserId::new(7), "Una <i>User</i>".to_owned());
        lookup.people.insert(UserId::new(8), "Ada Agent".to_owned());
        lookup
            .groups
            .insert(GroupId::new(1), ("Service Desk".to_owned(), 1));
        lookup
    }

    fn event(id: i64, data: EventData) -> EventRecord {
        EventRecord {
            id: EventId::new(id),
            ticket_id: TicketId::new(42),
            at: Timestamp::from_micros(1_800_000_000_000_000 + id),
            actor_id: Some(UserId::new(8)),
            actor_system: None,
            public: data.is_public(),
            data,
        }
    }

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
            html.contains("It &lt;b&gt;broke&lt;/b&gt;.\nTwice."),
            "line breaks kept for CSS: {html}"
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

    fn attachment(id: i64, event: Option<i64>, inbound: Option<i64>) -> AttachmentRecord {
        AttachmentRecord {
            id: spoc_domain::AttachmentId::new(id),
            ticket_id: TicketId::new(42),
            event_id: event.map(EventId::new),
            inbound_message_id: inbound.map(spoc_domain::InboundId::new),
            filename: format!("file-{id}.pdf"),
            content_type: "application/pdf".to_owned(),
            size: 3 * 1024 * 1024 + 300_000,
            sha256: String::new(),
            inline: false,
            content_id: None,
            public: true,
            created_at: Timestamp::from_micros(0),
        }
    }

    fn email(id: i64, outcome: InboundOutcome, event: i64) -> InboundMessage {
        InboundMessage {
            id: spoc_domain::InboundId::new(id),
            mailbox_id: None,
            message_id: format!("m{id}@example.test"),
            size: 100,
            from_address: None,
            subject: String::new(),
            received_at: Timestamp::from_micros(1_800_000_000_000_000),
            outcome,
            reason: String::new(),
            auto_reply: String::new(),
            ticket_id: Some(TicketId::new(42)),
            event_id: Some(EventId::new(event)),
            html: None,
            warnings: Vec::new(),
            settled_at: None,
            settled_by: None,
        }
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
    fn sizes_read_as_people_say_them() {
        assert_eq!(size_text(0), "empty");
        assert_eq!(size_text(1), "1 byte");
        assert_eq!(size_text(900), "900 bytes");
        assert_eq!(size_text(4200), "4 KB");
        assert_eq!(size_text(5 * 1024 * 1024), "5.0 MB");
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
}
