//! Where the keys that encrypt stored passwords come from: `SPOC_SECRET_KEYS`
//! (`id=base64key,…`, the first current — the way for several nodes, which must share them),
//! or else the file `secret.key` in the data directory, created with mode 0600 the first time a
//! key is needed. A key file that others may read is refused, with a sentence saying so.
//! `spoc secrets rotate` re-encrypts every stored password with a new current key.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::Context;
use spoc_app::{App, SecretKeys};

use crate::config::Settings;

/// The environment variable with the keys.
pub const KEYS_ENV: &str = "SPOC_SECRET_KEYS";
/// The key file's name in the data directory.
pub const KEY_FILE: &str = "secret.key";

/// Where the keys of `settings` come from.
#[derive(Debug)]
pub enum KeySource {
    /// `SPOC_SECRET_KEYS`, as given.
    Env(String),
    /// The key file.
    File(PathBuf),
}

impl KeySource {
    /// The environment if it names keys, else the key file in the data directory.
    pub fn of(settings: &Settings) -> Self {
        match std::env::var(KEYS_ENV) {
            Ok(spec) if !spec.trim().is_empty() => Self::Env(spec),
            _ => Self::File(settings.data_dir.join(KEY_FILE)),
        }
    }
}

/// Reads the key file, refusing one that others may read; `None` when there is none.
pub fn read_key_file(path: &Path) -> Result<Option<SecretKeys>, String> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(format!(
                "the key file {} cannot be read: {e}",
                path.display()
            ));
        }
    };
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "the key file {} may be read by others (mode {mode:03o}); Spoc uses it only when no one but its owner can read it: run `chmod 600 {}`",
            path.display(),
            path.display()
        ));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("the key file {} cannot be read: {e}", path.display()))?;
    SecretKeys::parse(&text)
        .map(Some)
        .map_err(|e| format!("the key file {}: {e}", path.display()))
}

/// Writes `lines` as the key file, readable by its owner only, replacing it atomically.
fn write_key_file(path: &Path, lines: &[String]) -> Result<(), String> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("creating the directory {}: {e}", dir.display()))?;
    let temporary = path.with_extension(format!("new-{}", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temporary)
        .and_then(|mut file| {
            file.write_all(format!("{}\n", lines.join("\n")).as_bytes())?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temporary, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("writing the key file {}: {e}", path.display())
    })
}

/// The key file's keys, making a first key if there is no file yet (another process making
/// one at the same moment wins, and its key is used).
pub fn key_file_or_new(path: &Path) -> Result<SecretKeys, String> {
    if let Some(keys) = read_key_file(path)? {
        return Ok(keys);
    }
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("creating the directory {}: {e}", dir.display()))?;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(mut file) => {
            file.write_all(format!("{}\n", SecretKeys::generate("k1")).as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| format!("writing the key file {}: {e}", path.display()))?;
            tracing::info!(path = %path.display(), "created a key to encrypt stored passwords with; back it up apart from the database");
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(format!("creating the key file {}: {e}", path.display())),
    }
    read_key_file(path)?.ok_or_else(|| format!("the key file {} vanished", path.display()))
}

/// Gives `app` its keys: from the environment, or the key file (checked now when it exists, so
/// a bad one stops the command at once; made on first need when it does not).
pub fn with_keys(app: App, settings: &Settings) -> anyhow::Result<App> {
    match KeySource::of(settings) {
        KeySource::Env(spec) => {
            let keys = SecretKeys::parse(&spec).map_err(|e| anyhow::anyhow!("{KEYS_ENV}: {e}"))?;
            Ok(app.with_secret_keys(move || Ok(keys.clone())))
        }
        KeySource::File(path) => {
            // A key file that is there must be usable now; one that is not is made when first
            // needed. It is read again when a value names a key this process does not know
            // (after `spoc secrets rotate`).
            read_key_file(&path).map_err(|e| anyhow::anyhow!(e))?;
            Ok(app.with_secret_keys(move || key_file_or_new(&path)))
        }
    }
}

/// `spoc secrets rotate`, in three steps around the re-encryption (which needs the desk):
/// with the key file, [`begin_rotation`] adds a new current key to it, the caller re-encrypts
/// every stored password (`App::rotate_secrets`), and [`finish_rotation`] removes the old keys;
/// with `SPOC_SECRET_KEYS`, every password is re-encrypted with its first key, and the operator
/// then removes the others.
pub enum Rotation {
    /// The keys come from the environment.
    Env,
    /// The key file at `path` now holds the new key `id` (line `line`) before the old ones.
    File {
        /// The key file.
        path: std::path::PathBuf,
        /// The new key's id.
        id: String,
        /// Its line in the file.
        line: String,
    },
}

/// The first step of a rotation: with the key file, a new key is written before the old ones,
/// so nothing is unreadable if the re-encryption stops half-way.
pub fn begin_rotation(settings: &Settings) -> anyhow::Result<Rotation> {
    match KeySource::of(settings) {
        KeySource::Env(_) => Ok(Rotation::Env),
        KeySource::File(path) => {
            let old = key_file_or_new(&path).map_err(|e| anyhow::anyhow!(e))?;
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading the key file {}", path.display()))?;
            let old_lines: Vec<String> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect();
            let next = old
                .ids()
                .iter()
                .filter_map(|id| id.strip_prefix('k')?.parse::<u64>().ok())
                .max()
                .unwrap_or(0)
                + 1;
            let id = format!("k{next}");
            let line = SecretKeys::generate(&id);
            let mut both = vec![line.clone()];
            both.extend(old_lines);
            write_key_file(&path, &both).map_err(|e| anyhow::anyhow!(e))?;
            Ok(Rotation::File { path, id, line })
        }
    }
}

/// The last step, once `count` passwords were re-encrypted: with the key file, the old keys are
/// removed from it. Returns a report for people.
pub fn finish_rotation(rotation: Rotation, count: usize) -> anyhow::Result<String> {
    match rotation {
        Rotation::Env => Ok(format!(
            "Re-encrypted {count} stored password(s) with the first key of {KEYS_ENV}; the other keys can now be removed from it."
        )),
        Rotation::File { path, id, line } => {
            write_key_file(&path, &[line]).map_err(|e| anyhow::anyhow!(e))?;
            Ok(format!(
                "Re-encrypted {count} stored password(s) with the new key {id} in {}; the old key was removed from it.",
                path.display()
            ))
        }
    }
}
