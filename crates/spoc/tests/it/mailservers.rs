//! Real mail servers from Debian's packages, started on loopback for one test each: Dovecot as
//! the IMAP server Spoc reads (TLS with a throwaway CA made by `openssl`), and Postfix's
//! `smtp-sink` as the relay Spoc sends to, which writes every message it accepts to a file. Both
//! stop when dropped. `.ci/run` installs the packages (`dovecot-imapd`, `postfix`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The uid and gid Dovecot keeps mail as (Debian's `mail` user): it refuses root.
const MAIL_UID: u32 = 8;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16, what: &str, log: &Path) {
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!(
        "{what} did not listen on {port}: {}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

use crate::certs::make_server_certificate;

fn chown_tree(path: &Path) {
    let _ = std::os::unix::fs::chown(path, Some(MAIL_UID), Some(MAIL_UID));
    if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            chown_tree(&entry.path());
        }
    }
}

/// A Dovecot IMAP server with one account, `support` (password `secret`).
pub struct Dovecot {
    dir: PathBuf,
    child: Child,
    /// The implicit-TLS port (imaps).
    pub tls_port: u16,
    /// The plain port, which only allows STARTTLS before login.
    pub starttls_port: u16,
    /// The CA that signed the server's certificate, PEM.
    pub ca_pem: String,
}

/// The IMAP account's login.
pub const IMAP_USER: &str = "support";
/// Its password.
pub const IMAP_PASSWORD: &str = "secret";

impl Dovecot {
    pub fn start() -> Self {
        let dir = std::env::temp_dir().join(crate::harness::unique("dovecot"));
        for sub in ["run", "state", "mail", "home"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        let d = |name: &str| dir.join(name).display().to_string();
        let ca_pem = make_server_certificate(&dir);
        std::fs::write(
            dir.join("users"),
            format!("{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}\n"),
        )
        .unwrap();
        let tls_port = free_port();
        let starttls_port = free_port();
        let config = format!(
            "base_dir = {run}\nstate_dir = {state}\nlog_path = {log}\nprotocols = imap\n\
             listen = 127.0.0.1\nssl = required\nssl_cert = <{cert}\nssl_key = <{key}\n\
             auth_mechanisms = plain login\nmail_location = maildir:{mail}/%u\n\
             first_valid_uid = {MAIL_UID}\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {users}\n}}\n\
             userdb {{\n  driver = static\n  args = uid={MAIL_UID} gid={MAIL_UID} home={home}/%u\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    port = {starttls_port}\n  }}\n  \
             inet_listener imaps {{\n    port = {tls_port}\n    ssl = yes\n  }}\n}}\n",
            run = d("run"),
            state = d("state"),
            log = d("dovecot.log"),
            cert = d("server.crt"),
            key = d("server.key"),
            mail = d("mail"),
            users = d("users"),
            home = d("home"),
        );
        std::fs::write(dir.join("dovecot.conf"), config).unwrap();
        let mailbox = dir.join("mail").join(IMAP_USER);
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(mailbox.join(sub)).unwrap();
        }
        chown_tree(&dir.join("mail"));
        chown_tree(&dir.join("home"));
        let child = Command::new("/usr/sbin/dovecot")
            .args(["-F", "-c"])
            .arg(dir.join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dovecot (Debian package dovecot-imapd) is installed");
        wait_for_port(tls_port, "dovecot", &dir.join("dovecot.log"));
        wait_for_port(starttls_port, "dovecot", &dir.join("dovecot.log"));
        Self {
            dir,
            child,
            tls_port,
            starttls_port,
            ca_pem,
        }
    }

    fn folder_dir(&self, folder: &str) -> PathBuf {
        let base = self.dir.join("mail").join(IMAP_USER);
        if folder.eq_ignore_ascii_case("INBOX") {
            base
        } else {
            base.join(format!(".{folder}"))
        }
    }

    /// Drops a message into the account's INBOX, as an MTA delivering to the Maildir would.
    pub fn deliver(&self, raw: &[u8]) {
        let name = crate::harness::unique("msg");
        let inbox = self.folder_dir("INBOX");
        let tmp = inbox.join("tmp").join(&name);
        std::fs::write(&tmp, raw).unwrap();
        chown_tree(&tmp);
        std::fs::rename(&tmp, inbox.join("new").join(&name)).unwrap();
    }

    /// How many messages a folder holds.
    pub fn count(&self, folder: &str) -> usize {
        let dir = self.folder_dir(folder);
        ["new", "cur"]
            .iter()
            .map(|sub| {
                std::fs::read_dir(dir.join(sub))
                    .map(|entries| entries.flatten().filter(|e| e.path().is_file()).count())
                    .unwrap_or(0)
            })
            .sum()
    }

    /// The server's log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("dovecot.log")).unwrap_or_default()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Postfix's `smtp-sink` on a fixed port: it accepts every message and writes each to a file.
/// It can be stopped and started again on the same port, to play an SMTP outage.
pub struct SmtpSink {
    dir: PathBuf,
    pub port: u16,
    child: Option<Child>,
}

/// One message the sink accepted.
#[derive(Debug, Clone)]
pub struct Sunk {
    /// The envelope recipients.
    pub recipients: Vec<String>,
    /// The message as it arrived (after the sink's own headers).
    pub message: String,
}

impl Sunk {
    /// A header's value (first occurrence, unfolded).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.message.split("\r\n\r\n").next().unwrap_or("");
        let head = head.split("\n\n").next().unwrap_or("");
        let mut value: Option<String> = None;
        for line in head.lines() {
            if let Some(v) = value.as_mut() {
                if line.starts_with([' ', '\t']) {
                    v.push(' ');
                    v.push_str(line.trim());
                    continue;
                }
                break;
            }
            if let Some((key, rest)) = line.split_once(':')
                && key.eq_ignore_ascii_case(name)
            {
                value = Some(rest.trim().to_owned());
            }
        }
        value
    }
}

impl SmtpSink {
    /// A sink on a free port, not yet listening.
    pub fn new() -> Self {
        let dir = std::env::temp_dir().join(crate::harness::unique("sink"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut perms = std::fs::metadata(&dir).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o777);
        std::fs::set_permissions(&dir, perms).unwrap();
        Self {
            dir,
            port: free_port(),
            child: None,
        }
    }

    /// A sink that listens now.
    pub fn started() -> Self {
        let mut sink = Self::new();
        sink.start();
        sink
    }

    /// `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Starts listening (again).
    pub fn start(&mut self) {
        assert!(self.child.is_none(), "the sink runs already");
        let child = Command::new("/usr/sbin/smtp-sink")
            .args(["-u", "nobody", "-d"])
            .arg(format!("{}/%Y%m%d%H%M%S.", self.dir.display()))
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("100")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("smtp-sink (Debian package postfix) is installed");
        self.child = Some(child);
        wait_for_port(self.port, "smtp-sink", Path::new("/dev/null"));
    }

    /// Stops listening: connections are refused until [`SmtpSink::start`].
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Every message accepted so far.
    pub fn messages(&self) -> Vec<Sunk> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .map(|text| {
                // The sink writes its own `X-…` lines, then its `Received` header, then the
                // message as it arrived.
                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                let mut at = 0;
                let mut recipients = Vec::new();
                while at < lines.len() && lines[at].starts_with("X-") {
                    if let Some(v) = lines[at].strip_prefix("X-Rcpt-Args: ") {
                        recipients.push(v.trim().trim_matches(|c| c == '<' || c == '>').to_owned());
                    }
                    at += 1;
                }
                if at < lines.len() && lines[at].starts_with("Received:") {
                    at += 1;
                    while at < lines.len() && lines[at].starts_with([' ', '\t']) {
                        at += 1;
                    }
                }
                Sunk {
                    recipients,
                    message: lines[at..].concat(),
                }
            })
            .collect()
    }

    /// Waits until at least `n` messages arrived (the sink writes each after the transaction).
    pub async fn wait_for(&self, n: usize) -> Vec<Sunk> {
        self.wait_within(n, Duration::from_secs(10)).await
    }

    /// Waits up to `limit` until at least `n` messages arrived.
    pub async fn wait_within(&self, n: usize, limit: Duration) -> Vec<Sunk> {
        let rounds = limit.as_millis() / 50;
        for _ in 0..rounds {
            if self.messages().len() >= n {
                // The sink writes a file as the transaction goes; let it finish.
                tokio::time::sleep(Duration::from_millis(300)).await;
                return self.messages();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let got = self.messages();
        panic!(
            "expected {n} messages at the sink, got {}: {got:?}",
            got.len()
        );
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
