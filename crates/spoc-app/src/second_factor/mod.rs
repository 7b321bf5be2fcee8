//! Two-factor sign-in with TOTP (RFC 6238) and recovery codes.
//!
//! A person enrols an authenticator app: [`App::start_totp`] makes a secret (20 random bytes,
//! kept encrypted with the app's secret keys) and the `otpauth://` URI to scan;
//! [`App::confirm_totp`] switches it on with a code from the app and returns ten recovery codes,
//! shown that once (only their SHA-256 is kept; each works once). Turning it off or making new
//! recovery codes needs a current code or the password.
//!
//! Signing in: after the right password, a person with an authenticator gets a short-lived
//! challenge instead of a session ([`SignIn::SecondFactor`]); the session is made by
//! [`App::sign_in_second_factor`] with the challenge and a code (or a recovery code). A code of
//! a time step already used is refused (replay). Wrong codes count against the sign-in limits of
//! the account and the client address, as wrong passwords do.
//!
//! Required per role: admins may require two-factor sign-in for customers, agents, leads or
//! admins ([`TwoFactorPolicy`]). A person in such a role without an authenticator gets
//! [`SignIn::Enrolment`] after the password: still no session, only a challenge with which they
//! enrol ([`App::start_enrolment_at_sign_in`], [`App::finish_enrolment_at_sign_in`]); the
//! session starts when the code confirms. The rule is applied when signing in; API tokens are
//! credentials of their own and keep working.

mod sign_in;
pub mod totp;

use password_hash::rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp, UserId};
use spoc_store::{StoreError, UserRecord};

use crate::auth::{permit, sha256_hex};
use crate::{App, AppError, ThisSession};

pub use sign_in::{Challenge, SignIn};

/// How many recovery codes a person gets.
pub const RECOVERY_CODES: usize = 10;
/// The settings key of the policy.
const POLICY_KEY: &str = "two_factor";
/// The issuer name authenticator apps show.
const ISSUER: &str = "Spoc";

/// Whether a person has two-factor sign-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotpStatus {
    /// Whether an authenticator is confirmed: sign-in asks for a code.
    pub enabled: bool,
    /// Whether an enrolment was started and waits for its first code.
    pub pending: bool,
    /// When it was confirmed.
    pub confirmed_at: Option<Timestamp>,
    /// How many recovery codes are unused.
    pub recovery_codes_left: i64,
    /// Whether the desk requires it for the person's role.
    pub required: bool,
}

/// A secret to put into an authenticator app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotpEnrolment {
    /// The secret in base32, to type in.
    pub secret: String,
    /// The `otpauth://` URI, to scan as a QR code.
    pub uri: String,
}

/// What proves it is the person, for turning two-factor sign-in off or making new recovery
/// codes: a current code (or a recovery code), or the password.
#[derive(Clone, Copy, Debug, Default)]
pub struct Proof<'a> {
    /// A code from the authenticator, or a recovery code.
    pub code: Option<&'a str>,
    /// The person's password.
    pub password: Option<&'a str>,
}

/// The longest code anyone types: authenticator codes have 6 digits, recovery codes fewer
/// than 30 characters.
pub const MAX_CODE_CHARS: usize = 64;

impl Proof<'_> {
    /// Refuses a code longer than [`MAX_CODE_CHARS`], even where no proof is needed (two-factor
    /// sign-in already off), so a request is refused the same way whatever the state.
    pub fn checked(self) -> Result<Self, spoc_domain::ValidationError> {
        if self
            .code
            .is_some_and(|code| code.chars().count() > MAX_CODE_CHARS)
        {
            return Err(spoc_domain::ValidationError::new(
                "code",
                "must be at most 64 characters",
            ));
        }
        Ok(self)
    }
}

/// For which roles the desk requires two-factor sign-in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorPolicy {
    /// The roles that must sign in with a second factor.
    pub required_for: Vec<Role>,
}

impl TwoFactorPolicy {
    /// Whether `role` must sign in with a second factor.
    pub fn requires(&self, role: Role) -> bool {
        self.required_for.contains(&role)
    }
}

/// A fresh recovery code: 16 characters of base32 (80 bits) in groups of four.
fn new_recovery_code() -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % 32]))
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The stored hash of a recovery code of `user`: case, spaces and dashes do not matter.
fn recovery_hash(user: UserId, code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    sha256_hex(&format!("{}:{normal}", user.get()))
}

/// New recovery codes and their hashes.
fn recovery_codes(user: UserId) -> (Vec<String>, Vec<String>) {
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let hashes = codes.iter().map(|c| recovery_hash(user, c)).collect();
    (codes, hashes)
}

fn corrupt(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(StoreError::Corrupt(e.to_string()))
}

fn wrong_code() -> AppError {
    spoc_domain::ValidationError::new(
        "code",
        "is not right, or was used already; enter the current code from your authenticator app",
    )
    .into()
}

impl App {
    /// The actor's two-factor sign-in.
    pub async fn totp_status(&self, actor: &Actor) -> Result<TotpStatus, AppError> {
        permit(actor, None, Access::Read)?;
        let me = actor.person()?;
        let state = self.store.second_factor(actor.tenant_id, me).await?;
        let required = self
            .current_two_factor_policy(actor.tenant_id)
            .await?
            .requires(actor.role);
        let confirmed_at = state.as_ref().and_then(|s| s.confirmed_at);
        Ok(TotpStatus {
            enabled: confirmed_at.is_some(),
            pending: state.is_some() && confirmed_at.is_none(),
            confirmed_at,
            recovery_codes_left: if confirmed_at.is_some() {
                self.store.recovery_codes_left(actor.tenant_id, me).await?
            } else {
                0
            },
            required,
        })
    }

    /// Starts enrolling an authenticator for the actor: a new secret, pending until
    /// [`App::confirm_totp`]. Refused while one is confirmed (turn it off first).
    pub async fn start_totp(&self, actor: &Actor) -> Result<TotpEnrolment, AppError> {
        permit(actor, None, Access::Write)?;
        let user = self
            .store
            .get_user(actor.tenant_id, actor.person()?)
            .await?;
        self.start_enrolment(&user).await
    }

    /// Switches the actor's pending authenticator on with a code from it; returns the recovery
    /// codes, shown this once.
    pub async fn confirm_totp(&self, actor: &Actor, code: &str) -> Result<Vec<String>, AppError> {
        permit(actor, None, Access::Write)?;
        let user = self
            .store
            .get_user(actor.tenant_id, actor.person()?)
            .await?;
        self.confirm_enrolment(&user, code, None).await
    }

    /// Turns the actor's two-factor sign-in off, with a current code or their password.
    pub async fn disable_totp(&self, actor: &Actor, proof: Proof<'_>) -> Result<(), AppError> {
        permit(actor, None, Access::Write)?;
        let proof = proof.checked()?;
        let me = actor.person()?;
        let state = self.store.second_factor(actor.tenant_id, me).await?;
        if state.as_ref().is_some_and(|s| s.confirmed_at.is_some()) {
            self.prove(actor, proof).await?;
        }
        if !self.store.delete_second_factor(actor.tenant_id, me).await? {
            return Err(AppError::NotFound {
                what: "authenticator",
            });
        }
        Ok(())
    }

    /// Replaces the actor's recovery codes with ten new ones (shown this once), with a current
    /// code or their password.
    pub async fn regenerate_recovery_codes(
        &self,
        actor: &Actor,
        proof: Proof<'_>,
    ) -> Result<Vec<String>, AppError> {
        permit(actor, None, Access::Write)?;
        let proof = proof.checked()?;
        let me = actor.person()?;
        let enabled = self
            .store
            .second_factor(actor.tenant_id, me)
            .await?
            .is_some_and(|s| s.confirmed_at.is_some());
        if !enabled {
            return Err(AppError::Conflict(
                "two-factor sign-in is off; recovery codes come with turning it on".to_owned(),
            ));
        }
        self.prove(actor, proof).await?;
        let (codes, hashes) = recovery_codes(me);
        self.store
            .replace_recovery_codes(actor.tenant_id, me, &hashes, self.now())
            .await?;
        Ok(codes)
    }

    /// For which roles the desk requires two-factor sign-in (admins).
    pub async fn two_factor_policy(&self, actor: &Actor) -> Result<TwoFactorPolicy, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        self.current_two_factor_policy(actor.tenant_id).await
    }

    /// Sets for which roles the desk requires two-factor sign-in (admins). Applies from the
    /// next sign-in.
    pub async fn set_two_factor_policy(
        &self,
        actor: &Actor,
        policy: TwoFactorPolicy,
    ) -> Result<TwoFactorPolicy, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let mut roles: Vec<Role> = Vec::new();
        for role in Role::ALL {
            if policy.required_for.contains(&role) {
                roles.push(role);
            }
        }
        let policy = TwoFactorPolicy {
            required_for: roles,
        };
        let json = serde_json::to_string(&policy).map_err(corrupt)?;
        let note = self.audit_note(
            actor,
            spoc_domain::audit::AuditAction::SettingChanged { key: POLICY_KEY },
            spoc_domain::audit::AuditTarget::Settings,
        );
        self.store
            .put_setting_audited(actor.tenant_id, (POLICY_KEY, &json), &[note])
            .await?;
        Ok(policy)
    }

    pub(crate) async fn current_two_factor_policy(
        &self,
        tenant: TenantId,
    ) -> Result<TwoFactorPolicy, AppError> {
        match self.store.get_setting(tenant, POLICY_KEY).await? {
            Some(json) => serde_json::from_str(&json).map_err(corrupt),
            None => Ok(TwoFactorPolicy::default()),
        }
    }

    /// The id hash of the session making the request, if it is one.
    pub(crate) async fn session_hash(
        &self,
        actor: &Actor,
        this: ThisSession<'_>,
    ) -> Result<Option<String>, AppError> {
        Ok(match this {
            ThisSession::Cookie(secret) => Some(sha256_hex(secret)),
            ThisSession::Csrf(token) => self
                .store
                .list_sessions(actor.tenant_id, actor.person()?, self.now())
                .await?
                .into_iter()
                .find(|s| s.csrf_token == token)
                .map(|s| s.id_hash),
            ThisSession::None => None,
        })
    }

    /// A new pending secret for `user`, encrypted at rest.
    async fn start_enrolment(&self, user: &UserRecord) -> Result<TotpEnrolment, AppError> {
        let mut key = [0u8; totp::SECRET_BYTES];
        OsRng.fill_bytes(&mut key);
        let secret = totp::base32_encode(&key);
        let sealed = self.secret_keys()?.encrypt(&secret)?;
        if !self
            .store
            .put_pending_second_factor(user.tenant_id, user.id, &sealed, self.now())
            .await?
        {
            return Err(AppError::Conflict(
                "two-factor sign-in is already on; turn it off first to enrol another authenticator"
                    .to_owned(),
            ));
        }
        Ok(TotpEnrolment {
            uri: totp::otpauth_uri(ISSUER, &user.email, &secret),
            secret,
        })
    }

    /// Confirms `user`'s pending secret with `code`; the recovery codes. Wrong codes count
    /// against the sign-in limits of the account (and of `client`, when signing in).
    async fn confirm_enrolment(
        &self,
        user: &UserRecord,
        code: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<Vec<String>, AppError> {
        let now = self.now();
        let (state, step) = self
            .claim(user, client, async {
                let state = self
                    .store
                    .second_factor(user.tenant_id, user.id)
                    .await?
                    .filter(|s| s.confirmed_at.is_none())
                    .ok_or_else(|| {
                        AppError::Conflict(
                            "no enrolment is waiting for a code; start one first".to_owned(),
                        )
                    })?;
                let key = self.totp_key(&state.secret)?;
                Ok(totp::matching_step(&key, code, self.now_step()).map(|step| (state, step)))
            })
            .await?;
        let (codes, hashes) = recovery_codes(user.id);
        if !self
            .store
            .confirm_second_factor(user.tenant_id, user.id, (&state.secret, step), &hashes, now)
            .await?
        {
            return Err(AppError::Conflict(
                "the enrolment changed meanwhile (started again elsewhere); start once more"
                    .to_owned(),
            ));
        }
        Ok(codes)
    }

    /// The one way a code is claimed for `user` (from `client`, when signing in): refused while
    /// the sign-in limits of the account (and client) hold; then `check` says what the code
    /// opens, and a code that opens nothing (`None`) counts against those limits and is the
    /// validation error on `code`. An error of `check` itself is passed on and not counted.
    async fn claim<T>(
        &self,
        user: &UserRecord,
        client: Option<std::net::IpAddr>,
        check: impl std::future::Future<Output = Result<Option<T>, AppError>>,
    ) -> Result<T, AppError> {
        let now = self.now();
        if let Err(retry_after_secs) = self.throttle.check(&user.email, client, now) {
            return Err(AppError::TooManyAttempts { retry_after_secs });
        }
        match check.await? {
            Some(opened) => Ok(opened),
            None => {
                self.throttle.record_failure(&user.email, client, now);
                Err(wrong_code())
            }
        }
    }

    /// Whether `code` is a current code of `user`'s confirmed authenticator (used up, so it is
    /// not accepted again) or one of their unused recovery codes (used up).
    async fn accept_code(&self, user: &UserRecord, code: &str) -> Result<bool, AppError> {
        let code = code.trim();
        if code.is_empty() || code.chars().count() > MAX_CODE_CHARS {
            return Ok(false);
        }
        if totp::looks_like_code(code) {
            let Some(state) = self
                .store
                .second_factor(user.tenant_id, user.id)
                .await?
                .filter(|s| s.confirmed_at.is_some())
            else {
                return Ok(false);
            };
            let key = self.totp_key(&state.secret)?;
            return match totp::matching_step(&key, code, self.now_step()) {
                Some(step) => Ok(self
                    .store
                    .use_totp_step(user.tenant_id, user.id, step)
                    .await?),
                None => Ok(false),
            };
        }
        Ok(self
            .store
            .use_recovery_code(
                user.tenant_id,
                user.id,
                &recovery_hash(user.id, code),
                self.now(),
            )
            .await?)
    }

    /// Checks the actor's proof: a code (counted against the sign-in limits when wrong) or the
    /// password (see `reauthenticate`). Neither is refused.
    async fn prove(&self, actor: &Actor, proof: Proof<'_>) -> Result<(), AppError> {
        let code = proof.code.filter(|c| !c.trim().is_empty());
        let password = proof.password.filter(|p| !p.is_empty());
        match (code, password) {
            (Some(code), _) => {
                let user = self
                    .store
                    .get_user(actor.tenant_id, actor.person()?)
                    .await?;
                self.claim(&user, None, async {
                    Ok(self.accept_code(&user, code).await?.then_some(()))
                })
                .await
            }
            (None, Some(password)) => self.reauthenticate(actor, Some(password)).await,
            (None, None) => Err(AppError::ReauthenticationRequired(
                "confirm it is you: enter a current code from your authenticator app, or your password"
                    .to_owned(),
            )),
        }
    }

    /// The key bytes of a stored (encrypted) secret.
    fn totp_key(&self, stored: &str) -> Result<Vec<u8>, AppError> {
        let secret = self.reveal(stored)?;
        totp::base32_decode(&secret)
            .ok_or_else(|| corrupt("a stored authenticator secret is not base32"))
    }

    /// The current TOTP time step.
    fn now_step(&self) -> i64 {
        totp::step_of(self.now().as_micros().div_euclid(1_000_000))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_long_random_and_forgiving_to_type() {
        let user = UserId::new(7);
        let (codes, hashes) = recovery_codes(user);
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(codes[0].len(), 19, "{}", codes[0]);
        assert_ne!(codes[0], codes[1]);
        assert_eq!(
            recovery_hash(user, &codes[0].to_uppercase().replace('-', " ")),
            hashes[0]
        );
        assert_ne!(recovery_hash(UserId::new(8), &codes[0]), hashes[0]);
    }

    #[test]
    fn a_proof_s_code_is_bounded() {
        let code = "1".repeat(MAX_CODE_CHARS);
        let proof = Proof {
            code: Some(&code),
            password: None,
        };
        assert!(proof.checked().is_ok());
        let long = "ä".repeat(MAX_CODE_CHARS + 1);
        let proof = Proof {
            code: Some(&long),
            password: None,
        };
        assert_eq!(proof.checked().unwrap_err().field, "code");
        assert!(Proof::default().checked().is_ok());
    }

    #[test]
    fn the_policy_names_roles() {
        let policy = TwoFactorPolicy {
            required_for: vec![Role::Admin],
        };
        assert!(policy.requires(Role::Admin));
        assert!(!policy.requires(Role::Customer));
        assert!(!TwoFactorPolicy::default().requires(Role::Admin));
    }
}
