//! Canned responses: reply texts agents keep for reuse — personal ones (each agent their own)
//! and the desk's shared ones (kept by leads and admins) — with placeholders filled from the
//! ticket when one is inserted (`spoc_domain::canned`). Only staff use them; a personal one is
//! visible to its owner alone, and nothing crosses tenants.

use spoc_domain::access::Actor;
use spoc_domain::canned::{self, PlaceholderValues};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::{CannedResponseId, TicketId, Timestamp, UserId};
use spoc_store::{CannedRecord, StoreError};

use crate::FromRecord;
use crate::auth::permit;
use crate::{App, AppError};

/// A canned response as its users see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CannedResponse {
    /// Id.
    pub id: CannedResponseId,
    /// Whose it is; `None`: shared by the desk.
    pub owner_id: Option<UserId>,
    /// Its title.
    pub title: String,
    /// Its text, with placeholders.
    pub body: String,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

impl CannedResponse {
    /// Whether the desk shares it.
    pub fn shared(&self) -> bool {
        self.owner_id.is_none()
    }
}

impl FromRecord<CannedRecord> for CannedResponse {
    fn from_record(r: CannedRecord) -> Self {
        Self {
            id: r.id,
            owner_id: r.owner_id,
            title: r.title,
            body: r.body,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

fn staff(actor: &Actor) -> Result<(), AppError> {
    if actor.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only agents use canned responses".to_owned(),
        ))
    }
}

fn may_keep_shared(actor: &Actor) -> Result<(), AppError> {
    if actor.is_lead() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only leads and admins keep the shared canned responses".to_owned(),
        ))
    }
}

fn missing(e: StoreError) -> AppError {
    match e {
        StoreError::NotFound => AppError::NotFound {
            what: "canned response",
        },
        other => other.into(),
    }
}

impl App {
    /// The canned responses the actor may use: the desk's shared ones, then their own.
    pub async fn list_canned(&self, actor: &Actor) -> Result<Vec<CannedResponse>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        staff(actor)?;
        Ok(crate::converted(
            self.store
                .list_canned(actor.tenant_id, actor.person()?)
                .await?,
        ))
    }

    /// One canned response the actor may use (someone else's personal one does not exist for
    /// them).
    pub async fn get_canned(
        &self,
        actor: &Actor,
        id: CannedResponseId,
    ) -> Result<CannedResponse, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        staff(actor)?;
        let record = self
            .store
            .get_canned(actor.tenant_id, id)
            .await
            .map_err(missing)?;
        match record.owner_id {
            Some(owner) if owner != actor.person()? => Err(AppError::NotFound {
                what: "canned response",
            }),
            _ => Ok(CannedResponse::from_record(record)),
        }
    }

    /// Adds a canned response: the actor's own, or (leads and admins) a shared one. Unknown
    /// placeholders are refused.
    pub async fn create_canned(
        &self,
        actor: &Actor,
        shared: bool,
        title: &str,
        body: &str,
    ) -> Result<CannedResponse, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        staff(actor)?;
        if shared {
            may_keep_shared(actor)?;
        }
        let (title, body) = canned::check(title, body)?;
        let owner = if shared { None } else { Some(actor.person()?) };
        let record = self
            .store
            .insert_canned(actor.tenant_id, owner, &title, &body, self.now())
            .await?;
        Ok(CannedResponse::from_record(record))
    }

    /// Changes a canned response the actor keeps (their own; shared ones: leads and admins).
    pub async fn update_canned(
        &self,
        actor: &Actor,
        id: CannedResponseId,
        title: &str,
        body: &str,
    ) -> Result<CannedResponse, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        let current = self.get_canned(actor, id).await?;
        if current.shared() {
            may_keep_shared(actor)?;
        }
        let (title, body) = canned::check(title, body)?;
        let record = self
            .store
            .update_canned(actor.tenant_id, id, &title, &body, self.now())
            .await
            .map_err(missing)?;
        Ok(CannedResponse::from_record(record))
    }

    /// Removes a canned response the actor keeps.
    pub async fn delete_canned(&self, actor: &Actor, id: CannedResponseId) -> Result<(), AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        let current = self.get_canned(actor, id).await?;
        if current.shared() {
            may_keep_shared(actor)?;
        }
        self.store
            .delete_canned(actor.tenant_id, id)
            .await
            .map_err(missing)
    }

    /// The canned responses the actor may use, each with its placeholders filled for `ticket`
    /// (which the actor must be able to see): `(response, filled text)`.
    pub async fn canned_for_ticket(
        &self,
        actor: &Actor,
        ticket: TicketId,
    ) -> Result<Vec<(CannedResponse, String)>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let responses = self.list_canned(actor).await?;
        if responses.is_empty() {
            return Ok(Vec::new());
        }
        let ticket = self.get_ticket(actor, ticket).await?;
        let me = actor.person()?;
        let names = self
            .people_names(actor.tenant_id, [ticket.requester_id, me])
            .await?;
        let values = PlaceholderValues {
            requester_name: names.get(&ticket.requester_id).cloned().unwrap_or_default(),
            ticket_number: ticket.number().to_string(),
            ticket_subject: ticket.title.clone(),
            agent_name: names.get(&me).cloned().unwrap_or_default(),
        };
        Ok(responses
            .into_iter()
            .map(|r| {
                let filled = canned::fill(&r.body, &values);
                (r, filled)
            })
            .collect())
    }
}
