//! The notices rendered, as snapshots.

use super::*;

fn ticket() -> TicketSummary {
    TicketSummary {
        number: "INC-000042".to_owned(),
        title: "Printer on floor 3 is jammed".to_owned(),
        url: "https://desk.example.com/portal/tickets/42".to_owned(),
    }
}

#[test]
fn ticket_logged_snapshot() {
    let rendered = Notice::TicketLogged {
        ticket: ticket(),
        next_step: "Workplace Support will look at it.".to_owned(),
        sla: Some("We aim to resolve it within 8 business hours.".to_owned()),
    }
    .render("IT Service Desk");
    assert_eq!(
        rendered.subject,
        "[INC-000042] Printer on floor 3 is jammed"
    );
    assert_eq!(
        rendered.text,
        "Hello,\n\
         \n\
         We have logged your request as INC-000042: Printer on floor 3 is jammed.\n\
         \n\
         What happens next: Workplace Support will look at it.\n\
         \n\
         We aim to resolve it within 8 business hours.\n\
         \n\
         View the ticket: https://desk.example.com/portal/tickets/42\n\
         \n\
         -- \n\
         Reply to this e-mail to add to the ticket; please keep [INC-000042] in the subject.\n\
         IT Service Desk\n"
    );
    assert_eq!(
        rendered.html,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>[INC-000042] Printer on floor 3 is jammed</title></head><body>\
         <p>Hello,</p>\
         <p>We have logged your request as INC-000042: Printer on floor 3 is jammed.</p>\
         <p>What happens next: Workplace Support will look at it.</p>\
         <p>We aim to resolve it within 8 business hours.</p>\
         <p><a href=\"https://desk.example.com/portal/tickets/42\">View the ticket</a></p>\
         <hr><p><small>Reply to this e-mail to add to the ticket; please keep [INC-000042] \
         in the subject.</small><br><small>IT Service Desk</small></p></body></html>"
    );
}

#[test]
fn a_notice_is_written_in_the_recipients_language() {
    let rendered = Notice::Resolved {
        ticket: ticket(),
        resolution: "Gelöst".to_owned(),
        notes: "Papierstau in Fach 2 entfernt.".to_owned(),
        confirm_url: "https://desk.example.com/c".to_owned(),
        reopen_url: "https://desk.example.com/r".to_owned(),
    }
    .render_in("IT-Service-Desk", Language::De);
    assert_eq!(
        rendered.subject,
        "[INC-000042] Gelöst: Printer on floor 3 is jammed"
    );
    assert_eq!(
        rendered.text,
        "Guten Tag,\n\
         \n\
         Wir haben INC-000042 gelöst: Printer on floor 3 is jammed.\n\
         \n\
         Lösung: Gelöst\n\
         \n\
         Papierstau in Fach 2 entfernt.\n\
         \n\
         Wenn das Problem damit gelöst ist, bestätigen Sie es bitte: https://desk.example.com/c\n\
         \n\
         Wenn nicht, öffnen Sie das Ticket wieder: https://desk.example.com/r\n\
         \n\
         -- \n\
         Antworten Sie auf diese E-Mail, um das Ticket zu ergänzen; bitte behalten Sie \
         [INC-000042] im Betreff.\n\
         IT-Service-Desk\n"
    );
    assert!(
        rendered
            .html
            .starts_with("<!DOCTYPE html><html lang=\"de\">")
    );
    let warning = Notice::SlaWarning {
        ticket: ticket(),
        target: "Erste Reaktion".to_owned(),
        due: "fällig am 01.12.2026 14:30 (Europe/Berlin)".to_owned(),
    }
    .render_in("IT-Service-Desk", Language::De);
    assert!(
        warning
            .text
            .contains("Das Ziel „Erste Reaktion“ von INC-000042"),
        "{}",
        warning.text
    );
    assert!(
        warning
            .text
            .contains("Dies ist eine automatische Nachricht von IT-Service-Desk.")
    );
}

#[test]
fn resolved_snapshot() {
    let rendered = Notice::Resolved {
        ticket: ticket(),
        resolution: "Solved".to_owned(),
        notes: "Removed a paper jam in tray 2.\nThe printer works again.".to_owned(),
        confirm_url: "https://desk.example.com/portal/tickets/42/confirm".to_owned(),
        reopen_url: "https://desk.example.com/portal/tickets/42/reopen".to_owned(),
    }
    .render("IT Service Desk");
    assert_eq!(
        rendered.subject,
        "[INC-000042] Resolved: Printer on floor 3 is jammed"
    );
    assert_eq!(
        rendered.text,
        "Hello,\n\
         \n\
         We have resolved INC-000042: Printer on floor 3 is jammed.\n\
         \n\
         Resolution: Solved\n\
         \n\
         Removed a paper jam in tray 2.\n\
         The printer works again.\n\
         \n\
         If this solves it, please confirm: https://desk.example.com/portal/tickets/42/confirm\n\
         \n\
         If it does not, reopen the ticket: https://desk.example.com/portal/tickets/42/reopen\n\
         \n\
         -- \n\
         Reply to this e-mail to add to the ticket; please keep [INC-000042] in the subject.\n\
         IT Service Desk\n"
    );
    assert!(
        rendered
            .html
            .contains("<p>Removed a paper jam in tray 2.<br>The printer works again.</p>")
    );
}

#[test]
fn html_escapes_everything_from_the_view_model() {
    let evil = TicketSummary {
        number: "INC-000042".to_owned(),
        title: "<script>alert(1)</script> & \"quotes\"".to_owned(),
        url: "javascript:alert(1)".to_owned(),
    };
    let notices = [
        Notice::TicketLogged {
            ticket: evil.clone(),
            next_step: "<img src=x onerror=alert(1)>".to_owned(),
            sla: None,
        },
        Notice::AgentReply {
            ticket: evil.clone(),
            author: "<b>Agent</b>".to_owned(),
            reply: "<script>alert(2)</script>\n\nsecond".to_owned(),
        },
        Notice::SlaBreach {
            ticket: evil.clone(),
            target: "<i>Resolution</i>".to_owned(),
            due: "<u>now</u>".to_owned(),
        },
    ];
    for notice in notices {
        let rendered = notice.render("<Desk>");
        assert!(!rendered.html.contains("<script"), "{}", rendered.html);
        assert!(!rendered.html.contains("<img"), "{}", rendered.html);
        assert!(!rendered.html.contains("<b>Agent"), "{}", rendered.html);
        assert!(
            !rendered.html.contains("href=\"javascript"),
            "{}",
            rendered.html
        );
        assert!(
            rendered
                .html
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;")
                || rendered
                    .html
                    .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\"")
        );
    }
}

#[test]
fn replies_show_only_the_reply_and_agents_get_their_own_footer() {
    let reply = Notice::AgentReply {
        ticket: ticket(),
        author: "Alex Agent".to_owned(),
        reply: "Please restart the printer.".to_owned(),
    }
    .render("IT Service Desk");
    assert_eq!(reply.subject, "[INC-000042] Printer on floor 3 is jammed");
    assert!(
        reply
            .text
            .starts_with("Alex Agent replied to INC-000042:\n\nPlease restart the printer.\n\n")
    );
    let breach = Notice::SlaBreach {
        ticket: ticket(),
        target: "Resolution".to_owned(),
        due: "Tue 3 Jun 14:30".to_owned(),
    }
    .render("IT Service Desk");
    assert_eq!(
        breach.subject,
        "[INC-000042] SLA breached: Printer on floor 3 is jammed"
    );
    assert!(
        breach
            .text
            .contains("has missed its resolution target, which was due Tue 3 Jun 14:30.")
    );
    assert!(
        breach
            .text
            .ends_with("-- \nThis is an automatic message from IT Service Desk.\n")
    );
    assert!(!breach.text.contains("Reply to this e-mail"));
}

#[test]
fn rejection_notice_lists_the_files() {
    let rendered = Notice::AttachmentsRejected {
        ticket: None,
        original_subject: "Logs\r\nBcc: x".to_owned(),
        files: vec![RejectedAttachment {
            filename: "dump.zip".to_owned(),
            content_type: "application/zip".to_owned(),
            size: 30 * 1024 * 1024,
            reason: "The file is 30 MB; the limit for one file is 20 MB.".to_owned(),
        }],
    }
    .render("IT Service Desk");
    assert_eq!(rendered.subject, "Attachments not accepted: Logs Bcc: x");
    assert!(rendered.text.contains(
        "We received your message \"Logs Bcc: x\", but could not accept this attachment:\n\n\
         - dump.zip (30 MB): The file is 30 MB; the limit for one file is 20 MB.\n\n"
    ));
    assert!(
        rendered
            .text
            .contains("Reply to this e-mail to reach the service desk.")
    );
    assert!(
        rendered
            .html
            .contains("<li>dump.zip (30 MB): The file is 30 MB")
    );
}

#[test]
fn every_notice_renders() {
    let t = ticket();
    let notices = [
        Notice::PendingOnUser {
            ticket: t.clone(),
            request: "Which room?".to_owned(),
        },
        Notice::Reopened {
            ticket: t.clone(),
            reason: Some("Still jams.".to_owned()),
        },
        Notice::Reopened {
            ticket: t.clone(),
            reason: None,
        },
        Notice::Closed { ticket: t.clone() },
        Notice::SlaWarning {
            ticket: t.clone(),
            target: "Resolution".to_owned(),
            due: "in 30 minutes".to_owned(),
        },
    ];
    for notice in notices {
        let rendered = notice.render("IT Service Desk");
        assert!(
            rendered.subject.starts_with("[INC-000042] "),
            "{}",
            rendered.subject
        );
        assert!(rendered.text.contains("INC-000042"));
        assert!(rendered.html.starts_with("<!DOCTYPE html>"));
    }
}
