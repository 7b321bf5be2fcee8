//! Telling automated mail from people's mail, so that Spoc never answers a robot: auto-replies
//! (RFC 3834 and vendor headers), delivery reports (RFC 3464, null senders, mailer daemons) and
//! list or bulk mail. Only headers and MIME structure are read, never the subject or the text:
//! a person may well write "Out of office" in a subject.

use mail_parser::{HeaderValue, Message};

use super::ReturnPath;

/// The kinds of automated mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AutomationKind {
    /// Sent by a program on its own: an auto-reply, an out-of-office notice, a read receipt,
    /// or a sender that asks not to be auto-replied to.
    AutoSubmitted,
    /// A delivery report: a bounce or another DSN.
    Bounce,
    /// Sent to a mailing list or in bulk.
    List,
}

/// One sign that a message is automated, with the reason as a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutomationSignal {
    /// What sort of automation.
    pub kind: AutomationKind,
    /// Why, for logs and the quarantine list, e.g. "The message says it was sent automatically
    /// (Auto-Submitted: auto-replied)."
    pub reason: String,
}

/// How automated a message is. Empty for ordinary mail from a person.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Automation {
    signals: Vec<AutomationSignal>,
}

impl Automation {
    /// Whether nothing automatic should answer this message (no acknowledgement, no
    /// notification to the sender): true for every kind of automated mail. RFC 3834 §2 asks
    /// this of responders, and answering robots is how mail loops start.
    pub fn should_not_auto_reply(&self) -> bool {
        !self.signals.is_empty()
    }

    /// Whether the message was sent automatically (auto-reply, out-of-office, receipt).
    pub fn is_auto_submitted(&self) -> bool {
        self.has(AutomationKind::AutoSubmitted)
    }

    /// Whether the message is a delivery report.
    pub fn is_bounce(&self) -> bool {
        self.has(AutomationKind::Bounce)
    }

    /// Whether the message came through a mailing list or was sent in bulk.
    pub fn is_list(&self) -> bool {
        self.has(AutomationKind::List)
    }

    /// Every sign found, in the order checked.
    pub fn signals(&self) -> &[AutomationSignal] {
        &self.signals
    }

    /// The reasons, as sentences.
    pub fn reasons(&self) -> impl Iterator<Item = &str> {
        self.signals.iter().map(|s| s.reason.as_str())
    }

    fn has(&self, kind: AutomationKind) -> bool {
        self.signals.iter().any(|s| s.kind == kind)
    }

    fn add(&mut self, kind: AutomationKind, reason: String) {
        self.signals.push(AutomationSignal { kind, reason });
    }
}

/// What the MIME walk saw that matters here.
#[derive(Debug, Default)]
pub(crate) struct Structure {
    /// A `multipart/report` with this `report-type`, lower-cased (empty when it names none).
    pub report_type: Option<String>,
    /// A `message/delivery-status` part.
    pub delivery_status: bool,
    /// A returned message or its headers (`message/rfc822`, `text/rfc822-headers`).
    pub returned_message: bool,
    /// The Message-IDs of the returned or attached messages (at most a few).
    pub returned_ids: Vec<String>,
}

/// Classifies `message` from its headers and the structure the walk found.
pub(crate) fn classify(
    message: &Message<'_>,
    return_path: &ReturnPath,
    from_local_part: Option<&str>,
    structure: &Structure,
) -> Automation {
    let mut automation = Automation::default();

    if let Some(value) = raw_header(message, "Auto-Submitted") {
        let keyword = first_token(&value);
        if !keyword.eq_ignore_ascii_case("no") && !keyword.is_empty() {
            automation.add(
                AutomationKind::AutoSubmitted,
                format!("The message says it was sent automatically (Auto-Submitted: {keyword})."),
            );
        }
    }
    for header in ["X-Autoreply", "X-Autorespond"] {
        if raw_header(message, header).is_some() {
            automation.add(
                AutomationKind::AutoSubmitted,
                format!("The message is marked as an automatic reply ({header} header)."),
            );
        }
    }
    if let Some(value) = raw_header(message, "X-Auto-Response-Suppress")
        && !value.is_empty()
    {
        // Exchange and Outlook put it on their own automatic mail (out-of-office replies,
        // receipts, meeting responses) and bulk senders on theirs; a person's mail has none.
        automation.add(
            AutomationKind::AutoSubmitted,
            format!(
                "The sender asks for no automatic replies (X-Auto-Response-Suppress: {value}), \
                 as automatic and bulk mail does."
            ),
        );
    }
    match structure.report_type.as_deref() {
        Some("disposition-notification") => automation.add(
            AutomationKind::AutoSubmitted,
            "The message is a read receipt (multipart/report; report-type=disposition-notification)."
                .to_owned(),
        ),
        Some("delivery-status") | None => {}
        Some("") => automation.add(
            AutomationKind::AutoSubmitted,
            "The message is a report generated by a program (multipart/report).".to_owned(),
        ),
        Some(other) => automation.add(
            AutomationKind::AutoSubmitted,
            format!(
                "The message is a report generated by a program (multipart/report; report-type={other})."
            ),
        ),
    }

    if *return_path == ReturnPath::Null {
        automation.add(
            AutomationKind::Bounce,
            "The message has a null sender (Return-Path: <>), as delivery reports and \
             automatic replies do."
                .to_owned(),
        );
    }
    if structure.report_type.as_deref() == Some("delivery-status") {
        automation.add(
            AutomationKind::Bounce,
            "The message is a delivery status report (multipart/report; report-type=delivery-status)."
                .to_owned(),
        );
    } else if structure.report_type.is_some() {
        // Another report type was classified above.
    } else if let Some(local) = from_local_part
        && (local.eq_ignore_ascii_case("mailer-daemon") || local.eq_ignore_ascii_case("postmaster"))
    {
        automation.add(
            AutomationKind::Bounce,
            if structure.delivery_status || structure.returned_message {
                format!("The message comes from {local} and carries a delivery report or a returned message.")
            } else {
                format!("The message comes from {local}, the address mail systems report with.")
            },
        );
    }
    if raw_header(message, "X-Failed-Recipients").is_some() {
        automation.add(
            AutomationKind::Bounce,
            "The message names failed recipients (X-Failed-Recipients header), as bounces do."
                .to_owned(),
        );
    }

    if raw_header(message, "List-Id").is_some() {
        automation.add(
            AutomationKind::List,
            "The message came through a mailing list (List-Id header).".to_owned(),
        );
    }
    if raw_header(message, "List-Unsubscribe").is_some() {
        automation.add(
            AutomationKind::List,
            "The message offers a way to unsubscribe (List-Unsubscribe header), as list and \
             bulk mail does."
                .to_owned(),
        );
    }
    if let Some(value) = raw_header(message, "Precedence") {
        let precedence = first_token(&value).to_ascii_lowercase();
        if ["bulk", "list", "junk"].contains(&precedence.as_str()) {
            automation.add(
                AutomationKind::List,
                format!("The message was sent as {precedence} mail (Precedence: {precedence})."),
            );
        } else if precedence == "auto_reply" {
            automation.add(
                AutomationKind::AutoSubmitted,
                "The message is marked as an automatic reply (Precedence: auto_reply).".to_owned(),
            );
        }
    }
    automation
}

/// The first value of header `name`, as text, trimmed; `None` if absent.
pub(crate) fn raw_header(message: &Message<'_>, name: &str) -> Option<String> {
    let header = message
        .headers()
        .iter()
        .find(|h| h.name.as_str().eq_ignore_ascii_case(name))?;
    let text = match &header.value {
        HeaderValue::Text(text) => text.to_string(),
        HeaderValue::TextList(list) => list.join(", "),
        _ => message
            .raw_message
            .get(header.offset_start as usize..header.offset_end as usize)
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default(),
    };
    Some(crate::text::fold_line(&text))
}

/// The first word of a header value: before any `;`, comment or space.
fn first_token(value: &str) -> &str {
    value
        .split([';', '(', ' ', ','])
        .next()
        .unwrap_or("")
        .trim()
}
