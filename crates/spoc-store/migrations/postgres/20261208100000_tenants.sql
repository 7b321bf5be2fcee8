-- Tenants: every record belongs to one. A fresh or upgraded desk has exactly one tenant, id 1,
-- made here, and every existing row belongs to it (`tenant_id` NOT NULL DEFAULT 1).
--
-- Tenant-owned tables, with a `tenant_id` column (top-level records, read on their own):
--   settings (primary key now (tenant_id, key)), organizations, organization_domains (primary
--   key now (tenant_id, domain)), users, resolver_groups, categories, services, tickets,
--   api_tokens, sessions, notifications, outbox, calendars, sla_policies, mailboxes,
--   inbound_messages, mail_preferences, mail_action_tokens, articles, deflections, sops,
--   sop_pending_links.
-- Owned through their parent row (no column of their own: every read reaches them through the
-- parent, which is filtered by tenant, and a row cannot belong to another tenant than its
-- parent): ticket_events, ticket_sla, ticket_sop, attachments, mail_threads (ticket),
-- group_members (group), article_versions, article_log, article_uses, article_feedback
-- (article), sop_versions, sop_log, sop_links, sop_reviews, sop_review_tickets (SOP), and the
-- search tables ticket_search / article_search (keyed by the ticket's / article's id).
-- Global: tenants itself; feed_head and changes (the one change feed of the database, in commit
-- order — global for now, the feed's owner adds the tenant to `changes`); worker_leases (named
-- per node job, not per tenant); readiness (a health probe row); the migrations table.
--
-- Unique per tenant from now on: a user's canonical e-mail, the names of organisations, resolver
-- groups, services, calendars, SLA policies and mailboxes, an SOP's key, a settings key, an
-- organisation's mail domain, an outbox idempotency key and an inbound Message-ID. Session and
-- token hashes stay globally unique: they are looked up before the tenant is known.
CREATE TABLE tenants (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
INSERT INTO tenants (id, name, created_at)
VALUES (1, 'Default', (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT);
SELECT setval(pg_get_serial_sequence('tenants', 'id'), 1);

ALTER TABLE settings ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE settings DROP CONSTRAINT settings_pkey, ADD PRIMARY KEY (tenant_id, key);

ALTER TABLE organizations ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE organizations DROP CONSTRAINT organizations_name_key,
    ADD CONSTRAINT organizations_tenant_id_name_key UNIQUE (tenant_id, name);

ALTER TABLE organization_domains ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE organization_domains DROP CONSTRAINT organization_domains_pkey,
    ADD PRIMARY KEY (tenant_id, domain);

ALTER TABLE users ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE users DROP CONSTRAINT users_email_key,
    ADD CONSTRAINT users_tenant_id_email_key UNIQUE (tenant_id, email);
DROP INDEX users_email_canonical_idx;
CREATE UNIQUE INDEX users_email_canonical_idx ON users (tenant_id, email_canonical);

ALTER TABLE resolver_groups ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE resolver_groups DROP CONSTRAINT resolver_groups_name_key,
    ADD CONSTRAINT resolver_groups_tenant_id_name_key UNIQUE (tenant_id, name);

ALTER TABLE categories ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);

ALTER TABLE services ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE services DROP CONSTRAINT services_name_key,
    ADD CONSTRAINT services_tenant_id_name_key UNIQUE (tenant_id, name);

ALTER TABLE tickets ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
CREATE INDEX tickets_tenant_idx ON tickets (tenant_id);

ALTER TABLE api_tokens ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE sessions ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE notifications ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);

ALTER TABLE outbox ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE outbox DROP CONSTRAINT outbox_idempotency_key_key,
    ADD CONSTRAINT outbox_tenant_id_idempotency_key_key UNIQUE (tenant_id, idempotency_key);

ALTER TABLE calendars ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE calendars DROP CONSTRAINT calendars_name_key,
    ADD CONSTRAINT calendars_tenant_id_name_key UNIQUE (tenant_id, name);

ALTER TABLE sla_policies ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE sla_policies DROP CONSTRAINT sla_policies_name_key,
    ADD CONSTRAINT sla_policies_tenant_id_name_key UNIQUE (tenant_id, name);

ALTER TABLE mailboxes ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE mailboxes DROP CONSTRAINT mailboxes_name_key,
    ADD CONSTRAINT mailboxes_tenant_id_name_key UNIQUE (tenant_id, name);

ALTER TABLE inbound_messages ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE inbound_messages DROP CONSTRAINT inbound_messages_message_id_key,
    ADD CONSTRAINT inbound_messages_tenant_id_message_id_key UNIQUE (tenant_id, message_id);

ALTER TABLE mail_preferences ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE mail_action_tokens ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE articles ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE deflections ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);

ALTER TABLE sops ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE sops DROP CONSTRAINT sops_key_key,
    ADD CONSTRAINT sops_tenant_id_key_key UNIQUE (tenant_id, key);

ALTER TABLE sop_pending_links ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
