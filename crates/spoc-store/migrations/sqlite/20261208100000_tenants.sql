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

--
-- SQLite cannot drop an inline UNIQUE constraint, so the tables that have one are rebuilt (the
-- documented procedure: new table, copy, drop, rename, indexes again). `Store::migrate` runs the
-- SQLite migrations with foreign-key enforcement off and checks every foreign key afterwards, so
-- dropping a referenced table here keeps the rows that refer to it. No trigger or view refers
-- to a rebuilt table.
CREATE TABLE tenants (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
INSERT INTO tenants (id, name, created_at)
VALUES (1, 'Default', CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER));

CREATE TABLE settings_new (
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id),
    PRIMARY KEY (tenant_id, key)
);
INSERT INTO settings_new (key, value)
SELECT key, value FROM settings;
DROP TABLE settings;
ALTER TABLE settings_new RENAME TO settings;

CREATE TABLE organizations_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id),
    UNIQUE (tenant_id, name)
);
INSERT INTO organizations_new (id, name, created_at)
SELECT id, name, created_at FROM organizations;
DROP TABLE organizations;
ALTER TABLE organizations_new RENAME TO organizations;

CREATE TABLE organization_domains_new (
    domain TEXT NOT NULL,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id),
    PRIMARY KEY (tenant_id, domain)
);
INSERT INTO organization_domains_new (domain, organization_id)
SELECT domain, organization_id FROM organization_domains;
DROP TABLE organization_domains;
ALTER TABLE organization_domains_new RENAME TO organization_domains;
CREATE INDEX organization_domains_org_idx ON organization_domains (organization_id);

CREATE TABLE users_new (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('customer', 'agent', 'lead', 'admin')),
    organization_id BIGINT REFERENCES organizations (id),
    super_user BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    email_canonical TEXT,
    tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id),
    UNIQUE (tenant_id, email)
);
INSERT INTO users_new (id, email, name, role, organization_id, super_user, password_hash, active, created_at, email_canonical)
SELECT id, email, name, role, organization_id, super_user, password_hash, active, created_at, email_canonical FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_organization_idx ON users (organization_id);
CREATE UNIQUE INDEX users_email_canonical_idx ON users (tenant_id, email_canonical);

CREATE TABLE resolver_groups_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    tier BIGINT NOT NULL CHECK (tier IN (1, 2, 3)),
    external_supplier BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id),
    UNIQUE (tenant_id, name)
);
INSERT INTO resolver_groups_new (id, name, tier, external_supplier, created_at)
SELECT id, name, tier, external_supplier, created_at FROM resolver_groups;
DROP TABLE resolver_groups;
ALTER TABLE resolver_groups_new RENAME TO resolver_groups;

CREATE TABLE services_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id),
    UNIQUE (tenant_id, name)
);
INSERT INTO services_new (id, name, description, created_at)
SELECT id, name, description, created_at FROM services;
DROP TABLE services;
ALTER TABLE services_new RENAME TO services;

CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    available_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    lease_owner TEXT,
    done_at BIGINT,
    recipient TEXT,
    ticket_id BIGINT REFERENCES tickets (id),
    last_error TEXT,
    dead_at BIGINT,
    tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id),
    UNIQUE (tenant_id, idempotency_key)
);
INSERT INTO outbox_new (id, topic, idempotency_key, payload, created_at, available_at, attempts, locked_until, lease_owner, done_at, recipient, ticket_id, last_error, dead_at)
SELECT id, topic, idempotency_key, payload, created_at, available_at, attempts, locked_until, lease_owner, done_at, recipient, ticket_id, last_error, dead_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending_idx ON outbox (done_at, available_at);
CREATE INDEX outbox_dead_idx ON outbox (dead_at);
CREATE INDEX outbox_ticket_idx ON outbox (ticket_id);

CREATE TABLE calendars_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    spec TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id),
    UNIQUE (tenant_id, name)
);
INSERT INTO calendars_new (id, name, spec, created_at, updated_at)
SELECT id, name, spec, created_at, updated_at FROM calendars;
DROP TABLE calendars;
ALTER TABLE calendars_new RENAME TO calendars;

CREATE TABLE sla_policies_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    calendar_id BIGINT NOT NULL REFERENCES calendars (id),
    terms TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id),
    UNIQUE (tenant_id, name)
);
INSERT INTO sla_policies_new (id, name, position, is_default, calendar_id, terms, created_at, updated_at)
SELECT id, name, position, is_default, calendar_id, terms, created_at, updated_at FROM sla_policies;
DROP TABLE sla_policies;
ALTER TABLE sla_policies_new RENAME TO sla_policies;

CREATE TABLE mailboxes_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    imap_host TEXT,
    imap_port BIGINT,
    imap_security TEXT CHECK (imap_security IN ('tls', 'starttls')),
    imap_username TEXT,
    imap_password TEXT,
    ca_certificate TEXT,
    folder TEXT NOT NULL,
    processed_folder TEXT,
    unknown_senders TEXT NOT NULL CHECK (unknown_senders IN ('create', 'refuse')),
    non_participants TEXT NOT NULL CHECK (non_participants IN ('new_ticket', 'hold')),
    ticket_kind TEXT NOT NULL,
    poll_seconds BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    last_polled_at BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id),
    UNIQUE (tenant_id, name)
);
INSERT INTO mailboxes_new (id, name, address, enabled, imap_host, imap_port, imap_security, imap_username, imap_password, ca_certificate, folder, processed_folder, unknown_senders, non_participants, ticket_kind, poll_seconds, lease_owner, lease_until, last_polled_at, last_error, created_at, updated_at)
SELECT id, name, address, enabled, imap_host, imap_port, imap_security, imap_username, imap_password, ca_certificate, folder, processed_folder, unknown_senders, non_participants, ticket_kind, poll_seconds, lease_owner, lease_until, last_polled_at, last_error, created_at, updated_at FROM mailboxes;
DROP TABLE mailboxes;
ALTER TABLE mailboxes_new RENAME TO mailboxes;

CREATE TABLE inbound_messages_new (
    id INTEGER PRIMARY KEY,
    mailbox_id BIGINT REFERENCES mailboxes (id),
    message_id TEXT NOT NULL,
    raw BLOB NOT NULL,
    raw_sha256 TEXT NOT NULL,
    from_address TEXT,
    subject TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('ticket_created', 'reply_added', 'held', 'quarantined', 'ignored', 'refused')),
    reason TEXT NOT NULL,
    auto_reply TEXT NOT NULL,
    ticket_id BIGINT REFERENCES tickets (id),
    event_id BIGINT REFERENCES ticket_events (id),
    html TEXT,
    warnings TEXT NOT NULL,
    settled_at BIGINT,
    settled_by BIGINT REFERENCES users (id),
    tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id),
    UNIQUE (tenant_id, message_id)
);
INSERT INTO inbound_messages_new (id, mailbox_id, message_id, raw, raw_sha256, from_address, subject, received_at, outcome, reason, auto_reply, ticket_id, event_id, html, warnings, settled_at, settled_by)
SELECT id, mailbox_id, message_id, raw, raw_sha256, from_address, subject, received_at, outcome, reason, auto_reply, ticket_id, event_id, html, warnings, settled_at, settled_by FROM inbound_messages;
DROP TABLE inbound_messages;
ALTER TABLE inbound_messages_new RENAME TO inbound_messages;
CREATE INDEX inbound_messages_outcome_idx ON inbound_messages (outcome, id);
CREATE INDEX inbound_messages_sender_idx ON inbound_messages (from_address, received_at);
CREATE INDEX inbound_messages_ticket_idx ON inbound_messages (ticket_id);

CREATE TABLE sops_new (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    reviewer_id BIGINT REFERENCES users (id),
    approver_id BIGINT REFERENCES users (id),
    effective_version BIGINT,
    latest_version BIGINT NOT NULL,
    review_interval_months BIGINT NOT NULL,
    breach_threshold BIGINT,
    reopen_threshold BIGINT,
    window_days BIGINT NOT NULL,
    next_review_at BIGINT,
    scan_lease_owner TEXT,
    scan_lease_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id),
    UNIQUE (tenant_id, key)
);
INSERT INTO sops_new (id, key, title, owner_id, reviewer_id, approver_id, effective_version, latest_version, review_interval_months, breach_threshold, reopen_threshold, window_days, next_review_at, scan_lease_owner, scan_lease_until, created_at, updated_at)
SELECT id, key, title, owner_id, reviewer_id, approver_id, effective_version, latest_version, review_interval_months, breach_threshold, reopen_threshold, window_days, next_review_at, scan_lease_owner, scan_lease_until, created_at, updated_at FROM sops;
DROP TABLE sops;
ALTER TABLE sops_new RENAME TO sops;

ALTER TABLE categories ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE tickets ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
CREATE INDEX tickets_tenant_idx ON tickets (tenant_id);
ALTER TABLE api_tokens ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE sessions ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE notifications ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE mail_preferences ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE mail_action_tokens ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE articles ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE deflections ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
ALTER TABLE sop_pending_links ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1 REFERENCES tenants (id);
