//! Attachments as the pages list them: a download link, the type and a readable size.

use maud::{Markup, html};
use spoc_app::Attachment;

use crate::i18n::views::Views;
use crate::i18n::{t, tr};

/// An attachment as a timeline entry lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentView {
    /// Where to download it.
    pub href: String,
    /// Its safe name.
    pub filename: String,
    /// Its media type.
    pub content_type: String,
    /// Its size, as people read it.
    pub size: String,
    /// An image shown inside the e-mail it came with.
    pub inline: bool,
}

impl AttachmentView {
    /// The view of `record`, downloaded from `/attachments/{id}`.
    pub fn of(record: &Attachment) -> Self {
        Self {
            href: format!("/attachments/{}", record.id),
            filename: record.filename.clone(),
            content_type: record.content_type.clone(),
            size: size_text(record.size),
            inline: record.inline,
        }
    }
}

/// A size in bytes as people read it: `512 bytes`, `12 KB`, `3.4 MB`.
pub fn size_text(bytes: i64) -> String {
    const KB: i64 = 1024;
    const MB: i64 = 1024 * 1024;
    match bytes {
        ..=0 => t(Views::SizeEmpty).to_owned(),
        1 => t(Views::SizeOneByte).to_owned(),
        2..KB => tr(Views::SizeBytes, &[&bytes]),
        KB..MB => tr(Views::SizeKilobytes, &[&((bytes + KB / 2) / KB)]),
        _ => {
            let tenths = (bytes * 10 + MB / 2) / MB;
            tr(Views::SizeMegabytes, &[&(tenths / 10), &(tenths % 10)])
        }
    }
}

/// Attachments that belong to no entry of the history shown.
pub fn other_attachments(files: &[AttachmentView]) -> Markup {
    html! {
        @if !files.is_empty() {
            section class="panel" aria-labelledby="files-title" {
                h2 class="panel-title" id="files-title" { (t(Views::OtherAttachments)) }
                (attachment_list(files))
            }
        }
    }
}

/// A list of attachments with their type and size.
pub fn attachment_list(files: &[AttachmentView]) -> Markup {
    html! {
        ul class="attachments" aria-label=(t(Views::Attachments)) {
            @for file in files {
                li {
                    a href=(file.href) { (file.filename) }
                    " "
                    span class="muted small" {
                        (file.content_type) " · " (file.size)
                        @if file.inline { " · " (t(Views::ShownInEmail)) }
                    }
                }
            }
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size_text(0), "empty");
        assert_eq!(size_text(1), "1 byte");
        assert_eq!(size_text(900), "900 bytes");
        assert_eq!(size_text(4200), "4 KB");
        assert_eq!(size_text(5 * 1024 * 1024), "5.0 MB");
    }

    #[tokio::test]
    async fn sizes_and_lists_are_written_in_the_readers_language() {
        let german = crate::i18n::Reader {
            language: spoc_app::Language::De,
            ..crate::i18n::Reader::default()
        };
        let file = AttachmentView {
            href: "/attachments/7".to_owned(),
            filename: "bild.png".to_owned(),
            content_type: "image/png".to_owned(),
            size: String::new(),
            inline: true,
        };
        let (sizes, html) = crate::i18n::with_reader(german, async move {
            (
                [size_text(0), size_text(900), size_text(5 * 1024 * 1024 / 2)],
                other_attachments(&[file]).into_string(),
            )
        })
        .await;
        assert_eq!(sizes, ["leer", "900 Bytes", "2,5 MB"]);
        assert!(html.contains("Weitere Anhänge"), "{html}");
        assert!(html.contains(r#"aria-label="Anhänge""#), "{html}");
        assert!(html.contains("in der E-Mail angezeigt"), "{html}");
    }
}
