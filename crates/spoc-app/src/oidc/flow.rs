//! Signing in with a provider: the authorisation code flow with PKCE (S256).
//!
//! [`App::oidc_begin`] keeps `state`, nonce and PKCE verifier server-side for ten minutes, bound
//! to a random browser secret the adapter puts in a cookie, and answers the provider's
//! authorisation URL. [`App::oidc_finish`] takes that sign-in back once (whatever happens next),
//! checks the browser, exchanges the code (client_secret_basic), validates the ID token, finds
//! the person — by an earlier link of the provider's subject, or by an e-mail address the
//! provider says it verified, or as a new account when the provider allows — applies the claim
//! rules and opens a session like a password sign-in does.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::Value;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, UserId};
use spoc_store::{NewOidcLogin, OidcProviderRecord, UserRecord, UserUpdate};

use super::discovery::unreachable;
use super::providers::{GroupRule, RoleRule};
use super::token::{Expected, IdClaims, check_claims, parse};
use crate::auth::{NewSession, random_hex, sha256_hex};
use crate::{App, AppError, UserInput};

/// How long a sign-in may take at the provider.
const LOGIN_LIFETIME_MICROS: i64 = 10 * 60 * 1_000_000;

/// Where to send the browser, and the secret its cookie must carry back.
#[derive(Clone, Debug)]
pub struct OidcStart {
    /// The provider's authorisation URL with this sign-in's parameters.
    pub authorize_url: String,
    /// The browser's secret, for a short-lived cookie.
    pub browser_secret: String,
}

/// A finished sign-in: the session, and where the person wanted to go.
#[derive(Clone, Debug)]
pub struct OidcSignIn {
    /// The new session.
    pub session: NewSession,
    /// The page asked for before signing in (checked by the adapter), or empty.
    pub next: String,
}

/// Why signing in with a provider failed, as a sentence for the person.
fn refused(message: &str) -> AppError {
    AppError::Forbidden(message.to_owned())
}

#[derive(Deserialize)]
struct TokenAnswer {
    id_token: String,
}

/// Whether two hashes are equal, in time independent of where they differ.
fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The values of `claim` in `claims`: a string, or the strings of an array.
fn claim_values(claims: &Value, claim: Option<&str>) -> Vec<String> {
    match claim.and_then(|c| claims.get(c)) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

impl App {
    /// The address the provider sends people back to: the desk's public URL (or, without one,
    /// `origin` as the browser reached the desk) and `/auth/oidc/{slug}/callback`.
    pub fn oidc_redirect_uri(&self, slug: &str, origin: &str) -> String {
        let base = self.public_url.as_deref().unwrap_or(origin);
        format!("{}/auth/oidc/{slug}/callback", base.trim_end_matches('/'))
    }

    async fn enabled_provider(
        &self,
        tenant: TenantId,
        slug: &str,
    ) -> Result<OidcProviderRecord, AppError> {
        match self.store.find_oidc_provider(tenant, slug).await? {
            Some(provider) if provider.enabled => Ok(provider),
            _ => Err(AppError::NotFound {
                what: "identity provider",
            }),
        }
    }

    /// Starts signing in with the provider `slug` of `tenant`; `next` is kept for afterwards.
    pub async fn oidc_begin(
        &self,
        tenant: TenantId,
        slug: &str,
        next: &str,
        origin: &str,
    ) -> Result<OidcStart, AppError> {
        let provider = self.enabled_provider(tenant, slug).await?;
        let discovery = self.oidc.discover(&provider.issuer).await?;
        let state = random_hex(32);
        let nonce = random_hex(32);
        let verifier = URL_SAFE_NO_PAD.encode(random_hex(32).as_bytes());
        let challenge = URL_SAFE_NO_PAD.encode(ring::digest::digest(
            &ring::digest::SHA256,
            verifier.as_bytes(),
        ));
        let browser_secret = random_hex(32);
        let now = self.now();
        let next: String = next.chars().take(500).collect();
        self.store
            .create_oidc_login(&NewOidcLogin {
                state_hash: &sha256_hex(&state),
                tenant_id: tenant,
                provider_id: provider.id,
                browser_hash: &sha256_hex(&browser_secret),
                nonce: &nonce,
                verifier: &verifier,
                next: &next,
                now,
                expires_at: now.plus_micros(LOGIN_LIFETIME_MICROS),
            })
            .await?;
        let separator = if discovery.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        let authorize_url = format!(
            "{}{separator}response_type=code&client_id={}&redirect_uri={}&scope={}&state={state}\
             &nonce={nonce}&code_challenge={challenge}&code_challenge_method=S256",
            discovery.authorization_endpoint,
            encode(&provider.client_id),
            encode(&self.oidc_redirect_uri(&provider.slug, origin)),
            encode(&provider.scopes),
        );
        Ok(OidcStart {
            authorize_url,
            browser_secret,
        })
    }

    /// Finishes signing in with the provider `slug`: see the module's documentation.
    pub async fn oidc_finish(
        &self,
        slug: &str,
        state: &str,
        code: &str,
        browser_secret: Option<&str>,
        origin: &str,
        browser: Option<&str>,
    ) -> Result<OidcSignIn, AppError> {
        let stale = || refused("this sign-in link has expired or was already used; start again");
        if state.len() != 64 || code.is_empty() || code.len() > 2000 {
            return Err(stale());
        }
        let login = self
            .store
            .take_oidc_login(&sha256_hex(state))
            .await?
            .ok_or_else(stale)?;
        if login.expires_at <= self.now() {
            return Err(stale());
        }
        let same_browser = browser_secret
            .is_some_and(|secret| same_hash(&sha256_hex(secret), &login.browser_hash));
        if !same_browser {
            return Err(refused(
                "this sign-in was started in another browser; start again here",
            ));
        }
        let provider = self
            .store
            .get_oidc_provider(login.tenant_id, login.provider_id)
            .await
            .map_err(|_| stale())?;
        if provider.slug != slug || !provider.enabled {
            return Err(stale());
        }
        let discovery = self.oidc.discover(&provider.issuer).await?;
        let secret = self.reveal(&provider.client_secret)?;
        let redirect_uri = self.oidc_redirect_uri(&provider.slug, origin);
        let response = self
            .oidc
            .client()
            .post(&discovery.token_endpoint)
            .basic_auth(encode(&provider.client_id), Some(encode(&secret)))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect_uri.as_str()),
                ("code_verifier", login.verifier.as_str()),
            ])
            .send()
            .await
            .map_err(|_| unreachable("token endpoint"))?;
        if !response.status().is_success() {
            return Err(refused(
                "the identity provider did not accept this sign-in; start again",
            ));
        }
        let answer: TokenAnswer = response
            .json()
            .await
            .map_err(|_| unreachable("token endpoint"))?;
        let claims = self
            .validate_id_token(
                &provider,
                &discovery.jwks_uri,
                &answer.id_token,
                &login.nonce,
            )
            .await?;
        let user = self.oidc_person(&provider, &claims).await?;
        let session = self.open_session(user, browser).await?;
        Ok(OidcSignIn {
            session,
            next: login.next,
        })
    }

    /// The claims of a valid ID token of `provider` for this sign-in's `nonce`.
    pub(crate) async fn validate_id_token(
        &self,
        provider: &OidcProviderRecord,
        jwks_uri: &str,
        token: &str,
        nonce: &str,
    ) -> Result<IdClaims, AppError> {
        let wrong = |e: super::token::TokenError| {
            tracing::warn!(provider = provider.slug, "ID token refused: {e}");
            refused(&format!("sign-in refused: {e}"))
        };
        let parsed = parse(token).map_err(wrong)?;
        let claims = self.oidc.verify(jwks_uri, parsed).await.map_err(wrong)?;
        check_claims(
            claims,
            &Expected {
                issuer: &provider.issuer,
                client_id: &provider.client_id,
                nonce,
                now_secs: self.now().as_micros() / 1_000_000,
            },
        )
        .map_err(wrong)
    }

    /// The person the claims name, linked or made as the provider's settings allow, with the
    /// claim rules applied.
    async fn oidc_person(
        &self,
        provider: &OidcProviderRecord,
        claims: &IdClaims,
    ) -> Result<UserRecord, AppError> {
        let tenant = provider.tenant_id;
        let now = self.now();
        let values = claim_values(&claims.all, provider.claim.as_deref());
        let role_rules: Vec<RoleRule> =
            serde_json::from_str(&provider.role_map).unwrap_or_default();
        let mapped_role = role_rules
            .iter()
            .find(|rule| values.contains(&rule.value))
            .map(|rule| rule.role);
        let linked = self
            .store
            .oidc_linked_user(tenant, provider.id, &claims.subject)
            .await?;
        let verified_email = claims
            .email
            .as_deref()
            .filter(|_| claims.email_verified)
            .and_then(|e| Email::parse(e).ok());
        let user = match (linked, verified_email) {
            (Some(id), _) => self.store.get_user(tenant, id).await?,
            (None, Some(email)) => {
                match self
                    .store
                    .find_user_by_email(tenant, email.as_str())
                    .await?
                {
                    Some(user) => user,
                    None if provider.jit => {
                        let name = claims
                            .name
                            .as_deref()
                            .and_then(|n| Name::parse(n).ok())
                            .or_else(|| Name::parse(email.as_str()).ok())
                            .ok_or_else(|| refused("the identity provider gave no usable name"))?;
                        self.add_person(
                            tenant,
                            UserInput {
                                email: email.clone(),
                                name,
                                role: mapped_role.unwrap_or_else(|| {
                                    Role::parse(&provider.default_role).unwrap_or(Role::Customer)
                                }),
                                organization_id: None,
                                super_user: false,
                                password: None,
                            },
                        )
                        .await?
                    }
                    None => {
                        return Err(refused(
                            "there is no account for your e-mail address here; ask your \
                             administrator to add you",
                        ));
                    }
                }
            }
            (None, None) => {
                return Err(refused(
                    "the identity provider did not confirm your e-mail address, and no account \
                     is linked to you yet; ask your administrator",
                ));
            }
        };
        if !user.active {
            return Err(refused("your account is deactivated"));
        }
        self.store
            .link_oidc_subject(tenant, provider.id, &claims.subject, user.id, now)
            .await?;
        self.apply_claim_rules(provider, user, mapped_role, &values)
            .await
    }

    async fn apply_claim_rules(
        &self,
        provider: &OidcProviderRecord,
        mut user: UserRecord,
        role: Option<Role>,
        values: &[String],
    ) -> Result<UserRecord, AppError> {
        let tenant = provider.tenant_id;
        if let Some(role) = role.filter(|r| *r != user.role) {
            let update = UserUpdate {
                role: Some(role),
                super_user: Some(user.super_user && role == Role::Customer),
                ..UserUpdate::default()
            };
            user = self.store.update_user(tenant, user.id, &update).await?;
        }
        let group_rules: Vec<GroupRule> =
            serde_json::from_str(&provider.group_map).unwrap_or_default();
        let member_of = self.store.groups_of(user.id).await?;
        for rule in &group_rules {
            // Rules name only the tenant's groups (checked when saved, again here).
            if self.store.get_group(tenant, rule.group_id).await.is_err() {
                continue;
            }
            let wanted = group_rules
                .iter()
                .any(|r| r.group_id == rule.group_id && values.contains(&r.value));
            let is_member = member_of.contains(&rule.group_id);
            if wanted && !is_member {
                self.store.add_group_member(rule.group_id, user.id).await?;
            } else if !wanted && is_member {
                match self.store.remove_group_member(rule.group_id, user.id).await {
                    Ok(()) | Err(spoc_store::StoreError::NotFound) => {}
                    Err(other) => return Err(other.into()),
                }
            }
        }
        Ok(user)
    }

    /// The person linked to a provider's subject (tests and support).
    pub async fn oidc_linked_person(
        &self,
        tenant: TenantId,
        provider_id: i64,
        subject: &str,
    ) -> Result<Option<UserId>, AppError> {
        Ok(self
            .store
            .oidc_linked_user(tenant, provider_id, subject)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn claim_values_come_from_a_string_or_an_array() {
        let claims = json!({"groups": ["a", 1, "b"], "role": "admin"});
        assert_eq!(claim_values(&claims, Some("groups")), ["a", "b"]);
        assert_eq!(claim_values(&claims, Some("role")), ["admin"]);
        assert!(claim_values(&claims, Some("none")).is_empty());
        assert!(claim_values(&claims, None).is_empty());
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }
}
