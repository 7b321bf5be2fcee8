//! Spoc's use cases: one function for each thing a person or system does — log a ticket, assign,
//! escalate, reply, resolve, administer the desk. Each one authorises the actor, loads what it
//! needs, asks the domain to decide and persists the result through the store in one
//! transaction. Authorisation lives here, so the API, the UI, e-mail and the CLI cannot disagree
//! about who may do what.

mod account;
mod admin;
mod audit;
mod auth;
mod bootstrap;
mod canned;
mod clock;
mod directory;
mod document;
mod error;
mod grants;
mod knowledge;
mod ldap_directories;
mod live;
mod mail;
mod notifications;
mod oidc;
mod overview;
mod privacy;
mod provisioning;
mod queue_views;
mod rate_limits;
mod reading;
mod retention;
mod scim;
mod search;
mod second_factor;
mod secrets;
mod sessions;
mod setup;
mod sla;
mod sop;
mod sop_provider;
mod sop_reviews;
mod sop_seeds;
mod sop_tickets;
mod tenant_reports;
mod tenants;
mod throttle;
mod tickets;
pub mod words;
mod workers;

use std::sync::Arc;

use spoc_store::Store;

pub use account::RESET_LIFETIME_MICROS;
pub use admin::{GroupInput, UserInput};
pub use audit::{AUDIT_PAGE_MAX, AuditActor, AuditEntry, AuditFilter, AuditPage};
pub use auth::{
    ApiToken, IssuedToken, MAX_TOKEN_DAYS, NewSession, SessionActor, TokenRequest,
    generate_password, random_secret,
};
pub use bootstrap::Bootstrap;
pub use canned::CannedResponse;
pub use clock::{Clock, FakeClock, SystemClock};
pub use directory::{Category, Group, Organization, Person, PersonUpdate, Service};
pub use document::diff_versions;
pub use error::AppError;
pub use grants::{GRANT_GROUPS_MAX, Grant, Grantee};
pub use knowledge::{
    Article, ArticleFilter, ArticleInput, ArticleVersion, ArticleView, SelfServiceReport,
};
pub use ldap_directories::{
    DIRECTORY_CA_MAX, DIRECTORY_MAPPINGS_MAX, DIRECTORY_TEXT_MAX, Directory, DirectoryInput,
    GroupMapping, SYNC_SECONDS_MAX, SYNC_SECONDS_MIN, SyncReport,
};
pub use live::{TicketChangeKind, TicketSignal};
pub use mail::{
    ActionLink, DeliveryStats, ImapServer, ImapSettings, InboundMessage, IngestResult, LinkAction,
    MAX_MAIL_ATTEMPTS, MAX_TENANT_MAIL_ADDRESSES, MailConfig, MailTransport, Mailbox, MailboxInput,
    OutboxEntry, Relay, RelayInput, RelaySecurity, RelaySettings, Release, SendError, parse_sender,
};
pub use notifications::Notification;
pub use oidc::{
    GroupRule, IdClaims, OidcProvider, OidcProviderChange, OidcSignIn, OidcStart, RoleRule,
    SignInOption, TokenError, valid_slug,
};
pub use overview::LeadOverview;
pub use privacy::{DataExport, Erasure};
pub use queue_views::{
    QueueColumn, SavedView, SavedViewChange, TicketMarks, VIEW_NAME_MAX, VIEW_QUERY_MAX,
};
pub use rate_limits::RateLimits;
pub use reading::{Language, ReadingSettings, time_zone_names};
pub use retention::{RetentionRun, RetentionView};
pub use scim::{
    IssuedScimToken, SCIM_MAX_RESULTS, ScimClient, ScimError, ScimGroup, ScimMember, ScimPage,
    ScimPaging, ScimToken, ScimUser,
};
pub use search::{SEARCH_GROUP_LIMIT, SearchResults, ticket_named};
pub use second_factor::{
    Challenge, Proof, RECOVERY_CODES, SignIn, TotpEnrolment, TotpStatus, TwoFactorPolicy, totp,
};
pub use secrets::{KEY_BYTES as SECRET_KEY_BYTES, KeyLoader, SecretError, SecretKeys};
pub use sessions::{OpenSession, ThisSession};
pub use setup::SetupStep;
pub use sla::{
    Attainment, Calendar, ClockView, DEFAULT_CALENDAR, DEFAULT_POLICY, DurationStats, Policy,
    PolicyInput, ReportBy, ReportRow, target_label,
};
pub use sop::{
    ReviewListing, Sop, SopInput, SopOutcomeRow, SopReview, SopSettings, SopVersion, SopView,
    TicketSop, TicketSopView,
};
pub use sop_seeds::{ImportReport, SeedSop, seed_sops};
/// The e-mail channel's states, from the domain, so adapters name them as the use cases do.
pub use spoc_domain::mail::{ImapSecurity, InboundOutcome, OutboxState};
pub use tenants::{
    Brand, CreatedTenant, FirstAdmin, Tenant, TenantInput, TenantPatch, WELCOME_LIFETIME_MICROS,
    is_provider_admin,
};
pub use throttle::{LoginThrottle, RateLimiter};
pub use tickets::{
    AcceptAll, ActionInput, Attachment, AutoCloseRun, Cursor, EscalationInput, HistoryEntry,
    MENTION_TOPIC, NewTicketInput, ScanVerdict, TicketFilter, TicketLink, TicketPage,
    TicketRelation, TicketSort, Upload, UploadScanner,
};
pub use workers::{JobFailure, JobHealth, JobState, WorkerBoard};

/// Builds one of the app's read models from the store record behind it. Crate-private on
/// purpose: adapters get read models from use cases and cannot make them out of store records.
pub(crate) trait FromRecord<R> {
    /// The read model of `record`.
    fn from_record(record: R) -> Self;
}

/// Converts every record a store read returned into the app's read model of it.
pub(crate) fn converted<R, T: FromRecord<R>>(records: Vec<R>) -> Vec<T> {
    records.into_iter().map(T::from_record).collect()
}

/// Settings keys.
pub(crate) const DEFAULT_GROUP_KEY: &str = "default_group_id";
pub(crate) const PRIORITY_MATRIX_KEY: &str = "priority_matrix";

/// How long a browser session lasts after sign-in.
pub const SESSION_LIFETIME_MICROS: i64 = 12 * 3600 * 1_000_000;

/// The service desk's use cases over one store and one clock. Cheap to clone.
#[derive(Clone)]
pub struct App {
    store: Store,
    clock: Arc<dyn Clock>,
    throttle: Arc<LoginThrottle>,
    rate: Arc<RateLimiter>,
    /// The rate limits last read, and when (see `rate_limits.rs`).
    rate_limits_cache:
        Arc<std::sync::Mutex<Option<(spoc_domain::TenantId, RateLimits, spoc_domain::Timestamp)>>>,
    changes: tokio::sync::broadcast::Sender<TicketSignal>,
    closing: Arc<tokio::sync::watch::Sender<bool>>,
    mail: Option<Arc<mail::MailConfig>>,
    /// Each tenant's mail settings as last read (see `mail/relay.rs`).
    relay_cache: Arc<mail::RelayCache>,
    /// The address people reach the desk at (`--public-url`).
    public_url: Option<String>,
    keyring: Option<Arc<secrets::Keyring>>,
    /// Whether people reach the desk over HTTPS (its public URL starts with `https://`).
    https: bool,
    /// The background jobs' health on this node.
    workers: Arc<workers::WorkerBoard>,
    /// The hook every file sent through the web or the API passes.
    scanner: tickets::uploads::Scanner,
    /// What identity providers published (discovery documents, signing keys).
    oidc: Arc<oidc::ProviderCache>,
}

impl App {
    /// A desk over `store`, reading time from `clock`.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            throttle: Arc::default(),
            rate: Arc::default(),
            rate_limits_cache: Arc::default(),
            changes: tokio::sync::broadcast::channel(live::CHANNEL_CAPACITY).0,
            closing: Arc::new(tokio::sync::watch::channel(false).0),
            mail: None,
            relay_cache: Arc::default(),
            public_url: None,
            keyring: None,
            https: false,
            workers: Arc::default(),
            scanner: Arc::new(tickets::uploads::AcceptAll),
            oidc: Arc::default(),
        }
    }

    /// Passes every file sent through the web or the API to `scanner` before it is stored.
    #[must_use]
    pub fn with_upload_scanner(mut self, scanner: Arc<dyn UploadScanner>) -> Self {
        self.scanner = scanner;
        self
    }

    /// Tells the desk the address people reach it at; with `https://`, browser sessions use a
    /// `__Host-` cookie.
    #[must_use]
    pub fn with_public_url(mut self, public_url: &str) -> Self {
        self.https = public_url.starts_with("https://");
        self.public_url = Some(public_url.trim_end_matches('/').to_owned());
        self
    }

    /// Whether the desk's public URL is HTTPS.
    pub fn served_over_https(&self) -> bool {
        self.https
    }

    /// The store, for health checks and shutdown.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Whether the desk can serve: the database answers a read and takes a write, within
    /// `bound`. Past the bound the database counts as unavailable.
    pub async fn check_ready(&self, bound: std::time::Duration) -> Result<(), AppError> {
        match tokio::time::timeout(bound, self.store.check_ready(self.now())).await {
            Ok(result) => Ok(result?),
            Err(_) => Err(AppError::Unavailable(spoc_store::StoreError::TimedOut)),
        }
    }

    /// The current time, from the desk's clock (so pages agree with what use cases record).
    pub fn now(&self) -> spoc_domain::Timestamp {
        self.clock.now()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every `.rs` file under `dir`, with its path relative to `root`.
    pub(crate) fn sources(root: &Path, dir: &Path, found: &mut Vec<(String, String)>) {
        let entries = std::fs::read_dir(dir).expect("the source directory is readable");
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                sources(root, &path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path
                    .strip_prefix(root)
                    .expect("under the root")
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&path).expect("a readable source file");
                found.push((name, text));
            }
        }
    }

    /// The store types a signature names: a `spoc_store::` path or a type ending in `Record`.
    fn store_types(signature: &str) -> Vec<String> {
        let mut named = Vec::new();
        if signature.contains("spoc_store::") {
            named.push("spoc_store::…".to_owned());
        }
        named.extend(
            signature
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|word| word.len() > "Record".len() && word.ends_with("Record"))
                .map(str::to_owned),
        );
        named
    }

    /// The app hands the API, the pages and the CLI its own read models and domain types, never
    /// the store's records, so the wire and the pages are not tied to the tables: no public
    /// function of the crate takes or returns a store type.
    #[test]
    fn public_functions_name_no_store_type() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&root, &root, &mut files);
        let mut checked = 0;
        let mut offending = Vec::new();
        for (file, text) in &files {
            // Tests are not part of the crate's interface.
            let text = text.split("\n#[cfg(test)]").next().unwrap_or_default();
            if text.contains("pub use spoc_store") {
                offending.push(format!("{file}: re-exports from spoc_store"));
            }
            for pattern in ["pub fn ", "pub async fn "] {
                for (at, _) in text.match_indices(pattern) {
                    let rest = &text[at..];
                    let end = rest.find(['{', ';']).unwrap_or(rest.len());
                    let signature = &rest[..end];
                    checked += 1;
                    for named in store_types(signature) {
                        let name: String = signature[pattern.len()..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        offending.push(format!("{file}: {name} names {named}"));
                    }
                }
            }
        }
        assert!(
            checked > 100,
            "found only {checked} public functions; is the scan broken?"
        );
        assert!(
            offending.is_empty(),
            "public functions that name store types: {offending:#?}"
        );
    }

    #[test]
    fn the_scan_sees_store_types() {
        assert_eq!(
            store_types("pub async fn a(&self) -> Result<Vec<UserRecord>, AppError>"),
            ["UserRecord"]
        );
        assert_eq!(
            store_types("pub fn b(x: spoc_store::Cursor)"),
            ["spoc_store::…"]
        );
        assert!(store_types("pub fn c(&self, record: Record) -> Person").is_empty());
    }
}
