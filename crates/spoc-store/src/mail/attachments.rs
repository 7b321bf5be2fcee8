//! The Message-IDs that thread mail to tickets, and tickets' attachments.

use spoc_domain::access::Scope;
use spoc_domain::{AttachmentId, TicketId};

use super::{ATTACHMENT_COLUMNS, AttachmentRecord, AttachmentRow};
use crate::StoreError;
use crate::db::Sql;
use crate::scope::push_scope;

impl crate::Store {
    // ----- threads and attachments -----

    /// The ticket one of these Message-IDs belongs to (the first that matches, in order).
    pub async fn ticket_of_messages(
        &self,
        message_ids: &[String],
    ) -> Result<Option<TicketId>, StoreError> {
        if message_ids.is_empty() {
            return Ok(None);
        }
        let mut qb =
            Sql::new("SELECT message_id, ticket_id FROM mail_threads WHERE message_id IN (");
        qb.push_list(message_ids.iter().map(String::as_str));
        qb.push(")");
        let rows: Vec<(String, i64)> = self.read().fetch_all(qb).await?;
        Ok(message_ids.iter().find_map(|m| {
            rows.iter()
                .find(|(id, _)| id == m)
                .map(|(_, t)| TicketId::new(*t))
        }))
    }

    /// The first inbound Message-ID of a ticket (the thread root for replies), if it came by
    /// mail.
    pub async fn thread_root(&self, ticket: TicketId) -> Result<Option<String>, StoreError> {
        self.read().fetch_optional_scalar(Sql::new("SELECT message_id FROM mail_threads WHERE ticket_id = $1 AND NOT outbound ORDER BY created_at, message_id LIMIT 1",).bind(ticket.get()))
        .await
    }

    /// A ticket's attachments (only the requester-visible ones unless `include_internal`).
    pub async fn list_attachments(
        &self,
        ticket: TicketId,
        scope: &Scope,
        include_internal: bool,
    ) -> Result<Vec<AttachmentRecord>, StoreError> {
        let mut sql = Sql::new(format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE (public OR "
        ));
        sql.push_bind(include_internal)
            .push(") AND ticket_id IN (SELECT t.id FROM tickets t WHERE t.id = ")
            .push_bind(ticket.get());
        push_scope(&mut sql, scope);
        sql.push(") ORDER BY id");
        let rows: Vec<AttachmentRow> = self.read().fetch_all(sql).await?;
        Ok(rows.into_iter().map(AttachmentRecord::from).collect())
    }

    /// One attachment with its bytes.
    pub async fn get_attachment(
        &self,
        id: AttachmentId,
    ) -> Result<(AttachmentRecord, Vec<u8>), StoreError> {
        let row: Option<AttachmentRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE id = $1"
                ))
                .bind(id.get()),
            )
            .await?;
        let record = AttachmentRecord::from(row.ok_or(StoreError::NotFound)?);
        let content: Vec<u8> = self
            .read()
            .fetch_scalar(Sql::new("SELECT content FROM attachments WHERE id = $1").bind(id.get()))
            .await?;
        Ok((record, content))
    }
}
