//! The background workers under their supervisor: a shutdown in the middle of delivering mail
//! and firing SLA timers loses and duplicates nothing; a failing job backs off, recovers, and
//! admins see its failure over the API and on the admin page; a leased job never runs on two
//! nodes at once.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use spoc::mail::smtp::SmtpRelay;
use spoc_app::{App, Clock, FakeClock, MailConfig};
use spoc_domain::Timestamp;
use spoc_jobs::{Backoff, Job, JobError, Progress, Step, Supervisor};
use spoc_store::{Store, StoreOptions};

use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::{DESK_ADDRESS, Db, Desk};
use crate::mail::{imap_mailbox, mail};
use crate::mailservers::{Dovecot, SmtpSink};
use crate::ui::{click_and_wait_for_new_page, sign_in, user};
use crate::ui_pages::check_pages;

const DAY: i64 = 24 * 3600 * 1_000_000;

/// An app over the desk's database with mail on and a clock standing at `at`, as another node
/// would run it.
async fn node(desk: &Desk, at: Timestamp) -> App {
    let store = Store::connect(&StoreOptions::new(desk.database_url.clone()))
        .await
        .unwrap();
    App::new(store, Arc::new(FakeClock::new(at))).with_mail(MailConfig {
        from: spoc_mail::Address::parse(DESK_ADDRESS).unwrap(),
        public_url: "http://desk.spoc.test".to_owned(),
    })
}

/// One number `sql` answers on the desk's database.
async fn count(desk: &Desk, sql: &str) -> i64 {
    use sqlx::Connection;
    match desk.db {
        Db::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&desk.database_url)
                .await
                .unwrap();
            sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
        }
        Db::Postgres => {
            let mut conn = sqlx::PgConnection::connect(&desk.database_url)
                .await
                .unwrap();
            sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
        }
    }
}

/// How many outbox e-mails are not yet delivered.
async fn undelivered(desk: &Desk) -> i64 {
    count(
        desk,
        "SELECT COUNT(*) FROM outbox WHERE topic LIKE 'mail.%' AND done_at IS NULL",
    )
    .await
}

/// How many tickets have a timer due at `at`.
async fn timers_due(desk: &Desk, at: Timestamp) -> i64 {
    count(
        desk,
        &format!(
            "SELECT COUNT(*) FROM ticket_sla WHERE next_due_at <= {}",
            at.as_micros()
        ),
    )
    .await
}

/// Each SLA event of ticket `id`, as `change/target`, counted.
async fn sla_changes(desk: &Desk, id: i64) -> HashMap<String, usize> {
    let events = desk
        .get(&desk.admin, &format!("/tickets/{id}/events"))
        .await
        .expect(200)
        .body;
    let mut counted = HashMap::new();
    for e in events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "sla")
    {
        let clock = &e["data"]["clock"];
        let key = format!(
            "{}/{}",
            clock["change"].as_str().unwrap(),
            clock["target"].as_str().unwrap_or("-")
        );
        *counted.entry(key).or_default() += 1;
    }
    counted
}

/// Waits up to `limit` for `done`.
async fn eventually<F: std::future::Future<Output = bool>>(
    limit: Duration,
    what: &str,
    mut done: impl FnMut() -> F,
) {
    let until = tokio::time::Instant::now() + limit;
    while !done().await {
        assert!(
            tokio::time::Instant::now() < until,
            "not within {limit:?}: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A job that fails its first `failures` steps, then succeeds.
struct Flaky {
    failures: usize,
    steps: Arc<AtomicUsize>,
}

impl Job for Flaky {
    fn name(&self) -> &'static str {
        "test-flaky"
    }

    fn interval(&self) -> Duration {
        Duration::from_millis(20)
    }

    fn backoff(&self) -> Backoff {
        Backoff {
            first: Duration::from_millis(100),
            cap: Duration::from_millis(400),
        }
    }

    async fn run_once(&self, _step: &Step) -> Result<Progress, JobError> {
        let step = self.steps.fetch_add(1, Ordering::SeqCst);
        if step < self.failures {
            return Err(JobError::new(format!(
                "the relay smtps://desk:hunter2@relay.test refused step {step}"
            )));
        }
        Ok(Progress::done(1))
    }
}

/// A job whose first step panics (a bug), and whose later steps succeed.
struct Buggy {
    steps: Arc<AtomicUsize>,
}

impl Job for Buggy {
    fn name(&self) -> &'static str {
        "test-buggy"
    }

    fn interval(&self) -> Duration {
        Duration::from_millis(20)
    }

    fn backoff(&self) -> Backoff {
        Backoff {
            first: Duration::from_millis(50),
            cap: Duration::from_millis(100),
        }
    }

    async fn run_once(&self, _step: &Step) -> Result<Progress, JobError> {
        if self.steps.fetch_add(1, Ordering::SeqCst) == 0 {
            panic!("an index out of bounds in the test job");
        }
        Ok(Progress::done(1))
    }
}

/// A job that must run on one node at a time: it notes how many of its steps run at once.
struct Probe {
    node: usize,
    inside: Arc<AtomicUsize>,
    most_inside: Arc<AtomicUsize>,
    steps: Arc<[AtomicUsize; 2]>,
}

impl Job for Probe {
    fn name(&self) -> &'static str {
        "test-probe"
    }

    fn interval(&self) -> Duration {
        Duration::from_millis(10)
    }

    fn lease(&self) -> Option<Duration> {
        Some(Duration::from_secs(6))
    }

    async fn run_once(&self, _step: &Step) -> Result<Progress, JobError> {
        let now_inside = self.inside.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_inside.fetch_max(now_inside, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(15)).await;
        self.steps[self.node].fetch_add(1, Ordering::SeqCst);
        self.inside.fetch_sub(1, Ordering::SeqCst);
        Ok(Progress::done(1))
    }
}

both_backends! {
    /// Many queued e-mails and many due SLA timers; the node working on them is shut down in
    /// the middle of delivering, and another starts: every e-mail reaches the relay exactly once
    /// (none sent without being recorded), and every timer fires exactly once.
    async fn graceful_shutdown_loses_and_duplicates_nothing(desk: Desk) {
        let sink = SmtpSink::started();
        // Three customers, each within the desk's limit of tickets logged per ten minutes.
        let customers = [desk.person("customer", None, false).await, desk.person("customer", None, false).await, desk.person("customer", None, false).await];
        let mut tickets = Vec::new();
        for i in 0..60 {
            let t = desk.post(&customers[i % 3], "/tickets", json!({"kind": "incident", "title": format!("Laptop {i} will not start"), "description": "Black screen.", "impact": "low", "urgency": "low"})).await.expect(201).body;
            tickets.push(t["id"].as_i64().unwrap());
        }
        let queued = undelivered(&desk).await;
        assert!(queued >= 60, "every logged ticket is acknowledged by mail: {queued}");
        // A month later by the nodes' clocks: every clock of every ticket is past its target.
        let later = spoc_app::SystemClock.now().plus_micros(30 * DAY);
        assert_eq!(timers_due(&desk, later).await, 60);

        let first = node(&desk, later).await;
        let running = spoc::server::supervisor(first.clone(), Some(SmtpRelay::from_url(&sink.url()).unwrap()), "node-a".to_owned())
            .with_grace(Duration::from_secs(20))
            .start();
        let mut seen = 0;
        for _ in 0..2_000 {
            seen = sink.messages().len();
            if seen >= 5 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(seen >= 5, "delivery started");
        running.shutdown().await;
        tokio::time::sleep(Duration::from_millis(500)).await; // the sink writes its last files
        let sent_before = sink.messages().len() as i64;
        let left = undelivered(&desk).await;
        assert_eq!(queued - left, sent_before, "what reached the relay is exactly what was recorded as delivered");
        assert!(left > 0, "the shutdown came in the middle of delivering ({queued} queued)");
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM outbox WHERE lease_owner = 'node-a'").await, 0, "the stopped node holds no e-mail");
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM ticket_sla WHERE lease_owner = 'node-a'").await, 0, "nor any timer");
        first.store().close().await;

        let second = node(&desk, later).await;
        let running = spoc::server::supervisor(second.clone(), Some(SmtpRelay::from_url(&sink.url()).unwrap()), "node-b".to_owned()).start();
        let d = &desk;
        eventually(Duration::from_secs(60), "the second node delivers the rest and fires every timer", move || async move {
            undelivered(d).await == 0 && timers_due(d, later).await == 0
        }).await;
        running.shutdown().await;
        second.store().close().await;

        let sent = sink.wait_within(queued as usize, Duration::from_secs(10)).await;
        assert_eq!(sent.len() as i64, queued, "every e-mail once");
        let mut ids: Vec<String> = sent.iter().map(|m| m.header("Message-ID").unwrap()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len() as i64, queued, "no e-mail twice");
        for id in tickets {
            let changes = sla_changes(&desk, id).await;
            assert!(changes.values().all(|n| *n == 1), "ticket {id}: {changes:?}");
            assert_eq!(changes.get("breached/resolution"), Some(&1), "ticket {id}: {changes:?}");
            assert_eq!(changes.get("breached/first_response"), Some(&1), "ticket {id}: {changes:?}");
        }
    }

    /// A job that fails backs off, and admins see the failure (without the password in it);
    /// once it succeeds again its failures are forgotten but the last one stays on record.
    async fn a_failing_job_backs_off_recovers_and_shows_its_failure(desk: Desk) {
        let steps = Arc::new(AtomicUsize::new(0));
        let running = Supervisor::new(desk.app.clone(), "node-flaky")
            .job(Flaky { failures: 3, steps: steps.clone() })
            .start();
        let health = |body: &Value| body.as_array().unwrap().iter().find(|j| j["name"] == "test-flaky").cloned().unwrap_or(Value::Null);
        let mut saw_backing_off = false;
        let until = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let job = health(&desk.get(&desk.admin, "/workers").await.expect(200).body);
            saw_backing_off |= job["state"] == "backing_off";
            if job["consecutive_failures"].as_u64().unwrap_or(0) >= 2 {
                break;
            }
            assert!(tokio::time::Instant::now() < until, "the job did not fail twice: {job}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(saw_backing_off, "a failed job backs off");
        // The failures back off 50–100, then 100–200 ms: never a busy loop.
        assert!(steps.load(Ordering::SeqCst) <= 4, "backing off: {} steps", steps.load(Ordering::SeqCst));
        let until = tokio::time::Instant::now() + Duration::from_secs(10);
        while !health(&desk.get(&desk.admin, "/workers").await.expect(200).body)["last_success"].is_string() {
            assert!(tokio::time::Instant::now() < until, "the job did not recover");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let job = health(&desk.get(&desk.admin, "/workers").await.expect(200).body);
        assert_eq!(job["consecutive_failures"], 0, "{job}");
        let error = job["last_failure"]["error"].as_str().unwrap();
        assert!(error.contains("refused step 2"), "{job}");
        assert!(!error.contains("hunter2"), "no password in the health: {error}");
        assert!(job["last_failure"]["at"].is_string(), "{job}");
        running.shutdown().await;
        let job = health(&desk.get(&desk.admin, "/workers").await.expect(200).body);
        assert_eq!(job["state"], "stopped", "{job}");
        // The desk's own jobs are listed too.
        let all = desk.get(&desk.admin, "/workers").await.expect(200).body;
        let names: Vec<&str> = all.as_array().unwrap().iter().map(|j| j["name"].as_str().unwrap()).collect();
        for name in ["mail-intake", "sla-timers", "sop-reviews", "auto-close", "statistics"] {
            assert!(names.contains(&name), "{name} in {names:?}");
        }
        let agent = desk.person("agent", None, false).await;
        desk.get(&agent, "/workers").await.problem(403, "forbidden");
    }

    /// The server's mail intake reads a mailbox in a side task that waits in IDLE; stopping the
    /// server ends the wait at once, signs out and gives the mailbox back (recorded as a clean
    /// poll), so another node reads it next instead of waiting for the lease to run out.
    async fn stopping_the_server_leaves_idle_and_gives_the_mailbox_back(desk: Desk) {
        let mut desk = desk;
        let dovecot = Dovecot::start();
        imap_mailbox(&desk, &dovecot, Some("Processed")).await;
        let held = "SELECT COUNT(*) FROM mailboxes WHERE lease_owner IS NOT NULL";
        let d = &desk;
        eventually(Duration::from_secs(20), "the server's intake claims the mailbox", move || async move {
            count(d, held).await == 1
        }).await;
        dovecot.deliver(&mail("Ana Lima <ana@example.org>", "Printer jams", "<jam.1@example.org>", &[], "Every job jams."));
        let d = &desk;
        eventually(Duration::from_secs(40), "the message is taken while the mailbox is held", move || async move {
            count(d, "SELECT COUNT(*) FROM inbound_messages").await == 1
        }).await;
        assert_eq!(count(&desk, held).await, 1, "still reading (waiting in IDLE)");
        let started = tokio::time::Instant::now();
        desk.stop().await;
        assert!(started.elapsed() < Duration::from_secs(8), "IDLE is left at once, not after its 25 s wait: {:?}", started.elapsed());
        assert_eq!(count(&desk, held).await, 0, "the mailbox was given back");
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM mailboxes WHERE last_polled_at IS NOT NULL AND last_error IS NULL").await, 1, "a clean poll");
        assert_eq!(dovecot.count("Processed"), 1, "{}", dovecot.log());
    }

    /// A supervisor dropped without a shutdown (its server's task was cancelled) goes quiet: the
    /// step in flight finishes, no new one starts, and its lease is left to expire rather than
    /// given back while the process may be tearing the database down.
    async fn a_dropped_supervisor_writes_nothing_more(desk: Desk) {
        let inside = Arc::new(AtomicUsize::new(0));
        let steps: Arc<[AtomicUsize; 2]> = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
        let probe = Probe { node: 0, inside, most_inside: Arc::new(AtomicUsize::new(0)), steps: steps.clone() };
        let running = Supervisor::new(desk.app.clone(), "node-dropped").job(probe).start();
        let counted = &steps;
        eventually(Duration::from_secs(10), "the job runs", move || async move { counted[0].load(Ordering::SeqCst) >= 3 }).await;
        drop(running);
        let d = &desk;
        eventually(Duration::from_secs(5), "the job stops", move || async move {
            let all = d.get(&d.admin, "/workers").await.expect(200).body;
            all.as_array().unwrap().iter().any(|j| j["name"] == "test-probe" && j["state"] == "stopped")
        }).await;
        let ran = steps[0].load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(steps[0].load(Ordering::SeqCst), ran, "no step after the drop");
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM worker_leases WHERE owner = 'node-dropped'").await, 1, "the lease is left to expire");
    }

    /// A job that panics is started again after its backoff, and the panic shows as its last
    /// failure; the other jobs run on.
    async fn a_job_that_panics_is_restarted(desk: Desk) {
        let steps = Arc::new(AtomicUsize::new(0));
        let running = Supervisor::new(desk.app.clone(), "node-buggy").job(Buggy { steps: steps.clone() }).start();
        let until = tokio::time::Instant::now() + Duration::from_secs(10);
        let job = loop {
            let all = desk.get(&desk.admin, "/workers").await.expect(200).body;
            let job = all.as_array().unwrap().iter().find(|j| j["name"] == "test-buggy").cloned().unwrap();
            if job["last_success"].is_string() {
                break job;
            }
            assert!(tokio::time::Instant::now() < until, "the job was not restarted: {job}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert!(steps.load(Ordering::SeqCst) >= 2);
        let error = job["last_failure"]["error"].as_str().unwrap();
        assert!(error.contains("panic") && error.contains("index out of bounds"), "{job}");
        assert_eq!(job["consecutive_failures"], 0, "{job}");
        running.shutdown().await;
    }

    /// Two nodes on one database run a job that takes a lease: never both at once, and when
    /// the node that holds it stops, the other takes over at once (the lease is handed back,
    /// not left to expire).
    async fn a_leased_job_never_runs_on_two_nodes_at_once(desk: Desk) {
        let inside = Arc::new(AtomicUsize::new(0));
        let most_inside = Arc::new(AtomicUsize::new(0));
        let steps: Arc<[AtomicUsize; 2]> = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
        let probe = |node| Probe { node, inside: inside.clone(), most_inside: most_inside.clone(), steps: steps.clone() };
        let apps = [node(&desk, spoc_app::SystemClock.now()).await, node(&desk, spoc_app::SystemClock.now()).await];
        let mut running = [
            Some(Supervisor::new(apps[0].clone(), "node-0").job(probe(0)).start()),
            Some(Supervisor::new(apps[1].clone(), "node-1").job(probe(1)).start()),
        ];
        let counted = &steps;
        eventually(Duration::from_secs(20), "the job runs a while", move || async move {
            counted[0].load(Ordering::SeqCst) + counted[1].load(Ordering::SeqCst) >= 30
        }).await;
        assert_eq!(most_inside.load(Ordering::SeqCst), 1, "never two steps at once");
        let holder = usize::from(steps[1].load(Ordering::SeqCst) > steps[0].load(Ordering::SeqCst));
        let other = 1 - holder;
        assert_eq!(steps[other].load(Ordering::SeqCst), 0, "the node without the lease waits");
        // The desk's own node runs no probe; the holder is seen through the other node's app.
        let seen = apps[other].workers(&admin_actor(&desk).await).await.unwrap();
        let probe_health = seen.iter().find(|j| j.name == "test-probe").unwrap();
        assert_eq!(probe_health.lease_holder.as_deref(), Some(format!("node-{holder}").as_str()));

        let started = tokio::time::Instant::now();
        running[holder].take().unwrap().shutdown().await;
        eventually(Duration::from_secs(3), "the other node takes the job over before the lease would expire", move || async move {
            counted[other].load(Ordering::SeqCst) >= 5
        }).await;
        assert!(started.elapsed() < Duration::from_secs(6), "taken over well before the 6 s lease ran out");
        running[other].take().unwrap().shutdown().await;
        assert_eq!(most_inside.load(Ordering::SeqCst), 1, "never two steps at once");
        for app in apps {
            app.store().close().await;
        }
    }
}

both_backends! {
    /// Admins find the workers page in the setup's navigation: every job of the server with its
    /// state, and a failing job's error (without its password) and failures in a row; the page
    /// is structured for assistive technology and fits a phone. Others are turned away.
    async fn admins_see_the_workers_page(desk: Desk) {
        let steps = Arc::new(AtomicUsize::new(0));
        let running = Supervisor::new(desk.app.clone(), "node-page")
            .job(Flaky { failures: usize::MAX, steps: steps.clone() })
            .start();
        let admin = user(&desk, Role::Admin, "Alex Admin", None).await;
        let agent = user(&desk, Role::Agent, "Ann Agent", None).await;
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        browser.goto(&format!("{}/admin/users", desk.base)).await;
        click_and_wait_for_new_page(&browser, ".admin-nav a[href='/admin/workers']").await;
        assert!(browser.find(".admin-nav a[aria-current=page]").await.text().await.contains("Background workers"));
        assert_eq!(browser.find("h1").await.text().await, "Background workers");
        let rows = browser.find_all("table.workers tbody tr").await;
        let mut names = Vec::new();
        for row in &rows {
            names.push(row.find("th[scope=row] code").await.text().await);
        }
        for name in ["mail-intake", "sla-timers", "sop-reviews", "statistics", "test-flaky"] {
            assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
        }
        // Every header cell says what it heads; the table is named for screen readers.
        assert!(browser.try_find("table.workers caption").await.is_some());
        let headers = browser.execute("return [...document.querySelectorAll('table.workers th')].filter(t => !t.getAttribute('scope')).length", vec![]).await;
        assert_eq!(headers, json!(0), "every th has a scope");
        let source = browser.page_source().await;
        assert!(source.contains("refused step"), "the failure is shown");
        assert!(!source.contains("hunter2"), "without the password");
        assert!(source.contains("Backing off after a failure") || source.contains("Running"), "the failing job's state");
        check_pages(&browser, &desk, vec![(&admin, "/admin/workers".to_owned(), "admin-workers")], None, &[], |_, _| {}).await;

        browser.delete_cookies().await;
        sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/admin/workers", desk.base)).await;
        assert!(browser.try_find("table.workers").await.is_none(), "agents are turned away");
        assert!(browser.page_source().await.contains("Admins only"));
        running.shutdown().await;
    }
}

/// The desk's admin as an actor, for use cases called directly.
async fn admin_actor(desk: &Desk) -> spoc_domain::access::Actor {
    desk.app
        .authenticate_token(&desk.admin.token)
        .await
        .unwrap()
}
