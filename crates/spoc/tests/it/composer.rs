//! Files on replies and notes through the API, on both backends: they follow their entry (a
//! customer never reaches the file of an internal note, not even by its address), they pass the
//! e-mail channel's limits and the program-file rule, and refusals are problems naming the
//! field.

use base64::Engine as _;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{Desk, Person};

fn file(name: &str, content_type: &str, bytes: &[u8]) -> Value {
    json!({
        "filename": name,
        "content_type": content_type,
        "content_base64": base64::engine::general_purpose::STANDARD.encode(bytes),
    })
}

fn names(files: &Value) -> Vec<String> {
    files
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["filename"].as_str().unwrap().to_owned())
        .collect()
}

/// A person with a name of their own (and an API token).
pub(crate) async fn named(desk: &Desk, role: spoc_domain::user::Role, name: &str) -> Person {
    let login = crate::ui::user(desk, role, name, None).await;
    let token = desk
        .app
        .issue_token(spoc_domain::UserId::new(login.id), "tests")
        .await
        .unwrap();
    Person {
        id: login.id,
        token: token.secret,
    }
}

pub(crate) async fn mentions_of(desk: &Desk, who: &Person) -> Vec<Value> {
    desk.get(who, "/me/notifications")
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["topic"] == "mention")
        .cloned()
        .collect()
}

both_backends! {
    /// Canned responses: an agent's own are theirs alone (listed, read, changed and removed by
    /// nobody else), shared ones are kept by leads and admins and used by every agent, unknown
    /// placeholders are refused when saving, customers have none, and another tenant sees
    /// nothing.
    async fn canned_responses_crud_and_isolation(desk: Desk) {
        use spoc_domain::user::Role;
        let ada = named(&desk, Role::Agent, "Ada Agent").await;
        let ben = named(&desk, Role::Agent, "Ben Agent").await;
        let lead = named(&desk, Role::Lead, "Lena Lead").await;
        let customer = desk.person("customer", None, false).await;

        let mine = desk.post(&ada, "/canned-responses", json!({
            "title": "Greeting", "body": "Hello {{requester.first_name}}, about {{ticket.number}}",
        })).await.expect(201).body;
        assert_eq!(mine["shared"], false);
        assert_eq!(mine["owner_id"], ada.id);
        let mine_path = format!("/canned-responses/{}", mine["id"]);
        let titles = |list: &Value| -> Vec<String> {
            list.as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(titles(&desk.get(&ada, "/canned-responses").await.expect(200).body), ["Greeting"]);
        assert!(titles(&desk.get(&ben, "/canned-responses").await.expect(200).body).is_empty());
        desk.get(&ben, &mine_path).await.problem(404, "not_found");
        desk.send(reqwest::Method::PUT, &mine_path, Some(&ben.token), &[],
            Some(("application/json", json!({"title": "Mine now", "body": "x"}).to_string().into_bytes())))
            .await.problem(404, "not_found");
        desk.delete(&ben, &mine_path).await.problem(404, "not_found");

        // Agents cannot keep shared ones; leads can, and every agent uses them.
        desk.post(&ada, "/canned-responses", json!({"title": "Everyone", "body": "Hi", "shared": true}))
            .await.problem(403, "forbidden");
        let shared = desk.post(&lead, "/canned-responses", json!({
            "title": "Closing", "body": "Thanks, {{requester.name}}. — {{agent.name}}", "shared": true,
        })).await.expect(201).body;
        assert_eq!(shared["shared"], true);
        let shared_path = format!("/canned-responses/{}", shared["id"]);
        assert_eq!(titles(&desk.get(&ben, "/canned-responses").await.expect(200).body), ["Closing"]);
        assert_eq!(titles(&desk.get(&ada, "/canned-responses").await.expect(200).body), ["Closing", "Greeting"]);
        desk.send(reqwest::Method::PUT, &shared_path, Some(&ada.token), &[],
            Some(("application/json", json!({"title": "Mine", "body": "x"}).to_string().into_bytes())))
            .await.problem(403, "forbidden");
        desk.delete(&ada, &shared_path).await.problem(403, "forbidden");

        // Unknown and unclosed placeholders are refused when saving.
        let refused = desk.post(&ada, "/canned-responses", json!({"title": "Typo", "body": "Dear {{customer.name}}"}))
            .await.problem(422, "validation_failed");
        assert!(refused.text.contains("{{customer.name}} is not a known placeholder"), "{}", refused.text);
        desk.send(reqwest::Method::PUT, &mine_path, Some(&ada.token), &[],
            Some(("application/json", json!({"title": "Greeting", "body": "Hi {{ticket.number"}).to_string().into_bytes())))
            .await.problem(422, "validation_failed");

        // The owner changes and removes their own.
        let changed = desk.send(reqwest::Method::PUT, &mine_path, Some(&ada.token), &[],
            Some(("application/json", json!({"title": "Hello", "body": "Hi {{requester.name}}"}).to_string().into_bytes())))
            .await.expect(200).body;
        assert_eq!(changed["title"], "Hello");
        desk.delete(&ada, &mine_path).await.expect(204);
        desk.get(&ada, &mine_path).await.problem(404, "not_found");

        // Customers have none.
        desk.get(&customer, "/canned-responses").await.problem(403, "forbidden");

        // Another tenant sees nothing of this one's.
        let now = spoc_domain::Timestamp::from_micros(1_800_000_000_000_000);
        let second = desk.app.store().create_tenant(&crate::harness::unique("Second"), now).await.unwrap();
        desk.app.prepare_desk(second).await.unwrap();
        let user = desk.app.system_create_user(second, spoc_app::UserInput {
            email: spoc_domain::text::Email::parse(&format!("{}@example.test", crate::harness::unique("lead"))).unwrap(),
            name: spoc_domain::text::Name::parse("Other Lead").unwrap(),
            role: Role::Lead, organization_id: None, super_user: false, password: None,
        }).await.unwrap();
        let token = desk.app.issue_token(user.id, "tests").await.unwrap();
        let other = Person { id: user.id.get(), token: token.secret };
        assert!(titles(&desk.get(&other, "/canned-responses").await.expect(200).body).is_empty());
        desk.get(&other, &shared_path).await.problem(404, "not_found");
        desk.delete(&other, &shared_path).await.problem(404, "not_found");
        assert_eq!(titles(&desk.get(&ben, "/canned-responses").await.expect(200).body), ["Closing"]);
    }

    /// "@Full Name" in an agent's note notifies that colleague (a lead, or an agent of the
    /// ticket's group) with the ticket; an agent who cannot see the ticket, the author and
    /// customers' mentions notify nobody.
    async fn mentions_notify_colleagues(desk: Desk) {
        use spoc_domain::user::Role;
        let group = desk.default_group().await;
        let author = named(&desk, Role::Agent, "Ada Author").await;
        desk.add_member(group, author.id).await;
        let colleague = named(&desk, Role::Agent, "Cleo Colleague").await;
        desk.add_member(group, colleague.id).await;
        let lead = named(&desk, Role::Lead, "Lena Lead").await;
        let outsider = named(&desk, Role::Agent, "Otto Outsider").await;
        let elsewhere = desk.group("Facilities", 1, false).await;
        desk.add_member(elsewhere, outsider.id).await;
        let customer = desk.person("customer", None, false).await;
        let ticket = desk.ticket(&customer, "incident", "Projector dead").await;
        let id = ticket["id"].as_i64().unwrap();
        let number = ticket["number"].as_str().unwrap().to_owned();

        desk.post(&author, &format!("/tickets/{id}/comments"), json!({
            "body": "@cleo colleague and @Lena Lead: lamp or board? @Otto Outsider, @Ada Author", "internal": true,
        })).await.expect(201);
        let told = mentions_of(&desk, &colleague).await;
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(told[0]["ticket_id"], id);
        let message = told[0]["message"].as_str().unwrap();
        assert!(message.contains("Ada Author mentioned you in an internal note on") && message.contains(&number), "{message}");
        assert_eq!(mentions_of(&desk, &lead).await.len(), 1);
        assert!(mentions_of(&desk, &outsider).await.is_empty(), "an agent who cannot see the ticket was told");
        assert!(mentions_of(&desk, &author).await.is_empty(), "the author was told about their own note");

        // Customers cannot mention.
        desk.post(&customer, &format!("/tickets/{id}/comments"), json!({ "body": "@Cleo Colleague hurry" }))
            .await.expect(201);
        assert_eq!(mentions_of(&desk, &colleague).await.len(), 1, "a customer's mention notified someone");
    }


    /// A customer's file, an agent's reply file and an agent's note file: the customer lists
    /// and downloads only the first two; the note's file is "not found" for them by its own
    /// address, while staff get it as a sandboxed download.
    async fn comment_files_follow_their_entry(desk: Desk) {
        let customer = desk.person("customer", None, false).await;
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let ticket = desk.ticket(&customer, "incident", "Screen flickers").await;
        let id = ticket["id"].as_i64().unwrap();

        desk.post(&customer, &format!("/tickets/{id}/comments"), json!({
            "body": "A photo of the screen.", "attachments": [file("screen.jpg", "image/jpeg", b"\xff\xd8\xff photo")],
        })).await.expect(201);
        desk.post(&agent, &format!("/tickets/{id}/comments"), json!({
            "body": "Supplier quote, internal.", "internal": true,
            "attachments": [file("quote.pdf", "application/pdf", b"%PDF-1.4 quote")],
        })).await.expect(201);
        desk.post(&agent, &format!("/tickets/{id}/comments"), json!({
            "body": "Please install this **driver**.", "attachments": [file("driver-notes.txt", "text/plain", b"steps")],
        })).await.expect(201);

        let seen = desk.get(&customer, &format!("/tickets/{id}/attachments")).await.expect(200).body;
        assert_eq!(names(&seen), ["screen.jpg", "driver-notes.txt"], "{seen}");
        let all = desk.get(&agent, &format!("/tickets/{id}/attachments")).await.expect(200).body;
        assert_eq!(names(&all), ["screen.jpg", "quote.pdf", "driver-notes.txt"], "{all}");
        let quote = all.as_array().unwrap().iter().find(|f| f["filename"] == "quote.pdf").unwrap();
        let url = quote["url"].as_str().unwrap();
        desk.get(&customer, url).await.problem(404, "not_found");
        let got = desk.send(reqwest::Method::GET, url, Some(&agent.token), &[], None).await.expect(200);
        assert!(got.headers["content-disposition"].to_str().unwrap().starts_with("attachment"));
        assert_eq!(got.content_type(), "application/octet-stream");
        assert_eq!(got.text, "%PDF-1.4 quote");

        // Another customer sees none of them.
        let stranger = desk.person("customer", None, false).await;
        let screen = seen[0]["url"].as_str().unwrap();
        desk.get(&stranger, screen).await.problem(404, "not_found");
    }

    /// Programs, bad base64 and files over the mail limit are refused as problems naming the
    /// field, and nothing is posted.
    async fn refused_comment_files_post_nothing(desk: Desk) {
        let customer = desk.person("customer", None, false).await;
        let ticket = desk.ticket(&customer, "incident", "Laptop fan loud").await;
        let id = ticket["id"].as_i64().unwrap();
        let path = format!("/tickets/{id}/comments");

        let refused = desk.post(&customer, &path, json!({
            "body": "Run this", "attachments": [file("fix.exe", "application/octet-stream", b"MZ\x90\x00")],
        })).await.problem(422, "validation_failed");
        assert!(refused.text.contains("program or script"), "{}", refused.text);
        assert!(refused.text.contains("files"), "{}", refused.text);

        let refused = desk.post(&customer, &path, json!({
            "body": "Broken", "attachments": [{"filename": "a.txt", "content_base64": "%%%"}],
        })).await.problem(422, "validation_failed");
        assert!(refused.text.contains("attachments"), "{}", refused.text);

        // Over the JSON body limit: a problem too, never a 500.
        let big = vec![b'a'; 1024 * 1024];
        desk.post(&customer, &path, json!({
            "body": "Huge", "attachments": [file("big.txt", "text/plain", &big)],
        })).await.problem(413, "payload_too_large");

        let comments = desk.get(&customer, &path).await.expect(200).body;
        assert_eq!(comments.as_array().unwrap().len(), 0, "{comments}");
        let files = desk.get(&customer, &format!("/tickets/{id}/attachments")).await.expect(200).body;
        assert_eq!(files.as_array().unwrap().len(), 0, "{files}");
    }
}
