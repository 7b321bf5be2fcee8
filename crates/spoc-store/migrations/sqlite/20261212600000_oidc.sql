-- OpenID Connect sign-in: a tenant's identity providers (the client secret encrypted at rest
-- like mailbox passwords), the link between a provider's subject and a person, and the sign-ins
-- under way (state, nonce and PKCE verifier kept server-side, short-lived and used once).
CREATE TABLE oidc_providers (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    slug TEXT NOT NULL,
    display_name TEXT NOT NULL,
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    scopes TEXT NOT NULL,
    claim TEXT,
    role_map TEXT NOT NULL,
    group_map TEXT NOT NULL,
    jit BOOLEAN NOT NULL,
    default_role TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX oidc_providers_slug_idx ON oidc_providers (tenant_id, slug);

CREATE TABLE oidc_links (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    provider_id BIGINT NOT NULL REFERENCES oidc_providers (id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (provider_id, subject)
);
CREATE INDEX oidc_links_user_idx ON oidc_links (tenant_id, user_id);

CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    provider_id BIGINT NOT NULL REFERENCES oidc_providers (id) ON DELETE CASCADE,
    browser_hash TEXT NOT NULL,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    next TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_logins_expiry_idx ON oidc_logins (expires_at);
