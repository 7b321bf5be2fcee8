-- The tenant of each change in the feed: the tenant of the record that changed, stamped by the
-- write that records the change. Consumers that serve one tenant (webhooks, automation) read
-- only its changes; the live feed reads every tenant's and hands each change to its tenant.
--
-- Changes recorded before this migration take their tenant from the record's table; a change
-- whose record is gone, and a settings change (its entity id is 0), stay with the first tenant,
-- which owned every record before tenants came. No foreign key: the feed is a log appended on
-- every write, and the tenant is copied from a row that already references `tenants`.
ALTER TABLE changes ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1;

UPDATE changes SET tenant_id = COALESCE((SELECT tenant_id FROM tickets WHERE tickets.id = changes.entity_id), 1)
WHERE entity = 'ticket';
UPDATE changes SET tenant_id = COALESCE((SELECT tenant_id FROM sops WHERE sops.id = changes.entity_id), 1)
WHERE entity = 'sop';
UPDATE changes SET tenant_id = COALESCE((SELECT tenant_id FROM articles WHERE articles.id = changes.entity_id), 1)
WHERE entity = 'article';
UPDATE changes SET tenant_id = COALESCE((SELECT tenant_id FROM users WHERE users.id = changes.entity_id), 1)
WHERE entity = 'user';
UPDATE changes SET tenant_id = COALESCE((SELECT tenant_id FROM organizations WHERE organizations.id = changes.entity_id), 1)
WHERE entity = 'organization';
UPDATE changes SET tenant_id = COALESCE((SELECT tenant_id FROM resolver_groups WHERE resolver_groups.id = changes.entity_id), 1)
WHERE entity = 'group';
UPDATE changes SET tenant_id = COALESCE((SELECT tenant_id FROM categories WHERE categories.id = changes.entity_id), 1)
WHERE entity = 'category';
UPDATE changes SET tenant_id = COALESCE((SELECT tenant_id FROM services WHERE services.id = changes.entity_id), 1)
WHERE entity = 'service';
UPDATE changes SET tenant_id = COALESCE((SELECT tenant_id FROM mailboxes WHERE mailboxes.id = changes.entity_id), 1)
WHERE entity = 'mailbox';
-- An SLA change is about a calendar or a policy; its kind says which.
UPDATE changes SET tenant_id = COALESCE((SELECT tenant_id FROM calendars WHERE calendars.id = changes.entity_id), 1)
WHERE entity = 'sla' AND kind LIKE 'calendar%';
UPDATE changes SET tenant_id = COALESCE((SELECT tenant_id FROM sla_policies WHERE sla_policies.id = changes.entity_id), 1)
WHERE entity = 'sla' AND kind LIKE 'policy%';

CREATE INDEX changes_tenant_idx ON changes (tenant_id, position);
