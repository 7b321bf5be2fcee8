//! The words the application layer puts into its sentences as values.

use crate::i18n::catalogue;

catalogue! {
    /// A word the application layer puts into its sentences as a value (a status, an action).
    ValueWord {
        // Statuses and states.
        New => "new", "Neu";
        Assigned => "assigned", "Zugewiesen";
        InProgress => "in progress", "In Bearbeitung";
        Pending => "pending", "Wartend";
        Resolved => "resolved", "Gelöst";
        Closed => "closed", "Geschlossen";
        Cancelled => "cancelled", "Storniert";
        Draft => "draft", "Entwurf";
        Review => "review", "In Prüfung";
        Published => "published", "Veröffentlicht";
        Retired => "retired", "Zurückgezogen";
        Submitted => "submitted", "Eingereicht";
        Checked => "checked", "Geprüft";
        Validated => "validated", "Validiert";
        Effective => "effective", "In Kraft";
        Superseded => "superseded", "Abgelöst";
        // Actions.
        Assign => "assign", "zuweisen";
        Start => "start", "beginnen";
        Pend => "pend", "auf wartend setzen";
        Resume => "resume", "fortsetzen";
        Escalate => "escalate", "eskalieren";
        Resolve => "resolve", "lösen";
        Close => "close", "schließen";
        Reopen => "reopen", "wieder öffnen";
        Cancel => "cancel", "stornieren";
        Submit => "submit", "einreichen";
        Publish => "publish", "veröffentlichen";
        Return => "return", "zurückgeben";
        Retire => "retire", "zurückziehen";
        Check => "check", "prüfen";
        Validate => "validate", "validieren";
        Approve => "approve", "freigeben";
        // Other words.
        Nothing => "nothing", "nichts";
        Linked => "linked", "verknüpft";
        Merged => "merged", "zusammengeführt";
        DealtWithAlready => "dealt with already", "bereits erledigt";
        TicketCreated => "ticket created", "Ticket erstellt";
        ReplyAdded => "reply added", "Antwort hinzugefügt";
        Held => "held", "zurückgehalten";
        Quarantined => "quarantined", "in Quarantäne";
        Ignored => "ignored", "ignoriert";
        Refused => "refused", "abgelehnt";
        // Words inside notifications.
        AReply => "a reply", "einer Antwort";
        AnInternalNote => "an internal note", "einer internen Notiz";
        AColleague => "A colleague", "Eine Kollegin oder ein Kollege";
        FirstResponse => "first response", "Erste Reaktion";
        Resolution => "resolution", "Lösung";
        NextResponse => "next response", "Nächste Reaktion";
        SlaBreaches => "SLA breaches", "SLA-Verletzungen";
        Reopenings => "reopenings", "Wiedereröffnungen";
    }
}
