-- A tenant's own e-mail addresses: mail received by the provider (its shared mailbox, its
-- relay endpoint) for one of them lands in that tenant, and a ticket of the tenant is answered
-- from its first address. An address names one tenant of the whole desk, so it is unique across
-- tenants (the one exception to per-tenant uniqueness), stored in its canonical form (trimmed,
-- lower-cased, NFC). `position` keeps the order the admin gave; the first is the tenant's From.
CREATE TABLE tenant_mail_addresses (
    address TEXT NOT NULL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    position INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX tenant_mail_addresses_tenant_idx ON tenant_mail_addresses (tenant_id, position);
