//! A person's data on the admin person page: download everything the desk holds about them, and
//! erase them, which asks for an explicit confirmation because it cannot be undone.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::Erasure;
use spoc_domain::UserId;
use spoc_http::AppState;

use crate::account::my_data::archive;
use crate::admin::frame::{admin_post, parse_path_id, require_admin};
use crate::forms::UiForm;
use crate::i18n::{Msg, t};
use crate::page::{checkbox, csrf_field};
use crate::session::{UiError, Viewer};

/// The erase form, as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    erase_texts: Option<String>,
    #[serde(default)]
    keep_requested: Option<String>,
    #[serde(default)]
    confirm: Option<String>,
}

/// The admin person page's panel: download the person's data, and erase them.
pub fn admin_panel(viewer: &Viewer, id: UserId) -> Markup {
    html! {
        section class="panel" aria-labelledby="person-data-heading" id="person-data" {
            h2 id="person-data-heading" { (t(Msg::DataAdminTitle)) }
            p { (t(Msg::DataAdminIntro)) }
            div class="form-actions" {
                a class="button" href={ "/admin/users/" (id) "/data" } download { (t(Msg::DataAdminDownload)) }
            }
            @if id != viewer.user_id {
                h3 { (t(Msg::DataEraseTitle)) }
                p { strong { (t(Msg::DataEraseWarning)) } }
                form class="form" method="post" action={ "/admin/users/" (id) "/erase" } {
                    (csrf_field(viewer))
                    (checkbox("e-texts", "erase_texts", t(Msg::DataEraseTexts), true, None))
                    (checkbox("e-keep", "keep_requested", t(Msg::DataKeepRequested), false, None))
                    div class="field-check" {
                        label { input type="checkbox" name="confirm" value="yes" required; " " (t(Msg::DataEraseConfirm)) }
                    }
                    div class="form-actions" { button class="button button-danger" type="submit" { (t(Msg::DataEraseButton)) } }
                }
            }
        }
    }
}

/// `GET /admin/users/{id}/data`: a person's archive (admins).
pub async fn admin_download(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let id = UserId::new(parse_path_id(&id)?);
    Ok(archive(state.app.export_person(&viewer.actor, id).await?))
}

/// `POST /admin/users/{id}/erase`: erases a person (admins), once confirmed.
pub async fn admin_erase(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<EraseForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let id = UserId::new(parse_path_id(&id)?);
    if form.confirm.is_none() {
        return Ok(Redirect::to(&format!("/admin/users/{id}#person-data")).into_response());
    }
    let erasure = Erasure {
        erase_texts: form.erase_texts.is_some(),
        keep_requested_ticket_texts: form.keep_requested.is_some(),
    };
    state.app.erase_person(&viewer.actor, id, erasure).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}
