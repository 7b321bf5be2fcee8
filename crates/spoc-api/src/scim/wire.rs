//! SCIM resources as JSON (RFC 7643): Users, Groups and list answers.

use serde_json::{Value, json};
use spoc_app::{ScimGroup, ScimPage, ScimUser};
use spoc_http::params::time;

/// The core User schema.
pub(crate) const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The core Group schema.
pub(crate) const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// A list answer.
pub(crate) const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// A person as a SCIM User.
pub(crate) fn user(base: &str, u: &ScimUser) -> Value {
    let formatted = [u.given_name.as_deref(), u.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let mut name = json!({ "formatted": if formatted.is_empty() { u.display_name.clone() } else { formatted } });
    if let Some(given) = &u.given_name {
        name["givenName"] = json!(given);
    }
    if let Some(family) = &u.family_name {
        name["familyName"] = json!(family);
    }
    let mut body = json!({
        "schemas": [USER_SCHEMA],
        "id": u.id.get().to_string(),
        "userName": u.user_name,
        "name": name,
        "displayName": u.display_name,
        "emails": [{ "value": u.user_name, "type": "work", "primary": true }],
        "active": u.active,
        "meta": {
            "resourceType": "User",
            "created": time(u.created_at),
            "lastModified": time(u.last_modified),
            "location": format!("{base}/Users/{}", u.id.get()),
        },
    });
    if let Some(external) = &u.external_id {
        body["externalId"] = json!(external);
    }
    body
}

/// A resolver group as a SCIM Group.
pub(crate) fn group(base: &str, g: &ScimGroup) -> Value {
    let mut body = json!({
        "schemas": [GROUP_SCHEMA],
        "id": g.id.get().to_string(),
        "displayName": g.display_name,
        "meta": {
            "resourceType": "Group",
            "created": time(g.created_at),
            "lastModified": time(g.last_modified),
            "location": format!("{base}/Groups/{}", g.id.get()),
        },
    });
    if let Some(external) = &g.external_id {
        body["externalId"] = json!(external);
    }
    if let Some(members) = &g.members {
        body["members"] = members
            .iter()
            .map(|m| {
                json!({
                    "value": m.id.get().to_string(),
                    "display": m.display,
                    "type": "User",
                    "$ref": format!("{base}/Users/{}", m.id.get()),
                })
            })
            .collect();
    }
    body
}

/// A page as a SCIM ListResponse.
pub(crate) fn list<T>(page: &ScimPage<T>, render: impl Fn(&T) -> Value) -> Value {
    json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": page.total,
        "startIndex": page.start_index,
        "itemsPerPage": page.resources.len(),
        "Resources": page.resources.iter().map(render).collect::<Vec<_>>(),
    })
}
