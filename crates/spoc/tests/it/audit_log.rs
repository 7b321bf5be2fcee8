//! The admin audit log, on both backends: each administrative action is recorded with its codes
//! and no personal data, the log's filters and pages work, and only the tenant's own admins read
//! it (other roles are refused, another tenant's admin sees none of it).

use reqwest::Method;
use serde_json::{Value, json};
use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp};

use crate::both_backends;
use crate::harness::{Desk, Person, unique};

/// The log's entries for `query` (e.g. `?action=person.created`), as the admin reads them.
async fn log(desk: &Desk, who: &Person, query: &str) -> Vec<Value> {
    desk.get(who, &format!("/audit-log{query}"))
        .await
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// Every stored row of `tenant` as the store keeps it, without the actor's name (which is not
/// stored: it is looked up when the log is read).
async fn stored_rows(desk: &Desk, tenant: TenantId) -> String {
    let rows = desk
        .app
        .store()
        .list_audit(
            tenant,
            &spoc_store::AuditQuery {
                limit: 500,
                ..spoc_store::AuditQuery::default()
            },
        )
        .await
        .unwrap();
    rows.into_iter()
        .map(|mut r| {
            r.actor_name = None;
            format!("{r:?}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn put(desk: &Desk, who: &Person, path: &str, body: Option<Value>) -> crate::harness::Answer {
    desk.send(
        Method::PUT,
        path,
        Some(&who.token),
        &[],
        body.map(|b| ("application/json", b.to_string().into_bytes())),
    )
    .await
}

/// An admin of a second tenant, with an API token.
async fn second_tenant_admin(desk: &Desk) -> (TenantId, Person) {
    let store = desk.app.store();
    let second = store
        .create_tenant(
            &unique("Second"),
            Timestamp::from_micros(1_800_000_000_000_000),
        )
        .await
        .unwrap();
    desk.app.prepare_desk(second).await.unwrap();
    let admin = desk
        .app
        .system_create_user(
            second,
            UserInput {
                email: Email::parse(&format!("{}@example.test", unique("admin2"))).unwrap(),
                name: Name::parse("Other Admin").unwrap(),
                role: Role::Admin,
                organization_id: None,
                super_user: false,
                password: None,
            },
        )
        .await
        .unwrap();
    let token = desk.app.issue_token(admin.id, "tests").await.unwrap();
    (
        second,
        Person {
            id: admin.id.get(),
            token: token.secret,
        },
    )
}

both_backends! {
    /// People, groups and settings changed by an admin each leave an entry with the right codes;
    /// no entry holds the person's name or e-mail address.
    async fn admin_actions_are_recorded_without_personal_data(desk: Desk) {
        let email = format!("{}@example.test", unique("zelda.quist"));
        let name = "Zelda Quist-Marlowe";
        let created = desk
            .post(&desk.admin, "/users", json!({ "email": email, "name": name, "role": "customer" }))
            .await
            .expect(201);
        let id = created.body["id"].as_i64().unwrap();
        let path = format!("/users/{id}");
        desk.patch(&desk.admin, &path, json!({ "role": "agent" })).await.expect(200);
        desk.patch(&desk.admin, &path, json!({ "active": false })).await.expect(200);
        desk.patch(&desk.admin, &path, json!({ "active": true })).await.expect(200);
        desk.patch(&desk.admin, &path, json!({ "password": "a long new password 42" })).await.expect(200);
        desk.patch(&desk.admin, &path, json!({ "name": "Zelda Q. Marlowe" })).await.expect(200);
        let group = desk.group(&unique("Network"), 2, false).await;
        desk.add_member(group, id).await;
        desk.send(Method::DELETE, &format!("/groups/{group}/members/{id}"), Some(&desk.admin.token), &[], None)
            .await
            .expect(204);
        let mut matrix = desk.get(&desk.admin, "/settings/priority-matrix").await.expect(200).body;
        matrix["cells"][2][2] = json!("P4");
        put(&desk, &desk.admin, "/settings/priority-matrix", Some(matrix)).await.expect(200);

        let entries = log(&desk, &desk.admin, "").await;
        let find = |action: &str| {
            entries
                .iter()
                .find(|e| e["action"] == action)
                .unwrap_or_else(|| panic!("{action} in {entries:#?}"))
                .clone()
        };
        let person_created = find("person.created");
        assert_eq!(person_created["target_kind"], "user");
        assert_eq!(person_created["target_id"], id);
        assert_eq!(person_created["details"], json!({ "role": "customer" }));
        assert_eq!(person_created["actor_id"], desk.admin.id);
        assert!(person_created["actor_name"].is_string());
        assert_eq!(find("person.role_changed")["details"], json!({ "from": "customer", "to": "agent" }));
        assert_eq!(find("person.deactivated")["target_id"], id);
        assert_eq!(find("person.reactivated")["target_id"], id);
        assert_eq!(find("person.password_reset")["target_id"], id);
        assert_eq!(find("person.changed")["details"], json!({ "fields": "name" }));
        assert_eq!(find("group.created")["target_id"], group);
        let added = find("group.member_added");
        assert_eq!((added["target_id"].clone(), added["details"].clone()), (json!(group), json!({ "user_id": id.to_string() })));
        assert_eq!(find("group.member_removed")["target_id"], group);
        let setting = find("setting.changed");
        assert_eq!((setting["target_kind"].clone(), setting["details"].clone()), (json!("settings"), json!({ "key": "priority_matrix" })));

        // Nothing stored names the person: not their name (old or new), nor their address.
        let stored = stored_rows(&desk, TenantId::FIRST).await;
        for secret in [name, "Zelda Q. Marlowe", "Zelda", "Marlowe", email.as_str(), "a long new password"] {
            assert!(!stored.contains(secret), "{secret:?} is stored in the audit log:\n{stored}");
        }
        assert!(stored.contains("person.role_changed"), "the rows were read: {stored}");
    }

    /// The filters narrow the log, pages follow each other without gaps or repeats, and bad
    /// filters are a clear 4xx.
    async fn filters_and_pages(desk: Desk) {
        let other_admin = desk.person("admin", None, false).await;
        let mut groups = Vec::new();
        for n in 0..5 {
            groups.push(desk.group(&unique(&format!("Group {n}")), 2, false).await);
        }
        // The second admin makes one organisation.
        let org = desk.post(&other_admin, "/organizations", json!({ "name": unique("Org") })).await.expect(201).body["id"]
            .as_i64()
            .unwrap();

        let created = log(&desk, &desk.admin, "?action=group.created").await;
        assert_eq!(created.len(), 5);
        assert!(created.iter().all(|e| e["action"] == "group.created"));
        let mine = log(&desk, &desk.admin, &format!("?actor_id={}", other_admin.id)).await;
        assert_eq!(mine.len(), 1, "{mine:#?}");
        assert_eq!(mine[0]["action"], "organization.created");
        assert_eq!(mine[0]["target_id"], org);
        let one = log(&desk, &desk.admin, &format!("?target_kind=group&target_id={}", groups[2])).await;
        assert_eq!(one.len(), 1);
        assert_eq!(one[0]["target_id"], groups[2]);
        assert!(log(&desk, &desk.admin, "?from=2099-01-01").await.is_empty());
        assert!(log(&desk, &desk.admin, "?until=2000-01-01").await.is_empty());
        assert_eq!(log(&desk, &desk.admin, "?action=group.created&from=2000-01-01&until=2099-01-01").await.len(), 5);

        // Pages of two, newest first, cover the five entries exactly once.
        let mut seen = Vec::new();
        let mut query = "?action=group.created&limit=2".to_owned();
        loop {
            let page = desk.get(&desk.admin, &format!("/audit-log{query}")).await.expect(200).body;
            seen.extend(page["items"].as_array().unwrap().iter().map(|e| e["target_id"].as_i64().unwrap()));
            match page["next_cursor"].as_str() {
                Some(cursor) => query = format!("?action=group.created&limit=2&cursor={cursor}"),
                None => break,
            }
        }
        let mut newest_first = groups.clone();
        newest_first.reverse();
        assert_eq!(seen, newest_first);

        desk.get(&desk.admin, "/audit-log?action=nothing.done").await.problem(400, "invalid_query");
        desk.get(&desk.admin, "/audit-log?from=2026-12-02&until=2026-12-01").await.problem(400, "invalid_query");
        desk.get(&desk.admin, "/audit-log?limit=0").await.problem(400, "invalid_query");
        desk.get(&desk.admin, "/audit-log?from=yesterday").await.problem(400, "invalid_query");
        desk.get(&desk.admin, "/audit-log?cursor=abc").await.problem(400, "invalid_query");
        desk.get(&desk.admin, "/audit-log?colour=red").await.problem(400, "invalid_query");
    }

    /// Customers, agents and leads are refused; another tenant's admin reads only their own
    /// tenant's log, and asking for this tenant's targets finds nothing.
    async fn only_the_tenants_admins_read_it(desk: Desk) {
        let group = desk.group(&unique("Private"), 2, false).await;
        for role in ["customer", "agent", "lead"] {
            let who = desk.person(role, None, false).await;
            desk.get(&who, "/audit-log").await.problem(403, "forbidden");
        }
        let (second, other) = second_tenant_admin(&desk).await;
        // The other tenant's admin makes a group of their own.
        let theirs = desk.post(&other, "/groups", json!({ "name": unique("Theirs"), "tier": 2 })).await.expect(201).body["id"]
            .as_i64()
            .unwrap();
        let seen = log(&desk, &other, "").await;
        assert!(!seen.is_empty());
        assert!(seen.iter().all(|e| e["target_id"] != group), "{seen:#?}");
        assert!(seen.iter().any(|e| e["target_id"] == theirs));
        assert!(log(&desk, &other, &format!("?target_kind=group&target_id={group}")).await.is_empty());
        assert!(log(&desk, &other, &format!("?actor_id={}", desk.admin.id)).await.is_empty());
        // And the first tenant's admin sees nothing of the second tenant's.
        let first = log(&desk, &desk.admin, "?action=group.created").await;
        assert!(first.iter().all(|e| e["target_id"] != theirs));
        assert!(stored_rows(&desk, second).await.contains("group.created"));
    }
}
