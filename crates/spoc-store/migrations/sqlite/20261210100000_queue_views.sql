-- The queue's per-person state (lane "queue"): when each agent last opened each ticket (unread
-- marks), the queue columns each person chose, and saved views (personal, or shared by a lead).
-- All three are tenant-owned with their own `tenant_id`; every read filters by it.
CREATE TABLE ticket_reads (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, ticket_id)
);

CREATE TABLE queue_columns (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    columns TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE queue_views (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    owner_id BIGINT NOT NULL REFERENCES users (id),
    shared BOOLEAN NOT NULL,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX queue_views_tenant_idx ON queue_views (tenant_id, shared, owner_id);
