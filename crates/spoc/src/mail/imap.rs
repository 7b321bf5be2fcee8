//! Inbound mail over IMAP (TLS or STARTTLS, never plain text): each enabled mailbox is polled
//! by one node at a time (a lease in the database), waits with IDLE where the server supports
//! it, and moves or flags a message only after the app has committed what it became. A message
//! whose processing failed (the database is down) stays where it is and is read again at the
//! next poll; the Message-ID keeps a second reading from making a second ticket.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_imap::Session;
use futures_util::TryStreamExt;
use spoc_app::{App, ImapSecurity, ImapSettings, Mailbox};
use spoc_jobs::{Job, JobError, Progress, Signal, Step};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

/// The keyword set on every message Spoc has taken, so it is never taken twice even when it
/// cannot be moved.
const PROCESSED: &str = "$SpocProcessed";
/// How often the poller looks for mailboxes that are due.
const INTERVAL: Duration = Duration::from_secs(5);
/// How long a node holds a mailbox before giving others a chance (and renewing its view).
const SESSION: Duration = Duration::from_secs(4 * 60);
/// How long one IDLE waits before looking again by itself (and renewing the lease): a change
/// the server did not announce is taken within this time at the latest.
const IDLE_WAIT: Duration = Duration::from_secs(25);
/// Network operations that take longer than this fail.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Messages fetched per round.
const BATCH: usize = 25;

/// A signed-in IMAP session over TLS.
pub type ImapSession = Session<TlsStream<TcpStream>>;

/// Mail intake: every few seconds, claims each due mailbox and reads it in a side task of its
/// own (one node reads a mailbox at a time: the claim is a lease in the database). At shutdown
/// a read stops after the message at hand, leaves IDLE, and gives its mailbox back.
#[derive(Clone, Copy, Debug, Default)]
pub struct MailIntake;

impl Job for MailIntake {
    fn name(&self) -> &'static str {
        "mail-intake"
    }

    fn interval(&self) -> Duration {
        INTERVAL
    }

    async fn run_once(&self, step: &Step) -> Result<Progress, JobError> {
        let mut claimed = 0;
        while !step.stopping() {
            let Some(mailbox) = step.app().claim_mailbox(step.owner()).await? else {
                break;
            };
            claimed += 1;
            step.spawn(
                format!("reading mailbox {}", mailbox.name),
                read_mailbox(
                    step.app().clone(),
                    mailbox,
                    step.owner().to_owned(),
                    step.signal(),
                ),
            );
        }
        Ok(Progress::done(claimed))
    }
}

/// Reads one leased mailbox, then records the poll and gives the lease back.
async fn read_mailbox(app: App, mailbox: Mailbox, owner: String, signal: Signal) {
    let outcome = session(&app, &mailbox, &owner, Some(&signal)).await;
    let error = outcome.as_ref().err().map(|e| format!("{e:#}"));
    if let Some(error) = &error {
        tracing::warn!(mailbox = %mailbox.name, error = %error, "polling a mailbox failed");
    }
    if let Err(e) = app
        .finish_mailbox_poll(mailbox.id, &owner, error.as_deref())
        .await
    {
        tracing::warn!(mailbox = %mailbox.name, error = %e, "recording a mailbox poll failed");
    }
}

async fn timed<T, E: Into<anyhow::Error>>(
    what: &str,
    future: impl std::future::Future<Output = Result<T, E>>,
) -> anyhow::Result<T> {
    match tokio::time::timeout(TIMEOUT, future).await {
        Ok(result) => result.map_err(Into::into).with_context(|| what.to_owned()),
        Err(_) => anyhow::bail!("{what}: no answer within {} s", TIMEOUT.as_secs()),
    }
}

/// Reads a mailbox once — connect, take what is there, sign out — without a lease (for a
/// one-off check, and for tests).
pub async fn poll_once(app: &App, mailbox: &Mailbox) -> anyhow::Result<()> {
    session(app, mailbox, "", None).await
}

/// One session: connect, take what is there, then — under a supervisor's `signal` — IDLE (when
/// the server can) until the session's time is up, the lease is lost or the node stops.
async fn session(
    app: &App,
    mailbox: &Mailbox,
    owner: &str,
    signal: Option<&Signal>,
) -> anyhow::Result<()> {
    let stopping = || signal.is_some_and(Signal::stopping);
    let imap = app
        .imap_sign_in(mailbox)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .context("the mailbox has no IMAP settings")?;
    let mut session = connect(&imap).await?;
    timed("selecting the folder", session.select(&mailbox.folder)).await?;
    let capabilities = timed("asking for capabilities", session.capabilities()).await?;
    let can_idle = capabilities.has_str("IDLE");
    let can_move = capabilities.has_str("MOVE");
    let can_uid_expunge = capabilities.has_str("UIDPLUS");
    if let Some(folder) = &mailbox.processed_folder {
        // Exists already, usually; a refusal here shows up when moving.
        let _ = timed("creating the processed folder", session.create(folder)).await;
    }
    let started = tokio::time::Instant::now();
    let flags = Capabilities {
        can_move,
        can_uid_expunge,
    };
    loop {
        take_new(app, &mut session, mailbox, owner, flags, &stopping).await?;
        let Some(signal) = signal else {
            break;
        };
        if !can_idle || started.elapsed() >= SESSION || signal.stopping() {
            break;
        }
        if !app.renew_mailbox_lease(mailbox.id, owner).await? {
            tracing::info!(mailbox = %mailbox.name, "another node took the mailbox over");
            break;
        }
        let mut idle = session.idle();
        timed("starting IDLE", idle.init()).await?;
        {
            let (wait, interrupt) = idle.wait_with_timeout(IDLE_WAIT);
            tokio::pin!(wait);
            // At shutdown, dropping the interrupt ends the wait; then IDLE is left and the
            // session signs out as usual.
            let mut interrupt = Some(interrupt);
            loop {
                tokio::select! {
                    waited = &mut wait => {
                        waited.context("waiting in IDLE")?;
                        break;
                    }
                    () = signal.stopped(), if interrupt.is_some() => drop(interrupt.take()),
                }
            }
        }
        session = timed("ending IDLE", idle.done()).await?;
    }
    let _ = timed("logging out", session.logout()).await;
    Ok(())
}

/// Connects and signs in, encrypting before the password is sent.
pub async fn connect(imap: &ImapSettings) -> anyhow::Result<ImapSession> {
    let tls = TlsConnector::from(Arc::new(tls_config(imap.ca_certificate.as_deref())?));
    let name = ServerName::try_from(imap.host.clone())
        .with_context(|| format!("{:?} is not a host name", imap.host))?;
    let tcp = timed(
        "connecting",
        TcpStream::connect((imap.host.as_str(), imap.port)),
    )
    .await?;
    let stream = match imap.security {
        ImapSecurity::Tls => timed("the TLS handshake", tls.connect(name, tcp)).await?,
        ImapSecurity::StartTls => {
            let mut client = async_imap::Client::new(tcp);
            timed("reading the greeting", client.read_response())
                .await?
                .context("the server closed the connection before greeting")?;
            timed(
                "asking for STARTTLS",
                client.run_command_and_check_ok("STARTTLS", None),
            )
            .await?;
            timed("the TLS handshake", tls.connect(name, client.into_inner())).await?
        }
    };
    let mut client = async_imap::Client::new(stream);
    if imap.security == ImapSecurity::Tls {
        timed("reading the greeting", client.read_response())
            .await?
            .context("the server closed the connection before greeting")?;
    }
    match tokio::time::timeout(TIMEOUT, client.login(&imap.username, &imap.password)).await {
        Ok(Ok(session)) => Ok(session),
        Ok(Err((e, _))) => Err(anyhow::anyhow!(
            "signing in as {:?} failed: {e}",
            imap.username
        )),
        Err(_) => anyhow::bail!("signing in: no answer within {} s", TIMEOUT.as_secs()),
    }
}

/// The TLS client settings: the public roots, plus the mailbox's own CA when it has one.
fn tls_config(extra_ca: Option<&str>) -> anyhow::Result<ClientConfig> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(pem) = extra_ca {
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            let cert = cert.context("the mailbox's CA certificate is not valid PEM")?;
            roots
                .add(cert)
                .context("the mailbox's CA certificate cannot be used")?;
        }
    }
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("setting up TLS")?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// Takes every message not taken yet, oldest first: each is handed to the app and, once its
/// outcome is committed, marked and moved out of the folder (or flagged in place).
async fn take_new(
    app: &App,
    session: &mut ImapSession,
    mailbox: &Mailbox,
    owner: &str,
    flags: Capabilities,
    stopping: &(dyn Fn() -> bool + Sync),
) -> anyhow::Result<()> {
    let Capabilities {
        can_move,
        can_uid_expunge,
    } = flags;
    loop {
        // A long backlog must not outlast the lease: renew it each round, and stop if another
        // node took the mailbox over meanwhile (it carries on where this one stopped).
        if !owner.is_empty() && !app.renew_mailbox_lease(mailbox.id, owner).await? {
            return Ok(());
        }
        let found = timed(
            "searching for new mail",
            session.uid_search(format!("NOT KEYWORD {PROCESSED}")),
        )
        .await?;
        let mut uids: Vec<u32> = found.into_iter().collect();
        if uids.is_empty() {
            return Ok(());
        }
        uids.sort_unstable();
        let round: Vec<u32> = uids.iter().copied().take(BATCH).collect();
        for uid in &round {
            if stopping() {
                // The node stops: what is left is read at the next poll, here or elsewhere.
                return Ok(());
            }
            let fetched = {
                let stream = timed(
                    "fetching a message",
                    session.uid_fetch(uid.to_string(), "(UID BODY.PEEK[])"),
                )
                .await?;
                timed("reading a message", stream.try_collect::<Vec<_>>()).await?
            };
            let Some(raw) = fetched.iter().find_map(|f| f.body().map(<[u8]>::to_vec)) else {
                // Deleted meanwhile by someone else: nothing to take.
                continue;
            };
            // Stops the pass on a database failure: the message stays, unmarked, for next time.
            let result = app
                .ingest_mail(Some(mailbox), &raw)
                .await
                .map_err(|e| anyhow::anyhow!("the message could not be stored: {e}"))?;
            tracing::info!(
                mailbox = %mailbox.name,
                inbound.id = result.inbound_id.get(),
                inbound.outcome = result.outcome.as_str(),
                "took a message"
            );
            mark_taken(session, *uid, mailbox, can_move, can_uid_expunge).await?;
        }
        if round.len() == uids.len() {
            return Ok(());
        }
    }
}

/// What the server can do that changes how a taken message is put away.
#[derive(Clone, Copy, Debug)]
struct Capabilities {
    can_move: bool,
    can_uid_expunge: bool,
}

/// Marks a taken message so it is never taken again, then moves it to the processed folder if
/// there is one.
async fn mark_taken(
    session: &mut ImapSession,
    uid: u32,
    mailbox: &Mailbox,
    can_move: bool,
    can_uid_expunge: bool,
) -> anyhow::Result<()> {
    let set = uid.to_string();
    let stored = timed(
        "flagging a taken message",
        session.uid_store(&set, format!("+FLAGS.SILENT (\\Seen {PROCESSED})")),
    )
    .await?;
    timed("flagging a taken message", stored.try_collect::<Vec<_>>()).await?;
    let Some(folder) = &mailbox.processed_folder else {
        return Ok(());
    };
    if can_move {
        timed("moving a taken message", session.uid_mv(&set, folder)).await?;
        return Ok(());
    }
    timed("copying a taken message", session.uid_copy(&set, folder)).await?;
    let deleted = timed(
        "deleting the original",
        session.uid_store(&set, "+FLAGS.SILENT (\\Deleted)"),
    )
    .await?;
    timed("deleting the original", deleted.try_collect::<Vec<_>>()).await?;
    if can_uid_expunge {
        let gone = timed("expunging", session.uid_expunge(&set)).await?;
        timed("expunging", gone.try_collect::<Vec<_>>()).await?;
    } else {
        let gone = timed("expunging", session.expunge()).await?;
        timed("expunging", gone.try_collect::<Vec<_>>()).await?;
    }
    Ok(())
}
