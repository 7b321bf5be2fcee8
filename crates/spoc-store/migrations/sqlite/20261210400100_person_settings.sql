-- Each person's own reading settings: the IANA time zone times are shown in (none: the server's
-- zone) and the language of the pages (`en`, `de`; none: English). One row per person, in the
-- person's tenant.
CREATE TABLE person_settings (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users (id),
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    time_zone TEXT,
    language TEXT
);
