//! Signing in by bind: the service account finds the person's entry by e-mail (the address
//! LDAP-filter-escaped), then Spoc binds as that entry with the password given. An empty
//! password is never sent (it would be an anonymous bind, which directories accept).
//!
//! A directory signs in the people it provides, and people its filter finds whom the tenant
//! does not know yet (they are added, as an import would). A local account the directory does
//! not provide keeps its own password; a person another directory provides is left to that one.

use spoc_domain::TenantId;
use spoc_domain::text::Email;
use spoc_store::{DirectoryPersonRecord, DirectoryRecord, NewUser, UserRecord};

use super::client;
use super::mappings_from_json;
use super::sync::{dn_key, memberships};
use crate::{App, AppError};

impl App {
    /// The person `email` names in a tenant with a directory that takes `password` for them,
    /// if any (tenants oldest first). Directories that cannot be reached are passed over.
    pub(crate) async fn directory_sign_in(
        &self,
        visited: Option<TenantId>,
        email: &str,
        password: &str,
    ) -> Result<Option<UserRecord>, AppError> {
        let Ok(email) = Email::parse(email) else {
            return Ok(None);
        };
        if password.is_empty() {
            return Ok(None);
        }
        let email = email.as_str().to_lowercase();
        for directory in self.store.enabled_directories_all_tenants().await? {
            let tenant = directory.tenant_id;
            // Only the tenant the visit named, if it named one; never a deactivated tenant.
            if visited.is_some_and(|v| v != tenant)
                || (tenant != TenantId::FIRST && !self.tenant_active(tenant).await?)
            {
                continue;
            }
            let known = self.store.find_user_by_email(tenant, &email).await?;
            if let Some(user) = &known {
                let provider = self.store.directory_of_person(tenant, user.id).await?;
                if provider != Some(directory.id) || !user.active {
                    continue;
                }
            }
            match self.bind_person(&directory, &email, password).await {
                Ok(Some(found)) => {
                    return self.signed_in_by(&directory, known, found).await.map(Some);
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(directory = %directory.input.name, tenant = %tenant, error = %e,
                        "a directory could not check a sign-in");
                }
            }
        }
        Ok(None)
    }

    /// Finds the entry for `email` with the service account and binds as it with `password`:
    /// the entry and the DNs of its groups when the directory took the password.
    async fn bind_person(
        &self,
        directory: &DirectoryRecord,
        email: &str,
        password: &str,
    ) -> Result<Option<(client::Entry, Vec<client::Entry>)>, String> {
        let i = &directory.input;
        let settings = self
            .connection_settings(directory)
            .map_err(|e| e.to_string())?;
        let mut ldap = client::connect(&settings).await?;
        let filter = format!(
            "(&{}({}={}))",
            i.user_filter,
            i.email_attribute,
            ldap3::ldap_escape(email)
        );
        let attributes = [
            i.email_attribute.as_str(),
            i.name_attribute.as_str(),
            i.id_attribute.as_str(),
        ];
        let found = client::search(&mut ldap, &i.user_base, &filter, &attributes).await;
        let outcome = match found {
            Ok(entries) if entries.len() == 1 => {
                let entry = entries.into_iter().next();
                match entry {
                    Some(entry) => {
                        let groups = match &i.group_base {
                            Some(base) => {
                                let filter = format!(
                                    "(&{}({}={}))",
                                    i.group_filter,
                                    i.member_attribute,
                                    ldap3::ldap_escape(entry.dn.as_str())
                                );
                                client::search(&mut ldap, base, &filter, &[&i.member_attribute])
                                    .await?
                            }
                            None => Vec::new(),
                        };
                        // Bound as the person from here on: nothing else is read.
                        if client::bind_as(&mut ldap, &entry.dn, password).await {
                            Ok(Some((entry, groups)))
                        } else {
                            Ok(None)
                        }
                    }
                    None => Ok(None),
                }
            }
            // Nobody, or an address more than one entry has: no sign-in.
            Ok(_) => Ok(None),
            Err(e) => Err(e),
        };
        let _ = ldap.unbind().await;
        outcome
    }

    /// The person a directory just signed in: known and linked, or added now with the role
    /// and groups their directory groups map to.
    async fn signed_in_by(
        &self,
        directory: &DirectoryRecord,
        known: Option<UserRecord>,
        (entry, groups): (client::Entry, Vec<client::Entry>),
    ) -> Result<UserRecord, AppError> {
        let i = &directory.input;
        let tenant = directory.tenant_id;
        let now = self.now();
        let Some(external_id) = entry.id(&i.id_attribute) else {
            return Err(AppError::Unauthenticated);
        };
        let user = match known {
            Some(user) => user,
            None => {
                let email = entry
                    .text(&i.email_attribute)
                    .and_then(|e| Email::parse(e).ok())
                    .ok_or(AppError::Unauthenticated)?;
                let name = entry
                    .text(&i.name_attribute)
                    .map_or_else(|| email.as_str().to_owned(), |n| n.trim().to_owned());
                self.store
                    .create_user(&NewUser {
                        tenant_id: tenant,
                        email: email.as_str().to_lowercase(),
                        name,
                        role: i.default_role,
                        organization_id: None,
                        super_user: false,
                        password_hash: None,
                        now,
                    })
                    .await?
            }
        };
        let link = DirectoryPersonRecord {
            user_id: user.id,
            external_id,
            dn: entry.dn.clone(),
        };
        self.store
            .link_directory_person(tenant, directory.id, &link, now)
            .await?;
        if i.group_base.is_some() {
            let mappings = mappings_from_json(&i.mappings);
            let of = memberships(&groups, &i.member_attribute, &mappings);
            let mapped = of.get(&dn_key(&entry.dn)).map_or(&[][..], Vec::as_slice);
            self.apply_memberships(directory, user.id, &mappings, mapped)
                .await?;
        }
        Ok(self.store.get_user(tenant, user.id).await?)
    }
}
