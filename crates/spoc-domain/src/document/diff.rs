//! Comparing two versions of a document: section by section, line by line.

/// One line of a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine {
    /// In both versions.
    Same(String),
    /// Only in the newer version.
    Added(String),
    /// Only in the older version.
    Removed(String),
}

/// The line diff from `old` to `new`.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = similar::TextDiff::from_lines(old, new);
    diff.iter_all_changes()
        .map(|change| {
            let text = change.value().trim_end_matches(['\n', '\r']).to_owned();
            match change.tag() {
                similar::ChangeTag::Equal => DiffLine::Same(text),
                similar::ChangeTag::Insert => DiffLine::Added(text),
                similar::ChangeTag::Delete => DiffLine::Removed(text),
            }
        })
        .collect()
}

/// A named part of a document compared between two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionDiff {
    /// Which part (`title`, `body`…).
    pub section: &'static str,
    /// Its lines.
    pub lines: Vec<DiffLine>,
}

impl SectionDiff {
    /// Whether the part changed at all.
    pub fn changed(&self) -> bool {
        self.lines.iter().any(|l| !matches!(l, DiffLine::Same(_)))
    }
}

/// A document's content as named sections of text, in reading order: what a diff compares.
pub trait Sections {
    /// Every section, `(name, text)`, in the same order for every version (an absent optional
    /// part is an empty text).
    fn sections(&self) -> Vec<(&'static str, String)>;
}

/// Compares two versions section by section; unchanged sections are left out.
pub fn diff_sections<C: Sections>(old: &C, new: &C) -> Vec<SectionDiff> {
    let new_sections = new.sections();
    old.sections()
        .into_iter()
        .map(|(section, old_text)| {
            let new_text = new_sections
                .iter()
                .find(|(name, _)| *name == section)
                .map(|(_, text)| text.as_str())
                .unwrap_or_default();
            SectionDiff {
                section,
                lines: diff_lines(&old_text, new_text),
            }
        })
        .filter(SectionDiff::changed)
        .collect()
}
