//! Mail addresses: a validated addr-spec (lower-cased) with an optional, cleaned display name.
//!
//! Only plain `local@domain` addresses are accepted: dot-atom local parts (ASCII `atext`, or
//! letters and digits of any script as RFC 6532 allows), and domains of letter/digit/hyphen
//! labels. Quoted local parts, address literals, comments, whitespace and control characters
//! are refused, so an [`Address`] can be written into a header as it is.

use std::fmt;

use crate::text::fold_line;

/// The longest address accepted, in bytes (RFC 5321's limit on a forward path).
const MAX_ADDRESS_BYTES: usize = 254;
/// The longest local part, in bytes (RFC 5321).
const MAX_LOCAL_BYTES: usize = 64;
/// The longest domain label, in bytes (RFC 1035).
const MAX_LABEL_BYTES: usize = 63;
/// The longest display name kept, in characters.
const MAX_NAME_CHARS: usize = 200;

/// A mailbox: a validated, lower-cased addr-spec and an optional display name.
///
/// The name never contains line breaks or control characters, so both parts are safe to write
/// into a header.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Address {
    name: Option<String>,
    email: String,
}

/// Why a string is not a plain addr-spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Nothing was given.
    #[error("The address is empty.")]
    Empty,
    /// Longer than RFC 5321 allows.
    #[error("The address is longer than 254 characters.")]
    TooLong,
    /// No `@`, or more than one.
    #[error("The address must contain exactly one @ between a name and a domain.")]
    NotOneAt,
    /// The part before the `@` is not a dot-atom.
    #[error("The part before the @ contains characters that are not allowed in an address.")]
    InvalidLocalPart,
    /// The part after the `@` is not a domain name.
    #[error("The part after the @ is not a valid domain name.")]
    InvalidDomain,
}

impl Address {
    /// Parses a plain addr-spec such as `alice@example.com`, refusing anything else (display
    /// names, angle brackets, whitespace, line breaks, comments). The result is lower-cased.
    pub fn parse(email: &str) -> Result<Self, AddressError> {
        if email.is_empty() {
            return Err(AddressError::Empty);
        }
        if email.len() > MAX_ADDRESS_BYTES {
            return Err(AddressError::TooLong);
        }
        let mut pieces = email.split('@');
        let (Some(local), Some(domain), None) = (pieces.next(), pieces.next(), pieces.next())
        else {
            return Err(AddressError::NotOneAt);
        };
        if !is_dot_atom(local) || local.len() > MAX_LOCAL_BYTES {
            return Err(AddressError::InvalidLocalPart);
        }
        if !is_domain(domain) {
            return Err(AddressError::InvalidDomain);
        }
        Ok(Self {
            name: None,
            email: email.to_lowercase(),
        })
    }

    /// This address with a display name. Line breaks, control characters and runs of
    /// whitespace become single spaces; a name that is empty afterwards (or that only repeats
    /// the address) is dropped.
    #[must_use]
    pub fn with_name(mut self, name: &str) -> Self {
        let folded = fold_line(name);
        let folded = folded.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
        let name: String = folded.chars().take(MAX_NAME_CHARS).collect();
        self.name = (!name.is_empty() && !name.eq_ignore_ascii_case(&self.email)).then_some(name);
        self
    }

    /// The display name, if there is one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The address itself, lower-cased, e.g. `alice@example.com`.
    pub fn email(&self) -> &str {
        &self.email
    }

    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        self.email.rsplit_once('@').map_or("", |(local, _)| local)
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        self.email.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

/// Shows `Name <address>`, or just the address; for text bodies, not for headers.
impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{name} <{}>", self.email),
            None => f.write_str(&self.email),
        }
    }
}

/// Whether `c` is allowed in an atom: RFC 5322 `atext`, or a letter or digit outside ASCII.
fn is_atext(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c)
    } else {
        c.is_alphanumeric()
    }
}

/// Whether `value` is atoms joined by single dots.
fn is_dot_atom(value: &str) -> bool {
    !value.is_empty()
        && value
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(is_atext))
}

/// Whether `value` is a domain name: labels of letters, digits and inner hyphens.
fn is_domain(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= MAX_ADDRESS_BYTES
        && value.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= MAX_LABEL_BYTES
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c == '-' || c.is_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_addresses_are_accepted_and_lower_cased() {
        let address = Address::parse("Alice.Smith+desk@Example.COM").unwrap();
        assert_eq!(address.email(), "alice.smith+desk@example.com");
        assert_eq!(address.local_part(), "alice.smith+desk");
        assert_eq!(address.domain(), "example.com");
        assert!(Address::parse("postmaster@localhost").is_ok());
        assert!(Address::parse("jürgen@müller.de").is_ok());
    }

    #[test]
    fn header_injection_is_refused() {
        assert_eq!(
            Address::parse("a@b.c\r\nBcc: x@y"),
            Err(AddressError::NotOneAt)
        );
        assert_eq!(
            Address::parse("a@b.c\r\n"),
            Err(AddressError::InvalidDomain)
        );
        assert_eq!(
            Address::parse("a\n@b.c"),
            Err(AddressError::InvalidLocalPart)
        );
    }

    #[test]
    fn anything_but_an_addr_spec_is_refused() {
        for bad in [
            "",
            "alice",
            "Alice <alice@example.com>",
            "<alice@example.com>",
            "alice@example.com ",
            " alice@example.com",
            "\"alice\"@example.com",
            "alice..smith@example.com",
            ".alice@example.com",
            "alice@[127.0.0.1]",
            "alice@-example.com",
            "alice@example..com",
            "alice@example.com.",
            "alice(comment)@example.com",
            "alice@exa mple.com",
            "a@b@c",
            "al\u{202E}ice@example.com",
        ] {
            assert!(Address::parse(bad).is_err(), "{bad:?} was accepted");
        }
        let long = format!("{}@example.com", "a".repeat(65));
        assert_eq!(Address::parse(&long), Err(AddressError::InvalidLocalPart));
        let longer = format!("a@{}.com", "b".repeat(260));
        assert_eq!(Address::parse(&longer), Err(AddressError::TooLong));
    }

    #[test]
    fn names_are_folded_onto_one_line() {
        let address = Address::parse("a@b.c")
            .unwrap()
            .with_name("\"Evil\r\nBcc: x@y\"");
        assert_eq!(address.name(), Some("Evil Bcc: x@y"));
        assert_eq!(address.to_string(), "Evil Bcc: x@y <a@b.c>");
        let unnamed = Address::parse("a@b.c").unwrap().with_name("  A@B.C ");
        assert_eq!(unnamed.name(), None);
    }
}
