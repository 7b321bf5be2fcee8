//! Subjects: reply and forward prefixes, the bracketed ticket reference that threads mail to a
//! ticket, and the subject of outgoing notifications.

use crate::text::fold_line;

/// The ticket kinds a subject reference may name.
const TICKET_PREFIXES: [&str; 4] = ["INC", "REQ", "PRB", "CHG"];

/// Reply and forward prefixes, compared case-insensitively, each followed by a colon (ASCII
/// or full-width). Only well-known ones: English, German (AW, WG, Antw), Scandinavian (SV, VS),
/// Dutch (Antw, Doorst), Italian (R, RIF, I), French (TR, Réf), Polish (Odp, PD), Turkish
/// (YNT), Portuguese and Spanish (ENC, RES, RV), Hungarian (Vá), Chinese (回复, 答复, 转发,
/// 回覆, 轉寄) and Russian (Ответ, Отв).
const REPLY_PREFIXES: [&str; 29] = [
    "re",
    "fw",
    "fwd",
    "aw",
    "wg",
    "sv",
    "vs",
    "antw",
    "antwort",
    "doorst",
    "rif",
    "r",
    "i",
    "tr",
    "odp",
    "pd",
    "ynt",
    "enc",
    "res",
    "rv",
    "réf",
    "vá",
    "回复",
    "答复",
    "转发",
    "回覆",
    "轉寄",
    "ответ",
    "отв",
];

/// A ticket reference found in a subject, such as `[INC-000042]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketRef {
    /// The kind prefix, upper-cased: `INC`, `REQ`, `PRB` or `CHG`.
    pub prefix: String,
    /// The number after the dash, e.g. 42 for `INC-000042`.
    pub number: i64,
}

/// `subject` without its leading reply and forward prefixes, repeated or not: `Re: AW: Fwd:`,
/// `RE[2]:` and `Re (3):` counters, `Re :` with a space, and full-width colons (`回复：`).
///
/// Bracketed tags such as `[EXT]` or list names are kept, and stripping stops at them: they
/// carry meaning (the ticket reference itself is one), and guessing which are noise would
/// lose information.
pub fn strip_reply_prefixes(subject: &str) -> &str {
    let mut rest = subject.trim_start();
    while let Some(after) = strip_one_prefix(rest) {
        rest = after.trim_start();
    }
    rest
}

/// Strips one prefix (word, optional counter, colon) from the start of `value`.
fn strip_one_prefix(value: &str) -> Option<&str> {
    let word_end = value
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(value.len(), |(i, _)| i);
    let word = &value[..word_end];
    if word.is_empty() || !REPLY_PREFIXES.contains(&word.to_lowercase().as_str()) {
        return None;
    }
    let mut rest = &value[word_end..];
    rest = rest.trim_start_matches([' ', '\u{a0}']);
    // A counter such as `[2]` or `(2)`.
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(inner) = rest.strip_prefix(open)
            && let Some(end) = inner.find(close)
            && end > 0
            && inner[..end].bytes().all(|b| b.is_ascii_digit())
        {
            rest = inner[end + close.len_utf8()..].trim_start_matches([' ', '\u{a0}']);
            break;
        }
    }
    rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))
}

/// The first bracketed ticket reference in `subject`, such as `[INC-000042]` or `[req-43]`:
/// a kind prefix (INC, REQ, PRB, CHG; any case), a dash and digits (leading zeros allowed),
/// inside square brackets. Unbracketed mentions ("see INC-42") do not count, so a subject that
/// only talks about a ticket is not threaded into it.
pub fn ticket_reference(subject: &str) -> Option<TicketRef> {
    let mut rest = subject;
    while let Some(open) = rest.find('[') {
        let candidate = &rest[open + 1..];
        if let Some(found) = parse_reference(candidate) {
            return Some(found);
        }
        rest = candidate;
    }
    None
}

/// Parses `PREFIX-DIGITS]` at the start of `value`.
fn parse_reference(value: &str) -> Option<TicketRef> {
    let close = value.find(']')?;
    let (prefix, digits) = value[..close].split_once('-')?;
    let prefix = TICKET_PREFIXES
        .iter()
        .find(|known| known.eq_ignore_ascii_case(prefix))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = digits.trim_start_matches('0');
    let number = if significant.is_empty() {
        0
    } else {
        significant.parse::<i64>().ok()?
    };
    Some(TicketRef {
        prefix: (*prefix).to_owned(),
        number,
    })
}

/// The subject of a notification about ticket `number` (e.g. `INC-000042`):
/// `[INC-000042] Printer on floor 3 is jammed`. Both parts are folded onto one line.
pub fn format_ticket_subject(number: &str, title: &str) -> String {
    let number = fold_line(number);
    let title = fold_line(title);
    if title.is_empty() {
        format!("[{number}]")
    } else {
        format!("[{number}] {title}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_prefixes_are_stripped_repeatedly() {
        let cases = [
            ("Re: Printer", "Printer"),
            ("RE: RE: re: Printer", "Printer"),
            ("Fwd: Re: Printer", "Printer"),
            ("FW: Printer", "Printer"),
            ("AW: WG: Drucker", "Drucker"),
            ("SV: VS: Skrivare", "Skrivare"),
            ("Antw: Doorst: Printer", "Printer"),
            ("R: I: RIF: Stampante", "Stampante"),
            ("TR: Réf: Imprimante", "Imprimante"),
            ("Odp: PD: Drukarka", "Drukarka"),
            ("YNT: Ynt: Yazıcı", "Yazıcı"),
            ("ENC: RES: RV: Impressora", "Impressora"),
            ("Vá: Nyomtató", "Nyomtató"),
            ("回复：转发: 打印机", "打印机"),
            ("答复: 回覆：打印机", "打印机"),
            ("Ответ: Отв: Принтер", "Принтер"),
            ("Re[2]: Printer", "Printer"),
            ("RE (3): Printer", "Printer"),
            ("Re : Printer", "Printer"),
            ("  re:Printer", "Printer"),
            ("Re: [INC-000042] Printer", "[INC-000042] Printer"),
        ];
        for (subject, expected) in cases {
            assert_eq!(strip_reply_prefixes(subject), expected, "{subject}");
        }
    }

    #[test]
    fn other_words_and_tags_are_kept() {
        let cases = [
            "[EXT] Re: Printer",
            "Reset my password",
            "Record: 42",
            "Information needed",
            "Re Printer",
            "Re[x]: Printer",
            "Remote: VPN down",
            "",
        ];
        for subject in cases {
            assert_eq!(
                strip_reply_prefixes(subject),
                subject.trim_start(),
                "{subject}"
            );
        }
    }

    #[test]
    fn bracketed_references_are_found() {
        let found = ticket_reference("AW: SV: [INC-000042] Printer").unwrap();
        assert_eq!(
            found,
            TicketRef {
                prefix: "INC".into(),
                number: 42
            }
        );
        assert_eq!(ticket_reference("[req-43] x").unwrap().prefix, "REQ");
        assert_eq!(ticket_reference("x [Prb-7]").unwrap().number, 7);
        assert_eq!(ticket_reference("[CHG-0000000000123]").unwrap().number, 123);
        assert_eq!(
            ticket_reference("[EXT] [INC-12] about [REQ-13]")
                .unwrap()
                .number,
            12
        );
        assert_eq!(ticket_reference("[[INC-5]]").unwrap().number, 5);
    }

    #[test]
    fn unbracketed_or_malformed_references_are_ignored() {
        for subject in [
            "INC-42 in the text",
            "(INC-42)",
            "[INC 42]",
            "[INC-]",
            "[INC-42",
            "[INC-4x2]",
            "[ABC-42]",
            "[INC--42]",
            "[INC-99999999999999999999999]",
            "[INC-+42]",
            "",
        ] {
            assert_eq!(ticket_reference(subject), None, "{subject}");
        }
    }

    #[test]
    fn notification_subjects_carry_the_reference() {
        assert_eq!(
            format_ticket_subject("INC-000042", "Printer on floor 3 is jammed"),
            "[INC-000042] Printer on floor 3 is jammed"
        );
        assert_eq!(
            format_ticket_subject("INC-000042", "Evil\r\nBcc: x@y"),
            "[INC-000042] Evil Bcc: x@y"
        );
        assert_eq!(format_ticket_subject("REQ-000001", "  "), "[REQ-000001]");
    }
}
