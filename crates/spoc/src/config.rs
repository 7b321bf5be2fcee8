//! Settings: defaults, then an optional `spoc.toml`, then environment variables and flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The optional `spoc.toml`. Unknown keys are refused, so a typo never goes unnoticed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    /// Where the embedded database lives (default `./spoc-data`).
    pub data_dir: Option<PathBuf>,
    /// The address to listen on (default `127.0.0.1:8080`).
    pub listen: Option<String>,
    /// `sqlite://PATH` or `postgres://USER@HOST/DB` (default: SQLite in the data directory).
    pub database_url: Option<String>,
    /// The SMTP relay for outbound mail, e.g. `smtp://127.0.0.1:25` (default: none, mail off).
    pub smtp_url: Option<String>,
    /// The sender address of notifications, e.g. `Service Desk <desk@example.com>`.
    pub mail_from: Option<String>,
    /// The address people reach the desk at, for links in mail (default: `http://LISTEN`).
    pub public_url: Option<String>,
}

/// Settings from the command line and environment (already merged by clap).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--config` / `SPOC_CONFIG`.
    pub config: Option<PathBuf>,
    /// `--data-dir` / `SPOC_DATA_DIR`.
    pub data_dir: Option<PathBuf>,
    /// `--database` / `SPOC_DATABASE_URL`.
    pub database_url: Option<String>,
    /// `--listen` / `SPOC_LISTEN`.
    pub listen: Option<String>,
    /// `--smtp-url` / `SPOC_SMTP_URL`.
    pub smtp_url: Option<String>,
    /// `--mail-from` / `SPOC_MAIL_FROM`.
    pub mail_from: Option<String>,
    /// `--public-url` / `SPOC_PUBLIC_URL`.
    pub public_url: Option<String>,
}

/// The settings in force.
#[derive(Clone)]
pub struct Settings {
    /// Data directory.
    pub data_dir: PathBuf,
    /// Database URL. Not printed by `Debug`: it may hold a password.
    pub database_url: String,
    /// Listen address.
    pub listen: SocketAddr,
    /// The SMTP relay. Not printed by `Debug`: it may hold a password.
    pub smtp_url: Option<String>,
    /// The notifications' sender (mail is on when this is set).
    pub mail_from: Option<spoc_mail::Address>,
    /// The desk's public base URL, without a trailing slash.
    pub public_url: String,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("listen", &self.listen)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("public_url", &self.public_url)
            .finish()
    }
}

/// The URL with any password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

impl Settings {
    /// Merges defaults, the config file and the overrides.
    pub fn load(overrides: &Overrides) -> anyhow::Result<Self> {
        let file = match &overrides.config {
            Some(path) => read_file(path)?,
            None if Path::new("spoc.toml").exists() => read_file(Path::new("spoc.toml"))?,
            None => FileSettings::default(),
        };
        let data_dir = overrides
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("spoc-data"));
        let database_url = overrides
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("spoc.db").display()));
        spoc_store::Backend::from_url(&database_url).map_err(|e| anyhow::anyhow!("{e}"))?;
        let listen_text = overrides
            .listen
            .clone()
            .or(file.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let listen = listen_text.parse().with_context(|| {
            format!("--listen {listen_text:?} is not an address like 127.0.0.1:8080")
        })?;
        let smtp_url = overrides.smtp_url.clone().or(file.smtp_url);
        let mail_from = match overrides.mail_from.clone().or(file.mail_from) {
            Some(text) => Some(parse_sender(&text)?),
            None => None,
        };
        if smtp_url.is_some() && mail_from.is_none() {
            anyhow::bail!(
                "--smtp-url is set but --mail-from is not: say which address notifications come from (SPOC_MAIL_FROM)"
            );
        }
        let public_url = overrides
            .public_url
            .clone()
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{listen}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            anyhow::bail!("--public-url {public_url:?} must start with http:// or https://");
        }
        Ok(Self {
            data_dir,
            database_url,
            listen,
            smtp_url,
            mail_from,
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }
}

/// `desk@example.com` or `Service Desk <desk@example.com>`.
fn parse_sender(text: &str) -> anyhow::Result<spoc_mail::Address> {
    let text = text.trim();
    let (name, address) = match text.rsplit_once('<') {
        Some((name, rest)) => (name.trim().trim_matches('"'), rest.trim_end_matches('>')),
        None => ("", text),
    };
    let address = spoc_mail::Address::parse(address.trim())
        .map_err(|e| anyhow::anyhow!("--mail-from {text:?}: {e}"))?;
    Ok(if name.is_empty() {
        address
    } else {
        address.with_name(name)
    })
}

fn read_file(path: &Path) -> anyhow::Result<FileSettings> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text)
        .with_context(|| format!("{} is not a valid Spoc configuration", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let settings = Settings::load(&Overrides::default()).unwrap();
        assert_eq!(settings.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.database_url, "sqlite://spoc-data/spoc.db");
        let overrides = Overrides {
            data_dir: Some("/tmp/desk".into()),
            listen: Some("0.0.0.0:9000".into()),
            ..Overrides::default()
        };
        let settings = Settings::load(&overrides).unwrap();
        assert_eq!(settings.database_url, "sqlite:///tmp/desk/spoc.db");
        assert_eq!(settings.listen.port(), 9000);
    }

    #[test]
    fn unknown_scheme_and_bad_address_are_refused() {
        let bad = Overrides {
            database_url: Some("mysql://x".into()),
            ..Overrides::default()
        };
        let error = Settings::load(&bad).unwrap_err().to_string();
        assert!(error.contains("unsupported database URL scheme"), "{error}");
        let bad = Overrides {
            listen: Some("localhost".into()),
            ..Overrides::default()
        };
        assert!(Settings::load(&bad).is_err());
    }

    #[test]
    fn config_file_rejects_unknown_keys_and_secrets_are_redacted() {
        assert!(toml::from_str::<FileSettings>("listen = \"127.0.0.1:1\"\nlisen = 1").is_err());
        assert_eq!(
            redact_url("postgres://spoc:secret@db/spoc"),
            "postgres://spoc:***@db/spoc"
        );
        assert_eq!(
            redact_url("sqlite://spoc-data/spoc.db"),
            "sqlite://spoc-data/spoc.db"
        );
    }

    #[test]
    fn mail_settings_are_checked() {
        let smtp_only = Overrides {
            smtp_url: Some("smtp://127.0.0.1:25".into()),
            ..Overrides::default()
        };
        let error = Settings::load(&smtp_only).unwrap_err().to_string();
        assert!(error.contains("--mail-from"), "{error}");
        let named = Overrides {
            smtp_url: Some("smtp://user:secret@127.0.0.1:25".into()),
            mail_from: Some("Service Desk <Desk@Example.com>".into()),
            ..Overrides::default()
        };
        let settings = Settings::load(&named).unwrap();
        let from = settings.mail_from.clone().unwrap();
        assert_eq!(from.email(), "desk@example.com");
        assert_eq!(from.name(), Some("Service Desk"));
        assert_eq!(settings.public_url, "http://127.0.0.1:8080");
        assert!(
            !format!("{settings:?}").contains("secret"),
            "the SMTP password is redacted"
        );
        let bad = Overrides {
            mail_from: Some("desk@example.com\r\nBcc: x@y.z".into()),
            ..Overrides::default()
        };
        assert!(Settings::load(&bad).is_err());
    }
}
