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
