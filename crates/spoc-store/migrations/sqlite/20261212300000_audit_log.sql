-- The admin audit log: who changed roles, settings, policies, tenants, and what the system's
-- retention did. Append-only (the store has no statement that changes or removes a row), and it
-- holds no personal data: the actor and people in the details appear only by id; details are a
-- JSON object of codes, ids and counts.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    at BIGINT NOT NULL,
    actor_id BIGINT,
    actor_system TEXT,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id BIGINT,
    details TEXT NOT NULL
);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, id);
CREATE INDEX audit_log_action_idx ON audit_log (tenant_id, action, id);
CREATE INDEX audit_log_target_idx ON audit_log (tenant_id, target_kind, target_id);
