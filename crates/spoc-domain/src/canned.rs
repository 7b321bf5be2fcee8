//! Canned responses: reply texts kept for reuse, with placeholders filled from the ticket when
//! one is inserted. The placeholders are a fixed list, so a typo is caught when the text is
//! saved rather than sent to a customer.

use crate::text::ValidationError;

/// The placeholders a canned response may use, and what each becomes.
pub const PLACEHOLDERS: [(&str, &str); 5] = [
    ("requester.name", "the requester's full name"),
    ("requester.first_name", "the requester's first name"),
    ("ticket.number", "the ticket's number, e.g. INC-000042"),
    ("ticket.subject", "the ticket's title"),
    ("agent.name", "the name of the agent inserting it"),
];

/// The longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 120;
/// The longest text, in characters.
pub const MAX_BODY_CHARS: usize = 20_000;

/// What the placeholders are filled with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlaceholderValues {
    /// The requester's full name.
    pub requester_name: String,
    /// The ticket's number.
    pub ticket_number: String,
    /// The ticket's title.
    pub ticket_subject: String,
    /// The agent's name.
    pub agent_name: String,
}

impl PlaceholderValues {
    fn value(&self, name: &str) -> Option<String> {
        Some(match name {
            "requester.name" => self.requester_name.clone(),
            "requester.first_name" => self
                .requester_name
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_owned(),
            "ticket.number" => self.ticket_number.clone(),
            "ticket.subject" => self.ticket_subject.clone(),
            "agent.name" => self.agent_name.clone(),
            _ => return None,
        })
    }
}

/// The `{{…}}` placeholders of `text`, trimmed, in order; `Err` with the offending text for an
/// opening `{{` that is never closed.
fn placeholders(text: &str) -> Result<Vec<(usize, usize, String)>, String> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("{{") {
        let start = from + at;
        let Some(len) = text[start + 2..].find("}}") else {
            let shown: String = text[start..].chars().take(30).collect();
            return Err(shown);
        };
        let end = start + 2 + len + 2;
        found.push((start, end, text[start + 2..end - 2].trim().to_owned()));
        from = end;
    }
    Ok(found)
}

/// Checks a canned response's title and text: both present and not too long, and every
/// placeholder one of [`PLACEHOLDERS`].
pub fn check(title: &str, body: &str) -> Result<(String, String), ValidationError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(ValidationError::new("title", "give it a short title"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(ValidationError::new(
            "title",
            format!("the title is longer than {MAX_TITLE_CHARS} characters"),
        ));
    }
    if body.trim().is_empty() {
        return Err(ValidationError::new("body", "write the text to insert"));
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(ValidationError::new(
            "body",
            format!("the text is longer than {MAX_BODY_CHARS} characters"),
        ));
    }
    let found = placeholders(body).map_err(|shown| {
        ValidationError::new(
            "body",
            format!("“{shown}” opens a placeholder with {{{{ that is never closed with }}}}"),
        )
    })?;
    let known: Vec<&str> = PLACEHOLDERS.iter().map(|(name, _)| *name).collect();
    let unknown: Vec<String> = found
        .into_iter()
        .filter(|(_, _, name)| !known.contains(&name.as_str()))
        .map(|(_, _, name)| format!("{{{{{name}}}}}"))
        .collect();
    if !unknown.is_empty() {
        return Err(ValidationError::new(
            "body",
            format!(
                "{} {} not a known placeholder; use {}",
                unknown.join(", "),
                if unknown.len() == 1 { "is" } else { "are" },
                known
                    .iter()
                    .map(|k| format!("{{{{{k}}}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    Ok((title.to_owned(), body.to_owned()))
}

/// `body` with its placeholders filled from `values` (unknown ones, which saving refuses, are
/// left as they are).
pub fn fill(body: &str, values: &PlaceholderValues) -> String {
    let Ok(found) = placeholders(body) else {
        return body.to_owned();
    };
    let mut out = String::with_capacity(body.len());
    let mut last = 0;
    for (start, end, name) in found {
        out.push_str(&body[last..start]);
        match values.value(&name) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&body[start..end]),
        }
        last = end;
    }
    out.push_str(&body[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        let values = PlaceholderValues {
            requester_name: "Una User".to_owned(),
            ticket_number: "INC-000042".to_owned(),
            ticket_subject: "Printer jams".to_owned(),
            agent_name: "Ada Agent".to_owned(),
        };
        assert_eq!(
            fill(
                "Hello {{ requester.first_name }}, about {{ticket.number}} ({{ticket.subject}}): \
                 {{requester.name}} — {{agent.name}}",
                &values
            ),
            "Hello Una, about INC-000042 (Printer jams): Una User — Ada Agent"
        );
    }

    #[test]
    fn unknown_and_unclosed_placeholders_are_refused() {
        let e = check("Hi", "Dear {{customer.name}}").unwrap_err();
        assert_eq!(e.field, "body");
        assert!(
            e.message.starts_with(
                "{{customer.name}} is not a known placeholder; use {{requester.name}}"
            ),
            "{}",
            e.message
        );
        let e = check("Hi", "Dear {{requester.name").unwrap_err();
        assert!(e.message.contains("never closed"), "{}", e.message);
        assert_eq!(check(" ", "x").unwrap_err().field, "title");
        assert!(check("Greeting", "Hello {{requester.name}}").is_ok());
    }
}
