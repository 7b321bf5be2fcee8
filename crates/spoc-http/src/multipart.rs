//! `multipart/form-data` bodies (RFC 7578), for forms that send files: the web UI's composer and
//! portal forms, and comments with files in the JSON API. The request guard has already read the
//! whole body within [`MAX_UPLOAD_REQUEST_BYTES`]; this splits it into text fields and files.
//!
//! Only what browsers send is read: parts separated by the boundary, each with a
//! `Content-Disposition: form-data; name="…"` header, a file part also with `filename="…"` and
//! usually a `Content-Type`. Nested `multipart/mixed` parts (RFC 2388, never sent by browsers)
//! are refused. Text fields must be UTF-8 without NUL characters.

/// The largest `multipart/form-data` body accepted: the files one e-mail may carry (30 MiB in
/// all, see `spoc_mail::Limits`) with room for the text and the encoding. A file over the
/// per-file limit but within this is refused with a sentence next to the field, not a 413.
pub const MAX_UPLOAD_REQUEST_BYTES: usize = 40 * 1024 * 1024;

/// Whether the form at `path` takes files (and so a body up to [`MAX_UPLOAD_REQUEST_BYTES`]):
/// the agent's composer, the portal's reply and its "Get help" form. Every other body stays
/// within the general limit.
pub fn takes_files(path: &str) -> bool {
    if path == "/portal/new" {
        return true;
    }
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    matches!(
        parts.as_slice(),
        ["desk", "tickets", id, "comment"] | ["portal", "tickets", id, "reply"]
            if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
    )
}

/// At most this many parts are read from one body.
const MAX_PARTS: usize = 200;

/// A file sent in a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilePart {
    /// The form field's name.
    pub field: String,
    /// The name the browser gave (not yet made safe).
    pub filename: String,
    /// The media type the browser gave, lowercased; `application/octet-stream` if none.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// A `multipart/form-data` body: its text fields in order and its files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormData {
    /// `(name, value)` of each text field.
    pub fields: Vec<(String, String)>,
    /// The files; a file input left empty (no name, no bytes) is not listed.
    pub files: Vec<FilePart>,
}

impl FormData {
    /// The first value of the text field `name`.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a body could not be read as `multipart/form-data`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MultipartError {
    /// The `Content-Type` names no boundary.
    NoBoundary,
    /// The body does not follow the format.
    Malformed(&'static str),
}

impl std::fmt::Display for MultipartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoBoundary => write!(f, "the Content-Type has no multipart boundary"),
            Self::Malformed(what) => write!(f, "the multipart body is malformed: {what}"),
        }
    }
}

impl std::error::Error for MultipartError {}

/// The boundary of a `multipart/form-data` content type, if it is one.
pub fn boundary(content_type: &str) -> Option<String> {
    let mut parts = content_type.split(';');
    let essence = parts.next()?.trim();
    if !essence.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parts.find_map(|p| {
        let (key, value) = p.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let value = value.trim().trim_matches('"');
        (!value.is_empty() && value.len() <= 70).then(|| value.to_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() || from > haystack.len() {
        return None;
    }
    let first = needle[0];
    let mut i = from;
    while i + needle.len() <= haystack.len() {
        match haystack[i..].iter().position(|b| *b == first) {
            None => return None,
            Some(offset) => {
                i += offset;
                if i + needle.len() <= haystack.len() && &haystack[i..i + needle.len()] == needle {
                    return Some(i);
                }
                i += 1;
            }
        }
    }
    None
}

/// A parameter of a `Content-Disposition` header value (`name="x"`), unquoted.
fn parameter(header: &str, wanted: &str) -> Option<String> {
    let mut rest = header;
    // Skip the disposition type.
    rest = rest.split_once(';')?.1;
    loop {
        let trimmed = rest.trim_start();
        let (key, after) = trimmed.split_once('=')?;
        let key = key.trim();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            value.push(escaped);
                        }
                    }
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    c => value.push(c),
                }
            }
            let end = end?;
            (value, quoted[end..].split_once(';').map(|(_, r)| r))
        } else {
            match after.split_once(';') {
                Some((v, r)) => (v.trim().to_owned(), Some(r)),
                None => (after.trim().to_owned(), None),
            }
        };
        if key.eq_ignore_ascii_case(wanted) {
            return Some(value);
        }
        rest = next?;
    }
}

/// Splits `body` sent with `content_type` into fields and files.
pub fn parse(content_type: &str, body: &[u8]) -> Result<FormData, MultipartError> {
    let boundary = boundary(content_type).ok_or(MultipartError::NoBoundary)?;
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut form = FormData::default();
    let mut at = find(body, delimiter, 0).ok_or(MultipartError::Malformed("no first boundary"))?;
    let mut parts = 0usize;
    loop {
        at += delimiter.len();
        if body[at..].starts_with(b"--") {
            return Ok(form);
        }
        // The rest of the delimiter line (transport padding) and its line break.
        let line_end = find(body, b"\r\n", at).ok_or(MultipartError::Malformed("boundary line"))?;
        let headers_start = line_end + 2;
        let headers_end = find(body, b"\r\n\r\n", headers_start)
            .ok_or(MultipartError::Malformed("part headers"))?;
        let content_start = headers_end + 4;
        let mut closing = Vec::with_capacity(delimiter.len() + 2);
        closing.extend_from_slice(b"\r\n");
        closing.extend_from_slice(delimiter);
        let content_end = find(body, &closing, content_start)
            .ok_or(MultipartError::Malformed("no closing boundary"))?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(MultipartError::Malformed("too many parts"));
        }
        let headers = std::str::from_utf8(&body[headers_start..headers_end])
            .map_err(|_| MultipartError::Malformed("part headers are not UTF-8"))?;
        let mut disposition = None;
        let mut part_type = None;
        for line in headers.split("\r\n") {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            if name.trim().eq_ignore_ascii_case("content-disposition") {
                disposition = Some(value.trim().to_owned());
            } else if name.trim().eq_ignore_ascii_case("content-type") {
                part_type = Some(value.trim().to_ascii_lowercase());
            }
        }
        let disposition = disposition.ok_or(MultipartError::Malformed("part without name"))?;
        let name = parameter(&disposition, "name")
            .ok_or(MultipartError::Malformed("part without name"))?;
        let content = &body[content_start..content_end];
        if part_type
            .as_deref()
            .is_some_and(|t| t.starts_with("multipart/"))
        {
            return Err(MultipartError::Malformed("nested multipart"));
        }
        match parameter(&disposition, "filename") {
            Some(filename) => {
                if !(filename.is_empty() && content.is_empty()) {
                    let content_type = part_type
                        .as_deref()
                        .map(|t| t.split(';').next().unwrap_or("").trim().to_owned())
                        .filter(|t| !t.is_empty())
                        .unwrap_or_else(|| "application/octet-stream".to_owned());
                    form.files.push(FilePart {
                        field: name,
                        filename,
                        content_type,
                        bytes: content.to_vec(),
                    });
                }
            }
            None => {
                let value = std::str::from_utf8(content)
                    .map_err(|_| MultipartError::Malformed("a text field is not UTF-8"))?;
                if value.contains('\0') || name.contains('\0') {
                    return Err(MultipartError::Malformed("a NUL character"));
                }
                form.fields.push((name, value.to_owned()));
            }
        }
        at = content_end + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPE: &str = "multipart/form-data; boundary=----x1";

    fn body(parts: &[&str]) -> Vec<u8> {
        let mut out = String::new();
        for p in parts {
            out.push_str("------x1\r\n");
            out.push_str(p);
            out.push_str("\r\n");
        }
        out.push_str("------x1--\r\n");
        out.into_bytes()
    }

    #[test]
    fn fields_and_files_are_read() {
        let raw = body(&[
            "Content-Disposition: form-data; name=\"body\"\r\n\r\nHello\r\nthere",
            "Content-Disposition: form-data; name=\"files\"; filename=\"a \\\"b\\\".png\"\r\nContent-Type: IMAGE/PNG\r\n\r\n\u{1}PNG",
            "Content-Disposition: form-data; name=\"files\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n",
        ]);
        let form = parse(TYPE, &raw).unwrap();
        assert_eq!(form.text("body"), Some("Hello\r\nthere"));
        assert_eq!(form.files.len(), 1, "the empty file input is not a file");
        assert_eq!(form.files[0].filename, "a \"b\".png");
        assert_eq!(form.files[0].content_type, "image/png");
        assert_eq!(form.files[0].bytes, b"\x01PNG");
    }

    #[test]
    fn malformed_bodies_are_refused() {
        assert_eq!(
            parse("multipart/form-data", b"x"),
            Err(MultipartError::NoBoundary)
        );
        assert!(parse(TYPE, b"no boundary here").is_err());
        assert!(
            parse(
                TYPE,
                b"------x1\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated"
            )
            .is_err()
        );
        let nul = body(&["Content-Disposition: form-data; name=\"a\"\r\n\r\nx\0y"]);
        assert!(parse(TYPE, &nul).is_err());
        let nameless = body(&["Content-Type: text/plain\r\n\r\nx"]);
        assert!(parse(TYPE, &nameless).is_err());
    }

    #[test]
    fn only_the_forms_with_files_take_large_bodies() {
        assert!(takes_files("/portal/new"));
        assert!(takes_files("/desk/tickets/12/comment"));
        assert!(takes_files("/portal/tickets/3/reply"));
        assert!(!takes_files("/desk/tickets/x/comment"));
        assert!(!takes_files("/desk/tickets/12/edit"));
        assert!(!takes_files("/login"));
    }

    #[test]
    fn the_boundary_comes_from_the_content_type() {
        assert_eq!(
            boundary("multipart/form-data; charset=utf-8; boundary=\"abc\""),
            Some("abc".to_owned())
        );
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
    }
}
