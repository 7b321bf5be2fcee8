//! Who sees what: every role × relationship to a ticket, and what customers may do.

mod common;

use common::*;
use spoc_domain::access::{Actor, Principal, SystemActor, TicketScope};
use spoc_domain::lifecycle::Action;
use spoc_domain::ticket::{Status, Ticket, TicketKind};
use spoc_domain::user::Role;
use spoc_domain::{GroupId, OrganizationId, UserId};

const VIEWER: UserId = UserId::new(500);
const VIEWER_ORG: OrganizationId = OrganizationId::new(50);
const VIEWER_GROUP: GroupId = GroupId::new(60);

/// How a ticket relates to the viewer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Relation {
    /// The viewer requested it.
    Requested,
    /// Someone of the viewer's organisation requested it.
    SameOrganization,
    /// Someone of another organisation requested it.
    OtherOrganization,
    /// It sits in a group the viewer belongs to.
    InMyGroup,
    /// It is assigned to the viewer, in a group they are not in.
    AssignedToMe,
    /// It belongs to none of the above.
    Unrelated,
}

const RELATIONS: [Relation; 6] = [
    Relation::Requested,
    Relation::SameOrganization,
    Relation::OtherOrganization,
    Relation::InMyGroup,
    Relation::AssignedToMe,
    Relation::Unrelated,
];

fn ticket(relation: Relation) -> Ticket {
    let mut t = new_ticket(TicketKind::Incident);
    t.organization_id = Some(ORG);
    match relation {
        Relation::Requested => {
            t.requester_id = VIEWER;
            t.organization_id = Some(VIEWER_ORG);
        }
        Relation::SameOrganization => t.organization_id = Some(VIEWER_ORG),
        Relation::OtherOrganization | Relation::Unrelated => {}
        Relation::InMyGroup => t.group_id = VIEWER_GROUP,
        Relation::AssignedToMe => t.assignee_id = Some(VIEWER),
    }
    t
}

fn actor(role: Role, super_user: bool) -> Actor {
    Actor {
        tenant_id: spoc_domain::TenantId::FIRST,
        principal: Principal::User(VIEWER),
        role,
        organization_id: Some(VIEWER_ORG),
        super_user,
        group_ids: if role == Role::Customer {
            vec![]
        } else {
            vec![VIEWER_GROUP]
        },
        credential: spoc_domain::credential::Credential::Direct,
    }
}

/// The access rules of issue #2 §4, as a table.
fn expected(role: Role, super_user: bool, relation: Relation) -> bool {
    use Relation::*;
    match role {
        Role::Lead | Role::Admin => true,
        Role::Agent => matches!(relation, Requested | InMyGroup | AssignedToMe),
        Role::Customer if super_user => matches!(relation, Requested | SameOrganization),
        Role::Customer => relation == Requested,
    }
}

#[test]
fn every_role_and_relation() {
    for role in Role::ALL {
        for super_user in [false, true] {
            let a = actor(role, super_user);
            for relation in RELATIONS {
                let t = ticket(relation);
                assert_eq!(
                    a.can_see(&t),
                    expected(role, super_user, relation),
                    "{role} (super user {super_user}) / {relation:?}"
                );
                assert_eq!(a.ticket_scope().contains(&t), a.can_see(&t));
            }
        }
    }
}

#[test]
fn a_super_user_without_an_organisation_sees_only_their_own() {
    let mut a = actor(Role::Customer, true);
    a.organization_id = None;
    assert_eq!(a.ticket_scope(), TicketScope::Requester(VIEWER));
}

#[test]
fn an_agent_without_groups_sees_only_their_own_and_assigned() {
    let mut a = actor(Role::Agent, false);
    a.group_ids.clear();
    assert!(!a.can_see(&ticket(Relation::InMyGroup)));
    assert!(a.can_see(&ticket(Relation::AssignedToMe)));
}

#[test]
fn internal_notes_are_for_staff_only() {
    for role in Role::ALL {
        for super_user in [false, true] {
            let a = actor(role, super_user);
            assert_eq!(a.sees_internal(), role != Role::Customer, "{role}");
            assert_eq!(a.may_write_internal_note().is_ok(), role != Role::Customer);
            assert_eq!(a.may_edit().is_ok(), role != Role::Customer);
            assert_eq!(a.may_administer().is_ok(), role == Role::Admin);
            assert_eq!(a.is_lead(), matches!(role, Role::Lead | Role::Admin));
        }
    }
}

#[test]
fn customers_confirm_reopen_and_cancel_only_their_own() {
    let customer = actor(Role::Customer, true);
    let own = ticket(Relation::Requested);
    let colleague = ticket(Relation::SameOrganization);
    for action in Action::ALL {
        let on_own = customer.may_perform(&own, action).is_ok();
        let on_colleague = customer.may_perform(&colleague, action).is_ok();
        let expected_own = matches!(action, Action::Close | Action::Reopen | Action::Cancel);
        let expected_colleague = matches!(action, Action::Close | Action::Reopen);
        assert_eq!(on_own, expected_own, "{action} on own");
        assert_eq!(on_colleague, expected_colleague, "{action} on colleague's");
    }
    for role in [Role::Agent, Role::Lead, Role::Admin] {
        let staff = actor(role, false);
        for action in Action::ALL {
            assert!(staff.may_perform(&own, action).is_ok());
        }
    }
}

#[test]
fn customers_log_only_for_themselves() {
    let customer = actor(Role::Customer, true);
    assert!(customer.may_log_for(VIEWER).is_ok());
    assert!(customer.may_log_for(REQUESTER).is_err());
    assert!(actor(Role::Agent, false).may_log_for(REQUESTER).is_ok());
}

#[test]
fn status_does_not_change_visibility() {
    for status in Status::ALL {
        let mut t = ticket(Relation::OtherOrganization);
        t.status = *status;
        assert!(!actor(Role::Customer, true).can_see(&t));
        assert!(actor(Role::Lead, false).can_see(&t));
    }
}

#[test]
fn the_system_sees_every_ticket_and_works_them_like_a_lead() {
    for kind in SystemActor::ALL {
        let system = Actor::system(spoc_domain::TenantId::FIRST, kind);
        assert_eq!(system.principal, Principal::System(kind));
        assert_eq!(system.user_id(), None);
        assert_eq!(system.ticket_scope(), TicketScope::All, "{kind}");
        for relation in RELATIONS {
            assert!(system.can_see(&ticket(relation)), "{kind} / {relation:?}");
        }
        assert!(system.sees_internal());
        assert!(system.may_edit().is_ok());
        for action in Action::ALL {
            assert!(
                system
                    .may_perform(&ticket(Relation::Unrelated), action)
                    .is_ok()
            );
        }
        // Only the set-up changes the desk's setup.
        assert_eq!(
            system.may_administer().is_ok(),
            kind == SystemActor::Bootstrap,
            "{kind}"
        );
        // What only a person can do is refused with a reason, never taken from a user.
        assert!(system.person().is_err());
        assert!(!system.is_user(VIEWER));
    }
}

#[test]
fn the_system_is_scoped_to_everything_whatever_role_it_is_given() {
    // Even a system actor built by hand with a customer's role is not narrowed to a person's
    // tickets: it has no person to narrow to.
    let mut system = Actor::system(spoc_domain::TenantId::FIRST, SystemActor::MailIntake);
    system.role = Role::Customer;
    assert_eq!(system.ticket_scope(), TicketScope::All);
    assert!(system.may_log_for(REQUESTER).is_err());
}

#[test]
fn a_person_is_themselves_and_nobody_else() {
    let a = actor(Role::Agent, false);
    assert_eq!(a.user_id(), Some(VIEWER));
    assert_eq!(a.person(), Ok(VIEWER));
    assert!(a.is_user(VIEWER));
    assert!(!a.is_user(REQUESTER));
    assert_eq!(Principal::from(VIEWER), Principal::User(VIEWER));
}

#[test]
fn system_actor_names_round_trip_and_are_distinct() {
    let mut names = std::collections::HashSet::new();
    for kind in SystemActor::ALL {
        assert_eq!(SystemActor::parse(kind.as_str()), Some(kind));
        assert!(names.insert(kind.as_str()), "{kind} named twice");
        assert_eq!(
            serde_json::to_value(kind).ok(),
            Some(serde_json::Value::String(kind.as_str().to_owned()))
        );
        assert!(!kind.label().is_empty());
    }
    assert_eq!(SystemActor::parse("sla-timers"), None);
    assert_eq!(SystemActor::SlaTimer.as_str(), "sla_timer");
}

#[test]
fn stored_actor_columns_read_back_as_the_principal() {
    assert_eq!(
        Principal::from_columns(Some(VIEWER), None),
        Some(Principal::User(VIEWER))
    );
    assert_eq!(
        Principal::from_columns(None, Some(SystemActor::SlaTimer)),
        Some(Principal::System(SystemActor::SlaTimer))
    );
    assert_eq!(Principal::from_columns(None, None), None);
    assert_eq!(Principal::User(VIEWER).system(), None);
    assert_eq!(
        Principal::System(SystemActor::Bootstrap).system(),
        Some(SystemActor::Bootstrap)
    );
}
