//! Outbound mail over SMTP (lettre): the relay named by `--smtp-url`, through which the
//! supervisor's delivery job ([`spoc_jobs::MailDelivery`]) sends the outbox.

use std::time::Duration;

use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use spoc_app::{MailTransport, SendError};

/// The SMTP relay.
#[derive(Clone)]
pub struct SmtpRelay {
    transport: AsyncSmtpTransport<Tokio1Executor>,
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
            .timeout(Some(Duration::from_secs(30)))
            .build();
        Ok(Self { transport })
    }
}

impl MailTransport for SmtpRelay {
    async fn send(
        &self,
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
        match self.transport.send_raw(&envelope, message).await {
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
}
