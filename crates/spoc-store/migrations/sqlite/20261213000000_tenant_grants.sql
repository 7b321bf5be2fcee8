-- Grants (docs/tenants.md): the provider's agents work in a client tenant on the tickets of
-- chosen resolver groups of that tenant. A grant names one provider resolver group (all its
-- members) or one provider person, and the tenant's groups it covers. For each person a grant
-- covers, the tenant holds a linked agent account (users.acts_for_user_id = the provider
-- person): no password, no sign-in of its own, a member of the granted groups only; it is kept
-- in step with the grants and the person's provider memberships in the same transaction.
ALTER TABLE users ADD COLUMN acts_for_user_id BIGINT REFERENCES users (id);
CREATE INDEX users_acts_for_idx ON users (acts_for_user_id);

CREATE TABLE tenant_grants (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    provider_group_id BIGINT REFERENCES resolver_groups (id),
    provider_user_id BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    CHECK ((provider_group_id IS NULL) <> (provider_user_id IS NULL))
);
CREATE INDEX tenant_grants_tenant_idx ON tenant_grants (tenant_id);
CREATE INDEX tenant_grants_group_idx ON tenant_grants (provider_group_id);
CREATE INDEX tenant_grants_user_idx ON tenant_grants (provider_user_id);

CREATE TABLE tenant_grant_groups (
    grant_id BIGINT NOT NULL REFERENCES tenant_grants (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES resolver_groups (id),
    PRIMARY KEY (grant_id, group_id)
);
