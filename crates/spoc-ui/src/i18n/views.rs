//! Messages of the views shared by pages: the history (timeline), ticket rows, attachments, uploads, live updates.

use super::catalogue;

catalogue! {
    /// A message of the views shared by pages: the history (timeline), ticket rows, attachments, uploads, live updates.
    Views {
    // Names the pages fall back to.
    UnknownPerson => "User {0}", "Person {0}";
    UnknownGroup => "Group {0}", "Gruppe {0}";
    UnknownCategory => "Category {0}", "Kategorie {0}";
    UnknownService => "Service {0}", "Dienst {0}";
    // Attachments.
    SizeEmpty => "empty", "leer";
    SizeOneByte => "1 byte", "1 Byte";
    SizeBytes => "{0} bytes", "{0} Bytes";
    SizeKilobytes => "{0} KB", "{0} KB";
    SizeMegabytes => "{0}.{1} MB", "{0},{1} MB";
    OtherAttachments => "Other attachments", "Weitere Anhänge";
    Attachments => "Attachments", "Anhänge";
    ShownInEmail => "shown in the e-mail", "in der E-Mail angezeigt";
    // Ticket rows and SLA badges.
    SlaBreached => "Breached", "Verletzt";
    SlaPaused => "Paused", "Angehalten";
    SlaMet => "Met", "Erfüllt";
    SlaRunning => "Running", "Läuft";
    SlaLeft => "{0} left", "noch {0}";
    SlaBadgeTitle => "{0} target: {1}", "Ziel {0}: {1}";
    ClockAroundTheClock => "{0}, around the clock", "{0}, rund um die Uhr";
    ClockBusinessHours => "{0} business hours", "Geschäftszeiten {0}";
    ClockTarget => "target {0} ({1}; {2})", "Ziel {0} ({1}; {2})";
    ClockPaused => "; paused {0} in all", "; insgesamt {0} angehalten";
    ClockDue => "; due {0}", "; fällig {0}";
    ClockUsed => "; {0} % used", "; {0} % verbraucht";
    TableTickets => "Tickets", "Tickets";
    TableTicket => "Ticket", "Ticket";
    Escalated => "Escalated", "Eskaliert";
    Unassigned => "Unassigned", "Nicht zugewiesen";
    // The history: who acted.
    TheServiceDesk => "The service desk", "Der Service Desk";
    SystemName => "System ({0})", "System ({0})";
    // The history: how a ticket came in.
    ChannelPortal => "in the portal", "im Portal";
    ChannelApi => "through the API", "über die API";
    ChannelPhone => "by phone", "telefonisch";
    ChannelEmail => "by e-mail", "per E-Mail";
    ChannelChat => "by chat", "per Chat";
    ChannelMonitoring => "from monitoring", "aus der Überwachung";
    // The history in the desk's words.
    DescribedIssue => "described the issue", "hat das Problem beschrieben";
    LoggedTicket => "logged the ticket {0}", "hat das Ticket {0} erfasst";
    StatusChanged => "changed the status from {0} to {1}", "hat den Status von {0} auf {1} geändert";
    StatusChangedPending => "changed the status from {0} to {1} ({2})", "hat den Status von {0} auf {1} geändert ({2})";
    MovedGroup => "moved the ticket from {0} to {1} (tier {2})", "hat das Ticket von {0} nach {1} verschoben (Stufe {2})";
    AssignedTo => "assigned the ticket to {0}", "hat das Ticket {0} zugewiesen";
    RemovedAssignee => "removed the assignee", "hat die zuständige Person entfernt";
    EscalatedTo => "escalated the ticket to {0}", "hat das Ticket an {0} eskaliert";
    EscalatedTicket => "escalated the ticket", "hat das Ticket eskaliert";
    AlertedLeads => "alerted the group's leads", "hat die Leitung der Gruppe alarmiert";
    ResolvedTicket => "resolved the ticket — {0}", "hat das Ticket gelöst — {0}";
    PriorityChanged => "changed the priority from {0} to {1}", "hat die Priorität von {0} auf {1} geändert";
    PriorityChangedByHand => "changed the priority from {0} to {1} by hand", "hat die Priorität von Hand von {0} auf {1} geändert";
    FieldChanged => "changed the {0} from {1} to {2}", "hat {0} von {1} auf {2} geändert";
    FieldNothing => "nothing", "nichts";
    FieldQuoted => "“{0}”", "„{0}“";
    FieldTitle => "title", "den Titel";
    FieldImpact => "impact", "die Auswirkung";
    FieldUrgency => "urgency", "die Dringlichkeit";
    FieldCategory => "category", "die Kategorie";
    FieldSubcategory => "subcategory", "die Unterkategorie";
    FieldService => "service", "den Dienst";
    FieldSupplierReference => "supplier reference", "die Referenz des Lieferanten";
    FieldOther => "{0}", "das Feld „{0}“";
    EditedDescription => "edited the description", "hat die Beschreibung bearbeitet";
    SopApplied => "began following SOP “{0}”, version {1}", "hat begonnen, SOP „{0}“ in Version {1} zu befolgen";
    SopStepTicked => "ticked SOP step “{0}”", "hat SOP-Schritt „{0}“ abgehakt";
    SopStepUnticked => "unticked SOP step “{0}”", "hat das Häkchen bei SOP-Schritt „{0}“ entfernt";
    SopAnswer => "recorded an answer for SOP step “{0}”", "hat eine Antwort zu SOP-Schritt „{0}“ erfasst";
    Linked => "linked {0} ({1})", "hat {0} verknüpft ({1})";
    Unlinked => "removed the link to {0} ({1})", "hat die Verknüpfung mit {0} entfernt ({1})";
    LinkRelated => "related", "verwandt";
    LinkThisContinuesIt => "this continues it", "dieses Ticket setzt es fort";
    LinkItContinuesThis => "it continues this one", "es setzt dieses Ticket fort";
    MergedInto => "merged this ticket into {0}; the conversation continues there", "hat dieses Ticket mit {0} zusammengeführt; das Gespräch geht dort weiter";
    AutoCloseNotice => "told the requester the ticket closes by itself on {0} unless they answer", "hat der anfragenden Person mitgeteilt, dass sich das Ticket am {0} von selbst schließt, sofern sie nicht antwortet";
    MergedFrom => "merged duplicate {0} into this ticket", "hat das Duplikat {0} mit diesem Ticket zusammengeführt";
    ArticleLinked => "recorded knowledge article “{0}” as used to resolve", "hat den Wissensartikel „{0}“ als Lösungshilfe erfasst";
    AutomatedMail => "received an automated e-mail — “{0}” (not a reply; nobody was notified)", "hat eine automatische E-Mail erhalten — „{0}“ (keine Antwort; niemand wurde benachrichtigt)";
    AutomatedMailFrom => "received an automated e-mail from {0} — “{1}” (not a reply; nobody was notified)", "hat eine automatische E-Mail von {0} erhalten — „{1}“ (keine Antwort; niemand wurde benachrichtigt)";
    Undeliverable => "could not deliver the {0} notification to {1}", "konnte die Benachrichtigung „{0}“ nicht an {1} zustellen";
    AddedInternalNote => "added an internal note", "hat eine interne Notiz hinzugefügt";
    Replied => "replied", "hat geantwortet";
    // The history: SLA clocks.
    ClockStarted => "started the {0} clock ({1} of business time)", "hat die Uhr für {0} gestartet ({1} Geschäftszeit)";
    ClockPausedFor => "paused the {0} clock ({1})", "hat die Uhr für {0} angehalten ({1})";
    ClockResumed => "resumed the {0} clock", "hat die Uhr für {0} fortgesetzt";
    ClockRetargeted => "re-targeted the {0} clock to {1} after a priority change", "hat das Ziel der Uhr für {0} nach einer Prioritätsänderung auf {1} gesetzt";
    ClockStoppedMet => "stopped the {0} clock after {1} — target met", "hat die Uhr für {0} nach {1} gestoppt — Ziel erreicht";
    ClockStoppedMissed => "stopped the {0} clock after {1} — target missed", "hat die Uhr für {0} nach {1} gestoppt — Ziel verfehlt";
    ClockWarned => "warned: the {0} target is close", "hat gewarnt: Das Ziel für {0} ist nah";
    ClockBreached => "recorded a breach of the {0} target", "hat eine Verletzung des Ziels für {0} erfasst";
    // The history list.
    HideSystemEvents => "Hide system events", "Systemereignisse ausblenden";
    InternalNote => "Internal note", "Interne Notiz";
    ViewEmail => "View the e-mail", "E-Mail ansehen";
    // The history in the requester's words (the portal).
    CustomerAskedForHelp => "asked for help {0}", "hat {0} um Hilfe gebeten";
    CustomerReopened => "reopened the request", "hat die Anfrage wieder geöffnet";
    CustomerPickedUpAgain => "picked the work up again", "hat die Arbeit wieder aufgenommen";
    CustomerStartedWork => "started working on the request", "hat mit der Bearbeitung der Anfrage begonnen";
    CustomerAskedForInfo => "asked you for more information", "hat Sie um weitere Informationen gebeten";
    CustomerOnHold => "put the request on hold while waiting for someone else", "hat die Anfrage zurückgestellt, solange auf jemand anderen gewartet wird";
    CustomerClosed => "closed the request", "hat die Anfrage geschlossen";
    CustomerCancelled => "cancelled the request", "hat die Anfrage storniert";
    CustomerPassedTo => "passed the request to {0}", "hat die Anfrage an {0} weitergeleitet";
    CustomerHandedTo => "handed the request to {0}", "hat die Anfrage {0} übergeben";
    CustomerToSpecialists => "passed the request to specialists: {0}", "hat die Anfrage an Fachleute weitergeleitet: {0}";
    CustomerSolved => "solved the request", "hat die Anfrage gelöst";
    CustomerEditedDescription => "edited the description", "hat die Beschreibung bearbeitet";
    CustomerChangedTitle => "changed the request's title", "hat den Titel der Anfrage geändert";
    CustomerReplied => "replied", "hat geantwortet";
    CustomerMergedInto => "combined this request with {0}, which asks the same; the conversation continues there", "hat diese Anfrage mit {0} zusammengeführt, weil beide dasselbe betreffen; das Gespräch geht dort weiter";
    CustomerMergedFrom => "combined {0}, which asked the same, into this request", "hat {0} mit dieser Anfrage zusammengeführt, weil beide dasselbe betrafen";
    CustomerAutoCloseNotice => "let you know the request closes by itself soon unless you say it is not fixed", "hat Ihnen mitgeteilt, dass sich die Anfrage bald von selbst schließt, sofern Sie nicht melden, dass das Problem weiterbesteht";
    CustomerFollowUp => "opened this request to continue {0}", "hat diese Anfrage eröffnet, um {0} fortzusetzen";
    CustomerFollowedUpBy => "continued this request in {0}", "hat diese Anfrage in {0} fortgesetzt";
    }
}
