-- The ticket indexes lead with the tenant. Every ticket read filters `tenant_id = ?` since the
-- tenants migration, which added a single-column index on it; on a desk with one tenant (or one
-- large one) that index matches every ticket, yet the planner took it for the queue listings
-- and their counts (filter and sort every ticket of the tenant) instead of the status, group and
-- assignee indexes it used before. With the tenant as the first column of each composite index,
-- one index serves both the tenant filter and the queue's own columns and order, and a tenant's
-- queue reads only that tenant's entries. The names stay; nothing reads tickets across tenants
-- by these columns (the desk's own workers reach tickets by id), and no parent row they refer
-- to is ever deleted, so no foreign-key check needs the old column order.
DROP INDEX tickets_tenant_idx;
DROP INDEX tickets_status_idx;
DROP INDEX tickets_group_status_idx;
DROP INDEX tickets_assignee_status_idx;
DROP INDEX tickets_requester_idx;
DROP INDEX tickets_organization_idx;
DROP INDEX tickets_priority_idx;
DROP INDEX tickets_updated_idx;
CREATE INDEX tickets_status_idx ON tickets (tenant_id, status, id);
CREATE INDEX tickets_group_status_idx ON tickets (tenant_id, group_id, status, id);
CREATE INDEX tickets_assignee_status_idx ON tickets (tenant_id, assignee_id, status, id);
CREATE INDEX tickets_requester_idx ON tickets (tenant_id, requester_id, id);
CREATE INDEX tickets_organization_idx ON tickets (tenant_id, organization_id, id);
CREATE INDEX tickets_priority_idx ON tickets (tenant_id, priority, id);
CREATE INDEX tickets_updated_idx ON tickets (tenant_id, updated_at, id);
