//! Importing a directory: people (paged; incrementally by `modifyTimestamp`, with a full pass
//! at least daily or when asked that finds people who left), their e-mail, name and unique id,
//! and their membership of mapped groups (roles, resolver groups). A person the full pass no
//! longer finds is deprovisioned: deactivated, every session and API token ended at once; one
//! who comes back is reactivated by the next sync that finds them.

use std::collections::{HashMap, HashSet};

use spoc_domain::access::{Actor, Principal, SystemActor};
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::text::Email;
use spoc_domain::user::Role;
use spoc_domain::{DirectoryId, GroupId, UserId};
use spoc_store::{
    DirectoryPersonRecord, DirectoryRecord, NewUser, StoreError, SyncOutcome, UserUpdate,
};

use super::client::{self, Entry};
use super::{Directory, GroupMapping, mappings_from_json};
use crate::auth::{permit, random_hex};
use crate::error::not_found;
use crate::{App, AppError, FromRecord};

/// How long a node holds a directory it syncs.
const LEASE_MICROS: i64 = 10 * 60 * 1_000_000;
/// An incremental pass is replaced by a full one when the last full pass is older than this.
const FULL_EVERY_MICROS: i64 = 24 * 3600 * 1_000_000;

/// What a sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// A full pass (which deprovisions people who left), or an incremental one.
    pub full: bool,
    /// People entries read.
    pub seen: u64,
    /// People added.
    pub created: u64,
    /// People whose e-mail, name, role or groups changed.
    pub updated: u64,
    /// People deprovisioned.
    pub deprovisioned: u64,
    /// Entries left out (no e-mail or unique id, or an address another directory owns).
    pub skipped: u64,
}

impl SyncReport {
    /// The report in one line, kept as the directory's last sync result.
    pub fn summary(&self) -> String {
        format!(
            "{} pass: {} read, {} added, {} updated, {} deprovisioned, {} skipped",
            if self.full { "full" } else { "incremental" },
            self.seen,
            self.created,
            self.updated,
            self.deprovisioned,
            self.skipped
        )
    }
}

/// A DN compared as directories do, roughly: lower case, no blanks around `,` and `=`.
pub(super) fn dn_key(dn: &str) -> String {
    let lower = dn.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for part in lower.split(',') {
        if !out.is_empty() {
            out.push(',');
        }
        let part = part.trim();
        match part.split_once('=') {
            Some((k, v)) => {
                out.push_str(k.trim());
                out.push('=');
                out.push_str(v.trim());
            }
            None => out.push_str(part),
        }
    }
    out
}

fn rank(role: Role) -> u8 {
    match role {
        Role::Customer => 0,
        Role::Agent => 1,
        Role::Lead => 2,
        Role::Admin => 3,
    }
}

/// The mapped groups each member DN (as [`dn_key`]) is in.
pub(super) fn memberships<'m>(
    groups: &[Entry],
    member_attribute: &str,
    mappings: &'m [GroupMapping],
) -> HashMap<String, Vec<&'m GroupMapping>> {
    let mut of: HashMap<String, Vec<&GroupMapping>> = HashMap::new();
    for group in groups {
        let key = dn_key(&group.dn);
        for mapping in mappings.iter().filter(|m| dn_key(&m.group_dn) == key) {
            for member in group.texts(member_attribute) {
                of.entry(dn_key(member)).or_default().push(mapping);
            }
        }
    }
    of
}

impl App {
    /// Syncs a directory now and says what it did (admins); `full` also deprovisions people
    /// who left. Refused while another sync of it runs.
    pub async fn sync_directory(
        &self,
        actor: &Actor,
        id: DirectoryId,
        full: bool,
    ) -> Result<SyncReport, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let record = self
            .store
            .get_directory(actor.tenant_id, id)
            .await
            .map_err(not_found("directory"))?;
        let owner = format!("admin-{}", random_hex(8));
        let now = self.now();
        if !self
            .store
            .lease_directory(
                actor.tenant_id,
                id,
                &owner,
                now,
                now.plus_micros(LEASE_MICROS),
            )
            .await?
        {
            return Err(AppError::Conflict(
                "a sync of this directory is running; try again in a few minutes".to_owned(),
            ));
        }
        let report = self.sync_and_finish(&record, &owner, full).await?;
        report.map_err(|e| AppError::Conflict(format!("the sync failed: {e}")))
    }

    /// Leases one directory whose sync is due to worker `owner` (system use).
    pub async fn claim_directory(&self, owner: &str) -> Result<Option<Directory>, AppError> {
        let now = self.now();
        Ok(self
            .store
            .claim_directory(now, owner, now.plus_micros(LEASE_MICROS))
            .await?
            .map(Directory::from_record))
    }

    /// Syncs a directory `owner` has leased, records the result and gives the lease back
    /// (system use: the sync worker). The error, if any, is the sync's.
    pub async fn run_claimed_directory_sync(
        &self,
        directory: &Directory,
        owner: &str,
    ) -> Result<Option<String>, AppError> {
        let record = self
            .store
            .get_directory(directory.tenant_id, directory.id)
            .await
            .map_err(not_found("directory"))?;
        Ok(self.sync_and_finish(&record, owner, false).await?.err())
    }

    /// Runs one sync of a leased directory and records how it ended. The outer error is the
    /// desk's (its database); the inner one the directory's.
    async fn sync_and_finish(
        &self,
        record: &DirectoryRecord,
        owner: &str,
        full: bool,
    ) -> Result<Result<SyncReport, String>, AppError> {
        let app = self.clone();
        let leased = record.clone();
        let result = contained(async move { app.sync_leased(&leased, full).await }).await;
        let outcome = match &result {
            Ok(Ok((report, high_water))) => SyncOutcome::Done {
                summary: report.summary(),
                high_water: high_water.clone(),
                full: report.full,
            },
            Ok(Err(e)) => SyncOutcome::Failed(e.clone()),
            Err(e) => SyncOutcome::Failed(e.to_string()),
        };
        self.store
            .finish_directory_sync(record.id, owner, self.now(), &outcome)
            .await?;
        Ok(result?.map(|(report, _)| report))
    }

    async fn sync_leased(
        &self,
        record: &DirectoryRecord,
        full: bool,
    ) -> Result<Result<(SyncReport, Option<String>), String>, AppError> {
        let i = &record.input;
        let stale_full = record
            .last_full_sync_at
            .is_none_or(|at| self.now().as_micros() - at.as_micros() > FULL_EVERY_MICROS);
        let high_water = record.high_water.clone().filter(|_| !full && !stale_full);
        let settings = self.connection_settings(record)?;
        let fetched = async {
            let mut ldap = client::connect(&settings).await?;
            let filter = match &high_water {
                Some(mark) => format!(
                    "(&{}(modifyTimestamp>={}))",
                    i.user_filter,
                    ldap3::ldap_escape(mark.as_str())
                ),
                None => i.user_filter.clone(),
            };
            let attributes = [
                i.email_attribute.as_str(),
                i.name_attribute.as_str(),
                i.id_attribute.as_str(),
                "modifyTimestamp",
            ];
            let people = client::search(&mut ldap, &i.user_base, &filter, &attributes).await;
            let groups = match (&people, &i.group_base) {
                (Ok(_), Some(base)) => {
                    client::search(&mut ldap, base, &i.group_filter, &[&i.member_attribute])
                        .await
                        .map(Some)
                }
                _ => Ok(None),
            };
            let _ = ldap.unbind().await;
            Ok::<_, String>((people?, groups?))
        }
        .await;
        let (people, groups) = match fetched {
            Ok(found) => found,
            Err(e) => return Ok(Err(e)),
        };
        let mut report = SyncReport {
            full: high_water.is_none(),
            ..SyncReport::default()
        };
        let mut newest = high_water.clone();
        let mut seen = HashSet::new();
        let mut links: HashMap<String, DirectoryPersonRecord> = self
            .store
            .directory_people(record.tenant_id, record.id)
            .await?
            .into_iter()
            .map(|l| (l.external_id.clone(), l))
            .collect();
        let mappings = mappings_from_json(&i.mappings);
        for entry in &people {
            report.seen += 1;
            if let Some(stamp) = entry.text("modifyTimestamp")
                && newest.as_deref().is_none_or(|n| stamp > n)
            {
                newest = Some(stamp.to_owned());
            }
            let (Some(external_id), Some(email)) = (
                entry.id(&i.id_attribute),
                entry
                    .text(&i.email_attribute)
                    .and_then(|e| Email::parse(e).ok()),
            ) else {
                report.skipped += 1;
                continue;
            };
            seen.insert(external_id.clone());
            let name = entry
                .text(&i.name_attribute)
                .map_or_else(|| email.as_str().to_owned(), |n| n.trim().to_owned());
            let person = Found {
                external_id,
                email: email.as_str().to_lowercase(),
                name,
                dn: entry.dn.clone(),
            };
            match self
                .import_person(record, links.get(&person.external_id), &person)
                .await?
            {
                Imported::Created(link) => {
                    report.created += 1;
                    links.insert(link.external_id.clone(), link);
                }
                Imported::Updated(link) => {
                    report.updated += 1;
                    links.insert(link.external_id.clone(), link);
                }
                Imported::Unchanged => {}
                Imported::Skipped => report.skipped += 1,
            }
        }
        if let Some(groups) = groups {
            let of = memberships(&groups, &i.member_attribute, &mappings);
            for link in links.values() {
                let mapped = of.get(&dn_key(&link.dn)).map_or(&[][..], Vec::as_slice);
                if self
                    .apply_memberships(record, link.user_id, &mappings, mapped)
                    .await?
                {
                    report.updated += 1;
                }
            }
        }
        if report.full {
            // A person read under a new unique id (their entry made anew) is still there.
            let seen_people: HashSet<UserId> = links
                .values()
                .filter(|l| seen.contains(&l.external_id))
                .map(|l| l.user_id)
                .collect();
            for link in links
                .values()
                .filter(|l| !seen.contains(&l.external_id) && !seen_people.contains(&l.user_id))
            {
                let user = self.store.get_user(record.tenant_id, link.user_id).await?;
                if user.active {
                    self.deprovision_person(record.tenant_id, link.user_id, "ldap")
                        .await?;
                    self.store
                        .mark_directory_person_deprovisioned(
                            record.tenant_id,
                            record.id,
                            link.user_id,
                            self.now(),
                        )
                        .await?;
                    report.deprovisioned += 1;
                }
            }
        }
        Ok(Ok((report, newest)))
    }

    /// Creates, links or updates the person behind one directory entry.
    async fn import_person(
        &self,
        record: &DirectoryRecord,
        link: Option<&DirectoryPersonRecord>,
        found: &Found,
    ) -> Result<Imported, AppError> {
        let tenant = record.tenant_id;
        let now = self.now();
        let new_link = |user_id: UserId| DirectoryPersonRecord {
            user_id,
            external_id: found.external_id.clone(),
            dn: found.dn.clone(),
        };
        if let Some(link) = link {
            let mut user = self.store.get_user(tenant, link.user_id).await?;
            let mut changed = false;
            if !user.active {
                // Back in the directory after its sync deprovisioned them: active again. One
                // an admin deactivated stays so.
                if !self.reactivate_person(record, user.id).await? {
                    return Ok(Imported::Unchanged);
                }
                user = self.store.get_user(tenant, link.user_id).await?;
                changed = true;
            }
            if user.email != found.email {
                match self
                    .store
                    .set_user_email(tenant, user.id, &found.email)
                    .await
                {
                    Ok(()) => changed = true,
                    Err(StoreError::Conflict { .. }) => return Ok(Imported::Skipped),
                    Err(e) => return Err(e.into()),
                }
            }
            if user.name != found.name {
                let update = UserUpdate {
                    name: Some(found.name.clone()),
                    ..UserUpdate::default()
                };
                self.store.update_user(tenant, user.id, &update).await?;
                changed = true;
            }
            if link.dn != found.dn {
                changed = true;
            }
            let link = new_link(user.id);
            self.store
                .link_directory_person(tenant, record.id, &link, now)
                .await?;
            return Ok(if changed {
                Imported::Updated(link)
            } else {
                Imported::Unchanged
            });
        }
        match self.store.find_user_by_email(tenant, &found.email).await? {
            Some(user) => {
                let owner = self.store.directory_of_person(tenant, user.id).await?;
                if owner.is_some_and(|o| o != record.id) {
                    return Ok(Imported::Skipped);
                }
                if !user.active {
                    // Their entry made anew (a new unique id) after this directory's sync
                    // deprovisioned them: active again, as above.
                    self.reactivate_person(record, user.id).await?;
                }
                let link = new_link(user.id);
                self.store
                    .link_directory_person(tenant, record.id, &link, now)
                    .await?;
                Ok(Imported::Updated(link))
            }
            None => {
                let user = self
                    .store
                    .create_user(&NewUser {
                        tenant_id: tenant,
                        email: found.email.clone(),
                        name: found.name.clone(),
                        role: record.input.default_role,
                        organization_id: None,
                        super_user: false,
                        password_hash: None,
                        now,
                    })
                    .await;
                let user = match user {
                    Ok(user) => user,
                    Err(StoreError::Conflict { .. }) => return Ok(Imported::Skipped),
                    Err(e) => return Err(e.into()),
                };
                let link = new_link(user.id);
                self.store
                    .link_directory_person(tenant, record.id, &link, now)
                    .await?;
                Ok(Imported::Created(link))
            }
        }
    }

    /// Reactivates a person this directory's sync deprovisioned, now back in it, and records it
    /// in the audit log; whether they were (not one an admin deactivated).
    async fn reactivate_person(
        &self,
        record: &DirectoryRecord,
        user: UserId,
    ) -> Result<bool, AppError> {
        if !self
            .store
            .reactivate_directory_person(record.tenant_id, record.id, user)
            .await?
        {
            return Ok(false);
        }
        tracing::info!(tenant = %record.tenant_id, %user, "person back in the directory: reactivated");
        self.audit_in(
            record.tenant_id,
            Principal::System(SystemActor::Integration),
            AuditAction::PersonReactivated,
            AuditTarget::User(user),
        )
        .await?;
        Ok(true)
    }

    /// Gives a linked person the role and resolver groups their mapped directory groups
    /// (`mapped`) say; whether anything changed. The role is only managed when some mapping
    /// gives one; resolver groups only those a mapping names.
    pub(super) async fn apply_memberships(
        &self,
        record: &DirectoryRecord,
        user_id: UserId,
        mappings: &[GroupMapping],
        mapped: &[&GroupMapping],
    ) -> Result<bool, AppError> {
        let tenant = record.tenant_id;
        let user = self.store.get_user(tenant, user_id).await?;
        if !user.active {
            return Ok(false);
        }
        let mut changed = false;
        if mappings.iter().any(|m| m.role.is_some()) {
            let role = mapped
                .iter()
                .filter_map(|m| m.role)
                .max_by_key(|r| rank(*r))
                .unwrap_or(record.input.default_role);
            if role != user.role {
                let update = UserUpdate {
                    role: Some(role),
                    ..UserUpdate::default()
                };
                self.store.update_user(tenant, user.id, &update).await?;
                changed = true;
            }
        }
        let wanted: HashSet<GroupId> = mapped.iter().filter_map(|m| m.group_id).collect();
        let current: HashSet<GroupId> = self.store.groups_of(user.id).await?.into_iter().collect();
        for group in mappings.iter().filter_map(|m| m.group_id) {
            match (wanted.contains(&group), current.contains(&group)) {
                (true, false) => {
                    self.store.add_group_member(group, user.id).await?;
                    changed = true;
                }
                (false, true) => {
                    self.store.remove_group_member(group, user.id).await?;
                    changed = true;
                }
                _ => {}
            }
        }
        Ok(changed)
    }
}

/// Runs one sync in its own task, so that a panic inside it (the LDAP client's paging, say)
/// ends only this sync, as a failure recorded like any other, never the worker.
async fn contained<T: Send + 'static>(
    sync: impl Future<Output = Result<Result<T, String>, AppError>> + Send + 'static,
) -> Result<Result<T, String>, AppError> {
    match tokio::spawn(sync).await {
        Ok(result) => result,
        Err(e) => {
            tracing::error!(error = %e, "a directory sync stopped on an internal error");
            Ok(Err(format!("the sync stopped on an internal error: {e}")))
        }
    }
}

/// A person as the directory lists them.
pub(super) struct Found {
    pub external_id: String,
    pub email: String,
    pub name: String,
    pub dn: String,
}

enum Imported {
    Created(DirectoryPersonRecord),
    Updated(DirectoryPersonRecord),
    Unchanged,
    Skipped,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_sync_is_a_recorded_failure() {
        let failed = contained(async {
            if "ldap".len() == 4 {
                panic!("paging went wrong");
            }
            Ok::<_, AppError>(Ok(1))
        })
        .await;
        let message = failed.unwrap().unwrap_err();
        assert!(message.contains("paging went wrong"), "{message}");
        let done = contained(async { Ok::<_, AppError>(Ok::<_, String>(7)) }).await;
        assert_eq!(done.unwrap(), Ok(7));
    }

    #[test]
    fn dns_compare_loosely() {
        assert_eq!(
            dn_key("CN=Ann Lee, OU=People ,DC=Example,DC=org"),
            "cn=ann lee,ou=people,dc=example,dc=org"
        );
    }

    #[test]
    fn reports_read_as_a_line() {
        let report = SyncReport {
            full: true,
            seen: 3,
            created: 2,
            ..SyncReport::default()
        };
        assert_eq!(
            report.summary(),
            "full pass: 3 read, 2 added, 0 updated, 0 deprovisioned, 0 skipped"
        );
    }
}
