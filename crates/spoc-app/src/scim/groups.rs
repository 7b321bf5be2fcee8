//! SCIM Groups: a tenant's resolver groups as an identity provider sees and changes them.
//! Groups it creates are tier-1 groups. Resolver groups hold staff only, so a customer who
//! joins one becomes an agent (the one way SCIM gives a staff role; it never makes admins, and
//! leaving a group does not demote). Deleting a group empties it and hides it from SCIM; Spoc
//! keeps it for the tickets that name it.

use std::collections::BTreeSet;

use serde_json::Value;
use spoc_domain::text::Name;
use spoc_domain::{GroupId, Timestamp, UserId};
use spoc_store::{MembersChange, ScimGroupRecord, StoreError};

use super::filter;
use super::patch::{self, Op, Path, field, invalid_value, object, text};
use super::users::user_id;
use super::{ScimClient, ScimError, ScimPage, ScimPaging};
use crate::App;

/// The most groups a tenant's listing reads at once (they are filtered and paged in memory).
const GROUPS_READ_MAX: i64 = 10_000;

/// A member of a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScimMember {
    /// The person.
    pub id: UserId,
    /// Their display name.
    pub display: String,
}

/// A resolver group as SCIM shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScimGroup {
    /// Spoc's id.
    pub id: GroupId,
    /// The group's name.
    pub display_name: String,
    /// The identity provider's id.
    pub external_id: Option<String>,
    /// The members (none when the request excluded them).
    pub members: Option<Vec<ScimMember>>,
    /// When added.
    pub created_at: Timestamp,
    /// When SCIM last changed it (else when added).
    pub last_modified: Timestamp,
}

/// A group as a request leaves it.
#[derive(Clone, Debug, Default)]
struct Draft {
    name: Option<String>,
    external_id: Option<Option<String>>,
    members: Option<BTreeSet<i64>>,
}

/// The ids of a `members` value: a list of `{ "value": "12" }`.
fn member_ids(value: &Value) -> Result<BTreeSet<i64>, ScimError> {
    let list = match value {
        Value::Array(list) => list.as_slice(),
        Value::Object(_) => std::slice::from_ref(value),
        _ => {
            return Err(invalid_value(
                "members must be a list of objects with a value",
            ));
        }
    };
    list.iter()
        .map(|member| {
            let id = member
                .as_object()
                .and_then(|m| field(m, "value"))
                .and_then(Value::as_str)
                .ok_or_else(|| invalid_value("each member needs a value: the user's id"))?;
            user_id(id)
                .map(UserId::get)
                .ok_or_else(|| invalid_value(format!("there is no user {id:?}")))
        })
        .collect()
}

impl Draft {
    fn apply(
        &mut self,
        op: Op,
        path: &Path,
        value: Option<&Value>,
        current: &BTreeSet<i64>,
    ) -> Result<(), ScimError> {
        match path.attribute.as_str() {
            "displayname" if path.filter.is_none() && path.sub.is_none() => match value {
                Some(v) if op != Op::Remove => {
                    self.name = Some(
                        text(v, "displayName")?
                            .ok_or_else(|| invalid_value("displayName must be a string"))?,
                    );
                }
                _ => {
                    return Err(ScimError::bad(
                        "mutability",
                        "displayName cannot be removed",
                    ));
                }
            },
            "externalid" if path.filter.is_none() && path.sub.is_none() => {
                self.external_id = Some(match value {
                    Some(v) if op != Op::Remove => text(v, "externalId")?,
                    _ => None,
                });
            }
            "members" if path.sub.is_none() || path.sub.as_deref() == Some("value") => {
                let members = self.members.get_or_insert_with(|| current.clone());
                match (op, &path.filter, value) {
                    (Op::Add, None, Some(v)) => members.extend(member_ids(v)?),
                    (Op::Replace, None, Some(v)) => *members = member_ids(v)?,
                    (Op::Remove, None, None | Some(Value::Null)) => members.clear(),
                    (Op::Remove, None, Some(v)) => {
                        for id in member_ids(v)? {
                            members.remove(&id);
                        }
                    }
                    (Op::Remove, Some(f), _) if f.attribute == "value" => {
                        if let Some(id) = user_id(f.text()?) {
                            members.remove(&id.get());
                        }
                    }
                    _ => {
                        return Err(ScimError::bad(
                            "invalidPath",
                            "members are added with path members, removed with members or members[value eq \"…\"]",
                        ));
                    }
                }
            }
            "id" | "meta" | "schemas" => {
                return Err(ScimError::bad(
                    "mutability",
                    format!("{} is read-only", path.attribute),
                ));
            }
            _ if path.is_extension() => {}
            other => {
                return Err(ScimError::bad(
                    "invalidPath",
                    format!("Spoc's groups have no attribute {other:?}"),
                ));
            }
        }
        Ok(())
    }

    /// A whole resource (POST, PUT): left-out members and external id are cleared.
    fn from_resource(body: &Value) -> Result<Self, ScimError> {
        let body = object(body)?;
        let mut draft = Self {
            external_id: Some(None),
            members: Some(BTreeSet::new()),
            ..Self::default()
        };
        for (key, value) in body {
            if matches!(key.to_ascii_lowercase().as_str(), "schemas" | "id" | "meta") {
                continue;
            }
            let path = patch::path(key)?;
            draft.apply(Op::Replace, &path, Some(value), &BTreeSet::new())?;
        }
        if draft.name.is_none() {
            return Err(invalid_value("displayName is required"));
        }
        Ok(draft)
    }

    fn name(&self) -> Result<Option<Name>, ScimError> {
        self.name
            .as_deref()
            .map(|n| {
                Name::parse(n).map_err(|_| {
                    invalid_value("displayName must be one line of 1 to 200 characters")
                })
            })
            .transpose()
    }
}

fn group_id(id: &str) -> Option<GroupId> {
    user_id(id).map(|u| GroupId::new(u.get()))
}

impl App {
    async fn scim_group_record(
        &self,
        client: &ScimClient,
        id: &str,
    ) -> Result<ScimGroupRecord, ScimError> {
        let id = group_id(id).ok_or_else(|| ScimError::not_found("group"))?;
        let (_, mut found) = self
            .store
            .scim_groups(client.tenant, (Some(id), None), 0, 1)
            .await?;
        found.pop().ok_or_else(|| ScimError::not_found("group"))
    }

    async fn scim_members(
        &self,
        client: &ScimClient,
        group: GroupId,
    ) -> Result<Vec<ScimMember>, ScimError> {
        let mut members: Vec<ScimMember> = self
            .store
            .group_members(client.tenant, group)
            .await?
            .into_iter()
            .map(|u| ScimMember {
                id: u.id,
                display: u.name,
            })
            .collect();
        members.sort_by_key(|m| m.id.get());
        Ok(members)
    }

    async fn scim_group_of(
        &self,
        client: &ScimClient,
        record: ScimGroupRecord,
        with_members: bool,
    ) -> Result<ScimGroup, ScimError> {
        let members = if with_members {
            Some(self.scim_members(client, record.group.id).await?)
        } else {
            None
        };
        Ok(ScimGroup {
            id: record.group.id,
            display_name: record.group.name,
            external_id: record.external_id,
            members,
            created_at: record.group.created_at,
            last_modified: record.updated_at.unwrap_or(record.group.created_at),
        })
    }

    /// The tenant's groups matching `filter`, one page (with their members unless excluded).
    pub async fn scim_groups(
        &self,
        client: &ScimClient,
        filter: Option<&str>,
        paging: ScimPaging,
        with_members: bool,
    ) -> Result<ScimPage<ScimGroup>, ScimError> {
        let comparisons = match filter {
            Some(f) => filter::parse(f)?,
            None => Vec::new(),
        };
        let (mut id, mut name, mut external, mut member) = (None, None, None, None);
        let mut possible = true;
        for comparison in &comparisons {
            let value = comparison.text()?.to_owned();
            let slot = match comparison.attribute.as_str() {
                "id" => &mut id,
                "displayname" => &mut name,
                "externalid" => &mut external,
                "members.value" => &mut member,
                other => {
                    return Err(ScimError::bad(
                        "invalidFilter",
                        format!(
                            "filtering groups by {other} is not supported; use displayName, externalId, id or members[value eq \"…\"]"
                        ),
                    ));
                }
            };
            if slot.as_ref().is_some_and(|held| *held != value) {
                possible = false;
            }
            *slot = Some(value);
        }
        let group = match &id {
            Some(id) => match group_id(id) {
                Some(g) => Some(g),
                None => {
                    possible = false;
                    None
                }
            },
            None => None,
        };
        let mut records = if possible {
            self.store
                .scim_groups(client.tenant, (group, name.as_deref()), 0, GROUPS_READ_MAX)
                .await?
                .1
        } else {
            Vec::new()
        };
        if let Some(external) = &external {
            records.retain(|r| r.external_id.as_deref() == Some(external.as_str()));
        }
        if let Some(member) = &member {
            let wanted = user_id(member);
            let mut kept = Vec::new();
            for record in records {
                let members = self.scim_members(client, record.group.id).await?;
                if members.iter().any(|m| Some(m.id) == wanted) {
                    kept.push(record);
                }
            }
            records = kept;
        }
        let total = i64::try_from(records.len()).unwrap_or(i64::MAX);
        let mut resources = Vec::new();
        let start = usize::try_from(paging.offset()).unwrap_or(usize::MAX);
        let count = usize::try_from(paging.count).unwrap_or(0);
        for record in records.into_iter().skip(start).take(count) {
            resources.push(self.scim_group_of(client, record, with_members).await?);
        }
        Ok(ScimPage {
            total,
            start_index: paging.start_index,
            resources,
        })
    }

    /// One group.
    pub async fn scim_group(
        &self,
        client: &ScimClient,
        id: &str,
        with_members: bool,
    ) -> Result<ScimGroup, ScimError> {
        let record = self.scim_group_record(client, id).await?;
        self.scim_group_of(client, record, with_members).await
    }

    /// Stores a draft's members: exactly these (a person of another tenant, or none, is a 400).
    async fn save_members(
        &self,
        client: &ScimClient,
        group: GroupId,
        members: &BTreeSet<i64>,
    ) -> Result<(), ScimError> {
        let members = members.iter().copied().map(UserId::new).collect();
        self.store
            .change_scim_members(
                client.tenant,
                group,
                &MembersChange::Replace(members),
                self.now(),
            )
            .await
            .map_err(|e| match e {
                StoreError::NotFound => invalid_value("a member is not a user of this desk"),
                other => other.into(),
            })
    }

    fn taken(name: &str) -> impl FnOnce(StoreError) -> ScimError + '_ {
        move |e| match e {
            StoreError::Conflict { unique: true, .. } => {
                ScimError::taken(format!("a group named {name} already exists"))
            }
            StoreError::NotFound => ScimError::not_found("group"),
            other => other.into(),
        }
    }

    /// Creates a tier-1 resolver group from a SCIM Group; a taken name is a 409 — unless the
    /// identity provider deleted that group before, which then comes back.
    pub async fn scim_create_group(
        &self,
        client: &ScimClient,
        body: &Value,
    ) -> Result<ScimGroup, ScimError> {
        let draft = Draft::from_resource(body)?;
        let name = draft
            .name()?
            .ok_or_else(|| invalid_value("displayName is required"))?;
        let external = draft.external_id.clone().flatten();
        let tenant = client.tenant;
        // Every member must be a person of the tenant before anything is written.
        for member in draft.members.iter().flatten() {
            self.store
                .get_user(tenant, UserId::new(*member))
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => invalid_value("a member is not a user of this desk"),
                    other => other.into(),
                })?;
        }
        let id = match self.store.scim_group_by_name(tenant, name.as_str()).await? {
            Some(known) if known.removed => {
                self.store
                    .update_scim_group(
                        tenant,
                        known.group.id,
                        (name.as_str(), external.as_deref()),
                        self.now(),
                    )
                    .await
                    .map_err(Self::taken(name.as_str()))?;
                known.group.id
            }
            Some(_) => {
                return Err(ScimError::taken(format!(
                    "a group named {name} already exists"
                )));
            }
            None => self
                .store
                .create_scim_group(tenant, name.as_str(), external.as_deref(), self.now())
                .await
                .map_err(Self::taken(name.as_str()))?,
        };
        if let Some(members) = &draft.members {
            self.save_members(client, id, members).await?;
        }
        self.scim_group(client, &id.to_string(), true).await
    }

    /// Stores a draft over a group.
    async fn save_group(
        &self,
        client: &ScimClient,
        current: &ScimGroupRecord,
        draft: &Draft,
    ) -> Result<ScimGroup, ScimError> {
        let name = draft
            .name()?
            .map_or_else(|| current.group.name.clone(), Name::into_string);
        let external = draft
            .external_id
            .clone()
            .unwrap_or_else(|| current.external_id.clone());
        if name != current.group.name || external != current.external_id {
            self.store
                .update_scim_group(
                    client.tenant,
                    current.group.id,
                    (&name, external.as_deref()),
                    self.now(),
                )
                .await
                .map_err(Self::taken(&name))?;
        }
        if let Some(members) = &draft.members {
            self.save_members(client, current.group.id, members).await?;
        }
        self.scim_group(client, &current.group.id.to_string(), true)
            .await
    }

    /// Replaces a group with a SCIM Group (PUT): its members become exactly those listed.
    pub async fn scim_replace_group(
        &self,
        client: &ScimClient,
        id: &str,
        body: &Value,
    ) -> Result<ScimGroup, ScimError> {
        let current = self.scim_group_record(client, id).await?;
        let draft = Draft::from_resource(body)?;
        self.save_group(client, &current, &draft).await
    }

    /// Changes a group with PATCH operations (members added and removed, renamed), all or
    /// none.
    pub async fn scim_patch_group(
        &self,
        client: &ScimClient,
        id: &str,
        body: &Value,
    ) -> Result<ScimGroup, ScimError> {
        let operations = patch::operations(body)?;
        let current = self.scim_group_record(client, id).await?;
        let members: BTreeSet<i64> = self
            .scim_members(client, current.group.id)
            .await?
            .into_iter()
            .map(|m| m.id.get())
            .collect();
        let mut draft = Draft::default();
        for operation in &operations {
            match &operation.path {
                Some(path) => {
                    draft.apply(operation.op, path, operation.value.as_ref(), &members)?;
                }
                None => {
                    let Some(Value::Object(attributes)) = &operation.value else {
                        return Err(invalid_value(
                            "an operation without a path needs an object value",
                        ));
                    };
                    for (key, value) in attributes {
                        if matches!(key.to_ascii_lowercase().as_str(), "schemas" | "id" | "meta") {
                            continue;
                        }
                        let path = patch::path(key)?;
                        draft.apply(operation.op, &path, Some(value), &members)?;
                    }
                }
            }
        }
        if draft.members.as_ref() == Some(&members) {
            draft.members = None;
        }
        self.save_group(client, &current, &draft).await
    }

    /// Deletes a group as SCIM sees it: emptied and no longer listed.
    pub async fn scim_delete_group(&self, client: &ScimClient, id: &str) -> Result<(), ScimError> {
        let current = self.scim_group_record(client, id).await?;
        self.store
            .remove_scim_group(client.tenant, current.group.id, self.now())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn member_changes_in_the_shapes_identity_providers_send() {
        let current: BTreeSet<i64> = [1, 2].into();
        let mut draft = Draft::default();
        let add = patch::path("members").unwrap();
        draft
            .apply(Op::Add, &add, Some(&json!([{ "value": "3" }])), &current)
            .unwrap();
        let okta_remove = patch::path(r#"members[value eq "1"]"#).unwrap();
        draft
            .apply(Op::Remove, &okta_remove, None, &current)
            .unwrap();
        let entra_remove = patch::path("members").unwrap();
        draft
            .apply(
                Op::Remove,
                &entra_remove,
                Some(&json!([{ "value": "2" }])),
                &current,
            )
            .unwrap();
        assert_eq!(draft.members, Some([3].into()));
        let bad = draft.apply(Op::Add, &add, Some(&json!([{ "value": "x" }])), &current);
        assert_eq!(bad.unwrap_err().scim_type, Some("invalidValue"));
    }
}
