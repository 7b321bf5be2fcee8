//! The words of the notification e-mails, in every language (one table of the catalogue; see
//! `spoc-i18n`).

use spoc_i18n::catalogue;

catalogue! {
    /// A message of the notification e-mails.
    NoticeText {
        Hello => "Hello,", "Guten Tag,";
        Logged => "We have logged your request as {0}: {1}.", "Wir haben Ihre Anfrage als {0} erfasst: {1}.";
        NextStep => "What happens next: {0}", "Wie es weitergeht: {0}";
        Replied => "{0} replied to {1}:", "{0} hat auf {1} geantwortet:";
        WaitingSubject => "Waiting for your reply: {0}", "Wartet auf Ihre Antwort: {0}";
        NeedSomething => "We need something from you to continue with {0}:", "Um mit {0} weiterzumachen, brauchen wir etwas von Ihnen:";
        PleaseReply => "Please reply to this e-mail; the ticket waits until you do.", "Bitte antworten Sie auf diese E-Mail; das Ticket wartet, bis Sie es tun.";
        ResolvedSubject => "Resolved: {0}", "Gelöst: {0}";
        ResolvedText => "We have resolved {0}: {1}.", "Wir haben {0} gelöst: {1}.";
        Resolution => "Resolution: {0}", "Lösung: {0}";
        Confirm => "If this solves it, please confirm", "Wenn das Problem damit gelöst ist, bestätigen Sie es bitte";
        Reopen => "If it does not, reopen the ticket", "Wenn nicht, öffnen Sie das Ticket wieder";
        ReopenedText => "{0} ({1}) has been reopened; we are working on it again.", "{0} ({1}) wurde wieder geöffnet; wir arbeiten erneut daran.";
        ReasonGiven => "The reason given:", "Der angegebene Grund:";
        ReopenedSubject => "Reopened: {0}", "Wieder geöffnet: {0}";
        ClosedSubject => "Closed: {0}", "Geschlossen: {0}";
        ClosedText => "{0} ({1}) is now closed. Thank you for your patience.", "{0} ({1}) ist jetzt geschlossen. Vielen Dank für Ihre Geduld.";
        ComesBack => "If the problem comes back, please log a new request.", "Falls das Problem wieder auftritt, stellen Sie bitte eine neue Anfrage.";
        SlaWarningSubject => "SLA warning: {0}", "SLA-Warnung: {0}";
        SlaWarningText => "The {0} target of {1} ({2}) is due soon: {3}.", "Das Ziel „{0}“ von {1} ({2}) ist bald fällig: {3}.";
        OpenTicket => "Open the ticket", "Ticket öffnen";
        SlaBreachSubject => "SLA breached: {0}", "SLA verletzt: {0}";
        SlaBreachText => "{0} ({1}) has missed its {2} target, which was due {3}.", "{0} ({1}) hat sein Ziel „{2}“ verfehlt; es war fällig {3}.";
        CustomerReplySubject => "Reply from the requester: {0}", "Antwort der anfragenden Person: {0}";
        EscalatedSubject => "Escalated to you: {0}", "An Sie eskaliert: {0}";
        EscalatedText => "{0} ({1}) was escalated to you. The reason given:", "{0} ({1}) wurde an Sie eskaliert. Der angegebene Grund:";
        RejectedSubject => "Attachments not accepted: {0}", "Anhänge nicht angenommen: {0}";
        RejectedOne => "We received your message \"{0}\", but could not accept this attachment:", "Wir haben Ihre Nachricht „{0}“ erhalten, konnten diesen Anhang aber nicht annehmen:";
        RejectedMany => "We received your message \"{0}\", but could not accept these attachments:", "Wir haben Ihre Nachricht „{0}“ erhalten, konnten diese Anhänge aber nicht annehmen:";
        RejectedRest => "The rest of your message was received. Please send the files another way, for example as a link or in smaller parts.", "Der Rest Ihrer Nachricht ist angekommen. Bitte senden Sie die Dateien auf anderem Weg, zum Beispiel als Link oder in kleineren Teilen.";
        Automatic => "This is an automatic message from {0}.", "Dies ist eine automatische Nachricht von {0}.";
        ReplyKeep => "Reply to this e-mail to add to the ticket; please keep [{0}] in the subject.", "Antworten Sie auf diese E-Mail, um das Ticket zu ergänzen; bitte behalten Sie [{0}] im Betreff.";
        ReplyReach => "Reply to this e-mail to reach the service desk.", "Antworten Sie auf diese E-Mail, um den Service Desk zu erreichen.";
        ViewTicket => "View the ticket", "Ticket ansehen";
    }
}
