//! The agent workspace: queues with filters and counts, the ticket view with its actions and
//! editor, logging a call for a caller, and the global search box.

pub(crate) mod action_forms;
pub(crate) mod actions;
pub(crate) mod canned;
pub(crate) mod checklist;
pub(crate) mod composer;
pub(crate) mod editor;
pub(crate) mod email;
pub(crate) mod lead;
pub(crate) mod links;
pub(crate) mod new_call;
pub(crate) mod queue;
pub(crate) mod related;
pub(crate) mod reply;
pub(crate) mod reports;
pub(crate) mod search;
pub(crate) mod ticket;

use axum::Router;
use axum::routing;
use spoc_http::AppState;

/// The agent workspace: queues, search, tickets, logging a call, e-mails and attachments, the
/// SLA report.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk", routing::get(queue::queue))
        .route("/desk/search", routing::get(search::search))
        .route("/portal/search", routing::get(search::search))
        .route(lead::PATH, routing::get(lead::lead_home))
        .route("/desk/bulk", routing::post(queue::bulk))
        .route("/desk/columns", routing::post(queue::save_columns))
        .route("/desk/views", routing::post(queue::create_view))
        .route("/desk/views/{id}/rename", routing::post(queue::rename_view))
        .route("/desk/views/{id}/delete", routing::post(queue::delete_view))
        .route("/desk/reports", routing::get(reports::sla))
        .route(
            "/desk/new",
            routing::get(new_call::new_call).post(new_call::new_call_submit),
        )
        .route("/desk/callers", routing::post(new_call::register_caller))
        .route("/desk/tickets/{id}", routing::get(ticket::ticket))
        .route(
            "/desk/canned",
            routing::get(canned::list).post(canned::create),
        )
        .route("/desk/canned/{id}", routing::post(canned::update))
        .route("/desk/canned/{id}/delete", routing::post(canned::delete))
        .route("/desk/tickets/{id}/comment", routing::post(reply::comment))
        .route("/desk/tickets/{id}/edit", routing::post(actions::edit))
        .route("/desk/tickets/{id}/links", routing::post(links::submit))
        .route(
            "/desk/tickets/{id}/act/{action}",
            routing::post(actions::act),
        )
        .route(
            "/desk/tickets/{id}/emails/{mail}",
            routing::get(email::desk_email),
        )
        .route(
            "/desk/tickets/{id}/sop/step",
            routing::post(ticket::sop_step),
        )
        .route(
            "/desk/tickets/{id}/sop/answer",
            routing::post(ticket::sop_step),
        )
        .route(
            "/desk/tickets/{id}/articles",
            routing::post(checklist::record_article),
        )
        .route("/attachments/{id}", routing::get(email::attachment))
}

#[cfg(test)]
mod tests {
    use spoc_app::Language;

    use crate::i18n::desk::Desk;
    use crate::i18n::tr_markup;
    use crate::i18n::{Reader, with_reader};

    #[tokio::test]
    async fn a_sentence_with_markup_keeps_the_markup_in_each_language() {
        let name = || [maud::html! { bdi { "Una <U>" } }];
        assert_eq!(
            tr_markup(Desk::CallLogNewFor, &name()).into_string(),
            "3. Log a new ticket for <bdi>Una &lt;U&gt;</bdi>"
        );
        let german = Reader {
            language: Language::De,
            ..Reader::default()
        };
        let said = with_reader(german, async {
            tr_markup(Desk::CallOpenTicketsOf, &name())
        })
        .await;
        assert_eq!(
            said.into_string(),
            "2. Offene Tickets von <bdi>Una &lt;U&gt;</bdi>"
        );
    }
}
