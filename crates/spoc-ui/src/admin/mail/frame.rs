//! What the mail admin pages share: their tabs, the attention count, ticket links and paging.

use std::collections::HashMap;

use maud::{Markup, html};
use spoc_app::{AppError, InboundOutcome};
use spoc_domain::TicketId;

use crate::i18n::mail_admin::MailAdmin;
use crate::i18n::{t, tr};
use crate::page::none;
use crate::session::Viewer;
use spoc_http::AppState;

/// How many rows a log page shows.
pub(crate) const PAGE_SIZE: i64 = 50;

/// The tabs of the mail pages; `counts` are (needing attention, waiting, dead letters) when
/// known. People who are not admins see only the inbound log.
pub(crate) fn tabs(viewer: &Viewer, current: &str, counts: (Option<usize>, Option<i64>)) -> Markup {
    let (attention, dead) = counts;
    let tab = |href: &str, label: &str, count: Option<String>| {
        html! {
            li {
                a href=(href) aria-current=[(href == current).then_some("page")] {
                    (label)
                    @if let Some(count) = count { " " span class="count" { (count) } }
                }
            }
        }
    };
    html! {
        nav class="tabs" aria-label=(t(MailAdmin::TabsLabel)) {
            ul {
                @if viewer.actor.is_admin() {
                    (tab("/admin/mail", t(MailAdmin::TabMailboxes), None))
                }
                (tab("/admin/mail/inbound", t(MailAdmin::InboundMail), attention.filter(|n| *n > 0).map(|n| n.to_string())))
                @if viewer.actor.is_admin() {
                    (tab("/admin/mail/outbox", t(MailAdmin::Outbox), dead.filter(|n| *n > 0).map(|n| tr(MailAdmin::DeadCount, &[&n]))))
                    (tab("/admin/mail/relay", t(MailAdmin::OutgoingMail), None))
                }
            }
        }
    }
}

/// How many messages wait for someone (at most one page's worth is counted).
pub(crate) async fn attention_count(state: &AppState, viewer: &Viewer) -> Result<usize, AppError> {
    Ok(state
        .app
        .list_inbound(
            &viewer.actor,
            &[InboundOutcome::Held, InboundOutcome::Quarantined],
            true,
            None,
            200,
        )
        .await?
        .len())
}

/// The dead letters, for the tab (admins only; `None` for others).
pub(crate) async fn dead_count(state: &AppState, viewer: &Viewer) -> Result<Option<i64>, AppError> {
    if !viewer.actor.is_admin() {
        return Ok(None);
    }
    Ok(Some(state.app.outbox_counts(&viewer.actor).await?.1))
}

/// Ticket references for links: `INC-000042` for each ticket the viewer may see.
pub(crate) async fn ticket_numbers(
    state: &AppState,
    viewer: &Viewer,
    ids: Vec<TicketId>,
) -> Result<HashMap<TicketId, String>, AppError> {
    let mut numbers = HashMap::new();
    for id in ids {
        if numbers.contains_key(&id) {
            continue;
        }
        match state.app.get_ticket(&viewer.actor, id).await {
            Ok(ticket) => {
                numbers.insert(id, ticket.number().to_string());
            }
            Err(AppError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(numbers)
}

pub(crate) fn ticket_link(id: Option<TicketId>, numbers: &HashMap<TicketId, String>) -> Markup {
    match id {
        Some(id) => {
            let number = numbers
                .get(&id)
                .cloned()
                .unwrap_or_else(|| tr(MailAdmin::TicketFallback, &[&id]));
            html! { a class="mono nowrap" href={ "/desk/tickets/" (id) } { (number) } }
        }
        None => none(),
    }
}

/// The "send a test message" form, on the relay and the outbox pages.
#[derive(Debug, Default, serde::Deserialize)]
pub struct TestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to: String,
}

/// Queues the test message of `form` (admins only) and answers with `back`, the page the form
/// was on: its success flash, or the address and the sentence about it next to the field.
pub(crate) async fn queue_test_message(
    state: &AppState,
    viewer: &Viewer,
    form: &TestForm,
    back: &str,
) -> Result<axum::response::Response, crate::session::UiError> {
    use axum::response::{IntoResponse, Redirect};
    viewer.check_csrf(&form.csrf)?;
    crate::admin::frame::require_admin(viewer)?;
    match state.app.send_test_message(&viewer.actor, &form.to).await {
        Ok(()) => Ok(Redirect::to(&format!("{back}?ok=test_queued#test-message")).into_response()),
        Err(AppError::Validation(e)) => Ok(Redirect::to(&format!(
            "{back}?to={}&error={}#test-message",
            crate::links::encode(&form.to),
            crate::links::encode(&crate::session::sentence(&tr(
                MailAdmin::AddressProblem,
                &[&e.message]
            )))
        ))
        .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use spoc_domain::access::Actor;
    use spoc_domain::user::Role;
    use spoc_domain::{GroupId, UserId};

    use crate::session::Viewer;

    /// A signed-in viewer of `role`, for the mail pages' tests.
    pub(crate) fn viewer(role: Role) -> Viewer {
        Viewer {
            actor: Actor {
                tenant_id: spoc_domain::TenantId::FIRST,
                principal: spoc_domain::access::Principal::User(UserId::new(1)),
                role,
                organization_id: None,
                super_user: false,
                group_ids: vec![GroupId::new(1)],
                credential: spoc_domain::credential::Credential::Direct,
            },
            user_id: UserId::new(1),
            csrf: "c".repeat(64),
            name: "Alex".to_owned(),
        }
    }
}
