//! Outbound mail: an [`Outgoing`] notification written as RFC 5322 bytes with mail-builder.
//!
//! The output is a pure function of the input and the given date: the MIME boundary is derived
//! from the Message-ID, so building the same notification twice gives the same bytes, and a
//! resend after a crash carries the same `Message-ID` for receivers to de-duplicate.
//!
//! Header injection is impossible: addresses are [`Address`]es (validated addr-specs with
//! cleaned names), every other header value is folded onto one line before it is written, and
//! extra headers are limited to `X-…` and `List-…` names.

use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address as BuilderAddress;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::mime::MimePart;
use sha2::{Digest, Sha256};

use crate::address::Address;
use crate::text::{fold_line, hex};

/// The longest Message-ID accepted, in bytes.
const MAX_MESSAGE_ID_BYTES: usize = 250;
/// The longest extra header name accepted, in bytes.
const MAX_HEADER_NAME_BYTES: usize = 76;

/// A notification to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    /// The sender, e.g. the desk's address.
    pub from: Address,
    /// Where replies should go (the desk's mailbox), if not `from`.
    pub reply_to: Option<Address>,
    /// The recipients; at least one.
    pub to: Vec<Address>,
    /// The subject; folded onto one line, encoded words when not ASCII.
    pub subject: String,
    /// The Message-ID without angle brackets, e.g. from [`message_id_for`]; written exactly as
    /// given, so it must stay the same when the same notification is sent again.
    pub message_id: String,
    /// The message this answers, without angle brackets.
    pub in_reply_to: Option<String>,
    /// The thread, oldest first, without angle brackets; `in_reply_to` is added at the end if
    /// it is missing. Ids that are not valid message ids are left out.
    pub references: Vec<String>,
    /// The plain-text body.
    pub text: String,
    /// The HTML body; with it the message is multipart/alternative.
    pub html: Option<String>,
    /// Adds `Auto-Submitted: auto-generated` and `X-Auto-Response-Suppress: All`, so that
    /// auto-responders do not answer (RFC 3834). Set for every notification Spoc sends by
    /// itself.
    pub auto_submitted: bool,
    /// More headers, e.g. `X-Spoc-Ticket`.
    pub headers: Vec<ExtraHeader>,
}

/// An extra header: an `X-…` or `List-…` name and a value folded onto one line. Other names are
/// refused, so an extra header can never replace or add a structural one (From, Bcc,
/// Content-Type, Precedence, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtraHeader {
    name: String,
    value: String,
}

impl ExtraHeader {
    /// A header named `name` (`X-…` or `List-…`, printable ASCII without spaces or colons) with
    /// `value`, whose line breaks and control characters become spaces.
    pub fn new(name: &str, value: &str) -> Result<Self, BuildError> {
        let lower = name.to_ascii_lowercase();
        let valid_name = !name.is_empty()
            && name.len() <= MAX_HEADER_NAME_BYTES
            && name.bytes().all(|b| (33..=126).contains(&b) && b != b':')
            && ((lower.starts_with("x-") && lower.len() > 2)
                || (lower.starts_with("list-") && lower.len() > 5))
            && lower != "x-auto-response-suppress";
        if !valid_name {
            return Err(BuildError::HeaderName(fold_line(name)));
        }
        Ok(Self {
            name: name.to_owned(),
            value: fold_line(value),
        })
    }

    /// The header name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The header value, on one line.
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// Why a notification could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// [`Outgoing::to`] was empty.
    #[error("The message has no recipients.")]
    NoRecipients,
    /// The Message-ID is not `left@right` of printable characters.
    #[error("The Message-ID {0:?} is not a valid message id.")]
    MessageId(String),
    /// An extra header has a name that is not allowed.
    #[error("The header name {0:?} is not allowed; extra headers must be named X-… or List-….")]
    HeaderName(String),
    /// Writing failed (cannot happen when writing to memory, but mail-builder's API says it
    /// may).
    #[error("The message could not be written: {0}")]
    Write(#[from] std::io::Error),
}

/// Writes `out` as an RFC 5322 message dated `date_unix_seconds` (UTC): UTF-8 text, HTML as a
/// multipart/alternative when present, the Message-ID as given, `In-Reply-To` and
/// `References` for threading, and the RFC 3834 headers when [`Outgoing::auto_submitted`].
/// `Precedence` is never set.
pub fn build(out: &Outgoing, date_unix_seconds: i64) -> Result<Vec<u8>, BuildError> {
    if out.to.is_empty() {
        return Err(BuildError::NoRecipients);
    }
    if !is_message_id(&out.message_id) {
        return Err(BuildError::MessageId(fold_line(&out.message_id)));
    }
    let in_reply_to = out.in_reply_to.as_deref().filter(|id| is_message_id(id));
    let mut references: Vec<&str> = out
        .references
        .iter()
        .map(String::as_str)
        .filter(|id| is_message_id(id))
        .collect();
    if let Some(parent) = in_reply_to
        && !references.contains(&parent)
    {
        references.push(parent);
    }

    let mut builder = MessageBuilder::new()
        .from(mailbox(&out.from))
        .to(BuilderAddress::new_list(
            out.to.iter().map(mailbox).collect(),
        ))
        .subject(Text::new(fold_line(&out.subject)))
        .date(Date::new(date_unix_seconds.max(0)))
        .message_id(MessageId::new(out.message_id.as_str()));
    if let Some(reply_to) = &out.reply_to {
        builder = builder.reply_to(mailbox(reply_to));
    }
    if let Some(parent) = in_reply_to {
        builder = builder.in_reply_to(MessageId::new(parent));
    }
    if !references.is_empty() {
        builder = builder.references(MessageId::new_list(references.into_iter()));
    }
    if out.auto_submitted {
        builder = builder
            .header("Auto-Submitted", Raw::new("auto-generated"))
            .header("X-Auto-Response-Suppress", Raw::new("All"));
    }
    for extra in &out.headers {
        builder = builder.header(extra.name.as_str(), Text::new(extra.value.as_str()));
    }

    let text = MimePart::new(
        ContentType::new("text/plain").attribute("charset", "utf-8"),
        out.text.as_str(),
    );
    let body = match &out.html {
        Some(html) => {
            let boundary = boundary_for(&out.message_id, &[&out.text, html]);
            MimePart::new(
                ContentType::new("multipart/alternative").attribute("boundary", boundary),
                vec![
                    text,
                    MimePart::new(
                        ContentType::new("text/html").attribute("charset", "utf-8"),
                        html.as_str(),
                    ),
                ],
            )
        }
        None => text,
    };
    Ok(builder.body(body).write_to_vec()?)
}

/// A stable Message-ID (without angle brackets) for the notification identified by `key`, e.g.
/// `notification:1234:requester`: a hash of the key at `domain`. The same key always gives the
/// same id. Characters that cannot be in a domain are dropped from `domain`; an empty one
/// becomes `spoc.invalid`.
pub fn message_id_for(key: &str, domain: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"spoc-message-id\0")
        .chain_update(key.as_bytes())
        .finalize();
    let domain: String = domain
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
        .collect();
    let domain = domain.trim_matches('.');
    let domain = if domain.is_empty() {
        "spoc.invalid"
    } else {
        domain
    };
    format!("{}@{domain}", &hex(&digest)[..32])
}

/// A mail-builder mailbox from an [`Address`] (whose parts are already safe).
fn mailbox(address: &Address) -> BuilderAddress<'_> {
    BuilderAddress::new_address(address.name(), address.email())
}

/// Whether `id` is a message id without brackets: `left@right`, printable ASCII, no
/// whitespace, brackets, quotes or other specials.
fn is_message_id(id: &str) -> bool {
    let Some((left, right)) = id.split_once('@') else {
        return false;
    };
    let allowed = |b: u8| (33..=126).contains(&b) && !b"<>()\\,;:\"@".contains(&b);
    id.len() <= MAX_MESSAGE_ID_BYTES
        && !left.is_empty()
        && !right.is_empty()
        && left.bytes().all(allowed)
        && right.bytes().all(|b| allowed(b) || b == b'[' || b == b']')
}

/// A MIME boundary derived from the Message-ID (so output is reproducible) that occurs in none
/// of `bodies`.
fn boundary_for(message_id: &str, bodies: &[&str]) -> String {
    let mut salt = 0u32;
    loop {
        let digest = Sha256::new()
            .chain_update(b"spoc-boundary\0")
            .chain_update(message_id.as_bytes())
            .chain_update(salt.to_be_bytes())
            .finalize();
        let boundary = format!("=_spoc_{}", &hex(&digest)[..24]);
        if salt == u32::MAX || !bodies.iter().any(|b| b.contains(&boundary)) {
            return boundary;
        }
        salt += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Limits, ReturnPath, parse};

    fn outgoing() -> Outgoing {
        Outgoing {
            from: Address::parse("desk@example.com")
                .unwrap()
                .with_name("IT Service Desk"),
            reply_to: Some(Address::parse("support@example.com").unwrap()),
            to: vec![
                Address::parse("alice@example.com")
                    .unwrap()
                    .with_name("Alice Ärger"),
            ],
            subject: "[INC-000042] Drucker im 3. Stock klemmt".to_owned(),
            message_id: message_id_for("notification:7:requester", "desk.example.com"),
            in_reply_to: Some("CAF=abc@mail.gmail.com".to_owned()),
            references: vec!["first@example.com".to_owned()],
            text: "Hello Alice,\n\nwe have logged your request.\n".to_owned(),
            html: Some("<p>Hello Alice,</p><p>we have logged your request.</p>".to_owned()),
            auto_submitted: true,
            headers: vec![ExtraHeader::new("X-Spoc-Ticket", "INC-000042").unwrap()],
        }
    }

    #[test]
    fn message_ids_are_stable_per_key() {
        let a = message_id_for("notification:7:requester", "desk.example.com");
        assert_eq!(
            a,
            message_id_for("notification:7:requester", "desk.example.com")
        );
        assert_ne!(
            a,
            message_id_for("notification:8:requester", "desk.example.com")
        );
        assert!(a.ends_with("@desk.example.com"));
        assert!(is_message_id(&a));
        assert_eq!(
            message_id_for("k", "Desk.Example.COM\r\nBcc: x"),
            format!("{}@desk.example.combccx", &message_id_for("k", "x")[..32])
        );
        assert!(message_id_for("k", " ").ends_with("@spoc.invalid"));
    }

    #[test]
    fn built_messages_round_trip_through_the_parser() {
        let out = outgoing();
        let bytes = build(&out, 1_750_000_000).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains("Auto-Submitted: auto-generated\r\n"));
        assert!(text.contains("X-Auto-Response-Suppress: All\r\n"));
        assert!(text.contains(&format!("Message-ID: <{}>\r\n", out.message_id)));
        assert!(text.contains("In-Reply-To: <CAF=abc@mail.gmail.com>\r\n"));
        assert!(text.contains("Date: Sun, 15 Jun 2025 15:06:40 +0000\r\n"));
        assert!(text.contains("multipart/alternative"));
        assert!(!text.to_ascii_lowercase().contains("precedence"));

        let parsed = parse(&bytes, &Limits::default()).unwrap();
        assert_eq!(parsed.message_id.as_deref(), Some(out.message_id.as_str()));
        assert_eq!(
            parsed.in_reply_to,
            vec!["CAF=abc@mail.gmail.com".to_owned()]
        );
        assert_eq!(
            parsed.references,
            vec![
                "first@example.com".to_owned(),
                "CAF=abc@mail.gmail.com".to_owned()
            ]
        );
        assert_eq!(parsed.subject, out.subject);
        assert_eq!(
            parsed.from.as_ref().unwrap().name(),
            Some("IT Service Desk")
        );
        assert_eq!(parsed.to[0].name(), Some("Alice Ärger"));
        assert_eq!(parsed.reply_to[0].email(), "support@example.com");
        assert_eq!(parsed.text, "Hello Alice,\n\nwe have logged your request.");
        assert!(parsed.html.unwrap().contains("<p>Hello Alice,</p>"));
        assert!(parsed.automation.is_auto_submitted());
        assert_eq!(parsed.return_path, ReturnPath::Absent);
        assert_eq!(parsed.date, Some(1_750_000_000_000_000));
    }

    #[test]
    fn building_is_reproducible() {
        let out = outgoing();
        assert_eq!(build(&out, 1).unwrap(), build(&out, 1).unwrap());
    }

    #[test]
    fn header_injection_is_impossible() {
        let mut out = outgoing();
        out.subject = "Hello\r\nBcc: victim@example.com\r\n\r\nbody".to_owned();
        out.to = vec![
            Address::parse("alice@example.com")
                .unwrap()
                .with_name("Alice\r\nBcc: victim@example.com"),
        ];
        out.headers = vec![ExtraHeader::new("X-Note", "a\r\nBcc: victim@example.com").unwrap()];
        out.in_reply_to = Some("x@y>\r\nBcc: <victim@example.com".to_owned());
        out.references = vec!["a@b\r\nBcc: c@d".to_owned()];
        let bytes = build(&out, 0).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let headers = text.split("\r\n\r\n").next().unwrap();
        for line in headers.split("\r\n") {
            assert!(!line.to_ascii_lowercase().starts_with("bcc"), "{line}");
        }
        let parsed = parse(&bytes, &Limits::default()).unwrap();
        assert_eq!(parsed.to.len(), 1);
        assert!(parsed.in_reply_to.is_empty());
        assert_eq!(parsed.references, Vec::<String>::new());
        assert_eq!(parsed.subject, "Hello Bcc: victim@example.com body");
    }

    #[test]
    fn invalid_input_is_refused() {
        let mut out = outgoing();
        out.to.clear();
        assert!(matches!(build(&out, 0), Err(BuildError::NoRecipients)));
        let mut out = outgoing();
        out.message_id = "<abc@example.com>".to_owned();
        assert!(matches!(build(&out, 0), Err(BuildError::MessageId(_))));
        out.message_id = "no-at-sign".to_owned();
        assert!(matches!(build(&out, 0), Err(BuildError::MessageId(_))));
        for name in [
            "Bcc",
            "From",
            "Precedence",
            "Content-Type",
            "X-",
            "X Bad",
            "X-Bad:",
            "X-Auto-Response-Suppress",
        ] {
            assert!(ExtraHeader::new(name, "v").is_err(), "{name}");
        }
        assert!(ExtraHeader::new("List-Id", "Desk <desk.example.com>").is_ok());
    }

    #[test]
    fn plain_text_only_is_a_single_part() {
        let mut out = outgoing();
        out.html = None;
        out.auto_submitted = false;
        let text = String::from_utf8(build(&out, 0).unwrap()).unwrap();
        assert!(text.contains("Content-Type: text/plain; charset=\"utf-8\""));
        assert!(!text.contains("multipart"));
        assert!(!text.contains("Auto-Submitted"));
    }
}
