//! The LDAP client: a connection over TLS (`ldaps://`, or StartTLS on `ldap://`; plain text is
//! never used) that trusts the directory's own CA certificate when it has one, binds, and
//! searches with the Simple Paged Results control.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, Scope, SearchEntry};
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

/// Connecting and each operation give up after this long.
const TIMEOUT: Duration = Duration::from_secs(20);
/// Entries asked for per page.
const PAGE_SIZE: i32 = 200;

/// Where and as whom to connect.
pub(super) struct Settings {
    /// `ldaps://…` or `ldap://…`.
    pub url: String,
    /// The CA certificate (PEM) to trust, if not the public roots.
    pub ca_certificate: Option<String>,
    /// The service account.
    pub bind_dn: String,
    /// Its password, in clear.
    pub bind_password: String,
}

/// One entry found: its DN and its attributes (names lower-cased).
#[derive(Clone, Debug)]
pub(super) struct Entry {
    pub dn: String,
    attrs: HashMap<String, Vec<String>>,
    bin_attrs: HashMap<String, Vec<Vec<u8>>>,
}

impl Entry {
    fn from_search(entry: SearchEntry) -> Self {
        Self {
            dn: entry.dn,
            attrs: entry
                .attrs
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
            bin_attrs: entry
                .bin_attrs
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
        }
    }

    /// The first text value of `attribute`.
    pub fn text(&self, attribute: &str) -> Option<&str> {
        self.attrs
            .get(&attribute.to_ascii_lowercase())
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// Every text value of `attribute`.
    pub fn texts(&self, attribute: &str) -> &[String] {
        self.attrs
            .get(&attribute.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// The first value of `attribute` as text, or a binary one (Active Directory's
    /// `objectGUID`) as hex.
    pub fn id(&self, attribute: &str) -> Option<String> {
        if let Some(text) = self.text(attribute) {
            return Some(text.to_owned());
        }
        self.bin_attrs
            .get(&attribute.to_ascii_lowercase())
            .and_then(|v| v.first())
            .map(|bytes| bytes.iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// Whether `url` is one Spoc connects to: `ldaps://` or `ldap://` (StartTLS) with a host, and
/// nothing after it but a port. `Ok(true)` means StartTLS.
pub(super) fn parse_url(url: &str) -> Result<bool, String> {
    let lower = url.to_ascii_lowercase();
    let (starttls, rest) = if let Some(rest) = lower.strip_prefix("ldaps://") {
        (false, rest)
    } else if let Some(rest) = lower.strip_prefix("ldap://") {
        (true, rest)
    } else {
        return Err(
            "must start with ldaps:// (TLS) or ldap:// (then StartTLS is required)".to_owned(),
        );
    };
    let rest = rest.trim_end_matches('/');
    let host = match rest.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || rest.starts_with('[') => {
            if port.parse::<u16>().ok().is_none_or(|p| p == 0) {
                return Err("must name a port between 1 and 65535 after the colon".to_owned());
            }
            host
        }
        _ => rest,
    };
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'))
    {
        return Err("must name the directory's host, such as ldaps://ldap.example.org".to_owned());
    }
    Ok(starttls)
}

/// The certificates trusted: the directory's CA alone when it has one, the public roots
/// otherwise.
pub(super) fn roots(ca_certificate: Option<&str>) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    match ca_certificate {
        Some(pem) => {
            for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                let cert = cert.map_err(|_| "is not a valid PEM certificate".to_owned())?;
                roots
                    .add(cert)
                    .map_err(|e| format!("cannot be trusted: {e}"))?;
            }
            if roots.is_empty() {
                return Err("holds no certificate".to_owned());
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    Ok(roots)
}

fn tls_config(ca_certificate: Option<&str>) -> Result<ClientConfig, String> {
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS cannot be set up: {e}"))?
        .with_root_certificates(roots(ca_certificate)?)
        .with_no_client_auth())
}

/// A connection bound as the service account.
pub(super) async fn connect(settings: &Settings) -> Result<Ldap, String> {
    let starttls = parse_url(&settings.url)?;
    let config = tls_config(settings.ca_certificate.as_deref())?;
    let conn_settings = LdapConnSettings::new()
        .set_conn_timeout(TIMEOUT)
        .set_starttls(starttls)
        .set_config(Arc::new(config));
    let (conn, mut ldap) = LdapConnAsync::with_settings(conn_settings, &settings.url)
        .await
        .map_err(|e| format!("cannot connect to {}: {e}", settings.url))?;
    tokio::spawn(async move {
        if let Err(e) = conn.drive().await {
            tracing::debug!(error = %e, "LDAP connection ended");
        }
    });
    if settings.bind_password.is_empty() {
        return Err("the service account has no password".to_owned());
    }
    ldap.with_timeout(TIMEOUT)
        .simple_bind(&settings.bind_dn, &settings.bind_password)
        .await
        .and_then(ldap3::LdapResult::success)
        .map_err(|e| format!("the service account's bind was refused: {e}"))?;
    Ok(ldap)
}

/// Binds as `dn` with `password` on `ldap`; whether the directory took it. An empty password
/// is never sent (it would be an anonymous bind, which succeeds).
pub(super) async fn bind_as(ldap: &mut Ldap, dn: &str, password: &str) -> bool {
    if password.is_empty() || dn.is_empty() {
        return false;
    }
    ldap.with_timeout(TIMEOUT)
        .simple_bind(dn, password)
        .await
        .and_then(ldap3::LdapResult::success)
        .is_ok()
}

/// Every entry under `base` that `filter` matches, with `attributes`, page by page.
pub(super) async fn search(
    ldap: &mut Ldap,
    base: &str,
    filter: &str,
    attributes: &[&str],
) -> Result<Vec<Entry>, String> {
    let attributes: Vec<String> = attributes.iter().map(|a| (*a).to_owned()).collect();
    let adapters: Vec<Box<dyn Adapter<'_, String, Vec<String>>>> = vec![
        Box::new(EntriesOnly::new()),
        Box::new(PagedResults::new(PAGE_SIZE)),
    ];
    let mut stream = ldap
        .with_timeout(TIMEOUT)
        .streaming_search_with(adapters, base, Scope::Subtree, filter, attributes)
        .await
        .map_err(|e| format!("the search under {base} failed: {e}"))?;
    let mut found = Vec::new();
    loop {
        match stream.next().await {
            Ok(Some(entry)) => found.push(Entry::from_search(SearchEntry::construct(entry))),
            Ok(None) => break,
            Err(e) => return Err(format!("the search under {base} failed: {e}")),
        }
    }
    stream
        .finish()
        .await
        .success()
        .map_err(|e| format!("the search under {base} failed: {e}"))?;
    Ok(found)
}

/// Connects, binds as the service account and counts the people the filter finds.
pub(super) async fn check_people(
    settings: &Settings,
    base: &str,
    filter: &str,
) -> Result<u64, String> {
    let mut ldap = connect(settings).await?;
    let found = search(&mut ldap, base, filter, &["1.1"]).await;
    let _ = ldap.unbind().await;
    Ok(found?.len() as u64)
}
