//! The frame (header, navigation, footer), signing in, a forgotten password, the account
//! settings and tokens pages, and the admin's first-run checklist.

use super::catalogue;

catalogue! {
    /// A message of the frame and the account pages.
    Msg {
    // The frame.
    SkipToContent => "Skip to content", "Zum Inhalt springen";
    Footer => "Spoc · the single point of contact", "Spoc · die zentrale Anlaufstelle";
    MainNavigation => "Main", "Hauptnavigation";
    NavNeedsYou => "Needs you", "Für Sie";
    NavQueues => "Queues", "Warteschlangen";
    NavLogCall => "Log a call", "Anruf erfassen";
    NavKnowledge => "Knowledge", "Wissen";
    NavSops => "SOPs", "SOPs";
    NavReports => "Reports", "Berichte";
    NavPortal => "Portal", "Portal";
    NavAdmin => "Admin", "Verwaltung";
    NavMail => "Mail", "E-Mail";
    NavMyTickets => "My tickets", "Meine Anfragen";
    NavGetHelp => "Get help", "Hilfe anfordern";
    NavHelpArticles => "Help articles", "Hilfeartikel";
    SearchStaffLabel => "Search tickets, people, organisations and articles", "Tickets, Personen, Organisationen und Artikel durchsuchen";
    SearchStaffPlaceholder => "Search, or INC-000042", "Suchen oder INC-000042";
    SearchCustomerLabel => "Search your requests and help articles", "Ihre Anfragen und Hilfeartikel durchsuchen";
    SearchCustomerPlaceholder => "Search", "Suchen";
    Notifications => "Notifications", "Benachrichtigungen";
    UnreadPrefix => ", unread: ", ", ungelesen: ";
    Settings => "Settings", "Einstellungen";
    SignInAndTokens => "Sign-in and tokens", "Anmeldung und Tokens";
    SignOut => "Sign out", "Abmelden";
    RoleAgent => "agent", "Agent";
    RoleLead => "lead", "Leitung";
    RoleAdmin => "admin", "Admin";
    // Signing in.
    SignIn => "Sign in", "Anmelden";
    Email => "E-mail", "E-Mail";
    Password => "Password", "Passwort";
    ForgotPassword => "Forgot your password?", "Passwort vergessen?";
    BackToSignIn => "Back to sign-in", "Zurück zur Anmeldung";
    PlainHttpWarning => "This desk is served over plain HTTP. Browsers keep the sign-in only over HTTPS: put Spoc behind an HTTPS reverse proxy.",
        "Dieser Service Desk wird über unverschlüsseltes HTTP ausgeliefert. Browser behalten die Anmeldung nur über HTTPS: Stellen Sie Spoc hinter einen HTTPS-Reverse-Proxy.";
    FormExpired => "This form had expired; check and send it again.", "Dieses Formular war abgelaufen; prüfen Sie es und senden Sie es erneut.";
    WrongCredentials => "That e-mail address and password do not match an active account. Check both and try again.",
        "Diese E-Mail-Adresse und dieses Passwort gehören zu keinem aktiven Konto. Prüfen Sie beides und versuchen Sie es erneut.";
    TooManySignInsOne => "Too many failed sign-in attempts. For your account's safety, try again in {0} minute.", "Zu viele fehlgeschlagene Anmeldeversuche. Zum Schutz Ihres Kontos versuchen Sie es in {0} Minute erneut.";
    TooManySignInsOther => "Too many failed sign-in attempts. For your account's safety, try again in {0} minutes.", "Zu viele fehlgeschlagene Anmeldeversuche. Zum Schutz Ihres Kontos versuchen Sie es in {0} Minuten erneut.";
    InfoPasswordReset => "Your new password is set and you were signed out everywhere. Sign in with it.", "Ihr neues Passwort ist gesetzt, und Sie wurden überall abgemeldet. Melden Sie sich damit an.";
    InfoPasswordChanged => "Your password was changed and you were signed out everywhere. Sign in with the new one.", "Ihr Passwort wurde geändert, und Sie wurden überall abgemeldet. Melden Sie sich mit dem neuen an.";
    InfoSignedOutEverywhere => "You are signed out on every browser and device.", "Sie sind auf allen Browsern und Geräten abgemeldet.";
    InfoSignedOut => "You are signed out.", "Sie sind abgemeldet.";
    InfoExpired => "Your session has ended. Sign in again to continue.", "Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an, um fortzufahren.";
    // A forgotten password.
    ForgotIntro => "Enter the e-mail address of your account. We will send you a link to choose a new password.", "Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir senden Ihnen einen Link, mit dem Sie ein neues Passwort wählen.";
    SendLink => "Send me a link", "Link senden";
    MailOffNoReset => "This desk does not send e-mail, so it cannot mail you a link. Ask your service desk to set a new password for you.", "Dieser Service Desk versendet keine E-Mails und kann Ihnen daher keinen Link schicken. Bitten Sie Ihren Service Desk, Ihnen ein neues Passwort zu setzen.";
    EnterAccountEmail => "Enter the e-mail address of your account, like name@example.com.", "Geben Sie die E-Mail-Adresse Ihres Kontos ein, etwa name@example.com.";
    TooManyResetsOne => "Too many requests for a new password. Try again in {0} minute.", "Zu viele Anfragen nach einem neuen Passwort. Versuchen Sie es in {0} Minute erneut.";
    TooManyResetsOther => "Too many requests for a new password. Try again in {0} minutes.", "Zu viele Anfragen nach einem neuen Passwort. Versuchen Sie es in {0} Minuten erneut.";
    CheckEmail => "Check your e-mail", "Prüfen Sie Ihre E-Mails";
    ResetSentPrefix => "If an account uses ", "Falls ein Konto ";
    ResetSentMiddle => ", we have sent it a link to choose a new password. The link works once, for ", " verwendet, haben wir ihm einen Link für ein neues Passwort gesendet. Der Link funktioniert einmal, ";
    ResetSentSuffix => " minutes.", " Minuten lang.";
    NoMailYet => "No e-mail after a few minutes? Check the spam folder, or ask for a new link.", "Nach ein paar Minuten keine E-Mail? Sehen Sie im Spam-Ordner nach oder fordern Sie einen neuen Link an.";
    LinkGoneTitle => "This link no longer works", "Dieser Link funktioniert nicht mehr";
    LinkGone => "This link to choose a new password was already used or has expired. Links work once, for 30 minutes.", "Dieser Link für ein neues Passwort wurde bereits verwendet oder ist abgelaufen. Links funktionieren einmal, 30 Minuten lang.";
    AskNewLink => "Ask for a new link", "Neuen Link anfordern";
    ChooseNewPassword => "Choose a new password", "Neues Passwort wählen";
    NewPassword => "New password", "Neues Passwort";
    NewPasswordHint => "10 to 1,000 characters. Setting it signs you out everywhere.", "10 bis 1.000 Zeichen. Damit werden Sie überall abgemeldet.";
    NewPasswordAgain => "New password again", "Neues Passwort wiederholen";
    SetNewPassword => "Set the new password", "Neues Passwort setzen";
    PasswordsDiffer => "The two passwords differ. Type the same new password in both fields.", "Die beiden Passwörter unterscheiden sich. Geben Sie in beide Felder dasselbe neue Passwort ein.";
    PasswordLength => "The new password must be 10 to 1,000 characters.", "Das neue Passwort muss 10 bis 1.000 Zeichen lang sein.";
    ResetFormExpired => "This form had expired; type the new password again and send it.", "Dieses Formular war abgelaufen; geben Sie das neue Passwort erneut ein und senden Sie es.";
    // The settings page.
    SettingsTitle => "Your settings", "Ihre Einstellungen";
    SettingsIntro => "How the desk shows you times and pages, and which e-mails it sends you.", "Wie der Service Desk Ihnen Zeiten und Seiten zeigt und welche E-Mails er Ihnen sendet.";
    ZoneAndLanguage => "Time zone and language", "Zeitzone und Sprache";
    TimeZone => "Time zone", "Zeitzone";
    ServerZonePrefix => "The server's time zone: ", "Zeitzone des Servers: ";
    TimeZoneHint => "Times on every page are shown in this zone, with its abbreviation.", "Zeiten werden auf allen Seiten in dieser Zone angezeigt, mit ihrem Kürzel.";
    Language => "Language", "Sprache";
    SaveSettings => "Save settings", "Einstellungen speichern";
    SettingsSaved => "Your time zone and language were saved.", "Ihre Zeitzone und Sprache wurden gespeichert.";
    UnknownZone => "Choose a time zone from the list, such as Europe/Berlin.", "Wählen Sie eine Zeitzone aus der Liste, etwa Europe/Berlin.";
    EmailNotifications => "E-mail notifications", "E-Mail-Benachrichtigungen";
    EmailNotificationsIntro => "Choose which e-mails Spoc sends you. Everything also stays visible on the ticket itself.", "Wählen Sie, welche E-Mails Spoc Ihnen sendet. Alles bleibt auch am Ticket selbst sichtbar.";
    MailOffNotice => "E-mail is off on this desk: it sends no e-mail at all, so these choices take effect only once an admin turns mail on. Everything stays visible on the ticket.", "E-Mail ist auf diesem Service Desk ausgeschaltet: Er versendet gar keine E-Mails, diese Auswahl wirkt also erst, wenn eine Administratorin oder ein Administrator E-Mail einschaltet. Alles bleibt am Ticket sichtbar.";
    // The sign-in and tokens page.
    SecTitle => "Sign-in and API tokens", "Anmeldung und API-Tokens";
    SecRevoked => "The token was revoked. It no longer works.", "Das Token wurde widerrufen. Es funktioniert nicht mehr.";
    SecEverything => "Everything you can use", "Alles, was Sie nutzen dürfen";
    SecTicketsOnly => "Tickets only", "Nur Tickets";
    SecKnowledgeOnly => "Knowledge articles only", "Nur Wissensartikel";
    SecSopsOnly => "SOPs only", "Nur SOPs";
    SecAdminOnly => "The desk's setup only", "Nur die Einrichtung des Service Desks";
    SecIntro => "Your password, and the tokens programs use to reach Spoc's API as you.", "Ihr Passwort und die Tokens, mit denen Programme in Ihrem Namen die API von Spoc nutzen.";
    SecNewToken => "Your new token", "Ihr neues Token";
    SecTokens => "API tokens", "API-Tokens";
    SecNoTokens => "You have no API tokens.", "Sie haben keine API-Tokens.";
    SecName => "Name", "Name";
    SecCreated => "Created", "Erstellt";
    SecExpires => "Expires", "Läuft ab";
    SecScope => "Scope", "Umfang";
    SecMadeFrom => "Made from", "Erstellt über";
    SecLastUsed => "Last used", "Zuletzt benutzt";
    SecState => "State", "Zustand";
    SecActions => "Actions", "Aktionen";
    SecBrowser => "the browser", "den Browser";
    SecCommandLine => "the command line", "die Kommandozeile";
    SecNever => "never", "nie";
    SecRevokedAt => "revoked ", "widerrufen ";
    SecExpired => "expired", "abgelaufen";
    SecActive => "active", "aktiv";
    SecRevoke => "Revoke", "Widerrufen";
    SecCreateToken => "Create a token", "Token erstellen";
    SecLabelHint => "What the token is for, e.g. the script that uses it.", "Wofür das Token ist, z. B. das Skript, das es nutzt.";
    SecExpiresAfter => "Expires after (days)", "Läuft ab nach (Tagen)";
    SecExpiresHint => "1 to 3650. Leave empty for a token that works until you revoke it.", "1 bis 3650. Leer lassen für ein Token, das gilt, bis Sie es widerrufen.";
    SecMayUse => "May use", "Darf nutzen";
    SecReadOnly => "Read-only (it cannot change anything)", "Nur lesen (es kann nichts ändern)";
    SecYourCurrentPassword => "Your current password", "Ihr aktuelles Passwort";
    SecNotNeeded => "Not needed if you signed in during the last 10 minutes.", "Nicht nötig, wenn Sie sich in den letzten 10 Minuten angemeldet haben.";
    SecCreateTokenButton => "Create token", "Token erstellen";
    SecSignOutEverywhere => "Sign out everywhere", "Überall abmelden";
    SecSignOutText => "Ends every sign-in of yours, on every browser and device, this one included.", "Beendet jede Ihrer Anmeldungen, auf allen Browsern und Geräten, auch diese.";
    SecAlsoRevoke => "Also revoke the API tokens created from the browser", "Auch die im Browser erstellten API-Tokens widerrufen";
    SecCliKeep => "Tokens created on the command line keep working.", "Auf der Kommandozeile erstellte Tokens funktionieren weiter.";
    SecChangePassword => "Change your password", "Passwort ändern";
    SecCurrentPassword => "Current password", "Aktuelles Passwort";
    SecNewPasswordHint => "10 to 1,000 characters. Changing it signs you out everywhere.", "10 bis 1.000 Zeichen. Eine Änderung meldet Sie überall ab.";
    SecChangePasswordButton => "Change password", "Passwort ändern";
    // The first-run checklist.
    SetUpDesk => "Set up your desk", "Richten Sie Ihren Service Desk ein";
    StepsDoneMiddle => " of ", " von ";
    StepsDoneSuffix => " steps done.", " Schritten erledigt.";
    Done => "(done)", "(erledigt)";
    ToDo => "(to do)", "(offen)";
    StepPassword => "Replace the generated password", "Das erzeugte Passwort ersetzen";
    StepPasswordText => "The password printed at first start is still in use. Choose your own.", "Das beim ersten Start ausgegebene Passwort ist noch in Gebrauch. Wählen Sie ein eigenes.";
    StepMail => "Set up outgoing mail and send a test message", "Ausgehende E-Mail einrichten und eine Testnachricht senden";
    StepMailText => "Set the relay and From address under Outgoing mail (or start Spoc with --mail-from and --smtp-url), then send a test message; it is ticked once the relay accepted it.", "Legen Sie Relay und Absenderadresse unter Ausgehende E-Mail fest (oder starten Sie Spoc mit --mail-from und --smtp-url) und senden Sie dann eine Testnachricht; der Schritt ist erledigt, sobald das Relay sie angenommen hat.";
    StepGroups => "Add groups and categories", "Gruppen und Kategorien anlegen";
    StepGroupsText => "The resolver groups beyond the first-line Service Desk, and the categories people choose from.", "Die Bearbeitergruppen neben dem First-Level-Service-Desk und die Kategorien, aus denen gewählt wird.";
    StepSops => "Link the shipped SOPs", "Die mitgelieferten SOPs verknüpfen";
    StepSopsText => "The shipped procedures attach to categories of the names they expect; create those categories and review the SOPs.", "Die mitgelieferten Verfahren hängen sich an Kategorien der erwarteten Namen; legen Sie diese Kategorien an und prüfen Sie die SOPs.";
    StepAgents => "Invite agents", "Agenten einladen";
    StepAgentsText => "Add the people who work tickets, as agents or leads.", "Legen Sie die Personen an, die Tickets bearbeiten, als Agenten oder Leitung.";
    AdminTitle => "Admin", "Verwaltung";
    AdminAllDone => "Your desk is set up. The sections on the left change it.", "Ihr Service Desk ist eingerichtet. Die Bereiche links ändern ihn.";
    AdminNotDone => "A few steps make the desk ready for work. Each is ticked by itself once it is done.", "Wenige Schritte machen den Service Desk arbeitsbereit. Jeder wird von selbst abgehakt, sobald er erledigt ist.";
    GeneratedPasswordBanner => "You still sign in with the password generated at first start.", "Sie melden sich noch mit dem beim ersten Start erzeugten Passwort an.";
    ChooseOwnPassword => "Choose your own password", "Eigenes Passwort wählen";
    GeneratedPasswordPrompt => "You still sign in with the password the desk generated at first start. Choose your own below.", "Sie melden sich noch mit dem Passwort an, das beim ersten Start erzeugt wurde. Wählen Sie unten ein eigenes.";
    // Flash messages after a redirect (page.rs).
    FlashSaved => "Saved.", "Gespeichert.";
    FlashReplied => "Your reply was added.", "Ihre Antwort wurde hinzugefügt.";
    FlashNoted => "Internal note added.", "Interne Notiz hinzugefügt.";
    FlashDeleted => "Deleted.", "Gelöscht.";
    FlashRepliedResolved => "Your reply was added and the ticket is resolved. The requester will be asked to confirm.", "Ihre Antwort wurde hinzugefügt und das Ticket ist gelöst. Die anfragende Person wird um Bestätigung gebeten.";
    FlashAssigned => "Assigned.", "Zugewiesen.";
    FlashStarted => "Work started.", "Bearbeitung begonnen.";
    FlashPended => "The ticket is pending.", "Das Ticket wartet.";
    FlashResumed => "Work resumed.", "Bearbeitung fortgesetzt.";
    FlashEscalated => "Escalated.", "Eskaliert.";
    FlashResolved => "Resolved. The requester will be asked to confirm.", "Gelöst. Die anfragende Person wird um Bestätigung gebeten.";
    FlashClosed => "Closed.", "Geschlossen.";
    FlashReopened => "Reopened.", "Wieder geöffnet.";
    FlashCancelled => "Cancelled.", "Storniert.";
    FlashLinked => "Linked.", "Verknüpft.";
    FlashUnlinked => "The link was removed.", "Die Verknüpfung wurde entfernt.";
    FlashMerged => "The duplicate was merged into this ticket.", "Das Duplikat wurde mit diesem Ticket zusammengeführt.";
    FlashConfirmed => "Thank you — the ticket is closed.", "Danke — das Ticket ist geschlossen.";
    FlashCreated => "Created.", "Angelegt.";
    FlashReapplied => "The policy's targets were re-applied to its open tickets.", "Die Ziele der Richtlinie wurden erneut auf ihre offenen Tickets angewandt.";
    FlashCaller => "Caller registered. Check their open tickets, then log the call.", "Anrufende Person erfasst. Prüfen Sie ihre offenen Tickets und erfassen Sie dann den Anruf.";
    FlashPreferences => "Your notification choices were saved.", "Ihre Benachrichtigungsauswahl wurde gespeichert.";
    FlashMailbox => "The mailbox was saved.", "Das Postfach wurde gespeichert.";
    FlashAuthentication => "The trusted mail servers were saved.", "Die vertrauenswürdigen Mailserver wurden gespeichert.";
    FlashDomains => "The organisation's e-mail domains were saved.", "Die E-Mail-Domains der Organisation wurden gespeichert.";
    FlashRetried => "The message was processed again.", "Die Nachricht wurde erneut verarbeitet.";
    FlashPosted => "The message was processed again, as really coming from its sender.", "Die Nachricht wurde erneut verarbeitet, als wirklich von ihrem Absender stammend.";
    FlashTicketed => "The message was logged as a new ticket.", "Die Nachricht wurde als neues Ticket erfasst.";
    FlashAdded => "The message was added to the ticket as an internal note.", "Die Nachricht wurde dem Ticket als interne Notiz hinzugefügt.";
    FlashDismissed => "The message was dismissed. It stays in the log.", "Die Nachricht wurde verworfen. Sie bleibt im Protokoll.";
    FlashRequeued => "The message is queued to be sent again.", "Die Nachricht ist erneut zum Versand eingereiht.";
    FlashTestQueued => "The test message is queued. It shows under Sent once the relay accepted it.", "Die Testnachricht ist eingereiht. Sie erscheint unter Gesendet, sobald das Relay sie angenommen hat.";
    FlashSolved => "Glad the article solved it — no ticket was needed.", "Schön, dass der Artikel geholfen hat — es war kein Ticket nötig.";
    FlashThanks => "Thank you for the feedback.", "Danke für Ihre Rückmeldung.";
    FlashImported => "The shipped SOPs were imported as drafts; take each through review to make it effective.", "Die mitgelieferten SOPs wurden als Entwürfe importiert; führen Sie jede durch die Prüfung, damit sie in Kraft tritt.";
    FlashNothingNew => "Every shipped SOP is here already; nothing was imported.", "Jede mitgelieferte SOP ist bereits vorhanden; nichts wurde importiert.";
    FlashSubmitted => "Submitted for review.", "Zur Prüfung eingereicht.";
    FlashChecked => "Checked; it goes on to validation.", "Geprüft; weiter zur Validierung.";
    FlashValidated => "Validated; it goes on to approval.", "Validiert; weiter zur Freigabe.";
    FlashApproved => "Approved. This version is now in effect.", "Freigegeben. Diese Version ist jetzt in Kraft.";
    FlashPublished => "Published.", "Veröffentlicht.";
    FlashReturned => "Sent back to draft.", "Zurück in den Entwurf gesetzt.";
    FlashRetired => "Retired.", "Zurückgezogen.";
    FlashRestored => "The old version was restored as the latest draft.", "Die alte Version wurde als neuester Entwurf wiederhergestellt.";
    FlashReviewed => "The review was recorded.", "Die Überprüfung wurde erfasst.";
    // Error pages (session.rs, forms.rs).
    ErrCsrfTitle => "This form could not be accepted", "Dieses Formular konnte nicht angenommen werden";
    ErrCsrf => "The form was not sent from this sign-in session (its security token is missing or out of date). Go back, reload the page and try again.",
        "Das Formular wurde nicht aus dieser Anmeldesitzung gesendet (sein Sicherheitstoken fehlt oder ist veraltet). Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.";
    ErrNotFoundTitle => "Not found", "Nicht gefunden";
    ErrNotFound => "There is nothing here, or you do not have access to it.", "Hier ist nichts, oder Sie haben keinen Zugriff darauf.";
    ErrNotFoundThing => "This {0} does not exist, or you do not have access to it.", "{0} gibt es nicht, oder Sie haben keinen Zugriff darauf.";
    ErrReauthTitle => "Confirm it is you", "Bestätigen Sie, dass Sie es sind";
    ErrForbiddenTitle => "Not allowed", "Nicht erlaubt";
    ErrValidationTitle => "Please check your input", "Bitte prüfen Sie Ihre Eingabe";
    ErrNotNowTitle => "Not possible now", "Jetzt nicht möglich";
    ErrChangedTitle => "Changed by someone else", "Von jemand anderem geändert";
    ErrChanged => "Someone else changed this ticket while you were looking at it. Go back and reload the page to see their change.",
        "Jemand anderes hat dieses Ticket geändert, während Sie es angesehen haben. Gehen Sie zurück und laden Sie die Seite neu, um die Änderung zu sehen.";
    ErrDuplicateTitle => "Already exists", "Existiert bereits";
    ErrNotYetTitle => "Not possible yet", "Noch nicht möglich";
    ErrRateLimitedTitle => "Please wait a little", "Bitte warten Sie einen Moment";
    ErrTooManyTitle => "Too many attempts", "Zu viele Versuche";
    ErrUnavailableTitle => "Temporarily unavailable", "Vorübergehend nicht verfügbar";
    ErrStorageFull => "The server's storage is full, so nothing was saved. Go back, keep what you typed, and try again later; your administrator has been told.",
        "Der Speicher des Servers ist voll, daher wurde nichts gespeichert. Gehen Sie zurück, behalten Sie Ihre Eingabe und versuchen Sie es später erneut; Ihre Administration wurde informiert.";
    ErrDatabaseDown => "The database is not answering, so nothing was done. Go back and try again in a moment.",
        "Die Datenbank antwortet nicht, daher wurde nichts ausgeführt. Gehen Sie zurück und versuchen Sie es gleich noch einmal.";
    ErrInternalTitle => "Something went wrong", "Etwas ist schiefgegangen";
    ErrInternal => "An unexpected error occurred and was logged. Try again; if it keeps happening, tell your administrator the time it happened.",
        "Ein unerwarteter Fehler ist aufgetreten und wurde protokolliert. Versuchen Sie es erneut; wenn er wieder auftritt, nennen Sie Ihrer Administration die Uhrzeit.";
    ErrGoHome => "Go to your start page", "Zu Ihrer Startseite";
    ErrUnreadableFormTitle => "This form could not be read", "Dieses Formular konnte nicht gelesen werden";
    ErrUnreadableForm => "The form arrived incomplete or in an unexpected shape. Go back, reload the page and try again.",
        "Das Formular kam unvollständig oder in unerwarteter Form an. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.";
    // Comparing versions (document.rs).
    DiffUnchanged => "unchanged: ", "unverändert: ";
    DiffAdded => "added: ", "hinzugefügt: ";
    DiffRemoved => "removed: ", "entfernt: ";
    LogVersion => "version {0}", "Version {0}";
    DiffNoChanges => "No changes", "Keine Änderungen";
    DiffSame => "The two versions are the same.", "Die beiden Versionen sind gleich.";
    DiffTitle => "Changes from version {0} to {1}", "Änderungen von Version {0} zu {1}";
    DiffWhichTitle => "Which versions?", "Welche Versionen?";
    DiffWhich => "Choose two versions to compare, e.g. ?from=1&to=2.", "Wählen Sie zwei Versionen zum Vergleich, z. B. ?from=1&to=2.";
    // Notifications and notification choices.
    NotificationsIntro => "What the desk told you: escalations, service levels, SOPs that took effect and reviews to do.", "Was der Service Desk Ihnen mitgeteilt hat: Eskalationen, Service-Levels, in Kraft getretene SOPs und anstehende Prüfungen.";
    UnreadOnly => "Unread only", "Nur ungelesene";
    ShowReadToo => "Show read ones too", "Auch gelesene zeigen";
    NothingNew => "Nothing new", "Nichts Neues";
    ReadEverything => "You have read every notification.", "Sie haben alle Benachrichtigungen gelesen.";
    MarkRead => "Mark read", "Als gelesen markieren";
    TopicsMine => "About tickets you asked for", "Zu Tickets, die Sie angefragt haben";
    TopicsWork => "About your work on the desk", "Zu Ihrer Arbeit am Service Desk";
    SaveMyChoices => "Save my choices", "Auswahl speichern";
    // The tokens page's checks.
    SecDaysNumber => "Enter a number of days, or leave it empty.", "Geben Sie eine Anzahl von Tagen ein, oder lassen Sie das Feld leer.";
    SecChooseScope => "Choose what the token may use from the list.", "Wählen Sie aus der Liste, was das Token nutzen darf.";
    SecTooManyWrong => "Too many wrong passwords. Wait a few minutes, then try again.", "Zu viele falsche Passwörter. Warten Sie ein paar Minuten und versuchen Sie es dann erneut.";
    SecWrongCurrent => "That is not your current password. Type it again.", "Das ist nicht Ihr aktuelles Passwort. Geben Sie es erneut ein.";
    SecConfirmCurrent => "Enter your current password to confirm it is you: you signed in more than 10 minutes ago.", "Geben Sie Ihr aktuelles Passwort ein, um zu bestätigen, dass Sie es sind: Ihre Anmeldung liegt mehr als 10 Minuten zurück.";
    SecCopyNow => "Copy it now: Spoc shows it only this once. Send it as", "Kopieren Sie es jetzt: Spoc zeigt es nur dieses eine Mal. Senden Sie es als";
    // Where you are signed in (account/sessions.rs).
    SessTitle => "Where you are signed in", "Wo Sie angemeldet sind";
    SessIntro => "Every browser signed in as you. End any you do not recognise, or one left open on a shared computer.", "Jeder Browser, der mit Ihrem Konto angemeldet ist. Beenden Sie jede Sitzung, die Sie nicht kennen, oder eine, die auf einem fremden Rechner offen geblieben ist.";
    SessBrowser => "Browser", "Browser";
    SessSince => "Signed in", "Angemeldet";
    SessUntil => "Ends by itself", "Endet von selbst";
    SessUnknownBrowser => "A browser that did not say which", "Ein Browser, der sich nicht zu erkennen gab";
    SessThisBrowser => "This browser", "Dieser Browser";
    SessSignOutHere => "Sign out here", "Hier abmelden";
    SessEnd => "End this session", "Diese Sitzung beenden";
    SessEnded => "The session was ended. That browser has to sign in again.", "Die Sitzung wurde beendet. Dieser Browser muss sich neu anmelden.";
    // Two-factor sign-in (account/two_factor.rs).
    TfaTitle => "Two-factor sign-in", "Zwei-Faktor-Anmeldung";
    TfaIsOn => "Two-factor sign-in is on", "Die Zwei-Faktor-Anmeldung ist eingeschaltet";
    TfaIsOff => "Two-factor sign-in is off", "Die Zwei-Faktor-Anmeldung ist ausgeschaltet";
    TfaIntro => "With it, signing in asks for a code from an authenticator app on your phone as well as your password.", "Damit fragt die Anmeldung außer Ihrem Passwort nach einem Code aus einer Authenticator-App auf Ihrem Telefon.";
    TfaSetUp => "Set up an authenticator app", "Authenticator-App einrichten";
    TfaEnrolTitle => "Set up your authenticator app", "Richten Sie Ihre Authenticator-App ein";
    TfaRequiredIntro => "This desk requires two-factor sign-in for your role. Set up an authenticator app to continue.", "Dieser Service Desk verlangt für Ihre Rolle die Zwei-Faktor-Anmeldung. Richten Sie eine Authenticator-App ein, um fortzufahren.";
    TfaStepInstall => "Install an authenticator app on your phone, if you have none.", "Installieren Sie eine Authenticator-App auf Ihrem Telefon, falls Sie keine haben.";
    TfaStepSecret => "Add an account in it with this key:", "Legen Sie darin ein Konto mit diesem Schlüssel an:";
    TfaOpenInApp => "or open it in the app", "oder öffnen Sie ihn in der App";
    TfaStepConfirm => "Enter the six-digit code the app shows.", "Geben Sie den sechsstelligen Code ein, den die App zeigt.";
    TfaFirstCode => "Code from the app", "Code aus der App";
    TfaTurnOn => "Turn on", "Einschalten";
    TfaTurnOff => "Turn off two-factor sign-in", "Zwei-Faktor-Anmeldung ausschalten";
    TfaNewCodes => "Make new recovery codes", "Neue Wiederherstellungscodes erstellen";
    TfaCodesLeft => "Unused recovery codes:", "Unbenutzte Wiederherstellungscodes:";
    TfaProofHint => "Confirm it is you: a current code from your app, or your password.", "Bestätigen Sie, dass Sie es sind: ein aktueller Code aus Ihrer App oder Ihr Passwort.";
    TfaCodesOnce => "Your recovery codes. Keep them somewhere safe: each signs you in once if you lose your phone, and Spoc shows them only this once.", "Ihre Wiederherstellungscodes. Bewahren Sie sie sicher auf: Jeder meldet Sie einmal an, falls Sie Ihr Telefon verlieren, und Spoc zeigt sie nur dieses eine Mal.";
    TfaOnTitle => "Two-factor sign-in is on", "Die Zwei-Faktor-Anmeldung ist eingeschaltet";
    TfaContinue => "Continue", "Weiter";
    TfaCodeTitle => "Enter your code", "Geben Sie Ihren Code ein";
    TfaCodeIntro => "Your password was right. Now enter the code your authenticator app shows.", "Ihr Passwort war richtig. Geben Sie jetzt den Code ein, den Ihre Authenticator-App zeigt.";
    TfaCodeLabel => "Code", "Code";
    TfaUseRecovery => "No phone at hand? Use one of your recovery codes instead.", "Kein Telefon zur Hand? Verwenden Sie stattdessen einen Ihrer Wiederherstellungscodes.";
    TfaVerify => "Verify", "Bestätigen";
    TfaWrongCode => "That code is not right, or was used already. Enter the code your app shows now.", "Dieser Code stimmt nicht oder wurde schon verwendet. Geben Sie den Code ein, den Ihre App jetzt zeigt.";
    TfaTooMany => "Too many wrong codes. Wait a few minutes, then try again.", "Zu viele falsche Codes. Warten Sie ein paar Minuten und versuchen Sie es dann erneut.";
    TfaPolicyIntro => "People in the roles ticked must sign in with a code from an authenticator app as well as their password; those without an app set one up at their next sign-in, before anything else.", "Personen in den angekreuzten Rollen melden sich außer mit ihrem Passwort mit einem Code aus einer Authenticator-App an; wer noch keine App hat, richtet sie bei der nächsten Anmeldung ein, vor allem anderen.";
    TfaRequiredFor => "Required for", "Verlangt für";
    TfaRoleCustomers => "Customers", "Kunden";
    TfaRoleAgents => "Agents", "Agenten";
    TfaRoleLeads => "Leads", "Leitungen";
    TfaRoleAdmins => "Admins", "Admins";
    TfaSavePolicy => "Save", "Speichern";
    SecPasswordChanged => "Your password was changed. Every other browser signed in as you was signed out.", "Ihr Passwort wurde geändert. Alle anderen Browser, die mit Ihrem Konto angemeldet waren, wurden abgemeldet.";
    // Your data: export and erasure (account/my_data.rs).
    DataTitle => "Your data", "Ihre Daten";
    DataIntro => "Download everything this service desk holds about you: your profile, settings, requests and what you wrote, notifications, sign-ins and your files, as one archive.", "Laden Sie alles herunter, was dieser Service Desk über Sie gespeichert hat: Profil, Einstellungen, Anfragen und was Sie geschrieben haben, Benachrichtigungen, Anmeldungen und Ihre Dateien, als ein Archiv.";
    DataDownload => "Download my data", "Meine Daten herunterladen";
    DataAdminTitle => "This person's data", "Daten dieser Person";
    DataAdminIntro => "Everything the desk holds about this person, as one archive, for a request for access.", "Alles, was der Desk über diese Person gespeichert hat, als ein Archiv, für ein Auskunftsersuchen.";
    DataAdminDownload => "Download this person's data", "Daten dieser Person herunterladen";
    DataEraseTitle => "Erase this person", "Diese Person löschen";
    DataEraseWarning => "Erasing cannot be undone. The name and e-mail address are replaced everywhere, the person can no longer sign in, and their files are deleted. Tickets and reports keep their numbers.", "Das Löschen kann nicht rückgängig gemacht werden. Name und E-Mail-Adresse werden überall ersetzt, die Person kann sich nicht mehr anmelden, und ihre Dateien werden gelöscht. Tickets und Berichte behalten ihre Zahlen.";
    DataEraseTexts => "Also erase the texts this person wrote", "Auch die Texte löschen, die diese Person geschrieben hat";
    DataKeepRequested => "Keep the texts of the tickets this person requested", "Die Texte der Tickets behalten, die diese Person angefragt hat";
    DataEraseConfirm => "I understand that this cannot be undone", "Mir ist bewusst, dass dies nicht rückgängig gemacht werden kann";
    DataEraseButton => "Erase this person", "Diese Person löschen";
    // Signing in with an identity provider (account/oidc.rs).
    OidcOr => "Or sign in with your organisation's account:", "Oder melden Sie sich mit dem Konto Ihrer Organisation an:";
    OidcSignInWith => "Sign in with {0}", "Anmelden mit {0}";
    OidcFailedTitle => "Signing in did not work", "Die Anmeldung hat nicht geklappt";
    OidcTryAgain => "Go back to the sign-in page and try again.", "Gehen Sie zurück zur Anmeldeseite und versuchen Sie es erneut.";
    OidcProviderRefused => "The identity provider did not sign you in.", "Der Identitätsanbieter hat Sie nicht angemeldet.";
    TfaQrCode => "QR code of the key, to scan with the app", "QR-Code des Schlüssels, zum Scannen mit der App";
    }
}
