//! Knowledge rules: content validation, the workflow by status and role, who may read what
//! (every status × audience × published audience), and line diffs (with a property: a diff
//! holds both texts).

// Fixtures are built with expect: a broken fixture is a broken test.
#![allow(clippy::expect_used)]

use proptest::prelude::*;
use spoc_domain::UserId;
use spoc_domain::access::{Actor, Principal};
use spoc_domain::knowledge::*;
use spoc_domain::user::Role;

fn actor(role: Role) -> Actor {
    Actor {
        tenant_id: spoc_domain::TenantId::FIRST,
        principal: Principal::User(UserId::new(1)),
        role,
        organization_id: None,
        super_user: false,
        group_ids: vec![],
        credential: spoc_domain::credential::Credential::Direct,
    }
}

#[test]
fn content_needs_what_its_kind_needs() {
    let parse = |kind, body: &str, symptom: Option<&str>, workaround: Option<&str>| {
        ArticleContent::parse(
            kind,
            Audience::Customers,
            "Title",
            body,
            symptom,
            None,
            workaround,
            None,
        )
    };
    assert!(parse(ArticleKind::HowTo, "Do this.", None, None).is_ok());
    assert_eq!(
        parse(ArticleKind::Faq, "  ", None, None).map_err(|e| e.field),
        Err("body")
    );
    assert_eq!(
        parse(ArticleKind::KnownError, "", None, Some("Restart")).map_err(|e| e.field),
        Err("symptom")
    );
    assert_eq!(
        parse(ArticleKind::KnownError, "", Some("Error 809"), None).map_err(|e| e.field),
        Err("workaround")
    );
    let known = parse(
        ArticleKind::KnownError,
        "",
        Some("Error 809"),
        Some("Use SSL"),
    )
    .expect("known error");
    assert_eq!(known.search_text(), "\nError 809\nUse SSL");
    assert_eq!(
        ArticleContent::parse(
            ArticleKind::HowTo,
            Audience::Agents,
            "",
            "x",
            None,
            None,
            None,
            None
        )
        .map_err(|e| e.field),
        Err("title")
    );
    assert_eq!(
        ArticleContent::parse(
            ArticleKind::HowTo,
            Audience::Agents,
            "T",
            "x",
            None,
            None,
            None,
            Some(0)
        )
        .map_err(|e| e.field),
        Err("problem_id")
    );
    let long = "x".repeat(MAX_BODY_CHARS + 1);
    assert!(
        ArticleContent::parse(
            ArticleKind::HowTo,
            Audience::Agents,
            "T",
            &long,
            None,
            None,
            None,
            None
        )
        .is_err()
    );
}

#[test]
fn the_workflow_by_status_action_and_role() {
    for status in ArticleStatus::ALL {
        for action in ArticleAction::ALL {
            for role in Role::ALL {
                let result = decide_article(*status, *action, &actor(role));
                let allowed = allowed_article_actions(*status).contains(action);
                let may = role.is_staff()
                    && allowed
                    && (*action == ArticleAction::Submit
                        || matches!(role, Role::Lead | Role::Admin));
                assert_eq!(
                    result.is_ok(),
                    may,
                    "{status:?} {action:?} {role:?}: {result:?}"
                );
            }
        }
    }
    let lead = actor(Role::Lead);
    assert_eq!(
        decide_article(ArticleStatus::Draft, ArticleAction::Submit, &lead),
        Ok(ArticleStatus::Review)
    );
    assert_eq!(
        decide_article(ArticleStatus::Review, ArticleAction::Publish, &lead),
        Ok(ArticleStatus::Published)
    );
    assert_eq!(
        decide_article(ArticleStatus::Review, ArticleAction::Return, &lead),
        Ok(ArticleStatus::Draft)
    );
    assert_eq!(
        decide_article(ArticleStatus::Published, ArticleAction::Retire, &lead),
        Ok(ArticleStatus::Retired)
    );
    assert_eq!(
        status_after_edit(ArticleStatus::Published),
        Ok(ArticleStatus::Draft)
    );
    assert!(status_after_edit(ArticleStatus::Retired).is_err());
}

#[test]
fn customers_read_only_what_is_published_for_them_in_both_versions() {
    let audiences = [None, Some(Audience::Agents), Some(Audience::Customers)];
    for status in ArticleStatus::ALL {
        for audience in Audience::ALL {
            for published_audience in audiences {
                let v = ArticleVisibility {
                    status: *status,
                    audience: *audience,
                    published_audience,
                };
                let want = *status != ArticleStatus::Retired
                    && *audience == Audience::Customers
                    && published_audience == Some(Audience::Customers);
                assert_eq!(v.customers_may_read(), want, "{v:?}");
                assert_eq!(v.readable_by(&actor(Role::Customer)), want);
                assert!(v.readable_by(&actor(Role::Agent)), "staff read everything");
            }
        }
    }
}

#[test]
fn diffs_mark_added_and_removed_lines() {
    let lines = diff_lines("a\nb\nc\n", "a\nB\nc\nd\n");
    assert_eq!(
        lines,
        vec![
            DiffLine::Same("a".into()),
            DiffLine::Removed("b".into()),
            DiffLine::Added("B".into()),
            DiffLine::Same("c".into()),
            DiffLine::Added("d".into()),
        ]
    );
    assert!(diff_lines("", "").is_empty());
    let old = ArticleContent::parse(
        ArticleKind::HowTo,
        Audience::Agents,
        "T",
        "one\ntwo",
        None,
        None,
        None,
        None,
    )
    .expect("ok");
    let new = ArticleContent {
        audience: Audience::Customers,
        body: "one\nthree".into(),
        ..old.clone()
    };
    let sections: Vec<&str> = diff_articles(&old, &new)
        .iter()
        .map(|s| s.section)
        .collect();
    assert_eq!(sections, ["audience", "body"]);
}

proptest! {
    /// The lines a diff keeps and removes are the old text's lines; those it keeps and adds are
    /// the new text's.
    #[test]
    fn a_diff_holds_both_texts(old in proptest::collection::vec("[a-c]{0,3}", 0..8), new in proptest::collection::vec("[a-c]{0,3}", 0..8)) {
        let (old, new) = (old.join("\n"), new.join("\n"));
        let lines = diff_lines(&old, &new);
        let before: Vec<&str> = lines.iter().filter_map(|l| match l { DiffLine::Same(t) | DiffLine::Removed(t) => Some(t.as_str()), DiffLine::Added(_) => None }).collect();
        let after: Vec<&str> = lines.iter().filter_map(|l| match l { DiffLine::Same(t) | DiffLine::Added(t) => Some(t.as_str()), DiffLine::Removed(_) => None }).collect();
        prop_assert_eq!(before, old.lines().collect::<Vec<_>>());
        prop_assert_eq!(after, new.lines().collect::<Vec<_>>());
    }
}
