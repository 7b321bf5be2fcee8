//! Messages of the knowledge base (desk and editor).

use super::catalogue;

catalogue! {
    /// A message of the knowledge base (desk and editor).
    Knowledge {
    // An article's state, audience and workflow actions.
    StatusDraft => "Draft", "Entwurf";
    StatusReview => "In review", "In Prüfung";
    StatusPublished => "Published", "Veröffentlicht";
    StatusRetired => "Retired", "Zurückgezogen";
    AudienceAgents => "Agents only", "Nur Agenten";
    AudienceCustomers => "Customers", "Kunden";
    ActionSubmit => "Submit for review", "Zur Prüfung einreichen";
    ActionPublish => "Publish", "Veröffentlichen";
    ActionReturn => "Return to draft", "Zurück in den Entwurf";
    ActionRetire => "Retire", "Zurückziehen";
    ChooseCategory => "Choose a category from the list.", "Wählen Sie eine Kategorie aus der Liste.";
    Symptom => "Symptom", "Symptom";
    Cause => "Cause", "Ursache";
    Workaround => "Workaround", "Umgehungslösung";
    // The knowledge base.
    Any => "Any", "Alle";
    ChooseStatus => "Choose a status from the list.", "Wählen Sie einen Status aus der Liste.";
    ChooseKind => "Choose a kind from the list.", "Wählen Sie eine Art aus der Liste.";
    ChooseAudience => "Choose an audience from the list.", "Wählen Sie eine Zielgruppe aus der Liste.";
    KbTitle => "Knowledge base", "Wissensdatenbank";
    ListIntro => "How-tos, FAQs and known errors. Customers see published articles meant for them; everything else stays with the desk.",
        "Anleitungen, häufige Fragen und bekannte Fehler. Kunden sehen die für sie veröffentlichten Artikel; alles andere bleibt beim Service Desk.";
    SelfServiceReport => "Self-service report", "Self-Service-Bericht";
    NewArticle => "New article", "Neuer Artikel";
    Search => "Search", "Suchen";
    Status => "Status", "Status";
    Kind => "Kind", "Art";
    Audience => "Audience", "Zielgruppe";
    Category => "Category", "Kategorie";
    NoArticles => "No articles here", "Hier gibt es keine Artikel";
    NoArticlesHint => "Nothing matches; write the article the desk keeps explaining by hand.",
        "Nichts passt; schreiben Sie den Artikel, den der Service Desk immer wieder von Hand erklärt.";
    ArticleOne => "1 article", "1 Artikel";
    ArticleOther => "{0} articles", "{0} Artikel";
    Title => "Title", "Titel";
    Used => "Used", "Verwendet";
    Helpful => "Helpful", "Hilfreich";
    Changed => "Changed", "Geändert";
    VersionPublished => "v{0} published", "v{0} veröffentlicht";
    // An article.
    VersionN => "Version {0}", "Version {0}";
    ChangesFromVersion => "Changes from version {0}", "Änderungen gegenüber Version {0}";
    RestoreAsNew => "Restore as a new version", "Als neue Version wiederherstellen";
    ThisVersionPublished => "· this version is published", "· diese Version ist veröffentlicht";
    ReadersSeeVersion => "· readers see version {0} until this one is published",
        "· Lesende sehen Version {0}, bis diese veröffentlicht ist";
    NotPublishedYet => "· not published yet", "· noch nicht veröffentlicht";
    Edit => "Edit", "Bearbeiten";
    Versions => "Versions", "Versionen";
    ReviewAndUse => "Review and use", "Prüfung und Nutzung";
    Review => "Review", "Prüfung";
    RetiredReadOnly => "A retired article is read-only.", "Ein zurückgezogener Artikel kann nur gelesen werden.";
    WaitingForPublish => "Waiting for a lead or admin to publish it.",
        "Wartet darauf, dass eine Leitung oder ein Admin ihn veröffentlicht.";
    WhatMustChange => "What must change", "Was sich ändern muss";
    WorkflowHint => "Anyone on the desk submits; leads and admins publish, return and retire.",
        "Alle am Service Desk reichen ein; Leitungen und Admins veröffentlichen, geben zurück und ziehen zurück.";
    UseAndFeedback => "Use and feedback", "Nutzung und Rückmeldungen";
    UsedToResolve => "Used to resolve", "Zum Lösen verwendet";
    TicketOne => "1 ticket", "1 Ticket";
    TicketOther => "{0} tickets", "{0} Tickets";
    NotHelpful => "Not helpful", "Nicht hilfreich";
    History => "History", "Verlauf";
    LogWrote => "wrote", "schrieb";
    LogSaved => "saved", "speicherte";
    LogRestored => "restored an old version as", "stellte eine alte Version wieder her als";
    LogSubmitted => "submitted", "reichte ein";
    LogPublished => "published", "veröffentlichte";
    LogReturned => "returned to draft", "gab zurück in den Entwurf";
    LogRetired => "retired", "zog zurück";
    LogChanged => "changed", "änderte";
    BackToArticle => "Back to the article", "Zurück zum Artikel";
    Changes => "Changes", "Änderungen";
    // The self-service report.
    Reports => "Reports", "Berichte";
    SelfServiceResolution => "Self-service resolution", "Self-Service-Lösungen";
    ReportIntro => "Of the portal sessions that ended — with an article that solved the problem, or with a ticket logged in the portal — the share an article ended. The sources cite about 20 % as usual.",
        "Von den beendeten Portal-Sitzungen – durch einen Artikel, der das Problem gelöst hat, oder durch ein im Portal erfasstes Ticket – der Anteil, den ein Artikel beendet hat. Die Quellen nennen etwa 20 % als üblich.";
    From => "From", "Von";
    ToExclusive => "To (exclusive)", "Bis (ausschließlich)";
    Show => "Show", "Anzeigen";
    RateTitle => "Self-service resolution rate", "Self-Service-Lösungsquote";
    SessionsEnded => "{0} of {1} portal sessions ended by an article", "{0} von {1} Portal-Sitzungen durch einen Artikel beendet";
    Article => "Article", "Artikel";
    SessionsItEnded => "Sessions it ended", "Beendete Sitzungen";
    // The editor.
    ChooseArticleKind => "Choose what kind of article this is.", "Wählen Sie, welche Art von Artikel dies ist.";
    ChooseArticleAudience => "Choose who the article is for.", "Wählen Sie, für wen der Artikel bestimmt ist.";
    PreviewNotSaved => "Preview — not saved yet", "Vorschau – noch nicht gespeichert";
    CheckTheArticle => "Please check the article", "Bitte prüfen Sie den Artikel";
    NoCategory => "No category", "Keine Kategorie";
    KnownError => "Known error", "Bekannter Fehler";
    SymptomHint => "What the user sees, in their words.", "Was die Person sieht, in ihren eigenen Worten.";
    CauseHint => "Why it happens, if known.", "Warum es passiert, falls bekannt.";
    WorkaroundHint => "How to get going again.", "Wie man wieder weiterarbeiten kann.";
    BodyHint => "Markdown: # headings, **bold**, lists, [links](https://…); bare web addresses become links. HTML is shown as text. Use Preview to see it.",
        "Markdown: # Überschriften, **fett**, Listen, [Links](https://…); einfache Webadressen werden zu Links. HTML wird als Text angezeigt. Mit „Vorschau“ sehen Sie das Ergebnis.";
    WhatChanged => "What changed and why", "Was sich geändert hat und warum";
    OptionalFirst => "Optional for the first version.", "Für die erste Version optional.";
    RequiredHistory => "Required: readers of the history see it.", "Pflichtangabe: Wer den Verlauf liest, sieht sie.";
    SaveDraft => "Save as draft", "Als Entwurf speichern";
    Preview => "Preview", "Vorschau";
    EditTitle => "Edit: {0}", "Bearbeiten: {0}";
    EditIntro => "Saving makes a new version, as a draft; readers keep the published version until this one is published.",
        "Speichern erstellt eine neue Version als Entwurf; Lesende sehen weiter die veröffentlichte Version, bis diese veröffentlicht ist.";
    EditArticle => "Edit article", "Artikel bearbeiten";
    ConflictAdvice => "Open the article in a new tab to see their version, then copy your changes over.",
        "Öffnen Sie den Artikel in einem neuen Tab, um die andere Version zu sehen, und übernehmen Sie dann Ihre Änderungen.";
    // Provider-wide knowledge.
    Shared => "Shared", "Geteilt";
    SharedReadOnly => "Your service provider shares this article with your desk. You read its published version; only the provider can change it.",
        "Ihr Dienstleister teilt diesen Artikel mit Ihrem Service Desk. Sie lesen die veröffentlichte Version; nur der Dienstleister kann ihn ändern.";
    Sharing => "Sharing", "Teilen";
    SharedWithEveryTenant => "Every tenant reads the published version of this article.", "Jeder Mandant liest die veröffentlichte Version dieses Artikels.";
    NotShared => "Only this desk reads this article.", "Nur dieser Service Desk liest diesen Artikel.";
    ShareWithEveryTenant => "Share with every tenant", "Mit allen Mandanten teilen";
    StopSharing => "Stop sharing", "Nicht mehr teilen";
    SharingHint => "A tenant's agents and customers read a shared article like their own, in its published version; only you change it. Feedback from other tenants is not recorded.",
        "Agenten und Kunden eines Mandanten lesen einen geteilten Artikel wie ihre eigenen, in der veröffentlichten Version; nur Sie ändern ihn. Rückmeldungen anderer Mandanten werden nicht gespeichert.";
    LogShared => "shared with every tenant", "teilte mit allen Mandanten";
    LogUnshared => "stopped sharing", "beendete das Teilen";
    }
}
