//! The page shell (head, top bar, landmarks) and the small components every page uses: badges,
//! form fields with their errors, flash messages.

use maud::{DOCTYPE, Markup, PreEscaped, html};
use spoc_domain::priority::Priority;
use spoc_domain::ticket::{PendingReason, ResolutionCode, Status, TicketKind};

use crate::assets;
use crate::i18n::{Msg, t};
use crate::viewer::Viewer;

/// The page of a person's e-mail notification settings.
pub const ACCOUNT_PATH: &str = "/account/notifications";

/// The page of a person's sign-in sessions and API tokens.
pub const SECURITY_PATH: &str = "/account/security";

/// Which part of the product a page belongs to (navigation, width, colour accents).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// Sign-in and error pages.
    Auth,
    /// The agent workspace.
    Desk,
    /// The self-service portal.
    Portal,
    /// The desk's setup.
    Admin,
}

impl Area {
    fn class(self) -> &'static str {
        match self {
            Self::Auth => "area-auth",
            Self::Desk => "area-desk",
            Self::Portal => "area-portal",
            Self::Admin => "area-admin",
        }
    }
}

/// A page's frame.
pub struct Shell<'a> {
    title: &'a str,
    area: Area,
    /// The navigation entry to mark as current.
    current: &'a str,
}

impl<'a> Shell<'a> {
    /// A page titled `title` in `area`.
    pub fn new(title: &'a str, area: Area) -> Self {
        Self {
            title,
            area,
            current: "",
        }
    }

    /// Marks the navigation entry with this path as the current page.
    pub fn current(mut self, path: &'a str) -> Self {
        self.current = path;
        self
    }

    fn nav_link(&self, href: &str, label: &str) -> Markup {
        html! {
            @if self.current == href {
                a href=(href) aria-current="page" { (label) }
            } @else {
                a href=(href) { (label) }
            }
        }
    }

    /// The whole document around `main`.
    pub fn render(&self, viewer: Option<&Viewer>, main: Markup) -> Markup {
        html! {
            (DOCTYPE)
            html lang=(crate::i18n::lang().as_str()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (self.title) " · Spoc" } // i18n: not text
                    link rel="stylesheet" href=(assets::css_href());
                    @if let Some(brand) = crate::brand::current() {
                        link rel="stylesheet" href=(crate::brand::css_href(&brand));
                    }
                    // The script's words, when the page is not in English (the script holds the
                    // English); the desk's words only on staff pages.
                    @if crate::i18n::lang() != spoc_app::Language::En {
                        script type="application/json" id="spoc-text" {
                            (maud::PreEscaped(crate::i18n::script::json(matches!(self.area, Area::Desk | Area::Admin))))
                        }
                    }
                    script src=(assets::js_href()) defer {}
                }
                body class=(self.area.class()) {
                    a class="skip-link" href="#main" { (t(Msg::SkipToContent)) }
                    @if let Some(viewer) = viewer {
                        (self.topbar(viewer))
                    }
                    @if self.area == Area::Auth {
                        main id="main" class="auth" tabindex="-1" { (main) }
                    } @else {
                        main id="main" class="page" tabindex="-1" {
                            // Until the password generated at first start is replaced.
                            @if viewer.is_some() && self.current != SECURITY_PATH
                                && crate::i18n::reader().generated_password {
                                div class="notice notice-warning" role="status" id="generated-password-banner" {
                                    (t(Msg::GeneratedPasswordBanner)) " "
                                    a href={ (SECURITY_PATH) "#password" } { (t(Msg::ChooseOwnPassword)) }
                                }
                            }
                            (main)
                        }
                        footer class="footer" { (t(Msg::Footer)) }
                    }
                }
            }
        }
    }

    fn topbar(&self, viewer: &Viewer) -> Markup {
        html! {
            header class="topbar" {
                a class="brand" href="/" { (crate::brand::mark(crate::brand::current().as_ref())) }
                nav class="topnav" aria-label=(t(Msg::MainNavigation)) {
                    @if viewer.actor.is_staff() {
                        @if viewer.actor.is_lead() || viewer.actor.is_admin() {
                            (self.nav_link("/desk/lead", t(Msg::NavNeedsYou)))
                        }
                        (self.nav_link("/desk", t(Msg::NavQueues)))
                        (self.nav_link("/desk/new", t(Msg::NavLogCall)))
                        (self.nav_link("/desk/kb", t(Msg::NavKnowledge)))
                        (self.nav_link("/desk/sops", t(Msg::NavSops)))
                        (self.nav_link("/desk/reports", t(Msg::NavReports)))
                        (self.nav_link("/portal", t(Msg::NavPortal)))
                        @if viewer.actor.is_admin() {
                            (self.nav_link("/admin", t(Msg::NavAdmin)))
                        } @else if viewer.actor.is_lead() {
                            (self.nav_link("/admin/mail/inbound", t(Msg::NavMail)))
                        }
                    } @else {
                        (self.nav_link("/portal/tickets", t(Msg::NavMyTickets)))
                        (self.nav_link("/portal/new", t(Msg::NavGetHelp)))
                        (self.nav_link("/portal/kb", t(Msg::NavHelpArticles)))
                    }
                }
                @if viewer.actor.is_staff() {
                    form class="topsearch" role="search" action="/desk/search" method="get" {
                        label class="visually-hidden" for="q" { (t(Msg::SearchStaffLabel)) }
                        input id="q" name="q" type="search" placeholder=(t(Msg::SearchStaffPlaceholder))
                            autocomplete="off";
                    }
                } @else {
                    form class="topsearch" role="search" action="/portal/search" method="get" {
                        label class="visually-hidden" for="q" { (t(Msg::SearchCustomerLabel)) }
                        input id="q" name="q" type="search" placeholder=(t(Msg::SearchCustomerPlaceholder))
                            autocomplete="off";
                    }
                }
                div class="account" {
                    span class="account-name" { bdi { (viewer.name) } }
                    @if !viewer.role_label().is_empty() {
                        " " span class="account-role" { (viewer.role_label()) }
                    }
                    @if viewer.actor.is_staff() {
                        " " a class="account-link notifications-link" href="/desk/notifications"
                            aria-current=[(self.current == "/desk/notifications").then_some("page")] {
                            (t(Msg::Notifications))
                            // Filled in and kept current by the page script (unread count).
                            span class="unread-badge" id="unread-badge" hidden {
                                span class="visually-hidden" { (t(Msg::UnreadPrefix)) }
                                span id="unread-count" {}
                            }
                        }
                    }
                    " " a class="account-link" href=(ACCOUNT_PATH)
                        aria-current=[(self.current == ACCOUNT_PATH).then_some("page")] { (t(Msg::Settings)) }
                    " " a class="account-link" href=(SECURITY_PATH)
                        aria-current=[(self.current == SECURITY_PATH).then_some("page")] { (t(Msg::SignInAndTokens)) }
                    form method="post" action="/logout" class="inline" {
                        (csrf_field(viewer))
                        button class="button-link" type="submit" { (t(Msg::SignOut)) }
                    }
                }
            }
        }
    }
}

/// The hidden CSRF field every state-changing form carries.
pub fn csrf_field(viewer: &Viewer) -> Markup {
    html! { input type="hidden" name="csrf" value=(viewer.csrf); }
}

/// A flash message after a redirect. Only fixed messages are shown, chosen by key, so a link
/// cannot put words in Spoc's mouth.
pub fn flash(key: Option<&str>) -> Markup {
    let message = t(match key.unwrap_or("") {
        "saved" => Msg::FlashSaved,
        "replied" => Msg::FlashReplied,
        "noted" => Msg::FlashNoted,
        "deleted" => Msg::FlashDeleted,
        "replied_resolved" => Msg::FlashRepliedResolved,
        "assigned" => Msg::FlashAssigned,
        "started" => Msg::FlashStarted,
        "pended" => Msg::FlashPended,
        "resumed" => Msg::FlashResumed,
        "escalated" => Msg::FlashEscalated,
        "resolved" => Msg::FlashResolved,
        "closed" => Msg::FlashClosed,
        "reopened" => Msg::FlashReopened,
        "cancelled" => Msg::FlashCancelled,
        "linked" => Msg::FlashLinked,
        "unlinked" => Msg::FlashUnlinked,
        "merged" => Msg::FlashMerged,
        "confirmed" => Msg::FlashConfirmed,
        "created" => Msg::FlashCreated,
        "reapplied" => Msg::FlashReapplied,
        "caller" => Msg::FlashCaller,
        "preferences" => Msg::FlashPreferences,
        "mailbox" => Msg::FlashMailbox,
        "authentication" => Msg::FlashAuthentication,
        "domains" => Msg::FlashDomains,
        "retried" => Msg::FlashRetried,
        "posted" => Msg::FlashPosted,
        "ticketed" => Msg::FlashTicketed,
        "added" => Msg::FlashAdded,
        "dismissed" => Msg::FlashDismissed,
        "requeued" => Msg::FlashRequeued,
        "test_queued" => Msg::FlashTestQueued,
        "solved" => Msg::FlashSolved,
        "thanks" => Msg::FlashThanks,
        "imported" => Msg::FlashImported,
        "nothing_new" => Msg::FlashNothingNew,
        "submitted" => Msg::FlashSubmitted,
        "checked" => Msg::FlashChecked,
        "validated" => Msg::FlashValidated,
        "approved" => Msg::FlashApproved,
        "published" => Msg::FlashPublished,
        "returned" => Msg::FlashReturned,
        "retired" => Msg::FlashRetired,
        "restored" => Msg::FlashRestored,
        "reviewed" => Msg::FlashReviewed,
        _ => return html! {},
    });
    html! { div class="flash flash-success" role="status" { (message) } }
}

/// An error box at the top of a form.
pub fn error_box(message: Option<&str>) -> Markup {
    html! {
        @if let Some(message) = message {
            div class="flash flash-error" role="alert" { (message) }
        }
    }
}

/// Field-level errors of a submitted form.
#[derive(Clone, Debug, Default)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    /// No errors.
    pub fn none() -> Self {
        Self::default()
    }

    /// One error on `field`.
    pub fn one(field: &str, message: impl Into<String>) -> Self {
        Self(vec![(field.to_owned(), message.into())])
    }

    /// Adds an error.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_owned(), message.into()));
    }

    /// The error on `field`.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every error, for a summary.
    pub fn iter(&self) -> impl Iterator<Item = &(String, String)> {
        self.0.iter()
    }
}

/// A labelled field: `control` is the input; the label points at `id`, the error (if any) is
/// announced with it.
pub fn field(
    id: &str,
    label: &str,
    hint: Option<&str>,
    error: Option<&str>,
    control: Markup,
) -> Markup {
    html! {
        div.field.has-error[error.is_some()] {
            label for=(id) { (label) }
            (control)
            @if let Some(hint) = hint {
                p class="hint" id={ (id) "-hint" } { (hint) }
            }
            @if let Some(error) = error {
                p class="field-error" id={ (id) "-error" } { (error) }
            }
        }
    }
}

/// `aria-describedby` for a field with an optional hint and error.
pub fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A one-line text input in a labelled field.
#[allow(clippy::too_many_arguments)]
pub fn text_input(
    id: &str,
    name: &str,
    label: &str,
    kind: &str,
    value: &str,
    required: bool,
    hint: Option<&str>,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    field(
        id,
        label,
        hint,
        error,
        html! {
            input id=(id) name=(name) type=(kind) value=(value) required[required]
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[described_by(id, hint.is_some(), error.is_some())];
        },
    )
}

/// A select of `(value, label)` options in a labelled field.
pub fn select(
    id: &str,
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    field(
        id,
        label,
        None,
        error,
        html! {
            select id=(id) name=(name) aria-invalid=[error.map(|_| "true")]
                aria-describedby=[described_by(id, false, error.is_some())] {
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
        },
    )
}

/// A status badge.
pub fn status_badge(status: Status) -> Markup {
    html! { span class={ "badge badge-status-" (status.as_str()) } { (status_label(status)) } }
}

/// A status as agents read it.
pub fn status_label(status: Status) -> &'static str {
    crate::i18n::words::status(status)
}

/// A priority badge: `P1 critical`.
pub fn priority_badge(priority: Priority) -> Markup {
    html! {
        span class={ "badge badge-priority-" (priority.as_str().to_lowercase()) } {
            (crate::i18n::words::priority_with_code(priority))
        }
    }
}

/// A ticket kind as people say it.
pub fn kind_label(kind: TicketKind) -> &'static str {
    crate::i18n::words::ticket_kind(kind)
}

/// What a pending ticket waits for.
pub fn pending_label(reason: PendingReason) -> &'static str {
    crate::i18n::words::pending(reason)
}

/// How a ticket was resolved.
pub fn resolution_label(code: ResolutionCode) -> &'static str {
    crate::i18n::words::resolution(code)
}

/// A long text kept as the person wrote it: escaped, line breaks preserved by CSS.
pub fn prose(text: &str) -> Markup {
    html! { div class="entry-body" dir="auto" { (text) } }
}

/// Nothing to show, and what to do about it.
pub fn empty_state(title: &str, text: &str, action: Option<(&str, &str)>) -> Markup {
    html! {
        div class="empty-state" {
            h2 { (title) }
            p class="muted" { (text) }
            @if let Some((href, label)) = action {
                p { a class="button button-primary" href=(href) { (label) } }
            }
        }
    }
}

/// A non-breaking em dash for an empty cell.
pub fn none() -> Markup {
    PreEscaped("&mdash;".to_owned())
}

/// A labelled checkbox that submits `on` when ticked, with an optional hint.
pub fn checkbox(id: &str, name: &str, label: &str, checked: bool, hint: Option<&str>) -> Markup {
    html! {
        div class="field field-check" {
            label for=(id) {
                input id=(id) type="checkbox" name=(name) value="on" checked[checked];
                " " (label)
            }
            @if let Some(hint) = hint { p class="hint" { (hint) } }
        }
    }
}

/// `first response` → `First response`.
pub fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use spoc_domain::access::Actor;
    use spoc_domain::user::Role;
    use spoc_domain::{GroupId, UserId};

    use super::*;

    fn viewer(role: Role) -> Viewer {
        Viewer {
            actor: Actor {
                tenant_id: spoc_domain::TenantId::FIRST,
                principal: spoc_domain::access::Principal::User(UserId::new(1)),
                role,
                organization_id: None,
                super_user: false,
                group_ids: vec![GroupId::new(1)],
                credential: spoc_domain::credential::Credential::Direct,
            },
            user_id: UserId::new(1),
            csrf: "c".repeat(64),
            name: "Pat <Person>".to_owned(),
        }
    }

    #[test]
    fn the_shell_has_landmarks_and_role_appropriate_navigation() {
        let staff = Shell::new("Queues", Area::Desk)
            .current("/desk")
            .render(Some(&viewer(Role::Agent)), html! { p { "x" } })
            .into_string();
        assert!(staff.starts_with("<!DOCTYPE html><html lang=\"en\">"));
        assert!(staff.contains(r##"<a class="skip-link" href="#main">"##));
        assert!(staff.contains(r#"<main id="main" class="page" tabindex="-1">"#));
        assert!(staff.contains(r#"<nav class="topnav" aria-label="Main">"#));
        assert!(staff.contains(r#"<a href="/desk" aria-current="page">Queues</a>"#));
        assert!(staff.contains(r#"role="search""#));
        assert!(!staff.contains("/admin"), "agents get no admin link");
        assert!(staff.contains("Pat &lt;Person&gt;"));
        assert!(staff.contains(&format!(
            r#"<input type="hidden" name="csrf" value="{}">"#,
            "c".repeat(64)
        )));
        let admin = Shell::new("Queues", Area::Desk)
            .render(Some(&viewer(Role::Admin)), html! {})
            .into_string();
        assert!(admin.contains(r#"<a href="/admin">Admin</a>"#));
        assert!(
            admin.contains(r#"<a class="account-link" href="/account/notifications">Settings</a>"#)
        );
        assert!(admin.contains(
            r#"<a class="account-link notifications-link" href="/desk/notifications">Notifications"#
        ));
        assert!(admin.contains(r#"id="unread-badge" hidden"#));
        let lead = Shell::new("Queues", Area::Desk)
            .render(Some(&viewer(Role::Lead)), html! {})
            .into_string();
        assert!(
            lead.contains(r#"<a href="/admin/mail/inbound">Mail</a>"#),
            "leads reach the mail log"
        );
        assert!(!lead.contains(r#"href="/admin""#));
        let customer = Shell::new("Mine", Area::Portal)
            .render(Some(&viewer(Role::Customer)), html! {})
            .into_string();
        assert!(!customer.contains("/desk"), "customers get no desk links");
        assert!(
            customer.contains(r#"action="/portal/search""#),
            "customers search their own requests and help articles"
        );
        assert!(customer.contains(r#"<a href="/portal/new">Get help</a>"#));
        assert!(
            customer.contains(r#"href="/account/notifications""#),
            "everyone reaches their notifications"
        );
    }

    #[test]
    fn fields_tie_labels_hints_and_errors_together() {
        let errors = FieldErrors::one("title", "Write a one-line summary.");
        let html = text_input(
            "t",
            "title",
            "Title",
            "text",
            "<x>",
            true,
            Some("One line."),
            &errors,
        )
        .into_string();
        assert!(
            html.contains(r#"<div class="field has-error"><label for="t">Title</label>"#),
            "{html}"
        );
        assert!(html.contains(r#"value="&lt;x&gt;""#));
        assert!(html.contains(r#"aria-invalid="true""#));
        assert!(html.contains(r#"aria-describedby="t-hint t-error""#));
        assert!(
            html.contains(r#"<p class="field-error" id="t-error">Write a one-line summary.</p>"#)
        );
        let fine = text_input(
            "t",
            "title",
            "Title",
            "text",
            "",
            false,
            None,
            &FieldErrors::none(),
        )
        .into_string();
        assert!(!fine.contains("aria-invalid") && !fine.contains("aria-describedby"));
    }

    #[test]
    fn flash_messages_come_only_from_a_fixed_list() {
        assert!(flash(Some("saved")).into_string().contains("Saved."));
        assert_eq!(
            flash(Some("You won a prize, call +1 555")).into_string(),
            ""
        );
        assert_eq!(flash(None).into_string(), "");
    }

    #[test]
    fn badges_read_as_words() {
        assert_eq!(
            status_badge(Status::InProgress).into_string(),
            r#"<span class="badge badge-status-in_progress">In progress</span>"#
        );
        assert_eq!(
            priority_badge(Priority::P4).into_string(),
            r#"<span class="badge badge-priority-p4">P4 low</span>"#
        );
    }
}
