//! The second step of signing in: after the right password, a challenge instead of a session
//! for a person who has an authenticator (or must enrol one); the session starts when a code
//! confirms. A challenge is 256 random bits, kept as its SHA-256, works for ten minutes and
//! once.

use spoc_store::{ChallengePurpose, ChallengeRecord, UserRecord};

use super::TotpEnrolment;
use crate::auth::{NewSession, random_hex, sha256_hex};
use crate::{App, AppError};
use spoc_domain::Timestamp;

/// How long a sign-in challenge works.
const CHALLENGE_LIFETIME_MICROS: i64 = 10 * 60 * 1_000_000;

/// A sign-in that waits for its second factor.
#[derive(Clone, Debug)]
pub struct Challenge {
    /// The secret to send back with the code.
    pub secret: String,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// What the right password leads to.
#[derive(Clone, Debug)]
pub enum SignIn {
    /// Signed in.
    Session(NewSession),
    /// A code from the authenticator (or a recovery code) is needed:
    /// [`App::sign_in_second_factor`].
    SecondFactor(Challenge),
    /// The desk requires two-factor sign-in for the person's role and they have no
    /// authenticator: they enrol one first ([`App::start_enrolment_at_sign_in`]).
    Enrolment(Challenge),
}

impl SignIn {
    /// The session, if signing in is complete (callers that cannot do a second step).
    pub fn session(self) -> Option<NewSession> {
        match self {
            Self::Session(session) => Some(session),
            Self::SecondFactor(_) | Self::Enrolment(_) => None,
        }
    }
}

impl App {
    /// What follows the right password for `user`: a session, or a challenge.
    pub(crate) async fn after_password(
        &self,
        user: UserRecord,
        browser: Option<&str>,
    ) -> Result<SignIn, AppError> {
        let enabled = self
            .store
            .second_factor(user.tenant_id, user.id)
            .await?
            .is_some_and(|s| s.confirmed_at.is_some());
        let purpose = if enabled {
            ChallengePurpose::Verify
        } else if self
            .current_two_factor_policy(user.tenant_id)
            .await?
            .requires(user.role)
        {
            ChallengePurpose::Enrol
        } else {
            return Ok(SignIn::Session(self.open_session(user, browser).await?));
        };
        let secret = random_hex(32);
        let now = self.now();
        let expires_at = now.plus_micros(CHALLENGE_LIFETIME_MICROS);
        self.store
            .create_sign_in_challenge(
                &sha256_hex(&secret),
                (user.tenant_id, user.id),
                purpose,
                (now, expires_at),
            )
            .await?;
        let challenge = Challenge { secret, expires_at };
        Ok(match purpose {
            ChallengePurpose::Verify => SignIn::SecondFactor(challenge),
            ChallengePurpose::Enrol => SignIn::Enrolment(challenge),
        })
    }

    /// The live challenge `secret` for `purpose` and its active person; an unknown, expired or
    /// used one is [`AppError::Unauthenticated`] (sign in again).
    async fn challenged(
        &self,
        secret: &str,
        purpose: ChallengePurpose,
    ) -> Result<(ChallengeRecord, UserRecord), AppError> {
        if secret.len() != 64 {
            return Err(AppError::Unauthenticated);
        }
        let challenge = self
            .store
            .find_sign_in_challenge(&sha256_hex(secret))
            .await?
            .filter(|c| c.purpose == purpose && c.expires_at > self.now())
            .ok_or(AppError::Unauthenticated)?;
        let user = self
            .store
            .get_user(challenge.tenant_id, challenge.user_id)
            .await
            .map_err(|_| AppError::Unauthenticated)?;
        if !user.active {
            return Err(AppError::Unauthenticated);
        }
        Ok((challenge, user))
    }

    /// Uses up the challenge and opens the session.
    async fn complete(
        &self,
        secret: &str,
        user: UserRecord,
        browser: Option<&str>,
    ) -> Result<NewSession, AppError> {
        if !self
            .store
            .delete_sign_in_challenge(&sha256_hex(secret))
            .await?
        {
            return Err(AppError::Unauthenticated);
        }
        self.throttle.record_success(&user.email);
        self.open_session(user, browser).await
    }

    /// The second step of signing in: the challenge of [`SignIn::SecondFactor`] and a current
    /// code from the authenticator, or an unused recovery code. A wrong code is a validation
    /// error on `code` (the challenge stays, to try again) and counts against the sign-in limits
    /// of the account and `client`; an unknown, expired or used challenge is
    /// [`AppError::Unauthenticated`].
    pub async fn sign_in_second_factor(
        &self,
        challenge: &str,
        code: &str,
        client: Option<std::net::IpAddr>,
        browser: Option<&str>,
    ) -> Result<NewSession, AppError> {
        let (_, user) = self.challenged(challenge, ChallengePurpose::Verify).await?;
        self.claim(&user, client, async {
            Ok(self.accept_code(&user, code).await?.then_some(()))
        })
        .await?;
        self.complete(challenge, user, browser).await
    }

    /// Enrolling at sign-in, with the challenge of [`SignIn::Enrolment`]: a new secret for the
    /// person's authenticator app (a new one each time this is asked).
    pub async fn start_enrolment_at_sign_in(
        &self,
        challenge: &str,
    ) -> Result<TotpEnrolment, AppError> {
        let (_, user) = self.challenged(challenge, ChallengePurpose::Enrol).await?;
        self.start_enrolment(&user).await
    }

    /// Finishes enrolling at sign-in with a code from the new authenticator: the session, and
    /// the recovery codes to show this once.
    pub async fn finish_enrolment_at_sign_in(
        &self,
        challenge: &str,
        code: &str,
        client: Option<std::net::IpAddr>,
        browser: Option<&str>,
    ) -> Result<(NewSession, Vec<String>), AppError> {
        let (_, user) = self.challenged(challenge, ChallengePurpose::Enrol).await?;
        let codes = self.confirm_enrolment(&user, code, client).await?;
        Ok((self.complete(challenge, user, browser).await?, codes))
    }
}
