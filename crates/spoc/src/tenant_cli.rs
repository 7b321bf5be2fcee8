//! `spoc tenant`: the provider's operator adds and lists tenants (client companies with their
//! own desk, portal and brand) with the authority of the data directory.
#![allow(clippy::print_stdout)]

use clap::{Args, Subcommand};
use spoc_app::{FirstAdmin, TenantInput};
use spoc_domain::tenant::{Colour, HostName, Slug};
use spoc_domain::text::{Email, Name};

use crate::config::Settings;
use crate::server;

/// Manage tenants.
#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Add a tenant: a client company with its own desk (default group, priority matrix,
    /// calendar and SLA policy, as a fresh desk has), portal at /t/SLUG and brand. With
    /// --admin-email and --admin-name it also gets its first admin, and the link where they set
    /// their password is printed (last line). Example:
    /// `spoc tenant add --name "Acme Ltd" --slug acme --admin-email it@acme.example --admin-name "Ana Lima"`
    Add(TenantAddArgs),
    /// List the tenants: id, slug, host name, active, name.
    List,
}

/// `spoc tenant add`.
#[derive(Debug, Args)]
pub struct TenantAddArgs {
    /// Its name as its people see it (unique).
    #[arg(long)]
    name: String,
    /// Its short name in addresses: 2–40 lowercase letters a-z, digits and hyphens (unique).
    #[arg(long)]
    slug: String,
    /// A host name of its own, such as help.acme.example (unique), if people reach it there.
    #[arg(long)]
    host: Option<String>,
    /// Its primary brand colour, #rrggbb.
    #[arg(long, value_name = "#RRGGBB")]
    primary_colour: Option<String>,
    /// Its accent colour, #rrggbb.
    #[arg(long, value_name = "#RRGGBB")]
    accent_colour: Option<String>,
    /// The e-mail address of its first admin (with --admin-name).
    #[arg(long, requires = "admin_name")]
    admin_email: Option<String>,
    /// The name of its first admin (with --admin-email).
    #[arg(long, requires = "admin_email")]
    admin_name: Option<String>,
}

fn invalid(flag: &str) -> impl FnOnce(spoc_domain::ValidationError) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("{flag}: {}", e.message)
}

impl TenantAddArgs {
    fn input(&self) -> anyhow::Result<TenantInput> {
        let colour = |flag: &'static str, value: &Option<String>| {
            value
                .as_deref()
                .map(|c| Colour::parse("colour", c).map_err(invalid(flag)))
                .transpose()
        };
        let admin = match (&self.admin_email, &self.admin_name) {
            (Some(email), Some(name)) => Some(FirstAdmin {
                email: Email::parse(email).map_err(invalid("--admin-email"))?,
                name: Name::parse(name).map_err(invalid("--admin-name"))?,
            }),
            _ => None,
        };
        Ok(TenantInput {
            name: Name::parse(&self.name).map_err(invalid("--name"))?,
            slug: Slug::parse(&self.slug).map_err(invalid("--slug"))?,
            host: self
                .host
                .as_deref()
                .map(|h| HostName::parse(h).map_err(invalid("--host")))
                .transpose()?,
            primary_colour: colour("--primary-colour", &self.primary_colour)?,
            accent_colour: colour("--accent-colour", &self.accent_colour)?,
            admin,
        })
    }
}

/// Runs a tenant command.
pub async fn run(settings: &Settings, command: TenantCommand) -> anyhow::Result<()> {
    let app = server::open_desk(settings).await?;
    let result = match command {
        TenantCommand::Add(args) => add(&app, settings, &args).await,
        TenantCommand::List => list(&app).await,
    };
    app.store().close().await;
    result
}

async fn add(app: &spoc_app::App, settings: &Settings, args: &TenantAddArgs) -> anyhow::Result<()> {
    let created = app
        .system_create_tenant(args.input()?)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let tenant = &created.tenant;
    println!(
        "Added tenant {} (id {}, slug {}); its people sign in at {}/t/{}.",
        tenant.name,
        tenant.id,
        tenant.slug,
        settings.public_url.trim_end_matches('/'),
        tenant.slug
    );
    if let (Some(admin), Some(path)) = (&created.admin, &created.set_password_path) {
        println!(
            "Its first admin {} <{}> sets a password within 7 days at:",
            admin.name, admin.email
        );
        println!("{}{path}", settings.public_url.trim_end_matches('/'));
    }
    Ok(())
}

async fn list(app: &spoc_app::App) -> anyhow::Result<()> {
    let tenants = app
        .system_list_tenants()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    for t in tenants {
        println!(
            "{}\t{}\t{}\t{}\t{}",
            t.id,
            t.slug,
            t.host.as_deref().unwrap_or("-"),
            if t.active { "active" } else { "inactive" },
            t.name
        );
    }
    Ok(())
}
