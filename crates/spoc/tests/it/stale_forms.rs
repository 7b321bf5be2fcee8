//! A form sent with a stale or missing CSRF token (a sign-in in another tab, a page left open
//! past its session) is refused, nothing happens — and it comes back with what the person
//! typed, a plain sentence and this session's token, ready to send again.

use serde_json::json;

use crate::both_backends;
use crate::harness::{Answer, Desk};

const STALE: &str = "This form had expired; check and send it again.";

/// A person with a password, signed in: (id, session cookie, CSRF token).
async fn signed_in(desk: &Desk, role: &str, email: &str) -> (i64, (String, String)) {
    let id = desk
        .post(
            &desk.admin,
            "/users",
            json!({ "email": email, "name": "Fay Form", "role": role, "password": "a form-filling password" }),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    (id, desk.sign_in(email, "a form-filling password").await)
}

/// Posts a URL-encoded form (with the session cookie, if any), without following redirects.
async fn post_form(desk: &Desk, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Answer {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = client.post(format!("{}{path}", desk.base)).form(fields);
    if !cookie.is_empty() {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    Answer {
        status,
        headers,
        body: serde_json::Value::Null,
        text,
    }
}

/// Asserts a form came back refused, with the sentence, the typed `texts` and the session's
/// own token.
#[track_caller]
fn assert_reshown(answer: &Answer, csrf: &str, texts: &[&str]) {
    assert_eq!(answer.status, 403, "{}", answer.text);
    assert!(
        answer.text.contains(STALE),
        "the sentence in {}",
        answer.text
    );
    for text in texts {
        assert!(
            answer.text.contains(text),
            "{text:?} kept in {}",
            answer.text
        );
    }
    assert!(
        answer
            .text
            .contains(&format!(r#"name="csrf" value="{csrf}""#)),
        "a fresh token in {}",
        answer.text
    );
}

both_backends! {
    async fn stale_forms_come_back_with_what_was_typed(desk: Desk) {
        let (_, (customer, customer_csrf)) = signed_in(&desk, "customer", "fay@example.test").await;
        let (agent_id, (agent, agent_csrf)) = signed_in(&desk, "agent", "alf@example.test").await;
        desk.add_member(desk.default_group().await, agent_id).await;

        // Portal: a new ticket.
        let fields = [
            ("csrf", "a-stale-token"), ("kind", "incident"), ("title", "Printer on fire &amp; smoking"),
            ("description", "It started after lunch."), ("affected", "some"), ("when", "soon"),
        ];
        let answer = post_form(&desk, "/portal/new", &customer, &fields).await;
        assert_reshown(&answer, &customer_csrf, &["Printer on fire &amp;amp; smoking", "It started after lunch."]);
        let missing = post_form(&desk, "/portal/new", &customer, &fields[1..]).await;
        assert_reshown(&missing, &customer_csrf, &["It started after lunch."]);
        assert_eq!(desk.get(&desk.admin, "/tickets").await.body["total"], 0, "nothing was logged");

        // Sent again with the token of the page it came back on, it goes through.
        let again: Vec<(&str, &str)> = std::iter::once(("csrf", customer_csrf.as_str())).chain(fields[1..].iter().copied()).collect();
        let logged = post_form(&desk, "/portal/new", &customer, &again).await;
        assert_eq!(logged.status, 303, "{}", logged.text);
        let ticket = desk.get(&desk.admin, "/tickets").await.body["items"][0]["id"].as_i64().unwrap();

        // Portal: a reply.
        let answer = post_form(&desk, &format!("/portal/tickets/{ticket}/reply"), &customer, &[("csrf", "old"), ("body", "Still smoking, now with flames.")]).await;
        assert_reshown(&answer, &customer_csrf, &["Still smoking, now with flames."]);

        // Desk: a note, and logging a call.
        let answer = post_form(&desk, &format!("/desk/tickets/{ticket}/comment"), &agent, &[("csrf", "old"), ("visibility", "internal"), ("body", "Called facilities about it.")]).await;
        assert_reshown(&answer, &agent_csrf, &["Called facilities about it."]);
        let caller = desk.get(&desk.admin, "/users?q=fay%40example").await.body[0]["id"].as_i64().unwrap().to_string();
        let answer = post_form(&desk, "/desk/new", &agent, &[
            ("csrf", "old"), ("caller_id", &caller), ("kind", "service_request"), ("title", "New badge for Fay"),
            ("description", "Lost it on the train."), ("impact", "low"), ("urgency", "low"), ("category", ""), ("service", ""),
        ]).await;
        assert_reshown(&answer, &agent_csrf, &["New badge for Fay", "Lost it on the train."]);
        let events = desk.get(&desk.admin, &format!("/tickets/{ticket}/events")).await.body;
        assert_eq!(events.as_array().unwrap().iter().filter(|e| e["kind"] == "comment_added").count(), 0, "no reply or note was added: {events}");
        assert_eq!(desk.get(&desk.admin, "/tickets").await.body["total"], 1);

        // Sign-in: the e-mail stays, the form gets a new token and its cookie.
        let answer = post_form(&desk, "/login", "", &[("csrf", "old"), ("email", "fay@example.test"), ("password", "x"), ("next", "")]).await;
        assert_eq!(answer.status, 403);
        assert!(answer.text.contains(STALE) && answer.text.contains(r#"value="fay@example.test""#), "{}", answer.text);
        let cookie = answer.headers["set-cookie"].to_str().unwrap();
        let token = cookie.strip_prefix("spoc_login=").unwrap().split(';').next().unwrap();
        assert!(answer.text.contains(&format!(r#"name="csrf" value="{token}""#)), "{}", answer.text);
    }
}
