use super::*;

#[test]
fn only_whole_words_are_replaced() {
    assert_eq!(
        replace_words("Max met max. Maximum", "Max", "X").as_deref(),
        Some("X met X. Maximum")
    );
    assert_eq!(replace_words("Maximum", "Max", "X"), None);
    assert_eq!(
        replace_words("mail a@b.example!", "a@b.example", "e").as_deref(),
        Some("mail e!")
    );
}

#[test]
fn redaction_keeps_the_entry_readable() {
    let mut value = serde_json::json!({"type": "commented", "internal": false, "body": "secret"});
    assert!(redact_event(&mut value, true, false));
    assert_eq!(value["body"], ERASED_TEXT);
    let mut field =
        serde_json::json!({"type": "field_changed", "field": "title", "from": "a", "to": "b"});
    assert!(redact_event(&mut field, false, true));
    assert_eq!(field["to"], ERASED_TEXT);
    let mut other =
        serde_json::json!({"type": "field_changed", "field": "impact", "from": "a", "to": "b"});
    assert!(!redact_event(&mut other, true, true));
}
