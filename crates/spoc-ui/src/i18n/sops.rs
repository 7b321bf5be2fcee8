//! Messages of the SOP pages (list, editor, text, settings, reports).

use super::catalogue;

catalogue! {
    /// A message of the SOP pages (list, editor, text, settings, reports).
    Sops {
    // Version states.
    StateDraft => "Draft", "Entwurf";
    StateSubmitted => "Submitted — owner to check", "Eingereicht — Prüfung durch die verantwortliche Person";
    StateChecked => "Checked — reviewer to validate", "Geprüft — Validierung durch die fachlich prüfende Person";
    StateValidated => "Validated — approver to sign off", "Validiert — Freigabe durch die freigebende Person";
    StateEffective => "Effective", "In Kraft";
    StateSuperseded => "Superseded", "Abgelöst";
    StateRetired => "Retired", "Außer Kraft";
    // Governance actions.
    ActSubmit => "Submit for review", "Zur Prüfung einreichen";
    ActCheck => "Checked: matches policy and service design", "Geprüft: entspricht Richtlinie und Dienstdesign";
    ActValidate => "Validated: steps are right", "Validiert: die Schritte stimmen";
    ActApprove => "Approve: make it effective", "Freigeben: in Kraft setzen";
    ActRetire => "Retire this SOP", "Diese SOP außer Kraft setzen";
    ActReturn => "Send back to draft", "Als Entwurf zurückgeben";
    // Governance log (followed by "version N").
    LogWrote => "wrote", "verfasste";
    LogDrafted => "drafted", "entwarf";
    LogRevised => "revised", "überarbeitete";
    LogRestored => "restored an old version as", "stellte eine alte Version wieder her als";
    LogSubmitted => "submitted", "übermittelte";
    LogChecked => "checked", "prüfte";
    LogValidated => "validated", "validierte";
    LogApproved => "approved", "genehmigte";
    LogRetired => "retired", "deaktivierte";
    LogSentBack => "sent back", "beanstandete";
    LogReviewed => "recorded a review of", "überprüfte";
    LogSettings => "changed document control of", "änderte die Dokumentenlenkung von";
    LogChanged => "changed", "änderte";
    // Review triggers.
    TriggerScheduled => "Scheduled review", "Planmäßige Prüfung";
    TriggerSlaBreaches => "Early review: SLA breaches", "Vorgezogene Prüfung: SLA-Verletzungen";
    TriggerReopenings => "Early review: reopenings", "Vorgezogene Prüfung: Wiedereröffnungen";
    // The procedure's content.
    Title => "Title", "Titel";
    Purpose => "Purpose", "Zweck";
    Scope => "Scope", "Geltungsbereich";
    Trigger => "Trigger", "Auslöser";
    Roles => "Roles", "Rollen";
    RequiredInputs => "Required inputs", "Erforderliche Angaben";
    Steps => "Steps", "Schritte";
    DecisionPoints => "Decision points", "Entscheidungspunkte";
    Exceptions => "Exceptions", "Ausnahmen";
    EscalationRules => "Escalation rules", "Eskalationsregeln";
    QualityChecks => "Quality checks", "Qualitätsprüfungen";
    QualityChecksEnforced => "Quality checks (enforced before resolve and close)", "Qualitätsprüfungen (vor dem Lösen und Schließen erzwungen)";
    References => "References", "Referenzen";
    RecordAnswer => "Record: {0}", "Festhalten: {0}";
    RecordAnswerOptions => "Record: {0} ({1})", "Festhalten: {0} ({1})";
    EscalateFunctional => "functional escalation to ", "funktionale Eskalation an ";
    EscalateHierarchical => "alert the leads", "die Leitung benachrichtigen";
    Decision => "Decision: {0}", "Entscheidung: {0}";
    ExceptionWhen => "When", "Wann";
    ExceptionThreshold => "Threshold", "Schwelle";
    ExceptionWhatToDo => "What to do", "Was zu tun ist";
    FollowSop => "Follow SOP ", "Weiter mit SOP ";
    // The list.
    ListTitle => "SOPs", "SOPs";
    ListHeading => "Standard operating procedures", "Standardarbeitsanweisungen";
    ListIntro => "Controlled procedures, shown as checklists on the tickets they apply to, reviewed on schedule and when outcomes slip.",
        "Gelenkte Verfahren, als Checklisten auf den Tickets angezeigt, für die sie gelten, planmäßig geprüft und wenn die Ergebnisse nachlassen.";
    Reviews => "Reviews", "Prüfungen";
    Outcomes => "Outcomes", "Ergebnisse";
    ImportShipped => "Import the shipped SOPs", "Mitgelieferte SOPs importieren";
    NewSop => "New SOP", "Neue SOP";
    NoSopsYet => "No SOPs yet", "Noch keine SOPs";
    NoSopsHint => "Write one, or import the procedures that ship with Spoc.", "Schreiben Sie eine, oder importieren Sie die mit Spoc mitgelieferten Verfahren.";
    ColProcedure => "Procedure", "Verfahren";
    ColInForce => "In force", "In Kraft";
    ColLatest => "Latest", "Neueste";
    Owner => "Owner", "Verantwortlich";
    NextReview => "Next review", "Nächste Prüfung";
    VersionN => "Version {0}", "Version {0}";
    NoneInForce => "None", "Keine";
    Overdue => "Overdue", "Überfällig";
    Soon => "Soon", "Bald";
    NobodyYet => "Nobody yet", "Noch niemand";
    // A procedure.
    EffectiveAt => " · effective {0}", " · in Kraft seit {0}";
    Changes => "changes", "Änderungen";
    RestoreAsDraft => "Restore as the latest draft", "Als neuesten Entwurf wiederherstellen";
    SeeLatest => "see the latest, version {0}", "neueste ansehen, Version {0}";
    ReviseDraft => "Revise the draft", "Entwurf überarbeiten";
    DraftNewVersion => "Draft a new version", "Neue Version entwerfen";
    Versions => "Versions", "Versionen";
    GovernanceLog => "Governance log", "Freigabeprotokoll";
    ControlAndGovernance => "Document control and governance", "Dokumentenlenkung und Freigabe";
    DocumentControl => "Document control", "Dokumentenlenkung";
    Reviewer => "Reviewer", "Fachlich prüfende Person";
    Approver => "Approver", "Freigebende Person";
    NotNamed => "Not named", "Nicht benannt";
    Version => "Version", "Version";
    Effective => "Effective", "In Kraft seit";
    ChangeSummary => "Change summary", "Änderungsübersicht";
    ReviewEvery => "Review every", "Prüfung alle";
    MonthsOne => "{0} month", "{0} Monat";
    MonthsOther => "{0} months", "{0} Monate";
    EarlyReview => "Early review", "Vorgezogene Prüfung";
    EarlyOnlyOnSchedule => "Only on schedule", "Nur planmäßig";
    EarlyOnBreaches => "On {0} SLA breaches within {1} days", "Bei {0} SLA-Verletzungen innerhalb von {1} Tagen";
    EarlyOnReopenings => "On {0} reopenings within {1} days", "Bei {0} Wiedereröffnungen innerhalb von {1} Tagen";
    EarlyOnBoth => "On {0} SLA breaches or {1} reopenings within {2} days", "Bei {0} SLA-Verletzungen oder {1} Wiedereröffnungen innerhalb von {2} Tagen";
    AppliesTo => "Applies to", "Gilt für";
    NoTicketsLinked => "No tickets (referenced from other SOPs)", "Keine Tickets (von anderen SOPs referenziert)";
    LinkIncidents => "Incidents", "Störungen";
    LinkServiceRequests => "Service requests", "Anfragen";
    LinkTickets => "Tickets", "Alle Tickets";
    LinkIn => "{0} in {1}", "{0} in {1}";
    LinkInSub => "{0} in {1} › {2}", "{0} in {1} › {2}";
    Governance => "Governance", "Freigabe";
    LatestVersion => "Latest version: ", "Neueste Version: ";
    NothingToDo => "Nothing for you to do on this SOP now.", "Für Sie gibt es bei dieser SOP gerade nichts zu tun.";
    WhatMustChange => "What must change", "Was sich ändern muss";
    WhyOptional => "Why (optional)", "Warum (optional)";
    GovernanceHint => "An author drafts and submits; the owner checks; the reviewer validates; the approver, a lead or admin who neither wrote nor validated it, signs it off. The desk is told when it takes effect.",
        "Wer sie verfasst, entwirft und reicht ein; die verantwortliche Person prüft; die fachlich prüfende Person validiert; die freigebende Person – eine Leitung oder ein Admin, die sie weder verfasst noch validiert hat – gibt sie frei. Der Service Desk wird informiert, sobald sie in Kraft tritt.";
    RecordAReview => "Record a review", "Prüfung festhalten";
    WhatYouConcluded => "What you concluded", "Ihr Ergebnis";
    RecordReviewHint => "Closes the open reviews and schedules the next one.", "Schließt die offenen Prüfungen und plant die nächste.";
    RecordTheReview => "Record the review", "Prüfung speichern";
    ReviewOpen => "Open", "Offen";
    ReviewDone => "Done", "Erledigt";
    OpenedAt => " · opened {0}", " · eröffnet {0}";
    TicketsLabel => "Tickets: ", "Tickets: ";
    WriteConclusion => "Write what the review concluded.", "Schreiben Sie, zu welchem Ergebnis die Prüfung kam.";
    // The editor.
    HintOnePerLineRole => "One per line — Role: what they do", "Eine pro Zeile — Rolle: was sie tut";
    HintOnePerLine => "One per line", "Eine pro Zeile";
    HintSteps => "One per line — key: One instruction. Add [Label: option | option] or [Label] to record an answer with it. Keys stay the same across versions.",
        "Einer pro Zeile — schlüssel: Eine Anweisung. Fügen Sie [Bezeichnung: Option | Option] oder [Bezeichnung] hinzu, um damit eine Antwort festzuhalten. Die Schlüssel bleiben über alle Versionen gleich.";
    HintDecisions => "key @after-step: Question? | answer => what to do | answer => what to do",
        "schlüssel @nach-schritt: Frage? | Antwort => was zu tun ist | Antwort => was zu tun ist";
    ExceptionsTop => "Exceptions (the top 2–3)", "Ausnahmen (die wichtigsten 2–3)";
    HintExceptions => "key: when | threshold | what to do — add | follow: sop-key to point at another SOP",
        "schlüssel: wann | Schwelle | was zu tun ist — ergänzen Sie | follow: sop-schlüssel, um auf eine andere SOP zu verweisen";
    HintEscalations => "key: functional | Group name | when | reason — or key: hierarchical | | when | reason",
        "schlüssel: functional | Gruppenname | wann | Grund — oder schlüssel: hierarchical | | wann | Grund";
    HintChecks => "key: what must be true | field service (category, subcategory, impact, urgency, assignee) · priority rationale · step KEY · answer KEY · answer KEY = A, B",
        "schlüssel: was erfüllt sein muss | field service (category, subcategory, impact, urgency, assignee) · priority rationale · step SCHLÜSSEL · answer SCHLÜSSEL · answer SCHLÜSSEL = A, B";
    HintReferences => "One per line — title, or title | location", "Einer pro Zeile — Titel oder Titel | Fundort";
    CheckTheProcedure => "Please check the procedure", "Bitte prüfen Sie das Verfahren";
    Key => "Key", "Schlüssel";
    KeyHint => "Lower-case letters, digits and '-', e.g. password-reset. It never changes.", "Kleinbuchstaben, Ziffern und „-“, z. B. password-reset. Er ändert sich nie.";
    SubjectReviewer => "Subject-matter reviewer", "Fachlich prüfende Person";
    ApproverLeadOrAdmin => "Approver (lead or admin)", "Freigebende Person (Leitung oder Admin)";
    ChangeSummaryHint => "What this version changes, and why.", "Was diese Version ändert und warum.";
    SaveDraft => "Save the draft", "Entwurf speichern";
    NewSopIntro => "Version 1 starts as a draft; it applies to tickets once approved.", "Version 1 beginnt als Entwurf; sie gilt für Tickets, sobald sie freigegeben ist.";
    BackToSop => "Back to the SOP", "Zurück zur SOP";
    InForceUntilApproved => "The version in force stays in force until the new one is approved.", "Die geltende Version bleibt in Kraft, bis die neue freigegeben ist.";
    EditSop => "Edit SOP", "SOP bearbeiten";
    VersionNote => "Version {0}: {1}", "Version {0}: {1}";
    SopChanges => "SOP changes", "SOP-Änderungen";
    // Document control form.
    AnyKind => "Any kind", "Jede Art";
    AnyCategory => "Any category", "Jede Kategorie";
    AnySubcategory => "Any subcategory", "Jede Unterkategorie";
    ControlAndLinks => "Document control and links", "Dokumentenlenkung und Verknüpfungen";
    ReviewEveryMonths => "Review every (months)", "Prüfung alle (Monate)";
    EarlyAfterBreaches => "Early review after SLA breaches", "Vorgezogene Prüfung nach SLA-Verletzungen";
    EarlyAfterReopenings => "Early review after reopenings", "Vorgezogene Prüfung nach Wiedereröffnungen";
    EmptyForNone => "Empty for none.", "Leer lassen für keine.";
    WithinDays => "Within (days)", "Innerhalb von (Tagen)";
    Kind => "Kind", "Art";
    Category => "Category", "Kategorie";
    Subcategory => "Subcategory", "Unterkategorie";
    LinksHint => "A ticket follows the most specific SOP that matches it; leave a row at “Any” to skip it.",
        "Ein Ticket folgt der spezifischsten SOP, die darauf passt; lassen Sie eine Zeile auf „Jede …“, um sie zu überspringen.";
    SaveControl => "Save document control", "Dokumentenlenkung speichern";
    EnterWholeNumber => "Enter a whole number.", "Geben Sie eine ganze Zahl ein.";
    EnterWholeNumberOrEmpty => "Enter a whole number, or leave it empty.", "Geben Sie eine ganze Zahl ein, oder lassen Sie das Feld leer.";
    ChooseKind => "Choose a kind from the list.", "Wählen Sie eine Art aus der Liste.";
    // Editor line syntax mistakes.
    LineError => "line {0}: {1}", "Zeile {0}: {1}";
    WriteItAs => "write it as {0}", "Schreiben Sie es als {0}";
    ShapeRole => "Role: what they do", "Rolle: was sie tut";
    ShapeStep => "key: One instruction.", "schlüssel: Eine Anweisung.";
    ShapeDecision => "key: Question? | answer => then | answer => then", "schlüssel: Frage? | Antwort => dann | Antwort => dann";
    ShapeException => "key: when | threshold | action", "schlüssel: wann | Schwelle | Aktion";
    ShapeEscalation => "key: functional | Group | when | reason", "schlüssel: functional | Gruppe | wann | Grund";
    ShapeEscalationFull => "key: functional | Group | when | reason (or hierarchical with an empty group)", "schlüssel: functional | Gruppe | wann | Grund (oder hierarchical mit leerer Gruppe)";
    ShapeCheck => "key: what must be true | requirement", "schlüssel: was erfüllt sein muss | Anforderung";
    TheField => "the field {0}", "Das Feld {0}";
    TheLevel => "the level {0}", "Die Stufe {0}";
    SayRequirement => "say what it requires: field NAME, priority rationale, step KEY, answer KEY or answer KEY = A, B",
        "Geben Sie an, was verlangt wird: field NAME, priority rationale, step SCHLÜSSEL, answer SCHLÜSSEL oder answer SCHLÜSSEL = A, B";
    WriteBranch => "write each branch as answer => what to do", "Schreiben Sie jeden Zweig als Antwort => was zu tun ist";
    AddRequirement => "add | and what it requires", "Ergänzen Sie | und was verlangt wird";
    // Reviews.
    ReviewsTitle => "SOP reviews", "SOP-Prüfungen";
    ReviewsIntro => "Scheduled reviews due within two weeks or overdue, and early reviews called for by SLA breaches or reopenings among the tickets handled under an SOP. Owners are notified.",
        "Planmäßige Prüfungen, die innerhalb von zwei Wochen fällig oder überfällig sind, und vorgezogene Prüfungen wegen SLA-Verletzungen oder Wiedereröffnungen bei Tickets, die nach einer SOP bearbeitet wurden. Die verantwortlichen Personen werden benachrichtigt.";
    OpenReviews => "Open reviews", "Offene Prüfungen";
    NoneOpen => "None open.", "Keine offen.";
    ColSop => "SOP", "SOP";
    ColWhy => "Why", "Grund";
    ColOpened => "Opened", "Eröffnet";
    ColTickets => "Tickets", "Tickets";
    DueAt => "due {0}", "fällig {0}";
    You => "You", "Sie";
    ScheduledComingUp => "Scheduled reviews coming up", "Anstehende planmäßige Prüfungen";
    NoScheduledDue => "No scheduled review is due in the next two weeks.", "In den nächsten zwei Wochen ist keine planmäßige Prüfung fällig.";
    // Outcomes.
    RatioOf => "{0} % ({1} of {2})", "{0} % ({1} von {2})";
    MetricTickets => "Tickets handled", "Bearbeitete Tickets";
    MetricResolved => "Resolved", "Gelöst";
    MetricFirstContact => "First contact resolution", "Lösung beim Erstkontakt";
    MetricSlaResponse => "SLA attainment: first response", "SLA-Erfüllung: erste Reaktion";
    MetricSlaResolution => "SLA attainment: resolution", "SLA-Erfüllung: Lösung";
    MetricTimeToResolve => "Time to resolution (mean · median · p90)", "Zeit bis zur Lösung (Mittel · Median · p90)";
    MetricBusinessTime => "Business time to resolution", "Geschäftszeit bis zur Lösung";
    MetricReassignment => "Reassignment rate", "Neuzuweisungsquote";
    PerTicket => "{0} · {1} per ticket", "{0} · {1} pro Ticket";
    MetricReopen => "Reopen rate", "Wiedereröffnungsquote";
    OutcomesHeading => "SOP outcomes by version", "SOP-Ergebnisse nach Version";
    OutcomesIntro => "What happened to the tickets handled under each version, newest version first, beside the one it replaced. Read them together: better SLA attainment with more reopenings is a speed-for-quality trade.",
        "Was mit den Tickets geschah, die nach jeder Version bearbeitet wurden, die neueste Version zuerst, neben der, die sie ersetzt hat. Lesen Sie sie zusammen: Bessere SLA-Erfüllung bei mehr Wiedereröffnungen erkauft Tempo mit Qualität.";
    NoOutcomesYet => "No outcomes yet", "Noch keine Ergebnisse";
    NoOutcomesHint => "Outcomes appear once an SOP version has been effective and tickets were handled under it.",
        "Ergebnisse erscheinen, sobald eine SOP-Version in Kraft war und Tickets nach ihr bearbeitet wurden.";
    ColOutcome => "Outcome", "Ergebnis";
    OutcomesTitle => "SOP outcomes", "SOP-Ergebnisse";
    // Provider-wide SOPs.
    FromProvider => "From your service provider", "Vom Dienstleister";
    ProviderWideReadOnly => "Your service provider applies this SOP on your desk. You work under its version in force; only the provider can change it.",
        "Ihr Dienstleister wendet diese SOP in Ihrem Service Desk an. Sie arbeiten nach der gültigen Version; nur der Dienstleister kann sie ändern.";
    ProviderWideMatchHint => "It applies to your tickets whose category has the same name as one it is linked to, unless one of your own SOPs applies.",
        "Sie gilt für Ihre Tickets, deren Kategorie so heißt wie eine ihrer verknüpften Kategorien, sofern keine Ihrer eigenen SOPs gilt.";
    ProviderWide => "Every tenant", "Alle Mandanten";
    AppliesInEveryTenant => "This SOP applies in every tenant.", "Diese SOP gilt in allen Mandanten.";
    AppliesHereOnly => "This SOP applies on this desk only.", "Diese SOP gilt nur in diesem Service Desk.";
    MakeProviderWide => "Apply in every tenant", "In allen Mandanten anwenden";
    StopProviderWide => "Apply here only", "Nur hier anwenden";
    ProviderWideHint => "Other tenants work under its version in force on their tickets of categories with the same names as its linked ones, unless their own SOP applies; only you change it.",
        "Andere Mandanten arbeiten nach der gültigen Version bei ihren Tickets in gleichnamigen Kategorien, sofern keine eigene SOP gilt; nur Sie ändern sie.";
    LogProviderWide => "applied in every tenant", "wendete in allen Mandanten an";
    LogOwnTenant => "applied on this desk only", "wendete nur in diesem Service Desk an";
    }
}
