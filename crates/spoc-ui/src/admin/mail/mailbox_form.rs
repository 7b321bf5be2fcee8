//! The mailbox form: what an admin typed, turned into the app's input or into sentences next to
//! the fields, and drawn again (never with the password).

use maud::{Markup, html};
use spoc_app::{ImapSecurity, ImapSettings, Mailbox, MailboxInput};
use spoc_domain::mail::{NonParticipants, UnknownSenders};
use spoc_domain::ticket::TicketKind;

use crate::i18n::mail_admin::MailAdmin;
use crate::i18n::t;
use crate::page::{
    FieldErrors, checkbox, csrf_field, described_by, error_box, field, select, text_input,
};
use crate::session::Viewer;

/// A mailbox form as typed (the password is never shown back).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailboxForm {
    name: String,
    address: String,
    enabled: bool,
    imap_host: String,
    imap_port: String,
    imap_security: String,
    imap_username: String,
    imap_password: String,
    ca_certificate: String,
    folder: String,
    processed_folder: String,
    unknown_senders: String,
    non_participants: String,
    ticket_kind: String,
    poll_seconds: String,
}

impl Default for MailboxForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            address: String::new(),
            enabled: true,
            imap_host: String::new(),
            imap_port: String::new(),
            imap_security: ImapSecurity::Tls.as_str().to_owned(),
            imap_username: String::new(),
            imap_password: String::new(),
            ca_certificate: String::new(),
            folder: "INBOX".to_owned(),
            processed_folder: String::new(),
            unknown_senders: UnknownSenders::Create.as_str().to_owned(),
            non_participants: NonParticipants::NewTicket.as_str().to_owned(),
            ticket_kind: TicketKind::Incident.as_str().to_owned(),
            poll_seconds: "60".to_owned(),
        }
    }
}

/// The form's fields, by the names the app reports errors under.
pub(super) const FIELDS: [&str; 14] = [
    "name",
    "address",
    "imap_host",
    "imap_port",
    "imap_security",
    "imap_username",
    "imap_password",
    "ca_certificate",
    "folder",
    "processed_folder",
    "unknown_senders",
    "non_participants",
    "ticket_kind",
    "poll_seconds",
];

pub(crate) type Pairs = Vec<(String, String)>;

pub(crate) fn value<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

impl MailboxForm {
    pub(super) fn of(record: &Mailbox) -> Self {
        let imap = record.imap.as_ref();
        Self {
            name: record.name.clone(),
            address: record.address.clone(),
            enabled: record.enabled,
            imap_host: imap.map(|i| i.host.clone()).unwrap_or_default(),
            imap_port: imap.map(|i| i.port.to_string()).unwrap_or_default(),
            imap_security: imap
                .map_or(ImapSecurity::Tls, |i| i.security)
                .as_str()
                .to_owned(),
            imap_username: imap.map(|i| i.username.clone()).unwrap_or_default(),
            imap_password: String::new(),
            ca_certificate: imap
                .and_then(|i| i.ca_certificate.clone())
                .unwrap_or_default(),
            folder: record.folder.clone(),
            processed_folder: record.processed_folder.clone().unwrap_or_default(),
            unknown_senders: record.unknown_senders.as_str().to_owned(),
            non_participants: record.non_participants.as_str().to_owned(),
            ticket_kind: record.ticket_kind.as_str().to_owned(),
            poll_seconds: record.poll_seconds.to_string(),
        }
    }

    pub(super) fn from_pairs(pairs: &Pairs) -> Self {
        Self {
            name: value(pairs, "name").to_owned(),
            address: value(pairs, "address").to_owned(),
            enabled: !value(pairs, "enabled").is_empty(),
            imap_host: value(pairs, "imap_host").to_owned(),
            imap_port: value(pairs, "imap_port").to_owned(),
            imap_security: value(pairs, "imap_security").to_owned(),
            imap_username: value(pairs, "imap_username").to_owned(),
            imap_password: value(pairs, "imap_password").to_owned(),
            ca_certificate: value(pairs, "ca_certificate").to_owned(),
            folder: value(pairs, "folder").to_owned(),
            processed_folder: value(pairs, "processed_folder").to_owned(),
            unknown_senders: value(pairs, "unknown_senders").to_owned(),
            non_participants: value(pairs, "non_participants").to_owned(),
            ticket_kind: value(pairs, "ticket_kind").to_owned(),
            poll_seconds: value(pairs, "poll_seconds").to_owned(),
        }
    }

    /// The app's input, or a sentence next to each field that cannot be read. Names,
    /// addresses and folders are checked by the app.
    pub(super) fn input(&self, errors: &mut FieldErrors) -> Option<MailboxInput> {
        let security = ImapSecurity::parse(self.imap_security.trim());
        if security.is_none() {
            errors.add("imap_security", t(MailAdmin::ChooseSecurity));
        }
        let host = self.imap_host.trim();
        let port = match self.imap_port.trim() {
            "" => security.map(|s| match s {
                ImapSecurity::Tls => 993,
                ImapSecurity::StartTls => 143,
            }),
            text => match text.parse::<u16>() {
                Ok(port) if port > 0 => Some(port),
                _ => {
                    errors.add("imap_port", t(MailAdmin::BadPort));
                    None
                }
            },
        };
        if host.is_empty()
            && !(self.imap_username.trim().is_empty()
                && self.imap_password.is_empty()
                && self.ca_certificate.trim().is_empty())
        {
            errors.add("imap_host", t(MailAdmin::NameImapServer));
        }
        let unknown_senders = UnknownSenders::parse(&self.unknown_senders)
            .map_err(|_| errors.add("unknown_senders", t(MailAdmin::ChooseUnknownSenders)))
            .ok();
        let non_participants = NonParticipants::parse(&self.non_participants)
            .map_err(|_| errors.add("non_participants", t(MailAdmin::ChooseNonParticipants)))
            .ok();
        let ticket_kind = TicketKind::parse(&self.ticket_kind)
            .map_err(|_| errors.add("ticket_kind", t(MailAdmin::ChooseKind)))
            .ok();
        let poll_seconds = self
            .poll_seconds
            .trim()
            .parse::<i64>()
            .map_err(|_| errors.add("poll_seconds", t(MailAdmin::BadPollSeconds)))
            .ok();
        if !errors.is_empty() {
            return None;
        }
        let imap = match (host.is_empty(), security, port) {
            (false, Some(security), Some(port)) => Some(ImapSettings {
                host: host.to_owned(),
                port,
                security,
                username: self.imap_username.trim().to_owned(),
                password: self.imap_password.clone(),
                ca_certificate: Some(self.ca_certificate.trim().to_owned())
                    .filter(|c| !c.is_empty()),
            }),
            _ => None,
        };
        Some(MailboxInput {
            name: self.name.trim().to_owned(),
            address: self.address.trim().to_lowercase(),
            enabled: self.enabled,
            imap,
            folder: self.folder.trim().to_owned(),
            processed_folder: Some(self.processed_folder.trim().to_owned())
                .filter(|f| !f.is_empty()),
            unknown_senders: unknown_senders?,
            non_participants: non_participants?,
            ticket_kind: ticket_kind?,
            poll_seconds: poll_seconds?,
        })
    }
}

/// A multi-line field with its label, hint and error.
fn text_area(
    id: &str,
    name: &str,
    label: &str,
    hint: &str,
    value: &str,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    field(
        id,
        label,
        Some(hint),
        error,
        html! {
            textarea id=(id) name=(name) rows="4" class="mono" spellcheck="false"
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[described_by(id, true, error.is_some())] { (value) }
        },
    )
}

/// Radio choices with a hint under each, and the error for `name`.
fn choices(
    name: &str,
    legend: &str,
    options: &[(&str, &str, &str)],
    selected: &str,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    html! {
        fieldset.field.choices.has-error[error.is_some()] {
            legend { (legend) }
            @for (value, title, hint) in options {
                label class="choice" {
                    input type="radio" name=(name) value=(value) checked[*value == selected];
                    span class="choice-text" { strong { (title) } span class="hint" { (hint) } }
                }
            }
            @if let Some(error) = error { p class="field-error" { (error) } }
        }
    }
}

/// The mailbox form; `record` is the stored mailbox when editing one.
pub fn mailbox_form(
    viewer: &Viewer,
    record: Option<&Mailbox>,
    form: &MailboxForm,
    errors: &FieldErrors,
) -> Markup {
    let action = record.map_or_else(
        || "/admin/mail/mailboxes/new".to_owned(),
        |m| format!("/admin/mail/mailboxes/{}", m.id),
    );
    let password_stored = record
        .and_then(|m| m.imap.as_ref())
        .is_some_and(|i| i.has_password);
    let security_options: Vec<(String, String)> = vec![
        ("tls".to_owned(), t(MailAdmin::ImapTls).to_owned()),
        ("starttls".to_owned(), t(MailAdmin::ImapStarttls).to_owned()),
    ];
    let kind_options: Vec<(String, String)> = TicketKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_owned(),
                t(match k {
                    TicketKind::Incident => MailAdmin::KindIncidents,
                    TicketKind::ServiceRequest => MailAdmin::KindRequests,
                })
                .to_owned(),
            )
        })
        .collect();
    html! {
        (error_box(errors.get("form")))
        form class="form panel" method="post" action=(action) {
            (csrf_field(viewer))
            div class="grid-2" {
                (text_input("m-name", "name", t(MailAdmin::Name), "text", &form.name, true,
                    Some(t(MailAdmin::NameHint)), errors))
                (text_input("m-address", "address", t(MailAdmin::DeskAddress), "email", &form.address, true,
                    Some(t(MailAdmin::DeskAddressHint)), errors))
            }
            (checkbox("m-enabled", "enabled", t(MailAdmin::SwitchedOn), form.enabled, None))
            fieldset class="field stack" {
                legend { (t(MailAdmin::ImapLegend)) }
                p class="hint" { (t(MailAdmin::ImapHint)) }
                div class="grid-2" {
                    (text_input("m-host", "imap_host", t(MailAdmin::ImapServer), "text", &form.imap_host, false, None, errors))
                    div class="grid-2" {
                        (text_input("m-port", "imap_port", t(MailAdmin::Port), "text", &form.imap_port, false, Some(t(MailAdmin::PortHint)), errors))
                        (select("m-security", "imap_security", t(MailAdmin::Encryption), &security_options, &form.imap_security, errors))
                    }
                }
                div class="grid-2" {
                    (text_input("m-username", "imap_username", t(MailAdmin::Login), "text", &form.imap_username, false, None, errors))
                    (text_input("m-password", "imap_password", t(MailAdmin::Password), "password", "", false,
                        Some(if !form.imap_password.is_empty() && !errors.is_empty() {
                            t(MailAdmin::PasswordAgain)
                        } else if password_stored {
                            t(MailAdmin::MailboxPasswordStored)
                        } else {
                            t(MailAdmin::MailboxPasswordNew)
                        }), errors))
                }
                (text_area("m-ca", "ca_certificate", t(MailAdmin::CaCertificate),
                    t(MailAdmin::CaCertificateHint),
                    &form.ca_certificate, errors))
                div class="grid-2" {
                    (text_input("m-folder", "folder", t(MailAdmin::Folder), "text", &form.folder, true, None, errors))
                    (text_input("m-processed", "processed_folder", t(MailAdmin::ProcessedFolder), "text", &form.processed_folder, false,
                        Some(t(MailAdmin::ProcessedFolderHint)), errors))
                }
                div class="input-short" {
                    (text_input("m-poll", "poll_seconds", t(MailAdmin::PollSeconds), "text", &form.poll_seconds, true,
                        Some(t(MailAdmin::PollSecondsHint)), errors))
                }
            }
            (choices("unknown_senders", t(MailAdmin::UnknownSenders), &[
                ("create", t(MailAdmin::RegisterCustomers), t(MailAdmin::RegisterCustomersHint)),
                ("refuse", t(MailAdmin::RefuseIt), t(MailAdmin::RefuseItHint)),
            ], &form.unknown_senders, errors))
            (choices("non_participants", t(MailAdmin::NonParticipants), &[
                ("new_ticket", t(MailAdmin::StartNewTicket), t(MailAdmin::StartNewTicketHint)),
                ("hold", t(MailAdmin::HoldForReview), t(MailAdmin::HoldForReviewHint)),
            ], &form.non_participants, errors))
            (select("m-kind", "ticket_kind", t(MailAdmin::NewMailBecomes), &kind_options, &form.ticket_kind, errors))
            div class="form-actions" { button class="button button-primary" type="submit" { (t(MailAdmin::SaveMailbox)) } }
        }
    }
}

#[cfg(test)]
mod tests {
    use spoc_domain::user::Role;

    use super::*;
    use crate::admin::mail::frame::tests::viewer;

    fn pairs(items: &[(&str, &str)]) -> Pairs {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_mailbox_form_becomes_the_apps_input_or_sentences_next_to_fields() {
        let form = MailboxForm::from_pairs(&pairs(&[
            ("name", " support "),
            ("address", " Help@Example.COM "),
            ("enabled", "on"),
            ("imap_host", "imap.example.com"),
            ("imap_port", ""),
            ("imap_security", "starttls"),
            ("imap_username", "help"),
            ("imap_password", "s3cret"),
            ("folder", "INBOX"),
            ("processed_folder", ""),
            ("unknown_senders", "refuse"),
            ("non_participants", "hold"),
            ("ticket_kind", "service_request"),
            ("poll_seconds", "120"),
        ]));
        let mut errors = FieldErrors::none();
        let input = form.input(&mut errors).unwrap();
        assert!(errors.is_empty());
        assert_eq!(input.name, "support");
        assert_eq!(input.address, "help@example.com");
        let imap = input.imap.unwrap();
        assert_eq!((imap.port, imap.security), (143, ImapSecurity::StartTls));
        assert_eq!(input.processed_folder, None);
        assert_eq!(input.unknown_senders, UnknownSenders::Refuse);
        assert_eq!(input.non_participants, NonParticipants::Hold);
        assert_eq!(input.poll_seconds, 120);

        let bad = MailboxForm::from_pairs(&pairs(&[
            ("imap_port", "99999"),
            ("imap_security", "tls"),
            ("imap_username", "someone"),
            ("unknown_senders", "create"),
            ("non_participants", "new_ticket"),
            ("ticket_kind", "incident"),
            ("poll_seconds", "often"),
        ]));
        let mut errors = FieldErrors::none();
        assert!(bad.input(&mut errors).is_none());
        assert!(errors.get("imap_port").unwrap().contains("1 to 65535"));
        assert!(
            errors
                .get("imap_host")
                .unwrap()
                .starts_with("Name the IMAP server")
        );
        assert!(errors.get("poll_seconds").unwrap().ends_with('.'));
    }

    #[test]
    fn the_mailbox_form_keeps_what_was_typed_but_never_the_password() {
        let form = MailboxForm {
            name: "support <b>".to_owned(),
            imap_password: "s3cret".to_owned(),
            ..MailboxForm::default()
        };
        let errors = FieldErrors::one(
            "address",
            "The address must contain exactly one @ between a name and a domain.",
        );
        let html = mailbox_form(&viewer(Role::Admin), None, &form, &errors).into_string();
        assert!(html.contains(r#"value="support &lt;b&gt;""#), "{html}");
        assert!(!html.contains("s3cret"), "the password is never sent back");
        assert!(html.contains(
            r#"<p class="field-error" id="m-address-error">The address must contain exactly one @"#
        ));
        assert!(html.contains(r#"aria-describedby="m-address-hint m-address-error""#));
        assert!(html.contains(r#"name="csrf""#));
        assert!(html.contains(r#"action="/admin/mail/mailboxes/new""#));
        for name in [
            "imap_host",
            "imap_port",
            "imap_security",
            "imap_username",
            "imap_password",
            "ca_certificate",
            "folder",
            "processed_folder",
            "unknown_senders",
            "non_participants",
            "ticket_kind",
            "poll_seconds",
            "enabled",
        ] {
            assert!(
                html.contains(&format!(r#"name="{name}""#)),
                "{name} missing"
            );
        }
    }
}
