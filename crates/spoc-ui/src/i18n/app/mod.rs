//! The sentences of the application layer (its refusals and validation messages, written in
//! English where the rule lives) as a page shows them: a table keyed by the English text, so a
//! page can say the app's sentence in the reader's language.
//!
//! An entry's English is the app's message exactly; values inside it are `{0}`, `{1}`…, matched
//! against the message and put into the German where German grammar wants them. A message the
//! table does not know is shown as the app wrote it.
//!
//! Some values the app puts into its sentences are words of its own (a ticket's status, an
//! action's wire name): those found in [`ValueWord`] are said in the reader's language too, alone
//! or as a comma-separated list. The names of fields (`title`, `email`…) are [`FieldName`]s.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use spoc_app::Language;

mod names;
mod sentences;
mod values;

pub use names::FieldName;
pub use sentences::AppText;
pub use values::ValueWord;

/// A sentence with values: its literal pieces, with a value between each two.
struct Template {
    /// The text before the first value, between the values and after the last.
    pieces: Vec<&'static str>,
    /// The placeholder number of each value, in order of appearance.
    slots: Vec<usize>,
    /// The sentence.
    msg: AppText,
}

impl Template {
    fn new(msg: AppText) -> Option<Self> {
        // Text pieces around the values: one more than the values (empty where two values
        // meet or the sentence starts or ends with one).
        let mut pieces = vec![""];
        let mut slots = Vec::new();
        for piece in spoc_i18n::pieces(msg.in_language(Language::En)) {
            match piece {
                spoc_i18n::Piece::Text(text) => *pieces.last_mut()? = text,
                spoc_i18n::Piece::Value(slot) => {
                    slots.push(slot);
                    pieces.push("");
                }
            }
        }
        (!slots.is_empty()).then_some(Self { pieces, slots, msg })
    }

    /// How much literal text the template has: the more, the more specific.
    fn literal_len(&self) -> usize {
        self.pieces.iter().map(|p| p.len()).sum()
    }

    /// The values of `text` if it is this sentence, by placeholder number.
    fn values<'a>(&self, text: &'a str) -> Option<Vec<&'a str>> {
        let rest = text.strip_prefix(self.pieces[0])?;
        let mut found = Vec::with_capacity(self.slots.len());
        if !capture(&self.pieces[1..], rest, &mut found) {
            return None;
        }
        let mut values = vec![""; self.slots.iter().max().map_or(0, |m| m + 1)];
        for (slot, value) in self.slots.iter().zip(found) {
            values[*slot] = value;
        }
        Some(values)
    }
}

/// Matches `rest` as a value followed by `pieces[0]`, a value, `pieces[1]`… (the last piece
/// ends the text); each value is at least one character, the shortest that lets the rest
/// match.
fn capture<'a>(pieces: &[&str], rest: &'a str, found: &mut Vec<&'a str>) -> bool {
    let Some((piece, more)) = pieces.split_first() else {
        return rest.is_empty();
    };
    if more.is_empty() {
        return match rest.strip_suffix(piece) {
            Some(value) if !value.is_empty() => {
                found.push(value);
                true
            }
            _ => false,
        };
    }
    let mut from = rest.chars().next().map_or(usize::MAX, char::len_utf8);
    while from <= rest.len() {
        let Some(at) = rest[from..].find(piece).map(|at| at + from) else {
            return false;
        };
        found.push(&rest[..at]);
        if capture(more, &rest[at + piece.len()..], found) {
            return true;
        }
        found.pop();
        from = at + rest[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// The table, indexed.
struct Index {
    /// Sentences without values, by their English.
    exact: HashMap<&'static str, AppText>,
    /// Sentences with values, the most specific first.
    templates: Vec<Template>,
    /// The words put into sentences, by their English.
    values: HashMap<&'static str, ValueWord>,
    /// The field names, by the field.
    fields: HashMap<String, FieldName>,
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut exact = HashMap::new();
    let mut templates = Vec::new();
    for &msg in AppText::ALL {
        match Template::new(msg) {
            Some(template) => templates.push(template),
            None => {
                exact.insert(msg.in_language(Language::En), msg);
            }
        }
    }
    templates.sort_by_key(|t| std::cmp::Reverse(t.literal_len()));
    Index {
        exact,
        templates,
        values: ValueWord::ALL
            .iter()
            .map(|&w| (w.in_language(Language::En), w))
            .collect(),
        fields: FieldName::ALL
            .iter()
            .map(|&f| (f.in_language(Language::En).replace(' ', "_"), f))
            .collect(),
    }
});

/// `english`, a message of the application layer, in the reader's language.
pub fn text(english: &str) -> Cow<'_, str> {
    let language = super::lang();
    if language == Language::En {
        return Cow::Borrowed(english);
    }
    match translate(english, language) {
        Some(said) => Cow::Owned(said),
        None => Cow::Borrowed(english),
    }
}

/// `text` in `language`, if the table knows it: as the app wrote it, or with a capital first
/// letter and/or a full stop added (which the translation then gets too).
fn translate(text: &str, language: Language) -> Option<String> {
    let stopped = text.strip_suffix('.');
    let lowered = lower_first(text);
    let lowered_stopped = stopped.and_then(lower_first);
    let tries = [
        (Some(Cow::Borrowed(text)), false, false),
        (stopped.map(Cow::Borrowed), false, true),
        (lowered.map(Cow::Owned), true, false),
        (lowered_stopped.map(Cow::Owned), true, true),
    ];
    for (candidate, capital, stop) in tries {
        let Some(candidate) = candidate else { continue };
        if let Some(said) = lookup(&candidate, language) {
            let mut said = if capital { upper_first(&said) } else { said };
            if stop && !said.ends_with(['.', '!', '?']) {
                said.push('.');
            }
            return Some(said);
        }
    }
    None
}

/// `text` with a lower-case first letter, if it starts with a capital.
fn lower_first(text: &str) -> Option<String> {
    let mut chars = text.chars();
    let first = chars.next().filter(|c| c.is_uppercase())?;
    Some(first.to_lowercase().chain(chars).collect())
}

/// `text` with a capital first letter.
fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The sentence `text` exactly as the table has it, in `language`.
fn lookup(text: &str, language: Language) -> Option<String> {
    let index = &*INDEX;
    if let Some(msg) = index.exact.get(text) {
        return Some(msg.in_language(language).to_owned());
    }
    index.templates.iter().find_map(|template| {
        let values = template.values(text)?;
        let values: Vec<Cow<'_, str>> = values.into_iter().map(|v| value(v, language)).collect();
        let args: Vec<&dyn std::fmt::Display> =
            values.iter().map(|v| v as &dyn std::fmt::Display).collect();
        Some(spoc_i18n::fill(template.msg.in_language(language), &args))
    })
}

/// A value of a sentence in `language`: a word of [`ValueWord`], or a list of them, said in
/// that language; anything else (a name, a number, an id) as it is.
fn value(value: &str, language: Language) -> Cow<'_, str> {
    let values = &INDEX.values;
    if let Some(word) = values.get(value) {
        return Cow::Borrowed(word.in_language(language));
    }
    if value.contains(", ") && value.split(", ").all(|part| values.contains_key(part)) {
        let parts: Vec<&str> = value
            .split(", ")
            .map(|part| values[part].in_language(language))
            .collect();
        return Cow::Owned(parts.join(", "));
    }
    Cow::Borrowed(value)
}

/// The name of a form or API field (`title`, `email`, `impact`…) as the reader says it.
pub fn field(name: &str) -> Cow<'_, str> {
    let language = super::lang();
    match INDEX.fields.get(name) {
        Some(field) if language != Language::En => Cow::Borrowed(field.in_language(language)),
        _ => Cow::Owned(name.replace('_', " ")),
    }
}

#[cfg(test)]
mod tests;
