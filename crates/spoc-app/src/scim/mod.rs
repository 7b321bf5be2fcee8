//! SCIM 2.0 provisioning (RFC 7643/7644, `docs/scim.md`): an identity provider creates,
//! changes, deactivates and deletes a tenant's people and resolver groups with a SCIM token.
//!
//! A SCIM token belongs to one tenant and opens only `/scim/v2`; the tenant's admins create and
//! revoke them. The use cases here take a [`ScimClient`], which only [`App::authenticate_scim_token`]
//! makes: holding one is the authorisation, and every read and write is scoped to its tenant.
//! Requests arrive as SCIM JSON documents (`serde_json::Value`), since SCIM's attribute names are
//! case-insensitive and identity providers differ in the shapes they send; they are read here,
//! strictly, into Spoc's values. Errors are [`ScimError`]s, which carry SCIM's `scimType`.

mod filter;
mod groups;
mod patch;
mod users;

use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::text::Label;
use spoc_domain::{TenantId, Timestamp, UserId};
use spoc_store::ScimTokenRecord;

pub use groups::{ScimGroup, ScimMember};
pub use users::ScimUser;

use crate::auth::{permit, random_hex, sha256_hex};
use crate::error::not_found;
use crate::{App, AppError, FromRecord};

/// The prefix of every SCIM token, so that it is told apart from an API token at a glance (and
/// by the API, which refuses it).
const SCIM_TOKEN_PREFIX: &str = "scim_";

/// SCIM tokens are touched at most this often, so reads do not turn into writes.
const TOUCH_INTERVAL_MICROS: i64 = 60 * 1_000_000;

/// The most resources one page of a SCIM listing holds (`count` above it is lowered).
pub const SCIM_MAX_RESULTS: i64 = 200;

/// The identity provider behind a request to `/scim/v2`: the tenant its token provisions.
#[derive(Clone, Debug)]
pub struct ScimClient {
    tenant: TenantId,
    token: i64,
}

impl ScimClient {
    /// The tenant the client provisions.
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    /// The token it authenticated with.
    pub fn token_id(&self) -> i64 {
        self.token
    }
}

/// A SCIM token as the tenant's admins see it, never its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScimToken {
    /// Id.
    pub id: i64,
    /// Free label (e.g. the identity provider's name).
    pub label: String,
    /// Who created it.
    pub created_by: Option<UserId>,
    /// When created.
    pub created_at: Timestamp,
    /// Last request made with it (updated at most once a minute).
    pub last_used_at: Option<Timestamp>,
    /// When revoked.
    pub revoked_at: Option<Timestamp>,
}

impl FromRecord<ScimTokenRecord> for ScimToken {
    fn from_record(r: ScimTokenRecord) -> Self {
        Self {
            id: r.id,
            label: r.label,
            created_by: r.created_by,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

/// A new SCIM token: its secret is shown once and never stored.
#[derive(Clone, Debug)]
pub struct IssuedScimToken {
    /// The token.
    pub token: ScimToken,
    /// The secret for the identity provider (`Authorization: Bearer …`).
    pub secret: String,
}

/// A SCIM error (RFC 7644, section 3.12): the HTTP status, SCIM's `scimType` where one
/// applies, and a sentence for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScimError {
    /// HTTP status.
    pub status: u16,
    /// `invalidFilter`, `invalidValue`, `uniqueness`, `invalidPath`, `noTarget`,
    /// `invalidSyntax`, `mutability`, `tooMany`.
    pub scim_type: Option<&'static str>,
    /// What went wrong.
    pub detail: String,
}

impl ScimError {
    /// A 400 with `scim_type`.
    pub fn bad(scim_type: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status: 400,
            scim_type: Some(scim_type),
            detail: detail.into(),
        }
    }

    /// A 404 for the resource `what` (a user, a group).
    pub fn not_found(what: &str) -> Self {
        Self {
            status: 404,
            scim_type: None,
            detail: format!("there is no such {what}"),
        }
    }

    /// A 409 `uniqueness`.
    pub fn taken(detail: impl Into<String>) -> Self {
        Self {
            status: 409,
            scim_type: Some("uniqueness"),
            detail: detail.into(),
        }
    }

    /// A 401 for a missing, unknown or revoked SCIM token.
    pub fn unauthenticated() -> Self {
        Self {
            status: 401,
            scim_type: None,
            detail: "send a SCIM token of this desk as `Authorization: Bearer …`".to_owned(),
        }
    }
}

impl From<AppError> for ScimError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Unauthenticated => Self::unauthenticated(),
            AppError::NotFound { what } => Self::not_found(what),
            AppError::Duplicate(detail) => Self::taken(detail),
            AppError::Validation(e) => Self::bad("invalidValue", e.to_string()),
            AppError::Unavailable(_) => Self {
                status: 503,
                scim_type: None,
                detail: "the desk's database is unavailable; try again shortly".to_owned(),
            },
            other => {
                tracing::error!(error = %other, "SCIM request failed");
                Self {
                    status: 500,
                    scim_type: None,
                    detail: "the desk could not complete the request".to_owned(),
                }
            }
        }
    }
}

impl From<spoc_store::StoreError> for ScimError {
    fn from(error: spoc_store::StoreError) -> Self {
        AppError::from(error).into()
    }
}

/// Which page of a listing: SCIM's 1-based `startIndex` and `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScimPaging {
    /// The first resource's 1-based index (below 1 counts as 1).
    pub start_index: i64,
    /// How many at most (negative counts as 0, above [`SCIM_MAX_RESULTS`] as that).
    pub count: i64,
}

impl ScimPaging {
    /// The page as asked, within bounds.
    pub fn new(start_index: Option<i64>, count: Option<i64>) -> Self {
        Self {
            start_index: start_index.unwrap_or(1).max(1),
            count: count.unwrap_or(SCIM_MAX_RESULTS).clamp(0, SCIM_MAX_RESULTS),
        }
    }

    fn offset(self) -> i64 {
        self.start_index - 1
    }
}

/// One page of a SCIM listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScimPage<T> {
    /// How many resources match in all.
    pub total: i64,
    /// The first one's 1-based index.
    pub start_index: i64,
    /// This page's resources.
    pub resources: Vec<T>,
}

impl App {
    /// Where the desk's SCIM service is, as identity providers are told (the public URL with
    /// `/scim/v2`, or the bare path without one).
    pub fn scim_base_url(&self) -> String {
        format!("{}/scim/v2", self.public_url.as_deref().unwrap_or(""))
    }

    /// The identity provider behind a SCIM token, or `Unauthenticated` for an unknown, revoked
    /// or malformed one (an API token included).
    pub async fn authenticate_scim_token(&self, secret: &str) -> Result<ScimClient, AppError> {
        if !secret.starts_with(SCIM_TOKEN_PREFIX) || secret.len() > 200 {
            return Err(AppError::Unauthenticated);
        }
        let Some(token) = self.store.find_scim_token(&sha256_hex(secret)).await? else {
            return Err(AppError::Unauthenticated);
        };
        let now = self.now();
        let stale = token
            .last_used_at
            .is_none_or(|at| now.as_micros() - at.as_micros() > TOUCH_INTERVAL_MICROS);
        if stale {
            self.store
                .touch_scim_token(token.tenant_id, token.id, now)
                .await?;
        }
        Ok(ScimClient {
            tenant: token.tenant_id,
            token: token.id,
        })
    }

    /// The tenant's SCIM tokens, newest first (admins).
    pub async fn list_scim_tokens(&self, actor: &Actor) -> Result<Vec<ScimToken>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        Ok(crate::converted(
            self.store.list_scim_tokens(actor.tenant_id).await?,
        ))
    }

    /// Creates a SCIM token for the actor's tenant (admins); its secret is in the answer only.
    pub async fn create_scim_token(
        &self,
        actor: &Actor,
        label: &str,
    ) -> Result<IssuedScimToken, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let label = Label::parse(label)?;
        let secret = format!("{SCIM_TOKEN_PREFIX}{}", random_hex(32));
        let token = self
            .store
            .create_scim_token(
                actor.tenant_id,
                label.as_str(),
                &sha256_hex(&secret),
                actor.person()?,
                self.now(),
            )
            .await?;
        tracing::info!(tenant = %actor.tenant_id, token = token.id, "SCIM token created");
        self.audit(
            actor,
            spoc_domain::audit::AuditAction::SignInChanged { step: "created" },
            spoc_domain::audit::AuditTarget::ScimToken(token.id),
        )
        .await?;
        Ok(IssuedScimToken {
            token: ScimToken::from_record(token),
            secret,
        })
    }

    /// Revokes one of the tenant's SCIM tokens (admins): the identity provider using it is
    /// refused from its next request on.
    pub async fn revoke_scim_token(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        self.store
            .revoke_scim_token(actor.tenant_id, id, self.now())
            .await
            .map_err(not_found("SCIM token"))?;
        tracing::info!(tenant = %actor.tenant_id, token = id, "SCIM token revoked");
        self.audit(
            actor,
            spoc_domain::audit::AuditAction::SignInChanged { step: "revoked" },
            spoc_domain::audit::AuditTarget::ScimToken(id),
        )
        .await
    }
}
