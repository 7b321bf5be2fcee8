//! Mailboxes (with the lease that lets one node poll each) and organisation domain rules.

use spoc_domain::{MailboxId, OrganizationId, TenantId, Timestamp};

use super::{MAILBOX_COLUMNS, MailboxInput, MailboxRecord, MailboxRow};
use crate::StoreError;
use crate::changes::{Change, Entity};
use crate::db::Sql;

impl crate::Store {
    // ----- mailboxes -----

    /// Adds a mailbox. A taken name is a `Conflict`.
    pub async fn create_mailbox(
        &self,
        tenant: TenantId,
        input: &MailboxInput,
        now: Timestamp,
    ) -> Result<MailboxRecord, StoreError> {
        let imap = input.imap.as_ref();
        let row: MailboxRow = self.write_fetch_one(Sql::new(format!(
            "INSERT INTO mailboxes (name, address, enabled, imap_host, imap_port, imap_security, \
             imap_username, imap_password, ca_certificate, folder, processed_folder, unknown_senders, \
             non_participants, ticket_kind, poll_seconds, created_at, updated_at, tenant_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17) \
             RETURNING {MAILBOX_COLUMNS}"
        )).bind(&input.name).bind(&input.address).bind(input.enabled).bind(imap.map(|i| i.host.clone())).bind(imap.map(|i| i64::from(i.port))).bind(imap.map(|i| i.security.as_str())).bind(imap.map(|i| i.username.clone())).bind(imap.map(|i| i.password.clone())).bind(imap.and_then(|i| i.ca_certificate.clone())).bind(&input.folder).bind(input.processed_folder.as_deref()).bind(input.unknown_senders.as_str()).bind(input.non_participants.as_str()).bind(input.ticket_kind.as_str()).bind(input.poll_seconds).bind(now.as_micros()).bind(tenant.get()))
        .await?;
        row.try_into()
    }

    /// Replaces a mailbox's settings.
    pub async fn update_mailbox(
        &self,
        tenant: TenantId,
        id: MailboxId,
        input: &MailboxInput,
        now: Timestamp,
    ) -> Result<MailboxRecord, StoreError> {
        let imap = input.imap.as_ref();
        let row: Option<MailboxRow> = self.write_fetch_optional(Sql::new(format!(
            "UPDATE mailboxes SET name = $1, address = $2, enabled = $3, imap_host = $4, imap_port = $5, \
             imap_security = $6, imap_username = $7, imap_password = $8, ca_certificate = $9, folder = $10, \
             processed_folder = $11, unknown_senders = $12, non_participants = $13, ticket_kind = $14, \
             poll_seconds = $15, updated_at = $16, last_error = NULL WHERE id = $17 AND tenant_id = $18 RETURNING {MAILBOX_COLUMNS}"
        )).bind(&input.name).bind(&input.address).bind(input.enabled).bind(imap.map(|i| i.host.clone())).bind(imap.map(|i| i64::from(i.port))).bind(imap.map(|i| i.security.as_str())).bind(imap.map(|i| i.username.clone())).bind(imap.map(|i| i.password.clone())).bind(imap.and_then(|i| i.ca_certificate.clone())).bind(&input.folder).bind(input.processed_folder.as_deref()).bind(input.unknown_senders.as_str()).bind(input.non_participants.as_str()).bind(input.ticket_kind.as_str()).bind(input.poll_seconds).bind(now.as_micros()).bind(id.get()).bind(tenant.get()))
        .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Replaces a mailbox's stored IMAP password with `new` only if it still is `current`
    /// (re-encryption must not undo a change made meanwhile); `false` when it was not.
    pub async fn replace_mailbox_password(
        &self,
        id: MailboxId,
        current: &str,
        new: &str,
    ) -> Result<bool, StoreError> {
        let done = self
            .writer()
            .execute(
                Sql::new(
                    "UPDATE mailboxes SET imap_password = $1 WHERE id = $2 AND imap_password = $3 \
                     /* all-tenants: re-encrypting every stored password */",
                )
                .bind(new)
                .bind(id.get())
                .bind(current),
            )
            .await?;
        Ok(done == 1)
    }

    /// Every mailbox, by name.
    pub async fn list_mailboxes(&self, tenant: TenantId) -> Result<Vec<MailboxRecord>, StoreError> {
        let rows: Vec<MailboxRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE tenant_id = $1 ORDER BY name, id"
                ))
                .bind(tenant.get()),
            )
            .await?;
        rows.into_iter().map(MailboxRecord::try_from).collect()
    }

    /// Every mailbox of every tenant, by id: for the desk's own upkeep (re-encrypting stored
    /// passwords, finding a mailbox's own addresses).
    pub async fn list_mailboxes_all_tenants(&self) -> Result<Vec<MailboxRecord>, StoreError> {
        let rows: Vec<MailboxRow> = self
            .read()
            .fetch_all(Sql::new(format!(
                "SELECT {MAILBOX_COLUMNS} FROM mailboxes \
                 /* all-tenants: the desk's own upkeep */ ORDER BY id"
            )))
            .await?;
        rows.into_iter().map(MailboxRecord::try_from).collect()
    }

    /// One mailbox.
    pub async fn get_mailbox(
        &self,
        tenant: TenantId,
        id: MailboxId,
    ) -> Result<MailboxRecord, StoreError> {
        let row: Option<MailboxRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE id = $1 AND tenant_id = $2"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Leases one enabled IMAP mailbox whose poll is due at `now` and that no live worker
    /// holds, to `owner` until `lease_until`; `None` when there is none. One node polls a
    /// mailbox at a time; a crashed node's lease simply expires.
    pub async fn claim_mailbox(
        &self,
        now: Timestamp,
        owner: &str,
        lease_until: Timestamp,
    ) -> Result<Option<MailboxRecord>, StoreError> {
        let skip_locked = self.read().dialect().skip_locked();
        let mut tx = self.begin().await?;
        let sql = format!(
            "UPDATE mailboxes SET lease_owner = $1, lease_until = $2 WHERE id IN ( \
               SELECT id FROM mailboxes WHERE enabled AND imap_host IS NOT NULL \
               AND (lease_until IS NULL OR lease_until < $3) \
               AND (last_polled_at IS NULL OR last_polled_at + poll_seconds * 1000000 <= $3) \
               ORDER BY COALESCE(last_polled_at, 0), id LIMIT 1{skip_locked}) \
             /* all-tenants: mail intake polls every tenant's mailboxes */ \
             RETURNING {MAILBOX_COLUMNS}"
        );
        let row: Option<MailboxRow> = tx
            .fetch_optional(
                Sql::new(sql)
                    .bind(owner)
                    .bind(lease_until.as_micros())
                    .bind(now.as_micros()),
            )
            .await?;
        tx.commit().await?;
        row.map(MailboxRecord::try_from).transpose()
    }

    /// Extends `owner`'s lease on a mailbox; `false` when the lease was lost.
    pub async fn renew_mailbox_lease(
        &self,
        id: MailboxId,
        owner: &str,
        lease_until: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self
            .writer()
            .execute(
                Sql::new(
                    "UPDATE mailboxes SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 \
                     /* all-tenants: this node's claim */",
                )
                .bind(lease_until.as_micros())
                .bind(id.get())
                .bind(owner),
            )
            .await?;
        Ok(done == 1)
    }

    /// Records a finished poll (its error, if it failed) and gives the lease back.
    pub async fn finish_mailbox_poll(
        &self,
        id: MailboxId,
        owner: &str,
        now: Timestamp,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        self.write_execute(Sql::new("UPDATE mailboxes SET last_polled_at = $1, last_error = $2, lease_owner = NULL, lease_until = NULL \
             WHERE id = $3 AND lease_owner = $4 /* all-tenants: this node's claim */",).bind(now.as_micros()).bind(error).bind(id.get()).bind(owner))
        .await?;
        Ok(())
    }

    // ----- organisation domains -----

    /// Replaces an organisation's e-mail domains. A domain another organisation has is a
    /// unique `Conflict`.
    pub async fn set_organization_domains(
        &self,
        tenant: TenantId,
        organization: OrganizationId,
        domains: &[String],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new(
                "DELETE FROM organization_domains WHERE organization_id = $1 AND tenant_id = $2",
            )
            .bind(organization.get())
            .bind(tenant.get()),
        )
        .await?;
        for domain in domains {
            tx.execute(
                Sql::new(
                    "INSERT INTO organization_domains (domain, organization_id, tenant_id) VALUES ($1, $2, $3)",
                )
                .bind(domain)
                .bind(organization.get())
                .bind(tenant.get()),
            )
            .await?;
        }
        tx.changed(Change::of(
            tenant,
            Entity::Organization,
            organization.get(),
            "updated",
        ));
        tx.commit().await?;
        Ok(())
    }

    /// Every domain rule: `(domain, organisation)`, by domain.
    pub async fn list_organization_domains(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<(String, OrganizationId)>, StoreError> {
        let rows: Vec<(String, i64)> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT domain, organization_id FROM organization_domains WHERE tenant_id = $1 \
                     ORDER BY domain",
                )
                .bind(tenant.get()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(d, o)| (d, OrganizationId::new(o)))
            .collect())
    }

    /// The organisation whose rule covers `domain`, if any.
    pub async fn organization_for_domain(
        &self,
        tenant: TenantId,
        domain: &str,
    ) -> Result<Option<OrganizationId>, StoreError> {
        let id: Option<i64> = self
            .read()
            .fetch_optional_scalar(
                Sql::new(
                    "SELECT organization_id FROM organization_domains WHERE domain = $1 \
                     AND tenant_id = $2",
                )
                .bind(domain)
                .bind(tenant.get()),
            )
            .await?;
        Ok(id.map(OrganizationId::new))
    }
}
