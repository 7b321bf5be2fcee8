//! Mail with files and links, on both backends: attachments kept within limits and served
//! safely, unreadable mail quarantined without blocking the rest, strangers' replies held, and
//! the resolution links that let a mail-only requester confirm or reopen.

use serde_json::json;

use crate::both_backends;
use crate::harness::Desk;
use crate::mail::{comments, customer, deliver, inbound, mail, manual_mailbox, poll, relay};
use crate::mailservers::{Dovecot, SmtpSink};

/// A message with attachments: a picture, an HTML page, an SVG, and (when `oversized`) a file
/// past the 20 MiB limit.
fn with_attachments(from: &str, message_id: &str, oversized: bool) -> Vec<u8> {
    use base64_like::encode;
    let png: Vec<u8> = [b"\x89PNG\r\n\x1a\n".as_slice(), &[7u8; 64]].concat();
    let mut text = format!(
        "From: {from}\r\nTo: support@spoc.test\r\nSubject: Screenshots attached\r\nMessage-ID: {message_id}\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n\
         --m\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the attached files.\r\n\
         --m\r\nContent-Type: image/png; name=\"screen.png\"\r\nContent-Disposition: attachment; filename=\"screen.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
         --m\r\nContent-Type: text/html; name=\"page.html\"\r\nContent-Disposition: attachment; filename=\"page.html\"\r\n\r\n<script>alert(1)</script>\r\n\
         --m\r\nContent-Type: image/svg+xml; name=\"logo.svg\"\r\nContent-Disposition: attachment; filename=\"logo.svg\"\r\n\r\n<svg onload=\"alert(1)\"></svg>\r\n",
        encode(&png)
    );
    if oversized {
        let big = vec![b'z'; 21 * 1024 * 1024];
        text.push_str(&format!(
            "--m\r\nContent-Type: application/zip; name=\"dump.zip\"\r\nContent-Disposition: attachment; filename=\"dump.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
            encode(&big)
        ));
    }
    text.push_str("--m--\r\n");
    text.into_bytes()
}

/// Base64 for test messages, with 76-character lines.
mod base64_like {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len() * 4 / 3 + bytes.len() / 57 * 2 + 4);
        for (n, chunk) in bytes.chunks(3).enumerate() {
            if n > 0 && n % 19 == 0 {
                out.push_str("\r\n");
            }
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for k in 0..4 {
                if k <= chunk.len() {
                    out.push(ALPHABET[((v >> (18 - 6 * k)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}

both_backends! {
    /// Attachments are stored with the ticket and served safely: a known image inline, HTML and
    /// SVG only as downloads, all sandboxed; only people who may see the ticket get them. A file
    /// over the limit is not stored, and the sender is told which and why.
    async fn attachments_are_kept_limited_and_served_safely(desk: Desk) {
        let sink = SmtpSink::started();
        let (ivy, ivy_email) = customer(&desk).await;
        let result = deliver(&desk, with_attachments(&ivy_email, "<files.1@example.test>", true)).await.expect(201).body;
        let id = result["ticket_id"].as_i64().unwrap();
        let files = desk.get(&ivy, &format!("/tickets/{id}/attachments")).await.expect(200).body;
        let names: Vec<&str> = files.as_array().unwrap().iter().map(|f| f["filename"].as_str().unwrap()).collect();
        assert_eq!(names, ["screen.png", "page.html", "logo.svg"], "the oversized file is not stored: {files}");
        let get = |url: &str| {
            let url = url.to_owned();
            let who = ivy.clone();
            let desk = &desk;
            async move { desk.send(reqwest::Method::GET, &url, Some(&who.token), &[], None).await }
        };
        let png = get(files[0]["url"].as_str().unwrap()).await.expect(200);
        assert_eq!(png.content_type(), "image/png");
        assert!(png.headers["content-disposition"].to_str().unwrap().starts_with("inline"));
        for file in [&files[1], &files[2]] {
            let answer = get(file["url"].as_str().unwrap()).await.expect(200);
            assert_eq!(answer.content_type(), "application/octet-stream", "{file}");
            assert!(answer.headers["content-disposition"].to_str().unwrap().starts_with("attachment"), "{file}");
            assert!(answer.headers["content-security-policy"].to_str().unwrap().contains("sandbox"));
            assert_eq!(answer.headers["x-content-type-options"], "nosniff");
        }
        let (other, _) = customer(&desk).await;
        desk.get(&other, files[0]["url"].as_str().unwrap()).await.problem(404, "not_found");
        desk.get(&other, &format!("/tickets/{id}/attachments")).await.problem(404, "not_found");

        desk.app.deliver_mail(&relay(&sink), "test", 50).await.unwrap();
        let sent = sink.wait_for(2).await;
        let notice = sent.iter().find(|m| m.header("Subject").unwrap().contains("Attachments not accepted")).unwrap_or_else(|| panic!("{sent:?}"));
        assert_eq!(notice.recipients, [ivy_email]);
        assert!(notice.message.contains("dump.zip"), "{}", notice.message);
    }

    /// A message that cannot be read is quarantined with the reason and taken out of the inbox,
    /// and the messages after it are processed; an admin sees it, can download it and dismiss it.
    async fn unreadable_mail_is_quarantined_and_never_blocks_the_rest(desk: Desk) {
        let dovecot = Dovecot::start();
        let mailbox = manual_mailbox(&desk, &dovecot, Some("Processed")).await;
        let garbage = b"\x01\x02\x03 this is not a message and it has no header at all\r\n".to_vec();
        dovecot.deliver(&garbage);
        dovecot.deliver(&mail("jo@example.com", "Keyboard missing keys", "<keys.1@example.com>", &[], "F and J."));
        poll(&desk, &mailbox).await;
        assert_eq!(dovecot.count("INBOX"), 0);
        let held = desk.get(&desk.admin, "/inbound-messages?outcome=quarantined&unsettled=true").await.expect(200).body;
        assert_eq!(held.as_array().unwrap().len(), 1, "{held}");
        assert!(!held[0]["reason"].as_str().unwrap().is_empty());
        let log = inbound(&desk).await;
        assert!(log.iter().any(|m| m["outcome"] == "ticket_created"), "the next message went through: {log:?}");
        let qid = held[0]["id"].as_i64().unwrap();
        let raw = desk.get(&desk.admin, &format!("/inbound-messages/{qid}/raw")).await.expect(200);
        assert_eq!(raw.text.as_bytes(), &garbage[..]);
        assert!(raw.headers["content-disposition"].to_str().unwrap().starts_with("attachment"));
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        desk.get(&agent, "/inbound-messages").await.problem(403, "forbidden");
        desk.post(&desk.admin, &format!("/inbound-messages/{qid}/actions/retry"), json!({})).await.problem(403, "forbidden");
        desk.post(&desk.admin, &format!("/inbound-messages/{qid}/actions/dismiss"), json!({})).await.expect(200);
        let waiting = desk.get(&desk.admin, "/inbound-messages?outcome=quarantined&unsettled=true").await.expect(200).body;
        assert_eq!(waiting, json!([]));
    }

    /// A mailbox can hold replies from people who are not part of the ticket for review, and
    /// refuse unknown senders. A held reply released into its ticket becomes an internal note:
    /// the sender still has no access, and the requester never sees it.
    async fn strangers_replies_are_held_and_unknown_senders_refused(desk: Desk) {
        desk.post(&desk.admin, "/mailboxes", json!({
            "name": "careful", "address": "careful@spoc.test", "non_participants": "hold", "unknown_senders": "create",
        })).await.expect(201);
        desk.post(&desk.admin, "/mailboxes", json!({
            "name": "closed-shop", "address": "staff@spoc.test", "unknown_senders": "refuse",
        })).await.expect(201);
        let to = |mailbox: &str, raw: Vec<u8>| {
            let desk = &desk;
            let path = format!("/mail/inbound?mailbox={mailbox}");
            async move { desk.send(reqwest::Method::POST, &path, Some(&desk.admin.token), &[], Some(("message/rfc822", raw))).await }
        };
        let (kim, kim_email) = customer(&desk).await;
        let first = to("careful", mail(&kim_email, "Badge does not open door 4", "<badge.1@example.test>", &[], "Since the move.")).await.expect(201).body;
        let id = first["ticket_id"].as_i64().unwrap();
        let number = first["ticket_number"].as_str().unwrap().to_owned();
        let stranger = to("careful", mail("lee@elsewhere.test", &format!("Re: [{number}] Badge"), "<lee.2@elsewhere.test>", &[], "I am her manager, approve it.")).await.expect(201).body;
        assert_eq!(stranger["outcome"], "held", "{stranger}");
        assert!(stranger["ticket_id"].is_null());
        assert!(comments(&desk, id).await.is_empty());

        let hid = stranger["inbound_id"].as_i64().unwrap();
        let released = desk.post(&desk.admin, &format!("/inbound-messages/{hid}/actions/into_ticket"), json!({"ticket_id": id})).await.expect(200).body;
        assert_eq!(released["ticket_id"], id);
        let said = comments(&desk, id).await;
        assert_eq!(said.len(), 1);
        assert_eq!(said[0]["internal"], true);
        assert!(said[0]["body"].as_str().unwrap().contains("approve it"));
        let hers = desk.get(&kim, &format!("/tickets/{id}/comments")).await.expect(200).body;
        assert_eq!(hers, json!([]), "the requester never sees the note");
        desk.post(&desk.admin, &format!("/inbound-messages/{hid}/actions/into_ticket"), json!({"ticket_id": id})).await.problem(403, "forbidden");

        let refused = to("closed-shop", mail("nobody@unknown.test", "Let me in", "<in.3@unknown.test>", &[], "x")).await.expect(201).body;
        assert_eq!(refused["outcome"], "refused");
        assert!(refused["reason"].as_str().unwrap().contains("refuses unknown senders"));
        let users = desk.get(&desk.admin, "/users?q=nobody@unknown.test").await.expect(200).body;
        assert_eq!(users, json!([]), "no account was made");
        to("no-such-box", mail(&kim_email, "x", "<x.4@example.test>", &[], "x")).await.problem(404, "not_found");
        desk.send(reqwest::Method::POST, "/mail/inbound", Some(&kim.token), &[], Some(("message/rfc822", b"From: a@b.c\r\n\r\nx".to_vec()))).await.problem(403, "forbidden");
        desk.send(reqwest::Method::POST, "/mail/inbound", Some(&desk.admin.token), &[], Some(("text/plain", b"x".to_vec()))).await.problem(415, "unsupported_media_type");
    }
}

/// The links of a resolution notice in a message the sink received (read as a mail client
/// would: decoded).
fn links_in(message: &str) -> Vec<String> {
    let parsed = spoc_mail::parse(message.as_bytes(), &spoc_mail::Limits::default()).unwrap();
    let message = parsed.text.as_str();
    let mut links: Vec<String> = message
        .match_indices("http://desk.spoc.test/mail-actions/")
        .map(|(at, _)| {
            message[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "/:.-".contains(*c))
                .collect::<String>()
        })
        .collect();
    links.sort();
    links.dedup();
    links
}

both_backends! {
    /// Someone who writes by e-mail has no password; the resolution notice carries one-time
    /// links to confirm or reopen. Opening a link only asks; submitting acts, once, as the
    /// requester; a used, foreign or made-up link does nothing.
    async fn resolution_links_let_mail_only_requesters_confirm_or_reopen(desk: Desk) {
        let sink = SmtpSink::started();
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        let mut ids = Vec::new();
        for (n, subject) in ["Wi-Fi drops", "Mouse is dead"].iter().enumerate() {
            let got = deliver(&desk, mail("Nia <nia@example.com>", subject, &format!("<links.{n}@example.com>"), &[], "Please help.")).await.expect(201).body;
            let id = got["ticket_id"].as_i64().unwrap();
            desk.act(&agent, id, "assign", json!({"assignee_id": agent.id})).await.expect(200);
            desk.act(&agent, id, "start", json!({})).await.expect(200);
            desk.act(&agent, id, "resolve", json!({"code": "solved", "notes": "Fixed it."})).await.expect(200);
            ids.push(id);
        }
        desk.app.deliver_mail(&relay(&sink), "test", 50).await.unwrap();
        let sent = sink.wait_for(4).await;
        let resolved: Vec<_> = sent.iter().filter(|m| m.header("Subject").unwrap().contains("Resolved")).collect();
        assert_eq!(resolved.len(), 2, "{sent:?}");
        let http = reqwest::Client::new();
        let page = |url: &str| {
            let url = url.replace("http://desk.spoc.test", &desk.base);
            let http = http.clone();
            async move { http.get(url).send().await.unwrap() }
        };
        let post = |url: &str, form: Vec<(&'static str, &'static str)>| {
            let url = url.replace("http://desk.spoc.test", &desk.base);
            let http = http.clone();
            async move { http.post(url).form(&form).send().await.unwrap() }
        };
        let wifi = resolved.iter().find(|m| m.header("Subject").unwrap().contains("Wi-Fi")).unwrap();
        let links = links_in(&wifi.message);
        assert_eq!(links.len(), 2, "a confirm and a reopen link: {}", wifi.message);
        let (mut confirm, mut reopen) = (None, None);
        for link in &links {
            let text = page(link).await.text().await.unwrap();
            if text.contains("not fixed?") { reopen = Some(link.clone()) } else { confirm = Some(link.clone()) }
        }
        let confirm = confirm.unwrap();
        let reopen = reopen.unwrap();
        let shown = page(&confirm).await;
        assert_eq!(shown.status(), 200);
        assert!(shown.text().await.unwrap().contains("Wi-Fi drops"));
        let status = |id: i64| {
            let desk = &desk;
            async move { desk.get(&desk.admin, &format!("/tickets/{id}")).await.expect(200).body["status"].clone() }
        };
        assert_eq!(status(ids[0]).await, "resolved", "opening a link changes nothing");
        assert_eq!(post(&confirm, vec![]).await.status(), 200);
        assert_eq!(status(ids[0]).await, "closed");
        assert_eq!(post(&confirm, vec![]).await.status(), 410, "used once");
        assert_eq!(page(&reopen).await.status(), 410, "the ticket no longer waits for her");

        let mouse = resolved.iter().find(|m| m.header("Subject").unwrap().contains("Mouse")).unwrap();
        let reopen = links_in(&mouse.message).into_iter().find(|l| !l.is_empty()).unwrap();
        let mut reopen_link = None;
        for link in links_in(&mouse.message) {
            if page(&link).await.text().await.unwrap().contains("not fixed?") { reopen_link = Some(link) }
        }
        let reopen_link = reopen_link.unwrap_or(reopen);
        assert_eq!(post(&reopen_link, vec![("reason", "")]).await.status(), 422, "a reason is needed");
        assert_eq!(post(&reopen_link, vec![("reason", "The new one is dead too.")]).await.status(), 200);
        let t = desk.get(&desk.admin, &format!("/tickets/{}", ids[1])).await.expect(200).body;
        assert_eq!(t["reopen_count"], 1);
        assert_ne!(t["status"], "resolved");
        assert_eq!(page(&format!("{}/mail-actions/{}", desk.base, "0".repeat(32))).await.status(), 404);
        assert_eq!(page(&format!("{}/mail-actions/not-a-link", desk.base)).await.status(), 404);
    }
}
