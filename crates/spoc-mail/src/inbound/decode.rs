//! Recovering content that mail-parser could not decode cleanly: lenient base64 and
//! quoted-printable, and character sets that are unknown, missing or wrong.

use mail_parser::decoders::charsets::map::charset_decoder;

/// Bytes from base64 that may be broken: characters outside the alphabet are skipped, padding
/// ends a group, and a trailing partial group is decoded as far as it goes. Returns the bytes
/// and whether anything had to be skipped.
pub(crate) fn lenient_base64(input: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let mut group = [0u8; 4];
    let mut filled = 0;
    let mut skipped = false;
    for &byte in input {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                flush_partial(&group, filled, &mut out);
                filled = 0;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => {
                skipped = true;
                continue;
            }
        };
        group[filled] = value;
        filled += 1;
        if filled == 4 {
            out.push((group[0] << 2) | (group[1] >> 4));
            out.push((group[1] << 4) | (group[2] >> 2));
            out.push((group[2] << 6) | group[3]);
            filled = 0;
        }
    }
    if filled == 1 {
        skipped = true;
    }
    flush_partial(&group, filled, &mut out);
    (out, skipped)
}

/// Decodes the first `filled` sextets of an incomplete group.
fn flush_partial(group: &[u8; 4], filled: usize, out: &mut Vec<u8>) {
    if filled >= 2 {
        out.push((group[0] << 2) | (group[1] >> 4));
    }
    if filled >= 3 {
        out.push((group[1] << 4) | (group[2] >> 2));
    }
}

/// Bytes from quoted-printable that may be broken: `=XX` is decoded, `=` before a line end
/// (or at the very end) is a soft line break, and any other `=` is kept as it is.
pub(crate) fn lenient_quoted_printable(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let byte = input[i];
        if byte != b'=' {
            out.push(byte);
            i += 1;
            continue;
        }
        let rest = &input[i + 1..];
        // A soft line break, possibly with trailing whitespace before the line end.
        let spaces = rest
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        match &rest[spaces..] {
            [] => break,
            [b'\r', b'\n', ..] => {
                i += 1 + spaces + 2;
                continue;
            }
            [b'\n', ..] => {
                i += 1 + spaces + 1;
                continue;
            }
            _ => {}
        }
        match (
            rest.first().and_then(hex_value),
            rest.get(1).and_then(hex_value),
        ) {
            (Some(high), Some(low)) => {
                out.push((high << 4) | low);
                i += 3;
            }
            _ => {
                out.push(b'=');
                i += 1;
            }
        }
    }
    out
}

/// The value of a hexadecimal digit.
fn hex_value(byte: &u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// How text bytes were turned into a string.
pub(crate) enum Decoded {
    /// As the part said.
    AsDeclared(String),
    /// The declared character set is unknown; read as UTF-8 (or Windows-1252 if not UTF-8).
    UnknownCharset(String),
    /// No character set was declared (or ASCII, or UTF-8) but the bytes are not UTF-8; read as
    /// Windows-1252, the usual culprit.
    NotUtf8(String),
}

/// Decodes text `bytes` in `charset`, recovering from unknown or wrong labels.
pub(crate) fn decode_text(bytes: &[u8], charset: Option<&str>) -> Decoded {
    let label = charset.map(|c| c.trim().to_ascii_lowercase());
    let is_utf8_or_ascii = label.as_deref().is_none_or(|l| {
        matches!(
            l,
            "utf-8" | "utf8" | "us-ascii" | "ascii" | "ansi_x3.4-1968" | "unicode-1-1-utf-8" | ""
        )
    });
    if is_utf8_or_ascii {
        return match std::str::from_utf8(bytes) {
            Ok(text) => Decoded::AsDeclared(text.to_owned()),
            Err(_) => Decoded::NotUtf8(windows_1252(bytes)),
        };
    }
    match label.as_deref().and_then(|l| charset_decoder(l.as_bytes())) {
        Some(decoder) => Decoded::AsDeclared(decoder(bytes)),
        None => Decoded::UnknownCharset(match std::str::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => windows_1252(bytes),
        }),
    }
}

/// `bytes` read as Windows-1252.
pub(crate) fn windows_1252(bytes: &[u8]) -> String {
    match charset_decoder(b"windows-1252") {
        Some(decoder) => decoder(bytes),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_base64_is_decoded_as_far_as_possible() {
        assert_eq!(
            lenient_base64(b"SGVsbG8g\r\nd29ybGQ="),
            (b"Hello world".to_vec(), false)
        );
        assert_eq!(
            lenient_base64(b"SGVsbG8g!!d29ybGQ"),
            (b"Hello world".to_vec(), true)
        );
        assert_eq!(lenient_base64(b"SGk=SGk="), (b"HiHi".to_vec(), false));
        assert_eq!(lenient_base64(b"S"), (Vec::new(), true));
    }

    #[test]
    fn quoted_printable_is_decoded_leniently() {
        assert_eq!(
            lenient_quoted_printable(b"Sent from my iPhone="),
            b"Sent from my iPhone"
        );
        assert_eq!(
            lenient_quoted_printable(b"a=\r\nb=3Dc=\nd= \r\ne"),
            b"ab=cde"
        );
        assert_eq!(
            lenient_quoted_printable(b"caf=E9 =ZZ =4"),
            b"caf\xe9 =ZZ =4"
        );
    }

    #[test]
    fn charsets_are_recovered() {
        assert!(matches!(decode_text(b"caf\xe9", None), Decoded::NotUtf8(t) if t == "café"));
        assert!(
            matches!(decode_text(b"caf\xe9", Some("utf-8")), Decoded::NotUtf8(t) if t == "café")
        );
        assert!(
            matches!(decode_text("café".as_bytes(), Some("UTF-8")), Decoded::AsDeclared(t) if t == "café")
        );
        assert!(
            matches!(decode_text(b"caf\xe9", Some("ISO-8859-1")), Decoded::AsDeclared(t) if t == "café")
        );
        assert!(
            matches!(decode_text(b"abc", Some("x-klingon")), Decoded::UnknownCharset(t) if t == "abc")
        );
        assert!(
            matches!(decode_text(b"\x93hi\x94", Some("x-klingon")), Decoded::UnknownCharset(t) if t == "\u{201c}hi\u{201d}")
        );
    }
}
