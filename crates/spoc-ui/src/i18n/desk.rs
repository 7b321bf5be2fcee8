//! Messages of the agent's ticket pages: the ticket, its actions and forms, the composer, e-mail, checklist, canned responses, search, the lead's home, links, reports, logging a call.

use super::catalogue;

catalogue! {
    /// A message of the agent's ticket pages: the ticket, its actions and forms, the composer, e-mail, checklist, canned responses, search, the lead's home, links, reports, logging a call.
    Desk {
    // Common.
    FieldName => "Name", "Name";
    FieldEmail => "E-mail", "E-Mail";
    FieldOrganisation => "Organisation", "Organisation";
    FieldTitle => "Title", "Titel";
    FieldDescription => "Description", "Beschreibung";
    FieldKind => "Kind", "Art";
    FieldCategory => "Category", "Kategorie";
    FieldService => "Service", "Dienst";
    ChooseCategory => "Choose a category from the list.", "Wählen Sie eine Kategorie aus der Liste.";
    ChooseService => "Choose a service from the list.", "Wählen Sie einen Dienst aus der Liste.";
    ChooseOrganisation => "Choose an organisation from the list.", "Wählen Sie eine Organisation aus der Liste.";
    ChooseImpact => "Choose an impact.", "Wählen Sie eine Auswirkung.";
    ChooseUrgency => "Choose an urgency.", "Wählen Sie eine Dringlichkeit.";
    // Logging a call.
    CallOrgNone => "None", "Keine";
    CallServiceNotKnown => "Not known", "Nicht bekannt";
    CallKindIncident => "Incident — something is broken", "Störung – etwas funktioniert nicht";
    CallKindRequest => "Request — they need something", "Anfrage – die Person braucht etwas";
    CallTitle => "Log a call", "Anruf erfassen";
    CallIntro => "Find the caller, check their open tickets, then log what they need.", "Finden Sie die anrufende Person, prüfen Sie ihre offenen Tickets und erfassen Sie dann ihr Anliegen.";
    CallWho => "1. Who is calling?", "1. Wer ruft an?";
    CallNameOrEmail => "Name or e-mail", "Name oder E-Mail";
    CallFind => "Find", "Suchen";
    CallNobodyMatches => "Nobody matches “{0}”. Register the caller below.", "Niemand passt zu „{0}“. Erfassen Sie die anrufende Person unten.";
    CallDeactivated => "Deactivated", "Deaktiviert";
    CallRegisterNew => "Register a new caller…", "Neue anrufende Person erfassen …";
    CallRegister => "Register caller", "Person erfassen";
    CallOpenTicketsOf => "2. {0}’s open tickets", "2. Offene Tickets von {0}";
    CallNoOpen => "No open tickets. If the call is about something new, log it below.", "Keine offenen Tickets. Geht es um etwas Neues, erfassen Sie es unten.";
    CallOneOfThese => "Is the call about one of these? Open it and add to it instead of logging a duplicate.", "Geht es um eines davon? Öffnen und ergänzen Sie es, statt ein Duplikat zu erfassen.";
    CallLogNewFor => "3. Log a new ticket for {0}", "3. Neues Ticket für {0} erfassen";
    CallTitleHint => "One line the requester would recognise.", "Eine Zeile, die die anfragende Person wiedererkennt.";
    CallDescriptionHint => "What the caller said, in their words; what they tried.", "Was die Person gesagt hat, in ihren Worten; was sie versucht hat.";
    CallImpact => "Impact (how much is affected)", "Auswirkung (wie viel betroffen ist)";
    CallUrgency => "Urgency (how soon it is needed)", "Dringlichkeit (wie bald es gebraucht wird)";
    CallCategoryNotYet => "Not yet known", "Noch nicht bekannt";
    CallLogTicket => "Log ticket", "Ticket erfassen";
    CallStartTitle => "Start with the caller", "Beginnen Sie mit der anrufenden Person";
    CallStartText => "Search by name or e-mail above. Their open tickets are shown before you log anything new.", "Suchen Sie oben nach Name oder E-Mail. Ihre offenen Tickets werden angezeigt, bevor Sie etwas Neues erfassen.";
    CallChooseKind => "Choose incident or request.", "Wählen Sie Störung oder Anfrage.";
    CallDuplicateEmail => "Someone with this e-mail address is already registered. Search for them instead.", "Mit dieser E-Mail-Adresse ist bereits jemand erfasst. Suchen Sie stattdessen nach der Person.";
    // Common.
    // The field editor.
    FieldImpact => "Impact", "Auswirkung";
    FieldUrgency => "Urgency", "Dringlichkeit";
    FieldSupplierRef => "Supplier reference", "Lieferantenreferenz";
    FieldPriority => "Priority", "Priorität";
    EditNone => "None", "Keine";
    EditFromMatrix => "From impact × urgency", "Aus Auswirkung × Dringlichkeit";
    EditDetails => "Details", "Details";
    EditConflictTitle => "Someone else changed this ticket while you were editing", "Jemand anderes hat dieses Ticket geändert, während Sie es bearbeitet haben";
    EditConflictKept => "Your changes are kept in the form below. Check them and save again to apply them.", "Ihre Änderungen sind im Formular unten erhalten. Prüfen Sie sie und speichern Sie erneut, um sie zu übernehmen.";
    EditSupplierHint => "The supplier's own case number.", "Die eigene Fallnummer des Lieferanten.";
    EditRationale => "Why this priority (needed when set by hand)", "Warum diese Priorität (nötig, wenn von Hand gesetzt)";
    EditSave => "Save details", "Details speichern";
    EditClosed => "Closed and cancelled tickets can no longer be edited.", "Geschlossene und stornierte Tickets können nicht mehr bearbeitet werden.";
    EditSayWhy => "Say why the priority differs from what impact and urgency give.", "Begründen Sie, warum die Priorität von dem abweicht, was Auswirkung und Dringlichkeit ergeben.";
    ChoosePriority => "Choose a priority.", "Wählen Sie eine Priorität.";
    EditConflict => "{0}: {1} → {2}", "{0}: {1} → {2}";
    EditConflictMine => "{0}: {1} → {2} (you changed it too; your value is kept below)", "{0}: {1} → {2} (Sie haben es auch geändert; Ihr Wert ist unten erhalten)";
    EditOverrideConflict => "Priority override: {0} → {1}", "Manuelle Priorität: {0} → {1}";
    EditOverrideNone => "none", "keine";
    // The action forms.
    ActAssignMenu => "Assign…", "Zuweisen …";
    ActStart => "Start work", "Bearbeitung beginnen";
    ActPendMenu => "Set pending…", "Auf wartend setzen …";
    ActResume => "Resume work", "Bearbeitung fortsetzen";
    ActEscalateMenu => "Escalate…", "Eskalieren …";
    ActResolveMenu => "Resolve…", "Lösen …";
    ActClose => "Close", "Schließen";
    ActReopenMenu => "Reopen…", "Wieder öffnen …";
    ActCancelMenu => "Cancel ticket…", "Ticket stornieren …";
    ActAssignToMe => "Assign to me", "Mir zuweisen";
    ActAssignTo => "Assign to", "Zuweisen an";
    ActAssign => "Assign", "Zuweisen";
    ActWaitingFor => "Waiting for", "Wartet auf";
    ActSetPending => "Set pending", "Auf wartend setzen";
    ActEscalateTo => "Escalate to", "Eskalieren an";
    ActAlertLeads => "Alert the leads (hierarchical)", "Leitung benachrichtigen (hierarchisch)";
    ActWhy => "Why", "Warum";
    ActEscalate => "Escalate", "Eskalieren";
    ActResolution => "Resolution", "Lösung";
    ActWhatWasDone => "What was done (the requester sees this)", "Was getan wurde (die anfragende Person sieht dies)";
    ActResolve => "Resolve", "Lösen";
    ActWhyNotResolved => "Why is it not resolved?", "Warum ist es nicht gelöst?";
    ActReopen => "Reopen", "Wieder öffnen";
    ActWhyCancel => "Why cancel it?", "Warum stornieren?";
    ActCancelTicket => "Cancel the ticket", "Ticket stornieren";
    // The ticket's actions.
    ActSayWhy => "Say why.", "Geben Sie einen Grund an.";
    ActChooseTarget => "Choose a group or an agent.", "Wählen Sie eine Gruppe oder einen Agenten.";
    ActChoosePending => "Choose what the ticket waits for.", "Wählen Sie, worauf das Ticket wartet.";
    ActChooseEscalation => "Choose a higher-tier group or the leads.", "Wählen Sie eine höhere Gruppe oder die Leitung.";
    ActChooseResolution => "Choose how it was resolved.", "Wählen Sie, wie es gelöst wurde.";
    ActChecksResolve => "The ticket's SOP asks for more before it can be resolved: {0}. Record them on the checklist, then try again.", "Die SOP des Tickets verlangt noch mehr, bevor es gelöst werden kann: {0}. Erfassen Sie dies auf der Checkliste und versuchen Sie es erneut.";
    ActChecksClose => "The ticket's SOP asks for more before it can be closed: {0}. Record them on the checklist, then try again.", "Die SOP des Tickets verlangt noch mehr, bevor es geschlossen werden kann: {0}. Erfassen Sie dies auf der Checkliste und versuchen Sie es erneut.";
    ActNotPossible => "That is not possible now: {0}. The ticket may have changed; the actions below are what it allows now.", "Das ist jetzt nicht möglich: {0}. Das Ticket hat sich vielleicht geändert; unten stehen die Aktionen, die es jetzt erlaubt.";
    // The ticket view.
    TicketPriorityByHand => "Priority set by hand", "Priorität von Hand gesetzt";
    TicketEscalated => "Escalated", "Eskaliert";
    TicketCustomerReplied => "Customer replied", "Kunde hat geantwortet";
    TicketServiceLevel => "Service level", "Service-Level";
    FactRequester => "Requester", "Anfragende Person";
    FactGroup => "Group", "Gruppe";
    FactTier => "Tier", "Stufe";
    FactAssignee => "Assignee", "Zuständig";
    FactUnassigned => "Unassigned", "Nicht zugewiesen";
    FactImpactUrgency => "Impact × urgency", "Auswirkung × Dringlichkeit";
    FactLogged => "Logged", "Erfasst";
    FactReassigned => "Reassigned", "Neu zugewiesen";
    FactReopened => "Reopened", "Wieder geöffnet";
    TicketActions => "Actions", "Aktionen";
    TicketHistory => "History", "Verlauf";
    TicketSideLabel => "Ticket actions and details", "Aktionen und Details des Tickets";
    TicketNothingMore => "This ticket is {0}; nothing more can be done with it.", "Dieses Ticket ist {0}; damit kann nichts mehr getan werden.";
    RouteAnyone => "{0} — anyone (tier {1})", "{0} – alle (Stufe {1})";
    // E-mail.
    MailBackToTicket => "Back to the ticket", "Zurück zum Ticket";
    MailAttachments => "Attachments", "Anhänge";
    MailNoSubject => "(no subject)", "(kein Betreff)";
    MailNoHtml => "This message has no HTML part. Its text is in the ticket's history (or in the original message).", "Diese Nachricht hat keinen HTML-Teil. Ihr Text steht im Verlauf des Tickets (oder in der ursprünglichen Nachricht).";
    MailTheMessage => "The message", "Die Nachricht";
    MailShownAs => "Shown as the sender formatted it, with scripts and styles removed. Remote images are not loaded, so the sender cannot tell that the message was read; each shows as [image].", "So dargestellt, wie der Absender sie formatiert hat, ohne Skripte und Stile. Externe Bilder werden nicht geladen, damit der Absender nicht erkennen kann, dass die Nachricht gelesen wurde; jedes erscheint als [image].";
    MailNewTicket => "New ticket", "Neues Ticket";
    MailAdded => "Added to a ticket", "Zu einem Ticket hinzugefügt";
    MailDismissed => "Dismissed", "Verworfen";
    MailHeld => "Held for review", "Zur Prüfung zurückgehalten";
    MailQuarantined => "Quarantined", "In Quarantäne";
    MailIgnored => "Ignored", "Ignoriert";
    MailRefused => "Refused", "Abgelehnt";
    MailOutcome => "Outcome", "Ergebnis";
    MailAutoAnswer => "Automatic answer", "Automatische Antwort";
    MailNoneNeeded => "None was needed.", "Keine war nötig.";
    MailTicket => "Ticket", "Ticket";
    MailFrom => "From", "Von";
    MailNoSender => "no sender address", "keine Absenderadresse";
    MailReceived => "Received", "Empfangen";
    MailMailbox => "Mailbox", "Postfach";
    MailDirect => "Delivered directly (spoc mail deliver or the API)", "Direkt zugestellt (spoc mail deliver oder die API)";
    MailSize => "Size", "Größe";
    MailMessageId => "Message-ID", "Message-ID";
    MailWarnings => "Warnings", "Warnungen";
    MailDealtWith => "Dealt with", "Erledigt";
    MailUnknownSender => "an unknown sender", "einem unbekannten Absender";
    MailFromReceived => "From {0}, received {1}", "Von {0}, empfangen {1}";
    MailOnTicket => "E-mail on {0}", "E-Mail zu {0}";
    }
}
