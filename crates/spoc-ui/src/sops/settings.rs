//! An SOP's document control form: owner, reviewer, approver, review policy and links.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, SopSettings, SopView};
use spoc_domain::sop::{ReviewPolicy, SopLink};
use spoc_domain::ticket::TicketKind;
use spoc_domain::{CategoryId, UserId};

use super::{render_sop, sop_id};
use crate::forms::{UiForm, optional_id};
use crate::i18n::sops::Sops;
use crate::i18n::t;
use crate::page::{FieldErrors, csrf_field, select, text_input};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

pub(super) fn settings_form(
    viewer: &Viewer,
    base: &str,
    view: &SopView,
    staff: &[(String, String)],
    approvers: &[(String, String)],
    categories: &[spoc_app::Category],
    errors: &FieldErrors,
) -> Markup {
    let r = &view.sop;
    let id = |u: Option<UserId>| u.map(|u| u.to_string()).unwrap_or_default();
    let kinds = vec![
        (String::new(), t(Sops::AnyKind).to_owned()),
        ("incident".to_owned(), t(Sops::LinkIncidents).to_owned()),
        (
            "service_request".to_owned(),
            t(Sops::LinkServiceRequests).to_owned(),
        ),
    ];
    let mut tops = vec![(String::new(), t(Sops::AnyCategory).to_owned())];
    tops.extend(
        categories
            .iter()
            .filter(|c| c.parent_id.is_none())
            .map(|c| (c.id.to_string(), c.name.clone())),
    );
    let mut subs = vec![(String::new(), t(Sops::AnySubcategory).to_owned())];
    for c in categories.iter().filter(|c| c.parent_id.is_some()) {
        let parent = categories
            .iter()
            .find(|p| Some(p.id) == c.parent_id)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        subs.push((c.id.to_string(), format!("{parent} › {}", c.name)));
    }
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    html! {
        details class="panel settings" open[!errors.is_empty()] {
            summary class="panel-title" { (t(Sops::ControlAndLinks)) }
            form method="post" action={ (base) "/settings" } class="form" {
                (csrf_field(viewer))
                (select("s-owner", "owner_id", t(Sops::Owner), &staff[1..], &r.owner_id.to_string(), errors))
                (select("s-reviewer", "reviewer_id", t(Sops::SubjectReviewer), staff, &id(r.reviewer_id), errors))
                (select("s-approver", "approver_id", t(Sops::ApproverLeadOrAdmin), approvers, &id(r.approver_id), errors))
                (text_input("s-interval", "review_interval_months", t(Sops::ReviewEveryMonths), "number", &r.policy.interval_months.to_string(), true, None, errors))
                (text_input("s-breaches", "breach_threshold", t(Sops::EarlyAfterBreaches), "number", &opt(r.policy.breach_threshold), false, Some(t(Sops::EmptyForNone)), errors))
                (text_input("s-reopens", "reopen_threshold", t(Sops::EarlyAfterReopenings), "number", &opt(r.policy.reopen_threshold), false, Some(t(Sops::EmptyForNone)), errors))
                (text_input("s-window", "window_days", t(Sops::WithinDays), "number", &r.policy.window_days.to_string(), true, None, errors))
                fieldset class="field" {
                    legend { (t(Sops::AppliesTo)) }
                    @for i in 0..3 {
                        @let link = view.links.get(i);
                        div class="link-row" {
                            (select(&format!("s-kind-{i}"), &format!("kind_{i}"), t(Sops::Kind), &kinds, link.and_then(|l| l.kind).map(|k| k.as_str()).unwrap_or(""), errors))
                            (select(&format!("s-cat-{i}"), &format!("category_{i}"), t(Sops::Category), &tops, &link.and_then(|l| l.category_id).map(|c| c.to_string()).unwrap_or_default(), errors))
                            (select(&format!("s-sub-{i}"), &format!("subcategory_{i}"), t(Sops::Subcategory), &subs, &link.and_then(|l| l.subcategory_id).map(|c| c.to_string()).unwrap_or_default(), errors))
                        }
                    }
                    @if let Some(e) = errors.get("links") { p class="field-error" { (e) } }
                    p class="hint" { (t(Sops::LinksHint)) }
                }
                div class="form-actions" { button class="button" type="submit" { (t(Sops::SaveControl)) } }
            }
        }
    }
}

/// The settings form as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    reviewer_id: String,
    #[serde(default)]
    approver_id: String,
    #[serde(default)]
    review_interval_months: String,
    #[serde(default)]
    breach_threshold: String,
    #[serde(default)]
    reopen_threshold: String,
    #[serde(default)]
    window_days: String,
    #[serde(default)]
    kind_0: String,
    #[serde(default)]
    category_0: String,
    #[serde(default)]
    subcategory_0: String,
    #[serde(default)]
    kind_1: String,
    #[serde(default)]
    category_1: String,
    #[serde(default)]
    subcategory_1: String,
    #[serde(default)]
    kind_2: String,
    #[serde(default)]
    category_2: String,
    #[serde(default)]
    subcategory_2: String,
}

impl SettingsForm {
    fn parse(&self) -> Result<SopSettings, FieldErrors> {
        let mut errors = FieldErrors::none();
        let mut number = |field: &'static str, value: &str, required: bool| -> Option<i64> {
            match optional_id(Some(value)) {
                Ok(Some(n)) => Some(n),
                Ok(None) if !required => None,
                _ => {
                    errors.add(
                        field,
                        t(if required {
                            Sops::EnterWholeNumber
                        } else {
                            Sops::EnterWholeNumberOrEmpty
                        }),
                    );
                    None
                }
            }
        };
        let owner = number("owner_id", &self.owner_id, true);
        let reviewer = number("reviewer_id", &self.reviewer_id, false);
        let approver = number("approver_id", &self.approver_id, false);
        let interval = number("review_interval_months", &self.review_interval_months, true);
        let breaches = number("breach_threshold", &self.breach_threshold, false);
        let reopens = number("reopen_threshold", &self.reopen_threshold, false);
        let window = number("window_days", &self.window_days, true);
        let mut links = Vec::new();
        for (kind, category, subcategory) in [
            (&self.kind_0, &self.category_0, &self.subcategory_0),
            (&self.kind_1, &self.category_1, &self.subcategory_1),
            (&self.kind_2, &self.category_2, &self.subcategory_2),
        ] {
            let kind = match kind.as_str() {
                "" => None,
                other => match TicketKind::parse(other) {
                    Ok(k) => Some(k),
                    Err(_) => {
                        errors.add("links", t(Sops::ChooseKind));
                        None
                    }
                },
            };
            let category = optional_id(Some(category))
                .ok()
                .flatten()
                .map(CategoryId::new);
            let subcategory = optional_id(Some(subcategory))
                .ok()
                .flatten()
                .map(CategoryId::new);
            if kind.is_some() || category.is_some() || subcategory.is_some() {
                links.push(SopLink {
                    kind,
                    category_id: category,
                    subcategory_id: subcategory,
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SopSettings {
            owner_id: UserId::new(owner.unwrap_or_default()),
            reviewer_id: reviewer.map(UserId::new),
            approver_id: approver.map(UserId::new),
            policy: ReviewPolicy {
                interval_months: interval.unwrap_or(ReviewPolicy::DEFAULT.interval_months),
                breach_threshold: breaches,
                reopen_threshold: reopens,
                window_days: window.unwrap_or(ReviewPolicy::DEFAULT.window_days),
            },
            links,
        })
    }
}

/// `POST /desk/sops/{id}/settings`.
pub async fn save_settings(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<SettingsForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let id = sop_id(&id)?;
    let settings = match form.parse() {
        Ok(s) => s,
        Err(errors) => {
            return render_sop(
                &state,
                &viewer,
                id,
                None,
                None,
                None,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .app
        .update_sop_settings(&viewer.actor, id, settings)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/desk/sops/{id}?ok=saved")).into_response()),
        Err(AppError::Validation(e)) => {
            render_sop(
                &state,
                &viewer,
                id,
                None,
                None,
                None,
                FieldErrors::one(e.field, sentence(&e.message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
