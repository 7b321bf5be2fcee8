//! Attachment names made safe to show and to offer for download.
//!
//! The order matters (FreeScout CVE-2026-28289 checked for a leading dot before removing
//! invisible characters): invisible and control characters go first, then any path, then
//! dot runs, and only then are leading dots stripped, so the checks always see the final
//! string.

/// The longest name produced, in bytes; the extension is kept when a name is cut.
const MAX_FILENAME_BYTES: usize = 150;
/// The longest extension kept when a name is cut, in bytes (including the dot).
const MAX_EXTENSION_BYTES: usize = 16;
/// The name used when nothing usable is left.
const FALLBACK: &str = "attachment";

/// A name that is safe to show and to use as a download name: no control characters, no bidi
/// overrides or isolates, no zero-width characters, no path (only the last component is kept),
/// no `..`, no leading dots or spaces, single spaces, at most 150 bytes (the extension is
/// kept), and never a Windows device name. An empty result becomes `attachment`.
///
/// Spoc never builds a storage path from a name; this is for display and for
/// `Content-Disposition`.
pub fn safe_filename(name: &str) -> String {
    // First the characters that hide what a name really is.
    let visible: String = name
        .chars()
        .filter(|&c| !is_invisible(c))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();

    // Then any path: only the last component counts, whatever separator was used.
    let last = visible
        .rsplit(is_separator)
        .find(|part| !part.trim().is_empty())
        .unwrap_or("");

    // Characters Windows refuses in names become underscores; dot runs become one dot.
    let mut cleaned = String::with_capacity(last.len());
    let mut previous = '\0';
    for c in last.chars() {
        let c = if "<>:\"|?*".contains(c) { '_' } else { c };
        if c == '.' && previous == '.' {
            continue;
        }
        if c == ' ' && previous == ' ' {
            continue;
        }
        cleaned.push(c);
        previous = c;
    }

    // Only now strip dots and spaces at the ends: `\u{200B}.htaccess` is `.htaccess` by here.
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c == ' ');
    let mut result = cap_length(trimmed);
    if result.is_empty() {
        return FALLBACK.to_owned();
    }
    if is_windows_device_name(&result) {
        result.insert(0, '_');
    }
    result
}

/// Whether `c` is a control, bidi, zero-width or other invisible formatting character.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'              // soft hyphen
            | '\u{034F}'            // combining grapheme joiner
            | '\u{061C}'            // Arabic letter mark
            | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
            | '\u{180E}'            // Mongolian vowel separator
            | '\u{200B}'..='\u{200F}' // zero-width space, joiners, LRM, RLM
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner and invisible operators
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{206A}'..='\u{206F}' // deprecated format characters
            | '\u{FEFF}'            // byte order mark, zero-width no-break space
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotations
        )
}

/// Whether `c` separates path components on some system, or looks like a slash.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '/' | '\\' | '\u{2044}' | '\u{2215}' | '\u{29F8}' | '\u{FF0F}' | '\u{FF3C}'
    )
}

/// Cuts `name` to the byte limit, keeping a short extension.
fn cap_length(name: &str) -> String {
    if name.len() <= MAX_FILENAME_BYTES {
        return name.to_owned();
    }
    let extension = name
        .rfind('.')
        .map(|dot| &name[dot..])
        .filter(|ext| ext.len() <= MAX_EXTENSION_BYTES && ext.len() > 1)
        .unwrap_or("");
    let stem = &name[..name.len() - extension.len()];
    let stem = crate::text::truncate_bytes(stem, MAX_FILENAME_BYTES - extension.len());
    let stem = stem.trim_end_matches(['.', ' ']);
    format!("{stem}{extension}")
}

/// Whether `name` (before any extension) is a reserved Windows device name.
fn is_windows_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    let upper = stem.to_ascii_uppercase();
    matches!(
        upper.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || (upper.len() == 4
        && (upper.starts_with("COM") || upper.starts_with("LPT"))
        && upper
            .as_bytes()
            .get(3)
            .is_some_and(|b| (b'1'..=b'9').contains(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_override_cannot_disguise_an_extension() {
        assert_eq!(safe_filename("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(
            safe_filename("photo\u{2067}gpj.scr\u{2069}"),
            "photogpj.scr"
        );
        assert_eq!(safe_filename("a\u{200E}b\u{200F}c.txt"), "abc.txt");
    }

    #[test]
    fn invisible_prefix_cannot_hide_a_leading_dot() {
        assert_eq!(safe_filename("\u{200B}.htaccess"), "htaccess");
        assert_eq!(safe_filename("\u{FEFF}\u{2060}.htaccess"), "htaccess");
        assert_eq!(safe_filename(" \u{200D} ..htaccess"), "htaccess");
        assert_eq!(safe_filename(".\u{200C}.\u{200B}/.bashrc"), "bashrc");
    }

    #[test]
    fn paths_are_reduced_to_their_last_component() {
        assert_eq!(safe_filename("../../etc/passwd"), "passwd");
        assert_eq!(safe_filename("..\\..\\windows\\system.ini"), "system.ini");
        assert_eq!(safe_filename("C:\\Users\\bob\\report.pdf"), "report.pdf");
        assert_eq!(safe_filename("a\u{2215}b\u{FF0F}c.txt"), "c.txt");
        assert_eq!(safe_filename("../"), "attachment");
        assert_eq!(safe_filename(".."), "attachment");
        assert_eq!(safe_filename("report..final...pdf"), "report.final.pdf");
    }

    #[test]
    fn controls_and_whitespace_are_cleaned() {
        assert_eq!(safe_filename("re\u{0}port\r\n.pdf"), "report.pdf");
        assert_eq!(
            safe_filename("  quarterly \t  report .pdf  "),
            "quarterly report .pdf"
        );
        assert_eq!(safe_filename("what?:*<>|\".txt"), "what_______.txt");
    }

    #[test]
    fn empty_names_get_a_default() {
        assert_eq!(safe_filename(""), "attachment");
        assert_eq!(safe_filename("\u{200B}\u{202E}"), "attachment");
        assert_eq!(safe_filename("..."), "attachment");
    }

    #[test]
    fn long_names_keep_their_extension() {
        let name = format!("{}.pdf", "x".repeat(400));
        let safe = safe_filename(&name);
        assert_eq!(safe.len(), 150);
        assert!(safe.ends_with("xxx.pdf"));
        let unicode = format!("{}.docx", "ü".repeat(200));
        let safe = safe_filename(&unicode);
        assert!(safe.len() <= 150);
        assert!(safe.ends_with("ü.docx"));
    }

    #[test]
    fn windows_device_names_are_defused() {
        assert_eq!(safe_filename("CON"), "_CON");
        assert_eq!(safe_filename("nul.txt"), "_nul.txt");
        assert_eq!(safe_filename("com1.log"), "_com1.log");
        assert_eq!(safe_filename("console.log"), "console.log");
    }

    #[test]
    fn ordinary_names_are_unchanged() {
        for name in [
            "report.pdf",
            "Präsentation Q3.pptx",
            "報告書.xlsx",
            "IMG_0042.HEIC",
        ] {
            assert_eq!(safe_filename(name), name);
        }
    }
}
