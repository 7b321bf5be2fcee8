//! The field editor of the ticket view, with conflict rebase: what was typed survives a
//! concurrent change.

use maud::{Markup, html};
use serde::Deserialize;
use spoc_domain::lifecycle::FieldEdit;
use spoc_domain::priority::{Impact, Priority, Urgency};
use spoc_domain::text::{Reason, SupplierReference, Title};
use spoc_domain::ticket::Ticket;
use spoc_domain::{CategoryId, ServiceId};

use crate::forms::{non_empty, optional_id};
use crate::i18n::desk::Desk;
use crate::i18n::{t, tr, words};
use crate::page::{FieldErrors, csrf_field, select, sentence_case, text_input};
use crate::session::{Viewer, sentence};
use crate::views::category_options;

/// The editor's values: what the form shows, and the values it was based on.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct EditState {
    #[serde(default)]
    pub(crate) csrf: String,
    #[serde(default)]
    pub(crate) version: i64,
    #[serde(default)]
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) impact: String,
    #[serde(default)]
    pub(crate) urgency: String,
    #[serde(default)]
    pub(crate) category: String,
    #[serde(default)]
    pub(crate) service: String,
    #[serde(default)]
    pub(crate) supplier_reference: String,
    #[serde(default)]
    pub(crate) priority_override: String,
    #[serde(default)]
    pub(crate) rationale: String,
    #[serde(default)]
    pub(crate) orig_title: String,
    #[serde(default)]
    pub(crate) orig_impact: String,
    #[serde(default)]
    pub(crate) orig_urgency: String,
    #[serde(default)]
    pub(crate) orig_category: String,
    #[serde(default)]
    pub(crate) orig_service: String,
    #[serde(default)]
    pub(crate) orig_supplier_reference: String,
    #[serde(default)]
    pub(crate) orig_priority_override: String,
    /// Set when shown again: what others changed, and field errors.
    #[serde(skip)]
    pub(crate) conflicts: Vec<String>,
    #[serde(skip)]
    pub(crate) errors: FieldErrors,
}

/// The editable values of a ticket as form strings, in one order.
fn current_values(ticket: &Ticket) -> [String; 6] {
    [
        ticket.title.clone(),
        ticket.impact.as_str().to_owned(),
        ticket.urgency.as_str().to_owned(),
        ticket
            .subcategory_id
            .or(ticket.category_id)
            .map(|c| c.to_string())
            .unwrap_or_default(),
        ticket.service_id.map(|s| s.to_string()).unwrap_or_default(),
        ticket.supplier_reference.clone().unwrap_or_default(),
    ]
}

fn override_value(ticket: &Ticket) -> String {
    if ticket.priority_overridden {
        ticket.priority.as_str().to_owned()
    } else {
        String::new()
    }
}

/// The editable fields' labels, in the order of [`current_values`].
fn edit_labels() -> [&'static str; 6] {
    [
        t(Desk::FieldTitle),
        t(Desk::FieldImpact),
        t(Desk::FieldUrgency),
        t(Desk::FieldCategory),
        t(Desk::FieldService),
        t(Desk::FieldSupplierRef),
    ]
}

impl EditState {
    pub(crate) fn from_ticket(ticket: &Ticket) -> Self {
        let [title, impact, urgency, category, service, supplier] = current_values(ticket);
        Self {
            version: ticket.version,
            title: title.clone(),
            impact: impact.clone(),
            urgency: urgency.clone(),
            category: category.clone(),
            service: service.clone(),
            supplier_reference: supplier.clone(),
            priority_override: override_value(ticket),
            orig_title: title,
            orig_impact: impact,
            orig_urgency: urgency,
            orig_category: category,
            orig_service: service,
            orig_supplier_reference: supplier,
            orig_priority_override: override_value(ticket),
            ..Self::default()
        }
    }

    pub(crate) fn mine(&self) -> [&String; 6] {
        [
            &self.title,
            &self.impact,
            &self.urgency,
            &self.category,
            &self.service,
            &self.supplier_reference,
        ]
    }

    pub(crate) fn originals(&self) -> [&String; 6] {
        [
            &self.orig_title,
            &self.orig_impact,
            &self.orig_urgency,
            &self.orig_category,
            &self.orig_service,
            &self.orig_supplier_reference,
        ]
    }

    /// After a conflict: rebase onto `current`, keeping what this person changed and taking
    /// everything else from the stored ticket; lists what the other person changed.
    pub(crate) fn rebase(
        mut self,
        current: &Ticket,
        describe: impl Fn(usize, &str) -> String,
    ) -> Self {
        let now = current_values(current);
        let mut conflicts = Vec::new();
        let mine: Vec<String> = self.mine().into_iter().cloned().collect();
        let originals: Vec<String> = self.originals().into_iter().cloned().collect();
        let mut rebased = Vec::new();
        for i in 0..6 {
            let theirs_changed = originals[i] != now[i];
            let mine_changed = mine[i].trim() != originals[i];
            if theirs_changed {
                conflicts.push(tr(
                    if mine_changed {
                        Desk::EditConflictMine
                    } else {
                        Desk::EditConflict
                    },
                    &[
                        &edit_labels()[i],
                        &describe(i, &originals[i]),
                        &describe(i, &now[i]),
                    ],
                ));
            }
            rebased.push(if mine_changed {
                mine[i].clone()
            } else {
                now[i].clone()
            });
        }
        let current_override = override_value(current);
        if self.orig_priority_override != current_override {
            conflicts.push(tr(
                Desk::EditOverrideConflict,
                &[
                    &if self.orig_priority_override.is_empty() {
                        t(Desk::EditOverrideNone)
                    } else {
                        &self.orig_priority_override
                    },
                    &if current_override.is_empty() {
                        t(Desk::EditOverrideNone)
                    } else {
                        &current_override
                    },
                ],
            ));
        }
        if self.priority_override == self.orig_priority_override {
            self.priority_override = current_override.clone();
        }
        let [title, impact, urgency, category, service, supplier] = now;
        self.title = rebased[0].clone();
        self.impact = rebased[1].clone();
        self.urgency = rebased[2].clone();
        self.category = rebased[3].clone();
        self.service = rebased[4].clone();
        self.supplier_reference = rebased[5].clone();
        self.orig_title = title;
        self.orig_impact = impact;
        self.orig_urgency = urgency;
        self.orig_category = category;
        self.orig_service = service;
        self.orig_supplier_reference = supplier;
        self.orig_priority_override = current_override;
        self.version = current.version;
        self.conflicts = conflicts;
        self
    }

    /// The changes this person made, as a field edit.
    pub(crate) fn to_edit(&self) -> Result<FieldEdit, FieldErrors> {
        let mut edit = FieldEdit::default();
        let mut errors = FieldErrors::none();
        if self.title.trim() != self.orig_title {
            match Title::parse_as("title", &self.title) {
                Ok(t) => edit.title = Some(t),
                Err(e) => errors.add("title", sentence(&e.message)),
            }
        }
        if self.impact != self.orig_impact {
            match Impact::parse(&self.impact) {
                Ok(v) => edit.impact = Some(v),
                Err(_) => errors.add("impact", t(Desk::ChooseImpact)),
            }
        }
        if self.urgency != self.orig_urgency {
            match Urgency::parse(&self.urgency) {
                Ok(v) => edit.urgency = Some(v),
                Err(_) => errors.add("urgency", t(Desk::ChooseUrgency)),
            }
        }
        if self.category != self.orig_category {
            match optional_id(Some(&self.category)) {
                Ok(id) => {
                    // A subcategory's id is accepted here; the app sets its parent as the
                    // category and clears a subcategory that no longer fits.
                    edit.category_id = Some(id.map(CategoryId::new));
                }
                Err(()) => errors.add("category", t(Desk::ChooseCategory)),
            }
        }
        if self.service != self.orig_service {
            match optional_id(Some(&self.service)) {
                Ok(id) => edit.service_id = Some(id.map(ServiceId::new)),
                Err(()) => errors.add("service", t(Desk::ChooseService)),
            }
        }
        if self.supplier_reference.trim() != self.orig_supplier_reference {
            match non_empty(Some(&self.supplier_reference)) {
                None => edit.supplier_reference = Some(None),
                Some(text) => match SupplierReference::parse_as("supplier_reference", text) {
                    Ok(r) => edit.supplier_reference = Some(Some(r)),
                    Err(e) => errors.add("supplier_reference", sentence(&e.message)),
                },
            }
        }
        let rationale_given = !self.rationale.trim().is_empty();
        if self.priority_override != self.orig_priority_override
            || (rationale_given && !self.priority_override.is_empty())
        {
            if self.priority_override.is_empty() {
                edit.priority_override = Some(None);
            } else {
                match Priority::parse(&self.priority_override) {
                    Ok(p) => match Reason::parse_as("rationale", &self.rationale) {
                        Ok(r) => edit.priority_override = Some(Some((p, r))),
                        Err(_) => errors.add("rationale", t(Desk::EditSayWhy)),
                    },
                    Err(_) => errors.add("priority_override", t(Desk::ChoosePriority)),
                }
            }
        }
        if errors.is_empty() {
            Ok(edit)
        } else {
            Err(errors)
        }
    }
}

pub(crate) fn level_options() -> Vec<(String, String)> {
    vec![
        ("high".to_owned(), sentence_case(words::level("high"))),
        ("medium".to_owned(), sentence_case(words::level("medium"))),
        ("low".to_owned(), sentence_case(words::level("low"))),
    ]
}

pub(crate) fn edit_form(
    viewer: &Viewer,
    base: &str,
    ticket: &Ticket,
    edit: &EditState,
    categories: &[spoc_app::Category],
    services: &[spoc_app::Service],
    external_supplier: bool,
) -> Markup {
    let errors = &edit.errors;
    let service_options: Vec<(String, String)> =
        std::iter::once((String::new(), t(Desk::EditNone).to_owned()))
            .chain(services.iter().map(|s| (s.id.to_string(), s.name.clone())))
            .collect();
    let priority_options: Vec<(String, String)> =
        std::iter::once((String::new(), t(Desk::EditFromMatrix).to_owned()))
            .chain(Priority::ALL.iter().map(|p| {
                (
                    p.as_str().to_owned(),
                    crate::i18n::words::priority_with_code(*p),
                )
            }))
            .collect();
    html! {
        section class="panel" id="ticket-details" aria-labelledby="details-title" {
            h2 class="panel-title" id="details-title" { (t(Desk::EditDetails)) }
            @if !edit.conflicts.is_empty() {
                div class="notice notice-warning conflict" role="alert" {
                    h3 { (t(Desk::EditConflictTitle)) }
                    ul { @for c in &edit.conflicts { li { (c) } } }
                    p { (t(Desk::EditConflictKept)) }
                }
            }
            @if ticket.status.is_open() {
                form class="form" method="post" action={ (base) "/edit" } {
                    (csrf_field(viewer))
                    input type="hidden" name="version" value=(edit.version);
                    input type="hidden" name="orig_title" value=(edit.orig_title);
                    input type="hidden" name="orig_impact" value=(edit.orig_impact);
                    input type="hidden" name="orig_urgency" value=(edit.orig_urgency);
                    input type="hidden" name="orig_category" value=(edit.orig_category);
                    input type="hidden" name="orig_service" value=(edit.orig_service);
                    input type="hidden" name="orig_supplier_reference" value=(edit.orig_supplier_reference);
                    input type="hidden" name="orig_priority_override" value=(edit.orig_priority_override);
                    (text_input("e-title", "title", t(Desk::FieldTitle), "text", &edit.title, true, None, errors))
                    div class="grid-2" {
                        (select("e-impact", "impact", t(Desk::FieldImpact), &level_options(), &edit.impact, errors))
                        (select("e-urgency", "urgency", t(Desk::FieldUrgency), &level_options(), &edit.urgency, errors))
                    }
                    (select("e-category", "category", t(Desk::FieldCategory), &category_options(categories, t(Desk::EditNone)), &edit.category, errors))
                    (select("e-service", "service", t(Desk::FieldService), &service_options, &edit.service, errors))
                    @if external_supplier || !edit.orig_supplier_reference.is_empty() {
                        (text_input("e-supplier", "supplier_reference", t(Desk::FieldSupplierRef), "text", &edit.supplier_reference, false,
                            Some(t(Desk::EditSupplierHint)), errors))
                    }
                    (select("e-priority", "priority_override", t(Desk::FieldPriority), &priority_options, &edit.priority_override, errors))
                    @let has_error = errors.get("rationale");
                    (crate::page::field("e-rationale", t(Desk::EditRationale), None, has_error, html! {
                        textarea id="e-rationale" name="rationale" rows="2"
                            aria-invalid=[has_error.map(|_| "true")] { (edit.rationale) }
                    }))
                    div class="form-actions" { button class="button" type="submit" { (t(Desk::EditSave)) } }
                }
            } @else {
                p class="muted" { (t(Desk::EditClosed)) }
            }
        }
    }
}
