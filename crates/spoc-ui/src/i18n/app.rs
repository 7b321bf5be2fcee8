//! The sentences of the application layer (its refusals and validation messages, written in
//! English where the rule lives) as a page shows them: a table keyed by the English text, so a
//! page can say the app's sentence in the reader's language.
//!
//! An entry's English is the app's message exactly; values inside it are `{0}`, `{1}`…, matched
//! against the message and put into the German where German grammar wants them. A message the
//! table does not know is shown as the app wrote it.

use std::borrow::Cow;

use super::catalogue;

catalogue! {
    /// A sentence of the application layer.
    AppText {
    }
}

/// `english`, a message of the application layer, in the reader's language.
pub fn text(english: &str) -> Cow<'_, str> {
    Cow::Borrowed(english)
}

/// The name of a form or API field (`title`, `email`, `impact`…) as the reader says it.
pub fn field(name: &str) -> Cow<'_, str> {
    Cow::Owned(name.replace('_', " "))
}
