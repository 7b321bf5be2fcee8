//! Messages of the admin's mail pages (mailboxes, inbound, outbox, relay).

use super::catalogue;

catalogue! {
    /// A message of the admin's mail pages (mailboxes, inbound, outbox, relay).
    MailAdmin {
    // The tabs and what the mail pages share.
    TabsLabel => "Mail", "E-Mail";
    TabMailboxes => "Mailboxes", "Postfächer";
    InboundMail => "Inbound mail", "Eingehende E-Mails";
    Outbox => "Outbox", "Postausgang";
    OutgoingMail => "Outgoing mail", "Ausgehende E-Mails";
    DeadCount => "{0} dead", "{0} unzustellbar";
    TicketFallback => "Ticket {0}", "Ticket {0}";
    WhichMessages => "Which messages", "Welche Nachrichten";
    Pages => "Pages", "Seiten";
    Newest => "← Newest", "← Neueste";
    Older => "Older messages →", "Ältere Nachrichten →";
    ColTicket => "Ticket", "Ticket";
    Port => "Port", "Port";
    Password => "Password", "Passwort";
    PasswordAgain => "Type the password again: it is never sent back to the browser.",
        "Geben Sie das Passwort erneut ein: Es wird nie an den Browser zurückgesendet.";
    SendTestTitle => "Send a test message", "Testnachricht senden";
    SendItTo => "Send it to", "Senden an";
    SendTest => "Send test message", "Testnachricht senden";
    AddressProblem => "The address {0}", "Die Adresse {0}";
    // The mailboxes page.
    MailTitle => "Mail", "E-Mail";
    MailIntro => "Mailboxes turn e-mail into tickets and replies; the log shows what became of every message.",
        "Postfächer machen aus E-Mails Tickets und Antworten; das Protokoll zeigt, was aus jeder Nachricht wurde.";
    AddMailbox => "Add a mailbox", "Postfach hinzufügen";
    NoMailboxYet => "No mailbox yet", "Noch kein Postfach";
    NoMailboxHint => "Add one to turn mail into tickets, or let your mail server pipe mail to {0}.",
        "Legen Sie eines an, um E-Mails in Tickets zu verwandeln, oder lassen Sie Ihren Mailserver E-Mails an {0} weiterreichen.";
    MailboxesCaption => "Mailboxes", "Postfächer";
    ColMailbox => "Mailbox", "Postfach";
    ColAddress => "Address", "Adresse";
    ColReadsFrom => "Reads from", "Liest aus";
    NewMailBecomes => "New mail becomes", "Neue E-Mails werden zu";
    ColLastPoll => "Last poll", "Letzter Abruf";
    SwitchedOff => "Switched off", "Ausgeschaltet";
    DeliveredOnly => "Delivered mail only", "Nur zugestellte E-Mails";
    PollFailedAt => "Failed {0}: ", "Fehlgeschlagen {0}: ";
    NotYet => "Not yet", "Noch nicht";
    DeliverHint => "A mail server can also hand messages over itself: {0} reads one message on standard input and applies that mailbox's rules.",
        "Ein Mailserver kann Nachrichten auch selbst übergeben: {0} liest eine Nachricht von der Standardeingabe und wendet die Regeln dieses Postfachs an.";
    AuthTitle => "Sender authentication", "Absenderauthentifizierung";
    AuthIntro => "Anyone can put a staff member's address on a message. Mail in a staff member's name is posted as them only when one of these mail servers says in its Authentication-Results that DMARC, DKIM or SPF passed for the sender's domain; otherwise it is held for review. With none set, all of it is held.",
        "Jede Person kann die Adresse von Mitarbeitenden auf eine Nachricht setzen. E-Mails im Namen von Mitarbeitenden werden nur dann in deren Namen gepostet, wenn einer dieser Mailserver in seinen Authentication-Results angibt, dass DMARC, DKIM oder SPF für die Domain des Absenders bestanden wurde; andernfalls werden sie zur Prüfung zurückgehalten. Ist keiner eingetragen, werden alle zurückgehalten.";
    TrustedServers => "Trusted mail servers (authserv-ids)", "Vertrauenswürdige Mailserver (authserv-ids)";
    TrustedServersHint => "The names your receiving mail servers put first in their Authentication-Results, such as mx.example.com, separated by spaces.",
        "Die Namen, die Ihre empfangenden Mailserver an den Anfang ihrer Authentication-Results setzen, etwa mx.example.com, durch Leerzeichen getrennt.";
    Save => "Save", "Speichern";
    // A mailbox's page.
    NewMailbox => "New mailbox", "Neues Postfach";
    NotPolled => "This mailbox is not polled. It takes mail handed over with {0}.",
        "Dieses Postfach wird nicht abgerufen. Es nimmt E-Mails an, die mit {0} übergeben werden.";
    LastPollFailed => "The last poll failed", "Der letzte Abruf ist fehlgeschlagen";
    TriedAt => "Tried {0}.", "Letzter Versuch: {0}";
    LastReadOk => "Last read {0} without errors.", "Zuletzt {0} ohne Fehler gelesen.";
    NotReadYet => "Not read yet. Spoc reads it within a minute of being switched on.",
        "Noch nicht gelesen. Spoc liest es innerhalb einer Minute nach dem Einschalten.";
    DuplicateMailbox => "A mailbox with this name already exists.", "Ein Postfach mit diesem Namen gibt es bereits.";
    // The mailbox form.
    ChooseSecurity => "Choose TLS or STARTTLS.", "Wählen Sie TLS oder STARTTLS.";
    BadPort => "Give a port number from 1 to 65535, or leave it empty for the usual one.",
        "Geben Sie eine Portnummer von 1 bis 65535 an, oder lassen Sie das Feld für den üblichen Port leer.";
    NameImapServer => "Name the IMAP server, or clear the IMAP fields for a mailbox that only takes delivered mail.",
        "Nennen Sie den IMAP-Server, oder leeren Sie die IMAP-Felder für ein Postfach, das nur zugestellte E-Mails annimmt.";
    ChooseUnknownSenders => "Choose what to do with unknown senders.", "Wählen Sie, was mit unbekannten Absendern geschehen soll.";
    ChooseNonParticipants => "Choose what to do with replies from people outside the ticket.",
        "Wählen Sie, was mit Antworten von Personen außerhalb des Tickets geschehen soll.";
    ChooseKind => "Choose the kind of ticket new mail becomes.", "Wählen Sie die Ticketart, zu der neue E-Mails werden.";
    BadPollSeconds => "Give a whole number of seconds, from 10 to 3600.", "Geben Sie eine ganze Zahl von Sekunden an, von 10 bis 3600.";
    ImapTls => "TLS (port 993)", "TLS (Port 993)";
    ImapStarttls => "STARTTLS (port 143, upgraded before login)", "STARTTLS (Port 143, vor der Anmeldung verschlüsselt)";
    KindIncidents => "Incidents", "Störungen";
    KindRequests => "Requests", "Anfragen";
    Name => "Name", "Name";
    NameHint => "Short and unique, e.g. “support”; used by spoc mail deliver --mailbox.",
        "Kurz und eindeutig, z. B. „support“; wird von spoc mail deliver --mailbox verwendet.";
    DeskAddress => "The desk's address", "Adresse des Service Desks";
    DeskAddressHint => "Where people write to, e.g. help@example.com. Mail from it is never answered.",
        "Wohin Personen schreiben, z. B. help@example.com. E-Mails von dieser Adresse werden nie beantwortet.";
    SwitchedOn => "Switched on (read and accepting delivered mail)", "Eingeschaltet (wird gelesen und nimmt zugestellte E-Mails an)";
    ImapLegend => "Reading from an IMAP server", "Abruf von einem IMAP-Server";
    ImapHint => "Leave the server empty for a mailbox that only takes mail your mail server hands over with spoc mail deliver.",
        "Lassen Sie den Server leer für ein Postfach, das nur E-Mails annimmt, die Ihr Mailserver mit spoc mail deliver übergibt.";
    ImapServer => "IMAP server", "IMAP-Server";
    PortHint => "Empty: 993 for TLS, 143 for STARTTLS.", "Leer: 993 für TLS, 143 für STARTTLS.";
    Encryption => "Encryption", "Verschlüsselung";
    Login => "Login", "Anmeldename";
    MailboxPasswordStored => "A password is stored. Leave this empty to keep it.",
        "Ein Passwort ist gespeichert. Lassen Sie das Feld leer, um es zu behalten.";
    MailboxPasswordNew => "Stored for polling; never shown again.", "Für den Abruf gespeichert; wird nie wieder angezeigt.";
    CaCertificate => "Extra trusted CA certificate (optional)", "Zusätzliches vertrauenswürdiges CA-Zertifikat (optional)";
    CaCertificateHint => "Only for a server whose certificate comes from your own authority: paste it in PEM form (-----BEGIN CERTIFICATE-----).",
        "Nur für einen Server, dessen Zertifikat von Ihrer eigenen Zertifizierungsstelle stammt: Fügen Sie es im PEM-Format ein (-----BEGIN CERTIFICATE-----).";
    Folder => "Folder to read", "Zu lesender Ordner";
    ProcessedFolder => "Move processed mail to (optional)", "Verarbeitete E-Mails verschieben nach (optional)";
    ProcessedFolderHint => "Empty: processed mail is flagged where it is.", "Leer: Verarbeitete E-Mails werden an Ort und Stelle markiert.";
    PollSeconds => "Check every (seconds)", "Abrufintervall (Sekunden)";
    PollSecondsHint => "From 10 to 3600.", "Von 10 bis 3600.";
    UnknownSenders => "Mail from people the desk does not know", "E-Mails von Personen, die der Service Desk nicht kennt";
    RegisterCustomers => "Register them as customers", "Als Kunden registrieren";
    RegisterCustomersHint => "They get a customer account (in the organisation of their e-mail domain, if one is set) and a ticket.",
        "Sie erhalten ein Kundenkonto (in der Organisation ihrer E-Mail-Domain, falls eine festgelegt ist) und ein Ticket.";
    RefuseIt => "Refuse it", "Ablehnen";
    RefuseItHint => "The message is kept in the log and nothing is ticketed.",
        "Die Nachricht bleibt im Protokoll, und es wird kein Ticket angelegt.";
    NonParticipants => "Replies to a ticket from someone outside it", "Antworten auf ein Ticket von Personen außerhalb davon";
    StartNewTicket => "Start a new ticket", "Neues Ticket anlegen";
    StartNewTicketHint => "The sender gets no access to the ticket they answered.",
        "Die absendende Person erhält keinen Zugriff auf das beantwortete Ticket.";
    HoldForReview => "Hold for review", "Zur Prüfung zurückhalten";
    HoldForReviewHint => "The message waits in the inbound log until someone deals with it.",
        "Die Nachricht wartet im Eingangsprotokoll, bis sich jemand darum kümmert.";
    SaveMailbox => "Save mailbox", "Postfach speichern";
    // The inbound log.
    InboundIntro => "Every message received, what became of it and why. Held and quarantined messages wait for someone to deal with them.",
        "Jede empfangene Nachricht, was aus ihr wurde und warum. Zurückgehaltene und in Quarantäne gestellte Nachrichten warten darauf, dass sich jemand darum kümmert.";
    ViewAttention => "Needs attention", "Zu bearbeiten";
    ViewAll => "All messages", "Alle Nachrichten";
    ViewIgnored => "Ignored or refused", "Ignoriert oder abgelehnt";
    EmptyAttentionTitle => "Nothing needs attention", "Nichts zu bearbeiten";
    EmptyAttention => "Held and quarantined messages wait here until someone processes them again, logs them as a ticket, adds them to one or dismisses them.",
        "Zurückgehaltene und in Quarantäne gestellte Nachrichten warten hier, bis jemand sie erneut verarbeitet, als Ticket erfasst, einem Ticket hinzufügt oder verwirft.";
    EmptyAllTitle => "No mail received yet", "Noch keine E-Mails empfangen";
    EmptyAll => "Every message a mailbox reads or spoc mail deliver hands over is listed here with what became of it and why.",
        "Jede Nachricht, die ein Postfach liest oder spoc mail deliver übergibt, wird hier aufgeführt – mit dem, was aus ihr wurde, und warum.";
    EmptyIgnoredTitle => "Nothing ignored or refused", "Nichts ignoriert oder abgelehnt";
    EmptyIgnored => "Bounces, Spoc's own mail and messages from refused senders would be listed here.",
        "Unzustellbarkeitsmeldungen, Spocs eigene E-Mails und Nachrichten abgelehnter Absender würden hier aufgeführt.";
    ColReceived => "Received", "Empfangen";
    ColFrom => "From", "Von";
    ColSubject => "Subject", "Betreff";
    ColOutcome => "Outcome", "Ergebnis";
    ColWhy => "Why", "Grund";
    // An inbound message's page.
    MailboxFallback => "Mailbox {0}", "Postfach {0}";
    DownloadOriginal => "Download the original (.eml)", "Original herunterladen (.eml)";
    WhatWasRecorded => "What was recorded", "Was erfasst wurde";
    Attachments => "Attachments", "Anhänge";
    AttachmentsUnreadable => "The message could not be read, so its parts are unknown. Download the original to look at it.",
        "Die Nachricht konnte nicht gelesen werden, daher sind ihre Teile unbekannt. Laden Sie das Original herunter, um sie anzusehen.";
    AttachmentsNone => "None.", "Keine.";
    AttachmentsUnstored => "Stored with the ticket once the message becomes part of one; until then they are in the original message.",
        "Sie werden mit dem Ticket gespeichert, sobald die Nachricht Teil eines Tickets wird; bis dahin sind sie in der Originalnachricht.";
    AttachmentsRefused => "Refused", "Abgelehnt";
    TheMessage => "The message", "Die Nachricht";
    MessageUnreadable => "The message could not be read. Download the original to look at it.",
        "Die Nachricht konnte nicht gelesen werden. Laden Sie das Original herunter, um sie anzusehen.";
    MessageNoText => "The message has no text.", "Die Nachricht hat keinen Text.";
    ReleaseTitle => "This message waits for someone", "Diese Nachricht wartet auf Bearbeitung";
    ProcessAgain => "Process again", "Erneut verarbeiten";
    ProcessAgainHint => "Reads it again as if it had just arrived, for instance after a fix or a change of the mailbox's rules.",
        "Liest sie erneut, als wäre sie gerade angekommen, etwa nach einer Korrektur oder einer Änderung der Regeln des Postfachs.";
    PostAsSender => "Post as its sender", "Im Namen der absendenden Person posten";
    PostAsSenderHint => "Processes it again, vouching that it really comes from the staff member it names, though no trusted mail server authenticated it. Check with them first.",
        "Verarbeitet sie erneut und bestätigt, dass sie wirklich von der genannten mitarbeitenden Person stammt, obwohl kein vertrauenswürdiger Mailserver sie authentifiziert hat. Fragen Sie vorher bei ihr nach.";
    LogNewTicket => "Log as a new ticket", "Als neues Ticket erfassen";
    LogNewTicketHint => "Starts a ticket for its sender, who is registered as a customer if the desk does not know them.",
        "Legt ein Ticket für die absendende Person an, die als Kunde registriert wird, falls der Service Desk sie nicht kennt.";
    AddToTicketLabel => "Add to a ticket as an internal note", "Einem Ticket als interne Notiz hinzufügen";
    AddToTicketHint => "The ticket's number, such as INC-000042 or just 42. The sender gains no access to it.",
        "Die Nummer des Tickets, etwa INC-000042 oder einfach 42. Die absendende Person erhält keinen Zugriff darauf.";
    AddToTicket => "Add to the ticket", "Zum Ticket hinzufügen";
    Dismiss => "Dismiss", "Verwerfen";
    DismissHint => "Sets it aside for good. It stays in the log with who dismissed it.",
        "Legt sie endgültig beiseite. Sie bleibt im Protokoll, zusammen mit der Person, die sie verworfen hat.";
    WriteTicketNumber => "Write the ticket's number, such as INC-000042, or just 42.",
        "Geben Sie die Nummer des Tickets ein, etwa INC-000042, oder einfach 42.";
    NoSuchTicket => "There is no ticket {0} that you can see.", "Es gibt kein Ticket {0}, das Sie sehen können.";
    ChooseRelease => "Choose what to do with the message.", "Wählen Sie, was mit der Nachricht geschehen soll.";
    // The outbox.
    OutboxIntro => "E-mail Spoc sends. Failed deliveries are retried with growing pauses; after the last attempt a message becomes a dead letter until someone sends it again.",
        "E-Mails, die Spoc versendet. Fehlgeschlagene Zustellungen werden mit wachsenden Pausen wiederholt; nach dem letzten Versuch gilt eine Nachricht als unzustellbar, bis jemand sie erneut sendet.";
    MailGoesOut => "Mail goes out from {0}, with links to {1} (set under {2}; without saved settings, the --mail-from, --public-url and --smtp-url flags).",
        "E-Mails gehen von {0} aus, mit Links auf {1} (festgelegt unter {2}; ohne gespeicherte Einstellungen über die Optionen --mail-from, --public-url und --smtp-url).";
    SendTestIntro => "Check that the relay takes mail from the desk: the message shows under Sent once the relay accepted it.",
        "Prüfen Sie, ob das Relay E-Mails des Service Desks annimmt: Die Nachricht erscheint unter „Gesendet“, sobald das Relay sie angenommen hat.";
    EmailOff => "E-mail is off.", "E-Mail ist ausgeschaltet.";
    EmailOffOutbox => "No From address is set, so the desk sends no e-mail at all: notifications stay in the app and nothing is queued here. Set the relay and the From address under {0} to send mail.",
        "Es ist keine Absenderadresse festgelegt, daher versendet der Service Desk gar keine E-Mails: Benachrichtigungen bleiben in der App, und hier wird nichts eingereiht. Legen Sie das Relay und die Absenderadresse unter {0} fest, um E-Mails zu senden.";
    StateWaiting => "Waiting", "Wartend";
    StateDead => "Dead letters", "Unzustellbar";
    StateSent => "Sent", "Gesendet";
    TopicAttachmentRejected => "Attachments refused for their size (to the sender)",
        "Anhänge wegen ihrer Größe abgelehnt (an die absendende Person)";
    TopicPasswordReset => "A link to set a new password", "Ein Link zum Setzen eines neuen Passworts";
    TopicTestMessage => "A test message from an admin", "Eine Testnachricht von einem Admin";
    EmptyOffTitle => "No e-mail", "Keine E-Mails";
    EmptyOff => "E-mail is off, so no notification is queued or sent.",
        "E-Mail ist ausgeschaltet, daher wird keine Benachrichtigung eingereiht oder gesendet.";
    EmptyWaitingTitle => "Nothing waiting", "Nichts wartet";
    EmptyWaiting => "Every notification has been handed to the mail relay.",
        "Alle Benachrichtigungen wurden an das Mail-Relay übergeben.";
    EmptyDeadTitle => "No dead letters", "Keine unzustellbaren Nachrichten";
    EmptyDead => "Messages the relay refused for good, or that failed every retry, would wait here to be sent again.",
        "Nachrichten, die das Relay endgültig abgelehnt hat oder bei denen jeder Versuch fehlschlug, würden hier auf erneutes Senden warten.";
    EmptySentTitle => "Nothing sent yet", "Noch nichts gesendet";
    EmptySent => "Notifications appear here once the mail relay has accepted them.",
        "Benachrichtigungen erscheinen hier, sobald das Mail-Relay sie angenommen hat.";
    WhenNextAttempt => "Next attempt", "Nächster Versuch";
    WhenGivenUp => "Given up", "Aufgegeben";
    ColQueued => "Queued", "Eingereiht";
    ColTo => "To", "An";
    ColWhat => "What", "Was";
    ColAttempts => "Attempts", "Versuche";
    ColLastError => "Last error", "Letzter Fehler";
    ColAction => "Action", "Aktion";
    CurrentAddress => "The person's current address", "Die aktuelle Adresse der Person";
    SendAgain => "Send again", "Erneut senden";
    // Outgoing mail (the relay).
    RelayIntro => "The mail relay the desk hands its e-mail to, and the address it comes from. What you save here is used for the next message, without a restart.",
        "Das Mail-Relay, an das der Service Desk seine E-Mails übergibt, und die Adresse, von der sie kommen. Was Sie hier speichern, gilt ab der nächsten Nachricht, ohne Neustart.";
    RelayFromFlags => "The desk sends from {0} through the relay it was started with (--smtp-url). Saving here replaces those settings.",
        "Der Service Desk sendet von {0} über das Relay, mit dem er gestartet wurde (--smtp-url). Speichern ersetzt diese Einstellungen.";
    RelayOff => "E-mail is off: no From address is set, so notifications stay in the app. Fill in the relay and the From address to send mail.",
        "E-Mail ist ausgeschaltet: Es ist keine Absenderadresse festgelegt, daher bleiben Benachrichtigungen in der App. Geben Sie das Relay und die Absenderadresse an, um E-Mails zu senden.";
    SecurityNone => "None (a relay on this machine or network)", "Keine (ein Relay auf diesem Rechner oder im Netzwerk)";
    SecurityStarttls => "STARTTLS required (usually port 587)", "STARTTLS erforderlich (meist Port 587)";
    SecurityTls => "TLS (usually port 465)", "TLS (meist Port 465)";
    RelayPasswordSet => "A password is set. Leave this empty to keep it.",
        "Ein Passwort ist gesetzt. Lassen Sie das Feld leer, um es zu behalten.";
    RelayPasswordNew => "Only if the relay asks you to sign in. Stored encrypted; never shown again.",
        "Nur wenn das Relay eine Anmeldung verlangt. Wird verschlüsselt gespeichert und nie wieder angezeigt.";
    RelayErrors => "Some settings need a change: see the notes next to the fields.",
        "Einige Einstellungen müssen geändert werden: Beachten Sie die Hinweise neben den Feldern.";
    RelayLegend => "The relay", "Das Relay";
    RelayHost => "Relay host", "Relay-Host";
    RelayHostHint => "Such as smtp.example.com or 127.0.0.1.", "Etwa smtp.example.com oder 127.0.0.1.";
    Security => "Security", "Sicherheit";
    UserName => "User name", "Benutzername";
    UserNameHint => "Empty: the relay takes mail without signing in.", "Leer: Das Relay nimmt E-Mails ohne Anmeldung an.";
    RemovePassword => "Remove the stored password", "Gespeichertes Passwort entfernen";
    ReceiveLegend => "What people receive", "Was Empfänger erhalten";
    FromAddress => "From address", "Absenderadresse";
    FromAddressHint => "The sender of every notification, with a name if you like: Help desk <help@example.com>.",
        "Der Absender jeder Benachrichtigung, auf Wunsch mit Namen: Service Desk <hilfe@example.com>.";
    PublicUrl => "Desk address for links (optional)", "Adresse des Service Desks für Links (optional)";
    PublicUrlHint => "Where people open the desk from links in mail, such as https://desk.example.com. Empty: the address the desk was started with.",
        "Wo Personen den Service Desk über Links in E-Mails öffnen, etwa https://desk.example.com. Leer: die Adresse, mit der der Service Desk gestartet wurde.";
    SaveRelay => "Save outgoing mail", "Ausgehende E-Mails speichern";
    NoTestYet => "No test message was sent yet.", "Es wurde noch keine Testnachricht gesendet.";
    TestAccepted => "The relay accepted the test message to {0} {1}.", "Das Relay hat die Testnachricht an {0} {1} angenommen.";
    TestRefused => "The relay refused the test message to {0} ({1}): {2}", "Das Relay hat die Testnachricht an {0} abgelehnt ({1}): {2}";
    TestRetrying => "The test message to {0} did not go through yet; it is tried again shortly. The relay's answer: {1}",
        "Die Testnachricht an {0} ist noch nicht durchgegangen; sie wird in Kürze erneut versucht. Die Antwort des Relays: {1}";
    TestWaiting => "The test message to {0} waits to be handed to the relay. Reload this page in a few seconds to see its answer.",
        "Die Testnachricht an {0} wartet auf die Übergabe an das Relay. Laden Sie diese Seite in ein paar Sekunden neu, um seine Antwort zu sehen.";
    TestOff => "E-mail is off: save a relay and a From address above first.",
        "E-Mail ist ausgeschaltet: Speichern Sie zuerst oben ein Relay und eine Absenderadresse.";
    }
}
