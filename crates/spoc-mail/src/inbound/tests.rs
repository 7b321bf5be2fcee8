//! Unit tests of the inbound parser on small hand-written messages; the realistic corpus is in
//! `tests/corpus`.

use super::*;

fn parse_str(raw: &str) -> Inbound {
    parse(raw.as_bytes(), &Limits::default()).unwrap()
}

#[test]
fn non_messages_are_refused_with_a_sentence() {
    let limits = Limits::default();
    assert_eq!(parse(b"", &limits), Err(ParseError::Empty));
    assert_eq!(parse(b" \r\n\t", &limits), Err(ParseError::Empty));
    assert_eq!(parse(b"hello world", &limits), Err(ParseError::NoHeaders));
    assert_eq!(
        parse(b"\x00\x01\x02\xff", &limits),
        Err(ParseError::NoHeaders)
    );
    assert_eq!(
        parse(b"hello world\r\n\r\nbody", &limits),
        Err(ParseError::NoHeaders)
    );
    let small = Limits {
        max_message_bytes: 10,
        ..Limits::default()
    };
    let err = parse(b"Subject: a long message\r\n\r\nbody", &small).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The message is 31 bytes, more than the limit of 10 bytes."
    );
    assert_eq!(
        ParseError::NoHeaders.to_string(),
        "The data has no mail header fields, so it is not a message."
    );
}

#[test]
fn ids_are_normalised() {
    let inbound = parse_str(
        "Message-ID:  <abc@example.com> \r\nIn-Reply-To: <p1@x> (comment) <p2@x>\r\n\
         References: <r1@x>\r\n\t<r2@x> <r1@x>\r\nFrom: a@b.c\r\n\r\nbody",
    );
    assert_eq!(inbound.message_id.as_deref(), Some("abc@example.com"));
    assert_eq!(inbound.in_reply_to, vec!["p1@x", "p2@x"]);
    assert_eq!(inbound.references, vec!["r1@x", "r2@x"]);
}

#[test]
fn return_path_distinguishes_null_from_absent() {
    assert_eq!(
        parse_str("From: a@b.c\r\n\r\nx").return_path,
        ReturnPath::Absent
    );
    let null = parse_str("Return-Path: <>\r\nFrom: a@b.c\r\n\r\nx");
    assert_eq!(null.return_path, ReturnPath::Null);
    assert!(null.automation.is_bounce());
    let address = parse_str("Return-Path: <Bounce@Example.com>\r\nFrom: a@b.c\r\n\r\nx");
    assert_eq!(
        address.return_path,
        ReturnPath::Address(Address::parse("bounce@example.com").unwrap())
    );
}

#[test]
fn headers_only_message_has_placeholder_text() {
    let inbound = parse_str("From: a@b.c\r\nSubject: nothing\r\n");
    assert_eq!(inbound.text, NO_READABLE_TEXT);
    assert_eq!(inbound.html, None);
    assert_eq!(inbound.subject, "nothing");
}

#[test]
fn mbox_separator_is_skipped() {
    let inbound = parse_str(
        "From alice@example.com Mon Jan  1 00:00:00 2024\nFrom: Alice <alice@example.com>\nSubject: hi\n\nHello",
    );
    assert_eq!(inbound.from.unwrap().email(), "alice@example.com");
    assert_eq!(inbound.text, "Hello");
}

#[test]
fn auto_submitted_no_is_a_person() {
    let inbound = parse_str("From: a@b.c\r\nAuto-Submitted: no\r\n\r\nx");
    assert!(!inbound.automation.should_not_auto_reply());
    let inbound = parse_str("From: a@b.c\r\nAuto-Submitted: auto-replied (vacation)\r\n\r\nx");
    assert!(inbound.automation.is_auto_submitted());
    assert_eq!(
        inbound.automation.reasons().collect::<Vec<_>>(),
        vec!["The message says it was sent automatically (Auto-Submitted: auto-replied)."]
    );
}

/// A multipart/mixed message with `n` base64 attachments of `size` bytes each.
fn with_attachments(n: usize, size: usize) -> String {
    let mut raw = String::from(
        "From: a@b.c\r\nSubject: files\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nSee the files.\r\n",
    );
    let body = "QUJD".repeat(size / 3);
    for i in 0..n {
        raw.push_str(&format!(
            "--b\r\nContent-Type: application/octet-stream; name=\"f{i}.bin\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{body}\r\n"
        ));
    }
    raw.push_str("--b--\r\n");
    raw
}

#[test]
fn the_total_attachment_limit_refuses_the_file_that_crosses_it() {
    let limits = Limits {
        max_total_attachment_bytes: 250,
        ..Limits::default()
    };
    let inbound = parse(with_attachments(3, 99).as_bytes(), &limits).unwrap();
    let kept: Vec<&str> = inbound
        .attachments
        .iter()
        .map(|a| a.filename.as_str())
        .collect();
    assert_eq!(kept, ["f0.bin", "f1.bin"]);
    assert_eq!(inbound.rejected.len(), 1);
    assert_eq!(inbound.rejected[0].filename, "f2.bin");
    assert_eq!(inbound.rejected[0].size, 99);
    assert_eq!(
        inbound.rejected[0].reason,
        "With the files before it, this file would take the message past the limit of \
         250 bytes for all attachments."
    );
}

#[test]
fn refused_files_are_listed_up_to_a_cap() {
    let limits = Limits {
        max_attachments: 1,
        ..Limits::default()
    };
    let inbound = parse(with_attachments(60, 3).as_bytes(), &limits).unwrap();
    assert_eq!(inbound.attachments.len(), 1);
    assert_eq!(inbound.rejected.len(), MAX_REJECTED_LISTED);
    assert_eq!(
        inbound.warnings,
        ["9 more attachments were refused and are not listed one by one."]
    );
}

#[test]
fn long_text_is_cut_with_a_note() {
    let limits = Limits {
        max_text_bytes: 20,
        ..Limits::default()
    };
    let raw = format!("From: a@b.c\r\n\r\n{}", "word ".repeat(100));
    let inbound = parse(raw.as_bytes(), &limits).unwrap();
    assert!(inbound.text.starts_with("word word word word "));
    assert!(inbound.text.ends_with(TEXT_CUT_MARKER));
    assert_eq!(
        inbound.warnings,
        ["The text was longer than 20 bytes and was cut."]
    );
}

#[test]
fn inline_images_can_be_pointed_at_attachment_urls() {
    let raw = "From: a@b.c\r\nContent-Type: multipart/related; boundary=r\r\n\r\n\
        --r\r\nContent-Type: text/html\r\n\r\n<p>Look: <img src=\"cid:shot@x\" alt=\"shot\"></p>\r\n\
        --r\r\nContent-Type: image/png\r\nContent-ID: <shot@x>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\
        --r--\r\n";
    let inbound = parse_str(raw);
    assert_eq!(inbound.text, "Look: [image: shot]");
    let image = &inbound.attachments[0];
    assert!(image.inline);
    assert_eq!(image.content_id.as_deref(), Some("shot@x"));
    assert_eq!(image.filename, "image.png");
    let html = crate::rewrite_cid_images(inbound.html.as_deref().unwrap(), |cid| {
        (cid == "shot@x").then(|| "/attachments/9".to_owned())
    });
    assert_eq!(
        html,
        "<p>Look: <img src=\"/attachments/9\" alt=\"shot\"></p>"
    );
}

#[test]
fn an_unreferenced_image_is_a_file() {
    let raw = "From: a@b.c\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n\
        --m\r\nContent-Type: text/plain\r\n\r\nPhoto attached.\r\n\
        --m\r\nContent-Type: image/jpeg; name=photo.jpg\r\nContent-ID: <p@x>\r\n\
        Content-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n\
        --m--\r\n";
    let inbound = parse_str(raw);
    assert!(!inbound.attachments[0].inline);
    assert_eq!(inbound.attachments[0].filename, "photo.jpg");
}

#[test]
fn crafted_content_types_become_octet_stream() {
    let raw = "From: a@b.c\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n\
        --m\r\nContent-Type: text/plain\r\n\r\nx\r\n\
        --m\r\nContent-Type: \"text/html<script>\"; name=a.txt\r\n\r\nx\r\n\
        --m--\r\n";
    let inbound = parse_str(raw);
    for attachment in &inbound.attachments {
        assert!(
            !attachment.content_type.contains('<'),
            "{}",
            attachment.content_type
        );
    }
}

/// Each usual sign of automated mail is recognised on its own, with its kind and a reason that
/// names it; ordinary mail from a person carries none.
#[test]
fn each_automation_signal_is_recognised_alone() {
    let report = |report_type: &str| {
        format!(
            "Content-Type: multipart/report{report_type}; boundary=\"r\"\r\n\r\n--r\r\n\
             Content-Type: text/plain\r\n\r\nA report.\r\n--r--\r\n"
        )
    };
    let cases: Vec<(String, String, AutomationKind, &str)> = vec![
        (
            "a@b.c".into(),
            "Auto-Submitted: auto-replied\r\n".into(),
            AutomationKind::AutoSubmitted,
            "Auto-Submitted: auto-replied",
        ),
        (
            "a@b.c".into(),
            "Auto-Submitted: auto-generated\r\n".into(),
            AutomationKind::AutoSubmitted,
            "Auto-Submitted: auto-generated",
        ),
        (
            "a@b.c".into(),
            "Precedence: bulk\r\n".into(),
            AutomationKind::List,
            "Precedence: bulk",
        ),
        (
            "a@b.c".into(),
            "Precedence: list\r\n".into(),
            AutomationKind::List,
            "Precedence: list",
        ),
        (
            "a@b.c".into(),
            "Precedence: junk\r\n".into(),
            AutomationKind::List,
            "Precedence: junk",
        ),
        (
            "a@b.c".into(),
            "Precedence: auto_reply\r\n".into(),
            AutomationKind::AutoSubmitted,
            "Precedence: auto_reply",
        ),
        (
            "a@b.c".into(),
            "X-Auto-Response-Suppress: DR, RN, NRN\r\n".into(),
            AutomationKind::AutoSubmitted,
            "X-Auto-Response-Suppress: DR, RN, NRN",
        ),
        (
            "a@b.c".into(),
            "X-Auto-Response-Suppress: OOF\r\n".into(),
            AutomationKind::AutoSubmitted,
            "X-Auto-Response-Suppress: OOF",
        ),
        (
            "a@b.c".into(),
            "X-Autoreply: yes\r\n".into(),
            AutomationKind::AutoSubmitted,
            "X-Autoreply",
        ),
        (
            "a@b.c".into(),
            "X-Autorespond: vacation\r\n".into(),
            AutomationKind::AutoSubmitted,
            "X-Autorespond",
        ),
        (
            "a@b.c".into(),
            "List-Id: <team.lists.example.com>\r\n".into(),
            AutomationKind::List,
            "List-Id",
        ),
        (
            "a@b.c".into(),
            "List-Unsubscribe: <mailto:leave@example.com>\r\n".into(),
            AutomationKind::List,
            "List-Unsubscribe",
        ),
        (
            "a@b.c".into(),
            "Return-Path: <>\r\n".into(),
            AutomationKind::Bounce,
            "Return-Path: <>",
        ),
        (
            "MAILER-DAEMON@mx.example.org".into(),
            String::new(),
            AutomationKind::Bounce,
            "MAILER-DAEMON",
        ),
        (
            "Mail System <postmaster@example.org>".into(),
            String::new(),
            AutomationKind::Bounce,
            "postmaster",
        ),
        (
            "a@b.c".into(),
            report("; report-type=delivery-status"),
            AutomationKind::Bounce,
            "report-type=delivery-status",
        ),
        (
            "a@b.c".into(),
            report("; report-type=disposition-notification"),
            AutomationKind::AutoSubmitted,
            "read receipt",
        ),
        (
            "a@b.c".into(),
            report("; report-type=feedback-report"),
            AutomationKind::AutoSubmitted,
            "report-type=feedback-report",
        ),
        (
            "a@b.c".into(),
            report(""),
            AutomationKind::AutoSubmitted,
            "multipart/report",
        ),
    ];
    for (from, headers, kind, named) in cases {
        let mut raw = format!("From: {from}\r\nSubject: Re: Printer\r\n{headers}");
        if !headers.contains("Content-Type") {
            raw.push_str("\r\nHello.\r\n");
        }
        let automation = parse_str(&raw).automation;
        assert!(automation.should_not_auto_reply(), "not recognised: {raw}");
        assert_eq!(
            automation.signals().len(),
            1,
            "one signal for {raw}: {automation:?}"
        );
        let signal = &automation.signals()[0];
        assert_eq!(signal.kind, kind, "{raw}");
        assert!(
            signal.reason.to_lowercase().contains(&named.to_lowercase()),
            "{:?} names {named}",
            signal.reason
        );
    }
    for person in [
        "From: Ana <ana@example.com>\r\nSubject: Out of office?\r\n\r\nIs the desk out of office today?",
        "From: ana@example.com\r\nAuto-Submitted: no\r\nPrecedence: first-class\r\n\r\nHello.",
        "From: daemon-fan@example.com\r\nReturn-Path: <ana@example.com>\r\n\r\nHello.",
    ] {
        assert!(
            !parse_str(person).automation.should_not_auto_reply(),
            "a person's mail: {person}"
        );
    }
}

/// A message from `from` with these header fields on top.
fn with_auth(from: &str, headers: &str) -> Inbound {
    parse_str(&format!(
        "{headers}From: {from}\r\nSubject: hi\r\n\r\nHello."
    ))
}

#[test]
fn authentication_results_are_read_with_comments_and_versions() {
    let inbound = with_auth(
        "Ana <ana@example.com>",
        "Authentication-Results: mx.desk.test 1; (checked)\r\n\tspf=pass (sender IP is 192.0.2.1) smtp.mailfrom=bounces@example.com;\r\n\
         \tdkim/1 = pass header.d=example.com header.s=\"sel 1\"; dmarc=fail reason=\"p=reject; adkim=s\" header.from=example.com\r\n",
    );
    assert_eq!(inbound.authentication_results.len(), 1);
    let field = &inbound.authentication_results[0];
    assert_eq!(field.authserv_id, "mx.desk.test");
    let methods: Vec<(&str, &str)> = field
        .results
        .iter()
        .map(|r| (r.method.as_str(), r.result.as_str()))
        .collect();
    assert_eq!(
        methods,
        [("spf", "pass"), ("dkim", "pass"), ("dmarc", "fail")]
    );
    assert_eq!(
        field.results[0].property("smtp.mailfrom"),
        Some("bounces@example.com")
    );
    assert_eq!(field.results[1].property("header.s"), Some("sel 1"));
    assert_eq!(
        field.results[2].property("header.from"),
        Some("example.com")
    );
}

#[test]
fn only_a_trusted_server_can_authenticate_the_sender() {
    let trusted = vec!["MX.desk.test".to_owned()];
    let check =
        |from: &str, headers: &str| with_auth(from, headers).sender_authentication(&trusted);
    // Each proof on its own.
    for proof in [
        "dmarc=pass header.from=example.com",
        "dmarc=pass",
        "dkim=pass header.d=example.com",
        "dkim=pass header.d=Example.COM.",
        "spf=pass smtp.mailfrom=bounce@example.com",
        "spf=pass smtp.mailfrom=example.com",
    ] {
        let headers = format!("Authentication-Results: mx.desk.test; {proof}\r\n");
        assert!(check("ana@example.com", &headers).is_ok(), "{proof}");
    }
    // A parent domain's signature covers a subdomain sender, never the other way round.
    assert!(
        check(
            "ana@mail.example.com",
            "Authentication-Results: mx.desk.test; dkim=pass header.d=example.com\r\n"
        )
        .is_ok()
    );
    for not_proof in [
        "dkim=pass header.d=evil.example.com",
        "dkim=pass header.d=example.com.evil.test",
        "dkim=pass header.d=com",
        "dkim=pass header.d=attacker.test",
        "dkim=fail header.d=example.com",
        "spf=pass smtp.mailfrom=bounce@attacker.test",
        "spf=softfail smtp.mailfrom=example.com",
        "dmarc=pass header.from=attacker.test",
        "dmarc=none header.from=example.com",
        "none",
    ] {
        let headers = format!("Authentication-Results: mx.desk.test; {not_proof}\r\n");
        let err = check("ana@example.com", &headers).unwrap_err();
        assert!(
            err.contains("did not authenticate example.com"),
            "{not_proof}: {err}"
        );
    }
    // Results from a server that is not trusted never count.
    let err = check(
        "ana@example.com",
        "Authentication-Results: mx.attacker.test; dmarc=pass\r\n",
    )
    .unwrap_err();
    assert!(
        err.contains("no Authentication-Results from a trusted server"),
        "{err}"
    );
    // Nothing is trusted until the desk says so.
    let none = with_auth(
        "ana@example.com",
        "Authentication-Results: mx.desk.test; dmarc=pass\r\n",
    );
    assert!(
        none.sender_authentication(&[])
            .unwrap_err()
            .contains("not set")
    );
}

#[test]
fn only_the_topmost_results_of_the_trusted_server_count() {
    let trusted = vec!["mx.desk.test".to_owned()];
    // The server's own verdict on top; a forged pass further down (below a Received line the
    // server added) is ignored.
    let forged = with_auth(
        "agent@desk.test",
        "Authentication-Results: mx.desk.test; dkim=none; spf=fail smtp.mailfrom=attacker.test\r\n\
         Received: from attacker.test by mx.desk.test\r\n\
         Authentication-Results: mx.desk.test; dmarc=pass header.from=desk.test\r\n",
    );
    let err = forged.sender_authentication(&trusted).unwrap_err();
    assert!(err.contains("dkim=none, spf=fail"), "{err}");
    // Several checkers on the trusted server each add a field, one above the other; one from
    // another server in between is ignored.
    let stacked = with_auth(
        "agent@desk.test",
        "Authentication-Results: mx.desk.test; spf=fail smtp.mailfrom=desk.test\r\n\
         Authentication-Results: other.example; dmarc=pass\r\n\
         Authentication-Results: mx.desk.test; dkim=pass header.d=desk.test\r\n",
    );
    assert!(
        stacked
            .sender_authentication(&trusted)
            .unwrap()
            .contains("dkim=pass header.d=desk.test")
    );
    // A forged field from another server above the trusted one does not help either.
    let other_on_top = with_auth(
        "agent@desk.test",
        "Authentication-Results: relay.attacker.test; dmarc=pass\r\nReceived: by x\r\n\
         Authentication-Results: mx.desk.test; dmarc=fail header.from=desk.test\r\n",
    );
    assert!(other_on_top.sender_authentication(&trusted).is_err());
}

#[test]
fn a_bounce_names_the_message_it_returns() {
    let headers_only = parse_str(
        "From: MAILER-DAEMON@mx.example.org\r\nReturn-Path: <>\r\nSubject: Undelivered\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n\
         --b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n\
         Final-Recipient: rfc822; gone@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n\
         --b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: desk@spoc.test\r\nMessage-ID:\r\n <n.42@spoc.test>\r\nSubject: [INC-000042]\r\n\r\n\
         --b--\r\n",
    );
    assert!(headers_only.automation.is_bounce());
    assert_eq!(headers_only.returned_message_ids, ["n.42@spoc.test"]);
    let whole = parse_str(
        "From: postmaster@example.org\r\nSubject: Returned mail\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n\
         --b\r\nContent-Type: message/rfc822\r\n\r\nFrom: desk@spoc.test\r\nMessage-ID: <n.43@spoc.test>\r\nSubject: hi\r\n\r\nBody.\r\n\
         --b--\r\n",
    );
    assert_eq!(whole.returned_message_ids, ["n.43@spoc.test"]);
    assert!(
        parse_str("From: a@b.c\r\n\r\nx")
            .returned_message_ids
            .is_empty()
    );
}

#[test]
fn delivered_to_and_original_recipients_are_read_once_each() {
    let inbound = parse_str(
        "Delivered-To: help@provider.example\r\nX-Original-To: <Support@Client-A.example>\r\n\
         Delivered-To: help@provider.example\r\nDelivered-To: not an address\r\n\
         From: ana@example.com\r\nTo: Someone <someone@example.com>\r\nSubject: hi\r\n\r\nHello.",
    );
    let delivered: Vec<&str> = inbound.delivered_to.iter().map(Address::email).collect();
    assert_eq!(
        delivered,
        ["help@provider.example", "support@client-a.example"]
    );
    assert!(
        parse_str("From: a@b.example\r\nSubject: x\r\n\r\ny")
            .delivered_to
            .is_empty()
    );
}
