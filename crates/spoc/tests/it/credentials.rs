//! Credentials that cannot outlive the person's intent: minting API tokens and changing one's
//! password need a fresh sign-in or the current password; an API token never mints another.

use reqwest::Method;
use serde_json::json;

use crate::both_backends;
use crate::harness::Desk;

/// A new person with a password; their id.
async fn person_with_password(desk: &Desk, email: &str, role: &str, password: &str) -> i64 {
    desk.post(
        &desk.admin,
        "/users",
        json!({ "email": email, "name": "Rita Reauth", "role": role, "password": password }),
    )
    .await
    .expect(201)
    .body["id"]
        .as_i64()
        .unwrap()
}

/// Makes every session of the desk look as if it signed in eleven minutes ago.
async fn age_sessions(desk: &Desk) {
    desk.sql("UPDATE sessions SET created_at = created_at - 660000000")
        .await
        .unwrap();
}

both_backends! {
    /// A fresh session mints a token; an old one must send the current password (a wrong one
    /// is refused); a request made with an API token never mints one.
    async fn minting_a_token_needs_recent_authentication(desk: Desk) {
        person_with_password(&desk, "rita@example.test", "customer", "rita's long password").await;
        let session = desk.sign_in("rita@example.test", "rita's long password").await;
        let fresh = desk
            .send_as_session(Method::POST, "/me/tokens", &session, Some(json!({ "label": "fresh" })))
            .await
            .expect(201);
        let minted = fresh.body["token"].as_str().unwrap().to_owned();

        age_sessions(&desk).await;
        let stale = desk
            .send_as_session(Method::POST, "/me/tokens", &session, Some(json!({ "label": "stale" })))
            .await
            .problem(403, "reauthentication_required");
        assert!(stale.body["detail"].as_str().unwrap().contains("current password"), "{}", stale.text);
        desk.send_as_session(
            Method::POST,
            "/me/tokens",
            &session,
            Some(json!({ "label": "stale", "current_password": "not my password" })),
        )
        .await
        .problem(403, "reauthentication_required");
        desk.send_as_session(
            Method::POST,
            "/me/tokens",
            &session,
            Some(json!({ "label": "confirmed", "current_password": "rita's long password" })),
        )
        .await
        .expect(201);

        // A token cannot mint a token, not even with the password.
        let by_token = desk
            .send(
                Method::POST,
                "/me/tokens",
                Some(&minted),
                &[],
                Some(("application/json", json!({ "label": "child", "current_password": "rita's long password" }).to_string().into_bytes())),
            )
            .await
            .problem(403, "forbidden");
        assert!(by_token.body["detail"].as_str().unwrap().contains("API token cannot create"), "{}", by_token.text);
        let labels: Vec<String> = desk
            .send(Method::GET, "/me/tokens", Some(&minted), &[], None)
            .await
            .expect(200)
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["label"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(labels, ["confirmed", "fresh"]);
    }

    /// Changing one's own password — admins included — needs the current password unless the
    /// session is fresh; afterwards the old password and every session are dead.
    async fn changing_ones_password_needs_recent_authentication(desk: Desk) {
        let admin_id = person_with_password(&desk, "boss@example.test", "admin", "the boss's password").await;
        let admin_token = desk.app.issue_token(spoc_domain::UserId::new(admin_id), "cli").await.unwrap().secret;
        // The admin API cannot be used to skip the check on oneself…
        desk.send(
            Method::PATCH,
            &format!("/users/{admin_id}"),
            Some(&admin_token),
            &[],
            Some(("application/json", json!({ "password": "a brand new password" }).to_string().into_bytes())),
        )
        .await
        .problem(403, "reauthentication_required");
        // …but with the current password it works.
        desk.send(
            Method::PATCH,
            &format!("/users/{admin_id}"),
            Some(&admin_token),
            &[],
            Some(("application/json", json!({ "password": "a brand new password", "current_password": "the boss's password" }).to_string().into_bytes())),
        )
        .await
        .expect(200);
        // Setting someone else's password stays an ordinary admin change.
        let other = person_with_password(&desk, "other@example.test", "customer", "other's first password").await;
        desk.send(
            Method::PATCH,
            &format!("/users/{other}"),
            Some(&admin_token),
            &[],
            Some(("application/json", json!({ "password": "other's second password" }).to_string().into_bytes())),
        )
        .await
        .expect(200);

        // Everyone changes their own password through /me/password.
        let session = desk.sign_in("other@example.test", "other's second password").await;
        age_sessions(&desk).await;
        desk.send_as_session(Method::POST, "/me/password", &session, Some(json!({ "new_password": "other's third password" })))
            .await
            .problem(403, "reauthentication_required");
        desk.send_as_session(
            Method::POST,
            "/me/password",
            &session,
            Some(json!({ "new_password": "short", "current_password": "other's second password" })),
        )
        .await
        .problem(422, "validation_failed");
        desk.send_as_session(
            Method::POST,
            "/me/password",
            &session,
            Some(json!({ "new_password": "other's third password", "current_password": "other's second password" })),
        )
        .await
        .expect(204);
        // The session that changed it stays signed in (the others end: two_factor.rs).
        desk.send(Method::GET, "/me", None, &[("Cookie", session.0.as_str())], None)
            .await
            .expect(200);
        let fresh = desk.sign_in("other@example.test", "other's third password").await;
        desk.send_as_session(Method::POST, "/me/password", &fresh, Some(json!({ "new_password": "other's fourth password" })))
            .await
            .expect(204);
    }
}

/// A token minted through a fresh session with `body`; its secret.
async fn mint(
    desk: &Desk,
    session: &(String, String),
    body: serde_json::Value,
) -> serde_json::Value {
    desk.send_as_session(Method::POST, "/me/tokens", session, Some(body))
        .await
        .expect(201)
        .body
}

async fn get_with(desk: &Desk, token: &str, path: &str) -> crate::harness::Answer {
    desk.send(Method::GET, path, Some(token), &[], None).await
}

async fn post_with(
    desk: &Desk,
    token: &str,
    path: &str,
    body: serde_json::Value,
) -> crate::harness::Answer {
    desk.send(
        Method::POST,
        path,
        Some(token),
        &[],
        Some(("application/json", body.to_string().into_bytes())),
    )
    .await
}

both_backends! {
    /// Tokens carry an expiry and a scope, enforced for every use: expired and revoked tokens
    /// are 401, a read-only token cannot write, a resource set keeps a token to its resources.
    async fn tokens_expire_are_scoped_and_revocable(desk: Desk) {
        person_with_password(&desk, "sc@example.test", "agent", "scoped agent password").await;
        desk.add_member(desk.default_group().await, desk.get(&desk.admin, "/users?q=sc%40example").await.body[0]["id"].as_i64().unwrap()).await;
        let session = desk.sign_in("sc@example.test", "scoped agent password").await;

        // Bad expiries and scopes are refused with a sentence.
        for (body, field) in [
            (json!({ "label": "x", "expires_in_days": 0 }), "expires_in_days"),
            (json!({ "label": "x", "expires_in_days": 4000 }), "expires_in_days"),
            (json!({ "label": "x", "expires_at": "2001-01-01T00:00:00Z" }), "expires_at"),
            (json!({ "label": "x", "expires_at": "2999-01-01", "expires_in_days": 3 }), "expires_in_days"),
            (json!({ "label": "x", "resources": ["everything"] }), "resources"),
        ] {
            let refused = desk.send_as_session(Method::POST, "/me/tokens", &session, Some(body)).await.problem(422, "validation_failed");
            assert_eq!(refused.body["errors"][0]["field"], field, "{}", refused.text);
        }

        let expiring = mint(&desk, &session, json!({ "label": "expiring", "expires_in_days": 30 })).await;
        assert_eq!(expiring["origin"], "session");
        assert!(expiring["expires_at"].as_str().is_some(), "{expiring}");
        let expiring_secret = expiring["token"].as_str().unwrap().to_owned();
        let read_only = mint(&desk, &session, json!({ "label": "reader", "read_only": true })).await;
        let read_only_secret = read_only["token"].as_str().unwrap().to_owned();
        let knowledge = mint(&desk, &session, json!({ "label": "kb", "resources": ["knowledge"] })).await;
        let knowledge_secret = knowledge["token"].as_str().unwrap().to_owned();
        assert_eq!(knowledge["resources"], json!(["knowledge"]));
        assert_eq!(knowledge["read_only"], false);

        // The expiring token works until its time, then is 401.
        get_with(&desk, &expiring_secret, "/tickets").await.expect(200);
        desk.sql(&format!("UPDATE api_tokens SET expires_at = 1 WHERE id = {}", expiring["id"])).await.unwrap();
        get_with(&desk, &expiring_secret, "/tickets").await.problem(401, "unauthenticated");

        // Read-only: reads work, every kind of write is refused.
        get_with(&desk, &read_only_secret, "/tickets").await.expect(200);
        get_with(&desk, &read_only_secret, "/me/notifications").await.expect(200);
        let ticket = json!({ "kind": "incident", "title": "Via a reader", "description": "x", "impact": "low", "urgency": "low" });
        let refused = post_with(&desk, &read_only_secret, "/tickets", ticket.clone()).await.problem(403, "token_scope");
        assert!(refused.body["detail"].as_str().unwrap().contains("read-only"), "{}", refused.text);
        post_with(&desk, &read_only_secret, "/articles", json!({ "kind": "how_to", "audience": "agents", "title": "t", "body": "b" })).await.problem(403, "token_scope");
        desk.send(Method::DELETE, &format!("/me/tokens/{}", knowledge["id"]), Some(&read_only_secret), &[], None)
            .await
            .problem(403, "token_scope");

        // A knowledge token reaches knowledge and the own account, not tickets.
        get_with(&desk, &knowledge_secret, "/articles").await.expect(200);
        get_with(&desk, &knowledge_secret, "/me").await.expect(200);
        get_with(&desk, &knowledge_secret, "/tickets").await.problem(403, "token_scope");
        post_with(&desk, &knowledge_secret, "/tickets", ticket.clone()).await.problem(403, "token_scope");
        assert_eq!(desk.get(&desk.admin, "/tickets").await.body["total"], 0, "nothing was written");

        // Listed with everything a person needs to judge them.
        let list = get_with(&desk, &knowledge_secret, "/me/tokens").await.expect(200).body;
        let reader = list.as_array().unwrap().iter().find(|t| t["label"] == "reader").unwrap();
        assert_eq!(reader["read_only"], true);
        assert_eq!(reader["resources"], serde_json::Value::Null);
        assert_eq!(reader["origin"], "session");
        assert!(reader.get("token").is_none(), "no secret in lists");
        assert!(reader["created_at"].as_str().is_some() && reader.get("last_used_at").is_some());

        // Revoked: 401 at once.
        desk.send_as_session(Method::DELETE, &format!("/me/tokens/{}", read_only["id"]), &session, None).await.expect(204);
        get_with(&desk, &read_only_secret, "/tickets").await.problem(401, "unauthenticated");
    }

    /// Signing out everywhere ends every session; asked to, it also revokes the tokens made in
    /// the browser, while tokens made on the command line keep working.
    async fn signing_out_everywhere_can_revoke_browser_tokens(desk: Desk) {
        let id = person_with_password(&desk, "out@example.test", "customer", "sign-out password").await;
        let cli = desk.app.issue_token(spoc_domain::UserId::new(id), "cli").await.unwrap().secret;
        let first = desk.sign_in("out@example.test", "sign-out password").await;
        let second = desk.sign_in("out@example.test", "sign-out password").await;
        let browser = mint(&desk, &first, json!({ "label": "browser" })).await["token"].as_str().unwrap().to_owned();

        // Without the option, tokens survive.
        let kept = desk.send_as_session(Method::POST, "/auth/logout-everywhere", &first, Some(json!({}))).await.expect(200);
        assert_eq!(kept.body["revoked_tokens"], 0);
        for session in [&first, &second] {
            desk.send(Method::GET, "/me", None, &[("Cookie", session.0.as_str())], None).await.problem(401, "unauthenticated");
        }
        get_with(&desk, &browser, "/me").await.expect(200);

        // With it, the browser's tokens die and the CLI's live on.
        let third = desk.sign_in("out@example.test", "sign-out password").await;
        let revoked = desk
            .send_as_session(Method::POST, "/auth/logout-everywhere", &third, Some(json!({ "revoke_browser_tokens": true })))
            .await
            .expect(200);
        assert_eq!(revoked.body["revoked_tokens"], 1);
        get_with(&desk, &browser, "/me").await.problem(401, "unauthenticated");
        get_with(&desk, &cli, "/me").await.expect(200);
        desk.send(Method::GET, "/me", None, &[("Cookie", third.0.as_str())], None).await.problem(401, "unauthenticated");
    }
}

/// A desk whose public URL is HTTPS names its session cookie `__Host-spoc_session` (Secure,
/// Path=/, no Domain) and only reads that name; the plain-HTTP name is ignored there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_desk_uses_a_host_prefixed_session_cookie() {
    use crate::harness::{Db, ScratchDb};
    let scratch = ScratchDb::new(Db::Sqlite).await;
    let settings = spoc::config::Settings {
        data_dir: scratch.dir.clone(),
        database_url: scratch.url.clone(),
        listen: "127.0.0.1:0".parse().unwrap(),
        smtp_url: None,
        mail_from: None,
        public_url: "https://desk.spoc.test".to_owned(),
    };
    let app = spoc::server::open_app(&settings).await.unwrap();
    let boot = app.bootstrap().await.unwrap();
    let (email, password) = boot.admin.expect("first start creates an admin");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api/v1", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(spoc::server::serve(app, listener, None, async {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::new();
    let login = http
        .post(format!("{base}/auth/login"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let set_cookie = login.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set_cookie.starts_with("__Host-spoc_session="),
        "{set_cookie}"
    );
    for part in ["; Path=/;", "; Secure;", "; HttpOnly;"] {
        assert!(set_cookie.contains(part), "{part} in {set_cookie}");
    }
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    let value = set_cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    let me = |cookie: String| {
        let http = http.clone();
        let url = format!("{base}/me");
        async move {
            http.get(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(me(format!("__Host-spoc_session={value}")).await, 200);
    assert_eq!(
        me(format!("spoc_session={value}")).await,
        401,
        "the plain name is not read"
    );
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
