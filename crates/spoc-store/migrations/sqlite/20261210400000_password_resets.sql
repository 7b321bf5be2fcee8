-- Password resets a person asked for by e-mail ("forgot password"). Only the hash of the link's
-- secret is kept; a reset is used once (`used_at`) and expires (`expires_at`), and belongs to the
-- tenant of its person.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_user_idx ON password_resets (tenant_id, user_id);
