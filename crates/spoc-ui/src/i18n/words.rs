//! The domain's words as pages show them: statuses, priorities, ticket kinds, pending reasons,
//! resolutions, SLA states, article kinds, queue columns, levels and the system's parts. Pages
//! call the functions here instead of the domain's English `label()`s.

use spoc_app::QueueColumn;
use spoc_domain::access::SystemActor;
use spoc_domain::knowledge::ArticleKind;
use spoc_domain::mail::NoticeTopic;
use spoc_domain::priority::Priority;
use spoc_domain::sla::SlaStanding;
use spoc_domain::ticket::{PendingReason, ResolutionCode, Status, TicketKind};

use super::{catalogue, t, tr};

catalogue! {
    /// A word of the domain.
    Words {
        StatusNew => "New", "Neu";
        StatusAssigned => "Assigned", "Zugewiesen";
        StatusInProgress => "In progress", "In Bearbeitung";
        StatusPending => "Pending", "Wartend";
        StatusResolved => "Resolved", "Gelöst";
        StatusClosed => "Closed", "Geschlossen";
        StatusCancelled => "Cancelled", "Storniert";
        PriorityCritical => "critical", "kritisch";
        PriorityHigh => "high", "hoch";
        PriorityModerate => "moderate", "mittel";
        PriorityLow => "low", "niedrig";
        PriorityPlanning => "planning", "Planung";
        LevelHigh => "high", "hoch";
        LevelMedium => "medium", "mittel";
        LevelLow => "low", "niedrig";
        KindIncident => "Incident", "Störung";
        KindRequest => "Request", "Anfrage";
        AwaitingUser => "Waiting for the user", "Wartet auf die Person";
        AwaitingThirdParty => "Waiting for a third party", "Wartet auf Dritte";
        AwaitingChange => "Waiting for a change", "Wartet auf eine Änderung";
        SlaBreached => "Breached", "Verletzt";
        SlaAtRisk => "At risk", "Gefährdet";
        SlaOnTrack => "On track", "Im Plan";
        HowTo => "How-to", "Anleitung";
        Faq => "FAQ", "Häufige Frage";
        KnownError => "Known error", "Bekannter Fehler";
        ColNumber => "Number", "Nummer";
        ColTitle => "Title", "Titel";
        ColStatus => "Status", "Status";
        ColPriority => "Priority", "Priorität";
        ColSla => "SLA", "SLA";
        ColRequester => "Requester", "Anfragende Person";
        ColOrganization => "Organisation", "Organisation";
        ColGroup => "Group", "Gruppe";
        ColAssignee => "Assignee", "Zuständig";
        ColCategory => "Category", "Kategorie";
        ColAge => "Age", "Alter";
        ColUpdated => "Last change", "Letzte Änderung";
        SysSlaTimer => "SLA timer", "SLA-Zeitgeber";
        SysSopReview => "SOP review", "SOP-Prüfung";
        SysMailIntake => "mail intake", "E-Mail-Eingang";
        SysMailDelivery => "mail delivery", "E-Mail-Zustellung";
        SysAutomation => "automation", "Automatisierung";
        SysIntegration => "integration", "Integration";
        SysSetup => "setup", "Einrichtung";
        DateTimeFormat => "%-d %b %Y, %H:%M %Z", "%-d.%-m.%Y, %H:%M %Z";
        JustNow => "just now", "gerade eben";
        AgeMinutes => "{0} min", "{0} Min.";
        AgeHours => "{0} h", "{0} Std.";
        AgeDays => "{0} d", "{0} Tg.";
        AgeWeeks => "{0} wk", "{0} Wo.";
        Ago => "{0} ago", "vor {0}";
        TimesNever => "never", "nie";
        TimesOnce => "once", "einmal";
        TimesTwice => "twice", "zweimal";
        TimesMany => "{0} times", "{0}-mal";
        TopicTicketLogged => "A ticket of yours was logged", "Ein Ticket von Ihnen wurde erfasst";
        TopicAgentReply => "The desk replied on a ticket of yours", "Der Service Desk hat auf ein Ticket von Ihnen geantwortet";
        TopicPendingOnYou => "The desk is waiting for you", "Der Service Desk wartet auf Sie";
        TopicResolved => "A ticket of yours was resolved", "Ein Ticket von Ihnen wurde gelöst";
        TopicReopened => "A ticket was reopened", "Ein Ticket wurde wieder geöffnet";
        TopicClosed => "A ticket of yours was closed", "Ein Ticket von Ihnen wurde geschlossen";
        TopicCustomerReply => "The requester replied on a ticket assigned to you", "Die anfragende Person hat auf ein Ihnen zugewiesenes Ticket geantwortet";
        TopicSlaWarning => "A service-level target is at risk", "Ein Service-Level-Ziel ist gefährdet";
        TopicSlaBreach => "A service-level target was breached", "Ein Service-Level-Ziel wurde verletzt";
        TopicEscalation => "A ticket was escalated to you", "Ein Ticket wurde an Sie eskaliert";
        ScopeAll => "all resources", "alle Bereiche";
        ScopeOwnAccount => "own account only", "nur das eigene Konto";
        ScopeReadOnly => "read-only: {0}", "nur lesen: {0}";
        ScopeFull => "full access", "voller Zugriff";
        ScopeReadWrite => "read and write: {0}", "lesen und schreiben: {0}";
        ResTickets => "tickets", "Tickets";
        ResKnowledge => "knowledge", "Wissen";
        ResSops => "sops", "SOPs";
        ResAdmin => "admin", "Verwaltung";
        PhRequesterName => "the requester's full name", "der volle Name der anfragenden Person";
        PhRequesterFirstName => "the requester's first name", "der Vorname der anfragenden Person";
        PhTicketNumber => "the ticket's number, e.g. INC-000042", "die Nummer des Tickets, z. B. INC-000042";
        PhTicketSubject => "the ticket's title", "der Titel des Tickets";
        PhAgentName => "the name of the agent inserting it", "der Name des Agenten, der ihn einfügt";
        // What was not found, as "This {0} does not exist" takes it (German: with its article).
        ThingArticle => "article", "Dieser Artikel";
        ThingAttachment => "attachment", "Dieser Anhang";
        ThingCalendar => "calendar", "Dieser Kalender";
        ThingCannedResponse => "canned response", "Dieser Textbaustein";
        ThingGroup => "group", "Diese Gruppe";
        ThingLink => "link", "Diese Verknüpfung";
        ThingMailbox => "mailbox", "Dieses Postfach";
        ThingMessage => "message", "Diese Nachricht";
        ThingNotification => "notification", "Diese Benachrichtigung";
        ThingPasswordResetLink => "password reset link", "Dieser Link";
        ThingRecord => "record", "Dieser Eintrag";
        ThingSender => "sender", "Dieser Absender";
        ThingTicket => "ticket", "Dieses Ticket";
        ThingUser => "user", "Diese Person";
        ThingVersion => "version", "Diese Version";
        ThingView => "view", "Diese Ansicht";
        ThingInboundMessage => "inbound message", "Diese Nachricht";
        ThingMembership => "membership", "Diese Mitgliedschaft";
        ThingOrganization => "organization", "Diese Organisation";
        ThingOutboxMessage => "outbox message", "Diese Nachricht";
        ThingToken => "token", "Dieses Token";
        ThingTenant => "tenant", "Diesen Mandanten";
        ThingLogo => "logo", "Dieses Logo";
    }
}

/// A status as agents read it.
pub fn status(status: Status) -> &'static str {
    t(match status {
        Status::New => Words::StatusNew,
        Status::Assigned => Words::StatusAssigned,
        Status::InProgress => Words::StatusInProgress,
        Status::Pending => Words::StatusPending,
        Status::Resolved => Words::StatusResolved,
        Status::Closed => Words::StatusClosed,
        Status::Cancelled => Words::StatusCancelled,
    })
}

/// A priority's plain word (`critical` … `planning`).
pub fn priority(priority: Priority) -> &'static str {
    t(match priority {
        Priority::P1 => Words::PriorityCritical,
        Priority::P2 => Words::PriorityHigh,
        Priority::P3 => Words::PriorityModerate,
        Priority::P4 => Words::PriorityLow,
        Priority::P5 => Words::PriorityPlanning,
    })
}

/// A priority with its code: `P1 critical`.
pub fn priority_with_code(p: Priority) -> String {
    format!("{} {}", p.as_str(), priority(p))
}

/// An impact or urgency level by its wire name (`high`, `medium`, `low`).
pub fn level(wire: &str) -> &'static str {
    match wire {
        "high" => t(Words::LevelHigh),
        "medium" => t(Words::LevelMedium),
        _ => t(Words::LevelLow),
    }
}

/// A ticket kind as people say it.
pub fn ticket_kind(kind: TicketKind) -> &'static str {
    t(match kind {
        TicketKind::Incident => Words::KindIncident,
        TicketKind::ServiceRequest => Words::KindRequest,
    })
}

/// What a pending ticket waits for.
pub fn pending(reason: PendingReason) -> &'static str {
    t(match reason {
        PendingReason::AwaitingUser => Words::AwaitingUser,
        PendingReason::AwaitingThirdParty => Words::AwaitingThirdParty,
        PendingReason::AwaitingChange => Words::AwaitingChange,
    })
}

/// How a ticket was resolved.
pub fn resolution(code: ResolutionCode) -> &'static str {
    spoc_app::words::resolution(code, super::lang())
}

/// A service-level target's name (`first response`, `resolution`…; lower case in English).
pub fn sla_target(target: spoc_domain::sla::SlaTarget) -> &'static str {
    spoc_app::words::sla_target(target, super::lang())
}

/// Where a ticket stands against its SLA.
pub fn sla_state(state: SlaStanding) -> &'static str {
    t(match state {
        SlaStanding::Breached => Words::SlaBreached,
        SlaStanding::AtRisk => Words::SlaAtRisk,
        SlaStanding::Ok => Words::SlaOnTrack,
    })
}

/// An article's kind.
pub fn article_kind(kind: ArticleKind) -> &'static str {
    t(match kind {
        ArticleKind::HowTo => Words::HowTo,
        ArticleKind::Faq => Words::Faq,
        ArticleKind::KnownError => Words::KnownError,
    })
}

/// A queue column's heading.
pub fn column(column: QueueColumn) -> &'static str {
    t(match column {
        QueueColumn::Number => Words::ColNumber,
        QueueColumn::Title => Words::ColTitle,
        QueueColumn::Status => Words::ColStatus,
        QueueColumn::Priority => Words::ColPriority,
        QueueColumn::Sla => Words::ColSla,
        QueueColumn::Requester => Words::ColRequester,
        QueueColumn::Organization => Words::ColOrganization,
        QueueColumn::Group => Words::ColGroup,
        QueueColumn::Assignee => Words::ColAssignee,
        QueueColumn::Category => Words::ColCategory,
        QueueColumn::Age => Words::ColAge,
        QueueColumn::Updated => Words::ColUpdated,
    })
}

/// A part of the system that acts on tickets by itself.
pub fn system(system: SystemActor) -> &'static str {
    t(match system {
        SystemActor::SlaTimer => Words::SysSlaTimer,
        SystemActor::SopReview => Words::SysSopReview,
        SystemActor::MailIntake => Words::SysMailIntake,
        SystemActor::MailDelivery => Words::SysMailDelivery,
        SystemActor::Automation => Words::SysAutomation,
        SystemActor::Integration => Words::SysIntegration,
        SystemActor::Bootstrap => Words::SysSetup,
    })
}

/// What was not found (the app's `NotFound { what }`), as the not-found sentence takes it.
pub fn thing(what: &str) -> String {
    let word = match what {
        "article" => Words::ThingArticle,
        "attachment" => Words::ThingAttachment,
        "calendar" => Words::ThingCalendar,
        "canned response" => Words::ThingCannedResponse,
        "group" => Words::ThingGroup,
        "link" => Words::ThingLink,
        "mailbox" => Words::ThingMailbox,
        "message" => Words::ThingMessage,
        "notification" => Words::ThingNotification,
        "password reset link" => Words::ThingPasswordResetLink,
        "record" => Words::ThingRecord,
        "sender" => Words::ThingSender,
        "ticket" => Words::ThingTicket,
        "user" => Words::ThingUser,
        "version" => Words::ThingVersion,
        "view" => Words::ThingView,
        "inbound message" => Words::ThingInboundMessage,
        "membership" => Words::ThingMembership,
        "organization" => Words::ThingOrganization,
        "outbox message" => Words::ThingOutboxMessage,
        "token" => Words::ThingToken,
        "tenant" => Words::ThingTenant,
        "logo" => Words::ThingLogo,
        other => return other.to_owned(),
    };
    t(word).to_owned()
}

/// What a notification is about, as a person chooses it.
pub fn notice_topic(topic: NoticeTopic) -> &'static str {
    t(match topic {
        NoticeTopic::TicketLogged => Words::TopicTicketLogged,
        NoticeTopic::AgentReply => Words::TopicAgentReply,
        NoticeTopic::PendingOnYou => Words::TopicPendingOnYou,
        NoticeTopic::Resolved => Words::TopicResolved,
        NoticeTopic::Reopened => Words::TopicReopened,
        NoticeTopic::Closed => Words::TopicClosed,
        NoticeTopic::CustomerReply => Words::TopicCustomerReply,
        NoticeTopic::SlaWarning => Words::TopicSlaWarning,
        NoticeTopic::SlaBreach => Words::TopicSlaBreach,
        NoticeTopic::Escalation => Words::TopicEscalation,
    })
}

/// A short description of what an API token may do: "read-only: tickets", "full access".
pub fn token_scope(scope: &spoc_domain::credential::TokenScope) -> String {
    use spoc_domain::credential::Resource;
    let what = match &scope.resources {
        None => t(Words::ScopeAll).to_owned(),
        Some(list) if list.is_empty() => t(Words::ScopeOwnAccount).to_owned(),
        Some(list) => list
            .iter()
            .map(|r| {
                t(match r {
                    Resource::Tickets => Words::ResTickets,
                    Resource::Knowledge => Words::ResKnowledge,
                    Resource::Sops => Words::ResSops,
                    Resource::Admin => Words::ResAdmin,
                })
            })
            .collect::<Vec<_>>()
            .join(", "),
    };
    if scope.read_only {
        tr(Words::ScopeReadOnly, &[&what])
    } else if scope.resources.is_none() {
        t(Words::ScopeFull).to_owned()
    } else {
        tr(Words::ScopeReadWrite, &[&what])
    }
}

/// What a canned response's placeholder (`requester.name`…) becomes, or the domain's English
/// for one this table does not know.
pub fn placeholder(name: &str, english: &'static str) -> &'static str {
    t(match name {
        "requester.name" => Words::PhRequesterName,
        "requester.first_name" => Words::PhRequesterFirstName,
        "ticket.number" => Words::PhTicketNumber,
        "ticket.subject" => Words::PhTicketSubject,
        "agent.name" => Words::PhAgentName,
        _ => return english,
    })
}
