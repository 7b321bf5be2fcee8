//! SOPs where the work happens: the SOP a ticket is handled under (bound at its first checklist
//! use, or at its first resolution), the checklist's ticks and answers, and the gate that keeps
//! resolve and close until the quality checks hold.
//!
//! When a ticket is bound: the first time its checklist is used (a tick or an answer), or at its
//! first resolution if nobody used it — whichever comes first. From then on the ticket stays on
//! that version, even when a newer one becomes effective, and its outcomes count for it.

use crate::auth::permit;
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::event::EventData;
use spoc_domain::lifecycle::Action;
use spoc_domain::sop::{self, Checklist, SopContent, SopLink, TicketFacts};
use spoc_domain::ticket::Ticket;
use spoc_domain::{SopId, TenantId, TicketId, Timestamp, UserId, ValidationError};
use spoc_store::{AnnexChange, SopRecord, SopVersionRecord, TicketSopRecord, TicketState};

use crate::sop::{Sop, SopVersion, TicketSop, TicketSopView};
use crate::{App, AppError};

impl App {
    /// The effective SOP that applies to `ticket` now, if any: its record and effective version.
    /// The tenant's own SOPs first; only when none of them applies, the provider's
    /// provider-wide SOPs, whose links carry over by category name.
    async fn matching_sop(
        &self,
        tenant: TenantId,
        ticket: &Ticket,
    ) -> Result<Option<(SopRecord, SopVersionRecord)>, AppError> {
        let links = self.store.sop_links(tenant).await?;
        let sops = self.store.list_sops(tenant).await?;
        let effective: Vec<(i64, Vec<SopLink>)> = links
            .into_iter()
            .filter(|(id, _)| {
                sops.iter()
                    .any(|s| s.id.get() == *id && s.effective_version.is_some())
            })
            .collect();
        let id = match sop::choose_sop(&effective, ticket) {
            Some(id) => id,
            None => {
                let provider = self.provider_links_in(tenant).await?;
                match sop::choose_sop(&provider, ticket) {
                    Some(id) => id,
                    None => return Ok(None),
                }
            }
        };
        let record = match self.store.get_readable_sop(tenant, SopId::new(id)).await {
            Ok(record) => record,
            Err(spoc_store::StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let Some(version) = record.effective_version else {
            return Ok(None);
        };
        let version = self.store.sop_version(SopId::new(id), version).await?;
        Ok(Some((record, version)))
    }

    /// The SOP a ticket of `tenant` is bound to, if the tenant may still read it: its own, or
    /// the provider's while it is provider-wide with an effective version.
    async fn bound_sop(
        &self,
        tenant: TenantId,
        bound: &TicketSopRecord,
    ) -> Result<Option<(SopRecord, SopVersionRecord)>, AppError> {
        let id = SopId::new(bound.sop_id);
        let record = match self.store.get_readable_sop(tenant, id).await {
            Ok(record) => record,
            Err(spoc_store::StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let version = self.store.sop_version(id, bound.version).await?;
        Ok(Some((record, version)))
    }

    /// The SOP a ticket is handled under (bound), or would be if work started now (the
    /// effective one that matches). Staff only; `None` for customers and when none applies.
    pub async fn ticket_sop(
        &self,
        actor: &Actor,
        ticket: &Ticket,
    ) -> Result<Option<TicketSopView>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        if !actor.is_staff() || !actor.can_see(ticket) {
            return Ok(None);
        }
        let bound = self.store.ticket_sop(ticket.id, &actor.scope()).await?;
        let (sop, version) = match &bound {
            Some(b) => match self.bound_sop(actor.tenant_id, b).await? {
                Some(found) => found,
                None => return Ok(None),
            },
            None => match self.matching_sop(actor.tenant_id, ticket).await? {
                Some(found) => found,
                None => return Ok(None),
            },
        };
        let checklist = bound
            .as_ref()
            .map(|b| b.checklist.clone())
            .unwrap_or_default();
        let history: Vec<EventData> = self
            .store
            .list_events(ticket.id, &actor.scope(), true)
            .await?
            .into_iter()
            .map(|e| e.data)
            .collect();
        let missing = sop::missing_checks(
            &version.content,
            &checklist,
            &TicketFacts::of(ticket, &history),
        );
        let newer_effective = sop.effective_version.filter(|v| *v != version.version);
        Ok(Some(TicketSopView {
            sop: Sop::from_record(sop),
            version: SopVersion::from_record(version),
            bound: bound.map(TicketSop::from_record),
            checklist,
            missing,
            newer_effective,
        }))
    }

    /// Ticks or unticks a step of the ticket's checklist, binding the ticket to the effective
    /// version first if it is not bound yet.
    pub async fn tick_sop_step(
        &self,
        actor: &Actor,
        ticket: TicketId,
        step: &str,
        done: bool,
    ) -> Result<Ticket, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        self.change_checklist(actor, ticket, |checklist, content, sop, now| {
            Ok(checklist
                .tick(content, sop, step, done, actor.person()?, now)?
                .into_iter()
                .collect())
        })
        .await
    }

    /// Records an answer on a step of the ticket's checklist (and ticks it).
    pub async fn answer_sop_step(
        &self,
        actor: &Actor,
        ticket: TicketId,
        step: &str,
        answer: &str,
    ) -> Result<Ticket, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        self.change_checklist(actor, ticket, |checklist, content, sop, now| {
            Ok(checklist.answer(content, sop, step, answer, actor.person()?, now)?)
        })
        .await
    }

    async fn change_checklist<F>(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        change: F,
    ) -> Result<Ticket, AppError>
    where
        F: FnOnce(
            &mut Checklist,
            &SopContent,
            (i64, i64),
            Timestamp,
        ) -> Result<Vec<EventData>, AppError>,
    {
        actor.may_edit()?;
        let ticket = self.get_ticket(actor, ticket_id).await?;
        if !ticket.status.is_open() {
            return Err(ValidationError::new(
                "step",
                "the checklist of a closed or cancelled ticket cannot change",
            )
            .into());
        }
        // The version to bind to, looked up before the lock; under the lock an existing binding
        // wins, so two agents ticking at once bind the ticket once.
        let candidate = self.matching_sop(actor.tenant_id, &ticket).await?;
        let bound = self.store.ticket_sop(ticket_id, &actor.scope()).await?;
        let readable = match &bound {
            Some(b) => self.bound_sop(actor.tenant_id, b).await?,
            None => None,
        };
        let version = match (&readable, &candidate) {
            (Some((_, v)), _) => v.clone(),
            (None, Some((_, v))) if bound.is_none() => v.clone(),
            _ => {
                return Err(ValidationError::new(
                    "step",
                    "no effective SOP applies to this ticket",
                )
                .into());
            }
        };
        let now = self.now();
        let updated = self
            .store
            .update_ticket_annex(
                ticket_id,
                actor.tenant_id.into(),
                Some(actor.principal),
                now,
                |t, current| {
                    if !actor.can_see(t) {
                        return Err(AppError::NotFound { what: "ticket" });
                    }
                    let mut events = Vec::new();
                    let mut record = match current {
                        Some(existing) => {
                            if existing.sop_id != version.sop_id.get()
                                || existing.version != version.version
                            {
                                return Err(AppError::Conflict(
                                    "the ticket's SOP changed meanwhile; reload and try again"
                                        .to_owned(),
                                ));
                            }
                            existing.clone()
                        }
                        None => {
                            events.push(EventData::SopApplied {
                                sop_id: version.sop_id.get(),
                                version: version.version,
                                title: version.content.title.clone(),
                            });
                            TicketSopRecord {
                                ticket_id,
                                sop_id: version.sop_id.get(),
                                version: version.version,
                                checklist: Checklist::default(),
                                bound_at: now,
                                bound_by: actor.user_id(),
                            }
                        }
                    };
                    let changed = change(
                        &mut record.checklist,
                        &version.content,
                        (version.sop_id.get(), version.version),
                        now,
                    )?;
                    if changed.is_empty() {
                        return Ok(None);
                    }
                    events.extend(changed);
                    Ok(Some(AnnexChange {
                        events,
                        sop: Some(record),
                        article_use: None,
                    }))
                },
            )
            .await?;
        Ok(updated.ticket)
    }

    /// The SOP gate of a lifecycle action, prepared before the ticket's row lock: which SOP
    /// version the ticket's resolve or close is checked against. Before resolve and close, the
    /// quality checks of the ticket's SOP must hold: a bound ticket is checked against its
    /// version; an unbound ticket being resolved against the effective SOP that applies, to
    /// which it is then bound (its first resolution is when it is handled under that version).
    /// Close checks bound tickets only: a ticket resolved before any SOP applied was never
    /// handled under one. The checks themselves and the binding happen under the lock, in the
    /// action's own transaction ([`SopGate::check`]).
    ///
    /// `None` when the action is neither resolve nor close.
    pub(crate) async fn sop_gate(
        &self,
        actor: &Actor,
        ticket: &Ticket,
        action: Action,
    ) -> Result<Option<SopGate>, AppError> {
        if !matches!(action, Action::Resolve | Action::Close) {
            return Ok(None);
        }
        let bound = self.store.ticket_sop(ticket.id, &actor.scope()).await?;
        let bound_to = bound.as_ref().map(|b| (b.sop_id, b.version));
        let (version, bind) = match &bound {
            // A binding the tenant can no longer read (the provider stopped applying its SOP
            // in every tenant) checks nothing.
            Some(b) => (
                self.bound_sop(actor.tenant_id, b).await?.map(|(_, v)| v),
                false,
            ),
            None if action == Action::Resolve => {
                match self.matching_sop(actor.tenant_id, ticket).await? {
                    Some((_, v)) => (Some(v), true),
                    None => (None, false),
                }
            }
            None => (None, false),
        };
        Ok(Some(SopGate {
            action,
            bound_to,
            version,
            bind,
        }))
    }
}

/// The SOP gate of a resolve or close, as prepared before the row lock ([`App::sop_gate`]).
#[derive(Clone, Debug)]
pub(crate) struct SopGate {
    action: Action,
    /// The `(sop, version)` the ticket was bound to when the gate was prepared.
    bound_to: Option<(i64, i64)>,
    /// The version whose quality checks apply, if any.
    version: Option<SopVersionRecord>,
    /// Whether the ticket is to be bound to `version` by this action.
    bind: bool,
}

impl SopGate {
    /// Under the ticket's row lock, with its whole state (history included): refuses when the
    /// ticket's SOP binding changed since the gate was prepared, or when a quality check of its
    /// SOP does not hold; otherwise returns the binding to write with the action (its
    /// `sop_applied` event and record), if the action binds the ticket.
    pub(crate) fn check(
        &self,
        state: &TicketState,
        actor: Option<UserId>,
        now: Timestamp,
    ) -> Result<Option<(EventData, TicketSopRecord)>, AppError> {
        let bound_now = state.sop.as_ref().map(|b| (b.sop_id, b.version));
        if bound_now != self.bound_to {
            return Err(AppError::Conflict(
                "the ticket's SOP changed meanwhile; reload and try again".to_owned(),
            ));
        }
        let Some(version) = &self.version else {
            return Ok(None);
        };
        let checklist = state
            .sop
            .as_ref()
            .map(|b| b.checklist.clone())
            .unwrap_or_default();
        let missing = sop::missing_checks(
            &version.content,
            &checklist,
            &TicketFacts::of(&state.ticket, &state.history),
        );
        if !missing.is_empty() {
            return Err(AppError::QualityChecks {
                action: self.action,
                missing,
            });
        }
        if !self.bind {
            return Ok(None);
        }
        Ok(Some((
            EventData::SopApplied {
                sop_id: version.sop_id.get(),
                version: version.version,
                title: version.content.title.clone(),
            },
            TicketSopRecord {
                ticket_id: state.ticket.id,
                sop_id: version.sop_id.get(),
                version: version.version,
                checklist: Checklist::default(),
                bound_at: now,
                bound_by: actor,
            },
        )))
    }
}
