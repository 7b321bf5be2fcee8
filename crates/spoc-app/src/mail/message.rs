//! What the intake reads of an inbound message beyond the parser: its Message-ID and subject
//! from the raw header (for messages the parser refused), a ticket title and body from its
//! text, and its attachments to store.

use spoc_domain::ValidationError;
use spoc_domain::text::{Body, Title};
use spoc_store::NewAttachment;

/// A Message-ID for a message that has none: derived from its bytes, so the same message
/// delivered twice still counts once.
pub(super) fn derived_message_id(sha: &str) -> String {
    format!("{sha}@no-message-id.spoc.invalid")
}

/// Text as a ticket title: reply prefixes gone, control characters replaced, at most the
/// title's length.
pub(super) fn title_from(subject: &str) -> Result<Title, ValidationError> {
    let stripped = spoc_mail::strip_reply_prefixes(subject);
    let clean: String = spoc_domain::text::strip_bidi_controls(stripped)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(Title::MAX_CHARS)
        .collect();
    Title::parse(&clean).or_else(|_| Title::parse("(no subject)"))
}

/// Text as a ticket body: control characters other than line breaks and tabs dropped, cut at
/// the body's length with a note.
pub(super) fn body_from(text: &str) -> Result<Body, ValidationError> {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    let note = "\n\n[The message was longer than this; the full text is in the original e-mail.]";
    let clean = if clean.chars().count() > Body::MAX_CHARS {
        let keep = Body::MAX_CHARS - note.chars().count();
        let mut cut: String = clean.chars().take(keep).collect();
        cut.push_str(note);
        cut
    } else {
        clean
    };
    Body::parse(&clean).or_else(|_| Body::parse(spoc_mail::NO_READABLE_TEXT))
}

pub(super) fn attachments_of(parsed: &spoc_mail::Inbound) -> Vec<NewAttachment> {
    parsed
        .attachments
        .iter()
        .map(|a| NewAttachment {
            filename: a.filename.clone(),
            content_type: a.content_type.clone(),
            content: a.bytes.clone(),
            inline: a.inline,
            content_id: a.content_id.clone(),
            public: true,
        })
        .collect()
}

/// The first header named `name` of a message, unfolded, for messages the parser refused.
pub(super) fn raw_header(raw: &[u8], name: &str) -> Option<String> {
    let head_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .or_else(|| raw.windows(2).position(|w| w == b"\n\n"))
        .unwrap_or(raw.len().min(64 * 1024));
    let head = String::from_utf8_lossy(&raw[..head_end.min(raw.len())]);
    let mut value: Option<String> = None;
    for line in head.lines() {
        if let Some(v) = value.as_mut() {
            if line.starts_with([' ', '\t']) {
                v.push(' ');
                v.push_str(line.trim());
                continue;
            }
            break;
        }
        if let Some((key, rest)) = line.split_once(':')
            && key.trim().eq_ignore_ascii_case(name)
        {
            value = Some(rest.trim().to_owned());
        }
    }
    value.filter(|v| !v.is_empty())
}

pub(super) fn header_message_id(raw: &[u8]) -> Option<String> {
    raw_header(raw, "message-id")
        .map(|v| {
            v.trim_matches(|c| c == '<' || c == '>' || c == ' ')
                .to_owned()
        })
        .filter(|v| !v.is_empty() && v.len() < 1000)
}

pub(super) fn header_subject(raw: &[u8]) -> String {
    raw_header(raw, "subject")
        .map(|s| s.chars().filter(|c| !c.is_control()).take(500).collect())
        .unwrap_or_default()
}
