//! Messages of the admin page for SCIM provisioning (`/admin/scim`).

use super::catalogue;

catalogue! {
    /// A message of the SCIM provisioning page.
    Scim {
    Title => "Provisioning (SCIM)", "Bereitstellung (SCIM)";
    Intro => "An identity provider such as Entra ID or Okta creates, changes and deactivates this desk's people and groups over SCIM 2.0. Give it the address below and a SCIM token. Deactivating a person there ends their sessions and API tokens here at once.", "Ein Identitätsanbieter wie Entra ID oder Okta legt die Personen und Gruppen dieses Service Desks über SCIM 2.0 an, ändert und deaktiviert sie. Geben Sie ihm die Adresse unten und ein SCIM-Token. Wird eine Person dort deaktiviert, enden ihre Sitzungen und API-Tokens hier sofort.";
    BaseUrl => "SCIM address (tenant URL)", "SCIM-Adresse (Mandanten-URL)";
    Roles => "People provisioned this way are customers; members of a provisioned group become agents. SCIM never makes admins.", "So bereitgestellte Personen sind Kunden; Mitglieder einer bereitgestellten Gruppe werden Agenten. SCIM macht niemanden zum Admin.";
    Tokens => "SCIM tokens", "SCIM-Tokens";
    TokensCaption => "The SCIM tokens of this desk", "Die SCIM-Tokens dieses Service Desks";
    NoTokens => "No SCIM tokens yet", "Noch keine SCIM-Tokens";
    NoTokensText => "Create one below for your identity provider.", "Legen Sie unten eines für Ihren Identitätsanbieter an.";
    Label => "Label", "Bezeichnung";
    LabelHint => "For example the identity provider's name.", "Zum Beispiel der Name des Identitätsanbieters.";
    Created => "Created", "Angelegt";
    LastUsed => "Last used", "Zuletzt benutzt";
    Never => "never", "nie";
    State => "State", "Zustand";
    Live => "In use", "In Gebrauch";
    Revoked => "Revoked", "Widerrufen";
    Actions => "Actions", "Aktionen";
    Revoke => "Revoke", "Widerrufen";
    RevokeLabel => "Revoke the SCIM token {0}", "Das SCIM-Token {0} widerrufen";
    RevokedFlash => "The SCIM token was revoked. The identity provider using it is refused from now on.", "Das SCIM-Token wurde widerrufen. Der Identitätsanbieter, der es benutzt, wird ab jetzt abgewiesen.";
    Create => "Create a SCIM token", "SCIM-Token anlegen";
    CreateButton => "Create token", "Token anlegen";
    NewSecret => "Your new SCIM token", "Ihr neues SCIM-Token";
    NewSecretText => "Copy it into your identity provider now: it is shown only this once.", "Kopieren Sie es jetzt in Ihren Identitätsanbieter: Es wird nur dieses eine Mal angezeigt.";
    }
}
