//! Tenants, on both backends: a second tenant made directly through the store may reuse the
//! first tenant's e-mail addresses and names, and an actor of one tenant sees none of the other
//! tenant's tickets, people, groups, articles or settings through the API. The same e-mail
//! address in two tenants signs in to the tenant whose password it gives.

use serde_json::{Value, json};
use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp, UserId};

use crate::both_backends;
use crate::harness::{Desk, Person, unique};

fn ids(list: &Value) -> Vec<i64> {
    let items = list.get("items").unwrap_or(list);
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

/// A person of `tenant`, made through the app as the admin CLI would, with a password if given.
async fn account(
    desk: &Desk,
    tenant: TenantId,
    email: &str,
    role: Role,
    password: Option<&str>,
) -> UserId {
    let user = desk
        .app
        .system_create_user(
            tenant,
            UserInput {
                email: Email::parse(email).unwrap(),
                name: Name::parse("Second Tenant").unwrap(),
                role,
                organization_id: None,
                super_user: false,
                password: password.map(str::to_owned),
            },
        )
        .await
        .unwrap();
    assert_eq!(user.tenant_id, tenant);
    user.id
}

/// A person of `tenant`, made through the app as the admin CLI would, with an API token.
async fn person_of(desk: &Desk, tenant: TenantId, email: &str, role: Role) -> Person {
    let user = account(desk, tenant, email, role, None).await;
    let token = desk.app.issue_token(user, "tests").await.unwrap();
    Person {
        id: user.get(),
        token: token.secret,
    }
}

both_backends! {
    /// The first tenant's records never show through to a second tenant, and names and e-mail
    /// addresses are unique only within a tenant.
    async fn a_tenant_sees_nothing_of_another(desk: Desk) {
        // The first tenant: the desk as it starts, with a customer's ticket, a published
        // article, a group and a changed setting.
        let customer = desk.person("customer", None, false).await;
        let customer_email = desk.get(&desk.admin, &format!("/users/{}", customer.id)).await.expect(200).body["email"]
            .as_str()
            .unwrap()
            .to_owned();
        let ticket = desk
            .post(&customer, "/tickets", json!({
                "kind": "incident", "title": "Printer on fire", "description": "Smoke everywhere",
                "impact": "high", "urgency": "high",
            }))
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap();
        let article = crate::knowledge::article(&desk, &desk.admin, "customers", "Printer fires", "Unplug it.").await;
        crate::knowledge::publish(&desk, &desk.admin, article).await;
        let group_name = unique("Shared group");
        let first_group = desk.group(&group_name, 2, false).await;
        let mut matrix = desk.get(&desk.admin, "/settings/priority-matrix").await.expect(200).body;
        let default_matrix = matrix.clone();
        matrix["cells"][2][2] = json!("P4");
        desk.send(
            reqwest::Method::PUT,
            "/settings/priority-matrix",
            Some(&desk.admin.token),
            &[],
            Some(("application/json", matrix.to_string().into_bytes())),
        )
        .await
        .expect(200);

        // A second tenant, made directly through the store, with its desk prepared.
        let store = desk.app.store();
        let now = Timestamp::from_micros(1_800_000_000_000_000);
        let second = store.create_tenant(&unique("Second"), now).await.unwrap();
        assert_ne!(second, TenantId::FIRST);
        desk.app.prepare_desk(second).await.unwrap();
        // The same e-mail address and the same group name are free in the second tenant...
        let admin = person_of(&desk, second, &customer_email, Role::Admin).await;
        let second_group = store
            .create_group(second, &group_name, spoc_domain::org::Tier::Two, false, now)
            .await
            .unwrap();
        assert_ne!(second_group.id.get(), first_group);
        // ...but still taken within it.
        let again = desk
            .app
            .system_create_user(
                second,
                UserInput {
                    email: Email::parse(&customer_email).unwrap(),
                    name: Name::parse("Twin").unwrap(),
                    role: Role::Customer,
                    organization_id: None,
                    super_user: false,
                    password: None,
                },
            )
            .await;
        assert!(matches!(again, Err(spoc_app::AppError::Duplicate(_))), "{again:?}");
        assert!(store.create_group(second, &group_name, spoc_domain::org::Tier::Two, false, now).await.is_err());
        // Each tenant finds its own person by the shared address.
        let in_first = store.find_user_by_email(TenantId::FIRST, &customer_email).await.unwrap().unwrap();
        let in_second = store.find_user_by_email(second, &customer_email).await.unwrap().unwrap();
        assert_eq!(in_first.id, UserId::new(customer.id));
        assert_eq!(in_second.id, UserId::new(admin.id));

        // The second tenant's admin sees none of the first tenant's records.
        let tickets = desk.get(&admin, "/tickets?limit=200").await.expect(200).body;
        assert_eq!(tickets["total"], 0, "{tickets}");
        desk.get(&admin, &format!("/tickets/{ticket}")).await.problem(404, "not_found");
        let users = ids(&desk.get(&admin, "/users?limit=500").await.expect(200).body);
        assert_eq!(users, vec![admin.id], "only the second tenant's people");
        desk.get(&admin, &format!("/users/{}", customer.id)).await.problem(404, "not_found");
        let groups = ids(&desk.get(&admin, "/groups").await.expect(200).body);
        assert!(groups.contains(&second_group.id.get()));
        assert!(!groups.contains(&first_group), "{groups:?}");
        let articles = desk.get(&admin, "/articles").await.expect(200).body;
        assert!(ids(&articles).is_empty(), "{articles}");
        desk.get(&admin, &format!("/articles/{article}")).await.problem(404, "not_found");
        // Nor does the one search: not the ticket by its words or number, the person, the
        // article.
        for q in ["printer".to_owned(), format!("%23{ticket}"), "Test%20customer".to_owned()] {
            let found = desk.get(&admin, &format!("/api/v1/search?q={q}")).await.expect(200).body;
            for group in ["tickets", "people", "organizations", "articles"] {
                assert_eq!(found[group], json!([]), "{q}: {found}");
            }
            assert_eq!(found["ticket"], Value::Null, "{q}: {found}");
        }
        let second_matrix = desk.get(&admin, "/settings/priority-matrix").await.expect(200).body;
        assert_eq!(second_matrix, default_matrix, "settings are the tenant's own");

        // A ticket of the second tenant lands in its own default group, and the first tenant
        // does not see it.
        let theirs = desk
            .post(&admin, "/tickets", json!({
                "kind": "incident", "title": "Mouse stuck", "description": "It does not move",
                "impact": "low", "urgency": "low",
            }))
            .await
            .expect(201)
            .body;
        let their_group = theirs["group_id"].as_i64().unwrap();
        assert!(groups.contains(&their_group), "{theirs}");
        let first_view = desk.get(&desk.admin, "/tickets?limit=200").await.expect(200).body;
        assert!(!ids(&first_view).contains(&theirs["id"].as_i64().unwrap()));
        desk.get(&desk.admin, &format!("/tickets/{}", theirs["id"])).await.problem(404, "not_found");
        let first_users = ids(&desk.get(&desk.admin, "/users?limit=500").await.expect(200).body);
        assert!(!first_users.contains(&admin.id));
        desk.patch(&desk.admin, &format!("/users/{}", admin.id), json!({"name": "Taken Over"}))
            .await
            .problem(404, "not_found");
    }

    /// The same e-mail address in two tenants with different passwords: each password signs in
    /// to its own tenant, as its own person, who sees only that tenant's tickets; a wrong
    /// password is refused for both. With the same password in both, sign-in picks the oldest
    /// tenant (`App::login`: the password decides, the oldest tenant first), every time.
    async fn one_address_signs_in_to_the_tenant_its_password_opens(desk: Desk) {
        let now = Timestamp::from_micros(1_800_000_000_000_000);
        let second = desk.app.store().create_tenant(&unique("Second"), now).await.unwrap();
        desk.app.prepare_desk(second).await.unwrap();
        let email = format!("{}@example.test", unique("twin"));
        let in_first = account(&desk, TenantId::FIRST, &email, Role::Admin, Some("first tenant secret")).await;
        let in_second = account(&desk, second, &email, Role::Admin, Some("second tenant secret")).await;
        assert_ne!(in_first, in_second);

        // A ticket in each tenant, logged by each tenant's own person.
        let token = |id: UserId| {
            let app = &desk.app;
            async move { Person { id: id.get(), token: app.issue_token(id, "tests").await.unwrap().secret } }
        };
        let first_ticket = desk.ticket(&token(in_first).await, "incident", "First tenant's printer").await["id"]
            .as_i64()
            .unwrap();
        let second_ticket = desk.ticket(&token(in_second).await, "incident", "Second tenant's printer").await["id"]
            .as_i64()
            .unwrap();

        // Each password opens a session in its own tenant, as its own person.
        for (password, user, tenant, mine, theirs) in [
            ("first tenant secret", in_first, TenantId::FIRST, first_ticket, second_ticket),
            ("second tenant secret", in_second, second, second_ticket, first_ticket),
        ] {
            let session = desk.sign_in(&email, password).await;
            let secret = session.0.split_once('=').unwrap().1;
            let actor = desk.app.authenticate_session(secret).await.unwrap().actor;
            assert_eq!(actor.tenant_id, tenant, "{password}");
            assert_eq!(actor.person().unwrap(), user, "{password}");
            let me = desk.send_as_session(reqwest::Method::GET, "/me", &session, None).await.expect(200).body;
            assert_eq!(me["id"], user.get(), "{me}");
            let tickets = desk
                .send_as_session(reqwest::Method::GET, "/tickets?limit=200", &session, None)
                .await
                .expect(200)
                .body;
            let seen = ids(&tickets);
            assert!(seen.contains(&mine), "{password}: {tickets}");
            assert!(!seen.contains(&theirs), "{password}: {tickets}");
            desk.send_as_session(reqwest::Method::GET, &format!("/tickets/{theirs}"), &session, None)
                .await
                .problem(404, "not_found");
        }

        // A wrong password opens neither.
        let body = json!({ "email": email, "password": "neither tenant's secret" }).to_string().into_bytes();
        desk.send(reqwest::Method::POST, "/auth/login", None, &[], Some(("application/json", body)))
            .await
            .problem(401, "unauthenticated");

        // The same password in both tenants: the oldest tenant, every time.
        let shared = format!("{}@example.test", unique("shared"));
        let older = account(&desk, TenantId::FIRST, &shared, Role::Customer, Some("one secret for both")).await;
        let newer = account(&desk, second, &shared, Role::Customer, Some("one secret for both")).await;
        for _ in 0..3 {
            let session = desk.sign_in(&shared, "one secret for both").await;
            let secret = session.0.split_once('=').unwrap().1;
            let actor = desk.app.authenticate_session(secret).await.unwrap().actor;
            assert_eq!(actor.tenant_id, TenantId::FIRST);
            assert_eq!(actor.person().unwrap(), older);
            assert_ne!(actor.person().unwrap(), newer);
        }
    }
}
