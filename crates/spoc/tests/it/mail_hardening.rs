//! The e-mail channel under hostile and unlucky conditions: the MTA pipe refusing what it cannot
//! keep whole, automated mail recognised and never treated as a person's, staff mail that must
//! prove where it came from, undeliverable notifications told to the ticket's agents, and mail
//! passwords encrypted at rest. Every test runs on SQLite and PostgreSQL.

use std::process::Stdio;

use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use crate::both_backends;
use crate::harness::Desk;

/// `spoc --database URL mail deliver` with `message` on standard input: its exit status and
/// what it said on standard error.
async fn pipe(database_url: &str, message: Vec<u8>) -> (Option<i32>, String) {
    let dir = std::env::temp_dir().join(crate::harness::unique("spoc-pipe"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(crate::restart::SPOC)
        .env_remove("SPOC_CONFIG")
        .env_remove("SPOC_DATA_DIR")
        .env_remove("SPOC_MAIL_FROM")
        .env_remove("SPOC_FAILPOINT")
        .current_dir(&dir)
        .args(["--database", database_url, "mail", "deliver"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The command may stop reading early (an oversized message): a broken pipe is expected.
    let writer = tokio::spawn(async move {
        let _ = stdin.write_all(&message).await;
        let _ = stdin.shutdown().await;
    });
    let output = tokio::time::timeout(
        std::time::Duration::from_secs(120),
        child.wait_with_output(),
    )
    .await
    .expect("spoc mail deliver finishes")
    .unwrap();
    let _ = writer.await;
    let _ = std::fs::remove_dir_all(&dir);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn inbound_log(desk: &Desk) -> Vec<Value> {
    desk.get(&desk.admin, "/inbound-messages?limit=200")
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .clone()
}

fn message(from: &str, subject: &str, message_id: &str, headers: &[&str], body: &str) -> Vec<u8> {
    let mut text = format!(
        "From: {from}\r\nTo: Support <support@spoc.test>\r\nSubject: {subject}\r\n\
         Date: Sun, 06 Dec 2026 09:00:00 +0000\r\nMessage-ID: {message_id}\r\nMIME-Version: 1.0\r\n"
    );
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    if !headers
        .iter()
        .any(|h| h.to_ascii_lowercase().starts_with("content-type:"))
    {
        text.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    }
    text.push_str("\r\n");
    text.push_str(body);
    text.push_str("\r\n");
    text.into_bytes()
}

both_backends! {
    /// The MTA pipe refuses a message over 40 MiB with exit 65 (EX_DATAERR, so the MTA bounces
    /// it to its sender) and stores nothing of it, instead of keeping a cut copy; a message
    /// within the limit is stored (exit 0); a database that cannot be reached is exit 75
    /// (EX_TEMPFAIL, so the MTA keeps the message and retries).
    async fn the_mta_pipe_refuses_an_oversized_message_whole(desk: Desk) {
        let mut big = message("Oz <oz@example.net>", "A huge scan", "<huge.1@example.net>", &[], "");
        big.resize(spoc_web::mail::MAX_MESSAGE_BYTES + 4096, b'x');
        let (code, stderr) = pipe(&desk.database_url, big).await;
        assert_eq!(code, Some(65), "EX_DATAERR; stderr: {stderr}");
        assert!(stderr.contains("40 MiB"), "names the limit: {stderr}");
        assert!(inbound_log(&desk).await.is_empty(), "nothing of it is stored");

        let small = message("Oz <oz@example.net>", "A small scan", "<small.2@example.net>", &[], "Here it is.");
        let (code, stderr) = pipe(&desk.database_url, small).await;
        assert_eq!(code, Some(0), "stored; stderr: {stderr}");
        let log = inbound_log(&desk).await;
        assert_eq!(log.len(), 1, "{log:?}");
        assert_eq!(log[0]["message_id"], "small.2@example.net");
        assert_eq!(log[0]["outcome"], "ticket_created");

        let nowhere = format!("postgres://postgres@127.0.0.1:{}/nothing", crate::restart::free_port());
        let again = message("Oz <oz@example.net>", "Later", "<later.3@example.net>", &[], "Hello.");
        let (code, stderr) = pipe(&nowhere, again).await;
        assert_eq!(code, Some(75), "EX_TEMPFAIL; stderr: {stderr}");
        assert!(stderr.contains("not stored"), "{stderr}");
    }
}
