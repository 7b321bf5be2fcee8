//! The domain's words as pages show them: statuses, priorities, ticket kinds, pending reasons,
//! resolutions, SLA states, article kinds, queue columns, levels and the system's parts. Pages
//! call the functions here instead of the domain's English `label()`s.

use spoc_app::QueueColumn;
use spoc_domain::access::SystemActor;
use spoc_domain::knowledge::ArticleKind;
use spoc_domain::priority::Priority;
use spoc_domain::sla::SlaStanding;
use spoc_domain::ticket::{PendingReason, ResolutionCode, Status, TicketKind};

use super::{catalogue, t};

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
        Solved => "Solved", "Gelöst";
        Workaround => "Workaround provided", "Umgehungslösung bereitgestellt";
        NotReproducible => "Could not reproduce", "Nicht reproduzierbar";
        Duplicate => "Duplicate of another ticket", "Duplikat eines anderen Tickets";
        Advice => "Advice given", "Beratung gegeben";
        Rejected => "Rejected", "Abgelehnt";
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
    t(match code {
        ResolutionCode::Solved => Words::Solved,
        ResolutionCode::Workaround => Words::Workaround,
        ResolutionCode::NotReproducible => Words::NotReproducible,
        ResolutionCode::Duplicate => Words::Duplicate,
        ResolutionCode::Advice => Words::Advice,
        ResolutionCode::Rejected => Words::Rejected,
    })
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
