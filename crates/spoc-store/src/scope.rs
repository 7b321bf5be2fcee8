//! The records a caller may see, as SQL: every ticket read appends its caller's scope (tenant
//! and visibility), every other read of a tenant-owned table its tenant.

use spoc_domain::TenantId;
use spoc_domain::access::{Scope, TicketScope};
use spoc_domain::tenant::TenantScope;

use crate::db::Sql;

/// Appends ` AND (…)`: the tickets `t` inside `scope`. With linked parts (a provider agent's
/// grants), the condition is an OR of (tenant, ticket scope) parts, each bound to its tenant.
pub(crate) fn push_scope(sql: &mut Sql, scope: &Scope) {
    if scope.linked.is_empty() {
        push_tenant_of(sql, "t", scope.tenant);
        push_tickets(sql, &scope.tickets);
        return;
    }
    sql.push(" AND ((1 = 1");
    push_tenant_of(sql, "t", scope.tenant);
    push_tickets(sql, &scope.tickets);
    sql.push(")");
    for part in &scope.linked {
        sql.push(" OR (t.tenant_id = ").push_bind(part.tenant.get());
        push_tickets(sql, &part.tickets);
        sql.push(")");
    }
    sql.push(")");
}

/// Appends ` AND (…)`: the tickets `t` inside one tenant's ticket scope.
fn push_tickets(sql: &mut Sql, tickets: &TicketScope) {
    match tickets {
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

/// Appends ` AND alias.tenant_id = $n` (nothing for the desk's all-tenants work, which says so
/// in the statement).
pub(crate) fn push_tenant_of(sql: &mut Sql, alias: &str, tenant: TenantScope) {
    match tenant {
        TenantScope::Tenant(id) => {
            sql.push(" AND ")
                .push(alias)
                .push(".tenant_id = ")
                .push_bind(id.get());
        }
        TenantScope::AllTenants => {
            sql.push(" /* all-tenants: the caller's scope covers every tenant */");
        }
    }
}

/// Appends ` AND tenant_id = $n` for a statement over one table without an alias.
pub(crate) fn push_tenant(sql: &mut Sql, tenant: TenantId) {
    sql.push(" AND tenant_id = ").push_bind(tenant.get());
}
