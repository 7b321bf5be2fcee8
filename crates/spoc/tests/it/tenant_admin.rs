//! Tenants managed by the provider, on both backends: the provider's admins create tenants
//! through the API and the `spoc tenant` command; a tenant's own admin sees and changes only
//! their own tenant's brand (another tenant answers 404); sign-in through a tenant's host name
//! or `/t/{slug}` lands in that tenant for an address that exists in two; a tenant's brand
//! shows on its pages and nowhere else; bad input is a problem+json 4xx; mail through a
//! tenant's mailbox lands in that tenant, with its own organisations' domains.

use reqwest::Method;
use serde_json::{Value, json};
use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, UserId};

use crate::both_backends;
use crate::harness::{Answer, Desk, Person, unique};

/// A tiny valid PNG (1×1, transparent).
pub(crate) const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

/// Creates a tenant through the API as the provider's admin; its JSON answer.
async fn create(desk: &Desk, body: Value) -> Value {
    desk.post(&desk.admin, "/tenants", body)
        .await
        .expect(201)
        .body
}

/// A person of `tenant` with a password, made as the CLI would, and an API token.
async fn person_in(
    desk: &Desk,
    tenant: TenantId,
    email: &str,
    role: Role,
    password: &str,
) -> Person {
    let user = desk
        .app
        .system_create_user(
            tenant,
            UserInput {
                email: Email::parse(email).unwrap(),
                name: Name::parse("Pat Example").unwrap(),
                role,
                organization_id: None,
                super_user: false,
                password: Some(password.to_owned()),
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

pub(crate) async fn put_logo(desk: &Desk, who: &Person, tenant: i64, bytes: Vec<u8>) -> Answer {
    desk.send(
        Method::PUT,
        &format!("/tenants/{tenant}/logo"),
        Some(&who.token),
        &[],
        Some(("application/octet-stream", bytes)),
    )
    .await
}

/// Signs in over the API, optionally naming a tenant and a Host header; the session's tenant
/// and person.
async fn api_sign_in(
    desk: &Desk,
    email: &str,
    password: &str,
    tenant: Option<&str>,
    host: Option<&str>,
) -> Result<(TenantId, UserId), u16> {
    let mut body = json!({ "email": email, "password": password });
    if let Some(slug) = tenant {
        body["tenant"] = json!(slug);
    }
    let headers: Vec<(&str, &str)> = host.map(|h| vec![("Host", h)]).unwrap_or_default();
    let answer = desk
        .send(
            Method::POST,
            "/auth/login",
            None,
            &headers,
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await;
    if answer.status != 200 {
        return Err(answer.status);
    }
    let cookie = answer.headers["set-cookie"].to_str().unwrap();
    let secret = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
    let actor = desk.app.authenticate_session(secret).await.unwrap().actor;
    Ok((actor.tenant_id, actor.person().unwrap()))
}

/// A page's HTML, fetched without following redirects, with optional extra headers.
async fn page(
    desk: &Desk,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String, reqwest::header::HeaderMap) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = client.get(format!("{}{path}", desk.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, response.text().await.unwrap(), headers)
}

both_backends! {
    /// The provider's admin creates a tenant with its first admin; the tenant's desk works at
    /// once; the tenant's admin sees and changes only their own tenant's brand, and every other
    /// tenant is not found.
    async fn provider_admins_create_tenants_and_tenant_admins_see_only_their_own(desk: Desk) {
        let slug = unique("acme").to_lowercase().replace('_', "-");
        let admin_email = format!("{}@acme.test", unique("it"));
        let created = create(&desk, json!({
            "name": unique("Acme Ltd"), "slug": slug, "primary_colour": "#12345A",
            "admin": { "email": admin_email, "name": "Ana Lima" },
        }))
        .await;
        let id = created["tenant"]["id"].as_i64().unwrap();
        assert_ne!(id, 1);
        assert_eq!(created["tenant"]["slug"], json!(slug));
        assert_eq!(created["tenant"]["primary_colour"], json!("#12345a"));
        assert_eq!(created["admin"]["email"], json!(admin_email));
        let path = created["set_password_path"].as_str().unwrap().to_owned();
        assert!(path.starts_with("/login/reset/"), "{created}");

        // The provider's admin lists and reads every tenant.
        let listed: Vec<i64> = desk.get(&desk.admin, "/tenants").await.expect(200).body
            .as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
        assert!(listed.contains(&1) && listed.contains(&id), "{listed:?}");
        desk.get(&desk.admin, &format!("/tenants/{id}")).await.expect(200);

        // The first admin sets a password with the link and signs in to their tenant.
        let secret = path.rsplit('/').next().unwrap();
        desk.app.reset_password(secret, "a sturdy tenant password").await.unwrap();
        let (tenant, _) = api_sign_in(&desk, &admin_email, "a sturdy tenant password", Some(&slug), None).await.unwrap();
        assert_eq!(tenant, TenantId::new(id));
        assert!(desk.app.reset_password(secret, "another sturdy password").await.is_err(), "the link works once");

        // The new tenant's desk works at once: a ticket lands in its default group, under its
        // default SLA policy.
        let user = desk.app.store().find_user_by_email(TenantId::new(id), &admin_email).await.unwrap().unwrap();
        let theirs = Person { id: user.id.get(), token: desk.app.issue_token(user.id, "tests").await.unwrap().secret };
        let ticket = desk.ticket(&theirs, "incident", "Printer jam at Acme").await;
        assert!(ticket["group_id"].as_i64().is_some(), "{ticket}");
        let policies = desk.get(&theirs, "/sla-policies").await.expect(200).body;
        assert!(!policies.as_array().unwrap().is_empty(), "{policies}");

        // The tenant's admin: their own tenant only.
        let own: Vec<i64> = desk.get(&theirs, "/tenants").await.expect(200).body
            .as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
        assert_eq!(own, vec![id]);
        desk.get(&theirs, &format!("/tenants/{id}")).await.expect(200);
        desk.get(&theirs, "/tenants/1").await.problem(404, "not_found");
        desk.patch(&theirs, "/tenants/1", json!({"name": "Taken over"})).await.problem(404, "not_found");
        put_logo(&desk, &theirs, 1, PNG.to_vec()).await.problem(404, "not_found");
        desk.get(&theirs, "/tenants/1/logo").await.problem(404, "not_found");
        put_logo(&desk, &desk.admin, 1, PNG.to_vec()).await.expect(200);
        desk.delete(&theirs, "/tenants/1/logo").await.problem(404, "not_found");
        assert_eq!(desk.get(&desk.admin, "/tenants/1").await.expect(200).body["has_logo"], json!(true), "another tenant's admin removed nothing");
        // Their own logo they may set and remove, once.
        put_logo(&desk, &theirs, id, PNG.to_vec()).await.expect(200);
        let removed = desk.delete(&theirs, &format!("/tenants/{id}/logo")).await.expect(200).body;
        assert_eq!(removed["has_logo"], json!(false));
        desk.get(&theirs, &format!("/tenants/{id}/logo")).await.problem(404, "not_found");
        desk.delete(&theirs, &format!("/tenants/{id}/logo")).await.problem(404, "not_found");
        let log = desk.get(&theirs, &format!("/audit-log?action=tenant.changed&target_id={id}")).await.expect(200).body;
        let logo_entries = log["items"].as_array().unwrap().iter().filter(|e| e["details"]["fields"] == json!("logo")).count();
        assert_eq!(logo_entries, 2, "setting and removing the logo are in the audit log: {log}");
        desk.post(&theirs, "/tenants", json!({"name": unique("Mine"), "slug": unique("mine").to_lowercase().replace('_', "-")}))
            .await
            .problem(403, "forbidden");
        // Their brand they may change; their address and active flag they may not.
        let changed = desk.patch(&theirs, &format!("/tenants/{id}"), json!({"accent_colour": "#abcdef"})).await.expect(200).body;
        assert_eq!(changed["accent_colour"], json!("#abcdef"));
        desk.patch(&theirs, &format!("/tenants/{id}"), json!({"slug": "hijack"})).await.problem(403, "forbidden");
        desk.patch(&theirs, &format!("/tenants/{id}"), json!({"active": false})).await.problem(403, "forbidden");
        // Nothing of the first tenant changed.
        let first = desk.get(&desk.admin, "/tenants/1").await.expect(200).body;
        assert_eq!(first["slug"], json!("default"));

        // A third tenant is not found for the second tenant's admin either.
        let third = create(&desk, json!({"name": unique("Third"), "slug": unique("third").to_lowercase().replace('_', "-")})).await["tenant"]["id"]
            .as_i64()
            .unwrap();
        desk.get(&theirs, &format!("/tenants/{third}")).await.problem(404, "not_found");
        desk.patch(&theirs, &format!("/tenants/{third}"), json!({"primary_colour": "#000000"})).await.problem(404, "not_found");
        let untouched = desk.get(&desk.admin, &format!("/tenants/{third}")).await.expect(200).body;
        assert_eq!(untouched["primary_colour"], Value::Null);

        // Staff and customers of the provider are not tenant admins.
        let agent = desk.person("agent", None, false).await;
        desk.get(&agent, "/tenants").await.problem(403, "forbidden");
        desk.get(&agent, &format!("/tenants/{id}")).await.problem(404, "not_found");
        desk.post(&agent, "/tenants", json!({"name": unique("Nope"), "slug": "nope-nope"})).await.problem(403, "forbidden");

        // The provider deactivates the tenant: its people can no longer sign in.
        desk.patch(&desk.admin, &format!("/tenants/{id}"), json!({"active": false})).await.expect(200);
        assert_eq!(api_sign_in(&desk, &admin_email, "a sturdy tenant password", None, None).await, Err(401));
        desk.patch(&desk.admin, "/tenants/1", json!({"active": false})).await.problem(422, "validation_failed");
    }

    /// Bad input is a problem+json 4xx with a sentence: slugs, host names, colours, taken
    /// values, logos too big or not images.
    async fn bad_tenant_input_is_refused(desk: Desk) {
        let slug = unique("bad").to_lowercase().replace('_', "-");
        for (body, field) in [
            (json!({"name": "X", "slug": "Not A Slug"}), "slug"),
            (json!({"name": "X", "slug": "-x"}), "slug"),
            (json!({"name": "X", "slug": "okay-slug", "host": "no_underscores.example"}), "host"),
            (json!({"name": "X", "slug": "okay-slug", "primary_colour": "red"}), "primary_colour"),
            (json!({"name": "X", "slug": "okay-slug", "accent_colour": "#fff;}"}), "accent_colour"),
            (json!({"name": "", "slug": "okay-slug"}), "name"),
        ] {
            let answer = desk.post(&desk.admin, "/tenants", body.clone()).await.problem(422, "validation_failed");
            assert!(answer.text.contains(field), "{body}: {}", answer.text);
        }
        desk.post(&desk.admin, "/tenants", json!({"name": "X", "slug": "x-x", "colour": "#000000"})).await.expect(422);
        let name = unique("Globex");
        let tenant = create(&desk, json!({"name": name, "slug": slug, "host": format!("{slug}.example.test")})).await["tenant"]["id"]
            .as_i64()
            .unwrap();
        let taken = desk.post(&desk.admin, "/tenants", json!({"name": unique("Other"), "slug": slug})).await.problem(409, "duplicate");
        assert!(taken.text.contains("slug"), "{}", taken.text);
        let taken = desk.post(&desk.admin, "/tenants", json!({"name": name, "slug": "free-slug-1"})).await.problem(409, "duplicate");
        assert!(taken.text.contains("name"), "{}", taken.text);
        let taken = desk
            .post(&desk.admin, "/tenants", json!({"name": unique("Other"), "slug": "free-slug-2", "host": format!("{slug}.example.test")}))
            .await
            .problem(409, "duplicate");
        assert!(taken.text.contains("host"), "{}", taken.text);
        desk.patch(&desk.admin, &format!("/tenants/{tenant}"), json!({"primary_colour": "#12345"})).await.problem(422, "validation_failed");
        desk.get(&desk.admin, "/tenants/999999").await.problem(404, "not_found");
        desk.get(&desk.admin, "/tenants/nine").await.problem(404, "not_found");

        // Logos: not an image, an SVG, too big; then a PNG, served as one, sandboxed.
        let answer = put_logo(&desk, &desk.admin, tenant, b"hello, not an image".to_vec()).await.problem(422, "validation_failed");
        assert!(answer.text.contains("PNG, JPEG or WebP"), "{}", answer.text);
        put_logo(&desk, &desk.admin, tenant, b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec()).await.problem(422, "validation_failed");
        let mut big = PNG.to_vec();
        big.resize(300 * 1024, 0);
        let answer = put_logo(&desk, &desk.admin, tenant, big).await.problem(422, "validation_failed");
        assert!(answer.text.contains("256 KiB"), "{}", answer.text);
        // A body over the API's 1 MiB limit (the server may answer 413 and close the connection
        // before the client has sent it all, a race of the client, so this stays under the limit
        // here: the logo's own 256 KiB limit answers 422 with a sentence).
        put_logo(&desk, &desk.admin, tenant, vec![0; 512 * 1024]).await.problem(422, "validation_failed");
        desk.get(&desk.admin, &format!("/tenants/{tenant}/logo")).await.problem(404, "not_found");
        let with_logo = put_logo(&desk, &desk.admin, tenant, PNG.to_vec()).await.expect(200).body;
        assert_eq!(with_logo["has_logo"], json!(true));
        let logo = desk.get(&desk.admin, &format!("/tenants/{tenant}/logo")).await.expect(200);
        assert_eq!(logo.content_type(), "image/png");
        assert!(logo.headers["content-security-policy"].to_str().unwrap().contains("sandbox"));
        // The provider's admin removes it; removing it again is a 404 problem.
        let without = desk.delete(&desk.admin, &format!("/tenants/{tenant}/logo")).await.expect(200).body;
        assert_eq!(without["has_logo"], json!(false));
        desk.get(&desk.admin, &format!("/tenants/{tenant}/logo")).await.problem(404, "not_found");
        desk.delete(&desk.admin, &format!("/tenants/{tenant}/logo")).await.problem(404, "not_found");
        desk.delete(&desk.admin, "/tenants/999999/logo").await.problem(404, "not_found");
    }

    /// One address in two tenants with the same password: without a tenant the oldest tenant
    /// opens (as before); the second tenant's host name, `/t/{slug}` and the sign-in form's
    /// tenant open the second.
    async fn sign_in_through_host_or_slug_lands_in_that_tenant(desk: Desk) {
        let slug = unique("beta").to_lowercase().replace('_', "-");
        let host = format!("{slug}.desk.test");
        let second = TenantId::new(
            create(&desk, json!({"name": unique("Beta"), "slug": slug, "host": host})).await["tenant"]["id"].as_i64().unwrap(),
        );
        let email = format!("{}@example.test", unique("twin"));
        let password = "the same password in both";
        let first_person = person_in(&desk, TenantId::FIRST, &email, Role::Customer, password).await;
        let second_person = person_in(&desk, second, &email, Role::Customer, password).await;

        let without = api_sign_in(&desk, &email, password, None, None).await.unwrap();
        assert_eq!(without, (TenantId::FIRST, UserId::new(first_person.id)));
        let by_slug = api_sign_in(&desk, &email, password, Some(&slug), None).await.unwrap();
        assert_eq!(by_slug, (second, UserId::new(second_person.id)));
        let by_host = api_sign_in(&desk, &email, password, None, Some(&host)).await.unwrap();
        assert_eq!(by_host, (second, UserId::new(second_person.id)));
        let by_host_and_port = api_sign_in(&desk, &email, password, None, Some(&format!("{host}:8443"))).await.unwrap();
        assert_eq!(by_host_and_port.0, second);
        // An unknown tenant has nobody to sign in; a person only in the first tenant is not
        // found in the second.
        assert_eq!(api_sign_in(&desk, &email, password, Some("no-such-tenant"), None).await, Err(401));
        let only_first = format!("{}@example.test", unique("solo"));
        person_in(&desk, TenantId::FIRST, &only_first, Role::Customer, password).await;
        assert_eq!(api_sign_in(&desk, &only_first, password, Some(&slug), None).await, Err(401));
        assert_eq!(api_sign_in(&desk, &only_first, password, None, None).await.unwrap().0, TenantId::FIRST);

        // In the browser's way: /t/{slug} leads to that tenant's sign-in form, which signs in
        // to that tenant.
        let (status, _, headers) = page(&desk, &format!("/t/{slug}"), &[]).await;
        assert_eq!(status, 303);
        assert_eq!(headers["location"].to_str().unwrap(), format!("/login?tenant={slug}"));
        assert_eq!(page(&desk, "/t/no-such-tenant", &[]).await.0, 404);
        let (status, html, headers) = page(&desk, &format!("/login?tenant={slug}"), &[]).await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!(r#"name="tenant" value="{slug}""#)), "{html}");
        let login_cookie = headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
            .find(|c| c.starts_with("spoc_login="))
            .unwrap();
        let csrf = login_cookie.split_once('=').unwrap().1.to_owned();
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let answer = client
            .post(format!("{}/login?tenant={slug}", desk.base))
            .header("Cookie", &login_cookie)
            .form(&[("csrf", csrf.as_str()), ("email", &email), ("password", password), ("tenant", &slug), ("next", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 303);
        let session = answer
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
            .find(|c| !c.starts_with("spoc_login=") && !c.ends_with('='))
            .unwrap();
        let actor = desk.app.authenticate_session(session.split_once('=').unwrap().1).await.unwrap().actor;
        assert_eq!(actor.tenant_id, second);
    }

    /// A tenant's brand (name, logo, colours) shows on its sign-in page and its people's pages,
    /// and on no other tenant's; a desk with one tenant shows no brand and never the word.
    async fn a_tenant_brand_shows_on_its_pages_only(desk: Desk) {
        // One tenant: the pages look as always, and the setup has no tenants' page.
        let (_, plain_login, _) = page(&desk, "/login", &[]).await;
        assert!(!plain_login.contains("brand.css"));
        let session = provider_session(&desk).await;
        let (_, setup, _) = page(&desk, "/admin/users", &[("Cookie", &session.0)]).await;
        let lower = setup.to_lowercase();
        let at = lower.find("tenant").map(|i| &setup[i.saturating_sub(200)..(i + 100).min(setup.len())]);
        assert!(at.is_none(), "a single-company desk never says tenant: {at:?}");

        let slug = unique("gamma").to_lowercase().replace('_', "-");
        let host = format!("{slug}.desk.test");
        let name = unique("Gamma Brand");
        let id = create(&desk, json!({"name": name, "slug": slug, "host": host, "primary_colour": "#0b5394", "accent_colour": "#cc0000"}))
            .await["tenant"]["id"].as_i64().unwrap();
        put_logo(&desk, &desk.admin, id, PNG.to_vec()).await.expect(200);

        // Its sign-in page by slug and by host shows its name, logo and style sheet.
        for (path, headers) in [(format!("/login?tenant={slug}"), vec![]), ("/login".to_owned(), vec![("Host", host.as_str())])] {
            let (status, html, _) = page(&desk, &path, &headers).await;
            assert_eq!(status, 200);
            assert!(html.contains(&name), "{path}: {html}");
            assert!(html.contains(&format!("/t/{slug}/brand.css")), "{path}");
            assert!(html.contains(&format!("/t/{slug}/logo?v=")), "{path}");
        }
        let (status, css, headers) = page(&desk, &format!("/t/{slug}/brand.css"), &[]).await;
        assert_eq!(status, 200);
        assert!(headers["content-type"].to_str().unwrap().starts_with("text/css"));
        assert!(css.contains("--brand-primary: #0b5394;") && css.contains("--brand-accent: #cc0000;"), "{css}");
        let (status, logo, headers) = page(&desk, &format!("/t/{slug}/logo"), &[]).await;
        assert_eq!((status, headers["content-type"].to_str().unwrap()), (200, "image/png"));
        assert_eq!(headers["x-content-type-options"].to_str().unwrap(), "nosniff");
        assert!(!logo.is_empty());
        // Nobody else's sign-in page shows it.
        let (_, other, _) = page(&desk, "/login", &[]).await;
        assert!(!other.contains(&name) && !other.contains("brand.css"));

        // Its people's pages show it; the first tenant's people's pages do not.
        let email = format!("{}@example.test", unique("gamma-customer"));
        person_in(&desk, TenantId::new(id), &email, Role::Customer, "a gamma customer password").await;
        let theirs = desk.sign_in(&email, "a gamma customer password").await;
        let (_, portal, _) = page(&desk, "/portal/tickets", &[("Cookie", &theirs.0)]).await;
        assert!(portal.contains(&name) && portal.contains(&format!("/t/{slug}/brand.css")), "{portal}");
        let (_, home, _) = page(&desk, "/admin/users", &[("Cookie", &session.0), ("Host", host.as_str())]).await;
        assert!(!home.contains(&name) && !home.contains("brand.css"), "the provider's pages keep their look");
        // Now there are tenants, the provider's admin finds their page in the setup.
        assert!(home.contains("href=\"/admin/tenants\""), "{home}");
    }

    /// `spoc tenant add` and `spoc tenant list`, beside the running server.
    async fn the_tenant_command_adds_and_lists_tenants(desk: Desk) {
        let slug = unique("cli").to_lowercase().replace('_', "-");
        let email = format!("{}@cli.test", unique("first-admin"));
        let run = |args: Vec<String>| {
            let mut command = tokio::process::Command::new(crate::restart::SPOC);
            command
                .env_remove("SPOC_DATABASE_URL")
                .env_remove("SPOC_CONFIG")
                .env_remove("SPOC_DATA_DIR")
                .env_remove("SPOC_PUBLIC_URL")
                .arg("--data-dir")
                .arg(desk.data_dir())
                .arg("--database")
                .arg(&desk.database_url)
                .args(args);
            async move { command.output().await.unwrap() }
        };
        let out = run(vec![
            "tenant".into(), "add".into(), "--name".into(), "Initech CLI".into(), "--slug".into(), slug.clone(),
            "--primary-colour".into(), "#224466".into(), "--admin-email".into(), email.clone(), "--admin-name".into(), "Ina Admin".into(),
        ])
        .await;
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stdout} {}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains(&format!("/t/{slug}")), "{stdout}");
        let link = stdout.lines().last().unwrap();
        assert!(link.contains("/login/reset/"), "{stdout}");
        let secret = link.rsplit('/').next().unwrap();
        desk.app.reset_password(secret, "an initech admin password").await.unwrap();
        let (tenant, _) = api_sign_in(&desk, &email, "an initech admin password", Some(&slug), None).await.unwrap();
        assert_ne!(tenant, TenantId::FIRST);

        let listed = desk.get(&desk.admin, "/tenants").await.expect(200).body;
        assert!(listed.as_array().unwrap().iter().any(|t| t["slug"] == json!(slug) && t["primary_colour"] == json!("#224466")), "{listed}");
        let out = run(vec!["tenant".into(), "list".into()]).await;
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success());
        assert!(stdout.lines().any(|l| l.contains(&slug) && l.contains("Initech CLI")), "{stdout}");
        assert!(stdout.lines().any(|l| l.starts_with("1\tdefault")), "{stdout}");

        // A taken slug and a bad one are refused with a sentence, nothing added.
        let out = run(vec!["tenant".into(), "add".into(), "--name".into(), "Other".into(), "--slug".into(), slug.clone()]).await;
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("slug"));
        let out = run(vec!["tenant".into(), "add".into(), "--name".into(), "Other".into(), "--slug".into(), "Bad Slug".into()]).await;
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("--slug"));
        let count = desk.get(&desk.admin, "/tenants").await.expect(200).body.as_array().unwrap().len();
        assert_eq!(count, 2);
    }

    /// Mail through a tenant's mailbox lands in that tenant, and the senders' domains find an
    /// organisation only among that tenant's own.
    async fn mail_through_a_tenant_mailbox_lands_in_that_tenant(desk: Desk) {
        let slug = unique("mail").to_lowercase().replace('_', "-");
        let admin_email = format!("{}@mail-tenant.test", unique("admin"));
        let created = create(&desk, json!({"name": unique("Mail Tenant"), "slug": slug, "admin": {"email": admin_email, "name": "Mia Admin"}})).await;
        let second = TenantId::new(created["tenant"]["id"].as_i64().unwrap());
        let user = desk.app.store().find_user_by_email(second, &admin_email).await.unwrap().unwrap();
        let theirs = Person { id: user.id.get(), token: desk.app.issue_token(user.id, "tests").await.unwrap().secret };

        // Both tenants have an organisation for shared.test; only the first has one for
        // first-only.test.
        let domains = |who: &Person, org: i64, list: Vec<&str>| {
            let body = json!({"domains": list}).to_string().into_bytes();
            let token = who.token.clone();
            let desk = &desk;
            async move {
                desk.send(Method::PUT, &format!("/organizations/{org}/email-domains"), Some(&token), &[], Some(("application/json", body)))
                    .await
                    .expect(200);
            }
        };
        let first_org = desk.post(&desk.admin, "/organizations", json!({"name": unique("First Org")})).await.expect(201).body["id"].as_i64().unwrap();
        domains(&desk.admin, first_org, vec!["shared.test", "first-only.test"]).await;
        let second_org = desk.post(&theirs, "/organizations", json!({"name": unique("Second Org")})).await.expect(201).body["id"].as_i64().unwrap();
        domains(&theirs, second_org, vec!["shared.test"]).await;
        // Writing the first tenant's organisation from the second is refused.
        desk.send(Method::PUT, &format!("/organizations/{first_org}/email-domains"), Some(&theirs.token), &[],
            Some(("application/json", json!({"domains": ["stolen.test"]}).to_string().into_bytes()))).await.expect(404);

        desk.post(&theirs, "/mailboxes", json!({"name": "support", "address": format!("support@{slug}.test")}))
            .await
            .expect(201);
        for (from, subject, org) in [
            ("new.person@shared.test", "Shared domain", Some(second_org)),
            ("someone@first-only.test", "First tenant's domain", None),
        ] {
            let raw = crate::mail::mail(from, subject, &format!("<{}@example.test>", unique("m")), &[], "Please help.");
            let answer = desk
                .send(Method::POST, "/mail/inbound?mailbox=support", Some(&theirs.token), &[], Some(("message/rfc822", raw)))
                .await
                .expect(201)
                .body;
            assert_eq!(answer["outcome"], json!("ticket_created"), "{answer}");
            let ticket = answer["ticket_id"].as_i64().unwrap();
            desk.get(&theirs, &format!("/tickets/{ticket}")).await.expect(200);
            desk.get(&desk.admin, &format!("/tickets/{ticket}")).await.problem(404, "not_found");
            let sender = desk.app.store().find_user_by_email(second, from).await.unwrap().unwrap();
            assert_eq!(sender.organization_id.map(|o| o.get()), org, "{from}");
            assert!(desk.app.store().find_user_by_email(TenantId::FIRST, from).await.unwrap().is_none(), "{from}");
        }
        // The first tenant's inbound log shows none of it.
        let log = desk.get(&desk.admin, "/inbound-messages?limit=200").await.expect(200).body;
        assert!(!log.to_string().contains("shared.test"), "{log}");
    }
}

/// An admin of the provider (the first tenant) with a password: a session of theirs.
async fn provider_session(desk: &Desk) -> (String, String) {
    let email = format!("{}@example.test", unique("provider-admin"));
    person_in(
        desk,
        TenantId::FIRST,
        &email,
        Role::Admin,
        "the provider admin password",
    )
    .await;
    desk.sign_in(&email, "the provider admin password").await
}
