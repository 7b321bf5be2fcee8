//! How each person reads the desk: the time zone times are shown in (an IANA name, as business
//! calendars use; none means the server's zone) and the language of the pages (English or
//! German). Chosen on the person's own preferences page; read with the session on every page.

use spoc_domain::ValidationError;
use spoc_domain::access::Actor;
use spoc_domain::credential::Access;

use crate::auth::{permit, sha256_hex};
use crate::{App, AppError};

pub use spoc_i18n::Language;

/// A person's reading settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadingSettings {
    /// The IANA time zone chosen, or `None` for the server's.
    pub time_zone: Option<String>,
    /// The language of the pages.
    pub language: Language,
    /// Whether the person still signs in with the password generated at first start (only
    /// for a session's reader).
    pub generated_password: bool,
}

impl ReadingSettings {
    fn from_stored(time_zone: Option<String>, language: Option<String>) -> Self {
        Self {
            time_zone: time_zone.filter(|z| jiff::tz::TimeZone::get(z).is_ok()),
            language: language
                .as_deref()
                .and_then(Language::parse)
                .unwrap_or_default(),
            generated_password: false,
        }
    }
}

/// The IANA time zone names a person may choose, sorted.
pub fn time_zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.as_str().to_owned())
        .filter(|name| name.contains('/') || name == "UTC")
        .filter(|name| !name.starts_with("Etc/") && !name.starts_with("SystemV/"))
        .collect();
    names.sort();
    names.dedup();
    names
}

impl App {
    /// The actor's reading settings.
    pub async fn own_reading_settings(&self, actor: &Actor) -> Result<ReadingSettings, AppError> {
        permit(actor, None, Access::Read)?;
        let (zone, language) = self
            .store
            .person_settings(actor.tenant_id, actor.person()?)
            .await?;
        Ok(ReadingSettings::from_stored(zone, language))
    }

    /// Sets the actor's time zone (an IANA name; empty for the server's) and language (`en`,
    /// `de`). An unknown zone or language is refused on its field.
    pub async fn set_own_reading_settings(
        &self,
        actor: &Actor,
        time_zone: &str,
        language: &str,
    ) -> Result<ReadingSettings, AppError> {
        permit(actor, None, Access::Write)?;
        let time_zone = time_zone.trim();
        let zone = if time_zone.is_empty() {
            None
        } else {
            jiff::tz::TimeZone::get(time_zone).map_err(|_| {
                ValidationError::new(
                    "time_zone",
                    "is not a time zone of the IANA list, such as Europe/Berlin",
                )
            })?;
            Some(time_zone)
        };
        let language = Language::parse(language)
            .ok_or_else(|| ValidationError::new("language", "must be English or Deutsch"))?;
        self.store
            .put_person_settings(
                actor.tenant_id,
                actor.person()?,
                zone,
                Some(language.as_str()),
            )
            .await?;
        Ok(ReadingSettings {
            time_zone: zone.map(str::to_owned),
            language,
            generated_password: false,
        })
    }

    /// The reading settings of the person whose browser session has `secret` (defaults when
    /// there is none, or it cannot be read), and whether they still sign in with the generated
    /// password: for rendering pages, which need nothing else.
    pub async fn session_reading_settings(&self, secret: &str) -> ReadingSettings {
        if secret.len() != 64 {
            return ReadingSettings::default();
        }
        match self
            .store
            .session_reader(&sha256_hex(secret), crate::setup::GENERATED_PASSWORD_KEY)
            .await
        {
            Ok(Some(reader)) => {
                let generated_password = match (&reader.generated, &reader.password_hash) {
                    (Some(remembered), Some(hash)) => {
                        remembered == &format!("{}:{}", reader.user_id, sha256_hex(hash))
                    }
                    _ => false,
                };
                ReadingSettings {
                    generated_password,
                    ..ReadingSettings::from_stored(reader.time_zone, reader.language)
                }
            }
            Ok(None) | Err(_) => ReadingSettings::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_and_zones_are_read_as_offered() {
        assert_eq!(Language::parse("de-AT"), Some(Language::De));
        assert_eq!(Language::parse("EN"), Some(Language::En));
        assert_eq!(Language::parse("fr"), None);
        let zones = time_zone_names();
        assert!(zones.iter().any(|z| z == "Europe/Berlin"), "{zones:?}");
        assert!(zones.iter().any(|z| z == "UTC"));
        let stored =
            ReadingSettings::from_stored(Some("Mars/Olympus".to_owned()), Some("xx".to_owned()));
        assert_eq!(stored, ReadingSettings::default());
    }
}
