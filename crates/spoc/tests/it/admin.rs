//! The admin endpoints: organisations, users, groups and memberships, categories, services, the
//! default group — and that the hierarchical escalation lands in the outbox for the leads.

use reqwest::Method;
use serde_json::json;

use crate::both_backends;
use crate::harness::Desk;

both_backends! {
    async fn directory_is_administered_through_the_api(desk: Desk) {
        let org = desk.organization("Initech").await;
        desk.post(&desk.admin, "/organizations", json!({ "name": "Initech" })).await.problem(409, "duplicate");
        let orgs = desk.get(&desk.admin, "/organizations").await.expect(200).body;
        assert!(orgs.as_array().unwrap().iter().any(|o| o["id"] == org));

        let user = desk
            .post(&desk.admin, "/users", json!({
                "email": "Peter@Example.test", "name": "Peter Gibbons", "role": "customer",
                "organization_id": org, "super_user": true,
            }))
            .await
            .expect(201)
            .body;
        assert_eq!(user["email"], "peter@example.test", "e-mails are case-insensitive");
        assert_eq!(user["organization_id"], org);
        assert_eq!(user["super_user"], true);
        desk.post(&desk.admin, "/users", json!({ "email": "peter@example.test", "name": "Again", "role": "agent" }))
            .await
            .problem(409, "duplicate");
        let id = user["id"].as_i64().unwrap();
        let updated = desk.patch(&desk.admin, &format!("/users/{id}"), json!({ "name": "Peter G." })).await.expect(200).body;
        assert_eq!(updated["name"], "Peter G.");
        desk.get(&desk.admin, &format!("/users/{id}")).await.expect(200);

        let group = desk.group("Databases", 2, false).await;
        let dba = desk.person("agent", None, false).await;
        desk.add_member(group, dba.id).await;
        let members = desk.get(&desk.admin, &format!("/groups/{group}/members")).await.expect(200).body;
        assert!(members.as_array().unwrap().iter().any(|m| m["id"] == dba.id), "{members}");
        // Customers cannot join resolver groups.
        desk.send(Method::PUT, &format!("/groups/{group}/members/{id}"), Some(&desk.admin.token), &[], None)
            .await
            .problem(422, "validation_failed");
        desk.send(Method::DELETE, &format!("/groups/{group}/members/{}", dba.id), Some(&desk.admin.token), &[], None)
            .await
            .expect(204);
        let members = desk.get(&desk.admin, &format!("/groups/{group}/members")).await.expect(200).body;
        assert!(members.as_array().unwrap().is_empty());

        let hardware = desk.post(&desk.admin, "/categories", json!({ "name": "Hardware" })).await.expect(201).body;
        let laptop = desk
            .post(&desk.admin, "/categories", json!({ "name": "Laptop", "parent_id": hardware["id"] }))
            .await
            .expect(201)
            .body;
        desk.post(&desk.admin, "/categories", json!({ "name": "Too deep", "parent_id": laptop["id"] }))
            .await
            .problem(422, "validation_failed");
        let service = desk
            .post(&desk.admin, "/services", json!({ "name": "E-mail", "description": "Exchange Online" }))
            .await
            .expect(201)
            .body;
        let cats = desk.get(&dba, "/categories").await.expect(200).body;
        assert_eq!(cats.as_array().unwrap().len(), 2);

        // A ticket in a subcategory carries its category too.
        let ticket = desk
            .post(&dba, "/tickets", json!({
                "kind": "incident", "title": "Laptop will not boot", "description": "x",
                "impact": "low", "urgency": "high", "category_id": laptop["id"], "service_id": service["id"],
                "requester_id": id,
            }))
            .await
            .expect(201)
            .body;
        assert_eq!(ticket["category_id"], hardware["id"]);
        assert_eq!(ticket["subcategory_id"], laptop["id"]);
        assert_eq!(ticket["service_id"], service["id"]);
        assert_eq!(ticket["requester_id"], id);
        assert_eq!(ticket["organization_id"], org);
    }

    async fn the_default_group_can_be_changed(desk: Desk) {
        let original = desk.default_group().await;
        let groups = desk.get(&desk.admin, "/groups").await.expect(200).body;
        let desk_group = groups.as_array().unwrap().iter().find(|g| g["id"] == original).unwrap().clone();
        assert_eq!(desk_group["name"], "Service Desk");
        assert_eq!(desk_group["tier"], 1);

        let second = desk.group("Second line", 2, false).await;
        let put = |group: i64| {
            let desk = &desk;
            async move {
                let body = json!({ "group_id": group }).to_string().into_bytes();
                desk.send(Method::PUT, "/settings/default-group", Some(&desk.admin.token), &[], Some(("application/json", body))).await
            }
        };
        // The default group must be first line.
        put(second).await.problem(422, "validation_failed");
        put(424_242).await.expect_status_in(&[404, 422]);
        let helpdesk = desk.group("Helpdesk", 1, false).await;
        put(helpdesk).await.expect(200);
        assert_eq!(desk.default_group().await, helpdesk);
        let customer = desk.person("customer", None, false).await;
        let t = desk.ticket(&customer, "incident", "Lands in the new default").await;
        assert_eq!(t["group_id"], helpdesk);
    }

    async fn hierarchical_escalation_notifies_leads_through_the_outbox(desk: Desk) {
        let lead = desk.person("lead", None, false).await;
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let id = desk.ticket(&agent, "incident", "CEO cannot present").await["id"].as_i64().unwrap();
        desk.act(&agent, id, "escalate", json!({ "type": "hierarchical", "reason": "board meeting in 10 minutes" }))
            .await
            .expect(200);
        let pending = desk.app.store().pending_outbox(spoc_domain::TenantId::FIRST, "mail.escalation").await.unwrap();
        let mine: Vec<&(String, String)> = pending.iter().filter(|(key, _)| key.ends_with(&format!(":u{}", lead.id))).collect();
        assert_eq!(mine.len(), 1, "one e-mail to the lead: {pending:?}");
        let (key, payload) = mine[0];
        assert!(key.contains(&format!(":{id}:")), "{key}");
        let payload: serde_json::Value = serde_json::from_str(payload).unwrap();
        assert_eq!(payload["user_id"], lead.id);
        assert_eq!(payload["reason"], "board meeting in 10 minutes");
        // The same escalation never queues the lead's e-mail twice: the key is unique.
        let keys: std::collections::HashSet<&String> = pending.iter().map(|(k, _)| k).collect();
        assert_eq!(keys.len(), pending.len());
    }
}

trait StatusIn {
    fn expect_status_in(self, statuses: &[u16]) -> Self;
}

impl StatusIn for crate::harness::Answer {
    #[track_caller]
    fn expect_status_in(self, statuses: &[u16]) -> Self {
        assert!(
            statuses.contains(&self.status),
            "expected one of {statuses:?}: {}",
            self.text
        );
        self
    }
}

both_backends! {
    /// `GET /settings/default-group` names the group by `group_id`, as `PUT` takes it, so that
    /// what one returns can be sent back to the other.
    async fn the_default_group_is_read_and_written_as_group_id(desk: Desk) {
        let shown = desk.get(&desk.admin, "/settings/default-group").await.expect(200).body;
        let original = shown["group_id"].as_i64().expect("GET answers group_id");
        assert_eq!(shown["id"], original, "the group itself is still shown");
        let helpdesk = desk.group("Helpdesk", 1, false).await;
        let put = |group: i64| {
            let desk = &desk;
            async move {
                let body = json!({ "group_id": group }).to_string().into_bytes();
                desk.send(Method::PUT, "/settings/default-group", Some(&desk.admin.token), &[], Some(("application/json", body))).await
            }
        };
        let changed = put(helpdesk).await.expect(200).body;
        assert_eq!(changed["group_id"], helpdesk);
        let shown = desk.get(&desk.admin, "/settings/default-group").await.expect(200).body;
        assert_eq!(shown["group_id"], helpdesk);
        // What GET answered goes back through PUT unchanged.
        put(original).await.expect(200);
        assert_eq!(desk.get(&desk.admin, "/settings/default-group").await.expect(200).body["group_id"], original);
    }

    /// A caller who may not change the desk's setup is refused before the body is looked at:
    /// a malformed or meaningless body to an admin route is a 403, never a 400 or 422 that
    /// would tell them what the body should have held.
    async fn admin_routes_refuse_non_admins_before_reading_the_body(desk: Desk) {
        let org = desk.organization("Initech").await;
        let customer = desk.person("customer", Some(org), false).await;
        let agent = desk.person("agent", None, false).await;
        let group = desk.default_group().await;
        let routes = [
            (Method::POST, "/users".to_owned()),
            (Method::PATCH, format!("/users/{}", customer.id)),
            (Method::POST, "/organizations".to_owned()),
            (Method::POST, "/groups".to_owned()),
            (Method::PUT, format!("/groups/{group}")),
            (Method::POST, "/categories".to_owned()),
            (Method::POST, "/services".to_owned()),
            (Method::PUT, "/settings/priority-matrix".to_owned()),
            (Method::PUT, "/settings/default-group".to_owned()),
            (Method::PUT, "/settings/rate-limits".to_owned()),
            (Method::PUT, "/settings/mail".to_owned()),
            (Method::POST, "/calendars".to_owned()),
            (Method::PUT, "/calendars/1".to_owned()),
            (Method::POST, "/sla-policies".to_owned()),
            (Method::PUT, "/sla-policies/1".to_owned()),
            (Method::POST, "/mailboxes".to_owned()),
            (Method::PUT, "/mailboxes/1".to_owned()),
            (Method::PUT, "/settings/mail-authentication".to_owned()),
            (Method::PUT, format!("/organizations/{org}/email-domains")),
        ];
        let bodies: [&[u8]; 4] = [b"{\"name\":", b"{\"no_such_field\":1}", b"[]", b"{\"name\":42,\"tier\":\"x\"}"];
        for who in [&customer, &agent] {
            for (method, path) in &routes {
                for body in bodies {
                    let answer = desk
                        .send(method.clone(), path, Some(&who.token), &[], Some(("application/json", body.to_vec())))
                        .await;
                    assert_eq!(answer.status, 403, "{method} {path} with {:?}: {}", String::from_utf8_lossy(body), answer.text);
                    answer.problem(403, "forbidden");
                }
            }
        }
    }
}
