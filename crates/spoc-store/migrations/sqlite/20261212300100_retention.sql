-- Retention of closed tickets (per tenant, off by default): anonymised tickets are marked, and a
-- ticket's history may be rewritten (anonymised) or removed (deleted) only inside the
-- transaction that lists the ticket in ticket_redactions first and empties it again before it
-- commits. Everywhere else the history stays append-only.
ALTER TABLE tickets ADD COLUMN anonymised_at BIGINT;

CREATE TABLE ticket_redactions (
    ticket_id BIGINT PRIMARY KEY NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id)
);

DROP TRIGGER ticket_events_no_update;
DROP TRIGGER ticket_events_no_delete;
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
WHEN NOT EXISTS (SELECT 1 FROM ticket_redactions r WHERE r.ticket_id = OLD.ticket_id)
BEGIN
    SELECT RAISE(ABORT, 'ticket_events is append-only');
END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
WHEN NOT EXISTS (SELECT 1 FROM ticket_redactions r WHERE r.ticket_id = OLD.ticket_id)
BEGIN
    SELECT RAISE(ABORT, 'ticket_events is append-only');
END;
