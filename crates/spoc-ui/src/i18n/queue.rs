//! Messages of the queues: filters, views, columns, bulk actions.

use super::catalogue;

catalogue! {
    /// A message of the queues: filters, views, columns, bulk actions.
    Queue {
    // The queues.
    TitleMine => "My tickets", "Meine Tickets";
    TitleUnassigned => "Unassigned in my groups", "Nicht zugewiesen in meinen Gruppen";
    TitleGroups => "Open in my groups", "Offen in meinen Gruppen";
    TitleAllOpen => "All open tickets", "Alle offenen Tickets";
    TitleSearch => "Search results", "Suchergebnisse";
    EmptyMineTitle => "Nothing assigned to you", "Ihnen ist nichts zugewiesen";
    EmptyMineText => "Pick up a ticket from “Unassigned in my groups”, or log a call.",
        "Übernehmen Sie ein Ticket aus „Nicht zugewiesen in meinen Gruppen“, oder erfassen Sie einen Anruf.";
    EmptyUnassignedTitle => "Every ticket has an owner", "Jedes Ticket hat eine zuständige Person";
    EmptyUnassignedText => "No unassigned tickets wait in your groups. New ones appear here as they arrive.",
        "In Ihren Gruppen warten keine nicht zugewiesenen Tickets. Neue erscheinen hier, sobald sie eingehen.";
    EmptyOpenTitle => "No open tickets", "Keine offenen Tickets";
    EmptyGroupsText => "Your groups have no open tickets right now.", "Ihre Gruppen haben zurzeit keine offenen Tickets.";
    EmptyAllOpenText => "The desk has no open tickets right now.", "Der Service Desk hat zurzeit keine offenen Tickets.";
    EmptySearchTitle => "No tickets match", "Keine passenden Tickets";
    EmptySearchText => "Try fewer or different words, or clear the filters.",
        "Versuchen Sie es mit weniger oder anderen Wörtern, oder setzen Sie die Filter zurück.";
    NoGroupTitle => "You are not in a group yet", "Sie sind noch in keiner Gruppe";
    NoGroupText => "Unassigned tickets are shown for your resolver groups. Ask an admin to add you to one.",
        "Nicht zugewiesene Tickets werden für Ihre Bearbeitungsgruppen angezeigt. Bitten Sie einen Admin, Sie einer Gruppe hinzuzufügen.";
    // The queue page.
    ViewSaved => "View saved.", "Ansicht gespeichert.";
    ViewRenamed => "View renamed.", "Ansicht umbenannt.";
    ViewDeleted => "View deleted.", "Ansicht gelöscht.";
    ColumnsSaved => "Columns saved.", "Spalten gespeichert.";
    NoSuchTicket => "There is no ticket with that number that you can see.", "Es gibt kein Ticket mit dieser Nummer, das Sie sehen können.";
    KeyboardShortcuts => "Keyboard shortcuts", "Tastenkürzel";
    LogCall => "Log a call", "Anruf erfassen";
    Queues => "Queues", "Warteschlangen";
    Views => "Views", "Ansichten";
    Shared => "(shared)", "(geteilt)";
    Tickets => "Tickets", "Tickets";
    TicketsOne => "{0} ticket", "{0} Ticket";
    TicketsOther => "{0} tickets", "{0} Tickets";
    Pages => "Pages", "Seiten";
    FirstPage => "← First page", "← Erste Seite";
    NextPage => "Next page →", "Nächste Seite →";
    // Orders.
    SortDefault => "Queue default", "Standard der Warteschlange";
    SortUrgent => "Most urgent first", "Dringendste zuerst";
    SortDue => "Closest to breach first", "Nächste Verletzung zuerst";
    SortOldest => "Oldest first", "Älteste zuerst";
    SortNewest => "Newest first", "Neueste zuerst";
    SortRecentlyChanged => "Recently changed", "Zuletzt geändert";
    SortUntouched => "Longest untouched", "Am längsten unbearbeitet";
    // Filters.
    ChooseOrder => "Choose an order from the list.", "Wählen Sie eine Reihenfolge aus der Liste.";
    GiveDate => "Give a date like 2026-12-01.", "Geben Sie ein Datum wie 2026-12-01 an.";
    ChoosePeople => "Choose people from the list.", "Wählen Sie Personen aus der Liste.";
    ChooseFromList => "Choose from the list.", "Wählen Sie aus der Liste.";
    AssigneeMe => "Me", "Ich";
    AssigneeNobody => "Nobody (unassigned)", "Niemand (nicht zugewiesen)";
    FilterAndSort => "Filter and sort", "Filtern und sortieren";
    ActiveFilters => "({0} active)", "({0} aktiv)";
    Words => "Words", "Suchbegriffe";
    Order => "Order", "Reihenfolge";
    ChangedSince => "Changed since", "Geändert seit";
    ServiceLevel => "Service level", "Service-Level";
    Service => "Service", "Dienst";
    Apply => "Apply", "Anwenden";
    Clear => "Clear", "Zurücksetzen";
    // The table.
    Unread => "Unread", "Ungelesen";
    UnreadLabel => "Unread:", "Ungelesen:";
    CustomerReplied => "Customer replied", "Antwort der anfragenden Person";
    Escalated => "Escalated", "Eskaliert";
    Unassigned => "Unassigned", "Nicht zugewiesen";
    SelectAll => "Select every ticket on this page", "Alle Tickets auf dieser Seite auswählen";
    SelectTicket => "Select {0}", "{0} auswählen";
    // Bulk actions.
    BulkChangedOne => "{0}: {1} ticket changed.", "{0}: {1} Ticket geändert.";
    BulkChangedOther => "{0}: {1} tickets changed.", "{0}: {1} Tickets geändert.";
    NotChanged => "Not changed:", "Nicht geändert:";
    ActionAssign => "Assign to…", "Zuweisen an…";
    ActionStart => "Start work", "Arbeit beginnen";
    ActionPend => "Put on hold…", "Zurückstellen…";
    ActionResume => "Resume work", "Arbeit fortsetzen";
    ActionResolve => "Resolve…", "Lösen…";
    ActionClose => "Close", "Schließen";
    ActionCancel => "Cancel", "Stornieren";
    ActionPriority => "Set priority…", "Priorität setzen…";
    ActionNote => "Add internal note…", "Interne Notiz hinzufügen…";
    ActionMerge => "Merge into…", "Zusammenführen mit…";
    Choose => "Choose…", "Auswählen…";
    SelectToAct => "Select tickets to act on several at once.", "Wählen Sie Tickets aus, um mehrere auf einmal zu bearbeiten.";
    ActOnSelected => "Act on selected", "Ausgewählte bearbeiten";
    Action => "Action", "Aktion";
    AssignTo => "Assign to", "Zuweisen an";
    MergeInto => "Ticket to keep (merge into)", "Zu behaltendes Ticket (zusammenführen mit)";
    MergeIntoHint => "Its number, such as INC-000042.", "Seine Nummer, etwa INC-000042.";
    Resolution => "Resolution", "Lösung";
    WaitingFor => "Waiting for", "Wartet auf";
    NoteOrReason => "Note or reason", "Notiz oder Grund";
    ApplyToSelected => "Apply to selected", "Auf Ausgewählte anwenden";
    WholeGroup => "{0} — whole group", "{0} — ganze Gruppe";
    SayWhy => "Say why.", "Geben Sie einen Grund an.";
    ChooseGroupOrAgent => "Choose a group or an agent.", "Wählen Sie eine Gruppe oder einen Agenten.";
    DoneAssigned => "Assigned", "Zugewiesen";
    DoneStarted => "Work started", "Arbeit begonnen";
    DoneResumed => "Work resumed", "Arbeit fortgesetzt";
    DoneClosed => "Closed", "Geschlossen";
    ChooseWaitFor => "Choose what the tickets wait for.", "Wählen Sie, worauf die Tickets warten.";
    DonePended => "Put on hold", "Zurückgestellt";
    ChooseResolution => "Choose how they were resolved.", "Wählen Sie, wie sie gelöst wurden.";
    SayWhatWasDone => "Say what was done.", "Beschreiben Sie, was getan wurde.";
    DoneResolved => "Resolved", "Gelöst";
    DoneCancelled => "Cancelled", "Storniert";
    ChoosePriority => "Choose a priority.", "Wählen Sie eine Priorität.";
    DonePriority => "Priority set to {0}", "Priorität auf {0} gesetzt";
    GiveSurvivor => "Give the number of the ticket to keep, such as INC-000042.", "Geben Sie die Nummer des zu behaltenden Tickets an, etwa INC-000042.";
    DoneMerged => "Merged", "Zusammengeführt";
    WriteNote => "Write the note.", "Schreiben Sie die Notiz.";
    DoneNote => "Internal note added", "Interne Notiz hinzugefügt";
    ChooseAction => "Choose an action from the list.", "Wählen Sie eine Aktion aus der Liste.";
    SelectOne => "Select at least one ticket first.", "Wählen Sie zuerst mindestens ein Ticket aus.";
    DoneMergedInto => "Merged into {0}", "Zusammengeführt mit {0}";
    NoTicketYouCanSee => "There is no ticket {0} you can see.", "Es gibt kein Ticket {0}, das Sie sehen können.";
    SelectOthers => "Select the tickets to merge, other than the one to keep.", "Wählen Sie die zusammenzuführenden Tickets aus, außer dem zu behaltenden.";
    NotFound => "not found", "nicht gefunden";
    // Saved views and columns.
    SaveAsView => "Save this page as a view", "Diese Seite als Ansicht speichern";
    ShareWithAgents => "Share with every agent", "Mit allen Agenten teilen";
    SaveView => "Save view", "Ansicht speichern";
    RenameView => "Rename this view", "Diese Ansicht umbenennen";
    Rename => "Rename", "Umbenennen";
    RenameKeepFilters => "Rename and keep these filters", "Umbenennen und diese Filter übernehmen";
    DeleteView => "Delete this view", "Diese Ansicht löschen";
    Columns => "Columns", "Spalten";
    ColumnsISee => "Columns I see", "Angezeigte Spalten";
    SaveColumns => "Save columns", "Spalten speichern";
    ChooseColumns => "Choose columns from the list.", "Wählen Sie Spalten aus der Liste.";
    Tenant => "Tenant", "Mandant";
    }
}
