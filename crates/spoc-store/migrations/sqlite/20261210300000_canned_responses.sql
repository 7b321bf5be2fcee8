-- Canned responses: reply texts kept for reuse, personal (owner_id set) or shared by the desk
-- (owner_id NULL), per tenant.
CREATE TABLE canned_responses (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    owner_id BIGINT REFERENCES users (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX canned_responses_tenant_idx ON canned_responses (tenant_id, owner_id, title);
