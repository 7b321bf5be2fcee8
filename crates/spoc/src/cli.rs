//! The command line: `spoc serve`, `spoc migrate`, `spoc user add`, `spoc token create`,
//! `spoc sop import`, `spoc bench`. Commands print for people, so this module writes to standard output.
#![allow(clippy::print_stdout)]

use std::io::Read;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use spoc_app::{AppError, UserInput};
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;

use crate::config::{Overrides, Settings};
use crate::server;

/// Spoc: the IT service desk — the single point of contact between an IT organisation and the
/// people it serves.
///
/// Start with `spoc serve`: with no configuration it keeps its data in ./spoc-data (an embedded
/// SQLite database), listens on http://127.0.0.1:8080 and, on first start, prints how to sign in
/// as the administrator.
#[derive(Debug, Parser)]
#[command(name = "spoc", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct GlobalArgs {
    /// A TOML file with data_dir, listen and database_url (default: ./spoc.toml if present).
    #[arg(long, global = true, env = "SPOC_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where the embedded SQLite database is kept (default: ./spoc-data).
    #[arg(long, global = true, env = "SPOC_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// The database: sqlite://PATH, or postgres://USER@HOST/DB to run several nodes
    /// (default: SQLite in the data directory).
    #[arg(
        long = "database",
        global = true,
        env = "SPOC_DATABASE_URL",
        value_name = "URL"
    )]
    database_url: Option<String>,
    /// The SMTP relay for notifications: smtp://HOST:PORT (add ?tls=required for STARTTLS) or
    /// smtps://USER:PASS@HOST:465. Without it no mail is sent.
    #[arg(long, global = true, env = "SPOC_SMTP_URL", value_name = "URL")]
    smtp_url: Option<String>,
    /// The sender of notifications, e.g. "Service Desk <desk@example.com>". Mail is queued
    /// only when this is set.
    #[arg(long, global = true, env = "SPOC_MAIL_FROM", value_name = "ADDRESS")]
    mail_from: Option<String>,
    /// The address people reach the desk at, for links in mail (default: http://LISTEN).
    #[arg(long, global = true, env = "SPOC_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the service desk: the web API on --listen, with the database migrated on start.
    Serve(ServeArgs),
    /// Create or upgrade the database schema, then exit. `serve` does this too.
    Migrate,
    /// Manage people.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The e-mail channel.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Standard operating procedures.
    #[command(subcommand)]
    Sop(SopCommand),
    /// The keys that encrypt stored passwords (IMAP mailboxes).
    #[command(subcommand)]
    Secrets(SecretsCommand),
    /// Measure the service desk: load tickets, drive the real HTTP API, report throughput and
    /// latency. Writes to its own data directory, never to your desk's.
    Bench(crate::bench::BenchArgs),
    /// Tenants: client companies of a provider, each with its own desk, portal and brand.
    #[command(subcommand)]
    Tenant(crate::tenant_cli::TenantCommand),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "SPOC_LISTEN", value_name = "ADDR")]
    listen: Option<String>,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a person. Example:
    /// `spoc user add --email ana@example.org --name "Ana Lima" --role customer --organization Acme`
    Add(UserAddArgs),
}

#[derive(Debug, Args)]
struct UserAddArgs {
    /// Their e-mail address (also their sign-in name).
    #[arg(long)]
    email: String,
    /// Their name as shown to others.
    #[arg(long)]
    name: String,
    /// customer (raises tickets), agent (works tickets of their groups), lead (sees all, is
    /// alerted on escalations) or admin (sets the desk up).
    #[arg(long, value_parser = ["customer", "agent", "lead", "admin"])]
    role: String,
    /// Their organisation, by name; created if it does not exist.
    #[arg(long, value_name = "ORG")]
    organization: Option<String>,
    /// A customer who sees every ticket of their organisation.
    #[arg(long)]
    super_user: bool,
    /// Read a password from standard input (first line). Without it the person signs in only
    /// with API tokens until an admin sets a password.
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create an API token for a person and print it (last line). Send it as
    /// `Authorization: Bearer <token>`. It is shown only this once.
    Create(TokenCreateArgs),
}

#[derive(Debug, Subcommand)]
enum MailCommand {
    /// Take one RFC 5322 message from standard input, for an MTA pipe (e.g. a Postfix alias
    /// `"|spoc mail deliver --mailbox support"`). Exits 0 once the message is committed — as a
    /// ticket, a reply, or held, ignored, refused or quarantined (the reason on stderr) —, 65
    /// (data error, so the MTA bounces it to the sender) when the message is larger than 40 MiB
    /// (nothing is stored), and 75 (temporary failure, so the MTA keeps it and retries) when it
    /// could not be stored at all.
    Deliver(DeliverArgs),
}

#[derive(Debug, Args)]
struct DeliverArgs {
    /// The mailbox whose rules apply (unknown senders, replies from non-participants).
    #[arg(long, value_name = "NAME")]
    mailbox: Option<String>,
    /// The envelope recipient (Postfix's `${recipient}`): mail the provider receives lands in
    /// the tenant whose mail address it is.
    #[arg(long, value_name = "ADDRESS")]
    recipient: Option<String>,
}

/// sysexits.h `EX_DATAERR`: the input is bad; MTAs bounce the message to its sender.
const EX_DATAERR: u8 = 65;
/// sysexits.h `EX_TEMPFAIL`: MTAs keep the message and retry.
const EX_TEMPFAIL: u8 = 75;

#[derive(Debug, Subcommand)]
enum SopCommand {
    /// Import the SOPs that ship with Spoc (incident logging, triage, password reset, access
    /// requests, escalation, major incident communication, closure, knowledge update) as
    /// drafts owned by an admin, to take through your own governance. SOPs that exist are left
    /// as they are; links to categories you do not have are left out and listed.
    Import(SopImportArgs),
}

#[derive(Debug, Subcommand)]
enum SecretsCommand {
    /// Re-encrypt every stored password with a new key. With the key file (secret.key in the
    /// data directory) a new key is made, everything is re-encrypted with it and the old key
    /// is removed; with SPOC_SECRET_KEYS (id=base64key,… — put the new key first) everything
    /// is re-encrypted with its first key, and you remove the old ones afterwards.
    Rotate,
}

#[derive(Debug, Args)]
struct SopImportArgs {
    /// The admin who owns the imported drafts.
    #[arg(long)]
    owner_email: String,
}

#[derive(Debug, Args)]
struct TokenCreateArgs {
    /// Whose token.
    #[arg(long)]
    email: String,
    /// A label to recognise it by.
    #[arg(long, default_value = "cli")]
    label: String,
    /// The token stops working after this many days (1–3650). Without it, it works until
    /// revoked.
    #[arg(long, value_name = "DAYS")]
    expires_in_days: Option<i64>,
    /// The token can only read: every change through it is refused.
    #[arg(long)]
    read_only: bool,
    /// Limit the token to these resources (repeat, or separate with commas): tickets,
    /// knowledge, sops, admin. Without it, all of them.
    #[arg(long = "resource", value_name = "RESOURCE", value_delimiter = ',')]
    resources: Vec<String>,
}

/// The token the command line asks for.
fn token_request(args: &TokenCreateArgs) -> anyhow::Result<spoc_app::TokenRequest> {
    let resources = if args.resources.is_empty() {
        None
    } else {
        let mut list = Vec::new();
        for name in &args.resources {
            list.push(
                spoc_domain::credential::Resource::parse(name)
                    .map_err(|e| anyhow::anyhow!("--resource: {}", e.message))?,
            );
        }
        Some(list)
    };
    Ok(spoc_app::TokenRequest {
        label: args.label.clone(),
        expires_at: None,
        expires_in_days: args.expires_in_days,
        scope: spoc_domain::credential::TokenScope {
            read_only: args.read_only,
            resources,
        },
    })
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SPOC_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn app_error(error: AppError) -> anyhow::Error {
    anyhow::anyhow!("{error}")
}

/// Runs a parsed command line; the exit status is the command's.
pub async fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    init_logging();
    let mut overrides = Overrides {
        config: cli.global.config,
        data_dir: cli.global.data_dir,
        database_url: cli.global.database_url,
        listen: None,
        smtp_url: cli.global.smtp_url,
        mail_from: cli.global.mail_from,
        public_url: cli.global.public_url,
    };
    if let Command::Mail(MailCommand::Deliver(args)) = cli.command {
        return Ok(mail_deliver(&overrides, args).await);
    }
    run_command(cli.command, &mut overrides)
        .await
        .map(|()| std::process::ExitCode::SUCCESS)
}

async fn run_command(command: Command, overrides: &mut Overrides) -> anyhow::Result<()> {
    let overrides = &mut *overrides;
    match command {
        Command::Serve(args) => {
            overrides.listen = args.listen;
            serve(&Settings::load(overrides)?).await
        }
        Command::Migrate => {
            let settings = Settings::load(overrides)?;
            let app = server::open_app(&settings).await?;
            let encrypted = server::encrypt_clear_secrets(&app).await;
            app.store().close().await;
            encrypted?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::User(UserCommand::Add(args)) => user_add(&Settings::load(overrides)?, args).await,
        Command::Token(TokenCommand::Create(args)) => {
            let app = server::open_desk(&Settings::load(overrides)?).await?;
            let issued = app
                .issue_token_for_email(
                    spoc_domain::TenantId::FIRST,
                    &args.email,
                    &token_request(&args)?,
                )
                .await
                .map_err(app_error)?;
            app.store().close().await;
            let expiry = issued.token.expires_at.map_or_else(
                || "no expiry".to_owned(),
                |at| {
                    jiff::Timestamp::from_microsecond(at.as_micros())
                        .map_or_else(|_| "an expiry".to_owned(), |t| format!("expires {t}"))
                },
            );
            println!(
                "Created API token {:?} for {} ({}, {expiry}). It is shown only now:",
                issued.token.label,
                args.email,
                issued.token.scope.describe()
            );
            println!("{}", issued.secret);
            Ok(())
        }
        Command::Sop(SopCommand::Import(args)) => {
            let app = server::open_desk(&Settings::load(overrides)?).await?;
            let result = sop_import(&app, &args.owner_email).await;
            app.store().close().await;
            result
        }
        Command::Secrets(SecretsCommand::Rotate) => {
            let settings = Settings::load(overrides)?;
            let rotation = crate::secrets::begin_rotation(&settings)?;
            let app = server::open_app(&settings).await?;
            let result = app.rotate_secrets().await;
            app.store().close().await;
            let count = result.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", crate::secrets::finish_rotation(rotation, count)?);
            Ok(())
        }
        Command::Bench(args) => crate::bench::run(args).await,
        Command::Tenant(command) => {
            crate::tenant_cli::run(&Settings::load(overrides)?, command).await
        }
        Command::Mail(MailCommand::Deliver(_)) => Ok(()),
    }
}

/// `spoc mail deliver`: one message from standard input.
async fn mail_deliver(overrides: &Overrides, args: DeliverArgs) -> std::process::ExitCode {
    let fail = |message: String| {
        eprintln!("spoc mail deliver: {message}; the message was not stored, try again later");
        std::process::ExitCode::from(EX_TEMPFAIL)
    };
    let max = spoc_http::MAX_MESSAGE_BYTES;
    // One byte more than the limit tells an oversized message from one exactly at it, without
    // ever holding more than that in memory.
    let mut raw = Vec::new();
    if let Err(e) = std::io::stdin().take(max as u64 + 1).read_to_end(&mut raw) {
        return fail(format!("reading standard input: {e}"));
    }
    if raw.len() > max {
        // Never store a cut message: refusing it makes the MTA bounce it to its sender, who
        // learns it did not arrive. Nothing was opened or written yet.
        eprintln!(
            "spoc mail deliver: the message is larger than {} MiB, the most Spoc accepts; it was not stored",
            max / (1024 * 1024)
        );
        return std::process::ExitCode::from(EX_DATAERR);
    }
    let settings = match Settings::load(overrides) {
        Ok(settings) => settings,
        Err(e) => return fail(format!("{e:#}")),
    };
    let app = match server::open_app(&settings).await {
        Ok(app) => app,
        Err(e) => return fail(format!("{e:#}")),
    };
    let mailbox = match args.mailbox.as_deref() {
        Some(name) => match app.mailbox_named(spoc_domain::TenantId::FIRST, name).await {
            Ok(mailbox) => Some(mailbox),
            Err(e) => return fail(format!("mailbox {name:?}: {e}")),
        },
        None => None,
    };
    let result = app
        .ingest_mail_to(mailbox.as_ref(), args.recipient.as_deref(), &raw)
        .await;
    app.store().close().await;
    match result {
        Ok(result) => {
            let ticket = result.ticket.as_ref().map(|(id, number)| {
                if number.is_empty() {
                    id.to_string()
                } else {
                    number.clone()
                }
            });
            match (result.outcome, ticket) {
                (spoc_app::InboundOutcome::Quarantined, _) => {
                    eprintln!("quarantined: {}", result.reason);
                }
                (outcome, Some(ticket)) => {
                    eprintln!("{}: {ticket}. {}", outcome.as_str(), result.reason);
                }
                (outcome, None) => eprintln!("{}: {}", outcome.as_str(), result.reason),
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => fail(e.to_string()),
    }
}

async fn sop_import(app: &spoc_app::App, owner_email: &str) -> anyhow::Result<()> {
    let actor = app
        .actor_for_email(spoc_domain::TenantId::FIRST, owner_email)
        .await
        .map_err(app_error)?;
    let owner = actor.person().map_err(|e| app_error(AppError::from(e)))?;
    let report = app
        .import_seed_sops(actor.tenant_id, Some(&actor), owner)
        .await
        .map_err(app_error)?;
    for key in &report.created {
        println!("imported {key} (draft)");
    }
    for key in &report.skipped {
        println!("kept {key} (it exists already)");
    }
    for link in &report.unlinked {
        println!(
            "left out the link {link}: no such category; add it, then link the SOP on its page"
        );
    }
    println!(
        "{} imported, {} already there.",
        report.created.len(),
        report.skipped.len()
    );
    Ok(())
}

async fn serve(settings: &Settings) -> anyhow::Result<()> {
    let relay = match &settings.smtp_url {
        Some(url) => Some(crate::mail::smtp::SmtpRelay::from_url(url)?),
        None => None,
    };
    let app = server::open_app(settings).await?;
    server::encrypt_clear_secrets(&app).await?;
    if settings.mail_from.is_some() && relay.is_none() {
        tracing::warn!(
            "--mail-from is set without --smtp-url: notifications are queued, and sent by a node that has a relay"
        );
    }
    let bootstrap = app.bootstrap().await.map_err(app_error)?;
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("listening on {}", settings.listen))?;
    let address = listener.local_addr()?;
    if let Some((email, password)) = bootstrap.admin {
        println!("First start: an administrator account was created. Sign in with");
        println!("  e-mail:   {email}");
        println!("  password: {password}");
        println!("This password is shown only now. For API access, create a token with");
        println!("  {}", token_command(settings, &email));
        println!();
    }
    // The last line of the banner, on every start.
    println!("Spoc is running at http://{address}");
    tracing::info!(listen = %address, "serving");
    server::serve(app, listener, relay, server::shutdown_signal()).await
}

/// The full command that creates an API token for `email` on this desk: with the data directory
/// or database when they are not the defaults a command run from the same place would use.
fn token_command(settings: &Settings, email: &str) -> String {
    let mut command = String::from("spoc");
    let default_url = format!(
        "sqlite://{}",
        std::path::Path::new("spoc-data").join("spoc.db").display()
    );
    if settings.database_url == default_url {
        // The defaults: run from the same directory, nothing to add.
    } else if settings.database_url
        == format!("sqlite://{}", settings.data_dir.join("spoc.db").display())
    {
        command.push_str(&format!(
            " --data-dir {}",
            shell_quote(&server::absolute(&settings.data_dir).display().to_string())
        ));
    } else {
        command.push_str(" --database '<the database URL this server uses>'");
    }
    command.push_str(&format!(" token create --email {}", shell_quote(email)));
    command
}

/// `text` quoted for a POSIX shell when it holds anything but plain characters.
fn shell_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./-_".contains(c))
    {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

async fn user_add(settings: &Settings, args: UserAddArgs) -> anyhow::Result<()> {
    let password = if args.password_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the password from standard input")?;
        let line = text.lines().next().unwrap_or("").to_owned();
        Some(line)
    } else {
        None
    };
    let app = server::open_desk(settings).await?;
    let organization_id = match args.organization.as_deref() {
        Some(name) => {
            let name =
                Name::parse(name).map_err(|e| anyhow::anyhow!("--organization: {}", e.message))?;
            match app
                .find_organization(spoc_domain::TenantId::FIRST, name.as_str())
                .await
                .map_err(app_error)?
            {
                Some(org) => Some(org.id),
                None => Some(
                    app.system_create_organization(spoc_domain::TenantId::FIRST, name)
                        .await
                        .map_err(app_error)?
                        .id,
                ),
            }
        }
        None => None,
    };
    let input = UserInput {
        email: Email::parse(&args.email).map_err(|e| anyhow::anyhow!("--email: {}", e.message))?,
        name: Name::parse(&args.name).map_err(|e| anyhow::anyhow!("--name: {}", e.message))?,
        role: Role::parse(&args.role).map_err(|e| anyhow::anyhow!("--role: {}", e.message))?,
        organization_id,
        super_user: args.super_user,
        password,
    };
    let user = app
        .system_create_user(spoc_domain::TenantId::FIRST, input)
        .await
        .map_err(app_error)?;
    app.store().close().await;
    println!(
        "Added {} {} <{}> (id {}).",
        user.role, user.name, user.email, user.id
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_args(extra: &[&str]) -> TokenCreateArgs {
        let mut argv = vec!["spoc", "token", "create", "--email", "a@example.test"];
        argv.extend_from_slice(extra);
        match Cli::try_parse_from(argv).unwrap().command {
            Command::Token(TokenCommand::Create(args)) => args,
            other => panic!("parsed {other:?}"),
        }
    }

    #[test]
    fn token_create_takes_an_expiry_and_a_scope() {
        let plain = token_request(&token_args(&[])).unwrap();
        assert_eq!(plain.expires_in_days, None);
        assert_eq!(plain.scope, spoc_domain::credential::TokenScope::default());

        let narrow = token_request(&token_args(&[
            "--expires-in-days",
            "30",
            "--read-only",
            "--resource",
            "tickets,knowledge",
            "--resource",
            "sops",
        ]))
        .unwrap();
        assert_eq!(narrow.expires_in_days, Some(30));
        assert!(narrow.scope.read_only);
        assert_eq!(
            narrow.scope.describe(),
            "read-only: tickets, knowledge, sops"
        );
        let wrong = token_request(&token_args(&["--resource", "everything"])).unwrap_err();
        assert!(wrong.to_string().contains("unknown resource"), "{wrong}");
    }
}
