//! Issue #12, lane "tickets", over the API on both backends: merging a duplicate into a
//! surviving ticket (history, requester and mail threading follow the survivor; the duplicate
//! points to it), related-ticket links both ways with unlink, and what a requester's e-mail
//! reply does to a finished ticket (reopen within the window, a linked follow-up after close,
//! nothing from automated mail).

use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{Desk, Person};
use crate::mail::{comments, customer, deliver, mail};

const DAY: i64 = 24 * 3600 * 1_000_000;

async fn by_mail(
    desk: &Desk,
    from: &str,
    subject: &str,
    message_id: &str,
    headers: &[&str],
    body: &str,
) -> Value {
    deliver(desk, mail(from, subject, message_id, headers, body))
        .await
        .expect(201)
        .body
}

async fn ticket(desk: &Desk, who: &Person, id: i64) -> Value {
    desk.get(who, &format!("/tickets/{id}"))
        .await
        .expect(200)
        .body
}

async fn links(desk: &Desk, who: &Person, id: i64) -> Vec<(String, i64)> {
    desk.get(who, &format!("/tickets/{id}/links"))
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["relation"].as_str().unwrap().to_owned(),
                l["id"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn event_types(desk: &Desk, who: &Person, id: i64) -> Vec<String> {
    desk.get(who, &format!("/tickets/{id}/events"))
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap_or_default().to_owned())
        .collect()
}

both_backends! {
    async fn a_merged_ticket_points_to_the_survivor_and_its_mail_lands_there(desk: Desk) {
        let group = desk.default_group().await;
        let agent = desk.agent_in(&[group]).await;
        let (requester, address) = customer(&desk).await;
        let first = by_mail(&desk, &address, "Printer jams", "<jam.1@example.org>", &[], "Tray 2 jams.").await;
        let second = by_mail(&desk, &address, "Printer still jams", "<jam.2@example.org>", &[], "It jams again, same printer.").await;
        let (a, b) = (first["ticket_id"].as_i64().unwrap(), second["ticket_id"].as_i64().unwrap());
        let a_number = ticket(&desk, &agent, a).await["number"].as_str().unwrap().to_owned();

        // Refusals first: nothing changes.
        desk.post(&requester, &format!("/tickets/{b}/merge"), json!({"into": a})).await.problem(403, "forbidden");
        desk.post(&agent, &format!("/tickets/{b}/merge"), json!({"into": b})).await.problem(422, "validation_failed");
        desk.post(&agent, &format!("/tickets/{b}/merge"), json!({"into": "INC-999999"})).await.problem(422, "validation_failed");
        desk.post(&agent, &format!("/tickets/{b}/merge"), json!({"into": "printer"})).await.problem(422, "validation_failed");
        assert_eq!(ticket(&desk, &agent, b).await["status"], "new");

        let survivor = desk.post(&agent, &format!("/tickets/{b}/merge"), json!({"into": a_number})).await.expect(200).body;
        assert_eq!(survivor["id"], a);
        let merged = ticket(&desk, &agent, b).await;
        assert_eq!(merged["status"], "closed");
        assert_eq!(merged["merged_into"]["id"], a);
        assert_eq!(merged["merged_into"]["number"], a_number.as_str());
        assert!(merged["sla"].as_array().unwrap().iter().all(|c| c["state"] != "running"), "its clocks stopped: {}", merged["sla"]);
        assert_eq!(ticket(&desk, &requester, b).await["merged_into"]["id"], a, "the requester is pointed to the survivor");
        assert!(event_types(&desk, &agent, b).await.contains(&"merged_into".to_owned()));
        assert!(event_types(&desk, &requester, b).await.contains(&"merged_into".to_owned()), "the requester sees where it went");
        assert!(event_types(&desk, &agent, a).await.contains(&"merged_from".to_owned()));
        assert!(!event_types(&desk, &requester, a).await.contains(&"merged_from".to_owned()), "a staff-only record");
        assert_eq!(links(&desk, &agent, a).await, vec![("merged_from".to_owned(), b)]);
        assert_eq!(links(&desk, &agent, b).await, vec![("merged_into".to_owned(), a)]);

        // Not twice, not from a closed duplicate, and not into a chain.
        desk.post(&agent, &format!("/tickets/{b}/merge"), json!({"into": a})).await.problem(422, "validation_failed");
        let third = desk.ticket(&agent, "incident", "Another printer").await["id"].as_i64().unwrap();
        desk.post(&agent, &format!("/tickets/{a}/merge"), json!({"into": third})).await.problem(422, "validation_failed");
        desk.post(&agent, &format!("/tickets/{third}/merge"), json!({"into": b})).await.problem(422, "validation_failed");

        // A later e-mail reply to the duplicate's thread lands on the survivor.
        let reply = by_mail(&desk, &address, "Re: Printer still jams", "<jam.3@example.org>",
            &["In-Reply-To: <jam.2@example.org>", "References: <jam.2@example.org>"], "Now tray 1 jams too.").await;
        assert_eq!(reply["outcome"], "reply_added", "{reply}");
        assert_eq!(reply["ticket_id"], a, "{reply}");
        assert!(comments(&desk, a).await.iter().any(|c| c["body"].as_str().unwrap().contains("tray 1 jams too")));
        assert!(comments(&desk, b).await.is_empty());
    }

    async fn related_tickets_link_both_ways_and_unlink(desk: Desk) {
        let group = desk.default_group().await;
        let agent = desk.agent_in(&[group]).await;
        let customer = desk.person("customer", None, false).await;
        let stranger = desk.person("customer", None, false).await;
        let a = desk.ticket(&customer, "incident", "VPN drops").await["id"].as_i64().unwrap();
        let c = desk.ticket(&agent, "incident", "Firewall upgrade").await;
        let (c, c_number) = (c["id"].as_i64().unwrap(), c["number"].as_str().unwrap().to_owned());
        desk.post(&customer, &format!("/tickets/{a}/links"), json!({"ticket": c})).await.problem(403, "forbidden");
        desk.post(&agent, &format!("/tickets/{a}/links"), json!({"ticket": a})).await.problem(422, "validation_failed");
        desk.post(&agent, &format!("/tickets/{a}/links"), json!({"ticket": c, "kind": "follow_up"})).await.problem(422, "validation_failed");
        desk.post(&agent, &format!("/tickets/{a}/links"), json!({"ticket": c, "kind": "sibling"})).await.problem(422, "validation_failed");
        let made = desk.post(&agent, &format!("/tickets/{a}/links"), json!({"ticket": c_number})).await.expect(201).body;
        assert_eq!(made[0]["relation"], "relates_to");
        assert_eq!(made[0]["id"], c);
        assert_eq!(links(&desk, &agent, c).await, vec![("relates_to".to_owned(), a)], "shown from both ends");
        desk.post(&agent, &format!("/tickets/{c}/links"), json!({"ticket": a})).await.problem(422, "validation_failed");
        assert!(event_types(&desk, &agent, a).await.contains(&"linked".to_owned()));
        assert!(event_types(&desk, &agent, c).await.contains(&"linked".to_owned()));
        // The customer sees no link to a ticket that is not theirs; a stranger sees nothing.
        assert!(links(&desk, &customer, a).await.is_empty());
        assert!(!event_types(&desk, &customer, a).await.contains(&"linked".to_owned()));
        desk.get(&stranger, &format!("/tickets/{a}/links")).await.problem(404, "not_found");
        desk.delete(&agent, &format!("/tickets/{c}/links/{a}")).await.expect(204);
        assert!(links(&desk, &agent, a).await.is_empty());
        assert!(event_types(&desk, &agent, a).await.contains(&"unlinked".to_owned()));
        desk.delete(&agent, &format!("/tickets/{c}/links/{a}")).await.problem(422, "validation_failed");
        // A ticket named in the address that does not exist is not found.
        desk.delete(&agent, &format!("/tickets/{c}/links/999999")).await.problem(404, "not_found");
    }

    async fn mail_replies_reopen_resolved_tickets_and_follow_up_closed_ones(desk: Desk) {
        let group = desk.default_group().await;
        let agent = desk.agent_in(&[group]).await;
        let (requester, address) = customer(&desk).await;
        let (_, colleague) = customer(&desk).await;
        let logged = by_mail(&desk, &address, "Laptop will not boot", "<boot.1@example.org>", &[], "Black screen.").await;
        let id = logged["ticket_id"].as_i64().unwrap();
        let thread = ["In-Reply-To: <boot.1@example.org>", "References: <boot.1@example.org>"];
        // Resolved straight from new.
        desk.act(&agent, id, "resolve", json!({"code": "solved", "notes": "Reseated the memory."})).await.expect(200);

        // An out-of-office answer reopens nothing.
        let ooo = by_mail(&desk, &address, "Automatic reply: Laptop will not boot", "<boot.2@example.org>",
            &[thread[0], thread[1], "Auto-Submitted: auto-replied"], "I am away.").await;
        assert_ne!(ooo["outcome"], "reply_added", "{ooo}");
        assert_eq!(ticket(&desk, &agent, id).await["status"], "resolved");

        // Someone else's reply (not the requester) does not reopen it either.
        let other = by_mail(&desk, &colleague, "Re: Laptop will not boot", "<boot.3@example.org>", &thread, "Mine too.").await;
        assert_ne!(other["ticket_id"], id, "not a participant: {other}");
        assert_eq!(ticket(&desk, &agent, id).await["status"], "resolved");

        // The requester's reply within the window reopens it, counted.
        let reply = by_mail(&desk, &address, "Re: Laptop will not boot", "<boot.4@example.org>", &thread, "It is black again.").await;
        assert_eq!((reply["outcome"].as_str(), reply["ticket_id"].as_i64()), (Some("reply_added"), Some(id)), "{reply}");
        let t = ticket(&desk, &agent, id).await;
        assert!(["new", "in_progress"].contains(&t["status"].as_str().unwrap()), "{}", t["status"]);
        assert_eq!(t["reopen_count"], 1);

        // Past the window (resolved 15 days ago) a reply is added but does not reopen.
        desk.act(&agent, id, "resolve", json!({"code": "solved", "notes": "New memory module."})).await.expect(200);
        let resolved_at = ticket(&desk, &agent, id).await["resolved_at"].as_str().unwrap().to_owned();
        let micros = chrono_micros(&resolved_at) - 15 * DAY;
        desk.sql(&format!("UPDATE tickets SET resolved_at = {micros} WHERE id = {id}")).await.unwrap();
        let late = by_mail(&desk, &address, "Re: Laptop will not boot", "<boot.5@example.org>", &thread, "Thanks, all good now.").await;
        assert_eq!((late["outcome"].as_str(), late["ticket_id"].as_i64()), (Some("reply_added"), Some(id)), "{late}");
        let t = ticket(&desk, &agent, id).await;
        assert_eq!((t["status"].as_str(), t["reopen_count"].as_i64()), (Some("resolved"), Some(1)));

        // Closed: a reply opens a follow-up ticket linked to it, with the reply as its text, and
        // the requester is told the new number.
        desk.act(&requester, id, "close", json!({})).await.expect(200);
        let follow = by_mail(&desk, &address, "Re: Laptop will not boot", "<boot.6@example.org>", &thread, "Black screen once more.").await;
        assert_eq!(follow["outcome"], "ticket_created", "{follow}");
        let new_id = follow["ticket_id"].as_i64().unwrap();
        assert_ne!(new_id, id);
        let new_ticket = ticket(&desk, &requester, new_id).await;
        assert!(new_ticket["description"].as_str().unwrap().contains("Black screen once more"));
        assert_eq!(links(&desk, &agent, new_id).await, vec![("follow_up".to_owned(), id)]);
        assert_eq!(links(&desk, &agent, id).await, vec![("followed_up_by".to_owned(), new_id)]);
        assert_eq!(links(&desk, &requester, new_id).await, vec![("follow_up".to_owned(), id)], "the requester sees it too");
        assert_eq!(ticket(&desk, &agent, id).await["status"], "closed");
        let outbox = desk.get(&desk.admin, "/outbox?state=pending&limit=200").await.expect(200).body;
        let told = outbox.as_array().unwrap().iter().any(|m| m["topic"] == "mail.ticket_logged" && m["ticket_id"] == new_id);
        assert!(told, "the acknowledgement with the new number is queued: {outbox}");
    }
}

/// Microseconds since the epoch of an RFC 3339 time as the API writes it.
fn chrono_micros(text: &str) -> i64 {
    let ts: jiff::Timestamp = text.parse().unwrap();
    ts.as_microsecond()
}
