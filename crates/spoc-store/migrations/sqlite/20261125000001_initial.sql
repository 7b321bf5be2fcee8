-- Spoc's initial schema (SQLite). Keep in step with ../postgres/20261125000001_initial.sql:
-- same tables, columns, nullability and indexes (checked by the schema-equivalence test).
-- Timestamps are microseconds since the Unix epoch (UTC); booleans are 0/1; JSON is text.

CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('customer', 'agent', 'lead', 'admin')),
    organization_id BIGINT REFERENCES organizations (id),
    super_user BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX users_organization_idx ON users (organization_id);

CREATE TABLE resolver_groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    tier BIGINT NOT NULL CHECK (tier IN (1, 2, 3)),
    external_supplier BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

CREATE TABLE group_members (
    group_id BIGINT NOT NULL REFERENCES resolver_groups (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user_idx ON group_members (user_id);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    parent_id BIGINT REFERENCES categories (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX categories_parent_idx ON categories (parent_id);

CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    pending_reason TEXT,
    impact TEXT NOT NULL,
    urgency TEXT NOT NULL,
    priority BIGINT NOT NULL,
    priority_overridden BOOLEAN NOT NULL,
    requester_id BIGINT NOT NULL REFERENCES users (id),
    organization_id BIGINT REFERENCES organizations (id),
    group_id BIGINT NOT NULL REFERENCES resolver_groups (id),
    assignee_id BIGINT REFERENCES users (id),
    tier BIGINT NOT NULL,
    category_id BIGINT REFERENCES categories (id),
    subcategory_id BIGINT REFERENCES categories (id),
    service_id BIGINT REFERENCES services (id),
    channel TEXT NOT NULL,
    supplier_reference TEXT,
    resolution_code TEXT,
    resolution_notes TEXT,
    reassignment_count BIGINT NOT NULL,
    reopen_count BIGINT NOT NULL,
    escalation_count BIGINT NOT NULL,
    escalated BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    first_response_at BIGINT,
    resolved_at BIGINT,
    closed_at BIGINT,
    version BIGINT NOT NULL
);
CREATE INDEX tickets_status_idx ON tickets (status, id);
CREATE INDEX tickets_group_status_idx ON tickets (group_id, status, id);
CREATE INDEX tickets_assignee_status_idx ON tickets (assignee_id, status, id);
CREATE INDEX tickets_requester_idx ON tickets (requester_id, id);
CREATE INDEX tickets_organization_idx ON tickets (organization_id, id);
CREATE INDEX tickets_priority_idx ON tickets (priority, id);
CREATE INDEX tickets_updated_idx ON tickets (updated_at, id);

CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    at BIGINT NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    kind TEXT NOT NULL,
    public BOOLEAN NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id);

-- The history is append-only: it is the audit trail.
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
BEGIN
    SELECT RAISE(ABORT, 'ticket_events is append-only');
END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
BEGIN
    SELECT RAISE(ABORT, 'ticket_events is append-only');
END;

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- In-app notifications (e.g. a lead alerted by a hierarchical escalation), written in the same
-- transaction as the change that causes them.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    ticket_id BIGINT REFERENCES tickets (id),
    topic TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id);

-- Side effects (notifications) written in the same transaction as the change that causes them,
-- delivered later by a leased worker.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    available_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    lease_owner TEXT,
    done_at BIGINT
);
CREATE INDEX outbox_pending_idx ON outbox (done_at, available_at);

-- Full-text search over what a ticket says. The rowid is the ticket id. Customers search the
-- first three columns only; internal notes are in their own column so they can never match
-- a customer's search.
CREATE VIRTUAL TABLE ticket_search USING fts5 (
    title,
    description,
    public_comments,
    internal_notes,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
