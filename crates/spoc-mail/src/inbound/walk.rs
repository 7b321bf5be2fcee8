//! The MIME walk: decides, part by part, what is body text, what is HTML, what is an attachment
//! and what is a forwarded message, reading the parts' own headers (not mail-parser's guesses,
//! which change when a part is damaged) and recovering damaged parts as far as possible.

use mail_parser::{Encoding, Message, MessagePart, MimeHeaders, PartType};

use super::automation::{Structure, raw_header};
use super::decode::{Decoded, decode_text, lenient_base64, lenient_quoted_printable};
use super::{Limits, addresses_of, first_address};
use crate::html::{html_to_text, text_to_html};
use crate::text::{fold_line, truncate_bytes};

/// How deep multiparts and forwarded messages are followed; deeper parts are skipped.
const MAX_DEPTH: usize = 24;
/// The line that opens a forwarded message in the text.
pub(crate) const FORWARD_MARKER: &str = "---------- Forwarded message ----------";

/// A piece of body in document order: its plain text, its HTML, or both.
#[derive(Debug, Default)]
pub(super) struct Segment {
    pub plain: Option<String>,
    pub html: Option<String>,
}

/// A would-be attachment, before the limits are applied.
#[derive(Debug)]
pub(super) struct Candidate {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub content_id: Option<String>,
}

/// Where in the tree a part sits.
#[derive(Clone, Copy, Debug, Default)]
struct Context {
    /// The part is the whole message (a single-part message).
    is_root: bool,
    /// Inside a forwarded message: its attachments stay in its `.eml`.
    in_forward: bool,
    /// A non-root part of a multipart/related: a resource, never body text.
    resource: bool,
    /// The parent is a multipart/digest, whose parts default to message/rfc822.
    in_digest: bool,
}

/// The facts about a part that the walk needs, from its headers.
struct PartInfo {
    /// `type/subtype`, lower-cased, parameters dropped; a safe token pair.
    content_type: String,
    charset: Option<String>,
    attachment_disposition: bool,
    filename: Option<String>,
    content_id: Option<String>,
    transfer_encoding: Option<String>,
    /// The `report-type` of a multipart/report, lower-cased.
    report_type: Option<String>,
    /// The `start` of a multipart/related, without angle brackets.
    start: Option<String>,
}

impl PartInfo {
    fn of(part: &MessagePart<'_>, context: Context) -> Self {
        let content_type = part.content_type();
        let mut full = match content_type {
            Some(ct) => match ct.subtype() {
                Some(subtype) => format!("{}/{}", ct.ctype(), subtype),
                None => ct.ctype().to_owned(),
            },
            None if context.in_digest => "message/rfc822".to_owned(),
            None => "text/plain".to_owned(),
        };
        full.make_ascii_lowercase();
        if !is_safe_content_type(&full) {
            full = "application/octet-stream".to_owned();
        }
        let attribute = |name: &str| {
            content_type
                .and_then(|ct| ct.attribute(name))
                .map(fold_line)
                .filter(|v| !v.is_empty())
        };
        Self {
            content_type: full,
            charset: attribute("charset"),
            attachment_disposition: part
                .content_disposition()
                .is_some_and(|d| d.ctype().eq_ignore_ascii_case("attachment")),
            filename: part
                .attachment_name()
                .map(fold_line)
                .filter(|n| !n.is_empty()),
            content_id: part.content_id().and_then(super::normalize_id),
            transfer_encoding: part
                .content_transfer_encoding()
                .map(|e| e.trim().to_ascii_lowercase()),
            report_type: attribute("report-type").map(|v| v.to_ascii_lowercase()),
            start: attribute("start").and_then(|v| super::normalize_id(&v)),
        }
    }

    fn subtype(&self) -> &str {
        self.content_type.split_once('/').map_or("", |(_, s)| s)
    }

    /// Names the part in a warning.
    fn describe(&self) -> String {
        match &self.filename {
            Some(name) => format!("attachment \"{}\"", truncate_bytes(name, 80)),
            None => format!("{} part", self.content_type),
        }
    }
}

/// Walks a parsed message, collecting body segments, attachment candidates, warnings and the
/// structure facts the automation check needs.
pub(super) struct Walk {
    pub candidates: Vec<Candidate>,
    pub warnings: Vec<String>,
    pub structure: Structure,
    /// Some HTML was longer than the limit and was cut.
    pub html_truncated: bool,
    /// How much more HTML body may be kept.
    html_budget: usize,
    too_deep_reported: bool,
}

impl Walk {
    pub fn new(limits: &Limits) -> Self {
        Self {
            candidates: Vec::new(),
            warnings: Vec::new(),
            structure: Structure::default(),
            html_truncated: false,
            html_budget: limits.max_html_bytes,
            too_deep_reported: false,
        }
    }

    /// The body segments of a whole message.
    pub fn message(&mut self, message: &Message<'_>) -> Vec<Segment> {
        let context = Context {
            is_root: true,
            ..Context::default()
        };
        self.part(message, 0, 0, context)
    }

    fn part(
        &mut self,
        message: &Message<'_>,
        id: u32,
        depth: usize,
        context: Context,
    ) -> Vec<Segment> {
        let Some(part) = message.parts.get(id as usize) else {
            return Vec::new();
        };
        if depth > MAX_DEPTH {
            if !self.too_deep_reported {
                self.too_deep_reported = true;
                self.warnings.push(format!(
                    "The message's parts are nested more than {MAX_DEPTH} levels deep; the \
                     deeper parts were skipped."
                ));
            }
            return Vec::new();
        }
        let info = PartInfo::of(part, context);
        match &part.body {
            PartType::Multipart(children) => {
                self.multipart(message, children, &info, depth, context)
            }
            PartType::Message(nested) => {
                self.forwarded(message, part, nested, &info, depth, context)
            }
            _ => self.leaf(message, part, &info, context),
        }
    }

    fn multipart(
        &mut self,
        message: &Message<'_>,
        children: &[u32],
        info: &PartInfo,
        depth: usize,
        context: Context,
    ) -> Vec<Segment> {
        let child_context = Context {
            is_root: false,
            in_digest: info.subtype() == "digest",
            ..context
        };
        match info.subtype() {
            "alternative" => {
                let bodies: Vec<Vec<Segment>> = children
                    .iter()
                    .map(|&child| self.part(message, child, depth + 1, child_context))
                    .collect();
                choose_alternative(bodies)
            }
            "related" => {
                let root = info
                    .start
                    .as_deref()
                    .and_then(|start| {
                        children.iter().position(|&child| {
                            message.parts.get(child as usize).is_some_and(|p| {
                                p.content_id()
                                    .and_then(super::normalize_id)
                                    .is_some_and(|cid| cid.eq_ignore_ascii_case(start))
                            })
                        })
                    })
                    .unwrap_or(0);
                let mut segments = Vec::new();
                for (i, &child) in children.iter().enumerate() {
                    let resource = i != root;
                    let found = self.part(
                        message,
                        child,
                        depth + 1,
                        Context {
                            resource: resource || context.resource,
                            ..child_context
                        },
                    );
                    segments.extend(found);
                }
                segments
            }
            subtype => {
                if subtype == "report" && !context.in_forward {
                    // A report without a report-type is still a report.
                    self.structure.report_type = Some(info.report_type.clone().unwrap_or_default());
                }
                children
                    .iter()
                    .flat_map(|&child| self.part(message, child, depth + 1, child_context))
                    .collect()
            }
        }
    }

    fn leaf(
        &mut self,
        message: &Message<'_>,
        part: &MessagePart<'_>,
        info: &PartInfo,
        context: Context,
    ) -> Vec<Segment> {
        let is_text = info.content_type == "text/plain" || info.content_type == "text/html";
        let is_body = is_text
            && !context.resource
            && !info.attachment_disposition
            && (info.filename.is_none() || context.is_root);
        if is_body {
            let text = self.text_of(message, part, info);
            if text.trim().is_empty() {
                return Vec::new();
            }
            let segment = if info.content_type == "text/html" {
                Segment {
                    plain: None,
                    html: Some(text),
                }
            } else {
                Segment {
                    plain: Some(text),
                    html: None,
                }
            };
            return vec![segment];
        }

        if !context.in_forward {
            match info.content_type.as_str() {
                "message/delivery-status" | "message/global-delivery-status" => {
                    self.structure.delivery_status = true;
                }
                "text/rfc822-headers" | "message/rfc822" | "message/global" => {
                    self.structure.returned_message = true;
                }
                _ => {}
            }
        }
        if context.in_forward {
            return Vec::new();
        }
        let bytes = self.bytes_of(message, part, info);
        if info.content_type == "text/rfc822-headers"
            && let Some(id) = message_id_in_headers(&bytes)
        {
            self.returned_id(id);
        }
        if info.content_type == "message/rfc822" {
            let name = info
                .filename
                .as_deref()
                .map(|n| format!(" \"{}\"", truncate_bytes(n, 80)))
                .unwrap_or_default();
            self.warnings.push(format!(
                "The attached message{name} could not be read; it is kept as a file."
            ));
        }
        self.candidates.push(Candidate {
            filename: info
                .filename
                .clone()
                .unwrap_or_else(|| default_filename(&info.content_type)),
            content_type: info.content_type.clone(),
            bytes,
            content_id: info.content_id.clone(),
        });
        Vec::new()
    }

    /// Notes the Message-ID of a returned or attached message (a few at most).
    fn returned_id(&mut self, id: String) {
        if self.structure.returned_ids.len() < 5 && !self.structure.returned_ids.contains(&id) {
            self.structure.returned_ids.push(id);
        }
    }

    fn forwarded(
        &mut self,
        message: &Message<'_>,
        part: &MessagePart<'_>,
        nested: &Message<'_>,
        info: &PartInfo,
        depth: usize,
        context: Context,
    ) -> Vec<Segment> {
        if !context.in_forward {
            self.structure.returned_message = true;
            if let Some(id) = nested.message_id().and_then(super::normalize_id) {
                self.returned_id(id);
            }
        }
        let body = self.part(
            nested,
            0,
            depth + 1,
            Context {
                is_root: true,
                in_forward: true,
                ..Context::default()
            },
        );
        let subject = nested.subject().map(fold_line).unwrap_or_default();

        if !context.in_forward {
            let bytes = if part.encoding == Encoding::None {
                message
                    .raw_message
                    .get(part.offset_body as usize..part.offset_end as usize)
                    .map(<[u8]>::to_vec)
                    .unwrap_or_default()
            } else {
                nested.raw_message.to_vec()
            };
            let filename = info.filename.clone().unwrap_or_else(|| {
                let stem = if subject.is_empty() {
                    "forwarded message"
                } else {
                    truncate_bytes(&subject, 100)
                };
                format!("{stem}.eml")
            });
            self.candidates.push(Candidate {
                filename,
                content_type: "message/rfc822".to_owned(),
                bytes,
                content_id: info.content_id.clone(),
            });
        }

        let mut header_lines = Vec::new();
        if let Some(from) = first_address(nested.from()) {
            header_lines.push(format!("From: {from}"));
        }
        if let Some(date) = raw_header(nested, "Date").filter(|d| !d.is_empty()) {
            header_lines.push(format!("Date: {date}"));
        }
        header_lines.push(format!("Subject: {subject}"));
        let to = addresses_of(nested.to());
        if !to.is_empty() {
            let to: Vec<String> = to.iter().map(ToString::to_string).collect();
            header_lines.push(format!("To: {}", to.join(", ")));
        }

        let mut plain = format!("{FORWARD_MARKER}\n{}", header_lines.join("\n"));
        let body_text = join_plain(&body);
        if !body_text.is_empty() {
            plain.push_str("\n\n");
            plain.push_str(&body_text);
        }
        let html = body.iter().any(|s| s.html.is_some()).then(|| {
            let mut html = String::from("<div><p>");
            html.push_str(
                &text_to_html(FORWARD_MARKER)
                    .replace("<p>", "")
                    .replace("</p>", ""),
            );
            for line in &header_lines {
                html.push_str("<br>");
                html.push_str(&text_to_html(line).replace("<p>", "").replace("</p>", ""));
            }
            html.push_str("</p>");
            html.push_str(&join_html(&body));
            html.push_str("</div>");
            html
        });
        vec![Segment {
            plain: Some(plain),
            html,
        }]
    }

    /// A body part's text, recovering damaged encodings and wrong character sets.
    fn text_of(
        &mut self,
        message: &Message<'_>,
        part: &MessagePart<'_>,
        info: &PartInfo,
    ) -> String {
        let parsed = match &part.body {
            PartType::Text(text) | PartType::Html(text) if !part.is_encoding_problem => {
                Some(text.as_ref())
            }
            _ => None,
        };
        let is_quoted_printable = info.transfer_encoding.as_deref() == Some("quoted-printable");
        let needs_redecoding = match parsed {
            // mail-parser drops the last characters of a quoted-printable part that ends in a
            // soft line break right before the boundary (as iPhone mail does), so those parts
            // are always decoded here.
            _ if is_quoted_printable => true,
            None => true,
            Some(text) => {
                let known = info.charset.as_deref().is_none_or(is_known_charset);
                !known || text.contains('\u{FFFD}')
            }
        };
        if let (Some(text), false) = (parsed, needs_redecoding) {
            return self.bounded(text.to_owned(), info);
        }
        let bytes = self.transfer_decoded(message, part, info);
        let text = match decode_text(&bytes, info.charset.as_deref()) {
            Decoded::AsDeclared(text) => text,
            Decoded::UnknownCharset(text) => {
                self.warnings.push(format!(
                    "The {} declares the unknown character set \"{}\"; it was read as UTF-8 \
                     where possible.",
                    info.describe(),
                    truncate_bytes(info.charset.as_deref().unwrap_or(""), 40)
                ));
                text
            }
            Decoded::NotUtf8(text) => {
                let label = match info.charset.as_deref() {
                    Some(c) if c.to_ascii_lowercase().contains("utf") => {
                        "is labelled UTF-8 but is not"
                    }
                    _ => "has no usable character set label and is not UTF-8",
                };
                self.warnings.push(format!(
                    "The {} {label}; it was read as Windows-1252.",
                    info.describe()
                ));
                text
            }
        };
        self.bounded(text, info)
    }

    /// Cuts HTML body parts so that together they stay within the HTML limit (text parts are
    /// cut later, as a whole); this bounds the work of sanitising and of making text from HTML.
    fn bounded(&mut self, mut text: String, info: &PartInfo) -> String {
        if info.content_type != "text/html" {
            return text;
        }
        if text.len() > self.html_budget {
            let keep = truncate_bytes(&text, self.html_budget).len();
            text.truncate(keep);
            self.html_truncated = true;
        }
        self.html_budget -= text.len();
        text
    }

    /// An attachment's bytes. Text attachments keep their original bytes (not converted to
    /// UTF-8), so a file is stored exactly as it was sent.
    fn bytes_of(
        &mut self,
        message: &Message<'_>,
        part: &MessagePart<'_>,
        info: &PartInfo,
    ) -> Vec<u8> {
        match &part.body {
            PartType::Binary(bytes) | PartType::InlineBinary(bytes)
                if !part.is_encoding_problem =>
            {
                bytes.to_vec()
            }
            _ => self.transfer_decoded(message, part, info),
        }
    }

    /// The part's body with only its transfer encoding undone, leniently, with a warning when
    /// the part was damaged.
    fn transfer_decoded(
        &mut self,
        message: &Message<'_>,
        part: &MessagePart<'_>,
        info: &PartInfo,
    ) -> Vec<u8> {
        let raw = message
            .raw_message
            .get(part.offset_body as usize..part.offset_end as usize)
            .unwrap_or_default();
        let (bytes, broken) = match info.transfer_encoding.as_deref() {
            Some("base64") => lenient_base64(raw),
            Some("quoted-printable") => (lenient_quoted_printable(raw), false),
            _ => (raw.to_vec(), false),
        };
        if broken {
            self.warnings.push(format!(
                "The {} had broken base64 encoding; it was decoded as far as possible.",
                info.describe()
            ));
        } else if part.is_encoding_problem && !raw.iter().all(u8::is_ascii_whitespace) {
            self.warnings.push(format!(
                "The message's MIME structure is damaged (for example a closing boundary is \
                 missing); the {} was recovered as far as possible.",
                info.describe()
            ));
        }
        bytes
    }
}

/// Picks from the alternatives of a multipart/alternative: the last one with plain text for
/// the text and the last one with HTML for the HTML (RFC 2046 puts the best last).
fn choose_alternative(mut bodies: Vec<Vec<Segment>>) -> Vec<Segment> {
    let plain_index = bodies
        .iter()
        .rposition(|b| !b.is_empty() && b.iter().all(|s| s.plain.is_some()));
    let html_index = bodies
        .iter()
        .rposition(|b| b.iter().any(|s| s.html.is_some()));
    match (plain_index, html_index) {
        (Some(p), Some(h)) if p == h => std::mem::take(&mut bodies[p]),
        (Some(p), Some(h)) => {
            let plain = join_plain(&bodies[p]);
            let html = join_html(&bodies[h]);
            vec![Segment {
                plain: (!plain.trim().is_empty()).then_some(plain),
                html: Some(html),
            }]
        }
        (Some(i), None) | (None, Some(i)) => std::mem::take(&mut bodies[i]),
        (None, None) => bodies
            .into_iter()
            .rev()
            .find(|b| !b.is_empty())
            .unwrap_or_default(),
    }
}

/// The plain text of segments: their text, or text made from their HTML.
pub(super) fn join_plain(segments: &[Segment]) -> String {
    let pieces: Vec<String> = segments
        .iter()
        .map(|s| match (&s.plain, &s.html) {
            (Some(plain), _) => crate::text::clean_body_text(plain).trim_end().to_owned(),
            (None, Some(html)) => html_to_text(html),
            (None, None) => String::new(),
        })
        .filter(|p| !p.trim().is_empty())
        .collect();
    pieces.join("\n\n")
}

/// The HTML of segments: their HTML, or HTML made from their text.
pub(super) fn join_html(segments: &[Segment]) -> String {
    let pieces: Vec<String> = segments
        .iter()
        .map(|s| match (&s.html, &s.plain) {
            (Some(html), _) => html.clone(),
            (None, Some(plain)) => text_to_html(&crate::text::clean_body_text(plain)),
            (None, None) => String::new(),
        })
        .collect();
    pieces.join("\n")
}

/// Whether mail-parser can decode `charset` (UTF-8 is handled without a table).
fn is_known_charset(charset: &str) -> bool {
    let lower = charset.trim().to_ascii_lowercase();
    matches!(lower.as_str(), "utf-8" | "utf8" | "unicode-1-1-utf-8")
        || mail_parser::decoders::charsets::map::charset_decoder(lower.as_bytes()).is_some()
}

/// Whether `value` is `token/token` with RFC 2045 token characters only, so a crafted type
/// can never carry markup (Request Tracker CVE-2022-25802).
fn is_safe_content_type(value: &str) -> bool {
    let is_token = |s: &str| {
        !s.is_empty()
            && s.len() <= 100
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
    };
    value
        .split_once('/')
        .is_some_and(|(t, s)| is_token(t) && is_token(s))
}

/// A name for a part that has none, from its type.
fn default_filename(content_type: &str) -> String {
    let extension = match content_type {
        "image/png" => ".png",
        "image/jpeg" | "image/jpg" | "image/pjpeg" => ".jpg",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        "image/bmp" => ".bmp",
        "image/tiff" => ".tif",
        "application/pdf" => ".pdf",
        "text/plain" => ".txt",
        "text/html" => ".html",
        "text/calendar" => ".ics",
        "text/csv" => ".csv",
        "text/rfc822-headers" => return "returned-headers.txt".to_owned(),
        "message/rfc822" | "message/global" => ".eml",
        "message/delivery-status" | "message/global-delivery-status" => ".txt",
        "application/ms-tnef" | "application/vnd.ms-tnef" => return "winmail.dat".to_owned(),
        "application/pgp-signature" => ".asc",
        "application/pkcs7-signature" | "application/x-pkcs7-signature" => ".p7s",
        "application/zip" => ".zip",
        _ => "",
    };
    let stem = match content_type.split_once('/').map(|(t, _)| t) {
        Some("image") => "image",
        Some("message") if content_type.contains("delivery-status") => "delivery-status",
        Some("message") => "message",
        _ => "attachment",
    };
    format!("{stem}{extension}")
}

/// The `Message-ID` in a block of returned header fields (`text/rfc822-headers`).
fn message_id_in_headers(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if !name.trim().eq_ignore_ascii_case("message-id") {
            continue;
        }
        let mut value = value.trim().to_owned();
        if value.is_empty() {
            // Folded onto the next line.
            value = lines.next().unwrap_or("").trim().to_owned();
        }
        return super::normalize_id(&value);
    }
    None
}
