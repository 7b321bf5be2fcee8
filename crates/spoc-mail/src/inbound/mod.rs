//! Inbound mail: one raw RFC 5322 message becomes an [`Inbound`] — ids for threading, the
//! people, the subject and date, the best plain text, sanitised HTML, attachments within
//! [`Limits`] (and the ones refused), warnings, and the [`Automation`] classification.
//!
//! [`parse`] never panics and refuses only input that is not a message at all, or too large;
//! everything else degrades gracefully and says so in [`Inbound::warnings`], because a mail
//! that is set aside is a mail that gets lost (security-lessons §2.1).

mod authres;
mod automation;
mod decode;
mod walk;

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};

use mail_parser::{HeaderValue, Message, MessageParser};

pub use authres::{AuthResult, AuthResults};
pub use automation::{Automation, AutomationKind, AutomationSignal};
use automation::{classify, raw_header};
use walk::{Walk, join_html, join_plain};

use crate::address::Address;
use crate::filename::safe_filename;
use crate::html::{cid_references, sanitize_html_limited};
use crate::text::{clean_body_text, fold_line, format_size, truncate_bytes};

/// The text of a message that has nothing readable.
pub const NO_READABLE_TEXT: &str = "(This message has no readable text.)";
/// Appended to text that was cut at [`Limits::max_text_bytes`].
const TEXT_CUT_MARKER: &str = "\n\n[The rest of this message was cut off because it is too long.]";
/// The longest subject kept, in bytes.
const MAX_SUBJECT_BYTES: usize = 1000;
/// The longest message id kept, in bytes.
const MAX_ID_BYTES: usize = 500;
/// At most this many ids are kept from `References` (the newest ones).
const MAX_REFERENCES: usize = 100;
/// At most this many refused attachments are listed one by one.
const MAX_REJECTED_LISTED: usize = 50;

/// Size and count limits for one inbound message. The defaults suit a service desk: a 40 MB
/// message, files up to 20 MB, 50 files and 30 MB of files per message, 1 MB of HTML and of
/// text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Larger messages are refused whole ([`ParseError::TooLarge`]).
    pub max_message_bytes: usize,
    /// Larger attachments are refused.
    pub max_attachment_bytes: usize,
    /// Attachments after this many are refused.
    pub max_attachments: usize,
    /// An attachment that would take the total past this is refused.
    pub max_total_attachment_bytes: usize,
    /// HTML beyond this is cut before sanitising (with a warning).
    pub max_html_bytes: usize,
    /// Text beyond this is cut (with a note in the text and a warning).
    pub max_text_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        const MIB: usize = 1024 * 1024;
        Self {
            max_message_bytes: 40 * MIB,
            max_attachment_bytes: 20 * MIB,
            max_attachments: 50,
            max_total_attachment_bytes: 30 * MIB,
            max_html_bytes: MIB,
            max_text_bytes: MIB,
        }
    }
}

impl Limits {
    /// Why a file of `size` bytes cannot be kept after `kept` files of `total` bytes, as a
    /// sentence; `None` if it can. The e-mail channel and files sent through the web share this.
    pub fn refusal(&self, size: usize, kept: usize, total: usize) -> Option<String> {
        if size > self.max_attachment_bytes {
            Some(format!(
                "The file is {}; the limit for one file is {}.",
                format_size(size),
                format_size(self.max_attachment_bytes)
            ))
        } else if kept >= self.max_attachments {
            Some(format!(
                "The message has more than {} attachments; only the first {} were kept.",
                self.max_attachments, self.max_attachments
            ))
        } else if total.saturating_add(size) > self.max_total_attachment_bytes {
            Some(format!(
                "With the files before it, this file would take the message past the limit of \
                 {} for all attachments.",
                format_size(self.max_total_attachment_bytes)
            ))
        } else {
            None
        }
    }
}

/// Why raw input could not be read as a message. Each has a sentence for the quarantine list.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Nothing, or only whitespace.
    #[error("The message is empty.")]
    Empty,
    /// Over [`Limits::max_message_bytes`].
    #[error("The message is {size_text}, more than the limit of {limit_text}.", size_text = format_size(*.size), limit_text = format_size(*.limit))]
    TooLarge {
        /// The message's size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// No header fields at all.
    #[error("The data has no mail header fields, so it is not a message.")]
    NoHeaders,
    /// The parser failed unexpectedly (a bug in it); the message should be kept for a person.
    #[error("The message could not be parsed because of an internal parser error.")]
    Unparseable,
}

/// The envelope sender from the `Return-Path` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReturnPath {
    /// No `Return-Path` header (or one that could not be read; see the warnings).
    Absent,
    /// The null sender `<>`: delivery reports and many auto-replies.
    Null,
    /// A sender address.
    Address(Address),
}

/// A file kept from a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Safe to show and to use as a download name ([`safe_filename`]).
    pub filename: String,
    /// `type/subtype`, lower-cased, parameters dropped; `application/octet-stream` when the
    /// declared type was not a plain token pair.
    pub content_type: String,
    /// The decoded content. Text files keep their original bytes and character set.
    pub bytes: Vec<u8>,
    /// An image shown inside the HTML body: it has a Content-ID that the HTML refers to with a
    /// `cid:` URL. Everything else is a file to list.
    pub inline: bool,
    /// The Content-ID without angle brackets, if the part had one.
    pub content_id: Option<String>,
}

/// A file refused because of the [`Limits`]; the sender should be told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectedAttachment {
    /// Safe to show.
    pub filename: String,
    /// As in [`Attachment::content_type`].
    pub content_type: String,
    /// Its decoded size in bytes.
    pub size: usize,
    /// Why, as a sentence for the sender, e.g. "The file is 25 MB; the limit for one file is
    /// 20 MB."
    pub reason: String,
}

/// One inbound message, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inbound {
    /// The `Message-ID`, without angle brackets; `None` if absent or unusable.
    pub message_id: Option<String>,
    /// The ids in `In-Reply-To`, without angle brackets.
    pub in_reply_to: Vec<String>,
    /// The ids in `References`, without angle brackets, oldest first (at most 100, the newest).
    pub references: Vec<String>,
    /// The first `From` mailbox. Untrusted: anyone can write any `From`.
    pub from: Option<Address>,
    /// The `Reply-To` mailboxes.
    pub reply_to: Vec<Address>,
    /// The `To` mailboxes.
    pub to: Vec<Address>,
    /// The `Cc` mailboxes.
    pub cc: Vec<Address>,
    /// The addresses the receiving mail servers delivered it to (`Delivered-To`,
    /// `X-Original-To`; topmost first): the real recipient of forwarded or Bcc'd mail.
    pub delivered_to: Vec<Address>,
    /// The `Sender` mailbox.
    pub sender: Option<Address>,
    /// The envelope sender.
    pub return_path: ReturnPath,
    /// The subject: encoded words decoded, on one line; empty if there is none.
    pub subject: String,
    /// The `Date`, as Unix microseconds, if it could be read.
    pub date: Option<i64>,
    /// The best plain text: the text/plain alternative, or text made from the HTML, with
    /// forwarded messages appended under a "Forwarded message" line; never empty (see
    /// [`NO_READABLE_TEXT`]).
    pub text: String,
    /// The HTML body, already sanitised for display; `cid:` images are left for
    /// [`crate::rewrite_cid_images`]. `None` for plain-text mail.
    pub html: Option<String>,
    /// The files kept, in message order.
    pub attachments: Vec<Attachment>,
    /// The files refused because of the limits.
    pub rejected: Vec<RejectedAttachment>,
    /// How automated the message is.
    pub automation: Automation,
    /// The Message-IDs of the messages it returns or carries (a bounce's returned message or
    /// headers, an attached message), for threading delivery reports to the mail they report
    /// on. Only as trustworthy as the rest of the message.
    pub returned_message_ids: Vec<String>,
    /// Its `Authentication-Results` fields, topmost first (see
    /// [`Inbound::sender_authentication`]).
    pub authentication_results: Vec<AuthResults>,
    /// What was not quite right and how it was handled, as sentences.
    pub warnings: Vec<String>,
}

/// Reads one raw RFC 5322 message (an mbox `From ` line in front is skipped).
///
/// Refuses only input that is empty, has no header fields, or is larger than
/// [`Limits::max_message_bytes`]. Never panics.
pub fn parse(raw: &[u8], limits: &Limits) -> Result<Inbound, ParseError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    if raw.len() > limits.max_message_bytes {
        return Err(ParseError::TooLarge {
            size: raw.len(),
            limit: limits.max_message_bytes,
        });
    }
    let raw = skip_mbox_line(raw);
    let (raw, legacy_headers) = utf8_headers(raw);
    let mut warnings = Vec::new();
    if legacy_headers {
        warnings.push(
            "The message's header fields are not UTF-8; they were read as Windows-1252.".to_owned(),
        );
    }
    // mail-parser promises not to panic; this keeps a bug in it from taking the intake worker
    // down with a poison message.
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        MessageParser::default().parse(raw.as_ref())
    }))
    .map_err(|_| ParseError::Unparseable)?;
    let message = parsed.ok_or(ParseError::NoHeaders)?;
    if !message
        .headers()
        .iter()
        .any(|h| is_field_name(h.name.as_str()))
    {
        return Err(ParseError::NoHeaders);
    }
    Ok(read(&message, limits, warnings))
}

/// Builds the [`Inbound`] from a parsed message.
fn read(message: &Message<'_>, limits: &Limits, mut warnings: Vec<String>) -> Inbound {
    let from = first_address(message.from());
    if from.is_none() && message.from().is_some() {
        warnings.push("The From address could not be read.".to_owned());
    }
    let return_path = match raw_header(message, "Return-Path") {
        None => ReturnPath::Absent,
        Some(value) => {
            let inner = value
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .trim();
            if inner.is_empty() {
                ReturnPath::Null
            } else if let Ok(address) = Address::parse(inner) {
                ReturnPath::Address(address)
            } else {
                warnings.push("The Return-Path address could not be read.".to_owned());
                ReturnPath::Absent
            }
        }
    };
    let subject = message
        .subject()
        .map(|s| truncate_bytes(&fold_line(s), MAX_SUBJECT_BYTES).to_owned())
        .unwrap_or_default();
    let date = message
        .date()
        .filter(|d| d.is_valid())
        .and_then(|d| d.to_timestamp().checked_mul(1_000_000));

    let mut walk = Walk::new(limits);
    let segments = walk.message(message);

    // The text.
    let mut text = clean_body_text(&join_plain(&segments)).trim().to_owned();
    if text.len() > limits.max_text_bytes {
        let keep = truncate_bytes(&text, limits.max_text_bytes).len();
        text.truncate(keep);
        text.push_str(TEXT_CUT_MARKER);
        warnings.push(format!(
            "The text was longer than {} and was cut.",
            format_size(limits.max_text_bytes)
        ));
    }
    if text.is_empty() {
        text = NO_READABLE_TEXT.to_owned();
    }

    // The HTML, and which images it shows.
    let raw_html = segments
        .iter()
        .any(|s| s.html.is_some())
        .then(|| join_html(&segments));
    let cids = raw_html.as_deref().map(cid_references).unwrap_or_default();
    let html = raw_html.map(|raw| {
        let sanitized = sanitize_html_limited(&raw, limits.max_html_bytes);
        if sanitized.truncated {
            walk.html_truncated = true;
        }
        sanitized.html
    });
    if walk.html_truncated {
        warnings.push(format!(
            "The HTML was longer than {} and was cut.",
            format_size(limits.max_html_bytes)
        ));
    }

    // The attachments, within the limits.
    let mut attachments = Vec::new();
    let mut rejected = Vec::new();
    let mut n_rejected_unlisted = 0usize;
    let mut total = 0usize;
    let mut tnef_reported = false;
    for candidate in walk.candidates.drain(..) {
        let filename = safe_filename(&candidate.filename);
        let size = candidate.bytes.len();
        let reason = limits.refusal(size, attachments.len(), total);
        if let Some(reason) = reason {
            if rejected.len() < MAX_REJECTED_LISTED {
                rejected.push(RejectedAttachment {
                    filename,
                    content_type: candidate.content_type,
                    size,
                    reason,
                });
            } else {
                n_rejected_unlisted += 1;
            }
            continue;
        }
        if !tnef_reported && is_tnef(&candidate.content_type, &filename) {
            tnef_reported = true;
            warnings.push(
                "The message has a Microsoft Outlook TNEF attachment (winmail.dat). It is kept \
                 as a file, but its contents (which may include the real attachments and \
                 formatting) could not be unpacked."
                    .to_owned(),
            );
        }
        total += size;
        let inline = candidate
            .content_id
            .as_deref()
            .is_some_and(|cid| cids.contains(&cid.to_lowercase()));
        attachments.push(Attachment {
            filename,
            content_type: candidate.content_type,
            bytes: candidate.bytes,
            inline,
            content_id: candidate.content_id,
        });
    }
    if n_rejected_unlisted > 0 {
        warnings.push(format!(
            "{n_rejected_unlisted} more attachments were refused and are not listed one by one."
        ));
    }

    let automation = classify(
        message,
        &return_path,
        from.as_ref().map(Address::local_part),
        &walk.structure,
    );
    warnings.append(&mut walk.warnings);

    let mut references = ids_of(message, "References");
    if references.len() > MAX_REFERENCES {
        references.drain(..references.len() - MAX_REFERENCES);
    }
    Inbound {
        message_id: ids_of(message, "Message-ID").into_iter().next(),
        in_reply_to: ids_of(message, "In-Reply-To"),
        references,
        from,
        reply_to: addresses_of(message.reply_to()),
        to: addresses_of(message.to()),
        cc: addresses_of(message.cc()),
        delivered_to: delivered_to(message),
        sender: first_address(message.sender()),
        return_path,
        subject,
        date,
        text,
        html,
        attachments,
        rejected,
        automation,
        returned_message_ids: walk.structure.returned_ids.clone(),
        authentication_results: authres::read(message),
        warnings,
    }
}

impl Inbound {
    /// Whether a mail server the desk trusts (by its authserv-id) authenticated the `From`
    /// domain: `Ok` says how ("the trusted server mx.example.com authenticated example.com
    /// (dkim=pass header.d=example.com)"), `Err` why not. Only the topmost results of a
    /// trusted server count; see the `authres` module.
    pub fn sender_authentication(&self, trusted: &[String]) -> Result<String, String> {
        authres::authenticate(
            &self.authentication_results,
            self.from.as_ref().map(Address::domain),
            trusted,
        )
    }
}

/// The first usable mailbox of an address header.
pub(crate) fn first_address(value: Option<&mail_parser::Address<'_>>) -> Option<Address> {
    value?.iter().find_map(to_address)
}

/// At most this many `Delivered-To` / `X-Original-To` addresses are read from one message.
const MAX_DELIVERED_TO: usize = 20;

/// The addresses of every `Delivered-To` and `X-Original-To` field, topmost first, each once.
fn delivered_to(message: &Message<'_>) -> Vec<Address> {
    let mut out: Vec<Address> = Vec::new();
    for header in message.headers() {
        let name = header.name.as_str();
        if !(name.eq_ignore_ascii_case("Delivered-To")
            || name.eq_ignore_ascii_case("X-Original-To"))
        {
            continue;
        }
        let Some(raw) = message
            .raw_message
            .get(header.offset_start as usize..header.offset_end as usize)
        else {
            continue;
        };
        let value = String::from_utf8_lossy(raw);
        let value = value
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .trim();
        if let Ok(address) = Address::parse(value)
            && !out.iter().any(|a| a.email() == address.email())
        {
            out.push(address);
        }
        if out.len() >= MAX_DELIVERED_TO {
            break;
        }
    }
    out
}

/// Every usable mailbox of an address header.
pub(crate) fn addresses_of(value: Option<&mail_parser::Address<'_>>) -> Vec<Address> {
    value.map_or_else(Vec::new, |v| v.iter().filter_map(to_address).collect())
}

/// One mailbox, if its address is a plain addr-spec.
fn to_address(addr: &mail_parser::Addr<'_>) -> Option<Address> {
    let address = Address::parse(addr.address.as_deref()?.trim()).ok()?;
    Some(match addr.name.as_deref() {
        Some(name) => address.with_name(name),
        None => address,
    })
}

/// The normalised, de-duplicated message ids of header `name`.
fn ids_of(message: &Message<'_>, name: &str) -> Vec<String> {
    let mut candidates: Vec<String> = Vec::new();
    for header in message
        .headers()
        .iter()
        .filter(|h| h.name.as_str().eq_ignore_ascii_case(name))
    {
        match &header.value {
            HeaderValue::Text(id) => candidates.push(id.to_string()),
            HeaderValue::TextList(ids) => candidates.extend(ids.iter().map(ToString::to_string)),
            _ => {
                let raw = message
                    .raw_message
                    .get(header.offset_start as usize..header.offset_end as usize)
                    .unwrap_or_default();
                candidates.extend(
                    String::from_utf8_lossy(raw)
                        .split(|c: char| c.is_whitespace() || c == ',')
                        .map(str::to_owned),
                );
            }
        }
    }
    let mut ids: Vec<String> = Vec::new();
    for id in candidates.iter().filter_map(|c| normalize_id(c)) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// A message id or Content-ID without angle brackets and surrounding space; `None` if empty,
/// too long, or containing whitespace, controls or brackets.
pub(crate) fn normalize_id(value: &str) -> Option<String> {
    let trimmed = value.trim();
    let inner = trimmed.strip_prefix('<').unwrap_or(trimmed);
    let inner = inner.strip_suffix('>').unwrap_or(inner).trim();
    let usable = !inner.is_empty()
        && inner.len() <= MAX_ID_BYTES
        && !inner
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
    usable.then(|| inner.to_owned())
}

/// Whether `name` is an RFC 5322 field name: printable ASCII except the colon.
fn is_field_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| (33..=126).contains(&b) && b != b':')
}

/// Skips an mbox `From ` separator line at the start.
fn skip_mbox_line(raw: &[u8]) -> &[u8] {
    if raw.starts_with(b"From ")
        && let Some(end) = raw.iter().position(|&b| b == b'\n')
    {
        return &raw[end + 1..];
    }
    raw
}

/// The message with its header section read as Windows-1252 (the usual legacy charset) when
/// it is not UTF-8, so that raw 8-bit names and subjects survive; and whether that was needed.
fn utf8_headers(raw: &[u8]) -> (Cow<'_, [u8]>, bool) {
    let end = raw
        .windows(2)
        .position(|w| w == b"\n\n" || w == b"\n\r")
        .map_or(raw.len(), |i| i + 1);
    let headers = &raw[..end];
    if std::str::from_utf8(headers).is_ok() {
        return (Cow::Borrowed(raw), false);
    }
    let mut transcoded = decode::windows_1252(headers).into_bytes();
    transcoded.extend_from_slice(&raw[end..]);
    (Cow::Owned(transcoded), true)
}

/// Whether a file is an Outlook TNEF container.
fn is_tnef(content_type: &str, filename: &str) -> bool {
    matches!(
        content_type,
        "application/ms-tnef" | "application/vnd.ms-tnef"
    ) || filename.eq_ignore_ascii_case("winmail.dat")
}

#[cfg(test)]
mod tests;
