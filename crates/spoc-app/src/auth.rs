//! Who is asking: API tokens (random, stored as SHA-256 so checking one costs microseconds),
//! passwords (argon2) and browser sessions (random id stored hashed, bound to a CSRF token).

use crate::FromRecord;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use password_hash::rand_core::{OsRng, RngCore};
use spoc_domain::access::{Actor, Principal};
use spoc_domain::credential::{Access, Credential, Resource, TokenOrigin, TokenScope};
use spoc_domain::text::{Email, Label};
use spoc_domain::{TenantId, Timestamp, TokenId, UserId};
use spoc_store::{NewToken, TokenRecord, UserRecord};

use crate::directory::Person;
use crate::error::not_found;
use crate::{App, AppError, SESSION_LIFETIME_MICROS};

/// The prefix of every API token, so leaked tokens are easy to recognise and scan for.
const TOKEN_PREFIX: &str = "spoc_";

/// Tokens are touched at most this often, so reads do not turn into writes.
const TOKEN_TOUCH_INTERVAL_MICROS: i64 = 60 * 1_000_000;

/// An API token as its owner sees it: what it is called and may do, never its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiToken {
    /// Id.
    pub id: TokenId,
    /// Owner.
    pub user_id: UserId,
    /// Free label.
    pub label: String,
    /// When created.
    pub created_at: Timestamp,
    /// Last authenticated request (updated at most once a minute).
    pub last_used_at: Option<Timestamp>,
    /// When revoked.
    pub revoked_at: Option<Timestamp>,
    /// When it stops working by itself, if ever.
    pub expires_at: Option<Timestamp>,
    /// What it may do.
    pub scope: TokenScope,
    /// Where it was created.
    pub origin: TokenOrigin,
}

impl FromRecord<TokenRecord> for ApiToken {
    fn from_record(r: TokenRecord) -> Self {
        Self {
            id: r.id,
            user_id: r.user_id,
            label: r.label,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
            expires_at: r.expires_at,
            scope: r.scope,
            origin: r.origin,
        }
    }
}

/// A new API token: the secret is shown once and never stored.
#[derive(Clone, Debug)]
pub struct IssuedToken {
    /// The token.
    pub token: ApiToken,
    /// The secret to send as `Authorization: Bearer …`.
    pub secret: String,
}

/// The longest a token may be issued for: ten years.
pub const MAX_TOKEN_DAYS: i64 = 3650;

/// What a new API token should be.
#[derive(Clone, Debug, Default)]
pub struct TokenRequest {
    /// A label to recognise it by.
    pub label: String,
    /// When it stops working (at most ten years ahead).
    pub expires_at: Option<Timestamp>,
    /// Or: after this many days (1–3,650).
    pub expires_in_days: Option<i64>,
    /// What it may do.
    pub scope: TokenScope,
}

impl TokenRequest {
    /// A token with full scope and no expiry.
    pub fn labelled(label: &str) -> Self {
        Self {
            label: label.to_owned(),
            ..Self::default()
        }
    }

    /// When the token expires, from `expires_at` or `expires_in_days` (not both).
    pub fn expires_at(&self, now: Timestamp) -> Result<Option<Timestamp>, AppError> {
        const DAY: i64 = 86_400_000_000;
        let latest = now.plus_micros(MAX_TOKEN_DAYS * DAY);
        match (self.expires_at, self.expires_in_days) {
            (Some(_), Some(_)) => Err(spoc_domain::ValidationError::new(
                "expires_in_days",
                "give either expires_at or expires_in_days, not both",
            )
            .into()),
            (Some(at), None) if at <= now => {
                Err(spoc_domain::ValidationError::new("expires_at", "must be in the future").into())
            }
            (Some(at), None) if at > latest => Err(spoc_domain::ValidationError::new(
                "expires_at",
                "must be at most ten years ahead",
            )
            .into()),
            (Some(at), None) => Ok(Some(at)),
            (None, Some(days)) if !(1..=MAX_TOKEN_DAYS).contains(&days) => {
                Err(spoc_domain::ValidationError::new(
                    "expires_in_days",
                    format!("must be 1 to {MAX_TOKEN_DAYS} days"),
                )
                .into())
            }
            (None, Some(days)) => Ok(Some(now.plus_micros(days * DAY))),
            (None, None) => Ok(None),
        }
    }
}

/// Refuses a use case that the actor's credential does not allow: an API token whose scope is
/// read-only (for `Access::Write`) or lacks `resource` (`None`: the actor's own account and
/// directory look-ups, which any resource set reaches). Every use case that takes an actor
/// calls this first (a test below checks).
pub(crate) fn permit(
    actor: &Actor,
    resource: Option<Resource>,
    access: Access,
) -> Result<(), AppError> {
    Ok(actor.credential.permits(resource, access)?)
}

/// A new browser session.
#[derive(Clone, Debug)]
pub struct NewSession {
    /// The session id for the cookie. Only its hash is stored.
    pub secret: String,
    /// The CSRF token every state-changing request of this session must carry.
    pub csrf_token: String,
    /// Who signed in.
    pub user: Person,
    /// When the session ends.
    pub expires_at: Timestamp,
}

/// A session's actor and its CSRF token.
#[derive(Clone, Debug)]
pub struct SessionActor {
    /// Who.
    pub actor: Actor,
    /// The token state-changing requests must echo.
    pub csrf_token: String,
}

pub(crate) fn random_hex(n_bytes: usize) -> String {
    let mut bytes = vec![0u8; n_bytes];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The longest User-Agent kept with a session, in characters.
const DEVICE_MAX_CHARS: usize = 200;

/// A User-Agent as kept with a session, so people can tell their sessions apart: without
/// control characters, trimmed, at most [`DEVICE_MAX_CHARS`] characters; none when empty.
pub(crate) fn device_name(user_agent: Option<&str>) -> Option<String> {
    let cleaned: String = user_agent?
        .chars()
        .filter(|c| !c.is_control())
        .take(DEVICE_MAX_CHARS)
        .collect();
    let cleaned = cleaned.trim();
    (!cleaned.is_empty()).then(|| cleaned.to_owned())
}

pub(crate) fn sha256_hex(value: &str) -> String {
    spoc_store::sha256_hex(value.as_bytes())
}

/// A random secret of 128 bits from the operating system's generator, as 32 hex digits (for
/// one-off tokens such as the sign-in form's CSRF token).
pub fn random_secret() -> String {
    random_hex(16)
}

/// A random password of 20 characters from an unambiguous alphabet (about 110 bits).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

/// Hashes a password with argon2id on a blocking thread.
pub(crate) async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|_| AppError::Forbidden("the password could not be hashed".to_owned()))
    })
    .await
    .map_err(|_| AppError::Forbidden("the password could not be hashed".to_owned()))?
}

/// Checks a password against a PHC hash on a blocking thread. With no hash, a dummy hash is
/// checked instead, so that the time taken does not reveal whether an account exists.
async fn verify_password(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let real = hash.is_some();
        let hash = hash.unwrap_or_else(|| {
            DUMMY
                .get_or_init(|| {
                    let salt = SaltString::generate(&mut OsRng);
                    Argon2::default()
                        .hash_password(random_hex(16).as_bytes(), &salt)
                        .map(|h| h.to_string())
                        .unwrap_or_default()
                })
                .clone()
        });
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && real
    })
    .await
    .unwrap_or(false)
}

/// Checks a password's length: 10 to 1,000 characters.
pub(crate) fn check_password(password: &str) -> Result<(), AppError> {
    let n_chars = password.chars().count();
    if !(10..=1000).contains(&n_chars) {
        return Err(spoc_domain::ValidationError::new(
            "password",
            "must be 10 to 1,000 characters",
        )
        .into());
    }
    Ok(())
}

impl App {
    /// The actor for a user record: their role, organisation and groups.
    pub(crate) async fn actor_for(&self, user: &UserRecord) -> Result<Actor, AppError> {
        Ok(Actor {
            tenant_id: user.tenant_id,
            principal: Principal::User(user.id),
            role: user.role,
            organization_id: user.organization_id,
            super_user: user.super_user,
            group_ids: self.store.groups_of(user.id).await?,
            credential: Credential::Direct,
        })
    }

    /// The actor behind an API token, or `Unauthenticated` for an unknown, revoked or
    /// malformed token or a deactivated user.
    pub async fn authenticate_token(&self, secret: &str) -> Result<Actor, AppError> {
        if !secret.starts_with(TOKEN_PREFIX) || secret.len() > 200 {
            return Err(AppError::Unauthenticated);
        }
        let now = self.now();
        let Some((token, user)) = self.store.find_token(&sha256_hex(secret), now).await? else {
            return Err(AppError::Unauthenticated);
        };
        let stale = token
            .last_used_at
            .is_none_or(|at| now.as_micros() - at.as_micros() > TOKEN_TOUCH_INTERVAL_MICROS);
        if stale {
            self.store.touch_token(token.id, now).await?;
        }
        let mut actor = self.actor_for(&user).await?;
        actor.credential = Credential::Token {
            id: token.id,
            scope: token.scope,
        };
        Ok(actor)
    }

    /// The actor of the active user with `email` (the admin CLI acts as that person).
    pub async fn actor_for_email(&self, tenant: TenantId, email: &str) -> Result<Actor, AppError> {
        let email = Email::parse(email)?;
        match self
            .store
            .find_user_by_email(tenant, email.as_str())
            .await?
        {
            Some(user) if user.active => self.actor_for(&user).await,
            _ => Err(AppError::NotFound { what: "user" }),
        }
    }

    /// Issues a new API token for the user with `email` (admin CLI, bootstrap).
    pub async fn issue_token_for_email(
        &self,
        tenant: TenantId,
        email: &str,
        request: &TokenRequest,
    ) -> Result<IssuedToken, AppError> {
        let email = Email::parse(email)?;
        let user = self
            .store
            .find_user_by_email(tenant, email.as_str())
            .await?
            .ok_or(AppError::NotFound { what: "user" })?;
        let issued = self.issue(user.id, request, TokenOrigin::Cli).await?;
        // The operator's CLI acts with the set-up's authority over the data directory.
        self.audit_in(
            tenant,
            spoc_domain::access::Principal::System(spoc_domain::access::SystemActor::Bootstrap),
            spoc_domain::audit::AuditAction::TokenIssuedForOther {
                token: issued.token.id,
            },
            spoc_domain::audit::AuditTarget::User(user.id),
        )
        .await?;
        Ok(issued)
    }

    /// Issues a new API token with full scope and no expiry for `user` (tests, bootstrap).
    pub async fn issue_token(&self, user: UserId, label: &str) -> Result<IssuedToken, AppError> {
        self.issue(user, &TokenRequest::labelled(label), TokenOrigin::Cli)
            .await
    }

    async fn issue(
        &self,
        user: UserId,
        request: &TokenRequest,
        origin: TokenOrigin,
    ) -> Result<IssuedToken, AppError> {
        let label = Label::parse(&request.label)?;
        let now = self.now();
        let expires_at = request.expires_at(now)?;
        let secret = format!("{TOKEN_PREFIX}{}", random_hex(32));
        let token = self
            .store
            .create_token(&NewToken {
                user,
                label: label.as_str(),
                token_hash: &sha256_hex(&secret),
                now,
                expires_at,
                scope: request.scope.clone(),
                origin,
            })
            .await?;
        Ok(IssuedToken {
            token: ApiToken::from_record(token),
            secret,
        })
    }

    /// Issues a token for the actor themself. Only a person who has just proved who they are
    /// may: with `current_password`, or in a session signed in within the last ten minutes. A
    /// request made with an API token never may, so a token cannot outlive itself.
    pub async fn create_own_token(
        &self,
        actor: &Actor,
        request: &TokenRequest,
        current_password: Option<&str>,
    ) -> Result<IssuedToken, AppError> {
        permit(actor, None, Access::Write)?;
        if actor.credential.is_token() {
            return Err(AppError::Forbidden(
                "an API token cannot create API tokens; sign in with your password to create one"
                    .to_owned(),
            ));
        }
        Label::parse(&request.label)?;
        request.expires_at(self.now())?;
        self.reauthenticate(actor, current_password).await?;
        let origin = match actor.credential {
            Credential::Session { .. } => TokenOrigin::Session,
            Credential::Direct | Credential::Token { .. } => TokenOrigin::Cli,
        };
        self.issue(actor.person()?, request, origin).await
    }

    /// Signs the actor out of every browser session; with `revoke_browser_tokens`, also revokes
    /// every API token they created from a browser session. Returns how many tokens were revoked.
    pub async fn sign_out_everywhere(
        &self,
        actor: &Actor,
        revoke_browser_tokens: bool,
    ) -> Result<u64, AppError> {
        permit(actor, None, Access::Write)?;
        let me = actor.person()?;
        let revoked = if revoke_browser_tokens {
            self.store
                .revoke_session_tokens(actor.tenant_id, me, self.now())
                .await?
        } else {
            0
        };
        self.store.delete_sessions_of(actor.tenant_id, me).await?;
        Ok(revoked)
    }

    /// Checks that the actor has just proved who they are: `current_password` is their
    /// password, or (without one) their session signed in within the re-authentication window.
    /// Wrong passwords count towards the sign-in limit of the account.
    pub(crate) async fn reauthenticate(
        &self,
        actor: &Actor,
        current_password: Option<&str>,
    ) -> Result<(), AppError> {
        let now = self.now();
        let Some(password) = current_password.filter(|p| !p.is_empty()) else {
            if actor.credential.recently_signed_in(now) {
                return Ok(());
            }
            return Err(AppError::ReauthenticationRequired(
                "confirm it is you: enter your current password (you signed in more than 10 \
                 minutes ago)"
                    .to_owned(),
            ));
        };
        let user = self
            .store
            .get_user(actor.tenant_id, actor.person()?)
            .await?;
        if let Err(retry_after_secs) = self.throttle.check(&user.email, None, now) {
            return Err(AppError::TooManyAttempts { retry_after_secs });
        }
        let hash = self.store.password_hash(actor.tenant_id, user.id).await?;
        if verify_password(password.to_owned(), hash).await {
            Ok(())
        } else {
            self.throttle.record_failure(&user.email, None, now);
            Err(AppError::ReauthenticationRequired(
                "that is not your current password".to_owned(),
            ))
        }
    }

    /// Changes the actor's own password, after re-authentication (see
    /// [`App::create_own_token`]). Every other session of theirs ends; `this` (the session
    /// making the request) stays signed in.
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        this: crate::ThisSession<'_>,
        current_password: Option<&str>,
        new_password: &str,
    ) -> Result<(), AppError> {
        permit(actor, None, Access::Write)?;
        check_password(new_password)?;
        self.reauthenticate(actor, current_password).await?;
        let hash = hash_password(new_password.to_owned()).await?;
        let keep = self.session_hash(actor, this).await?;
        self.store
            .set_password_keeping_session(actor.tenant_id, actor.person()?, &hash, keep.as_deref())
            .await
            .map_err(not_found("user"))?;
        Ok(())
    }

    /// The actor's tokens.
    pub async fn list_own_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>, AppError> {
        permit(actor, None, Access::Read)?;
        Ok(crate::converted(
            self.store
                .list_tokens(actor.tenant_id, actor.person()?)
                .await?,
        ))
    }

    /// Revokes one of the actor's tokens.
    pub async fn revoke_own_token(&self, actor: &Actor, token_id: TokenId) -> Result<(), AppError> {
        permit(actor, None, Access::Write)?;
        self.store
            .revoke_token(actor.tenant_id, actor.person()?, token_id, self.now())
            .await
            .map_err(not_found("token"))
    }

    /// Signs in with e-mail and password. A wrong password and an unknown or deactivated
    /// account give the same error, after the same work. A person with two-factor sign-in (or
    /// whose role requires it) gets a challenge instead of a session (see `second_factor`).
    ///
    /// Failed attempts are counted per account and per `client` address; while either is over
    /// its limit every attempt is refused with [`AppError::TooManyAttempts`], without checking
    /// the password. `browser` is the client's User-Agent, kept (shortened) so the person can
    /// tell their sessions apart.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
        browser: Option<&str>,
    ) -> Result<crate::SignIn, AppError> {
        self.login_to(None, email, password, client, browser).await
    }

    /// Signs in as [`App::login`] does, looking the e-mail up only in `tenant` when the visit
    /// named one (by host name or `/t/{slug}`, see [`App::visited_tenant`]). People of a
    /// deactivated tenant cannot sign in.
    pub async fn login_to(
        &self,
        tenant: Option<TenantId>,
        email: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
        browser: Option<&str>,
    ) -> Result<crate::SignIn, AppError> {
        if let Err(retry_after_secs) = self.throttle.check(email, client, self.now()) {
            return Err(AppError::TooManyAttempts { retry_after_secs });
        }
        // Without a tenant named by the visit, signing in comes before any tenant is known:
        // the address may name a person in more than one tenant, and the password decides
        // which (the oldest tenant first).
        let mut candidates: Vec<UserRecord> = match Email::parse(email) {
            Ok(email) => match tenant {
                Some(tenant) => self
                    .store
                    .find_user_by_email(tenant, email.as_str())
                    .await?
                    .into_iter()
                    .collect(),
                None => {
                    self.store
                        .find_users_by_email_all_tenants(email.as_str())
                        .await?
                }
            },
            Err(_) => Vec::new(),
        };
        candidates.retain(|u| u.active);
        let mut open = Vec::with_capacity(candidates.len());
        for user in candidates {
            if user.tenant_id == TenantId::FIRST || self.tenant_active(user.tenant_id).await? {
                open.push(user);
            }
        }
        let candidates = open;
        let mut signed_in = None;
        if candidates.is_empty() {
            // As long as a real check, so the time taken does not reveal the account.
            verify_password(password.to_owned(), None).await;
        }
        for user in candidates {
            let hash = self.store.password_hash(user.tenant_id, user.id).await?;
            if verify_password(password.to_owned(), hash).await {
                signed_in = Some(user);
                break;
            }
        }
        if signed_in.is_none() {
            // People an LDAP directory provides sign in by binding as themselves.
            signed_in = self.directory_sign_in(tenant, email, password).await?;
        }
        let Some(user) = signed_in else {
            self.throttle.record_failure(email, client, self.now());
            return Err(AppError::Unauthenticated);
        };
        // A second factor, when the person has one or their role requires one; the account's
        // failures are forgiven only once signing in is complete.
        let signed_in = self.after_password(user, browser).await?;
        if matches!(signed_in, crate::SignIn::Session(_)) {
            self.throttle.record_success(email);
        }
        Ok(signed_in)
    }

    /// Opens a browser session for `user`, who has proved who they are.
    pub(crate) async fn open_session(
        &self,
        user: UserRecord,
        browser: Option<&str>,
    ) -> Result<NewSession, AppError> {
        let secret = random_hex(32);
        let csrf_token = random_hex(32);
        let now = self.now();
        let expires_at = now.plus_micros(SESSION_LIFETIME_MICROS);
        self.store
            .create_session(
                &sha256_hex(&secret),
                user.id,
                &csrf_token,
                (now, expires_at),
                device_name(browser).as_deref(),
            )
            .await?;
        Ok(NewSession {
            secret,
            csrf_token,
            user: Person::from_record(user),
            expires_at,
        })
    }

    /// The actor of a live session.
    pub async fn authenticate_session(&self, secret: &str) -> Result<SessionActor, AppError> {
        if secret.len() != 64 {
            return Err(AppError::Unauthenticated);
        }
        let hash = sha256_hex(secret);
        let session = self
            .store
            .find_session(&hash)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if session.expires_at <= self.now() {
            self.store.delete_session(&hash).await?;
            return Err(AppError::Unauthenticated);
        }
        let user = self
            .store
            .get_user(session.tenant_id, session.user_id)
            .await
            .map_err(|_| AppError::Unauthenticated)?;
        if !user.active {
            return Err(AppError::Unauthenticated);
        }
        let mut actor = self.actor_for(&user).await?;
        actor.credential = Credential::Session {
            signed_in_at: session.created_at,
        };
        Ok(SessionActor {
            actor,
            csrf_token: session.csrf_token,
        })
    }

    /// Ends a session.
    pub async fn logout(&self, secret: &str) -> Result<(), AppError> {
        Ok(self.store.delete_session(&sha256_hex(secret)).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_kept_short_and_clean() {
        assert_eq!(device_name(None), None);
        assert_eq!(device_name(Some("  ")), None);
        assert_eq!(
            device_name(Some("Mozilla/5.0\r\n(X11)")).as_deref(),
            Some("Mozilla/5.0(X11)")
        );
        assert_eq!(
            device_name(Some(&"x".repeat(500))).map(|d| d.len()),
            Some(DEVICE_MAX_CHARS)
        );
    }

    #[test]
    fn secrets_are_random_and_hashes_stable() {
        assert_ne!(random_hex(32), random_hex(32));
        assert_eq!(random_hex(32).len(), 64);
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let password = generate_password();
        assert_eq!(password.chars().count(), 20);
        assert_ne!(password, generate_password());
    }

    /// Every use case that takes an actor checks the actor's credential first, so a narrowed
    /// API token cannot reach anything by a path that forgot to ask.
    #[test]
    fn every_use_case_with_an_actor_checks_its_scope() {
        // Every source file of the crate, so a new file of use cases is checked without being
        // listed.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut sources = Vec::new();
        crate::tests::sources(&root, &root, &mut sources);
        // Not use cases: what a view offers, which live signals a listener hears, and the audit
        // log's entry point (called by use cases after their own check).
        let exempt = ["offered", "visible_to", "audit"];
        let mut checked = 0;
        let mut missing = Vec::new();
        for (file, source) in &sources {
            for (i, _) in source.match_indices("\n    pub ") {
                let rest = &source[i + 1..];
                let Some(fn_at) = rest.find("fn ") else {
                    continue;
                };
                let Some(open) = rest.find(") -> ").or_else(|| rest.find(") {")) else {
                    continue;
                };
                if fn_at > open || rest[..fn_at].contains('\n') {
                    continue;
                }
                let name: String = rest[fn_at + 3..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let signature = &rest[..open];
                if !signature.contains("Actor") || exempt.contains(&name.as_str()) {
                    continue;
                }
                let body_start = rest[open..].find("{\n").map_or(0, |b| open + b);
                let first_lines: String = rest[body_start..].lines().take(4).collect();
                checked += 1;
                if !first_lines.contains("permit(") {
                    missing.push(format!("{file}: {name}"));
                }
            }
        }
        assert!(
            checked > 80,
            "found only {checked} use cases; is the scan broken?"
        );
        assert!(
            missing.is_empty(),
            "use cases without a scope check: {missing:?}"
        );
    }

    #[tokio::test]
    async fn passwords_verify() {
        let hash = hash_password("correct horse battery".to_owned())
            .await
            .unwrap();
        assert!(verify_password("correct horse battery".to_owned(), Some(hash.clone())).await);
        assert!(!verify_password("wrong horse battery".to_owned(), Some(hash)).await);
        assert!(!verify_password("anything at all".to_owned(), None).await);
    }
}
