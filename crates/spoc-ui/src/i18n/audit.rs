//! Messages of the audit log and retention pages.

use super::catalogue;

catalogue! {
    /// A message of the audit log and retention pages.
    Audit {
    Title => "Audit log", "Prüfprotokoll";
    Intro => "Who changed people, roles, settings and policies, and what the system's retention did. Entries name people by their current name; they store no personal data.", "Wer Personen, Rollen, Einstellungen und Richtlinien geändert hat und was die Aufbewahrung des Systems getan hat. Einträge nennen Personen mit ihrem aktuellen Namen; sie speichern keine personenbezogenen Daten.";
    Action => "Action", "Aktion";
    AnyAction => "Any action", "Jede Aktion";
    ActorId => "Person (id)", "Person (ID)";
    TargetKind => "Target", "Ziel";
    AnyTarget => "Any target", "Jedes Ziel";
    TargetId => "Target id", "Ziel-ID";
    From => "From", "Von";
    Until => "Until", "Bis";
    Filter => "Filter", "Filtern";
    When => "When", "Wann";
    Who => "Who", "Wer";
    What => "What", "Was";
    Details => "Details", "Details";
    Caption => "Administrative actions, newest first", "Administrative Aktionen, neueste zuerst";
    Nothing => "Nothing recorded", "Nichts aufgezeichnet";
    NothingText => "No administrative action matches these filters.", "Keine administrative Aktion passt zu diesen Filtern.";
    Older => "Older entries", "Ältere Einträge";
    Unknown => "Unknown", "Unbekannt";
    FormerPerson => "Person {0}", "Person {0}";
    BadFilter => "This filter cannot be used: {0}", "Dieser Filter ist nicht verwendbar: {0}";
    PersonCreated => "Person added", "Person hinzugefügt";
    RoleChanged => "Role changed", "Rolle geändert";
    PersonDeactivated => "Person deactivated", "Person deaktiviert";
    PersonReactivated => "Person reactivated", "Person reaktiviert";
    PasswordReset => "Password set by an admin", "Passwort von einem Admin gesetzt";
    PersonChanged => "Person changed", "Person geändert";
    TokenIssued => "API token issued for someone else", "API-Token für eine andere Person ausgestellt";
    OrganizationCreated => "Organisation added", "Organisation hinzugefügt";
    GroupCreated => "Group added", "Gruppe hinzugefügt";
    GroupChanged => "Group changed", "Gruppe geändert";
    MemberAdded => "Member added to a group", "Mitglied zu einer Gruppe hinzugefügt";
    MemberRemoved => "Member removed from a group", "Mitglied aus einer Gruppe entfernt";
    CategoryCreated => "Category added", "Kategorie hinzugefügt";
    ServiceCreated => "Service added", "Dienst hinzugefügt";
    CalendarCreated => "Calendar added", "Kalender hinzugefügt";
    CalendarChanged => "Calendar changed", "Kalender geändert";
    PolicyCreated => "SLA policy added", "SLA-Richtlinie hinzugefügt";
    PolicyChanged => "SLA policy changed", "SLA-Richtlinie geändert";
    SettingChanged => "Setting changed", "Einstellung geändert";
    MailboxCreated => "Mailbox added", "Postfach hinzugefügt";
    MailboxChanged => "Mailbox changed", "Postfach geändert";
    MailboxDeleted => "Mailbox removed", "Postfach entfernt";
    SopGoverned => "SOP approved or retired", "SOP freigegeben oder zurückgezogen";
    SopsImported => "Shipped SOPs imported", "Mitgelieferte SOPs importiert";
    ArticleGoverned => "Article published or retired", "Artikel veröffentlicht oder zurückgezogen";
    SecretsRotated => "Stored secrets re-encrypted", "Gespeicherte Geheimnisse neu verschlüsselt";
    RetentionChanged => "Retention rule changed", "Aufbewahrungsregel geändert";
    RetentionApplied => "Retention applied to closed tickets", "Aufbewahrung auf geschlossene Tickets angewandt";
    TenantCreated => "Tenant added", "Mandant hinzugefügt";
    TenantChanged => "Tenant changed", "Mandant geändert";
    GrantAdded => "Provider access to a tenant granted", "Zugriff des Dienstleisters auf einen Mandanten gewährt";
    GrantRemoved => "Provider access to a tenant removed", "Zugriff des Dienstleisters auf einen Mandanten entzogen";
    PersonErased => "Person's data erased", "Daten einer Person gelöscht";
    PersonDeprovisioned => "Person deprovisioned by the directory or identity provider", "Person vom Verzeichnis oder Identitätsanbieter entfernt";
    SignInChanged => "Sign-in or provisioning set-up changed", "Einrichtung von Anmeldung oder Bereitstellung geändert";
    KindOidcProvider => "Identity provider", "Identitätsanbieter";
    KindDirectory => "Directory (LDAP)", "Verzeichnis (LDAP)";
    KindScimToken => "SCIM token", "SCIM-Token";
    KindUser => "Person", "Person";
    KindOrganization => "Organisation", "Organisation";
    KindGroup => "Group", "Gruppe";
    KindCategory => "Category", "Kategorie";
    KindService => "Service", "Dienst";
    KindCalendar => "Calendar", "Kalender";
    KindPolicy => "SLA policy", "SLA-Richtlinie";
    KindMailbox => "Mailbox", "Postfach";
    KindSop => "SOP", "SOP";
    KindArticle => "Article", "Artikel";
    KindTenant => "Tenant", "Mandant";
    KindSettings => "Settings", "Einstellungen";
    KindTickets => "Tickets", "Tickets";
    RetentionTitle => "Retention", "Aufbewahrung";
    RetentionIntro => "Closed tickets older than the period you choose are anonymised (their texts, history texts, attachments and mail removed; the ticket and its numbers kept) or deleted with everything that belongs to them. Off by default. Count first: the count is what the next run will do.", "Geschlossene Tickets, die älter als der gewählte Zeitraum sind, werden anonymisiert (Texte, Verlaufstexte, Anhänge und E-Mails entfernt; das Ticket und seine Kennzahlen bleiben) oder mit allem, was zu ihnen gehört, gelöscht. Standardmäßig aus. Zuerst zählen: Die Zahl ist das, was der nächste Lauf tut.";
    RuleNow => "The rule now", "Die aktuelle Regel";
    ChangeRule => "Change the rule", "Regel ändern";
    Mode => "Closed tickets are", "Geschlossene Tickets werden";
    Months => "After (months)", "Nach (Monaten)";
    MonthsHint => "1 to 120 months after closing.", "1 bis 120 Monate nach dem Schließen.";
    ModeOff => "Kept (off)", "Behalten (aus)";
    ModeAnonymise => "Anonymised", "Anonymisiert";
    ModeDelete => "Deleted", "Gelöscht";
    ChooseMode => "Choose what happens to closed tickets.", "Wählen Sie, was mit geschlossenen Tickets geschieht.";
    MonthsRange => "Give 1 to 120 months.", "Geben Sie 1 bis 120 Monate an.";
    MonthsOne => "after {0} month", "nach {0} Monat";
    MonthsMany => "after {0} months", "nach {0} Monaten";
    DueOne => "{0} ticket due now", "{0} Ticket jetzt fällig";
    DueMany => "{0} tickets due now", "{0} Tickets jetzt fällig";
    DryRunOne => "This rule would touch {0} closed ticket now.", "Diese Regel würde jetzt {0} geschlossenes Ticket betreffen.";
    DryRunMany => "This rule would touch {0} closed tickets now.", "Diese Regel würde jetzt {0} geschlossene Tickets betreffen.";
    CountFirst => "Count", "Zählen";
    SaveRule => "Save rule", "Regel speichern";
    }
}

/// An action's description, by its code.
pub fn action(code: &str) -> &'static str {
    super::t(match code {
        "person.created" => Audit::PersonCreated,
        "person.role_changed" => Audit::RoleChanged,
        "person.deactivated" => Audit::PersonDeactivated,
        "person.reactivated" => Audit::PersonReactivated,
        "person.password_reset" => Audit::PasswordReset,
        "person.changed" => Audit::PersonChanged,
        "token.issued_for_other" => Audit::TokenIssued,
        "organization.created" => Audit::OrganizationCreated,
        "group.created" => Audit::GroupCreated,
        "group.changed" => Audit::GroupChanged,
        "group.member_added" => Audit::MemberAdded,
        "group.member_removed" => Audit::MemberRemoved,
        "category.created" => Audit::CategoryCreated,
        "service.created" => Audit::ServiceCreated,
        "calendar.created" => Audit::CalendarCreated,
        "calendar.changed" => Audit::CalendarChanged,
        "policy.created" => Audit::PolicyCreated,
        "policy.changed" => Audit::PolicyChanged,
        "setting.changed" => Audit::SettingChanged,
        "mailbox.created" => Audit::MailboxCreated,
        "mailbox.changed" => Audit::MailboxChanged,
        "mailbox.deleted" => Audit::MailboxDeleted,
        "sop.governed" => Audit::SopGoverned,
        "sop.imported" => Audit::SopsImported,
        "article.governed" => Audit::ArticleGoverned,
        "secrets.rotated" => Audit::SecretsRotated,
        "retention.changed" => Audit::RetentionChanged,
        "retention.applied" => Audit::RetentionApplied,
        "tenant.created" => Audit::TenantCreated,
        "tenant.changed" => Audit::TenantChanged,
        "tenant.grant_added" => Audit::GrantAdded,
        "tenant.grant_removed" => Audit::GrantRemoved,
        "person.erased" => Audit::PersonErased,
        "person.deprovisioned" => Audit::PersonDeprovisioned,
        "sign_in.changed" => Audit::SignInChanged,
        _ => Audit::Unknown,
    })
}

/// A target kind in words, by its code.
pub fn target_kind(code: &str) -> &'static str {
    super::t(match code {
        "user" => Audit::KindUser,
        "organization" => Audit::KindOrganization,
        "group" => Audit::KindGroup,
        "category" => Audit::KindCategory,
        "service" => Audit::KindService,
        "calendar" => Audit::KindCalendar,
        "policy" => Audit::KindPolicy,
        "mailbox" => Audit::KindMailbox,
        "sop" => Audit::KindSop,
        "article" => Audit::KindArticle,
        "tenant" => Audit::KindTenant,
        "settings" => Audit::KindSettings,
        "tickets" => Audit::KindTickets,
        "oidc_provider" => Audit::KindOidcProvider,
        "directory" => Audit::KindDirectory,
        "scim_token" => Audit::KindScimToken,
        _ => Audit::Unknown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_words() {
        for code in spoc_domain::audit::AUDIT_CODES {
            assert_ne!(action(code), "Unknown", "{code}");
        }
        for kind in spoc_domain::audit::AUDIT_TARGET_KINDS {
            assert_ne!(target_kind(kind), "Unknown", "{kind}");
        }
    }
}
