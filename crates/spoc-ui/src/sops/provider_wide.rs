//! Provider-wide SOPs on the desk: the provider's leads and admins make an SOP apply in every
//! tenant (`POST /desk/sops/{id}/provider-wide`), and another tenant's staff read it read-only —
//! its effective version and where it applies on their desk, without the provider's governance.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{Sop, SopView};
use spoc_domain::CategoryId;

use super::{content_view, link_text, sop_id};
use crate::forms::UiForm;
use crate::i18n::sops::Sops;
use crate::i18n::{t, tr};
use crate::page::{Area, Shell, csrf_field, flash};
use crate::session::{UiError, Viewer};
use spoc_http::AppState;

/// The badge of the provider's SOP that applies in every tenant.
pub(super) fn provider_badge() -> Markup {
    html! { span class="badge badge-shared" { (t(Sops::FromProvider)) } }
}

/// The page of the provider's provider-wide SOP as another tenant's staff read it.
pub(super) async fn foreign_page(
    state: &AppState,
    viewer: &Viewer,
    view: &SopView,
    ok: Option<&str>,
) -> Result<Response, UiError> {
    let Some(shown) = view.versions.first() else {
        return Err(UiError::not_found());
    };
    let categories = state.app.list_categories(viewer.actor.tenant_id).await?;
    let category_name = |c: Option<CategoryId>| {
        c.and_then(|c| categories.iter().find(|x| x.id == c))
            .map(|x| x.name.clone())
    };
    let c = &shown.content;
    let body = html! {
        (flash(ok))
        div class="page-head" {
            div {
                p class="eyebrow" { a href="/desk/sops" { (t(Sops::ListTitle)) } " · " span class="mono" { (view.sop.key) } }
                h1 { bdi { (c.title) } }
                div class="cluster" { (provider_badge()) span class="muted" { (tr(Sops::VersionN, &[&shown.version])) } }
            }
        }
        div class="ticket-layout" {
            div class="stack" {
                p class="notice" { (t(Sops::ProviderWideReadOnly)) }
                article class="panel sop-doc" { (content_view(c)) }
            }
            aside class="stack" aria-label=(t(Sops::DocumentControl)) {
                section class="panel" aria-labelledby="applies-title" {
                    h2 class="panel-title" id="applies-title" { (t(Sops::AppliesTo)) }
                    @if view.links.is_empty() { p class="muted" { (t(Sops::NoTicketsLinked)) } }
                    @for l in &view.links { p { (link_text(l, &category_name)) } }
                    p class="hint" { (t(Sops::ProviderWideMatchHint)) }
                }
            }
        }
    };
    let shell = Shell::new(&c.title, Area::Desk).current("/desk/sops");
    Ok(Html(shell.render(Some(viewer), body).into_string()).into_response())
}

/// The provider-wide panel of a provider SOP, on a desk with more than one tenant: whether every
/// tenant works under it, and the button to change that for the provider's leads and admins.
pub(super) fn provider_wide_panel(viewer: &Viewer, record: &Sop) -> Markup {
    let may_mark = spoc_domain::sop::may_make_provider_wide(&viewer.actor).is_ok();
    html! {
        section class="panel" aria-labelledby="provider-wide-title" {
            h2 class="panel-title" id="provider-wide-title" { (t(Sops::ProviderWide)) }
            p { (t(if record.provider_wide { Sops::AppliesInEveryTenant } else { Sops::AppliesHereOnly })) }
            @if may_mark {
                form method="post" action={ "/desk/sops/" (record.id) "/provider-wide" } class="inline" {
                    (csrf_field(viewer))
                    input type="hidden" name="provider_wide" value=(if record.provider_wide { "no" } else { "yes" });
                    button class="button" type="submit" { (t(if record.provider_wide { Sops::StopProviderWide } else { Sops::MakeProviderWide })) }
                }
            }
            p class="hint" { (t(Sops::ProviderWideHint)) }
        }
    }
}

/// The provider-wide form: `yes` makes the SOP provider-wide, `no` stops it.
#[derive(Debug, Default, Deserialize)]
pub struct ProviderWideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    provider_wide: String,
}

/// `POST /desk/sops/{id}/provider-wide`.
pub async fn set_provider_wide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<ProviderWideForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let id = sop_id(&id)?;
    let on = match form.provider_wide.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(UiError::not_found()),
    };
    state
        .app
        .set_sop_provider_wide(&viewer.actor, id, on)
        .await?;
    Ok(Redirect::to(&format!("/desk/sops/{id}?ok=saved")).into_response())
}
