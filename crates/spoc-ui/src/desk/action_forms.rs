//! The action forms of the ticket view: the lifecycle actions offered, with their fields.

use maud::{Markup, html};
use serde::Deserialize;
use spoc_domain::lifecycle::Action;
use spoc_domain::ticket::{PendingReason, ResolutionCode, Ticket};

use crate::desk::editor::EditState;
use crate::i18n::desk::Desk;
use crate::i18n::t;
use crate::page::{FieldErrors, csrf_field, pending_label, resolution_label, select};
use crate::session::Viewer;

/// The values of an action form as submitted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    pub(crate) csrf: String,
    /// `me`, `g:{group}` or `g:{group}:u:{user}`.
    pub(crate) target: Option<String>,
    /// Pending reason.
    pub(crate) pending_reason: Option<String>,
    /// Escalation: `hierarchical` or a routing target.
    pub(crate) escalation: Option<String>,
    /// Reason text (escalate, reopen, cancel).
    pub(crate) reason: Option<String>,
    /// Resolution code.
    pub(crate) code: Option<String>,
    /// Resolution notes.
    pub(crate) notes: Option<String>,
}

fn action_label(action: Action) -> &'static str {
    match action {
        Action::Assign => t(Desk::ActAssignMenu),
        Action::Start => t(Desk::ActStart),
        Action::Pend => t(Desk::ActPendMenu),
        Action::Resume => t(Desk::ActResume),
        Action::Escalate => t(Desk::ActEscalateMenu),
        Action::Resolve => t(Desk::ActResolveMenu),
        Action::Close => t(Desk::ActClose),
        Action::Reopen => t(Desk::ActReopenMenu),
        Action::Cancel => t(Desk::ActCancelMenu),
    }
}

pub(crate) fn routing_select(
    id: &str,
    name: &str,
    label: &str,
    first: Option<(&str, &str)>,
    groups: &[(String, Vec<(String, String)>)],
    selected: &str,
    error: Option<&str>,
) -> Markup {
    crate::page::field(
        id,
        label,
        None,
        error,
        html! {
            select id=(id) name=(name) required aria-invalid=[error.map(|_| "true")] {
                @if let Some((value, text)) = first { option value=(value) selected[selected == value] { (text) } }
                @for (group, entries) in groups {
                    optgroup label=(group) {
                        @for (value, text) in entries {
                            option value=(value) selected[selected == value] { (text) }
                        }
                    }
                }
            }
        },
    )
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn action_form(
    viewer: &Viewer,
    base: &str,
    ticket: &Ticket,
    action: Action,
    in_group: bool,
    routing: &[(String, Vec<(String, String)>)],
    escalation_targets: &[(String, Vec<(String, String)>)],
    forms: &TicketForms,
) -> Markup {
    let href = format!("{base}/act/{}", action.as_str());
    let open = forms.open_action == Some(action);
    let errors = if open {
        &forms.action_errors
    } else {
        &FieldErrors::default()
    };
    let values = if open {
        &forms.action_values
    } else {
        &ActionForm::default()
    };
    let reason_value = values.reason.clone().unwrap_or_default();
    let id = |name: &str| format!("{}-{name}", action.as_str());
    let reason_field = |label: &str, required: bool| {
        let rid = id("reason");
        crate::page::field(
            &rid,
            label,
            None,
            errors.get("reason"),
            html! {
                textarea id=(rid) name="reason" rows="3" required[required]
                    aria-invalid=[errors.get("reason").map(|_| "true")] { (reason_value) }
            },
        )
    };
    let simple = |label: &str, class: &str| {
        html! {
            form method="post" action=(href) class="inline" {
                (csrf_field(viewer))
                button class={ "button " (class) } type="submit" { (label) }
            }
        }
    };
    match action {
        Action::Start => simple(t(Desk::ActStart), "button-primary"),
        Action::Resume => simple(t(Desk::ActResume), "button-primary"),
        Action::Close => simple(t(Desk::ActClose), "button-quiet"),
        Action::Assign => html! {
            @if in_group && ticket.assignee_id != Some(viewer.user_id) {
                form method="post" action=(href) class="inline" {
                    (csrf_field(viewer))
                    input type="hidden" name="target" value="me";
                    button class="button button-primary" type="submit" { (t(Desk::ActAssignToMe)) }
                }
            }
            details class="action" open[open] {
                summary class="button button-quiet" { (action_label(action)) }
                form method="post" action=(href) class="form" {
                    (csrf_field(viewer))
                    (routing_select(&id("target"), "target", t(Desk::ActAssignTo), None, routing,
                        values.target.as_deref().unwrap_or(&format!("g:{}", ticket.group_id)), errors.get("target")))
                    div class="form-actions" { button class="button button-primary" type="submit" { (t(Desk::ActAssign)) } }
                }
            }
        },
        Action::Pend => html! {
            details class="action" open[open] {
                summary class="button button-quiet" { (action_label(action)) }
                form method="post" action=(href) class="form" {
                    (csrf_field(viewer))
                    (select(&id("pending_reason"), "pending_reason", t(Desk::ActWaitingFor),
                        &PendingReason::ALL.iter().map(|r| (r.as_str().to_owned(), pending_label(*r).to_owned())).collect::<Vec<_>>(),
                        values.pending_reason.as_deref().unwrap_or("awaiting_user"), errors))
                    div class="form-actions" { button class="button button-primary" type="submit" { (t(Desk::ActSetPending)) } }
                }
            }
        },
        Action::Escalate => html! {
            details class="action" open[open] {
                summary class="button button-quiet" { (action_label(action)) }
                form method="post" action=(href) class="form" {
                    (csrf_field(viewer))
                    (routing_select(&id("escalation"), "escalation", t(Desk::ActEscalateTo),
                        Some(("hierarchical", t(Desk::ActAlertLeads))), escalation_targets,
                        values.escalation.as_deref().unwrap_or("hierarchical"), errors.get("escalation")))
                    (reason_field(t(Desk::ActWhy), true))
                    div class="form-actions" { button class="button button-danger" type="submit" { (t(Desk::ActEscalate)) } }
                }
            }
        },
        Action::Resolve => html! {
            details class="action" open[open] {
                summary class="button button-primary" { (action_label(action)) }
                form method="post" action=(href) class="form" {
                    (csrf_field(viewer))
                    (select(&id("code"), "code", t(Desk::ActResolution),
                        &ResolutionCode::ALL.iter().map(|c| (c.as_str().to_owned(), resolution_label(*c).to_owned())).collect::<Vec<_>>(),
                        values.code.as_deref().unwrap_or("solved"), errors))
                    @let nid = id("notes");
                    (crate::page::field(&nid, t(Desk::ActWhatWasDone), None, errors.get("notes"), html! {
                        textarea id=(nid) name="notes" rows="4" required
                            aria-invalid=[errors.get("notes").map(|_| "true")] { (values.notes.clone().unwrap_or_default()) }
                    }))
                    @if let Some(missing) = errors.get("checks") {
                        p class="field-error" id="resolve-checks" role="alert" { (missing) }
                    }
                    div class="form-actions" { button class="button button-primary" type="submit" { (t(Desk::ActResolve)) } }
                }
            }
        },
        Action::Reopen => html! {
            details class="action" open[open] {
                summary class="button button-quiet" { (action_label(action)) }
                form method="post" action=(href) class="form" {
                    (csrf_field(viewer))
                    (reason_field(t(Desk::ActWhyNotResolved), false))
                    div class="form-actions" { button class="button" type="submit" { (t(Desk::ActReopen)) } }
                }
            }
        },
        Action::Cancel => html! {
            details class="action" open[open] {
                summary class="button button-quiet" { (action_label(action)) }
                form method="post" action=(href) class="form" {
                    (csrf_field(viewer))
                    (reason_field(t(Desk::ActWhyCancel), false))
                    div class="form-actions" { button class="button button-danger" type="submit" { (t(Desk::ActCancelTicket)) } }
                }
            }
        },
    }
}

/// What the forms of a ticket page hold when it is shown again after a submission.
#[derive(Debug, Default)]
pub struct TicketForms {
    /// The flash key after a redirect.
    pub(crate) flash: Option<String>,
    /// An error sentence for the whole page.
    pub(crate) error: Option<String>,
    /// The composer's text, visibility and error.
    pub(crate) composer_body: String,
    pub(crate) composer_internal: bool,
    pub(crate) composer_error: Option<String>,
    /// A refused file: the sentence next to the composer's file field.
    pub(crate) composer_files_error: Option<String>,
    /// The action whose form to open, with its field errors and values.
    pub(crate) open_action: Option<Action>,
    pub(crate) action_errors: FieldErrors,
    pub(crate) action_values: ActionForm,
    /// The editor after a conflict or invalid input.
    pub(crate) edit: Option<EditState>,
    /// A refused SOP checklist change: the step and why.
    pub(crate) sop_error: Option<(String, String)>,
    /// The link and merge forms' errors and values.
    pub(crate) link_errors: FieldErrors,
    pub(crate) link_values: LinkForm,
}

/// The links form as submitted: `op` is `link`, `unlink` or `merge`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    pub(crate) csrf: String,
    #[serde(default)]
    pub(crate) op: String,
    /// The other ticket's number (or id) as typed (link).
    pub(crate) link_ticket: Option<String>,
    /// The surviving ticket's number (or id) as typed (merge).
    pub(crate) merge_into: Option<String>,
    /// The linked ticket to unlink (its id).
    pub(crate) other: Option<i64>,
}
