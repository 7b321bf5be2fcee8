//! The controlled-document core: section diffs of any kind of document, the restore rule (an
//! edit by another name, never a way past review), who counts as a version's author, and
//! review dates.

use spoc_domain::document::*;
use spoc_domain::knowledge::{ArticleContent, ArticleKind, Audience};
use spoc_domain::sop::{self, GovernanceError, VersionState};
use spoc_domain::{Timestamp, UserId};

/// A two-section document.
struct Memo {
    subject: String,
    text: String,
}

impl Sections for Memo {
    fn sections(&self) -> Vec<(&'static str, String)> {
        vec![
            ("subject", self.subject.clone()),
            ("text", self.text.clone()),
        ]
    }
}

fn memo(subject: &str, text: &str) -> Memo {
    Memo {
        subject: subject.to_owned(),
        text: text.to_owned(),
    }
}

#[test]
fn a_section_diff_names_only_what_changed_line_by_line() {
    let old = memo("Printers", "Turn it off.\nTurn it on.\n");
    let new = memo("Printers", "Turn it off.\nWait ten seconds.\nTurn it on.\n");
    let diff = diff_sections(&old, &new);
    assert_eq!(diff.len(), 1);
    assert_eq!(diff[0].section, "text");
    assert_eq!(
        diff[0].lines,
        [
            DiffLine::Same("Turn it off.".into()),
            DiffLine::Added("Wait ten seconds.".into()),
            DiffLine::Same("Turn it on.".into()),
        ]
    );
    assert!(diff_sections(&old, &old).is_empty());
    let renamed = diff_sections(&old, &memo("Scanners", &old.text));
    assert_eq!(
        renamed
            .iter()
            .map(|s| (s.section, s.lines.clone()))
            .collect::<Vec<_>>(),
        [(
            "subject",
            vec![
                DiffLine::Removed("Printers".into()),
                DiffLine::Added("Scanners".into())
            ]
        )]
    );
}

#[test]
fn articles_diff_through_the_core_in_reading_order() {
    let article = |title: &str, body: &str| {
        ArticleContent::parse(
            ArticleKind::HowTo,
            Audience::Customers,
            title,
            body,
            None,
            None,
            None,
            None,
        )
        .expect("valid")
    };
    let old = article("Reset VPN", "Open it.");
    let new = article("Reset the VPN", "Open it.\nClick Reset.");
    let sections: Vec<&str> = diff_sections(&old, &new)
        .iter()
        .map(|s| s.section)
        .collect();
    assert_eq!(sections, ["title", "body"]);
    assert_eq!(
        spoc_domain::knowledge::diff_articles(&old, &new),
        diff_sections(&old, &new)
    );
}

#[test]
fn a_restore_says_where_its_content_came_from() {
    let restore = Restore { from: 3 };
    assert_eq!(restore.change_note(), "Restored version 3");
    assert_eq!(restore.log_comment(), "from version 3");
}

/// An SOP's restore lands like an edit: a draft is revised in place, a version in review must
/// come back first, and after it took effect (or ended) a new draft version starts.
#[test]
fn an_sop_restore_follows_the_edit_rule_and_never_skips_review() {
    assert_eq!(
        sop::edit_plan(4, VersionState::Draft),
        Ok(EditPlan::ReviseDraft(4))
    );
    for state in [
        VersionState::Submitted,
        VersionState::Checked,
        VersionState::Validated,
    ] {
        assert_eq!(
            sop::edit_plan(4, state),
            Err(GovernanceError::InReview { version: 4, state })
        );
    }
    for state in [
        VersionState::Effective,
        VersionState::Superseded,
        VersionState::Retired,
    ] {
        let plan = sop::edit_plan(4, state).expect("a new version");
        assert_eq!(plan, EditPlan::NewVersion);
        assert_eq!(plan.number(4), 5);
    }
    assert_eq!(EditPlan::ReviseDraft(4).number(4), 4);
}

fn entry(version: i64, action: &str, actor: i64) -> LogEntry {
    LogEntry {
        version,
        action: action.to_owned(),
        actor_id: Some(UserId::new(actor)),
        actor_system: None,
        at: Timestamp::from_micros(0),
        comment: None,
    }
}

/// Whoever restored a version is one of its authors, so separation of duties keeps them from
/// validating or approving it.
#[test]
fn whoever_restores_a_version_is_one_of_its_authors() {
    let log = [
        entry(2, "drafted", 10),
        entry(2, "submit", 10),
        entry(2, "return", 20),
        entry(2, RESTORED, 30),
        entry(1, EDITED, 40),
        entry(2, "check", 50),
    ];
    let authors = authors_of(2, Some(UserId::new(10)), &log);
    assert_eq!(authors, [UserId::new(10), UserId::new(10), UserId::new(30)]);
    let facts = sop::version_facts(2, VersionState::Checked, Some(UserId::new(10)), &log);
    assert!(facts.authors.contains(&UserId::new(30)));
    assert!(!facts.authors.contains(&UserId::new(50)));
}

#[test]
fn a_review_is_upcoming_two_weeks_ahead_and_overdue_on_its_date() {
    let day = |n: i64| Timestamp::from_micros(n * DAY_MICROS);
    let due = next_review(day(10), 6);
    assert_eq!(due, day(10 + 180));
    assert_eq!(review_due(due, day(10)), ReviewDue::NotDue);
    assert_eq!(
        review_due(due, day(190 - REVIEW_NOTICE_DAYS - 1)),
        ReviewDue::NotDue
    );
    assert_eq!(
        review_due(due, day(190 - REVIEW_NOTICE_DAYS)),
        ReviewDue::Upcoming
    );
    assert_eq!(review_due(due, day(189)), ReviewDue::Upcoming);
    assert_eq!(review_due(due, due), ReviewDue::Overdue);
    assert_eq!(review_due(due, day(400)), ReviewDue::Overdue);
}

#[test]
fn document_kinds_have_wire_names() {
    assert_eq!(DocumentKind::parse("sop"), Ok(DocumentKind::Sop));
    assert_eq!(DocumentKind::Article.as_str(), "article");
    assert!(DocumentKind::parse("memo").is_err());
}
