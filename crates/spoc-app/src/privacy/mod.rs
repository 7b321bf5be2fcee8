//! People's data (issue 13): a person's export — everything the desk holds about them as one
//! archive, asked for by themself or by an admin of their tenant — and their erasure, which
//! anonymises them everywhere while tickets keep their statistics and history's structure.

mod archive;

use spoc_domain::UserId;
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::user::Role;
use spoc_store::ErasureChoice;

use crate::auth::permit;
use crate::error::not_found;
use crate::{App, AppError};

pub use archive::DataExport;

/// What an erasure replaces besides the person's name and e-mail address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Erasure {
    /// Replace the texts the person wrote (replies, notes, reasons, mail, portal searches).
    pub erase_texts: bool,
    /// Keep the texts of the tickets they requested (title, description, their replies there),
    /// with only their name and address replaced.
    pub keep_requested_ticket_texts: bool,
}

impl Default for Erasure {
    fn default() -> Self {
        Self {
            erase_texts: true,
            keep_requested_ticket_texts: false,
        }
    }
}

impl App {
    /// Everything the desk holds about the actor, as one archive.
    pub async fn export_own_data(&self, actor: &Actor) -> Result<DataExport, AppError> {
        permit(actor, None, Access::Read)?;
        let me = actor.person()?;
        self.export(actor, me).await
    }

    /// Everything the desk holds about a person of the admin's tenant, as one archive.
    pub async fn export_person(&self, actor: &Actor, id: UserId) -> Result<DataExport, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor
            .may_administer()
            .map_err(|_| AppError::NotFound { what: "user" })?;
        self.export(actor, id).await
    }

    async fn export(&self, actor: &Actor, id: UserId) -> Result<DataExport, AppError> {
        self.store
            .get_user(actor.tenant_id, id)
            .await
            .map_err(not_found("user"))?;
        let data = self.store.person_data(actor.tenant_id, id).await?;
        archive::build(id, self.now(), data)
    }

    /// Erases a person of the admin's tenant, irreversibly: see [`spoc_store::Store::erase_person`].
    /// Refused for the admin themself and for the tenant's last active admin.
    pub async fn erase_person(
        &self,
        actor: &Actor,
        id: UserId,
        erasure: Erasure,
    ) -> Result<(), AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor
            .may_administer()
            .map_err(|_| AppError::NotFound { what: "user" })?;
        let person = self
            .store
            .get_user(actor.tenant_id, id)
            .await
            .map_err(not_found("user"))?;
        if actor.is_user(id) {
            return Err(AppError::Forbidden(
                "admins cannot erase themselves; another admin must do it".to_owned(),
            ));
        }
        if person.role == Role::Admin
            && person.active
            && self.store.count_active_admins(actor.tenant_id).await? <= 1
        {
            return Err(AppError::Forbidden(
                "this is the last active admin of the desk; make someone else an admin first"
                    .to_owned(),
            ));
        }
        let choice = ErasureChoice {
            texts: erasure.erase_texts,
            keep_requested_texts: erasure.keep_requested_ticket_texts,
        };
        self.store
            .erase_person(actor.tenant_id, id, choice)
            .await
            .map_err(not_found("user"))?;
        // The log names the person by id only; that id now reads as the erased placeholder.
        self.audit(
            actor,
            spoc_domain::audit::AuditAction::PersonErased {
                texts: erasure.erase_texts,
            },
            spoc_domain::audit::AuditTarget::User(id),
        )
        .await
    }
}
