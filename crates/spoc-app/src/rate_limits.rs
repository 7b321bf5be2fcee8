//! How many tickets and replies one person may send in a window: generous by default, set by
//! admins (`/api/v1/settings/rate-limits`), so one account cannot flood the desk. Staff are
//! exempt unless the admin says otherwise (they log calls for others all day). Counted in memory
//! per node (`throttle::RateLimiter`); mail has its own per-sender limit, which holds messages.

use serde::{Deserialize, Serialize};
use spoc_domain::access::{Actor, Principal};
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::{TenantId, ValidationError};
use spoc_store::StoreError;

use crate::auth::permit;
use crate::{App, AppError};

/// The settings key of the limits.
const RATE_LIMITS_KEY: &str = "rate_limits";
/// The largest limit per window.
const MAX_PER_WINDOW: u32 = 1_000_000;
/// How long a node uses the limits it read before reading them again (another node may have
/// changed them).
const CACHE_MICROS: i64 = 10 * 1_000_000;

/// Per-person limits on ticket creation and replies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimits {
    /// Tickets one person may log within the window (0–1,000,000).
    pub tickets_per_person: u32,
    /// Replies one person may add within the window (0–1,000,000).
    pub replies_per_person: u32,
    /// The window, in minutes (1–1,440).
    pub window_minutes: u32,
    /// Whether agents, leads and admins are exempt.
    pub staff_exempt: bool,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            tickets_per_person: 30,
            replies_per_person: 60,
            window_minutes: 10,
            staff_exempt: true,
        }
    }
}

impl RateLimits {
    fn validate(&self) -> Result<(), ValidationError> {
        if self.tickets_per_person > MAX_PER_WINDOW {
            return Err(ValidationError::new(
                "tickets_per_person",
                "must be 0 to 1,000,000",
            ));
        }
        if self.replies_per_person > MAX_PER_WINDOW {
            return Err(ValidationError::new(
                "replies_per_person",
                "must be 0 to 1,000,000",
            ));
        }
        if !(1..=1440).contains(&self.window_minutes) {
            return Err(ValidationError::new(
                "window_minutes",
                "must be 1 to 1,440 minutes",
            ));
        }
        Ok(())
    }

    fn window_micros(&self) -> i64 {
        i64::from(self.window_minutes) * 60 * 1_000_000
    }
}

/// What is being limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Limited {
    /// Logging a ticket.
    Ticket,
    /// A reply or note on a ticket.
    Reply,
}

impl App {
    /// The desk's rate limits (admins).
    pub async fn rate_limits(&self, actor: &Actor) -> Result<RateLimits, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        self.current_rate_limits(actor.tenant_id).await
    }

    /// Sets the desk's rate limits (admins).
    pub async fn set_rate_limits(
        &self,
        actor: &Actor,
        limits: RateLimits,
    ) -> Result<RateLimits, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let limits = self.system_set_rate_limits(actor.tenant_id, limits).await?;
        self.audit(
            actor,
            AuditAction::SettingChanged {
                key: RATE_LIMITS_KEY,
            },
            AuditTarget::Settings,
        )
        .await?;
        Ok(limits)
    }

    /// Sets the desk's rate limits (the benchmark, which floods its own desk on purpose).
    pub async fn system_set_rate_limits(
        &self,
        tenant: TenantId,
        limits: RateLimits,
    ) -> Result<RateLimits, AppError> {
        limits.validate()?;
        let json = serde_json::to_string(&limits)
            .map_err(|e| AppError::Internal(StoreError::Corrupt(e.to_string())))?;
        self.store
            .put_setting(tenant, RATE_LIMITS_KEY, &json)
            .await?;
        if let Ok(mut cached) = self.rate_limits_cache.lock() {
            *cached = Some((tenant, limits, self.now()));
        }
        Ok(limits)
    }

    async fn current_rate_limits(&self, tenant: TenantId) -> Result<RateLimits, AppError> {
        let now = self.now();
        if let Ok(cached) = self.rate_limits_cache.lock()
            && let Some((cached_tenant, limits, at)) = *cached
            && cached_tenant == tenant
            && now.as_micros() - at.as_micros() < CACHE_MICROS
        {
            return Ok(limits);
        }
        let limits = match self.store.get_setting(tenant, RATE_LIMITS_KEY).await? {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| AppError::Internal(StoreError::Corrupt(e.to_string())))?,
            None => RateLimits::default(),
        };
        if let Ok(mut cached) = self.rate_limits_cache.lock() {
            *cached = Some((tenant, limits, now));
        }
        Ok(limits)
    }

    /// Refuses the event with [`AppError::RateLimited`] if the actor is over its limit; returns
    /// the key and window to record once the event has happened.
    pub(crate) async fn check_rate(
        &self,
        actor: &Actor,
        what: Limited,
    ) -> Result<Option<(String, i64)>, AppError> {
        let limits = self.current_rate_limits(actor.tenant_id).await?;
        let (limit, name) = match what {
            Limited::Ticket => (limits.tickets_per_person, "ticket"),
            Limited::Reply => (limits.replies_per_person, "reply"),
        };
        let key = match actor.principal {
            Principal::User(id) => format!("{name}:{id}"),
            Principal::System(kind) => format!("{name}:system:{kind}"),
        };
        let window = limits.window_micros();
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        // Exempt staff are still counted, so a limit switched on applies to what they did.
        let exempt = limits.staff_exempt && actor.is_staff();
        if !exempt && let Err(retry_after_secs) = self.rate.check(&key, limit, window, self.now()) {
            return Err(AppError::RateLimited {
                retry_after_secs,
                message: match what {
                    Limited::Ticket => format!(
                        "you have logged {limit} tickets within {} minutes, the most this desk allows; try again later",
                        limits.window_minutes
                    ),
                    Limited::Reply => format!(
                        "you have sent {limit} replies within {} minutes, the most this desk allows; try again later",
                        limits.window_minutes
                    ),
                },
            });
        }
        Ok(Some((key, window)))
    }

    /// Counts an event that [`App::check_rate`] allowed.
    pub(crate) fn count_rate(&self, counted: Option<(String, i64)>) {
        if let Some((key, window)) = counted {
            self.rate.record(&key, window, self.now());
        }
    }
}
