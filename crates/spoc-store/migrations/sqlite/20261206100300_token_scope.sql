-- API tokens: an optional expiry, a scope (read-only, and/or a set of resources) and where the
-- token was created (a browser session or the command line), so signing out everywhere can
-- revoke the ones made from the browser. Existing tokens keep working as before: no expiry,
-- full scope, created from the command line.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN read_only BOOLEAN NOT NULL DEFAULT FALSE;
-- Comma-separated resource names (tickets, knowledge, sops, admin); NULL means all of them.
ALTER TABLE api_tokens ADD COLUMN resources TEXT;
ALTER TABLE api_tokens ADD COLUMN origin TEXT NOT NULL DEFAULT 'cli';
