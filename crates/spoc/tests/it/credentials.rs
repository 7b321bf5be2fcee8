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
        desk.send(Method::GET, "/me", None, &[("Cookie", session.0.as_str())], None)
            .await
            .problem(401, "unauthenticated");
        let fresh = desk.sign_in("other@example.test", "other's third password").await;
        desk.send_as_session(Method::POST, "/me/password", &fresh, Some(json!({ "new_password": "other's fourth password" })))
            .await
            .expect(204);
    }
}
