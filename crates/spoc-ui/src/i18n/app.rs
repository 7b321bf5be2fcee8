//! The sentences of the application layer (its refusals and validation messages, written in
//! English where the rule lives) as a page shows them: a table keyed by the English text, so a
//! page can say the app's sentence in the reader's language.
//!
//! An entry's English is the app's message exactly; values inside it are `{0}`, `{1}`…, matched
//! against the message and put into the German where German grammar wants them. A message the
//! table does not know is shown as the app wrote it.
//!
//! Some values the app puts into its sentences are words of its own (a ticket's status, an
//! action's wire name): those found in [`ValueWord`] are said in the reader's language too, alone
//! or as a comma-separated list. The names of fields (`title`, `email`…) are [`FieldName`]s.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use spoc_app::Language;

use super::catalogue;

pub use names::FieldName;
pub use values::ValueWord;

catalogue! {
    /// A sentence of the application layer.
    AppText {
        // Access and roles.
        OnlyPersonCanDoNotSystem => "only a person can do this, not the system", "das kann nur eine Person tun, nicht das System";
        OnlyRequesterCanCancelTicket => "only the requester can cancel this ticket", "nur die anfragende Person kann dieses Ticket stornieren";
        CustomersCanOnlyConfirmReopenCancel => "customers can only confirm, reopen or cancel their tickets", "Kunden können ihre Tickets nur bestätigen, wieder öffnen oder stornieren";
        OnlyAgentsCanWriteInternalNotes => "only agents can write internal notes", "nur Agents können interne Notizen schreiben";
        OnlyAgentsCanEditTicketFields => "only agents can edit ticket fields", "nur Agents können Ticketfelder bearbeiten";
        CustomersCanOnlyLogTicketsFor => "customers can only log tickets for themselves", "Kunden können Tickets nur für sich selbst erfassen";
        OnlyAgentsCanRegisterCallers => "only agents can register callers", "nur Agents können Anrufende registrieren";
        OnlyAdminsCanChangeDeskS => "only admins can change the desk's setup", "nur Admins können die Einrichtung des Service Desks ändern";
        OnlyAgentsCanLookUp => "only agents can look this up", "nur Agents können das nachschlagen";
        OnlyStaffSeeReports => "only staff see reports", "nur Mitarbeitende sehen Berichte";
        OnlyStaffSeeDeskSettings => "only staff see desk settings", "nur Mitarbeitende sehen die Einstellungen des Service Desks";
        OnlyLeadsAdminsHaveOverview => "only leads and admins have this overview", "nur Leitungen und Admins haben diese Übersicht";
        OnlyAgentsCanSeeServiceLevel => "only agents can see service-level reports", "nur Agents können Service-Level-Berichte sehen";
        OnlyAdminsLeadsCanSeeMail => "only admins and leads can see the mail log", "nur Admins und Leitungen können das E-Mail-Protokoll sehen";
        // Signing in and API tokens.
        AuthenticationRequired => "authentication required", "Anmeldung erforderlich";
        TooManyFailedSignInAttempts => "too many failed sign-in attempts; try again in {0} minute(s)", "zu viele fehlgeschlagene Anmeldeversuche; versuchen Sie es in {0} Minute(n) erneut";
        PasswordCouldNotHashed => "the password could not be hashed", "das Passwort konnte nicht verarbeitet werden";
        Must101000Characters => "must be 10 to 1,000 characters", "muss 10 bis 1.000 Zeichen lang sein";
        ApiTokenCannotCreateApiTokens => "an API token cannot create API tokens; sign in with your password to create one", "ein API-Token kann keine API-Tokens erstellen; melden Sie sich mit Ihrem Passwort an, um eines zu erstellen";
        ConfirmYouEnterYourCurrentPassword => "confirm it is you: enter your current password (you signed in more than 10 minutes ago)", "bestätigen Sie, dass Sie es sind: Geben Sie Ihr aktuelles Passwort ein (Ihre Anmeldung liegt mehr als 10 Minuten zurück)";
        NotYourCurrentPassword => "that is not your current password", "das ist nicht Ihr aktuelles Passwort";
        GiveEitherExpiresAtExpiresIn => "give either expires_at or expires_in_days, not both", "geben Sie entweder expires_at oder expires_in_days an, nicht beides";
        MustInFuture => "must be in the future", "muss in der Zukunft liegen";
        MustAtMostTenYearsAhead => "must be at most ten years ahead", "darf höchstens zehn Jahre in der Zukunft liegen";
        Must1Days => "must be 1 to {0} days", "muss 1 bis {0} Tage betragen";
        UnknownResourceUseTicketsKnowledgeSops => "unknown resource {0}; use tickets, knowledge, sops or admin", "unbekannte Ressource {0}; verwenden Sie tickets, knowledge, sops oder admin";
        ApiTokenReadOnlyCannotChange => "this API token is read-only; it cannot change anything", "dieses API-Token ist schreibgeschützt; es kann nichts ändern";
        ApiTokenNotAllowedUseScope => "this API token is not allowed to use {0} (its scope: {1})", "dieses API-Token darf {0} nicht verwenden (sein Geltungsbereich: {1})";
        ApiTokenSScopeDoesNot => "this API token's scope does not allow this", "der Geltungsbereich dieses API-Tokens erlaubt das nicht";
        NotTimeZoneIanaListSuch => "is not a time zone of the IANA list, such as Europe/Berlin", "ist keine Zeitzone der IANA-Liste wie Europe/Berlin";
        MustEnglishDeutsch => "must be English or Deutsch", "muss English oder Deutsch sein";
        // Errors of the application.
        NotFound => "{0} not found", "{0} nicht gefunden";
        TicketWasChangedBySomeoneElse => "the ticket was changed by someone else since version {0}; it is now at version {1}", "das Ticket wurde seit Version {0} von jemand anderem geändert; es ist jetzt bei Version {1}";
        SayWhichVersionTicketChangeApplies => "say which version of the ticket this change applies to (If-Match header or version field)", "geben Sie an, für welche Version des Tickets diese Änderung gilt (If-Match-Header oder Feld version)";
        NotPossibleYetRecordFirst => "{0} is not possible yet; record first: {1}", "{0} ist noch nicht möglich; erfassen Sie zuerst: {1}";
        ResolveNotPossibleYetRecordFirst => "resolve is not possible yet; record first: {0}", "Lösen ist noch nicht möglich; erfassen Sie zuerst: {0}";
        CloseNotPossibleYetRecordFirst => "close is not possible yet; record first: {0}", "Schließen ist noch nicht möglich; erfassen Sie zuerst: {0}";
        DatabaseUnavailable => "the database is unavailable", "die Datenbank ist nicht erreichbar";
        InternalError => "internal error: {0}", "interner Fehler: {0}";
        ContainsCharacterCannotStoredSuchAs => "contains a character that cannot be stored (such as NUL)", "enthält ein Zeichen, das nicht gespeichert werden kann (etwa NUL)";
        ValueAlreadyTaken => "that value is already taken ({0})", "dieser Wert ist bereits vergeben ({0})";
        WasEncryptedWithKeyWhichNot => "it was encrypted with key {0}, which is not configured", "es wurde mit dem Schlüssel {0} verschlüsselt, der nicht eingerichtet ist";
        CannotDecryptedWithKeyValueDamaged => "it cannot be decrypted with key {0}: the value is damaged or the key is wrong", "es kann mit dem Schlüssel {0} nicht entschlüsselt werden: Der Wert ist beschädigt oder der Schlüssel falsch";
        NotEncryptedValue => "it is not an encrypted value", "es ist kein verschlüsselter Wert";
        SearchForAtLeastOneWord => "search for at least one word made of letters or digits", "suchen Sie nach mindestens einem Wort aus Buchstaben oder Ziffern";
        // Text fields.
        MustAtLeastCharacters => "must be at least {0} characters", "muss mindestens {0} Zeichen lang sein";
        MustAtMostCharacters => "must be at most {0} characters", "darf höchstens {0} Zeichen lang sein";
        MustAtMost2000Characters => "must be at most 2000 characters", "darf höchstens 2000 Zeichen lang sein";
        MustNotContainControlCharacters => "must not contain control characters", "darf keine Steuerzeichen enthalten";
        MustNotContainBidirectionalOverrideIsolate => "must not contain bidirectional override or isolate characters (U+202A–U+202E, U+2066–U+2069), which can disguise text", "darf keine bidirektionalen Override- oder Isolate-Zeichen enthalten (U+202A–U+202E, U+2066–U+2069), die Text verschleiern können";
        MustEMailAddressLikeName => "must be an e-mail address like name@example.org", "muss eine E-Mail-Adresse wie name@example.org sein";
        NotEMailAddress => "is not an e-mail address", "ist keine E-Mail-Adresse";
        MustNotEmpty => "must not be empty", "darf nicht leer sein";
        MustOne => "must be one of: {0}", "muss eines der folgenden sein: {0}";
        MustOneCustomerAgentLeadAdmin => "must be one of: customer, agent, lead, admin", "muss eines der folgenden sein: customer, agent, lead, admin";
        MustOneHighMediumLow => "must be one of: high, medium, low", "muss eines der folgenden sein: high, medium, low";
        MustOneP1P2P3P4 => "must be one of: P1, P2, P3, P4, P5", "muss eines der folgenden sein: P1, P2, P3, P4, P5";
        MustOneBreachedAtRiskOk => "must be one of breached, at_risk, ok", "muss eines der folgenden sein: breached, at_risk, ok";
        // Administration.
        OnlyCustomerWithOrganisationCanSuper => "only a customer with an organisation can be a super user", "nur Kunden mit einer Organisation können Super-User sein";
        ThereNoOrganisation => "there is no organisation {0}", "es gibt keine Organisation {0}";
        UserWithEMailAlreadyExists => "a user with e-mail {0} already exists", "eine Person mit der E-Mail-Adresse {0} existiert bereits";
        AdminsCannotDeactivateDemoteThemselves => "admins cannot deactivate or demote themselves", "Admins können sich nicht selbst deaktivieren oder herabstufen";
        OrganisationNamedAlreadyExists => "an organisation named {0} already exists", "eine Organisation namens {0} existiert bereits";
        GroupNamedAlreadyExists => "a group named {0} already exists", "eine Gruppe namens {0} existiert bereits";
        DefaultGroupTakesNewTicketsMust => "the default group takes new tickets and must stay tier 1", "die Standardgruppe nimmt neue Tickets an und muss Stufe 1 bleiben";
        ThereNoUser => "there is no user {0}", "es gibt keine Person {0}";
        CustomersCannotJoinResolverGroups => "customers cannot join resolver groups", "Kunden können keinen Bearbeitergruppen beitreten";
        ThereNoCategory => "there is no category {0}", "es gibt keine Kategorie {0}";
        SubcategoriesCannotHaveSubcategories => "subcategories cannot have subcategories", "Unterkategorien können keine Unterkategorien haben";
        CategoryNamedAlreadyExistsThere => "a category named {0} already exists there", "dort existiert bereits eine Kategorie namens {0}";
        ServiceNamedAlreadyExists => "a service named {0} already exists", "ein Dienst namens {0} existiert bereits";
        ThereNoGroup => "there is no group {0}", "es gibt keine Gruppe {0}";
        DefaultGroupMustTier1Service => "the default group must be a tier-1 (service desk) group", "die Standardgruppe muss eine Gruppe der Stufe 1 (Service Desk) sein";
        Must123 => "must be 1, 2 or 3", "muss 1, 2 oder 3 sein";
        OnlyTier3GroupCanExternal => "only a tier-3 group can be an external supplier", "nur eine Gruppe der Stufe 3 kann ein externer Dienstleister sein";
        Must01000000 => "must be 0 to 1,000,000", "muss 0 bis 1.000.000 betragen";
        Must11440Minutes => "must be 1 to 1,440 minutes", "muss 1 bis 1.440 Minuten betragen";
        MailOffOnDeskSetRelay => "mail is off on this desk: set the relay and From address under Outgoing mail first", "E-Mail ist auf diesem Service Desk ausgeschaltet: Richten Sie zuerst Relay und Absenderadresse unter Ausgehende E-Mail ein";
        MustWholeNumberDaysFrom0 => "must be a whole number of days from 0 (never) to {0}", "muss eine ganze Zahl von Tagen von 0 (nie) bis {0} sein";
        // Tickets.
        ThereNoActiveUser => "there is no active user {0}", "es gibt keine aktive Person {0}";
        ThereNoService => "there is no service {0}", "es gibt keinen Dienst {0}";
        NameRequesterSystemLogsTicketsOnly => "name the requester: the system logs tickets only on someone's behalf", "nennen Sie die anfragende Person: Das System erfasst Tickets nur im Namen einer Person";
        CategoryNotSubcategory => "{0} is a category, not a subcategory", "{0} ist eine Kategorie, keine Unterkategorie";
        SubcategoryBelongsAnotherCategory => "the subcategory belongs to another category", "die Unterkategorie gehört zu einer anderen Kategorie";
        OnlyTicketHeldByExternalSupplier => "only a ticket held by an external supplier group (tier 3) takes a supplier reference", "nur ein Ticket bei einer externen Dienstleistergruppe (Stufe 3) kann eine Lieferantenreferenz tragen";
        WasNotAttached => "{0} was not attached. {1}", "{0} wurde nicht angehängt. {1}";
        OnlyMemberTicketSGroupCan => "only a member of the ticket's group can start it; assign it first", "nur ein Mitglied der Gruppe des Tickets kann es beginnen; weisen Sie es zuerst zu";
        UserNotAgentGroup => "user {0} is not an agent of group {1}", "Person {0} ist kein Agent der Gruppe {1}";
        TicketAlreadyWithGroupAgent => "the ticket is already with that group and agent", "das Ticket liegt bereits bei dieser Gruppe und diesem Agenten";
        FunctionalEscalationNeedsGroupAboveTier => "functional escalation needs a group above tier {0}; pick a tier {1} group or use assign", "funktionale Eskalation braucht eine Gruppe über Stufe {0}; wählen Sie eine Gruppe der Stufe {1} oder weisen Sie zu";
        TicketRaiseNewTicketInsteadReplying => "the ticket is {0}; raise a new ticket instead of replying", "das Ticket hat den Status „{0}“; erstellen Sie ein neues Ticket, statt zu antworten";
        EventNotStaffOnlyRecord => "a {0} event is not a staff-only record", "ein Ereignis vom Typ {0} ist kein nur für Mitarbeitende bestimmter Eintrag";
        TicketCanNoLongerEdited => "a {0} ticket can no longer be edited", "ein Ticket im Status „{0}“ kann nicht mehr bearbeitet werden";
        TicketsAreAlready => "the tickets are {0} already", "die Tickets sind bereits {0}";
        TicketsAreLinkedAlready => "the tickets are linked already", "die Tickets sind bereits verknüpft";
        TicketsAreMergedAlready => "the tickets are merged already", "die Tickets sind bereits zusammengeführt";
        OnlyAgentsCanLinkTickets => "only agents can link tickets", "nur Agents können Tickets verknüpfen";
        OnlyRelatedTicketsRelatesAreLinked => "only related tickets (relates_to) are linked by hand", "nur verwandte Tickets (relates_to) werden von Hand verknüpft";
        TicketCannotLinkedItself => "a ticket cannot be linked to itself", "ein Ticket kann nicht mit sich selbst verknüpft werden";
        ThereNoTicketYouCanSee => "there is no ticket {0} you can see", "es gibt kein für Sie sichtbares Ticket {0}";
        TicketNotLinked => "ticket {0} is not linked to {1}", "Ticket {0} ist nicht mit {1} verknüpft";
        OnlyAgentsCanMergeTickets => "only agents can merge tickets", "nur Agents können Tickets zusammenführen";
        TicketCannotMergedIntoItself => "a ticket cannot be merged into itself", "ein Ticket kann nicht mit sich selbst zusammengeführt werden";
        CanNoLongerMerged => "{0} is {1} and can no longer be merged", "{0} hat den Status „{1}“ und kann nicht mehr zusammengeführt werden";
        MergeIntoOpenTicket => "{0} is {1}; merge into an open ticket", "{0} hat den Status „{1}“; führen Sie es in ein offenes Ticket zusammen";
        OtherTicketsWereMergedIntoMerge => "other tickets were merged into {0}; merge {1} the other way round", "andere Tickets wurden in {0} zusammengeführt; führen Sie {1} umgekehrt zusammen";
        OnlyAgentsCanMentionColleagues => "only agents can mention colleagues", "nur Agents können Kolleginnen und Kollegen erwähnen";
        YouHaveLoggedTicketsWithinMinutes => "you have logged {0} tickets within {1} minutes, the most this desk allows; try again later", "Sie haben {0} Tickets innerhalb von {1} Minuten erfasst, mehr erlaubt dieser Service Desk nicht; versuchen Sie es später erneut";
        YouHaveSentRepliesWithinMinutes => "you have sent {0} replies within {1} minutes, the most this desk allows; try again later", "Sie haben {0} Antworten innerhalb von {1} Minuten gesendet, mehr erlaubt dieser Service Desk nicht; versuchen Sie es später erneut";
        // The lifecycle of a ticket.
        TicketCannotAssignedAllowedNow => "a ticket that is {0} cannot be assigned; allowed now: {1}", "ein Ticket im Status „{0}“ kann nicht zugewiesen werden; jetzt möglich: {1}";
        TicketCannotStartedAllowedNow => "a ticket that is {0} cannot be started; allowed now: {1}", "ein Ticket im Status „{0}“ kann nicht begonnen werden; jetzt möglich: {1}";
        TicketCannotSetPendingAllowedNow => "a ticket that is {0} cannot be set pending; allowed now: {1}", "ein Ticket im Status „{0}“ kann nicht auf wartend gesetzt werden; jetzt möglich: {1}";
        TicketCannotResumedAllowedNow => "a ticket that is {0} cannot be resumed; allowed now: {1}", "ein Ticket im Status „{0}“ kann nicht fortgesetzt werden; jetzt möglich: {1}";
        TicketCannotEscalatedAllowedNow => "a ticket that is {0} cannot be escalated; allowed now: {1}", "ein Ticket im Status „{0}“ kann nicht eskaliert werden; jetzt möglich: {1}";
        TicketCannotResolvedAllowedNow => "a ticket that is {0} cannot be resolved; allowed now: {1}", "ein Ticket im Status „{0}“ kann nicht gelöst werden; jetzt möglich: {1}";
        TicketCannotClosedAllowedNow => "a ticket that is {0} cannot be closed; allowed now: {1}", "ein Ticket im Status „{0}“ kann nicht geschlossen werden; jetzt möglich: {1}";
        TicketCannotReopenedAllowedNow => "a ticket that is {0} cannot be reopened; allowed now: {1}", "ein Ticket im Status „{0}“ kann nicht wieder geöffnet werden; jetzt möglich: {1}";
        TicketCannotCancelledAllowedNow => "a ticket that is {0} cannot be cancelled; allowed now: {1}", "ein Ticket im Status „{0}“ kann nicht storniert werden; jetzt möglich: {1}";
        TicketCannotAssignedFinishedAllowsNo => "a ticket that is {0} cannot be assigned; it is finished and allows no further actions", "ein Ticket im Status „{0}“ kann nicht zugewiesen werden; es ist abgeschlossen und erlaubt keine weiteren Aktionen";
        TicketCannotStartedFinishedAllowsNo => "a ticket that is {0} cannot be started; it is finished and allows no further actions", "ein Ticket im Status „{0}“ kann nicht begonnen werden; es ist abgeschlossen und erlaubt keine weiteren Aktionen";
        TicketCannotSetPendingFinishedAllows => "a ticket that is {0} cannot be set pending; it is finished and allows no further actions", "ein Ticket im Status „{0}“ kann nicht auf wartend gesetzt werden; es ist abgeschlossen und erlaubt keine weiteren Aktionen";
        TicketCannotResumedFinishedAllowsNo => "a ticket that is {0} cannot be resumed; it is finished and allows no further actions", "ein Ticket im Status „{0}“ kann nicht fortgesetzt werden; es ist abgeschlossen und erlaubt keine weiteren Aktionen";
        TicketCannotEscalatedFinishedAllowsNo => "a ticket that is {0} cannot be escalated; it is finished and allows no further actions", "ein Ticket im Status „{0}“ kann nicht eskaliert werden; es ist abgeschlossen und erlaubt keine weiteren Aktionen";
        TicketCannotResolvedFinishedAllowsNo => "a ticket that is {0} cannot be resolved; it is finished and allows no further actions", "ein Ticket im Status „{0}“ kann nicht gelöst werden; es ist abgeschlossen und erlaubt keine weiteren Aktionen";
        TicketCannotClosedFinishedAllowsNo => "a ticket that is {0} cannot be closed; it is finished and allows no further actions", "ein Ticket im Status „{0}“ kann nicht geschlossen werden; es ist abgeschlossen und erlaubt keine weiteren Aktionen";
        TicketCannotReopenedFinishedAllowsNo => "a ticket that is {0} cannot be reopened; it is finished and allows no further actions", "ein Ticket im Status „{0}“ kann nicht wieder geöffnet werden; es ist abgeschlossen und erlaubt keine weiteren Aktionen";
        TicketCannotCancelledFinishedAllowsNo => "a ticket that is {0} cannot be cancelled; it is finished and allows no further actions", "ein Ticket im Status „{0}“ kann nicht storniert werden; es ist abgeschlossen und erlaubt keine weiteren Aktionen";
        TicketCannotAllowedNow => "a ticket that is {0} cannot be {1}; allowed now: {2}", "ein Ticket im Status „{0}“ erlaubt „{1}“ nicht; jetzt möglich: {2}";
        TicketCannotFinishedAllowsNoFurther => "a ticket that is {0} cannot be {1}; it is finished and allows no further actions", "ein Ticket im Status „{0}“ erlaubt „{1}“ nicht; es ist abgeschlossen und erlaubt keine weiteren Aktionen";
        // Checklists and SOPs on tickets.
        ChecklistClosedCancelledTicketCannotChange => "the checklist of a closed or cancelled ticket cannot change", "die Checkliste eines geschlossenen oder stornierten Tickets kann sich nicht mehr ändern";
        NoEffectiveSopAppliesTicket => "no effective SOP applies to this ticket", "für dieses Ticket ist keine SOP in Kraft";
        TicketSSopChangedMeanwhileReload => "the ticket's SOP changed meanwhile; reload and try again", "die SOP des Tickets hat sich inzwischen geändert; laden Sie neu und versuchen Sie es erneut";
        SopVersionHasNoStep => "this SOP version has no step {0}", "diese SOP-Version hat keinen Schritt {0}";
        StepRecordsNoAnswerTickInstead => "step {0} records no answer; tick it instead", "Schritt {0} erfasst keine Antwort; haken Sie ihn stattdessen ab";
        MustOne2 => "{0} must be one of: {1}", "{0} muss eines der folgenden sein: {1}";
        // Knowledge.
        NotCategoryServiceDesk => "is not a category of this service desk", "ist keine Kategorie dieses Service Desks";
        ArticleWasChangedBySomeoneElse => "the article was changed by someone else since version {0}; it is now at version {1}", "der Artikel wurde seit Version {0} von jemand anderem geändert; er ist jetzt bei Version {1}";
        SayWhatMustChange => "say what must change", "sagen Sie, was sich ändern muss";
        MustBetween1200 => "must be between 1 and 200", "muss zwischen 1 und 200 liegen";
        ThereNoArticle => "there is no article {0}", "es gibt keinen Artikel {0}";
        OnlyPublishedArticleCanRecordedAs => "only a published article can be recorded as used to resolve a ticket", "nur ein veröffentlichter Artikel kann als zur Lösung eines Tickets verwendet erfasst werden";
        ThereNoVersion => "there is no version {0}", "es gibt keine Version {0}";
        OnlyAgentsSeeArticleSVersions => "only agents see an article's versions", "nur Agents sehen die Versionen eines Artikels";
        SayWhatChangedWhy => "say what changed and why", "sagen Sie, was sich geändert hat und warum";
        KnownErrorMustDescribeSymptom => "a known error must describe the symptom", "ein bekannter Fehler muss das Symptom beschreiben";
        KnownErrorMustGiveWorkaround => "a known error must give a workaround", "ein bekannter Fehler muss eine Umgehungslösung angeben";
        MustIdProblemRecord => "must be the id of a problem record", "muss die ID eines Problem-Datensatzes sein";
        OnlyAgentsCanWriteKnowledgeArticles => "only agents can write knowledge articles", "nur Agents können Wissensartikel schreiben";
        ArticleCannotAllows => "an article that is {0} cannot be {1}; it allows: {2}", "für einen Artikel im Status „{0}“ ist „{1}“ nicht möglich; möglich ist: {2}";
        ArticleCannotSubmittedAllows => "an article that is {0} cannot be submitted; it allows: {1}", "ein Artikel im Status „{0}“ kann nicht eingereicht werden; möglich ist: {1}";
        ArticleCannotPublishedAllows => "an article that is {0} cannot be published; it allows: {1}", "ein Artikel im Status „{0}“ kann nicht veröffentlicht werden; möglich ist: {1}";
        ArticleCannotReturnedDraftAllows => "an article that is {0} cannot be returned to draft; it allows: {1}", "ein Artikel im Status „{0}“ kann nicht auf Entwurf zurückgesetzt werden; möglich ist: {1}";
        ArticleCannotRetiredAllows => "an article that is {0} cannot be retired; it allows: {1}", "ein Artikel im Status „{0}“ kann nicht zurückgezogen werden; möglich ist: {1}";
        OnlyAgentsCanChangeKnowledgeArticles => "only agents can change knowledge articles", "nur Agents können Wissensartikel ändern";
        OnlyLeadsAdminsCanPublishReturn => "only leads and admins can publish, return or retire articles", "nur Leitungen und Admins können Artikel veröffentlichen, zurückgeben oder zurückziehen";
        RetiredArticleReadOnly => "a retired article is read-only", "ein zurückgezogener Artikel kann nur gelesen werden";
        // Canned responses.
        OnlyAgentsUseCannedResponses => "only agents use canned responses", "nur Agents verwenden Textbausteine";
        OnlyLeadsAdminsKeepSharedCanned => "only leads and admins keep the shared canned responses", "nur Leitungen und Admins pflegen die gemeinsamen Textbausteine";
        GiveShortTitle => "give it a short title", "geben Sie ihm einen kurzen Titel";
        TitleLongerThanCharacters => "the title is longer than {0} characters", "der Titel ist länger als {0} Zeichen";
        WriteTextInsert => "write the text to insert", "schreiben Sie den einzufügenden Text";
        TextLongerThanCharacters => "the text is longer than {0} characters", "der Text ist länger als {0} Zeichen";
        OpensPlaceholderWithNeverClosedWith => "“{0}” opens a placeholder with {{ that is never closed with }}", "„{0}“ öffnet einen Platzhalter mit {{, der nie mit }} geschlossen wird";
        NotKnownPlaceholderUse => "{0} {1} not a known placeholder; use {2}", "{0} {1} kein bekannter Platzhalter; verwenden Sie {2}";
        NotKnownPlaceholderUse2 => "{0} is not a known placeholder; use {1}", "{0} ist kein bekannter Platzhalter; verwenden Sie {1}";
        AreNotKnownPlaceholderUse => "{0} are not a known placeholder; use {1}", "{0} sind keine bekannten Platzhalter; verwenden Sie {1}";
        // Queues and views.
        NotColumn => "{0} is not a column", "{0} ist keine Spalte";
        GiveViewName => "give the view a name", "geben Sie der Ansicht einen Namen";
        KeepNameCharacters => "keep the name to {0} characters", "der Name darf höchstens {0} Zeichen lang sein";
        UseLettersDigitsSpaces => "use letters, digits and spaces", "verwenden Sie Buchstaben, Ziffern und Leerzeichen";
        ViewSQueryAtMostPlain => "a view's query is at most {0} plain characters", "die Abfrage einer Ansicht hat höchstens {0} einfache Zeichen";
        OnlyStaffHaveQueuesViews => "only staff have queues and views", "nur Mitarbeitende haben Warteschlangen und Ansichten";
        OnlyLeadAdminCanShareView => "only a lead or an admin can share a view", "nur eine Leitung oder ein Admin kann eine Ansicht teilen";
        OnlyLeadAdminCanChangeShared => "only a lead or an admin can change a shared view", "nur eine Leitung oder ein Admin kann eine geteilte Ansicht ändern";
        // Mail.
        LinkWasUsedAlready => "This link was used already.", "Dieser Link wurde bereits verwendet.";
        LinkHasExpiredReplyEMail => "This link has expired. Reply to the e-mail instead, and the desk will see it.", "Dieser Link ist abgelaufen. Antworten Sie stattdessen auf die E-Mail, dann sieht der Service Desk Ihre Antwort.";
        NotWaitingForYourConfirmationAny => "{0} is not waiting for your confirmation any more.", "{0} wartet nicht mehr auf Ihre Bestätigung.";
        SayWhatStillWrong => "say what is still wrong", "sagen Sie, was noch nicht stimmt";
        YourAccountDeactivated => "Your account is deactivated.", "Ihr Konto ist deaktiviert.";
        MailboxNamedAlreadyExists => "a mailbox named {0} already exists", "ein Postfach namens {0} existiert bereits";
        MailboxSwitchedOff => "that mailbox is switched off", "dieses Postfach ist ausgeschaltet";
        MustBetween1100Characters => "must be between 1 and 100 characters", "muss zwischen 1 und 100 Zeichen lang sein";
        NameFolderRead => "name the folder to read", "nennen Sie den zu lesenden Ordner";
        MustDifferFromFolderReadMail => "must differ from the folder read, or mail would be read again", "muss sich vom gelesenen Ordner unterscheiden, sonst würden E-Mails erneut gelesen";
        MustBetween103600Seconds => "must be between 10 and 3600 seconds", "muss zwischen 10 und 3600 Sekunden liegen";
        NameImapServer => "name the IMAP server", "nennen Sie den IMAP-Server";
        MustBetween165535 => "must be between 1 and 65535", "muss zwischen 1 und 65535 liegen";
        MustPemCertificateBeginCertificate => "must be a PEM certificate (-----BEGIN CERTIFICATE-----)", "muss ein PEM-Zertifikat sein (-----BEGIN CERTIFICATE-----)";
        NotOneYourNotifications => "{0} is not one of your notifications: {1}", "{0} ist keine Ihrer Benachrichtigungen: {1}";
        OneTheseDomainsAlreadyBelongsAnother => "one of these domains already belongs to another organisation", "eine dieser Domains gehört bereits zu einer anderen Organisation";
        MessageNotDeadLetterSoThere => "message {0} is not a dead letter, so there is nothing to retry", "Nachricht {0} ist nicht unzustellbar, es gibt also nichts zu wiederholen";
        AtMostServersCanTrusted => "at most {0} servers can be trusted", "höchstens {0} Server können als vertrauenswürdig gelten";
        NotMailServerNameLikeMx => "{0} is not a mail server name like mx.example.com (letters, digits, dots and hyphens)", "{0} ist kein Mailservername wie mx.example.com (Buchstaben, Ziffern, Punkte und Bindestriche)";
        NotDomainLikeExampleCom => "{0} is not a domain like example.com", "{0} ist keine Domain wie example.com";
        EnterRelaySHostNameSuch => "Enter the relay's host name, such as smtp.example.com.", "Geben Sie den Hostnamen des Relays ein, etwa smtp.example.com.";
        HostNameHasOnlyLettersDigits => "A host name has only letters, digits, dots and hyphens, such as smtp.example.com.", "Ein Hostname besteht nur aus Buchstaben, Ziffern, Punkten und Bindestrichen, etwa smtp.example.com.";
        EnterPortNumberFrom165535 => "Enter a port number from 1 to 65535 (usually 25, 587 or 465).", "Geben Sie eine Portnummer von 1 bis 65535 ein (meist 25, 587 oder 465).";
        ChooseNoneStarttlsRequiredTls => "Choose none, STARTTLS required or TLS.", "Wählen Sie keine, STARTTLS erforderlich oder TLS.";
        UserNameTooLongHasLine => "The user name is too long or has a line break.", "Der Benutzername ist zu lang oder enthält einen Zeilenumbruch.";
        PasswordLongerThan500Characters => "The password is longer than 500 characters.", "Das Passwort ist länger als 500 Zeichen.";
        EnterAddressMailComesFromSuch => "Enter the address mail comes from, such as Help desk <help@example.com>.", "Geben Sie die Absenderadresse der E-Mails ein, etwa Service Desk <hilfe@example.com>.";
        EnterDeskSAddressStartingWith => "Enter the desk's address starting with https:// (or http://), or leave it empty.", "Geben Sie die Adresse des Service Desks beginnend mit https:// (oder http://) ein oder lassen Sie das Feld leer.";
        MessageNotWaitingForAnyoneWas => "message {0} is not waiting for anyone: it was {1}", "Nachricht {0} wartet auf niemanden mehr (Stand: {1})";
        MessageStillCannotRead => "the message still cannot be read: {0}", "die Nachricht kann weiterhin nicht gelesen werden: {0}";
        ProcessedAgainStillWouldNotBecome => "processed again, it still would not become a ticket: {0}", "auch bei erneuter Verarbeitung würde kein Ticket daraus: {0}";
        SenderSAccountDeactivated => "the sender's account is deactivated", "das Konto der absendenden Person ist deaktiviert";
        MessageHasNoSenderLogTicket => "the message has no sender to log a ticket for", "die Nachricht hat keine absendende Person, für die ein Ticket erfasst werden könnte";
        AlreadyHandled => "already handled", "bereits erledigt";
        // Service levels and calendars.
        EndPeriodMustComeAfterStart => "the end of the period must come after its start", "das Ende des Zeitraums muss nach seinem Beginn liegen";
        CalendarNamedAlreadyExists => "a calendar named {0} already exists", "ein Kalender namens {0} existiert bereits";
        ThereNoCalendar => "there is no calendar {0}", "es gibt keinen Kalender {0}";
        MakeAnotherPolicyDefaultInsteadDesk => "make another policy the default instead; the desk always needs one", "machen Sie stattdessen eine andere Richtlinie zum Standard; der Service Desk braucht immer eine";
        PolicyNamedAlreadyExists => "a policy named {0} already exists", "eine Richtlinie namens {0} existiert bereits";
        CalendarHasNoWorkingTimeIn => "the calendar has no working time in the next ten years", "der Kalender hat in den nächsten zehn Jahren keine Arbeitszeit";
        NotTimeDayLike0830 => "{0} is not a time of day like 08:30", "{0} ist keine Uhrzeit wie 08:30";
        NotDateLike20261224 => "{0} is not a date like 2026-12-24", "{0} ist kein Datum wie 2026-12-24";
        NotIanaTimeZoneSuchAs => "{0} is not an IANA time zone such as Europe/Stockholm", "{0} ist keine IANA-Zeitzone wie Europe/Stockholm";
        NotOneMonTueWedThu => "{0} is not one of mon, tue, wed, thu, fri, sat, sun", "{0} ist keiner von mon, tue, wed, thu, fri, sat, sun";
        Empty => "{0} {1}–{2} is empty", "{0} {1}–{2} ist leer";
        ShiftCannotStartAt2400 => "a shift cannot start at 24:00; start it at 00:00 the next day", "eine Schicht kann nicht um 24:00 beginnen; beginnen Sie sie um 00:00 am nächsten Tag";
        GiveSomeWorkingHoursMakeCalendar => "give some working hours, or make the calendar always open (24×7)", "geben Sie Arbeitszeiten an oder machen Sie den Kalender rund um die Uhr offen (24×7)";
        RangeEndsBeforeStarts => "the range {0} – {1} ends before it starts", "der Zeitraum {0} – {1} endet, bevor er beginnt";
        NotDayYear => "{0}/{1} is not a day of the year", "{0}/{1} ist kein Tag des Jahres";
        HigherImpactUrgencyMustNeverGive => "higher impact or urgency must never give a lower priority", "höhere Auswirkung oder Dringlichkeit darf nie eine niedrigere Priorität ergeben";
        EveryTargetMustBetween1Minute => "every target must be between 1 minute and 366 days of business time", "jedes Ziel muss zwischen 1 Minute und 366 Tagen Geschäftszeit liegen";
        MoreUrgentPriorityCannotHaveLonger => "a more urgent priority cannot have a longer target than a less urgent one", "eine dringendere Priorität kann kein längeres Ziel haben als eine weniger dringende";
        MustBetween199 => "must be between 1 and 99", "muss zwischen 1 und 99 liegen";
        // SOPs.
        Must164LowerCaseLetters => "must be 1–64 lower-case letters, digits or '-', e.g. password-reset", "muss aus 1–64 Kleinbuchstaben, Ziffern oder '-' bestehen, z. B. password-reset";
        OnlyLeadsAdminsCanCreateSops => "only leads and admins can create SOPs", "nur Leitungen und Admins können SOPs erstellen";
        SopWithKeyExistsAlready => "an SOP with that key exists already", "eine SOP mit diesem Schlüssel existiert bereits";
        UserNotActiveMemberStaff => "user {0} is not an active member of staff", "Person {0} ist keine aktive mitarbeitende Person";
        ApproverMustLeadAdmin => "the approver must be a lead or an admin", "die freigebende Person muss eine Leitung oder ein Admin sein";
        ApproverMustSomeoneOtherThanReviewer => "the approver must be someone other than the reviewer (the reviewer cannot approve what they validated)", "die freigebende Person muss eine andere sein als die fachlich prüfende (wer validiert hat, kann nicht auch freigeben)";
        AtMost20Links => "at most 20 links", "höchstens 20 Verknüpfungen";
        LinkNamesTicketKindCategoryBoth => "a link names a ticket kind, a category, or both", "eine Verknüpfung nennt eine Ticketart, eine Kategorie oder beides";
        ThereNoTopLevelCategory => "there is no top-level category {0}", "es gibt keine Hauptkategorie {0}";
        SubcategoryNotUnderLinkSCategory => "subcategory {0} is not under the link's category", "Unterkategorie {0} gehört nicht zur Kategorie der Verknüpfung";
        OnlySopSOwnerReviewerApprover => "only the SOP's owner, reviewer or approver, or a lead, can write a new version", "nur die verantwortliche, fachlich prüfende oder freigebende Person der SOP oder eine Leitung kann eine neue Version schreiben";
        SopWasChangedBySomeoneElse => "the SOP was changed by someone else since version {0}; it is now at version {1}", "die SOP wurde seit Version {0} von jemand anderem geändert; sie ist jetzt bei Version {1}";
        OnlySopSOwnerReviewerApproverLead => "only the SOP's owner, reviewer or approver, or a lead, can restore a version", "nur die verantwortliche, fachlich prüfende oder freigebende Person der SOP oder eine Leitung kann eine Version wiederherstellen";
        OnlySopSOwnerLeadCan => "only the SOP's owner, or a lead, can change its document control", "nur die verantwortliche Person der SOP oder eine Leitung kann ihre Dokumentenlenkung ändern";
        SopHasNoEffectiveVersionRetire => "this SOP has no effective version to retire", "diese SOP hat keine Version in Kraft, die außer Kraft gesetzt werden könnte";
        OnlySopSOwnerRecordsReviews => "only the SOP's owner records its reviews", "nur die verantwortliche Person der SOP erfasst ihre Überprüfungen";
        VersionCannotEdNowAllows => "a version that is {0} cannot be {1}ed now; it allows: {2}", "für eine Version im Status „{0}“ ist „{1}“ jetzt nicht möglich; möglich ist: {2}";
        VersionInReviewSendBackDraft => "version {0} is in review ({1}); send it back to draft before changing it", "Version {0} ist in Prüfung ({1}); setzen Sie sie auf Entwurf zurück, bevor Sie sie ändern";
        OnlyStaffTakePartInSop => "only staff take part in SOP governance", "nur Mitarbeitende wirken an der SOP-Lenkung mit";
        OnlyPersonCanTakePartIn => "only a person can take part in an SOP's governance", "nur eine Person kann an der Lenkung einer SOP mitwirken";
        OnlyAuthorVersionSopSOwner => "only an author of the version or the SOP's owner can submit it", "nur eine Autorin oder ein Autor der Version oder die verantwortliche Person der SOP kann sie einreichen";
        NameSubjectMatterReviewerBeforeSubmitting => "name a subject-matter reviewer before submitting", "nennen Sie vor dem Einreichen eine fachlich prüfende Person";
        NameApproverBeforeSubmitting => "name an approver before submitting", "nennen Sie vor dem Einreichen eine freigebende Person";
        OnlySopSProcessOwnerCan => "only the SOP's process owner can check a submitted version", "nur die prozessverantwortliche Person der SOP kann eine eingereichte Version prüfen";
        OnlySopSSubjectMatterReviewer => "only the SOP's subject-matter reviewer can validate it", "nur die fachlich prüfende Person der SOP kann sie validieren";
        AuthorVersionCannotValidateAnotherReviewer => "an author of the version cannot validate it; another reviewer must", "wer die Version verfasst hat, kann sie nicht validieren; das muss eine andere fachlich prüfende Person tun";
        OnlySopSApproverCanSign => "only the SOP's approver can sign it off", "nur die freigebende Person der SOP kann sie freigeben";
        OnlyLeadAdminCanSignSop => "only a lead or an admin can sign an SOP off", "nur eine Leitung oder ein Admin kann eine SOP freigeben";
        AuthorVersionCannotApprove => "an author of the version cannot approve it", "wer die Version verfasst hat, kann sie nicht freigeben";
        PersonWhoValidatedVersionCannotAlso => "the person who validated a version cannot also approve it", "wer eine Version validiert hat, kann sie nicht auch freigeben";
        OnlySopSOwnerApproverCan => "only the SOP's owner or approver can retire it", "nur die verantwortliche oder freigebende Person der SOP kann sie außer Kraft setzen";
        OnlyPersonAtReviewStageCan => "only the person at this review stage can send the version back", "nur die Person dieser Prüfstufe kann die Version zurückschicken";
        SayWhatMustChangeBeforeComes => "say what must change before it comes back", "sagen Sie, was sich ändern muss, bevor sie zurückkommt";
        MustBetween124Months => "must be between 1 and 24 months", "muss zwischen 1 und 24 Monaten liegen";
        MustBetween11000EmptyFor => "must be between 1 and 1000, or empty for none", "muss zwischen 1 und 1000 liegen oder leer sein für keine Grenze";
        MustBetween1365Days => "must be between 1 and 365 days", "muss zwischen 1 und 365 Tagen liegen";
        KeyMust164LowerCase => "key {0} must be 1–64 lower-case letters, digits, '-' or '_' (it stays the same across versions)", "Schlüssel {0} muss aus 1–64 Kleinbuchstaben, Ziffern, '-' oder '_' bestehen (er bleibt über alle Versionen gleich)";
        KeyUsedTwice => "key {0} is used twice", "Schlüssel {0} wird zweimal verwendet";
        ProcedureNeedsAtLeastOneStep => "a procedure needs at least one step", "ein Ablauf braucht mindestens einen Schritt";
        AtMost60StepsSplitProcedure => "at most 60 steps; split the procedure", "höchstens 60 Schritte; teilen Sie den Ablauf auf";
        StepHoldsMoreThanOneInstruction => "step {0} holds more than one instruction; make each step one sentence", "Schritt {0} enthält mehr als eine Anweisung; formulieren Sie jeden Schritt als einen Satz";
        DecisionNeedsAtLeastTwoOptions => "decision {0} needs at least two options", "Entscheidung {0} braucht mindestens zwei Optionen";
        DecisionFollowsStepWhichDoesNot => "decision {0} follows step {1}, which does not exist", "Entscheidung {0} folgt auf Schritt {1}, den es nicht gibt";
        FunctionalEscalationMustNameGroupEscalate => "functional escalation {0} must name the group to escalate to", "funktionale Eskalation {0} muss die Gruppe nennen, an die eskaliert wird";
        HierarchicalEscalationAlertsLeadsNamesNo => "hierarchical escalation {0} alerts the leads and names no group", "hierarchische Eskalation {0} alarmiert die Leitungen und nennt keine Gruppe";
        CheckRequiresStepWhichDoesNot => "check {0} requires step {1}, which does not exist", "Prüfung {0} setzt Schritt {1} voraus, den es nicht gibt";
        CheckRequiresAnswerOnStepWhich => "check {0} requires an answer on step {1}, which asks for none", "Prüfung {0} verlangt eine Antwort bei Schritt {1}, der keine erfragt";
        CheckAcceptsWhichNotOptionStep => "check {0} accepts {1}, which is not an option of step {2}", "Prüfung {0} akzeptiert {1}, das keine Option von Schritt {2} ist";
    }
}

impl AppText {
    /// Every sentence of the table.
    const ALL: &[AppText] = &[
        AppText::OnlyPersonCanDoNotSystem,
        AppText::OnlyRequesterCanCancelTicket,
        AppText::CustomersCanOnlyConfirmReopenCancel,
        AppText::OnlyAgentsCanWriteInternalNotes,
        AppText::OnlyAgentsCanEditTicketFields,
        AppText::CustomersCanOnlyLogTicketsFor,
        AppText::OnlyAgentsCanRegisterCallers,
        AppText::OnlyAdminsCanChangeDeskS,
        AppText::OnlyAgentsCanLookUp,
        AppText::OnlyStaffSeeReports,
        AppText::OnlyStaffSeeDeskSettings,
        AppText::OnlyLeadsAdminsHaveOverview,
        AppText::OnlyAgentsCanSeeServiceLevel,
        AppText::OnlyAdminsLeadsCanSeeMail,
        AppText::AuthenticationRequired,
        AppText::TooManyFailedSignInAttempts,
        AppText::PasswordCouldNotHashed,
        AppText::Must101000Characters,
        AppText::ApiTokenCannotCreateApiTokens,
        AppText::ConfirmYouEnterYourCurrentPassword,
        AppText::NotYourCurrentPassword,
        AppText::GiveEitherExpiresAtExpiresIn,
        AppText::MustInFuture,
        AppText::MustAtMostTenYearsAhead,
        AppText::Must1Days,
        AppText::UnknownResourceUseTicketsKnowledgeSops,
        AppText::ApiTokenReadOnlyCannotChange,
        AppText::ApiTokenNotAllowedUseScope,
        AppText::ApiTokenSScopeDoesNot,
        AppText::NotTimeZoneIanaListSuch,
        AppText::MustEnglishDeutsch,
        AppText::NotFound,
        AppText::TicketWasChangedBySomeoneElse,
        AppText::SayWhichVersionTicketChangeApplies,
        AppText::NotPossibleYetRecordFirst,
        AppText::ResolveNotPossibleYetRecordFirst,
        AppText::CloseNotPossibleYetRecordFirst,
        AppText::DatabaseUnavailable,
        AppText::InternalError,
        AppText::ContainsCharacterCannotStoredSuchAs,
        AppText::ValueAlreadyTaken,
        AppText::WasEncryptedWithKeyWhichNot,
        AppText::CannotDecryptedWithKeyValueDamaged,
        AppText::NotEncryptedValue,
        AppText::SearchForAtLeastOneWord,
        AppText::MustAtLeastCharacters,
        AppText::MustAtMostCharacters,
        AppText::MustAtMost2000Characters,
        AppText::MustNotContainControlCharacters,
        AppText::MustNotContainBidirectionalOverrideIsolate,
        AppText::MustEMailAddressLikeName,
        AppText::NotEMailAddress,
        AppText::MustNotEmpty,
        AppText::MustOne,
        AppText::MustOneCustomerAgentLeadAdmin,
        AppText::MustOneHighMediumLow,
        AppText::MustOneP1P2P3P4,
        AppText::MustOneBreachedAtRiskOk,
        AppText::OnlyCustomerWithOrganisationCanSuper,
        AppText::ThereNoOrganisation,
        AppText::UserWithEMailAlreadyExists,
        AppText::AdminsCannotDeactivateDemoteThemselves,
        AppText::OrganisationNamedAlreadyExists,
        AppText::GroupNamedAlreadyExists,
        AppText::DefaultGroupTakesNewTicketsMust,
        AppText::ThereNoUser,
        AppText::CustomersCannotJoinResolverGroups,
        AppText::ThereNoCategory,
        AppText::SubcategoriesCannotHaveSubcategories,
        AppText::CategoryNamedAlreadyExistsThere,
        AppText::ServiceNamedAlreadyExists,
        AppText::ThereNoGroup,
        AppText::DefaultGroupMustTier1Service,
        AppText::Must123,
        AppText::OnlyTier3GroupCanExternal,
        AppText::Must01000000,
        AppText::Must11440Minutes,
        AppText::MailOffOnDeskSetRelay,
        AppText::MustWholeNumberDaysFrom0,
        AppText::ThereNoActiveUser,
        AppText::ThereNoService,
        AppText::NameRequesterSystemLogsTicketsOnly,
        AppText::CategoryNotSubcategory,
        AppText::SubcategoryBelongsAnotherCategory,
        AppText::OnlyTicketHeldByExternalSupplier,
        AppText::WasNotAttached,
        AppText::OnlyMemberTicketSGroupCan,
        AppText::UserNotAgentGroup,
        AppText::TicketAlreadyWithGroupAgent,
        AppText::FunctionalEscalationNeedsGroupAboveTier,
        AppText::TicketRaiseNewTicketInsteadReplying,
        AppText::EventNotStaffOnlyRecord,
        AppText::TicketCanNoLongerEdited,
        AppText::TicketsAreAlready,
        AppText::TicketsAreLinkedAlready,
        AppText::TicketsAreMergedAlready,
        AppText::OnlyAgentsCanLinkTickets,
        AppText::OnlyRelatedTicketsRelatesAreLinked,
        AppText::TicketCannotLinkedItself,
        AppText::ThereNoTicketYouCanSee,
        AppText::TicketNotLinked,
        AppText::OnlyAgentsCanMergeTickets,
        AppText::TicketCannotMergedIntoItself,
        AppText::CanNoLongerMerged,
        AppText::MergeIntoOpenTicket,
        AppText::OtherTicketsWereMergedIntoMerge,
        AppText::OnlyAgentsCanMentionColleagues,
        AppText::YouHaveLoggedTicketsWithinMinutes,
        AppText::YouHaveSentRepliesWithinMinutes,
        AppText::TicketCannotAssignedAllowedNow,
        AppText::TicketCannotStartedAllowedNow,
        AppText::TicketCannotSetPendingAllowedNow,
        AppText::TicketCannotResumedAllowedNow,
        AppText::TicketCannotEscalatedAllowedNow,
        AppText::TicketCannotResolvedAllowedNow,
        AppText::TicketCannotClosedAllowedNow,
        AppText::TicketCannotReopenedAllowedNow,
        AppText::TicketCannotCancelledAllowedNow,
        AppText::TicketCannotAssignedFinishedAllowsNo,
        AppText::TicketCannotStartedFinishedAllowsNo,
        AppText::TicketCannotSetPendingFinishedAllows,
        AppText::TicketCannotResumedFinishedAllowsNo,
        AppText::TicketCannotEscalatedFinishedAllowsNo,
        AppText::TicketCannotResolvedFinishedAllowsNo,
        AppText::TicketCannotClosedFinishedAllowsNo,
        AppText::TicketCannotReopenedFinishedAllowsNo,
        AppText::TicketCannotCancelledFinishedAllowsNo,
        AppText::TicketCannotAllowedNow,
        AppText::TicketCannotFinishedAllowsNoFurther,
        AppText::ChecklistClosedCancelledTicketCannotChange,
        AppText::NoEffectiveSopAppliesTicket,
        AppText::TicketSSopChangedMeanwhileReload,
        AppText::SopVersionHasNoStep,
        AppText::StepRecordsNoAnswerTickInstead,
        AppText::MustOne2,
        AppText::NotCategoryServiceDesk,
        AppText::ArticleWasChangedBySomeoneElse,
        AppText::SayWhatMustChange,
        AppText::MustBetween1200,
        AppText::ThereNoArticle,
        AppText::OnlyPublishedArticleCanRecordedAs,
        AppText::ThereNoVersion,
        AppText::OnlyAgentsSeeArticleSVersions,
        AppText::SayWhatChangedWhy,
        AppText::KnownErrorMustDescribeSymptom,
        AppText::KnownErrorMustGiveWorkaround,
        AppText::MustIdProblemRecord,
        AppText::OnlyAgentsCanWriteKnowledgeArticles,
        AppText::ArticleCannotAllows,
        AppText::ArticleCannotSubmittedAllows,
        AppText::ArticleCannotPublishedAllows,
        AppText::ArticleCannotReturnedDraftAllows,
        AppText::ArticleCannotRetiredAllows,
        AppText::OnlyAgentsCanChangeKnowledgeArticles,
        AppText::OnlyLeadsAdminsCanPublishReturn,
        AppText::RetiredArticleReadOnly,
        AppText::OnlyAgentsUseCannedResponses,
        AppText::OnlyLeadsAdminsKeepSharedCanned,
        AppText::GiveShortTitle,
        AppText::TitleLongerThanCharacters,
        AppText::WriteTextInsert,
        AppText::TextLongerThanCharacters,
        AppText::OpensPlaceholderWithNeverClosedWith,
        AppText::NotKnownPlaceholderUse,
        AppText::NotKnownPlaceholderUse2,
        AppText::AreNotKnownPlaceholderUse,
        AppText::NotColumn,
        AppText::GiveViewName,
        AppText::KeepNameCharacters,
        AppText::UseLettersDigitsSpaces,
        AppText::ViewSQueryAtMostPlain,
        AppText::OnlyStaffHaveQueuesViews,
        AppText::OnlyLeadAdminCanShareView,
        AppText::OnlyLeadAdminCanChangeShared,
        AppText::LinkWasUsedAlready,
        AppText::LinkHasExpiredReplyEMail,
        AppText::NotWaitingForYourConfirmationAny,
        AppText::SayWhatStillWrong,
        AppText::YourAccountDeactivated,
        AppText::MailboxNamedAlreadyExists,
        AppText::MailboxSwitchedOff,
        AppText::MustBetween1100Characters,
        AppText::NameFolderRead,
        AppText::MustDifferFromFolderReadMail,
        AppText::MustBetween103600Seconds,
        AppText::NameImapServer,
        AppText::MustBetween165535,
        AppText::MustPemCertificateBeginCertificate,
        AppText::NotOneYourNotifications,
        AppText::OneTheseDomainsAlreadyBelongsAnother,
        AppText::MessageNotDeadLetterSoThere,
        AppText::AtMostServersCanTrusted,
        AppText::NotMailServerNameLikeMx,
        AppText::NotDomainLikeExampleCom,
        AppText::EnterRelaySHostNameSuch,
        AppText::HostNameHasOnlyLettersDigits,
        AppText::EnterPortNumberFrom165535,
        AppText::ChooseNoneStarttlsRequiredTls,
        AppText::UserNameTooLongHasLine,
        AppText::PasswordLongerThan500Characters,
        AppText::EnterAddressMailComesFromSuch,
        AppText::EnterDeskSAddressStartingWith,
        AppText::MessageNotWaitingForAnyoneWas,
        AppText::MessageStillCannotRead,
        AppText::ProcessedAgainStillWouldNotBecome,
        AppText::SenderSAccountDeactivated,
        AppText::MessageHasNoSenderLogTicket,
        AppText::AlreadyHandled,
        AppText::EndPeriodMustComeAfterStart,
        AppText::CalendarNamedAlreadyExists,
        AppText::ThereNoCalendar,
        AppText::MakeAnotherPolicyDefaultInsteadDesk,
        AppText::PolicyNamedAlreadyExists,
        AppText::CalendarHasNoWorkingTimeIn,
        AppText::NotTimeDayLike0830,
        AppText::NotDateLike20261224,
        AppText::NotIanaTimeZoneSuchAs,
        AppText::NotOneMonTueWedThu,
        AppText::Empty,
        AppText::ShiftCannotStartAt2400,
        AppText::GiveSomeWorkingHoursMakeCalendar,
        AppText::RangeEndsBeforeStarts,
        AppText::NotDayYear,
        AppText::HigherImpactUrgencyMustNeverGive,
        AppText::EveryTargetMustBetween1Minute,
        AppText::MoreUrgentPriorityCannotHaveLonger,
        AppText::MustBetween199,
        AppText::Must164LowerCaseLetters,
        AppText::OnlyLeadsAdminsCanCreateSops,
        AppText::SopWithKeyExistsAlready,
        AppText::UserNotActiveMemberStaff,
        AppText::ApproverMustLeadAdmin,
        AppText::ApproverMustSomeoneOtherThanReviewer,
        AppText::AtMost20Links,
        AppText::LinkNamesTicketKindCategoryBoth,
        AppText::ThereNoTopLevelCategory,
        AppText::SubcategoryNotUnderLinkSCategory,
        AppText::OnlySopSOwnerReviewerApprover,
        AppText::SopWasChangedBySomeoneElse,
        AppText::OnlySopSOwnerReviewerApproverLead,
        AppText::OnlySopSOwnerLeadCan,
        AppText::SopHasNoEffectiveVersionRetire,
        AppText::OnlySopSOwnerRecordsReviews,
        AppText::VersionCannotEdNowAllows,
        AppText::VersionInReviewSendBackDraft,
        AppText::OnlyStaffTakePartInSop,
        AppText::OnlyPersonCanTakePartIn,
        AppText::OnlyAuthorVersionSopSOwner,
        AppText::NameSubjectMatterReviewerBeforeSubmitting,
        AppText::NameApproverBeforeSubmitting,
        AppText::OnlySopSProcessOwnerCan,
        AppText::OnlySopSSubjectMatterReviewer,
        AppText::AuthorVersionCannotValidateAnotherReviewer,
        AppText::OnlySopSApproverCanSign,
        AppText::OnlyLeadAdminCanSignSop,
        AppText::AuthorVersionCannotApprove,
        AppText::PersonWhoValidatedVersionCannotAlso,
        AppText::OnlySopSOwnerApproverCan,
        AppText::OnlyPersonAtReviewStageCan,
        AppText::SayWhatMustChangeBeforeComes,
        AppText::MustBetween124Months,
        AppText::MustBetween11000EmptyFor,
        AppText::MustBetween1365Days,
        AppText::KeyMust164LowerCase,
        AppText::KeyUsedTwice,
        AppText::ProcedureNeedsAtLeastOneStep,
        AppText::AtMost60StepsSplitProcedure,
        AppText::StepHoldsMoreThanOneInstruction,
        AppText::DecisionNeedsAtLeastTwoOptions,
        AppText::DecisionFollowsStepWhichDoesNot,
        AppText::FunctionalEscalationMustNameGroupEscalate,
        AppText::HierarchicalEscalationAlertsLeadsNamesNo,
        AppText::CheckRequiresStepWhichDoesNot,
        AppText::CheckRequiresAnswerOnStepWhich,
        AppText::CheckAcceptsWhichNotOptionStep,
    ];
}

mod values {
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
        }
    }

    impl ValueWord {
        /// Every word of the table.
        pub(super) const ALL: &[ValueWord] = &[
            ValueWord::New,
            ValueWord::Assigned,
            ValueWord::InProgress,
            ValueWord::Pending,
            ValueWord::Resolved,
            ValueWord::Closed,
            ValueWord::Cancelled,
            ValueWord::Draft,
            ValueWord::Review,
            ValueWord::Published,
            ValueWord::Retired,
            ValueWord::Submitted,
            ValueWord::Checked,
            ValueWord::Validated,
            ValueWord::Effective,
            ValueWord::Superseded,
            ValueWord::Assign,
            ValueWord::Start,
            ValueWord::Pend,
            ValueWord::Resume,
            ValueWord::Escalate,
            ValueWord::Resolve,
            ValueWord::Close,
            ValueWord::Reopen,
            ValueWord::Cancel,
            ValueWord::Submit,
            ValueWord::Publish,
            ValueWord::Return,
            ValueWord::Retire,
            ValueWord::Check,
            ValueWord::Validate,
            ValueWord::Approve,
            ValueWord::Nothing,
            ValueWord::Linked,
            ValueWord::Merged,
            ValueWord::DealtWithAlready,
            ValueWord::TicketCreated,
            ValueWord::ReplyAdded,
            ValueWord::Held,
            ValueWord::Quarantined,
            ValueWord::Ignored,
            ValueWord::Refused,
        ];
    }
}

mod names {
    use crate::i18n::catalogue;

    catalogue! {
        /// The name of a form or API field, as the application layer names it in a validation
        /// error (`title`, `email`…); the English is the name with `_` written as a space.
        FieldName {
            Action => "action", "Aktion";
            Address => "address", "Adresse";
            Answer => "answer", "Antwort";
            ApproverId => "approver id", "Freigebende Person";
            ArticleId => "article id", "Artikel";
            AssigneeId => "assignee id", "Zuständige Person";
            Audience => "audience", "Zielgruppe";
            AutoCloseDays => "auto close days", "Tage bis zum automatischen Schließen";
            Body => "body", "Text";
            CaCertificate => "ca certificate", "CA-Zertifikat";
            CalendarId => "calendar id", "Kalender";
            CategoryId => "category id", "Kategorie";
            Cause => "cause", "Ursache";
            Cells => "cells", "Zellen";
            ChangeSummary => "change summary", "Zusammenfassung der Änderung";
            Channel => "channel", "Kanal";
            Checks => "checks", "Prüfungen";
            Code => "code", "Code";
            Columns => "columns", "Spalten";
            Comment => "comment", "Kommentar";
            Decisions => "decisions", "Entscheidungen";
            Description => "description", "Beschreibung";
            Domains => "domains", "Domains";
            Due => "due", "Fälligkeit";
            Email => "email", "E-Mail-Adresse";
            Escalations => "escalations", "Eskalationen";
            Event => "event", "Ereignis";
            Exceptions => "exceptions", "Ausnahmen";
            ExpiresAt => "expires at", "Ablaufdatum";
            ExpiresInDays => "expires in days", "Gültigkeit in Tagen";
            ExternalSupplier => "external supplier", "Externer Dienstleister";
            Field => "field", "Feld";
            Files => "files", "Dateien";
            Folder => "folder", "Ordner";
            From => "from", "Absender";
            GroupId => "group id", "Gruppe";
            Holidays => "holidays", "Feiertage";
            Host => "host", "Host";
            Hours => "hours", "Arbeitszeiten";
            ImapHost => "imap host", "IMAP-Host";
            ImapPort => "imap port", "IMAP-Port";
            ImapUsername => "imap username", "IMAP-Benutzername";
            Inputs => "inputs", "Eingaben";
            Internal => "internal", "Intern";
            Into => "into", "Ziel-Ticket";
            IsDefault => "is default", "Standard";
            Key => "key", "Schlüssel";
            Kind => "kind", "Art";
            Label => "label", "Bezeichnung";
            Language => "language", "Sprache";
            Level => "level", "Stufe";
            Limit => "limit", "Grenze";
            Links => "links", "Verknüpfungen";
            Name => "name", "Name";
            NonParticipants => "non participants", "Nicht Beteiligte";
            Note => "note", "Notiz";
            OrganizationId => "organization id", "Organisation";
            OwnerId => "owner id", "Verantwortliche Person";
            ParentId => "parent id", "Übergeordnete Kategorie";
            Password => "password", "Passwort";
            PollSeconds => "poll seconds", "Abrufintervall in Sekunden";
            Port => "port", "Port";
            Priority => "priority", "Priorität";
            ProblemId => "problem id", "Problem";
            ProcessedFolder => "processed folder", "Ordner für Verarbeitetes";
            PublicUrl => "public url", "Öffentliche Adresse";
            Purpose => "purpose", "Zweck";
            Q => "q", "Suche";
            Query => "query", "Abfrage";
            Reason => "reason", "Grund";
            References => "references", "Referenzen";
            RepliesPerPerson => "replies per person", "Antworten pro Person";
            RequesterId => "requester id", "Anfragende Person";
            Resources => "resources", "Ressourcen";
            ReviewIntervalMonths => "review interval months", "Überprüfungsintervall in Monaten";
            ReviewerId => "reviewer id", "Fachlich prüfende Person";
            Role => "role", "Rolle";
            Roles => "roles", "Rollen";
            Scope => "scope", "Geltungsbereich";
            Security => "security", "Sicherheit";
            ServiceId => "service id", "Dienst";
            Sla => "sla", "SLA";
            State => "state", "Zustand";
            Status => "status", "Status";
            Step => "step", "Schritt";
            Steps => "steps", "Schritte";
            SubcategoryId => "subcategory id", "Unterkategorie";
            SuperUser => "super user", "Super-User";
            SupplierReference => "supplier reference", "Lieferantenreferenz";
            Symptom => "symptom", "Symptom";
            Targets => "targets", "Ziele";
            Text => "text", "Text";
            Ticket => "ticket", "Ticket";
            TicketsPerPerson => "tickets per person", "Tickets pro Person";
            Tier => "tier", "Stufe";
            TimeZone => "time zone", "Zeitzone";
            Title => "title", "Titel";
            To => "to", "Empfänger";
            Topic => "topic", "Thema";
            Trigger => "trigger", "Auslöser";
            UnknownSenders => "unknown senders", "Unbekannte Absender";
            UserId => "user id", "Person";
            Username => "username", "Benutzername";
            Version => "version", "Version";
            WarningPercent => "warning percent", "Warnschwelle in Prozent";
            WindowDays => "window days", "Zeitfenster in Tagen";
            WindowMinutes => "window minutes", "Zeitfenster in Minuten";
            Workaround => "workaround", "Umgehungslösung";
            Impact => "impact", "Auswirkung";
            Urgency => "urgency", "Dringlichkeit";
        }
    }

    impl FieldName {
        /// Every name of the table, with the field it names.
        pub(super) const ALL: &[(&str, FieldName)] = &[
            ("action", FieldName::Action),
            ("address", FieldName::Address),
            ("answer", FieldName::Answer),
            ("approver_id", FieldName::ApproverId),
            ("article_id", FieldName::ArticleId),
            ("assignee_id", FieldName::AssigneeId),
            ("audience", FieldName::Audience),
            ("auto_close_days", FieldName::AutoCloseDays),
            ("body", FieldName::Body),
            ("ca_certificate", FieldName::CaCertificate),
            ("calendar_id", FieldName::CalendarId),
            ("category_id", FieldName::CategoryId),
            ("cause", FieldName::Cause),
            ("cells", FieldName::Cells),
            ("change_summary", FieldName::ChangeSummary),
            ("channel", FieldName::Channel),
            ("checks", FieldName::Checks),
            ("code", FieldName::Code),
            ("columns", FieldName::Columns),
            ("comment", FieldName::Comment),
            ("decisions", FieldName::Decisions),
            ("description", FieldName::Description),
            ("domains", FieldName::Domains),
            ("due", FieldName::Due),
            ("email", FieldName::Email),
            ("escalations", FieldName::Escalations),
            ("event", FieldName::Event),
            ("exceptions", FieldName::Exceptions),
            ("expires_at", FieldName::ExpiresAt),
            ("expires_in_days", FieldName::ExpiresInDays),
            ("external_supplier", FieldName::ExternalSupplier),
            ("field", FieldName::Field),
            ("files", FieldName::Files),
            ("folder", FieldName::Folder),
            ("from", FieldName::From),
            ("group_id", FieldName::GroupId),
            ("holidays", FieldName::Holidays),
            ("host", FieldName::Host),
            ("hours", FieldName::Hours),
            ("imap_host", FieldName::ImapHost),
            ("imap_port", FieldName::ImapPort),
            ("imap_username", FieldName::ImapUsername),
            ("inputs", FieldName::Inputs),
            ("internal", FieldName::Internal),
            ("into", FieldName::Into),
            ("is_default", FieldName::IsDefault),
            ("key", FieldName::Key),
            ("kind", FieldName::Kind),
            ("label", FieldName::Label),
            ("language", FieldName::Language),
            ("level", FieldName::Level),
            ("limit", FieldName::Limit),
            ("links", FieldName::Links),
            ("name", FieldName::Name),
            ("non_participants", FieldName::NonParticipants),
            ("note", FieldName::Note),
            ("organization_id", FieldName::OrganizationId),
            ("owner_id", FieldName::OwnerId),
            ("parent_id", FieldName::ParentId),
            ("password", FieldName::Password),
            ("poll_seconds", FieldName::PollSeconds),
            ("port", FieldName::Port),
            ("priority", FieldName::Priority),
            ("problem_id", FieldName::ProblemId),
            ("processed_folder", FieldName::ProcessedFolder),
            ("public_url", FieldName::PublicUrl),
            ("purpose", FieldName::Purpose),
            ("q", FieldName::Q),
            ("query", FieldName::Query),
            ("reason", FieldName::Reason),
            ("references", FieldName::References),
            ("replies_per_person", FieldName::RepliesPerPerson),
            ("requester_id", FieldName::RequesterId),
            ("resources", FieldName::Resources),
            ("review_interval_months", FieldName::ReviewIntervalMonths),
            ("reviewer_id", FieldName::ReviewerId),
            ("role", FieldName::Role),
            ("roles", FieldName::Roles),
            ("scope", FieldName::Scope),
            ("security", FieldName::Security),
            ("service_id", FieldName::ServiceId),
            ("sla", FieldName::Sla),
            ("state", FieldName::State),
            ("status", FieldName::Status),
            ("step", FieldName::Step),
            ("steps", FieldName::Steps),
            ("subcategory_id", FieldName::SubcategoryId),
            ("super_user", FieldName::SuperUser),
            ("supplier_reference", FieldName::SupplierReference),
            ("symptom", FieldName::Symptom),
            ("targets", FieldName::Targets),
            ("text", FieldName::Text),
            ("ticket", FieldName::Ticket),
            ("tickets_per_person", FieldName::TicketsPerPerson),
            ("tier", FieldName::Tier),
            ("time_zone", FieldName::TimeZone),
            ("title", FieldName::Title),
            ("to", FieldName::To),
            ("topic", FieldName::Topic),
            ("trigger", FieldName::Trigger),
            ("unknown_senders", FieldName::UnknownSenders),
            ("user_id", FieldName::UserId),
            ("username", FieldName::Username),
            ("version", FieldName::Version),
            ("warning_percent", FieldName::WarningPercent),
            ("window_days", FieldName::WindowDays),
            ("window_minutes", FieldName::WindowMinutes),
            ("workaround", FieldName::Workaround),
            ("impact", FieldName::Impact),
            ("urgency", FieldName::Urgency),
        ];
    }
}

/// A sentence with values: its literal pieces, with a value between each two.
struct Template {
    /// The text before the first value, between the values and after the last.
    pieces: Vec<&'static str>,
    /// The placeholder number of each value, in order of appearance.
    slots: Vec<usize>,
    /// The sentence.
    msg: AppText,
}

impl Template {
    fn new(msg: AppText) -> Option<Self> {
        let english = msg.in_language(Language::En);
        let mut pieces = Vec::new();
        let mut slots = Vec::new();
        let mut rest = english;
        let mut start = 0;
        while let Some(at) = rest[start..].find('{').map(|at| at + start) {
            let bytes = &rest.as_bytes()[at..];
            if bytes.len() >= 3 && bytes[1].is_ascii_digit() && bytes[2] == b'}' {
                pieces.push(&rest[..at]);
                slots.push(usize::from(bytes[1] - b'0'));
                rest = &rest[at + 3..];
                start = 0;
            } else {
                start = at + 1;
            }
        }
        pieces.push(rest);
        (!slots.is_empty()).then_some(Self { pieces, slots, msg })
    }

    /// How much literal text the template has: the more, the more specific.
    fn literal_len(&self) -> usize {
        self.pieces.iter().map(|p| p.len()).sum()
    }

    /// The values of `text` if it is this sentence, by placeholder number.
    fn values<'a>(&self, text: &'a str) -> Option<Vec<&'a str>> {
        let rest = text.strip_prefix(self.pieces[0])?;
        let mut found = Vec::with_capacity(self.slots.len());
        if !capture(&self.pieces[1..], rest, &mut found) {
            return None;
        }
        let mut values = vec![""; self.slots.iter().max().map_or(0, |m| m + 1)];
        for (slot, value) in self.slots.iter().zip(found) {
            values[*slot] = value;
        }
        Some(values)
    }
}

/// Matches `rest` as a value followed by `pieces[0]`, a value, `pieces[1]`… (the last piece
/// ends the text); each value is at least one character, the shortest that lets the rest
/// match.
fn capture<'a>(pieces: &[&str], rest: &'a str, found: &mut Vec<&'a str>) -> bool {
    let Some((piece, more)) = pieces.split_first() else {
        return rest.is_empty();
    };
    if more.is_empty() {
        return match rest.strip_suffix(piece) {
            Some(value) if !value.is_empty() => {
                found.push(value);
                true
            }
            _ => false,
        };
    }
    let mut from = rest.chars().next().map_or(usize::MAX, char::len_utf8);
    while from <= rest.len() {
        let Some(at) = rest[from..].find(piece).map(|at| at + from) else {
            return false;
        };
        found.push(&rest[..at]);
        if capture(more, &rest[at + piece.len()..], found) {
            return true;
        }
        found.pop();
        from = at + rest[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// The table, indexed.
struct Index {
    /// Sentences without values, by their English.
    exact: HashMap<&'static str, AppText>,
    /// Sentences with values, the most specific first.
    templates: Vec<Template>,
    /// The words put into sentences, by their English.
    values: HashMap<&'static str, ValueWord>,
    /// The field names, by the field.
    fields: HashMap<&'static str, FieldName>,
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut exact = HashMap::new();
    let mut templates = Vec::new();
    for &msg in AppText::ALL {
        match Template::new(msg) {
            Some(template) => templates.push(template),
            None => {
                exact.insert(msg.in_language(Language::En), msg);
            }
        }
    }
    templates.sort_by_key(|t| std::cmp::Reverse(t.literal_len()));
    Index {
        exact,
        templates,
        values: ValueWord::ALL
            .iter()
            .map(|&w| (w.in_language(Language::En), w))
            .collect(),
        fields: FieldName::ALL.iter().copied().collect(),
    }
});

/// `english`, a message of the application layer, in the reader's language.
pub fn text(english: &str) -> Cow<'_, str> {
    let language = super::lang();
    if language == Language::En {
        return Cow::Borrowed(english);
    }
    match translate(english, language) {
        Some(said) => Cow::Owned(said),
        None => Cow::Borrowed(english),
    }
}

/// `text` in `language`, if the table knows it: as the app wrote it, or with a capital first
/// letter and/or a full stop added (which the translation then gets too).
fn translate(text: &str, language: Language) -> Option<String> {
    let stopped = text.strip_suffix('.');
    let lowered = lower_first(text);
    let lowered_stopped = stopped.and_then(lower_first);
    let tries = [
        (Some(Cow::Borrowed(text)), false, false),
        (stopped.map(Cow::Borrowed), false, true),
        (lowered.map(Cow::Owned), true, false),
        (lowered_stopped.map(Cow::Owned), true, true),
    ];
    for (candidate, capital, stop) in tries {
        let Some(candidate) = candidate else { continue };
        if let Some(said) = lookup(&candidate, language) {
            let mut said = if capital { upper_first(&said) } else { said };
            if stop && !said.ends_with(['.', '!', '?']) {
                said.push('.');
            }
            return Some(said);
        }
    }
    None
}

/// `text` with a lower-case first letter, if it starts with a capital.
fn lower_first(text: &str) -> Option<String> {
    let mut chars = text.chars();
    let first = chars.next().filter(|c| c.is_uppercase())?;
    Some(first.to_lowercase().chain(chars).collect())
}

/// `text` with a capital first letter.
fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The sentence `text` exactly as the table has it, in `language`.
fn lookup(text: &str, language: Language) -> Option<String> {
    let index = &*INDEX;
    if let Some(msg) = index.exact.get(text) {
        return Some(msg.in_language(language).to_owned());
    }
    index.templates.iter().find_map(|template| {
        let values = template.values(text)?;
        let values: Vec<Cow<'_, str>> = values.into_iter().map(|v| value(v, language)).collect();
        let args: Vec<&dyn std::fmt::Display> =
            values.iter().map(|v| v as &dyn std::fmt::Display).collect();
        Some(super::fill(template.msg.in_language(language), &args))
    })
}

/// A value of a sentence in `language`: a word of [`ValueWord`], or a list of them, said in
/// that language; anything else (a name, a number, an id) as it is.
fn value(value: &str, language: Language) -> Cow<'_, str> {
    let values = &INDEX.values;
    if let Some(word) = values.get(value) {
        return Cow::Borrowed(word.in_language(language));
    }
    if value.contains(", ") && value.split(", ").all(|part| values.contains_key(part)) {
        let parts: Vec<&str> = value
            .split(", ")
            .map(|part| values[part].in_language(language))
            .collect();
        return Cow::Owned(parts.join(", "));
    }
    Cow::Borrowed(value)
}

/// The name of a form or API field (`title`, `email`, `impact`…) as the reader says it.
pub fn field(name: &str) -> Cow<'_, str> {
    let language = super::lang();
    match INDEX.fields.get(name) {
        Some(field) if language != Language::En => Cow::Borrowed(field.in_language(language)),
        _ => Cow::Owned(name.replace('_', " ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Reader, with_reader};

    /// A token of Rust source, as far as finding the app's messages needs.
    #[derive(Clone, Debug, PartialEq, Eq)]
    enum Tok {
        /// A string literal, unescaped.
        Str(String),
        /// An identifier, keyword or number.
        Id(String),
        /// Any other character.
        P(char),
    }

    fn id(token: &Tok, name: &str) -> bool {
        matches!(token, Tok::Id(s) if s == name)
    }

    /// The tokens of `source`, comments left out.
    fn tokenize(source: &str) -> Vec<Tok> {
        let c: Vec<char> = source.chars().collect();
        let at = |i: usize| c.get(i).copied().unwrap_or('\0');
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < c.len() {
            let ch = c[i];
            if ch.is_whitespace() {
                i += 1;
            } else if ch == '/' && at(i + 1) == '/' {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            } else if ch == '/' && at(i + 1) == '*' {
                i += 2;
                while i < c.len() && !(c[i] == '*' && at(i + 1) == '/') {
                    i += 1;
                }
                i += 2;
            } else if let Some(start) = raw_string_start(&c, i) {
                let hashes = start - i - 2 - usize::from(ch == 'b');
                let mut end = start;
                while !(c[end] == '"' && (1..=hashes).all(|h| at(end + h) == '#')) {
                    end += 1;
                }
                tokens.push(Tok::Str(c[start..end].iter().collect()));
                i = end + 1 + hashes;
            } else if ch == '"' || (ch == 'b' && at(i + 1) == '"') {
                i += if ch == 'b' { 2 } else { 1 };
                let mut text = String::new();
                while c[i] != '"' {
                    if c[i] == '\\' {
                        let escaped = c[i + 1];
                        i += 2;
                        match escaped {
                            '\n' => {
                                while c[i].is_whitespace() {
                                    i += 1;
                                }
                            }
                            'n' => text.push('\n'),
                            't' => text.push('\t'),
                            'r' => text.push('\r'),
                            '0' => text.push('\0'),
                            'u' => {
                                let end = i + c[i..].iter().position(|&x| x == '}').unwrap();
                                let hex: String = c[i + 1..end].iter().collect();
                                text.extend(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()));
                                i = end + 1;
                            }
                            'x' => {
                                let hex: String = c[i..i + 2].iter().collect();
                                text.push(char::from(u8::from_str_radix(&hex, 16).unwrap()));
                                i += 2;
                            }
                            other => text.push(other),
                        }
                    } else {
                        text.push(c[i]);
                        i += 1;
                    }
                }
                tokens.push(Tok::Str(text));
                i += 1;
            } else if ch == '\'' {
                // A character literal, or the tick of a lifetime.
                if at(i + 1) == '\\' {
                    i += 2 + c[i + 2..].iter().position(|&x| x == '\'').unwrap() + 1;
                } else if at(i + 2) == '\'' {
                    i += 3;
                } else {
                    i += 1;
                }
            } else if ch.is_alphanumeric() || ch == '_' {
                let start = i;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
                tokens.push(Tok::Id(c[start..i].iter().collect()));
            } else {
                tokens.push(Tok::P(ch));
                i += 1;
            }
        }
        tokens
    }

    /// Where the text of a raw string starting at `i` begins (`r"`, `r#"`, `br"`…).
    fn raw_string_start(c: &[char], i: usize) -> Option<usize> {
        let mut j = i;
        if c.get(j) == Some(&'b') {
            j += 1;
        }
        if c.get(j) != Some(&'r') || (i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_')) {
            return None;
        }
        j += 1;
        while c.get(j) == Some(&'#') {
            j += 1;
        }
        (c.get(j) == Some(&'"')).then_some(j + 1)
    }

    /// The index of the bracket closing the one at `open`.
    fn close(tokens: &[Tok], open: usize) -> usize {
        let mut depth = 0;
        for (j, token) in tokens.iter().enumerate().skip(open) {
            match token {
                Tok::P('(' | '[' | '{') => depth += 1,
                Tok::P(')' | ']' | '}') => {
                    depth -= 1;
                    if depth == 0 {
                        return j;
                    }
                }
                _ => {}
            }
        }
        tokens.len()
    }

    /// The end of the expression starting at `start`: the next `,` or closing bracket at its
    /// own depth.
    fn expression_end(tokens: &[Tok], start: usize) -> usize {
        let mut depth = 0;
        for (j, token) in tokens.iter().enumerate().skip(start) {
            match token {
                Tok::P('(' | '[' | '{') => depth += 1,
                Tok::P(')' | ']' | '}') if depth == 0 => return j,
                Tok::P(')' | ']' | '}') => depth -= 1,
                Tok::P(',') if depth == 0 => return j,
                _ => {}
            }
        }
        tokens.len()
    }

    /// A format string as an entry's English: each `{…}` becomes `{0}`, `{1}`… in order.
    fn template(format: &str) -> String {
        let mut out = String::new();
        let mut next = 0;
        let mut rest = format;
        while let Some(ch) = rest.chars().next() {
            if let Some(tail) = rest.strip_prefix("{{") {
                out.push('{');
                rest = tail;
            } else if let Some(tail) = rest.strip_prefix("}}") {
                out.push('}');
                rest = tail;
            } else if ch == '{' {
                let end = rest.find('}').unwrap();
                out.push_str(&format!("{{{next}}}"));
                next += 1;
                rest = &rest[end + 1..];
            } else {
                out.push(ch);
                rest = &rest[ch.len_utf8()..];
            }
        }
        out
    }

    /// The messages an expression (`tokens[start..end]`) can be: its string literals and
    /// `format!` strings (as templates), leaving out the arguments of calls.
    fn messages(tokens: &[Tok], start: usize, end: usize) -> Vec<String> {
        let mut found = Vec::new();
        let mut j = start;
        while j < end {
            match &tokens[j] {
                Tok::Id(name) if name == "format" && tokens[j + 1] == Tok::P('!') => {
                    if let Tok::Str(format) = &tokens[j + 3] {
                        found.push(template(format));
                    }
                    j = close(tokens, j + 2) + 1;
                }
                Tok::Str(text) => {
                    found.push(text.clone());
                    j += 1;
                }
                Tok::P('(') if matches!(&tokens[j - 1], Tok::Id(f) if !["Some", "Ok", "Err"].contains(&f.as_str())) =>
                {
                    j = close(tokens, j) + 1;
                }
                _ => j += 1,
            }
        }
        found
    }

    /// The constructors whose argument is a sentence for people: the app's errors, and the
    /// domain's refusals that become them.
    const SENTENCES: &[&str] = &[
        "Forbidden",
        "Conflict",
        "Duplicate",
        "ReauthenticationRequired",
        "TokenScope",
        "Denied",
        "OutOfScope",
        "denied",
        "unusable",
    ];

    /// The messages of one source file, and the fields its validation errors name.
    fn scan(source: &str) -> (Vec<String>, Vec<String>) {
        let tokens = tokenize(source);
        let mut found = Vec::new();
        let mut fields = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            let Tok::Id(name) = token else { continue };
            let next = tokens.get(i + 1);
            if name == "ValidationError"
                && tokens.get(i + 1..i + 5)
                    == Some(&[Tok::P(':'), Tok::P(':'), Tok::Id("new".into()), Tok::P('(')])
            {
                let open = i + 4;
                if let Tok::Str(field) = &tokens[open + 1] {
                    fields.push(field.clone());
                }
                let first_end = expression_end(&tokens, open + 1);
                if tokens[first_end] == Tok::P(',') {
                    let end = expression_end(&tokens, first_end + 1);
                    found.extend(messages(&tokens, first_end + 1, end));
                }
            } else if SENTENCES.contains(&name.as_str()) && next == Some(&Tok::P('(')) {
                let end = close(&tokens, i + 1);
                found.extend(messages(&tokens, i + 2, end));
            } else if name == "error"
                && i > 0
                && tokens[i - 1] == Tok::P('[')
                && next == Some(&Tok::P('('))
            {
                if let Some(Tok::Str(format)) = tokens.get(i + 2) {
                    found.push(template(format));
                }
            } else if (name == "RateLimited" || name == "Missing") && next == Some(&Tok::P('{')) {
                let end = close(&tokens, i + 1);
                for j in i + 2..end {
                    if id(&tokens[j], "message") && tokens[j + 1] == Tok::P(':') {
                        let field_end = expression_end(&tokens, j + 2);
                        found.extend(messages(&tokens, j + 2, field_end));
                    }
                    if id(&tokens[j], "field") && tokens[j + 1] == Tok::P(':') {
                        if let Tok::Str(field) = &tokens[j + 2] {
                            fields.push(field.clone());
                        }
                    }
                }
            }
        }
        // Not sentences: pure placeholders such as "{0}" or "{0}: {1}".
        found.retain(|m| {
            let mut letters = m.clone();
            for n in 0..10 {
                letters = letters.replace(&format!("{{{n}}}"), "");
            }
            letters.chars().any(char::is_alphabetic)
        });
        (found, fields)
    }

    fn rust_files(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }

    /// Every message of the application and domain crates, with the file it is in, and the
    /// fields their validation errors name.
    fn app_messages() -> (Vec<(String, String)>, Vec<String>) {
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["spoc-app/src", "spoc-domain/src"] {
            rust_files(&crates.join(dir), &mut files);
        }
        files.sort();
        let mut messages = Vec::new();
        let mut fields = Vec::new();
        for file in files {
            let source = std::fs::read_to_string(&file).unwrap();
            let (found, named) = scan(&source);
            let place = file
                .strip_prefix(&crates)
                .unwrap_or(&file)
                .display()
                .to_string();
            messages.extend(found.into_iter().map(|m| (m, place.clone())));
            fields.extend(named);
        }
        (messages, fields)
    }

    #[test]
    fn the_scanner_finds_messages_as_the_app_writes_them() {
        let source = r##"
            // ValidationError::new("x", "a comment is not a message")
            Err(ValidationError::new("title", "must not be empty"))
            ValidationError::new(field, format!("there is no {what} {id:?}, {{sic}}"))
            AppError::Forbidden("only \"agents\" \
                 can")
            #[error("a {} b {name}", x.y())]
            RateLimited { retry_after_secs, message: match w { A => format!("you {n}"), B => "me".to_owned() } }
            AppError::Duplicate(_) => x('a', '\'', r#"raw"#)
        "##;
        let (found, fields) = scan(source);
        assert_eq!(
            found,
            [
                "must not be empty",
                "there is no {0} {1}, {sic}",
                "only \"agents\" can",
                "a {0} b {1}",
                "you {0}",
                "me",
            ]
        );
        assert_eq!(fields, ["title"]);
    }

    #[test]
    fn every_message_of_the_app_is_in_the_table() {
        let (messages, fields) = app_messages();
        let distinct: std::collections::HashSet<&str> =
            messages.iter().map(|(m, _)| m.as_str()).collect();
        eprintln!(
            "{} app messages found ({} distinct); AppText has {} entries",
            messages.len(),
            distinct.len(),
            AppText::ALL.len()
        );
        assert!(
            distinct.len() > 240,
            "only {} messages found",
            distinct.len()
        );
        assert!(
            messages.len() > 200,
            "only {} messages found",
            messages.len()
        );
        let known: std::collections::HashSet<&str> = AppText::ALL
            .iter()
            .map(|m| m.in_language(Language::En))
            .collect();
        let mut missing: Vec<String> = messages
            .iter()
            .filter(|(m, _)| !known.contains(m.as_str()))
            .map(|(m, file)| format!("{m:?} ({file})"))
            .collect();
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "{} app messages are not in AppText:\n{}",
            missing.len(),
            missing.join("\n")
        );
        let mut unnamed: Vec<&String> = fields
            .iter()
            .filter(|f| !INDEX.fields.contains_key(f.as_str()))
            .collect();
        unnamed.sort();
        unnamed.dedup();
        assert!(
            unnamed.is_empty(),
            "fields without a FieldName: {unnamed:?}"
        );
    }

    #[test]
    fn every_template_matches_its_own_english_and_names_are_spaced() {
        assert_eq!(
            INDEX.exact.len() + INDEX.templates.len(),
            AppText::ALL.len(),
            "two entries of AppText have the same English"
        );
        assert_eq!(INDEX.values.len(), ValueWord::ALL.len());
        assert_eq!(INDEX.fields.len(), FieldName::ALL.len());
        for template in &INDEX.templates {
            let english = template.msg.in_language(Language::En);
            assert!(template.values(english).is_some(), "{english}");
        }
        for (name, field) in FieldName::ALL {
            assert_eq!(field.in_language(Language::En), name.replace('_', " "));
        }
    }

    async fn german<T>(f: impl FnOnce() -> T) -> T {
        let reader = Reader {
            language: Language::De,
            ..Reader::default()
        };
        with_reader(reader, async { f() }).await
    }

    #[tokio::test]
    async fn a_german_reader_reads_the_apps_sentences_in_german() {
        let said = german(|| {
            [
                text("must not be empty").into_owned(),
                text("Must not be empty.").into_owned(),
                text("there is no group Network").into_owned(),
                text("a group named Second line already exists").into_owned(),
                text("you have logged 5 tickets within 60 minutes, the most this desk allows; try again later")
                    .into_owned(),
                text("a ticket that is in progress cannot be closed; allowed now: pend, resolve, escalate")
                    .into_owned(),
                text("a ticket that is closed cannot be reopened; it is finished and allows no further actions")
                    .into_owned(),
                text("message 42 is not waiting for anyone: it was dealt with already").into_owned(),
                text("This link was used already.").into_owned(),
                text("something the table does not know").into_owned(),
                field("requester_id").into_owned(),
                field("no_such_field").into_owned(),
            ]
        })
        .await;
        assert_eq!(
            said,
            [
                "darf nicht leer sein",
                "Darf nicht leer sein.",
                "es gibt keine Gruppe Network",
                "eine Gruppe namens Second line existiert bereits",
                "Sie haben 5 Tickets innerhalb von 60 Minuten erfasst, mehr erlaubt dieser Service \
                 Desk nicht; versuchen Sie es später erneut",
                "ein Ticket im Status „In Bearbeitung“ kann nicht geschlossen werden; jetzt möglich: \
                 auf wartend setzen, lösen, eskalieren",
                "ein Ticket im Status „Geschlossen“ kann nicht wieder geöffnet werden; es ist \
                 abgeschlossen und erlaubt keine weiteren Aktionen",
                "Nachricht 42 wartet auf niemanden mehr (Stand: bereits erledigt)",
                "Dieser Link wurde bereits verwendet.",
                "something the table does not know",
                "Anfragende Person",
                "no such field",
            ]
        );
        let page = german(|| crate::session::sentence("there is no user 7")).await;
        assert_eq!(page, "Es gibt keine Person 7.");
    }

    #[tokio::test]
    async fn english_passes_through_unchanged() {
        for message in [
            "must not be empty",
            "there is no group Network",
            "Enter the relay's host name, such as smtp.example.com.",
            "something the table does not know",
        ] {
            assert!(matches!(text(message), Cow::Borrowed(m) if m == message));
        }
        assert_eq!(field("requester_id"), "requester id");
        let english = Reader::default();
        let said = with_reader(english, async { text("there is no user 7").into_owned() }).await;
        assert_eq!(said, "there is no user 7");
    }
}
