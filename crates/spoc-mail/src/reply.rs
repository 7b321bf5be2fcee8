//! The new part of a reply: mail clients quote the whole conversation below (or above) what the
//! person wrote, and a ticket's history already has that conversation. [`reply_text`] keeps
//! what is new and drops the quoted history, conservatively: when it cannot tell, it keeps
//! everything. The raw message is always kept elsewhere, so nothing is lost.

/// Lines that introduce a quoted message, by how they start (case-insensitive), in the
/// languages the desk's mail most often comes in.
const SEPARATORS: [&str; 6] = [
    "-----original message-----",
    "----- original message -----",
    "-----ursprüngliche nachricht-----",
    "-----message d'origine-----",
    "---------- forwarded message",
    "begin forwarded message",
];

/// Whether `line` is an attribution such as "On Tue, 1 Dec 2026, Ana <ana@x> wrote:".
fn is_attribution(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    let ends = lower.ends_with("wrote:")
        || lower.ends_with("schrieb:")
        || lower.ends_with("a écrit :")
        || lower.ends_with("a écrit:")
        || lower.ends_with("escribió:")
        || lower.ends_with("skrev:")
        || lower.ends_with("schreef:")
        || lower.ends_with("ha scritto:");
    let starts = lower.starts_with("on ")
        || lower.starts_with("am ")
        || lower.starts_with("le ")
        || lower.starts_with("el ")
        || lower.starts_with("den ")
        || lower.starts_with("op ")
        || lower.starts_with("il ")
        || lower.contains('@');
    ends && starts && lower.len() < 300
}

/// Whether `lines[at]` starts an Outlook-style header block ("From: …" followed within three
/// lines by "Sent:", "Date:", "To:" or "Subject:"), usually after a line of underscores.
fn is_header_block(lines: &[&str], at: usize) -> bool {
    let starts = |l: &str, keys: &[&str]| {
        let lower = l.trim_start().to_lowercase();
        keys.iter().any(|k| lower.starts_with(k))
    };
    starts(
        lines[at],
        &["from:", "von:", "de :", "de:", "från:", "van:"],
    ) && lines.iter().skip(at + 1).take(3).any(|l| {
        starts(
            l,
            &[
                "sent:",
                "date:",
                "to:",
                "subject:",
                "gesendet:",
                "an:",
                "betreff:",
                "envoyé :",
                "à :",
                "objet :",
            ],
        )
    })
}

/// The new text of a reply, without the quoted history: everything before the first
/// attribution line, original-message separator or Outlook header block, with a trailing block
/// of `>` lines and trailing blank lines dropped. If that would leave nothing (a reply written
/// below the quote, or a message that is all quote), the whole text is kept.
pub fn reply_text(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut end = lines.len();
    for (at, line) in lines.iter().enumerate() {
        let lower = line.trim().to_lowercase();
        let underscores = lower.len() >= 10 && lower.chars().all(|c| c == '_');
        if is_attribution(line)
            || SEPARATORS.iter().any(|s| lower.starts_with(s))
            || (underscores && at + 1 < lines.len() && is_header_block(&lines, at + 1))
            || is_header_block(&lines, at) && at > 0 && lines[at - 1].trim().is_empty()
        {
            end = at;
            break;
        }
    }
    let mut kept: Vec<&str> = lines[..end].to_vec();
    while kept
        .last()
        .is_some_and(|l| l.trim().is_empty() || l.trim_start().starts_with('>'))
    {
        kept.pop();
    }
    if kept.iter().all(|l| l.trim().is_empty()) {
        return text.trim_end().to_owned();
    }
    kept.join("\n")
}

#[cfg(test)]
mod tests {
    use super::reply_text;

    #[test]
    fn gmail_style_attribution_and_quote_are_dropped() {
        let text = "It still jams on tray 2.\n\nOn Tue, 1 Dec 2026 at 09:00, Service Desk <desk@x.org> wrote:\n> We have logged your request.\n> INC-000042";
        assert_eq!(reply_text(text), "It still jams on tray 2.");
    }

    #[test]
    fn outlook_header_blocks_are_dropped_in_several_languages() {
        let english = "Thanks, that worked.\n\n________________________________\nFrom: Service Desk <desk@x.org>\nSent: Tuesday, 1 December 2026 09:00\nTo: Ana\nSubject: [INC-000042] Resolved";
        assert_eq!(reply_text(english), "Thanks, that worked.");
        let german = "Danke!\n\nVon: Service Desk <desk@x.org>\nGesendet: Dienstag\nAn: Ana\nBetreff: AW: [INC-000042]";
        assert_eq!(reply_text(german), "Danke!");
        let original = "See below.\n-----Original Message-----\nFrom: x";
        assert_eq!(reply_text(original), "See below.");
        let french =
            "Merci.\n\nLe mar. 1 déc. 2026 à 09:00, Service <desk@x.org> a écrit :\n> Bonjour";
        assert_eq!(reply_text(french), "Merci.");
    }

    #[test]
    fn when_in_doubt_everything_is_kept() {
        let bottom_posted = "> Is it fixed?\n\nYes, it is.";
        assert_eq!(reply_text(bottom_posted), bottom_posted);
        let plain = "From: my point of view the printer is broken.\nPlease come and look.";
        assert_eq!(
            reply_text(plain),
            plain,
            "a sentence starting with From: is not a header block"
        );
        let only_quote = "On Monday, Ana <a@b.c> wrote:\n> hello";
        assert_eq!(reply_text(only_quote), only_quote);
        assert_eq!(reply_text(""), "");
    }

    #[test]
    fn a_sentence_ending_in_wrote_is_not_an_attribution() {
        let text = "This is what my manager wrote:\n\nplease fix the VPN.";
        assert_eq!(reply_text(text), text);
    }
}
