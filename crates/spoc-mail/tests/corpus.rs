//! Parser tests over the corpus in `tests/corpus`: every `NAME.eml` is parsed and compared with
//! `NAME.expected.json` (see `tests/corpus/README.md` for the format and how to add a case).
//!
//! Only the fields present in an expected file are compared, so a case states what matters
//! about it. A mismatch prints each differing field and the whole actual result.

// Test helpers fail loudly on a broken corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};
use spoc_mail::{Address, Inbound, Limits, ReturnPath, parse};

/// Keys that are instructions or checks rather than fields of the result.
const SPECIAL_KEYS: [&str; 6] = [
    "limits",
    "note",
    "text_contains",
    "html_contains",
    "html_excludes",
    "warnings_contain",
];

#[test]
fn corpus_messages_parse_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("the corpus directory exists")
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "eml"))
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 25,
        "the corpus has only {} messages",
        cases.len()
    );

    let bless = std::env::var_os("SPOC_MAIL_BLESS").is_some();
    let mut failures = Vec::new();
    for eml in &cases {
        let name = eml
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("?")
            .to_owned();
        let expected_path = eml.with_extension("expected.json");
        let raw = fs::read(eml).expect("a readable message");
        let expected: Option<Value> = fs::read_to_string(&expected_path)
            .ok()
            .map(|text| serde_json::from_str(&text).expect("valid JSON in the expected file"));
        let limits = expected
            .as_ref()
            .and_then(|e| e.get("limits"))
            .map(limits_from)
            .unwrap_or_default();
        let actual = match parse(&raw, &limits) {
            Ok(inbound) => project(&inbound),
            Err(error) => json!({ "error": error.to_string() }),
        };
        if bless {
            // Rewrite the expected file: the case's own instructions and checks stay, every
            // result field takes the actual value. Review the diff before committing.
            let mut snapshot = actual.as_object().cloned().unwrap_or_default();
            snapshot.remove("html_text");
            snapshot.remove("warning_texts");
            if let Some(Value::Object(old)) = &expected {
                for key in SPECIAL_KEYS {
                    if let Some(value) = old.get(key) {
                        snapshot.insert(key.to_owned(), value.clone());
                    }
                }
            }
            let text = serde_json::to_string_pretty(&Value::Object(snapshot))
                .expect("serialisable")
                + "\n";
            fs::write(&expected_path, text).expect("writable corpus directory");
            continue;
        }
        match expected {
            None => failures.push(format!(
                "{name}: no {name}.expected.json; the actual result is:\n{}",
                serde_json::to_string_pretty(&actual).unwrap_or_default()
            )),
            Some(expected) => {
                let problems = compare(&expected, &actual);
                if !problems.is_empty() {
                    failures.push(format!(
                        "{name}:\n{}\n  actual result:\n{}",
                        problems.join("\n"),
                        indent(&serde_json::to_string_pretty(&actual).unwrap_or_default())
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus messages differ from their expected results:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The result as JSON, with every field a case may check.
fn project(inbound: &Inbound) -> Value {
    let attachments: Vec<Value> = inbound
        .attachments
        .iter()
        .map(|a| {
            json!({
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.bytes.len(),
                "inline": a.inline,
                "content_id": a.content_id,
            })
        })
        .collect();
    let rejected: Vec<Value> = inbound
        .rejected
        .iter()
        .map(|r| json!({ "filename": r.filename, "size": r.size, "reason": r.reason }))
        .collect();
    json!({
        "message_id": inbound.message_id,
        "in_reply_to": inbound.in_reply_to,
        "references": inbound.references,
        "from": inbound.from.as_ref().map(Address::to_string),
        "reply_to": inbound.reply_to.iter().map(Address::to_string).collect::<Vec<_>>(),
        "to": inbound.to.iter().map(Address::to_string).collect::<Vec<_>>(),
        "cc": inbound.cc.iter().map(Address::to_string).collect::<Vec<_>>(),
        "sender": inbound.sender.as_ref().map(Address::to_string),
        "return_path": match &inbound.return_path {
            ReturnPath::Absent => "absent".to_owned(),
            ReturnPath::Null => "null".to_owned(),
            ReturnPath::Address(a) => a.email().to_owned(),
        },
        "subject": inbound.subject,
        "date": inbound.date,
        "text": inbound.text,
        "html": inbound.html.is_some(),
        "attachments": attachments,
        "rejected": rejected,
        "automation": {
            "auto_submitted": inbound.automation.is_auto_submitted(),
            "bounce": inbound.automation.is_bounce(),
            "list": inbound.automation.is_list(),
        },
        "warnings": inbound.warnings.len(),
        "warning_texts": inbound.warnings,
        "html_text": inbound.html.clone().unwrap_or_default(),
    })
}

/// The differences between an expected file and the actual result, one line each.
fn compare(expected: &Value, actual: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(expected) = expected.as_object() else {
        return vec!["  the expected file is not a JSON object".to_owned()];
    };
    let empty = Map::new();
    let actual = actual.as_object().unwrap_or(&empty);
    for (key, want) in expected {
        if SPECIAL_KEYS.contains(&key.as_str()) {
            continue;
        }
        let got = actual.get(key).unwrap_or(&Value::Null);
        if got != want {
            problems.push(format!(
                "  {key}:\n    expected {}\n    actual   {}",
                compact(want),
                compact(got)
            ));
        }
    }
    let text = actual.get("text").and_then(Value::as_str).unwrap_or("");
    let html = actual
        .get("html_text")
        .and_then(Value::as_str)
        .unwrap_or("");
    let warnings = actual
        .get("warning_texts")
        .map(|w| w.to_string())
        .unwrap_or_default();
    for (key, haystack, present) in [
        ("text_contains", text, true),
        ("html_contains", html, true),
        ("html_excludes", html, false),
        ("warnings_contain", warnings.as_str(), true),
    ] {
        for needle in expected
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if haystack.contains(needle) != present {
                problems.push(format!(
                    "  {key}: {} {needle:?}",
                    if present { "missing" } else { "present" }
                ));
            }
        }
    }
    problems
}

/// Limits from a case's `limits` object; missing keys keep their defaults.
fn limits_from(value: &Value) -> Limits {
    let mut limits = Limits::default();
    let numbers: BTreeMap<&str, usize> = value
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.as_str(), usize::try_from(v.as_u64()?).ok()?)))
        .collect();
    for (key, number) in numbers {
        match key {
            "max_message_bytes" => limits.max_message_bytes = number,
            "max_attachment_bytes" => limits.max_attachment_bytes = number,
            "max_attachments" => limits.max_attachments = number,
            "max_total_attachment_bytes" => limits.max_total_attachment_bytes = number,
            "max_html_bytes" => limits.max_html_bytes = number,
            "max_text_bytes" => limits.max_text_bytes = number,
            other => panic!("unknown limit {other:?} in an expected file"),
        }
    }
    limits
}

/// A value on one line, for the mismatch report.
fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Indents every line by four spaces.
fn indent(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let _ = writeln!(out, "    {line}");
    }
    out
}
