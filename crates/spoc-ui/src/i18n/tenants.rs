//! Messages of the tenants' administration (`/admin/tenants`, provider admins of a desk with
//! more than one tenant).

use super::catalogue;

catalogue! {
    /// A message of the tenants' administration.
    Tenants {
    Section => "Tenants", "Mandanten";
    Intro => "Client companies served by this desk, each with its own people, desk, portal and brand.", "Kundenunternehmen dieses Service Desks, jedes mit eigenen Personen, eigenem Service Desk, Portal und Markenauftritt.";
    Name => "Name", "Name";
    Slug => "Slug", "Kurzname";
    SlugHint => "Lowercase letters, digits and hyphens; its people sign in at /t/slug.", "Kleinbuchstaben, Ziffern und Bindestriche; seine Personen melden sich unter /t/Kurzname an.";
    Host => "Host name", "Hostname";
    HostHint => "Optional: a host name of its own, such as help.example.org.", "Optional: ein eigener Hostname, etwa help.example.org.";
    PrimaryColour => "Primary colour", "Hauptfarbe";
    AccentColour => "Accent colour", "Akzentfarbe";
    ColourHint => "Optional: # and six hexadecimal digits, such as #1f6feb.", "Optional: # und sechs Hexadezimalziffern, etwa #1f6feb.";
    Active => "Its people may sign in", "Seine Personen dürfen sich anmelden";
    Status => "Status", "Status";
    IsActive => "Active", "Aktiv";
    IsInactive => "Inactive", "Inaktiv";
    Edit => "Edit", "Bearbeiten";
    AddTenant => "Add a tenant", "Mandanten hinzufügen";
    FirstAdminEmail => "First admin's e-mail (optional)", "E-Mail des ersten Admins (optional)";
    FirstAdminName => "First admin's name", "Name des ersten Admins";
    Add => "Add", "Hinzufügen";
    Save => "Save", "Speichern";
    Created => "The tenant was added.", "Der Mandant wurde hinzugefügt.";
    SetPasswordLink => "Give its first admin this link to set a password (it works once, for 7 days; it is shown only now):", "Geben Sie dem ersten Admin diesen Link, um ein Passwort zu setzen (er funktioniert einmal, 7 Tage lang, und wird nur jetzt angezeigt):";
    Saved => "Saved.", "Gespeichert.";
    Logo => "Logo", "Logo";
    LogoHint => "A PNG, JPEG or WebP image of at most 256 KiB.", "Ein PNG-, JPEG- oder WebP-Bild von höchstens 256 KiB.";
    CurrentLogo => "The current logo", "Das aktuelle Logo";
    Upload => "Upload", "Hochladen";
    ChooseFile => "Choose an image file.", "Wählen Sie eine Bilddatei.";
    AdminNameNeeded => "Give the first admin's name too.", "Geben Sie auch den Namen des ersten Admins an.";
    Taken => "Another tenant has this already.", "Ein anderer Mandant hat das bereits.";
    Brand => "Brand", "Markenauftritt";
    Address => "Address", "Adresse";
    MailAddresses => "Mail addresses", "E-Mail-Adressen";
    MailIntro => "Mail the provider receives for one of these addresses (in its shared mailbox or through its relay) lands in this tenant, and the tenant's tickets are answered from the first.", "E-Mails, die der Anbieter für eine dieser Adressen empfängt (in seinem gemeinsamen Postfach oder über sein Relay), landen in diesem Mandanten; die Tickets des Mandanten werden von der ersten beantwortet.";
    MailHint => "One address per line, at most 20. An address belongs to one tenant only.", "Eine Adresse pro Zeile, höchstens 20. Eine Adresse gehört nur zu einem Mandanten.";
    NoMailAddresses => "This tenant has no mail addresses of its own.", "Dieser Mandant hat keine eigenen E-Mail-Adressen.";
    MailByProvider => "The provider's admins set these addresses.", "Diese Adressen legen die Admins des Anbieters fest.";
    GrantsTitle => "Provider access", "Zugriff des Dienstleisters";
    GrantsIntro => "The provider's groups and agents named here work this tenant's tickets of the groups granted, as their own agent accounts of this tenant. Nothing else of the tenant is visible to them.", "Die hier genannten Gruppen und Agent:innen des Dienstleisters bearbeiten die Tickets der freigegebenen Gruppen dieses Mandanten, mit eigenen Agentenkonten dieses Mandanten. Sonst sehen sie nichts vom Mandanten.";
    GrantsNone => "No access granted: the provider's agents see nothing of this tenant.", "Kein Zugriff gewährt: Die Agent:innen des Dienstleisters sehen nichts von diesem Mandanten.";
    GrantWho => "Who of the provider", "Wer beim Dienstleister";
    GrantGroups => "Groups of this tenant", "Gruppen dieses Mandanten";
    GrantKindGroup => "provider group", "Gruppe des Dienstleisters";
    GrantKindAgent => "provider agent", "Agent:in des Dienstleisters";
    GrantProviderGroups => "Provider groups", "Gruppen des Dienstleisters";
    GrantProviderAgents => "Provider agents", "Agent:innen des Dienstleisters";
    GrantAdd => "Grant access", "Zugriff gewähren";
    GrantRemove => "Remove access", "Zugriff entziehen";
    GrantChooseWho => "Choose a provider group or agent.", "Wählen Sie eine Gruppe oder Agent:in des Dienstleisters.";
    GrantChooseGroups => "Choose at least one group of this tenant.", "Wählen Sie mindestens eine Gruppe dieses Mandanten.";
    RemoveLogo => "Remove the logo", "Logo entfernen";
    LogoRemoved => "The logo was removed.", "Das Logo wurde entfernt.";
    }
}
