//! Small text helpers shared by the parser, the builder and the templates: folding header values
//! onto one line, cutting at a character boundary, and human-readable sizes.

/// Folds `value` onto one line: every run of whitespace or control characters (CR, LF, tab, NUL,
/// C1 controls, …) becomes one space, and the ends are trimmed. A value folded this way can
/// never start a new header line.
pub(crate) fn fold_line(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut pending_space = false;
    for c in value.chars() {
        if c.is_whitespace() || c.is_control() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// The longest prefix of `value` that is at most `max_bytes` long and ends on a character
/// boundary.
pub(crate) fn truncate_bytes(value: &str, max_bytes: usize) -> &str {
    if value.len() <= max_bytes {
        return value;
    }
    let mut end = max_bytes;
    while end > 0 && !value.is_char_boundary(end) {
        end -= 1;
    }
    &value[..end]
}

/// Normalises line ends to `\n` and drops control characters other than newline and tab, so
/// body text is safe to store and show.
pub(crate) fn clean_body_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A size for people: "512 bytes", "48 KB", "2.5 MB" (binary units, as file managers show them).
pub(crate) fn format_size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes < KIB {
        format!("{bytes} bytes")
    } else if bytes < MIB {
        format!("{} KB", bytes.div_ceil(KIB))
    } else {
        let tenths = (bytes as u128 * 10).div_ceil(MIB as u128);
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}

/// Lower-case hexadecimal of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_line_breaks_and_controls() {
        assert_eq!(fold_line("  a\r\n\tb\u{0}c\u{85}d  "), "a b c d");
        assert_eq!(fold_line("\r\n"), "");
    }

    #[test]
    fn truncation_keeps_characters_whole() {
        assert_eq!(truncate_bytes("héllo", 2), "h");
        assert_eq!(truncate_bytes("héllo", 3), "hé");
        assert_eq!(truncate_bytes("abc", 10), "abc");
    }

    #[test]
    fn body_text_has_unix_line_ends() {
        assert_eq!(clean_body_text("a\r\nb\rc\u{7}\td"), "a\nb\nc\td");
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(format_size(12), "12 bytes");
        assert_eq!(format_size(2048), "2 KB");
        assert_eq!(format_size(3 * 1024 * 1024), "3 MB");
        assert_eq!(format_size(2_621_440), "2.5 MB");
    }
}
