//! Tenants: every record belongs to exactly one. A desk starts with one tenant,
//! [`TenantId::FIRST`], and nobody notices it; every actor and every store read carries the
//! tenant it works in, so that a second tenant's records can never show through.

use std::fmt;

/// A tenant: the organisation running its own desk in a shared database.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct TenantId(i64);

impl TenantId {
    /// The tenant every desk starts with, made by the migration that introduced tenants, and
    /// the owner of every record that existed before.
    pub const FIRST: Self = Self(1);

    /// Wraps a raw database id.
    pub const fn new(raw: i64) -> Self {
        Self(raw)
    }

    /// The raw database id.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Which tenants' records a read may return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TenantScope {
    /// Only this tenant's: every read on behalf of an actor.
    Tenant(TenantId),
    /// Every tenant's: only for the work of the desk itself (background jobs, reads by a
    /// globally unique id or hash before any tenant is known). Each use names why.
    AllTenants,
}

impl TenantScope {
    /// The one tenant this scope covers, if it covers only one.
    pub const fn tenant(self) -> Option<TenantId> {
        match self {
            Self::Tenant(id) => Some(id),
            Self::AllTenants => None,
        }
    }
}

impl From<TenantId> for TenantScope {
    fn from(id: TenantId) -> Self {
        Self::Tenant(id)
    }
}

/// A tenant's short name in addresses (`/t/{slug}`): 2 to 40 lowercase letters, digits and
/// hyphens, starting and ending with a letter or digit. Unique across the desk.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    /// The longest slug.
    pub const MAX_LEN: usize = 40;

    /// Checks a slug as typed (surrounding blanks are ignored).
    pub fn parse(value: &str) -> Result<Self, crate::ValidationError> {
        let value = value.trim();
        let well_formed = (2..=Self::MAX_LEN).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !value.starts_with('-')
            && !value.ends_with('-');
        if well_formed {
            Ok(Self(value.to_owned()))
        } else {
            Err(crate::ValidationError::new(
                "slug",
                "use 2 to 40 lowercase letters a-z, digits and hyphens, not starting or ending with a hyphen",
            ))
        }
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A host name people reach a tenant's desk at (`help.example.org`): lowercase DNS labels of
/// letters, digits and hyphens, at least two of them, at most 253 characters; no port.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HostName(String);

impl HostName {
    /// The longest host name.
    pub const MAX_LEN: usize = 253;

    /// Checks a host name; letters are lowered.
    pub fn parse(value: &str) -> Result<Self, crate::ValidationError> {
        let value = value.trim().trim_end_matches('.').to_ascii_lowercase();
        let labels: Vec<&str> = value.split('.').collect();
        let well_formed = !value.is_empty()
            && value.len() <= Self::MAX_LEN
            && labels.len() >= 2
            && labels.iter().all(|label| {
                (1..=63).contains(&label.len())
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
        if well_formed {
            Ok(Self(value))
        } else {
            Err(crate::ValidationError::new(
                "host",
                "give a host name such as help.example.org (letters, digits, hyphens and dots; no port or path)",
            ))
        }
    }

    /// The host name of a request's `Host` header (its port dropped), if it is one.
    pub fn from_header(value: &str) -> Option<Self> {
        let host = match value.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
            _ => value,
        };
        Self::parse(host).ok()
    }

    /// The host name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A brand colour: exactly `#rrggbb` (stored and shown lowercase), so that it can go into a
/// style sheet as it is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Colour(String);

impl Colour {
    /// Checks a colour for `field`.
    pub fn parse(field: &'static str, value: &str) -> Result<Self, crate::ValidationError> {
        let value = value.trim();
        let well_formed = value.len() == 7
            && value.starts_with('#')
            && value[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if well_formed {
            Ok(Self(value.to_ascii_lowercase()))
        } else {
            Err(crate::ValidationError::new(
                field,
                "give a colour as # and six hexadecimal digits, such as #1f6feb",
            ))
        }
    }

    /// The colour, `#rrggbb`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The image formats a tenant's logo may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogoType {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// WebP.
    Webp,
}

impl LogoType {
    /// The largest logo, in bytes.
    pub const MAX_BYTES: usize = 256 * 1024;

    /// The media type.
    pub const fn media_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
        }
    }

    /// The format of a stored media type.
    pub fn from_media_type(value: &str) -> Option<Self> {
        [Self::Png, Self::Jpeg, Self::Webp]
            .into_iter()
            .find(|t| t.media_type() == value)
    }

    /// Checks an uploaded logo by its content (never by what the upload claims): a PNG, JPEG
    /// or WebP image of at most [`Self::MAX_BYTES`].
    pub fn sniff(bytes: &[u8]) -> Result<Self, crate::ValidationError> {
        if bytes.len() > Self::MAX_BYTES {
            return Err(crate::ValidationError::new(
                "logo",
                "the logo is larger than 256 KiB; make it smaller",
            ));
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Ok(Self::Png)
        } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Ok(Self::Jpeg)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Ok(Self::Webp)
        } else {
            Err(crate::ValidationError::new(
                "logo",
                "the logo must be a PNG, JPEG or WebP image",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words() {
        assert_eq!(Slug::parse(" acme-2 ").unwrap().as_str(), "acme-2");
        let long = "a".repeat(41);
        for bad in [
            "",
            "a",
            "Acme",
            "-acme",
            "acme-",
            "ac me",
            "acmé",
            long.as_str(),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn host_names_are_dns_names() {
        assert_eq!(
            HostName::parse("Help.Example.org.").unwrap().as_str(),
            "help.example.org"
        );
        assert_eq!(
            HostName::from_header("help.example.org:8080")
                .unwrap()
                .as_str(),
            "help.example.org"
        );
        for bad in ["localhost", "a..b", "-a.b", "a.b/c", "a.b:80", "a b.c", ""] {
            assert!(HostName::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn colours_are_six_hex_digits() {
        assert_eq!(Colour::parse("c", "#1F6FEB").unwrap().as_str(), "#1f6feb");
        for bad in ["1f6feb", "#fff", "#12345g", "red", "#1f6feb;x", "url(x)"] {
            assert!(Colour::parse("c", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn logos_are_known_images_by_content() {
        assert_eq!(
            LogoType::sniff(b"\x89PNG\r\n\x1a\n....").unwrap(),
            LogoType::Png
        );
        assert_eq!(
            LogoType::sniff(&[0xff, 0xd8, 0xff, 0xe0]).unwrap(),
            LogoType::Jpeg
        );
        assert_eq!(
            LogoType::sniff(b"RIFF\0\0\0\0WEBPVP8 ").unwrap(),
            LogoType::Webp
        );
        assert!(LogoType::sniff(b"<svg onload=alert(1)>").is_err());
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(LogoType::MAX_BYTES + 1, 0);
        assert!(LogoType::sniff(&big).is_err());
    }
}
