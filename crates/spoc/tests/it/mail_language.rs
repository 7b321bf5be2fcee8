//! E-mails are written in their recipient's language: the one a person chose for the pages.
//! Through the real relay into an SMTP sink, on both backends.

use serde_json::json;

use crate::both_backends;
use crate::harness::Desk;
use crate::mail::{customer, relay};
use crate::mailservers::SmtpSink;

both_backends! {
    /// A requester who reads the desk in German gets her notices in German (subject, greeting,
    /// resolution, links and footer, `lang="de"` in the HTML); an English reader's stay English.
    async fn a_german_requester_gets_her_mail_in_german(desk: Desk) {
        let sink = SmtpSink::started();
        let (german, german_email) = customer(&desk).await;
        let (english, english_email) = customer(&desk).await;
        let actor = desk.app.authenticate_token(&german.token).await.unwrap();
        desk.app.set_own_reading_settings(&actor, "Europe/Berlin", "de").await.unwrap();
        let agent = desk.agent_in(&[desk.default_group().await]).await;
        for (who, title) in [(&german, "Drucker druckt nicht"), (&english, "Printer does not print")] {
            let id = desk.ticket(who, "incident", title).await["id"].as_i64().unwrap();
            desk.act(&agent, id, "assign", json!({"assignee_id": agent.id})).await.expect(200);
            desk.act(&agent, id, "resolve", json!({"code": "workaround", "notes": "Use the printer on floor 2."})).await.expect(200);
        }
        desk.app.deliver_mail(&relay(&sink), "test", 50).await.unwrap();
        let sent = sink.wait_for(4).await;
        let parsed = |address: &str| {
            sent.iter()
                .filter(|m| m.recipients == [address.to_owned()])
                .map(|m| spoc_mail::parse(m.message.as_bytes(), &spoc_mail::Limits::default()).unwrap())
                .collect::<Vec<_>>()
        };
        let (to_her, to_him) = (parsed(&german_email), parsed(&english_email));
        assert_eq!((to_her.len(), to_him.len()), (2, 2), "logged and resolved each: {sent:?}");
        let resolved = to_her.iter().find(|m| m.subject.contains("Gelöst: Drucker druckt nicht"))
            .unwrap_or_else(|| panic!("a German resolution notice: {:?}", to_her.iter().map(|m| &m.subject).collect::<Vec<_>>()));
        assert!(resolved.text.starts_with("Guten Tag,"), "{}", resolved.text);
        assert!(resolved.text.contains("Lösung: Umgehungslösung bereitgestellt"), "{}", resolved.text);
        assert!(resolved.text.contains("bitte behalten Sie ["), "{}", resolved.text);
        let raw_to_her = sent.iter().filter(|m| m.recipients == [german_email.clone()]);
        assert!(raw_to_her.clone().all(|m| m.message.contains(r#"lang="de""#) || m.message.contains(r#"lang=3D"de""#)),
            "the HTML part says it is German: {:?}", raw_to_her.map(|m| &m.message).collect::<Vec<_>>());
        assert!(to_her.iter().any(|m| m.text.contains("Wir haben Ihre Anfrage als")), "{to_her:?}");
        assert!(to_him.iter().any(|m| m.subject.contains("Resolved: Printer does not print")), "{to_him:?}");
        assert!(to_him.iter().all(|m| m.text.starts_with("Hello,")), "{to_him:?}");
    }
}
