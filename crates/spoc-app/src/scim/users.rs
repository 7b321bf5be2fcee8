//! SCIM Users: a tenant's people as an identity provider sees and changes them. `userName` is
//! the person's e-mail address (Spoc keeps one; `emails` is another view of it), `externalId`
//! and the name's parts are kept beside Spoc's own columns, `active: false` and DELETE
//! deprovision the person. People created here are customers; joining a group makes them
//! agents (`groups.rs`).

use serde_json::Value;
use spoc_domain::text::{Email, Name};
use spoc_domain::{Timestamp, UserId};
use spoc_store::{ScimPeopleQuery, ScimPersonRecord, ScimPersonUpdate, StoreError};

use super::filter::{self, Comparison};
use super::patch::{self, Op, Path, boolean, field, invalid_value, object, text};
use super::{ScimClient, ScimError, ScimPage, ScimPaging};
use crate::{App, FromRecord};

/// The longest external id, given or family name kept, in characters.
const PART_MAX_CHARS: usize = 200;

/// User attributes Spoc accepts and does not keep (identity providers send them by default).
const NOT_KEPT: [&str; 15] = [
    "title",
    "phonenumbers",
    "addresses",
    "locale",
    "preferredlanguage",
    "timezone",
    "nickname",
    "usertype",
    "profileurl",
    "ims",
    "photos",
    "entitlements",
    "roles",
    "x509certificates",
    "password",
];

/// A person as SCIM shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScimUser {
    /// Spoc's id (SCIM's `id`, as a string on the wire).
    pub id: UserId,
    /// The e-mail address.
    pub user_name: String,
    /// The identity provider's id.
    pub external_id: Option<String>,
    /// Spoc's display name.
    pub display_name: String,
    /// Given name, as provisioned.
    pub given_name: Option<String>,
    /// Family name, as provisioned.
    pub family_name: Option<String>,
    /// Whether the person may sign in.
    pub active: bool,
    /// When added.
    pub created_at: Timestamp,
    /// When SCIM last changed them (else when added).
    pub last_modified: Timestamp,
}

impl FromRecord<ScimPersonRecord> for ScimUser {
    fn from_record(r: ScimPersonRecord) -> Self {
        Self {
            id: r.user.id,
            user_name: r.user.email,
            external_id: r.external_id,
            display_name: r.user.name,
            given_name: r.given_name,
            family_name: r.family_name,
            active: r.user.active,
            created_at: r.user.created_at,
            last_modified: r.updated_at.unwrap_or(r.user.created_at),
        }
    }
}

/// A person as a request leaves them.
#[derive(Clone, Debug, Default)]
struct Draft {
    user_name: Option<String>,
    /// An address from `emails` (used when `userName` did not change).
    email: Option<String>,
    external_id: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    formatted: Option<String>,
    display_name: Option<String>,
    active: Option<bool>,
    /// Whether the name's parts changed (so the display name is made from them again).
    name_changed: bool,
    /// Whether `displayName` was given.
    display_changed: bool,
    /// Whether `userName` was given.
    user_name_changed: bool,
}

/// The address in an `emails` value: the primary one, else the work one, else the first.
fn address_of(emails: &Value) -> Result<Option<String>, ScimError> {
    let list = match emails {
        Value::Array(list) => list.clone(),
        Value::Object(_) => vec![emails.clone()],
        Value::Null => return Ok(None),
        _ => return Err(invalid_value("emails must be a list of objects")),
    };
    let pick = |wanted: &dyn Fn(&serde_json::Map<String, Value>) -> bool| {
        list.iter()
            .filter_map(Value::as_object)
            .find(|e| wanted(e))
            .and_then(|e| field(e, "value"))
            .cloned()
    };
    let chosen = pick(&|e| field(e, "primary").is_some_and(|p| boolean(p, "primary") == Ok(true)))
        .or_else(|| {
            pick(&|e| {
                field(e, "type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.eq_ignore_ascii_case("work"))
            })
        })
        .or_else(|| pick(&|_| true));
    match chosen {
        Some(value) => text(&value, "emails.value"),
        None if list.iter().all(Value::is_object) => Ok(None),
        None => Err(invalid_value("emails must be a list of objects")),
    }
}

fn bounded(value: Option<String>, what: &str) -> Result<Option<String>, ScimError> {
    match value {
        Some(v) if v.chars().count() > PART_MAX_CHARS || v.chars().any(char::is_control) => {
            Err(invalid_value(format!(
                "{what} must be one line of at most {PART_MAX_CHARS} characters"
            )))
        }
        Some(v) if v.trim().is_empty() => Ok(None),
        other => Ok(other.map(|v| v.trim().to_owned())),
    }
}

impl Draft {
    /// The draft of a person as stored.
    fn of(current: &ScimPersonRecord) -> Self {
        Self {
            user_name: Some(current.user.email.clone()),
            external_id: current.external_id.clone(),
            given_name: current.given_name.clone(),
            family_name: current.family_name.clone(),
            display_name: Some(current.user.name.clone()),
            active: Some(current.user.active),
            ..Self::default()
        }
    }

    /// A whole resource (POST, PUT): what it leaves out is cleared (`active` is kept).
    fn from_resource(body: &Value) -> Result<Self, ScimError> {
        let body = object(body)?;
        let mut draft = Self::default();
        for (key, value) in body {
            let lower = key.to_ascii_lowercase();
            if matches!(lower.as_str(), "schemas" | "id" | "meta" | "groups") {
                continue;
            }
            let path = patch::path(key)?;
            draft.apply(Op::Replace, &path, Some(value))?;
        }
        if draft.user_name.is_none() {
            return Err(invalid_value("userName is required"));
        }
        Ok(draft)
    }

    /// Applies one operation at `path`.
    fn apply(&mut self, op: Op, path: &Path, value: Option<&Value>) -> Result<(), ScimError> {
        let set = op != Op::Remove;
        let value_text = |what: &str| -> Result<Option<String>, ScimError> {
            match value {
                Some(v) if set => text(v, what),
                _ => Ok(None),
            }
        };
        if path.is_extension() || NOT_KEPT.contains(&path.attribute.as_str()) {
            return Ok(());
        }
        match (path.attribute.as_str(), path.sub.as_deref()) {
            ("active", None) if path.filter.is_none() => match value {
                Some(v) if set => self.active = Some(boolean(v, "active")?),
                _ => return Err(ScimError::bad("mutability", "active cannot be removed")),
            },
            ("username", None) if path.filter.is_none() => {
                let name = value_text("userName")?
                    .ok_or_else(|| ScimError::bad("mutability", "userName cannot be removed"))?;
                self.user_name = Some(name);
                self.user_name_changed = true;
            }
            ("externalid", None) if path.filter.is_none() => {
                self.external_id = bounded(value_text("externalId")?, "externalId")?;
            }
            ("displayname", None) if path.filter.is_none() => {
                self.display_name = value_text("displayName")?;
                self.display_changed = true;
            }
            ("name", None) if path.filter.is_none() => {
                let parts = match value {
                    Some(Value::Object(parts)) if set => parts.clone(),
                    Some(Value::Null) | None if !set => serde_json::Map::new(),
                    Some(_) if !set => serde_json::Map::new(),
                    _ => return Err(invalid_value("name must be an object")),
                };
                if op == Op::Add {
                    // Add merges into the name; replace and remove set all of it.
                    for (key, value) in &parts {
                        let sub = Path {
                            attribute: "name".to_owned(),
                            filter: None,
                            sub: Some(key.to_ascii_lowercase()),
                        };
                        self.apply(op, &sub, Some(value))?;
                    }
                } else {
                    let part = |name: &str| -> Result<Option<String>, ScimError> {
                        field(&parts, name)
                            .map(|v| text(v, name))
                            .transpose()
                            .map(Option::flatten)
                    };
                    self.given_name = bounded(part("givenName")?, "name.givenName")?;
                    self.family_name = bounded(part("familyName")?, "name.familyName")?;
                    self.formatted = part("formatted")?;
                    self.name_changed = true;
                }
            }
            ("name", Some(sub)) if path.filter.is_none() => {
                let part = value_text(&format!("name.{sub}"))?;
                match sub {
                    "givenname" => self.given_name = bounded(part, "name.givenName")?,
                    "familyname" => self.family_name = bounded(part, "name.familyName")?,
                    "formatted" => self.formatted = part,
                    _ => return Ok(()),
                }
                self.name_changed = true;
            }
            ("emails", sub) => {
                if !set {
                    // Spoc keeps one address, the userName; removing `emails` leaves it.
                    return Ok(());
                }
                let value = value.unwrap_or(&Value::Null);
                let address = match (sub, &path.filter) {
                    (None, None) => address_of(value)?,
                    (None, Some(_)) => match value {
                        Value::Object(e) => field(e, "value")
                            .map(|v| text(v, "emails.value"))
                            .transpose()?
                            .flatten(),
                        _ => text(value, "emails.value")?,
                    },
                    (Some("value"), _) => text(value, "emails.value")?,
                    (Some(_), _) => return Ok(()),
                };
                if address.is_some() {
                    self.email = address;
                }
            }
            ("groups", _) => {
                return Err(ScimError::bad(
                    "mutability",
                    "groups is read-only here; change members through /Groups",
                ));
            }
            ("id" | "meta" | "schemas", _) => {
                return Err(ScimError::bad(
                    "mutability",
                    format!("{} is read-only", path.attribute),
                ));
            }
            (other, _) => {
                return Err(ScimError::bad(
                    "invalidPath",
                    format!("Spoc's users have no attribute {other:?}"),
                ));
            }
        }
        Ok(())
    }

    /// Applies a PATCH operation, with or without a path.
    fn apply_operation(&mut self, operation: &patch::Operation) -> Result<(), ScimError> {
        if let Some(path) = &operation.path {
            return self.apply(operation.op, path, operation.value.as_ref());
        }
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
            self.apply(operation.op, &path, Some(value))?;
        }
        Ok(())
    }

    /// The address the person ends with.
    fn address(&self) -> Result<Email, ScimError> {
        let address = if self.user_name_changed || self.email.is_none() {
            self.user_name.clone()
        } else {
            self.email.clone()
        };
        let address = address.ok_or_else(|| invalid_value("userName is required"))?;
        Email::parse(&address)
            .map_err(|_| invalid_value("userName must be an e-mail address like ann@example.org"))
    }

    /// The display name the person ends with, or none to keep the stored one.
    fn name(&self, fallback: &str) -> Result<Option<Name>, ScimError> {
        let from_parts = || {
            self.formatted
                .clone()
                .filter(|f| !f.trim().is_empty())
                .or_else(|| {
                    let joined = [self.given_name.as_deref(), self.family_name.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    (!joined.trim().is_empty()).then_some(joined)
                })
        };
        let chosen = if self.display_changed {
            self.display_name
                .clone()
                .filter(|d| !d.trim().is_empty())
                .or_else(from_parts)
        } else if self.name_changed {
            from_parts()
        } else {
            self.display_name.clone()
        };
        let chosen = chosen.unwrap_or_else(|| fallback.to_owned());
        Name::parse(&chosen)
            .map(Some)
            .map_err(|_| invalid_value("displayName must be one line of 1 to 200 characters"))
    }

    /// The store's update for this draft.
    fn update(&self, fallback_name: &str) -> Result<(ScimPersonUpdate, Email), ScimError> {
        let address = self.address()?;
        Ok((
            ScimPersonUpdate {
                email: Some(address.as_str().to_owned()),
                name: self.name(fallback_name)?.map(Name::into_string),
                reactivate: self.active == Some(true),
                external_id: Some(self.external_id.clone()),
                given_name: Some(self.given_name.clone()),
                family_name: Some(self.family_name.clone()),
            },
            address,
        ))
    }
}

/// A user id from a path or filter; anything but digits names no one.
pub(crate) fn user_id(id: &str) -> Option<UserId> {
    if id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok().map(UserId::new)
}

/// The listing's query from a filter's comparisons; none when they cannot all hold.
fn people_query(comparisons: &[Comparison]) -> Result<Option<ScimPeopleQuery>, ScimError> {
    let mut query = ScimPeopleQuery::default();
    let agree = |slot: &mut Option<String>, value: &str, canonical: bool| {
        let value = if canonical {
            value.trim().to_lowercase()
        } else {
            value.to_owned()
        };
        match slot {
            Some(held) if *held != value => false,
            _ => {
                *slot = Some(value);
                true
            }
        }
    };
    let mut possible = true;
    for comparison in comparisons {
        let value = comparison.text()?;
        match comparison.attribute.as_str() {
            "username" | "emails.value" => possible &= agree(&mut query.email, value, true),
            "externalid" => possible &= agree(&mut query.external_id, value, false),
            "id" => match (user_id(value), query.id) {
                (Some(id), None) => query.id = Some(id),
                (Some(id), Some(held)) if id == held => {}
                _ => possible = false,
            },
            other => {
                return Err(ScimError::bad(
                    "invalidFilter",
                    format!(
                        "filtering users by {other} is not supported; use userName, externalId, id or emails[value eq \"…\"]"
                    ),
                ));
            }
        }
    }
    Ok(possible.then_some(query))
}

impl App {
    /// One of the tenant's people (not one the identity provider deleted).
    async fn scim_person(
        &self,
        client: &ScimClient,
        id: &str,
    ) -> Result<ScimPersonRecord, ScimError> {
        let Some(id) = user_id(id) else {
            return Err(ScimError::not_found("user"));
        };
        let query = ScimPeopleQuery {
            id: Some(id),
            ..ScimPeopleQuery::default()
        };
        let (_, mut found) = self.store.scim_people(client.tenant, &query, 0, 1).await?;
        found.pop().ok_or_else(|| ScimError::not_found("user"))
    }

    /// The tenant's people matching `filter`, one page.
    pub async fn scim_users(
        &self,
        client: &ScimClient,
        filter: Option<&str>,
        paging: ScimPaging,
    ) -> Result<ScimPage<ScimUser>, ScimError> {
        let comparisons = match filter {
            Some(f) => filter::parse(f)?,
            None => Vec::new(),
        };
        let Some(query) = people_query(&comparisons)? else {
            return Ok(ScimPage {
                total: 0,
                start_index: paging.start_index,
                resources: Vec::new(),
            });
        };
        let (total, people) = self
            .store
            .scim_people(client.tenant, &query, paging.offset(), paging.count)
            .await?;
        Ok(ScimPage {
            total,
            start_index: paging.start_index,
            resources: crate::converted(people),
        })
    }

    /// One person.
    pub async fn scim_user(&self, client: &ScimClient, id: &str) -> Result<ScimUser, ScimError> {
        Ok(ScimUser::from_record(self.scim_person(client, id).await?))
    }

    /// Creates a person (a customer) from a SCIM User; a taken userName is a 409 — unless the
    /// identity provider deleted that person before, who then comes back.
    pub async fn scim_create_user(
        &self,
        client: &ScimClient,
        body: &Value,
    ) -> Result<ScimUser, ScimError> {
        let mut draft = Draft::from_resource(body)?;
        let active = draft.active.unwrap_or(true);
        draft.active = Some(active);
        let address = draft.address()?;
        let fallback = address.as_str().split('@').next().unwrap_or("").to_owned();
        let (update, address) = draft.update(&fallback)?;
        let tenant = client.tenant;
        let id = match self
            .store
            .scim_person_by_email(tenant, address.as_str())
            .await?
        {
            Some(known) if known.removed => {
                self.store
                    .update_scim_person(tenant, known.user.id, &update, self.now())
                    .await?;
                known.user.id
            }
            Some(_) => {
                return Err(ScimError::taken(format!(
                    "a person with userName {address} already exists"
                )));
            }
            None => {
                let name = update.name.clone().unwrap_or(fallback);
                self.store
                    .create_scim_person(tenant, (address.as_str(), &name), &update, self.now())
                    .await
                    .map_err(|e| match e {
                        StoreError::Conflict { unique: true, .. } => ScimError::taken(format!(
                            "a person with userName {address} already exists"
                        )),
                        other => other.into(),
                    })?
            }
        };
        if !active {
            self.deprovision_person(tenant, id, "scim").await?;
        }
        self.scim_user(client, &id.to_string()).await
    }

    /// Stores `draft` over `current`; deactivating deprovisions.
    async fn save_user(
        &self,
        client: &ScimClient,
        current: &ScimPersonRecord,
        draft: &Draft,
    ) -> Result<ScimUser, ScimError> {
        let (update, address) = draft.update(&current.user.name)?;
        self.store
            .update_scim_person(client.tenant, current.user.id, &update, self.now())
            .await
            .map_err(|e| match e {
                StoreError::Conflict { unique: true, .. } => {
                    ScimError::taken(format!("another person has the userName {address}"))
                }
                StoreError::NotFound => ScimError::not_found("user"),
                other => other.into(),
            })?;
        if draft.active == Some(false) && current.user.active {
            self.deprovision_person(client.tenant, current.user.id, "scim")
                .await?;
        }
        self.scim_user(client, &current.user.id.to_string()).await
    }

    /// Replaces a person with a SCIM User (PUT): what it leaves out is cleared, except
    /// `active`, which stays as it is.
    pub async fn scim_replace_user(
        &self,
        client: &ScimClient,
        id: &str,
        body: &Value,
    ) -> Result<ScimUser, ScimError> {
        let current = self.scim_person(client, id).await?;
        let mut draft = Draft::from_resource(body)?;
        if draft.active.is_none() {
            draft.active = Some(current.user.active);
        }
        if !draft.display_changed && !draft.name_changed {
            draft.display_name = Some(current.user.name.clone());
        }
        self.save_user(client, &current, &draft).await
    }

    /// Changes a person with PATCH operations, all or none.
    pub async fn scim_patch_user(
        &self,
        client: &ScimClient,
        id: &str,
        body: &Value,
    ) -> Result<ScimUser, ScimError> {
        let operations = patch::operations(body)?;
        let current = self.scim_person(client, id).await?;
        let mut draft = Draft::of(&current);
        for operation in &operations {
            draft.apply_operation(operation)?;
        }
        self.save_user(client, &current, &draft).await
    }

    /// Deletes a person as SCIM sees it: deprovisioned (deactivated, sessions and tokens
    /// ended), taken out of every group and no longer listed; Spoc keeps them for their
    /// tickets.
    pub async fn scim_delete_user(&self, client: &ScimClient, id: &str) -> Result<(), ScimError> {
        let current = self.scim_person(client, id).await?;
        self.deprovision_person(client.tenant, current.user.id, "scim")
            .await?;
        self.store
            .remove_scim_person(client.tenant, current.user.id, self.now())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_address_is_the_primary_then_the_work_then_the_first() {
        let emails = json!([
            { "value": "home@example.org", "type": "home" },
            { "value": "work@example.org", "type": "work" },
        ]);
        assert_eq!(
            address_of(&emails).unwrap().as_deref(),
            Some("work@example.org")
        );
        let emails = json!([
            { "value": "a@example.org", "type": "work" },
            { "value": "b@example.org", "primary": "True" },
        ]);
        assert_eq!(
            address_of(&emails).unwrap().as_deref(),
            Some("b@example.org")
        );
        assert!(address_of(&json!("x@example.org")).is_err());
    }

    #[test]
    fn a_display_name_comes_from_the_name_when_none_is_given() {
        let draft = Draft::from_resource(&json!({
            "userName": "ann@example.org",
            "name": { "givenName": "Ann", "familyName": "Lee" }
        }))
        .unwrap();
        assert_eq!(draft.name("x").unwrap().unwrap().as_str(), "Ann Lee");
        let missing = Draft::from_resource(&json!({ "displayName": "Ann" })).unwrap_err();
        assert_eq!(missing.scim_type, Some("invalidValue"));
        let unknown = Draft::from_resource(&json!({ "userName": "a@b.org", "shoeSize": 4 }));
        assert_eq!(unknown.unwrap_err().scim_type, Some("invalidPath"));
    }

    #[test]
    fn filters_become_queries() {
        let q = people_query(&filter::parse(r#"userName eq "Ann@Example.org""#).unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(q.email.as_deref(), Some("ann@example.org"));
        let none = people_query(
            &filter::parse(r#"userName eq "a@example.org" and emails[value eq "b@example.org"]"#)
                .unwrap(),
        )
        .unwrap();
        assert!(none.is_none());
        assert!(
            people_query(&filter::parse(r#"id eq "x1""#).unwrap())
                .unwrap()
                .is_none()
        );
        let refused = people_query(&filter::parse(r#"title eq "x""#).unwrap()).unwrap_err();
        assert_eq!(refused.scim_type, Some("invalidFilter"));
    }
}
