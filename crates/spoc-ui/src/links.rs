//! Links within the UI: query encoding and where sign-in may send a person back to.

/// Percent-encodes `value` for a URL query.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Whether `next` is a safe place to return to after sign-in: a path on this site.
pub fn safe_next(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_keeps_paths_readable() {
        assert_eq!(
            encode("/desk?queue=mine&q=a b"),
            "/desk%3Fqueue%3Dmine%26q%3Da%20b"
        );
        assert_eq!(encode("ä"), "%C3%A4");
    }

    #[test]
    fn only_local_paths_are_returned_to() {
        assert!(safe_next("/desk/tickets/4?x=1"));
        for bad in [
            "//evil.test/",
            "https://evil.test/",
            "/\\evil.test",
            "desk",
            "/a\nb",
        ] {
            assert!(!safe_next(bad), "{bad:?}");
        }
    }
}
