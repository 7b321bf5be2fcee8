//! Messages of the admin page of identity providers (`admin/sign_in.rs`).

use super::catalogue;

catalogue! {
    /// A message of the identity providers page.
    SignInAdmin {
    Title => "Sign-in with identity providers", "Anmeldung über Identitätsanbieter";
    Intro => "People can sign in with their organisation's account (OpenID Connect). Spoc links them to an account by a verified e-mail address only.", "Personen können sich mit dem Konto ihrer Organisation anmelden (OpenID Connect). Spoc verknüpft sie nur über eine bestätigte E-Mail-Adresse mit einem Konto.";
    NoneYet => "No identity provider yet", "Noch kein Identitätsanbieter";
    NoneYetText => "Add one below; its button then appears on the sign-in page.", "Fügen Sie unten einen hinzu; seine Schaltfläche erscheint dann auf der Anmeldeseite.";
    Name => "Name", "Name";
    Slug => "Short name", "Kürzel";
    SlugHint => "Lowercase letters, digits and '-'; part of the redirect address.", "Kleinbuchstaben, Ziffern und '-'; Teil der Rücksprungadresse.";
    Issuer => "Issuer URL", "Aussteller-URL";
    ClientId => "Client ID", "Client-ID";
    ClientSecret => "Client secret", "Client-Geheimnis";
    ClientSecretHint => "Stored encrypted and never shown again.", "Wird verschlüsselt gespeichert und nie wieder angezeigt.";
    Scopes => "Scopes", "Scopes";
    Claim => "Claim for roles and groups", "Claim für Rollen und Gruppen";
    ClaimHint => "For example groups or roles; leave empty for no rules.", "Zum Beispiel groups oder roles; leer lassen, wenn es keine Regeln gibt.";
    RoleRules => "Role rules", "Rollenregeln";
    RoleRulesHint => "One per line: claim value = customer, agent, lead or admin. The first that matches wins.", "Eine pro Zeile: Claim-Wert = customer, agent, lead oder admin. Die erste passende gilt.";
    GroupRules => "Group rules", "Gruppenregeln";
    GroupRulesHint => "One per line: claim value = group name.", "Eine pro Zeile: Claim-Wert = Gruppenname.";
    BadRule => "Write one rule per line as value = role.", "Schreiben Sie eine Regel pro Zeile als Wert = Rolle.";
    BadGroupRule => "Write one rule per line as value = the name of one of your groups.", "Schreiben Sie eine Regel pro Zeile als Wert = Name einer Ihrer Gruppen.";
    Jit => "Create accounts for new people at their first sign-in", "Konten für neue Personen bei der ersten Anmeldung anlegen";
    DefaultRole => "Role of new accounts", "Rolle neuer Konten";
    Enabled => "Offer on the sign-in page", "Auf der Anmeldeseite anbieten";
    Status => "Status", "Status";
    On => "Offered", "Angeboten";
    Off => "Switched off", "Ausgeschaltet";
    Add => "Add provider", "Anbieter hinzufügen";
    AddTitle => "Add an identity provider", "Identitätsanbieter hinzufügen";
    Remove => "Remove", "Entfernen";
    RemoveLabel => "Remove {0}", "{0} entfernen";
    Redirect => "Register this redirect address at the provider: {0}", "Tragen Sie beim Anbieter diese Rücksprungadresse ein: {0}";
    SlugTaken => "Another provider has this short name.", "Ein anderer Anbieter hat schon dieses Kürzel.";
    }
}
