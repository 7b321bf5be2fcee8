//! Outages answered honestly: a full disk, a database that refuses connections and a SQLite file
//! locked by another process are `503` problems with `Retry-After` within a bounded time, and
//! the server recovers by itself once the cause is gone, without a restart.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::harness::{Answer, Db, Desk, ScratchDb, pg_base_url, unique};

/// The longest an unavailable database may keep a request waiting before its `503`.
const BOUND: Duration = Duration::from_secs(20);

fn ticket_body(title: &str) -> serde_json::Value {
    json!({
        "kind": "incident",
        "title": title,
        "description": "Written while the database may be unavailable.",
        "impact": "low",
        "urgency": "low",
    })
}

#[track_caller]
fn assert_unavailable(answer: &Answer, code: &str) {
    assert_eq!(answer.status, 503, "expected 503 {code}: {}", answer.text);
    assert_eq!(answer.body["code"], code, "{}", answer.text);
    assert!(
        answer
            .content_type()
            .starts_with("application/problem+json"),
        "{}",
        answer.text
    );
    let retry: u64 = answer
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("Retry-After in {:?}", answer.headers));
    assert!(retry > 0);
}

/// A small tmpfs mounted for one test, unmounted when dropped.
struct SmallFs {
    dir: PathBuf,
}

impl SmallFs {
    fn mount(megabytes: u32) -> Self {
        let dir = std::env::temp_dir().join(unique("spoc-fullfs"));
        std::fs::create_dir_all(&dir).unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&dir)
            .status()
            .expect("the `mount` command");
        assert!(
            status.success(),
            "mounting a {megabytes} MB tmpfs at {} failed: this test needs root (as CI runs)",
            dir.display()
        );
        Self { dir }
    }

    /// Writes a filler file until the file system is full.
    fn fill(&self) -> PathBuf {
        let path = self.dir.join("filler");
        let mut file = std::fs::File::create(&path).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        while file.write_all(&chunk).is_ok() {}
        // The last partial chunk: fill the remaining bytes one page at a time.
        let page = vec![0u8; 4096];
        while file.write_all(&page).is_ok() {}
        let _ = file.sync_all();
        path
    }
}

impl Drop for SmallFs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.dir)
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A full disk refuses writes with `503 storage_full` (never a 500), and once space is freed
/// writes succeed again in the same process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_writes_recover_after_the_disk_was_full() {
    let fs = SmallFs::mount(24);
    let desk_dir = fs.dir.join("desk");
    std::fs::create_dir_all(&desk_dir).unwrap();
    let scratch = ScratchDb::sqlite_in(desk_dir);
    let url = scratch.url.clone();
    let mut desk = Desk::start_on(Db::Sqlite, scratch, url, Default::default()).await;
    let customer = desk.person("customer", None, false).await;
    desk.ticket(&customer, "incident", "Before the disk filled")
        .await;

    let filler = fs.fill();
    // SQLite appends to its write-ahead log until a checkpoint lets it reuse the log's space, so
    // some writes may still fit; keep writing until the disk refuses one.
    let mut refused = None;
    for n in 0..400 {
        let answer = desk
            .post(
                &customer,
                "/tickets",
                ticket_body(&format!("While full {n}")),
            )
            .await;
        match answer.status {
            201 => continue,
            _ => {
                refused = Some(answer);
                break;
            }
        }
    }
    let refused = refused.expect("a write refused while the disk is full");
    assert_unavailable(&refused, "storage_full");
    let read = desk.get(&customer, "/tickets").await;
    assert_eq!(read.status, 200, "reads still work: {}", read.text);

    std::fs::remove_file(filler).unwrap();
    let created = desk
        .post(&customer, "/tickets", ticket_body("After space was freed"))
        .await
        .expect(201);
    let id = created.body["id"].as_i64().unwrap();
    desk.post(
        &customer,
        &format!("/tickets/{id}/comments"),
        json!({ "body": "And a reply after that." }),
    )
    .await
    .expect(201);
    desk.send(reqwest::Method::GET, "/readyz", None, &[], None)
        .await
        .expect(200);
    desk.stop().await;
}

/// Another process holding SQLite's write lock makes a write wait a bounded time, then answer
/// `503 database_unavailable`; when the lock is released, writes succeed again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_locked_by_another_process_is_a_bounded_503() {
    let mut desk = Desk::start(Db::Sqlite).await;
    let customer = desk.person("customer", None, false).await;
    let path = desk
        .database_url
        .strip_prefix("sqlite://")
        .unwrap()
        .to_owned();
    let lock = hold_sqlite_lock(Path::new(&path)).await;

    let started = Instant::now();
    let answer = desk
        .post(&customer, "/tickets", ticket_body("While locked"))
        .await;
    assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    assert_unavailable(&answer, "database_unavailable");
    let ready = desk
        .send(reqwest::Method::GET, "/readyz", None, &[], None)
        .await;
    assert_unavailable(&ready, "database_unavailable");

    drop(lock);
    desk.post(&customer, "/tickets", ticket_body("After the lock"))
        .await
        .expect(201);
    desk.send(reqwest::Method::GET, "/readyz", None, &[], None)
        .await
        .expect(200);
    desk.stop().await;
}

/// A second connection holding `BEGIN EXCLUSIVE` on the file until dropped.
async fn hold_sqlite_lock(path: &Path) -> sqlx::SqliteConnection {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("UPDATE readiness SET checked_at = checked_at + 1")
        .execute(&mut conn)
        .await
        .unwrap();
    conn
}

/// PostgreSQL refusing connections (and dropping those open) is `503 database_unavailable` with
/// `Retry-After` within a bounded time for reads, writes and `/readyz`; when it accepts
/// connections again the server recovers without a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_refusing_connections_is_a_503_and_recovers() {
    let scratch = ScratchDb::new(Db::Postgres).await;
    let proxy = Proxy::start(&pg_base_url()).await;
    let url = scratch.url.replacen(&proxy.upstream, &proxy.local, 1);
    assert_ne!(
        url, scratch.url,
        "the desk reaches PostgreSQL through the proxy"
    );
    let mut desk = Desk::start_on(Db::Postgres, scratch, url, Default::default()).await;
    let customer = desk.person("customer", None, false).await;
    desk.ticket(&customer, "incident", "Before the outage")
        .await;

    proxy.set_up(false);
    for (method, path, body) in [
        (reqwest::Method::GET, "/api/v1/tickets", None),
        (
            reqwest::Method::POST,
            "/api/v1/tickets",
            Some(ticket_body("During the outage")),
        ),
        (reqwest::Method::GET, "/readyz", None),
    ] {
        let started = Instant::now();
        let answer = desk
            .send(
                method.clone(),
                path,
                Some(&customer.token),
                &[],
                body.map(|b| ("application/json", b.to_string().into_bytes())),
            )
            .await;
        assert!(
            started.elapsed() < BOUND,
            "{method} {path} took {:?}",
            started.elapsed()
        );
        assert_unavailable(&answer, "database_unavailable");
    }

    proxy.set_up(true);
    let deadline = Instant::now() + BOUND;
    loop {
        let answer = desk
            .post(&customer, "/tickets", ticket_body("After the outage"))
            .await;
        if answer.status == 201 {
            break;
        }
        assert_unavailable(&answer, "database_unavailable");
        assert!(Instant::now() < deadline, "no recovery: {}", answer.text);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    desk.send(reqwest::Method::GET, "/readyz", None, &[], None)
        .await
        .expect(200);
    desk.stop().await;
}

/// A TCP proxy in front of PostgreSQL that the test can switch off (every connection is cut
/// and new ones are closed at once) and on again.
struct Proxy {
    /// `host:port` of the real server, as in its URL.
    upstream: String,
    /// `host:port` of the proxy.
    local: String,
    up: watch::Sender<bool>,
    _task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    async fn start(base_url: &str) -> Self {
        let authority = base_url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap();
        let upstream = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host)
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let local = listener.local_addr().unwrap().to_string();
        let (up, watch_up) = watch::channel(true);
        let target = upstream.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                if !*watch_up.borrow() {
                    drop(client);
                    continue;
                }
                let mut watch_conn = watch_up.clone();
                let target = target.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(&target).await else {
                        return;
                    };
                    let (mut client, mut server) = (client, server);
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = async {
                            while watch_conn.changed().await.is_ok() {
                                if !*watch_conn.borrow() {
                                    return;
                                }
                            }
                        } => {}
                    }
                });
            }
        });
        Self {
            upstream,
            local,
            up,
            _task: task,
        }
    }

    fn set_up(&self, up: bool) {
        self.up.send_replace(up);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self._task.abort();
    }
}

/// Short limits, so the slow-client tests take seconds.
fn short_limits() -> spoc::server::HttpLimits {
    spoc::server::HttpLimits {
        header_read: Duration::from_secs(1),
        body_read: Duration::from_secs(1),
        shutdown_grace: Duration::from_secs(2),
    }
}

async fn limited_desk(db: Db) -> Desk {
    let scratch = ScratchDb::new(db).await;
    let url = scratch.url.clone();
    Desk::start_on(db, scratch, url, short_limits()).await
}

/// Reads what the server sends until it closes the connection, or panics after `within`.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> String {
    use tokio::io::AsyncReadExt;
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let result = tokio::time::timeout(within, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(
        result.is_ok(),
        "the server kept the connection open past {within:?}; received {:?}",
        String::from_utf8_lossy(&received)
    );
    String::from_utf8_lossy(&received).into_owned()
}

fn host_of(desk: &Desk) -> String {
    desk.base.trim_start_matches("http://").to_owned()
}

/// A client that sends half its headers and then nothing, one that sends its headers and half
/// its body, and a kept-alive connection left idle are all cut loose by the server; a live-update
/// stream, which is a response in progress, is not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_clients_are_dropped() {
    use tokio::io::AsyncWriteExt;
    let mut desk = limited_desk(Db::Sqlite).await;
    let host = host_of(&desk);

    // Headers that never finish.
    let mut slow = TcpStream::connect(&host).await.unwrap();
    slow.write_all(b"GET /api/v1/tickets HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let started = Instant::now();
    read_until_closed(&mut slow, Duration::from_secs(10)).await;
    assert!(started.elapsed() >= Duration::from_millis(500));

    // A body that never finishes: 408 request_timeout, then the connection closes.
    let mut trickle = TcpStream::connect(&host).await.unwrap();
    let head = format!(
        "POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{{\"kind\":",
        desk.admin.token
    );
    trickle.write_all(head.as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut trickle, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");

    // A kept-alive connection that sends nothing after its first request is closed.
    let mut idle = TcpStream::connect(&host).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answer = read_until_closed(&mut idle, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // A live-update stream outlives the limits and still delivers.
    let password = "correct horse battery";
    desk.post(
        &desk.admin,
        "/users",
        json!({ "email": "live@example.test", "name": "Live Admin", "role": "admin", "password": password }),
    )
    .await
    .expect(201);
    let login = desk
        .send(
            reqwest::Method::POST,
            "/auth/login",
            None,
            &[],
            Some((
                "application/json",
                json!({ "email": "live@example.test", "password": password })
                    .to_string()
                    .into_bytes(),
            )),
        )
        .await
        .expect(200);
    let cookie = login.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let mut live = desk
        .http
        .get(format!("{}/desk/live", desk.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), 200);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    desk.ticket(&desk.admin, "incident", "Seen live after the limits")
        .await;
    let chunk = tokio::time::timeout(Duration::from_secs(10), live.chunk())
        .await
        .expect("an event on the live stream")
        .unwrap()
        .expect("the stream is still open");
    assert!(!chunk.is_empty());
    drop(live);
    desk.stop().await;
}
