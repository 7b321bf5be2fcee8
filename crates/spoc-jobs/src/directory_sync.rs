//! LDAP directory sync: every half minute, claims each directory whose sync is due (or that an
//! admin asked to sync) and imports it. The claim is a lease on the directory's row, so one node
//! syncs a directory at a time, and a crashed node's lease simply expires.

use std::time::Duration;

use crate::{Job, JobError, Progress, Step};

/// Syncs due LDAP directories. Every node runs it; the directories' own leases keep two nodes
/// from syncing one directory at once.
#[derive(Clone, Copy, Debug)]
pub struct DirectorySync {
    /// How often it looks for due directories.
    pub interval: Duration,
}

impl Default for DirectorySync {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(30),
        }
    }
}

impl Job for DirectorySync {
    fn name(&self) -> &'static str {
        "directory-sync"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    async fn run_once(&self, step: &Step) -> Result<Progress, JobError> {
        let mut synced = 0;
        while !step.stopping() {
            let Some(directory) = step.app().claim_directory(step.owner()).await? else {
                break;
            };
            synced += 1;
            if let Some(error) = step
                .app()
                .run_claimed_directory_sync(&directory, step.owner())
                .await?
            {
                tracing::warn!(directory = %directory.name, tenant = %directory.tenant_id,
                    error = %error, "syncing a directory failed");
            }
        }
        Ok(Progress::done(synced))
    }
}
