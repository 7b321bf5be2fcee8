//! The words the browser script (`assets/spoc.js`) writes into pages. The page carries them in
//! the reader's language as a JSON object keyed by the English (see [`json`]); the script looks
//! each up with `spocText("English")` and falls back to the English it holds.

use super::{Message, catalogue, lang};

catalogue! {
    /// A message of the browser script.
    Script {
        QueueUpdated => "The queue was updated.", "Die Warteschlange wurde aktualisiert.";
        TicketUpdated => "This ticket was just updated; the history below shows what changed.", "Dieses Ticket wurde gerade geändert; der Verlauf unten zeigt, was sich geändert hat.";
        Preview => "Preview", "Vorschau";
        HidePreview => "Hide preview", "Vorschau ausblenden";
        PreviewFailed => "The preview could not be loaded; the message is still sent as written.", "Die Vorschau konnte nicht geladen werden; die Nachricht wird trotzdem so gesendet, wie sie geschrieben ist.";
        FileTooBig => "{0} is larger than the limit of {1} a file; choose a smaller file.", "{0} ist größer als die Grenze von {1} pro Datei; wählen Sie eine kleinere Datei.";
        FilesTooBig => "{0} are larger than the limit of {1} a file; choose a smaller file.", "{0} sind größer als die Grenze von {1} pro Datei; wählen Sie kleinere Dateien.";
        KeyNextPrevious => "Next / previous ticket in the queue", "Nächstes / vorheriges Ticket in der Warteschlange";
        KeyOpen => "Open the ticket", "Ticket öffnen";
        KeySelect => "Select or unselect the ticket", "Ticket auswählen oder abwählen";
        KeyAssign => "Assign (on a ticket)", "Zuweisen (auf einem Ticket)";
        KeyReply => "Reply (on a ticket)", "Antworten (auf einem Ticket)";
        KeyNote => "Internal note (on a ticket)", "Interne Notiz (auf einem Ticket)";
        KeyEscalate => "Escalate (on a ticket)", "Eskalieren (auf einem Ticket)";
        KeySearch => "Search", "Suchen";
        KeyThisList => "This list", "Diese Liste";
        KeyboardShortcuts => "Keyboard shortcuts", "Tastenkürzel";
        ShortcutsOffWhileTyping => "Shortcuts are off while you type in a field.", "Tastenkürzel sind aus, während Sie in ein Feld tippen.";
        Close => "Close", "Schließen";
        SelectToAct => "Select tickets to act on several at once.", "Wählen Sie Tickets aus, um mehrere auf einmal zu bearbeiten.";
        OneSelected => "1 ticket selected.", "1 Ticket ausgewählt.";
        ManySelected => "{0} tickets selected.", "{0} Tickets ausgewählt.";
    }
}

/// The messages of the script in the reader's language, as a JSON object keyed by the English,
/// safe to put inside `<script type="application/json">` (no `<` left to end the element). The
/// desk's words (keyboard shortcuts, bulk selection, queue updates) only for `staff` pages.
pub fn json(staff: bool) -> String {
    let language = lang();
    let mut out = String::from("{");
    let messages = Script::ALL
        .iter()
        .filter(|msg| staff || !msg.for_staff_only());
    for (i, msg) in messages.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, msg.text(spoc_app::Language::En));
        out.push(':');
        push_string(&mut out, msg.text(language));
    }
    out.push('}');
    out
}

impl Script {
    /// Whether only the desk's pages use the message.
    fn for_staff_only(self) -> bool {
        matches!(
            self,
            Self::QueueUpdated
                | Self::KeyNextPrevious
                | Self::KeyOpen
                | Self::KeySelect
                | Self::KeyAssign
                | Self::KeyReply
                | Self::KeyNote
                | Self::KeyEscalate
                | Self::KeySearch
                | Self::KeyThisList
                | Self::KeyboardShortcuts
                | Self::ShortcutsOffWhileTyping
                | Self::SelectToAct
                | Self::OneSelected
                | Self::ManySelected
        )
    }
}

fn push_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod json_tests {
    use super::*;

    #[tokio::test]
    async fn the_script_gets_every_message_keyed_by_the_english() {
        let german = super::super::Reader {
            language: spoc_app::Language::De,
            ..Default::default()
        };
        let (staff, customer) =
            super::super::with_reader(german, async { (json(true), json(false)) }).await;
        assert!(staff.contains(r#""Preview":"Vorschau""#), "{staff}");
        assert!(!staff.contains('<'));
        assert_eq!(staff.matches("\":\"").count(), Script::ALL.len());
        assert!(customer.contains(r#""Preview":"Vorschau""#), "{customer}");
        assert!(
            !customer.contains("Internal note"),
            "the desk's words stay on the desk"
        );
        let mut out = String::new();
        push_string(&mut out, "a\"</script>\n");
        assert_eq!(out, r#""a\"\u003c/script\u003e\u000a""#);
    }
}
