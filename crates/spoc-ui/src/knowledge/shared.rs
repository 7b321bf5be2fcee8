//! Provider-wide knowledge on the desk: the provider's leads and admins share an article with
//! every tenant (`POST /desk/kb/{id}/share`), and another tenant's agents read a shared article
//! read-only — its published version, without versions, review or the provider's counts.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{Article, ArticleView};
use spoc_domain::ArticleId;

use super::{article_body, article_id, audience_label};
use crate::forms::UiForm;
use crate::i18n::knowledge::Knowledge;
use crate::i18n::t;
use crate::page::{Area, Shell, csrf_field};
use crate::session::{UiError, Viewer};
use spoc_http::AppState;

/// The page of the provider's shared article as another tenant's agent reads it.
pub(super) fn shared_page(viewer: &Viewer, view: &ArticleView, ok: Option<&str>) -> Response {
    let c = &view.version.content;
    let body = html! {
        (crate::page::flash(ok))
        div class="page-head" {
            div {
                p class="eyebrow" { a href="/desk/kb" { (t(Knowledge::KbTitle)) } " · " (crate::i18n::words::article_kind(c.kind)) " · " (audience_label(c.audience)) }
                h1 { bdi { (c.title) } }
                div class="cluster" { (shared_badge()) }
            }
        }
        div class="stack" {
            p class="notice" { (t(Knowledge::SharedReadOnly)) }
            article class="panel article" { (article_body(view)) }
        }
    };
    let shell = Shell::new(&c.title, Area::Desk).current("/desk/kb");
    Html(shell.render(Some(viewer), body).into_string()).into_response()
}

/// The badge of an article the provider shares with every tenant.
pub(super) fn shared_badge() -> Markup {
    html! { span class="badge badge-shared" { (t(Knowledge::Shared)) } }
}

/// The sharing panel of a provider article, on a desk with more than one tenant: whether every
/// tenant reads it, and the button to change that for the provider's leads and admins.
pub(super) fn sharing_panel(viewer: &Viewer, record: &Article) -> Markup {
    let may_share = spoc_domain::knowledge::may_share(&viewer.actor).is_ok();
    html! {
        section class="panel" aria-labelledby="sharing-title" {
            h2 class="panel-title" id="sharing-title" { (t(Knowledge::Sharing)) }
            p { (t(if record.shared { Knowledge::SharedWithEveryTenant } else { Knowledge::NotShared })) }
            @if may_share {
                form method="post" action={ "/desk/kb/" (record.id) "/share" } class="inline" {
                    (csrf_field(viewer))
                    input type="hidden" name="shared" value=(if record.shared { "no" } else { "yes" });
                    button class="button" type="submit" { (t(if record.shared { Knowledge::StopSharing } else { Knowledge::ShareWithEveryTenant })) }
                }
            }
            p class="hint" { (t(Knowledge::SharingHint)) }
        }
    }
}

/// The sharing form: `yes` shares, `no` stops sharing.
#[derive(Debug, Default, Deserialize)]
pub struct ShareForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    shared: String,
}

/// `POST /desk/kb/{id}/share`.
pub async fn share(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<ShareForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let id: ArticleId = article_id(&id)?;
    let shared = match form.shared.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(UiError::not_found()),
    };
    state.app.share_article(&viewer.actor, id, shared).await?;
    Ok(Redirect::to(&format!("/desk/kb/{id}?ok=saved")).into_response())
}
