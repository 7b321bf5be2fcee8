//! Grants in Chromium, on both backends: the provider's admin grants a provider group access to
//! a client tenant's group on the tenant's page; a member of that provider group sees the
//! tenant's ticket in their queue with a Tenant column and works it on its page; the admin
//! removes the grant again. Each page passes axe-core and fits a phone.

use serde_json::json;
use spoc_app::UserInput;
use spoc_domain::Timestamp;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;

use crate::both_backends;
use crate::browser::Browser;
use crate::harness::{Desk, Person, unique};
use crate::ui::{click_and_wait_for_new_page, sign_in, user};
use crate::ui_pages::accessible_and_fits;

both_backends! {
    /// The provider's admin grants and removes access; the granted agent works the ticket.
    async fn provider_admins_grant_access_and_agents_work_across_tenants(desk: Desk) {
        let now = Timestamp::from_micros(1_800_000_000_000_000);
        let tenant_name = unique("Acme Ltd");
        let tenant = desk.app.store().create_tenant(&tenant_name, now).await.unwrap();
        desk.app.prepare_desk(tenant).await.unwrap();
        let client_admin = desk
            .app
            .system_create_user(tenant, UserInput {
                email: Email::parse(&format!("{}@acme.test", unique("admin"))).unwrap(),
                name: Name::parse("Ana Acme").unwrap(),
                role: Role::Admin,
                organization_id: None,
                super_user: false,
                password: None,
            })
            .await
            .unwrap();
        let client_admin = Person {
            id: client_admin.id.get(),
            token: desk.app.issue_token(client_admin.id, "tests").await.unwrap().secret,
        };
        let group_name = unique("Acme Field");
        let group = desk.post(&client_admin, "/groups", json!({"name": group_name, "tier": 2, "external_supplier": false}))
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap();
        let title = unique("Acme scanner jammed");
        let ticket = desk.post(&client_admin, "/tickets", json!({
                "kind": "incident", "title": title, "description": "Described in more words.",
                "impact": "medium", "urgency": "medium",
            }))
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap();
        desk.act(&client_admin, ticket, "assign", json!({"group_id": group})).await.expect(200);
        let provider_group_name = unique("Provider Field Team");
        let provider_group = desk.group(&provider_group_name, 2, false).await;
        let agent = user(&desk, Role::Agent, "Pat Provider", None).await;
        desk.add_member(provider_group, agent.id).await;
        let admin = user(&desk, Role::Admin, "Pia Provider", None).await;

        // The provider's admin grants the provider group access to the tenant's group.
        let browser = Browser::start().await;
        sign_in(&browser, &desk, &admin).await;
        let page = format!("/admin/tenants/{}", tenant.get());
        browser.goto(&format!("{}{page}", desk.base)).await;
        assert!(browser.find("#tenant-grants").await.text().await.contains("Provider access"));
        accessible_and_fits(&browser, &page).await;
        browser.find("#grant-grantee").await.select_by_value(&format!("group:{provider_group}")).await;
        browser.find(&format!("#grant-group-{group}")).await.click().await;
        click_and_wait_for_new_page(&browser, &format!("form[action='{page}/grants'] button[type=submit]")).await;
        let section = browser.find("section[aria-labelledby='tenant-grants'] table").await.text().await;
        assert!(section.contains(&provider_group_name) && section.contains(&group_name), "{section}");
        accessible_and_fits(&browser, &format!("{page} (granted)")).await;
        // Nothing chosen: the refusal is shown beside the fields.
        click_and_wait_for_new_page(&browser, &format!("form[action='{page}/grants'] button[type=submit]")).await;
        assert!(browser.page_source().await.contains("Choose at least one group of this tenant."));
        accessible_and_fits(&browser, &format!("{page} (refused)")).await;

        // The granted agent sees the ticket with its tenant and works it.
        let agent_browser = Browser::start().await;
        sign_in(&agent_browser, &desk, &agent).await;
        agent_browser.goto(&format!("{}/desk?queue=groups", desk.base)).await;
        let table = agent_browser.find("#queue-table").await;
        assert!(table.find("th.col-tenant").await.text().await.contains("Tenant"));
        let row_text = table.text().await;
        assert!(row_text.contains(&title) && row_text.contains(&tenant_name), "{row_text}");
        accessible_and_fits(&agent_browser, "/desk (spanning tenants)").await;
        let ticket_page = format!("/desk/tickets/{ticket}");
        agent_browser.goto(&format!("{}{ticket_page}", desk.base)).await;
        assert!(agent_browser.find("h1").await.text().await.contains(&title));
        accessible_and_fits(&agent_browser, &ticket_page).await;

        // The admin removes the grant: the ticket is gone for the agent at once.
        browser.goto(&format!("{}{page}", desk.base)).await;
        click_and_wait_for_new_page(&browser, &format!("form[action^='{page}/grants/'] button[type=submit]")).await;
        assert!(browser.page_source().await.contains("No access granted"));
        agent_browser.goto(&format!("{}{ticket_page}", desk.base)).await;
        assert!(agent_browser.find("h1").await.text().await.to_lowercase().contains("not found"));
        agent_browser.goto(&format!("{}/desk?queue=groups", desk.base)).await;
        assert!(!agent_browser.page_source().await.contains(&title));
        assert!(agent_browser.try_find("th.col-tenant").await.is_none(), "one tenant again: no tenant column");
    }
}
