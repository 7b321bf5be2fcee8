//! Turning what a person typed into a safe full-text query for each engine.
//!
//! Only letters and digits survive, so nothing a user types can change the query's syntax; each
//! word must match (as a prefix), in any order.

use crate::Backend;
use spoc_domain::TenantId;

/// The words of a text search: at most 8, each at most 64 characters, lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchText {
    terms: Vec<String>,
}

impl SearchText {
    /// The words of `input`, or `None` if it has none.
    pub fn parse(input: &str) -> Option<Self> {
        // Indexed text is NFC (every text value is normalised when parsed), so the query is too:
        // an NFD "cafe\u{301}" finds "café".
        let input = spoc_domain::text::nfc(input);
        let terms: Vec<String> = input
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(|word| word.chars().take(64).collect::<String>().to_lowercase())
            .take(8)
            .collect();
        (!terms.is_empty()).then_some(Self { terms })
    }

    /// The words.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// The engine's query string. For SQLite, staff search every column and customers only
    /// title, description and public replies; for PostgreSQL the column choice is the tsvector.
    pub(crate) fn to_query(
        &self,
        backend: Backend,
        sees_internal: bool,
        tenants: Option<&[TenantId]>,
    ) -> String {
        match backend {
            Backend::Sqlite => {
                let columns = if sees_internal {
                    "{title description public_comments internal_notes}"
                } else {
                    "{title description public_comments}"
                };
                let words = self
                    .terms
                    .iter()
                    .map(|term| format!("{columns} : \"{term}\"*"))
                    .collect::<Vec<_>>()
                    .join(" AND ");
                // The read's tenants first, so that the index matches only their tickets.
                match tenants {
                    Some(ids) if !ids.is_empty() => {
                        let tenants = ids
                            .iter()
                            .map(|id| format!("tenant : \"{id}\""))
                            .collect::<Vec<_>>()
                            .join(" OR ");
                        format!("({tenants}) AND {words}")
                    }
                    _ => words,
                }
            }
            Backend::Postgres => self
                .terms
                .iter()
                .map(|term| format!("'{term}':*"))
                .collect::<Vec<_>>()
                .join(" & "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_words_survive() {
        let text = SearchText::parse("  VPN\" OR 1=1; -- {internal_notes} : x*").unwrap();
        assert_eq!(
            text.terms(),
            ["vpn", "or", "1", "1", "internal", "notes", "x"]
        );
        assert_eq!(SearchText::parse("  \"*:()' "), None);
        let q = SearchText::parse("printer jam").unwrap();
        assert_eq!(
            q.to_query(Backend::Sqlite, false, None),
            "{title description public_comments} : \"printer\"* AND {title description public_comments} : \"jam\"*"
        );
        assert_eq!(
            q.to_query(
                Backend::Sqlite,
                true,
                Some(&[TenantId::new(4), TenantId::new(17)])
            ),
            "(tenant : \"4\" OR tenant : \"17\") AND {title description public_comments internal_notes} : \"printer\"* \
             AND {title description public_comments internal_notes} : \"jam\"*"
        );
        assert_eq!(
            q.to_query(Backend::Postgres, true, None),
            "'printer':* & 'jam':*"
        );
    }
}
