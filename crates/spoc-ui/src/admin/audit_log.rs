//! The admin audit log (`/admin/audit-log`): administrative actions, newest first, filtered by
//! action, person, target and time, a page at a time. People are shown by their current name
//! (looked up as the page is made: after erasure, their anonymous name); entries store only ids
//! and codes.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, AuditActor, AuditEntry, AuditFilter, AuditPage};
use spoc_domain::UserId;
use spoc_domain::audit::{AUDIT_CODES, AUDIT_TARGET_KINDS};

use super::frame::{page, require_admin};
use crate::i18n::audit::{self as words, Audit};
use crate::i18n::{t, tr};
use crate::page::{FieldErrors, empty_state, error_box, none, select, text_input};
use crate::session::{UiError, Viewer};
use crate::timefmt::{iso, when};
use spoc_http::AppState;
use spoc_http::params::parse_instant;

/// The address of the page.
pub(crate) const PATH: &str = "/admin/audit-log";

/// The filters as the form sends them (empty: no filter).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    actor_id: String,
    #[serde(default)]
    target_kind: String,
    #[serde(default)]
    target_id: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    cursor: String,
}

impl AuditQuery {
    /// The app's filter, or the name of the field that does not parse.
    fn filter(&self) -> Result<AuditFilter, &'static str> {
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        let id = |field: &'static str, v: &str| match text(v) {
            None => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .map(Some)
                .ok_or(field),
        };
        let instant = |field: &'static str, v: &str| match text(v) {
            None => Ok(None),
            Some(v) => parse_instant(field, &v).map(Some).map_err(|_| field),
        };
        Ok(AuditFilter {
            action: text(&self.action),
            actor_id: id("actor_id", &self.actor_id)?.map(UserId::new),
            target_kind: text(&self.target_kind),
            target_id: id("target_id", &self.target_id)?,
            from: instant("from", &self.from)?,
            until: instant("until", &self.until)?,
            before_id: id("cursor", &self.cursor)?,
            limit: 50,
        })
    }

    /// The query string of the next page, keeping the filters.
    fn next(&self, cursor: i64) -> String {
        let pairs = [
            ("action", &self.action),
            ("actor_id", &self.actor_id),
            ("target_kind", &self.target_kind),
            ("target_id", &self.target_id),
            ("from", &self.from),
            ("until", &self.until),
        ];
        let mut query = form_urlencoded(&pairs);
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&format!("cursor={cursor}"));
        format!("{PATH}?{query}")
    }
}

/// `name=value` pairs of the non-empty values, percent-encoded.
fn form_urlencoded(pairs: &[(&str, &String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| {
            let encoded: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={encoded}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `GET /admin/audit-log`.
pub(super) async fn audit_log(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<AuditQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let (page_of, problem) = match query.filter() {
        Ok(filter) => match state.app.audit_log(&viewer.actor, filter).await {
            Ok(found) => (found, None),
            Err(AppError::Validation(e)) => (empty(), Some(e.field)),
            Err(e) => return Err(e.into()),
        },
        Err(field) => (empty(), Some(field)),
    };
    let content = html! {
        div class="page-head" { div {
            h1 { (t(Audit::Title)) }
            p class="muted" { (t(Audit::Intro)) }
        } }
        (error_box(problem.map(|field| tr(Audit::BadFilter, &[&field])).as_deref()))
        (filters(&query))
        (table(&page_of.entries))
        @if let Some(next) = page_of.next {
            p { a class="button button-small" href=(query.next(next)) { (t(Audit::Older)) } }
        }
    };
    Ok(page(
        &viewer,
        PATH,
        t(Audit::Title),
        StatusCode::OK,
        content,
    ))
}

fn empty() -> AuditPage {
    AuditPage {
        entries: Vec::new(),
        next: None,
    }
}

fn filters(query: &AuditQuery) -> Markup {
    let errors = FieldErrors::none();
    let mut actions = vec![(String::new(), t(Audit::AnyAction).to_owned())];
    actions.extend(
        AUDIT_CODES
            .iter()
            .map(|c| ((*c).to_owned(), words::action(c).to_owned())),
    );
    let mut kinds = vec![(String::new(), t(Audit::AnyTarget).to_owned())];
    kinds.extend(
        AUDIT_TARGET_KINDS
            .iter()
            .map(|k| ((*k).to_owned(), words::target_kind(k).to_owned())),
    );
    html! {
        form class="form form-inline panel" method="get" action=(PATH) role="search" {
            (select("a-action", "action", t(Audit::Action), &actions, &query.action, &errors))
            (text_input("a-actor", "actor_id", t(Audit::ActorId), "number", &query.actor_id, false, None, &errors))
            (select("a-kind", "target_kind", t(Audit::TargetKind), &kinds, &query.target_kind, &errors))
            (text_input("a-target", "target_id", t(Audit::TargetId), "number", &query.target_id, false, None, &errors))
            (text_input("a-from", "from", t(Audit::From), "date", &query.from, false, None, &errors))
            (text_input("a-until", "until", t(Audit::Until), "date", &query.until, false, None, &errors))
            div class="form-actions" { button class="button button-primary" type="submit" { (t(Audit::Filter)) } }
        }
    }
}

fn who(actor: &AuditActor) -> Markup {
    match actor {
        AuditActor::Person {
            id,
            name: Some(name),
        } => {
            html! { a href={ "/admin/users/" (id) } { bdi { (name) } } }
        }
        AuditActor::Person { id, name: None } => html! { (tr(Audit::FormerPerson, &[id])) },
        AuditActor::System(kind) => {
            html! { span class="muted" { (crate::i18n::words::system(*kind)) } }
        }
        AuditActor::Unknown => none(),
    }
}

fn table(entries: &[AuditEntry]) -> Markup {
    html! {
        @if entries.is_empty() {
            (empty_state(t(Audit::Nothing), t(Audit::NothingText), None))
        } @else {
            div class="table-wrap" { table class="data cards-on-phone" id="audit-log" {
                caption class="visually-hidden" { (t(Audit::Caption)) }
                thead { tr {
                    th scope="col" { (t(Audit::When)) }
                    th scope="col" { (t(Audit::Who)) }
                    th scope="col" { (t(Audit::What)) }
                    th scope="col" { (t(Audit::TargetKind)) }
                    th scope="col" { (t(Audit::Details)) }
                } }
                tbody {
                    @for entry in entries {
                        tr {
                            td class="nowrap small" data-label=(t(Audit::When)) { time datetime=(iso(entry.at)) { (when(entry.at)) } }
                            td data-label=(t(Audit::Who)) { (who(&entry.actor)) }
                            td data-label=(t(Audit::What)) { (words::action(&entry.action)) br; code class="small" { (entry.action) } }
                            td data-label=(t(Audit::TargetKind)) {
                                (words::target_kind(&entry.target_kind))
                                @if let Some(id) = entry.target_id { " " code { (id) } }
                            }
                            td class="small break" data-label=(t(Audit::Details)) {
                                @if entry.details.is_empty() { (none()) }
                                @for (key, value) in &entry.details { code { (key) "=" (value) } " " }
                            }
                        }
                    }
                }
            } }
        }
    }
}

#[cfg(test)]
mod tests {
    use spoc_domain::Timestamp;
    use spoc_domain::access::SystemActor;

    use super::*;

    fn entry(actor: AuditActor) -> AuditEntry {
        AuditEntry {
            id: 7,
            at: Timestamp::from_micros(1_800_000_000_000_000),
            actor,
            action: "person.role_changed".to_owned(),
            target_kind: "user".to_owned(),
            target_id: Some(12),
            details: vec![
                ("from".into(), "customer".into()),
                ("to".into(), "agent".into()),
            ],
        }
    }

    #[tokio::test]
    async fn entries_show_the_actor_action_and_details_in_the_readers_language() {
        let rows = [
            entry(AuditActor::Person {
                id: UserId::new(3),
                name: Some("Ada <Admin>".into()),
            }),
            entry(AuditActor::System(SystemActor::Automation)),
        ];
        let html = table(&rows).into_string();
        assert!(html.contains("Ada &lt;Admin&gt;"), "{html}");
        assert!(html.contains("Role changed"), "{html}");
        assert!(html.contains("from=customer"), "{html}");
        let german = crate::i18n::Reader {
            language: spoc_app::Language::De,
            ..crate::i18n::Reader::default()
        };
        let html = crate::i18n::with_reader(german, async { table(&rows).into_string() }).await;
        assert!(html.contains("Rolle geändert"), "{html}");
        assert!(table(&[]).into_string().contains("Nothing recorded"));
    }

    #[test]
    fn the_next_page_keeps_the_filters() {
        let query = AuditQuery {
            action: "group.created".into(),
            from: "2026-12-01".into(),
            ..AuditQuery::default()
        };
        assert_eq!(
            query.next(40),
            "/admin/audit-log?action=group.created&from=2026-12-01&cursor=40"
        );
        assert_eq!(
            AuditQuery {
                actor_id: "x".into(),
                ..AuditQuery::default()
            }
            .filter()
            .unwrap_err(),
            "actor_id"
        );
    }
}
