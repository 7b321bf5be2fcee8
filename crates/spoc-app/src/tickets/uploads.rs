//! Files people attach through the web UI or the API to a reply, a note or a new ticket. They
//! pass the e-mail channel's limits ([`spoc_mail::Limits`], the same sentences), get the same
//! safe names ([`spoc_mail::safe_filename`]), go through the desk's [`UploadScanner`] and are
//! stored the way mail attachments are: with the change's event, visible to the requester only
//! when the entry is.

use std::sync::Arc;

use spoc_domain::ValidationError;
use spoc_store::NewAttachment;

/// A file as sent, before it is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// The name the sender gave.
    pub filename: String,
    /// The media type the sender gave.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// What a scanner (an antivirus, a content policy) says about a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScanVerdict {
    /// Keep it.
    Clean,
    /// Refuse it, with a sentence for the sender.
    Refused(String),
}

/// A hook every uploaded file passes before it is stored (for example a call to an
/// antivirus). The default scanner accepts every file that passed the limits and type rules.
pub trait UploadScanner: Send + Sync {
    /// The verdict on one file (its safe name, lowercased media type and bytes).
    fn scan(&self, filename: &str, content_type: &str, bytes: &[u8]) -> ScanVerdict;
}

/// The scanner that keeps everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct AcceptAll;

impl UploadScanner for AcceptAll {
    fn scan(&self, _: &str, _: &str, _: &[u8]) -> ScanVerdict {
        ScanVerdict::Clean
    }
}

/// Extensions of programs and scripts that run when opened: refused from the web (a desk has
/// no use for them, and a colleague may open one by mistake).
pub const BLOCKED_EXTENSIONS: [&str; 20] = [
    "exe", "com", "bat", "cmd", "scr", "pif", "msi", "msp", "dll", "cpl", "vbs", "vbe", "js",
    "jse", "wsf", "wsh", "ps1", "hta", "jar", "lnk",
];

/// Media types of programs, refused whatever the name says.
const BLOCKED_TYPES: [&str; 5] = [
    "application/x-msdownload",
    "application/x-msdos-program",
    "application/x-ms-installer",
    "application/x-executable",
    "application/x-sh",
];

/// The sentence for a refused program file.
fn program_refusal(filename: &str) -> String {
    format!(
        "{filename} is a program or script; such files cannot be attached. Put it in a zip \
         file or share it another way."
    )
}

/// The shared scanner handle the app keeps.
pub(crate) type Scanner = Arc<dyn UploadScanner>;

/// Checks `files` against the limits, the type rules and `scanner`, and makes them ready to
/// store with an entry that the requester sees when `public`. The first refused file fails the
/// whole submission with a sentence naming it (field `files`), so nothing is half-stored.
pub(crate) fn accept(
    files: Vec<Upload>,
    public: bool,
    scanner: &dyn UploadScanner,
) -> Result<Vec<NewAttachment>, ValidationError> {
    let limits = spoc_mail::Limits::default();
    let mut kept: Vec<NewAttachment> = Vec::with_capacity(files.len());
    let mut total = 0usize;
    for file in files {
        let filename = spoc_mail::safe_filename(&file.filename);
        let size = file.bytes.len();
        if let Some(reason) = limits.refusal(size, kept.len(), total) {
            return Err(ValidationError::new(
                "files",
                format!("{filename} was not attached. {reason}"),
            ));
        }
        let content_type = file
            .content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let content_type = if content_type.is_empty() || !content_type.contains('/') {
            "application/octet-stream".to_owned()
        } else {
            content_type
        };
        let extension = filename
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if BLOCKED_EXTENSIONS.contains(&extension.as_str())
            || BLOCKED_TYPES.contains(&content_type.as_str())
            || file.bytes.starts_with(b"MZ")
        {
            return Err(ValidationError::new("files", program_refusal(&filename)));
        }
        if let ScanVerdict::Refused(reason) = scanner.scan(&filename, &content_type, &file.bytes) {
            return Err(ValidationError::new(
                "files",
                format!("{filename} was not attached. {reason}"),
            ));
        }
        total += size;
        kept.push(NewAttachment {
            filename,
            content_type,
            content: file.bytes,
            inline: false,
            content_id: None,
            public,
        });
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, content_type: &str, bytes: &[u8]) -> Upload {
        Upload {
            filename: name.to_owned(),
            content_type: content_type.to_owned(),
            bytes: bytes.to_vec(),
        }
    }

    struct RefuseEicar;
    impl UploadScanner for RefuseEicar {
        fn scan(&self, _: &str, _: &str, bytes: &[u8]) -> ScanVerdict {
            if bytes.starts_with(b"X5O!") {
                ScanVerdict::Refused("It contains a virus.".to_owned())
            } else {
                ScanVerdict::Clean
            }
        }
    }

    #[test]
    fn files_within_the_limits_are_kept_with_safe_names() {
        let kept = accept(
            vec![file("../../shot\u{202E}.png", "IMAGE/PNG; x=1", b"png")],
            false,
            &AcceptAll,
        )
        .unwrap();
        assert_eq!(kept[0].filename, "shot.png");
        assert_eq!(kept[0].content_type, "image/png");
        assert!(!kept[0].public);
    }

    #[test]
    fn oversized_program_and_scanned_files_are_refused_with_a_sentence() {
        let big = vec![0u8; spoc_mail::Limits::default().max_attachment_bytes + 1];
        let e = accept(vec![file("big.log", "text/plain", &big)], true, &AcceptAll).unwrap_err();
        assert_eq!(e.field, "files");
        assert!(
            e.message
                .starts_with("big.log was not attached. The file is"),
            "{}",
            e.message
        );
        let e = accept(
            vec![file("setup.EXE", "application/octet-stream", b"x")],
            true,
            &AcceptAll,
        )
        .unwrap_err();
        assert!(e.message.contains("program or script"), "{}", e.message);
        let e = accept(
            vec![file("notes.txt", "text/plain", b"MZ\x90")],
            true,
            &AcceptAll,
        )
        .unwrap_err();
        assert!(e.message.contains("program or script"), "{}", e.message);
        let e = accept(
            vec![file("a.txt", "text/plain", b"X5O!P%")],
            true,
            &RefuseEicar,
        )
        .unwrap_err();
        assert_eq!(e.message, "a.txt was not attached. It contains a virus.");
    }
}
