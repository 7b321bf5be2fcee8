//! The words the application layer puts into e-mails (what happens next, service-level
//! promises, resolution and target names, the account e-mails), in every language: one table
//! of the catalogue (see `spoc-i18n`). Each e-mail is written in its recipient's language.

use spoc_domain::sla::SlaTarget;
use spoc_i18n::{Language, Message, catalogue};

catalogue! {
    /// A message the application layer writes into e-mails.
    MailText {
        NextStepGroup => "{0} will look at it and answer you here.", "{0} kümmert sich darum und antwortet Ihnen hier.";
        NextStepDesk => "The service desk will look at it and answer you here.", "Der Service Desk kümmert sich darum und antwortet Ihnen hier.";
        TheServiceDesk => "The service desk", "Der Service Desk";
        TheRequester => "The requester", "Die anfragende Person";
        PendingDefault => "The service desk needs an answer from you to continue; the ticket shows what was asked.", "Der Service Desk braucht eine Antwort von Ihnen, um weiterzumachen; das Ticket zeigt, was gefragt wurde.";
        Resolved => "Resolved", "Gelöst";
        ServiceLevel => "service-level", "Service-Level";
        AimBoth => "We aim to answer by {0} and to resolve it by {1}.", "Wir wollen bis {0} antworten und es bis {1} lösen.";
        AimResolve => "We aim to resolve it by {0}.", "Wir wollen es bis {0} lösen.";
        AimAnswer => "We aim to answer by {0}.", "Wir wollen bis {0} antworten.";
        Due => "Due {0}", "fällig am {0}";
        ClosesBySelf => "{0} closes by itself on {1} unless you tell us it is not fixed.", "{0} wird am {1} von selbst geschlossen, sofern Sie uns nicht mitteilen, dass das Problem weiterbesteht.";
        Now => "now", "jetzt";
        DateFormat => "%a %-d %b %Y %H:%M", "%d.%m.%Y %H:%M";
        ResetSubject => "Set a new password", "Neues Passwort festlegen";
        ResetAsked => "Someone, hopefully you, asked to set a new password for your service desk account.", "Jemand, hoffentlich Sie, hat ein neues Passwort für Ihr Konto beim Service Desk angefordert.";
        ResetOpen => "Open this link within 30 minutes to choose a new password. It works once.", "Öffnen Sie diesen Link innerhalb von 30 Minuten, um ein neues Passwort zu wählen. Er funktioniert einmal.";
        ResetIgnore => "If you did not ask, ignore this e-mail: your password stays as it is.", "Wenn Sie es nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt, wie es ist.";
        ResetButton => "Choose a new password", "Neues Passwort wählen";
        TestSubject => "Test message from the service desk", "Testnachricht vom Service Desk";
        TestText => "This is a test message from your service desk. If you can read it, the desk can send e-mail.", "Dies ist eine Testnachricht Ihres Service Desks. Wenn Sie sie lesen können, kann der Service Desk E-Mails versenden.";
    }
}

/// `msg` in `language`.
pub(super) fn say(msg: MailText, language: Language) -> &'static str {
    msg.text(language)
}

/// A service-level target's name in `language`, or the generic word when there is none.
pub(super) fn target(target: Option<SlaTarget>, language: Language) -> &'static str {
    match target {
        Some(target) => crate::words::sla_target(target, language),
        None => say(MailText::ServiceLevel, language),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_without_a_target_names_the_service_level() {
        assert_eq!(target(None, Language::En), "service-level");
        assert_eq!(target(Some(SlaTarget::Resolution), Language::De), "Lösung");
        assert_eq!(
            MailText::AimAnswer.fill(Language::De, &[&"1.12.2026 14:30"]),
            "Wir wollen bis 1.12.2026 14:30 antworten."
        );
    }
}
