//! The table against the app's sources, and the matching of sentences with values.

use super::*;
use crate::i18n::{Reader, with_reader};

/// A token of Rust source, as far as finding the app's messages needs.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    /// A string literal, unescaped.
    Str(String),
    /// An identifier, keyword or number.
    Id(String),
    /// Any other character.
    P(char),
}

fn id(token: &Tok, name: &str) -> bool {
    matches!(token, Tok::Id(s) if s == name)
}

/// The tokens of `source`, comments left out.
fn tokenize(source: &str) -> Vec<Tok> {
    let c: Vec<char> = source.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            i += 2;
            while i < c.len() && !(c[i] == '*' && at(i + 1) == '/') {
                i += 1;
            }
            i += 2;
        } else if let Some(start) = raw_string_start(&c, i) {
            let hashes = start - i - 2 - usize::from(ch == 'b');
            let mut end = start;
            while !(c[end] == '"' && (1..=hashes).all(|h| at(end + h) == '#')) {
                end += 1;
            }
            tokens.push(Tok::Str(c[start..end].iter().collect()));
            i = end + 1 + hashes;
        } else if ch == '"' || (ch == 'b' && at(i + 1) == '"') {
            i += if ch == 'b' { 2 } else { 1 };
            let mut text = String::new();
            while c[i] != '"' {
                if c[i] == '\\' {
                    let escaped = c[i + 1];
                    i += 2;
                    match escaped {
                        '\n' => {
                            while c[i].is_whitespace() {
                                i += 1;
                            }
                        }
                        'n' => text.push('\n'),
                        't' => text.push('\t'),
                        'r' => text.push('\r'),
                        '0' => text.push('\0'),
                        'u' => {
                            let end = i + c[i..].iter().position(|&x| x == '}').unwrap();
                            let hex: String = c[i + 1..end].iter().collect();
                            text.extend(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()));
                            i = end + 1;
                        }
                        'x' => {
                            let hex: String = c[i..i + 2].iter().collect();
                            text.push(char::from(u8::from_str_radix(&hex, 16).unwrap()));
                            i += 2;
                        }
                        other => text.push(other),
                    }
                } else {
                    text.push(c[i]);
                    i += 1;
                }
            }
            tokens.push(Tok::Str(text));
            i += 1;
        } else if ch == '\'' {
            // A character literal, or the tick of a lifetime.
            if at(i + 1) == '\\' {
                i += 2 + c[i + 2..].iter().position(|&x| x == '\'').unwrap() + 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else if ch.is_alphanumeric() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            tokens.push(Tok::Id(c[start..i].iter().collect()));
        } else {
            tokens.push(Tok::P(ch));
            i += 1;
        }
    }
    tokens
}

/// Where the text of a raw string starting at `i` begins (`r"`, `r#"`, `br"`…).
fn raw_string_start(c: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if c.get(j) == Some(&'b') {
        j += 1;
    }
    if c.get(j) != Some(&'r') || (i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_')) {
        return None;
    }
    j += 1;
    while c.get(j) == Some(&'#') {
        j += 1;
    }
    (c.get(j) == Some(&'"')).then_some(j + 1)
}

/// The index of the bracket closing the one at `open`.
fn close(tokens: &[Tok], open: usize) -> usize {
    let mut depth = 0;
    for (j, token) in tokens.iter().enumerate().skip(open) {
        match token {
            Tok::P('(' | '[' | '{') => depth += 1,
            Tok::P(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// The end of the expression starting at `start`: the next `,` or closing bracket at its
/// own depth.
fn expression_end(tokens: &[Tok], start: usize) -> usize {
    let mut depth = 0;
    for (j, token) in tokens.iter().enumerate().skip(start) {
        match token {
            Tok::P('(' | '[' | '{') => depth += 1,
            Tok::P(')' | ']' | '}') if depth == 0 => return j,
            Tok::P(')' | ']' | '}') => depth -= 1,
            Tok::P(',') if depth == 0 => return j,
            _ => {}
        }
    }
    tokens.len()
}

/// A format string as an entry's English: each `{…}` becomes `{0}`, `{1}`… in order.
fn template(format: &str) -> String {
    let mut out = String::new();
    let mut next = 0;
    let mut rest = format;
    while let Some(ch) = rest.chars().next() {
        if let Some(tail) = rest.strip_prefix("{{") {
            out.push('{');
            rest = tail;
        } else if let Some(tail) = rest.strip_prefix("}}") {
            out.push('}');
            rest = tail;
        } else if ch == '{' {
            let end = rest.find('}').unwrap();
            out.push_str(&format!("{{{next}}}"));
            next += 1;
            rest = &rest[end + 1..];
        } else {
            out.push(ch);
            rest = &rest[ch.len_utf8()..];
        }
    }
    out
}

/// The messages an expression (`tokens[start..end]`) can be: its string literals and
/// `format!` strings (as templates), leaving out the arguments of calls.
fn messages(tokens: &[Tok], start: usize, end: usize) -> Vec<String> {
    let mut found = Vec::new();
    let mut j = start;
    while j < end {
        match &tokens[j] {
            Tok::Id(name) if name == "format" && tokens[j + 1] == Tok::P('!') => {
                if let Tok::Str(format) = &tokens[j + 3] {
                    found.push(template(format));
                }
                j = close(tokens, j + 2) + 1;
            }
            Tok::Str(text) => {
                found.push(text.clone());
                j += 1;
            }
            Tok::P('(') if matches!(&tokens[j - 1], Tok::Id(f) if !["Some", "Ok", "Err"].contains(&f.as_str())) =>
            {
                j = close(tokens, j) + 1;
            }
            _ => j += 1,
        }
    }
    found
}

/// The constructors whose argument is a sentence for people: the app's errors, and the
/// domain's refusals that become them.
const SENTENCES: &[&str] = &[
    "Forbidden",
    "Conflict",
    "Duplicate",
    "ReauthenticationRequired",
    "TokenScope",
    "Denied",
    "OutOfScope",
    "denied",
    "unusable",
];

/// The messages of one source file, and the fields its validation errors name.
fn scan(source: &str) -> (Vec<String>, Vec<String>) {
    let tokens = tokenize(source);
    let mut found = Vec::new();
    let mut fields = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Tok::Id(name) = token else { continue };
        let next = tokens.get(i + 1);
        if name == "ValidationError"
            && tokens.get(i + 1..i + 5)
                == Some(&[Tok::P(':'), Tok::P(':'), Tok::Id("new".into()), Tok::P('(')])
        {
            let open = i + 4;
            if let Tok::Str(field) = &tokens[open + 1] {
                fields.push(field.clone());
            }
            let first_end = expression_end(&tokens, open + 1);
            if tokens[first_end] == Tok::P(',') {
                let end = expression_end(&tokens, first_end + 1);
                found.extend(messages(&tokens, first_end + 1, end));
            }
        } else if SENTENCES.contains(&name.as_str()) && next == Some(&Tok::P('(')) {
            let end = close(&tokens, i + 1);
            found.extend(messages(&tokens, i + 2, end));
        } else if name == "error"
            && i > 0
            && tokens[i - 1] == Tok::P('[')
            && next == Some(&Tok::P('('))
        {
            if let Some(Tok::Str(format)) = tokens.get(i + 2) {
                found.push(template(format));
            }
        } else if (name == "RateLimited" || name == "Missing") && next == Some(&Tok::P('{')) {
            let end = close(&tokens, i + 1);
            for j in i + 2..end {
                if id(&tokens[j], "message") && tokens[j + 1] == Tok::P(':') {
                    let field_end = expression_end(&tokens, j + 2);
                    found.extend(messages(&tokens, j + 2, field_end));
                }
                if id(&tokens[j], "field") && tokens[j + 1] == Tok::P(':') {
                    if let Tok::Str(field) = &tokens[j + 2] {
                        fields.push(field.clone());
                    }
                }
            }
        }
    }
    // Not sentences: pure placeholders such as "{0}" or "{0}: {1}".
    found.retain(|m| {
        let mut letters = m.clone();
        for n in 0..10 {
            letters = letters.replace(&format!("{{{n}}}"), "");
        }
        letters.chars().any(char::is_alphabetic)
    });
    (found, fields)
}

fn rust_files(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Every message of the application and domain crates, with the file it is in, and the
/// fields their validation errors name.
fn app_messages() -> (Vec<(String, String)>, Vec<String>) {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["spoc-app/src", "spoc-domain/src"] {
        rust_files(&crates.join(dir), &mut files);
    }
    files.sort();
    let mut messages = Vec::new();
    let mut fields = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let (found, named) = scan(&source);
        let place = file
            .strip_prefix(&crates)
            .unwrap_or(&file)
            .display()
            .to_string();
        messages.extend(found.into_iter().map(|m| (m, place.clone())));
        fields.extend(named);
    }
    (messages, fields)
}

#[test]
fn the_scanner_finds_messages_as_the_app_writes_them() {
    let source = r##"
        // ValidationError::new("x", "a comment is not a message")
        Err(ValidationError::new("title", "must not be empty"))
        ValidationError::new(field, format!("there is no {what} {id:?}, {{sic}}"))
        AppError::Forbidden("only \"agents\" \
             can")
        #[error("a {} b {name}", x.y())]
        RateLimited { retry_after_secs, message: match w { A => format!("you {n}"), B => "me".to_owned() } }
        AppError::Duplicate(_) => x('a', '\'', r#"raw"#)
    "##;
    let (found, fields) = scan(source);
    assert_eq!(
        found,
        [
            "must not be empty",
            "there is no {0} {1}, {sic}",
            "only \"agents\" can",
            "a {0} b {1}",
            "you {0}",
            "me",
        ]
    );
    assert_eq!(fields, ["title"]);
}

#[test]
fn every_message_of_the_app_is_in_the_table() {
    let (messages, fields) = app_messages();
    let distinct: std::collections::HashSet<&str> =
        messages.iter().map(|(m, _)| m.as_str()).collect();
    eprintln!(
        "{} app messages found ({} distinct); AppText has {} entries",
        messages.len(),
        distinct.len(),
        AppText::ALL.len()
    );
    assert!(
        distinct.len() > 240,
        "only {} messages found",
        distinct.len()
    );
    assert!(
        messages.len() > 200,
        "only {} messages found",
        messages.len()
    );
    let known: std::collections::HashSet<&str> = AppText::ALL
        .iter()
        .map(|m| m.in_language(Language::En))
        .collect();
    let mut missing: Vec<String> = messages
        .iter()
        .filter(|(m, _)| !known.contains(m.as_str()))
        .map(|(m, file)| format!("{m:?} ({file})"))
        .collect();
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "{} app messages are not in AppText:\n{}",
        missing.len(),
        missing.join("\n")
    );
    let mut unnamed: Vec<&String> = fields
        .iter()
        .filter(|f| !INDEX.fields.contains_key(f.as_str()))
        .collect();
    unnamed.sort();
    unnamed.dedup();
    assert!(
        unnamed.is_empty(),
        "fields without a FieldName: {unnamed:?}"
    );
}

#[test]
fn every_template_matches_its_own_english_and_names_are_spaced() {
    assert_eq!(
        INDEX.exact.len() + INDEX.templates.len(),
        AppText::ALL.len(),
        "two entries of AppText have the same English"
    );
    assert_eq!(INDEX.values.len(), ValueWord::ALL.len());
    assert_eq!(INDEX.fields.len(), FieldName::ALL.len());
    for template in &INDEX.templates {
        let english = template.msg.in_language(Language::En);
        assert!(template.values(english).is_some(), "{english}");
    }
    for field in FieldName::ALL {
        assert!(!field.in_language(Language::En).contains('_'), "{field:?}");
    }
}

async fn german<T>(f: impl FnOnce() -> T) -> T {
    let reader = Reader {
        language: Language::De,
        ..Reader::default()
    };
    with_reader(reader, async { f() }).await
}

#[tokio::test]
async fn a_german_reader_reads_the_apps_sentences_in_german() {
    let said = german(|| {
        [
            text("must not be empty").into_owned(),
            text("Must not be empty.").into_owned(),
            text("there is no group Network").into_owned(),
            text("a group named Second line already exists").into_owned(),
            text("you have logged 5 tickets within 60 minutes, the most this desk allows; try again later")
                .into_owned(),
            text("a ticket that is in progress cannot be closed; allowed now: pend, resolve, escalate")
                .into_owned(),
            text("a ticket that is closed cannot be reopened; it is finished and allows no further actions")
                .into_owned(),
            text("message 42 is not waiting for anyone: it was dealt with already").into_owned(),
            text("This link was used already.").into_owned(),
            text("something the table does not know").into_owned(),
            field("requester_id").into_owned(),
            field("no_such_field").into_owned(),
        ]
    })
    .await;
    assert_eq!(
        said,
        [
            "darf nicht leer sein",
            "Darf nicht leer sein.",
            "es gibt keine Gruppe Network",
            "eine Gruppe namens Second line existiert bereits",
            "Sie haben 5 Tickets innerhalb von 60 Minuten erfasst, mehr erlaubt dieser Service \
             Desk nicht; versuchen Sie es später erneut",
            "ein Ticket im Status „In Bearbeitung“ kann nicht geschlossen werden; jetzt möglich: \
             auf wartend setzen, lösen, eskalieren",
            "ein Ticket im Status „Geschlossen“ kann nicht wieder geöffnet werden; es ist \
             abgeschlossen und erlaubt keine weiteren Aktionen",
            "Nachricht 42 wartet auf niemanden mehr (Stand: bereits erledigt)",
            "Dieser Link wurde bereits verwendet.",
            "something the table does not know",
            "Anfragende Person",
            "no such field",
        ]
    );
}

#[tokio::test]
async fn english_passes_through_unchanged() {
    for message in [
        "must not be empty",
        "there is no group Network",
        "Enter the relay's host name, such as smtp.example.com.",
        "something the table does not know",
    ] {
        assert!(matches!(text(message), Cow::Borrowed(m) if m == message));
    }
    assert_eq!(field("requester_id"), "requester id");
    let english = Reader::default();
    let said = with_reader(english, async { text("there is no user 7").into_owned() }).await;
    assert_eq!(said, "there is no user 7");
}

#[tokio::test]
async fn stored_notifications_are_said_in_german_with_their_words() {
    let said = german(|| {
        [
            text("Ada Agent mentioned you in an internal note on INC-000042: “have a look”").into_owned(),
            text("INC-000042: first response target breached").into_owned(),
            text("INC-000042 closes by itself on 2026-12-09 14:00 UTC unless you tell us it is not fixed.").into_owned(),
        ]
    })
    .await;
    assert_eq!(
        said,
        [
            "Ada Agent hat Sie in einer internen Notiz zu INC-000042 erwähnt: „have a look“",
            "INC-000042: Ziel „Erste Reaktion“ verletzt",
            "INC-000042 wird am 2026-12-09 14:00 UTC von selbst geschlossen, sofern Sie uns nicht mitteilen, dass das Problem weiterbesteht.",
        ]
    );
}
