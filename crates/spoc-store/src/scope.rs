//! The tickets a caller may see, as SQL: every ticket read appends its caller's scope.

use spoc_domain::access::TicketScope;

use crate::db::Sql;

/// Appends ` AND (…)`: the tickets `t` inside `scope`.
pub(crate) fn push_scope(sql: &mut Sql, scope: &TicketScope) {
    match scope {
        TicketScope::All => {}
        TicketScope::Groups { user_id, group_ids } => {
            sql.push(" AND (t.assignee_id = ").push_bind(user_id.get());
            sql.push(" OR t.requester_id = ").push_bind(user_id.get());
            if !group_ids.is_empty() {
                sql.push(" OR t.group_id IN (")
                    .push_list(group_ids.iter().map(|g| g.get()))
                    .push(")");
            }
            sql.push(")");
        }
        TicketScope::Organization {
            user_id,
            organization_id,
        } => {
            sql.push(" AND (t.organization_id = ")
                .push_bind(organization_id.get());
            sql.push(" OR t.requester_id = ")
                .push_bind(user_id.get())
                .push(")");
        }
        TicketScope::Requester(user_id) => {
            sql.push(" AND t.requester_id = ").push_bind(user_id.get());
        }
    }
}
