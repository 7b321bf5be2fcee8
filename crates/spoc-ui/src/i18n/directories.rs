//! Messages of the LDAP directories page (`/admin/directories`).

use super::catalogue;

catalogue! {
    /// A message of the LDAP directories page.
    Dir {
    Intro => "People of an LDAP or Active Directory directory sign in with their directory password; the directory is imported on a schedule, and people who leave it are deactivated at once. Group mappings are set through the API (/api/v1/directories).", "Personen aus einem LDAP- oder Active-Directory-Verzeichnis melden sich mit ihrem Verzeichnispasswort an; das Verzeichnis wird regelmäßig importiert, und wer es verlässt, wird sofort deaktiviert. Gruppenzuordnungen werden über die API festgelegt (/api/v1/directories).";
    NoDirectories => "No directories yet", "Noch keine Verzeichnisse";
    NoDirectoriesText => "Add one below: people then sign in with their directory password.", "Legen Sie unten eines an: Dann melden sich Personen mit ihrem Verzeichnispasswort an.";
    Caption => "Directories", "Verzeichnisse";
    Name => "Name", "Name";
    Server => "Server", "Server";
    State => "State", "Zustand";
    On => "On", "An";
    Off => "Off", "Aus";
    LastSync => "Last sync", "Letzte Synchronisierung";
    Never => "Not synced yet", "Noch nicht synchronisiert";
    SyncNow => "Sync now", "Jetzt synchronisieren";
    FullSync => "Full sync", "Vollständig synchronisieren";
    SyncOf => "Sync {0} now", "{0} jetzt synchronisieren";
    FullSyncOf => "Sync all of {0} now, deactivating people who left", "{0} jetzt vollständig synchronisieren und Ausgeschiedene deaktivieren";
    Add => "Add a directory", "Verzeichnis anlegen";
    AddButton => "Add directory", "Verzeichnis anlegen";
    Url => "Server address", "Serveradresse";
    UrlHint => "ldaps://host:636, or ldap://host:389 with StartTLS. Unencrypted connections are never used.", "ldaps://host:636 oder ldap://host:389 mit StartTLS. Unverschlüsselte Verbindungen werden nie verwendet.";
    Ca => "CA certificate (PEM, optional)", "CA-Zertifikat (PEM, optional)";
    CaHint => "The certificate authority that signed the directory's certificate; empty: the public ones.", "Die Zertifizierungsstelle, die das Zertifikat des Verzeichnisses signiert hat; leer: die öffentlichen.";
    BindDn => "Service account (bind DN)", "Dienstkonto (Bind-DN)";
    BindPassword => "Service account password", "Passwort des Dienstkontos";
    BindPasswordHint => "Stored encrypted and never shown again.", "Wird verschlüsselt gespeichert und nie wieder angezeigt.";
    UserBase => "People are under (base DN)", "Personen liegen unter (Basis-DN)";
    UserFilter => "People filter", "Personenfilter";
    GroupBase => "Groups are under (base DN, optional)", "Gruppen liegen unter (Basis-DN, optional)";
    DefaultRole => "Role of imported people", "Rolle importierter Personen";
    RoleCustomer => "Customer", "Kunde";
    RoleAgent => "Agent", "Agent";
    RoleLead => "Lead", "Leitung";
    RoleAdmin => "Admin", "Admin";
    }
}
