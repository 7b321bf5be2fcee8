-- Two-factor sign-in with TOTP (RFC 6238). A person's authenticator secret is kept encrypted
-- with the app's secret keys (never in clear); it is pending until confirmed with a code
-- (`confirmed_at`). `last_step` is the time step of the last code accepted, so a code is
-- never accepted twice (replay).
CREATE TABLE second_factors (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users (id),
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_step BIGINT
);
CREATE INDEX second_factors_tenant_idx ON second_factors (tenant_id, user_id);

-- One-off recovery codes, each used at most once (`used_at`); only their SHA-256 is kept (they
-- carry 80 random bits).
CREATE TABLE recovery_codes (
    code_hash TEXT PRIMARY KEY NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (tenant_id, user_id);

-- Sign-ins whose password was right and that wait for the second factor (`verify`) or for the
-- person to enrol one (`enrol`): no session exists yet. Found by the hash of the challenge sent
-- to the client; short-lived and used once.
CREATE TABLE sign_in_challenges (
    id_hash TEXT PRIMARY KEY NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sign_in_challenges_user_idx ON sign_in_challenges (tenant_id, user_id);
