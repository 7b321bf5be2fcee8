-- LDAP / Active Directory directories of a tenant: people sign in by binding as themselves, and a
-- leased worker imports people and group memberships (paged, incremental by modifyTimestamp,
-- with a full pass now and then to find people who left). The service account's password is
-- encrypted by the app (like mailbox passwords). `mappings` is JSON: directory group DN → role
-- and/or resolver group.
CREATE TABLE ldap_directories (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    name TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    url TEXT NOT NULL,
    ca_certificate TEXT,
    bind_dn TEXT NOT NULL,
    bind_password TEXT NOT NULL,
    user_base TEXT NOT NULL,
    user_filter TEXT NOT NULL,
    email_attribute TEXT NOT NULL,
    name_attribute TEXT NOT NULL,
    id_attribute TEXT NOT NULL,
    group_base TEXT,
    group_filter TEXT NOT NULL,
    member_attribute TEXT NOT NULL,
    mappings TEXT NOT NULL,
    default_role TEXT NOT NULL CHECK (default_role IN ('customer', 'agent', 'lead', 'admin')),
    sync_seconds BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    sync_requested BOOLEAN NOT NULL DEFAULT FALSE,
    last_sync_at BIGINT,
    last_full_sync_at BIGINT,
    last_sync_error TEXT,
    last_sync_summary TEXT,
    high_water TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (tenant_id, name)
);

-- Which people a directory provides, by the directory's unique id of them (entryUUID or
-- objectGUID), so a renamed or moved entry stays the same person.
CREATE TABLE ldap_directory_people (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    directory_id BIGINT NOT NULL REFERENCES ldap_directories (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    external_id TEXT NOT NULL,
    dn TEXT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (directory_id, user_id),
    UNIQUE (directory_id, external_id)
);
CREATE INDEX ldap_directory_people_user_idx ON ldap_directory_people (tenant_id, user_id);
