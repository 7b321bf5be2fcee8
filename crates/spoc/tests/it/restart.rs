//! The real `spoc` binary: zero-configuration first start, the admin commands working beside a
//! running server, and data surviving a crash (SIGKILL) and a clean restart.

use std::process::Stdio;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

use crate::harness::{Db, ScratchDb};

pub(crate) const SPOC: &str = env!("CARGO_BIN_EXE_spoc");

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `spoc` with the scratch database; SQLite runs with no `--database` at all, from its data dir.
pub(crate) fn spoc(db: Db, scratch: &ScratchDb) -> Command {
    let mut command = Command::new(SPOC);
    command
        .env_remove("SPOC_DATABASE_URL")
        .env_remove("SPOC_CONFIG")
        .env_remove("SPOC_LISTEN")
        .env_remove("SPOC_DATA_DIR")
        .env_remove("SPOC_SMTP_URL")
        .env_remove("SPOC_MAIL_FROM")
        .env_remove("SPOC_PUBLIC_URL")
        .env_remove("SPOC_FAILPOINT")
        .current_dir(&scratch.dir)
        .kill_on_drop(true);
    if db == Db::Postgres {
        command.arg("--database").arg(&scratch.url);
    }
    command
}

pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) base: String,
    /// What the server printed up to "running".
    pub(crate) banner: Vec<String>,
}

async fn start(db: Db, scratch: &ScratchDb) -> Server {
    start_with(db, scratch, &[]).await
}

/// Starts `spoc serve` with extra environment variables.
pub(crate) async fn start_with(db: Db, scratch: &ScratchDb, envs: &[(&str, &str)]) -> Server {
    let port = free_port();
    let mut child = spoc(db, scratch)
        .envs(envs.iter().copied())
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = Vec::new();
    let read = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let done = line.starts_with("Spoc is running");
            banner.push(line);
            if done {
                break;
            }
        }
    };
    // The first start prints the credentials, then the address; later starts the address only.
    let _ = tokio::time::timeout(Duration::from_secs(20), read).await;
    // Keep draining stdout so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if http
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return Server {
                child,
                base,
                banner,
            };
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("spoc serve did not become ready; it printed {banner:?}");
}

pub(crate) async fn run_ok(command: &mut Command, stdin: Option<&str>) -> String {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.unwrap();
    }
    drop(input);
    let output = child.wait_with_output().await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{command:?} failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

pub(crate) async fn call(
    base: &str,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{base}/api/v1{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A ticket's JSON without the elapsed time of its running SLA clocks, which moves on by itself.
fn without_running_time(mut ticket: Value) -> Value {
    if let Some(clocks) = ticket["sla"].as_array_mut() {
        for clock in clocks {
            if clock["state"] == "running" {
                clock["business_seconds_elapsed"] = Value::Null;
            }
        }
    }
    ticket
}

async fn survives_restart(db: Db) {
    let scratch = ScratchDb::new(db).await;
    let mut server = start(db, &scratch).await;
    let password_line = server
        .banner
        .iter()
        .find(|l| l.trim_start().starts_with("password:"));
    let password = password_line
        .unwrap_or_else(|| panic!("first start prints a password: {:?}", server.banner));
    let password = password
        .trim_start()
        .trim_start_matches("password:")
        .trim()
        .to_owned();
    assert!(password.len() >= 16, "a strong generated password");
    if db == Db::Sqlite {
        assert!(
            scratch.dir.join("spoc-data").join("spoc.db").exists(),
            "zero-config SQLite in ./spoc-data"
        );
    }

    // The admin can sign in with the printed password.
    let login = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&json!({ "email": "admin@localhost", "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);

    // Admin commands work against the same database while the server runs.
    let out = run_ok(
        spoc(db, &scratch).args([
            "token",
            "create",
            "--email",
            "admin@localhost",
            "--label",
            "it",
        ]),
        None,
    )
    .await;
    let token = out.lines().last().unwrap().trim().to_owned();
    assert!(token.starts_with("spoc_"), "{out}");
    // The shipped SOPs were imported at first start; importing again keeps them.
    let out = run_ok(
        spoc(db, &scratch).args(["sop", "import", "--owner-email", "admin@localhost"]),
        None,
    )
    .await;
    assert!(out.contains("0 imported, 8 already there."), "{out}");
    run_ok(
        spoc(db, &scratch).args([
            "user",
            "add",
            "--email",
            "agent@example.test",
            "--name",
            "Ada Agent",
            "--role",
            "agent",
            "--password-stdin",
        ]),
        Some("a sturdy password 42\n"),
    )
    .await;
    run_ok(
        spoc(db, &scratch).args([
            "user",
            "add",
            "--email",
            "cust@example.test",
            "--name",
            "Cy Customer",
            "--role",
            "customer",
            "--organization",
            "Umbrella",
        ]),
        None,
    )
    .await;

    let (status, ticket) = call(&server.base, Method::POST, "/tickets", &token, Some(json!({
        "kind": "incident", "title": "Survives a crash", "description": "durable", "impact": "high", "urgency": "low",
    }))).await;
    assert_eq!(status, 201, "{ticket}");
    let id = ticket["id"].as_i64().unwrap();
    let (status, _) = call(
        &server.base,
        Method::POST,
        &format!("/tickets/{id}/comments"),
        &token,
        Some(json!({ "body": "a durable reply" })),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = call(
        &server.base,
        Method::POST,
        &format!("/tickets/{id}/actions/start"),
        &token,
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, before) = call(
        &server.base,
        Method::GET,
        &format!("/tickets/{id}"),
        &token,
        None,
    )
    .await;
    let (_, events_before) = call(
        &server.base,
        Method::GET,
        &format!("/tickets/{id}/events"),
        &token,
        None,
    )
    .await;

    // Crash: SIGKILL, no chance to flush anything.
    server.child.kill().await.unwrap();
    let mut server = start(db, &scratch).await;
    assert!(
        !server.banner.iter().any(|l| l.contains("password")),
        "no new admin on restart: {:?}",
        server.banner
    );
    let (status, after) = call(
        &server.base,
        Method::GET,
        &format!("/tickets/{id}"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, 200);
    // A running clock keeps counting across the restart; everything else is exactly as it was.
    assert_eq!(without_running_time(before), without_running_time(after));
    let (_, events_after) = call(
        &server.base,
        Method::GET,
        &format!("/tickets/{id}/events"),
        &token,
        None,
    )
    .await;
    assert_eq!(events_before, events_after);
    let (_, found) = call(
        &server.base,
        Method::GET,
        "/tickets?q=durable",
        &token,
        None,
    )
    .await;
    assert_eq!(found["total"], 1);
    let (_, users) = call(&server.base, Method::GET, "/users", &token, None).await;
    let customer = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "cust@example.test")
        .unwrap();
    assert!(
        customer["organization_id"].is_i64(),
        "the organisation was created and linked"
    );
    let login = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&json!({ "email": "agent@example.test", "password": "a sturdy password 42" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        login.status(),
        200,
        "the password set through --password-stdin works"
    );

    // A clean stop on SIGTERM.
    let pid = server.child.id().unwrap();
    let status = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let exit = tokio::time::timeout(Duration::from_secs(15), server.child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "graceful shutdown exits 0: {exit:?}");

    let out = run_ok(spoc(db, &scratch).arg("migrate"), None).await;
    assert!(out.contains("up to date"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_survives_a_crash_and_a_restart_sqlite() {
    survives_restart(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_survives_a_crash_and_a_restart_postgres() {
    survives_restart(Db::Postgres).await;
}

#[tokio::test]
async fn unknown_database_schemes_are_refused_clearly() {
    let output = Command::new(SPOC)
        .args(["--database", "mysql://root@localhost/spoc", "migrate"])
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("mysql") && stderr.contains("sqlite://"),
        "{stderr}"
    );
}

#[tokio::test]
async fn every_command_has_help_for_a_newcomer() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["user", "add", "--help"],
        &["token", "create", "--help"],
        &["sop", "import", "--help"],
        &["bench", "--help"],
    ] {
        let output = Command::new(SPOC).args(args).output().await.unwrap();
        assert!(output.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("Usage"), "{args:?}: {text}");
        assert!(text.lines().count() > 4, "{args:?} explains itself: {text}");
    }
}

/// Runs `command` expecting it to fail; returns its standard error.
async fn run_failing(command: &mut Command) -> String {
    let output = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!output.status.success(), "{command:?} succeeded: {stderr}");
    stderr
}

/// An admin command run where there is no desk (another directory, an empty database) refuses,
/// naming the place, and creates nothing there; `serve` prints the full token command.
async fn admin_commands_need_a_desk(db: Db) {
    let scratch = ScratchDb::new(db).await;
    for args in [
        &["token", "create", "--email", "admin@localhost"][..],
        &[
            "user",
            "add",
            "--email",
            "a@example.test",
            "--name",
            "A",
            "--role",
            "agent",
        ],
        &["sop", "import", "--owner-email", "admin@localhost"],
    ] {
        let stderr = run_failing(spoc(db, &scratch).args(args)).await;
        assert!(stderr.contains("there is no desk at"), "{args:?}: {stderr}");
        match db {
            Db::Sqlite => {
                assert!(
                    stderr.contains("spoc-data"),
                    "names the directory: {stderr}"
                );
                assert!(
                    !scratch.dir.join("spoc-data").exists(),
                    "{args:?} created an empty data directory"
                );
            }
            Db::Postgres => assert!(stderr.contains("holds no desk"), "{stderr}"),
        }
    }
    // Once the desk exists, the same command works; the banner told how to run it.
    let server = start(db, &scratch).await;
    let hint = server
        .banner
        .iter()
        .find(|line| line.contains("token create"))
        .unwrap_or_else(|| panic!("a token command in {:?}", server.banner));
    assert!(hint.contains("--email admin@localhost"), "{hint}");
    if db == Db::Postgres {
        assert!(hint.contains("--database"), "{hint}");
    }
    run_ok(
        spoc(db, &scratch).args(["token", "create", "--email", "admin@localhost"]),
        None,
    )
    .await;
    drop(server);

    // A desk in a data directory of its own: the banner names it.
    if db == Db::Sqlite {
        let other = ScratchDb::new(db).await;
        let dir = other.dir.join("elsewhere");
        let port = free_port();
        let mut child = spoc(db, &scratch)
            .arg("--data-dir")
            .arg(&dir)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut hint = None;
        while let Ok(Ok(Some(line))) =
            tokio::time::timeout(Duration::from_secs(20), lines.next_line()).await
        {
            if line.contains("token create") {
                hint = Some(line);
                break;
            }
        }
        let hint = hint.expect("a token command in the banner");
        assert!(
            hint.contains(&format!("--data-dir {}", dir.display())),
            "{hint}"
        );
        let _ = child.kill().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_commands_need_a_desk_sqlite() {
    admin_commands_need_a_desk(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_commands_need_a_desk_postgres() {
    admin_commands_need_a_desk(Db::Postgres).await;
}
