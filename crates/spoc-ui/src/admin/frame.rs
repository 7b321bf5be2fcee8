//! What every admin page shares: the admins-only check, the section navigation and the page frame.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::AppError;

use crate::forms::FieldMap;
use crate::i18n::admin::Admin;
use crate::i18n::t;
use crate::page::{Area, FieldErrors, Shell};
use crate::session::{UiError, Viewer, sentence};

pub(crate) fn require_admin(viewer: &Viewer) -> Result<(), UiError> {
    viewer.actor.may_administer().map_err(|denied| {
        UiError::page(
            StatusCode::FORBIDDEN,
            t(Admin::AdminsOnly),
            sentence(denied.0),
        )
    })
}

/// The setup's sections in four labelled groups, so that an admin finds a page by what it is
/// about: people and how they sign in, how the desk works, mail, and what the desk keeps and
/// runs.
pub(crate) const SECTIONS: [(Admin, &[(&str, Admin)]); 4] = [
    (
        Admin::NavPeopleAccess,
        &[
            ("/admin/users", Admin::SecPeople),
            ("/admin/organizations", Admin::SecOrganizations),
            ("/admin/groups", Admin::SecGroups),
            ("/admin/sign-in", Admin::SecSignIn),
            ("/admin/directories", Admin::SecDirectories),
            ("/admin/scim", Admin::SecScim),
        ],
    ),
    (
        Admin::NavDesk,
        &[
            ("/admin/categories", Admin::SecCategories),
            ("/admin/services", Admin::SecServices),
            ("/admin/settings", Admin::SecPriorityRouting),
            ("/admin/sla", Admin::SecServiceLevels),
        ],
    ),
    (
        Admin::SecMail,
        &[
            ("/admin/mail", Admin::SecMail),
            ("/admin/mail/relay", Admin::SecOutgoingMail),
        ],
    ),
    (
        Admin::NavRecords,
        &[
            ("/admin/audit-log", Admin::SecAuditLog),
            ("/admin/retention", Admin::SecRetention),
            ("/admin/workers", Admin::SecWorkers),
        ],
    ),
];

/// The tenants' page (`admin::tenants`), linked only for the provider's admins of a desk with
/// more than one tenant.
pub(crate) const TENANTS_PATH: &str = "/admin/tenants";

/// What people who may see only part of the setup (leads: the inbound mail log) are offered.
const LEAD_SECTIONS: [(Admin, &[(&str, Admin)]); 1] =
    [(Admin::SecMail, &[("/admin/mail", Admin::SecInboundMail)])];

pub(crate) fn page(
    viewer: &Viewer,
    current: &str,
    title: &str,
    status: StatusCode,
    content: Markup,
) -> Response {
    let groups: &[(Admin, &[(&str, Admin)])] = if viewer.actor.is_admin() {
        &SECTIONS
    } else {
        &LEAD_SECTIONS
    };
    let tenants = spoc_app::is_provider_admin(&viewer.actor) && crate::brand::many_tenants();
    let body = html! {
        div class="admin-layout" {
            nav class="admin-nav" aria-label=(t(Admin::SetupNav)) {
                @for (index, (group, sections)) in groups.iter().enumerate() {
                    p class="admin-nav-group" id=(format!("admin-nav-{index}")) { (t(*group)) }
                    ul aria-labelledby=(format!("admin-nav-{index}")) {
                        @for (href, label) in *sections {
                            li { a href=(if viewer.actor.is_admin() { href } else { "/admin/mail/inbound" }) aria-current=[(*href == current).then_some("page")] { (t(*label)) } }
                        }
                        // Tenants only for the provider's admins of a desk with more than one
                        // tenant, with the people and their sign-in.
                        @if tenants && index == 0 {
                            li { a href=(TENANTS_PATH) aria-current=[(TENANTS_PATH == current).then_some("page")] { (t(crate::i18n::tenants::Tenants::Section)) } }
                        }
                    }
                }
            }
            div class="admin-main stack" { (content) }
        }
    };
    let shell = Shell::new(title, Area::Admin).current(if viewer.actor.is_admin() {
        "/admin"
    } else {
        "/admin/mail/inbound"
    });
    (status, Html(shell.render(Some(viewer), body).into_string())).into_response()
}

/// A flash key after a redirect.
#[derive(Debug, Default, Deserialize)]
pub struct OkQuery {
    pub(crate) ok: Option<String>,
    pub(crate) q: Option<String>,
}

/// How an admin page is shown: as opened (with the note a redirect asked for, `200 OK`), or
/// again after a refused form (with its errors beside the fields, `422`).
#[derive(Debug)]
pub(crate) struct Showing<'a> {
    /// The flash key after a redirect (`?ok=`).
    pub(crate) ok: Option<&'a str>,
    /// The errors beside the form's fields.
    pub(crate) errors: FieldErrors,
    /// The response's status.
    pub(crate) status: StatusCode,
}

impl<'a> Showing<'a> {
    /// The page as opened, after a redirect that may ask for a flash.
    pub(crate) fn opened(query: &'a OkQuery) -> Self {
        Self {
            ok: query.ok.as_deref(),
            errors: FieldErrors::none(),
            status: StatusCode::OK,
        }
    }

    /// The page as opened where no redirect leads (no flash).
    pub(crate) fn blank() -> Self {
        Self {
            ok: None,
            errors: FieldErrors::none(),
            status: StatusCode::OK,
        }
    }

    /// The page again, with the errors of the form it refused.
    pub(crate) fn refused(errors: FieldErrors) -> Self {
        Self {
            ok: None,
            errors,
            status: StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

/// What every admin form post checks first: the session's CSRF token, then that the viewer is an
/// admin.
pub(crate) fn admin_post(viewer: &Viewer, csrf: &str) -> Result<(), UiError> {
    viewer.check_csrf(csrf)?;
    require_admin(viewer)
}

/// Where a change to a named thing leads: to the page `to` names when the app made it
/// (`Some(redirect)`); otherwise `None`, with the refusal beside its field in `errors` (an error
/// that is no field's becomes the error page).
pub(crate) fn saved<T>(
    result: Result<T, AppError>,
    errors: &mut FieldErrors,
    to: impl FnOnce(&T) -> String,
) -> Result<Option<Response>, UiError> {
    match result {
        Ok(value) => Ok(Some(Redirect::to(&to(&value)).into_response())),
        Err(e) => {
            name_error(errors, e)?;
            Ok(None)
        }
    }
}

/// A name (and, for services, a description), as submitted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NameForm {
    #[serde(default)]
    pub(crate) csrf: String,
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) parent: String,
    #[serde(default)]
    pub(crate) tier: String,
    #[serde(default)]
    pub(crate) external_supplier: Option<String>,
}

/// How the admin forms name the fields of the app's errors.
pub(crate) const ADMIN_FIELDS: FieldMap = FieldMap::new(&[
    ("organization_id", "organization"),
    ("parent_id", "parent"),
    ("group_id", "group"),
    ("user_id", "user"),
]);

/// [`ADMIN_FIELDS`] for forms of named things, whose name must be unique.
pub(crate) fn named_fields() -> FieldMap {
    ADMIN_FIELDS.duplicate("name", t(Admin::NameTaken))
}

/// Shows `error` on a named thing's form, or gives it back as an error page.
pub(crate) fn name_error(errors: &mut FieldErrors, error: AppError) -> Result<(), UiError> {
    Ok(errors.add_app_error(error, &named_fields())?)
}

pub(crate) fn parse_path_id(value: &str) -> Result<i64, UiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(UiError::not_found)
}
