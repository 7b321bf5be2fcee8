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
