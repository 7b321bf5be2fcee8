//! Outbound mail over SMTP (lettre): the relay saved under Outgoing mail or, by default, the
//! one named by `--smtp-url`, through which the
//! supervisor's delivery job ([`spoc_jobs::MailDelivery`]) sends the outbox.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use spoc_app::{MailTransport, Relay, RelaySecurity, SendError};

/// A lettre SMTP transport.
type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// The SMTP relay: the one named by `--smtp-url` (if any), or per message the relay an admin
/// saved under Outgoing mail, which wins.
#[derive(Clone, Default)]
pub struct SmtpRelay {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    /// The transport built for the saved relay last used, so its connection pool is reused
    /// until the settings change.
    saved: Arc<Mutex<Option<(Relay, Transport)>>>,
}

impl SmtpRelay {
    /// A relay for `url`: `smtp://host:port` (plain; add `?tls=required` for STARTTLS),
    /// `smtps://user:pass@host:465` (TLS), credentials percent-encoded.
    pub fn from_url(url: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| {
                anyhow::anyhow!(
                    "--smtp-url {} is not a usable SMTP address: {e}",
                    crate::config::redact_url(url)
                )
            })?
            .timeout(Some(TIMEOUT))
            .build();
        Ok(Self {
            transport: Some(transport),
            saved: Arc::default(),
        })
    }

    /// No relay from the flags: mail goes out only through a relay saved in admin.
    pub fn none() -> Self {
        Self::default()
    }

    /// The transport for `relay`, built once per change of the settings.
    fn transport_for(
        &self,
        relay: &Relay,
    ) -> Result<AsyncSmtpTransport<Tokio1Executor>, SendError> {
        let mut saved = self.saved.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((known, transport)) = saved.as_ref()
            && known == relay
        {
            return Ok(transport.clone());
        }
        let tls = |e: lettre::transport::smtp::Error| {
            SendError::Permanent(format!("the relay {} cannot be used: {e}", relay.host))
        };
        let mut builder = match relay.security {
            RelaySecurity::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&relay.host)
            }
            RelaySecurity::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&relay.host).map_err(tls)?
            }
            RelaySecurity::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&relay.host).map_err(tls)?
            }
        }
        .port(relay.port)
        .timeout(Some(TIMEOUT));
        if !relay.username.is_empty() {
            builder = builder.credentials(Credentials::new(
                relay.username.clone(),
                relay.password.clone().unwrap_or_default(),
            ));
        }
        let transport = builder.build();
        *saved = Some((relay.clone(), transport.clone()));
        Ok(transport)
    }
}

/// How long the relay may take to answer.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Sends through `transport`.
async fn send_with(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    envelope_from: &str,
    recipients: &[String],
    message: &[u8],
) -> Result<(), SendError> {
    let from = envelope_from
        .parse()
        .map_err(|e| SendError::Permanent(format!("the sender address is invalid: {e}")))?;
    let to = recipients
        .iter()
        .map(|r| r.parse())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| SendError::Permanent(format!("a recipient address is invalid: {e}")))?;
    let envelope = Envelope::new(Some(from), to)
        .map_err(|e| SendError::Permanent(format!("no recipient: {e}")))?;
    match transport.send_raw(&envelope, message).await {
        Ok(_) => {
            // The relay has the message; a crash here must lead to a resend with the same
            // Message-ID, never to a lost or differently identified message.
            crate::failpoint::hit("outbox.after_send");
            Ok(())
        }
        Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
        Err(e) => Err(SendError::Transient(e.to_string())),
    }
}

impl MailTransport for SmtpRelay {
    fn has_own_relay(&self) -> bool {
        self.transport.is_some()
    }

    async fn send(
        &self,
        envelope_from: &str,
        recipients: &[String],
        message: &[u8],
    ) -> Result<(), SendError> {
        self.send_through(None, envelope_from, recipients, message)
            .await
    }

    async fn send_through(
        &self,
        relay: Option<&Relay>,
        envelope_from: &str,
        recipients: &[String],
        message: &[u8],
    ) -> Result<(), SendError> {
        let transport = match relay {
            Some(relay) => self.transport_for(relay)?,
            None => self.transport.clone().ok_or_else(|| {
                SendError::Transient(
                    "no mail relay is set: an admin sets one under Outgoing mail".to_owned(),
                )
            })?,
        };
        send_with(&transport, envelope_from, recipients, message).await
    }
}
