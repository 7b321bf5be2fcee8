//! Opening the store and running the HTTP server.

use std::sync::Arc;

use anyhow::Context;
use spoc_app::{App, SystemClock};
pub use spoc_http::HttpLimits;
use spoc_store::{Backend, Store, StoreOptions};

use crate::config::Settings;

/// Opens the database of an existing desk for an administrative command, refusing — and naming
/// — a data directory or database that holds no desk, instead of creating an empty one there
/// (a command run from the wrong directory would otherwise make a new `./spoc-data` and answer
/// "user not found").
pub async fn open_desk(settings: &Settings) -> anyhow::Result<App> {
    let where_ = describe_location(settings);
    let hint = "start the desk there once with `spoc serve`, or point this command at the desk \
                with --data-dir or --database";
    if let Some(path) = sqlite_path(&settings.database_url)
        && !path.exists()
    {
        anyhow::bail!(
            "there is no desk at {where_}: {} does not exist; {hint}",
            path.display()
        );
    }
    let store = Store::connect(&StoreOptions::new(settings.database_url.clone()))
        .await
        .with_context(|| format!("opening the database of the desk at {where_}"))?;
    let holds_desk = store.holds_desk().await;
    if !matches!(holds_desk, Ok(true)) {
        store.close().await;
        return match holds_desk {
            Err(e) => Err(anyhow::anyhow!(e))
                .with_context(|| format!("reading the database of the desk at {where_}")),
            Ok(_) => Err(anyhow::anyhow!(
                "there is no desk at {where_}: its database holds no desk; {hint}"
            )),
        };
    }
    store.close().await;
    open_app(settings).await
}

/// The data directory or database a command works on, for messages (passwords redacted).
pub fn describe_location(settings: &Settings) -> String {
    match sqlite_path(&settings.database_url) {
        Some(_) => format!("data directory {}", absolute(&settings.data_dir).display()),
        None => format!(
            "database {}",
            crate::config::redact_url(&settings.database_url)
        ),
    }
}

/// `path` made absolute against the working directory, for messages a person acts on.
pub fn absolute(path: &std::path::Path) -> std::path::PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// The file of a `sqlite://PATH[?options]` URL.
fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

/// Opens the database of `settings` (creating the SQLite data directory), applies migrations and
/// prepares the desk. `serve` and `migrate` go through here, so each works on a fresh data
/// directory; the other commands use [`open_desk`].
pub async fn open_app(settings: &Settings) -> anyhow::Result<App> {
    if Backend::from_url(&settings.database_url)? == Backend::Sqlite {
        std::fs::create_dir_all(&settings.data_dir).with_context(|| {
            format!(
                "creating the data directory {}",
                settings.data_dir.display()
            )
        })?;
    }
    let store = Store::connect(&StoreOptions::new(settings.database_url.clone()))
        .await
        .with_context(|| {
            format!(
                "opening the database {}",
                crate::config::redact_url(&settings.database_url)
            )
        })?;
    store
        .migrate()
        .await
        .context("applying database migrations")?;
    store
        .optimize()
        .await
        .context("refreshing the query planner's statistics")?;
    let mut app = App::new(store, Arc::new(SystemClock)).with_public_url(&settings.public_url);
    if let Some(from) = &settings.mail_from {
        app = app.with_mail(spoc_app::MailConfig {
            from: from.clone(),
            public_url: settings.public_url.clone(),
        });
    }
    let app = crate::secrets::with_keys(app, settings)?;
    app.prepare_desks().await.context("preparing the desk")?;
    Ok(app)
}

/// Encrypts the passwords stored in clear before Spoc encrypted them at rest — by `serve` and
/// `migrate` only, which own the desk's data directory (and so its key file); other commands
/// may run from elsewhere.
pub async fn encrypt_clear_secrets(app: &App) -> anyhow::Result<()> {
    let count = app
        .encrypt_clear_secrets()
        .await
        .map_err(|e| anyhow::anyhow!("encrypting stored passwords: {e}"))?;
    if count > 0 {
        tracing::info!(count, "encrypted passwords that were stored in clear");
    }
    Ok(())
}

/// Serves `app` on `listener` until `shutdown` completes, then closes the database. With a
/// `relay`, queued mail is delivered through it; mailboxes with IMAP settings are polled.
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    relay: Option<crate::mail::smtp::SmtpRelay>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_with(app, listener, relay, HttpLimits::default(), shutdown).await
}

/// [`serve`] with the HTTP server's time `limits`. The background jobs run under one
/// supervisor from the start; at shutdown, after the HTTP drain, they stop gracefully (steps
/// in flight finish within `limits.shutdown_grace`, unfinished claims are handed back to the
/// other nodes), and then the database is closed.
pub async fn serve_with(
    app: App,
    listener: tokio::net::TcpListener,
    relay: Option<crate::mail::smtp::SmtpRelay>,
    limits: HttpLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = app.store().clone();
    let workers = supervisor(app.clone(), relay, node_name())
        .with_grace(limits.shutdown_grace)
        .start();
    let router = spoc_http::finish(
        spoc_api::router().merge(spoc_ui::router_for(&app)),
        spoc_http::AppState { app: app.clone() },
        limits,
        spoc_ui::PAGES,
    );
    let shutdown = async move {
        shutdown.await;
        // Live-update streams never end on their own; end them so the drain can finish.
        app.close_live();
    };
    accept_until(listener, router, limits, shutdown).await;
    workers.shutdown().await;
    store.close().await;
    Ok(())
}

/// A name for this node, unique among the nodes of a desk: it owns the node's claims and
/// leases, and admins see it as a lease's holder.
pub fn node_name() -> String {
    format!("{}-{}", std::process::id(), spoc_app::random_secret())
}

/// The desk's background jobs on node `node`, ready to start: statistics refresh, SLA timers,
/// SOP review scan, auto-close of resolved tickets, mail intake, the live-update feed follower, and
/// mail delivery (through `relay`, the `--smtp-url` one, unless an admin saved another).
pub fn supervisor(
    app: App,
    relay: Option<crate::mail::smtp::SmtpRelay>,
    node: String,
) -> spoc_jobs::Supervisor {
    let supervisor = spoc_jobs::Supervisor::new(app, node)
        .job(spoc_jobs::Statistics)
        .job(spoc_jobs::SlaTimers::default())
        .job(spoc_jobs::SopReviews::default())
        .job(spoc_jobs::AutoClose::default())
        .job(spoc_jobs::Retention::default())
        .job(crate::mail::imap::MailIntake)
        .job(spoc_jobs::LiveFeed::default())
        .job(spoc_jobs::DirectorySync::default());
    // Always: a relay saved in admin needs no restart. Without `--smtp-url` the job delivers
    // only the mail of tenants that saved a relay; the rest waits.
    supervisor.job(spoc_jobs::MailDelivery::new(
        relay.unwrap_or_else(crate::mail::smtp::SmtpRelay::none),
    ))
}

/// Accepts HTTP/1.1 connections until `shutdown`, then lets requests in flight finish for up to
/// `limits.shutdown_grace` and closes what is left.
///
/// Each connection must send a request's headers within `limits.header_read` of opening or of
/// its previous response, or it is closed: a client cannot hold a connection by sending nothing
/// or a byte at a time (slowloris), and kept-alive connections idle that long are closed too.
/// Bodies have their own limit in the router's request guard.
async fn accept_until(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    limits: HttpLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;

    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = router.clone().map_request(
            move |mut request: axum::extract::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                request
            },
        );
        let connection = builder.serve_connection(
            TokioIo::new(stream),
            hyper_util::service::TowerToHyperService::new(service),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, peer = %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            grace = ?limits.shutdown_grace,
            "requests still in flight at shutdown were cut off"
        );
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
