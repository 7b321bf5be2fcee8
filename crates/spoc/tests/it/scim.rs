//! SCIM 2.0 provisioning, on both backends: the flows Okta and Entra ID send (create, update,
//! deactivate, delete), deprovisioning that ends a person's session and API token at once,
//! filters and paging, group membership sync, SCIM errors for bad filters and bodies, SCIM
//! tokens bound to their tenant and to `/scim/v2` alone.

use reqwest::Method;
use serde_json::{Value, json};
use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp};

use crate::both_backends;
use crate::harness::{Answer, Desk, Person, unique};

/// A request to `/scim/v2{path}` with a bearer token and a SCIM JSON body.
async fn scim(desk: &Desk, method: Method, path: &str, token: &str, body: Option<Value>) -> Answer {
    let mut request = desk
        .http
        .request(method, format!("{}/scim/v2{path}", desk.base))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/scim+json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
        text,
    }
}

/// Asserts a SCIM error: its status, SCIM's error schema and media type, and `scimType`.
#[track_caller]
fn scim_error(answer: &Answer, status: u16, scim_type: Option<&str>) {
    assert_eq!(answer.status, status, "{}", answer.text);
    assert!(
        answer.content_type().starts_with("application/scim+json"),
        "{}",
        answer.content_type()
    );
    assert_eq!(
        answer.body["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
    assert_eq!(answer.body["status"], status.to_string());
    assert!(
        answer.body["detail"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    match scim_type {
        Some(t) => assert_eq!(answer.body["scimType"], t, "{}", answer.text),
        None => assert!(answer.body.get("scimType").is_none(), "{}", answer.text),
    }
}

/// A SCIM token of the first tenant, made by its admin through the API.
async fn scim_token(desk: &Desk) -> String {
    let made = desk
        .post(
            &desk.admin,
            "/scim-tokens",
            json!({ "label": "Identity provider" }),
        )
        .await
        .expect(201);
    assert!(
        made.body["scim_url"]
            .as_str()
            .unwrap()
            .ends_with("/scim/v2")
    );
    made.body["token"].as_str().unwrap().to_owned()
}

fn okta_user(email: &str, external: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": email,
        "name": { "givenName": "Olga", "familyName": "Okta" },
        "emails": [{ "primary": true, "value": email, "type": "work" }],
        "displayName": "Olga Okta",
        "locale": "en-US",
        "externalId": external,
        "groups": [],
        "password": "ignored-by-spoc-1",
        "active": true
    })
}

fn patch(operations: Value) -> Value {
    json!({ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations })
}

/// Gives the provisioned person a password and signs them in, and issues them an API token:
/// (session cookie and CSRF token, API token).
async fn signed_in(desk: &Desk, id: &str, email: &str) -> ((String, String), Person) {
    desk.patch(
        &desk.admin,
        &format!("/users/{id}"),
        json!({ "password": "provisioned secret 1" }),
    )
    .await
    .expect(200);
    let session = desk.sign_in(email, "provisioned secret 1").await;
    let user = spoc_domain::UserId::new(id.parse().unwrap());
    let token = desk.app.issue_token(user, "provisioned").await.unwrap();
    let person = Person {
        id: user.get(),
        token: token.secret,
    };
    desk.send_as_session(Method::GET, "/me", &session, None)
        .await
        .expect(200);
    desk.get(&person, "/me").await.expect(200);
    (session, person)
}

both_backends! {
    /// Okta's flow: create, look up by userName, replace, then PATCH replace without a path
    /// `{"active": false}` — which ends the person's session and API token at once.
    async fn okta_creates_updates_and_deactivates(desk: Desk) {
        let token = scim_token(&desk).await;
        let created = scim(&desk, Method::POST, "/Users", &token, Some(okta_user("olga@example.org", "00u1"))).await.expect(201);
        assert!(created.content_type().starts_with("application/scim+json"));
        let id = created.body["id"].as_str().unwrap().to_owned();
        assert_eq!(created.headers["location"].to_str().unwrap(), format!("http://desk.spoc.test/scim/v2/Users/{id}"));
        assert_eq!(created.body["userName"], "olga@example.org");
        assert_eq!(created.body["externalId"], "00u1");
        assert_eq!(created.body["name"]["givenName"], "Olga");
        assert_eq!(created.body["active"], true);
        // A customer of the desk, with no password from the identity provider.
        let person = desk.get(&desk.admin, &format!("/users/{id}")).await.expect(200);
        assert_eq!(person.body["role"], "customer");
        assert_eq!(person.body["name"], "Olga Okta");

        // The same userName again is a uniqueness conflict (any case).
        let again = scim(&desk, Method::POST, "/Users", &token, Some(okta_user("OLGA@example.org", "00u2"))).await;
        scim_error(&again, 409, Some("uniqueness"));

        // Okta looks the person up before changing them.
        let found = scim(&desk, Method::GET, "/Users?filter=userName%20eq%20%22olga%40example.org%22&startIndex=1&count=100", &token, None).await.expect(200);
        assert_eq!(found.body["totalResults"], 1);
        assert_eq!(found.body["Resources"][0]["id"], id.as_str());

        // PUT replaces the person.
        let mut replaced = okta_user("olga@example.org", "00u1");
        replaced["name"] = json!({ "givenName": "Olga", "familyName": "Neumann" });
        replaced["displayName"] = json!("Olga Neumann");
        let put = scim(&desk, Method::PUT, &format!("/Users/{id}"), &token, Some(replaced)).await.expect(200);
        assert_eq!(put.body["displayName"], "Olga Neumann");
        assert_eq!(desk.get(&desk.admin, &format!("/users/{id}")).await.body["name"], "Olga Neumann");

        // Signed in in a browser and holding an API token...
        let (session, api) = signed_in(&desk, &id, "olga@example.org").await;
        // ...until Okta deactivates the person.
        let off = scim(&desk, Method::PATCH, &format!("/Users/{id}"), &token,
            Some(patch(json!([{ "op": "replace", "value": { "active": false } }])))).await.expect(200);
        assert_eq!(off.body["active"], false);
        desk.send_as_session(Method::GET, "/me", &session, None).await.problem(401, "unauthenticated");
        desk.get(&api, "/me").await.problem(401, "unauthenticated");
        let person = desk.get(&desk.admin, &format!("/users/{id}")).await.expect(200);
        assert_eq!(person.body["active"], false);
        // The token is revoked, not merely unusable while the person is inactive.
        let live = desk.sql(&format!("UPDATE api_tokens SET label = label WHERE user_id = {id} AND revoked_at IS NULL")).await.unwrap();
        assert_eq!(live, 0, "no live token is left");

        // Reactivated, the person may sign in again (the old session and token stay ended).
        scim(&desk, Method::PATCH, &format!("/Users/{id}"), &token,
            Some(patch(json!([{ "op": "replace", "value": { "active": true } }])))).await.expect(200);
        desk.get(&api, "/me").await.problem(401, "unauthenticated");
        desk.sign_in("olga@example.org", "provisioned secret 1").await;
    }

    /// Entra ID's flow: PATCH with paths and capitalised ops, `"False"` as a string, the work
    /// e-mail by value filter; then DELETE, after which the person is gone from SCIM.
    async fn entra_patches_with_paths_and_deletes(desk: Desk) {
        let token = scim_token(&desk).await;
        let created = scim(&desk, Method::POST, "/Users", &token, Some(json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            "externalId": "e-42",
            "userName": "erik@example.org",
            "active": true,
            "displayName": "Erik Entra",
            "emails": [{ "primary": true, "type": "work", "value": "erik@example.org" }],
            "name": { "formatted": "Erik Entra", "familyName": "Entra", "givenName": "Erik" },
            "title": "Engineer",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "department": "IT" }
        }))).await.expect(201);
        let id = created.body["id"].as_str().unwrap().to_owned();

        // Entra's probe for a person that does not exist: an empty list, not an error.
        let none = scim(&desk, Method::GET, "/Users?filter=userName+eq+%22nobody%40example.org%22", &token, None).await.expect(200);
        assert_eq!(none.body["totalResults"], 0);
        assert_eq!(none.body["Resources"], json!([]));

        let changed = scim(&desk, Method::PATCH, &format!("/Users/{id}"), &token, Some(patch(json!([
            { "op": "Replace", "path": "displayName", "value": "Erik Entrada" },
            { "op": "Replace", "path": "name.familyName", "value": "Entrada" },
            { "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "erik.entrada@example.org" },
            { "op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Ops" },
            { "op": "Remove", "path": "externalId" }
        ])))).await.expect(200);
        assert_eq!(changed.body["displayName"], "Erik Entrada");
        assert_eq!(changed.body["name"]["familyName"], "Entrada");
        assert_eq!(changed.body["userName"], "erik.entrada@example.org");
        assert!(changed.body.get("externalId").is_none(), "{}", changed.text);
        assert_eq!(desk.get(&desk.admin, &format!("/users/{id}")).await.body["email"], "erik.entrada@example.org");

        // A PATCH that fails in its last operation changes nothing.
        let bad = scim(&desk, Method::PATCH, &format!("/Users/{id}"), &token, Some(patch(json!([
            { "op": "Replace", "path": "displayName", "value": "Never Stored" },
            { "op": "Replace", "path": "shoeSize", "value": "44" }
        ])))).await;
        scim_error(&bad, 400, Some("invalidPath"));
        assert_eq!(desk.get(&desk.admin, &format!("/users/{id}")).await.body["name"], "Erik Entrada");

        let (session, api) = signed_in(&desk, &id, "erik.entrada@example.org").await;
        scim(&desk, Method::PATCH, &format!("/Users/{id}"), &token,
            Some(patch(json!([{ "op": "Replace", "path": "active", "value": "False" }])))).await.expect(200);
        desk.send_as_session(Method::GET, "/me", &session, None).await.problem(401, "unauthenticated");
        desk.get(&api, "/me").await.problem(401, "unauthenticated");

        // DELETE: gone from SCIM, kept (inactive) by the desk for its tickets.
        assert_eq!(scim(&desk, Method::DELETE, &format!("/Users/{id}"), &token, None).await.expect(204).text, "");
        scim_error(&scim(&desk, Method::GET, &format!("/Users/{id}"), &token, None).await, 404, None);
        scim_error(&scim(&desk, Method::DELETE, &format!("/Users/{id}"), &token, None).await, 404, None);
        let kept = desk.get(&desk.admin, &format!("/users/{id}")).await.expect(200);
        assert_eq!(kept.body["active"], false);
        // Provisioned again, the same person comes back.
        let back = scim(&desk, Method::POST, "/Users", &token, Some(json!({
            "userName": "erik.entrada@example.org", "displayName": "Erik Back", "active": true
        }))).await.expect(201);
        assert_eq!(back.body["id"], id.as_str());
        assert_eq!(back.body["active"], true);
    }

    /// Filters and paging: userName, externalId and emails[value eq …]; startIndex and count;
    /// malformed filters and bodies are SCIM 400s.
    async fn filters_paging_and_bad_requests(desk: Desk) {
        let token = scim_token(&desk).await;
        for n in 1..=5 {
            scim(&desk, Method::POST, "/Users", &token, Some(okta_user(&format!("p{n}@example.org"), &format!("ext-{n}")))).await.expect(201);
        }
        let all = scim(&desk, Method::GET, "/Users", &token, None).await.expect(200);
        let total = all.body["totalResults"].as_i64().unwrap();
        assert_eq!(total, 6, "the five and the desk's admin");
        let page = scim(&desk, Method::GET, "/Users?startIndex=2&count=2", &token, None).await.expect(200);
        assert_eq!(page.body["startIndex"], 2);
        assert_eq!(page.body["itemsPerPage"], 2);
        assert_eq!(page.body["totalResults"], 6);
        assert_eq!(page.body["Resources"][0]["id"], all.body["Resources"][1]["id"]);
        let last = scim(&desk, Method::GET, "/Users?startIndex=6&count=5", &token, None).await.expect(200);
        assert_eq!(last.body["itemsPerPage"], 1);
        let zero = scim(&desk, Method::GET, "/Users?count=0", &token, None).await.expect(200);
        assert_eq!((zero.body["totalResults"].as_i64(), zero.body["itemsPerPage"].as_i64()), (Some(6), Some(0)));

        for (filter, expected) in [
            ("externalId eq \"ext-3\"", Some("p3@example.org")),
            ("emails[value eq \"p4@example.org\"]", Some("p4@example.org")),
            ("emails.value eq \"P2@EXAMPLE.ORG\"", Some("p2@example.org")),
            ("userName eq \"p1@example.org\" and externalId eq \"ext-1\"", Some("p1@example.org")),
            ("userName eq \"p1@example.org\" and externalId eq \"ext-2\"", None),
        ] {
            let found = desk.http.get(format!("{}/scim/v2/Users", desk.base)).query(&[("filter", filter)]).bearer_auth(&token).send().await.unwrap();
            assert_eq!(found.status(), 200, "{filter}");
            let body: Value = found.json().await.unwrap();
            match expected {
                Some(email) => {
                    assert_eq!(body["totalResults"], 1, "{filter}");
                    assert_eq!(body["Resources"][0]["userName"], email, "{filter}");
                }
                None => assert_eq!(body["totalResults"], 0, "{filter}"),
            }
        }
        for filter in ["userName co \"p\"", "userName eq \"a\" or userName eq \"b\"", "title eq \"x\"", "userName eq", "(userName eq \"a\")"] {
            let answer = desk.http.get(format!("{}/scim/v2/Users", desk.base)).query(&[("filter", filter)]).bearer_auth(&token).send().await.unwrap();
            let status = answer.status().as_u16();
            let headers = answer.headers().clone();
            let text = answer.text().await.unwrap();
            let body = serde_json::from_str(&text).unwrap();
            scim_error(&Answer { status, headers, body, text }, 400, Some("invalidFilter"));
        }
        scim_error(&scim(&desk, Method::GET, "/Users?count=many", &token, None).await, 400, Some("invalidValue"));

        // Bad bodies.
        let raw = desk.http.post(format!("{}/scim/v2/Users", desk.base)).bearer_auth(&token)
            .header("content-type", "application/scim+json").body("{ not json").send().await.unwrap();
        assert_eq!(raw.status(), 400);
        let raw: Value = raw.json().await.unwrap();
        assert_eq!(raw["scimType"], "invalidSyntax");
        scim_error(&scim(&desk, Method::POST, "/Users", &token, Some(json!({ "displayName": "No Name" }))).await, 400, Some("invalidValue"));
        scim_error(&scim(&desk, Method::POST, "/Users", &token, Some(json!({ "userName": "not-an-address" }))).await, 400, Some("invalidValue"));
        scim_error(&scim(&desk, Method::POST, "/Users", &token, Some(json!({ "userName": "x@example.org", "active": "perhaps" }))).await, 400, Some("invalidValue"));
        scim_error(&scim(&desk, Method::POST, "/Users", &token, Some(json!([1, 2]))).await, 400, Some("invalidSyntax"));
        let first = all.body["Resources"][1]["id"].as_str().unwrap().to_owned();
        scim_error(&scim(&desk, Method::PATCH, &format!("/Users/{first}"), &token, Some(json!({ "Operations": [{ "op": "move", "path": "active" }] }))).await, 400, Some("invalidSyntax"));
        scim_error(&scim(&desk, Method::PATCH, &format!("/Users/{first}"), &token, Some(patch(json!([{ "op": "remove" }])))).await, 400, Some("noTarget"));
        scim_error(&scim(&desk, Method::PATCH, &format!("/Users/{first}"), &token, Some(patch(json!([{ "op": "replace", "path": "emails[type co \"w\"].value", "value": "a@b.org" }])))).await, 400, Some("invalidPath"));
        scim_error(&scim(&desk, Method::GET, "/Users/not-a-number", &token, None).await, 404, None);
        // Nothing of that was stored.
        assert_eq!(scim(&desk, Method::GET, "/Users", &token, None).await.body["totalResults"], 6);

        // Discovery.
        let config = scim(&desk, Method::GET, "/ServiceProviderConfig", &token, None).await.expect(200);
        assert_eq!(config.body["patch"]["supported"], true);
        assert_eq!(config.body["filter"]["maxResults"], 200);
        let types = scim(&desk, Method::GET, "/ResourceTypes", &token, None).await.expect(200);
        assert_eq!(types.body["totalResults"], 2);
        scim(&desk, Method::GET, "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", &token, None).await.expect(200);
        scim_error(&scim(&desk, Method::GET, "/Schemas/urn:nothing", &token, None).await, 404, None);
        scim_error(&scim(&desk, Method::GET, "/Nothing", &token, None).await, 404, None);
    }

    /// Groups map to resolver groups: create with members, add and remove in Entra's and
    /// Okta's shapes, rename, filter by displayName, replace, delete.
    async fn groups_sync_membership(desk: Desk) {
        let token = scim_token(&desk).await;
        let mut ids = Vec::new();
        for name in ["gina", "hugo", "ines"] {
            let made = scim(&desk, Method::POST, "/Users", &token, Some(okta_user(&format!("{name}@example.org"), name))).await.expect(201);
            ids.push(made.body["id"].as_str().unwrap().to_owned());
        }
        let created = scim(&desk, Method::POST, "/Groups", &token, Some(json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Network team",
            "externalId": "g-1",
            "members": [{ "value": ids[0] }]
        }))).await.expect(201);
        let group = created.body["id"].as_str().unwrap().to_owned();
        assert_eq!(created.body["members"][0]["value"], ids[0].as_str());
        // A resolver group of the desk; its member is now an agent.
        let members = desk.get(&desk.admin, &format!("/groups/{group}/members")).await.expect(200);
        assert_eq!(members.body.as_array().unwrap().len(), 1, "{}", members.text);
        assert_eq!(desk.get(&desk.admin, &format!("/users/{}", ids[0])).await.body["role"], "agent");
        assert_eq!(desk.get(&desk.admin, &format!("/users/{}", ids[1])).await.body["role"], "customer");
        scim_error(&scim(&desk, Method::POST, "/Groups", &token, Some(json!({ "displayName": "Network team" }))).await, 409, Some("uniqueness"));

        // Entra adds and removes with a value list; Okta removes by a value filter.
        let member_ids = |body: &Value| -> Vec<String> {
            let mut found: Vec<String> = body["members"].as_array().unwrap().iter().map(|m| m["value"].as_str().unwrap().to_owned()).collect();
            found.sort();
            found
        };
        let sorted = |mut list: Vec<String>| { list.sort(); list };
        let added = scim(&desk, Method::PATCH, &format!("/Groups/{group}"), &token, Some(patch(json!([
            { "op": "Add", "path": "members", "value": [{ "value": ids[1] }, { "value": ids[2] }] }
        ])))).await.expect(200);
        assert_eq!(member_ids(&added.body), sorted(ids.clone()));
        let okta = scim(&desk, Method::PATCH, &format!("/Groups/{group}"), &token, Some(patch(json!([
            { "op": "remove", "path": format!("members[value eq \"{}\"]", ids[0]) }
        ])))).await.expect(200);
        assert_eq!(member_ids(&okta.body), sorted(vec![ids[1].clone(), ids[2].clone()]));
        let entra = scim(&desk, Method::PATCH, &format!("/Groups/{group}"), &token, Some(patch(json!([
            { "op": "Remove", "path": "members", "value": [{ "value": ids[1] }] },
            { "op": "Replace", "path": "displayName", "value": "Network operations" }
        ])))).await.expect(200);
        assert_eq!(member_ids(&entra.body), vec![ids[2].clone()]);
        assert_eq!(entra.body["displayName"], "Network operations");
        let members = desk.get(&desk.admin, &format!("/groups/{group}/members")).await.expect(200);
        assert_eq!(members.body.as_array().unwrap().len(), 1);
        // Okta renames without a path.
        scim(&desk, Method::PATCH, &format!("/Groups/{group}"), &token, Some(patch(json!([
            { "op": "replace", "value": { "id": group, "displayName": "NetOps" } }
        ])))).await.expect(200);

        // Filters: displayName, and Entra's membership check.
        let by_name = desk.http.get(format!("{}/scim/v2/Groups", desk.base)).query(&[("filter", "displayName eq \"NetOps\""), ("excludedAttributes", "members")]).bearer_auth(&token).send().await.unwrap();
        let by_name: Value = by_name.json().await.unwrap();
        assert_eq!(by_name["totalResults"], 1);
        assert!(by_name["Resources"][0].get("members").is_none());
        for (member, expected) in [(&ids[2], 1), (&ids[0], 0)] {
            let filter = format!("id eq \"{group}\" and members[value eq \"{member}\"]");
            let check = desk.http.get(format!("{}/scim/v2/Groups", desk.base)).query(&[("filter", filter.as_str())]).bearer_auth(&token).send().await.unwrap();
            let check: Value = check.json().await.unwrap();
            assert_eq!(check["totalResults"], expected, "{filter}");
        }
        // A member who does not exist is refused, and nothing changes.
        scim_error(&scim(&desk, Method::PATCH, &format!("/Groups/{group}"), &token, Some(patch(json!([
            { "op": "add", "path": "members", "value": [{ "value": ids[0] }, { "value": "999999" }] }
        ])))).await, 400, Some("invalidValue"));
        let now = scim(&desk, Method::GET, &format!("/Groups/{group}"), &token, None).await.expect(200);
        assert_eq!(member_ids(&now.body), vec![ids[2].clone()]);

        // PUT: exactly these members.
        let put = scim(&desk, Method::PUT, &format!("/Groups/{group}"), &token, Some(json!({
            "displayName": "NetOps", "members": [{ "value": ids[0] }, { "value": ids[1] }]
        }))).await.expect(200);
        assert_eq!(member_ids(&put.body), sorted(vec![ids[0].clone(), ids[1].clone()]));

        // DELETE: emptied and gone from SCIM; the desk keeps the group for its tickets.
        scim(&desk, Method::DELETE, &format!("/Groups/{group}"), &token, None).await.expect(204);
        scim_error(&scim(&desk, Method::GET, &format!("/Groups/{group}"), &token, None).await, 404, None);
        let members = desk.get(&desk.admin, &format!("/groups/{group}/members")).await.expect(200);
        assert_eq!(members.body, json!([]));
    }

    /// A SCIM token opens only `/scim/v2` of its own tenant: an API token is refused there, a
    /// SCIM token is refused by `/api/v1`, a revoked one everywhere; only admins manage them;
    /// another tenant's token sees and changes none of this tenant's people and groups.
    async fn tokens_are_bound_to_scim_and_their_tenant(desk: Desk) {
        let token = scim_token(&desk).await;
        // An API token — even the admin's — is not a SCIM token, and the other way round.
        scim_error(&scim(&desk, Method::GET, "/Users", &desk.admin.token, None).await, 401, None);
        let no_auth = desk.http.get(format!("{}/scim/v2/Users", desk.base)).send().await.unwrap();
        assert_eq!(no_auth.status(), 401);
        assert!(no_auth.headers().contains_key("www-authenticate"));
        desk.send(Method::GET, "/me", Some(&token), &[], None).await.problem(401, "unauthenticated");
        desk.send(Method::GET, "/scim-tokens", Some(&token), &[], None).await.problem(401, "unauthenticated");
        // Only admins see and make SCIM tokens.
        let agent = desk.person("agent", None, false).await;
        desk.get(&agent, "/scim-tokens").await.problem(403, "forbidden");
        desk.post(&agent, "/scim-tokens", json!({ "label": "mine" })).await.problem(403, "forbidden");
        let listed = desk.get(&desk.admin, "/scim-tokens").await.expect(200);
        assert_eq!(listed.body.as_array().unwrap().len(), 1);
        assert!(listed.body[0].get("token").is_none(), "no secret in a listing");
        assert!(!listed.text.contains(&token));
        desk.post(&desk.admin, "/scim-tokens", json!({ "label": "" })).await.problem(422, "validation_failed");

        // Data of the first tenant.
        let person = scim(&desk, Method::POST, "/Users", &token, Some(okta_user("first@example.org", "f1"))).await.expect(201);
        let person = person.body["id"].as_str().unwrap().to_owned();
        let group = scim(&desk, Method::POST, "/Groups", &token, Some(json!({ "displayName": "First team", "members": [{ "value": person }] }))).await.expect(201);
        let group = group.body["id"].as_str().unwrap().to_owned();

        // A second tenant with its admin and SCIM token.
        let store = desk.app.store();
        let second = store.create_tenant(&unique("Second"), Timestamp::from_micros(1_800_000_000_000_000)).await.unwrap();
        assert_ne!(second, TenantId::FIRST);
        desk.app.prepare_desk(second).await.unwrap();
        desk.app.system_create_user(second, UserInput {
            email: Email::parse("admin@second.example").unwrap(),
            name: Name::parse("Second Admin").unwrap(),
            role: Role::Admin, organization_id: None, super_user: false, password: None,
        }).await.unwrap();
        let second_admin = desk.app.actor_for_email(second, "admin@second.example").await.unwrap();
        let theirs = desk.app.create_scim_token(&second_admin, "Second IdP").await.unwrap().secret;
        let second_api = desk.app.issue_token_for_email(second, "admin@second.example", &spoc_app::TokenRequest::labelled("t")).await.unwrap();
        let second_api = Person { id: second_api.token.user_id.get(), token: second_api.secret };

        // Reads: 404, and lists hold only the second tenant's own.
        scim_error(&scim(&desk, Method::GET, &format!("/Users/{person}"), &theirs, None).await, 404, None);
        scim_error(&scim(&desk, Method::GET, &format!("/Groups/{group}"), &theirs, None).await, 404, None);
        let list = scim(&desk, Method::GET, "/Users", &theirs, None).await.expect(200);
        assert_eq!(list.body["totalResults"], 1, "{}", list.text);
        assert_eq!(list.body["Resources"][0]["userName"], "admin@second.example");
        let probe = desk.http.get(format!("{}/scim/v2/Users", desk.base)).query(&[("filter", "userName eq \"first@example.org\"")]).bearer_auth(&theirs).send().await.unwrap();
        assert_eq!(probe.json::<Value>().await.unwrap()["totalResults"], 0);
        let groups = scim(&desk, Method::GET, "/Groups", &theirs, None).await.expect(200);
        assert!(groups.body["Resources"].as_array().unwrap().iter().all(|g| g["displayName"] != "First team"));

        // Writes naming the first tenant's objects: 404 or 400, nothing changed.
        scim_error(&scim(&desk, Method::PATCH, &format!("/Users/{person}"), &theirs,
            Some(patch(json!([{ "op": "replace", "path": "active", "value": false }])))).await, 404, None);
        scim_error(&scim(&desk, Method::PUT, &format!("/Users/{person}"), &theirs, Some(okta_user("first@example.org", "x"))).await, 404, None);
        scim_error(&scim(&desk, Method::DELETE, &format!("/Users/{person}"), &theirs, None).await, 404, None);
        scim_error(&scim(&desk, Method::PATCH, &format!("/Groups/{group}"), &theirs,
            Some(patch(json!([{ "op": "remove", "path": "members" }])))).await, 404, None);
        scim_error(&scim(&desk, Method::DELETE, &format!("/Groups/{group}"), &theirs, None).await, 404, None);
        let own_group = scim(&desk, Method::POST, "/Groups", &theirs, Some(json!({ "displayName": "Second team" }))).await.expect(201);
        let own_group = own_group.body["id"].as_str().unwrap().to_owned();
        scim_error(&scim(&desk, Method::PATCH, &format!("/Groups/{own_group}"), &theirs, Some(patch(json!([
            { "op": "add", "path": "members", "value": [{ "value": person }] }
        ])))).await, 400, Some("invalidValue"));
        scim_error(&scim(&desk, Method::POST, "/Groups", &theirs, Some(json!({ "displayName": "Stolen", "members": [{ "value": person }] }))).await, 400, Some("invalidValue"));
        let stolen = desk.http.get(format!("{}/scim/v2/Groups", desk.base)).query(&[("filter", "displayName eq \"Stolen\"")]).bearer_auth(&theirs).send().await.unwrap();
        assert_eq!(stolen.json::<Value>().await.unwrap()["totalResults"], 0, "no group was made");
        let first = scim(&desk, Method::GET, &format!("/Users/{person}"), &token, None).await.expect(200);
        assert_eq!(first.body["active"], true);
        assert_eq!(desk.get(&desk.admin, &format!("/users/{person}")).await.body["role"], "agent");
        let first_group = scim(&desk, Method::GET, &format!("/Groups/{group}"), &token, None).await.expect(200);
        assert_eq!(first_group.body["members"][0]["value"], person.as_str());
        assert_eq!(first_group.body["displayName"], "First team");

        // The second tenant's admin can neither see nor revoke the first tenant's token.
        assert_eq!(desk.get(&second_api, "/scim-tokens").await.expect(200).body.as_array().unwrap().len(), 1);
        let first_id = listed.body[0]["id"].as_i64().unwrap();
        desk.delete(&second_api, &format!("/scim-tokens/{first_id}")).await.problem(404, "not_found");
        scim(&desk, Method::GET, "/Users", &token, None).await.expect(200);

        // Revoked, the token is refused at once.
        desk.delete(&desk.admin, &format!("/scim-tokens/{first_id}")).await.expect(204);
        scim_error(&scim(&desk, Method::GET, "/Users", &token, None).await, 401, None);
        desk.delete(&desk.admin, &format!("/scim-tokens/{first_id}")).await.problem(404, "not_found");
    }
}
