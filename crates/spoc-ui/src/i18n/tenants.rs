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
    RemoveLogo => "Remove the logo", "Logo entfernen";
    LogoRemoved => "The logo was removed.", "Das Logo wurde entfernt.";
    }
}
