//! Reading the change feed: every committed change of a record at a position that increases in
//! commit order without gaps (see the `changes` migration and `Tx::commit`).

use crate::changes::{ChangeRecord, ChangeRow};
use crate::db::Sql;
use crate::{Store, StoreError};

impl Store {
    /// Up to `limit` committed changes after position `after`, in order. A consumer that
    /// passes the last position it handled gets every later change once.
    pub async fn changes_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ChangeRecord>, StoreError> {
        let rows: Vec<ChangeRow> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT position, at, entity, entity_id, kind, public, actor_id, actor_system FROM changes \
                     WHERE position > $1 ORDER BY position LIMIT $2",
                )
                .bind(after)
                .bind(limit),
            )
            .await?;
        rows.into_iter().map(ChangeRecord::try_from).collect()
    }

    /// The position of the last committed change (0 before the first).
    pub async fn feed_head(&self) -> Result<i64, StoreError> {
        self.read()
            .fetch_scalar(Sql::new("SELECT position FROM feed_head WHERE id = 1"))
            .await
    }
}
