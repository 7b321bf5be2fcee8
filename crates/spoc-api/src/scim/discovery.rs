//! SCIM's discovery endpoints (RFC 7644, section 4): what this service supports, its resource
//! types and their schemas, so identity providers can configure themselves.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use spoc_app::{SCIM_MAX_RESULTS, ScimError};
use spoc_http::AppState;

use super::wire::{GROUP_SCHEMA, LIST_RESPONSE, USER_SCHEMA};
use super::{Scim, ScimFailure, ScimResult, scim_json};

fn listed(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": resources.len(),
        "startIndex": 1,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

pub(crate) async fn service_provider_config(
    State(state): State<AppState>,
    Scim(_): Scim,
) -> ScimResult {
    Ok(scim_json(
        StatusCode::OK,
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": { "supported": true },
            "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
            "filter": { "supported": true, "maxResults": SCIM_MAX_RESULTS },
            "changePassword": { "supported": false },
            "sort": { "supported": false },
            "etag": { "supported": false },
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "SCIM token",
                "description": "A SCIM token of the tenant, created by its admins (Admin → SCIM), as `Authorization: Bearer …`",
                "primary": true,
            }],
            "meta": {
                "resourceType": "ServiceProviderConfig",
                "location": format!("{}/ServiceProviderConfig", state.app.scim_base_url()),
            },
        }),
    ))
}

fn resource_type_of(base: &str, name: &str) -> Option<Value> {
    let (endpoint, schema, description) = match name {
        "User" => (
            "/Users",
            USER_SCHEMA,
            "The desk's people; userName is the e-mail address",
        ),
        "Group" => (
            "/Groups",
            GROUP_SCHEMA,
            "The desk's resolver groups; members become agents",
        ),
        _ => return None,
    };
    Some(json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": name,
        "name": name,
        "endpoint": endpoint,
        "description": description,
        "schema": schema,
        "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/{name}") },
    }))
}

pub(crate) async fn resource_types(State(state): State<AppState>, Scim(_): Scim) -> ScimResult {
    let base = state.app.scim_base_url();
    let types = ["User", "Group"]
        .into_iter()
        .filter_map(|n| resource_type_of(&base, n))
        .collect();
    Ok(scim_json(StatusCode::OK, &listed(types)))
}

pub(crate) async fn resource_type(
    State(state): State<AppState>,
    Scim(_): Scim,
    Path(name): Path<String>,
) -> ScimResult {
    resource_type_of(&state.app.scim_base_url(), &name)
        .map(|t| scim_json(StatusCode::OK, &t))
        .ok_or_else(|| ScimFailure(ScimError::not_found("resource type")))
}

fn attribute(name: &str, kind: &str, required: bool, mutability: &str, uniqueness: &str) -> Value {
    json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "required": required,
        "caseExact": false,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": uniqueness,
    })
}

fn multi(name: &str, sub_attributes: Vec<Value>, mutability: &str) -> Value {
    json!({
        "name": name,
        "type": "complex",
        "multiValued": true,
        "required": false,
        "mutability": mutability,
        "returned": "default",
        "subAttributes": sub_attributes,
    })
}

fn schema_of(base: &str, id: &str) -> Option<Value> {
    let (name, attributes) = match id {
        USER_SCHEMA => (
            "User",
            vec![
                attribute("userName", "string", true, "readWrite", "server"),
                attribute("externalId", "string", false, "readWrite", "none"),
                json!({
                    "name": "name", "type": "complex", "multiValued": false, "required": false,
                    "mutability": "readWrite", "returned": "default",
                    "subAttributes": [
                        attribute("formatted", "string", false, "readWrite", "none"),
                        attribute("givenName", "string", false, "readWrite", "none"),
                        attribute("familyName", "string", false, "readWrite", "none"),
                    ],
                }),
                attribute("displayName", "string", false, "readWrite", "none"),
                multi(
                    "emails",
                    vec![
                        attribute("value", "string", false, "readWrite", "none"),
                        attribute("type", "string", false, "readWrite", "none"),
                        attribute("primary", "boolean", false, "readWrite", "none"),
                    ],
                    "readWrite",
                ),
                attribute("active", "boolean", false, "readWrite", "none"),
            ],
        ),
        GROUP_SCHEMA => (
            "Group",
            vec![
                attribute("displayName", "string", true, "readWrite", "server"),
                attribute("externalId", "string", false, "readWrite", "none"),
                multi(
                    "members",
                    vec![
                        attribute("value", "string", false, "immutable", "none"),
                        attribute("display", "string", false, "readOnly", "none"),
                        attribute("$ref", "reference", false, "immutable", "none"),
                        attribute("type", "string", false, "immutable", "none"),
                    ],
                    "readWrite",
                ),
            ],
        ),
        _ => return None,
    };
    Some(json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": id,
        "name": name,
        "attributes": attributes,
        "meta": { "resourceType": "Schema", "location": format!("{base}/Schemas/{id}") },
    }))
}

pub(crate) async fn schemas(State(state): State<AppState>, Scim(_): Scim) -> ScimResult {
    let base = state.app.scim_base_url();
    let all = [USER_SCHEMA, GROUP_SCHEMA]
        .into_iter()
        .filter_map(|id| schema_of(&base, id))
        .collect();
    Ok(scim_json(StatusCode::OK, &listed(all)))
}

pub(crate) async fn schema(
    State(state): State<AppState>,
    Scim(_): Scim,
    Path(id): Path<String>,
) -> ScimResult {
    schema_of(&state.app.scim_base_url(), &id)
        .map(|s| scim_json(StatusCode::OK, &s))
        .ok_or_else(|| ScimFailure(ScimError::not_found("schema")))
}
