//! The black-box harness: a real Spoc server on a real TCP port over a fresh database — a new
//! SQLite file, or a new schema in the PostgreSQL at `SPOC_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). Tests speak HTTP to it like any client; the
//! in-process [`App`] is used only to issue API tokens for the people a test sets up.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use spoc::config::Settings;
use spoc_app::App;
use spoc_domain::UserId;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Which storage backend a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Runs each `async fn name(desk: Desk)` once on SQLite and once on PostgreSQL, as
/// `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($($(#[doc = $doc:expr])* async fn $name:ident($desk:ident: $ty:ty) $body:block)*) => {
        $(
            $(#[doc = $doc])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($desk: $ty) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    run($crate::harness::Desk::start($crate::harness::Db::Sqlite).await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    run($crate::harness::Desk::start($crate::harness::Db::Postgres).await).await;
                }
            }
        )*
    };
}

/// A person the test acts as: their user id and an API token.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: i64,
    pub token: String,
}

/// An HTTP answer: status, headers and the body as JSON (`Value::Null` when empty or not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    /// The `Content-Type` header.
    pub fn content_type(&self) -> &str {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status, status,
            "expected {status}, got {}: {}",
            self.status, self.text
        );
        self
    }

    /// Asserts an RFC 9457 problem with `status` and `code`.
    #[track_caller]
    pub fn problem(self, status: u16, code: &str) -> Self {
        assert_eq!(
            self.status, status,
            "expected {status} {code}, got {}: {}",
            self.status, self.text
        );
        assert!(
            self.content_type().starts_with("application/problem+json"),
            "problem content type, got {:?}: {}",
            self.content_type(),
            self.text
        );
        assert_eq!(self.body["code"], code, "problem code in {}", self.text);
        assert_eq!(
            self.body["status"], status,
            "problem status in {}",
            self.text
        );
        assert!(
            self.body["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "a human message in {}",
            self.text
        );
        self
    }
}

/// A fresh, empty database that removes itself when dropped: a SQLite file in a new directory,
/// or a new PostgreSQL schema (with a scratch directory beside it).
pub struct ScratchDb {
    pub url: String,
    pub dir: PathBuf,
    pg: Option<(String, String)>,
}

impl ScratchDb {
    pub async fn new(db: Db) -> Self {
        let dir = std::env::temp_dir().join(unique("spoc-it"));
        std::fs::create_dir_all(&dir).unwrap();
        match db {
            Db::Sqlite => Self {
                url: format!("sqlite://{}", dir.join("spoc.db").display()),
                dir,
                pg: None,
            },
            Db::Postgres => {
                let base = pg_base_url();
                let schema = unique("it");
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&base)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {base} is not reachable: {e}"));
                sqlx::query(&format!("CREATE SCHEMA {schema}"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                let _ = sqlx::Connection::close(conn).await;
                Self {
                    url: pg_url_with_schema(&base, &schema),
                    dir,
                    pg: Some((base, schema)),
                }
            }
        }
    }
}

impl ScratchDb {
    /// A SQLite database in `dir`, an existing empty directory the test prepared (e.g. a small
    /// file system of its own); the directory is emptied when dropped.
    pub fn sqlite_in(dir: PathBuf) -> Self {
        Self {
            url: format!("sqlite://{}", dir.join("spoc.db").display()),
            dir,
            pg: None,
        }
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        let Some((base_url, schema)) = self.pg.take() else {
            return;
        };
        // Drop is synchronous: drop the schema from a thread with its own runtime.
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(mut conn) =
                    <sqlx::PgConnection as sqlx::Connection>::connect(&base_url).await
                {
                    let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                        .execute(&mut conn)
                        .await;
                }
            });
        })
        .join();
    }
}

/// The address the test desks send notifications from.
pub const DESK_ADDRESS: &str = "desk@spoc.test";

/// One running server over one fresh database.
pub struct Desk {
    pub db: Db,
    pub app: App,
    pub base: String,
    pub http: reqwest::Client,
    pub admin: Person,
    /// The database URL the server runs on.
    pub database_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    scratch: Option<ScratchDb>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A name no other test of any concurrent run uses.
pub fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::UNIX_EPOCH
        .elapsed()
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// The base PostgreSQL URL tests create their schemas in.
pub fn pg_base_url() -> String {
    std::env::var("SPOC_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// `base` with the connection's `search_path` set to `schema`.
pub fn pg_url_with_schema(base: &str, schema: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

impl Desk {
    /// A fresh database, migrated and bootstrapped, served on an ephemeral port.
    pub async fn start(db: Db) -> Self {
        let scratch = ScratchDb::new(db).await;
        let database_url = scratch.url.clone();
        Self::start_on(
            db,
            scratch,
            database_url,
            spoc::server::HttpLimits::default(),
        )
        .await
    }

    /// A desk over `scratch`, reached at `database_url` (the scratch database's own URL, or one
    /// through a proxy the test controls).
    pub async fn start_on(
        db: Db,
        scratch: ScratchDb,
        database_url: String,
        limits: spoc::server::HttpLimits,
    ) -> Self {
        let settings = Settings {
            data_dir: scratch.dir.clone(),
            database_url: database_url.clone(),
            listen: "127.0.0.1:0".parse().unwrap(),
            smtp_url: None,
            mail_from: Some(
                spoc_mail::Address::parse(DESK_ADDRESS)
                    .unwrap()
                    .with_name("Spoc test desk"),
            ),
            public_url: "http://desk.spoc.test".to_owned(),
        };
        let app = spoc::server::open_app(&settings).await.unwrap();
        let boot = app.bootstrap().await.unwrap();
        let (admin_email, _) = boot.admin.expect("first start creates an admin");
        let admin_token = app
            .issue_token_for_email(
                spoc_domain::TenantId::FIRST,
                &admin_email,
                &spoc_app::TokenRequest::labelled("tests"),
            )
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel::<()>();
        let server_app = app.clone();
        let server = tokio::spawn(async move {
            spoc::server::serve_with(server_app, listener, None, limits, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        Self {
            db,
            admin: Person {
                id: admin_token.token.user_id.get(),
                token: admin_token.secret,
            },
            app,
            base,
            http,
            database_url,
            shutdown: Some(tx),
            server: Some(server),
            scratch: Some(scratch),
        }
    }

    /// The server's data directory (where the SQLite database and the key file live).
    pub fn data_dir(&self) -> &std::path::Path {
        self.scratch
            .as_ref()
            .map_or(std::path::Path::new("."), |s| s.dir.as_path())
    }

    /// Stops the server and waits until it has closed the database.
    pub async fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }

    /// The full URL of an API path (`/tickets` → `http://…/api/v1/tickets`); other paths as is.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("/api/") || path.starts_with("/healthz") || path.starts_with("/readyz")
        {
            format!("{}{path}", self.base)
        } else {
            format!("{}/api/v1{path}", self.base)
        }
    }

    /// Runs `sql` on the desk's database over a connection of its own.
    pub async fn sql(&self, sql: &str) -> Result<u64, String> {
        use sqlx::Connection;
        match self.db {
            Db::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.database_url)
                    .await
                    .unwrap();
                sqlx::query(sql)
                    .execute(&mut conn)
                    .await
                    .map(|r| r.rows_affected())
                    .map_err(|e| e.to_string())
            }
            Db::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.database_url)
                    .await
                    .unwrap();
                sqlx::query(sql)
                    .execute(&mut conn)
                    .await
                    .map(|r| r.rows_affected())
                    .map_err(|e| e.to_string())
            }
        }
    }

    /// Signs in over the API with e-mail and password: the session cookie (`name=value`) and
    /// the CSRF token.
    pub async fn sign_in(&self, email: &str, password: &str) -> (String, String) {
        let body = json!({ "email": email, "password": password })
            .to_string()
            .into_bytes();
        let answer = self
            .send(
                Method::POST,
                "/auth/login",
                None,
                &[],
                Some(("application/json", body)),
            )
            .await
            .expect(200);
        let cookie = answer.headers["set-cookie"].to_str().unwrap();
        let session = cookie.split(';').next().unwrap().to_owned();
        let csrf = answer.body["csrf_token"].as_str().unwrap().to_owned();
        (session, csrf)
    }

    /// Sends a JSON request with a session cookie and its CSRF token.
    pub async fn send_as_session(
        &self,
        method: Method,
        path: &str,
        (session, csrf): &(String, String),
        body: Option<Value>,
    ) -> Answer {
        self.send(
            method,
            path,
            None,
            &[
                ("Cookie", session.as_str()),
                ("X-CSRF-Token", csrf.as_str()),
            ],
            body.map(|b| ("application/json", b.to_string().into_bytes())),
        )
        .await
    }

    /// Sends a request with an optional bearer token, extra headers and a raw body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<(&str, Vec<u8>)>,
    ) -> Answer {
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some((content_type, bytes)) = body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(bytes);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, who: &Person, path: &str) -> Answer {
        self.send(Method::GET, path, Some(&who.token), &[], None)
            .await
    }

    pub async fn post(&self, who: &Person, path: &str, body: Value) -> Answer {
        self.send(
            Method::POST,
            path,
            Some(&who.token),
            &[],
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }

    pub async fn patch(&self, who: &Person, path: &str, body: Value) -> Answer {
        self.send(
            Method::PATCH,
            path,
            Some(&who.token),
            &[],
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }

    pub async fn delete(&self, who: &Person, path: &str) -> Answer {
        self.send(Method::DELETE, path, Some(&who.token), &[], None)
            .await
    }

    // --- Setting up a desk, through the admin API. ---------------------------------------------

    /// A new organisation's id.
    pub async fn organization(&self, name: &str) -> i64 {
        let answer = self
            .post(&self.admin, "/organizations", json!({ "name": name }))
            .await
            .expect(201);
        answer.body["id"].as_i64().unwrap()
    }

    /// A new resolver group's id.
    pub async fn group(&self, name: &str, tier: i64, external_supplier: bool) -> i64 {
        let answer = self
            .post(
                &self.admin,
                "/groups",
                json!({ "name": name, "tier": tier, "external_supplier": external_supplier }),
            )
            .await
            .expect(201);
        answer.body["id"].as_i64().unwrap()
    }

    /// Adds `user` to `group`.
    pub async fn add_member(&self, group: i64, user: i64) {
        self.send(
            Method::PUT,
            &format!("/groups/{group}/members/{user}"),
            Some(&self.admin.token),
            &[],
            None,
        )
        .await
        .expect(204);
    }

    /// The desk's default first-line group.
    pub async fn default_group(&self) -> i64 {
        self.get(&self.admin, "/settings/default-group")
            .await
            .expect(200)
            .body["id"]
            .as_i64()
            .unwrap()
    }

    /// A new user with `role` (customer, agent, lead, admin) and an API token.
    pub async fn person(&self, role: &str, organization: Option<i64>, super_user: bool) -> Person {
        let email = format!("{}@example.test", unique(role));
        let answer = self
            .post(
                &self.admin,
                "/users",
                json!({
                    "email": email,
                    "name": format!("Test {role}"),
                    "role": role,
                    "organization_id": organization,
                    "super_user": super_user,
                }),
            )
            .await
            .expect(201);
        let id = answer.body["id"].as_i64().unwrap();
        let token = self
            .app
            .issue_token(UserId::new(id), "tests")
            .await
            .unwrap();
        Person {
            id,
            token: token.secret,
        }
    }

    /// An agent who is a member of `groups`.
    pub async fn agent_in(&self, groups: &[i64]) -> Person {
        let agent = self.person("agent", None, false).await;
        for group in groups {
            self.add_member(*group, agent.id).await;
        }
        agent
    }

    /// Logs a ticket as `who` and returns it.
    pub async fn ticket(&self, who: &Person, kind: &str, title: &str) -> Value {
        self.post(
            who,
            "/tickets",
            json!({
                "kind": kind,
                "title": title,
                "description": format!("{title}: described in more words."),
                "impact": "medium",
                "urgency": "medium",
            }),
        )
        .await
        .expect(201)
        .body
    }

    /// Performs `action` on ticket `id` as `who`.
    pub async fn act(&self, who: &Person, id: i64, action: &str, params: Value) -> Answer {
        self.post(who, &format!("/tickets/{id}/actions/{action}"), params)
            .await
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
        let scratch = self.scratch.take();
        // Dropping the scratch database blocks until its schema is gone, which waits for any
        // query still in flight on the server's connections; on a multi-threaded runtime this
        // thread hands its tasks to another first, so those queries can finish.
        let multi_thread = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        if multi_thread {
            tokio::task::block_in_place(move || drop(scratch));
        } else {
            drop(scratch);
        }
    }
}

/// A decided change that records a breached resolution target on `current`, written at `at`:
/// for tests that write through the store as the SLA timer would.
pub fn breach_change(
    current: &spoc_domain::ticket::Ticket,
    at: spoc_domain::Timestamp,
) -> spoc_store::TicketChange {
    let mut next = current.clone();
    next.version += 1;
    next.updated_at = at;
    spoc_store::TicketChange {
        ticket: next,
        events: vec![spoc_domain::event::EventData::Sla {
            clock: spoc_domain::sla::ClockChange::Breached {
                target: spoc_domain::sla::SlaTarget::Resolution,
            },
        }],
        outbox: Vec::new(),
        notifications: Vec::new(),
        sla: None,
        mail: None,
        sop: None,
        article_use: None,
    }
}
