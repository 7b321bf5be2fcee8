//! Account self-service without a session: a person who forgot their password asks for a reset
//! link by e-mail and sets a new password through it. The link's secret is random (256 bits),
//! only its hash is stored, it works once and for [`RESET_LIFETIME_MICROS`]; setting the new
//! password ends every session of the person. Asking gives the same answer whether or not the
//! address belongs to anyone, and is limited per address and per client like signing in.
//!
//! The link's e-mail is rendered in `mail/account_mail.rs`.

use spoc_domain::UserId;
use spoc_domain::text::Email;
use spoc_store::OutboxMessage;

use crate::auth::{check_password, hash_password, random_hex, sha256_hex};
use crate::mail::{MailJob, PASSWORD_RESET};
use crate::{App, AppError};

/// How long a reset link works.
pub const RESET_LIFETIME_MICROS: i64 = 30 * 60 * 1_000_000;
/// Requests per address, and per client, within [`REQUEST_WINDOW_MICROS`].
const REQUESTS_PER_ADDRESS: usize = 5;
const REQUESTS_PER_CLIENT: usize = 20;
const REQUEST_WINDOW_MICROS: i64 = 15 * 60 * 1_000_000;
/// At most this many links go to one person an hour, whatever node is asked.
const LINKS_PER_HOUR: i64 = 3;
const HOUR_MICROS: i64 = 3600 * 1_000_000;

impl App {
    /// Asks for a password reset link for `email`: each active account with that address gets
    /// one by e-mail (none while mail is off). The answer is the same whether or not such an
    /// account exists; only too many requests are refused ([`AppError::TooManyAttempts`]).
    pub async fn request_password_reset(
        &self,
        email: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<(), AppError> {
        let now = self.now();
        let address_key = format!("reset:{}", email.trim().to_lowercase());
        let client_key = client.map(|ip| format!("reset-ip:{ip}"));
        let limited = self
            .rate
            .check(
                &address_key,
                REQUESTS_PER_ADDRESS,
                REQUEST_WINDOW_MICROS,
                now,
            )
            .and_then(|()| match &client_key {
                Some(key) => self
                    .rate
                    .check(key, REQUESTS_PER_CLIENT, REQUEST_WINDOW_MICROS, now),
                None => Ok(()),
            });
        if let Err(retry_after_secs) = limited {
            return Err(AppError::TooManyAttempts { retry_after_secs });
        }
        self.rate.record(&address_key, REQUEST_WINDOW_MICROS, now);
        if let Some(key) = &client_key {
            self.rate.record(key, REQUEST_WINDOW_MICROS, now);
        }
        let Ok(email) = Email::parse(email) else {
            return Ok(());
        };
        let people = self
            .store
            .find_users_by_email_all_tenants(email.as_str())
            .await?;
        for person in people.into_iter().filter(|p| p.active) {
            let recent = self
                .store
                .count_password_resets(person.tenant_id, person.id, now.plus_micros(-HOUR_MICROS))
                .await?;
            if recent >= LINKS_PER_HOUR {
                continue;
            }
            let Some(mail) = self.tenant_mail(person.tenant_id).await? else {
                continue;
            };
            let secret = random_hex(32);
            let hash = sha256_hex(&secret);
            let link = format!("{}/login/reset/{secret}", mail.config.public_url);
            let mail = reset_mail(person.id, &person.email, &hash, link);
            self.store
                .create_password_reset(
                    person.tenant_id,
                    person.id,
                    &hash,
                    now,
                    now.plus_micros(RESET_LIFETIME_MICROS),
                    &mail,
                )
                .await?;
        }
        Ok(())
    }

    /// Whether `secret` is a reset link that still works (unused, unexpired).
    pub async fn password_reset_works(&self, secret: &str) -> Result<bool, AppError> {
        if !well_formed(secret) {
            return Ok(false);
        }
        Ok(self
            .store
            .find_password_reset(&sha256_hex(secret), self.now())
            .await?
            .is_some())
    }

    /// Sets a new password through the reset link `secret`, which is used up; every session of
    /// the person ends. A used, expired or unknown link is [`AppError::NotFound`]; a password
    /// the rules refuse is a validation error and leaves the link working.
    pub async fn reset_password(&self, secret: &str, new_password: &str) -> Result<(), AppError> {
        check_password(new_password)?;
        let gone = AppError::NotFound {
            what: "password reset link",
        };
        if !well_formed(secret) {
            return Err(gone);
        }
        let Some((tenant, user)) = self
            .store
            .use_password_reset(&sha256_hex(secret), self.now())
            .await?
        else {
            return Err(gone);
        };
        let update = spoc_store::UserUpdate {
            password_hash: Some(hash_password(new_password.to_owned()).await?),
            ..spoc_store::UserUpdate::default()
        };
        // Setting the password ends every session of the person (the store does it with it).
        let person = self
            .store
            .update_user(tenant, user, &update)
            .await
            .map_err(crate::error::not_found("user"))?;
        // A person locked out by wrong passwords can sign in with the new one at once.
        self.throttle.record_success(&person.email);
        Ok(())
    }
}

/// A reset link's secret: 64 lowercase hex digits.
fn well_formed(secret: &str) -> bool {
    secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The outbox message carrying a reset link to `user`.
fn reset_mail(user: UserId, address: &str, hash: &str, link: String) -> OutboxMessage {
    let mut job = MailJob::to_address(PASSWORD_RESET, address);
    job.user_id = Some(user);
    job.address = None;
    job.body = Some(link);
    job.message(
        format!("mail.{PASSWORD_RESET}:{hash}"),
        Some(address.to_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_secrets_are_checked_before_any_lookup() {
        assert!(well_formed(&"a1".repeat(32)));
        assert!(!well_formed("short"));
        assert!(!well_formed(&"zz".repeat(32)));
    }
}
