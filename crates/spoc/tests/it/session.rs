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

    /// A person sees their open sessions (browser, since, until; the one of the request marked)
    /// and ends one, e.g. left open elsewhere: that cookie stops working at once. Another
    /// person's session cannot be seen or ended (404), and a malformed name is not found either.
    async fn people_see_and_end_their_own_sessions(desk: Desk) {
        create_user_with_password(&desk, "ana@example.test", "correct horse battery").await;
        create_user_with_password(&desk, "bo@example.test", "correct horse battery").await;
        let login = |email: &'static str, browser: &'static str| {
            let desk = &desk;
            async move {
                let body = json!({ "email": email, "password": "correct horse battery" }).to_string().into_bytes();
                let ok = desk.send(Method::POST, "/auth/login", None, &[("User-Agent", browser)], Some(("application/json", body)))
                    .await
                    .expect(200);
                let cookie = ok.headers["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
                (cookie, ok.body["csrf_token"].as_str().unwrap().to_owned())
            }
        };
        let office = login("ana@example.test", "Firefox on the office PC").await;
        let phone = login("ana@example.test", "Phone\tbrowser").await;
        let bo = login("bo@example.test", "Bo's laptop").await;

        let listed = desk.send_as_session(Method::GET, "/me/sessions", &office, None).await.expect(200).body;
        let sessions = listed.as_array().unwrap();
        assert_eq!(sessions.len(), 2, "{listed}");
        let mine = sessions.iter().find(|s| s["current"] == true).expect("the request's own session is marked");
        assert_eq!(mine["device"], "Firefox on the office PC");
        let other = sessions.iter().find(|s| s["current"] == false).unwrap();
        assert_eq!(other["device"], "Phonebrowser", "control characters are dropped");
        let other_id = other["id"].as_str().unwrap().to_owned();
        assert!(other_id.len() == 16 && other_id.bytes().all(|b| b.is_ascii_hexdigit()), "{other_id}");
        assert!(!listed.to_string().contains(office.0.split('=').nth(1).unwrap()), "no session secret in the list");

        // Bo sees only his own, and cannot end Ana's.
        let his = desk.send_as_session(Method::GET, "/me/sessions", &bo, None).await.expect(200).body;
        assert_eq!(his.as_array().unwrap().len(), 1, "{his}");
        desk.send_as_session(Method::DELETE, &format!("/me/sessions/{other_id}"), &bo, None).await.problem(404, "not_found");
        desk.send_as_session(Method::DELETE, "/me/sessions/zz", &office, None).await.problem(404, "not_found");
        desk.send(Method::GET, "/me", None, &[("Cookie", phone.0.as_str())], None).await.expect(200);

        // Ana ends the phone's session: its cookie stops working at once.
        desk.send_as_session(Method::DELETE, &format!("/me/sessions/{other_id}"), &office, None).await.expect(204);
        desk.send(Method::GET, "/me", None, &[("Cookie", phone.0.as_str())], None).await.problem(401, "unauthenticated");
        let left = desk.send_as_session(Method::GET, "/me/sessions", &office, None).await.expect(200).body;
        assert_eq!(left.as_array().unwrap().len(), 1, "{left}");
        // Ending it twice: it is gone.
        desk.send_as_session(Method::DELETE, &format!("/me/sessions/{other_id}"), &office, None).await.problem(404, "not_found");
        // Her own current one signs this browser out.
        let own = left[0]["id"].as_str().unwrap().to_owned();
        desk.send_as_session(Method::DELETE, &format!("/me/sessions/{own}"), &office, None).await.expect(204);
        desk.send(Method::GET, "/me", None, &[("Cookie", office.0.as_str())], None).await.problem(401, "unauthenticated");
        // Bo's session was never touched.
        desk.send(Method::GET, "/me", None, &[("Cookie", bo.0.as_str())], None).await.expect(200);
    }
}
