//! "Your data" on the account page: a person downloads everything the desk holds about them,
//! the archive `GET /api/v1/me/export` serves. An admin's download and erasure of a person are on
//! the admin person page (`admin/person_data.rs`).

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use spoc_http::AppState;

use crate::i18n::{Msg, t};
use crate::session::{UiError, Viewer};

/// Where a person downloads their own data.
pub const PATH: &str = "/account/my-data";

/// The archive as a download.
pub(crate) fn archive(export: spoc_app::DataExport) -> Response {
    spoc_http::download::download(export.bytes, "application/gzip", &export.filename, false)
}

/// The account page's panel: download my data.
pub fn panel() -> Markup {
    html! {
        section class="panel" aria-labelledby="my-data-heading" id="my-data" {
            h2 id="my-data-heading" { (t(Msg::DataTitle)) }
            p { (t(Msg::DataIntro)) }
            div class="form-actions" { a class="button" href=(PATH) download { (t(Msg::DataDownload)) } }
        }
    }
}

/// `GET /account/my-data`: the person's own archive.
pub async fn download_own(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, UiError> {
    Ok(archive(state.app.export_own_data(&viewer.actor).await?))
}
