//! Messages of the customer portal (requests, getting help, help articles, mail links).

use super::catalogue;

catalogue! {
    /// A message of the customer portal (requests, getting help, help articles, mail links).
    Portal {
    // A status as a requester reads it.
    StatusReceived => "Received", "Eingegangen";
    StatusBeingWorkedOn => "Being worked on", "In Bearbeitung";
    StatusWaitingForYou => "Waiting for you", "Wartet auf Sie";
    StatusOnHold => "On hold", "Zurückgestellt";
    StatusResolvedConfirm => "Resolved — please confirm", "Gelöst – bitte bestätigen";
    StatusClosed => "Closed", "Geschlossen";
    StatusCancelled => "Cancelled", "Storniert";
    // What happens next.
    NextNew => "The service desk has your ticket and will pick it up by priority. Replies appear here.",
        "Der Service Desk hat Ihre Anfrage erhalten und bearbeitet sie nach Priorität. Antworten erscheinen hier.";
    NextInProgress => "Someone is working on it. Replies appear here.", "Jemand arbeitet daran. Antworten erscheinen hier.";
    NextAwaitingYou => "The service desk is waiting for an answer from you: reply below.",
        "Der Service Desk wartet auf eine Antwort von Ihnen: Antworten Sie unten.";
    NextOnHold => "The service desk is waiting for someone else and will continue when they answer.",
        "Der Service Desk wartet auf jemand anderen und macht weiter, sobald die Antwort da ist.";
    NextResolved => "The service desk believes this is solved. Confirm it, or tell us it is not fixed yet.",
        "Der Service Desk hält dies für gelöst. Bestätigen Sie es, oder teilen Sie uns mit, dass es noch nicht behoben ist.";
    NextClosed => "This ticket is closed. If the problem returns, ask for help again.",
        "Diese Anfrage ist geschlossen. Wenn das Problem wieder auftritt, fordern Sie erneut Hilfe an.";
    NextCancelled => "This ticket was cancelled.", "Diese Anfrage wurde storniert.";
    // Your tickets.
    ListTitle => "Your tickets", "Ihre Anfragen";
    ListTitleOrg => "Your organisation’s tickets", "Anfragen Ihrer Organisation";
    ListIntro => "Everything you have asked the service desk, newest activity first.",
        "Alles, was Sie beim Service Desk angefragt haben, neueste Aktivität zuerst.";
    GetHelp => "Get help", "Hilfe anfordern";
    WhichTickets => "Which tickets", "Welche Anfragen";
    TabOpen => "Open", "Offen";
    TabAllMine => "All of mine", "Alle meine";
    TabMyOrganisation => "My organisation", "Meine Organisation";
    NoTicketsYet => "No tickets yet", "Noch keine Anfragen";
    NoOpenTickets => "No open tickets", "Keine offenen Anfragen";
    EmptyHint => "When something is broken or you need something, tell the service desk — you will get a reference number at once.",
        "Wenn etwas nicht funktioniert oder Sie etwas brauchen, wenden Sie sich an den Service Desk – Sie erhalten sofort eine Referenznummer.";
    ShowClosedToo => "Show closed tickets too", "Auch geschlossene Anfragen anzeigen";
    UpdatedAgo => "updated {0}", "aktualisiert {0}";
    // A ticket.
    CreatedTitle => "Thank you — your ticket is logged", "Danke – Ihre Anfrage ist erfasst";
    ReferenceIs => "Your reference number is", "Ihre Referenznummer lautet";
    WhatHappensNext => "What happens next", "Wie es weitergeht";
    StepReview => "The service desk reviews it and sets its priority from what you told us.",
        "Der Service Desk prüft sie und legt die Priorität anhand Ihrer Angaben fest.";
    StepAgent => "An agent picks it up; their replies appear on this page.",
        "Ein Agent übernimmt sie; die Antworten erscheinen auf dieser Seite.";
    StepConfirm => "When it is solved, you are asked to confirm.", "Wenn sie gelöst ist, werden Sie um eine Bestätigung gebeten.";
    LoggedAt => "Logged {0}", "Erfasst am {0}";
    IsItFixed => "Is it fixed?", "Ist es behoben?";
    YesFixedClose => "Yes, it is fixed — close it", "Ja, es ist behoben – schließen";
    NotFixed => "No, it is not fixed", "Nein, es ist nicht behoben";
    WhatIsStillWrong => "What is still wrong?", "Was stimmt noch nicht?";
    ReopenTicket => "Reopen the ticket", "Anfrage wieder öffnen";
    Reply => "Reply", "Antworten";
    YourMessage => "Your message", "Ihre Nachricht";
    AttachFiles => "Attach files or screenshots", "Dateien oder Screenshots anhängen";
    SendReply => "Send reply", "Antwort senden";
    History => "History", "Verlauf";
    NoLongerNeeded => "I no longer need this — cancel it", "Ich brauche das nicht mehr – stornieren";
    CancelTicket => "Cancel the ticket", "Anfrage stornieren";
    MergedVisible => "This request was merged into {0}, which the service desk now works on. Follow it and reply there.",
        "Diese Anfrage wurde mit {0} zusammengeführt, die der Service Desk jetzt bearbeitet. Verfolgen Sie sie und antworten Sie dort.";
    MergedHidden => "This request was merged into another ticket ({0}) that the service desk now works on. You will hear from them by e-mail.",
        "Diese Anfrage wurde mit einer anderen Anfrage ({0}) zusammengeführt, die der Service Desk jetzt bearbeitet. Sie erhalten Nachricht per E-Mail.";
    WriteMessageFirst => "Write a message first.", "Schreiben Sie zuerst eine Nachricht.";
    NoLongerPossible => "That is no longer possible: the ticket changed in the meantime. Its current state is shown below.",
        "Das ist nicht mehr möglich: Die Anfrage hat sich inzwischen geändert. Ihr aktueller Stand ist unten zu sehen.";
    TellWhatIsWrong => "Tell the service desk what is still wrong.", "Teilen Sie dem Service Desk mit, was noch nicht stimmt.";
    // Help articles.
    HelpArticles => "Help articles", "Hilfeartikel";
    HelpIntro => "Answers to common questions and fixes you can apply yourself.",
        "Antworten auf häufige Fragen und Lösungen, die Sie selbst anwenden können.";
    AllTopics => "All topics", "Alle Themen";
    SearchHelp => "Search the help articles", "Hilfeartikel durchsuchen";
    Topic => "Topic", "Thema";
    Search => "Search", "Suchen";
    NoArticlesFound => "No articles found", "Keine Artikel gefunden";
    NoArticlesHint => "Try other words, or ask the service desk.", "Versuchen Sie andere Begriffe, oder fragen Sie den Service Desk.";
    DidThisSolve => "Did this solve your problem?", "Hat das Ihr Problem gelöst?";
    YesSolved => "Yes, this solved my problem", "Ja, mein Problem ist gelöst";
    StillNeedHelp => "No, I still need help", "Nein, ich brauche weiterhin Hilfe";
    WasHelpful => "Was this article helpful?", "War dieser Artikel hilfreich?";
    Yes => "Yes", "Ja";
    No => "No", "Nein";
    StillStuck => "Still stuck? {0}.", "Kommen Sie nicht weiter? {0}.";
    AskServiceDesk => "Ask the service desk", "Fragen Sie den Service Desk";
    PleaseChoose => "Please choose", "Bitte wählen Sie";
    SayWhetherHelpful => "Say whether the article was helpful.", "Geben Sie an, ob der Artikel hilfreich war.";
    SuggestionsTitle => "These articles may answer it", "Diese Artikel könnten weiterhelfen";
    NoSuggestion => "No article matches yet. Send your request and the service desk will help.",
        "Noch passt kein Artikel. Senden Sie Ihre Anfrage, und der Service Desk hilft Ihnen.";
    // Get help.
    NewIntro => "Tell the service desk what is wrong or what you need. You get a reference number at once.",
        "Teilen Sie dem Service Desk mit, was nicht funktioniert oder was Sie brauchen. Sie erhalten sofort eine Referenznummer.";
    CheckTheForm => "Please check the form", "Bitte prüfen Sie das Formular";
    WhatDoYouNeed => "What do you need?", "Was brauchen Sie?";
    KindBroken => "Something is broken", "Etwas funktioniert nicht";
    KindBrokenHint => "An error, an outage, something that used to work.", "Ein Fehler, ein Ausfall, etwas, das bisher funktioniert hat.";
    KindNeed => "I need something", "Ich brauche etwas";
    KindNeedHint => "Access, equipment, software, information.", "Zugang, Ausstattung, Software, Informationen.";
    InOneLine => "In one line", "In einer Zeile";
    InOneLineHint => "For example: “Cannot print on the 3rd floor printer”.", "Zum Beispiel: „Drucker im 3. Stock druckt nicht“.";
    Details => "Details", "Einzelheiten";
    DetailsHint => "What happened, what you were doing, what you tried. Error messages help.",
        "Was passiert ist, was Sie gerade getan und was Sie schon versucht haben. Fehlermeldungen helfen.";
    HowManyAffected => "How many people are affected?", "Wie viele Personen sind betroffen?";
    HowSoon => "How soon do you need it?", "Wie schnell brauchen Sie es?";
    AffectedMe => "Just me", "Nur ich";
    AffectedMeHint => "Only my own work is affected.", "Nur meine eigene Arbeit ist betroffen.";
    AffectedSome => "Several people", "Mehrere Personen";
    AffectedSomeHint => "My team or a few colleagues are affected.", "Mein Team oder einige Kolleginnen und Kollegen sind betroffen.";
    AffectedMany => "Many people", "Viele Personen";
    AffectedManyHint => "A whole department, a site or everyone.", "Eine ganze Abteilung, ein Standort oder alle.";
    WhenBlocking => "Now — I cannot work", "Sofort – ich kann nicht arbeiten";
    WhenBlockingHint => "It stops work that cannot wait.", "Es hält Arbeit auf, die nicht warten kann.";
    WhenSoon => "Today or tomorrow", "Heute oder morgen";
    WhenSoonHint => "It slows me down but I can carry on for now.", "Es bremst mich, aber ich kann vorerst weiterarbeiten.";
    WhenWhenever => "No rush", "Keine Eile";
    WhenWheneverHint => "It can wait a few days.", "Es kann ein paar Tage warten.";
    SendToDesk => "Send to the service desk", "An den Service Desk senden";
    CheckAnswersFirst => "Check for answers first", "Zuerst nach Antworten suchen";
    ChooseKind => "Choose whether something is broken or you need something.",
        "Wählen Sie, ob etwas nicht funktioniert oder ob Sie etwas brauchen.";
    WriteSummary => "Write a one-line summary.", "Schreiben Sie eine einzeilige Zusammenfassung.";
    SummaryProblem => "the summary {0}", "Zusammenfassung: {0}";
    DescribeWhat => "Describe what happened or what you need.", "Beschreiben Sie, was passiert ist oder was Sie brauchen.";
    DetailsProblem => "the details {0}", "Einzelheiten: {0}";
    ChooseAffected => "Choose how many people are affected.", "Wählen Sie, wie viele Personen betroffen sind.";
    ChooseWhen => "Choose how soon you need it.", "Wählen Sie, wie schnell Sie es brauchen.";
    // The pages behind the links of a resolution e-mail.
    LinkIsFixed => "Is {0} fixed?", "Ist {0} behoben?";
    LinkNotFixed => "{0} is not fixed?", "{0} ist nicht behoben?";
    LinkConfirmHint => "If the resolution works for you, confirm it and the ticket is closed.",
        "Wenn die Lösung für Sie funktioniert, bestätigen Sie sie, und die Anfrage wird geschlossen.";
    LinkUnusable => "This link cannot be used", "Dieser Link kann nicht verwendet werden";
    LinkUnknown => "Unknown link", "Unbekannter Link";
    LinkInvalid => "This link is not valid. Reply to the e-mail instead, and the desk will see it.",
        "Dieser Link ist ungültig. Antworten Sie stattdessen auf die E-Mail, dann sieht der Service Desk Ihre Antwort.";
    ThankYou => "Thank you", "Vielen Dank";
    ClosedDone => "{0} is closed. If the problem comes back, write to the desk again.",
        "{0} ist geschlossen. Wenn das Problem wieder auftritt, schreiben Sie dem Service Desk erneut.";
    Reopened => "Reopened", "Wieder geöffnet";
    ReopenedDone => "{0} is open again; the desk will look at it and answer you by e-mail.",
        "{0} ist wieder offen; der Service Desk sieht sich die Anfrage an und antwortet Ihnen per E-Mail.";
    }
}
