//! Two-factor sign-in, on both backends: enrolling an authenticator over the API, signing in
//! with a code (the code computed here from the secret, as an app would), wrong and replayed
//! codes refused, recovery codes working once, wrong codes counted against the sign-in limits,
//! the desk requiring it per role, a password change ending the other sessions, and another
//! tenant untouched by all of it.

use reqwest::Method;
use serde_json::{Value, json};
use spoc_app::totp::{base32_decode, code_at, step_of};
use spoc_app::{SignIn, UserInput};
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp};

use crate::both_backends;
use crate::harness::{Answer, Desk, unique};

const PASSWORD: &str = "correct horse battery";

/// A person with `PASSWORD` and `role`; their e-mail address.
async fn person_with_password(desk: &Desk, role: &str) -> String {
    let email = format!("{}@example.test", unique(role));
    desk.post(
        &desk.admin,
        "/users",
        json!({ "email": email, "name": "Tove Totp", "role": role, "password": PASSWORD }),
    )
    .await
    .expect(201);
    email
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

async fn second_step(desk: &Desk, challenge: &str, code: &str) -> Answer {
    let body = json!({ "challenge": challenge, "code": code })
        .to_string()
        .into_bytes();
    desk.send(
        Method::POST,
        "/auth/login/second-factor",
        None,
        &[],
        Some(("application/json", body)),
    )
    .await
}

/// The session (cookie, CSRF token) of a `200` sign-in answer.
fn session_of(answer: &Answer) -> (String, String) {
    let cookie = answer.headers["set-cookie"].to_str().unwrap();
    (
        cookie.split(';').next().unwrap().to_owned(),
        answer.body["csrf_token"].as_str().unwrap().to_owned(),
    )
}

/// The current time step of the desk's clock.
fn now_step(desk: &Desk) -> i64 {
    step_of(desk.app.now().as_micros() / 1_000_000)
}

fn code(secret: &str, step: i64) -> String {
    code_at(&base32_decode(secret).unwrap(), step)
}

/// A code of none of the steps around `step`.
fn wrong(secret: &str, step: i64) -> String {
    let taken: Vec<String> = (step - 1..=step + 1).map(|s| code(secret, s)).collect();
    (0..10)
        .map(|d| format!("{d}{d}{d}{d}{d}{d}"))
        .find(|c| !taken.contains(c))
        .unwrap()
}

/// Signs in with the password and turns two-factor sign-in on over the API: the secret and the
/// recovery codes. The confirming code used the current step.
async fn enrol(desk: &Desk, email: &str) -> (String, Vec<String>) {
    let session = session_of(&login(desk, email, PASSWORD).await.expect(200));
    let started = desk
        .send_as_session(Method::POST, "/me/totp", &session, None)
        .await
        .expect(201)
        .body;
    let secret = started["secret"].as_str().unwrap().to_owned();
    let uri = started["uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/Spoc:"), "{uri}");
    assert!(uri.contains(&format!("secret={secret}")), "{uri}");
    let step = now_step(desk);
    desk.send_as_session(
        Method::PUT,
        "/me/totp",
        &session,
        Some(json!({ "code": wrong(&secret, step) })),
    )
    .await
    .problem(422, "validation_failed");
    let confirmed = desk
        .send_as_session(
            Method::PUT,
            "/me/totp",
            &session,
            Some(json!({ "code": code(&secret, step) })),
        )
        .await
        .expect(200)
        .body;
    let codes: Vec<String> = confirmed["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

fn challenge_of(answer: &Answer) -> String {
    assert_eq!(answer.body["second_factor"], "totp", "{}", answer.text);
    assert!(
        answer.headers.get("set-cookie").is_none(),
        "no session before the code"
    );
    answer.body["challenge"].as_str().unwrap().to_owned()
}

both_backends! {
    /// Enrol, then sign in with a code; wrong and replayed codes are refused; a recovery code
    /// works once; turning it off needs proof.
    async fn enrol_and_sign_in_with_a_code(desk: Desk) {
        let email = person_with_password(&desk, "agent").await;
        let (secret, recovery) = enrol(&desk, &email).await;
        let step = now_step(&desk);

        // The secret is stored encrypted, never in clear.
        let user = desk.get(&desk.admin, "/users?limit=200").await.expect(200).body;
        let users = user.get("items").unwrap_or(&user).as_array().unwrap().clone();
        let id = users.iter().find(|u| u["email"] == email.as_str()).unwrap()["id"].as_i64().unwrap();
        let stored = desk
            .app
            .store()
            .second_factor(TenantId::FIRST, spoc_domain::UserId::new(id))
            .await
            .unwrap()
            .unwrap();
        assert!(stored.confirmed_at.is_some());
        assert!(stored.secret.starts_with("v1:"), "{}", stored.secret);
        assert!(!stored.secret.contains(&secret));

        // The password alone gives a challenge, not a session.
        let challenge = challenge_of(&login(&desk, &email, PASSWORD).await.expect(202));
        second_step(&desk, &challenge, &wrong(&secret, step)).await.problem(422, "validation_failed");
        // The code that confirmed the enrolment was used: replaying it is refused.
        second_step(&desk, &challenge, &code(&secret, step)).await.problem(422, "validation_failed");
        let ok = second_step(&desk, &challenge, &code(&secret, step + 1)).await.expect(200);
        let session = session_of(&ok);
        let me = desk.send_as_session(Method::GET, "/me", &session, None).await.expect(200);
        assert_eq!(me.body["email"], email.as_str());
        // The challenge worked once.
        second_step(&desk, &challenge, &code(&secret, step + 1)).await.problem(401, "unauthenticated");
        second_step(&desk, &"0".repeat(64), &code(&secret, step + 1)).await.problem(401, "unauthenticated");

        // The same code at the next sign-in is a replay; so is an older step.
        let again = challenge_of(&login(&desk, &email, PASSWORD).await.expect(202));
        second_step(&desk, &again, &code(&secret, step + 1)).await.problem(422, "validation_failed");
        second_step(&desk, &again, &code(&secret, step - 1)).await.problem(422, "validation_failed");

        // A recovery code works once, typed in any case.
        second_step(&desk, &again, &recovery[0].to_uppercase()).await.expect(200);
        let third = challenge_of(&login(&desk, &email, PASSWORD).await.expect(202));
        second_step(&desk, &third, &recovery[0]).await.problem(422, "validation_failed");
        second_step(&desk, &third, "not-a-recovery-code").await.problem(422, "validation_failed");
        let status = desk.send_as_session(Method::GET, "/me/totp", &session, None).await.expect(200).body;
        assert_eq!(status["enabled"], true, "{status}");
        assert_eq!(status["recovery_codes_left"], 9, "{status}");

        // A second enrolment while it is on is refused.
        desk.send_as_session(Method::POST, "/me/totp", &session, None).await.problem(409, "conflict");

        // New recovery codes need proof; the old ones stop working.
        desk.send_as_session(Method::POST, "/me/totp/recovery-codes", &session, Some(json!({})))
            .await
            .problem(403, "reauthentication_required");
        let fresh = desk
            .send_as_session(Method::POST, "/me/totp/recovery-codes", &session, Some(json!({ "current_password": PASSWORD })))
            .await
            .expect(200)
            .body;
        let fresh_code = fresh["recovery_codes"][0].as_str().unwrap().to_owned();
        second_step(&desk, &third, &recovery[1]).await.problem(422, "validation_failed");
        second_step(&desk, &third, &fresh_code).await.expect(200);

        // Turning it off needs a code or the password; then the password alone signs in.
        desk.send_as_session(Method::DELETE, "/me/totp", &session, Some(json!({})))
            .await
            .problem(403, "reauthentication_required");
        desk.send_as_session(Method::DELETE, "/me/totp", &session, Some(json!({ "current_password": "not the password" })))
            .await
            .problem(403, "reauthentication_required");
        desk.send_as_session(Method::DELETE, "/me/totp", &session, Some(json!({ "current_password": PASSWORD })))
            .await
            .expect(204);
        login(&desk, &email, PASSWORD).await.expect(200);
        let off = desk.send_as_session(Method::GET, "/me/totp", &session, None).await.expect(200).body;
        assert_eq!(off["enabled"], false, "{off}");
    }

    /// Wrong codes count against the account's sign-in limit, as wrong passwords do, and the
    /// right password does not forgive them: after five, even the right code is refused with 429.
    async fn wrong_codes_lock_sign_in(desk: Desk) {
        let email = person_with_password(&desk, "customer").await;
        let (secret, _) = enrol(&desk, &email).await;
        let step = now_step(&desk);
        let challenge = challenge_of(&login(&desk, &email, PASSWORD).await.expect(202));
        // The wrong code tried while enrolling counted too: four more make five.
        for _ in 0..4 {
            second_step(&desk, &challenge, &wrong(&secret, step)).await.problem(422, "validation_failed");
        }
        let locked = second_step(&desk, &challenge, &code(&secret, step + 1)).await.problem(429, "too_many_attempts");
        assert!(locked.headers.get("retry-after").is_some());
        login(&desk, &email, PASSWORD).await.problem(429, "too_many_attempts");
    }

    /// The admin requires two-factor sign-in for agents: an agent without an authenticator gets
    /// a clear 403 over the API and enrols at sign-in (no session before the code); customers
    /// are not asked. Only admins see or change the setting; unknown roles are refused.
    async fn required_for_a_role(desk: Desk) {
        let agent = person_with_password(&desk, "agent").await;
        let customer = person_with_password(&desk, "customer").await;
        let policy = desk.get(&desk.admin, "/settings/two-factor").await.expect(200).body;
        assert_eq!(policy["required_for"], json!([]));
        desk.send(Method::PUT, "/settings/two-factor", Some(&desk.admin.token), &[],
            Some(("application/json", json!({ "required_for": ["wizard"] }).to_string().into_bytes())))
            .await
            .problem(422, "validation_failed");
        let set = desk.send(Method::PUT, "/settings/two-factor", Some(&desk.admin.token), &[],
            Some(("application/json", json!({ "required_for": ["agent", "agent"] }).to_string().into_bytes())))
            .await
            .expect(200)
            .body;
        assert_eq!(set["required_for"], json!(["agent"]));
        let someone = desk.person("agent", None, false).await;
        desk.get(&someone, "/settings/two-factor").await.problem(403, "forbidden");

        let refused = login(&desk, &agent, PASSWORD).await.problem(403, "forbidden");
        assert!(refused.body["detail"].as_str().unwrap().contains("two-factor"), "{}", refused.text);
        login(&desk, &customer, PASSWORD).await.expect(200);

        // Enrolling at sign-in, as the browser does.
        let Ok(SignIn::Enrolment(challenge)) = desk.app.login(&agent, PASSWORD, None, None).await else {
            panic!("an enrolment challenge");
        };
        assert!(desk.app.sign_in_second_factor(&challenge.secret, "123456", None, None).await.is_err());
        let enrolment = desk.app.start_enrolment_at_sign_in(&challenge.secret).await.unwrap();
        let step = now_step(&desk);
        assert!(desk
            .app
            .finish_enrolment_at_sign_in(&challenge.secret, &wrong(&enrolment.secret, step), None, None)
            .await
            .is_err());
        let (session, codes) = desk
            .app
            .finish_enrolment_at_sign_in(&challenge.secret, &code(&enrolment.secret, step), None, None)
            .await
            .unwrap();
        assert_eq!(codes.len(), 10);
        assert!(desk.app.authenticate_session(&session.secret).await.is_ok());
        // From now on the agent signs in with a code.
        let next = challenge_of(&login(&desk, &agent, PASSWORD).await.expect(202));
        second_step(&desk, &next, &code(&enrolment.secret, step + 1)).await.expect(200);
    }

    /// Changing one's password keeps this session and ends the others; an admin setting
    /// someone's password ends all of theirs.
    async fn a_password_change_ends_the_other_sessions(desk: Desk) {
        let email = person_with_password(&desk, "agent").await;
        let here = session_of(&login(&desk, &email, PASSWORD).await.expect(200));
        let elsewhere = session_of(&login(&desk, &email, PASSWORD).await.expect(200));
        desk.send_as_session(Method::POST, "/me/password", &here,
            Some(json!({ "current_password": PASSWORD, "new_password": "a brand new password" })))
            .await
            .expect(204);
        desk.send_as_session(Method::GET, "/me", &here, None).await.expect(200);
        desk.send_as_session(Method::GET, "/me", &elsewhere, None).await.problem(401, "unauthenticated");
        login(&desk, &email, PASSWORD).await.problem(401, "unauthenticated");
        let id = desk.send_as_session(Method::GET, "/me", &here, None).await.body["id"].as_i64().unwrap();
        let another = session_of(&login(&desk, &email, "a brand new password").await.expect(200));

        desk.patch(&desk.admin, &format!("/users/{id}"), json!({ "password": "the admin's choice" }))
            .await
            .expect(200);
        for session in [&here, &another] {
            desk.send_as_session(Method::GET, "/me", session, None).await.problem(401, "unauthenticated");
        }
    }

    /// Another tenant: its people are not asked for codes the first tenant requires, its admin
    /// sees its own setting, and the same address there signs in with its own password alone
    /// while the first tenant's person has two-factor sign-in on.
    async fn another_tenant_is_unaffected(desk: Desk) {
        let now = Timestamp::from_micros(1_800_000_000_000_000);
        let second = desk.app.store().create_tenant(&unique("Second"), now).await.unwrap();
        desk.app.prepare_desk(second).await.unwrap();
        let email = person_with_password(&desk, "agent").await;
        let (secret, _) = enrol(&desk, &email).await;
        desk.send(Method::PUT, "/settings/two-factor", Some(&desk.admin.token), &[],
            Some(("application/json", json!({ "required_for": ["agent", "admin", "lead", "customer"] }).to_string().into_bytes())))
            .await
            .expect(200);
        let mut ids = Vec::new();
        for (address, role) in [(email.clone(), Role::Agent), (format!("{}@example.test", unique("admin")), Role::Admin)] {
            let user = desk
                .app
                .system_create_user(second, UserInput {
                    email: Email::parse(&address).unwrap(),
                    name: Name::parse("Other Tenant").unwrap(),
                    role,
                    organization_id: None,
                    super_user: false,
                    password: Some("the other tenant's password".to_owned()),
                })
                .await
                .unwrap();
            assert_eq!(user.tenant_id, second);
            ids.push((address, user.id));
        }
        // The same address, the other tenant's password: a session at once, in that tenant.
        let other = login(&desk, &email, "the other tenant's password").await.expect(200);
        let session = session_of(&other);
        let me: Value = desk.send_as_session(Method::GET, "/me/totp", &session, None).await.expect(200).body;
        assert_eq!(me["enabled"], false, "{me}");
        assert_eq!(me["required"], false, "{me}");
        // Its admin sees its own (empty) setting.
        let admin_session = session_of(&login(&desk, &ids[1].0, "the other tenant's password").await.expect(200));
        let policy = desk.send_as_session(Method::GET, "/settings/two-factor", &admin_session, None).await.expect(200).body;
        assert_eq!(policy["required_for"], json!([]));
        // The first tenant's person still needs the code.
        let challenge = challenge_of(&login(&desk, &email, PASSWORD).await.expect(202));
        // A challenge is no session in either tenant.
        assert!(desk.app.authenticate_session(&challenge).await.is_err());
        second_step(&desk, &challenge, &code(&secret, now_step(&desk) + 1)).await.expect(200);
        assert_ne!(second, TenantId::FIRST);
    }
}
