//! The one search box (`/desk/search` for staff, `/portal/search` for customers): a ticket
//! number (`INC-000042`, `#42`, `42`) jumps straight to the ticket; words find tickets, people,
//! organisations and articles, shown in groups. What each person finds is decided by the app's
//! `search_everything`: customers find only their own tickets and the articles published for
//! them.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, SearchResults};

use crate::i18n::desk::Desk;
use crate::i18n::t;
use crate::i18n::tr_markup;
use crate::page::{Area, Shell, empty_state, status_badge};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// The query of a search.
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// The search form, repeated on the results page with the words kept.
fn search_form(action: &str, text: &str, error: Option<&str>) -> Markup {
    html! {
        form class="form search-form" role="search" action=(action) method="get" {
            div class="field" {
                label for="search-q" { (t(Desk::SearchSearch)) }
                div class="cluster" {
                    input id="search-q" name="q" type="search" value=(text)
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby=[error.map(|_| "search-q-error")];
                    button class="button button-primary" type="submit" { (t(Desk::SearchSearch)) }
                }
                @if let Some(error) = error {
                    p class="field-error" id="search-q-error" { (error) }
                }
            }
        }
    }
}

/// The results, grouped; links lead to the desk's pages for staff, the portal's for customers.
fn results_page(staff: bool, admin: bool, text: &str, found: &SearchResults) -> Markup {
    let ticket_href = |id: i64| {
        if staff {
            format!("/desk/tickets/{id}")
        } else {
            format!("/portal/tickets/{id}")
        }
    };
    let article_href = |id: i64| {
        if staff {
            format!("/desk/kb/{id}")
        } else {
            format!("/portal/kb/{id}")
        }
    };
    html! {
        @if found.is_empty() {
            (empty_state(t(Desk::SearchNothingTitle), t(Desk::SearchNothingText), None))
        }
        @if !found.tickets.is_empty() {
            section class="panel search-group" aria-labelledby="found-tickets" {
                h2 id="found-tickets" { (t(Desk::SearchTickets)) " " span class="count" { (found.tickets.len()) } }
                ul class="search-hits" {
                    @for t in &found.tickets {
                        li {
                            a href=(ticket_href(t.id.get())) { span class="mono" { (t.number()) } " " bdi { (t.title) } }
                            " " (status_badge(t.status))
                        }
                    }
                }
            }
        }
        @if !found.people.is_empty() {
            section class="panel search-group" aria-labelledby="found-people" {
                h2 id="found-people" { (t(Desk::SearchPeople)) " " span class="count" { (found.people.len()) } }
                ul class="search-hits" {
                    @for p in &found.people {
                        li {
                            @if admin {
                                a href={ "/admin/users/" (p.id) } { bdi { (p.name) } }
                            } @else {
                                bdi { (p.name) }
                            }
                            " " span class="muted" { (p.email) }
                        }
                    }
                }
            }
        }
        @if !found.organizations.is_empty() {
            section class="panel search-group" aria-labelledby="found-orgs" {
                h2 id="found-orgs" { (t(Desk::SearchOrgs)) " " span class="count" { (found.organizations.len()) } }
                ul class="search-hits" {
                    @for o in &found.organizations {
                        li {
                            @if admin {
                                a href="/admin/organizations" { bdi { (o.name) } }
                            } @else {
                                bdi { (o.name) }
                            }
                        }
                    }
                }
            }
        }
        @if !found.articles.is_empty() {
            section class="panel search-group" aria-labelledby="found-articles" {
                h2 id="found-articles" { (t(Desk::SearchArticles)) " " span class="count" { (found.articles.len()) } }
                ul class="search-hits" {
                    @for a in &found.articles {
                        li {
                            a href=(article_href(a.id.get())) {
                                bdi { (if staff { a.title.as_str() } else { a.published_title.as_deref().unwrap_or(&a.title) }) }
                            }
                        }
                    }
                }
            }
        }
        p class="muted small" { (tr_markup(Desk::SearchedFor, &[html! { strong { (text) } }])) }
    }
}

/// `GET /desk/search` and `GET /portal/search`.
pub async fn search(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<SearchQuery>,
) -> Result<Response, UiError> {
    let staff = viewer.actor.is_staff();
    let (action, area) = if staff {
        ("/desk/search", Area::Desk)
    } else {
        ("/portal/search", Area::Portal)
    };
    let text = query.q.trim();
    let (status, body) = if text.is_empty() {
        (StatusCode::OK, html! { (search_form(action, "", None)) })
    } else {
        match state.app.search_everything(&viewer.actor, text).await {
            Ok(found) => {
                // A ticket number, or digits that name a ticket: straight there.
                let digits_only = text
                    .trim_start_matches('#')
                    .bytes()
                    .all(|b| b.is_ascii_digit());
                let jump = found.ticket.as_ref().filter(|_| {
                    digits_only || spoc_domain::ticket::TicketNumber::parse(text).is_some()
                });
                if let Some(ticket) = jump {
                    let to = if staff {
                        format!("/desk/tickets/{}", ticket.id)
                    } else {
                        format!("/portal/tickets/{}", ticket.id)
                    };
                    return Ok(Redirect::to(&to).into_response());
                }
                let named = spoc_app::ticket_named(text).is_some();
                (
                    StatusCode::OK,
                    html! {
                        (search_form(action, text, None))
                        @if named && found.ticket.is_none() {
                            div class="flash flash-info" role="status" { (t(Desk::SearchNoSuchNumber)) }
                        }
                        div id="search-results" class="stack" {
                            (results_page(staff, viewer.actor.is_admin(), text, &found))
                        }
                    },
                )
            }
            Err(AppError::Validation(e)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                html! { (search_form(action, text, Some(&sentence(&e.message)))) },
            ),
            Err(e) => return Err(e.into()),
        }
    };
    let page = html! {
        div class="page-head" {
            div {
                h1 { (t(Desk::SearchSearch)) }
                p class="muted" {
                    @if staff { (t(Desk::SearchStaffIntro)) }
                    @else { (t(Desk::SearchCustomerIntro)) }
                }
            }
        }
        (body)
    };
    let shell = Shell::new(t(Desk::SearchSearch), area).current(action);
    Ok((
        status,
        Html(shell.render(Some(&viewer), page).into_string()),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_get_portal_links_and_empty_results_say_so() {
        let empty = results_page(false, false, "printer", &SearchResults::default()).into_string();
        assert!(empty.contains("Nothing found"), "{empty}");
        assert!(empty.contains("<strong>printer</strong>"));
        let form = search_form("/portal/search", "a<b", Some("Search for a word.")).into_string();
        assert!(form.contains(r#"action="/portal/search""#));
        assert!(form.contains("a&lt;b"));
        assert!(form.contains(r#"aria-invalid="true""#));
    }
}
