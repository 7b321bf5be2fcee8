//! SOPs over the API, on both backends: the seed import, governance (every step by the right
//! person only, separation of duties, superseding), checklists on tickets with quality checks
//! enforced before resolve and close, the version a ticket is handled under, early reviews on
//! reopenings (exactly one per crossing, also under concurrent scans) and outcomes by version.

use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{Desk, Person};

/// A small password-reset procedure: two answered steps, one plain step, checks on an answer,
/// a field and a ticked step.
pub fn reset_content(title: &str) -> Value {
    json!({
        "title": title,
        "purpose": "Restore access securely.",
        "scope": "Standard user accounts.",
        "trigger": "A user asks for a password reset.",
        "roles": [{"role": "Analyst", "duty": "Verifies and resets."}],
        "inputs": ["User identifier"],
        "steps": [
            {"key": "verify", "text": "Verify the user's identity.",
             "answer": {"label": "Verification method", "options": ["Call-back", "Manager confirmation"]}},
            {"key": "reset", "text": "Reset the password."},
            {"key": "confirm", "text": "Confirm the user can sign in.",
             "answer": {"label": "User confirmation", "options": ["Confirmed working", "Could not reach"]}}
        ],
        "decisions": [],
        "exceptions": [{"key": "failed", "when": "Verification fails.", "threshold": "2 attempts", "action": "Do not reset."}],
        "escalations": [{"key": "identity", "when": "Suspected compromise.", "level": "functional",
                         "group": "Identity and Access", "reason": "Password reset SOP: identity team to take over."}],
        "checks": [
            {"key": "verification", "text": "The verification method is recorded",
             "requires": {"kind": "answer", "step": "verify"}},
            {"key": "service", "text": "The affected service is recorded",
             "requires": {"kind": "field", "field": "service"}},
            {"key": "confirmed", "text": "The user confirmed it works",
             "requires": {"kind": "answer", "step": "confirm", "one_of": ["Confirmed working"]}}
        ],
        "references": [{"title": "Identity verification policy"}]
    })
}

/// The people of one SOP: author (a lead), owner and reviewer (agents), approver (a lead).
pub struct Cast {
    pub author: Person,
    pub owner: Person,
    pub reviewer: Person,
    pub approver: Person,
}

pub async fn cast(desk: &Desk) -> Cast {
    let group = desk.default_group().await;
    Cast {
        author: desk.person("lead", None, false).await,
        owner: desk.agent_in(&[group]).await,
        reviewer: desk.agent_in(&[group]).await,
        approver: desk.person("lead", None, false).await,
    }
}

/// Creates an SOP as the cast's author; returns its id.
pub async fn create_sop(desk: &Desk, cast: &Cast, key: &str, content: Value, links: Value) -> i64 {
    desk.post(
        &cast.author,
        "/sops",
        json!({
            "key": key,
            "content": content,
            "change_summary": "First version",
            "owner_id": cast.owner.id,
            "reviewer_id": cast.reviewer.id,
            "approver_id": cast.approver.id,
            "reopen_threshold": 2,
            "window_days": 30,
            "links": links,
        }),
    )
    .await
    .expect(201)
    .body["id"]
        .as_i64()
        .unwrap()
}

pub async fn act(
    desk: &Desk,
    who: &Person,
    sop: i64,
    action: &str,
    body: Value,
) -> crate::harness::Answer {
    desk.post(who, &format!("/sops/{sop}/actions/{action}"), body)
        .await
}

/// Takes the latest version through submit, check, validate and approve.
pub async fn make_effective(desk: &Desk, cast: &Cast, sop: i64, author: &Person) {
    act(desk, author, sop, "submit", json!({}))
        .await
        .expect(200);
    act(desk, &cast.owner, sop, "check", json!({}))
        .await
        .expect(200);
    act(desk, &cast.reviewer, sop, "validate", json!({}))
        .await
        .expect(200);
    act(desk, &cast.approver, sop, "approve", json!({}))
        .await
        .expect(200);
}

async fn category(desk: &Desk, name: &str, parent: Option<i64>) -> i64 {
    desk.post(
        &desk.admin,
        "/categories",
        json!({"name": name, "parent_id": parent}),
    )
    .await
    .expect(201)
    .body["id"]
        .as_i64()
        .unwrap()
}

async fn state(desk: &Desk, sop: i64) -> String {
    state_of(
        &desk
            .get(&desk.admin, &format!("/sops/{sop}"))
            .await
            .expect(200)
            .body,
        1,
    )
}

fn state_of(sop: &Value, version: i64) -> String {
    sop["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["version"] == version)
        .unwrap()["state"]
        .as_str()
        .unwrap()
        .to_owned()
}

both_backends! {
    /// A fresh desk has the eight seed SOPs, as drafts owned by the first admin; SOPs are
    /// internal, so customers cannot list them.
    async fn seed_sops_arrive_as_drafts_and_stay_internal(desk: Desk) {
        let sops = desk.get(&desk.admin, "/sops").await.expect(200).body;
        let keys: Vec<&str> = sops.as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
        for key in [
            "incident-logging", "priority-triage", "password-reset", "access-request", "escalation",
            "major-incident-communication", "ticket-closure", "knowledge-update",
        ] {
            assert!(keys.contains(&key), "{key} in {keys:?}");
        }
        assert_eq!(keys.len(), 8);
        for sop in sops.as_array().unwrap() {
            assert_eq!(sop["effective_version"], Value::Null, "imported as a draft: {sop}");
            assert_eq!(sop["owner_id"], desk.admin.id);
        }
        let reset = sops.as_array().unwrap().iter().find(|s| s["key"] == "password-reset").unwrap();
        let version = desk.get(&desk.admin, &format!("/sops/{}/versions/1", reset["id"])).await.expect(200).body;
        assert_eq!(version["state"], "draft");
        assert!(version["content"]["checks"].as_array().unwrap().len() >= 4);
        // Importing again changes nothing.
        let again = desk.post(&desk.admin, "/sops/import", json!({})).await.expect(200).body;
        assert_eq!(again["created"].as_array().unwrap().len(), 0);
        assert_eq!(again["skipped"].as_array().unwrap().len(), 8);
        // Only admins import; customers see no SOPs at all; agents read them.
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        desk.post(&agent, "/sops/import", json!({})).await.problem(403, "forbidden");
        desk.get(&agent, "/sops").await.expect(200);
        let customer = desk.person("customer", None, false).await;
        desk.get(&customer, "/sops").await.problem(404, "not_found");
        desk.get(&customer, &format!("/sops/{}", reset["id"])).await.problem(404, "not_found");
    }

    /// The shipped SOPs name their categories ("Access", "Access › Password"), which a fresh
    /// desk does not have yet: their links wait by name and are made when an admin creates
    /// those categories, so once approved they apply to matching tickets.
    async fn seeded_sops_link_to_categories_made_later_and_apply(desk: Desk) {
        let sops = desk.get(&desk.admin, "/sops").await.expect(200).body;
        let id_of = |key: &str| sops.as_array().unwrap().iter().find(|s| s["key"] == key).unwrap()["id"].as_i64().unwrap();
        let (reset, access_request) = (id_of("password-reset"), id_of("access-request"));
        let links = |sop: Value| sop["links"].as_array().unwrap().clone();
        assert!(links(desk.get(&desk.admin, &format!("/sops/{reset}")).await.expect(200).body).is_empty());
        // Document control first (it does not drop the links still waiting).
        let cast = cast(&desk).await;
        let settings = json!({"owner_id": desk.admin.id, "reviewer_id": cast.reviewer.id, "approver_id": cast.approver.id});
        desk.send(reqwest::Method::PUT, &format!("/sops/{reset}/settings"), Some(&desk.admin.token), &[],
            Some(("application/json", settings.to_string().into_bytes()))).await.expect(200);

        let access = category(&desk, "Access", None).await;
        let linked = links(desk.get(&desk.admin, &format!("/sops/{access_request}")).await.expect(200).body);
        assert_eq!(linked.len(), 1, "{linked:?}");
        assert_eq!((linked[0]["kind"].as_str(), linked[0]["category_id"].as_i64()), (Some("service_request"), Some(access)));
        // The subcategory link waits for its subcategory.
        assert!(links(desk.get(&desk.admin, &format!("/sops/{reset}")).await.expect(200).body).is_empty());
        let password = category(&desk, "Password", Some(access)).await;
        let linked = links(desk.get(&desk.admin, &format!("/sops/{reset}")).await.expect(200).body);
        assert_eq!(linked.len(), 1, "{linked:?}");
        assert_eq!((linked[0]["category_id"].as_i64(), linked[0]["subcategory_id"].as_i64()), (Some(access), Some(password)));
        // Made once: another category changes nothing.
        category(&desk, "Hardware", None).await;
        assert_eq!(links(desk.get(&desk.admin, &format!("/sops/{reset}")).await.expect(200).body).len(), 1);

        // Approved, the shipped procedure applies to a matching request.
        act(&desk, &desk.admin, reset, "submit", json!({})).await.expect(200);
        act(&desk, &desk.admin, reset, "check", json!({})).await.expect(200);
        act(&desk, &cast.reviewer, reset, "validate", json!({})).await.expect(200);
        act(&desk, &cast.approver, reset, "approve", json!({})).await.expect(200);
        let customer = desk.person("customer", None, false).await;
        let ticket = desk.post(&customer, "/tickets", json!({
            "kind": "service_request", "title": "Forgot my password", "description": "Locked out.",
            "impact": "low", "urgency": "medium", "category_id": password,
        })).await.expect(201).body["id"].as_i64().unwrap();
        let seen = desk.get(&cast.owner, &format!("/tickets/{ticket}")).await.expect(200).body;
        assert_eq!((seen["sop"]["id"].as_i64(), seen["sop"]["version"].as_i64()), (Some(reset), Some(1)), "{seen}");
    }

    /// Each governance step succeeds only for the person it belongs to; every refusal leaves
    /// the version where it was; who did each step, and when, is recorded.
    async fn each_governance_step_belongs_to_one_role(desk: Desk) {
        let cast = cast(&desk).await;
        let outsider = desk.agent_in(&[desk.default_group().await]).await;
        let customer = desk.person("customer", None, false).await;
        let sop = create_sop(&desk, &cast, "reset", reset_content("Password reset"), json!([{"kind": "service_request"}])).await;

        // Submit: an author or the owner; not the reviewer, an outsider or a customer.
        act(&desk, &cast.reviewer, sop, "submit", json!({})).await.problem(403, "forbidden");
        act(&desk, &outsider, sop, "submit", json!({})).await.problem(403, "forbidden");
        act(&desk, &customer, sop, "submit", json!({})).await.problem(404, "not_found");
        // Steps out of order are refused with what the state allows.
        act(&desk, &cast.approver, sop, "approve", json!({})).await.problem(409, "conflict");
        assert_eq!(state(&desk, sop).await, "draft");
        act(&desk, &cast.author, sop, "submit", json!({})).await.expect(200);
        assert_eq!(state(&desk, sop).await, "submitted");

        // Check: the owner only.
        for wrong in [&cast.author, &cast.reviewer, &cast.approver, &outsider] {
            act(&desk, wrong, sop, "check", json!({})).await.problem(403, "forbidden");
        }
        act(&desk, &cast.owner, sop, "check", json!({})).await.expect(200);
        assert_eq!(state(&desk, sop).await, "checked");

        // Validate: the reviewer only.
        for wrong in [&cast.author, &cast.owner, &cast.approver, &outsider] {
            act(&desk, wrong, sop, "validate", json!({})).await.problem(403, "forbidden");
        }
        act(&desk, &cast.reviewer, sop, "validate", json!({})).await.expect(200);
        assert_eq!(state(&desk, sop).await, "validated");

        // Approve: the approver only; then it is effective and the review is scheduled.
        for wrong in [&cast.author, &cast.owner, &cast.reviewer, &outsider] {
            act(&desk, wrong, sop, "approve", json!({})).await.problem(403, "forbidden");
        }
        assert_eq!(state(&desk, sop).await, "validated");
        let approved = act(&desk, &cast.approver, sop, "approve", json!({})).await.expect(200).body;
        assert_eq!(approved["effective_version"], 1);
        assert_eq!(state_of(&approved, 1), "effective");
        assert!(approved["next_review_at"].is_string(), "{approved}");

        // The log names each step's person.
        let log: Vec<(String, i64)> = approved["log"].as_array().unwrap().iter()
            .map(|l| (l["action"].as_str().unwrap().to_owned(), l["actor_id"].as_i64().unwrap()))
            .collect();
        assert_eq!(log, vec![
            ("created".to_owned(), cast.author.id),
            ("submit".to_owned(), cast.author.id),
            ("check".to_owned(), cast.owner.id),
            ("validate".to_owned(), cast.reviewer.id),
            ("approve".to_owned(), cast.approver.id),
        ]);
        assert!(approved["log"].as_array().unwrap().iter().all(|l| l["at"].is_string()));

        // Retire: the owner or the approver, not the reviewer.
        act(&desk, &cast.reviewer, sop, "retire", json!({})).await.problem(403, "forbidden");
        let retired = act(&desk, &cast.owner, sop, "retire", json!({})).await.expect(200).body;
        assert_eq!(retired["effective_version"], Value::Null);
        assert_eq!(state_of(&retired, 1), "retired");
        act(&desk, &cast.owner, sop, "retire", json!({})).await.problem(409, "conflict");
    }

    /// Sending back needs the person at the current stage and a comment; the comment is logged.
    /// An author can never validate or approve their own version.
    async fn separation_of_duties_and_sending_back(desk: Desk) {
        let cast = cast(&desk).await;
        let sop = create_sop(&desk, &cast, "reset", reset_content("Password reset"), json!([])).await;
        act(&desk, &cast.author, sop, "submit", json!({})).await.expect(200);
        act(&desk, &cast.reviewer, sop, "return", json!({"comment": "not mine"})).await.problem(403, "forbidden");
        act(&desk, &cast.owner, sop, "return", json!({})).await.problem(422, "validation_failed");
        let back = act(&desk, &cast.owner, sop, "return", json!({"comment": "Name the fallback path."})).await.expect(200).body;
        assert_eq!(state_of(&back, 1), "draft");
        let last = back["log"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["action"].as_str(), last["comment"].as_str()), (Some("return"), Some("Name the fallback path.")));

        // The reviewer revises the draft in place (same version) and so becomes an author of it:
        // they can no longer validate it.
        desk.post(&cast.reviewer, &format!("/sops/{sop}/versions"), json!({
            "content": reset_content("Password reset with fallback"), "change_summary": "Fallback path named", "version": 1,
        })).await.expect(201);
        let view = desk.get(&cast.owner, &format!("/sops/{sop}")).await.expect(200).body;
        assert_eq!(view["latest_version"], 1, "a draft is revised in place");
        assert_eq!(view["title"], "Password reset with fallback");
        act(&desk, &cast.owner, sop, "submit", json!({})).await.expect(200);
        act(&desk, &cast.owner, sop, "check", json!({})).await.expect(200);
        act(&desk, &cast.reviewer, sop, "validate", json!({})).await.problem(403, "forbidden");
        // A version in review cannot be edited.
        desk.post(&cast.owner, &format!("/sops/{sop}/versions"), json!({
            "content": reset_content("Changed in review"), "change_summary": "x", "version": 1,
        })).await.problem(409, "conflict");

        // Document control refuses an approver who is not a lead and one who is the reviewer.
        let settings = |approver: i64| json!({
            "owner_id": cast.owner.id, "reviewer_id": cast.reviewer.id, "approver_id": approver,
        });
        desk.send(reqwest::Method::PUT, &format!("/sops/{sop}/settings"), Some(&cast.owner.token), &[],
            Some(("application/json", settings(cast.owner.id).to_string().into_bytes()))).await.problem(422, "validation_failed");
        desk.send(reqwest::Method::PUT, &format!("/sops/{sop}/settings"), Some(&cast.owner.token), &[],
            Some(("application/json", settings(cast.reviewer.id).to_string().into_bytes()))).await.problem(422, "validation_failed");
        // A lead author cannot approve their own version either.
        let own = create_sop(&desk, &Cast {
            author: cast.approver.clone(), owner: cast.owner.clone(), reviewer: cast.reviewer.clone(), approver: cast.approver.clone(),
        }, "own", reset_content("Own"), json!([])).await;
        act(&desk, &cast.approver, own, "submit", json!({})).await.expect(200);
        act(&desk, &cast.owner, own, "check", json!({})).await.expect(200);
        act(&desk, &cast.reviewer, own, "validate", json!({})).await.expect(200);
        act(&desk, &cast.approver, own, "approve", json!({})).await.problem(403, "forbidden");
        // An SOP without a reviewer cannot be submitted.
        let bare = desk.post(&cast.author, "/sops", json!({
            "key": "bare", "content": reset_content("Bare"), "change_summary": "First", "owner_id": cast.owner.id,
        })).await.expect(201).body["id"].as_i64().unwrap();
        act(&desk, &cast.owner, bare, "submit", json!({})).await.problem(422, "validation_failed");
        // Agents cannot create SOPs; bad content is a 422 naming the field.
        desk.post(&cast.owner, "/sops", json!({
            "key": "x", "content": reset_content("X"), "change_summary": "F", "owner_id": cast.owner.id,
        })).await.problem(403, "forbidden");
        let mut two_steps = reset_content("Bad");
        two_steps["steps"][1]["text"] = json!("Reset the password. Then tell the manager.");
        let bad = desk.post(&cast.author, "/sops", json!({
            "key": "bad", "content": two_steps, "change_summary": "F", "owner_id": cast.owner.id,
        })).await.problem(422, "validation_failed");
        assert_eq!(bad.body["errors"][0]["field"], "steps");
    }

    /// A new version goes through the same governance; approving it supersedes the previous
    /// effective version and tells every member of staff.
    async fn approving_a_new_version_supersedes_the_old_and_tells_the_desk(desk: Desk) {
        let cast = cast(&desk).await;
        let bystander = desk.agent_in(&[desk.default_group().await]).await;
        let sop = create_sop(&desk, &cast, "reset", reset_content("Password reset"), json!([])).await;
        make_effective(&desk, &cast, sop, &cast.author).await;
        desk.post(&cast.owner, &format!("/sops/{sop}/versions"), json!({
            "content": reset_content("Password reset v2"), "change_summary": "Manager confirmation added", "version": 1,
        })).await.expect(201);
        let mid = desk.get(&cast.owner, &format!("/sops/{sop}")).await.expect(200).body;
        assert_eq!((mid["effective_version"].as_i64(), mid["latest_version"].as_i64()), (Some(1), Some(2)));
        assert_eq!(state_of(&mid, 1), "effective", "version 1 stays in force while 2 is reviewed");
        make_effective(&desk, &cast, sop, &cast.owner).await;
        let after = desk.get(&cast.owner, &format!("/sops/{sop}")).await.expect(200).body;
        assert_eq!(after["effective_version"], 2);
        assert_eq!(state_of(&after, 1), "superseded");
        assert_eq!(state_of(&after, 2), "effective");
        let notes = desk.get(&bystander, "/me/notifications").await.expect(200).body;
        let texts: Vec<String> = notes.as_array().or_else(|| notes["items"].as_array()).unwrap().iter()
            .map(|n| n["message"].as_str().unwrap().to_owned()).collect();
        assert!(texts.iter().any(|t| t.contains("version 2 is now effective") && t.contains("Manager confirmation added")), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("version 1 is now effective")), "{texts:?}");
    }

    /// Resolve is refused, naming every missing check, until the checklist and the ticket's
    /// fields satisfy them; the ticket records the SOP version it was handled under, and keeps
    /// it when a newer version becomes effective.
    async fn quality_checks_are_enforced_before_resolve_and_close(desk: Desk) {
        let cast = cast(&desk).await;
        let access = category(&desk, "Access", None).await;
        let password = category(&desk, "Password", Some(access)).await;
        let service = desk.post(&desk.admin, "/services", json!({"name": "Directory", "description": "Sign-in"})).await.expect(201).body["id"].as_i64().unwrap();
        let sop = create_sop(&desk, &cast, "reset", reset_content("Password reset"),
            json!([{"kind": "service_request", "category_id": access, "subcategory_id": password}])).await;
        make_effective(&desk, &cast, sop, &cast.author).await;
        let customer = desk.person("customer", None, false).await;
        let agent = &cast.owner;
        let ticket = desk.post(&customer, "/tickets", json!({
            "kind": "service_request", "title": "Forgot my password", "description": "Locked out since Monday.",
            "impact": "low", "urgency": "high", "category_id": password,
        })).await.expect(201).body;
        let id = ticket["id"].as_i64().unwrap();
        // The customer's view has no SOP; the agent's shows version 1, not yet bound.
        assert_eq!(ticket["sop"], Value::Null);
        let seen = desk.get(agent, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!((seen["sop"]["id"].as_i64(), seen["sop"]["version"].as_i64(), seen["sop"]["bound"].as_bool()), (Some(sop), Some(1), Some(false)));
        desk.act(agent, id, "start", json!({})).await.expect(200);

        // Resolve is refused with each missing check named.
        let refused = desk.act(agent, id, "resolve", json!({"code": "solved", "notes": "Reset done."})).await.problem(409, "quality_checks_missing");
        let missing: Vec<&str> = refused.body["missing_checks"].as_array().unwrap().iter().map(|m| m["key"].as_str().unwrap()).collect();
        assert_eq!(missing, vec!["verification", "service", "confirmed"]);
        assert!(refused.body["detail"].as_str().unwrap().contains("The verification method is recorded"));
        assert_eq!(desk.get(agent, &format!("/tickets/{id}")).await.body["status"], "in_progress");

        // Ticking binds the ticket to version 1 and records the change in its history.
        let ticked = desk.post(agent, &format!("/tickets/{id}/checklist"), json!({"step": "verify", "answer": "Call-back"})).await.expect(200).body;
        assert_eq!((ticked["sop"]["version"].as_i64(), ticked["sop"]["bound"].as_bool()), (Some(1), Some(true)));
        let verify = &ticked["sop"]["steps"][0];
        assert_eq!((verify["done"].as_bool(), verify["answer"].as_str()), (Some(true), Some("Call-back")));
        // Bad answers and unknown steps are clear 422s.
        desk.post(agent, &format!("/tickets/{id}/checklist"), json!({"step": "verify", "answer": "Guessed"})).await.problem(422, "validation_failed");
        desk.post(agent, &format!("/tickets/{id}/checklist"), json!({"step": "nope", "done": true})).await.problem(422, "validation_failed");
        desk.post(&customer, &format!("/tickets/{id}/checklist"), json!({"step": "reset", "done": true})).await.problem(403, "forbidden");
        // An answer that is not accepted by the check keeps it missing.
        desk.post(agent, &format!("/tickets/{id}/checklist"), json!({"step": "confirm", "answer": "Could not reach"})).await.expect(200);
        let refused = desk.act(agent, id, "resolve", json!({"code": "solved", "notes": "Reset done."})).await.problem(409, "quality_checks_missing");
        let missing: Vec<&str> = refused.body["missing_checks"].as_array().unwrap().iter().map(|m| m["key"].as_str().unwrap()).collect();
        assert_eq!(missing, vec!["service", "confirmed"]);

        // A newer version becomes effective meanwhile: the ticket stays on version 1.
        desk.post(&cast.owner, &format!("/sops/{sop}/versions"), json!({
            "content": reset_content("Password reset v2"), "change_summary": "Stricter", "version": 1,
        })).await.expect(201);
        make_effective(&desk, &cast, sop, &cast.owner).await;
        let seen = desk.get(agent, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!((seen["sop"]["version"].as_i64(), seen["sop"]["newer_effective_version"].as_i64()), (Some(1), Some(2)));

        // Satisfied: resolve is allowed, and close too.
        desk.post(agent, &format!("/tickets/{id}/checklist"), json!({"step": "confirm", "answer": "Confirmed working"})).await.expect(200);
        let version = desk.get(agent, &format!("/tickets/{id}")).await.body["version"].as_i64().unwrap();
        desk.patch(agent, &format!("/tickets/{id}"), json!({"version": version, "service_id": service})).await.expect(200);
        let resolved = desk.act(agent, id, "resolve", json!({"code": "solved", "notes": "Reset done."})).await.expect(200).body;
        assert_eq!(resolved["status"], "resolved");
        assert_eq!(resolved["sop"]["checks"].as_array().unwrap().iter().filter(|c| c["met"] == true).count(), 3);
        // Unticking after resolution makes close refuse, for the customer too; ticking again allows it.
        desk.post(agent, &format!("/tickets/{id}/checklist"), json!({"step": "confirm", "answer": "Could not reach"})).await.expect(200);
        desk.act(&customer, id, "close", json!({})).await.problem(409, "quality_checks_missing");
        desk.post(agent, &format!("/tickets/{id}/checklist"), json!({"step": "confirm", "answer": "Confirmed working"})).await.expect(200);
        desk.act(&customer, id, "close", json!({})).await.expect(200);
        // The history has the binding and each checklist change, for staff only.
        let events = desk.get(agent, &format!("/tickets/{id}/events")).await.expect(200).body;
        let kinds: Vec<&str> = events.as_array().or_else(|| events["items"].as_array()).unwrap().iter().filter_map(|e| e["type"].as_str()).collect();
        assert!(kinds.contains(&"sop_applied") && kinds.contains(&"sop_answer") && kinds.contains(&"sop_step"), "{kinds:?}");
        let public = desk.get(&customer, &format!("/tickets/{id}/events")).await.expect(200).body;
        assert!(!public.to_string().contains("sop_"), "checklists are internal: {public}");

        // Control: a ticket no SOP applies to resolves without checks.
        let plain = desk.ticket(&customer, "incident", "Printer jam").await["id"].as_i64().unwrap();
        desk.act(agent, plain, "start", json!({})).await.expect(200);
        desk.act(agent, plain, "resolve", json!({"code": "solved", "notes": "Cleared."})).await.expect(200);
    }

    /// A resolve the lifecycle refuses leaves no trace: the SOP gate's checks pass, but the
    /// ticket is cancelled, so the resolve is refused — and the ticket is not bound, its history
    /// has no `sop_applied`, its version has not moved. The gate and the binding are part of the
    /// resolve's own transaction. A new ticket (issue #12: resolve from any open state) passes the
    /// same gate straight from new, is bound and resolved in one change.
    async fn a_refused_resolve_leaves_no_trace(desk: Desk) {
        let cast = cast(&desk).await;
        let mut content = reset_content("Field checks only");
        content["checks"] = json!([{"key": "impact", "text": "The impact is stated", "requires": {"kind": "field", "field": "impact"}}]);
        let sop = create_sop(&desk, &cast, "refused", content, json!([{"kind": "incident"}])).await;
        make_effective(&desk, &cast, sop, &cast.author).await;
        let customer = desk.person("customer", None, false).await;
        let id = desk.ticket(&customer, "incident", "Screen flickers").await["id"].as_i64().unwrap();
        let agent = &cast.owner;
        desk.act(&customer, id, "cancel", json!({"reason": "It stopped"})).await.expect(200);
        let before = desk.get(agent, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!((before["status"].as_str(), before["sop"]["bound"].as_bool()), (Some("cancelled"), Some(false)));
        desk.act(agent, id, "resolve", json!({"code": "solved", "notes": "x"})).await.problem(409, "invalid_transition");
        let after = desk.get(agent, &format!("/tickets/{id}")).await.expect(200).body;
        assert_eq!(after["version"], before["version"], "the version has not moved");
        assert_eq!(after["sop"]["bound"].as_bool(), Some(false), "the ticket is not bound");
        let events = desk.get(agent, &format!("/tickets/{id}/events")).await.expect(200).body;
        assert!(!events.to_string().contains("sop_applied"), "no binding in the history: {events}");
        // A new ticket: the same resolve passes the gate, binds the ticket and resolves it at once.
        let fresh = desk.ticket(&customer, "incident", "Screen flickers again").await["id"].as_i64().unwrap();
        let seen = desk.get(agent, &format!("/tickets/{fresh}")).await.expect(200).body;
        assert_eq!(seen["status"], "new");
        let version = seen["version"].as_i64().unwrap();
        let resolved = desk.act(agent, fresh, "resolve", json!({"code": "solved", "notes": "x"})).await.expect(200).body;
        assert_eq!((resolved["status"].as_str(), resolved["sop"]["bound"].as_bool(), resolved["version"].as_i64()), (Some("resolved"), Some(true), Some(version + 1)));
    }

    /// An unbound ticket whose SOP has only field checks resolves once they hold, and is bound
    /// at that resolution, so its outcomes count for the version.
    async fn resolution_binds_an_unused_checklist_and_outcomes_count_it(desk: Desk) {
        let cast = cast(&desk).await;
        let mut content = reset_content("Field checks only");
        content["checks"] = json!([{"key": "category", "text": "The category is recorded", "requires": {"kind": "field", "field": "category"}}]);
        let sop = create_sop(&desk, &cast, "fields", content, json!([{"kind": "incident"}])).await;
        make_effective(&desk, &cast, sop, &cast.author).await;
        let customer = desk.person("customer", None, false).await;
        let id = desk.ticket(&customer, "incident", "VPN drops").await["id"].as_i64().unwrap();
        let agent = &cast.owner;
        desk.act(agent, id, "start", json!({})).await.expect(200);
        desk.act(agent, id, "resolve", json!({"code": "solved", "notes": "x"})).await.problem(409, "quality_checks_missing");
        let network = category(&desk, "Network", None).await;
        let version = desk.get(agent, &format!("/tickets/{id}")).await.body["version"].as_i64().unwrap();
        desk.patch(agent, &format!("/tickets/{id}"), json!({"version": version, "category_id": network})).await.expect(200);
        // If-Match with the version the client saw still works across the binding.
        let version = desk.get(agent, &format!("/tickets/{id}")).await.body["version"].as_i64().unwrap();
        let resolved = desk.send(reqwest::Method::POST, &format!("/tickets/{id}/actions/resolve"), Some(&agent.token),
            &[("If-Match", &format!("\"{version}\""))],
            Some(("application/json", json!({"code": "solved", "notes": "Reconnected."}).to_string().into_bytes()))).await.expect(200).body;
        assert_eq!((resolved["sop"]["bound"].as_bool(), resolved["sop"]["version"].as_i64()), (Some(true), Some(1)));
        let report = desk.get(&cast.owner, &format!("/reports/sop-outcomes?sop_id={sop}")).await.expect(200).body;
        let row = &report[0];
        assert_eq!((row["version"].as_i64(), row["ticket_ids"].as_array().map(Vec::len)), (Some(1), Some(1)));
        assert_eq!(row["outcomes"]["resolved"], 1);
        assert_eq!(row["outcomes"]["first_contact_resolution"]["count"], 1);
        assert_eq!(row["outcomes"]["reopen_rate"]["count"], 0);
        desk.get(&customer, "/reports/sop-outcomes").await.problem(404, "not_found");
    }

    /// Reopenings among tickets handled under an SOP cross its threshold: exactly one review is
    /// opened per crossing, even when several scanners run at once and repeatedly, with the
    /// triggering tickets linked and the owner told once. The next crossing opens the next one.
    async fn an_early_review_opens_exactly_once_per_crossing(desk: Desk) {
        let cast = cast(&desk).await;
        let mut content = reset_content("Reopen watched");
        content["checks"] = json!([]);
        let sop = create_sop(&desk, &cast, "watched", content, json!([{"kind": "incident"}])).await;
        make_effective(&desk, &cast, sop, &cast.author).await;
        let customer = desk.person("customer", None, false).await;
        let agent = &cast.reviewer;
        let mut tickets = Vec::new();
        for title in ["Wi-Fi drops", "Wi-Fi slow", "Wi-Fi gone"] {
            let id = desk.ticket(&customer, "incident", title).await["id"].as_i64().unwrap();
            desk.act(agent, id, "start", json!({})).await.expect(200);
            desk.act(agent, id, "resolve", json!({"code": "solved", "notes": "Reset the router."})).await.expect(200);
            tickets.push(id);
        }
        let reopen = |id: i64| desk.act(&customer, id, "reopen", json!({"reason": "Still broken"}));
        reopen(tickets[0]).await.expect(200);
        // One reopening is below the threshold of two.
        assert_eq!(desk.app.scan_sop_reviews("scanner-a", 50).await.unwrap(), 0);
        reopen(tickets[1]).await.expect(200);
        let (a, b) = tokio::join!(desk.app.scan_sop_reviews("scanner-a", 50), desk.app.scan_sop_reviews("scanner-b", 50));
        let (c, d) = tokio::join!(desk.app.scan_sop_reviews("scanner-c", 50), desk.app.scan_sop_reviews("scanner-a", 50));
        assert_eq!(a.unwrap() + b.unwrap() + c.unwrap() + d.unwrap(), 1, "one review for one crossing");
        let view = desk.get(&cast.owner, &format!("/sops/{sop}")).await.expect(200).body;
        let reviews = view["reviews"].as_array().unwrap();
        assert_eq!(reviews.len(), 1, "{reviews:?}");
        assert_eq!(reviews[0]["cause"], "reopenings");
        let mut linked: Vec<i64> = reviews[0]["ticket_ids"].as_array().unwrap().iter().map(|t| t.as_i64().unwrap()).collect();
        linked.sort_unstable();
        assert_eq!(linked, vec![tickets[0], tickets[1]]);
        let listing = desk.get(&cast.owner, "/sop-reviews").await.expect(200).body;
        assert_eq!(listing["open"].as_array().unwrap().iter().filter(|r| r["sop_id"] == sop).count(), 1);
        let notes = desk.get(&cast.owner, "/me/notifications").await.expect(200).body;
        let early = notes.as_array().or_else(|| notes["items"].as_array()).unwrap().iter()
            .filter(|n| n["message"].as_str().unwrap().contains("needs an early review")).count();
        assert_eq!(early, 1);
        // A third reopening alone is not a new crossing; two more are.
        reopen(tickets[2]).await.expect(200);
        assert_eq!(desk.app.scan_sop_reviews("scanner-a", 50).await.unwrap(), 0);
        desk.act(agent, tickets[0], "resolve", json!({"code": "solved", "notes": "Replaced the router."})).await.expect(200);
        reopen(tickets[0]).await.expect(200);
        assert_eq!(desk.app.scan_sop_reviews("scanner-b", 50).await.unwrap(), 1);
        assert_eq!(desk.get(&cast.owner, &format!("/sops/{sop}")).await.body["reviews"].as_array().unwrap().len(), 2);
        // The owner records the review: open reviews close and the next is scheduled.
        desk.post(&cast.reviewer, &format!("/sops/{sop}/reviews"), json!({"note": "x"})).await.problem(403, "forbidden");
        let done = desk.post(&cast.owner, &format!("/sops/{sop}/reviews"), json!({"note": "Router step clarified in the KB."})).await.expect(200).body;
        assert!(done["reviews"].as_array().unwrap().iter().all(|r| r["open"] == false));
        // Outcomes: three tickets, all reopened once at least.
        let report = desk.get(&cast.owner, &format!("/reports/sop-outcomes?sop_id={sop}")).await.expect(200).body;
        assert_eq!(report[0]["outcomes"]["tickets"], 3);
        assert_eq!(report[0]["outcomes"]["reopen_rate"]["count"], 3);
    }

    /// A scheduled review opens two weeks ahead of its date, once, and tells the owner and the
    /// approver; one found overdue is opened and announced once; the next scan adds nothing.
    async fn scheduled_reviews_open_once_and_tell_the_owner(desk: Desk) {
        let cast = cast(&desk).await;
        let soon = create_sop(&desk, &cast, "soon", reset_content("Due soon"), json!([])).await;
        let late = create_sop(&desk, &cast, "late", reset_content("Overdue"), json!([])).await;
        for id in [soon, late] {
            make_effective(&desk, &cast, id, &cast.author).await;
        }
        // Move the dates as if months had passed since approval.
        let now = desk.app.now();
        for (id, days) in [(soon, 3), (late, -2)] {
            desk.app
                .store()
                .update_sop::<spoc_store::StoreError, _>(spoc_domain::TenantId::FIRST, spoc_domain::SopId::new(id), |_, _, _| {
                    Ok((
                        spoc_store::SopWrite {
                            next_review_at: Some(Some(now.plus_micros(days * spoc_domain::sop::DAY_MICROS))),
                            ..spoc_store::SopWrite::default()
                        },
                        None,
                        now,
                    ))
                })
                .await
                .unwrap();
        }
        let notes = |who: &Person| {
            let (desk, who) = (&desk, who.clone());
            async move {
                let all = desk.get(&who, "/me/notifications").await.expect(200).body;
                all.as_array().unwrap().iter().map(|n| n["message"].as_str().unwrap().to_owned())
                    .filter(|m| m.contains("scheduled review")).collect::<Vec<_>>()
            }
        };
        assert_eq!(desk.app.scan_sop_reviews("a", 50).await.unwrap(), 2);
        assert_eq!(desk.app.scan_sop_reviews("b", 50).await.unwrap(), 0, "nothing twice");
        let owner = notes(&cast.owner).await;
        assert_eq!(owner.len(), 2, "{owner:?}");
        assert!(owner.iter().any(|m| m.contains("“Due soon” is due within two weeks")), "{owner:?}");
        assert!(owner.iter().any(|m| m.contains("“Overdue” is due and overdue")), "{owner:?}");
        assert_eq!(notes(&cast.approver).await.len(), 2);
        assert!(notes(&cast.reviewer).await.is_empty());
        let listing = desk.get(&cast.owner, "/sop-reviews").await.expect(200).body;
        let scheduled: Vec<&str> = listing["scheduled"].as_array().unwrap().iter().map(|s| s["due"].as_str().unwrap()).collect();
        assert_eq!(scheduled, vec!["overdue", "upcoming"]);
        assert_eq!(listing["open"].as_array().unwrap().iter().filter(|r| r["cause"] == "scheduled").count(), 2);
        // Recording the review closes it and schedules the next one months ahead.
        let done = desk.post(&cast.owner, &format!("/sops/{late}/reviews"), json!({"note": "Still accurate."})).await.expect(200).body;
        assert!(done["reviews"].as_array().unwrap().iter().all(|r| r["open"] == false));
        let listing = desk.get(&cast.owner, "/sop-reviews").await.expect(200).body;
        assert_eq!(listing["scheduled"].as_array().unwrap().len(), 1);
    }

    /// Bad input gets a clear 4xx problem naming what is wrong, never a 500.
    async fn bad_input_is_refused_clearly(desk: Desk) {
        let cast = cast(&desk).await;
        let sop = create_sop(&desk, &cast, "reset", reset_content("Reset"), json!([{"kind": "incident"}])).await;
        desk.post(&cast.author, "/sops", json!({"key": "x", "content": "not an object", "change_summary": "F", "owner_id": cast.owner.id}))
            .await.problem(422, "validation_failed");
        desk.post(&cast.author, "/sops", json!({"key": "Bad Key", "content": reset_content("X"), "change_summary": "F", "owner_id": cast.owner.id}))
            .await.problem(422, "validation_failed");
        desk.post(&cast.author, "/sops", json!({"key": "reset", "content": reset_content("X"), "change_summary": "F", "owner_id": cast.owner.id}))
            .await.problem(409, "duplicate");
        desk.post(&cast.author, "/sops", json!({"key": "ghost", "content": reset_content("X"), "change_summary": "F", "owner_id": 999_999}))
            .await.problem(422, "validation_failed");
        desk.post(&cast.author, "/sops", json!({"key": "links", "content": reset_content("X"), "change_summary": "F", "owner_id": cast.owner.id,
            "links": [{"subcategory_id": 1}]})).await.problem(422, "validation_failed");
        desk.post(&cast.author, "/sops", json!({"key": "kinds", "content": reset_content("X"), "change_summary": "F", "owner_id": cast.owner.id,
            "links": [{"kind": "problem"}]})).await.problem(422, "validation_failed");
        desk.post(&cast.author, "/sops", json!({"key": "window", "content": reset_content("X"), "change_summary": "F", "owner_id": cast.owner.id,
            "window_days": 0})).await.problem(422, "validation_failed");
        let missing = desk.send(reqwest::Method::PUT, "/sops/999999/settings", Some(&cast.author.token), &[],
            Some(("application/json", json!({"owner_id": cast.owner.id}).to_string().into_bytes()))).await.problem(404, "not_found");
        assert_eq!(missing.body["detail"], "SOP not found");
        act(&desk, &cast.author, sop, "publish", json!({})).await.problem(404, "not_found");
        act(&desk, &cast.author, sop, "submit", json!({"comment": 5})).await.problem(422, "invalid_body");
        desk.get(&cast.author, &format!("/sops/{sop}/versions/9")).await.problem(404, "not_found");
        let customer = desk.person("customer", None, false).await;
        let ticket = desk.ticket(&customer, "incident", "Checklist input").await["id"].as_i64().unwrap();
        desk.post(&cast.owner, &format!("/tickets/{ticket}/checklist"), json!({"step": "reset"})).await.problem(422, "validation_failed");
        desk.post(&cast.owner, &format!("/tickets/{ticket}/checklist"), json!({"step": "reset", "done": true, "answer": "x"})).await.problem(422, "validation_failed");
        // No SOP is effective yet, so there is no checklist to change.
        desk.post(&cast.owner, &format!("/tickets/{ticket}/checklist"), json!({"step": "reset", "done": true})).await.problem(422, "validation_failed");
        desk.post(&cast.owner, "/tickets/999999/checklist", json!({"step": "reset", "done": true})).await.problem(404, "not_found");
        desk.get(&cast.owner, "/articles?limit=0").await.problem(400, "invalid_query");
        desk.get(&cast.owner, "/articles?status=secret").await.problem(400, "invalid_query");
        desk.get(&cast.owner, "/articles/1/diff?from=a&to=b").await.problem(400, "invalid_query");
        desk.get(&cast.owner, "/portal/suggestions").await.problem(400, "invalid_query");
        desk.get(&cast.owner, "/reports/sop-outcomes?sop_id=999999").await.problem(404, "not_found");
    }

    /// SLA breaches among the tickets handled under an SOP open one early review when they
    /// reach its threshold. The breaches are written exactly as the SLA timer worker writes them
    /// (an `sla` breach event in the ticket's own transaction).
    async fn sla_breaches_call_for_an_early_review(desk: Desk) {
        let cast = cast(&desk).await;
        let mut content = reset_content("Breach watched");
        content["checks"] = json!([]);
        let sop = create_sop(&desk, &cast, "breach-watched", content, json!([{"kind": "incident"}])).await;
        desk.send(reqwest::Method::PUT, &format!("/sops/{sop}/settings"), Some(&cast.owner.token), &[],
            Some(("application/json", json!({
                "owner_id": cast.owner.id, "reviewer_id": cast.reviewer.id, "approver_id": cast.approver.id,
                "breach_threshold": 2, "window_days": 7, "links": [{"kind": "incident"}],
            }).to_string().into_bytes()))).await.expect(200);
        make_effective(&desk, &cast, sop, &cast.author).await;
        let customer = desk.person("customer", None, false).await;
        let mut tickets = Vec::new();
        for title in ["Printer offline", "Printer jams", "Printer slow"] {
            let id = desk.ticket(&customer, "incident", title).await["id"].as_i64().unwrap();
            desk.act(&cast.reviewer, id, "start", json!({})).await.expect(200);
            desk.act(&cast.reviewer, id, "resolve", json!({"code": "solved", "notes": "Restarted the spooler."})).await.expect(200);
            tickets.push(id);
        }
        let breach = |id: i64| {
            let store = desk.app.store().clone();
            let now = desk.app.now();
            async move {
                store
                    .update_ticket::<spoc_store::StoreError, _>(spoc_domain::TicketId::new(id), spoc_domain::TenantId::FIRST.into(), None, |ticket, _| Ok(Some(crate::harness::breach_change(ticket, now))))
                    .await
                    .unwrap();
            }
        };
        breach(tickets[0]).await;
        assert_eq!(desk.app.scan_sop_reviews("a", 50).await.unwrap(), 0, "one breach is below two");
        breach(tickets[2]).await;
        let (a, b) = tokio::join!(desk.app.scan_sop_reviews("a", 50), desk.app.scan_sop_reviews("b", 50));
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        let reviews = desk.get(&cast.owner, &format!("/sops/{sop}")).await.expect(200).body["reviews"].clone();
        let reviews = reviews.as_array().unwrap();
        assert_eq!(reviews.len(), 1);
        assert_eq!(reviews[0]["cause"], "sla_breaches");
        assert_eq!(reviews[0]["ticket_ids"], json!([tickets[0], tickets[2]]));
        // The report counts the breached resolution targets for the version.
        let report = desk.get(&cast.owner, &format!("/reports/sop-outcomes?sop_id={sop}")).await.expect(200).body;
        assert_eq!(report[0]["outcomes"]["sla_resolution"]["of"], 3);
        assert_eq!(report[0]["outcomes"]["sla_resolution"]["count"], 1);
    }
}
