//! Browser sessions: argon2 sign-in, a secure cookie, CSRF on every unsafe request, sign-out.

use reqwest::Method;
use serde_json::json;

use crate::both_backends;
use crate::harness::Desk;

async fn create_user_with_password(desk: &Desk, email: &str, password: &str) {
    desk.post(
        &desk.admin,
        "/users",
        json!({
            "email": email, "name": "Sam Session", "role": "agent", "password": password,
        }),
    )
    .await
    .expect(201);
}

both_backends! {
    async fn sign_in_with_cookie_and_csrf(desk: Desk) {
        create_user_with_password(&desk, "sam@example.test", "correct horse battery").await;
        let login = |email: &'static str, password: &'static str| {
            let desk = &desk;
            async move {
                let body = json!({ "email": email, "password": password }).to_string().into_bytes();
                desk.send(Method::POST, "/auth/login", None, &[], Some(("application/json", body))).await
            }
        };
        // Wrong password and unknown user look the same.
        let wrong = login("sam@example.test", "wrong password!").await.problem(401, "unauthenticated");
        let unknown = login("nobody@example.test", "wrong password!").await.problem(401, "unauthenticated");
        assert_eq!(wrong.body["detail"], unknown.body["detail"]);

        let ok = login("sam@example.test", "correct horse battery").await.expect(200);
        let cookie = ok.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
        for flag in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(flag), "{flag} in {cookie}");
        }
        let session = cookie.split(';').next().unwrap().to_owned();
        let csrf = ok.body["csrf_token"].as_str().unwrap().to_owned();
        assert_eq!(ok.body["user"]["email"], "sam@example.test");
        assert!(!ok.text.contains("password"), "no password material in {}", ok.text);

        // Reads need only the cookie.
        let me = desk.send(Method::GET, "/me", None, &[("Cookie", session.as_str())], None).await.expect(200);
        assert_eq!(me.body["email"], "sam@example.test");
        // Writes need the CSRF token too.
        let ticket = json!({ "kind": "incident", "title": "From the browser", "description": "x", "impact": "low", "urgency": "low" })
            .to_string()
            .into_bytes();
        desk.send(Method::POST, "/tickets", None, &[("Cookie", session.as_str())], Some(("application/json", ticket.clone())))
            .await
            .problem(403, "csrf_failed");
        desk.send(
            Method::POST,
            "/tickets",
            None,
            &[("Cookie", session.as_str()), ("X-CSRF-Token", "forged")],
            Some(("application/json", ticket.clone())),
        )
        .await
        .problem(403, "csrf_failed");
        desk.send(
            Method::POST,
            "/tickets",
            None,
            &[("Cookie", session.as_str()), ("X-CSRF-Token", csrf.as_str())],
            Some(("application/json", ticket.clone())),
        )
        .await
        .expect(201);
        // Nothing was created by the refused attempts.
        assert_eq!(desk.get(&desk.admin, "/tickets").await.body["total"], 1);

        // Signing out ends the session.
        desk.send(Method::POST, "/auth/logout", None, &[("Cookie", session.as_str()), ("X-CSRF-Token", csrf.as_str())], None)
            .await
            .expect(204);
        desk.send(Method::GET, "/me", None, &[("Cookie", session.as_str())], None)
            .await
            .problem(401, "unauthenticated");
    }

    async fn deactivated_users_are_locked_out(desk: Desk) {
        create_user_with_password(&desk, "leaver@example.test", "a long enough password").await;
        let users = desk.get(&desk.admin, "/users").await.expect(200).body;
        let leaver = users.as_array().unwrap().iter().find(|u| u["email"] == "leaver@example.test").unwrap().clone();
        let id = leaver["id"].as_i64().unwrap();
        let token = desk.app.issue_token(spoc_domain::UserId::new(id), "t").await.unwrap().secret;
        desk.send(Method::GET, "/me", Some(&token), &[], None).await.expect(200);
        desk.patch(&desk.admin, &format!("/users/{id}"), json!({ "active": false })).await.expect(200);
        desk.send(Method::GET, "/me", Some(&token), &[], None).await.problem(401, "unauthenticated");
        let body = json!({ "email": "leaver@example.test", "password": "a long enough password" }).to_string().into_bytes();
        desk.send(Method::POST, "/auth/login", None, &[], Some(("application/json", body)))
            .await
            .problem(401, "unauthenticated");
    }

    /// Guessing passwords is cut off: after five failures for an account every attempt is
    /// refused with 429 and `Retry-After` — even with the right password — while other accounts
    /// sign in normally.
    async fn repeated_failures_lock_sign_in(desk: Desk) {
        create_user_with_password(&desk, "target@example.test", "the right password").await;
        create_user_with_password(&desk, "bystander@example.test", "another password").await;
        let login = |email: &'static str, password: &'static str| {
            let desk = &desk;
            async move {
                let body = json!({ "email": email, "password": password }).to_string().into_bytes();
                desk.send(Method::POST, "/auth/login", None, &[], Some(("application/json", body))).await
            }
        };
        for _ in 0..5 {
            login("target@example.test", "a wrong guess").await.problem(401, "unauthenticated");
        }
        let locked = login("target@example.test", "the right password").await.problem(429, "too_many_attempts");
        let retry: i64 = locked.headers.get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
        assert!((1..=15 * 60).contains(&retry), "Retry-After {retry}");
        // Unknown accounts are locked the same way, so the lock reveals nothing.
        for _ in 0..5 {
            login("ghost@example.test", "a wrong guess").await.problem(401, "unauthenticated");
        }
        login("ghost@example.test", "a wrong guess").await.problem(429, "too_many_attempts");
        login("bystander@example.test", "another password").await.expect(200);
    }
}
