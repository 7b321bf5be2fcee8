-- SCIM 2.0 provisioning (docs/scim.md): the tenant's SCIM bearer tokens (only their hash is
-- kept), and what an identity provider said of the people and resolver groups it provisions
-- beyond Spoc's own columns: its external id, the parts of a person's name, and whether it has
-- deleted the resource (Spoc keeps the person, deactivated, and the group, without members, for
-- the tickets that name them; SCIM no longer shows them).
CREATE TABLE scim_tokens (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX scim_tokens_tenant_idx ON scim_tokens (tenant_id);

CREATE TABLE scim_users (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users (id),
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    external_id TEXT,
    given_name TEXT,
    family_name TEXT,
    updated_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX scim_users_external_idx ON scim_users (tenant_id, external_id);

CREATE TABLE scim_groups (
    group_id BIGINT PRIMARY KEY NOT NULL REFERENCES resolver_groups (id),
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    external_id TEXT,
    updated_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX scim_groups_external_idx ON scim_groups (tenant_id, external_id);
