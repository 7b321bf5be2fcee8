//! Live updates over server-sent events: `GET /desk/live` (and `/portal/live`) streams a
//! `ticket` event for each committed change the signed-in person may see, so open queues and
//! ticket views refresh themselves. Events carry only the ticket's id, number and kind of change;
//! the page fetches what it shows through the normal, authorised pages.

use axum::Router;
use axum::routing;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use spoc_app::App;
use spoc_domain::access::Actor;
use tokio::sync::broadcast::error::RecvError;

use crate::session::Viewer;
use spoc_http::AppState;
use spoc_http::extract::{cookie, session_cookie_name};

/// The live-update streams of the desk and the portal.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk/live", routing::get(stream))
        .route("/portal/live", routing::get(stream))
}

/// How often a stream checks that its session is still valid (and refreshes the actor's
/// groups).
const RECHECK: Duration = Duration::from_secs(120);

struct Listener {
    app: App,
    actor: Actor,
    secret: String,
    changes: tokio::sync::broadcast::Receiver<spoc_app::TicketSignal>,
    closing: tokio::sync::watch::Receiver<bool>,
}

enum Next {
    Send(Event),
    Recheck,
    End,
}

impl Listener {
    async fn next(&mut self) -> Next {
        if *self.closing.borrow() {
            return Next::End;
        }
        tokio::select! {
            _ = self.closing.changed() => Next::End,
            _ = tokio::time::sleep(RECHECK) => Next::Recheck,
            received = self.changes.recv() => match received {
                Ok(signal) if signal.visible_to(&self.actor) => {
                    let data = serde_json::json!({
                        "id": signal.ticket.id.get(),
                        "number": signal.ticket.number().to_string(),
                        "change": signal.kind.as_str(),
                    });
                    Next::Send(Event::default().event("ticket").data(data.to_string()))
                }
                Ok(_) => Next::Recheck,
                // Fell behind: the page should simply refresh.
                Err(RecvError::Lagged(_)) => Next::Send(Event::default().event("resync").data("{}")),
                Err(RecvError::Closed) => Next::End,
            },
        }
    }
}

/// `GET /desk/live`, `GET /portal/live`.
pub async fn stream(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let listener = Listener {
        changes: state.app.subscribe_changes(),
        closing: state.app.live_closing(),
        app: state.app.clone(),
        actor: viewer.actor,
        secret: cookie(&headers, session_cookie_name(state.app.served_over_https()))
            .unwrap_or_default(),
    };
    let checked = tokio::time::Instant::now();
    let stream = futures_util::stream::unfold(
        (listener, checked),
        |(mut listener, mut checked)| async move {
            loop {
                let next = listener.next().await;
                if checked.elapsed() >= RECHECK {
                    match listener.app.authenticate_session(&listener.secret).await {
                        Ok(session) => listener.actor = session.actor,
                        Err(_) => return None,
                    }
                    checked = tokio::time::Instant::now();
                }
                match next {
                    Next::Send(event) => return Some((Ok(event), (listener, checked))),
                    Next::Recheck => continue,
                    Next::End => return None,
                }
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
}
