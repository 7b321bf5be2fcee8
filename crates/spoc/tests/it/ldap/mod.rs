//! LDAP directories against Debian's `slapd` over TLS, on both backends: sign-in by bind, the
//! import of people and group memberships (full and incremental), deprovisioning of a person who
//! left the directory (their session and token stop working at once), TLS with a wrong CA
//! refused, and a directory that another tenant can neither see nor touch.

mod slapd;

use reqwest::Method;
use serde_json::{Value, json};
use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp, UserId};

use crate::both_backends;
use crate::harness::{Answer, Desk, Person, unique};

use self::slapd::{ANN, BOB, CAROL, GROUPS, PEOPLE, READER_DN, READER_PASSWORD, STAFF_DN, Slapd};

/// A directory over `url` trusting `ca`, mapping the staff group to agents in `group`.
fn directory(url: &str, ca: &str, group: Option<i64>) -> Value {
    json!({
        "name": unique("Example directory"),
        "url": url,
        "ca_certificate": ca,
        "bind_dn": READER_DN,
        "bind_password": READER_PASSWORD,
        "user_base": PEOPLE,
        "user_filter": "(objectClass=inetOrgPerson)",
        "group_base": GROUPS,
        "mappings": [{ "group_dn": STAFF_DN, "role": "agent", "group_id": group }],
    })
}

async fn login(desk: &Desk, email: &str, password: &str) -> Answer {
    let body = json!({ "email": email, "password": password })
        .to_string()
        .into_bytes();
    desk.send(
        Method::POST,
        "/auth/login",
        None,
        &[],
        Some(("application/json", body)),
    )
    .await
}

/// The person with `email` as the admin sees them.
async fn user(desk: &Desk, email: &str) -> Option<Value> {
    let found = desk
        .get(&desk.admin, &format!("/users?q={email}"))
        .await
        .expect(200);
    found
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .cloned()
}

async fn sync(desk: &Desk, id: i64, full: bool) -> Value {
    desk.post(
        &desk.admin,
        &format!("/directories/{id}/actions/sync?full={full}"),
        json!({}),
    )
    .await
    .expect(200)
    .body
}

both_backends! {
    /// People sign in with their directory password (added on first sign-in with the role and
    /// group their directory groups map to); a wrong or empty password is refused.
    async fn bind_sign_in(desk: Desk) {
        let ldap = Slapd::start();
        let staff = desk.group(&unique("Directory staff"), 1, false).await;
        let created = desk
            .post(&desk.admin, "/directories", directory(&ldap.ldaps_url(), &ldap.ca_pem, Some(staff)))
            .await
            .expect(201);
        assert_eq!(created.body["has_bind_password"], true);
        assert!(!created.text.contains(READER_PASSWORD), "the password is never shown: {}", created.text);
        let id = created.body["id"].as_i64().unwrap();
        let test = desk.post(&desk.admin, &format!("/directories/{id}/actions/test"), json!({})).await.expect(200);
        assert_eq!(test.body["people"], 3);

        login(&desk, ANN.email, "not her password").await.problem(401, "unauthenticated");
        assert!(user(&desk, ANN.email).await.is_none(), "a refused sign-in adds nobody");
        // An empty password would be an anonymous bind, which the directory accepts.
        login(&desk, ANN.email, "").await.problem(401, "unauthenticated");
        // Filter syntax in the address finds nobody.
        login(&desk, "*@example.org", ANN.password).await.problem(401, "unauthenticated");

        let ok = login(&desk, ANN.email, ANN.password).await.expect(200);
        assert_eq!(ok.body["user"]["email"], ANN.email);
        assert_eq!(ok.body["user"]["name"], ANN.name);
        let ann = user(&desk, ANN.email).await.unwrap();
        assert_eq!(ann["role"], "agent", "the staff group maps to agents");
        let members = desk.get(&desk.admin, &format!("/groups/{staff}/members")).await.expect(200);
        assert!(members.text.contains(ANN.email), "{}", members.text);
        // Signing in again is the same person.
        login(&desk, ANN.email, ANN.password).await.expect(200);
        let again = user(&desk, ANN.email).await.unwrap();
        assert_eq!(again["id"], ann["id"]);
        // Bob is no agent.
        login(&desk, BOB.email, BOB.password).await.expect(200);
        assert_eq!(user(&desk, BOB.email).await.unwrap()["role"], "customer");
    }

    /// A full import adds everyone with their groups; a change is picked up by an incremental
    /// pass; a person removed from the directory is deprovisioned by the next full pass: their
    /// session and API token stop working at once, and they cannot sign in.
    async fn import_incremental_and_deprovisioning(desk: Desk) {
        let ldap = Slapd::start();
        let staff = desk.group(&unique("Directory staff"), 1, false).await;
        let id = desk
            .post(&desk.admin, "/directories", directory(&ldap.ldaps_url(), &ldap.ca_pem, Some(staff)))
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap();

        let first = sync(&desk, id, true).await;
        assert_eq!(first["full"], true);
        assert_eq!(first["created"], 3, "{first}");
        for person in [ANN, BOB, CAROL] {
            let found = user(&desk, person.email).await.unwrap();
            assert_eq!(found["name"], person.name);
            assert_eq!(found["active"], true);
        }
        assert_eq!(user(&desk, ANN.email).await.unwrap()["role"], "agent");
        assert_eq!(user(&desk, CAROL.email).await.unwrap()["role"], "customer");
        let members = desk.get(&desk.admin, &format!("/groups/{staff}/members")).await.expect(200);
        assert_eq!(members.body.as_array().unwrap().len(), 1, "{}", members.text);
        let shown = desk.get(&desk.admin, &format!("/directories/{id}")).await.expect(200);
        assert!(shown.body["last_sync_summary"].as_str().unwrap().starts_with("full pass: 3 read, 3 added"));

        // A change (a second later, so its modifyTimestamp is newer) and a new staff member.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        ldap.modify(&format!(
            "dn: {}\nchangetype: modify\nreplace: cn\ncn: Carol Black\n\n\
             dn: {STAFF_DN}\nchangetype: modify\nadd: member\nmember: {}\n",
            slapd::dn(&CAROL),
            slapd::dn(&CAROL)
        ));
        let second = sync(&desk, id, false).await;
        assert_eq!(second["full"], false, "{second}");
        assert_eq!(user(&desk, CAROL.email).await.unwrap()["name"], "Carol Black");
        assert_eq!(user(&desk, CAROL.email).await.unwrap()["role"], "agent");
        // Only what changed since is read now.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        ldap.modify(&format!(
            "dn: {}\nchangetype: modify\nreplace: cn\ncn: Ann Lee-Grey\n",
            slapd::dn(&ANN)
        ));
        let third = sync(&desk, id, false).await;
        assert!(third["seen"].as_u64().unwrap() < 3, "an incremental pass reads the changes: {third}");
        assert_eq!(user(&desk, ANN.email).await.unwrap()["name"], "Ann Lee-Grey");

        // Bob, with a browser session and an API token, leaves the directory.
        let bob = user(&desk, BOB.email).await.unwrap();
        let bob_id = bob["id"].as_i64().unwrap();
        let token = desk.app.issue_token(UserId::new(bob_id), "bob's script").await.unwrap();
        let bob_token = Person { id: bob_id, token: token.secret };
        let session = desk.sign_in(BOB.email, BOB.password).await;
        desk.get(&bob_token, "/me").await.expect(200);
        desk.send_as_session(Method::GET, "/me", &session, None).await.expect(200);
        ldap.modify(&format!("dn: {}\nchangetype: delete\n", slapd::dn(&BOB)));
        // An incremental pass cannot see who left...
        let incremental = sync(&desk, id, false).await;
        assert_eq!(incremental["deprovisioned"], 0);
        desk.get(&bob_token, "/me").await.expect(200);
        // ...a full pass does.
        let full = sync(&desk, id, true).await;
        assert_eq!(full["deprovisioned"], 1, "{full}");
        assert_eq!(user(&desk, BOB.email).await.unwrap()["active"], false);
        desk.get(&bob_token, "/me").await.problem(401, "unauthenticated");
        desk.send_as_session(Method::GET, "/me", &session, None).await.problem(401, "unauthenticated");
        login(&desk, BOB.email, BOB.password).await.problem(401, "unauthenticated");
        // The others are untouched.
        assert_eq!(user(&desk, ANN.email).await.unwrap()["active"], true);
        login(&desk, ANN.email, ANN.password).await.expect(200);
    }

    /// TLS is required and checked: a directory whose certificate the configured CA did not
    /// sign is refused, over LDAPS and StartTLS alike; with the right CA StartTLS works.
    async fn tls_with_a_wrong_ca_is_refused(desk: Desk) {
        let ldap = Slapd::start();
        let other_ca = slapd::make_ca(ldap.dir(), "other");
        for url in [ldap.ldaps_url(), ldap.starttls_url()] {
            let id = desk
                .post(&desk.admin, "/directories", directory(&url, &other_ca, None))
                .await
                .expect(201)
                .body["id"]
                .as_i64()
                .unwrap();
            desk.post(&desk.admin, &format!("/directories/{id}/actions/test"), json!({}))
                .await
                .problem(409, "conflict");
            desk.post(&desk.admin, &format!("/directories/{id}/actions/sync?full=true"), json!({}))
                .await
                .problem(409, "conflict");
            let shown = desk.get(&desk.admin, &format!("/directories/{id}")).await.expect(200);
            assert!(shown.body["last_sync_error"].is_string(), "{}", shown.text);
            login(&desk, ANN.email, ANN.password).await.problem(401, "unauthenticated");
            desk.delete(&desk.admin, &format!("/directories/{id}")).await.expect(204);
        }
        assert!(user(&desk, ANN.email).await.is_none());
        let id = desk
            .post(&desk.admin, "/directories", directory(&ldap.starttls_url(), &ldap.ca_pem, None))
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap();
        desk.post(&desk.admin, &format!("/directories/{id}/actions/test"), json!({}))
            .await
            .expect(200);
        login(&desk, ANN.email, ANN.password).await.expect(200);
        // Plain text is never an option.
        desk.patch(&desk.admin, &format!("/directories/{id}"), json!({ "url": "http://127.0.0.1:1" }))
            .await
            .expect(422);
    }

    /// Another tenant's admin can neither see nor touch a directory (404), nor map a group of
    /// another tenant; agents may not read directories at all.
    async fn another_tenant_cannot_see_the_directory(desk: Desk) {
        let ldap = Slapd::start();
        let staff = desk.group(&unique("Directory staff"), 1, false).await;
        let created = desk
            .post(&desk.admin, "/directories", directory(&ldap.ldaps_url(), &ldap.ca_pem, Some(staff)))
            .await
            .expect(201);
        let id = created.body["id"].as_i64().unwrap();

        let store = desk.app.store();
        let second = store
            .create_tenant(&unique("Second"), Timestamp::from_micros(1_800_000_000_000_000))
            .await
            .unwrap();
        desk.app.prepare_desk(second).await.unwrap();
        let admin = second_admin(&desk, second).await;
        let listed = desk.get(&admin, "/directories").await.expect(200);
        assert_eq!(listed.body, json!([]));
        desk.get(&admin, &format!("/directories/{id}")).await.problem(404, "not_found");
        desk.patch(&admin, &format!("/directories/{id}"), json!({ "name": "Taken over" }))
            .await
            .problem(404, "not_found");
        for action in ["sync", "test"] {
            desk.post(&admin, &format!("/directories/{id}/actions/{action}"), json!({}))
                .await
                .problem(404, "not_found");
        }
        desk.delete(&admin, &format!("/directories/{id}")).await.problem(404, "not_found");
        // A directory of the second tenant cannot map the first tenant's group.
        desk.post(&admin, "/directories", directory(&ldap.ldaps_url(), &ldap.ca_pem, Some(staff)))
            .await
            .expect(422);
        assert_eq!(desk.get(&admin, "/directories").await.expect(200).body, json!([]));
        // Nothing changed in the first tenant.
        let shown = desk.get(&desk.admin, &format!("/directories/{id}")).await.expect(200);
        assert_eq!(shown.body["name"], created.body["name"]);
        // Agents may not read directories.
        let agent = desk.person("agent", None, false).await;
        desk.get(&agent, "/directories").await.problem(403, "forbidden");
        desk.get(&agent, &format!("/directories/{id}")).await.problem(403, "forbidden");
    }

    /// Bad settings are refused with a sentence naming the field, and nothing is stored.
    async fn bad_settings_are_refused(desk: Desk) {
        let base = directory("ldaps://ldap.example.org", "", None);
        for (field, value) in [
            ("url", json!("http://ldap.example.org")),
            ("url", json!("ldaps://")),
            ("user_filter", json!("objectClass=person")),
            ("email_attribute", json!("mail)(uid=*")),
            ("ca_certificate", json!("not a certificate")),
            ("sync_seconds", json!(5)),
        ] {
            let mut body = base.clone();
            body[field] = value;
            let refused = desk.post(&desk.admin, "/directories", body).await.expect(422);
            assert!(refused.text.contains(field), "{field}: {}", refused.text);
        }
        let mut no_password = base.clone();
        no_password.as_object_mut().unwrap().remove("bind_password");
        desk.post(&desk.admin, "/directories", no_password).await.expect(422);
        assert_eq!(desk.get(&desk.admin, "/directories").await.expect(200).body, json!([]));
        desk.get(&desk.admin, "/directories/999999").await.problem(404, "not_found");
    }

    /// Admins add a directory and sync it on `/admin/directories`; the page passes axe and fits
    /// a phone; agents are turned away.
    async fn admins_manage_directories_in_the_browser(desk: Desk) {
        let ldap = Slapd::start();
        let admin = crate::ui::user(&desk, Role::Admin, "Alex Admin", None).await;
        let agent = crate::ui::user(&desk, Role::Agent, "Ann Agent", None).await;
        let browser = crate::browser::Browser::start().await;
        crate::ui::sign_in(&browser, &desk, &admin).await;
        browser.goto(&format!("{}/admin/users", desk.base)).await;
        crate::ui::click_and_wait_for_new_page(&browser, ".admin-nav a[href='/admin/directories']").await;
        assert!(browser.page_source().await.contains("No directories yet"));
        crate::ui_pages::accessible_and_fits(&browser, "/admin/directories (empty)").await;
        for (id, value) in [
            ("#d-name", "Head office".to_owned()),
            ("#d-url", ldap.ldaps_url()),
            ("#d-ca", ldap.ca_pem.clone()),
            ("#d-bind", READER_DN.to_owned()),
            ("#d-password", READER_PASSWORD.to_owned()),
            ("#d-users", PEOPLE.to_owned()),
            ("#d-groups", GROUPS.to_owned()),
        ] {
            browser.find(id).await.send_keys(&value).await;
        }
        crate::ui::click_and_wait_for_new_page(&browser, "form[action='/admin/directories'] button[type=submit]").await;
        let source = browser.page_source().await;
        assert!(source.contains("Head office"), "the directory is listed");
        assert!(source.contains("Not synced yet"));
        assert!(!source.contains(READER_PASSWORD), "the password is never shown");
        crate::ui::click_and_wait_for_new_page(&browser, "table.directories button[name=full]").await;
        let source = browser.page_source().await;
        assert!(source.contains("full pass: 3 read, 3 added"), "the sync's result is shown");
        crate::ui_pages::accessible_and_fits(&browser, "/admin/directories").await;
        assert_eq!(user(&desk, CAROL.email).await.unwrap()["name"], CAROL.name);

        browser.delete_cookies().await;
        crate::ui::sign_in(&browser, &desk, &agent).await;
        browser.goto(&format!("{}/admin/directories", desk.base)).await;
        assert!(browser.try_find("table.directories").await.is_none(), "agents are turned away");
        assert!(browser.page_source().await.contains("Admins only"));
    }

    /// A person the full pass deprovisioned who comes back into the directory is reactivated by
    /// the next sync (and signs in again, recorded in the audit log); one an admin deactivated
    /// stays deactivated.
    async fn a_person_back_in_the_directory_is_reactivated(desk: Desk) {
        let ldap = Slapd::start();
        let id = desk
            .post(&desk.admin, "/directories", directory(&ldap.ldaps_url(), &ldap.ca_pem, None))
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap();
        assert_eq!(sync(&desk, id, true).await["created"], 3);
        ldap.modify(&format!("dn: {}\nchangetype: delete\n", slapd::dn(&BOB)));
        assert_eq!(sync(&desk, id, true).await["deprovisioned"], 1);
        let bob = user(&desk, BOB.email).await.unwrap();
        assert_eq!(bob["active"], false);
        login(&desk, BOB.email, BOB.password).await.problem(401, "unauthenticated");
        let carol = user(&desk, CAROL.email).await.unwrap();
        desk.patch(&desk.admin, &format!("/users/{}", carol["id"]), json!({ "active": false }))
            .await
            .expect(200);

        ldap.modify(&format!(
            "dn: {}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: {}\ncn: {}\nsn: Stone\n\
             mail: {}\nuserPassword: {}\n",
            slapd::dn(&BOB),
            BOB.uid,
            BOB.name,
            BOB.email,
            BOB.password
        ));
        let back = sync(&desk, id, true).await;
        assert_eq!(back["deprovisioned"], 0, "{back}");
        let again = user(&desk, BOB.email).await.unwrap();
        assert_eq!(again["id"], bob["id"], "the same person");
        assert_eq!(again["active"], true, "{back}");
        login(&desk, BOB.email, BOB.password).await.expect(200);
        assert_eq!(user(&desk, CAROL.email).await.unwrap()["active"], false, "an admin's deactivation stays");
        let log = desk.get(&desk.admin, "/audit-log?action=person.reactivated").await.expect(200);
        let entries = log.body["items"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{}", log.text);
        assert_eq!(entries[0]["target_id"], bob["id"]);
        assert_eq!(entries[0]["actor_system"], "integration", "{}", log.text);
        // A later pass changes nothing more.
        let later = sync(&desk, id, true).await;
        assert_eq!((later["created"].as_u64(), later["deprovisioned"].as_u64()), (Some(0), Some(0)), "{later}");
        assert_eq!(user(&desk, BOB.email).await.unwrap()["active"], true);
    }
}

/// An admin of `tenant` with an API token.
async fn second_admin(desk: &Desk, tenant: TenantId) -> Person {
    let user = desk
        .app
        .system_create_user(
            tenant,
            UserInput {
                email: Email::parse(&format!("{}@second.test", unique("admin"))).unwrap(),
                name: Name::parse("Second Admin").unwrap(),
                role: Role::Admin,
                organization_id: None,
                super_user: false,
                password: None,
            },
        )
        .await
        .unwrap();
    let token = desk.app.issue_token(user.id, "tests").await.unwrap();
    Person {
        id: user.id.get(),
        token: token.secret,
    }
}
