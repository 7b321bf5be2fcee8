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
    TooManySignInsPrefix => "Too many failed sign-in attempts. For your account's safety, try again in ", "Zu viele fehlgeschlagene Anmeldeversuche. Zum Schutz Ihres Kontos versuchen Sie es erneut in ";
    MinutesSuffix => " minute(s).", " Minute(n).";
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
    TooManyResetsPrefix => "Too many requests for a new password. Try again in ", "Zu viele Anfragen nach einem neuen Passwort. Versuchen Sie es erneut in ";
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
    }
}
