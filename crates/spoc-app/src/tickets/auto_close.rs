//! Auto-close of resolved tickets (issue #12): the setting (days after resolution, 0 = never)
//! and the run the `auto-close` job makes. The domain decides when (`spoc_domain::auto_close`);
//! each notice and each close is one ticket change under the row lock, so a run on several
//! nodes, or twice, tells nobody twice and closes nothing twice.

use crate::auth::permit;
use spoc_domain::access::{Actor, SystemActor};
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::auto_close::{AutoClose, AutoCloseStep};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::event::EventData;
use spoc_domain::lifecycle;
use spoc_domain::ticket::Status;
use spoc_domain::{TenantId, Timestamp};
use spoc_store::{Load, NewNotification, ResolvedTicket, TicketChange};

use super::ActionInput;
use crate::{App, AppError};

/// The setting's key; its value is the number of days.
const AUTO_CLOSE_KEY: &str = "tickets.auto_close_days";

/// The in-app notification topic of the notice.
const AUTO_CLOSE_TOPIC: &str = "ticket.auto_close";

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AutoCloseRun {
    /// Requesters told their ticket closes by itself.
    pub noticed: usize,
    /// Tickets closed.
    pub closed: usize,
}

impl App {
    async fn auto_close_of(&self, tenant: TenantId) -> Result<AutoClose, AppError> {
        match self.store.get_setting(tenant, AUTO_CLOSE_KEY).await? {
            Some(value) => Ok(value
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|d| AutoClose::new(d).ok())
                .unwrap_or_default()),
            None => Ok(AutoClose::default()),
        }
    }

    /// After how many days resolved tickets close by themselves (0: never). Staff.
    pub async fn auto_close_days(&self, actor: &Actor) -> Result<u32, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        if !actor.is_staff() {
            return Err(AppError::Forbidden(
                "only staff see desk settings".to_owned(),
            ));
        }
        Ok(self.auto_close_of(actor.tenant_id).await?.days())
    }

    /// Sets after how many days resolved tickets close by themselves (0: never). Admins.
    pub async fn set_auto_close_days(&self, actor: &Actor, days: i64) -> Result<u32, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let rule = AutoClose::new(days)?;
        self.store
            .put_setting(actor.tenant_id, AUTO_CLOSE_KEY, &rule.days().to_string())
            .await?;
        self.audit(
            actor,
            AuditAction::SettingChanged {
                key: AUTO_CLOSE_KEY,
            },
            AuditTarget::Settings,
        )
        .await?;
        Ok(rule.days())
    }

    /// One auto-close run over every tenant: tells the requesters whose resolved tickets are
    /// about to close, and closes those whose notice day has passed — as the system
    /// (`automation`), through the normal close (SOP checks, clocks, the closed notice). At
    /// most `limit` tickets per tenant are looked at.
    pub async fn run_auto_close(&self, limit: i64) -> Result<AutoCloseRun, AppError> {
        let mut run = AutoCloseRun::default();
        for tenant in self.store.tenant_ids().await? {
            let rule = self.auto_close_of(tenant).await?;
            self.tenant_mail(tenant).await?;
            if !rule.is_on() {
                continue;
            }
            let actor = Actor::system(tenant, SystemActor::Automation);
            permit(&actor, Some(Resource::Tickets), Access::Write)?;
            let now = self.now();
            let due = now.plus_micros(-rule.notice_after_micros());
            for ticket in self.store.resolved_tickets(tenant, due, limit).await? {
                match rule.step(ticket.resolved_at, ticket.noticed_at, now) {
                    AutoCloseStep::Wait => {}
                    AutoCloseStep::Notice { closes_at } => {
                        if self
                            .auto_close_notice(&actor, ticket, closes_at, now)
                            .await?
                        {
                            run.noticed += 1;
                        }
                    }
                    AutoCloseStep::Close => {
                        let closed = self
                            .perform_action(
                                &actor,
                                ticket.id,
                                Some(ticket.version),
                                ActionInput::Close,
                            )
                            .await;
                        match closed {
                            Ok(_) => run.closed += 1,
                            // Reopened, closed or changed meanwhile, or its SOP's checks do
                            // not hold: left for the desk (looked at again next run).
                            Err(
                                AppError::VersionConflict { .. }
                                | AppError::Transition(_)
                                | AppError::QualityChecks { .. },
                            ) => {}
                            Err(e) => return Err(e),
                        }
                    }
                }
            }
        }
        Ok(run)
    }

    /// Records the notice on the ticket and queues it for the requester (an e-mail like the
    /// resolution notice, with its confirm and reopen links, and an in-app notification), in
    /// one change — unless the ticket changed since it was listed. Returns whether it did.
    async fn auto_close_notice(
        &self,
        actor: &Actor,
        listed: ResolvedTicket,
        closes_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool, AppError> {
        let updated = self
            .store
            .update_ticket_with(
                listed.id,
                actor.tenant_id.into(),
                Some(actor.principal),
                Load::default(),
                |state| {
                    let ticket = &state.ticket;
                    if ticket.status != Status::Resolved || ticket.version != listed.version {
                        return Ok::<_, AppError>(None);
                    }
                    let outcome =
                        lifecycle::record(ticket, EventData::AutoCloseNotice { closes_at }, now)?;
                    // A date every language reads (the in-app notice is translated when shown).
                    let when = jiff::Timestamp::from_microsecond(closes_at.as_micros())
                        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
                        .unwrap_or_default();
                    let text = format!(
                        "{} closes by itself on {when} unless you tell us it is not fixed.",
                        ticket.number()
                    );
                    let outbox = self
                        .auto_close_message(
                            actor.tenant_id,
                            ticket,
                            outcome.ticket.version,
                            closes_at,
                        )
                        .into_iter()
                        .collect();
                    Ok(Some(TicketChange {
                        ticket: outcome.ticket,
                        events: outcome.events,
                        outbox,
                        notifications: vec![NewNotification {
                            user_id: ticket.requester_id,
                            topic: AUTO_CLOSE_TOPIC.to_owned(),
                            message: text,
                        }],
                        sla: None,
                        mail: None,
                        sop: None,
                        article_use: None,
                    }))
                },
            )
            .await?;
        Ok(!updated.events.is_empty())
    }
}
