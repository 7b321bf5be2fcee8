//! What needs a lead (or an admin) now, for their home page: escalated tickets still being
//! worked, tickets whose service-level clock is breached or at risk, and SOP reviews waiting to
//! be done. Read through the use cases that list each, so the scope rules are theirs.

use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::sla::ClockState;
use spoc_domain::ticket::{Status, Ticket};

use crate::auth::permit;
use crate::sop::{Sop, SopReview};
use crate::tickets::{TicketFilter, TicketSort};
use crate::{App, AppError};

/// How many active tickets the overview looks through (most urgent first).
const LOOKED_AT: u32 = 200;

/// What needs a lead now.
#[derive(Clone, Debug, Default)]
pub struct LeadOverview {
    /// Escalated tickets the desk still works on, most urgent first.
    pub escalated: Vec<Ticket>,
    /// Tickets with a breached service-level target, most urgent first.
    pub breached: Vec<Ticket>,
    /// Tickets whose running clock passed its warning share, most urgent first.
    pub at_risk: Vec<Ticket>,
    /// Open SOP reviews, with their SOP.
    pub reviews: Vec<(SopReview, Sop)>,
}

impl LeadOverview {
    /// Whether nothing needs attention.
    pub fn is_empty(&self) -> bool {
        self.escalated.is_empty()
            && self.breached.is_empty()
            && self.at_risk.is_empty()
            && self.reviews.is_empty()
    }
}

impl App {
    /// What needs the actor's attention as a lead: escalations, SLA breaches and risks among
    /// the active tickets they may see, and open SOP reviews (leads and admins).
    pub async fn lead_overview(&self, actor: &Actor) -> Result<LeadOverview, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        if !(actor.is_lead() || actor.is_admin()) {
            return Err(AppError::Forbidden(
                "only leads and admins have this overview".to_owned(),
            ));
        }
        let page = self
            .list_tickets(
                actor,
                TicketFilter {
                    statuses: vec![
                        Status::New,
                        Status::Assigned,
                        Status::InProgress,
                        Status::Pending,
                    ],
                    sort: TicketSort::PriorityAsc,
                    limit: LOOKED_AT,
                    ..TicketFilter::default()
                },
            )
            .await?;
        let tickets = page.tickets;
        let clocks = self
            .sla_views(actor.tenant_id, &tickets.iter().collect::<Vec<_>>())
            .await?;
        let mut overview = LeadOverview::default();
        for ticket in tickets {
            let own = clocks
                .get(&ticket.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let breached = own.iter().any(|c| c.state == ClockState::Breached);
            let at_risk = own.iter().any(|c| {
                c.state == ClockState::Running
                    && c.target_micros > 0
                    && c.elapsed_micros.saturating_mul(100)
                        >= c.target_micros.saturating_mul(i64::from(c.warning_percent))
            });
            if ticket.escalated {
                overview.escalated.push(ticket.clone());
            }
            if breached {
                overview.breached.push(ticket);
            } else if at_risk {
                overview.at_risk.push(ticket);
            }
        }
        if permit(actor, Some(Resource::Sops), Access::Read).is_ok() {
            overview.reviews = self.list_sop_reviews(actor).await?.open;
        }
        Ok(overview)
    }
}
