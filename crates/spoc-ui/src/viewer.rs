//! The signed-in person looking at a page.

use spoc_domain::UserId;
use spoc_domain::access::Actor;
use spoc_domain::user::Role;
use spoc_http::extract::constant_time_eq;

/// The signed-in person looking at a page.
#[derive(Clone, Debug)]
pub struct Viewer {
    /// For the app layer.
    pub actor: Actor,
    /// The person (a page is always seen by someone signed in, never by the system).
    pub user_id: UserId,
    /// The token every form of this session must carry.
    pub csrf: String,
    /// Display name.
    pub name: String,
}

/// Where a person starts, and goes after signing in (by password, second factor or OIDC):
/// "Needs you" for leads (what needs them: escalations, breaches, reviews), the desk for other
/// staff, the portal for customers.
pub(crate) fn home_for(role: Role) -> &'static str {
    if role == Role::Lead {
        "/desk/lead"
    } else if role.is_staff() {
        "/desk"
    } else {
        "/portal"
    }
}

impl Viewer {
    /// The viewer as they act on ticket `id`: themselves, or for a provider agent working a
    /// ticket of a tenant they are granted, their linked account of that tenant
    /// (`App::actor_on_ticket`), so the whole page is that tenant's.
    pub async fn on_ticket(
        mut self,
        app: &spoc_app::App,
        id: spoc_domain::TicketId,
    ) -> Result<Self, spoc_app::AppError> {
        let actor = app.actor_on_ticket(&self.actor, id).await?;
        if let Some(user) = actor.user_id() {
            self.user_id = user;
        }
        self.actor = actor;
        Ok(self)
    }

    /// Where this person starts: "Needs you" for leads, the desk for other staff, the portal for
    /// customers.
    pub fn home(&self) -> &'static str {
        home_for(self.actor.role)
    }

    /// The role, as shown beside the name.
    pub fn role_label(&self) -> &'static str {
        match self.actor.role {
            Role::Customer => "",
            Role::Agent => crate::i18n::t(crate::i18n::Msg::RoleAgent),
            Role::Lead => crate::i18n::t(crate::i18n::Msg::RoleLead),
            Role::Admin => crate::i18n::t(crate::i18n::Msg::RoleAdmin),
        }
    }

    /// Whether a form's CSRF token is this session's.
    pub fn csrf_matches(&self, sent: &str) -> bool {
        constant_time_eq(sent.as_bytes(), self.csrf.as_bytes())
    }
}
