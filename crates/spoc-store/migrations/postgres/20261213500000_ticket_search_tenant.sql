-- The ticket search rows know each ticket's tenant, so that one tenant's search narrows by it
-- in the index (a B-tree on `tenant` beside the GIN indexes) rather than after matching every
-- tenant's tickets. The same column as SQLite's search index, as a number here.
ALTER TABLE ticket_search ADD COLUMN tenant BIGINT;
UPDATE ticket_search s SET tenant = t.tenant_id FROM tickets t WHERE t.id = s.ticket_id;
ALTER TABLE ticket_search ALTER COLUMN tenant SET NOT NULL;
CREATE INDEX ticket_search_tenant_idx ON ticket_search (tenant);
