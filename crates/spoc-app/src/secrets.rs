//! Secrets at rest: the passwords Spoc must keep to sign in elsewhere (IMAP mailboxes) are
//! stored encrypted with XChaCha20-Poly1305 under a key kept outside the database, as
//! `v1:<key id>:<nonce, base64>:<ciphertext, base64>`. Several keys can be known at once (the
//! first is current: new values are encrypted with it), so keys can be rotated: add a new
//! first key, re-encrypt everything ([`App::rotate_secrets`]), then drop the old one.
//!
//! Where the keys come from is the binary's business (the environment, or a key file in the
//! data directory); the app asks for them only when it first needs one.

use std::fmt;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use spoc_store::StoreError;

use crate::{App, AppError};

/// The version prefix of an encrypted value.
const PREFIX: &str = "v1";
/// Bound into every ciphertext, so a value encrypted for something else never decrypts here.
const CONTEXT: &[u8] = b"spoc secret v1";
/// Key length in bytes.
pub const KEY_BYTES: usize = 32;

/// The keys secrets are encrypted with; the first is the current one. `Debug` shows the ids
/// only.
#[derive(Clone)]
pub struct SecretKeys {
    keys: Vec<(String, [u8; KEY_BYTES])>,
}

impl fmt::Debug for SecretKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKeys")
            .field("ids", &self.ids())
            .finish()
    }
}

/// Why a stored secret could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The value was encrypted with a key that is not configured.
    #[error("it was encrypted with key {0:?}, which is not configured")]
    UnknownKey(String),
    /// The value is damaged, or the key with its id is not the one it was encrypted with.
    #[error("it cannot be decrypted with key {0:?}: the value is damaged or the key is wrong")]
    Undecryptable(String),
    /// The value is not in the `v1:…` form.
    #[error("it is not an encrypted value")]
    Malformed,
}

impl SecretKeys {
    /// Reads `id=base64key,id=base64key…` (also one per line): ids of letters, digits, `-`
    /// and `_`; keys of 32 bytes in standard base64. The first is current. `Err` is a
    /// sentence naming what is wrong, never a key.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut keys: Vec<(String, [u8; KEY_BYTES])> = Vec::new();
        for (n, entry) in spec
            .split([',', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .enumerate()
        {
            let Some((id, key)) = entry.split_once('=') else {
                return Err(format!("key {} is not written as id=base64key", n + 1));
            };
            let id = id.trim();
            if id.is_empty()
                || id.len() > 32
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(format!(
                    "key {}: its id must be 1 to 32 letters, digits, '-' or '_'",
                    n + 1
                ));
            }
            let bytes = STANDARD
                .decode(key.trim())
                .map_err(|_| format!("key {id:?} is not valid base64"))?;
            let key: [u8; KEY_BYTES] = bytes.try_into().map_err(|b: Vec<u8>| {
                format!(
                    "key {id:?} is {} bytes long; it must be {KEY_BYTES} bytes (44 characters of base64)",
                    b.len()
                )
            })?;
            if keys.iter().any(|(known, _)| known == id) {
                return Err(format!("key id {id:?} is given twice"));
            }
            keys.push((id.to_owned(), key));
        }
        if keys.is_empty() {
            return Err("no key is given".to_owned());
        }
        Ok(Self { keys })
    }

    /// A fresh random key, as `id=base64key`.
    pub fn generate(id: &str) -> String {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        format!("{id}={}", STANDARD.encode(key))
    }

    /// The key ids, current first.
    pub fn ids(&self) -> Vec<&str> {
        self.keys.iter().map(|(id, _)| id.as_str()).collect()
    }

    /// Whether `stored` is an encrypted value (rather than a clear one from before
    /// encryption, or nothing).
    pub fn is_encrypted(stored: &str) -> bool {
        stored.starts_with("v1:")
    }

    /// The id of the key `stored` was encrypted with.
    pub fn key_id_of(stored: &str) -> Option<&str> {
        let mut parts = stored.split(':');
        (parts.next() == Some(PREFIX))
            .then(|| parts.next())
            .flatten()
    }

    /// `plain`, encrypted with the current key under a fresh random nonce.
    pub fn encrypt(&self, plain: &str) -> Result<String, AppError> {
        let (id, key) = &self.keys[0];
        let cipher = XChaCha20Poly1305::new(key.into());
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain.as_bytes(),
                    aad: CONTEXT,
                },
            )
            .map_err(|_| {
                AppError::Internal(StoreError::Corrupt(
                    "a secret could not be encrypted".to_owned(),
                ))
            })?;
        Ok(format!(
            "{PREFIX}:{id}:{}:{}",
            STANDARD.encode(nonce),
            STANDARD.encode(ciphertext)
        ))
    }

    /// The clear text of an encrypted value.
    pub fn decrypt(&self, stored: &str) -> Result<String, SecretError> {
        let parts: Vec<&str> = stored.split(':').collect();
        let [PREFIX, id, nonce, ciphertext] = parts.as_slice() else {
            return Err(SecretError::Malformed);
        };
        let (_, key) = self
            .keys
            .iter()
            .find(|(known, _)| known == id)
            .ok_or_else(|| SecretError::UnknownKey((*id).to_owned()))?;
        let undecryptable = || SecretError::Undecryptable((*id).to_owned());
        let nonce = STANDARD.decode(nonce).map_err(|_| undecryptable())?;
        if nonce.len() != 24 {
            return Err(undecryptable());
        }
        let ciphertext = STANDARD.decode(ciphertext).map_err(|_| undecryptable())?;
        let plain = XChaCha20Poly1305::new(key.into())
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &ciphertext,
                    aad: CONTEXT,
                },
            )
            .map_err(|_| undecryptable())?;
        String::from_utf8(plain).map_err(|_| undecryptable())
    }
}

/// Loads the keys when they are first needed; `Err` is a sentence for the operator.
pub type KeyLoader = dyn Fn() -> Result<SecretKeys, String> + Send + Sync;

/// The keys of an [`App`]: loaded on first need, then kept.
pub(crate) struct Keyring {
    loader: Box<KeyLoader>,
    loaded: Mutex<Option<Arc<SecretKeys>>>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keyring")
    }
}

fn key_trouble(message: impl Into<String>) -> AppError {
    AppError::Internal(StoreError::Config(message.into()))
}

impl App {
    /// Encrypts secrets with the keys `loader` gives, asked for the first time one is needed.
    pub fn with_secret_keys(
        mut self,
        loader: impl Fn() -> Result<SecretKeys, String> + Send + Sync + 'static,
    ) -> Self {
        self.keyring = Some(Arc::new(Keyring {
            loader: Box::new(loader),
            loaded: Mutex::new(None),
        }));
        self
    }

    /// The keys, loaded now if this is the first need (or again, with `reload`).
    fn load_keys(&self, reload: bool) -> Result<Arc<SecretKeys>, AppError> {
        let keyring = self.keyring.as_ref().ok_or_else(|| {
            key_trouble("no key to encrypt secrets with is configured (SPOC_SECRET_KEYS)")
        })?;
        let mut loaded = keyring
            .loaded
            .lock()
            .map_err(|_| key_trouble("the secret keys' lock is poisoned"))?;
        if !reload && let Some(keys) = loaded.as_ref() {
            return Ok(keys.clone());
        }
        let keys = Arc::new((keyring.loader)().map_err(key_trouble)?);
        *loaded = Some(keys.clone());
        Ok(keys)
    }

    /// The keys, loaded now if this is the first need.
    pub(crate) fn secret_keys(&self) -> Result<Arc<SecretKeys>, AppError> {
        self.load_keys(false)
    }

    /// The clear text of a stored secret (a clear value from before encryption is returned as
    /// it is). A value under a key this process does not know yet (rotated by `spoc secrets
    /// rotate` while it runs) makes it read its keys again, once.
    pub(crate) fn reveal(&self, stored: &str) -> Result<String, AppError> {
        if !SecretKeys::is_encrypted(stored) {
            return Ok(stored.to_owned());
        }
        let trouble =
            |e: SecretError| key_trouble(format!("a stored password cannot be read: {e}"));
        match self.secret_keys()?.decrypt(stored) {
            Ok(plain) => Ok(plain),
            Err(SecretError::UnknownKey(_)) => {
                self.load_keys(true)?.decrypt(stored).map_err(trouble)
            }
            Err(e) => Err(trouble(e)),
        }
    }

    /// Encrypts every mailbox password that is still stored in clear (from before Spoc
    /// encrypted them). Run at start; the keys are loaded (or made) only if there is one.
    /// Returns how many were encrypted.
    pub async fn encrypt_clear_secrets(&self) -> Result<usize, AppError> {
        self.reencrypt(false).await
    }

    /// Re-encrypts every stored password and authenticator secret with the current key (`spoc
    /// secrets rotate`), so the older keys can be dropped. Returns how many were re-encrypted.
    pub async fn rotate_secrets(&self) -> Result<usize, AppError> {
        self.reencrypt(true).await
    }

    async fn reencrypt(&self, all: bool) -> Result<usize, AppError> {
        let mut done = 0;
        let mut per_tenant: std::collections::BTreeMap<spoc_domain::TenantId, u64> =
            std::collections::BTreeMap::new();
        for mailbox in self.store.list_mailboxes_all_tenants().await? {
            let Some(stored) = mailbox.imap.as_ref().map(|i| i.password.as_str()) else {
                continue;
            };
            if stored.is_empty() || (!all && SecretKeys::is_encrypted(stored)) {
                continue;
            }
            let keys = self.secret_keys()?;
            if all && SecretKeys::key_id_of(stored) == keys.ids().first().copied() {
                continue;
            }
            let plain = self.reveal(stored)?;
            let sealed = keys.encrypt(&plain)?;
            // Only if nobody changed it meanwhile (an admin, another node).
            if self
                .store
                .replace_mailbox_password(mailbox.id, stored, &sealed)
                .await?
            {
                done += 1;
                *per_tenant.entry(mailbox.tenant_id).or_default() += 1;
            }
        }
        if all {
            // A rotation is the operator's (`spoc secrets rotate`): each tenant's log says how
            // many of its secrets it re-encrypted.
            for tenant in self.store.tenant_ids().await? {
                self.audit_in(
                    tenant,
                    spoc_domain::access::Principal::System(
                        spoc_domain::access::SystemActor::Bootstrap,
                    ),
                    spoc_domain::audit::AuditAction::SecretsRotated {
                        secrets: per_tenant.get(&tenant).copied().unwrap_or(0),
                    },
                    spoc_domain::audit::AuditTarget::Settings,
                )
                .await?;
            }
        }
        done += self.reencrypt_second_factors(all).await?;
        Ok(done)
    }

    /// Re-encrypts the authenticator secrets of two-factor sign-in (always encrypted; with
    /// `all`, those under an older key).
    async fn reencrypt_second_factors(&self, all: bool) -> Result<usize, AppError> {
        let mut done = 0;
        if !all {
            return Ok(done);
        }
        for (tenant, user, stored) in self.store.second_factor_secrets_all_tenants().await? {
            let keys = self.secret_keys()?;
            if SecretKeys::key_id_of(&stored) == keys.ids().first().copied() {
                continue;
            }
            let sealed = keys.encrypt(&self.reveal(&stored)?)?;
            if self
                .store
                .replace_second_factor_secret(tenant, user, &stored, &sealed)
                .await?
            {
                done += 1;
            }
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(spec: &str) -> SecretKeys {
        SecretKeys::parse(spec).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn values_round_trip_and_never_show_the_clear_text() {
        let spec = SecretKeys::generate("k1");
        let ring = keys(&spec);
        let sealed = ring.encrypt("s3cret pässword").unwrap_or_default();
        assert!(sealed.starts_with("v1:k1:"), "{sealed}");
        assert!(!sealed.contains("s3cret"));
        assert_eq!(ring.decrypt(&sealed), Ok("s3cret pässword".to_owned()));
        assert_ne!(
            ring.encrypt("s3cret pässword").unwrap_or_default(),
            sealed,
            "a fresh nonce each time"
        );
        assert!(!format!("{ring:?}").contains(spec.split_once('=').map_or("", |(_, k)| k)));
    }

    #[test]
    fn a_rotated_ring_reads_old_values_and_writes_with_the_new_key() {
        let old = SecretKeys::generate("k1");
        let sealed = keys(&old).encrypt("pw").unwrap_or_default();
        let rotated = keys(&format!("{},{old}", SecretKeys::generate("k2")));
        assert_eq!(rotated.decrypt(&sealed), Ok("pw".to_owned()));
        assert!(
            rotated
                .encrypt("pw")
                .unwrap_or_default()
                .starts_with("v1:k2:")
        );
        let new_only = keys(&SecretKeys::generate("k2"));
        assert_eq!(
            new_only.decrypt(&sealed),
            Err(SecretError::UnknownKey("k1".to_owned()))
        );
        let impostor = keys(&SecretKeys::generate("k1"));
        assert_eq!(
            impostor.decrypt(&sealed),
            Err(SecretError::Undecryptable("k1".to_owned()))
        );
        let mut tampered = sealed.clone();
        tampered.replace_range(sealed.len() - 3..sealed.len() - 2, "A");
        assert!(keys(&old).decrypt(&tampered).is_err() || tampered == sealed);
    }

    #[test]
    fn bad_key_specs_are_sentences_without_the_key() {
        for (spec, says) in [
            ("", "no key"),
            ("k1", "id=base64key"),
            ("bad id=AAAA", "its id"),
            ("k1=not base64!", "not valid base64"),
            ("k1=AAAA", "must be 32 bytes"),
        ] {
            let err = SecretKeys::parse(spec).unwrap_err();
            assert!(err.contains(says), "{spec:?}: {err}");
        }
        let one = SecretKeys::generate("k1");
        assert!(
            SecretKeys::parse(&format!("{one},{one}"))
                .unwrap_err()
                .contains("twice")
        );
    }
}
