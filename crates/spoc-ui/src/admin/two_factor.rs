//! The admin's choice of the roles that must sign in with two factors, as a panel of the
//! priority-and-routing settings page (`/admin/settings`).

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing;
use maud::{Markup, html};
use spoc_app::TwoFactorPolicy;
use spoc_domain::user::Role;

use crate::admin::frame::admin_post;
use crate::forms::UiForm;
use crate::i18n::{Msg, t};
use crate::page::csrf_field;
use crate::session::{UiError, Viewer};
use spoc_http::AppState;

/// The route of the panel's form, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/settings/two-factor", routing::post(save))
}

fn role_label(role: Role) -> &'static str {
    t(match role {
        Role::Customer => Msg::TfaRoleCustomers,
        Role::Agent => Msg::TfaRoleAgents,
        Role::Lead => Msg::TfaRoleLeads,
        Role::Admin => Msg::TfaRoleAdmins,
    })
}

/// The panel: a box per role.
pub(crate) fn panel(viewer: &Viewer, policy: &TwoFactorPolicy) -> Markup {
    html! {
        section class="panel" aria-labelledby="tfa-policy-title" id="two-factor-policy" {
            h2 class="panel-title" id="tfa-policy-title" { (t(Msg::TfaTitle)) }
            p class="muted" { (t(Msg::TfaPolicyIntro)) }
            form class="form" method="post" action="/admin/settings/two-factor" {
                (csrf_field(viewer))
                fieldset {
                    legend { (t(Msg::TfaRequiredFor)) }
                    @for role in Role::ALL {
                        label class="field-check" {
                            input type="checkbox" id={ "tfa-" (role.as_str()) } name="role"
                                value=(role.as_str()) checked[policy.requires(role)];
                            " " (role_label(role))
                        }
                    }
                }
                div class="form-actions" { button class="button" type="submit" { (t(Msg::TfaSavePolicy)) } }
            }
        }
    }
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    admin_post(&viewer, csrf)?;
    let required_for = Role::ALL
        .into_iter()
        .filter(|role| pairs.iter().any(|(k, v)| k == "role" && v == role.as_str()))
        .collect();
    state
        .app
        .set_two_factor_policy(&viewer.actor, TwoFactorPolicy { required_for })
        .await?;
    Ok(Redirect::to("/admin/settings?ok=saved").into_response())
}
