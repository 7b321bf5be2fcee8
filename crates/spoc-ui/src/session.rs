//! Who is looking at a page, and what happens when something goes wrong: signed-out visitors are
//! sent to sign in (and back afterwards), errors become pages with a plain sentence.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use spoc_app::AppError;

use crate::i18n::{Msg, t, tr};
use crate::links::encode;
use crate::page::{Area, Shell};
pub use crate::viewer::Viewer;
use spoc_http::AppState;
use spoc_http::extract::session_cookie;

impl Viewer {
    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), UiError> {
        if self.csrf_matches(sent) {
            Ok(())
        } else {
            Err(UiError::page(
                StatusCode::FORBIDDEN,
                t(Msg::ErrCsrfTitle),
                t(Msg::ErrCsrf),
            ))
        }
    }

    /// Refuses customers (the desk is for staff).
    pub fn require_staff(&self) -> Result<(), UiError> {
        if self.actor.is_staff() {
            Ok(())
        } else {
            Err(UiError::Redirect("/portal".to_owned()))
        }
    }
}

/// The sentence shown when a form comes back with a stale or missing CSRF token (a sign-in
/// in another tab, a form left open past its session): the form is shown again with what was
/// typed and this session's token.
pub fn stale_form() -> &'static str {
    t(Msg::FormExpired)
}

/// Why a page cannot be shown.
#[derive(Debug)]
pub enum UiError {
    /// Not signed in (or the session ended): go to sign-in, then come back to `next`.
    SignIn {
        /// Where to return.
        next: String,
        /// Whether a session existed and ended.
        expired: bool,
    },
    /// Somewhere else is the right place.
    Redirect(String),
    /// A page explaining the problem.
    Page {
        /// HTTP status.
        status: StatusCode,
        /// Heading.
        title: &'static str,
        /// What happened and what to do.
        message: String,
    },
}

impl UiError {
    /// An error page.
    pub fn page(status: StatusCode, title: &'static str, message: impl Into<String>) -> Self {
        Self::Page {
            status,
            title,
            message: message.into(),
        }
    }

    /// A 404 page.
    pub fn not_found() -> Self {
        Self::page(
            StatusCode::NOT_FOUND,
            t(Msg::ErrNotFoundTitle),
            t(Msg::ErrNotFound),
        )
    }
}

impl From<AppError> for UiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Unauthenticated => Self::SignIn {
                next: "/".to_owned(),
                expired: true,
            },
            AppError::NotFound { what } => Self::page(
                StatusCode::NOT_FOUND,
                t(Msg::ErrNotFoundTitle),
                tr(Msg::ErrNotFoundThing, &[&crate::i18n::words::thing(what)]),
            ),
            AppError::ReauthenticationRequired(message) => Self::page(
                StatusCode::FORBIDDEN,
                t(Msg::ErrReauthTitle),
                sentence(&message),
            ),
            AppError::Forbidden(message) | AppError::TokenScope(message) => Self::page(
                StatusCode::FORBIDDEN,
                t(Msg::ErrForbiddenTitle),
                sentence(&message),
            ),
            AppError::Validation(e) => Self::page(
                StatusCode::BAD_REQUEST,
                t(Msg::ErrValidationTitle),
                sentence(&format!(
                    "{}: {}",
                    crate::i18n::app::field(e.field),
                    crate::i18n::app::text(&e.message)
                )),
            ),
            AppError::Transition(e) => Self::page(
                StatusCode::CONFLICT,
                t(Msg::ErrNotNowTitle),
                sentence(&e.to_string()),
            ),
            AppError::VersionConflict { .. } | AppError::VersionRequired => Self::page(
                StatusCode::CONFLICT,
                t(Msg::ErrChangedTitle),
                t(Msg::ErrChanged),
            ),
            AppError::Duplicate(message) => Self::page(
                StatusCode::CONFLICT,
                t(Msg::ErrDuplicateTitle),
                sentence(&message),
            ),
            AppError::Conflict(message) => Self::page(
                StatusCode::CONFLICT,
                t(Msg::ErrNotNowTitle),
                sentence(&message),
            ),
            AppError::QualityChecks { .. } => Self::page(
                StatusCode::CONFLICT,
                t(Msg::ErrNotYetTitle),
                sentence(&error.to_string()),
            ),
            AppError::RateLimited { message, .. } => Self::page(
                StatusCode::TOO_MANY_REQUESTS,
                t(Msg::ErrRateLimitedTitle),
                sentence(&message),
            ),
            AppError::TooManyAttempts { .. } => Self::page(
                StatusCode::TOO_MANY_REQUESTS,
                t(Msg::ErrTooManyTitle),
                sentence(&error.to_string()),
            ),
            AppError::Unavailable(ref source) => {
                let full = error.is_storage_full();
                tracing::error!(error = %source, "database unavailable for a page");
                Self::page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    t(Msg::ErrUnavailableTitle),
                    if full {
                        t(Msg::ErrStorageFull)
                    } else {
                        t(Msg::ErrDatabaseDown)
                    },
                )
            }
            other => {
                let api = spoc_http::error::ApiError::from(other);
                Self::page(api.status(), t(Msg::ErrInternalTitle), t(Msg::ErrInternal))
            }
        }
    }
}

/// `text` with a capital first letter and a full stop, in the reader's language when it is a
/// sentence of the application layer (see `i18n::app`).
pub fn sentence(text: &str) -> String {
    let text = crate::i18n::app::text(text.trim());
    let text = text.trim();
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        match self {
            Self::SignIn { next, expired } => {
                let mut target = format!("/login?next={}", encode(&next));
                if expired {
                    target.push_str("&expired=1");
                }
                Redirect::to(&target).into_response()
            }
            Self::Redirect(to) => Redirect::to(&to).into_response(),
            Self::Page {
                status,
                title,
                message,
            } => {
                let body = html! {
                    div class="empty-state panel" {
                        h1 { (title) }
                        p { (message) }
                        p { a class="button" href="/" { (t(Msg::ErrGoHome)) } }
                    }
                };
                let page = Shell::new(title, Area::Auth).render(None, body);
                (status, Html(page.into_string())).into_response()
            }
        }
    }
}

fn path_and_query(uri: &Uri) -> String {
    uri.path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned())
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = UiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let next = if parts.method == axum::http::Method::GET {
            path_and_query(&parts.uri)
        } else {
            "/".to_owned()
        };
        let Some(secret) = session_cookie(parts, state) else {
            return Err(UiError::SignIn {
                next,
                expired: false,
            });
        };
        let session = match state.app.authenticate_session(&secret).await {
            Ok(session) => session,
            Err(AppError::Unauthenticated) => {
                return Err(UiError::SignIn {
                    next,
                    expired: true,
                });
            }
            Err(e) => return Err(e.into()),
        };
        let user_id = session.actor.person().map_err(AppError::from)?;
        let name = state.app.get_user(&session.actor, user_id).await?.name;
        Ok(Self {
            actor: session.actor,
            user_id,
            csrf: session.csrf_token,
            name,
        })
    }
}

impl OptionalFromRequestParts<AppState> for Viewer {
    type Rejection = UiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        match <Self as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(viewer) => Ok(Some(viewer)),
            Err(UiError::SignIn { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_start_with_a_capital_and_end_with_a_stop() {
        assert_eq!(sentence("must not be empty"), "Must not be empty.");
        assert_eq!(sentence("Done!"), "Done!");
        assert_eq!(sentence("  "), "");
    }

    #[tokio::test]
    async fn the_apps_sentences_are_said_in_the_readers_language() {
        let german = crate::i18n::Reader {
            language: spoc_app::Language::De,
            ..crate::i18n::Reader::default()
        };
        let said = crate::i18n::with_reader(german, async { sentence("there is no user 7") }).await;
        assert_eq!(said, "Es gibt keine Person 7.");
        assert_eq!(sentence("there is no user 7"), "There is no user 7.");
    }
}
