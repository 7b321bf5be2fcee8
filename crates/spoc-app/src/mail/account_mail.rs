//! E-mails about an account rather than a ticket: the password reset link and an admin's test
//! message. Queued like every notice (see `crate::account` and `crate::setup`), rendered here at
//! sending time.

use spoc_i18n::Language;

use super::MailJob;
use super::mail_text::{MailText, say};

/// The outbox topic (without `mail.`) of a reset link.
pub(crate) const PASSWORD_RESET: &str = "password_reset";
/// The outbox topic (without `mail.`) of an admin's test message.
pub(crate) const TEST_MESSAGE: &str = "test_message";

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An HTML mail of paragraphs and one optional button link.
fn html_mail(paragraphs: &[&str], link: Option<(&str, &str)>, language: Language) -> String {
    let mut body = String::new();
    for p in paragraphs {
        body.push_str(&format!("<p>{}</p>", escape(p)));
    }
    if let Some((label, url)) = link {
        body.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(url),
            escape(label)
        ));
    }
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"></head>\
         <body style=\"font-family: sans-serif\">{body}</body></html>",
        language.as_str()
    )
}

/// The e-mail of an account topic (reset link, test message), or `None` for other topics.
pub(crate) fn render_account_mail(
    job: &MailJob,
    language: Language,
) -> Option<spoc_mail::Rendered> {
    let say = |msg: MailText| say(msg, language);
    match job.topic.as_str() {
        PASSWORD_RESET => {
            let link = job.body.clone().unwrap_or_default();
            let lines = [
                say(MailText::ResetAsked),
                say(MailText::ResetOpen),
                say(MailText::ResetIgnore),
            ];
            Some(spoc_mail::Rendered {
                subject: say(MailText::ResetSubject).to_owned(),
                text: format!("{}\n\n{}\n\n{link}\n\n{}\n", lines[0], lines[1], lines[2]),
                html: html_mail(&lines, Some((say(MailText::ResetButton), &link)), language),
            })
        }
        TEST_MESSAGE => {
            let line = say(MailText::TestText);
            Some(spoc_mail::Rendered {
                subject: say(MailText::TestSubject).to_owned(),
                text: format!("{line}\n"),
                html: html_mail(&[line], None, language),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reset_mail_carries_its_link_escaped() {
        let mut job = MailJob::to_address(PASSWORD_RESET, "a@b.test");
        job.body = Some("https://desk.test/login/reset/ab?x=\"<".to_owned());
        let rendered = render_account_mail(&job, Language::En).unwrap();
        assert!(
            rendered
                .text
                .contains("https://desk.test/login/reset/ab?x=\"<")
        );
        assert!(rendered.html.contains("ab?x=&quot;&lt;"));
        assert!(!rendered.html.contains("x=\"<"));
        assert_eq!(rendered.subject, "Set a new password");
        let other = MailJob::to_address("resolved", "a@b.test");
        assert!(render_account_mail(&other, Language::En).is_none());
        job.topic = TEST_MESSAGE.to_owned();
        let german = render_account_mail(&job, Language::De).unwrap();
        assert_eq!(german.subject, "Testnachricht vom Service Desk");
        assert!(german.html.contains(r#"<html lang="de">"#));
    }
}
